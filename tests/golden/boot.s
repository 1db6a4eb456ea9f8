# lde-args: --no-timer --quantum 5000 --ram 2
# The boot protocol: a0 = boot flags (bit 0: --no-timer), a1 = RAM size in
# bytes, a2 = --quantum; every other register is 0 and the CPU is in kernel
# mode with interrupts off.
        .include "kio.inc"
        .global _start
_start:
        mv   s0, a0
        mv   s1, a1
        mv   s2, a2
        mfcr s3, status
        li   sp, 0x10000
        mv   a0, s0
        call kputdec
        li   a0, ' '
        call kputc
        mv   a0, s1
        call kputdec
        li   a0, ' '
        call kputc
        mv   a0, s2
        call kputdec
        li   a0, ' '
        call kputc
        mv   a0, s3                     # status: 1 = kernel, IE off
        call kputdec
        li   a0, '\n'
        call kputc
        halt zero
