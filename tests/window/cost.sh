#!/bin/sh
# The window's cost, without a wall-clock ratio (robust on a loaded host):
# under Xvfb, a guest that never stops computing (hog: two processes
# spinning, switched by the timer) runs 2*10^8 cycles at full speed with
# the window open; the script's `stats` line then tells how many frames
# were drawn and how many times the window called cpu_run/cpu_step.
#  - frames per second of host time <= 63: drawing at most at display rate
#    (a frame every 16 ms), never per instruction or per event;
#  - runs <= cycles / 2^18 + 2 * frames + 2: the machine runs in chunks
#    of 2^18 cycles, plus at most one short chunk per frame; stepping per
#    instruction would be 10^8 calls.
# usage: cost.sh LDE HOG.s
set -u
lde=$1 prog=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
printf 'until-paused\nstats\nclose\n' > "$tmp/script.txt"
xvfb-run -a -n $((200 + $$ % 700)) -s "-screen 0 1280x800x24" \
    "$lde" run --gui=required --gui-script "$tmp/script.txt" --max-cycles 200000000 "$prog" \
    < /dev/null > "$tmp/out.txt" 2> "$tmp/err.txt"
line=$(grep '^lde: window: ' "$tmp/err.txt")
if [ -z "$line" ]; then
    echo "FAIL: no stats line:"; cat "$tmp/err.txt"; exit 1
fi
echo "$line"
# lde: window: F frames in T ms (R per second), N runs for C cycles, ...
echo "$line" | awk '{
    frames = $3; ms = $6; runs = $11; cycles = $14
    if (cycles < 200000000) { print "FAIL: ran only " cycles " cycles"; exit 1 }
    if (frames < 1) { print "FAIL: no frame drawn"; exit 1 }
    if (frames * 1000 > 63 * ms) { print "FAIL: " frames " frames in " ms " ms"; exit 1 }
    if (runs > cycles / 262144 + 2 * frames + 2) { print "FAIL: " runs " runs"; exit 1 }
    print "ok: " frames * 1000 / ms " frames/s, " runs " runs for " cycles " cycles"
}'
