# poke [ADDR] - hostile: store a word at user address ADDR.  Outside the
# process's memory that is a protection fault and the kernel kills it.
# Without an argument, pokes each of: the first address past its memory,
# the kernel's code and trap table (physical 0, i.e. user -USER_BASE),
# the kernel stacks, the timer and trace-port registers, and a misaligned
# address.
    .include "ulib.s"
    .include "hostile.s"
    HOSTILE_MAIN attack, name, targets, msg_done

# attack(a0 = address): store there; returns 1 if the store was not refused.
attack:
    push ra
    li   t0, 0x1234
    sw   t0, 0(a0)
    la   a0, msg_survived
    call puts
    pop  ra
    li   a0, 1
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
