# ctxbench - cycles per context switch: `ctxbench` starts `ctxbench child`;
# both yield in a loop, so every yield switches to the other process.
# Reports cycles per switch (yield to yield, including the system call).
    .equ N, 500
    .include "ulib.s"
main:
    ENTER 3
    li   t0, 2
    blt  a0, t0, 1f
2:  call yield                       # the child: yield forever
    j    2b
1:  la   a0, name
    la   a1, child_argv
    call spawn
    mv   s2, a0
    call yield                       # the child is now in its loop
    mfcr s0, cycle
    li   s1, N
3:  call yield
    addi s1, s1, -1
    bnez s1, 3b
    mfcr t0, cycle
    sub  s0, t0, s0
    mv   a0, s2
    call kill
    mv   a0, s2
    li   a1, 0
    li   a2, 0
    call wait
    la   a0, msg1
    call puts
    li   a0, N * 2
    call print_num
    la   a0, msg2
    call puts
    li   t0, N * 2
    divu a0, s0, t0
    call print_num
    la   a0, msg3
    call puts
    li   a0, 0
    LEAVE 3
    ret

    .data
name:  .asciz "ctxbench"
arg_c: .asciz "child"
msg1:  .asciz "ctxbench: "
msg2:  .asciz " switches, "
msg3:  .asciz " cycles per context switch (yield to yield)\n"
    .align 4
child_argv: .word name, arg_c, 0
