#!/usr/bin/env bash
# lde-cli.sh LDE SOURCE_DIR
#
# Mistakes on lde's command line: each gives one line on stderr, nothing on
# stdout, and the documented exit status (121 bad command line, 122 image);
# and --help prints lde-help.expect, which docs/isa.md quotes.
set -u
lde=$1
src=$2
fails=0

expect() { # STATUS STDERR ARGS...
    local want_status=$1 want_err=$2
    shift 2
    local out err status
    out=$("$lde" "$@" 2>/tmp/lde-cli-err.$$ </dev/null)
    status=$?
    err=$(cat /tmp/lde-cli-err.$$)
    if [ "$status" != "$want_status" ] || [ "$err" != "$want_err" ] || [ -n "$out" ]; then
        echo "FAIL: lde $*"
        echo "  want: $want_status '$want_err'"
        echo "  got:  $status '$err' (stdout '$out')"
        fails=1
    fi
}

expect 121 "lde: option '--ram' needs a value (try --help)" --ram
expect 121 "lde: option '-x' needs a value (try --help)" -x
expect 121 "lde: unknown option '--bogus' (try --help)" --bogus
expect 121 "lde: unknown option '-q' (try --help)" -qx
expect 121 "lde: unknown option '-q' (try --help)" run -qx
expect 121 "lde: option '--monitor' takes no value (try --help)" --monitor=foo
expect 121 "lde: option '--ram' needs a value (try --help)" run --ram
expect 122 "lde: $src: Is a directory" "$src"
expect 122 "lde: $src/hello.s: not an LDEX image (bad magic); assemble it with lde-as first (a program for the guest OS: lde run $src/hello.s)" "$src/hello.s"
expect 122 "lde: $src/nosuch.s: No such file or directory" "$src/nosuch.s"
mkdir -p /tmp/lde-cli-dir.$$/d.s
expect 122 "lde: /tmp/lde-cli-dir.$$/d.s: Is a directory" "/tmp/lde-cli-dir.$$/d.s"
expect 121 "lde: /tmp/lde-cli-dir.$$: cannot open the monitor script: Is a directory" -x "/tmp/lde-cli-dir.$$"
rm -rf /tmp/lde-cli-dir.$$
# lde run: arguments init would change are refused
expect 121 "lde: run: 16 arguments; the guest passes at most 15" run "$src/hello.s" 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
expect 121 "lde: run: argument 2 '' is empty: init splits the command at blanks" run "$src/hello.s" a '' b
expect 121 "lde: run: argument 1 'a b' is more than one word: init splits the command at blanks" run "$src/hello.s" 'a b'
mkdir -p /tmp/lde-cli-run.$$
cp "$src/hello.s" /tmp/lde-cli-run.$$/bootcmd.s
expect 121 "lde: /tmp/lde-cli-run.$$/bootcmd.s: the program cannot be called 'bootcmd' on the guest's disk (that is the boot command's file)" run /tmp/lde-cli-run.$$/bootcmd.s
rm -rf /tmp/lde-cli-run.$$
# an output that is an input (or another output): refused, the input kept
cp "$src/hello.s" /tmp/lde-cli-keep.$$.s
expect 121 "lde: --trace '/tmp/lde-cli-keep.$$.s' is also the program: choose another file" run --trace /tmp/lde-cli-keep.$$.s /tmp/lde-cli-keep.$$.s
cmp -s "$src/hello.s" /tmp/lde-cli-keep.$$.s || { echo "FAIL: the program was overwritten"; fails=1; }
expect 121 "lde: --trace '/tmp/lde-cli-keep.$$.s' is also the monitor script: choose another file" -x /tmp/lde-cli-keep.$$.s --trace /tmp/lde-cli-keep.$$.s
expect 121 "lde: --trace-json '/tmp/lde-cli-out.$$' is also --trace: choose another file" --trace /tmp/lde-cli-out.$$ --trace-json /tmp/lde-cli-out.$$ "$src/hello.s"
rm -f /tmp/lde-cli-keep.$$.s /tmp/lde-cli-out.$$
rm -f /tmp/lde-cli-err.$$

