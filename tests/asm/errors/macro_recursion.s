# A macro that expands itself forever.
        .macro down n
        addi a0, a0, \n
        down \n
        .endm
        down 1
