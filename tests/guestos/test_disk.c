/*
 * test_disk.c - Check tests of the disk device and the disk-image helpers:
 * bad images refused at creation, DMA range checks, timing and interrupt,
 * and writes that persist in the image file across a restart.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "disk.h"
#include "isa.h"

#define RAM_BYTES 0x10000u

static char path[64]; /* the scratch image of the current test */

static void make_path(void)
{
    int fd;

    snprintf(path, sizeof(path), "/tmp/lde-disk-test-XXXXXX");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
}

static void teardown(void)
{
    unlink(path);
}

static void write_bytes(const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* A valid image with one file "data" of `len` bytes, each byte = i * 7. */
static void make_image(size_t len)
{
    struct diskfmt_image img;
    uint8_t *data = malloc(len ? len : 1);
    char err[200];

    for (size_t i = 0; i < len; i++)
        data[i] = (uint8_t)(i * 7);
    ck_assert_int_eq(diskfmt_init(&img, err, sizeof(err)), 0);
    ck_assert_int_eq(diskfmt_add(&img, "data", data, len, err, sizeof(err)), 0);
    ck_assert_int_eq(diskfmt_save(&img, path, err, sizeof(err)), 0);
    diskfmt_free(&img);
    free(data);
}

/* A bus with RAM and the disk at path; fails the test if it cannot. */
static struct bus *machine(void)
{
    struct bus *bus = bus_create(RAM_BYTES);
    char err[200] = "";
    struct device *disk = disk_create(path, err, sizeof(err));

    ck_assert_msg(disk != NULL, "disk_create: %s", err);
    ck_assert_int_eq(bus_attach(bus, disk), 0);
    return bus;
}

static void reg(struct bus *bus, uint32_t off, uint32_t value, uint64_t now)
{
    ck_assert_int_eq(bus_write(bus, ISA_DEV_DISK + off, value, now), 0);
}

static uint32_t status(struct bus *bus)
{
    uint32_t v = 0xdead;
    ck_assert_int_eq(bus_read(bus, ISA_DEV_DISK + DISK_REG_STATUS, &v, 0), 0);
    return v;
}

/* Program a transfer at cycle `now`. */
static void start(struct bus *bus, uint32_t cmd, uint32_t block, uint32_t addr, uint32_t count,
                  uint64_t now)
{
    reg(bus, DISK_REG_BLOCK, block, now);
    reg(bus, DISK_REG_ADDR, addr, now);
    reg(bus, DISK_REG_COUNT, count, now);
    reg(bus, DISK_REG_CTRL, DISK_CTRL_IE, now);
    reg(bus, DISK_REG_CMD, cmd, now);
}

static void expect_create_error(const char *fragment)
{
    char err[200] = "";
    ck_assert_ptr_null(disk_create(path, err, sizeof(err)));
    ck_assert_msg(strstr(err, fragment) != NULL, "error '%s' lacks '%s'", err, fragment);
}

START_TEST(missing_image)
{
    char err[200] = "";
    ck_assert_ptr_null(disk_create("/nonexistent/lde.img", err, sizeof(err)));
    ck_assert_str_eq(err,
                     "/nonexistent/lde.img: cannot open disk image: No such file or directory");
}
END_TEST

START_TEST(short_image)
{
    uint8_t junk[700] = {0};
    write_bytes(junk, sizeof(junk));
    expect_create_error("short disk image: 700 bytes is not a whole number of 512-byte blocks");
}
END_TEST

START_TEST(truncated_image)
{
    make_image(3000); /* 4 directory blocks + 6 data blocks */
    ck_assert_int_eq(truncate(path, 8 * DISK_BLOCK_SIZE), 0);
    expect_create_error("short disk image: superblock says 10 blocks, file has 8");
}
END_TEST

START_TEST(bad_magic)
{
    uint8_t block[DISK_BLOCK_SIZE] = {'N', 'O', 'P', 'E'};
    write_bytes(block, sizeof(block));
    expect_create_error("not an lde disk image (bad magic");
}
END_TEST

START_TEST(corrupt_directory)
{
    struct diskfmt_image img;
    char err[200];

    make_image(100);
    ck_assert_int_eq(diskfmt_load(&img, path, err, sizeof(err)), 0);
    img.data[DISKFMT_SUPER_SIZE + DISKFMT_ENT_START] = 200; /* start past the end */
    ck_assert_int_eq(diskfmt_save(&img, path, err, sizeof(err)), 0);
    diskfmt_free(&img);
    expect_create_error("corrupt disk: file 'data' (blocks 200+1) lies outside the data area");
}
END_TEST

START_TEST(read_timing_and_irq)
{
    struct bus *bus;
    const uint8_t *ram;
    uint32_t first = DISKFMT_DIR_BLOCKS; /* the file's first block */

    make_image(1024);
    bus = machine();
    ram = bus_ram(bus);
    start(bus, DISK_CMD_READ, first, 0x1000, 2, 50);
    ck_assert_uint_eq(status(bus), DISK_ST_BUSY);
    ck_assert_uint_eq(bus_next_event(bus), 50 + DISK_CYCLES_START + 2 * DISK_CYCLES_PER_BLOCK);
    bus_advance(bus, 50 + DISK_CYCLES_START + 2 * DISK_CYCLES_PER_BLOCK - 1);
    ck_assert_uint_eq(status(bus), DISK_ST_BUSY);
    ck_assert_uint_eq(ram[0x1001], 0); /* nothing copied before completion */
    bus_advance(bus, 50 + DISK_CYCLES_START + 2 * DISK_CYCLES_PER_BLOCK);
    ck_assert_uint_eq(status(bus), DISK_ST_OK);
    ck_assert_uint_eq(bus_irq_lines(bus), 1u << ISA_CAUSE_DISK);
    ck_assert_uint_eq(ram[0x1001], 7);
    ck_assert_uint_eq(ram[0x1000 + 1023], (uint8_t)(1023 * 7));
    reg(bus, DISK_REG_STATUS, 0, 700); /* acknowledge */
    ck_assert_uint_eq(bus_irq_lines(bus), 0);
    ck_assert_uint_eq(bus_next_event(bus), DEVICE_NEVER);
    bus_destroy(bus);
}
END_TEST

START_TEST(bad_dma_range)
{
    struct bus *bus;
    uint8_t *ram;

    make_image(512);
    bus = machine();
    ram = bus_ram(bus);
    memset(ram, 0x55, RAM_BYTES);
    start(bus, DISK_CMD_READ, 0, RAM_BYTES - 256, 1, 10); /* runs past the end of RAM */
    ck_assert_uint_eq(status(bus), DISK_ST_ERR_ADDR);
    ck_assert_uint_eq(bus_irq_lines(bus), 1u << ISA_CAUSE_DISK); /* errors complete too */
    reg(bus, DISK_REG_STATUS, 0, 11);
    start(bus, DISK_CMD_READ, 0, 0xfffffe00u, 1, 20); /* would wrap around */
    ck_assert_uint_eq(status(bus), DISK_ST_ERR_ADDR);
    start(bus, DISK_CMD_WRITE, 0, 0x102, 1, 30); /* misaligned */
    ck_assert_uint_eq(status(bus), DISK_ST_ERR_ADDR);
    start(bus, DISK_CMD_READ, 5, 0x100, 1, 40); /* past the last block (5 blocks) */
    ck_assert_uint_eq(status(bus), DISK_ST_ERR_BLOCK);
    start(bus, DISK_CMD_READ, 0, 0x100, 0, 50); /* count 0 */
    ck_assert_uint_eq(status(bus), DISK_ST_ERR_CMD);
    start(bus, 9, 0, 0x100, 1, 60); /* unknown command */
    ck_assert_uint_eq(status(bus), DISK_ST_ERR_CMD);
    ck_assert_uint_eq(bus_next_event(bus), DEVICE_NEVER);
    for (uint32_t i = 0; i < RAM_BYTES; i++)
        ck_assert_uint_eq(ram[i], 0x55);
    bus_destroy(bus);
}
END_TEST

START_TEST(write_persists_across_restart)
{
    struct bus *bus;
    uint8_t *ram;
    uint32_t block = DISKFMT_DIR_BLOCKS + 1;
    uint8_t file_block[DISK_BLOCK_SIZE];
    FILE *f;

    make_image(2048);
    bus = machine();
    ram = bus_ram(bus);
    for (uint32_t i = 0; i < DISK_BLOCK_SIZE; i++)
        ram[0x2000 + i] = (uint8_t)(0xa0 ^ i);
    start(bus, DISK_CMD_WRITE, block, 0x2000, 1, 0);
    bus_advance(bus, DISK_CYCLES_START + DISK_CYCLES_PER_BLOCK);
    ck_assert_uint_eq(status(bus), DISK_ST_OK);
    bus_destroy(bus); /* flushes */

    f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, (long)block * DISK_BLOCK_SIZE, SEEK_SET), 0);
    ck_assert_uint_eq(fread(file_block, 1, sizeof(file_block), f), sizeof(file_block));
    fclose(f);
    ck_assert_uint_eq(file_block[3], 0xa3);

    bus = machine(); /* a restart: read it back */
    ram = bus_ram(bus);
    start(bus, DISK_CMD_READ, block, 0x3000, 1, 0);
    bus_advance(bus, DISK_CYCLES_START + DISK_CYCLES_PER_BLOCK);
    ck_assert_int_eq(memcmp(ram + 0x3000, file_block, DISK_BLOCK_SIZE), 0);
    ck_assert_uint_eq(ram[0x3000 + 511], (uint8_t)(0xa0 ^ 511));
    bus_destroy(bus);
}
END_TEST

