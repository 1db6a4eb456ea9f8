#!/bin/sh
# check-doc.sh DOC EXAMPLES_DIR OPCODES_H
#
# Keeps docs/asm.md honest:
#  - each code block after a line "<!-- example: NAME -->" must be exactly
#    the file EXAMPLES_DIR/NAME (which the test suite assembles and runs);
#  - every mnemonic of the opcode table must be mentioned in DOC.
set -u
doc=$1 dir=$2 ops=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
# Split the marked blocks into files named after their examples.
awk -v out="$work" '
    /^<!-- example: .* -->$/ { name = $3; want = 1; next }
    want && /^```/ { want = 0; copying = 1; file = out "/" name; printf "" > file; next }
    copying && /^```$/ { copying = 0; close(file); next }
    copying { print >> file }
' "$doc"
count=0
for f in "$work"/*; do
    [ -e "$f" ] || continue
    name=$(basename "$f")
    count=$((count + 1))
    if ! diff -u "$dir/$name" "$f" >&2; then
        echo "check-doc: the example $name in $doc differs from $dir/$name" >&2
        fail=1
    fi
done
if [ "$count" -eq 0 ]; then
    echo "check-doc: no examples found in $doc" >&2
    fail=1
fi
for m in $(sed -n 's/^OP(\([a-z]*\),.*/\1/p' "$ops"); do
    if ! grep -q "\b$m\b" "$doc"; then
        echo "check-doc: instruction '$m' is not mentioned in $doc" >&2
        fail=1
    fi
done
exit $fail
