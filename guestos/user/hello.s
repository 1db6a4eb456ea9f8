# hello - print a greeting.
    .include "ulib.s"
main:
    push ra
    la   a0, msg
    call puts
    pop  ra
    li   a0, 0
    ret

    .data
msg: .asciz "hello, world\n"
