/* machine.c - the unit tests' machine (see machine.h). */
#include "machine.h"

#include <stdio.h>
#include <string.h>

#include "timer.h"

static void tm_console_put(void *ctx, uint8_t byte)
{
    struct tmach *m = ctx;
    if (m->nout < sizeof m->out - 1)
        m->out[m->nout++] = (char)byte;
}

static int tm_console_get(void *ctx)
{
    struct tmach *m = ctx;
    m->get_calls++;
    if (m->input_pos < m->ninput)
        return m->input[m->input_pos++];
    return m->input_ends ? CONSOLE_EOF : CONSOLE_NONE;
}

static void tm_event(void *ctx, const struct cpu_event *ev)
{
    struct tmach *m = ctx;
    if (m->nev < TM_MAX_EVENTS) {
        struct cpu_event *copy = &m->ev[m->nev];
        *copy = *ev;
        if (ev->text != NULL) {
            snprintf(m->texts[m->nev], sizeof m->texts[m->nev], "%s", ev->text);
            copy->text = m->texts[m->nev];
        }
        m->nev++;
    }
    if (ev->kind == CPU_EV_TRAP && ++m->ntraps == (unsigned)m->stop_on_trap)
        cpu_request_stop(m->cpu);
}

bool tm_init(struct tmach *m)
{
    memset(m, 0, sizeof *m);
    struct console_host host = {tm_console_put, tm_console_get, m};
    m->bus = bus_create(TM_RAM);
    if (m->bus == NULL)
        return false;
    m->console = console_create(&host);
    m->timer = timer_device_create();
    if (bus_attach(m->bus, m->console) != 0 || bus_attach(m->bus, m->timer) != 0)
        return false;
    m->cpu = cpu_create(m->bus);
    if (m->cpu == NULL)
        return false;
    cpu_set_event_hook(m->cpu, tm_event, m);
    for (unsigned k = 0; k < ISA_TRAP_TABLE_ENTRIES; k++) {
        tm_set_word(m, TM_TTB + 4 * k, TM_HANDLER(k));
        tm_org(m, TM_HANDLER(k));
        tm_put(m, enc_addi(A0, ZERO, (int32_t)TM_HANDLER_CODE(k)));
        tm_put(m, enc_halt(A0, 0, 0));
    }
    cpu_reset(m->cpu, TM_CODE);
    cpu_set_cr(m->cpu, ISA_CR_ttb, TM_TTB);
    cpu_set_cr(m->cpu, ISA_CR_ksp, TM_KSP);
    cpu_set_reg(m->cpu, SP, TM_KSTACK);
    tm_org(m, TM_CODE);
    return true;
}

void tm_free(struct tmach *m)
{
    cpu_destroy(m->cpu);
    bus_destroy(m->bus);
}

void tm_org(struct tmach *m, uint32_t addr)
{
    m->here = addr;
}

void tm_put(struct tmach *m, uint32_t word)
{
    tm_set_word(m, m->here, word);
    m->here += 4;
}

uint32_t tm_word(const struct tmach *m, uint32_t addr)
{
    const uint8_t *p = bus_ram(m->bus) + addr;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void tm_set_word(struct tmach *m, uint32_t addr, uint32_t value)
{
    uint8_t *p = bus_ram(m->bus) + addr;
    for (unsigned k = 0; k < 4; k++)
        p[k] = (uint8_t)(value >> (8 * k));
    bus_ram_written(m->bus, addr, 4);
}

void tm_li(struct tmach *m, unsigned reg, uint32_t value)
{
    tm_put(m, enc_lui(reg, 0, (int32_t)(value >> 16)));
    tm_put(m, enc_ori(reg, reg, (int32_t)(value & 0xffff)));
}

void tm_user(struct tmach *m, uint32_t base, uint32_t bounds, bool ie)
{
    cpu_set_cr(m->cpu, ISA_CR_base, base);
    cpu_set_cr(m->cpu, ISA_CR_bounds, bounds);
    cpu_set_cr(m->cpu, ISA_CR_status, ie ? ISA_STATUS_IE : 0);
    cpu_set_pc(m->cpu, 0);
    tm_org(m, base);
}

unsigned tm_count(const struct tmach *m, enum cpu_event_kind kind)
{
    unsigned n = 0;
    for (unsigned k = 0; k < m->nev; k++)
        n += m->ev[k].kind == kind;
    return n;
}

const struct cpu_event *tm_last(const struct tmach *m, enum cpu_event_kind kind)
{
    for (unsigned k = m->nev; k-- > 0;)
        if (m->ev[k].kind == kind)
            return &m->ev[k];
    return NULL;
}
