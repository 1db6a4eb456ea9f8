# priv [N] - hostile: execute privileged instruction N in user mode.  Each
# one traps (PRIVILEGED) and the kernel kills the process.  Without an
# argument, runs `priv 0` .. `priv 9` one after the other.
    .equ NPRIV, 10
    .include "ulib.s"
    .include "hostile.s"
    HOSTILE_MAIN attack, name, args, msg_done

# attack(a0 = N): privileged instruction N; returns 1 if it did not trap.
attack:
    push ra
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
    pop  ra
    li   a0, 1
    ret

    .data
name:         .asciz "priv"
arg0:         .asciz "0"
arg1:         .asciz "1"
arg2:         .asciz "2"
arg3:         .asciz "3"
arg4:         .asciz "4"
arg5:         .asciz "5"
arg6:         .asciz "6"
arg7:         .asciz "7"
arg8:         .asciz "8"
arg9:         .asciz "9"
msg_survived: .asciz "priv: a privileged instruction did not trap!\n"
msg_done:     .asciz "priv: all 10 privileged instructions trapped\n"
    .align 4
args:         .word arg0, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, 0
