# lde-args: --trace - --max-cycles 100000
# A periodic timer (every 200 cycles) re-arms itself at fire + INTERVAL, no
# matter when the handler acknowledges; then it is stopped.
        .include "kernel.inc"
        li   a5, 5
        li   a0, 200
        li   a1, 1                      # periodic
        syscall
        li   s0, 500
1:      addi s0, s0, -1
        bnez s0, 1b
        li   a5, 5
        li   a0, 0                      # stop it
        syscall
        li   s0, 100
2:      addi s0, s0, -1
        bnez s0, 2b
        li   a5, 7
        syscall
        li   a5, 3
        syscall
        li   a5, 1
        li   a0, '\n'
        syscall
        li   a5, 0
        li   a0, 0
        syscall
