#!/usr/bin/env bash
# run-mon.sh LDE TEST
#
# One scripted monitor session: run `lde ARGS` (ARGS from TEST.args, one
# line, relative to this directory) with TEST.cmds on stdin, and compare
# stdout, then "--- stderr" and stderr if any, then "--- exit N", with
# TEST.expect byte for byte.  The run is done twice and must give the same
# transcript.  GOLDEN_UPDATE=1 rewrites TEST.expect instead of comparing.
set -u

lde=$(realpath "$1") # the tests run from this directory
base=$2
name=$(basename "$base")
dir=$(dirname "$base")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

read -r -a args <"$base.args"

run_once() { # $1 = transcript file
    # A run command that never stops (a breakpoint no longer hit) is
    # ended after 20 s, and the transcript shows where it was.
    (cd "$dir" && LDE_HISTORY= timeout 20 "$lde" "${args[@]}" <"$base.cmds" >"$work/out" 2>"$work/err")
    status=$?
    {
        cat "$work/out"
        if [ -s "$work/err" ]; then
            echo "--- stderr"
            cat "$work/err"
        fi
        echo "--- exit $status"
    } >"$1"
}

run_once "$work/first"
if grep -q "interrupted (SIGTERM)" "$work/first"; then
    echo "monitor $name: a command ran for 20 s without stopping (a breakpoint or catch" >&2
    echo "that the guest no longer reaches?); the transcript until then:" >&2
    cat "$work/first" >&2
    exit 1
fi
run_once "$work/second"
if ! cmp -s "$work/first" "$work/second"; then
    echo "monitor $name: two runs differ (not deterministic):" >&2
    diff "$work/first" "$work/second" >&2
    exit 1
fi
if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
    cp "$work/first" "$base.expect"
    echo "monitor $name: wrote $base.expect"
    exit 0
fi
if [ ! -f "$base.expect" ]; then
    echo "monitor $name: missing $base.expect; got:" >&2
    cat "$work/first" >&2
    exit 1
fi
if ! cmp -s "$work/first" "$base.expect"; then
    echo "monitor $name: output differs from $base.expect:" >&2
    diff "$base.expect" "$work/first" >&2
    echo "(if the change is intended: GOLDEN_UPDATE=1 meson test -C build monitor-$name rewrites it; read the diff for meaning, not only numbers)" >&2
    exit 1
fi
exit 0
