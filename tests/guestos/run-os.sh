#!/usr/bin/env bash
# run-os.sh LDE KERNEL DISK TEST
#
# One end-to-end test of the guest OS: boot KERNEL on lde with a scratch
# copy of DISK, feed TEST.in (if present) to the console, and compare a
# transcript with TEST.expect byte for byte:
#   the console output, then "--- stderr" and lde's stderr if any, then
#   "--- exit N".
# TEST.args, if present, holds extra lde options (one line).  TEST.disk, if
# present, damages the disk copy: "none" (no --disk at all), "truncate-N"
# (keep N bytes), "magic" (first byte changed).  If TEST.filter
# exists it is a sed script applied to the console output first (to keep
# the relevant lines of a long --trace).  The run is done twice and must
# give the same transcript (determinism).  GOLDEN_UPDATE=1 rewrites
# TEST.expect from the current output instead of comparing.
set -u

lde=$1
kernel=$2
disk=$3
base=$4
name=$(basename "$base")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

input=/dev/null
[ -f "$base.in" ] && input=$base.in
args=()
[ -f "$base.args" ] && read -r -a args <"$base.args"

damage=
[ -f "$base.disk" ] && damage=$(cat "$base.disk")

run_once() { # $1 = transcript file
    cp "$disk" "$work/disk.img"
    diskopt=(--disk "$work/disk.img")
    case $damage in
    "") ;;
    none) diskopt=() ;;
    truncate-*) truncate -s "${damage#truncate-}" "$work/disk.img" ;;
    magic) printf 'X' | dd of="$work/disk.img" bs=1 count=1 conv=notrunc status=none ;;
    *) echo "guestos $name: unknown damage '$damage'" >&2; exit 1 ;;
    esac
    "$lde" "${args[@]}" "${diskopt[@]}" "$kernel" <"$input" >"$work/out" 2>"$work/err"
    status=$?
    {
        if [ -f "$base.filter" ]; then
            sed -n -f "$base.filter" "$work/out"
        else
            cat "$work/out"
        fi
        if [ -s "$work/err" ]; then
            echo "--- stderr"
            sed "s|$work/||g" "$work/err"
        fi
        echo "--- exit $status"
    } >"$1"
}

run_once "$work/first"
run_once "$work/second"
# A filter that keeps nothing has lost what it selects (a changed kernel no
# longer does it): no golden, updated or not, may be empty of it.
if [ -f "$base.filter" ] && [ -z "$(sed -n -f "$base.filter" "$work/out")" ]; then
    echo "guestos $name: $base.filter selects nothing from the run: the behaviour it" >&2
    echo "picks out (see its comment) no longer happens; change the filter or the input" >&2
    exit 1
fi
if ! cmp -s "$work/first" "$work/second"; then
    echo "guestos $name: two runs differ (not deterministic):" >&2
    diff "$work/first" "$work/second" >&2
    exit 1
fi
if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
    cp "$work/first" "$base.expect"
    echo "guestos $name: wrote $base.expect"
    exit 0
fi
if [ ! -f "$base.expect" ]; then
    echo "guestos $name: missing $base.expect; got:" >&2
    cat "$work/first" >&2
    exit 1
fi
if ! cmp -s "$work/first" "$base.expect"; then
    echo "guestos $name: output differs from $base.expect:" >&2
    diff "$base.expect" "$work/first" >&2
    echo "(if the change is intended: GOLDEN_UPDATE=1 meson test -C build guestos-$name rewrites it; read the diff for meaning, not only numbers)" >&2
    exit 1
fi
exit 0
