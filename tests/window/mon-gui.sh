#!/bin/sh
# The monitor and the window on one machine (lde --gui --monitor), under
# Xvfb: the monitor's commands (mon-gui.cmds, on stdin) and the window's
# keys (mon-gui-keys.txt, --gui-script) take turns in a fixed order, so the
# transcript is the same every time; it is compared with mon-gui.expect.
# GOLDEN_UPDATE=1 rewrites mon-gui.expect instead.
# usage: mon-gui.sh LDE AB.s DIR
set -u
lde=$1 prog=$2 dir=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
LDE_HISTORY= xvfb-run -a -n $((200 + $$ % 700)) -s "-screen 0 1280x800x24" \
    "$lde" run --gui=required --monitor --gui-script "$dir/mon-gui-keys.txt" \
    --quantum 2000 "$prog" < "$dir/mon-gui.cmds" > "$tmp/out.txt" 2> "$tmp/err.txt"
status=$?
{
    cat "$tmp/out.txt"
    if [ -s "$tmp/err.txt" ]; then
        echo "--- stderr"
        cat "$tmp/err.txt"
    fi
    echo "--- exit $status"
} > "$tmp/got.txt"
if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
    cp "$tmp/got.txt" "$dir/mon-gui.expect"
    echo "wrote $dir/mon-gui.expect"
    exit 0
fi
if ! cmp -s "$tmp/got.txt" "$dir/mon-gui.expect"; then
    echo "FAIL: transcript differs from mon-gui.expect:"
    diff "$dir/mon-gui.expect" "$tmp/got.txt"
    echo "(if the change is intended: GOLDEN_UPDATE=1 meson test -C build window-monitor rewrites it; read the diff for meaning, not only numbers)"
    exit 1
fi
echo "ok: monitor and window share the machine"
