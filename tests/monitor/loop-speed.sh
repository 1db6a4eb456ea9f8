#!/usr/bin/env bash
# loop-speed.sh LDE
#
# Breakpoints cost nothing until hit (docs/monitor.md, "Speed"): with a
# user breakpoint set and never reached, 20,000,000 user instructions
# (loop.s) must run through cpu_run() at full speed, not one cpu_step() at
# a time.  Measured without a clock: LDE_MONITOR_HOST_STATS makes the
# monitor say on stderr how many cpu_run and cpu_step calls each run took.
set -u

lde=$(realpath "$1")
cd "$(dirname "$0")" || exit 1
fail=0

# session CMDS: the monitor's output (stdout and stderr) for these commands.
session() {
    printf '%s\n' "$@" quit | LDE_HISTORY= LDE_MONITOR_HOST_STATS=1 "$lde" run --monitor loop.s 2>&1
}

# expect WHAT OUTPUT LINE: OUTPUT must contain LINE exactly.
expect() {
    if ! grep -qxF -- "$3" <<<"$2"; then
        echo "loop-speed: $1: expected the line '$3' in:" >&2
        echo "$2" >&2
        fail=1
    fi
}

# The measure itself: three steps are three cpu_step calls.
out=$(session 'step 3')
expect "step 3" "$out" "host: 0 cpu_run calls, 3 cpu_step calls"

# A user breakpoint (0x23b8 is `never` in loop.s) set and not hit: the
# program runs to its end, with no single step and a few dozen cpu_run
# calls (chunks of 4M cycles, and one more at each rett to another
# process's base, where user breakpoints are mapped again).
out=$(session 'break user 0x23b8' continue 'info break')
expect "user breakpoint" "$out" "halted: the guest executed halt, code 0"
expect "user breakpoint" "$out" "1    breakpoint     y    0     0x000023b8 (user mode)"
runs=$(grep '^host: ' <<<"$out" | tail -n 1 | sed -n 's/^host: \([0-9]*\) cpu_run calls, 0 cpu_step calls$/\1/p')
if [ -z "$runs" ] || [ "$runs" -gt 64 ]; then
    echo "loop-speed: user breakpoint: expected 0 cpu_step and at most 64 cpu_run calls:" >&2
    echo "$out" >&2
    fail=1
fi

# A kernel breakpoint reached after the loop stops there, also without stepping.
out=$(session 'break proc_exit' continue)
expect "kernel breakpoint" "$out" "breakpoint 1 hit"
if ! grep '^host: ' <<<"$out" | tail -n 1 | grep -q ' cpu_run calls, 0 cpu_step calls$'; then
    echo "loop-speed: kernel breakpoint: the run stepped:" >&2
    echo "$out" >&2
    fail=1
fi
exit $fail
