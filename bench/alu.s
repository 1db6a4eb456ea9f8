# alu.s - a tight ALU loop: ITERS times  a = (a ^ (a << 5)) + i;  b ^= a >> 3
# starting from a = 0x12345678, b = 1; prints a ^ b.  7 instructions per
# iteration.  ITERS comes from lde-as -D.
        .include "bench_kernel.inc"
        .equ N_ITERS, ITERS
        li   s0, 0x12345678             # a
        li   s1, 1                      # b
        li   s2, 0                      # i
        li   s3, N_ITERS
1:      slli t0, s0, 5
        xor  s0, s0, t0
        add  s0, s0, s2
        srli t0, s0, 3
        xor  s1, s1, t0
        addi s2, s2, 1
        bne  s2, s3, 1b
        xor  a0, s0, s1
        li   a5, 3
        syscall
        li   a5, 1
        li   a0, '\n'
        syscall
        li   a5, 0
        li   a0, 0
        syscall
