# lib.s - small helpers for the kernel (leaf functions: they clobber only
# a0..a2 and t0..t2, and return their result in a0).

# memcpy(a0 = dst, a1 = src, a2 = bytes): word by word when all three are
# multiples of 4, else byte by byte.
memcpy:
    or   t0, a0, a1
    or   t0, t0, a2
    andi t0, t0, 3
    bnez t0, 2f
1:  beqz a2, 3f
    lw   t0, 0(a1)
    sw   t0, 0(a0)
    addi a0, a0, 4
    addi a1, a1, 4
    addi a2, a2, -4
    j    1b
2:  beqz a2, 3f
    lbu  t0, 0(a1)
    sb   t0, 0(a0)
    addi a0, a0, 1
    addi a1, a1, 1
    addi a2, a2, -1
    j    2b
3:  ret

# memzero(a0 = dst, a1 = bytes): both multiples of 4.  Eight stores per
# loop while 32 bytes are left: clearing a process's 64 KiB is most of the
# cost of creating it.
memzero:
    add  a1, a0, a1                  # end
    addi t0, a1, -32                 # the last address a full block starts at
1:  bltu t0, a0, 3f
    sw   zero, 0(a0)
    sw   zero, 4(a0)
    sw   zero, 8(a0)
    sw   zero, 12(a0)
    sw   zero, 16(a0)
    sw   zero, 20(a0)
    sw   zero, 24(a0)
    sw   zero, 28(a0)
    addi a0, a0, 32
    j    1b
3:  beq  a0, a1, 2f
    sw   zero, 0(a0)
    addi a0, a0, 4
    j    3b
2:  ret

    .include "../include/streq.s"

# strlcpy(a0 = dst, a1 = src, a2 = max chars) -> a0 = chars copied; dst is
# always NUL-terminated (it must have room for max + 1 bytes).
strlcpy:
    li   t1, 0
1:  beq  t1, a2, 2f
    add  t0, a1, t1
    lbu  t0, 0(t0)
    beqz t0, 2f
    add  t2, a0, t1
    sb   t0, 0(t2)
    addi t1, t1, 1
    j    1b
2:  add  t2, a0, t1
    sb   zero, 0(t2)
    mv   a0, t1
    ret
