# layout.s - every layout the kernel shares between its files, as constants:
# memory map, trap frame (isa.h), process-table entry, device registers,
# trace-port steps.  Documented with byte offsets in docs/syscalls.md.

    .include "../include/sysnum.s"

# ---- Physical memory map
    .equ KSTACK_SIZE,     0x1000     # one kernel stack per process-table entry
    .equ KSTACKS,         0x40000    # kernel stacks: KSTACKS + i*KSTACK_SIZE .. +KSTACK_SIZE
    .equ BOOT_STACK_TOP,  0x51000    # boot stack (0x50000..0x51000), abandoned after boot
    .equ STAGE,           0x60000    # staging buffer for files read from the disk
    .equ STAGE_SIZE,      0x20000    # 128 KiB: largest file the kernel loads
    .equ USER_BASE,       0x100000   # user memory: NSLOTS slots of SLOT_SIZE bytes
    .equ SLOT_SIZE,       0x10000    # 64 KiB per process: base = USER_BASE + k*SLOT_SIZE
    .equ SLOT_SHIFT,      16         # SLOT_SIZE = 1 << SLOT_SHIFT
    .equ NSLOTS,          16
    .equ USER_END,        0x200000   # RAM the kernel needs (2 MiB)
    .equ USER_STACK_MIN,  0x1000     # a program image may use SLOT_SIZE - this
    .equ KERNEL_LIMIT,    0x40000    # the kernel image must end below the kernel stacks (test kernel-fits)

# ---- Boot protocol (registers at entry) and defaults
    .equ BOOT_COOP,        1         # a0 bit 0: cooperative mode, no timer
    .equ DEFAULT_QUANTUM,  10000     # cycles per time slice when a2 = 0
    .equ DEFAULT_RAM,      0x1000000 # assumed when a1 = 0

# ---- Trap frame (isa.h ISA_FRAME_*): pushed by the hardware, popped by rett
    .equ FR_CAUSE,   0x00
    .equ FR_A0,      0x04            # r1; rN is at 4*N
    .equ FR_A1,      0x08
    .equ FR_A2,      0x0c
    .equ FR_SP,      0x38            # r14: the interrupted sp
    .equ FR_RA,      0x3c            # r15
    .equ FR_PC,      0x40
    .equ FR_STATUS,  0x44
    .equ FR_FADDR,   0x48
    .equ FRAME_SIZE, 0x50
    .equ STATUS_KERNEL, 1
    .equ STATUS_IE,     2

# ---- Trap causes (isa.h ISA_CAUSE_*): the trap table's order
    .equ CAUSE_SYSCALL,    0
    .equ CAUSE_TIMER,      1
    .equ CAUSE_CONSOLE,    2
    .equ CAUSE_DISK,       3
    .equ CAUSE_PROTECTION, 7
    .equ CAUSE_MISALIGNED, 8
    .equ NCAUSES,          10        # causes 10..15 are reserved

# ---- Process-table entry (one per process; NPROC of them, sysnum.s)
    .equ P_PID,      0               # process id (1 = init), 0 when unused
    .equ P_STATE,    4               # ST_* (sysnum.s)
    .equ P_PARENT,   8               # parent's pid (0: none)
    .equ P_STATUS,   12              # exit status, kept while ST_ZOMBIE
    .equ P_BASE,     16              # user memory: physical address of user address 0
    .equ P_BOUNDS,   20              # user memory: size in bytes
    .equ P_KTOP,     24              # top of its kernel stack (loaded into ksp)
    .equ P_CTX_SP,   28              # saved kernel context (switch): sp
    .equ P_CTX_RA,   32              #   ra: where switch() returns to
    .equ P_CTX_S0,   36              #   s0..s3: callee-saved registers
    .equ P_CTX_S1,   40
    .equ P_CTX_S2,   44
    .equ P_CTX_S3,   48
    .equ P_WAKE,     52              # ST_SLEEPING: tick at which to wake
    .equ P_SLOT,     56              # memory slot index, -1 if none
    .equ P_NAME,     64              # 16 bytes, NUL-terminated
    .equ NAME_MAX,   15
    .equ PCB_SIZE,   80

