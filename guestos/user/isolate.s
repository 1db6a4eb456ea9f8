# isolate - user mode cannot reach outside its own memory, and cannot use
# the machine's privileged parts.  Each attack runs in its own child
# ("isolate N"), which must die with the documented fault; the driver
# checks every child's exit status (128 + cause) and prints
#     isolate: write kernel data (through my base): OK
# then a total; the exit status is the number of failed attacks.
#
# A child ("isolate victim") fills part of its memory with a pattern and
# sleeps through all of it.  The driver prints "isolate: snapshot before"
# and "isolate: snapshot after" around the attacks: the isolation harness
# (tests/fuzz/isolation.c) compares the kernel's code, trap table and
# system-call table and the memory of init and of the victim at these two
# points, byte for byte.
#
# Addresses.  Every process has bounds 0x10000; any user address at or
# past it faults, whatever physical memory it would reach.  Attacks use
# two kinds of address for each physical target: the target itself as a
# user address, and "through my base": target - ATTACK_BASE, the user
# address that base + va wraps onto when the attacker has memory slot 3
# (base 0x130000: init, the driver and the victim hold slots 0..2, and the
# kernel gives the lowest free slot; docs/syscalls.md).
    .include "ulib.s"
    .include "check.s"

    .equ USER_END, 0x10000
    .equ ATTACK_BASE, 0x130000
    .equ VICTIM_LO, 0x8000          # the victim's pattern: [VICTIM_LO, VICTIM_HI)
    .equ VICTIM_HI, 0xc000
    .equ ROW, 16                    # attack: kind, argument, expected status, name

    # attack kinds
    .equ K_LW, 1                    # lw from the address
    .equ K_SW, 2                    # sw to it
    .equ K_LB, 3
    .equ K_SB, 4
    .equ K_LH, 5
    .equ K_SH, 6
    .equ K_JUMP, 7                  # jalr to it (the fetch faults)
    .equ K_EXEC, 8                  # run the instruction word given

    # expected exit statuses: 128 + cause; 0 = the child must survive
    .equ X_OK, 0
    .equ X_ILLEGAL, 132
    .equ X_PRIV, 133
    .equ X_PROT, 135
    .equ X_MISALIGNED, 136

    # instruction words (docs/isa.md section 3)
    .equ OP_RETT, 0x52
    .equ OP_WFI, 0x53
    .equ OP_HALT, 0x54
    .equ OP_MFCR, 0x55
    .equ OP_MTCR, 0x56
    .equ OP_SYSCALL, 0x50
    .equ A0_AS_A, 1 << 8            # a0 in field A
    .equ A0_AS_B, 1 << 12           # a0 in field B

main:
    ENTER 1
    li   t0, 2
    blt  a0, t0, 1f
    lw   s0, 4(a1)                  # a child: argv[1]
    mv   a0, s0
    la   a1, r_victim
    call streq
    bnez a0, victim
    mv   a0, s0
    call attack
    j    9f
1:  call driver
9:  LEAVE 1
    ret

# ---------------------------------------------------------------- driver

driver:
    ENTER 2
    la   a0, name
    la   a1, argv_victim
    call spawn
    la   t0, victim_pid
    sw   a0, 0(t0)
1:  call yield                      # until the victim sleeps
    la   a0, victim_pid
    lw   a0, 0(a0)
    call ps_state
    li   t0, ST_SLEEPING
    bne  a0, t0, 1b
    la   a0, s_before
    call puts
    li   s0, 0                      # attack number
    la   s1, attacks
2:  la   t0, attacks_end
    bgeu s1, t0, 3f
    mv   a0, s0
    mv   a1, s1
    call run_attack
    addi s0, s0, 1
    addi s1, s1, ROW
    j    2b
