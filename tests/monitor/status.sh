#!/usr/bin/env bash
# status.sh LDE LDE_AS
#
# The monitor ends with lde's exit status for how the machine stands
# (docs/monitor.md): a bare program that halts with 7, one that double
# faults (125), one that waits for an interrupt that never comes (123),
# and one stopped by --max-cycles (124) - each the same as plain lde gives.
set -u
lde=$(realpath "$1")
as=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

program() { # NAME SOURCE: assemble SOURCE into NAME.img
    printf '%s\n' "$2" >"$work/$1.s"
    "$as" -o "$work/$1.img" "$work/$1.s" || exit 1
}
program halt7 '_start: li a0, 7
        halt a0'
program double '_start: .word 0'
program deadlock '_start: wfi
        halt zero'
program spin '_start: j _start'

check() { # WANT NAME [LDE OPTIONS...]
    local want=$1 name=$2 got_plain got_mon
    shift 2
    "$lde" "$@" "$work/$name.img" </dev/null >/dev/null 2>&1
    got_plain=$?
    printf 'continue\nquit\n' | LDE_HISTORY= "$lde" --monitor "$@" "$work/$name.img" >"$work/out" 2>&1
    got_mon=$?
    if [ "$got_plain" != "$want" ] || [ "$got_mon" != "$want" ]; then
        echo "FAIL: $name $*: want $want, lde gave $got_plain, lde --monitor $got_mon" >&2
        cat "$work/out" >&2
        fail=1
    fi
}
check 7 halt7
check 125 double
check 123 deadlock
check 124 spin --max-cycles 1000
[ "$fail" = 0 ] && echo "ok"
exit $fail
