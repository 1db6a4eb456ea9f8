# trapper.s - a guest that makes a system call every 4 cycles forever:
# user code `syscall; j` and a handler that only returns (syscall, the
# trap's entry, rett and j: a cycle each).  Every trap and
# rett is an event for the trace and the window's timeline, which must
# stream or drop them, never keep them all (tests/fuzz/limits.sh).
        .equ KSTACK_TOP, 0x8000         # kernel stack (ksp)
        .equ FRAME,      80             # trap frame size
        .text
        .global _start
_start:
        la   t0, table
        mtcr ttb, t0
        li   sp, KSTACK_TOP
        mtcr ksp, sp
        la   t0, user                   # the user program sees itself at 0
        mtcr base, t0
        li   t0, 0x1000
        mtcr bounds, t0
        addi sp, sp, -FRAME             # a frame of zeros: pc 0, user mode
        li   t0, 0
1:      add  t1, sp, t0
        sw   zero, 0(t1)
        addi t0, t0, 4
        slti t1, t0, FRAME
        bnez t1, 1b
        rett
handler:
        rett

        .align 64
table:
        .word handler, handler, handler, handler, handler, handler, handler, handler
        .word handler, handler, handler, handler, handler, handler, handler, handler

        .align 4096
user:
        syscall
        j    user
