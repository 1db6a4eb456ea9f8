# Instructions and data must be aligned.  A run of misaligned instructions
# is reported once, at its first instruction; data in between starts
# another run, a directive that emits nothing does not.
        .byte 1
        nop
        nop
        .align 4
        nop
        .half 2
        nop
        .byte 1
        nop
        .equ X, 1
        nop
        .data
        .byte 2
        .word 3
        .half 4
        .align 2
        .half 5
        .bss
        .word 6
