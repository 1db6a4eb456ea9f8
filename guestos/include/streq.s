# streq.s - string comparison, the same code in the kernel (lib.s) and in
# the user library (ulib.s); each includes it where the function belongs.

# streq(a0, a1) -> a0 = 1 if the two strings are equal, else 0.
streq:
1:  lbu  t0, 0(a0)
    lbu  t1, 0(a1)
    bne  t0, t1, 2f
    beqz t0, 3f
    addi a0, a0, 1
    addi a1, a1, 1
    j    1b
2:  li   a0, 0
    ret
3:  li   a0, 1
    ret
