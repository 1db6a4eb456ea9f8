# A constant whose definition has an error is reported there, once: its
# uses say nothing more.
        .equ X, 1/0
        li   a0, X
        .set Y, nowhere
        li   a1, Y
        .set Y, 2
        li   a2, Y
