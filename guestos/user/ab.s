# ab - time sharing made visible: two processes print letters with a busy
# delay between them.  `ab` prints 'a' and starts `ab b`, which prints 'b';
# with the timer on their letters interleave, in cooperative mode they do not.
    .equ LETTERS, 12
    .equ DELAY, 1500                 # loop iterations (2 cycles each) per letter
    .include "ulib.s"
main:
    ENTER 3
    li   s0, 'a'
    li   s1, 0                       # child pid (parent only)
    li   t0, 2
    blt  a0, t0, 1f
    lw   t0, 4(a1)                   # argv[1][0] is my letter
    lbu  s0, 0(t0)
    j    2f
1:  la   a0, name
    la   a1, child_argv
    call spawn
    mv   s1, a0
2:  li   s2, LETTERS
3:  mv   a0, s0
    call putc
    li   t0, DELAY
4:  addi t0, t0, -1
    bnez t0, 4b
    addi s2, s2, -1
    bnez s2, 3b
    blez s1, 5f
    mv   a0, s1                      # the parent waits, then ends the line
    li   a1, 0
    li   a2, 0
    call wait
    li   a0, 10
    call putc
5:  li   a0, 0
    LEAVE 3
    ret

    .data
name:  .asciz "ab"
arg_b: .asciz "b"
    .align 4
child_argv: .word name, arg_b, 0
