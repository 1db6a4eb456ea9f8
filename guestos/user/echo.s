# echo ARGS... - print the arguments separated by blanks.
    .include "ulib.s"
main:
    addi sp, sp, -16
    sw   ra, 12(sp)
    sw   s0, 8(sp)
    sw   s1, 4(sp)
    sw   s2, 0(sp)
    mv   s0, a0                      # argc
    mv   s1, a1                      # argv
    li   s2, 1
1:  bge  s2, s0, 3f
    slli t0, s2, 2
    add  t0, s1, t0
    lw   a0, 0(t0)
    call puts
    addi s2, s2, 1
    bge  s2, s0, 3f
    li   a0, ' '
    call putc
    j    1b
3:  li   a0, 10
    call putc
    li   a0, 0
    lw   ra, 12(sp)
    lw   s0, 8(sp)
    lw   s1, 4(sp)
    lw   s2, 0(sp)
    addi sp, sp, 16
    ret
