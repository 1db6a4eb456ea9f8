# sysnum.s - THE list of system calls of the lde guest kernel.
#
# SYSCALLS is the list: `SYSCALLS m` expands to `m name, SYS_NAME, number`
# for every system call, in number order.  From it come the numbers below
# (SYS_EXIT ...; NSYSCALLS), the kernel's dispatch table (data.s) and the
# user library's stubs (ulib.s), so adding a call here adds all three; the
# kernel still needs its sys_NAME function (syscall.s), and docs/syscalls.md
# and the trace port's names (devices/trace.h) are checked against this
# list by the tests.  Numbers, arguments and errors: docs/syscalls.md.
# A program puts the number in a5 and the arguments in a0..a4, executes
# `syscall`, and finds the result in a0 (negative = -error code).

    .macro SYSCALLS m
    \m exit,     SYS_EXIT,     0   # exit(status)               never returns
    \m write,    SYS_WRITE,    1   # write(fd, buf, len)        -> bytes written
    \m read,     SYS_READ,     2   # read(fd, buf, len)         -> bytes read, 0 at end of input
    \m getpid,   SYS_GETPID,   3   # getpid()                   -> pid
    \m yield,    SYS_YIELD,    4   # yield()                    -> 0
    \m spawn,    SYS_SPAWN,    5   # spawn(name, argv)          -> pid of the new process
    \m wait,     SYS_WAIT,     6   # wait(pid, &status, flags)  -> pid reaped, 0 if WNOHANG and none
    \m sleep,    SYS_SLEEP,    7   # sleep(ticks)               -> 0
    \m uptime,   SYS_UPTIME,   8   # uptime()                   -> timer ticks since boot
    \m kill,     SYS_KILL,     9   # kill(pid)                  -> 0
    \m ps,       SYS_PS,       10  # ps(buf, max)               -> number of records written
    \m readfile, SYS_READFILE, 11  # readfile(name, buf, len)   -> bytes copied
    .endm

# SYS_NAME = number, checking that the numbers run 0, 1, 2, ... (the
# dispatch table is indexed by them); NSYSCALLS = how many.
    .set NEXT_SYSCALL, 0
    .macro SYS_NUMBER name, const, number
    .if \number != NEXT_SYSCALL
    .error "sysnum.s: system call \name is out of order: the numbers run 0, 1, 2, ... down the list"
    .endif
    .equ \const, \number
    .set NEXT_SYSCALL, NEXT_SYSCALL + 1
    .endm
    SYSCALLS SYS_NUMBER
    .equ NSYSCALLS, NEXT_SYSCALL

# Error codes (returned negated).
    .equ ENOSYS,  1     # no such system call
    .equ EFAULT,  2     # a pointer or length outside the caller's memory
    .equ EINVAL,  3     # a bad argument
    .equ ENOENT,  4     # no such program or file on the disk
    .equ EAGAIN,  5     # process table (or memory) full
    .equ ECHILD,  6     # no such child to wait for
    .equ ESRCH,   7     # no such process
    .equ ENOEXEC, 8     # not a valid program image, or too large
    .equ E2BIG,   9     # too many or too long arguments
    .equ EPERM,   10    # not allowed (e.g. kill init)
    .equ EIO,     11    # disk error

    .equ WNOHANG, 1     # wait flag: do not block

# Limits user programs need to know.
    .equ NPROC,    16   # process-table entries (so at most NPROC ps records)
    .equ MAX_ARGS, 16   # spawn(): at most this many arguments, argv[0] included

# One record of ps(): 32 bytes.
    .equ PS_PID,    0
    .equ PS_PPID,   4
    .equ PS_STATE,  8   # process state, as in the kernel (ST_*)
    .equ PS_SIZE,   12  # bytes of memory (bounds)
    .equ PS_NAME,   16  # 16 bytes, NUL-terminated
    .equ PS_RECORD, 32

# Process states (kernel process table and ps records).
    .equ ST_UNUSED,   0
    .equ ST_RUNNABLE, 1
    .equ ST_RUNNING,  2
    .equ ST_SLEEPING, 3  # sleep(): waiting for a tick
    .equ ST_WAITING,  4  # wait(): waiting for a child to exit
    .equ ST_READING,  5  # read(): waiting for console input
    .equ ST_ZOMBIE,   6  # exited; status kept until the parent waits
