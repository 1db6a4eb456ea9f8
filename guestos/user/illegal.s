# illegal [N] - hostile: execute an illegal instruction (0: a zero word,
# 1: all ones, 2: brk).  Without an argument, runs each in turn.
    .include "ulib.s"
    .include "hostile.s"
    HOSTILE_MAIN attack, name, args, 0

# attack(a0 = N): illegal instruction N; returns 0 if there is no such N.
attack:
    sltiu t0, a0, 3
    beqz t0, 1f
    slli t0, a0, 2
    la   t1, table
    add  t1, t1, t0
    jr   t1
table:
    .word 0
    .word 0xffffffff
    brk
1:  li   a0, 0
    ret

    .data
name: .asciz "illegal"
arg0: .asciz "0"
arg1: .asciz "1"
arg2: .asciz "2"
    .align 4
args: .word arg0, arg1, arg2, 0
