#!/usr/bin/env bash
# doc-picture.sh LDE SOURCE_ROOT
#
# README.md and docs/window.md each give the command that makes
# docs/window.png.  Both must name the same options, and running that
# command must make exactly the committed picture (the window is
# deterministic: the same run, the same pixels).
set -u
lde=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: the run is in SOURCE_ROOT
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The options between "lde run" and "guestos/user/ab.s": one line in
# README.md, a line continued with a backslash in docs/window.md.
opts_of() {
    sed -e ':a' -e '/\\$/N; s/\\\n[[:space:]]*//; ta' "$1" |
        grep -o 'build/emu/lde run .*--screenshot docs/window.png.* guestos/user/ab.s' |
        sed -e 's|build/emu/lde run ||' -e 's| guestos/user/ab.s||' | head -n 1
}
readme=$(opts_of "$root/README.md")
window=$(opts_of "$root/docs/window.md")
[ -n "$readme" ] || { echo "README.md: error: no command making docs/window.png"; exit 1; }
[ "$readme" = "$window" ] ||
    { echo "error: README.md makes the picture with '$readme', docs/window.md with '$window'"; exit 1; }

read -r -a args <<<"${readme/docs\/window.png/$work/window.png}"
(cd "$root" && SDL_VIDEODRIVER=dummy "$lde" run "${args[@]}" guestos/user/ab.s </dev/null >"$work/out" 2>&1) ||
    { echo "error: the documented command failed:"; cat "$work/out"; exit 1; }
cmp -s "$work/window.png" "$root/docs/window.png" || {
    echo "error: the documented command ($readme) does not make docs/window.png"
    echo "(if the guest OS changed: docs/window.md, 'The picture above', says how to retake it)"
    exit 1
}
echo "ok: $readme"
