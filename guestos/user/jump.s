# jump [ADDR] - hostile: jump to user address ADDR, e.g. into the kernel.
# The fetch is checked like any access: the kernel kills the process.
# Without an argument, tries the kernel's entry (physical 0), the device
# window, the end of its own memory and a misaligned address.
    .include "ulib.s"
    .include "hostile.s"
    HOSTILE_MAIN attack, name, targets, msg_done

# attack(a0 = address): jump there.
attack:
    jr   a0

    .data
name:     .asciz "jump"
t_kernel: .asciz "0xfff00000"
t_dev:    .asciz "0xf0000000"
t_end:    .asciz "0x00010000"
t_odd:    .asciz "0x00000006"
msg_done: .asciz "jump: every jump out of its memory was stopped\n"
    .align 4
targets:  .word t_kernel, t_dev, t_end, t_odd, 0
