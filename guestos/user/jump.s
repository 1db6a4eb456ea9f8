# jump [ADDR] - hostile: jump to user address ADDR, e.g. into the kernel.
# The fetch is checked like any access: the kernel kills the process.
# Without an argument, tries the kernel's entry (physical 0), the device
# window, the end of its own memory and a misaligned address.
    .include "ulib.s"
main:
    addi sp, sp, -16
    sw   ra, 12(sp)
    sw   s0, 8(sp)
    li   t0, 2
    blt  a0, t0, all
    lw   a0, 4(a1)
    call atoi
    jr   a0
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
    lw   ra, 12(sp)
    lw   s0, 8(sp)
    addi sp, sp, 16
    ret

    .data
name:     .asciz "jump"
t_kernel: .asciz "0xfff00000"
t_dev:    .asciz "0xf0000000"
t_end:    .asciz "0x00010000"
t_odd:    .asciz "0x00000006"
msg_done: .asciz "jump: every jump out of its memory was stopped\n"
    .align 4
targets:    .word t_kernel, t_dev, t_end, t_odd, 0
child_argv: .word name, 0, 0
