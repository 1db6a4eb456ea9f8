# hostile.s - what the hostile programs priv, poke, jump and illegal share
# (included after ulib.s).  `PROG ARG` makes one attack, which the kernel
# should stop by killing the process; `PROG` alone runs `PROG ARG` for each
# ARG of a table, each in a child of its own, one after the other.

# hostile_main(a0 = argc, a1 = argv, a2 = attack, a3 = program name,
#              a4 = table of argument strings, ending with 0,
#              a5 = message printed after the table, or 0) -> exit status.
# With an argument: returns attack(atoi(argv[1])); an attack returns only
# if it was not stopped, with the status to exit with.  Without: runs the
# table and returns 0.
hostile_main:
    ENTER 2
    li   t0, 2
    blt  a0, t0, 1f
    mv   s0, a2
    lw   a0, 4(a1)
    call atoi
    jalr ra, s0, 0
    j    9f
1:  la   t0, hostile_argv            # argv = { name, ARG, 0 }
    sw   a3, 0(t0)
    mv   s0, a4
    mv   s1, a5
2:  lw   t0, 0(s0)
    beqz t0, 3f
    la   a0, hostile_argv
    sw   t0, 4(a0)
    call run
    addi s0, s0, 4
    j    2b
3:  beqz s1, 4f
    mv   a0, s1
    call puts
4:  li   a0, 0
9:  LEAVE 2
    ret

    .data
    .align 4
hostile_argv: .word 0, 0, 0
    .text

# HOSTILE_MAIN attack, name, table, done: a program's main (argc and argv
# in a0, a1), made of hostile_main with these arguments; done may be 0.
    .macro HOSTILE_MAIN attack, name, table, done
main:
    la   a2, \attack
    la   a3, \name
    la   a4, \table
    li   a5, \done
    j    hostile_main                # its result is main's
    .endm
