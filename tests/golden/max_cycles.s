# lde-args: --max-cycles 1000
# A user program that never ends is stopped by --max-cycles.
        .include "kernel.inc"
1:      j    1b
