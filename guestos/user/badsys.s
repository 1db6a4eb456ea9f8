# badsys - hostile: system calls with numbers that do not exist.  The kernel
# refuses them with -ENOSYS (-1) and the process carries on.
    .include "ulib.s"
main:
    ENTER 1
    la   s0, numbers
1:  lw   a0, 0(s0)
    li   t0, 0x7fff
    beq  a0, t0, 2f
    la   a0, msg1
    call puts
    lw   a0, 0(s0)
    call print_num
    lw   a5, 0(s0)
    syscall
    push a0
    la   a0, msg2
    call puts
    pop  a0
    call print_num
    li   a0, 10
    call putc
    addi s0, s0, 4
    j    1b
2:  li   a0, 0
    LEAVE 1
    ret

    .data
msg1: .asciz "badsys: syscall "
msg2: .asciz " returned "
    .align 4
numbers: .word NSYSCALLS, 99, -1, 0x10000, 0x7fff
