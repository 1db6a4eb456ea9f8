/*
 * device.h - the interface every memory-mapped device implements.
 *
 * A device owns a window of ISA_DEV_SIZE bytes in the device region and
 * talks to the rest of the machine only through its bus: register reads and
 * writes, an interrupt line (bus_set_irq), and a next-event deadline in
 * virtual time (cycles).  The CPU never polls devices per instruction: it
 * runs until the earliest deadline, then calls bus_advance().
 */
#ifndef LDE_DEVICE_H
#define LDE_DEVICE_H

#include <stdint.h>

struct bus;
struct device;

#define DEVICE_NEVER UINT64_MAX /* next_event() when nothing is scheduled */

struct device_ops {
    /* Read/write the 32-bit register at byte offset `off` (a multiple of 4)
     * at virtual time `now`.  0 on success, -1 if there is no such register
     * (the CPU turns that into a protection fault). */
    int (*read)(struct device *dev, uint32_t off, uint32_t *value, uint64_t now);
    int (*write)(struct device *dev, uint32_t off, uint32_t value, uint64_t now);
    /* Virtual time has reached `now`: do whatever is due (may be NULL).
     * The bus calls it only once `now` has reached this device's own next
     * event, so a device must do nothing on its own before that. */
    void (*advance)(struct device *dev, uint64_t now);
    /* Cycle of the next thing this device will do on its own, or DEVICE_NEVER
     * (may be NULL: never).  It may change only inside the calls above
     * and reset on this device: the bus asks again after each of them,
     * never between. */
    uint64_t (*next_event)(const struct device *dev);
    /* Restore the power-on state (may be NULL). */
    void (*reset)(struct device *dev);
    /* Free the device (called by bus_destroy). */
    void (*destroy)(struct device *dev);
};

struct device {
    const char *name;             /* "console", "timer", ... */
    uint32_t base;                /* physical address of register 0 */
    const struct device_ops *ops; /* behaviour */
    struct bus *bus;              /* set by bus_attach */
};

#endif /* LDE_DEVICE_H */
