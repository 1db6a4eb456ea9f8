# frame.s - the stack frame every function of the guest OS uses, as two
# macros (included by the kernel and by the user library).
#
#     ENTER n     make a frame and save ra and s0..s(n-1) in it
#     LEAVE n     restore them and pop the frame (a `ret` follows)
#
# n is 0..4.  The frame is 16 bytes (32 for n = 4, keeping sp 16-byte
# aligned); ra sits in its top word and s0, s1, ... in the words below:
#
#     16-byte frame: ra 12(sp), s0 8(sp), s1 4(sp), s2 0(sp)
#     32-byte frame: ra 28(sp), s0 24(sp), s1 20(sp), s2 16(sp), s3 12(sp)
#
# so `ENTER 2` assembles to
#     addi sp, sp, -16
#     sw   ra, 12(sp)
#     sw   s0, 8(sp)
#     sw   s1, 4(sp)

    .macro ENTER n
    .if \n > 4
    .error "ENTER saves at most s0..s3"
    .endif
    .if \n == 4
    addi sp, sp, -32
    sw   ra, 28(sp)
    sw   s0, 24(sp)
    sw   s1, 20(sp)
    sw   s2, 16(sp)
    sw   s3, 12(sp)
    .else
    addi sp, sp, -16
    sw   ra, 12(sp)
    .if \n >= 1
    sw   s0, 8(sp)
    .endif
    .if \n >= 2
    sw   s1, 4(sp)
    .endif
    .if \n >= 3
    sw   s2, 0(sp)
    .endif
    .endif
    .endm

    .macro LEAVE n
    .if \n == 4
    lw   ra, 28(sp)
    lw   s0, 24(sp)
    lw   s1, 20(sp)
    lw   s2, 16(sp)
    lw   s3, 12(sp)
    addi sp, sp, 32
    .else
    lw   ra, 12(sp)
    .if \n >= 1
    lw   s0, 8(sp)
    .endif
    .if \n >= 2
    lw   s1, 4(sp)
    .endif
    .if \n >= 3
    lw   s2, 0(sp)
    .endif
    addi sp, sp, 16
    .endif
    .endm