3:  la   a0, s_after
    call puts
    la   a0, victim_pid             # the victim is still asleep, unharmed
    lw   a0, 0(a0)
    call ps_state
    li   a1, ST_SLEEPING
    la   a2, s_victim_alive
    call check
    la   a0, victim_pid
    lw   a0, 0(a0)
    call kill
    la   a0, victim_pid
    lw   a0, 0(a0)
    la   a1, status
    li   a2, 0
    call wait
    la   a0, status
    lw   a0, 0(a0)
    li   a1, 143
    la   a2, s_victim_killed
    call check
    la   a0, s_checks
    call check_total                # the number failed is the exit status
    LEAVE 2
    ret

# run_attack(a0 = number, a1 = row): run "isolate N", check its exit status.
run_attack:
    ENTER 1
    mv   s0, a1
    la   a1, num_buf                # argv[1] = N in decimal
    call fmt_num
    la   t0, argv_attack
    sw   a0, 4(t0)
    la   a0, argv_attack
    call run
    lw   a1, 8(s0)
    lw   a2, 12(s0)
    call check
    LEAVE 1
    ret

# ---------------------------------------------------------------- children

# victim: fill [VICTIM_LO, VICTIM_HI) with a pattern, then sleep for good.
victim:
    li   t0, VICTIM_LO
    li   t1, VICTIM_HI
    li   t2, 0x5ca1ab1e
1:  xor  a0, t0, t2
    sw   a0, 0(t0)
    addi t0, t0, 4
    bltu t0, t1, 1b
2:  li   a0, 1000000
    call sleep
    j    2b

# attack(a0 = "N"): carry out attack N; return 0 if it did not fault.
attack:
    ENTER 0
    call atoi
    slli a0, a0, 4
    la   t0, attacks
    add  t0, t0, a0
    lw   t1, 0(t0)                  # kind
    lw   a1, 4(t0)                  # argument
    li   t2, K_LW
    beq  t1, t2, 1f
    li   t2, K_SW
    beq  t1, t2, 2f
    li   t2, K_LB
    beq  t1, t2, 3f
    li   t2, K_SB
    beq  t1, t2, 4f
    li   t2, K_LH
    beq  t1, t2, 5f
    li   t2, K_SH
    beq  t1, t2, 6f
    li   t2, K_JUMP
    beq  t1, t2, 7f
    la   t0, exec_slot              # K_EXEC: store the word, run it, come back
    sw   a1, 0(t0)
    jalr ra, t0, 0
    j    9f
1:  lw   a0, 0(a1)
    j    9f
2:  sw   a1, 0(a1)
    j    9f
3:  lb   a0, 0(a1)
    j    9f
4:  sb   a1, 0(a1)
    j    9f
5:  lh   a0, 0(a1)
    j    9f
6:  sh   a1, 0(a1)
    j    9f
7:  jalr ra, a1, 0
9:  li   a0, 0
    LEAVE 0
    ret

# Where K_EXEC puts its instruction; the word after it returns (ret).
    .align 4
exec_slot:
    .word 0
    ret

# ---------------------------------------------------------------- data

    .data
    .align 4
victim_pid: .word 0
status:     .word 0
argv_victim: .word name, r_victim, 0
argv_attack: .word name, 0, 0
num_buf:    .space 12

# ATTACK kind, argument, expected status, "name" (a row of the table).
    .macro ATTACK kind, arg, expect, text
    .data
    .word \kind, \arg, \expect, text\@
    .text
text\@: .asciz \text
    .data
    .endm

# Both forms of address for a physical target: itself, and through my base.
    .macro BOTH kind, phys, expect, text
    ATTACK \kind, \phys, \expect, \text
    ATTACK \kind, \phys - ATTACK_BASE, \expect, \text
    .endm

# mtcr CR, a0 and mfcr a0, CR as instruction words.
    .macro CR_ATTACKS cr, name_w, name_r, read_expect
    ATTACK K_EXEC, OP_MTCR | A0_AS_B | (\cr << 16), X_PRIV, \name_w
    ATTACK K_EXEC, OP_MFCR | A0_AS_A | (\cr << 16), \read_expect, \name_r
    .endm

