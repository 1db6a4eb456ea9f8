# runprog - a student's program for `lde run`: print argc and the
# arguments, one per line, and exit with status 7.
    .include "ulib.s"
main:
    addi sp, sp, -16
    sw   ra, 12(sp)
    sw   s0, 8(sp)
    sw   s1, 4(sp)
    sw   s2, 0(sp)
    mv   s0, a0
    mv   s1, a1
    la   a0, msg
    call puts
    mv   a0, s0
    call print_num
    li   a0, 10
    call putc
    li   s2, 0
1:  bge  s2, s0, 2f
    slli t0, s2, 2
    add  t0, s1, t0
    lw   a0, 0(t0)
    call puts
    li   a0, 10
    call putc
    addi s2, s2, 1
    j    1b
2:  li   a0, 7
    lw   ra, 12(sp)
    lw   s0, 8(sp)
    lw   s1, 4(sp)
    lw   s2, 0(sp)
    addi sp, sp, 16
    ret

    .data
msg: .asciz "argc = "
