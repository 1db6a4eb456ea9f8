#!/usr/bin/env python3
"""The --trace-json file of a guest OS run parses, and its trap and rett
events match the --trace lines of the same run one for one, in order and
cycle; its slices tile the run with no gap; its tracks are named.

usage: json_vs_trace.py LDE AB.s
"""
import json
import os
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def main():
    lde, prog = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "t.txt")
        js = os.path.join(tmp, "t.json")
        run = subprocess.run([lde, "run", "--quantum", "2000", "--trace", trace,
                              "--trace-json", js, prog],
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             check=False)
        if run.returncode != 0:
            fail("lde exited %d: %s" % (run.returncode, run.stderr))
        with open(js, encoding="ascii") as f:
            doc = json.load(f)
        with open(trace, encoding="ascii") as f:
            lines = [l.split() for l in f]
    events = doc["traceEvents"]
    want_traps = [(int(w[0]), w[2]) for w in lines if len(w) > 2 and w[1] == "trap"]
    want_retts = [int(w[0]) for w in lines if len(w) > 1 and w[1] == "rett"]
    got_traps = [(e["ts"], e["name"][5:]) for e in events
                 if e["ph"] == "i" and e["name"].startswith("trap ")]
    got_retts = [e["ts"] for e in events if e["ph"] == "i" and e["name"] == "rett"]
    if not want_traps or got_traps != want_traps:
        fail("traps differ: %d in --trace, %d in JSON; first difference %s" % (
            len(want_traps), len(got_traps),
            next(((a, b) for a, b in zip(want_traps, got_traps) if a != b), None)))
    if got_retts != want_retts:
        fail("retts differ: %d in --trace, %d in JSON" % (len(want_retts), len(got_retts)))
    slices = sorted((e for e in events if e["ph"] == "X"), key=lambda e: e["ts"])
    end = 0
    for s in slices:
        if s["ts"] != end or s["dur"] <= 0:
            fail("slice %s at %d does not follow the one ending at %d" % (s["name"], s["ts"], end))
        end = s["ts"] + s["dur"]
    names = {e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    for n in ("kernel", "init#1", "ab#2", "ab#3"):
        if n not in names:
            fail("no track named %s (have %s)" % (n, sorted(names)))
    print("ok: %d traps, %d retts, %d slices up to cycle %d" % (
        len(got_traps), len(got_retts), len(slices), end))


main()
