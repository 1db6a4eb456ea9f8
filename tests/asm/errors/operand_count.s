# Wrong number of operands.
        add  a0, a1
        syscall a0
        lw   a0, 4(sp), 8
        li   a0
        addi a0, a0,
