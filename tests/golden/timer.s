# lde-args: --trace -
# A one-shot timer interrupt while user code spins: the irq and the trap
# appear in the trace at the cycle docs/isa.md gives (arming + INTERVAL).
        .include "kernel.inc"
        li   a5, 5
        li   a0, 100                    # interval
        li   a1, 0                      # one-shot
        syscall
        li   s0, 100
1:      addi s0, s0, -1                 # 200 cycles of spinning
        bnez s0, 1b
        li   a5, 7                      # ticks()
        syscall
        li   a5, 3
        syscall
        li   a5, 1
        li   a0, '\n'
        syscall
        li   a5, 0
        li   a0, 0
        syscall
