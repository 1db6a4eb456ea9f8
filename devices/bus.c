/*
 * bus.c - RAM, device windows, interrupt lines and device time.
 *
 * The bus finds the device that owns an address, remembers which
 * interrupt lines are high, and forwards events.  Timing decisions belong
 * to the devices (next_event/advance) and to the CPU, which runs until the
 * earliest deadline; the bus only keeps each device's next event as last
 * asked (a device's changes only when the bus calls it) and the earliest
 * of them, and tells only the devices that are due.
 */
#include "bus.h"

#include <stdlib.h>
#include <string.h>

#define BUS_SLOTS 16 /* standard device places looked up directly (see bus_find) */

struct bus {
    uint8_t *ram;                            /* the physical memory, zeroed at creation */
    uint32_t ram_size;                       /* bytes of RAM at physical address 0 */
    struct device *devices[BUS_MAX_DEVICES]; /* attached devices, in attach order */
    unsigned ndevices;                       /* how many entries of devices[] are used */
    uint32_t irq_lines;                      /* bit (1 << cause) set while that line is high */
    bus_ram_hook_fn ram_hook;                /* told about RAM changes (the CPU's decode cache) */
    void *ram_hook_ctx;                      /* first argument of ram_hook */
    cpu_event_fn event_hook;                 /* where device events go (the CPU's hook) */
    void *event_hook_ctx;                    /* first argument of event_hook */
    uint64_t accesses;                       /* device register reads and writes so far */
    uint8_t slot[BUS_SLOTS];                 /* device number + 1 of the device at ISA_DEV_BASE
                                                + k * ISA_DEV_SIZE, or 0 */
    uint64_t due[BUS_MAX_DEVICES];           /* next_event() of each device, as last asked */
    uint64_t next;                           /* the earliest of them */
};

/* A device's next event changes only when the bus calls it (a register
 * access, advance, reset), so the bus asks that device again after each
 * of those and keeps the earliest, rather than asking every device every
 * time the CPU wants to know - which is at every turn of its run loop. */
static void bus_reschedule(struct bus *bus, unsigned i)
{
    const struct device *dev = bus->devices[i];
    uint64_t due = dev->ops->next_event != NULL ? dev->ops->next_event(dev) : DEVICE_NEVER;
    if (due == bus->due[i])
        return; /* unchanged (the usual case): so is the earliest */
    bus->due[i] = due;
    uint64_t next = DEVICE_NEVER;
    for (unsigned k = 0; k < bus->ndevices; k++)
        if (bus->due[k] < next)
            next = bus->due[k];
    bus->next = next;
}

struct bus *bus_create(uint32_t ram_bytes)
{
    if (ram_bytes == 0 || ram_bytes % 4 != 0 || ram_bytes > ISA_DEV_BASE)
        return NULL;
    struct bus *bus = calloc(1, sizeof *bus);
    if (bus == NULL)
        return NULL;
    bus->ram = calloc(ram_bytes, 1);
    if (bus->ram == NULL) {
        free(bus);
        return NULL;
    }
    bus->ram_size = ram_bytes;
    bus->next = DEVICE_NEVER;
    return bus;
}

void bus_destroy(struct bus *bus)
{
    if (bus == NULL)
        return;
    for (unsigned i = 0; i < bus->ndevices; i++) {
        struct device *dev = bus->devices[i];
        if (dev->ops->destroy != NULL)
            dev->ops->destroy(dev);
    }
    free(bus->ram);
    free(bus);
}

/* Does [base, base + ISA_DEV_SIZE) intersect the window of `dev`? */
static bool bus_windows_overlap(const struct device *dev, uint32_t base)
{
    return base < dev->base + ISA_DEV_SIZE && dev->base < base + ISA_DEV_SIZE;
}

int bus_attach(struct bus *bus, struct device *dev)
{
    if (dev == NULL || dev->ops == NULL || bus->ndevices == BUS_MAX_DEVICES)
        return -1;
    /* The whole window must sit inside the device region (no wrap past 2^32). */
    if (dev->base < ISA_DEV_BASE || dev->base > UINT32_MAX - ISA_DEV_SIZE + 1)
        return -1;
    for (unsigned i = 0; i < bus->ndevices; i++)
        if (bus_windows_overlap(bus->devices[i], dev->base))
            return -1;
    dev->bus = bus;
    if ((dev->base - ISA_DEV_BASE) % ISA_DEV_SIZE == 0 &&
        (dev->base - ISA_DEV_BASE) / ISA_DEV_SIZE < BUS_SLOTS)
        bus->slot[(dev->base - ISA_DEV_BASE) / ISA_DEV_SIZE] = (uint8_t)(bus->ndevices + 1);
    bus->due[bus->ndevices] = DEVICE_NEVER; /* keeps next = the earliest of due[] */
    bus->devices[bus->ndevices++] = dev;
    bus_reschedule(bus, bus->ndevices - 1);
    return 0;
}

struct device *bus_device_named(const struct bus *bus, const char *name)
{
    for (unsigned i = 0; i < bus->ndevices; i++)
        if (strcmp(bus->devices[i]->name, name) == 0)
            return bus->devices[i];
    return NULL;
}

