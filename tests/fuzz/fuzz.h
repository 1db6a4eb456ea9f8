/*
 * fuzz.h - what every fuzz harness of tests/fuzz/ shares.
 *
 * A harness is one LLVMFuzzerTestOneInput(): it gets arbitrary bytes, feeds
 * them to one part of lde, and checks that the part either works or fails
 * with a clean one-line error.  A crash, a sanitizer report or a broken
 * invariant (fuzz_fail) is a finding.  The same harness links either with
 * libFuzzer (clang -fsanitize=fuzzer, run-libfuzzer.sh) or with
 * fuzz_driver.c, which replays a corpus as an ordinary test.
 */
#ifndef LDE_FUZZ_H
#define LDE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Report a broken invariant and stop (abort, so that libFuzzer saves the
 * input that caused it). */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Check that a library error message is one non-empty line. */
void fuzz_check_message(const char *what, const char *msg);

/* Reads the fuzz input front to back; past the end it yields zeros. */
struct fuzz_input {
    const uint8_t *data; /* the bytes */
    size_t size;         /* how many */
    size_t pos;          /* next unread byte */
};

uint8_t fuzz_u8(struct fuzz_input *in);
uint32_t fuzz_u32(struct fuzz_input *in);

/* A scratch file name private to this process: "/tmp/lde-fuzz-PID-TAG". */
void fuzz_temp_path(char *buf, size_t len, const char *tag);
/* Write `len` bytes to `path` (replacing it); 0, or -1. */
int fuzz_write_file(const char *path, const uint8_t *data, size_t len);

#endif /* LDE_FUZZ_H */
