# illegal [N] - hostile: execute an illegal instruction (0: a zero word,
# 1: all ones, 2: brk).  Without an argument, runs each in turn.
    .include "ulib.s"
main:
    addi sp, sp, -16
    sw   ra, 12(sp)
    sw   s0, 8(sp)
    li   t0, 2
    blt  a0, t0, all
    lw   a0, 4(a1)
    call atoi
    sltiu t0, a0, 3
    beqz t0, 9f
    slli t0, a0, 2
    la   t1, table
    add  t1, t1, t0
    jr   t1
table:
    .word 0
    .word 0xffffffff
    brk
all:
    li   s0, 0
1:  la   t0, digit
    addi t1, s0, '0'
    sb   t1, 0(t0)
    la   a0, name
    la   a1, child_argv
    call spawn
    li   a1, 0
    li   a2, 0
    call wait
    addi s0, s0, 1
    li   t0, 3
    blt  s0, t0, 1b
9:  li   a0, 0
    lw   ra, 12(sp)
    lw   s0, 8(sp)
    addi sp, sp, 16
    ret

    .data
name:       .asciz "illegal"
digit:      .asciz "0"
    .align 4
child_argv: .word name, digit, 0
