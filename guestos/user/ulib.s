# ulib.s - the user library: program start, system-call stubs, printing
# and string helpers.  Every user program starts with
#     .include "ulib.s"
# and defines main(argc in a0, argv in a1); the value main returns is the
# process's exit status.  Programs are linked at user address 0; the kernel
# puts argc, argv and the stack at the top of the process's memory.

    .include "../include/sysnum.s"
    .include "../include/frame.s"    # ENTER/LEAVE: the function frame

    .text
    .global _start
_start:
    call main
    call exit                        # exit(main's result); never returns

# One stub per system call of the list in sysnum.s: number in a5,
# arguments already in a0..a4.
    .macro SYSCALL_STUB name, const, number
\name:
    li   a5, \const
    syscall
    ret
    .endm
    SYSCALLS SYSCALL_STUB

# strlen(a0) -> a0 = length.
strlen:
    mv   t0, a0
1:  lbu  t1, 0(t0)
    beqz t1, 2f
    addi t0, t0, 1
    j    1b
2:  sub  a0, t0, a0
    ret

# puts(a0): write the string to the console (no newline added).
puts:
    push ra
    push a0
    call strlen
    mv   a2, a0
    pop  a1
    li   a0, 1
    call write
    pop  ra
    ret

# putc(a0): write one character.
putc:
    ENTER 0
    sb   a0, 0(sp)
    mv   a1, sp
    li   a0, 1
    li   a2, 1
    call write
    LEAVE 0
    ret

# fmt_num(a0 = number, a1 = a 12-byte buffer) -> a0 = the number in signed
# decimal, NUL-terminated, at the end of the buffer (11 characters at most).
fmt_num:
    addi a1, a1, 11
    sb   zero, 0(a1)
    mv   t2, a0
    bgez a0, 1f
    neg  a0, a0
1:  li   t1, 10
2:  remu t0, a0, t1                  # digits from the last one backwards
    addi t0, t0, '0'
    addi a1, a1, -1
    sb   t0, 0(a1)
    divu a0, a0, t1
    bnez a0, 2b
    bgez t2, 3f
    li   t0, '-'
    addi a1, a1, -1
    sb   t0, 0(a1)
3:  mv   a0, a1
    ret

# print_num(a0): signed decimal.
print_num:
    ENTER 0                          # the frame's low 12 bytes hold the digits
    mv   a1, sp
    call fmt_num
    call puts
    LEAVE 0
    ret

# print_error(a0 = prefix, a1 = name, a2 = text, a3 = error): print
# "<prefix><name><text><error>" and a newline, e.g. "cat: nofile: error -3".
print_error:
    ENTER 3
    mv   s0, a1
    mv   s1, a2
    mv   s2, a3
    call puts
    mv   a0, s0
    call puts
    mv   a0, s1
    call puts
    mv   a0, s2
    call print_num
    li   a0, 10
    call putc
    LEAVE 3
    ret

# print_pad(a0 = number, a1 = width): right-aligned signed decimal.
print_pad:
    ENTER 2
    mv   s0, a0
    mv   s1, a1
    li   t0, 1                       # digits (and sign) of the number
    mv   t1, a0
    bgez t1, 1f
    addi t0, t0, 1
    neg  t1, t1
1:  li   t2, 10
2:  divu t1, t1, t2
    beqz t1, 3f
    addi t0, t0, 1
    j    2b
3:  sub  s1, s1, t0
4:  blez s1, 5f
    li   a0, ' '
    call putc
    addi s1, s1, -1
    j    4b
5:  mv   a0, s0
    call print_num
    LEAVE 2
    ret

    .include "../include/streq.s"

# atoi(a0) -> a0: decimal or 0x hex, optional leading '-'.
atoi:
    li   t2, 0                       # negative?
    lbu  t0, 0(a0)
    li   t1, '-'
    bne  t0, t1, 1f
    li   t2, 1
    addi a0, a0, 1
1:  li   a1, 0
    li   a2, 10
    lbu  t0, 0(a0)
    li   t1, '0'
    bne  t0, t1, 2f
    lbu  t0, 1(a0)
    ori  t0, t0, 0x20
    li   t1, 'x'
    bne  t0, t1, 2f
    li   a2, 16
    addi a0, a0, 2
