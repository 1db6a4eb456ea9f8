# lde-args: --trace -
# wfi skips virtual time to the timer's firing (docs/isa.md section 11):
# the store arming the timer completes at cycle 6, the timer fires at 16,
# and with IE = 0 execution continues after the wfi with the counter at 16.
# The exit code is that cycle count.
        .text
        .global _start
_start:
        li   t0, 0xf0000100             # two instructions: lui + ori
        li   t1, 10
        sw   t1, 4(t0)                  # INTERVAL = 10
        li   t1, 1
        sw   t1, 0(t0)                  # CTRL = enable: completes at cycle 6
        wfi
        mfcr a0, cycle                  # 16
        halt a0
