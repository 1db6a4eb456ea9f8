#!/usr/bin/env bash
# mkdisk-cli.sh LDE_MKDISK: lde-mkdisk builds, lists, extends (-b) and
# refuses bad input with one line and status 1.
set -u
mk=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
cd "$work" || exit 1

expect() { # $1 = what, $2 = expected, $3 = actual
    if [ "$2" != "$3" ]; then
        echo "mkdisk-cli: $1: expected:" >&2
        printf '%s\n--- got:\n%s\n' "$2" "$3" >&2
        fail=1
    fi
}

printf 'abc' >a.img
head -c 600 /dev/zero >big
"$mk" -o d1.img a.img big=second || fail=1
expect "list" "d1.img: 7 blocks, 4 directory blocks
name                        size  start
a                              3      4
second                       600      5" "$("$mk" -l d1.img)"

printf 'xy' >a.img
"$mk" -o d2.img -b d1.img a.img || fail=1
expect "replace with -b" "d2.img: 7 blocks, 4 directory blocks
name                        size  start
second                       600      4
a                              2      6" "$("$mk" -l d2.img)"

head -c 131072 /dev/zero >largest
out=$("$mk" -o d5.img largest 2>&1)
expect "the largest file the guest reads: no warning" "" "$out"
head -c 131073 /dev/zero >huge
out=$("$mk" -o d4.img huge 2>&1)
expect "too big for the guest: a warning, the disk is written" "lde-mkdisk: warning: huge: 131073 bytes; the guest OS loads and reads files of at most 131072 bytes" "$out"
[ -e d4.img ] || { echo "mkdisk-cli: d4.img not written" >&2; fail=1; }

out=$("$mk" -o d3.img nosuch 2>&1)
expect "missing file" "lde-mkdisk: nosuch: No such file or directory" "$out"
[ -e d3.img ] && { echo "mkdisk-cli: d3.img written after an error" >&2; fail=1; }

out=$("$mk" -o d3.img a.img=abcdefghijklmnopqrstuvwxyz 2>&1)
expect "long name" "lde-mkdisk: a.img: bad file name 'abcdefghijklmnopqrstuvwxyz' (1..23 characters, no '/')" "$out"

out=$("$mk" -l a.img 2>&1)
expect "list a non-disk" "lde-mkdisk: a.img: short disk image: 2 bytes is not a whole number of 512-byte blocks" "$out"

"$mk" >/dev/null 2>&1
expect "no arguments" 2 $?

cp a.img keep.img
out=$("$mk" -o keep.img ./keep.img=k 2>&1)
expect "an input as the output: refused" "lde-mkdisk: 'keep.img' is both a file to add and the output; choose another output" "$out"
cmp -s a.img keep.img || { echo "mkdisk-cli: the input was overwritten" >&2; fail=1; }
exit $fail
