/*
 * disk.h - the block device, and the on-disk format of an lde disk image.
 *
 * The device (at ISA_DEV_DISK) moves whole 512-byte blocks between a host
 * image file and RAM by DMA.  The guest programs four registers (block,
 * address, count, command); the transfer completes DISK_CYCLES_START +
 * count * DISK_CYCLES_PER_BLOCK cycles later, when STATUS becomes OK and,
 * if enabled, the DISK interrupt line goes high until acknowledged.
 * Every transfer is checked against the disk and RAM before anything is
 * touched: a bad range is an error status, never a host access.
 * Registers and the format are documented in docs/disk.md.
 *
 * The image is read into host memory at creation; guest writes change that
 * copy and reach the file on disk_flush() and when the device is destroyed.
 *
 * The second half of this header is the disk format (the superblock and
 * directory in block 0..) plus helpers that build and edit images: used by
 * lde-mkdisk and by `lde run` (which adds a program to a copy of a disk).
 */
#ifndef LDE_DISK_H
#define LDE_DISK_H

#include <stddef.h>
#include <stdint.h>

#include "device.h"

#define DISK_BLOCK_SIZE 512u

/* ---- Device registers (byte offsets from ISA_DEV_DISK) */
#define DISK_REG_BLOCK   0x00 /* read/write: first disk block of the transfer */
#define DISK_REG_ADDR    0x04 /* read/write: physical RAM address of the buffer */
#define DISK_REG_COUNT   0x08 /* read/write: number of blocks (1..DISK_MAX_COUNT) */
#define DISK_REG_CMD     0x0c /* write: DISK_CMD_READ or DISK_CMD_WRITE starts it */
#define DISK_REG_STATUS  0x10 /* read: DISK_ST_*; write (any value): acknowledge */
#define DISK_REG_CTRL    0x14 /* read/write: bit 0 = completion interrupt enable */
#define DISK_REG_NBLOCKS 0x18 /* read-only: capacity in blocks */

#define DISK_CMD_READ  1u /* disk -> RAM */
#define DISK_CMD_WRITE 2u /* RAM -> disk */

#define DISK_ST_OK        0u /* idle; the last transfer (if any) succeeded */
#define DISK_ST_BUSY      1u /* a transfer is in progress */
#define DISK_ST_ERR_BLOCK 2u /* block range outside the disk */
#define DISK_ST_ERR_ADDR  3u /* RAM range outside RAM or misaligned */
#define DISK_ST_ERR_CMD   4u /* unknown command, count 0 or too large */

#define DISK_CTRL_IE 0x1u

#define DISK_MAX_COUNT        256u       /* blocks per transfer (128 KiB) */
#define DISK_CYCLES_START     200u       /* fixed cost of a transfer ("seek") */
#define DISK_CYCLES_PER_BLOCK 100u       /* plus this much per block */
#define DISK_MAX_BLOCKS       (1u << 20) /* largest image accepted: 512 MiB */

/* Open the image at `path` read/write.  NULL with a one-line reason in
 * `err` if it is missing, not a whole number of blocks, or not a valid
 * lde disk (see the format below). */
struct device *disk_create(const char *path, char *err, size_t errlen);
/* Write modified blocks back to the file.  0, or -1 on a host I/O error. */
int disk_flush(struct device *disk);
/* Status register, for front-ends and tests. */
uint32_t disk_status(const struct device *disk);

/* ---- On-disk format (all fields little-endian 32-bit words)
 *
 * Block 0 starts with the superblock; the directory follows it and fills
 * the rest of the first `dir_blocks` blocks.  Files are stored contiguously
 * from their start block, in the blocks after the directory.
 *
 *   superblock (32 bytes)        directory entry (32 bytes)
 *   +0x00 magic "LDED"           +0x00 name, NUL-padded (at most 23 chars)
 *   +0x04 version (1)            +0x18 size in bytes
 *   +0x08 total blocks           +0x1c start block
 *   +0x0c dir_blocks             An entry whose name starts with NUL is free.
 *   +0x10 number of entries in use
 *   +0x14 reserved (zero) x3
 */
#define DISKFMT_MAGIC          0x4445444cu /* "LDED" read as a little-endian word */
#define DISKFMT_VERSION        1u
#define DISKFMT_SUPER_SIZE     32u
#define DISKFMT_ENTRY_SIZE     32u
#define DISKFMT_NAME_MAX       23u /* characters, without the NUL */
#define DISKFMT_DIR_BLOCKS     4u  /* directory blocks made by lde-mkdisk */
#define DISKFMT_DIR_BLOCKS_MAX 64u /* directory blocks a disk may have (docs/disk.md) */
#define DISKFMT_OFF_MAGIC      0x00
#define DISKFMT_OFF_VERSION    0x04
#define DISKFMT_OFF_BLOCKS     0x08
#define DISKFMT_OFF_DIR_BLOCKS 0x0c
#define DISKFMT_OFF_NFILES     0x10
#define DISKFMT_ENT_NAME       0x00
#define DISKFMT_ENT_SIZE       0x18
#define DISKFMT_ENT_START      0x1c

/* Number of directory entries that fit in `dir_blocks` blocks. */
static inline uint32_t diskfmt_max_entries(uint32_t dir_blocks)
{
    return (dir_blocks * DISK_BLOCK_SIZE - DISKFMT_SUPER_SIZE) / DISKFMT_ENTRY_SIZE;
}

/* Check that `len` bytes are a well-formed disk image.  0, or -1 with a
 * reason in `err`. */
int diskfmt_check(const uint8_t *img, size_t len, char *err, size_t errlen);

/* An image being built in memory. */
struct diskfmt_image {
    uint8_t *data; /* whole image, a multiple of DISK_BLOCK_SIZE bytes */
    size_t size;   /* bytes */
};

/* A fresh, empty image with the standard directory.  0, or -1. */
int diskfmt_init(struct diskfmt_image *img, char *err, size_t errlen);
/* Read an existing image file (checked).  0, or -1 with "PATH: reason". */
int diskfmt_load(struct diskfmt_image *img, const char *path, char *err, size_t errlen);
/* Add a file, replacing one of the same name.  0, or -1 with a reason. */
int diskfmt_add(struct diskfmt_image *img, const char *name, const uint8_t *data, size_t len,
                char *err, size_t errlen);
/* Write the image to `path`.  0, or -1 with "PATH: reason". */
int diskfmt_save(const struct diskfmt_image *img, const char *path, char *err, size_t errlen);
void diskfmt_free(struct diskfmt_image *img);

#endif /* LDE_DISK_H */
