# ps - list the processes (the ps system call fills PS_RECORD-byte records).
    .include "ulib.s"
main:
    ENTER 2
    la   a0, records
    li   a1, NPROC
    call ps
    mv   s0, a0                      # records left
    la   s1, records
    la   a0, header
    call puts
1:  blez s0, 2f
    lw   a0, PS_PID(s1)
    li   a1, 5
    call print_pad
    lw   a0, PS_PPID(s1)
    li   a1, 6
    call print_pad
    li   a0, ' '
    call putc
    lw   t0, PS_STATE(s1)
    slli t0, t0, 2
    la   t1, state_names
    add  t1, t1, t0
    lw   a0, 0(t1)
    call puts
    lw   a0, PS_SIZE(s1)
    li   a1, 7
    call print_pad
    li   a0, ' '
    call putc
    addi a0, s1, PS_NAME
    call puts
    li   a0, 10
    call putc
    addi s1, s1, PS_RECORD
    addi s0, s0, -1
    j    1b
2:  li   a0, 0
    LEAVE 2
    ret

    .data
header: .asciz "  PID  PPID STATE       SIZE NAME\n"
st0: .asciz "unused  "
st1: .asciz "runnable"
st2: .asciz "running "
st3: .asciz "sleeping"
st4: .asciz "waiting "
st5: .asciz "reading "
st6: .asciz "zombie  "
    .align 4
state_names: .word st0, st1, st2, st3, st4, st5, st6
records: .space NPROC * PS_RECORD