2:  lbu  t0, 0(a0)
    addi t1, t0, -'0'
    sltiu a3, t1, 10
    bnez a3, 3f
    ori  t0, t0, 0x20
    addi t1, t0, -'a'
    sltiu a3, t1, 6
    beqz a3, 4f
    addi t1, t1, 10
3:  bgeu t1, a2, 4f
    mul  a1, a1, a2
    add  a1, a1, t1
    addi a0, a0, 1
    j    2b
4:  mv   a0, a1
    beqz t2, 5f
    neg  a0, a0
5:  ret

# readline(a0 = buffer, a1 = size) -> a0 = length of the line read (the
# newline removed, NUL-terminated), or -1 at the end of input.
readline:
    ENTER 3
    mv   s0, a0
    addi s1, a1, -1                  # room for the NUL
    li   s2, 0
1:  bge  s2, s1, 3f
    li   a0, 0
    add  a1, s0, s2
    sub  a2, s1, s2
    call read
    blez a0, 2f
    add  s2, s2, a0
    add  t0, s0, s2
    lbu  t0, -1(t0)
    li   t1, 10
    bne  t0, t1, 1b
    addi s2, s2, -1
    j    3f
2:  li   a0, -1
    beqz s2, 4f
3:  add  t0, s0, s2
    sb   zero, 0(t0)
    mv   a0, s2
4:  LEAVE 3
    ret

# split_args(a0 = line, a1 = argv array, a2 = max words) -> a0 = argc.
# Cuts the line in place at blanks; argv[argc] = 0.
split_args:
    li   a3, 0
1:  lbu  t0, 0(a0)
    beqz t0, 4f
    li   t1, ' '
    beq  t0, t1, 2f
    li   t1, 9
    beq  t0, t1, 2f
    li   t1, 10
    beq  t0, t1, 2f
    bge  a3, a2, 4f                  # a word begins
    slli t1, a3, 2
    add  t1, a1, t1
    sw   a0, 0(t1)
    addi a3, a3, 1
3:  addi a0, a0, 1                   # to the end of the word
    lbu  t0, 0(a0)
    beqz t0, 4f
    li   t1, ' '
    beq  t0, t1, 5f
    li   t1, 9
    beq  t0, t1, 5f
    li   t1, 10
    beq  t0, t1, 5f
    j    3b
5:  sb   zero, 0(a0)
2:  addi a0, a0, 1
    j    1b
4:  slli t1, a3, 2
    add  t1, a1, t1
    sw   zero, 0(t1)
    mv   a0, a3
    ret

# for_each_arg(a0 = argc, a1 = argv, a2 = function, a3 = prefix) -> a0 =
# exit status: calls function(argv[i]) for i = 1 .. argc - 1.  At the first
# negative result (an error) prints "<prefix><argv[i]>: error <result>" and
# returns 1; returns 0 when every call succeeded.
for_each_arg:
    ENTER 4
    mv   s0, a0                      # arguments left, argv[0] included
    mv   s1, a1                      # &argv[i]
    mv   s2, a2
    mv   s3, a3
1:  addi s0, s0, -1
    addi s1, s1, 4
    blez s0, 3f
    lw   a0, 0(s1)
    jalr ra, s2, 0
    bgez a0, 1b
    mv   a3, a0
    mv   a0, s3
    lw   a1, 0(s1)
    la   a2, ulib_error
    call print_error
    li   a0, 1
    j    4f
3:  li   a0, 0
4:  LEAVE 4
    ret

# run(a0 = argv) -> a0 = exit status: spawn the program argv[0] with the
# arguments argv and wait for it.  If spawn fails, its error instead.
run:
    ENTER 0                          # the exit status goes in the frame
    mv   a1, a0
    lw   a0, 0(a0)
    call spawn
    bltz a0, 1f
    mv   a1, sp
    li   a2, 0
    call wait
    lw   a0, 0(sp)
1:  LEAVE 0
    ret

# cycles() -> a0 = low 32 bits of the cycle counter (readable in user mode).
cycles:
    mfcr a0, cycle
    ret

    .data
ulib_error: .asciz ": error "
    .text
