# syscall.s - the system calls.  Each is called from h_syscall with the
# user's arguments in a0..a4 and returns its result in a0 (negative:
# -error code, sysnum.s).  Every user pointer is checked with uaddr or
# ustr_copy against the caller's bounds before the kernel touches it.

# uaddr(a0 = user address, a1 = length) -> a0 = physical address, or 0 if
# [a0, a0 + a1) is not inside the current process's memory.  Keeps a1.
uaddr:
    CUR  t0
    lw   t1, P_BOUNDS(t0)
    bltu t1, a1, 1f
    sub  t1, t1, a1
    bltu t1, a0, 1f
    lw   t1, P_BASE(t0)
    add  a0, a0, t1
    ret
1:  li   a0, 0
    ret

# ustr_copy(a0 = user string, a1 = kernel buffer, a2 = buffer size)
# -> a0 = length, -EFAULT if it leaves the caller's memory, -E2BIG if it
# does not fit (with its NUL) in the buffer.
ustr_copy:
    CUR  t0
    lw   t1, P_BOUNDS(t0)
    lw   t2, P_BASE(t0)
    li   a3, 0
1:  bgeu a0, t1, 2f
    bgeu a3, a2, 3f
    add  a4, a0, t2
    lbu  a4, 0(a4)
    add  a5, a1, a3
    sb   a4, 0(a5)
    beqz a4, 4f
    addi a0, a0, 1
    addi a3, a3, 1
    j    1b
2:  li   a0, -EFAULT
    ret
3:  li   a0, -E2BIG
    ret
4:  mv   a0, a3
    ret

# exit(status)
sys_exit:
    j    proc_exit

# write(fd, buf, len): fd 1 (or 2) is the console.
sys_write:
    addi t0, a0, -1
    sltiu t0, t0, 2
    beqz t0, 3f
    mv   a0, a1
    mv   a1, a2
    push ra
    call uaddr
    pop  ra
    beqz a0, 4f
    lui  t0, DEV_HI
    mv   t2, a1
1:  beqz t2, 2f
    lbu  t1, 0(a0)
    sw   t1, CON_TX(t0)
    addi a0, a0, 1
    addi t2, t2, -1
    j    1b
2:  mv   a0, a1
    ret
3:  li   a0, -EINVAL
    ret
4:  li   a0, -EFAULT
    ret

# read(fd, buf, len): fd 0 is the console.  Blocks until at least one byte
# (or the end of input: returns 0); returns at most one line.
sys_read:
    ENTER 2
    bnez a0, 6f
    li   a0, 0
    beqz a2, 9f
    mv   s1, a2
    mv   a0, a1
    mv   a1, a2
    call uaddr
    beqz a0, 7f
    mv   s0, a0
1:  call console_drain
    la   a3, con_head
    lw   a5, 0(a3)
    lw   a4, 4(a3)
    bne  a4, a5, 2f
    li   a0, 0
    la   t0, con_eof
    lw   t0, 0(t0)
    bnez t0, 9f
    GIVE_UP ST_READING
    j    1b
2:  li   a0, 0
    la   a2, con_buf
3:  beq  a5, a4, 4f
    bgeu a0, s1, 4f
    andi t0, a5, CON_BUF_SIZE - 1
    add  t0, t0, a2
    lbu  t1, 0(t0)
    add  t0, s0, a0
    sb   t1, 0(t0)
    addi a5, a5, 1
    addi a0, a0, 1
    li   t0, 10
    bne  t1, t0, 3b
4:  sw   a5, 0(a3)
    lui  t0, DEV_HI                  # there is room again: RX interrupt on
    li   t1, CON_RXIE
    sw   t1, CON_CTRL(t0)
    j    9f
6:  li   a0, -EINVAL
    j    9f
7:  li   a0, -EFAULT
9:  LEAVE 2
    ret

# getpid()
sys_getpid:
    CUR  t0
    lw   a0, P_PID(t0)
    ret

# yield(): give the processor to the next runnable process.
sys_yield:
    push ra
    GIVE_UP ST_RUNNABLE
    pop  ra
    li   a0, 0
    ret

