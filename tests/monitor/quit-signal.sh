#!/usr/bin/env bash
# quit-signal.sh LDE
#
# SIGTERM and SIGHUP end lde promptly from any state, through its clean
# exit (terminal mode restored, temporary disk removed), with exit status
# 130 (docs/monitor.md "Signals", lde --help), and so does SIGPIPE when
# the reader of lde's output goes away:
#   - the monitor running a script of several `continue`s on a guest that
#     never stops (hog.s, a user breakpoint no process reaches): the first
#     `continue` ends with `interrupted (SIGTERM)` and no further command
#     runs - the bug this test was written for: the script went on to the
#     next `continue`, and lde ran for ever;
#   - the same with SIGHUP and the script given with -x;
#   - plain `lde run` of the spinning program; `lde run yes.s | head`;
#   - in a real terminal (tmux, skipped without it): at the prompt with a
#     line half typed, and while `continue` runs the guest OS (whose shell
#     put the terminal in raw mode): the terminal is given back its mode.
set -u

lde=$(realpath "$1")
cd "$(dirname "$0")" || exit 1
work=$(mktemp -d)
sock="$work/tmux.sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null; rm -rf "$work"' EXIT
export TMPDIR="$work/tmp" LDE_HISTORY=
mkdir "$TMPDIR"
fail=0

bad() {
    echo "quit-signal: $1" >&2
    shift
    for f in "$@"; do
        echo "--- $f:" >&2
        tail -n 8 "$f" >&2
    done
    fail=1
}

# gone PID: wait up to 2 s for process PID to end; false if it did not
# (then it is killed, so that no test leaves a process behind).
gone() {
    for _ in $(seq 40); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.05
    done
    kill -KILL "$1" 2>/dev/null
    return 1
}

# signalled NAME SIG FILE TEXT: start "${cmd[@]}" in the background, stdin
# from $work/in, stdout and stderr to $work/NAME.out and .err; once FILE
# shows TEXT (the guest is running: up to 10 s on a busy machine) wait
# 0.5 s and send SIG; the exit status in $status, 999 if it did not end
# within 2 s.
signalled() {
    "${cmd[@]}" <"$work/in" >"$work/$1.out" 2>"$work/$1.err" &
    local pid=$!
    for _ in $(seq 100); do
        grep -qF -- "$4" "$3" 2>/dev/null && break
        sleep 0.1
    done
    sleep 0.5
    kill -"$2" "$pid"
    if gone "$pid"; then
        wait "$pid"
        status=$?
    else
        wait "$pid" 2>/dev/null
        status=999
    fi
}

# last_lines NAME FILE LINE...: the last lines of FILE must be exactly
# LINE... (a LINE starting with ~ is an extended regular expression).
last_lines() {
    local name=$1 file=$2 i=0 got
    shift 2
    mapfile -t got < <(tail -n $# "$file")
    for want in "$@"; do
        if [[ $want == "~"* ]]; then
            [[ ${got[$i]-} =~ ^${want#\~}$ ]] || { bad "$name: line '${got[$i]-}' does not match '${want#\~}'" "$file"; return; }
        elif [ "${got[$i]-}" != "$want" ]; then
            bad "$name: expected the line '$want', got '${got[$i]-}'" "$file"
            return
        fi
        i=$((i + 1))
    done
}

# no_temporary NAME: lde run removed its temporary disk.
no_temporary() {
    if [ -n "$(ls -A "$TMPDIR")" ]; then
        bad "$1: temporary files left: $(ls "$TMPDIR")"
        rm -f "$TMPDIR"/*
    fi
}

stop_lines=("~cycle [0-9]+, (user|kernel) mode, pid [0-9]+ .*")

# 1. The monitor, its script on stdin: two `continue`s that never end.
printf '%s\n' 'break user 0x8000' continue continue regs >"$work/in"
cmd=("$lde" run --monitor hog.s)
signalled script TERM "$work/script.out" "(lde) continue"
[ "$status" = 130 ] || bad "script, SIGTERM: exit status $status, expected 130" "$work/script.out"
last_lines "script, SIGTERM" "$work/script.out" \
    "(lde) continue" "interrupted (SIGTERM)" "${stop_lines[@]}" "SIGTERM: leaving lde"
[ "$(grep -c '^(lde) ' "$work/script.out")" = 2 ] ||
    bad "script, SIGTERM: commands ran after the signal" "$work/script.out"
no_temporary "script, SIGTERM"

# 2. The same with SIGHUP, the script given with -x (stdin is the guest's).
printf '%s\n' 'break user 0x8000' continue continue regs >"$work/script"
: >"$work/in"
cmd=("$lde" run -x "$work/script" hog.s)
signalled script-x HUP "$work/script-x.out" "(lde) continue"
[ "$status" = 130 ] || bad "-x script, SIGHUP: exit status $status, expected 130" "$work/script-x.out"
last_lines "-x script, SIGHUP" "$work/script-x.out" \
    "(lde) continue" "interrupted (SIGHUP)" "${stop_lines[@]}" "SIGHUP: leaving lde"
no_temporary "-x script, SIGHUP"

# 3. Plain `lde run` of the spinning program (its trace says it runs).
cmd=("$lde" run --trace "$work/trace" hog.s)
signalled run TERM "$work/trace" "rett"
[ "$status" = 130 ] || bad "lde run, SIGTERM: exit status $status, expected 130" "$work/run.err"
last_lines "lde run, SIGTERM" "$work/run.err" "~lde: interrupted at pc 0x[0-9a-f]{8} \(cycle [0-9]+\)"
no_temporary "lde run, SIGTERM"

# 3b. SIGPIPE: the reader of lde's output goes away (lde run yes.s | head).
"$lde" run yes.s 2>"$work/pipe.err" | head -n 2 >"$work/pipe.out"
status=${PIPESTATUS[0]}
[ "$status" = 130 ] || bad "lde run | head, SIGPIPE: exit status $status, expected 130" "$work/pipe.err"
[ "$(cat "$work/pipe.out")" = "$(printf 'y\ny')" ] || bad "lde run | head: output" "$work/pipe.out"
no_temporary "lde run | head, SIGPIPE"

# 4. In a real terminal.
if ! command -v tmux >/dev/null; then
    echo "tmux not installed: the terminal cases skipped"
    exit $fail
fi
screen() { tmux -S "$sock" capture-pane -p -t mon; }
wait_for() { # wait until the screen shows $1 (fixed string), up to 10 s
    for _ in $(seq 100); do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    bad "terminal: timed out waiting for: $1"
    screen >&2
    return 1
}
keys() { tmux -S "$sock" send-keys -t mon "$@"; }

# tty_session NAME SIG KEYS...: lde --monitor in tmux, under a shell that
# then shows its exit status and saves the terminal's mode; type KEYS, send
# SIG, and expect lde gone within 2 s, with exit status 130 and the
# terminal back in its line mode (icanon and echo on).
tty_session() {
    local name=$1 sig=$2 pid
    shift 2
    tmux -S "$sock" new-session -d -s mon -x 120 -y 40 \
        "echo \$\$ >$work/shell; env TERM=xterm $lde --monitor; echo exit status \$?; stty -a >$work/$name.stty; sleep 30"
    wait_for "(lde)" || { tmux -S "$sock" kill-server; return; }
    pid=$(pgrep -P "$(cat "$work/shell")")
    keys "$@"
    sleep 0.5
    kill -"$sig" "$pid"
    gone "$pid" || bad "$name: still running 2 s after SIG$sig"
    wait_for "exit status" && sleep 0.2
    screen >"$work/$name.screen"
    tmux -S "$sock" kill-server
    grep -qFx "SIG$sig: leaving lde" "$work/$name.screen" ||
        bad "$name: no 'SIG$sig: leaving lde'" "$work/$name.screen"
    grep -qFx "exit status 130" "$work/$name.screen" ||
        bad "$name: exit status is not 130" "$work/$name.screen"
    [ "$(tr ' ' '\n' <"$work/$name.stty" | grep -cx -e icanon -e echo)" = 2 ] ||
        bad "$name: the terminal was left without icanon or echo" "$work/$name.stty"
}

tty_session prompt TERM "regs"
grep -qF "(lde) regs" "$work/prompt.screen" && ! grep -qF "status 0x00000001" "$work/prompt.screen" ||
    bad "prompt: the half-typed line was run, or not shown" "$work/prompt.screen"
tty_session running TERM "continue" Enter
grep -qFx "interrupted (SIGTERM)" "$work/running.screen" ||
    bad "running: no 'interrupted (SIGTERM)'" "$work/running.screen"
exit $fail
