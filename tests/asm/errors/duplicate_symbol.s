# Duplicate symbols: the note says where the first one is.
        .equ SIZE, 16
start:  nop
loop:   j loop
start:  nop
        .equ SIZE, 32
        .set COUNT, 1
        .set COUNT, 2
loop:   nop
