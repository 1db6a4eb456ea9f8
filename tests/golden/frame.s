# The trap frame, word by word (docs/isa.md 6.3): every register is set to
# a known value, then a user load faults; the handler prints the frame.
        .include "kernel.inc"
        li   a5, 9                      # dump the next frame
        syscall
        li   a0, 0x01010101
        li   a1, 0x02020202
        li   a2, 0x03030303
        li   a3, 0x04040404
        li   a4, 0x05050505
        li   a5, 0x06060606
        li   t0, 0x07070707
        li   t1, 0x08080808
        li   t2, 0x09090909
        li   s0, 0x0a0a0a0a
        li   s1, 0x0b0b0b0b
        li   s2, 0x0c0c0c0c
        li   s3, 0x0d0d0d0d
        li   sp, 0x0e0e0e0e
        li   ra, 0x0f0f0f0f
        sw   zero, 0x4ff0(zero)         # protection: bounds are 0x4000
        li   a5, 0
        li   a0, 0
        syscall
