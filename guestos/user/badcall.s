# badcall - the bad-call matrix (in the spirit of OS/161's badcall): every
# system call with every kind of bad argument, each checked against the
# error docs/syscalls.md documents.  One line per case:
#     badcall: write: pointer past the end: OK
#     badcall: kill: init: FAILED (got 0, expected -10)
# then a total, and the exit status is the number of failed cases.
#
# Meanwhile a well-behaved child ("badcall worker") sieves primes in its
# own memory under preemption and must print the right answer; the kernel
# must survive all of it.  Bad pids that end processes (kill of oneself,
# of one's parent) run in children ("badcall self", "badcall middle").
#
# Pointers: user memory is [0, 0x10000) (one 64 KiB slot).  Address 0 is a
# valid user address (the program starts there), so a null pointer is not
# an error in this OS: null cases check the documented meaning of 0
# (no status for wait, no argv for spawn, zero-length buffers).
    .include "ulib.s"
    .include "check.s"

    .equ USER_END, 0x10000          # bounds of every process
    .equ ARG_OWN, 0x7eee0001        # argument: my pid
    .equ ARG_PARENT, 0x7eee0002     # argument: my parent's pid
    .equ ARG_ZOMBIE, 0x7eee0003     # argument: pid of my exited, uncollected child
    .equ ARG_MASK, 0xffffff00
    .equ ARG_TAG, 0x7eee0000
    .equ ROW, 24                    # bytes per case: number, a0, a1, a2, expected, name

main:
    ENTER 1
    li   t0, 2
    blt  a0, t0, 1f
    lw   a0, 4(a1)                  # a child role: argv[1]
    call child_role
    j    9f
1:  call driver
9:  LEAVE 1
    ret

# ---------------------------------------------------------------- driver

driver:
    ENTER 2
    la   a0, name                   # the concurrent well-behaved process
    la   a1, argv_worker
    call spawn
    la   t0, worker_pid
    sw   a0, 0(t0)
    call setup
    la   s0, cases
1:  la   t0, cases_end
    bgeu s0, t0, 2f
    mv   a0, s0
    call run_case
    addi s0, s0, ROW
    j    1b
2:  call child_cases
    la   a0, zombie_pid             # collect the zombie used by the cases
    lw   a0, 0(a0)
    li   a1, 0
    li   a2, 0
    call wait
    la   a0, worker_pid             # the worker must have finished cleanly
    lw   a0, 0(a0)
    la   a1, status
    li   a2, 0
    call wait
    la   a0, status
    lw   a0, 0(a0)
    li   a1, 0
    la   a2, s_worker
    call check
    la   a0, s_cases
    call check_total                # the number failed is the exit status
    LEAVE 2
    ret

# setup: learn my pid and my parent's, make a zombie child, and put a
# string without its NUL at the very end of my memory (over the top of
# the argument area, which is no longer needed).
setup:
    ENTER 0
    call getpid
    la   t0, own_pid
    sw   a0, 0(t0)
    call ps_record                  # my record holds my parent's pid
    lw   t1, PS_PPID(a0)
    la   t0, parent_pid
    sw   t1, 0(t0)
    la   a0, name
    la   a1, argv_quiet
    call spawn
    la   t0, zombie_pid
    sw   a0, 0(t0)
2:  call yield                      # until it has exited (a zombie)
    la   a0, zombie_pid
    lw   a0, 0(a0)
    call ps_state
    li   t0, ST_ZOMBIE
    bne  a0, t0, 2b
    li   t0, 0x61616161             # "aaaa" in the last word of my memory
    li   t1, USER_END - 4
    sw   t0, 0(t1)
    LEAVE 0
    ret

# resolve(a0) -> a0: a run-time argument token replaced by its value.
resolve:
    li   t0, ARG_MASK
    and  t0, a0, t0
    li   t1, ARG_TAG
    bne  t0, t1, 1f
    andi t0, a0, 0xff
    la   t1, own_pid - 4
    slli t0, t0, 2
    add  t1, t1, t0
    lw   a0, 0(t1)
1:  ret

