# lde-args: --trace -
# demo.s - Limited Direct Execution on the bare LDE32 machine, in one page.
#
# The kernel boots in kernel mode with interrupts off, then
#   1. installs its trap table (ttb), kernel stack (ksp) and the user
#      program's memory window (base, bounds),
#   2. starts a one-shot timer,
#   3. enters the user program with rett, from a frame it built by hand.
# The user program prints through system calls, spins until the timer
# interrupt has been handled, and exits with code 7; the kernel halts
# with that code.  Run it with:  build/emu/lde build/emu/demo.img --trace -

        .equ CONSOLE,    0xf0000000     # console TX register
        .equ TIMER,      0xf0000100     # timer CTRL; INTERVAL at +4, STATUS at +0xc
        .equ KSTACK_TOP, 0x8000         # top of the kernel stack (ksp)
        .equ USER_SIZE,  0x1000         # bounds: the user sees 4 KiB
        .equ FRAME,      80             # trap frame size
        .equ F_A0,       0x04           # frame slot of a0 (r1)
        .equ F_SP,       0x38           # frame slot of sp (r14)
        .equ F_PC,       0x40           # frame slot of pc
        .equ F_STATUS,   0x44           # frame slot of status
        .equ SYS_EXIT,   0              # a5 = 0: exit(a0)
        .equ SYS_PUTC,   1              # a5 = 1: putc(a0)
        .equ U_TICKS,    4              # user address of the tick counter

        .text
        .global _start
_start:
        li   sp, KSTACK_TOP             # a stack for the boot code
        la   a0, msg_boot
        call kputs

        la   t0, trap_table             # 1. the trap table ...
        mtcr ttb, t0
        li   t0, KSTACK_TOP             # ... the kernel stack used on traps from user mode
        mtcr ksp, t0
        la   t0, user_start             # ... user address 0 is physical user_start
        mtcr base, t0
        li   t0, USER_SIZE              # ... and the user may touch [0, USER_SIZE)
        mtcr bounds, t0

        li   t0, TIMER                  # 2. one-shot timer, 400 cycles from now
        li   t1, 400
        sw   t1, 4(t0)                  # INTERVAL
        li   t1, 1
        sw   t1, 0(t0)                  # CTRL = enable (one-shot)

        addi sp, sp, -FRAME             # 3. a frame that "returns" to user mode
        mv   t0, sp
        addi t1, sp, FRAME
1:      sw   zero, 0(t0)                # every saved register starts at 0
        addi t0, t0, 4
        bne  t0, t1, 1b
        li   t0, USER_SIZE
        sw   t0, F_SP(sp)               # user sp: top of its window
        sw   zero, F_PC(sp)             # user pc: address 0
        li   t0, 2
        sw   t0, F_STATUS(sp)           # status: user mode (bit0 = 0), IE = 1
        rett

# ---- trap handlers.  On entry sp = the frame; the user's registers are
# ---- still in the registers and also saved in the frame; rett restores them.

on_syscall:
        li   t0, SYS_PUTC
        beq  a5, t0, 1f
        li   t0, SYS_EXIT
        beq  a5, t0, 2f
        li   a0, -1                     # unknown call: return -1 in a0
        sw   a0, F_A0(sp)
        rett
1:      call kputc                      # putc(a0)
        rett
2:      mv   s0, a0                     # exit(a0)
        la   a0, msg_exit
        call kputs
        addi a0, s0, '0'
        call kputc
        li   a0, '\n'
        call kputc
        halt s0

on_timer:
        li   t0, TIMER
        li   t1, 1
        sw   t1, 0xc(t0)                # acknowledge: the line goes low
        la   t0, user_start             # ticks++ in user memory (physical address)
        lw   t1, U_TICKS(t0)
        addi t1, t1, 1
        sw   t1, U_TICKS(t0)
        la   a0, msg_timer
        call kputs
        rett

on_other:
        la   a0, msg_other
        call kputs
        mfcr a0, cause
        addi a0, a0, 100
        halt a0                         # unexpected trap: halt with 100 + cause

kputc:                                  # write the byte a0 to the console
        li   t0, CONSOLE
        sw   a0, 0(t0)
        ret

kputs:                                  # write the NUL-terminated string at a0
        li   t0, CONSOLE
1:      lbu  t1, 0(a0)
        beqz t1, 2f
        sw   t1, 0(t0)
        addi a0, a0, 1
        j    1b
2:      ret

        .align 4
trap_table:
        .word on_syscall                # 0 SYSCALL
        .word on_timer                  # 1 TIMER
        .word on_other, on_other        # 2 CONSOLE, 3 DISK
        .word on_other, on_other        # 4 ILLEGAL, 5 PRIVILEGED
        .word on_other, on_other        # 6 DIV_ZERO, 7 PROTECTION
        .word on_other, on_other        # 8 MISALIGNED, 9 BREAKPOINT
        .word on_other, on_other, on_other, on_other, on_other, on_other

msg_boot:  .asciz "kernel: booting, entering user mode\n"
msg_timer: .asciz "kernel: timer interrupt\n"
msg_exit:  .asciz "kernel: user program exited with code "
msg_other: .asciz "kernel: unexpected trap\n"

# ---- the user program.  It runs at user addresses starting at 0, so it
# ---- uses only pc-relative jumps and small absolute user addresses.

        .align 16
user_start:
        j    user_main                  # user address 0: the entry point
        .word 0                         # user address 4: ticks, bumped by the kernel
user_main:
        li   a5, SYS_PUTC
        li   a0, 'h'
        syscall
        li   a0, 'i'
        syscall
        li   a0, '\n'
        syscall
1:      lw   t0, U_TICKS(zero)          # spin until the timer has interrupted us
        beqz t0, 1b
        li   a5, SYS_EXIT
        li   a0, 7
        syscall
