# Escapes that C does not have.
        .asciz "tab\there, oops\q"
        .ascii "\x"
        .byte '\z'
        .asciz "\400"
