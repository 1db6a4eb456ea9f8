# Every exception cause from user mode.  The kernel's handler prints the
# cause, the saved pc and faddr, then skips the instruction (or returns to
# ra when the fetch itself failed).  Bounds are 0x4000.
        .include "kernel.inc"
        .word 0x00000000                # opcode 0: illegal
        .word 0x00100001                # add with a non-zero unused bit: illegal
        .word 0x00200024                # slli by 32: illegal
        .word 0x00090055                # mfcr of CR 9 (none): illegal
        mtcr ttb, zero                  # privileged
        mfcr a0, status                 # privileged
        halt zero                       # privileged
        rett                            # privileged
        wfi                             # privileged
        mfcr a0, cycle                  # allowed in user mode
        mfcr a0, cycleh                 # allowed in user mode
        li   a1, 7
        div  a0, a1, zero               # divzero
        remu a0, a1, zero               # divzero
        lw   a0, 0x3ffc(zero)           # the last word inside bounds: fine
        lb   a0, 0x3fff(zero)           # the last byte: fine
        lw   a0, 0x4000(zero)           # protection, faddr 0x4000
        sb   a0, 0x4000(zero)           # protection
        lw   a0, -4(zero)               # protection: no wrap-around
        li   t0, 0xf0000000
        lw   a0, 0(t0)                  # devices are not reachable: protection
        lw   a0, 2(zero)                # misaligned
        lh   a0, 1(zero)                # misaligned
        sh   a0, 3(zero)                # misaligned
        lw   a0, 0x3ffe(zero)           # misaligned is checked before protection
        lw   a0, 0x4002(zero)           # misaligned, though out of bounds too
        li   t0, 2
        jalr ra, t0, 0                  # fetch at 2: misaligned, pc = faddr = 2
        li   t0, 0x4000
        jalr ra, t0, 0                  # fetch at bounds: protection
        brk                             # breakpoint
        li   a5, 0
        li   a0, 5
        syscall
