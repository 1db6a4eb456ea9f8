# loop - 20,000,000 user instructions in a tight loop, then exit 0.  The
# monitor's speed test (loop-speed.sh): a user breakpoint that is set but
# never reached must not make the monitor step instructions one by one.
    .include "ulib.s"
main:
    li   t0, 10000000
1:  addi t0, t0, -1
    bnez t0, 1b
    li   a0, 0
    ret
    .space 0x2000                    # past the end of init's code (same addresses)
never:                               # never executed: the breakpoint's place
    li   a0, 1
    ret
