#!/usr/bin/env bash
# limits.sh LDE LDE_AS MAXRSS  (issue 8, item 6: resource limits on the host)
#
# A guest cannot make lde grow without bound, and cannot lock the user out:
#   1. print: limits/printer.s prints 'y' forever; lde's output (10^8
#      bytes, counted by wc, never stored) must not raise its peak memory
#      (maxrss.c) by more than SLACK KiB over a 10^5-cycle run;
#   2. trace: limits/trapper.s traps every 4 cycles; --trace - streams
#      its lines (checked by count) with the same memory as a short run;
#   3. window ring: --screenshot keeps the last WIN_SEGMENTS (2^18) of the
#      timeline; 4x more traps than that must not take more memory than
#      just over it;
#   4. break in: `lde --monitor -x` runs `continue` on the printer; a
#      SIGINT sent once output flows must stop it, the prompt must come
#      back and `regs` answer;
#   5. history: 1,200 commands typed at the monitor's prompt (a pty made
#      by script(1)) leave a history file of exactly 1,000 lines.
# Output goes to pipes or files in a private directory, removed at the end.
set -u
lde=$1
as=$2
maxrss=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
SLACK=2048 # KiB: allocator noise; growth with the output would be far more
fail=0

"$as" "$here/limits/printer.s" -o "$work/printer.img" || exit 1
"$as" "$here/limits/trapper.s" -o "$work/trapper.img" || exit 1

# rss NAME CYCLES ARGS...: run lde under maxrss with output into wc -c;
# sets $rss (KiB) and $bytes.
rss() {
    local name=$1 cycles=$2
    shift 2
    bytes=$("$maxrss" "$work/$name.rss" "$lde" --max-cycles "$cycles" "$@" 2>"$work/$name.err" | wc -c)
    rss=$(cat "$work/$name.rss")
    if ! grep -q "stopped after $cycles cycles" "$work/$name.err"; then
        echo "limits: $name did not run to --max-cycles:" >&2
        cat "$work/$name.err" >&2
        fail=1
    fi
}

# bounded WHAT SHORT_RSS LONG_RSS
bounded() {
    local growth=$(( $3 - $2 ))
    if [ "$growth" -gt "$SLACK" ]; then
        echo "limits: $1: peak memory grew from $2 KiB to $3 KiB" >&2
        fail=1
    else
        echo "limits: $1: peak memory $2 KiB short, $3 KiB long"
    fi
}

# 1. printing 10^8 bytes (2 cycles a byte)
rss print-short 100000 "$work/printer.img"
short=$rss
rss print-long 200000100 "$work/printer.img"
if [ "$bytes" -lt 100000000 ]; then
    echo "limits: the printer wrote only $bytes bytes" >&2
    fail=1
fi
bounded "printing $bytes bytes" "$short" "$rss"

# 2. the trace: 2 lines per 4 cycles
rss trace-short 300000 --trace - "$work/trapper.img"
short=$rss
rss trace-long 3000000 --trace - "$work/trapper.img"
if [ "$bytes" -lt 100000000 ]; then
    echo "limits: the trace wrote only $bytes bytes" >&2
    fail=1
fi
bounded "tracing $bytes bytes" "$short" "$rss"

# 3. the window's timeline ring (2^18 segments): 1.2M cycles = 300k traps
#    (600k segments) fill it, 3.6M cycles = 900k traps would need 3x more
#    if it grew.
rss ring-short 1200000 --screenshot "$work/a.png" "$work/trapper.img"
short=$rss
rss ring-long 3600000 --screenshot "$work/b.png" "$work/trapper.img"
bounded "timeline of 900k traps" "$short" "$rss"

# 4. breaking into a guest that prints forever
printf 'continue\nregs\nquit\n' >"$work/cmds"
"$lde" --monitor -x "$work/cmds" "$work/printer.img" </dev/null >"$work/mon.out" 2>&1 &
pid=$!
for _ in $(seq 600); do # until output flows (up to 60 s on a loaded machine)
    [ "$(stat -c %s "$work/mon.out")" -gt 100000 ] && break
    sleep 0.1
done
kill -INT "$pid"
for _ in $(seq 600); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
    echo "limits: the monitor did not stop the printing guest on SIGINT" >&2
    kill -KILL "$pid"
    fail=1
fi
wait "$pid"
status=$?
tail -c 2000 "$work/mon.out" | tr -s 'y' >"$work/mon.tail"
if [ "$status" != 0 ] || ! grep -q '^interrupted (Ctrl-C)$' "$work/mon.tail" ||
    ! grep -q '^(lde) regs$' "$work/mon.tail" || ! grep -q '^pc  *0x00000010' "$work/mon.tail" ||
    ! grep -q '^(lde) quit$' "$work/mon.tail"; then
    echo "limits: after SIGINT the monitor did not answer (exit $status):" >&2
    cat "$work/mon.tail" >&2
    fail=1
else
    echo "limits: SIGINT stopped the printer after $(stat -c %s "$work/mon.out") bytes; regs answered"
fi

# 5. the history is cut to 1000 lines
for i in $(seq 1200); do echo "sym $i"; done >"$work/typed"
echo quit >>"$work/typed"
LDE_HISTORY=$work/history TERM=dumb script -qec "$lde --monitor $work/printer.img" /dev/null \
    <"$work/typed" >"$work/script.out" 2>&1
lines=$(wc -l <"$work/history" 2>/dev/null || echo 0)
if [ "$lines" != 1000 ] || [ "$(tail -n 1 "$work/history")" != quit ]; then
    echo "limits: the history has $lines lines, expected 1000 ending with quit" >&2
    tail -n 3 "$work/history" >&2
    fail=1
else
    echo "limits: history of 1201 commands kept as 1000 lines"
fi
exit $fail
