# dev.s - drivers: timer ticks, console input ring, disk, kernel printing.
# The kernel runs with interrupts off, so it waits for the disk with wfi
# (which returns when a line is high even with IE = 0) and polls.  When
# another line is already high (a timer tick waiting for its handler),
# wfi returns at once and the wait is a poll loop, bounded by the
# transfer's time (200 + 100 per block cycles, docs/isa.md).

# poll_devices: acknowledge a timer tick (waking sleepers) and move console
# input into the ring.  Called by the timer and console handlers and by the
# idle loop.  Clobbers a0..a5, t0..t2.
poll_devices:
    push ra
    lui  t0, DEV_HI
    lw   t1, TMR_STATUS(t0)
    andi t1, t1, TMR_PENDING
    beqz t1, 1f
    sw   t1, TMR_STATUS(t0)          # acknowledge: the line goes low
    la   t0, ticks
    lw   a1, 0(t0)
    addi a1, a1, 1
    sw   a1, 0(t0)
    la   a0, proc_table              # wake sleepers whose time has come
    li   t2, NPROC
    li   a2, ST_SLEEPING
2:  lw   t0, P_STATE(a0)
    bne  t0, a2, 3f
    lw   t0, P_WAKE(a0)
    sub  t0, a1, t0
    bltz t0, 3f
    li   t0, ST_RUNNABLE
    sw   t0, P_STATE(a0)
3:  addi a0, a0, PCB_SIZE
    addi t2, t2, -1
    bnez t2, 2b
1:  call console_drain
    pop  ra
    ret

# console_drain: move waiting input bytes into the ring (con_buf, indices
# con_head/con_tail counting bytes ever read/written), note the end of
# input, and wake processes blocked in read() if there is something for
# them.  When the ring is full, RX interrupts go off until read() makes room.
console_drain:
    lui  t0, DEV_HI
    la   a3, con_head
    lw   a5, 0(a3)                   # head
    lw   a4, 4(a3)                   # tail
    la   a2, con_buf
1:  lw   t1, CON_STATUS(t0)
    andi t2, t1, CON_RX_READY
    beqz t2, 3f
    sub  t2, a4, a5
    li   a1, CON_BUF_SIZE
    bgeu t2, a1, 2f
    lw   t1, CON_RX(t0)
    andi t2, a4, CON_BUF_SIZE - 1
    add  t2, t2, a2
    sb   t1, 0(t2)
    addi a4, a4, 1
    j    1b
2:  sw   zero, CON_CTRL(t0)
    j    4f
3:  andi t2, t1, CON_RX_EOF
    beqz t2, 4f
    li   t2, 1
    la   a1, con_eof
    sw   t2, 0(a1)
4:  sw   a4, 4(a3)
    bne  a4, a5, 5f
    la   a1, con_eof
    lw   t2, 0(a1)
    beqz t2, 7f
5:  la   a0, proc_table
    li   t2, NPROC
    li   a2, ST_READING
6:  lw   t0, P_STATE(a0)
    bne  t0, a2, 61f
    li   t0, ST_RUNNABLE
    sw   t0, P_STATE(a0)
61: addi a0, a0, PCB_SIZE
    addi t2, t2, -1
    bnez t2, 6b
7:  ret

# disk_read(a0 = first block, a1 = physical address, a2 = blocks)
# -> a0 = 0, or -EIO.  Waits for the transfer (wfi, then look at the
# status; see the top of this file for when that is a poll loop).
disk_read:
    lui  t0, DEV_HI
    sw   a0, DSK_BLOCK(t0)
    sw   a1, DSK_ADDR(t0)
    sw   a2, DSK_COUNT(t0)
    li   t1, DSK_CTRL_IE
    sw   t1, DSK_CTRL(t0)            # completion raises the DISK line: ends wfi
    li   t1, DSK_CMD_READ
    sw   t1, DSK_CMD(t0)
1:  lw   t1, DSK_STATUS(t0)
    li   t2, DSK_BUSY
    bne  t1, t2, 2f
    wfi
    j    1b
2:  sw   zero, DSK_STATUS(t0)        # acknowledge
    sw   zero, DSK_CTRL(t0)
    li   a0, 0
    beqz t1, 3f
    li   a0, -EIO
3:  ret

