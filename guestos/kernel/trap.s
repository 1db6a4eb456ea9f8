# trap.s - trap handlers.  On entry the hardware has pushed a trap frame
# (layout.s FR_*) on the current process's kernel stack (from user mode:
# ksp; the boot stack for the probe's fault) and sp points to it; every
# other register still holds the user's value.  Handlers may use any
# register: return-from-trap restores them all from the frame.
# (LDE protocol: the hardware has saved the registers and entered kernel
# mode; these handlers are "handle the trap".)

# System call: number in a5, arguments in a0..a4, result into the frame's a0.
h_syscall:
    TRACE T_SYSCALL, a5
    sltiu t0, a5, NSYSCALLS
    beqz t0, 1f
    slli t0, a5, 2
    la   t1, syscall_table
    add  t1, t1, t0
    lw   t1, 0(t1)
    jalr ra, t1, 0
    sw   a0, FR_A0(sp)
    j    trap_return
1:  li   a0, -ENOSYS
    sw   a0, FR_A0(sp)
    j    trap_return

# Return to the current process: sp = its trap frame.  (LDE protocol:
# return-from-trap - restore the registers, user mode, jump to its pc.)
trap_return:
    CUR  t0
    lw   t0, P_PID(t0)
    TRACE T_RETT, t0
    rett

# A new process starts here: switch() "returns" to it with sp = the frame
# that proc_create built.
proc_start:
    j    trap_return

# Timer interrupt: a tick.  The running process goes to the back of the
# round robin; sched() may switch to another process.
h_timer:
    TRACEI T_TRAP, CAUSE_TIMER
    call poll_devices
    GIVE_UP ST_RUNNABLE
    j    trap_return

# Console interrupt: input arrived; move it into the kernel's ring.  (Only
# the console: a timer tick that came meanwhile keeps its line high and is
# h_timer's, as soon as this returns.)
h_console:
    TRACEI T_TRAP, CAUSE_CONSOLE
    call console_drain
    j    trap_return

# Disk interrupt: the kernel waits for its transfers itself; acknowledge.
h_disk:
    TRACEI T_TRAP, CAUSE_DISK
    lui  t0, DEV_HI
    sw   zero, DSK_STATUS(t0)
    j    trap_return

# An exception: kill the process that caused it, or panic if it was the kernel.
h_fault:
    lw   s0, FR_CAUSE(sp)
    TRACE T_TRAP, s0
    lw   t0, FR_STATUS(sp)
    andi t0, t0, STATUS_KERNEL
    bnez t0, kernel_fault
    la   t0, cur
    lw   s1, 0(t0)
    la   a0, msg_kpid
    call kputs
    lw   a0, P_PID(s1)
    call kputdec
    la   a0, msg_lparen
    call kputs
    addi a0, s1, P_NAME
    call kputs
    la   a0, msg_killed
    call kputs
    mv   a0, s0
    call cause_text
    call kputs
    la   a0, msg_at
    call kputs
    lw   a0, FR_PC(sp)
    call kputhex
    lw   a0, FR_FADDR(sp)
    mv   a1, s0
    call put_faddr
    li   a0, 10
    call kputc
    lw   t0, P_PID(s1)
    TRACE T_KILL, t0
    addi a0, s0, KILLED_BASE
    j    proc_exit

# a0 = faddr, a1 = cause: for protection and misaligned faults print
# " (address 0x...)".
put_faddr:
    addi t0, a1, -CAUSE_PROTECTION   # CAUSE_MISALIGNED is the next one
    sltiu t0, t0, 2
    beqz t0, 1f
    push ra
    push a0
    la   a0, msg_addr
    call kputs
    pop  a0
    call kputhex
    li   a0, ')'
    call kputc
    pop  ra
1:  ret

# A trap from kernel mode.  The kernel runs with interrupts off, so the
# hardware turns its own faults into a double fault; this path is reached
# only while probing for the disk (IE on).
kernel_fault:
    la   t0, probing
    lw   t1, 0(t0)
    beqz t1, 1f
    li   t1, 2                       # probe faulted: skip the probing load
    sw   t1, 0(t0)
    lw   t0, FR_PC(sp)
    addi t0, t0, 4
    sw   t0, FR_PC(sp)
    rett
1:
panic_cause:
    la   a0, msg_panic
    call kputs
    mv   a0, s0
    call cause_text
    call kputs
    la   a0, msg_at
    call kputs
    lw   a0, FR_PC(sp)
    call kputhex
    li   a0, 10
    call kputc
    li   a0, PANIC_CODE
    halt a0

# A reserved trap-table entry (cause 10..15): cannot happen; panic.
h_reserved:
    lw   s0, FR_CAUSE(sp)
    j    panic_cause

# a0 = cause -> a0 = its description.
cause_text:
    sltiu t0, a0, NCAUSES
    bnez t0, 1f
    li   a0, NCAUSES                 # the entry after the last: "reserved"
1:  slli t0, a0, 2
    la   t1, cause_texts
    add  t1, t1, t0
    lw   a0, 0(t1)
    ret

# panic: print "[kernel] panic: <a0>" and halt with PANIC_CODE.
panic:
    mv   s0, a0
    la   a0, msg_panic
    call kputs
    mv   a0, s0
    call kputs
    li   a0, 10
    call kputc
    li   a0, PANIC_CODE
    halt a0
