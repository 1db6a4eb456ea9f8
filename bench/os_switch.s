# os_switch.s - the `switch` workload: two user processes under the guest
# OS yield to each other YIELDS times in all (YIELDS / 2 each).  The parent
# spawns the child (this program with an argument), both count their own
# yields; the child exits with its count, the parent waits for it and
# prints the sum.  YIELDS comes from lde-as -D.
    .include "ulib.s"
    .equ N_YIELDS, YIELDS
main:
    addi sp, sp, -16
    sw   ra, 12(sp)
    sw   s0, 8(sp)
    sw   s1, 4(sp)
    sw   s2, 0(sp)
    mv   s2, a0                      # argc: 1 = parent, 2 = child
    li   t0, 2
    beq  s2, t0, 1f
    la   a0, name
    la   a1, child_argv
    call spawn
    mv   s2, a0                      # the child's pid
1:  li   s0, N_YIELDS / 2            # yields left
    li   s1, 0                       # yields done
2:  call yield
    addi s1, s1, 1
    addi s0, s0, -1
    bnez s0, 2b
    li   t0, 2
    mv   a0, s1
    beq  s2, t0, 3f                  # the child exits with its count
    mv   a0, s2
    addi a1, sp, -4                  # wait(pid, &status, 0)
    addi sp, sp, -4
    li   a2, 0
    call wait
    lw   a0, 0(sp)
    addi sp, sp, 4
    add  a0, a0, s1
    call print_num
    li   a0, '\n'
    call putc
    li   a0, 0
3:  lw   ra, 12(sp)
    lw   s0, 8(sp)
    lw   s1, 4(sp)
    lw   s2, 0(sp)
    addi sp, sp, 16
    ret

    .data
name:  .asciz "os_switch"
arg_c: .asciz "child"
    .align 4
child_argv: .word name, arg_c, 0