# disk_probe: is a disk attached?  Reading a missing device's register
# faults; with interrupts on, that fault comes to kernel_fault (instead of
# halting the machine as a double fault), which notes it and skips the load.
# Turning IE on here is safe: no interrupt source is on yet (timer not
# programmed, console RXIE off, disk CTRL 0), so nothing but the fault can
# come - a timer tick now would find no current process.
disk_probe:
    la   t0, probing
    li   t1, 1
    sw   t1, 0(t0)
    li   t1, STATUS_IE
    mtcr status, t1
    lui  t1, DEV_HI
    lw   t1, DSK_NBLOCKS(t1)
    mtcr status, zero
    lw   t1, 0(t0)
    sw   zero, 0(t0)
    li   t2, 2
    beq  t1, t2, 1f
    ret
1:  la   a0, msg_nodisk
    j    panic

# disk_init: read the superblock and directory into dirbuf; panic if the
# disk is not an lde disk.
disk_init:
    push ra
    li   a0, 0
    la   a1, dirbuf
    li   a2, 1
    call disk_read
    bnez a0, 8f
    la   t0, dirbuf
    lw   t1, 0(t0)
    li   t2, DISK_MAGIC
    bne  t1, t2, 9f
    lw   a2, SB_DIR_BLOCKS(t0)
    beqz a2, 9f
    sltiu t1, a2, DIR_BLOCKS_MAX + 1
    beqz t1, 7f
    la   t0, dir_blocks
    sw   a2, 0(t0)
    li   a0, 0
    la   a1, dirbuf
    call disk_read
    bnez a0, 8f
    pop  ra
    ret
7:  la   a0, msg_dirbig
    j    panic
8:  la   a0, msg_diskio
    j    panic
9:  la   a0, msg_diskbad
    j    panic

# dir_lookup(a0 = name) -> a0 = its directory entry in dirbuf, or 0.
dir_lookup:
    ENTER 3
    mv   s0, a0
    la   s1, dirbuf
    la   t0, dir_blocks
    lw   t0, 0(t0)
    slli t0, t0, BLOCK_SHIFT
    add  s2, s1, t0                  # end of the directory
    addi s1, s1, DIR_FIRST
1:  addi t0, s1, DIR_ENTRY
    bltu s2, t0, 3f
    lbu  t0, 0(s1)
    beqz t0, 2f
    mv   a0, s0
    mv   a1, s1
    call streq
    bnez a0, 4f
2:  addi s1, s1, DIR_ENTRY
    j    1b
3:  li   s1, 0
4:  mv   a0, s1
    LEAVE 3
    ret

# file_to_stage(a0 = start block, a1 = size) -> a0 = 0, -ENOEXEC if it
# does not fit the staging buffer, -EIO.
file_to_stage:
    li   t0, STAGE_SIZE
    bltu t0, a1, 1f
    addi a2, a1, BLOCK_SIZE - 1
    srli a2, a2, BLOCK_SHIFT
    li   a1, STAGE
    bnez a2, disk_read
    li   a0, 0
    ret
1:  li   a0, -ENOEXEC
    ret

# kputc(a0 = byte)
kputc:
    lui  t0, DEV_HI
    sw   a0, CON_TX(t0)
    ret

# kputs(a0 = NUL-terminated string)
kputs:
    lui  t0, DEV_HI
1:  lbu  t1, 0(a0)
    beqz t1, 2f
    sw   t1, CON_TX(t0)
    addi a0, a0, 1
    j    1b
2:  ret

# kputhex(a0): eight hex digits.
kputhex:
    lui  t0, DEV_HI
    li   t2, 28
1:  srl  t1, a0, t2
    andi t1, t1, 15
    sltiu a1, t1, 10
    bnez a1, 2f
    addi t1, t1, 'a' - 10 - '0'
2:  addi t1, t1, '0'
    sw   t1, CON_TX(t0)
    addi t2, t2, -4
    bgez t2, 1b
    ret

# kputdec(a0): unsigned decimal.
kputdec:
    addi sp, sp, -16
    addi a1, sp, 15
    sb   zero, 0(a1)
    li   t2, 10
1:  remu t0, a0, t2
    addi t0, t0, '0'
    addi a1, a1, -1
    sb   t0, 0(a1)
    divu a0, a0, t2
    bnez a0, 1b
    lui  t0, DEV_HI
2:  lbu  t1, 0(a1)
    beqz t1, 3f
    sw   t1, CON_TX(t0)
    addi a1, a1, 1
    j    2b
3:  addi sp, sp, 16
    ret