# run_case(a0 = row): make the call, check the result.
run_case:
    ENTER 3
    mv   s0, a0
    lw   a0, 12(s0)
    call resolve
    mv   s2, a0
    lw   a0, 8(s0)
    call resolve
    mv   s1, a0
    lw   a0, 4(s0)
    call resolve
    mv   a1, s1
    mv   a2, s2
    lw   a5, 0(s0)
    syscall
    lw   a1, 16(s0)
    lw   a2, 20(s0)
    call check
    LEAVE 3
    ret

# child_cases: bad pids whose documented result ends a process.
child_cases:
    ENTER 0
    la   a0, argv_self              # kill(own pid): it ends with status 143
    la   a1, s_kill_self
    li   a2, 143
    call child_status
    la   a0, argv_middle            # its child kills it: 143 as well
    la   a1, s_kill_parent
    li   a2, 143
    call child_status
    LEAVE 0
    ret

# child_status(a0 = argv, a1 = case name, a2 = expected exit status):
# spawn "badcall argv[1]", wait for it, check its status.
child_status:
    ENTER 2
    mv   s0, a1
    mv   s1, a2
    call run
    mv   a1, s1
    mv   a2, s0
    call check
    LEAVE 2
    ret

# ---------------------------------------------------------------- children

# child_role(a0 = role string) -> exit status.
child_role:
    ENTER 1
    mv   s0, a0
    la   a1, r_worker
    call streq
    bnez a0, worker
    mv   a0, s0
    la   a1, r_self
    call streq
    bnez a0, kill_self
    mv   a0, s0
    la   a1, r_middle
    call streq
    bnez a0, middle
    mv   a0, s0
    la   a1, r_patricide
    call streq
    bnez a0, patricide
    li   a0, 0                      # "quiet": exit at once
    LEAVE 1
    ret

# kill_self: kill(getpid()) must not return.
kill_self:
    call getpid
    call kill
    li   a0, 1
    call exit

# middle: spawn "badcall patricide", which kills us; waiting blocks until then.
middle:
    la   a0, name
    la   a1, argv_patricide
    call spawn
    li   a0, -1
    li   a1, 0
    li   a2, 0
    call wait
    li   a0, 2                      # reached only if we were not killed
    call exit

# patricide: kill our parent (allowed: only init is protected).
patricide:
    call getpid
    call ps_record
    lw   a0, PS_PPID(a0)
    call kill
    call exit                       # status 0 if kill returned 0

# worker: sieve the primes below SIEVE_N in its own memory, yielding now
# and then, and print the count in one write; exit 0 if it is right.
    .equ SIEVE_N, 20000
    .equ PRIMES_BELOW_N, 2262
worker:
    la   t0, sieve                  # mark every number from 2 as prime
    li   t1, 2
    li   t2, SIEVE_N
1:  add  a0, t0, t1
    li   a1, 1
    sb   a1, 0(a0)
    addi t1, t1, 1
    blt  t1, t2, 1b
    li   s0, 2
2:  mul  t1, s0, s0                 # cross out the multiples of each prime
    bge  t1, t2, 5f
    add  a0, t0, s0
    lbu  a0, 0(a0)
    beqz a0, 4f
3:  add  a0, t0, t1
    sb   zero, 0(a0)
    add  t1, t1, s0
    blt  t1, t2, 3b
4:  addi s0, s0, 1
    j    2b
5:  li   s0, 0                      # count them
    li   t1, 2
6:  add  a0, t0, t1
    lbu  a0, 0(a0)
    add  s0, s0, a0
    addi t1, t1, 1
    blt  t1, t2, 6b
    la   a0, s_worker_out
    call line_begin
    mv   a0, s0
    call line_num
    la   a0, s_worker_end
    call line_str
    call line_flush
    li   a0, PRIMES_BELOW_N
    sub  a0, s0, a0
    snez a0, a0
    call exit

# ---------------------------------------------------------------- data

    .data
    .align 4
# Run-time argument values, in ARG_* order.
own_pid:    .word 0
parent_pid: .word 0
zombie_pid: .word 0
worker_pid: .word 0
status:     .word 0

argv_worker:    .word name, r_worker, 0
argv_quiet:     .word name, r_quiet, 0
argv_self:      .word name, r_self, 0
argv_middle:    .word name, r_middle, 0
argv_patricide: .word name, r_patricide, 0
argv_bad_str:   .word name, 0xfff00000, 0   # second string outside memory
argv_tail:      .word name, USER_END - 4, 0 # second string runs off the end
argv_many:      .word name, name, name, name, name, name, name, name, name
                .word name, name, name, name, name, name, name, name, 0

