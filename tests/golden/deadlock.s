# wfi with interrupts off and nothing to come: deadlock.
        .text
        .global _start
_start:
        wfi
        halt zero
