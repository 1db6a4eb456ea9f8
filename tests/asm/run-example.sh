#!/bin/sh
# run-example.sh LDE_AS DIR NAME [LDE]
#
# A program from docs/asm.md: DIR/NAME.s must assemble with -Werror (from
# inside DIR, so its .include files are found).  If DIR/NAME.dis exists,
# the disassembly of the image must equal it.  If LDE is given and
# DIR/NAME.out exists, running the image on lde must print exactly NAME.out:
# the console output, then a line "--- exit N" with lde's exit status.
# GOLDEN_UPDATE=1 rewrites NAME.dis / NAME.out from the current output instead.
set -u
as=$1 dir=$2 name=$3 lde=${4:-}
# meson may pass programs relative to the build directory: make them absolute
abs() { case $1 in /*|"") echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
as=$(abs "$as")
lde=$(abs "$lde")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$dir" || exit 1
"$as" -Werror -o "$work/$name.img" "$name.s" || exit 1
"$as" --disassemble "$work/$name.img" | sed "s|$work/||" >"$work/dis" || exit 1
if [ -n "$lde" ]; then
    "$lde" --max-cycles 10000000 "$work/$name.img" </dev/null >"$work/out" 2>&1
    echo "--- exit $?" >>"$work/out"
fi
if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
    cp "$work/dis" "$name.dis"
    [ -n "$lde" ] && cp "$work/out" "$name.out"
fi
fail=0
if [ -f "$name.dis" ] && ! diff -u "$name.dis" "$work/dis" >&2; then
    echo "$name: disassembly differs from $name.dis" >&2
    fail=1
fi
if [ -n "$lde" ] && [ -f "$name.out" ] && ! diff -u "$name.out" "$work/out" >&2; then
    echo "$name: output on lde differs from $name.out" >&2
    fail=1
fi
exit $fail
