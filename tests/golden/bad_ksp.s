# A trap from user mode with ksp = 0 has nowhere to put its frame
# (0 - 80 wraps to 0xffffffb0, outside RAM): double fault.
        .text
        .global _start
_start:
        li   sp, 0x8000
        la   t0, table
        mtcr ttb, t0                    # ksp is left 0 (reset value)
        li   t0, 0x1000
        mtcr bounds, t0
        addi sp, sp, -80                # enter user mode at user_code (base 0)
        la   t0, user_code
        sw   t0, 0x40(sp)
        sw   zero, 0x44(sp)
        rett
user_code:
        syscall
handler:
        halt zero
        .align 4
table:  .word handler, handler, handler, handler, handler, handler, handler, handler
        .word handler, handler, handler, handler, handler, handler, handler, handler
