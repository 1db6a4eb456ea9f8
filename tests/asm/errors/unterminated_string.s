# A string without its closing quote, and bad character literals.
msg:    .asciz "hello
        .byte 'a
        .byte 'ab'
        .ascii "fine"
