# os_syscall.s - the `syscall` workload: a user process under the guest OS
# makes CALLS null system calls (getpid, issued inline) and prints how many
# returned its own pid.  CALLS comes from lde-as -D.
    .include "ulib.s"
    .equ N_CALLS, CALLS
main:
    addi sp, sp, -16
    sw   ra, 12(sp)
    sw   s0, 8(sp)
    sw   s1, 4(sp)
    sw   s2, 0(sp)
    call getpid
    mv   s2, a0                      # our pid
    li   s0, N_CALLS                 # calls left
    li   s1, 0                       # calls that returned our pid
1:  li   a5, SYS_GETPID
    syscall
    sub  a0, a0, s2
    seqz a0, a0
    add  s1, s1, a0
    addi s0, s0, -1
    bnez s0, 1b
    mv   a0, s1
    call print_num
    li   a0, '\n'
    call putc
    li   a0, 0
    lw   ra, 12(sp)
    lw   s0, 8(sp)
    lw   s1, 4(sp)
    lw   s2, 0(sp)
    addi sp, sp, 16
    ret
