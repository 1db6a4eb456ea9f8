# hello.s - print a string on the console and stop.
#
# Runs on the bare machine: the program starts in kernel mode at _start,
# so it may write the console's TX register directly.
        .equ CONSOLE, 0xf0000000        # console TX register

        .text
        .global _start
_start:
        la   a1, msg                    # a1 walks along the string
        li   t0, CONSOLE
1:      lbu  a0, 0(a1)                  # the next byte...
        beqz a0, 2f                     # ...NUL ends the string
        sw   a0, 0(t0)                  # print it
        addi a1, a1, 1
        j    1b
2:      halt zero                       # stop; exit status 0

        .data
msg:    .asciz "hello, world\n"
