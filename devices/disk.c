/*
 * disk.c - the block device (registers in disk.h and docs/disk.md) and the
 * helpers that check, build and edit lde disk images.
 */
#include "disk.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "isa.h"

struct disk {
    struct device dev;   /* must be first: the bus sees a struct device */
    FILE *file;          /* the host image, open read/write */
    uint8_t *data;       /* the whole image, read at creation */
    uint32_t nblocks;    /* capacity */
    bool dirty;          /* guest wrote since the last flush */
    uint32_t reg_block;  /* BLOCK register */
    uint32_t reg_addr;   /* ADDR register */
    uint32_t reg_count;  /* COUNT register */
    uint32_t reg_ctrl;   /* CTRL register */
    uint32_t status;     /* STATUS register (DISK_ST_*) */
    uint32_t cmd;        /* command of the transfer in progress */
    uint32_t xfer_block; /* block, address and count of the transfer in progress, */
    uint32_t xfer_addr;  /* latched (checked) when it started: the guest may change */
    uint32_t xfer_count; /* the registers while it is busy */
    uint64_t done_at;    /* cycle at which it completes, DEVICE_NEVER if none */
    bool completed;      /* a transfer ended and was not yet acknowledged */
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (err == NULL || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* ------------------------------------------------------------------ format */

/* A directory entry's name fit for a one-line message: a corrupt image
 * may hold any bytes there, newlines included; those print as '?'. */
static void printable_name(const uint8_t *ent, char out[DISKFMT_NAME_MAX + 1])
{
    size_t i = 0;
    for (; i < DISKFMT_NAME_MAX && ent[i] != 0; i++)
        out[i] = ent[i] >= 0x20 && ent[i] < 0x7f ? (char)ent[i] : '?';
    out[i] = '\0';
}

/* Check one directory entry: a terminated name and blocks inside the disk. */
static int check_entry(const uint8_t *ent, uint32_t index, uint32_t first_data, uint32_t nblocks,
                       char *err, size_t errlen)
{
    uint32_t size = get_le32(ent + DISKFMT_ENT_SIZE);
    uint32_t start = get_le32(ent + DISKFMT_ENT_START);
    uint32_t blocks = size / DISK_BLOCK_SIZE + (size % DISK_BLOCK_SIZE != 0);

    if (memchr(ent, 0, DISKFMT_NAME_MAX + 1) == NULL) {
        set_err(err, errlen, "corrupt disk: directory entry %u has an unterminated name", index);
        return -1;
    }
    if (start < first_data || start > nblocks || blocks > nblocks - start) {
        char name[DISKFMT_NAME_MAX + 1];
        printable_name(ent, name);
        set_err(err, errlen, "corrupt disk: file '%s' (blocks %u+%u) lies outside the data area",
                name, start, blocks);
        return -1;
    }
    return 0;
}

int diskfmt_check(const uint8_t *img, size_t len, char *err, size_t errlen)
{
    uint32_t nblocks, dir_blocks, max;

    if (len < DISK_BLOCK_SIZE || len % DISK_BLOCK_SIZE != 0) {
        set_err(err, errlen, "short disk image: %zu bytes is not a whole number of %u-byte blocks",
                len, DISK_BLOCK_SIZE);
        return -1;
    }
    if (get_le32(img + DISKFMT_OFF_MAGIC) != DISKFMT_MAGIC) {
        set_err(err, errlen, "not an lde disk image (bad magic; make one with lde-mkdisk)");
        return -1;
    }
    if (get_le32(img + DISKFMT_OFF_VERSION) != DISKFMT_VERSION) {
        set_err(err, errlen, "unsupported disk version %u", get_le32(img + DISKFMT_OFF_VERSION));
        return -1;
    }
    nblocks = get_le32(img + DISKFMT_OFF_BLOCKS);
    if (nblocks != len / DISK_BLOCK_SIZE) {
        set_err(err, errlen, "short disk image: superblock says %u blocks, file has %zu", nblocks,
                len / DISK_BLOCK_SIZE);
        return -1;
    }
    dir_blocks = get_le32(img + DISKFMT_OFF_DIR_BLOCKS);
    if (dir_blocks == 0 || dir_blocks > nblocks || dir_blocks > DISKFMT_DIR_BLOCKS_MAX) {
        set_err(err, errlen, "corrupt disk: %u directory blocks", dir_blocks);
        return -1;
    }
    max = diskfmt_max_entries(dir_blocks);
    for (uint32_t i = 0; i < max; i++) {
        const uint8_t *ent = img + DISKFMT_SUPER_SIZE + (size_t)i * DISKFMT_ENTRY_SIZE;
        if (ent[0] != 0 && check_entry(ent, i, dir_blocks, nblocks, err, errlen) != 0)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ device */

static struct disk *to_disk(struct device *dev)
{
    return (struct disk *)dev;
}

/* Validate the programmed transfer; DISK_ST_OK or the error status. */
static uint32_t check_transfer(const struct disk *d, uint32_t cmd)
{
    uint32_t ram = bus_ram_size(d->dev.bus);
    uint64_t bytes = (uint64_t)d->reg_count * DISK_BLOCK_SIZE;

    if ((cmd != DISK_CMD_READ && cmd != DISK_CMD_WRITE) || d->reg_count == 0 ||
        d->reg_count > DISK_MAX_COUNT)
        return DISK_ST_ERR_CMD;
    if (d->reg_block >= d->nblocks || d->reg_count > d->nblocks - d->reg_block)
        return DISK_ST_ERR_BLOCK;
    if (d->reg_addr % 4 != 0 || d->reg_addr >= ram || bytes > ram - d->reg_addr)
        return DISK_ST_ERR_ADDR;
    return DISK_ST_OK;
}

/* A transfer ended (well or not): latch it and raise the line if enabled. */
static void complete(struct disk *d, uint32_t status, uint64_t now)
{
    d->status = status;
    d->done_at = DEVICE_NEVER;
    d->completed = true;
    if (d->reg_ctrl & DISK_CTRL_IE)
        bus_set_irq(d->dev.bus, ISA_CAUSE_DISK, true, now);
}

/* Do the copy of the transfer in progress (already validated). */
static void do_transfer(struct disk *d)
{
    uint8_t *ram = bus_ram(d->dev.bus);
    size_t off = (size_t)d->xfer_block * DISK_BLOCK_SIZE;
    size_t len = (size_t)d->xfer_count * DISK_BLOCK_SIZE;

    if (d->cmd == DISK_CMD_READ) {
        memcpy(ram + d->xfer_addr, d->data + off, len);
        bus_ram_written(d->dev.bus, d->xfer_addr, (uint32_t)len);
    } else {
        memcpy(d->data + off, ram + d->xfer_addr, len);
        d->dirty = true;
    }
}

static void start(struct disk *d, uint32_t cmd, uint64_t now)
{
    uint32_t st;

    if (d->status == DISK_ST_BUSY)
        return; /* documented: a command while busy is ignored */
    st = check_transfer(d, cmd);
    if (st != DISK_ST_OK) {
        complete(d, st, now);
        return;
    }
    d->cmd = cmd;
    d->xfer_block = d->reg_block;
    d->xfer_addr = d->reg_addr;
    d->xfer_count = d->reg_count;
    d->status = DISK_ST_BUSY;
    d->done_at = now + DISK_CYCLES_START + (uint64_t)d->reg_count * DISK_CYCLES_PER_BLOCK;
}

static int disk_read(struct device *dev, uint32_t off, uint32_t *value, uint64_t now)
{
    struct disk *d = to_disk(dev);

    switch (off) {
    case DISK_REG_BLOCK:
        *value = d->reg_block;
        return 0;
    case DISK_REG_ADDR:
        *value = d->reg_addr;
        return 0;
    case DISK_REG_COUNT:
        *value = d->reg_count;
        return 0;
    case DISK_REG_CMD:
        *value = d->cmd;
        return 0;
    case DISK_REG_STATUS:
        *value = d->status;
        return 0;
    case DISK_REG_CTRL:
        *value = d->reg_ctrl;
        return 0;
    case DISK_REG_NBLOCKS:
        *value = d->nblocks;
        return 0;
    default:
        return -1;
    }
}

static int disk_write(struct device *dev, uint32_t off, uint32_t value, uint64_t now)
{
    struct disk *d = to_disk(dev);

    switch (off) {
    case DISK_REG_BLOCK:
        d->reg_block = value;
        return 0;
    case DISK_REG_ADDR:
        d->reg_addr = value;
        return 0;
    case DISK_REG_COUNT:
        d->reg_count = value;
        return 0;
    case DISK_REG_CMD:
        start(d, value, now);
        return 0;
    case DISK_REG_STATUS:
        d->completed = false;
        bus_set_irq(dev->bus, ISA_CAUSE_DISK, false, now);
        return 0;
    case DISK_REG_CTRL:
        d->reg_ctrl = value & DISK_CTRL_IE;
        bus_set_irq(dev->bus, ISA_CAUSE_DISK, d->completed && d->reg_ctrl, now);
        return 0;
    case DISK_REG_NBLOCKS:
        return 0; /* read-only: writes are ignored */
    default:
        return -1;
    }
}

static void disk_advance(struct device *dev, uint64_t now)
{
    struct disk *d = to_disk(dev);

    if (d->done_at != DEVICE_NEVER && now >= d->done_at) {
        do_transfer(d);
        complete(d, DISK_ST_OK, d->done_at);
    }
}

static uint64_t disk_next_event(const struct device *dev)
{
    return ((const struct disk *)dev)->done_at;
}

static void disk_reset(struct device *dev)
{
    struct disk *d = to_disk(dev);

    d->reg_block = d->reg_addr = d->reg_count = d->reg_ctrl = 0;
    d->status = DISK_ST_OK;
    d->cmd = 0;
    d->done_at = DEVICE_NEVER;
    d->completed = false;
}

int disk_flush(struct device *dev)
{
    struct disk *d = to_disk(dev);
    size_t len = (size_t)d->nblocks * DISK_BLOCK_SIZE;

    if (!d->dirty)
        return 0;
    if (fseek(d->file, 0, SEEK_SET) != 0 || fwrite(d->data, 1, len, d->file) != len ||
        fflush(d->file) != 0)
        return -1;
    d->dirty = false;
    return 0;
}

uint32_t disk_status(const struct device *dev)
{
    return ((const struct disk *)dev)->status;
}

static void disk_destroy(struct device *dev)
{
    struct disk *d = to_disk(dev);

    if (disk_flush(dev) != 0)
        fprintf(stderr, "lde: disk: could not write the image back: %s\n", strerror(errno));
    fclose(d->file);
    free(d->data);
    free(d);
}

static const struct device_ops disk_ops = {
    .read = disk_read,
    .write = disk_write,
    .advance = disk_advance,
    .next_event = disk_next_event,
    .reset = disk_reset,
    .destroy = disk_destroy,
};

/* Read all of `f` into a malloc'd buffer.  NULL on error or if too big. */
static uint8_t *slurp(FILE *f, size_t *len, size_t max)
{
    long end;
    uint8_t *buf;

    if (fseek(f, 0, SEEK_END) != 0 || (end = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        return NULL;
    if ((size_t)end > max)
        return NULL;
    buf = malloc(end > 0 ? (size_t)end : 1);
    if (buf == NULL || fread(buf, 1, (size_t)end, f) != (size_t)end) {
        free(buf);
        return NULL;
    }
    *len = (size_t)end;
    return buf;
}

struct device *disk_create(const char *path, char *err, size_t errlen)
{
    struct disk *d = calloc(1, sizeof(*d));
    char why[160];
    size_t len = 0;

    if (d == NULL) {
        set_err(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    d->file = fopen(path, "r+b");
    if (d->file == NULL) {
        set_err(err, errlen, "%s: cannot open disk image: %s", path, strerror(errno));
        free(d);
        return NULL;
    }
    d->data = slurp(d->file, &len, (size_t)DISK_MAX_BLOCKS * DISK_BLOCK_SIZE);
    if (d->data == NULL) {
        set_err(err, errlen, "%s: cannot read disk image (unreadable or over %u blocks)", path,
                DISK_MAX_BLOCKS);
    } else if (diskfmt_check(d->data, len, why, sizeof(why)) != 0) {
        set_err(err, errlen, "%s: %s", path, why);
    } else {
        d->nblocks = (uint32_t)(len / DISK_BLOCK_SIZE);
        d->dev.name = "disk";
        d->dev.base = ISA_DEV_DISK;
        d->dev.ops = &disk_ops;
        disk_reset(&d->dev);
        return &d->dev;
    }
    fclose(d->file);
    free(d->data);
    free(d);
    return NULL;
}

/* ------------------------------------------------------------ image tools */

/* One file while an image is rebuilt. */
struct file_ref {
    char name[DISKFMT_NAME_MAX + 1]; /* NUL-terminated */
    const uint8_t *data;             /* contents (borrowed) */
    uint32_t size;                   /* bytes */
};

static uint32_t blocks_for(uint32_t bytes)
{
    return bytes / DISK_BLOCK_SIZE + (bytes % DISK_BLOCK_SIZE != 0);
}

/* Lay out `n` files after a standard directory into a fresh buffer. */
static int build(struct diskfmt_image *out, const struct file_ref *files, uint32_t n, char *err,
                 size_t errlen)
{
    uint32_t next = DISKFMT_DIR_BLOCKS;
    uint8_t *data;

    if (n > diskfmt_max_entries(DISKFMT_DIR_BLOCKS)) {
        set_err(err, errlen, "too many files for the directory (at most %u)",
                diskfmt_max_entries(DISKFMT_DIR_BLOCKS));
        return -1;
    }
    for (uint32_t i = 0; i < n; i++)
        next += blocks_for(files[i].size);
    if (next > DISK_MAX_BLOCKS) {
        set_err(err, errlen, "disk image would exceed %u blocks", DISK_MAX_BLOCKS);
        return -1;
    }
    data = calloc(next, DISK_BLOCK_SIZE);
    if (data == NULL) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    put_le32(data + DISKFMT_OFF_MAGIC, DISKFMT_MAGIC);
    put_le32(data + DISKFMT_OFF_VERSION, DISKFMT_VERSION);
    put_le32(data + DISKFMT_OFF_BLOCKS, next);
    put_le32(data + DISKFMT_OFF_DIR_BLOCKS, DISKFMT_DIR_BLOCKS);
    put_le32(data + DISKFMT_OFF_NFILES, n);
    next = DISKFMT_DIR_BLOCKS;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *ent = data + DISKFMT_SUPER_SIZE + (size_t)i * DISKFMT_ENTRY_SIZE;
        memcpy(ent + DISKFMT_ENT_NAME, files[i].name, strlen(files[i].name));
        put_le32(ent + DISKFMT_ENT_SIZE, files[i].size);
        put_le32(ent + DISKFMT_ENT_START, next);
        if (files[i].size > 0)
            memcpy(data + (size_t)next * DISK_BLOCK_SIZE, files[i].data, files[i].size);
        next += blocks_for(files[i].size);
    }
    out->data = data;
    out->size = (size_t)next * DISK_BLOCK_SIZE;
    return 0;
}

int diskfmt_init(struct diskfmt_image *img, char *err, size_t errlen)
{
    return build(img, NULL, 0, err, errlen);
}

int diskfmt_load(struct diskfmt_image *img, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char why[160];
    size_t len = 0;

    if (f == NULL) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    img->data = slurp(f, &len, (size_t)DISK_MAX_BLOCKS * DISK_BLOCK_SIZE);
    fclose(f);
    if (img->data == NULL) {
        set_err(err, errlen, "%s: cannot read disk image", path);
        return -1;
    }
    if (diskfmt_check(img->data, len, why, sizeof(why)) != 0) {
        set_err(err, errlen, "%s: %s", path, why);
        diskfmt_free(img);
        return -1;
    }
    img->size = len;
    return 0;
}

/* Collect the files of a checked image, leaving out one named `skip`. */
static uint32_t collect(const struct diskfmt_image *img, struct file_ref *files, uint32_t max,
                        const char *skip)
{
    uint32_t dir_blocks = get_le32(img->data + DISKFMT_OFF_DIR_BLOCKS);
    uint32_t n = 0;

    for (uint32_t i = 0; i < diskfmt_max_entries(dir_blocks) && n < max; i++) {
        const uint8_t *ent = img->data + DISKFMT_SUPER_SIZE + (size_t)i * DISKFMT_ENTRY_SIZE;
        if (ent[0] == 0 || strcmp((const char *)ent, skip) == 0)
            continue;
        snprintf(files[n].name, sizeof(files[n].name), "%s", (const char *)ent);
        files[n].size = get_le32(ent + DISKFMT_ENT_SIZE);
        files[n].data = img->data + (size_t)get_le32(ent + DISKFMT_ENT_START) * DISK_BLOCK_SIZE;
        n++;
    }
    return n;
}

int diskfmt_add(struct diskfmt_image *img, const char *name, const uint8_t *data, size_t len,
                char *err, size_t errlen)
{
    uint32_t max = diskfmt_max_entries(DISKFMT_DIR_BLOCKS);
    struct file_ref *files;
    struct diskfmt_image out;
    uint32_t n;
    int rc;

    if (name[0] == '\0' || strlen(name) > DISKFMT_NAME_MAX || strchr(name, '/') != NULL) {
        set_err(err, errlen, "bad file name '%s' (1..%u characters, no '/')", name,
                DISKFMT_NAME_MAX);
        return -1;
    }
    if (len > (size_t)DISK_MAX_BLOCKS * DISK_BLOCK_SIZE) {
        set_err(err, errlen, "%s: file too large", name);
        return -1;
    }
    files = calloc(max + 1, sizeof(*files));
    if (files == NULL) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    n = collect(img, files, max + 1, name);
    snprintf(files[n].name, sizeof(files[n].name), "%s", name);
    files[n].data = data;
    files[n].size = (uint32_t)len;
    rc = build(&out, files, n + 1, err, errlen);
    free(files);
    if (rc != 0)
        return -1;
    free(img->data);
    *img = out;
    return 0;
}

int diskfmt_save(const struct diskfmt_image *img, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fwrite(img->data, 1, img->size, f) != img->size) {
        set_err(err, errlen, "%s: write failed: %s", path, strerror(errno));
        fclose(f);
        return -1;
    }
    if (fclose(f) != 0) {
        set_err(err, errlen, "%s: write failed: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

void diskfmt_free(struct diskfmt_image *img)
{
    free(img->data);
    img->data = NULL;
    img->size = 0;
}
