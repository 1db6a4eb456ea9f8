# constants.s - constants, expressions, %hi/%lo and li/la.
        .equ CONSOLE, 0xf0000000
        .equ WIDTH, 6
        .equ HEIGHT, 7
        .equ AREA, WIDTH * HEIGHT       # 42: C precedence and operators
        .equ MASK, ~0xf & 0xff          # 0xf0
        .set COUNT, 1                   # .set may be changed later...
        .set COUNT, COUNT + 1           # ...now 2

        .text
_start:
        lui  t0, %hi(CONSOLE)           # the long way to load an address:
        ori  t0, t0, %lo(CONSOLE)       # upper half, then lower half
        li   a0, 'A' + COUNT            # 'C'
        sw   a0, 0(t0)
        li   a0, '\n'
        sw   a0, 0(t0)
        li   a1, 0x12345678             # li: any 32-bit value (lui + ori)
        la   a2, table                  # la: always lui + ori
        lw   a3, 4(a2)                  # the second word of the table
        bne  a1, a3, bad
        li   a0, AREA                   # exit status 42
        halt a0
bad:    li   a0, 1
        halt a0

        .data
table:  .word MASK, 0x12345678, table, . - table
