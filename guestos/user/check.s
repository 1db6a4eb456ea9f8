# check.s - what the test programs badcall and isolate share (included
# after ulib.s): pass/fail bookkeeping, and looking a process up in the
# table of the ps system call.  The program defines check_prefix, the
# string every line starts with ("badcall: ").  Each line is built in
# memory and written with one system call, so that the output of another
# process running meanwhile never lands inside it.

    .equ NONNEG, 0x40000000         # an expected result: any value >= 0

# check(a0 = got, a1 = expected or NONNEG, a2 = case name): count, and
# print "<prefix>NAME: OK" or "<prefix>NAME: FAILED (got G, expected E)".
check:
    ENTER 3
    mv   s0, a0
    mv   s1, a1
    mv   s2, a2
    la   a0, check_prefix
    call line_begin
    mv   a0, s2
    call line_str
    li   t0, NONNEG
    bne  s1, t0, 1f
    bgez s0, 3f
    j    2f
1:  beq  s0, s1, 3f
2:  la   t0, failed
    lw   t1, 0(t0)
    addi t1, t1, 1
    sw   t1, 0(t0)
    la   a0, s_failed
    call line_str
    mv   a0, s0
    call line_num
    la   a0, s_expected
    call line_str
    mv   a0, s1
    call line_num
    la   a0, s_close
    call line_str
    j    4f
3:  la   t0, passed
    lw   t1, 0(t0)
    addi t1, t1, 1
    sw   t1, 0(t0)
    la   a0, s_ok
    call line_str
4:  call line_flush
    LEAVE 3
    ret

# check_total(a0 = what is counted, e.g. " cases, "): print
# "<prefix>N cases, N OK, N FAILED" -> a0 = the number FAILED.
check_total:
    ENTER 1
    mv   s0, a0
    la   a0, check_prefix
    call line_begin
    la   t0, passed
    lw   a0, 0(t0)
    la   t0, failed
    lw   t1, 0(t0)
    add  a0, a0, t1
    call line_num
    mv   a0, s0
    call line_str
    la   t0, passed
    lw   a0, 0(t0)
    call line_num
    la   a0, s_oks
    call line_str
    la   t0, failed
    lw   a0, 0(t0)
    call line_num
    la   a0, s_faileds
    call line_str
    call line_flush
    la   t0, failed
    lw   a0, 0(t0)
    LEAVE 1
    ret

# ps_record(a0 = pid) -> a0 = its record (in ps_buf, filled by the ps
# system call), or 0 if the process table has no such pid.
ps_record:
    ENTER 1
    mv   s0, a0
    la   a0, ps_buf
    li   a1, 16
    call ps
    li   t0, PS_RECORD
    mul  a0, a0, t0
    la   t0, ps_buf
    add  a0, a0, t0                 # the end of the records
1:  beq  t0, a0, 2f
    lw   t1, PS_PID(t0)
    beq  t1, s0, 3f
    addi t0, t0, PS_RECORD
    j    1b
2:  li   t0, 0
3:  mv   a0, t0
    LEAVE 1
    ret

# ps_state(a0 = pid) -> a0 = its ps state, or -1 if it is not in the table.
ps_state:
    ENTER 0
    call ps_record
    beqz a0, 1f
    lw   a0, PS_STATE(a0)
    j    2f
1:  li   a0, -1
2:  LEAVE 0
    ret

# ---- one output line, built in memory and written with one system call.

# line_begin(a0 = string): start a new line with it.
line_begin:
    la   t0, line_len
    sw   zero, 0(t0)
    # fall through to line_str

# line_str(a0 = string): append it.
line_str:
    la   t0, line_len
    lw   t1, 0(t0)
    la   t2, line_buf
1:  lbu  a1, 0(a0)
    beqz a1, 2f
    add  a2, t2, t1
    sb   a1, 0(a2)
    addi t1, t1, 1
    addi a0, a0, 1
    j    1b
2:  sw   t1, 0(t0)
    ret

# line_num(a0 = number): append it in signed decimal.
line_num:
    ENTER 0                          # the frame's low 12 bytes hold the digits
    mv   a1, sp
    call fmt_num
    call line_str
    LEAVE 0
    ret

# line_flush: add the newline and write the line.
line_flush:
    ENTER 0
    la   a0, s_newline
    call line_str
    li   a0, 1
    la   a1, line_buf
    la   t0, line_len
    lw   a2, 0(t0)
    call write
    LEAVE 0
    ret

    .data
    .align 4
passed:     .word 0
failed:     .word 0
line_len:   .word 0
s_ok:       .asciz ": OK"
s_failed:   .asciz ": FAILED (got "
s_expected: .asciz ", expected "
s_close:    .asciz ")"
s_newline:  .asciz "\n"
s_oks:      .asciz " OK, "
s_faileds:  .asciz " FAILED"

    .bss
    .align 4
ps_buf:     .space 16 * PS_RECORD
line_buf:   .space 256
    .text
