/*
 * trap_cost.c - lde-trapcost: the host cost of the interrupt mechanism alone.
 *
 * One round is what every timer interrupt costs the host whatever engine
 * runs the guest: the timer's event (bus_advance), the trap delivered
 * (cpu_take_trap: the 80-byte frame, kernel mode), the handler's store that
 * acknowledges the timer (bus_write), and rett (cpu_return_from_trap).  No
 * guest instruction runs, no run loop turns, no translated code is left or
 * entered: this is the floor under docs/performance.md's "Timer interrupts".
 *
 *   valgrind --tool=callgrind build/bench/lde-trapcost 1000
 *   valgrind --tool=callgrind build/bench/lde-trapcost 11000
 *
 * The difference of the two totals divided by 10,000 is the host
 * instructions of one round.  (It reaches into the CPU's private header on
 * purpose: to call the two trap functions without the run loop.)
 */
#include <stdio.h>
#include <stdlib.h>

#include "bus.h"
#include "cpu_private.h"
#include "timer.h"

#define RAM_BYTES (16u << 20)
#define TTB       0x1000u   /* trap table */
#define HANDLER   0x2000u   /* never runs: only its address is taken */
#define KSP       0xf00000u /* kernel stack top */
#define PERIOD    1000u     /* cycles between interrupts */

/* One interrupt taken and returned from; false if the machine did not do
 * what a round expects (the timer line not high, or not low after the
 * acknowledgement, or rett not back in user mode). */
static bool trap_round(struct cpu *cpu, struct bus *bus)
{
    cpu->cycle = bus_next_event(bus);
    bus_advance(bus, cpu->cycle);
    if (!(bus_irq_lines(bus) & (1u << ISA_CAUSE_TIMER)))
        return false;
    cpu_take_trap(cpu, ISA_CAUSE_TIMER, 0);
    if (bus_write(bus, ISA_DEV_TIMER + ISA_TMR_STATUS, ISA_TMR_STATUS_PENDING, cpu->cycle) != 0 ||
        bus_irq_lines(bus) != 0)
        return false;
    cpu_return_from_trap(cpu);
    return cpu_mode(cpu) == CPU_MODE_USER;
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
    if (argc > 2 || rounds <= 0) {
        fprintf(stderr, "usage: lde-trapcost [ROUNDS]  (ROUNDS > 0, default 1000)\n");
        return 2;
    }
    struct bus *bus = bus_create(RAM_BYTES);
    struct device *timer = timer_device_create();
    if (bus == NULL || timer == NULL || bus_attach(bus, timer) != 0) {
        fprintf(stderr, "lde-trapcost: out of memory\n");
        return 1;
    }
    struct cpu *cpu = cpu_create(bus);
    if (cpu == NULL) {
        fprintf(stderr, "lde-trapcost: out of memory\n");
        return 1;
    }
    cpu_reset(cpu, 0);
    cpu_st32(bus_ram(bus) + TTB + 4 * ISA_CAUSE_TIMER, HANDLER);
    cpu_set_cr(cpu, ISA_CR_ttb, TTB);
    cpu_set_cr(cpu, ISA_CR_ksp, KSP);
    cpu_set_cr(cpu, ISA_CR_base, 0x100000);
    cpu_set_cr(cpu, ISA_CR_bounds, 0x100000);
    bus_write(bus, ISA_DEV_TIMER + ISA_TMR_INTERVAL, PERIOD, 0);
    bus_write(bus, ISA_DEV_TIMER + ISA_TMR_CTRL, ISA_TMR_CTRL_ENABLE | ISA_TMR_CTRL_PERIODIC, 0);
    cpu_set_cr(cpu, ISA_CR_status, ISA_STATUS_IE); /* user mode, interrupts on */

    long done = 0;
    while (done < rounds && trap_round(cpu, bus))
        done++;
    printf("%ld rounds, cycle %llu\n", done, (unsigned long long)cpu_cycles(cpu));
    cpu_destroy(cpu);
    bus_destroy(bus);
    return done == rounds ? 0 : 1;
}
