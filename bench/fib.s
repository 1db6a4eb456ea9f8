# fib.s - call-heavy: recursive fib(FIB_N) through the real calling
# convention (ra and s-registers saved on the stack), REPS times; prints the
# sum.  FIB_N and REPS come from lde-as -D.
        .include "bench_kernel.inc"
        .equ N_FIB, FIB_N
        .equ N_REPS, REPS
        li   s1, N_REPS
        li   s0, 0
1:      li   a0, N_FIB
        call fib
        add  s0, s0, a0
        addi s1, s1, -1
        bnez s1, 1b
        mv   a0, s0
        li   a5, 3
        syscall
        li   a5, 1
        li   a0, '\n'
        syscall
        li   a5, 0
        li   a0, 0
        syscall

fib:                                    # a0 = fib(a0); fib(0) = 0, fib(1) = 1
        li   t0, 2
        blt  a0, t0, 2f
        addi sp, sp, -12
        sw   ra, 8(sp)
        sw   s0, 4(sp)
        sw   s1, 0(sp)
        mv   s0, a0
        addi a0, a0, -1
        call fib
        mv   s1, a0
        addi a0, s0, -2
        call fib
        add  a0, a0, s1
        lw   s1, 0(sp)
        lw   s0, 4(sp)
        lw   ra, 8(sp)
        addi sp, sp, 12
2:      ret