# ---- Devices (offsets from DEV = 0xf0000000, reached with `lui rX, DEV_HI`)
    .equ DEV_HI,        0xf000
    .equ CON_TX,        0x000
    .equ CON_RX,        0x004
    .equ CON_STATUS,    0x008
    .equ CON_CTRL,      0x00c
    .equ TMR_CTRL,      0x100
    .equ TMR_INTERVAL,  0x104
    .equ TMR_STATUS,    0x10c
    .equ DSK_BLOCK,     0x200
    .equ DSK_ADDR,      0x204
    .equ DSK_COUNT,     0x208
    .equ DSK_CMD,       0x20c
    .equ DSK_STATUS,    0x210
    .equ DSK_CTRL,      0x214
    .equ DSK_NBLOCKS,   0x218
    .equ TRC_STEP,      0x300
    .equ TRC_NAME,      0x304
    .equ TRC_PID,       0x308
    .equ TRC_VALUE,     0x30c
    .equ CON_RX_READY,  1            # CON_STATUS: a byte is waiting in RX
    .equ CON_RX_EOF,    2            # CON_STATUS: the input has ended
    .equ CON_RXIE,      1            # CON_CTRL: interrupt while a byte waits
    .equ TMR_ENABLE,    1            # TMR_CTRL bits
    .equ TMR_PERIODIC,  2
    .equ TMR_PENDING,   1            # TMR_STATUS: fired; writing it acknowledges
    .equ BLOCK_SIZE,    512
    .equ BLOCK_SHIFT,   9
    .equ DSK_CMD_READ,  1            # DSK_CMD: disk to RAM
    .equ DSK_CTRL_IE,   1            # DSK_CTRL: raise the DISK line on completion
    .equ DSK_BUSY,      1            # DSK_STATUS while a transfer runs

# ---- Disk format (devices/disk.h, docs/disk.md)
    .equ DISK_MAGIC,      0x4445444c # "LDED"
    .equ SB_DIR_BLOCKS,   0x0c
    .equ DIR_FIRST,       32         # first entry, after the superblock
    .equ DIR_ENTRY,       32
    .equ DIR_BLOCKS_MAX,  4
    .equ DE_SIZE,         0x18
    .equ DE_START,        0x1c
    .equ FILE_NAME_MAX,   23

# ---- LDEX image header (asm/image.h)
    .equ IMG_MAGIC,     0x5845444c   # "LDEX"
    .equ IMG_ENTRY,     0x08
    .equ IMG_NSECT,     0x0c
    .equ IMG_HDR,       0x20
    .equ IMG_MAX_SECT,  16

# ---- Trace-port steps (devices/trace.h): STEP = code | arg << 8
    .equ T_BOOT,    1
    .equ T_TRAP,    2
    .equ T_SYSCALL, 3
    .equ T_SCHED,   4
    .equ T_SAVE,    5
    .equ T_RESTORE, 6
    .equ T_RETT,    7
    .equ T_CREATE,  8
    .equ T_EXIT,    9
    .equ T_KILL,    10
    .equ T_IDLE,    11
    .equ T_REAP,    12
    .equ T_ALLOC,   13
    .equ T_LOAD,    14
    .equ T_STACK,   15
    .equ T_FREE,    16
# ... and the phases of T_BOOT (devices/trace.c words them).
    .equ BOOT_TABLES,  1             # trap table and kernel stack installed
    .equ BOOT_DISK,    2             # disk directory read
    .equ BOOT_TIMER,   3             # timer programmed: preemptive time sharing
    .equ BOOT_NOTIMER, 4             # cooperative mode: timer left off
    .equ BOOT_ENTER,   5             # first process created, entering it

# Exit statuses the kernel gives.
    .equ KILLED_BASE,  128           # killed by a fault: 128 + cause
    .equ KILLED_KILL,  143           # killed by kill()
    .equ PANIC_CODE,   101           # halt code after a kernel panic

# TRACE step, reg: report a step whose argument is in a register (not t1
# or t2: the macro uses them).  Clobbers t1 and t2.
    .macro TRACE step, reg
    slli t2, \reg, 8
    ori  t2, t2, \step
    lui  t1, DEV_HI
    sw   t2, TRC_STEP(t1)
    .endm

# CUR reg: reg = cur, the entry of the running process.
    .macro CUR reg
    la   \reg, cur
    lw   \reg, 0(\reg)
    .endm

# GIVE_UP state: the running process gives up the CPU - it becomes
# `state` (RUNNABLE to take its next turn, or a blocked state) and sched()
# runs others until it may run again.  Clobbers what a call does.
    .macro GIVE_UP state
    CUR  t0
    li   t1, \state
    sw   t1, P_STATE(t0)
    call sched
    .endm

# TRACEI step, value: report a step with a constant argument.  Clobbers t1, t2.
    .macro TRACEI step, value
    li   t2, (\value << 8) | \step
    lui  t1, DEV_HI
    sw   t2, TRC_STEP(t1)
    .endm

# spawn(): at most MAX_ARGS arguments (sysnum.s), ARGBUF_STRINGS bytes of strings.
    .equ ARGBUF_STRINGS,  512
    .equ CON_BUF_SIZE,    256        # console input ring (a power of two)

# TRACEV step, reg, value: report a step (argument in reg) with a detail
# value (a register) shown in its text.  reg and value may not be t1 or t2:
# t1 is overwritten before they are read.  Clobbers t1 and t2.
    .macro TRACEV step, reg, value
    lui  t1, DEV_HI
    sw   \value, TRC_VALUE(t1)
    slli t2, \reg, 8
    ori  t2, t2, \step
    sw   t2, TRC_STEP(t1)
    .endm
