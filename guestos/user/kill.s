# kill PID... - end processes (the kill system call; status 143).
    .include "ulib.s"
main:
    addi sp, sp, -16
    sw   ra, 12(sp)
    sw   s0, 8(sp)
    sw   s1, 4(sp)
    sw   s2, 0(sp)
    mv   s0, a0
    mv   s1, a1
    li   s2, 1
1:  bge  s2, s0, 3f
    slli t0, s2, 2
    add  t0, s1, t0
    lw   a0, 0(t0)
    call atoi
    call kill
    bltz a0, 2f
    addi s2, s2, 1
    j    1b
2:  push a0                          # "kill: PID: error N", status 1
    la   a0, msg_kill
    call puts
    slli t0, s2, 2
    add  t0, s1, t0
    lw   a0, 0(t0)
    call puts
    la   a0, msg_error
    call puts
    pop  a0
    call print_num
    li   a0, 10
    call putc
    li   a0, 1
    j    4f
3:  li   a0, 0
4:  lw   ra, 12(sp)
    lw   s0, 8(sp)
    lw   s1, 4(sp)
    lw   s2, 0(sp)
    addi sp, sp, 16
    ret

    .data
msg_kill:  .asciz "kill: "
msg_error: .asciz ": error "