# The matrix: number, a0, a1, a2, expected result, case name.
cases:
    .word SYS_WRITE, 1, USER_END, 1, -EFAULT, c_w1
    .word SYS_WRITE, 1, 0xfff00000, 4, -EFAULT, c_w2
    .word SYS_WRITE, 1, 0x100000, 4, -EFAULT, c_w3
    .word SYS_WRITE, 1, USER_END - 8, 16, -EFAULT, c_w4
    .word SYS_WRITE, 1, 0xfffffff0, 0x20, -EFAULT, c_w5
    .word SYS_WRITE, 1, hello_s, -1, -EFAULT, c_w6
    .word SYS_WRITE, 1, hello_s, 0x7fffffff, -EFAULT, c_w7
    .word SYS_WRITE, 1, hello_s, -16, -EFAULT, c_w8
    .word SYS_WRITE, 1, 0, 0, 0, c_w9
    .word SYS_WRITE, 1, USER_END, 0, 0, c_w10
    .word SYS_WRITE, 0, hello_s, 1, -EINVAL, c_w11
    .word SYS_WRITE, 3, hello_s, 1, -EINVAL, c_w12
    .word SYS_WRITE, -1, hello_s, 1, -EINVAL, c_w13
    .word SYS_WRITE, 0x80000001, hello_s, 1, -EINVAL, c_w14
    .word SYS_READ, 0, USER_END, 4, -EFAULT, c_r1
    .word SYS_READ, 0, 0xfff00000, 4, -EFAULT, c_r2
    .word SYS_READ, 0, 0xf0000004, 4, -EFAULT, c_r3
    .word SYS_READ, 0, USER_END - 2, 4, -EFAULT, c_r4
    .word SYS_READ, 0, read_buf, -1, -EFAULT, c_r5
    .word SYS_READ, 0, read_buf, 0x7fffffff, -EFAULT, c_r6
    .word SYS_READ, 1, read_buf, 4, -EINVAL, c_r7
    .word SYS_READ, -1, read_buf, 4, -EINVAL, c_r8
    .word SYS_READ, 0, 0, 0, 0, c_r9
    .word SYS_SPAWN, USER_END, 0, 0, -EFAULT, c_s1
    .word SYS_SPAWN, 0xfff00000, 0, 0, -EFAULT, c_s2
    .word SYS_SPAWN, -1, 0, 0, -EFAULT, c_s3
    .word SYS_SPAWN, USER_END - 4, 0, 0, -EFAULT, c_s4
    .word SYS_SPAWN, empty_s, 0, 0, -EINVAL, c_s5
    .word SYS_SPAWN, long_s, 0, 0, -E2BIG, c_s6
    .word SYS_SPAWN, nosuch_s, 0, 0, -ENOENT, c_s7
    .word SYS_SPAWN, readme_s, 0, 0, -ENOEXEC, c_s8
    .word SYS_SPAWN, name, USER_END, 0, -EFAULT, c_s9
    .word SYS_SPAWN, name, 0xfff00000, 0, -EFAULT, c_s10
    .word SYS_SPAWN, name, argv_bad_str, 0, -EFAULT, c_s11
    .word SYS_SPAWN, name, argv_tail, 0, -EFAULT, c_s12
    .word SYS_SPAWN, name, argv_many, 0, -E2BIG, c_s13
    .word SYS_SPAWN, name, USER_END - 4, 0, -EFAULT, c_s14
    .word SYS_SPAWN, name, argv_quiet + 2, 0, -EFAULT, c_s15
    .word SYS_WAIT, ARG_OWN, 0, 1, -ECHILD, c_a1
    .word SYS_WAIT, ARG_PARENT, 0, 1, -ECHILD, c_a2
    .word SYS_WAIT, 1, 0, 1, -ECHILD, c_a3
    .word SYS_WAIT, 999, 0, 1, -ECHILD, c_a4
    .word SYS_WAIT, 0, 0, 1, -ECHILD, c_a5
    .word SYS_WAIT, -2, 0, 1, -ECHILD, c_a6
    .word SYS_WAIT, -1, USER_END, 1, -EFAULT, c_a7
    .word SYS_WAIT, -1, 0xfff00000, 1, -EFAULT, c_a8
    .word SYS_WAIT, -1, USER_END - 2, 1, -EFAULT, c_a9
    .word SYS_WAIT, -1, status + 1, 1, -EFAULT, c_a10
    .word SYS_KILL, 1, 0, 0, -EPERM, c_k1
    .word SYS_KILL, 999, 0, 0, -ESRCH, c_k2
    .word SYS_KILL, 0, 0, 0, -ESRCH, c_k3
    .word SYS_KILL, -1, 0, 0, -ESRCH, c_k4
    .word SYS_KILL, ARG_ZOMBIE, 0, 0, -ESRCH, c_k5
    .word SYS_PS, USER_END, 1, 0, -EFAULT, c_p1
    .word SYS_PS, 0xfff00000, 1, 0, -EFAULT, c_p2
    .word SYS_PS, USER_END - PS_RECORD, 2, 0, -EFAULT, c_p3
    .word SYS_PS, USER_END - PS_RECORD, -1, 0, -EFAULT, c_p4
    .word SYS_PS, ps_buf + 2, 1, 0, -EFAULT, c_p5
    .word SYS_PS, 0, 0, 0, 0, c_p6
    .word SYS_READFILE, USER_END, read_buf, 4, -EFAULT, c_f1
    .word SYS_READFILE, 0xfff00000, read_buf, 4, -EFAULT, c_f2
    .word SYS_READFILE, long_s, read_buf, 4, -E2BIG, c_f3
    .word SYS_READFILE, nosuch_s, read_buf, 4, -ENOENT, c_f4
    .word SYS_READFILE, readme_s, USER_END, 4, -EFAULT, c_f5
    .word SYS_READFILE, readme_s, 0xfff00000, 4, -EFAULT, c_f6
    .word SYS_READFILE, readme_s, USER_END - 2, 4, -EFAULT, c_f7
    .word SYS_READFILE, readme_s, read_buf, -1, -EFAULT, c_f8
    .word SYS_READFILE, readme_s, read_buf, 0x7fffffff, -EFAULT, c_f9
    .word SYS_READFILE, readme_s, read_buf, 0, 0, c_f10
    .word SYS_SLEEP, -5, 0, 0, 0, c_z1
    .word SYS_SLEEP, 0x80000000, 0, 0, 0, c_z2
    .word SYS_GETPID, 0xfff00000, -1, -1, NONNEG, c_g1
    .word SYS_UPTIME, -1, -1, -1, NONNEG, c_u1
    .word SYS_YIELD, -1, -1, -1, 0, c_y1
    .word NSYSCALLS, 0, 0, 0, -ENOSYS, c_n1
    .word 13, 0, 0, 0, -ENOSYS, c_n2
    .word 255, 0, 0, 0, -ENOSYS, c_n3
    .word 0x7fffffff, 0, 0, 0, -ENOSYS, c_n4
    .word -1, 0, 0, 0, -ENOSYS, c_n5
    .word 0x80000000, 0, 0, 0, -ENOSYS, c_n6
    .word 0x10001, 0, 0, 0, -ENOSYS, c_n7
