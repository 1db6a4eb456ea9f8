/*
 * machine.h - a small LDE32 machine for unit tests.
 *
 * RAM, a console wired to buffers, a timer, a CPU whose events are logged,
 * and helpers to write programs into RAM with the enc_*() encoders.
 *
 * Memory layout used by the tests (physical):
 *   TM_TTB      trap table; entry k points to TM_HANDLER(k)
 *   TM_HANDLER  one handler per cause: "addi a0, zero, 100 + k; halt a0"
 *   TM_CODE     kernel test code (the reset pc)
 *   TM_KSTACK   initial kernel sp; TM_KSP is the ksp used for user traps
 *   TM_UBASE    base of the user window (bounds TM_UBOUNDS)
 */
#ifndef LDE_TEST_MACHINE_H
#define LDE_TEST_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus.h"
#include "console.h"
#include "cpu.h"
#include "enc.h"

#define TM_RAM             (1u << 20)
#define TM_TTB             0x100u
#define TM_HANDLER(k)      (0x200u + 0x10u * (k))
#define TM_HANDLER_CODE(k) (100u + (k)) /* each default handler halts with this */
#define TM_CODE            0x1000u
#define TM_KSTACK          0x8000u
#define TM_KSP             0x9000u
#define TM_UBASE           0x10000u
#define TM_UBOUNDS         0x1000u
#define TM_TIMER           ISA_DEV_TIMER
#define TM_CONSOLE         ISA_DEV_CONSOLE

#define TM_MAX_EVENTS 512
#define TM_MAX_INPUT  64

struct tmach {
    struct bus *bus;
    struct cpu *cpu;
    struct device *timer;
    struct device *console;
    uint32_t here;                      /* where tm_put() writes next */
    char out[1024];                     /* console output */
    size_t nout;                        /* bytes in out */
    int input[TM_MAX_INPUT];            /* console input: bytes or CONSOLE_NONE */
    unsigned ninput;                    /* entries in input */
    unsigned input_pos;                 /* next entry get() returns */
    bool input_ends;                    /* past the script: EOF (else NONE) */
    unsigned get_calls;                 /* how often the console asked */
    struct cpu_event ev[TM_MAX_EVENTS]; /* the event log */
    unsigned nev;                       /* events logged */
    char texts[TM_MAX_EVENTS][200];     /* copies of the events' text */
    int stop_on_trap;                   /* request a stop at the Nth trap (1-based) */
    unsigned ntraps;                    /* traps seen */
};

/* Build the machine (trap table and default handlers installed, kernel
 * sp = TM_KSTACK, ksp = TM_KSP, pc = TM_CODE).  Returns false on failure. */
bool tm_init(struct tmach *m);
void tm_free(struct tmach *m);

void tm_org(struct tmach *m, uint32_t addr);
void tm_put(struct tmach *m, uint32_t word); /* write at here, here += 4 */
uint32_t tm_word(const struct tmach *m, uint32_t addr);
void tm_set_word(struct tmach *m, uint32_t addr, uint32_t value);
/* Load a 32-bit constant: lui + ori. */
void tm_li(struct tmach *m, unsigned reg, uint32_t value);

/* Enter user mode at virtual pc 0 with the given window; user code is
 * written with tm_org(m, base) + tm_put. */
void tm_user(struct tmach *m, uint32_t base, uint32_t bounds, bool ie);

/* Count logged events of one kind. */
unsigned tm_count(const struct tmach *m, enum cpu_event_kind kind);
/* The last logged event of a kind, or NULL. */
const struct cpu_event *tm_last(const struct tmach *m, enum cpu_event_kind kind);

#endif /* LDE_TEST_MACHINE_H */