START_TEST(add_replaces_file)
{
    struct diskfmt_image img;
    char err[200];
    const uint8_t a[] = "first", b[] = "second version";

    ck_assert_int_eq(diskfmt_init(&img, err, sizeof(err)), 0);
    ck_assert_int_eq(diskfmt_add(&img, "x", a, sizeof(a), err, sizeof(err)), 0);
    ck_assert_int_eq(diskfmt_add(&img, "y", a, sizeof(a), err, sizeof(err)), 0);
    ck_assert_int_eq(diskfmt_add(&img, "x", b, sizeof(b), err, sizeof(err)), 0);
    ck_assert_int_eq(diskfmt_check(img.data, img.size, err, sizeof(err)), 0);
    /* y keeps entry 0; x is now entry 1, with the new contents. */
    ck_assert_str_eq((const char *)img.data + DISKFMT_SUPER_SIZE, "y");
    ck_assert_str_eq((const char *)img.data + DISKFMT_SUPER_SIZE + DISKFMT_ENTRY_SIZE, "x");
    ck_assert_uint_eq(img.data[DISKFMT_SUPER_SIZE + DISKFMT_ENTRY_SIZE + DISKFMT_ENT_SIZE],
                      sizeof(b));
    ck_assert_str_eq((const char *)img.data + (DISKFMT_DIR_BLOCKS + 1) * DISK_BLOCK_SIZE,
                     "second version");
    ck_assert_int_eq(diskfmt_add(&img, "a/b", a, 1, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "bad file name 'a/b' (1..23 characters, no '/')");
    diskfmt_free(&img);
}
END_TEST

static Suite *disk_suite(void)
{
    Suite *s = suite_create("disk");
    TCase *tc = tcase_create("disk");

    tcase_add_checked_fixture(tc, make_path, teardown);
    tcase_add_test(tc, missing_image);
    tcase_add_test(tc, short_image);
    tcase_add_test(tc, truncated_image);
    tcase_add_test(tc, bad_magic);
    tcase_add_test(tc, corrupt_directory);
    tcase_add_test(tc, read_timing_and_irq);
    tcase_add_test(tc, bad_dma_range);
    tcase_add_test(tc, write_persists_across_restart);
    tcase_add_test(tc, add_replaces_file);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(disk_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
