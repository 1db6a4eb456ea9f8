# conditional.s - conditional assembly with .if/.else/.endif and .ifdef.
# Assemble with -D VERBOSE to get the extra line.
        .equ CONSOLE, 0xf0000000
        .equ LEVEL, 2

        .text
_start:
        li   t0, CONSOLE
        .if LEVEL >= 2
        li   a0, 'H'                    # assembled: LEVEL is 2
        .else
        li   a0, 'L'                    # skipped
        .endif
        sw   a0, 0(t0)
        .ifdef VERBOSE
        li   a0, '!'
        sw   a0, 0(t0)
        .endif
        li   a0, '\n'
        sw   a0, 0(t0)
        .if LEVEL > 5
        .error "LEVEL is too high"
        .endif
        halt zero
