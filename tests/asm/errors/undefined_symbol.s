# Undefined symbols and local labels.
        la   a0, mesage
        j    2f
        beq  a0, zero, 3b
        .word missing + 4
message: .asciz "hi"
