# printer.s - a guest that prints 'y' forever (kernel mode, no traps):
# lde must stay small however much it prints, and the monitor must still
# break in (tests/fuzz/limits.sh).
        .text
        .global _start
_start:
        la   t0, 0xf0000000             # console TX
        li   t1, 'y'
1:      sw   t1, 0(t0)
        j    1b
