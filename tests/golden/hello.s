# Console output from user mode through system calls: puts, putdec, puthex, putc.
        .include "kernel.inc"
        li   a5, 2
        li   a0, msg - user_start       # a user address
        syscall
        li   a5, 3
        li   a0, 4294967295
        syscall
        li   a5, 1
        li   a0, ' '
        syscall
        li   a5, 4
        li   a0, 0xdeadbeef
        syscall
        li   a5, 1
        li   a0, '\n'
        syscall
        li   a5, 0
        li   a0, 0
        syscall
msg:    .asciz "hello, world\n"
