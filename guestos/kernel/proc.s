# proc.s - the process table: creation, exit, kill, the round-robin
# scheduler and switch().  Entries are NPROC records of PCB_SIZE bytes at
# proc_table (layout in layout.s); `cur` points to the running one.

# proc_init: give each entry its kernel stack and no memory.
proc_init:
    la   a0, proc_table
    li   t0, KSTACKS + KSTACK_SIZE
    li   t1, -1
    li   t2, NPROC
1:  sw   t0, P_KTOP(a0)
    sw   t1, P_SLOT(a0)
    li   a1, KSTACK_SIZE
    add  t0, t0, a1
    addi a0, a0, PCB_SIZE
    addi t2, t2, -1
    bnez t2, 1b
    ret

# pcb_alloc -> a0 = an unused entry, or 0 if the table is full.
pcb_alloc:
    la   a0, proc_table
    li   t2, NPROC
1:  lw   t0, P_STATE(a0)
    beqz t0, 2f
    addi a0, a0, PCB_SIZE
    addi t2, t2, -1
    bnez t2, 1b
    li   a0, 0
2:  ret

# pcb_by_pid(a0 = pid) -> a0 = its entry (in use), or 0.
pcb_by_pid:
    mv   a1, a0
    la   a0, proc_table
    li   t2, NPROC
1:  lw   t0, P_STATE(a0)
    beqz t0, 2f
    lw   t0, P_PID(a0)
    beq  t0, a1, 3f
2:  addi a0, a0, PCB_SIZE
    addi t2, t2, -1
    bnez t2, 1b
    li   a0, 0
3:  ret

# slot_alloc -> a0 = index of a free memory slot, or -1.
slot_alloc:
    la   t0, slot_used
    li   a0, 0
    li   t2, NSLOTS
1:  add  t1, t0, a0
    lbu  t1, 0(t1)
    beqz t1, 2f
    addi a0, a0, 1
    bne  a0, t2, 1b
    li   a0, -1
    ret
2:  add  t1, t0, a0
    li   t2, 1
    sb   t2, 0(t1)
    ret

# slot_free(a0 = index or -1).
slot_free:
    bltz a0, 1f
    la   t0, slot_used
    add  t0, t0, a0
    sb   zero, 0(t0)
1:  ret

# proc_create(a0 = program name, a1 = arguments) -> a0 = new entry or -error.
# Both in kernel memory; the arguments are in argbuf format (data.s).
# The protocol's steps: create an entry, allocate memory, load the program
# from the disk, set up the user stack with argc/argv, and prepare a trap
# frame so that return-from-trap enters the program in user mode.
proc_create:
    ENTER 4
    mv   s0, a0
    mv   s1, a1
    call pcb_alloc
    beqz a0, 8f
    mv   s2, a0
    mv   a0, s0
    call dir_lookup
    beqz a0, 7f
    mv   s3, a0
    la   t0, next_pid                # the entry gets its pid and name now
    lw   t1, 0(t0)
    sw   t1, P_PID(s2)
    addi t1, t1, 1
    sw   t1, 0(t0)
    addi a0, s2, P_NAME
    mv   a1, s0
    li   a2, NAME_MAX
    call strlcpy
    call slot_alloc                  # 1. allocate memory
    bltz a0, 5f
    lui  t1, DEV_HI                  # tell the trace port the name of this pid
    addi t0, s2, P_NAME              # (it names the pid of the next step:
    sw   t0, TRC_NAME(t1)            # T_ALLOC below, so only once that is sure)
    sw   a0, P_SLOT(s2)
    slli t0, a0, SLOT_SHIFT          # slot k is at USER_BASE + k * SLOT_SIZE
    li   t1, USER_BASE
    add  t0, t0, t1
    sw   t0, P_BASE(s2)
    li   t1, SLOT_SIZE
    sw   t1, P_BOUNDS(s2)
    lw   a0, P_PID(s2)
    TRACEV T_ALLOC, a0, t0
    lw   a0, P_BASE(s2)              # fresh memory holds nothing of others
    li   a1, SLOT_SIZE
    call memzero
    lw   a0, DE_START(s3)            # 2. load the program from the disk
    lw   a1, DE_SIZE(s3)
    call file_to_stage
    bnez a0, 6f
    li   a0, STAGE
    lw   a1, DE_SIZE(s3)
    lw   a2, P_BASE(s2)
    call image_load
    bltz a0, 6f
    sw   a0, 8(sp)                   # entry point
    lw   t0, P_PID(s2)
    TRACEV T_LOAD, t0, a0
    mv   a0, s2                      # 3. the user stack with argc and argv
    mv   a1, s1
    call user_stack                  # a0 = sp, a1 = argv, a2 = argc
    lw   t0, P_PID(s2)
    TRACEV T_STACK, t0, a0
    lw   t0, P_KTOP(s2)              # 4. a trap frame that enters it in user mode
    addi t0, t0, -FRAME_SIZE
    sw   t0, P_CTX_SP(s2)
    sw   a0, FR_SP(t0)
    sw   a1, FR_A1(t0)
    sw   a2, FR_A0(t0)
    lw   t1, 8(sp)
    sw   t1, FR_PC(t0)
    li   t1, STATUS_IE               # user mode, interrupts on
    sw   t1, FR_STATUS(t0)
    la   t1, proc_start
    sw   t1, P_CTX_RA(s2)
    CUR  t0
    beqz t0, 1f
    lw   t0, P_PID(t0)
