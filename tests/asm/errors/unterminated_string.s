# A string without its closing quote, and a bad character literal.
msg:    .asciz "hello
        .byte 'a
        .ascii "fine"