# spawn(name, argv): run program `name` from the disk with the arguments
# argv (a 0-terminated array of strings; 0 means just the name).
sys_spawn:
    ENTER 3
    mv   s0, a1
    la   a1, kname
    li   a2, FILE_NAME_MAX + 1
    call ustr_copy
    bltz a0, 9f
    beqz a0, 6f
    la   s1, argbuf
    addi s2, s1, 8                   # where the next string goes
    sw   zero, 0(s1)
    bnez s0, 2f
    mv   a0, s2                      # no argv: argv = { name }
    la   a1, kname
    li   a2, FILE_NAME_MAX
    call strlcpy
    add  s2, s2, a0
    addi s2, s2, 1
    li   t0, 1
    sw   t0, 0(s1)
    j    4f
2:  andi t0, s0, 3
    bnez t0, 7f
    mv   a0, s0
    li   a1, 4
    call uaddr
    beqz a0, 7f
    lw   a0, 0(a0)                   # argv[i]
    beqz a0, 4f
    lw   t0, 0(s1)
    sltiu t0, t0, MAX_ARGS
    beqz t0, 8f
    mv   a1, s2
    la   a2, argbuf_end
    sub  a2, a2, s2
    call ustr_copy
    bltz a0, 9f
    add  s2, s2, a0
    addi s2, s2, 1
    lw   t0, 0(s1)
    addi t0, t0, 1
    sw   t0, 0(s1)
    addi s0, s0, 4
    j    2b
4:  sub  t0, s2, s1
    addi t0, t0, -8
    sw   t0, 4(s1)
    la   a0, kname
    mv   a1, s1
    call proc_create
    bltz a0, 9f
    lw   a0, P_PID(a0)
    j    9f
6:  li   a0, -EINVAL
    j    9f
7:  li   a0, -EFAULT
    j    9f
8:  li   a0, -E2BIG
9:  LEAVE 3
    ret

# wait(pid, &status, flags): wait for child `pid` (-1: any child) to exit;
# store its status (if the pointer is not 0), free its entry, return its
# pid.  flags WNOHANG: return 0 instead of blocking.
sys_wait:
    ENTER 4
    mv   s0, a0
    mv   s2, a2
    li   s1, 0
    beqz a1, 1f
    andi t0, a1, 3
    bnez t0, 7f
    mv   a0, a1
    li   a1, 4
    call uaddr
    beqz a0, 7f
    mv   s1, a0
1:  CUR  t0
    lw   s3, P_PID(t0)
    li   a3, 0                       # found a matching child?
    la   a0, proc_table
    li   t2, NPROC
2:  lw   t0, P_STATE(a0)
    beqz t0, 4f
    lw   t1, P_PARENT(a0)
    bne  t1, s3, 4f
    li   t1, -1
    beq  s0, t1, 3f
    lw   t1, P_PID(a0)
    bne  t1, s0, 4f
3:  li   a3, 1
    li   t1, ST_ZOMBIE
    beq  t0, t1, 5f
4:  addi a0, a0, PCB_SIZE
    addi t2, t2, -1
    bnez t2, 2b
    beqz a3, 6f
    li   a0, 0
    andi t0, s2, WNOHANG
    bnez t0, 9f
    GIVE_UP ST_WAITING
    j    1b
5:  beqz s1, 51f
    lw   t0, P_STATUS(a0)
    sw   t0, 0(s1)
51: lw   s3, P_PID(a0)
    sw   zero, P_STATE(a0)
    sw   zero, P_PID(a0)
    TRACE T_REAP, s3
    mv   a0, s3
    j    9f
6:  li   a0, -ECHILD
    j    9f
7:  li   a0, -EFAULT
9:  LEAVE 4
    ret

# sleep(ticks): block for that many timer ticks.  Without a timer
# (cooperative mode) or for ticks <= 0 it only yields.
sys_sleep:
    la   t0, boot_flags
    lw   t0, 0(t0)
    andi t0, t0, BOOT_COOP
    bnez t0, sys_yield
    blez a0, sys_yield
    la   t0, ticks
    lw   t0, 0(t0)
    add  t0, t0, a0
    CUR  t1
    sw   t0, P_WAKE(t1)
    li   t0, ST_SLEEPING
    sw   t0, P_STATE(t1)
    push ra
    call sched
    pop  ra
    li   a0, 0
    ret

