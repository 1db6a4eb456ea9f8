# Unknown directives, with a suggestion when one is close.
        .wrod 1
        .asciiz "x"
        .frobnicate
        .section .rodata
