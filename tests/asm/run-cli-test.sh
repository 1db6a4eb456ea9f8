#!/bin/sh
# run-cli-test.sh LDE_AS EXAMPLES_DIR
#
# The lde-as command line: default output name, -o, -I, -D, -l, --map,
# -Werror, exit statuses, no output left behind on errors, --disassemble
# of good and damaged images.
set -u
case $1 in /*) as=$1 ;; *) as=$PWD/$1 ;; esac
examples=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail=0
check() { # check DESCRIPTION COMMAND...: the command must succeed
    desc=$1
    shift
    if ! "$@"; then
        echo "FAIL: $desc" >&2
        fail=1
    fi
}

# default output name: SOURCE with .s replaced by .img
cp "$examples/hello.s" .
check "assemble hello.s" "$as" hello.s
check "default output hello.img" test -s hello.img

# -I finds includes; -l and --map are written
mkdir inc
cp "$examples/console.inc" inc/
cp "$examples/macros.s" prog.s
"$as" -I inc -o prog.img -l prog.lst --map prog.map prog.s
check "-I, -l, --map: exit 0" test $? -eq 0
check "listing written" grep -q "^# lde-as listing of prog.s" prog.lst
check "listing shows macro lines" grep -q "^ *[0-9]*+ " prog.lst
check "map written" grep -q "^entry 0x00000000" prog.map
check "map lists greeting" grep -q "label   greeting" prog.map

# -D NAME=VALUE and -D NAME
printf '.word N, M\n.ifndef FLAG\n.error "FLAG missing"\n.endif\n' >d.s
check "-D" "$as" -D N=5 -DM=2*N -D FLAG -o d.img d.s
"$as" --disassemble d.img >d.dis
check "-D values" grep -q "^  00000000:  00000005 " d.dis
check "-D expression" grep -q "^  00000004:  0000000a " d.dis

# errors: exit 1, stale output, listing and map removed / not written
printf 'nop\n' >bad.img
printf 'old listing\n' >bad.lst # from an earlier, good build
printf 'old map\n' >bad.map
printf 'addi a0, a0\n' >bad.s
"$as" -o bad.img -l bad.lst --map bad.map bad.s 2>bad.err
check "errors: exit 1" test $? -eq 1
check "errors: image removed" test ! -e bad.img
check "errors: stale listing removed" test ! -e bad.lst
check "errors: stale map removed" test ! -e bad.map
check "errors: message" grep -q "^bad.s:1:1: error: 'addi' takes 3 operands, got 2" bad.err

# an output that is the source file itself: refused, the source kept
cp bad.s keep.s
"$as" -l keep.s keep.s 2>same.err
check "listing = source: exit 2" test $? -eq 2
check "listing = source: source kept" cmp -s bad.s keep.s
check "listing = source: message" grep -q "^lde-as: error: 'keep.s' is the source file; choose another output" same.err
"$as" -o ./keep.s keep.s 2>/dev/null
check "image = source: exit 2" test $? -eq 2
"$as" --map keep.s keep.s 2>/dev/null
check "map = source: source kept" cmp -s bad.s keep.s

# two outputs in one file: refused, nothing written
"$as" -o two.img -l two.img hello.s 2>two.err
check "image = listing: exit 2" test $? -eq 2
check "image = listing: message" grep -q "^lde-as: error: the image and the listing (-l) would be the same file; choose another output" two.err
check "image = listing: nothing written" test ! -e two.img
"$as" -l two.txt --map two.txt hello.s 2>/dev/null
check "listing = map: exit 2" test $? -eq 2

# warnings: written without -Werror, refused with it
printf '1: nop\n' >warn.s
"$as" -o warn.img warn.s 2>warn.err
check "warning: exit 0" test $? -eq 0
check "warning: printed" grep -q "^warn.s:1:1: warning: local label '1' is never used" warn.err
"$as" -Werror -o warn2.img warn.s 2>/dev/null
check "-Werror: exit 1" test $? -eq 1
check "-Werror: no image" test ! -e warn2.img

# bad command lines: exit 2
"$as" 2>/dev/null
check "no input: exit 2" test $? -eq 2
"$as" --bogus hello.s 2>/dev/null
check "unknown option: exit 2" test $? -eq 2
"$as" missing.s 2>missing.err
check "missing source: exit 1" test $? -eq 1
check "missing source: message" grep -q "^missing.s: error: cannot open: No such file" missing.err

# --disassemble: a good image, then damaged ones (one line, exit 1)
"$as" --disassemble hello.img >hello.dis
check "disassemble: exit 0" test $? -eq 0
check "disassemble: labels" grep -q "^00000000 <_start>:" hello.dis
check "disassemble: branch names its target" grep -q "# <_start+0x" hello.dis
printf 'XDEL' | dd of=hello.img bs=1 count=4 conv=notrunc status=none
"$as" --disassemble hello.img >/dev/null 2>dis.err
check "bad magic: exit 1" test $? -eq 1
check "bad magic: message" grep -q "^lde-as: error: hello.img: not an LDEX image (bad magic)$" dis.err
check "bad magic: one line" test "$(wc -l <dis.err)" -eq 1
head -c 40 prog.img >cut.img
"$as" --disassemble cut.img >/dev/null 2>cut.err
check "truncated: exit 1" test $? -eq 1
check "truncated: message" grep -q "^lde-as: error: cut.img: truncated image" cut.err
# a failed build removes a stale output file, but never something that is
# not a regular file (as root, `-o /dev/null` once deleted the device)
printf 'bogus\n' >bad.s
mkfifo out.fifo
"$as" -o out.fifo bad.s 2>/dev/null
check "failed build: exit 1" test $? -eq 1
check "failed build: a fifo output survives" test -p out.fifo
echo stale >stale.img
"$as" -o stale.img bad.s 2>/dev/null
check "failed build: stale regular output removed" test ! -e stale.img
exit $fail