1:  sw   t0, P_PARENT(s2)
    sw   zero, P_STATUS(s2)
    li   t0, ST_RUNNABLE
    sw   t0, P_STATE(s2)
    lw   t0, P_PID(s2)
    TRACE T_CREATE, t0
    mv   a0, s2
    j    9f
6:  mv   s3, a0                      # error after the slot was taken
    lw   a0, P_SLOT(s2)
    call slot_free
    li   t0, -1
    sw   t0, P_SLOT(s2)
    mv   a0, s3
    j    4f
5:  li   a0, -EAGAIN                 # no memory slot free
4:  sw   zero, P_PID(s2)             # the entry stays unused, its pid unspent
    la   t0, next_pid
    lw   t1, 0(t0)
    addi t1, t1, -1
    sw   t1, 0(t0)
    j    9f
7:  li   a0, -ENOENT
    j    9f
8:  li   a0, -EAGAIN
9:  LEAVE 4
    ret

# user_stack(a0 = process entry, a1 = arguments) -> a0 = user sp, a1 = argv, a2 = argc.
# At the top of user memory: the argument strings, below them argv[0..argc]
# (argv[argc] = 0), then the stack, 16-byte aligned.  Also zeroes the
# initial trap frame.
user_stack:
    ENTER 4
    mv   s0, a0
    mv   s1, a1
    lw   a0, P_KTOP(s0)
    addi a0, a0, -FRAME_SIZE
    li   a1, FRAME_SIZE
    call memzero
    lw   t0, 4(s1)                   # bytes of strings
    li   s2, SLOT_SIZE
    sub  s2, s2, t0
    andi t1, s2, 3
    sub  s2, s2, t1                  # s2 = user address of the strings
    lw   a0, P_BASE(s0)
    add  a0, a0, s2
    addi a1, s1, 8
    lw   a2, 4(s1)
    call memcpy
    lw   t0, 0(s1)                   # argc
    addi t0, t0, 1
    slli t0, t0, 2
    sub  s3, s2, t0                  # s3 = user address of argv
    lw   a0, P_BASE(s0)
    add  a0, a0, s3                  # physical argv
    lw   t2, 0(s1)                   # argc left
    addi a1, s1, 8                   # next string (kernel copy)
1:  beqz t2, 3f
    addi t0, s1, 8
    sub  t0, a1, t0
    add  t0, t0, s2
    sw   t0, 0(a0)
    addi a0, a0, 4
2:  lbu  t0, 0(a1)
    addi a1, a1, 1
    bnez t0, 2b
    addi t2, t2, -1
    j    1b
