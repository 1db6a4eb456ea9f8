# Instructions and data must be aligned.
        .byte 1
        nop
        .align 4
        nop
        .data
        .byte 2
        .word 3
        .half 4
        .align 2
        .half 5
        .bss
        .word 6
