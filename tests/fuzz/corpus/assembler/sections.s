# sections.s - .text, .data, .bss, alignment and a table of words.
# Sums a table and stores the sum in .bss; exits with the sum (100).
        .text
_start:
        la   a0, table
        la   a1, table_end
        li   a2, 0                      # sum
1:      lw   t0, 0(a0)
        add  a2, a2, t0
        addi a0, a0, 4
        bltu a0, a1, 1b
        la   t1, result
        sw   a2, 0(t1)
        lw   a0, 0(t1)
        halt a0

        .data
name:   .ascii "sums"                   # 4 bytes, no NUL
        .byte 1, 2, 3                   # 3 bytes: now misaligned...
        .align 4                        # ...so align before the words
table:  .word 10, 20, 30, 40
table_end:
        .half 0x1234
        .space 6, 0xff                  # six bytes of 0xff

        .bss
        .align 8
result: .space 4                        # zero-filled, takes no file space
scratch: .zero 64
