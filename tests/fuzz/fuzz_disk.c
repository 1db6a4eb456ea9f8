/*
 * fuzz_disk.c - disk images and the disk device's registers.
 *
 * Input byte 0 chooses the image: raw (the next bytes, up to 8 blocks, are
 * the image file as they are) or built (a valid image made with
 * diskfmt_init + diskfmt_add, then a few of its bytes patched from the
 * input).  The image must be accepted or refused with a one-line reason.
 * An accepted disk is put on a bus with 8 KiB of RAM and the rest of the
 * input becomes register operations: writes of any value to any offset
 * (block, address, count, command out of range), reads, and time passing.
 * Checked: no host fault (sanitizers), a transfer only ends in a
 * documented status, STATUS never reads BUSY once the device's deadline
 * has passed, and the image file keeps its size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus.h"
#include "disk.h"
#include "fuzz.h"

#define RAM_BYTES 0x2000u
#define RAW_MAX   (8u * DISK_BLOCK_SIZE)

/* Write the image the input asks for to `path`; 0, or -1 if it could not. */
static int make_image(struct fuzz_input *in, const char *path)
{
    unsigned mode = fuzz_u8(in);
    if (!(mode & 1)) {
        size_t n = in->size - in->pos;
        if (n > RAW_MAX)
            n = RAW_MAX;
        n = (mode & 2) ? n : n / DISK_BLOCK_SIZE * DISK_BLOCK_SIZE;
        int rc = fuzz_write_file(path, in->data + in->pos, n);
        in->pos += n;
        return rc;
    }
    struct diskfmt_image img;
    char err[200] = "", name[32];
    if (diskfmt_init(&img, err, sizeof err) != 0)
        fuzz_fail("diskfmt_init failed: %s", err);
    size_t len = fuzz_u8(in) * 17u;
    for (unsigned i = 0; i < sizeof name - 1; i++)
        name[i] = (char)(fuzz_u8(in) % 8 ? 'a' + i % 26 : 0);
    name[sizeof name - 1] = '\0';
    uint8_t *file = calloc(len + 1, 1);
    if (file != NULL && diskfmt_add(&img, name, file, len, err, sizeof err) != 0)
        fuzz_check_message("diskfmt_add", err);
    free(file);
    unsigned patches = fuzz_u8(in) % 4;
    for (unsigned i = 0; i < patches; i++) {
        uint32_t at = fuzz_u32(in) % img.size;
        img.data[at] = fuzz_u8(in);
    }
    int rc = diskfmt_save(&img, path, err, sizeof err);
    diskfmt_free(&img);
    return rc;
}

/* Drive the registers from the rest of the input. */
static void drive(struct bus *bus, struct fuzz_input *in)
{
    uint64_t now = 0;
    while (in->pos < in->size) {
        uint8_t op = fuzz_u8(in);
        uint32_t off = (uint32_t)(fuzz_u8(in) & 0x1f) * 4u; /* 0..0x7c: past the last register */
        uint32_t value = fuzz_u32(in);
        switch (op % 4) {
        case 0:
            bus_write(bus, ISA_DEV_DISK + off, value, now);
            break;
        case 1:
            /* values chosen to hit the RAM edges and the disk's end */
            bus_write(bus, ISA_DEV_DISK + off, (op & 0x80) ? RAM_BYTES - (value % 1024) : value % 64,
                      now);
            break;
        case 2:
            bus_read(bus, ISA_DEV_DISK + off, &value, now);
            break;
        default: {
            uint64_t next = bus_next_event(bus);
            now += (op & 0x80) && next != DEVICE_NEVER && next > now ? next - now : value % 4096;
            bus_advance(bus, now);
            uint32_t status = 0;
            if (bus_read(bus, ISA_DEV_DISK + DISK_REG_STATUS, &status, now) != 0)
                fuzz_fail("STATUS is not readable");
            if (status > DISK_ST_ERR_CMD)
                fuzz_fail("undocumented STATUS %u", status);
            if (status == DISK_ST_BUSY && bus_next_event(bus) <= now)
                fuzz_fail("BUSY after its deadline");
        }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = {data, size, 0};
    char path[64], err[200] = "";
    struct stat before, after;

    fuzz_temp_path(path, sizeof path, "disk");
    if (make_image(&in, path) != 0 || stat(path, &before) != 0)
        fuzz_fail("cannot write the scratch image");
    struct device *disk = disk_create(path, err, sizeof err);
    if (disk == NULL) {
        fuzz_check_message("disk_create", err);
        unlink(path);
        return 0;
    }
    struct bus *bus = bus_create(RAM_BYTES);
    if (bus == NULL || bus_attach(bus, disk) != 0)
        fuzz_fail("cannot build the bus");
    drive(bus, &in);
    if (disk_flush(disk) != 0)
        fuzz_fail("disk_flush failed");
    bus_destroy(bus);
    if (stat(path, &after) != 0 || after.st_size != before.st_size)
        fuzz_fail("the image changed size");
    unlink(path);
    return 0;
}
