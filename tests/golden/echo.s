# Console input from a file: getc until end of input, echo in upper case,
# exit with the number of bytes read.
        .include "kernel.inc"
        li   s0, 0
1:      li   a5, 6                      # getc
        syscall
        bltz a0, 3f
        addi s0, s0, 1
        li   t0, 'a'
        blt  a0, t0, 2f
        li   t0, 'z'
        bgt  a0, t0, 2f
        addi a0, a0, 'A' - 'a'
2:      li   a5, 1
        syscall
        j    1b
3:      li   a5, 0
        mv   a0, s0
        syscall
