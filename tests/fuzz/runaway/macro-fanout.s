        .macro x
        .word 0
        .endm
        .macro y
        x
        x
        x
        x
        x
        x
        x
        x
        .endm
        .macro z1
        y
        y
        y
        y
        y
        y
        y
        y
        .endm
        .macro z2
        z1
        z1
        z1
        z1
        z1
        z1
        z1
        z1
        .endm
        .macro z3
        z2
        z2
        z2
        z2
        z2
        z2
        z2
        z2
        .endm
        .macro z4
        z3
        z3
        z3
        z3
        z3
        z3
        z3
        z3
        .endm
        .macro z5
        z4
        z4
        z4
        z4
        z4
        z4
        z4
        z4
        .endm
        .macro z6
        z5
        z5
        z5
        z5
        z5
        z5
        z5
        z5
        .endm
        .macro z7
        z6
        z6
        z6
        z6
        z6
        z6
        z6
        z6
        .endm
        .macro z8
        z7
        z7
        z7
        z7
        z7
        z7
        z7
        z7
        .endm
        z8
