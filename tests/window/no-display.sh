#!/bin/sh
# --gui with no display: one line, and the run goes on (exit = the guest's);
# --gui=required with no display: one line, exit 126 (host trouble).
# usage: no-display.sh LDE HELLO.s
set -u
lde=$1 prog=$2
out=$(env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$lde" run --gui "$prog" 2>&1 </dev/null)
status=$?
want="lde: --gui: no display (neither DISPLAY nor WAYLAND_DISPLAY is set); running without the window
hello, world"
[ "$status" -eq 0 ] || { echo "FAIL: --gui exited $status"; exit 1; }
[ "$(printf '%s\n' "$out" | sort)" = "$(printf '%s\n' "$want" | sort)" ] ||
    { echo "FAIL: --gui printed:"; echo "$out"; exit 1; }
out=$(env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$lde" run --gui=required "$prog" 2>&1 </dev/null)
status=$?
[ "$status" -eq 126 ] || { echo "FAIL: --gui=required exited $status"; exit 1; }
[ "$out" = "lde: --gui=required: no display (neither DISPLAY nor WAYLAND_DISPLAY is set)" ] ||
    { echo "FAIL: --gui=required printed:"; echo "$out"; exit 1; }
echo "ok"
