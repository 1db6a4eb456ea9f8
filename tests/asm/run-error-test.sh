#!/bin/sh
# run-error-test.sh LDE_AS DIR NAME [LDE_AS OPTIONS...]
#
# A golden error test: assemble DIR/NAME.s (from inside DIR, so messages
# name files relatively) and require that lde-as fails, leaves no output
# file, and prints exactly DIR/NAME.err on stderr.
# GOLDEN_UPDATE=1 rewrites NAME.err from the current output instead.
set -u
as=$1 dir=$2 name=$3
shift 3
# meson may pass programs relative to the build directory: make them absolute
abs() { case $1 in /*|"") echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
as=$(abs "$as")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$dir" || exit 1
"$as" "$@" -o "$work/out.img" "$name.s" 2>"$work/stderr"
status=$?
if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
    cp "$work/stderr" "$name.err"
fi
fail=0
if [ $status -eq 0 ]; then
    echo "$name: lde-as succeeded, expected errors" >&2
    fail=1
fi
if [ -e "$work/out.img" ]; then
    echo "$name: lde-as left an output file behind" >&2
    fail=1
fi
if ! diff -u "$name.err" "$work/stderr" >&2; then
    echo "$name: diagnostics differ from $name.err" >&2
    fail=1
fi
exit $fail
