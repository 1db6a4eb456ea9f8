# kernel.s - the lde guest kernel.  Assemble this file; it includes the rest.
#
#   kernel.s   (this file)  entry, boot: trap table, kernel stack, disk, init, timer
#   trap.s     trap handlers: syscall dispatch, timer, console, faults, return-from-trap
#   proc.s     process table: create, exit, kill, scheduler, switch()
#   syscall.s  the system calls
#   dev.s      drivers: console (input ring), disk, kernel printing
#   lib.s      memcpy, memzero, string helpers
#   data.s     trap table, syscall table, messages, kernel variables
#
# Boot protocol (from the front-end): a0 = flags (bit 0: cooperative mode),
# a1 = RAM size in bytes, a2 = timer quantum in cycles (0: default).
# The kernel runs with interrupts off (IE = 0) - but for one load while
# probing for the disk at boot (dev.s disk_probe); user processes run with
# IE = 1, so every interrupt arrives from user mode.

    .include "../include/frame.s"    # ENTER/LEAVE: the function frame
    .include "layout.s"

    .text
    .global _start
_start:
    li   sp, BOOT_STACK_TOP
    la   t0, boot_flags
    sw   a0, 0(t0)
    bnez a1, 1f
    li   a1, DEFAULT_RAM
1:  la   t0, ram_size
    sw   a1, 0(t0)
    bnez a2, 2f
    li   a2, DEFAULT_QUANTUM
2:  la   t0, quantum
    sw   a2, 0(t0)
    # The trap table: from now on every trap goes to a handler we chose.
    la   t0, trap_table
    mtcr ttb, t0
    li   t0, BOOT_STACK_TOP          # ksp: where a trap from user mode puts
    mtcr ksp, t0                     # its frame; each process gets its own
    TRACEI T_BOOT, BOOT_TABLES       # kernel stack at switch (proc.s switch_in)
    la   t0, ram_size
    lw   t0, 0(t0)
    li   t1, USER_END
    bgeu t0, t1, 3f
    la   a0, msg_ram
    j    panic
3:  call proc_init
    call disk_probe
    call disk_init
    TRACEI T_BOOT, BOOT_DISK
    # Console input: the RX interrupt tells us a byte is waiting.
    lui  t0, DEV_HI
    li   t1, CON_RXIE
    sw   t1, CON_CTRL(t0)
    # The first process.
    la   a0, str_init
    la   a1, init_args
    call proc_create
    bgez a0, 4f
    la   a0, msg_noinit
    j    panic
4:  mv   s0, a0
    # The timer, unless cooperative mode was asked for.
    la   t0, boot_flags
    lw   t0, 0(t0)
    andi t0, t0, BOOT_COOP
    bnez t0, 5f
    la   t0, quantum
    lw   t1, 0(t0)
    lui  t0, DEV_HI
    sw   t1, TMR_INTERVAL(t0)
    li   t1, TMR_ENABLE | TMR_PERIODIC
    sw   t1, TMR_CTRL(t0)
    TRACEI T_BOOT, BOOT_TIMER
    j    6f
5:  TRACEI T_BOOT, BOOT_NOTIMER
6:  TRACEI T_BOOT, BOOT_ENTER
    # Enter init: restore its context (nothing to save: the boot stack is
    # abandoned); it "returns" into proc_start, which does return-from-trap.
    mv   a1, s0
    j    switch_in

    .include "trap.s"
    .include "proc.s"
    .include "syscall.s"
    .include "dev.s"
    .include "lib.s"
    .include "data.s"
