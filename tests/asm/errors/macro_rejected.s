# A .macro line that is refused: its body is skipped up to its .endm, so
# neither the body's lines nor that .endm give errors of their own.
        .macro add x
        addi a0, a0
        .endm
        .macro twice r
        add \r, \r, \r
        .endm
        .macro twice r
        bogus
        .endm
        .text
_start: twice a0
        halt zero
        .macro open
        nop
