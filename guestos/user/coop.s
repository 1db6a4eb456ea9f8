# coop - cooperative time sharing: `coop` starts `coop b`; each prints its
# letter and yields, so the letters alternate even without a timer.
    .equ ROUNDS, 6
    .include "ulib.s"
main:
    ENTER 3
    li   s0, 'a'
    li   s1, 0
    li   t0, 2
    blt  a0, t0, 1f
    lw   t0, 4(a1)
    lbu  s0, 0(t0)
    j    2f
1:  la   a0, name
    la   a1, child_argv
    call spawn
    mv   s1, a0
    call yield                       # let the child reach its loop
2:  li   s2, ROUNDS
3:  mv   a0, s0
    call putc
    call yield
    addi s2, s2, -1
    bnez s2, 3b
    blez s1, 5f
    mv   a0, s1
    li   a1, 0
    li   a2, 0
    call wait
    li   a0, 10
    call putc
5:  li   a0, 0
    LEAVE 3
    ret

    .data
name:  .asciz "coop"
arg_b: .asciz "b"
    .align 4
child_argv: .word name, arg_b, 0
