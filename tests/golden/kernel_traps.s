# lde-args: --ram 1 --trace -
# Traps from kernel mode with IE = 1 nest on the current sp (kernel->kernel):
# a byte access to a device, a word just past RAM, a syscall.  The handler
# prints the cause and faddr and skips the instruction.
        .include "kio.inc"
        .equ RAM_END, 0x100000
        .global _start
_start:
        li   sp, 0x8000
        la   t0, table
        mtcr ttb, t0
        li   t0, 2
        mtcr status, t0                 # IE = 1, still kernel mode
        li   t0, CONSOLE
        lb   t1, 0(t0)                  # devices: words only -> protection
        lw   a0, 0(t0)                  # a word is fine: TX reads as 0
        call kputdec
        li   a0, '\n'
        call kputc
        li   t0, RAM_END - 4
        lw   t1, 0(t0)                  # the last word of RAM: fine
        lw   t1, 4(t0)                  # one past: protection
        syscall                         # nests with IE = 1
        mfcr a0, status
        call kputdec                    # 3: kernel mode, IE = 1 again after rett
        li   a0, '\n'
        call kputc
        halt zero

handler:
        mfcr a0, cause
        call kputdec
        li   a0, ' '
        call kputc
        mfcr a0, faddr
        call kputhex
        li   a0, '\n'
        call kputc
        mfcr t0, cause
        beqz t0, 1f                     # syscall: the saved pc is already past it
        lw   t0, 0x40(sp)
        addi t0, t0, 4
        sw   t0, 0x40(sp)
1:      rett

        .align 4
table:  .word handler, handler, handler, handler, handler, handler, handler, handler
        .word handler, handler, handler, handler, handler, handler, handler, handler
