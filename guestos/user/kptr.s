# kptr - hostile: pass pointers outside its memory (into the kernel, the
# devices, past its end) to system calls.  The kernel checks every pointer
# and length against the caller's bounds and returns -EFAULT (-2).
    .include "ulib.s"

main:
    push ra
    li   a0, 1
    li   a1, 0xfff00000
    li   a2, 16
    call write
    la   a1, m0
    call report
    li   a0, 1
    li   a1, 0xfff8
    li   a2, 16
    call write
    la   a1, m1
    call report
    li   a0, 1
    li   a1, -1
    li   a2, 2
    call write
    la   a1, m2
    call report
    li   a0, 0
    li   a1, 0xf0000000
    li   a2, 4
    call read
    la   a1, m3
    call report
    li   a0, 0xfff00000
    li   a1, 0
    call spawn
    la   a1, m4
    call report
    li   a0, -1
    li   a1, 0xfff00000
    li   a2, 0
    call wait
    la   a1, m5
    call report
    li   a0, 0xffe0
    li   a1, 16
    call ps
    la   a1, m6
    call report
    la   a0, hello
    li   a1, 0xfff00000
    li   a2, 100
    call readfile
    la   a1, m7
    call report
    pop  ra
    li   a0, 0
    ret


# report(a0 = result, a1 = what was tried): "kptr: <what> -> <result>".
report:
    ENTER 0
    sw   a0, 8(sp)
    sw   a1, 4(sp)
    la   a0, prefix
    call puts
    lw   a0, 4(sp)
    call puts
    la   a0, arrow
    call puts
    lw   a0, 8(sp)
    call print_num
    li   a0, 10
    call putc
    LEAVE 0
    ret

    .data
hello:  .asciz "hello"
prefix: .asciz "kptr: "
arrow:  .asciz " -> "
m0: .asciz "write(1, kernel, 16)"
m1: .asciz "write(1, end - 8, 16)"
m2: .asciz "write(1, 0xffffffff, 2)"
m3: .asciz "read(0, devices, 4)"
m4: .asciz "spawn(kernel, 0)"
m5: .asciz "wait(-1, kernel, 0)"
m6: .asciz "ps(end - 32, 16)"
m7: .asciz "readfile(hello, kernel, 100)"
