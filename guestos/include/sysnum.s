# sysnum.s - THE list of system calls of the lde guest kernel.
#
# Included by the kernel (its dispatch table is checked against these
# numbers) and by the user library (one stub per line, made by a macro).
# Numbers, arguments and errors are documented in docs/syscalls.md.
# A program puts the number in a5 and the arguments in a0..a4, executes
# `syscall`, and finds the result in a0 (negative = -error code).

    .equ SYS_EXIT,      0   # exit(status)                    never returns
    .equ SYS_WRITE,     1   # write(fd, buf, len)             -> bytes written
    .equ SYS_READ,      2   # read(fd, buf, len)              -> bytes read, 0 at end of input
    .equ SYS_GETPID,    3   # getpid()                        -> pid
    .equ SYS_YIELD,     4   # yield()                         -> 0
    .equ SYS_SPAWN,     5   # spawn(name, argv)               -> pid of the new process
    .equ SYS_WAIT,      6   # wait(pid, &status, flags)       -> pid reaped, 0 if WNOHANG and none
    .equ SYS_SLEEP,     7   # sleep(ticks)                    -> 0
    .equ SYS_UPTIME,    8   # uptime()                        -> timer ticks since boot
    .equ SYS_KILL,      9   # kill(pid)                       -> 0
    .equ SYS_PS,        10  # ps(buf, max)                    -> number of records written
    .equ SYS_READFILE,  11  # readfile(name, buf, len)        -> bytes copied
    .equ NSYSCALLS,     12

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
