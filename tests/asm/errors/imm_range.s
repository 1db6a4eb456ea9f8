# Immediates out of range: the message states the range.
        addi a0, a0, 32768
        addi a0, a0, -32769
        ori  a0, a0, 65536
        andi a0, a0, -1
        slli a0, a0, 32
        lui  a0, 0x10000
        lw   a0, 40000(sp)
        beq  a0, a1, far
        .space 200000
far:    .byte 256
        .align 2
        .half 65536
        .org 0x900000
        j    0
        beq  a0, a1, 2
