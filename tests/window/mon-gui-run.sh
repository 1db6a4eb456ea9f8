#!/bin/sh
# The window keeps showing the machine while a monitor command runs it
# (lde --gui --monitor, docs/monitor.md "The window and the monitor
# together"): under Xvfb, `continue` to the first timer interrupt of hog
# with a quantum of 10^9 cycles (about a second of host time).
#  - the run's host line (LDE_MONITOR_HOST_STATS) counts more than one
#    window frame drawn during the run (before: none until it ended);
#  - at most 63 frames per second of the whole lde process (a frame at
#    most every 16 ms);
#  - the monitor's transcript is the same as without the window: the run
#    is only sliced, its stop lands where it did.
# usage: mon-gui-run.sh LDE HOG.s
set -u
lde=$1 prog=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
printf 'catch trap timer\ncontinue\nregs\nstats\nquit\n' > "$tmp/cmds"
run() {
    LDE_HISTORY= LDE_MONITOR_HOST_STATS=1 "$@" --monitor --quantum 1000000000 "$prog" \
        < "$tmp/cmds"
}
run "$lde" run > "$tmp/plain.txt" 2> /dev/null || { echo "FAIL: lde --monitor exited $?"; exit 1; }
start=$(date +%s%N)
run xvfb-run -a -n $((200 + $$ % 700)) -s "-screen 0 1280x800x24" "$lde" run --gui=required \
    > "$tmp/gui.txt" 2> "$tmp/err.txt" || { echo "FAIL: lde --gui --monitor exited $?"; exit 1; }
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if ! cmp -s "$tmp/plain.txt" "$tmp/gui.txt"; then
    echo "FAIL: the transcript with the window differs:"
    diff "$tmp/plain.txt" "$tmp/gui.txt"
    exit 1
fi
grep -q 'catchpoint 1: trap timer taken' "$tmp/gui.txt" || { echo "FAIL: no stop:"; cat "$tmp/gui.txt"; exit 1; }
# host: N cpu_run calls, M cpu_step calls, F window frames during the run
line=$(grep '^host: .* window frames during the run' "$tmp/err.txt" | tail -n 1)
if [ -z "$line" ]; then
    echo "FAIL: no frame count:"; cat "$tmp/err.txt"; exit 1
fi
echo "$line ($ms ms in all)"
echo "$line" | awk -v ms="$ms" '{
    frames = $8
    if (frames < 2) { print "FAIL: " frames " frames drawn during the run"; exit 1 }
    if (frames * 1000 > 63 * ms) { print "FAIL: " frames " frames in " ms " ms"; exit 1 }
    print "ok: " frames " frames drawn during the run, transcript unchanged"
}'
