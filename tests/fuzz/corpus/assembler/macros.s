# macros.s - .include, macros with parameters, unique labels with \@.
        .include "console.inc"

        .text
_start:
        puts greeting                   # each use gets its own loop labels
        putc 'o'
        putc 'k'
        putc '\n'
        puts bye
        halt zero

        .data
greeting: .asciz "macros: "
bye:      .asciz "bye\n"
