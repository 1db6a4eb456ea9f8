/*
 * mips.c - a quick speed check of the interpreter (meson benchmark).
 *
 * A tight ALU loop runs for 2e9 cycles in kernel mode with the timer firing
 * every 10,000 cycles; its handler acknowledges and returns.  Prints
 * millions of guest instructions per second of host CPU time (less
 * disturbed by other processes than wall-clock time, which is shown too).
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h> /* not <time.h>: its POSIX timer_device_create() clashes with timer.h */

#include "bus.h"
#include "cpu.h"
#include "enc.h"
#include "timer.h"

static uint32_t here;

/* Seconds of CPU time this process has used. */
static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void put(struct bus *bus, uint32_t word)
{
    uint8_t *p = bus_ram(bus) + here;
    p[0] = (uint8_t)word;
    p[1] = (uint8_t)(word >> 8);
    p[2] = (uint8_t)(word >> 16);
    p[3] = (uint8_t)(word >> 24);
    here += 4;
}

int main(void)
{
    struct bus *bus = bus_create(16u << 20);
    struct device *timer = bus ? timer_device_create() : NULL;
    if (timer == NULL || bus_attach(bus, timer) != 0)
        return 1;
    struct cpu *cpu = cpu_create(bus);
    if (cpu == NULL)
        return 1;
    /* trap table at 0x100: every entry -> 0x200 */
    for (here = 0x100; here < 0x140;)
        put(bus, 0x200);
    /* timer handler: acknowledge, return */
    here = 0x200;
    put(bus, enc_lui(T0, 0, 0xf000));
    put(bus, enc_addi(T1, 0, 1));
    put(bus, enc_sw(T1, T0, 0x100 + ISA_TMR_STATUS));
    put(bus, enc_rett());
    /* boot: ttb, kernel stack, timer every 10,000 cycles, IE on, loop */
    here = 0x1000;
    put(bus, enc_addi(T0, 0, 0x100));
    put(bus, enc_mtcr(0, T0, ISA_CR_ttb));
    put(bus, enc_lui(SP, 0, 0x10));
    put(bus, enc_lui(T0, 0, 0xf000));
    put(bus, enc_addi(T1, 0, 10000));
    put(bus, enc_sw(T1, T0, 0x100 + ISA_TMR_INTERVAL));
    put(bus, enc_addi(T1, 0, ISA_TMR_CTRL_ENABLE | ISA_TMR_CTRL_PERIODIC));
    put(bus, enc_sw(T1, T0, 0x100 + ISA_TMR_CTRL));
    put(bus, enc_addi(T1, 0, ISA_STATUS_IE));
    put(bus, enc_mtcr(0, T1, ISA_CR_status));
    /* loop: a0 += 1; a1 ^= a0; a2 = a1 + a0; a3 = a2 << 1; bne a3, r0, loop */
    put(bus, enc_addi(A0, A0, 1));
    put(bus, enc_xor(A1, A1, A0));
    put(bus, enc_add(A2, A1, A0));
    put(bus, enc_slli(A3, A2, 1));
    put(bus, enc_add(A4, A3, A0));
    put(bus, enc_sub(A5, A4, A1));
    put(bus, enc_bne(A0, ZERO, -6));
    put(bus, enc_halt(ZERO, 0, 0));
    bus_ram_written(bus, 0, here);
    cpu_reset(cpu, 0x1000);

    uint64_t cycles = 2000000000ull;
    struct timeval t0, t1;
    double c0 = cpu_seconds();
    gettimeofday(&t0, NULL);
    enum cpu_stop stop = cpu_run(cpu, cycles);
    gettimeofday(&t1, NULL);
    double secs = cpu_seconds() - c0;
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_usec - t0.tv_usec) / 1e6;
    double insns = (double)cpu_instructions(cpu);
    printf("stop: %s, %.0f instructions, %llu cycles, %llu timer interrupts\n", cpu_stop_name(stop),
           insns, (unsigned long long)cpu_cycles(cpu),
           (unsigned long long)(cpu_cycles(cpu) - cpu_instructions(cpu)));
    printf("%.3f s CPU: %.0f MIPS (%.3f s wall: %.0f MIPS)\n", secs, insns / secs / 1e6, wall,
           insns / wall / 1e6);
    cpu_destroy(cpu);
    bus_destroy(bus);
    return stop == CPU_STOP_BUDGET ? 0 : 1;
}
