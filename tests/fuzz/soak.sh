#!/usr/bin/env bash
# soak.sh LDE KERNEL DISK CYCLES SOAK_MEMORY
#
# The guest OS under a long scripted mix: the shell runs soak-round.txt
# (ordinary programs, background jobs, every hostile program, fill until
# the process table is full, ps) again and again, each round introduced by
# "echo ==round==", until lde stops at CYCLES (--max-cycles; exit 124).
# Passes when:
#   - no kernel panic and no double fault;
#   - at least 2 rounds completed, and every completed round printed the
#     the same lines as the first (sorted: background jobs interleave by
#     timer phase) once pids, process states and cycle counts are normalised and the
#     letters of `ab` and the shell's "[pid]" (which a background job's
#     output can split) are ignored: in particular `fill` starts
#     as many children every time (no leaked process entry or memory slot)
#     and `ps` shows only init, sh and ps;
#   - a second run gives byte-identical output (reproducible);
#   - the kernel's own bookkeeping, read through its symbols by
#     SOAK_MEMORY (soak_memory.c) running the same input for the same
#     cycles: at the start of every round the memory slots in use
#     (slot_used) and the used process-table entries are exactly those at
#     boot (the first shell prompt), and its console output is
#     byte-identical to lde's (it saw the same run).
# Prints the rounds completed and the cycles run (docs/reliability.md).
set -u
lde=$1
kernel=$2
disk=$3
cycles=$4
soak_memory=$5
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rounds=$(( cycles / 1000000 + 10 )) # a round takes about 1.8M cycles
for _ in $(seq "$rounds"); do
    echo "echo ==round=="
    cat "$here/soak-round.txt"
done >"$work/in"

run_once() { # $1 = output file
    cp "$disk" "$work/disk.img"
    "$lde" --max-cycles "$cycles" --disk "$work/disk.img" "$kernel" <"$work/in" >"$1" 2>"$1.err"
    echo $? >"$1.status"
}
run_once "$work/a"
fail=0
if [ "$(cat "$work/a.status")" != 124 ] || ! grep -q "stopped after $cycles cycles" "$work/a.err"; then
    echo "soak: expected to be stopped by --max-cycles; exit $(cat "$work/a.status"):" >&2
    cat "$work/a.err" >&2
    fail=1
fi
if grep -qE 'panic|double fault' "$work/a" "$work/a.err"; then
    echo "soak: the kernel failed:" >&2
    grep -E 'panic|double fault' "$work/a" "$work/a.err" >&2
    fail=1
fi
# One normalised file per completed round (the last one is cut short).
sed -E -e 's/pid [0-9]+/pid N/g' -e 's/\[[0-9]+/[N/g' -e 's/^(\$ )? *[0-9]+ +[0-9]+ /\1N N /' \
    -e 's/[0-9]+ cycles per/N cycles per/' \
    -e 's/^N N +[a-z]+ +/N N STATE /' -e 's/^\$ //' -e '/^[ab]+$/d' \
    -e 's/\[N\]//g' -e '/^$/d' "$work/a" |
    awk -v dir="$work" '/==round==/ { n++; next } n { print > (dir "/round" n) }'
for f in "$work"/round*; do
    sort -o "$f" "$f" # background jobs and the prompt interleave by timer phase
done
completed=$(( $(grep -c '==round==' "$work/a") - 1 ))
if [ "$completed" -lt 2 ]; then
    echo "soak: only $completed rounds completed" >&2
    fail=1
fi
for i in $(seq 2 "$completed"); do
    if ! cmp -s "$work/round1" "$work/round$i"; then
        echo "soak: round $i differs from round 1:" >&2
        diff "$work/round1" "$work/round$i" | head -n 20 >&2
        fail=1
        break
    fi
done
run_once "$work/b"
if ! cmp -s "$work/a" "$work/b"; then
    echo "soak: a second run differs (not reproducible)" >&2
    fail=1
fi
cp "$disk" "$work/disk.img"
if ! "$soak_memory" "$kernel" "$work/disk.img" "$work/in" "$cycles" >"$work/m" 2>"$work/m.err"; then
    echo "soak: the kernel's bookkeeping did not return to its boot value:" >&2
    fail=1
fi
cat "$work/m.err" >&2
if ! cmp -s "$work/a" "$work/m"; then
    echo "soak: soak-memory saw a different run from lde's" >&2
    fail=1
fi
echo "soak: $completed rounds of $(grep -c . "$here/soak-round.txt") commands in $cycles cycles, twice, identical"
exit $fail
