#!/usr/bin/env bash
# readme-programs.sh README PROGRAM...
#
# The disk's readme is the shell's `help`: it must name every program on
# the disk (init and sh, which the user does not run by name, aside).
set -u
readme=$1
shift
missing=0
for name in "$@"; do
    case $name in init | sh) continue ;; esac
    if ! grep -qw -- "$name" "$readme"; then
        echo "$readme: error: program '$name' is on the disk but not in the readme"
        missing=1
    fi
done
exit $missing