# output that cannot be written: one line, exit 126 (not the guest's 7)
if [ -w /dev/full ]; then
    demo=$(dirname "$lde")/demo.img
    full() { # WHAT STDERR ARGS...: lde ARGS exits 126 with exactly STDERR
        local what=$1 want=$2 status
        shift 2
        "$lde" "$@" 2>/tmp/lde-cli-err.$$ >/dev/null
        status=$?
        if [ "$status" != 126 ] || [ "$(cat /tmp/lde-cli-err.$$)" != "$want" ]; then
            echo "FAIL: $what: status $status, stderr '$(cat /tmp/lde-cli-err.$$)'"
            fails=1
        fi
    }
    full "trace to a full disk" "lde: cannot write the trace to /dev/full: No space left on device" --trace /dev/full "$demo"
    "$lde" "$demo" >/dev/full 2>/tmp/lde-cli-err.$$
    status=$?
    if [ "$status" != 126 ] || ! grep -q "^lde: cannot write the guest's output: " /tmp/lde-cli-err.$$; then
        echo "FAIL: lde with stdout full: status $status, stderr '$(cat /tmp/lde-cli-err.$$)'"
        fails=1
    fi
    rm -f /tmp/lde-cli-err.$$
fi

# a picture that cannot be written: 126, not the guest's status
"$lde" --screenshot /nonexistent-dir/x.png "$(dirname "$lde")/demo.img" >/dev/null 2>/tmp/lde-cli-err.$$
status=$?
if [ "$status" != 126 ] || [ "$(cat /tmp/lde-cli-err.$$)" != "lde: --screenshot: /nonexistent-dir/x.png: cannot write the picture" ]; then
    echo "FAIL: unwritable screenshot: status $status, stderr '$(cat /tmp/lde-cli-err.$$)'"
    fails=1
fi
rm -f /tmp/lde-cli-err.$$

# the monitor's `trace on FILE` never writes over a file the session reads
demo=$(dirname "$lde")/demo.img
out=$(printf 'trace on %s\nquit\n' "$demo" | LDE_HISTORY= "$lde" --monitor "$demo" 2>&1)
case $out in
    *"error: trace: '$demo' is a file this session reads; choose another file"*) ;;
    *) echo "FAIL: monitor trace on the image: '$out'"; fails=1 ;;
esac
head -c 4 "$demo" | grep -q LDEX || { echo "FAIL: the image was overwritten"; fails=1; }

# numbers are decimal or 0x hex, never C octal: 010 is ten
err=$("$lde" --max-cycles 010 "$(dirname "$lde")/demo.img" 2>&1 >/dev/null)
case $err in
    "lde: stopped after 10 cycles (--max-cycles) at pc "*) ;;
    *) echo "FAIL: --max-cycles 010: '$err'"; fails=1 ;;
esac

# an option that only changes another one, given without it: a warning
err=$("$lde" --screenshot-at 100 --gui-script /dev/null "$(dirname "$lde")/demo.img" 2>&1 >/dev/null)
if [ "$err" != "lde: warning: --screenshot-at does nothing without --screenshot
lde: warning: --gui-script does nothing without --gui" ]; then
    echo "FAIL: idle options: '$err'"
    fails=1
fi

# --help: exactly the text docs/isa.md quotes (GOLDEN_UPDATE=1 rewrites it).
if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
    "$lde" --help >"$src/lde-help.expect"
fi
if ! "$lde" --help | diff -u "$src/lde-help.expect" -; then
    echo "FAIL: lde --help differs from $src/lde-help.expect (GOLDEN_UPDATE=1 rewrites it)"
    fails=1
fi
[ "$fails" = 0 ] && echo "ok"
exit $fails
