# A backslash name that is no parameter: said as such, inside a macro's
# body and outside one.
        .macro m x
        addi a0, a0, \y
        .endm
        m 1
        addi a0, a0, \z
