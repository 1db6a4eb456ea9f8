#!/usr/bin/env bash
# run-libfuzzer.sh NAME SECONDS [WORKDIR]
#
# Fuzz one harness (tests/fuzz/fuzz_NAME.c) with libFuzzer for SECONDS:
# build it with clang -fsanitize=fuzzer,address,undefined together with
# the library sources it needs, start from the committed seed corpus
# (tests/fuzz/corpus/NAME, never modified here) and let libFuzzer grow a
# working corpus in WORKDIR/corpus-NAME (default /tmp/lde-libfuzzer).  A
# crash or sanitizer report leaves WORKDIR/crash-NAME-* and fails.  The
# final line gives the executions:  "libfuzzer NAME: N runs in S s, ...".
# To keep a finding as a regression case, copy the crash file into
# tests/fuzz/corpus/NAME/ once it is fixed.
set -euo pipefail

name=$1
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
work=${3:-${LDE_FUZZ_WORK:-/tmp/lde-libfuzzer}}
mkdir -p "$work/corpus-$name"

# Every library source of the parts the harness needs (globs, so that new
# files of the core or the devices come along).  The core has the block
# translator (jit.c) on x86-64, the stand-in without one (jit_none.c)
# elsewhere, as cpu/meson.build chooses.
cd "$src"
if [ "$(uname -m)" = x86_64 ]; then
    core=($(ls cpu/*.c | grep -v 'cpu/jit_none.c'))
else
    core=($(ls cpu/*.c | grep -v -E 'cpu/(jit|translate)\.c'))
fi
case $name in
image | assembler) libs=($(ls asm/*.c | grep -v 'asm/lde_as.c')) ;;
cpu | disk) libs=("${core[@]}" devices/*.c) ;;
monitor) # lde without main.c and without SDL (win_nogui.c); the kernel and
    # disk come from $LDE_FUZZ_KERNEL and $LDE_FUZZ_DISK (fuzz_monitor.c).
    if [ -z "${LDE_FUZZ_KERNEL:-}" ] || [ -z "${LDE_FUZZ_DISK:-}" ]; then
        echo "run-libfuzzer: monitor needs LDE_FUZZ_KERNEL and LDE_FUZZ_DISK (BUILD/guestos/*.img)" >&2
        exit 2
    fi
    libs=("${core[@]}" devices/*.c $(ls asm/*.c | grep -v 'asm/lde_as.c')
        $(ls emu/*.c | grep -v -E 'emu/(main|window|win_draw|win_font|win_png)\.c'))
    extra=(-Iemu -DLDE_HAVE_DISK -DLDE_HAVE_TRACE -lreadline) ;;
*) echo "run-libfuzzer: unknown harness '$name'" >&2; exit 2 ;;
esac

exe=$work/libfuzzer-$name
flags=(-std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
    -I"$src/cpu" -I"$src/devices" -I"$src/asm" -I"$here")
clang "${flags[@]}" -o "$exe" "$here/fuzz_$name.c" "$here/fuzz_common.c" "${libs[@]}" ${extra[@]+"${extra[@]}"}

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
log=$work/libfuzzer-$name.log
set +e
"$exe" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=1024 -timeout=30 \
    -artifact_prefix="$work/crash-$name-" "$work/corpus-$name" "$here/corpus/$name" >"$log" 2>&1
status=$?
set -e
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1 || true)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 || true) # none when it fails while loading
units=$(find "$work/corpus-$name" -type f | wc -l)
echo "libfuzzer $name: ${runs:-?} runs in $seconds s, $cov, working corpus $units files, exit $status"
if [ "$status" != 0 ]; then
    grep -E 'ERROR|FINDING|runtime error|SUMMARY' "$log" | head -n 20 >&2
fi
exit "$status"
