/*
 * bus.h - RAM plus memory-mapped devices, interrupt lines, and device time.
 *
 * RAM occupies physical addresses [0, ram_size); the CPU reads and writes it
 * directly through bus_ram() for speed.  Devices occupy ISA_DEV_SIZE-byte
 * windows at ISA_DEV_BASE and above and are reached with bus_read/bus_write.
 * Anything else is unmapped.
 */
#ifndef LDE_BUS_H
#define LDE_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"
#include "device.h"

#define BUS_MAX_DEVICES 16

struct bus;

typedef void (*bus_ram_hook_fn)(void *ctx, uint32_t addr, uint32_t len);

/* A bus with `ram_bytes` of zeroed RAM (a multiple of 4).  NULL on failure. */
struct bus *bus_create(uint32_t ram_bytes);
/* Frees the bus, its RAM and every attached device. */
void bus_destroy(struct bus *bus);

/* Attach a device at dev->base.  0, or -1 if the window is outside the
 * device region, overlaps another device, or the bus is full. */
int bus_attach(struct bus *bus, struct device *dev);
struct device *bus_device_named(const struct bus *bus, const char *name);
unsigned bus_device_count(const struct bus *bus);
struct device *bus_device(const struct bus *bus, unsigned i);

uint8_t *bus_ram(const struct bus *bus);
uint32_t bus_ram_size(const struct bus *bus);

/* Anything other than a CPU store that changes RAM (DMA, a loader, the
 * monitor) must report it, so that decoded instructions and translated
 * blocks made from it are forgotten. */
void bus_ram_written(struct bus *bus, uint32_t addr, uint32_t len);
void bus_set_ram_hook(struct bus *bus, bus_ram_hook_fn fn, void *ctx);

/* Device register access, 32-bit and aligned.  0, or -1 if unmapped. */
int bus_read(struct bus *bus, uint32_t addr, uint32_t *value, uint64_t now);
int bus_write(struct bus *bus, uint32_t addr, uint32_t value, uint64_t now);

/* How many device register reads and writes have reached a device so far
 * (whatever it answered): only those can move a device's next event (the
 * block translator's dispatcher asks for the next event again only after
 * one). */
uint64_t bus_device_accesses(const struct bus *bus);

/* Earliest next_event() over all devices, or DEVICE_NEVER. */
uint64_t bus_next_event(const struct bus *bus);
/* Let the devices catch up to `now`: those whose next event is due. */
void bus_advance(struct bus *bus, uint64_t now);
/* Power-on reset of every device (RAM is left alone). */
void bus_reset(struct bus *bus);

/* Interrupt lines, one per interrupt cause (bit = 1 << cause). */
uint32_t bus_irq_lines(const struct bus *bus);
void bus_set_irq(struct bus *bus, unsigned cause, bool level, uint64_t now);

/* Events from devices reach the CPU's event hook (the CPU installs itself). */
void bus_set_event_hook(struct bus *bus, cpu_event_fn fn, void *ctx);
void bus_emit(struct bus *bus, const struct cpu_event *ev);
/* Does anyone receive events (is a hook installed)?  A device need not
 * compose an event nobody receives. */
bool bus_has_event_hook(const struct bus *bus);

#endif /* LDE_BUS_H */