cases_end:

name:        .asciz "badcall"
r_worker:    .asciz "worker"
r_quiet:     .asciz "quiet"
r_self:      .asciz "self"
r_middle:    .asciz "middle"
r_patricide: .asciz "patricide"
hello_s:     .asciz "hello"
empty_s:     .asciz ""
long_s:      .asciz "a_name_of_twenty_four_ch"
nosuch_s:    .asciz "nosuchprogram"
readme_s:    .asciz "readme"

check_prefix: .asciz "badcall: "
s_cases:      .asciz " cases, "
s_worker:     .asciz "worker (sieve, concurrent) exit status"
s_worker_out: .asciz "worker: "
s_worker_end: .asciz " primes below 20000"
s_kill_self:  .asciz "kill: own pid ends the caller with 143"
s_kill_parent: .asciz "kill: parent pid ends the parent with 143"

c_w1:  .asciz "write: pointer at the end of memory"
c_w2:  .asciz "write: kernel pointer (wraps to physical 0)"
c_w3:  .asciz "write: pointer to physical user memory (another slot)"
c_w4:  .asciz "write: buffer starts inside, runs outside"
c_w5:  .asciz "write: buffer wraps around 2^32"
c_w6:  .asciz "write: length -1"
c_w7:  .asciz "write: length 0x7fffffff"
c_w8:  .asciz "write: length -16"
c_w9:  .asciz "write: null pointer, length 0"
c_w10: .asciz "write: pointer at the end, length 0"
c_w11: .asciz "write: fd 0"
c_w12: .asciz "write: fd 3"
c_w13: .asciz "write: fd -1"
c_w14: .asciz "write: fd 0x80000001"
c_r1:  .asciz "read: pointer at the end of memory"
c_r2:  .asciz "read: kernel pointer"
c_r3:  .asciz "read: device address"
c_r4:  .asciz "read: buffer starts inside, runs outside"
c_r5:  .asciz "read: length -1"
c_r6:  .asciz "read: length 0x7fffffff"
c_r7:  .asciz "read: fd 1"
c_r8:  .asciz "read: fd -1"
c_r9:  .asciz "read: null pointer, length 0"
c_s1:  .asciz "spawn: name at the end of memory"
c_s2:  .asciz "spawn: name in the kernel"
c_s3:  .asciz "spawn: name at 0xffffffff"
c_s4:  .asciz "spawn: name runs off the end of memory"
c_s5:  .asciz "spawn: empty name"
c_s6:  .asciz "spawn: name of 24 characters"
c_s7:  .asciz "spawn: no such program"
c_s8:  .asciz "spawn: a file that is not a program"
c_s9:  .asciz "spawn: argv at the end of memory"
c_s10: .asciz "spawn: argv in the kernel"
c_s11: .asciz "spawn: argv string in the kernel"
c_s12: .asciz "spawn: argv string runs off the end"
c_s13: .asciz "spawn: 17 arguments"
c_s14: .asciz "spawn: argv array runs off the end"
c_s15: .asciz "spawn: misaligned argv"
c_a1:  .asciz "wait: own pid"
c_a2:  .asciz "wait: parent pid"
c_a3:  .asciz "wait: init"
c_a4:  .asciz "wait: nonexistent pid"
c_a5:  .asciz "wait: pid 0"
c_a6:  .asciz "wait: pid -2"
c_a7:  .asciz "wait: status pointer at the end of memory"
c_a8:  .asciz "wait: status pointer in the kernel"
c_a9:  .asciz "wait: status pointer runs off the end"
c_a10: .asciz "wait: misaligned status pointer"
c_k1:  .asciz "kill: init"
c_k2:  .asciz "kill: nonexistent pid"
c_k3:  .asciz "kill: pid 0"
c_k4:  .asciz "kill: pid -1"
c_k5:  .asciz "kill: an exited child (zombie)"
c_p1:  .asciz "ps: buffer at the end of memory"
c_p2:  .asciz "ps: kernel buffer"
c_p3:  .asciz "ps: buffer starts inside, runs outside"
c_p4:  .asciz "ps: max -1 (means 16) with room for one record"
c_p5:  .asciz "ps: misaligned buffer"
c_p6:  .asciz "ps: null pointer, max 0"
c_f1:  .asciz "readfile: name at the end of memory"
c_f2:  .asciz "readfile: name in the kernel"
c_f3:  .asciz "readfile: name of 24 characters"
c_f4:  .asciz "readfile: no such file"
c_f5:  .asciz "readfile: buffer at the end of memory"
c_f6:  .asciz "readfile: kernel buffer"
c_f7:  .asciz "readfile: buffer starts inside, runs outside"
c_f8:  .asciz "readfile: length -1"
c_f9:  .asciz "readfile: length 0x7fffffff"
c_f10: .asciz "readfile: length 0"
c_z1:  .asciz "sleep: -5 ticks"
c_z2:  .asciz "sleep: -2^31 ticks"
c_g1:  .asciz "getpid: garbage arguments"
c_u1:  .asciz "uptime: garbage arguments"
c_y1:  .asciz "yield: garbage arguments"
c_n1:  .asciz "call 12 (NSYSCALLS)"
c_n2:  .asciz "call 13"
c_n3:  .asciz "call 255"
c_n4:  .asciz "call 0x7fffffff"
c_n5:  .asciz "call -1"
c_n6:  .asciz "call 0x80000000"
c_n7:  .asciz "call 0x10001"

    .bss
    .align 4
read_buf: .space 64
sieve:    .space SIEVE_N