# uptime(): timer ticks since boot.
sys_uptime:
    la   t0, ticks
    lw   a0, 0(t0)
    ret

# kill(pid): end process `pid` (status KILLED_KILL).  init cannot be killed.
sys_kill:
    ENTER 1
    li   t0, 1
    beq  a0, t0, 6f
    call pcb_by_pid
    beqz a0, 7f
    lw   t0, P_STATE(a0)
    li   t1, ST_ZOMBIE
    beq  t0, t1, 7f
    mv   s0, a0
    lw   t0, P_PID(s0)
    TRACE T_KILL, t0
    CUR  t0
    bne  t0, s0, 1f
    li   a0, KILLED_KILL
    j    proc_exit
1:  mv   a0, s0
    li   a1, KILLED_KILL
    call proc_zombify
    li   a0, 0
    j    9f
6:  li   a0, -EPERM
    j    9f
7:  li   a0, -ESRCH
9:  LEAVE 1
    ret

# ps(buf, max): write up to `max` PS_RECORD-byte records (sysnum.s), one
# per process in the table; returns how many.
sys_ps:
    sltiu t0, a1, NPROC + 1
    bnez t0, 1f
    li   a1, NPROC
1:  andi t0, a0, 3
    bnez t0, 7f
    mv   a2, a1
    slli a1, a1, 5
    push ra
    call uaddr
    pop  ra
    beqz a0, 7f
    li   a3, 0
    la   a1, proc_table
    li   t2, NPROC
2:  beq  a3, a2, 4f
    lw   t0, P_STATE(a1)
    beqz t0, 3f
    sw   t0, PS_STATE(a0)
    lw   t0, P_PID(a1)
    sw   t0, PS_PID(a0)
    lw   t0, P_PARENT(a1)
    sw   t0, PS_PPID(a0)
    lw   t0, P_BOUNDS(a1)
    sw   t0, PS_SIZE(a0)
    addi t1, a1, P_NAME              # the name: 16 bytes, word by word
    lw   t0, 0(t1)
    sw   t0, PS_NAME(a0)
    lw   t0, 4(t1)
    sw   t0, 20(a0)
    lw   t0, 8(t1)
    sw   t0, 24(a0)
    lw   t0, 12(t1)
    sw   t0, 28(a0)
    addi a0, a0, PS_RECORD
    addi a3, a3, 1
3:  addi a1, a1, PCB_SIZE
    addi t2, t2, -1
    bnez t2, 2b
4:  mv   a0, a3
    ret
7:  li   a0, -EFAULT
    ret

# readfile(name, buf, len): copy the start of file `name` (at most len and
# at most STAGE_SIZE bytes) into buf; returns the number of bytes copied.
sys_readfile:
    ENTER 3
    mv   s0, a1
    mv   s1, a2
    la   a1, kname
    li   a2, FILE_NAME_MAX + 1
    call ustr_copy
    bltz a0, 9f
    la   a0, kname
    call dir_lookup
    beqz a0, 6f
    mv   s2, a0
    mv   a0, s0
    mv   a1, s1
    call uaddr
    beqz a0, 7f
    mv   s0, a0
    lw   t0, DE_SIZE(s2)
    bgeu t0, s1, 1f
    mv   s1, t0
1:  li   t0, STAGE_SIZE
    bgeu t0, s1, 2f
    mv   s1, t0
2:  li   a0, 0
    beqz s1, 9f
    lw   a0, DE_START(s2)
    li   a1, STAGE
    addi a2, s1, BLOCK_SIZE - 1
    srli a2, a2, BLOCK_SHIFT
    call disk_read
    bnez a0, 9f
    mv   a0, s0
    li   a1, STAGE
    mv   a2, s1
    call memcpy
    mv   a0, s1
    j    9f
6:  li   a0, -ENOENT
    j    9f
7:  li   a0, -EFAULT
9:  LEAVE 3
    ret
