# Expressions: overflow, division by zero, syntax.
        .word 0xffffffff + 1
        .word 1 << 32
        .word 0x10000 * 0x10000
        .word 10 / (5 - 5)
        .word (1 + 2
        .word 1 +
        .word 0x100000000
        .word 09
        .if UNKNOWN
        .endif
        .space later
later:
