# sysbench - cycles per null system call (getpid), from the call in user
# mode to the return: the cost of a loop calling an empty function is
# measured too and subtracted.
    .equ N, 1000
    .include "ulib.s"
main:
    ENTER 3
    mfcr s0, cycle
    li   s2, N
1:  call getpid
    addi s2, s2, -1
    bnez s2, 1b
    mfcr s1, cycle
    sub  s1, s1, s0                  # N syscalls + loop
    mfcr s0, cycle
    li   s2, N
2:  call nothing
    addi s2, s2, -1
    bnez s2, 2b
    mfcr t0, cycle
    sub  t0, t0, s0                  # N empty calls + loop
    sub  s1, s1, t0
    la   a0, msg1
    call puts
    li   a0, N
    call print_num
    la   a0, msg2
    call puts
    li   t0, N
    divu a0, s1, t0
    call print_num
    la   a0, msg3
    call puts
    li   a0, 0
    LEAVE 3
    ret

nothing:
    ret

    .data
msg1: .asciz "sysbench: "
msg2: .asciz " getpid calls, "
msg3: .asciz " cycles per null system call (beyond a plain call)\n"
