#!/usr/bin/env bash
# check-isa-doc.sh OPCODES_H ISA_H ISA_MD
# docs/isa.md must mention every instruction of opcodes.h (as `name` with
# its opcode byte on the same table row), every control register and every
# cause of isa.h.
set -u
opcodes=$1
isa=$2
doc=$3
missing=0

while read -r name code; do
    if ! grep -q "^| \`$name\` | $code |" "$doc"; then
        echo "docs/isa.md: no table row for \`$name\` with opcode $code"
        missing=$((missing + 1))
    fi
done < <(sed -n 's/^OP(\([a-z]*\), *\(0x[0-9a-f]*\),.*/\1 \2/p' "$opcodes")

while read -r name num; do
    if ! grep -q "^| $num | \`$name\` |" "$doc"; then
        echo "docs/isa.md: no control-register row for $num \`$name\`"
        missing=$((missing + 1))
    fi
done < <(sed -n 's/^ *X(\([a-z]*\), \([0-9]*\), ".*/\1 \2/p' "$isa")

while read -r name num; do
    if ! grep -q "^| $num | $name |" "$doc"; then
        echo "docs/isa.md: no cause row for $num $name"
        missing=$((missing + 1))
    fi
done < <(sed -n 's/^ *X(\([A-Z_]*\), \([0-9]*\), ".*/\1 \2/p' "$isa")

if [ "$missing" -ne 0 ]; then
    echo "$missing missing"
    exit 1
fi
echo "docs/isa.md covers opcodes.h and isa.h"
