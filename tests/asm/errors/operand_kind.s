# Operands of the wrong kind.
        add  a0, a1, 5
        addi a0, a0, a1
        lw   a0, 8
        lw   a0, 8(r16)
        mfcr a0, a1
        mtcr cycle, a0
        beq  a0, a1, sp