attacks:
    # the edge of my own memory
    ATTACK K_LW, USER_END - 4, X_OK, "read the last word of my memory (allowed)"
    ATTACK K_SB, USER_END - 1, X_OK, "write the last byte of my memory (allowed)"
    ATTACK K_LW, USER_END, X_PROT, "read the first word past my memory"
    ATTACK K_SW, USER_END, X_PROT, "write the first word past my memory"
    ATTACK K_LB, USER_END, X_PROT, "read the first byte past my memory"
    ATTACK K_SB, USER_END, X_PROT, "write the first byte past my memory"
    ATTACK K_LH, USER_END - 1, X_MISALIGNED, "read a half across the end (misaligned)"
    ATTACK K_SH, USER_END, X_PROT, "write a half past my memory"
    ATTACK K_LW, USER_END - 2, X_MISALIGNED, "read a word across the end (misaligned first)"
    ATTACK K_LW, 0xfffffffc, X_PROT, "read the last word of the address space"
    ATTACK K_SW, 0xfffffffc, X_PROT, "write the last word of the address space"
    ATTACK K_SB, 0xffffffff, X_PROT, "write the last byte of the address space"
    # kernel code, data, trap table, process table, stacks, buffers
    ATTACK K_LW, 0 - ATTACK_BASE, X_PROT, "read kernel code at physical 0 (through my base)"
    ATTACK K_SW, 0 - ATTACK_BASE, X_PROT, "write kernel code at physical 0 (through my base)"
    ATTACK K_SW, 0x100 - ATTACK_BASE, X_PROT, "write kernel code at physical 0x100 (through my base)"
    ATTACK K_SW, 0x1610 - ATTACK_BASE, X_PROT, "write the trap table (through my base)"
    ATTACK K_LW, 0x1610 - ATTACK_BASE, X_PROT, "read the trap table (through my base)"
    ATTACK K_SW, 0x1650 - ATTACK_BASE, X_PROT, "write the system-call table (through my base)"
    ATTACK K_SW, 0x18c0 - ATTACK_BASE, X_PROT, "write the process table (through my base)"
    ATTACK K_SB, 0x18c0 - ATTACK_BASE, X_PROT, "write a byte of the process table (through my base)"
    BOTH K_SW, 0x40000, X_PROT, "write a kernel stack"
    BOTH K_LW, 0x41fb0, X_PROT, "read another process's trap frame"
    BOTH K_SW, 0x60000, X_PROT, "write the staging buffer"
    # other processes' memory
    BOTH K_LW, 0x100000, X_PROT, "read init's memory"
    BOTH K_SW, 0x100000, X_PROT, "write init's memory"
    BOTH K_SW, 0x110000, X_PROT, "write the driver's memory"
    BOTH K_LW, 0x120000 + VICTIM_LO, X_PROT, "read the victim's memory"
    BOTH K_SW, 0x120000 + VICTIM_LO, X_PROT, "write the victim's memory"
    BOTH K_SB, 0x120000 + VICTIM_HI - 1, X_PROT, "write a byte of the victim's memory"
    BOTH K_SW, 0x140000, X_PROT, "write the next free slot"
    BOTH K_SW, 0xfffffc, X_PROT, "write the last word of RAM"
    BOTH K_LW, 0x1000000, X_PROT, "read past the end of RAM"
    # every device register
    BOTH K_SW, 0xf0000000, X_PROT, "write console TX"
    BOTH K_LW, 0xf0000004, X_PROT, "read console RX"
    BOTH K_LW, 0xf0000008, X_PROT, "read console STATUS"
    BOTH K_SW, 0xf000000c, X_PROT, "write console CTRL"
    BOTH K_SW, 0xf0000100, X_PROT, "write timer CTRL"
    BOTH K_SW, 0xf0000104, X_PROT, "write timer INTERVAL"
    BOTH K_LW, 0xf0000108, X_PROT, "read timer COUNT"
    BOTH K_SW, 0xf000010c, X_PROT, "write timer STATUS"
    BOTH K_SW, 0xf0000200, X_PROT, "write disk BLOCK"
    BOTH K_SW, 0xf0000204, X_PROT, "write disk ADDR"
    BOTH K_SW, 0xf0000208, X_PROT, "write disk COUNT"
    BOTH K_SW, 0xf000020c, X_PROT, "write disk CMD"
    BOTH K_LW, 0xf0000210, X_PROT, "read disk STATUS"
    BOTH K_SW, 0xf0000214, X_PROT, "write disk CTRL"
    BOTH K_LW, 0xf0000218, X_PROT, "read disk NBLOCKS"
    BOTH K_SW, 0xf0000300, X_PROT, "write trace STEP"
    BOTH K_SW, 0xf0000304, X_PROT, "write trace NAME"
    BOTH K_SW, 0xf0000308, X_PROT, "write trace PID"
    BOTH K_SW, 0xf000030c, X_PROT, "write trace VALUE"
    BOTH K_LB, 0xf0000000, X_PROT, "read a byte of the console"
    BOTH K_LW, 0xf0000400, X_PROT, "read an unmapped device window"
    # jumps out of my memory: the fetch faults
    ATTACK K_JUMP, USER_END, X_PROT, "jump to the end of my memory"
    ATTACK K_JUMP, 0 - ATTACK_BASE, X_PROT, "jump to kernel code at physical 0 (through my base)"
    ATTACK K_JUMP, 0x1a0 - ATTACK_BASE, X_PROT, "jump to a kernel handler (through my base)"
    BOTH K_JUMP, 0xf0000000, X_PROT, "jump to the devices"
    ATTACK K_JUMP, 2, X_MISALIGNED, "jump to a misaligned address"
    # privileged instructions
    ATTACK K_EXEC, OP_RETT, X_PRIV, "rett"
    ATTACK K_EXEC, OP_WFI, X_PRIV, "wfi"
    ATTACK K_EXEC, OP_HALT | A0_AS_A, X_PRIV, "halt a0"
    ATTACK K_EXEC, OP_SYSCALL | (1 << 8), X_ILLEGAL, "syscall with a non-zero unused field"
    # every control register
    CR_ATTACKS 0, "mtcr status (set kernel mode)", "mfcr status", X_PRIV
    CR_ATTACKS 1, "mtcr ttb", "mfcr ttb", X_PRIV
    CR_ATTACKS 2, "mtcr ksp", "mfcr ksp", X_PRIV
    CR_ATTACKS 3, "mtcr base", "mfcr base", X_PRIV
    CR_ATTACKS 4, "mtcr bounds", "mfcr bounds", X_PRIV
    CR_ATTACKS 5, "mtcr cause", "mfcr cause", X_PRIV
    CR_ATTACKS 6, "mtcr faddr", "mfcr faddr", X_PRIV
    ATTACK K_EXEC, OP_MFCR | A0_AS_A | (7 << 16), X_OK, "mfcr cycle (allowed)"
    ATTACK K_EXEC, OP_MFCR | A0_AS_A | (8 << 16), X_OK, "mfcr cycleh (allowed)"
    ATTACK K_EXEC, OP_MTCR | A0_AS_B | (7 << 16), X_ILLEGAL, "mtcr cycle (read-only: illegal)"
    ATTACK K_EXEC, OP_MTCR | A0_AS_B | (8 << 16), X_ILLEGAL, "mtcr cycleh (read-only: illegal)"
    ATTACK K_EXEC, OP_MTCR | A0_AS_B | (9 << 16), X_ILLEGAL, "mtcr of no register (illegal)"
    ATTACK K_EXEC, OP_MFCR | A0_AS_A | (9 << 16), X_ILLEGAL, "mfcr of no register (illegal)"
    .data
attacks_end:

name:     .asciz "isolate"
r_victim: .asciz "victim"
check_prefix: .asciz "isolate: "
s_checks: .asciz " checks, "
s_before: .asciz "isolate: snapshot before\n"
s_after:  .asciz "isolate: snapshot after\n"
s_victim_alive: .asciz "the victim still sleeps"
s_victim_killed: .asciz "the victim ends when killed (143)"