3:  sw   zero, 0(a0)
    srli a0, s3, 4                   # sp: 16-byte aligned below argv
    slli a0, a0, 4
    mv   a1, s3
    lw   a2, 0(s1)
    LEAVE 4
    ret

# image_load(a0 = image in kernel memory, a1 = its size, a2 = user base)
# -> a0 = entry point, or -ENOEXEC.  Checks every header field against the
# file and against the process's memory before copying a byte.
image_load:
    ENTER 4
    mv   s0, a0
    mv   s1, a1
    mv   s2, a2
    sltiu t0, s1, IMG_HDR
    bnez t0, 8f
    lw   t0, 0(s0)
    li   t1, IMG_MAGIC
    bne  t0, t1, 8f
    lw   t0, 4(s0)
    li   t1, 1
    bne  t0, t1, 8f
    lw   s3, IMG_NSECT(s0)
    sltiu t0, s3, IMG_MAX_SECT + 1
    beqz t0, 8f
    slli t0, s3, 4
    addi t0, t0, IMG_HDR
    bltu s1, t0, 8f
    sw   t0, 0(sp)                   # file offset of the next section's bytes
    addi t0, s0, IMG_HDR
    sw   t0, 4(sp)                   # next section header
1:  beqz s3, 2f
    lw   t0, 4(sp)
    lw   a3, 0(t0)                   # load address
    lw   a4, 4(t0)                   # size in file
    lw   a5, 8(t0)                   # size in memory
    bltu a5, a4, 8f
    li   t1, SLOT_SIZE - USER_STACK_MIN
    bltu t1, a3, 8f
    sub  t1, t1, a3
    bltu t1, a5, 8f
    lw   t2, 0(sp)
    sub  t1, s1, t2
    bltu t1, a4, 8f
    add  a0, s2, a3
    add  a1, s0, t2
    mv   a2, a4
    add  t2, t2, a4
    sw   t2, 0(sp)
    addi t0, t0, 16
    sw   t0, 4(sp)
    call memcpy
    addi s3, s3, -1
    j    1b
2:  lw   a0, IMG_ENTRY(s0)
    andi t0, a0, 3
    bnez t0, 8f
    li   t1, SLOT_SIZE - USER_STACK_MIN
    bltu a0, t1, 9f
8:  li   a0, -ENOEXEC
9:  LEAVE 4
    ret

# proc_zombify(a0 = entry, a1 = status): the process is gone: free its
# memory, give its children to init, keep the status for its parent, and
# wake the parent (and init) if waiting.
proc_zombify:
    ENTER 1
    mv   s0, a0
    sw   a1, P_STATUS(s0)
    lw   a0, P_SLOT(s0)
    call slot_free
    li   t0, -1
    sw   t0, P_SLOT(s0)
    sw   zero, P_BOUNDS(s0)
    lw   t0, P_PID(s0)
    TRACE T_FREE, t0
    lw   t0, P_PID(s0)
    la   a0, proc_table
    li   t2, NPROC
    li   a2, 1
    li   a3, 0                       # children handed to init
1:  lw   t1, P_STATE(a0)
    beqz t1, 2f
    lw   t1, P_PARENT(a0)
    bne  t1, t0, 2f
    sw   a2, P_PARENT(a0)
    addi a3, a3, 1
2:  addi a0, a0, PCB_SIZE
    addi t2, t2, -1
    bnez t2, 1b
    li   t0, ST_ZOMBIE
    sw   t0, P_STATE(s0)
    sw   a3, 0(sp)
    lw   a0, P_PARENT(s0)
    call wake_waiter
    lw   t0, 0(sp)
    beqz t0, 3f
    li   a0, 1                       # init may have a zombie to collect now
    call wake_waiter
3:
    LEAVE 1
    ret

# wake_waiter(a0 = pid): if that process is blocked in wait(), make it runnable.
wake_waiter:
    push ra
    call pcb_by_pid
    pop  ra
    beqz a0, 1f
    lw   t0, P_STATE(a0)
    li   t1, ST_WAITING
    bne  t0, t1, 1f
    li   t0, ST_RUNNABLE
    sw   t0, P_STATE(a0)
