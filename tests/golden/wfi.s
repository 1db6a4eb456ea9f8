# wfi skips virtual time to the timer's firing; with IE = 0 execution just
# continues after the wfi.  Prints the cycle counter after it.
        .include "kio.inc"
        .global _start
_start:
        li   sp, 0x10000
        mfcr a0, cycle                  # cycle counter at the first instruction
        call kputdec
        li   a0, '\n'
        call kputc
        li   t0, TIMER
        li   t1, 5000
        sw   t1, 4(t0)
        li   t1, 1
        sw   t1, 0(t0)                  # fires 5000 cycles after this store
        wfi
        mfcr a0, cycle
        call kputdec
        li   a0, '\n'
        call kputc
        li   t0, TIMER
        lw   a0, 0xc(t0)                # STATUS: pending
        call kputdec
        li   a0, '\n'
        call kputc
        halt zero