unsigned bus_device_count(const struct bus *bus)
{
    return bus->ndevices;
}

struct device *bus_device(const struct bus *bus, unsigned i)
{
    return i < bus->ndevices ? bus->devices[i] : NULL;
}

uint8_t *bus_ram(const struct bus *bus)
{
    return bus->ram;
}

uint32_t bus_ram_size(const struct bus *bus)
{
    return bus->ram_size;
}

void bus_ram_written(struct bus *bus, uint32_t addr, uint32_t len)
{
    if (bus->ram_hook != NULL && len > 0)
        bus->ram_hook(bus->ram_hook_ctx, addr, len);
}

void bus_set_ram_hook(struct bus *bus, bus_ram_hook_fn fn, void *ctx)
{
    bus->ram_hook = fn;
    bus->ram_hook_ctx = ctx;
}

/* The number of the device whose window holds `addr`, with *off set to the
 * offset in it; -1 if the address is unmapped or not a word-aligned
 * register.  A device at a standard place (ISA_DEV_BASE + k windows) is
 * found by k; one anywhere else by a search. */
static int bus_find(const struct bus *bus, uint32_t addr, uint32_t *off)
{
    if (addr % 4 != 0)
        return -1;
    uint32_t k = (addr - ISA_DEV_BASE) / ISA_DEV_SIZE;
    if (addr >= ISA_DEV_BASE && k < BUS_SLOTS && bus->slot[k] != 0) {
        *off = (addr - ISA_DEV_BASE) % ISA_DEV_SIZE;
        return bus->slot[k] - 1;
    }
    for (unsigned i = 0; i < bus->ndevices; i++) {
        const struct device *dev = bus->devices[i];
        if (addr >= dev->base && addr - dev->base < ISA_DEV_SIZE) {
            *off = addr - dev->base;
            return (int)i;
        }
    }
    return -1;
}

int bus_read(struct bus *bus, uint32_t addr, uint32_t *value, uint64_t now)
{
    uint32_t off;
    int i = bus_find(bus, addr, &off);
    if (i < 0 || bus->devices[i]->ops->read == NULL)
        return -1;
    bus->accesses++;
    int rc = bus->devices[i]->ops->read(bus->devices[i], off, value, now);
    bus_reschedule(bus, (unsigned)i);
    return rc;
}

int bus_write(struct bus *bus, uint32_t addr, uint32_t value, uint64_t now)
{
    uint32_t off;
    int i = bus_find(bus, addr, &off);
    if (i < 0 || bus->devices[i]->ops->write == NULL)
        return -1;
    bus->accesses++;
    int rc = bus->devices[i]->ops->write(bus->devices[i], off, value, now);
    bus_reschedule(bus, (unsigned)i);
    return rc;
}

uint64_t bus_device_accesses(const struct bus *bus)
{
    return bus->accesses;
}

uint64_t bus_next_event(const struct bus *bus)
{
    return bus->next;
}

/* A device does something on its own only at its next event: only the
 * devices whose event is due are told. */
void bus_advance(struct bus *bus, uint64_t now)
{
    if (now < bus->next)
        return;
    for (unsigned i = 0; i < bus->ndevices; i++) {
        struct device *dev = bus->devices[i];
        if (bus->due[i] <= now && dev->ops->advance != NULL) {
            dev->ops->advance(dev, now);
            bus_reschedule(bus, i);
        }
    }
}

void bus_reset(struct bus *bus)
{
    bus->irq_lines = 0;
    for (unsigned i = 0; i < bus->ndevices; i++) {
        struct device *dev = bus->devices[i];
        if (dev->ops->reset != NULL)
            dev->ops->reset(dev);
    }
    for (unsigned i = 0; i < bus->ndevices; i++)
        bus_reschedule(bus, i);
}

uint32_t bus_irq_lines(const struct bus *bus)
{
    return bus->irq_lines;
}

void bus_set_irq(struct bus *bus, unsigned cause, bool level, uint64_t now)
{
    if (cause >= 32)
        return;
    uint32_t bit = 1u << cause;
    bool was_high = (bus->irq_lines & bit) != 0;
    if (level)
        bus->irq_lines |= bit;
    else
        bus->irq_lines &= ~bit;
    /* Report rising edges only: a line that stays high is one interrupt. */
    if (level && !was_high && bus->event_hook != NULL) {
        struct cpu_event ev = {.kind = CPU_EV_IRQ, .cycle = now, .cause = (enum isa_cause)cause};
        bus_emit(bus, &ev);
    }
}

void bus_set_event_hook(struct bus *bus, cpu_event_fn fn, void *ctx)
{
    bus->event_hook = fn;
    bus->event_hook_ctx = ctx;
}

bool bus_has_event_hook(const struct bus *bus)
{
    return bus->event_hook != NULL;
}

void bus_emit(struct bus *bus, const struct cpu_event *ev)
{
    if (bus->event_hook != NULL)
        bus->event_hook(bus->event_hook_ctx, ev);
}
