# calls.s - functions: call/ret, the stack, push/pop, recursion.
# Prints 5! = 120 in decimal.
        .equ CONSOLE, 0xf0000000
        .equ STACK_TOP, 0x10000

        .text
        .global _start
_start:
        li   sp, STACK_TOP
        li   a0, 5
        call fact                       # a0 = 5!
        call print_dec
        li   a0, '\n'
        li   t0, CONSOLE
        sw   a0, 0(t0)
        halt zero

# fact: a0 = a0! (recursive; a0 > 0 calls itself with a0 - 1)
fact:
        bnez a0, 1f
        li   a0, 1                      # 0! = 1
        ret
1:      push ra                         # save the return address...
        push a0                         # ...and n
        addi a0, a0, -1
        call fact                       # a0 = (n - 1)!
        pop  a1                         # a1 = n
        mul  a0, a0, a1
        pop  ra
        ret

# print_dec: print a0 as an unsigned decimal number
print_dec:
        la   a1, digits_end             # digits are made right to left
        li   a2, 10
1:      remu a3, a0, a2
        addi a3, a3, '0'
        addi a1, a1, -1
        sb   a3, 0(a1)
        divu a0, a0, a2
        bnez a0, 1b
        li   t0, CONSOLE
2:      lbu  a3, 0(a1)
        beqz a3, 3f
        sw   a3, 0(t0)
        addi a1, a1, 1
        j    2b
3:      ret

        .bss
digits: .space 11
digits_end:
        .space 1                        # stays 0: ends the string
