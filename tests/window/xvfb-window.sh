#!/bin/sh
# A real window under Xvfb: lde --gui=required opens it, draws, takes the
# key events of a script (pause, step, run to the next trap and rett,
# zoom, speed), saves what the window shows, and closes; the run then ends
# like an interrupted one (exit 130) and the picture is a non-empty PNG.
# The search for a free X display starts at a number drawn from the pid:
# two `xvfb-run -a` started at once may otherwise pick the same one.
# usage: xvfb-window.sh LDE AB.s SCRIPT
set -u
lde=$1 prog=$2 script=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
sed "s|@SHOT@|$tmp/window.png|" "$script" > "$tmp/script.txt"
xvfb-run -a -n $((200 + $$ % 700)) -s "-screen 0 1280x800x24" \
    "$lde" run --gui=required --gui-script "$tmp/script.txt" --quantum 2000 "$prog" \
    < /dev/null > "$tmp/out.txt" 2> "$tmp/err.txt"
status=$?
if [ "$status" -ne 130 ]; then
    echo "FAIL: lde exited $status, expected 130 (window closed)"; cat "$tmp/err.txt"; exit 1
fi
if ! grep -q "lde: interrupted" "$tmp/err.txt"; then
    echo "FAIL: no interrupted message:"; cat "$tmp/err.txt"; exit 1
fi
if ! grep -q "lde: --gui-script: unknown key 'bogus'" "$tmp/err.txt"; then
    echo "FAIL: an unknown key name was not reported:"; cat "$tmp/err.txt"; exit 1
fi
if ! head -c 8 "$tmp/window.png" | od -An -c | grep -q 'P   N   G'; then
    echo "FAIL: the window's picture was not written"; exit 1
fi
echo "ok: window opened, scripted, closed"
