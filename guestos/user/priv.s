# priv [N] - hostile: execute privileged instruction N in user mode.  Each
# one traps (PRIVILEGED) and the kernel kills the process.  Without an
# argument, runs `priv 0` .. `priv 9` one after the other.
    .equ NPRIV, 10
    .include "ulib.s"
main:
    addi sp, sp, -16
    sw   ra, 12(sp)
    sw   s0, 8(sp)
    li   t0, 2
    blt  a0, t0, all
    lw   a0, 4(a1)
    call atoi
    sltiu t0, a0, NPRIV
    beqz t0, survived
    slli t0, a0, 3                   # two instructions per table entry
    la   t1, table
    add  t1, t1, t0
    jr   t1
table:
    halt zero
    j    survived
    rett
    j    survived
    wfi
    j    survived
    mtcr status, zero
    j    survived
    mtcr ttb, zero
    j    survived
    mtcr ksp, zero
    j    survived
    mtcr base, zero
    j    survived
    mtcr bounds, zero
    j    survived
    mfcr t0, ttb
    j    survived
    mfcr t0, status
    j    survived
survived:
    la   a0, msg_survived
    call puts
    li   a0, 1
    j    9f
all:
    li   s0, 0
1:  la   t0, digit                   # argv = { "priv", "<s0>" }
    addi t1, s0, '0'
    sb   t1, 0(t0)
    la   a0, name
    la   a1, child_argv
    call spawn
    li   a1, 0
    li   a2, 0
    call wait
    addi s0, s0, 1
    li   t0, NPRIV
    blt  s0, t0, 1b
    la   a0, msg_done
    call puts
    li   a0, 0
9:  lw   ra, 12(sp)
    lw   s0, 8(sp)
    addi sp, sp, 16
    ret

    .data
name:         .asciz "priv"
digit:        .asciz "0"
msg_survived: .asciz "priv: a privileged instruction did not trap!\n"
msg_done:     .asciz "priv: all 10 privileged instructions trapped\n"
    .align 4
child_argv:   .word name, digit, 0
