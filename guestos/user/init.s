# init - the first process.  Runs the command in the disk file `bootcmd`
# if there is one (for `lde run`), else the shell; waits for it (reaping
# any orphans meanwhile) and exits with its status, which halts the machine.
    .include "ulib.s"
main:
    ENTER 1
    la   a0, bootcmd_name
    la   a1, line
    li   a2, 255
    call readfile
    blez a0, 1f
    la   t0, line
    add  t0, t0, a0
    sb   zero, 0(t0)
    la   a0, line
    la   a1, argv
    li   a2, 16
    call split_args
    bnez a0, 2f
1:  la   t0, argv                    # no bootcmd: the shell
    la   t1, sh_name
    sw   t1, 0(t0)
    sw   zero, 4(t0)
2:  la   t0, argv
    lw   a0, 0(t0)
    la   a1, argv
    call spawn
    bltz a0, 5f
    mv   s0, a0
3:  li   a0, -1                      # wait for it; orphans come here too
    la   a1, status
    li   a2, 0
    call wait
    bltz a0, 4f
    bne  a0, s0, 3b
    la   t0, status
    lw   a0, 0(t0)
    j    9f
4:  li   a0, 1
    j    9f
5:  mv   a3, a0                      # "init: cannot run NAME: error N"
    la   a0, msg_cannot
    la   t0, argv
    lw   a1, 0(t0)
    la   a2, ulib_error
    call print_error
    li   a0, 127
9:  LEAVE 1
    ret

    .data
bootcmd_name: .asciz "bootcmd"
sh_name:      .asciz "sh"
msg_cannot:   .asciz "init: cannot run "
    .align 4
status:       .word 0
argv:         .space 68
line:         .space 256
