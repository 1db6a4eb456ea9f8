# data.s - the trap table, the system-call table, messages and variables.

    .data
    .align 16
# Trap table: entry k = handler for cause k (isa.h).  ttb points here.
trap_table:
    .word h_syscall, h_timer, h_console, h_disk
    .word h_fault, h_fault, h_fault, h_fault, h_fault, h_fault
    .word h_reserved, h_reserved, h_reserved, h_reserved, h_reserved, h_reserved

# System-call table: entry n = sys_NAME, the handler of system call n,
# made from the list in sysnum.s (h_syscall refuses numbers >= NSYSCALLS).
    .macro SYS_ENTRY name, const, number
    .word sys_\name
    .endm
syscall_table:
    SYSCALLS SYS_ENTRY

# What each cause is called in kill and panic messages (index = cause).
cause_texts:
    .word ct_syscall, ct_timer, ct_console, ct_disk, ct_illegal, ct_priv
    .word ct_divzero, ct_prot, ct_misaligned, ct_brk, ct_unknown

# Variables.
next_pid:   .word 1              # pid of the next process created
cur:        .word 0              # running process-table entry (0 during boot)
ticks:      .word 0              # timer ticks since boot
boot_flags: .word 0              # a0 at boot
ram_size:   .word 0              # a1 at boot (or DEFAULT_RAM)
quantum:    .word 0              # a2 at boot (or DEFAULT_QUANTUM)
dir_blocks: .word 0              # directory blocks in dirbuf
probing:    .word 0              # disk_probe: 1 probing, 2 it faulted
con_head:   .word 0              # console ring: bytes taken by read()
con_tail:   .word 0              #   bytes put in by console_drain (con_head + 4)
con_eof:    .word 0              # console input has ended

# Arguments of init (argbuf format: argc, bytes of strings, strings).
init_args:
    .word 1, 5
    .asciz "init"

str_init:      .asciz "init"
msg_kpid:      .asciz "[kernel] pid "
msg_lparen:    .asciz " ("
msg_killed:    .asciz ") killed: "
msg_at:        .asciz " at 0x"
msg_addr:      .asciz " (address 0x"
msg_panic:     .asciz "[kernel] panic: "
msg_ram:       .asciz "not enough RAM (the kernel needs 2 MiB)"
msg_noinit:    .asciz "cannot start init (is it on the disk?)"
msg_nodisk:    .asciz "no disk attached (start lde with --disk FILE)"
msg_diskio:    .asciz "cannot read the disk"
msg_diskbad:   .asciz "the disk is not an lde disk (bad superblock)"
msg_dirbig:    .asciz "the disk has more directory blocks than the 4 this kernel reads" # DIR_BLOCKS_MAX
msg_zombie:    .asciz "a zombie was scheduled"
ct_syscall:    .asciz "system call"
ct_timer:      .asciz "timer interrupt"
ct_console:    .asciz "console interrupt"
ct_disk:       .asciz "disk interrupt"
ct_illegal:    .asciz "illegal instruction"
ct_priv:       .asciz "privileged instruction"
ct_divzero:    .asciz "division by zero"
ct_prot:       .asciz "protection fault"
ct_misaligned: .asciz "misaligned access"
ct_brk:        .asciz "breakpoint"
ct_unknown:    .asciz "unknown trap"

    .bss
    .align 16
proc_table:     .space NPROC * PCB_SIZE
proc_table_end:
dirbuf:         .space DIR_BLOCKS_MAX * BLOCK_SIZE   # superblock + directory
# argbuf, kname (and the STAGE buffer) serve one system call at a time: the
# kernel never switches processes inside spawn or readfile (interrupts are
# off, and disk_read waits instead of calling sched), so no second call can
# use them before the first is done with them.
argbuf:         .space 8 + ARGBUF_STRINGS            # spawn: argc, size, strings
argbuf_end:
kname:          .space 32                            # spawn/readfile: the name
con_buf:        .space CON_BUF_SIZE                  # console input ring
slot_used:      .space NSLOTS                        # 1 = memory slot in use
    .align 4
kernel_end:
