# lde-args: --trace -
# A fault in boot code (kernel mode, interrupts off) is a double fault.
        .text
        .global _start
_start:
        li   t0, 0xf0000ff0             # no device there
        lw   t1, 0(t0)
        halt zero
