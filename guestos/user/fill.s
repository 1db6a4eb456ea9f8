# fill - hostile: spawn until the process table is full.  spawn then fails
# with -EAGAIN (-5) and nothing else breaks; the children are killed after.
    .include "ulib.s"
main:
    ENTER 2
    li   t0, 2
    blt  a0, t0, 1f
2:  li   a0, 1000000                 # a child: sleep (in cooperative mode: yield)
    call sleep
    j    2b
1:  li   s0, 0                       # children started
3:  la   a0, name
    la   a1, child_argv
    call spawn
    bltz a0, 4f
    la   t0, pids
    slli t1, s0, 2
    add  t0, t0, t1
    sw   a0, 0(t0)
    addi s0, s0, 1
    j    3b
4:  mv   s1, a0
    la   a0, msg1
    call puts
    mv   a0, s0
    call print_num
    la   a0, msg2
    call puts
    mv   a0, s1
    call print_num
    li   a0, 10
    call putc
5:  beqz s0, 6f                      # kill and collect them all
    addi s0, s0, -1
    la   t0, pids
    slli t1, s0, 2
    add  t0, t0, t1
    lw   s1, 0(t0)
    mv   a0, s1
    call kill
    mv   a0, s1
    li   a1, 0
    li   a2, 0
    call wait
    j    5b
6:  la   a0, msg3
    call puts
    li   a0, 0
    LEAVE 2
    ret

    .data
name:  .asciz "fill"
arg_c: .asciz "child"
msg1:  .asciz "fill: started "
msg2:  .asciz " children, then spawn returned "
msg3:  .asciz "fill: all children killed and collected\n"
    .align 4
child_argv: .word name, arg_c, 0
pids:  .space 4 * 16
