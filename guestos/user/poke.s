# poke [ADDR] - hostile: store a word at user address ADDR.  Outside the
# process's memory that is a protection fault and the kernel kills it.
# Without an argument, pokes each of: the first address past its memory,
# the kernel's code and trap table (physical 0, i.e. user -USER_BASE),
# the kernel stacks, the timer and trace-port registers, and a misaligned
# address.
    .include "ulib.s"
main:
    addi sp, sp, -16
    sw   ra, 12(sp)
    sw   s0, 8(sp)
    li   t0, 2
    blt  a0, t0, all
    lw   a0, 4(a1)
    call atoi
    li   t0, 0x1234
    sw   t0, 0(a0)
    la   a0, msg_survived
    call puts
    li   a0, 1
    j    9f
all:
    la   s0, targets
1:  lw   t0, 0(s0)
    beqz t0, 2f
    la   t1, child_argv
    sw   t0, 4(t1)
    la   a0, name
    la   a1, child_argv
    call spawn
    li   a1, 0
    li   a2, 0
    call wait
    addi s0, s0, 4
    j    1b
2:  la   a0, msg_done
    call puts
    li   a0, 0
9:  lw   ra, 12(sp)
    lw   s0, 8(sp)
    addi sp, sp, 16
    ret

    .data
name:         .asciz "poke"
t_end:        .asciz "0x00010000"
t_kernel:     .asciz "0xfff00000"
t_kstack:     .asciz "0xfff40000"
t_timer:      .asciz "0xf0000100"
t_trace:      .asciz "0xf0000300"
t_odd:        .asciz "0x00000102"
msg_survived: .asciz "poke: the store was not refused!\n"
msg_done:     .asciz "poke: every store outside its memory was refused\n"
    .align 4
targets:      .word t_end, t_kernel, t_kstack, t_timer, t_trace, t_odd, 0
child_argv:   .word name, 0, 0
