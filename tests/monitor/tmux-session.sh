#!/usr/bin/env bash
# tmux-session.sh LDE
#
# The monitor in a real terminal: start `lde --monitor` in a detached tmux
# session, type into it, and check what the screen shows: Tab completes a
# command and a symbol, Up recalls the previous line from the history, and
# the history file is written at quit.  Exit 77 (skipped) without tmux.
set -u
lde=$1
command -v tmux >/dev/null || { echo "tmux not installed: skipped"; exit 77; }
work=$(mktemp -d)
sock="$work/tmux.sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null; rm -rf "$work"' EXIT

screen() { tmux -S "$sock" capture-pane -p -t mon; }
wait_for() { # wait until the screen shows $1 (fixed string), up to 10 s
    for _ in $(seq 100); do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    echo "timed out waiting for: $1" >&2
    screen >&2
    exit 1
}
keys() { tmux -S "$sock" send-keys -t mon "$@"; }

tmux -S "$sock" new-session -d -s mon -x 120 -y 40 \
    "env LDE_HISTORY=$work/history TERM=xterm $lde --monitor; echo SESSION-ENDED; sleep 30"
wait_for "(lde)"
keys "sta" Tab Enter       # the command completes to "stats"
wait_for "instructions 0"
keys "disas h_sysc" Tab Enter   # the symbol completes to h_syscall
wait_for "<h_syscall+0x4>"
keys "regs" Enter
wait_for "status 0x00000001"
keys Up Up Enter           # recalls "disas h_syscall"
for _ in $(seq 50); do
    [ "$(screen | grep -cF '<h_syscall+0x4>')" -ge 2 ] && break
    sleep 0.1
done
[ "$(screen | grep -cF '<h_syscall+0x4>')" -ge 2 ] || { echo "history recall failed" >&2; screen >&2; exit 1; }
keys "quit" Enter
wait_for "SESSION-ENDED"
grep -qx "disas h_syscall *" "$work/history" || { echo "history not saved:" >&2; cat "$work/history" >&2; exit 1; }
echo "ok"
