#!/usr/bin/env bash
# run-guest.sh EXPECT COMMAND...
#
# Run COMMAND twice (console input empty) and compare its transcript -- the
# standard output, then "--- exit N" -- with EXPECT byte for byte; the two
# runs must agree (determinism).  GOLDEN_UPDATE=1 rewrites EXPECT instead.
set -u
expect=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run_once() {
    "$@" </dev/null >"$work/out" 2>"$work/err"
    echo "--- exit $?" >>"$work/out"
    cat "$work/err" >&2
}
run_once "$@"
mv "$work/out" "$work/first"
run_once "$@"
if ! cmp -s "$work/first" "$work/out"; then
    echo "run-guest: two runs differ (not deterministic):" >&2
    diff "$work/first" "$work/out" >&2
    exit 1
fi
if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
    cp "$work/first" "$expect"
    echo "run-guest: wrote $expect"
    exit 0
fi
if ! cmp -s "$work/first" "$expect"; then
    echo "run-guest: output differs from $expect:" >&2
    diff "$expect" "$work/first" >&2
    exit 1
fi
