#!/usr/bin/env bash
# run-prog.sh LDE DISK PROG.s
#
# `lde run` end to end: run PROG.s with arguments on a copy of DISK and on
# the bundled disk; check its output and exit status (7), and that neither
# disk image changed by a single byte.
set -u

lde=$1
disk=$2
prog=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

expect_out=$'argc = 4\nrunprog\nx\nhello\nworld'
cp "$disk" "$work/disk.img"
cp "$disk" "$work/bundled-before.img"

check() { # $1 = what, $2 = output, $3 = status
    if [ "$2" != "$expect_out" ] || [ "$3" != 7 ]; then
        echo "run-prog: $1: got status $3 and output:" >&2
        printf '%s' "$2" >&2
        fail=1
    fi
}

out=$("$lde" run --disk "$work/disk.img" "$prog" x hello world </dev/null)
status=$?
check "lde run --disk COPY" "$out" "$status"
if ! cmp -s "$disk" "$work/disk.img"; then
    echo "run-prog: lde run modified the disk image given with --disk" >&2
    fail=1
fi

out=$("$lde" run "$prog" x hello world </dev/null)
status=$?
check "lde run (bundled disk)" "$out" "$status"
if ! cmp -s "$work/bundled-before.img" "$disk"; then
    echo "run-prog: lde run modified the bundled disk image" >&2
    fail=1
fi

out=$("$lde" run "$work/missing.s" 2>&1 </dev/null)
status=$?
if [ "$status" != 122 ] || [[ "$out" != *"missing.s"* ]]; then
    echo "run-prog: a missing program gave status $status: $out" >&2
    fail=1
fi
exit $fail
