#!/bin/sh
# lde --gui --monitor in a real terminal (a pty made by script(1)), the
# window on an Xvfb server of its own (in another session, so that Ctrl-C
# in the terminal does not reach it): the window runs the guest while the
# prompt waits; Ctrl-C pauses the run and the monitor reports where; Ctrl-C
# at an idle prompt drops the line typed; Tab completes `gui` words; `gui
# trap` then stops at the next trap.  Exit 77 (skipped) without script(1)
# or Xvfb.
# usage: mon-gui-tty.sh LDE HOG.s
set -u
lde=$1 prog=$2
command -v script >/dev/null && command -v Xvfb >/dev/null || { echo "skipped"; exit 77; }
tmp=$(mktemp -d) || exit 1
xpid=
cleanup() {
    exec 3>&- 2>/dev/null
    [ -n "$xpid" ] && kill "$xpid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

# A free display number, from the pid on.
n=$((300 + $$ % 600))
while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
setsid Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xpid=$!
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done

out=$tmp/typescript
mkfifo "$tmp/in"
DISPLAY=":$n" LDE_HISTORY= TERM=xterm script -q -f -c \
    "$lde run --gui=required --monitor --quantum 2000 $prog" "$out" < "$tmp/in" > /dev/null &
spid=$!
exec 3> "$tmp/in"

fail() { echo "FAIL: $1"; tr -d '\r' < "$out"; exit 1; }
# Wait until the transcript shows $1 $2 times (default once), up to 20 s.
wait_for() {
    for _ in $(seq 200); do
        c=$(grep -cF -- "$1" "$out" 2>/dev/null)
        [ "${c:-0}" -ge "${2:-1}" ] && return 0
        sleep 0.1
    done
    fail "timed out waiting for: $1"
}
send() { printf "$1" >&3; }

wait_for "(lde) "
send 'gui run\r'
wait_for "window: running at full speed"
sleep 0.5
send '\003'
wait_for "window: interrupted (Ctrl-C)"
send 'abc\003'
sleep 0.3
send 'gui\r'
wait_for "window: paused, full speed"
send 'gui t\t\r'
wait_for "window: trap timer taken (user -> kernel)"
send 'quit\r'
exec 3>&-
wait "$spid" || fail "lde (under script) exited $?"
grep -qF "unknown command 'abc" "$out" && fail "the line dropped by Ctrl-C was run"
grep -qF "(lde) gui trap" "$out" || fail "Tab did not complete 'gui t' to 'gui trap'"
echo "ok: Ctrl-C stops the window's run into the monitor"
