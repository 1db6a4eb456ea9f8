# echo ARGS... - print the arguments separated by blanks.
    .include "ulib.s"
main:
    ENTER 3
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
    LEAVE 3
    ret
