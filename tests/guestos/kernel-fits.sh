#!/bin/sh
# kernel-fits.sh LDE_AS KERNEL.s
#
# The kernel image (code, data and bss, up to the label kernel_end) must end
# below KERNEL_LIMIT, where the kernel stacks start (guestos/kernel/layout.s).
# The assembler cannot check it: kernel_end is known only after the whole
# file, so the map it writes is read instead.
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$1" --map "$work/kernel.map" -o "$work/kernel.img" "$2" || exit 1
end=$(awk '$NF == "kernel_end" { print $1 }' "$work/kernel.map")
limit=$(awk '$NF == "KERNEL_LIMIT" { print $1 }' "$work/kernel.map")
if [ -z "$end" ] || [ -z "$limit" ]; then
    echo "kernel-fits: kernel_end or KERNEL_LIMIT missing from the map" >&2
    exit 1
fi
if [ $((end)) -gt $((limit)) ]; then
    echo "kernel-fits: the kernel ends at $end, past KERNEL_LIMIT $limit" >&2
    exit 1
fi
echo "kernel ends at $end, below KERNEL_LIMIT $limit"
