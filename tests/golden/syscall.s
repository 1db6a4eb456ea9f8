# lde-args: --trace -
# A system-call round trip: the result comes back in a0, every other
# register comes back unchanged, an unknown call returns -1, exit(3).
        .include "kernel.inc"
        li   s0, 0x5050
        li   t2, 0x7272
        li   a1, 0x1111
        li   a5, 4
        li   a0, 0x12345678
        syscall                         # puthex: returns 0
        mv   s1, a0
        li   a5, 1
        li   a0, '\n'
        syscall
        li   a5, 42                     # no such call
        syscall
        mv   s2, a0
        li   t0, 0x5050                 # check what must survive
        bne  s0, t0, bad
        li   t0, 0x7272
        bne  t2, t0, bad
        li   t0, 0x1111
        bne  a1, t0, bad
        li   t0, 0x4000 - 0             # sp is still the top of user memory
        bne  sp, t0, bad
        bnez s1, bad
        li   t0, -1
        bne  s2, t0, bad
        li   a5, 2
        li   a0, ok - user_start
        syscall
        li   a5, 0
        li   a0, 3
        syscall
bad:    li   a5, 0
        li   a0, 1
        syscall
ok:     .asciz "registers preserved, unknown call returned -1\n"
