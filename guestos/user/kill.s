# kill PID... - end processes (the kill system call; status 143).
    .include "ulib.s"
main:
    la   a2, kill_arg
    la   a3, msg_kill
    j    for_each_arg                # "kill: PID: error N", status 1

# kill_arg(a0 = "PID") -> a0 = the result of kill.
kill_arg:
    push ra
    call atoi
    call kill
    pop  ra
    ret

    .data
msg_kill:  .asciz "kill: "
