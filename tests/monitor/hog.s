# hog - two processes that never give the processor back: `hog` starts
# `hog b` and both loop forever without a system call.  Only the timer
# interrupt takes the CPU from one and gives it to the other (the monitor
# walkthrough "watch the timer take the CPU", docs/monitor.md).
    .include "ulib.s"
main:
    li   t0, 2
    bge  a0, t0, 1f                  # the child: just spin
    la   a0, name
    la   a1, child_argv
    call spawn
1:  j    1b

    .data
name:       .asciz "hog"
arg_b:      .asciz "b"
    .align 4
child_argv: .word name, arg_b, 0
