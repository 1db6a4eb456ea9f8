/*
 * disk_busy.c - regression test for a fuzz finding: the disk used its
 * BLOCK, ADDR and COUNT registers as they were at *completion*, so a guest
 * that changed them while the transfer was BUSY (after the range check at
 * start) made the host copy outside RAM and outside the image.  Now the
 * transfer is latched when it starts: this test programs a valid read,
 * then points every register far out of range while it is busy, and
 * checks that exactly the original 512 bytes arrived where first asked.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "disk.h"
#include "fuzz.h"

#define RAM_BYTES 0x2000u

int main(void)
{
    char path[64], err[200] = "";
    struct diskfmt_image img;
    uint8_t file[DISK_BLOCK_SIZE];

    for (unsigned i = 0; i < sizeof file; i++)
        file[i] = (uint8_t)(i * 7 + 1);
    fuzz_temp_path(path, sizeof path, "busy");
    if (diskfmt_init(&img, err, sizeof err) != 0 ||
        diskfmt_add(&img, "f", file, sizeof file, err, sizeof err) != 0 ||
        diskfmt_save(&img, path, err, sizeof err) != 0) {
        fprintf(stderr, "disk-busy: %s\n", err);
        return 1;
    }
    uint32_t first = (uint32_t)(img.size / DISK_BLOCK_SIZE) - 1; /* the file's block */
    diskfmt_free(&img);
    struct device *disk = disk_create(path, err, sizeof err);
    struct bus *bus = bus_create(RAM_BYTES);
    if (disk == NULL || bus == NULL || bus_attach(bus, disk) != 0) {
        fprintf(stderr, "disk-busy: cannot build the machine: %s\n", err);
        return 1;
    }
    uint32_t d = ISA_DEV_DISK, status = 99;
    bus_write(bus, d + DISK_REG_BLOCK, first, 0);
    bus_write(bus, d + DISK_REG_ADDR, 0x100, 0);
    bus_write(bus, d + DISK_REG_COUNT, 1, 0);
    bus_write(bus, d + DISK_REG_CMD, DISK_CMD_READ, 0);
    bus_write(bus, d + DISK_REG_BLOCK, 0xfffffff0u, 1); /* while busy: all out of range */
    bus_write(bus, d + DISK_REG_ADDR, RAM_BYTES - 4, 1);
    bus_write(bus, d + DISK_REG_COUNT, DISK_MAX_COUNT, 1);
    bus_advance(bus, bus_next_event(bus));
    bus_read(bus, d + DISK_REG_STATUS, &status, bus_next_event(bus));
    const uint8_t *ram = bus_ram(bus);
    int ok = status == DISK_ST_OK && memcmp(ram + 0x100, file, sizeof file) == 0;
    for (uint32_t a = 0; a < RAM_BYTES; a++)
        ok &= (a >= 0x100 && a < 0x100 + sizeof file) || ram[a] == 0;
    bus_destroy(bus);
    unlink(path);
    printf("disk-busy: %s (status %u)\n", ok ? "the transfer latched its registers" : "FAILED",
           status);
    return ok ? 0 : 1;
}
