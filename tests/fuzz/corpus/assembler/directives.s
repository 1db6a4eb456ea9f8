        .if FUZZ
        .word 1
        .else
        .error "no"
        .endif
        .ifdef D
        .asciz "a\n\x41"
        .endif
1:      beqz a0, 1b
        .org 0x100
        la a0, 1f
1:      .space 4, 0xff
        .data
        .half 0x1234
        .bss
        .zero 16
