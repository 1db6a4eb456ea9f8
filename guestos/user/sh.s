# sh - the shell.  Reads a line, runs the program it names with the words
# as arguments and waits for it; a final `&` runs it in the background;
# `exit [status]` (or the end of input) leaves; `help` runs `cat readme`.
    .include "ulib.s"
    .equ LINE_SIZE, 200              # a command line and its NUL
    .equ MAX_WORDS, MAX_ARGS         # spawn takes at most MAX_ARGS (sysnum.s)
main:
    ENTER 3
loop:
    call reap
    la   a0, prompt
    call puts
    la   a0, line
    li   a1, LINE_SIZE
    call readline
    bltz a0, eof
    li   t0, LINE_SIZE - 1           # the buffer filled before a newline came
    beq  a0, t0, too_long
    la   a0, line
    la   a1, argv
    li   a2, MAX_WORDS + 1           # one more than a command may have
    call split_args
    beqz a0, loop
    li   t0, MAX_WORDS + 1
    beq  a0, t0, too_many
    mv   s0, a0                      # argc
    la   t0, argv
    lw   a0, 0(t0)
    la   a1, str_exit
    call streq
    bnez a0, do_exit
    la   t0, argv
    lw   a0, 0(t0)
    la   a1, str_help
    call streq
    beqz a0, 5f
    la   t0, argv                    # help: the same as `cat readme`
    la   t1, str_cat
    sw   t1, 0(t0)
    la   t1, str_readme
    sw   t1, 4(t0)
    sw   zero, 8(t0)
    li   s0, 2
5:  li   s1, 0                       # background?
    addi t0, s0, -1
    slli t0, t0, 2
    la   t1, argv
    add  s2, t1, t0                  # &argv[argc - 1]
    lw   a0, 0(s2)
    la   a1, str_amp
    call streq
    beqz a0, 1f
    sw   zero, 0(s2)
    li   s1, 1
    addi s0, s0, -1
    beqz s0, loop
1:  la   t0, argv
    lw   a0, 0(t0)
    la   a1, argv
    call spawn
    bltz a0, failed
    mv   s2, a0                      # pid
    beqz s1, 2f
    li   a0, '['                     # background: "[pid]"
    call putc
    mv   a0, s2
    call print_num
    la   a0, str_rbr
    call puts
    j    loop
2:  mv   a0, s2
    la   a1, status
    li   a2, 0
    call wait
    la   t0, status
    lw   s2, 0(t0)
    beqz s2, loop
    la   a0, str_status              # "[exit N]" for a non-zero status
    call puts
    mv   a0, s2
    call print_num
    la   a0, str_rbr
    call puts
    j    loop
failed:
    mv   s2, a0
    la   a0, str_sh
    call puts
    la   t0, argv
    lw   a0, 0(t0)
    call puts
    li   t0, -ENOENT
    bne  s2, t0, 3f
    la   a0, str_notfound
    call puts
    j    loop
3:  la   a0, str_error
    call puts
    mv   a0, s2
    call print_num
    li   a0, 10
    call putc
    j    loop
do_exit:
    li   a0, 0
    li   t0, 2
    blt  s0, t0, 4f
    la   t0, argv
    lw   a0, 4(t0)
    call atoi
4:  j    out
too_long:                            # the rest of the line is no command
    call skip_line
    la   a0, str_long
    call puts
    j    loop
too_many:
    la   a0, str_many
    call puts
    j    loop
eof:
    li   a0, 0
out:
    LEAVE 3
    ret

# skip_line: read and drop the input up to the next newline (or the end).
skip_line:
    push ra
1:  li   a0, 0
    la   a1, line
    li   a2, 1
    call read
    blez a0, 2f
    la   t0, line
    lbu  t0, 0(t0)
    li   t1, 10
    bne  t0, t1, 1b
2:  pop  ra
    ret

# reap: collect background children that have ended: "[pid done, status S]".
reap:
    push ra
1:  li   a0, -1
    la   a1, status
    li   a2, WNOHANG
    call wait
    blez a0, 2f
    push a0
    li   a0, '['
    call putc
    pop  a0
    call print_num
    la   a0, str_done
    call puts
    la   t0, status
    lw   a0, 0(t0)
    call print_num
    la   a0, str_rbr
    call puts
    j    1b
2:  pop  ra
    ret

    .data
prompt:       .asciz "$ "
str_exit:     .asciz "exit"
str_help:     .asciz "help"
str_cat:      .asciz "cat"
str_readme:   .asciz "readme"
str_amp:      .asciz "&"
str_rbr:      .asciz "]\n"
str_status:   .asciz "[exit "
str_done:     .asciz " done, status "
str_sh:       .asciz "sh: "
str_notfound: .asciz ": not found (help lists the programs)\n"
str_error:    .asciz ": cannot run, error "
str_long:     .asciz "sh: line too long (at most 198 characters)\n"
str_many:     .asciz "sh: too many words (at most 16)\n"
    .align 4
status:       .word 0
argv:         .space 4 * (MAX_WORDS + 2) # MAX_WORDS + 1 words and the 0
line:         .space LINE_SIZE
