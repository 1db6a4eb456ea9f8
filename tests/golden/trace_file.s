# lde-args: --trace trace.out
# golden-file: trace.out
# --trace FILE: the trace goes to the file, the console output to stdout.
# (The test kernel enters user mode; the user exits at once with 9.)
        .include "kernel.inc"
        li   a5, 0
        li   a0, 9
        syscall
