# loops.s - branches, pseudo-branches and local labels.
# Prints "9876543210" and a newline.
        .equ CONSOLE, 0xf0000000

        .text
_start:
        li   t0, CONSOLE
        li   s0, 9                      # counter
1:      addi a0, s0, '0'                # digit for the counter
        sw   a0, 0(t0)
        addi s0, s0, -1
        bgez s0, 1b                     # 1b: the nearest "1:" above
        li   a0, '\n'
        sw   a0, 0(t0)
        li   s1, 0                      # a loop with the test at the top
1:      li   t1, 3
        bge  s1, t1, 1f                 # 1f: the nearest "1:" below
        addi s1, s1, 1
        j    1b
1:      halt zero