1:  ret

# proc_exit(a0 = status): the current process ends.  Never returns.
# When init ends, the machine halts with its status.
proc_exit:
    mv   s1, a0
    la   t0, cur
    lw   s0, 0(t0)
    lw   t0, P_PID(s0)
    TRACE T_EXIT, t0
    li   t1, 1
    bne  t0, t1, 1f
    halt s1
1:  mv   a0, s0
    mv   a1, s1
    call proc_zombify
    call sched
    la   a0, msg_zombie
    j    panic

# sched: run something else until the current process may run again.
# The caller has set cur's state (RUNNABLE to take a turn, or a blocked
# state).  Picks the next RUNNABLE entry after cur, round robin; if none,
# waits for an interrupt (idle) and polls the devices.
sched:
    push ra
1:  la   t0, cur
    lw   a1, 0(t0)
    mv   a0, a1
    la   a3, proc_table_end
    li   a4, ST_RUNNABLE
    li   t2, NPROC
2:  addi a0, a0, PCB_SIZE
    bltu a0, a3, 3f
    la   a0, proc_table
3:  lw   t0, P_STATE(a0)
    beq  t0, a4, 4f
    addi t2, t2, -1
    bnez t2, 2b
    TRACEI T_IDLE, 0
    wfi                              # IE is off: wfi only waits for a line;
    call poll_devices                # no handler runs, so look at them here
    j    1b
4:  beq  a0, a1, 5f
    lw   t0, P_PID(a0)
    TRACE T_SCHED, t0
    mv   t0, a0
    mv   a0, a1
    mv   a1, t0
    call switch
5:  CUR  t0
    li   t1, ST_RUNNING
    sw   t1, P_STATE(t0)
    pop  ra
    ret

# switch(a0 = old entry A, a1 = new entry B): save A's kernel context (sp,
# ra, s0..s3) in A's entry, restore B's from B's entry.  Restoring B's sp
# moves onto B's kernel stack; ksp, base and bounds follow B.  Returns in
# B's context, where B called switch() (or in proc_start for a new process).
# (LDE protocol: "switch to B's kernel stack"; the later return-from-trap
# on it is "restore regs(B), move to user mode, jump to B's pc".)
#   Only sp, ra and s0..s3 are saved: A's user registers are already in
# the trap frame on A's kernel stack, and t/a registers are dead across a
# call.  ksp must be B's before any return-from-trap to B: the hardware
# never changes it, and B's next trap must find B's kernel stack.  Setting
# base and bounds in kernel mode changes nothing until user mode: the
# kernel's addresses are physical.  (Memory for B was allocated by
# proc_create; here it becomes what user mode sees.)
switch:
    lw   t0, P_PID(a0)
    TRACE T_SAVE, t0
    sw   sp, P_CTX_SP(a0)
    sw   ra, P_CTX_RA(a0)
    sw   s0, P_CTX_S0(a0)
    sw   s1, P_CTX_S1(a0)
    sw   s2, P_CTX_S2(a0)
    sw   s3, P_CTX_S3(a0)
switch_in:
    lw   t0, P_PID(a1)
    TRACE T_RESTORE, t0
    la   t0, cur
    sw   a1, 0(t0)
    lw   sp, P_CTX_SP(a1)
    lw   ra, P_CTX_RA(a1)
    lw   s0, P_CTX_S0(a1)
    lw   s1, P_CTX_S1(a1)
    lw   s2, P_CTX_S2(a1)
    lw   s3, P_CTX_S3(a1)
    lw   t0, P_KTOP(a1)
    mtcr ksp, t0
    lw   t0, P_BASE(a1)
    mtcr base, t0
    lw   t0, P_BOUNDS(a1)
    mtcr bounds, t0
    li   t0, ST_RUNNING
    sw   t0, P_STATE(a1)
    lw   t0, P_PID(a1)
    lui  t1, DEV_HI
    sw   t0, TRC_PID(t1)
    ret
