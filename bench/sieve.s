# sieve.s - memory-heavy: a byte sieve of Eratosthenes over SIZE flags,
# PASSES times; prints the total number of primes found.  SIZE and PASSES
# come from lde-as -D.
        .include "bench_kernel.inc"
        .equ N_SIZE, SIZE
        .equ N_PASSES, PASSES
        .equ FLAGS, 0x10000             # user address of flags[0]
        li   s3, 0                      # primes, all passes
        li   s2, N_PASSES
pass:   li   t0, FLAGS                  # flags[0..SIZE) = 1, a word at a time
        li   t1, FLAGS + N_SIZE
        li   t2, 0x01010101
1:      sw   t2, 0(t0)
        addi t0, t0, 4
        bne  t0, t1, 1b
        li   s0, 2                      # i
2:      mul  t0, s0, s0
        li   t1, N_SIZE
        bgeu t0, t1, 5f                 # i * i >= SIZE: done
        li   t2, FLAGS
        add  t2, t2, s0
        lbu  t2, 0(t2)
        beqz t2, 4f                     # i is not prime
        li   t2, FLAGS
        add  t0, t0, t2                 # &flags[i * i]
        add  t1, t1, t2                 # &flags[SIZE]
3:      sb   zero, 0(t0)
        add  t0, t0, s0
        bltu t0, t1, 3b
4:      addi s0, s0, 1
        j    2b
5:      li   t0, FLAGS + 2              # count flags[2..SIZE)
        li   t1, FLAGS + N_SIZE
        li   a0, 0
6:      lbu  t2, 0(t0)
        add  a0, a0, t2
        addi t0, t0, 1
        bne  t0, t1, 6b
        add  s3, s3, a0
        addi s2, s2, -1
        bnez s2, pass
        mv   a0, s3
        li   a5, 3
        syscall
        li   a5, 1
        li   a0, '\n'
        syscall
        li   a5, 0
        li   a0, 0
        syscall
