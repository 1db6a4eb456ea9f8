# A syscall in kernel mode with interrupts off is a double fault too.
        .text
        .global _start
_start:
        syscall
        halt zero
