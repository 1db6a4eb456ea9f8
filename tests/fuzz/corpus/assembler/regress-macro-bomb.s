        .macro x
        x
        x
        .endm
        x
