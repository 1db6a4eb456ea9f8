# lde-args: --trace -
# Console input by interrupt: with RXIE set the console polls its input
# every 10,000 cycles and raises CONSOLE while a byte is buffered.
        .include "kernel.inc"
        li   a5, 8
        li   a0, 1                      # enable the RX interrupt
        syscall
        li   s0, 20000
1:      addi s0, s0, -1                 # 40,000 cycles of spinning
        bnez s0, 1b
        li   a5, 0
        li   a0, 0
        syscall
