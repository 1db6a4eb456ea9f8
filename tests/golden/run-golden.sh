#!/usr/bin/env bash
# run-golden.sh LDE_AS LDE TEST.s
#
# One golden test: assemble TEST.s with lde-as, run it on lde, and compare a
# transcript of the run with TEST.expect, byte for byte.  The transcript is
#   the guest's stdout (with the trace when the test asks for --trace -),
#   then "--- stderr" and lde's stderr, if it printed anything,
#   then "--- exit N".
# The run is done twice; the two transcripts must be identical (determinism).
#
# Header comments in TEST.s steer the run:
#   # lde-args: ARGS          extra lde options, e.g. --trace - --max-cycles 500
#   # golden-image: KIND      damage the image before running it:
#                             magic (first byte changed), truncate-N (keep N
#                             bytes), missing (do not create it)
#   # golden-file: NAME       also append "--- NAME" and the file NAME that
#                             the run wrote in its working directory
# TEST.in, if present, is the guest's stdin (else /dev/null).
# GOLDEN_UPDATE=1 writes TEST.expect from the current output instead.
set -u

as=$(realpath "$1")
lde=$(realpath "$2")
src=$3
base=${src%.s}
name=$(basename "$base")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

header() { # the value of "# KEY: value" in the source, or nothing
    sed -n "s/^# $1: *//p" "$src" | head -n 1
}

if ! "$as" -I "$(dirname "$src")" -o "$work/$name.img" "$src" 2>"$work/as.err"; then
    echo "golden $name: lde-as failed:" >&2
    cat "$work/as.err" >&2
    exit 1
fi

case $(header golden-image) in
"") ;;
magic) printf 'M' | dd of="$work/$name.img" bs=1 count=1 conv=notrunc status=none ;;
truncate-*)
    keep=$(header golden-image)
    head -c "${keep#truncate-}" "$work/$name.img" >"$work/cut" && mv "$work/cut" "$work/$name.img"
    ;;
missing) rm -f "$work/$name.img" ;;
*) echo "golden $name: unknown golden-image kind" >&2; exit 1 ;;
esac

input=/dev/null
[ -f "$base.in" ] && input=$(cd "$(dirname "$base")" && pwd)/$name.in
read -r -a args <<<"$(header lde-args)"
extra=$(header golden-file)

run_once() { # $1 = transcript file
    (cd "$work" && "$lde" "${args[@]}" "$name.img" <"$input" >out 2>err)
    status=$?
    {
        cat "$work/out"
        if [ -s "$work/err" ]; then
            echo "--- stderr"
            cat "$work/err"
        fi
        echo "--- exit $status"
        if [ -n "$extra" ]; then
            echo "--- $extra"
            cat "$work/$extra"
            rm -f "$work/$extra"
        fi
    } >"$1"
}

run_once "$work/first"
run_once "$work/second"
if ! cmp -s "$work/first" "$work/second"; then
    echo "golden $name: two runs differ (not deterministic):" >&2
    diff "$work/first" "$work/second" >&2
    exit 1
fi

if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
    cp "$work/first" "$base.expect"
    echo "golden $name: wrote $base.expect"
    exit 0
fi
if [ ! -f "$base.expect" ]; then
    echo "golden $name: missing $base.expect; got:" >&2
    cat "$work/first" >&2
    exit 1
fi
if ! diff -u "$base.expect" "$work/first"; then
    echo "golden $name: output differs from $name.expect" >&2
    echo "(if the change is intended: GOLDEN_UPDATE=1 meson test -C build golden-$name rewrites it; read the diff for meaning, not only numbers)" >&2
    exit 1
fi
echo "golden $name: ok"
