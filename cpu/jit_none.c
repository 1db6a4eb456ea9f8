/*
 * jit_none.c - the block translator on hosts it does not support (it
 * writes x86-64 code): there is none, and CPU_ENGINE_TRANSLATE runs the
 * interpreter (cpu.c falls back when cpu_jit_create() returns NULL).
 */
#include "cpu_private.h"

struct jit *cpu_jit_create(void)
{
    return NULL;
}

void cpu_jit_destroy(struct jit *jit)
{
    (void)jit;
}

enum cpu_jit_result cpu_jit_run(struct cpu *cpu, uint64_t deadline)
{
    (void)cpu;
    (void)deadline;
    return CPU_JIT_OFF;
}

void cpu_jit_flush(struct cpu *cpu)
{
    (void)cpu;
}

uint64_t cpu_jit_flushes(const struct cpu *cpu)
{
    (void)cpu;
    return 0;
}
