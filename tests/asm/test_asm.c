/*
 * test_asm.c - Check tests of the assembler library, the disassembler and
 * the image format.
 *
 * Expected instruction words are built here with a tiny encoder written
 * from the format diagram in isa.h (shifts and masks, not the library's
 * helpers), so an encoding mistake in the assembler cannot hide behind the
 * same mistake in the test.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assembler.h"
#include "disasm.h"
#include "image.h"
#include "isa.h"

/* ---- The independent encoder */

static uint32_t enc_r(unsigned op, unsigned a, unsigned b, unsigned c)
{
    return op | a << 8 | b << 12 | c << 16;
}

static uint32_t enc_i(unsigned op, unsigned a, unsigned b, int32_t imm)
{
    return op | a << 8 | b << 12 | ((uint32_t)imm & 0xffffu) << 16;
}

static uint32_t enc_j(unsigned op, unsigned a, int32_t imm20)
{
    return op | a << 8 | ((uint32_t)imm20 & 0xfffffu) << 12;
}

/* ---- Helpers */

static char diag[1 << 16];

/* Assemble `src` (named "t.s"); diagnostics land in diag. */
static int assemble_opts(const char *src, const struct asm_options *opt, struct image *img)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *d = open_memstream(&buf, &len);
    int rc = asm_assemble_string("t.s", src, strlen(src), opt, img, d);
    fclose(d);
    snprintf(diag, sizeof diag, "%s", buf ? buf : "");
    free(buf);
    return rc;
}

static int assemble(const char *src, struct image *img)
{
    return assemble_opts(src, NULL, img);
}

/* Assemble and insist on success. */
static void assemble_ok(const char *src, struct image *img)
{
    int rc = assemble(src, img);
    ck_assert_msg(rc == 0, "assembling failed:\n%s\n--- source:\n%s", diag, src);
}

/* Assemble, insist on failure, and return the diagnostics. */
static const char *assemble_fails(const char *src)
{
    struct image img;
    int rc = assemble(src, &img);
    ck_assert_msg(rc != 0, "expected an error for:\n%s", src);
    ck_assert_uint_eq(img.nsections, 0);
    return diag;
}

static const uint8_t *byte_ptr(const struct image *img, uint32_t addr)
{
    for (uint32_t i = 0; i < img->nsections; i++) {
        const struct image_section *s = &img->sections[i];
        if (addr >= s->addr && addr - s->addr < s->file_size)
            return s->data + (addr - s->addr);
    }
    return NULL;
}

static uint32_t word_at(const struct image *img, uint32_t addr)
{
    const uint8_t *p = byte_ptr(img, addr);
    ck_assert_msg(p != NULL, "no byte at 0x%08x", addr);
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Words of a one-section program starting at 0. */
static void expect_words(const char *src, const uint32_t *words, size_t n)
{
    struct image img;
    assemble_ok(src, &img);
    ck_assert_uint_ge(img.nsections, 1);
    ck_assert_msg(img.sections[0].file_size == 4 * n, "%s: %u bytes, expected %zu", src,
                  img.sections[0].file_size, 4 * n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(word_at(&img, (uint32_t)(4 * i)) == words[i],
                      "%s: word %zu is 0x%08x, expected 0x%08x", src, i,
                      word_at(&img, (uint32_t)(4 * i)), words[i]);
    image_free(&img);
}

#define EXPECT(src, ...)                                                                           \
    do {                                                                                           \
        const uint32_t w_[] = {__VA_ARGS__};                                                       \
        expect_words(src, w_, sizeof w_ / sizeof w_[0]);                                           \
    } while (0)

static uint32_t value_of(const char *expr)
{
    char src[512];
    struct image img;
    snprintf(src, sizeof src, ".word %s\n", expr);
    assemble_ok(src, &img);
    uint32_t v = word_at(&img, 0);
    image_free(&img);
    return v;
}

/* ---- Every opcode of the table, extreme operands */

/* Operand text and the field value for one letter; variant 0 = low extreme,
 * 1 = high extreme.  Registers: a = t0 (7), b = s1 (11), c = ra (15). */
static uint32_t operand_for(const struct disasm_op *op, char letter, int variant, char *text,
                            size_t len)
{
    switch (letter) {
    case 'a':
        snprintf(text, len, variant ? "t0" : "r7");
        return 7u << 8;
    case 'b':
        snprintf(text, len, variant ? "s1" : "r11");
        return 11u << 12;
    case 'c':
        snprintf(text, len, variant ? "ra" : "r15");
        return 15u << 16;
    case 'i':
        snprintf(text, len, variant ? "32767" : "-32768");
        return (variant ? 0x7fffu : 0x8000u) << 16;
    case 'u':
        snprintf(text, len, variant ? "0xffff" : "0");
        return (variant ? 0xffffu : 0u) << 16;
    case 'h':
        snprintf(text, len, variant ? "31" : "0");
        return (variant ? 31u : 0u) << 16;
    case 'm':
        snprintf(text, len, variant ? "32767(a5)" : "-32768(sp)");
        return variant ? (0x7fffu << 16 | 6u << 12) : (0x8000u << 16 | 14u << 12);
    case 'o':
        snprintf(text, len, variant ? ". + 131068" : ". - 131072");
        return (variant ? 0x7fffu : 0x8000u) << 16;
    case 'j':
        snprintf(text, len, variant ? ". + 2097148" : ". - 2097152");
        return (variant ? 0x7ffffu : 0x80000u) << 12;
    case 'C': {
        unsigned cr = op->code == ISA_OP_mtcr ? (variant ? ISA_CR_bounds : ISA_CR_status)
                                              : (variant ? ISA_CR_cycleh : ISA_CR_status);
        snprintf(text, len, "%s", disasm_cr_name(cr));
        return cr << 16;
    }
    default:
        ck_abort_msg("unknown operand letter %c", letter);
        return 0;
    }
}

START_TEST(every_opcode_encodes)
{
    for (size_t i = 0; i < disasm_nops; i++) {
        const struct disasm_op *op = &disasm_ops[i];
        for (int variant = 0; variant < 2; variant++) {
            char src[256], text[64];
            uint32_t expect = op->code;
            /* far enough from 0 that the most negative jump stays >= 0 */
            int n = snprintf(src, sizeof src, ".org 0x400000\n%s", op->name);
            const char *sep = " ";
            for (const char *p = op->operands; *p; p++) {
                if (*p == ',')
                    continue;
                expect |= operand_for(op, *p, variant, text, sizeof text);
                n += snprintf(src + n, sizeof src - (size_t)n, "%s%s", sep, text);
                sep = ", ";
            }
            snprintf(src + n, sizeof src - (size_t)n, "\n");
            struct image img;
            assemble_ok(src, &img);
            ck_assert_msg(word_at(&img, 0x400000) == expect, "%s -> 0x%08x, expected 0x%08x", src,
                          word_at(&img, 0x400000), expect);
            ck_assert_msg(disasm_is_legal(expect), "%s: 0x%08x not legal", op->name, expect);
            image_free(&img);
        }
    }
}
END_TEST

START_TEST(hand_encoded_words)
{
    /* computed by hand from the diagram in isa.h */
    EXPECT("addi a0, zero, 10", 0x000a0120);
    EXPECT("add a0, a1, a2", 0x00032101);
    EXPECT("lw a0, 8(sp)", 0x0008e134);
    EXPECT("sw ra, (sp)", 0x0000ef3a);
    EXPECT("nop\nbne a0, zero, . - 4", 0x00000020, 0xffff0141);
    EXPECT("jal ra, . + 24", 0x00006f48);
    EXPECT("lui a1, 0x1234", 0x12340229);
    EXPECT("mfcr t0, cause", 0x00050755);
    EXPECT("mtcr ttb, t0", 0x00017056);
    EXPECT("halt a0", 0x00000154);
    EXPECT("syscall\nbrk\nrett\nwfi", 0x50, 0x51, 0x52, 0x53);
}
END_TEST

/* ---- Pseudo-instructions */

START_TEST(pseudo_li)
{
    EXPECT("li a0, 0", enc_i(ISA_OP_addi, 1, 0, 0));
    EXPECT("li a0, -32768", enc_i(ISA_OP_addi, 1, 0, -32768));
    EXPECT("li a0, 32767", enc_i(ISA_OP_addi, 1, 0, 32767));
    EXPECT("li a0, 32768", enc_i(ISA_OP_ori, 1, 0, 0x8000));
    EXPECT("li a0, 65535", enc_i(ISA_OP_ori, 1, 0, 0xffff));
    EXPECT("li a0, 65536", enc_i(ISA_OP_lui, 1, 0, 1), enc_i(ISA_OP_ori, 1, 1, 0));
    EXPECT("li a0, -32769", enc_i(ISA_OP_lui, 1, 0, 0xffff), enc_i(ISA_OP_ori, 1, 1, 0x7fff));
    EXPECT("li a0, 0xffffffff", enc_i(ISA_OP_lui, 1, 0, 0xffff), enc_i(ISA_OP_ori, 1, 1, 0xffff));
    EXPECT("li a0, -2147483648", enc_i(ISA_OP_lui, 1, 0, 0x8000), enc_i(ISA_OP_ori, 1, 1, 0));
    EXPECT("li s3, 0x12345678", enc_i(ISA_OP_lui, 13, 0, 0x1234),
           enc_i(ISA_OP_ori, 13, 13, 0x5678));
    /* a forward reference is not known in pass 1: always two words */
    EXPECT("li a0, N\n.equ N, 5", enc_i(ISA_OP_lui, 1, 0, 0), enc_i(ISA_OP_ori, 1, 1, 5));
    EXPECT(".equ N, 5\nli a0, N", enc_i(ISA_OP_addi, 1, 0, 5));
    EXPECT("li a0, 'A'", enc_i(ISA_OP_addi, 1, 0, 65));
}
END_TEST

START_TEST(pseudo_others)
{
    EXPECT("x: la a0, x", enc_i(ISA_OP_lui, 1, 0, 0), enc_i(ISA_OP_ori, 1, 1, 0));
    EXPECT("mv a0, a1", enc_i(ISA_OP_addi, 1, 2, 0));
    EXPECT("not a0, a1", enc_r(ISA_OP_sub, 1, 0, 2), enc_i(ISA_OP_addi, 1, 1, -1));
    EXPECT("neg a0, a1", enc_r(ISA_OP_sub, 1, 0, 2));
    EXPECT("nop", enc_i(ISA_OP_addi, 0, 0, 0));
    EXPECT("call f\nf: ret", enc_j(ISA_OP_jal, 15, 1), enc_i(ISA_OP_jalr, 0, 15, 0));
    EXPECT("f: j f", enc_j(ISA_OP_jal, 0, 0));
    EXPECT("j . + 2097148", enc_j(ISA_OP_jal, 0, 524287));
    EXPECT("call . - 2097152", enc_j(ISA_OP_jal, 15, -524288)); /* wraps below 0 */
    EXPECT("bnez t2, . - 131072", enc_i(ISA_OP_bne, 9, 0, -32768));
    EXPECT(".L1: j .L1", enc_j(ISA_OP_jal, 0, 0));
    EXPECT("jr t2", enc_i(ISA_OP_jalr, 0, 9, 0));
    EXPECT("push s0", enc_i(ISA_OP_addi, 14, 14, -4), enc_i(ISA_OP_sw, 10, 14, 0));
    EXPECT("pop s0", enc_i(ISA_OP_lw, 10, 14, 0), enc_i(ISA_OP_addi, 14, 14, 4));
    EXPECT("x: beqz a0, x", enc_i(ISA_OP_beq, 1, 0, 0));
    EXPECT("bnez a0, . + 8", enc_i(ISA_OP_bne, 1, 0, 2));
    EXPECT("bltz a0, . - 4", enc_i(ISA_OP_blt, 1, 0, -1));
    EXPECT("bgez a0, . + 131068", enc_i(ISA_OP_bge, 1, 0, 32767));
    EXPECT("bgtz a0, .", enc_i(ISA_OP_blt, 0, 1, 0));
    EXPECT("blez a0, .", enc_i(ISA_OP_bge, 0, 1, 0));
    EXPECT("bgt a0, a1, .", enc_i(ISA_OP_blt, 2, 1, 0));
    EXPECT("ble a0, a1, .", enc_i(ISA_OP_bge, 2, 1, 0));
    EXPECT("bgtu a0, a1, .", enc_i(ISA_OP_bltu, 2, 1, 0));
    EXPECT("bleu a0, a1, .", enc_i(ISA_OP_bgeu, 2, 1, 0));
    EXPECT("seqz a0, a1", enc_i(ISA_OP_sltiu, 1, 2, 1));
    EXPECT("snez a0, a1", enc_r(ISA_OP_sltu, 1, 0, 2));
}
END_TEST

START_TEST(pseudo_la_value)
{
    struct image img;
    assemble_ok(".org 0x12340\nla t1, 0xdeadbeef\n", &img);
    ck_assert_uint_eq(word_at(&img, 0x12340), enc_i(ISA_OP_lui, 8, 0, 0xdead));
    ck_assert_uint_eq(word_at(&img, 0x12344), enc_i(ISA_OP_ori, 8, 8, 0xbeef));
    image_free(&img);
}
END_TEST

/* ---- Disassembler */

START_TEST(disasm_text)
{
    char buf[128];
    disasm_insn(0x000a0120, 0, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, "addi a0, zero, 10");
    disasm_insn(0x0008e134, 0, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, "lw a0, 8(sp)");
    disasm_insn(0xffff0141, 0x100, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, "bne a0, zero, 0x000000fc");
    disasm_insn(enc_i(ISA_OP_ori, 1, 1, 0xbeef), 0, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, "ori a0, a0, 0xbeef");
    disasm_insn(enc_i(ISA_OP_mfcr, 1, 0, ISA_CR_cycleh), 0, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, "mfcr a0, cycleh");
    disasm_insn(0x50, 0, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, "syscall");
    /* illegal words: unknown opcode, non-zero unused bits, shift > 31,
     * unknown control register, writing the cycle counter */
    disasm_insn(0, 0, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, ".word 0x00000000");
    disasm_insn(0x00100001, 0, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, ".word 0x00100001");
    disasm_insn(0x00200024, 0, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, ".word 0x00200024");
    disasm_insn(0x00090055, 0, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, ".word 0x00090055");
    disasm_insn(enc_i(ISA_OP_mtcr, 0, 1, ISA_CR_cycle), 0, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, ".word 0x00071056");
    disasm_insn(0x150, 0, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, ".word 0x00000150");
    /* truncation is safe and reports the full length */
    ck_assert_int_eq(disasm_insn(0x000a0120, 0, NULL, buf, 5), 17);
    ck_assert_str_eq(buf, "addi");
}
END_TEST

START_TEST(disasm_symbols)
{
    struct image img;
    char buf[128];
    assemble_ok("main: nop\nloop: nop\nnop\nbeq a0, a1, loop\njal ra, loop + 4\n"
                ".equ BIG, 8\n",
                &img);
    disasm_insn(word_at(&img, 12), 12, &img, buf, sizeof buf);
    ck_assert_str_eq(buf, "beq a0, a1, 0x00000004  # <loop>");
    disasm_insn(word_at(&img, 16), 16, &img, buf, sizeof buf);
    ck_assert_str_eq(buf, "jal ra, 0x00000008  # <loop+0x4>");
    ck_assert_int_eq(disasm_symbolize(&img, 0x8, buf, sizeof buf), 10);
    ck_assert_str_eq(buf, "<loop+0x4>");
    /* past the image (or wrapped below 0): no label+offset */
    ck_assert_int_eq(disasm_symbolize(&img, 0x14, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "");
    ck_assert_int_eq(disasm_symbolize(&img, 0xfffffffcu, buf, sizeof buf), 0);
    image_free(&img);
}
END_TEST

/* Random legal word for `op`: every field random within its legal range. */
static uint32_t random_word(const struct disasm_op *op, unsigned *seed)
{
    uint32_t w = op->code;
    for (const char *p = op->operands; *p; p++) {
        uint32_t r = (uint32_t)rand_r(seed) ^ (uint32_t)rand_r(seed) << 16;
        switch (*p) {
        case 'a':
            w |= (r & 15) << 8;
            break;
        case 'b':
            w |= (r & 15) << 12;
            break;
        case 'c':
            w |= (r & 15) << 16;
            break;
        case 'm':
            w |= (r & 15) << 12 | (r & 0xffff0000u);
            break;
        case 'i':
        case 'u':
        case 'o':
            w |= r & 0xffff0000u;
            break;
        case 'h':
            w |= (r % 32) << 16;
            break;
        case 'j':
            w |= r & 0xfffff000u;
            break;
        case 'C': {
            uint32_t cr = r % ISA_NCRS;
            if (op->code == ISA_OP_mtcr && (cr == ISA_CR_cycle || cr == ISA_CR_cycleh))
                cr = ISA_CR_ttb;
            w |= cr << 16;
            break;
        }
        default:
            break;
        }
    }
    return w;
}

/* disassemble -> assemble gives the same word, for the whole table */
START_TEST(round_trip_whole_table)
{
    unsigned seed = 12345;
    int checked = 0;
    for (size_t i = 0; i < disasm_nops; i++) {
        for (int k = 0; k < 64; k++) {
            uint32_t w = random_word(&disasm_ops[i], &seed);
            uint32_t addr = ((uint32_t)rand_r(&seed) << 4) & 0xfffffff0u;
            char text[128], src[256];
            ck_assert_msg(disasm_is_legal(w), "0x%08x", w);
            disasm_insn(w, addr, NULL, text, sizeof text);
            snprintf(src, sizeof src, ".org 0x%x\n%s\n", addr, text);
            struct image img;
            assemble_ok(src, &img);
            ck_assert_msg(word_at(&img, addr) == w, "%s -> 0x%08x, expected 0x%08x", src,
                          word_at(&img, addr), w);
            image_free(&img);
            checked++;
        }
    }
    ck_assert_int_eq(checked, (int)disasm_nops * 64);
}
END_TEST

/* Illegal words print as .word and also come back unchanged. */
START_TEST(round_trip_illegal)
{
    const uint32_t words[] = {0, 0xffffffffu, 0x00100001, 0x00200024, 0x00090055, 0x00071056};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        char text[64], src[128];
        struct image img;
        disasm_insn(words[i], 0, NULL, text, sizeof text);
        snprintf(src, sizeof src, "%s\n", text);
        assemble_ok(src, &img);
        ck_assert_uint_eq(word_at(&img, 0), words[i]);
        image_free(&img);
    }
}
END_TEST

/* ---- Expressions */

START_TEST(expressions)
{
    ck_assert_uint_eq(value_of("1 + 2 * 3"), 7);
    ck_assert_uint_eq(value_of("(1 + 2) * 3"), 9);
    ck_assert_uint_eq(value_of("1 << 2 + 1"), 8);
    ck_assert_uint_eq(value_of("7 & 3 | 8"), 11);
    ck_assert_uint_eq(value_of("1 | 2 ^ 3"), 1);
    ck_assert_uint_eq(value_of("6 & 3 ^ 1"), 3);
    ck_assert_uint_eq(value_of("-1"), 0xffffffffu);
    ck_assert_uint_eq(value_of("~0"), 0xffffffffu);
    ck_assert_uint_eq(value_of("~0x0f & 0xff"), 0xf0);
    ck_assert_uint_eq(value_of("!0 + !5"), 1);
    ck_assert_uint_eq(value_of("10 % 3"), 1);
    ck_assert_uint_eq(value_of("-7 / 2"), (uint32_t)-3);
    ck_assert_uint_eq(value_of("-7 % 2"), (uint32_t)-1);
    ck_assert_uint_eq(value_of("2 < 3 && 3 <= 3 && 4 > 3 && 4 >= 5 == 0"), 1);
    ck_assert_uint_eq(value_of("3 == 3 || 0"), 1);
    ck_assert_uint_eq(value_of("1 + 2 == 3"), 1);
    ck_assert_uint_eq(value_of("5 != 5"), 0);
    ck_assert_uint_eq(value_of("'a'"), 97);
    ck_assert_uint_eq(value_of("'\\n' + '\\x41' + '\\0' + '\\\\'"), 10 + 65 + 0 + 92);
    ck_assert_uint_eq(value_of("0b101 + 0o17 + 0x10 + 1_000"), 5 + 15 + 16 + 1000);
    ck_assert_uint_eq(value_of("0x7fffffff + 1"), 0x80000000u);
    ck_assert_uint_eq(value_of("-0x80000000"), 0x80000000u);
    ck_assert_uint_eq(value_of("%hi(0x12345678)"), 0x1234);
    ck_assert_uint_eq(value_of("%lo(0x12345678)"), 0x5678);
    ck_assert_uint_eq(value_of("%hi(-1)"), 0xffff);
    ck_assert_uint_eq(value_of("-16 >> 2"), 0xfffffffcu);
    ck_assert_uint_eq(value_of("0x80000000 >> 4"), 0x08000000u);
    ck_assert_uint_eq(value_of("1 << 31"), 0x80000000u);
    ck_assert_uint_eq(value_of("x + 4\nx: .word 0"), 8);
    ck_assert_uint_eq(value_of(". + 8"), 8);
}
END_TEST

START_TEST(expression_errors)
{
    ck_assert_ptr_nonnull(strstr(assemble_fails(".word 0xffffffff + 1\n"),
                                 "t.s:1:18: error: overflow: the result of '+' does not fit "
                                 "in 32 bits"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".word 1 << 32\n"), "t.s:1:9: error: overflow"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".word -0x80000000 - 1\n"), "overflow"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".word 0x10000 * 0x10000\n"), "overflow"));
    ck_assert_ptr_nonnull(
        strstr(assemble_fails(".word 5 % 0\n"), "t.s:1:9: error: division by zero"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".word 0x100000000\n"),
                                 "t.s:1:7: error: number '0x100000000' does not fit"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".word (1 + 2\n"), "expected ')'"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".word 1 +\n"), "expected an expression"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".word a0\n"), "'a0' is a register"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".word 012\n"), "leading zero"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".word 0x1g\n"), "invalid digit 'g'"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".word 1 << 40\n"), "out of range 0..32"));
    ck_assert_ptr_nonnull(
        strstr(assemble_fails(".byte 256\n"), "value 256 is out of range for '.byte' (-128..255)"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".half -32769\n"),
                                 "value -32769 is out of range for '.half' (-32768..65535)"));
}
END_TEST

/* ---- Labels, local labels, macros, conditionals */

START_TEST(local_labels)
{
    EXPECT("1: nop\n"
           "   beq a0, a1, 1f\n"
           "1: bne a0, a1, 1b\n"
           "   j 1b\n"
           "   j 2f\n"
           "2: nop\n",
           enc_i(ISA_OP_addi, 0, 0, 0), enc_i(ISA_OP_beq, 1, 2, 1), enc_i(ISA_OP_bne, 1, 2, 0),
           enc_j(ISA_OP_jal, 0, -1), enc_j(ISA_OP_jal, 0, 1), enc_i(ISA_OP_addi, 0, 0, 0));
    ck_assert_ptr_nonnull(
        strstr(assemble_fails("j 1f\n"), "t.s:1:3: error: no local label '1' after here"));
    ck_assert_ptr_nonnull(
        strstr(assemble_fails("j 3b\n3: nop\n"), "t.s:1:3: error: no local label '3' before here"));
}
END_TEST

START_TEST(macros)
{
    EXPECT(".macro inc reg, n\n"
           "    addi \\reg, \\reg, \\n\n"
           ".endm\n"
           "    inc a0, 1\n"
           "    inc t1, -2\n",
           enc_i(ISA_OP_addi, 1, 1, 1), enc_i(ISA_OP_addi, 8, 8, -2));
    /* \@ makes labels unique per expansion */
    EXPECT(".macro spin\n"
           "spin\\@: j spin\\@\n"
           ".endm\n"
           "    spin\n"
           "    spin\n",
           enc_j(ISA_OP_jal, 0, 0), enc_j(ISA_OP_jal, 0, 0));
    /* local labels inside a macro, nested macro use */
    EXPECT(".macro count r\n"
           "1:  addi \\r, \\r, -1\n"
           "    bnez \\r, 1b\n"
           ".endm\n"
           ".macro twice r\n"
           "    count \\r\n"
           "    count \\r\n"
           ".endm\n"
           "    twice a2\n",
           enc_i(ISA_OP_addi, 3, 3, -1), enc_i(ISA_OP_bne, 3, 0, -1), enc_i(ISA_OP_addi, 3, 3, -1),
           enc_i(ISA_OP_bne, 3, 0, -1));
    struct image img;
    assemble_ok(".macro lbl\nm\\@: nop\n.endm\nlbl\nlbl\nlbl\n", &img);
    ck_assert_ptr_nonnull(image_symbol_named(&img, "m0"));
    ck_assert_uint_eq(image_symbol_named(&img, "m2")->value, 8);
    image_free(&img);
}
END_TEST

START_TEST(macro_errors)
{
    const char *d = assemble_fails(".macro m a\n nop\n.endm\n m 1, 2\n");
    ck_assert_ptr_nonnull(strstr(d, "t.s:4:7: error: macro 'm' takes 1 argument, got 2"));
    d = assemble_fails(".macro r\n r\n.endm\n r\n");
    ck_assert_ptr_nonnull(strstr(d, "t.s:2:2: error: macro recursion too deep (more than 64 "
                                    "nested expansions)"));
    ck_assert_ptr_nonnull(strstr(d, "t.s:4:2: note: in expansion of macro 'r'"));
    d = assemble_fails(".macro m\n nop\n");
    ck_assert_ptr_nonnull(strstr(d, "t.s:1:8: error: '.macro m' without a matching '.endm'"));
    d = assemble_fails(".macro add\n.endm\n");
    ck_assert_ptr_nonnull(strstr(d, "'add' is an instruction; a macro cannot replace it"));
    d = assemble_fails(".macro m\n.endm\n.macro m\n.endm\n");
    ck_assert_ptr_nonnull(strstr(d, "t.s:3:8: error: macro 'm' is already defined"));
    ck_assert_ptr_nonnull(strstr(d, "t.s:1:8: note: 'm' was first defined here"));
    /* an error inside an expansion names the body line and the call */
    d = assemble_fails(".macro bad\n  addi a0, a0, 99999\n.endm\n  bad\n");
    ck_assert_ptr_nonnull(strstr(d, "t.s:2:16: error: immediate 99999 is out of range"));
    ck_assert_ptr_nonnull(strstr(d, "t.s:4:3: note: in expansion of macro 'bad'\n  bad\n  ^\n"));
}
END_TEST

/* Limits on what no person writes: a line, a name.  One error each, and a
 * long line is shown as a window around the column, not whole. */
START_TEST(long_lines_and_names)
{
    size_t n = 70000;
    char *src = malloc(n + 16);
    ck_assert_ptr_nonnull(src);
    memcpy(src, ".word ", 6);
    memset(src + 6, '1', n);
    strcpy(src + 6 + n, "\n");
    const char *d = assemble_fails(src);
    ck_assert_ptr_nonnull(
        strstr(d, "t.s:1: error: line too long: 70006 characters (at most 65535)\n"));
    ck_assert_uint_lt(strlen(d), 400);
    memset(src, 'x', 300);
    strcpy(src + 300, " a0\n");
    d = assemble_fails(src);
    ck_assert_ptr_nonnull(strstr(d, "t.s:1:1: error: name too long: 300 characters (at most 255)"));
    ck_assert_uint_lt(strlen(d), 400);
    free(src);
}
END_TEST

START_TEST(conditionals)
{
    EXPECT(".equ A, 1\n"
           ".if A\n nop\n.else\n halt a0\n.endif\n"
           ".if A == 2\n halt a0\n.else\n syscall\n.endif\n"
           ".if 1\n.if 0\n halt a0\n.else\n brk\n.endif\n.endif\n"
           ".if 0\n.if 1\n halt a0\n.endif\n.else\n wfi\n.endif\n"
           ".ifdef A\n rett\n.endif\n"
           ".ifndef B\n rett\n.endif\n"
           ".ifdef B\n halt a0\n.endif\n",
           enc_i(ISA_OP_addi, 0, 0, 0), 0x50, 0x51, 0x53, 0x52, 0x52);
    ck_assert_ptr_nonnull(strstr(assemble_fails(".if 1\nnop\n"),
                                 "t.s:1:1: error: '.if' without a matching '.endif'"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".endif\n"), "t.s:1:1: error: '.endif' without"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".if 1\n.else\n.else\n.endif\n"),
                                 "t.s:3:1: error: a second '.else'"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".if X\n.endif\nX:\n"),
                                 "t.s:1:5: error: the condition of '.if' must be known at "
                                 "this point (no forward references)"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".if 1\n.error \"stop here\"\n.endif\n"),
                                 "t.s:2:1: error: stop here"));
}
END_TEST

/* ---- Sections, alignment, .org, data */

START_TEST(sections_and_alignment)
{
    struct image img;
    assemble_ok(".text\n_start: nop\nnop\nnop\n"
                ".data\nd: .byte 1\n.align 4\nw: .word 0x11223344\n.half 0x5566\n"
                ".ascii \"ab\"\n.asciz \"c\\t\"\n.space 3, 0xee\n.zero 2\n"
                ".bss\nb: .space 100\n.align 8\nb2: .zero 8\n"
                ".text\nnop\n",
                &img);
    ck_assert_uint_eq(img.nsections, 3);
    ck_assert_uint_eq(img.sections[0].addr, 0);
    ck_assert_uint_eq(img.sections[0].file_size, 16);
    ck_assert_uint_eq(img.sections[0].flags, IMAGE_SEC_EXEC);
    ck_assert_uint_eq(img.sections[1].addr, 16); /* .data: after .text, aligned to 16 */
    ck_assert_uint_eq(img.sections[1].flags, IMAGE_SEC_WRITE);
    ck_assert_uint_eq(img.sections[1].file_size, 4 + 4 + 2 + 2 + 3 + 3 + 2);
    const uint8_t expect[] = {1,   0,   0,   0,    0x44, 0x33, 0x22, 0x11, 0x66, 0x55,
                              'a', 'b', 'c', '\t', 0,    0xee, 0xee, 0xee, 0,    0};
    ck_assert_mem_eq(img.sections[1].data, expect, sizeof expect);
    ck_assert_uint_eq(img.sections[2].addr, 48); /* .bss: after .data, aligned to 16 */
    ck_assert_uint_eq(img.sections[2].file_size, 0);
    ck_assert_uint_eq(img.sections[2].mem_size, 104 + 8);
    ck_assert_uint_eq(image_symbol_named(&img, "b2")->value, 48 + 104);
    ck_assert_uint_eq(image_symbol_named(&img, "w")->value, 20);
    image_free(&img);

    /* .org chooses where a section starts, or pads forward */
    assemble_ok(".org 0x1000\nnop\n.org 0x1010\nnop\n.data\n.org 0x8000\nx: .word x\n", &img);
    ck_assert_uint_eq(img.sections[0].addr, 0x1000);
    ck_assert_uint_eq(img.sections[0].file_size, 0x14);
    ck_assert_uint_eq(word_at(&img, 0x1004), 0);
    ck_assert_uint_eq(word_at(&img, 0x1010), enc_i(ISA_OP_addi, 0, 0, 0));
    ck_assert_uint_eq(img.sections[1].addr, 0x8000);
    ck_assert_uint_eq(word_at(&img, 0x8000), 0x8000);
    ck_assert_uint_eq(img.entry, 0x1000);
    image_free(&img);

    /* a data section with large alignment starts on that alignment */
    assemble_ok("nop\n.data\n.align 256\nbuf: .word 1\n", &img);
    ck_assert_uint_eq(image_symbol_named(&img, "buf")->value, 256);
    image_free(&img);
}
END_TEST

START_TEST(section_errors)
{
    ck_assert_ptr_nonnull(strstr(assemble_fails(".byte 1\nnop\n"),
                                 "t.s:2:1: error: misaligned instruction: address 0x00000001 is "
                                 "not a multiple of 4 (add '.align 4' before it)"));
    ck_assert_ptr_nonnull(
        strstr(assemble_fails(".data\n.byte 1\n.word 2\n"), "t.s:3:1: error: misaligned '.word'"));
    ck_assert_ptr_nonnull(
        strstr(assemble_fails(".data\n.byte 1\n.half 2\n"), "t.s:3:1: error: misaligned '.half'"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".bss\n.word 1\n"), ".bss holds only zeros"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".org 8\nnop\n.org 4\n"),
                                 "'.org' cannot move backwards (from 0x0000000c to 0x00000004)"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".align 3\n"), "alignment 3 is not a power"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".space 0x7fffffff\n"), "would grow beyond"));
    ck_assert_ptr_nonnull(strstr(assemble_fails("nop\n.data\n.org 0\n.word 1\n"), "overlap"));
    ck_assert_ptr_nonnull(strstr(assemble_fails(".space N\n.equ N, 4\n"),
                                 "t.s:1:8: error: the size must be known at this point"));
}
END_TEST

/* ---- Symbols and the image */

START_TEST(symbol_table)
{
    struct image img;
    assemble_ok(".global _start, helper\n"
                ".equ LIMIT, 0x100\n"
                ".set V, 1\n.set V, V + 1\n"
                "helper: nop\nnop\n"
                "_start: nop\n"
                "1: nop\n"
                ".data\nmsg: .asciz \"hi\"\n",
                &img);
    ck_assert_uint_eq(img.entry, 8);
    ck_assert_uint_eq(img.nsymbols, 5); /* local 1: is not in the table */
    const char *order[] = {"helper", "V", "_start", "msg", "LIMIT"};
    for (int i = 0; i < 5; i++)
        ck_assert_str_eq(img.symbols[i].name, order[i]);
    const struct image_symbol *s = image_symbol_named(&img, "helper");
    ck_assert_int_eq(s->kind, IMAGE_SYM_GLOBAL);
    ck_assert_uint_eq(s->size, 8);
    s = image_symbol_named(&img, "_start");
    ck_assert_int_eq(s->kind, IMAGE_SYM_GLOBAL);
    ck_assert_uint_eq(s->size, 8);
    s = image_symbol_named(&img, "msg");
    ck_assert_int_eq(s->kind, IMAGE_SYM_LABEL);
    ck_assert_uint_eq(s->value, 16);
    ck_assert_uint_eq(s->size, 3);
    s = image_symbol_named(&img, "LIMIT");
    ck_assert_int_eq(s->kind, IMAGE_SYM_CONST);
    ck_assert_uint_eq(s->value, 0x100);
    ck_assert_uint_eq(image_symbol_named(&img, "V")->value, 2);
    uint32_t off = 0;
    ck_assert_str_eq(image_symbol_at(&img, 0xc, &off)->name, "_start");
    ck_assert_uint_eq(off, 4);
    ck_assert_str_eq(image_symbol_at(&img, 0x1000, &off)->name, "msg");
    image_free(&img);
}
END_TEST

START_TEST(symbol_errors)
{
    const char *d = assemble_fails("x: nop\n  x: nop\n");
    ck_assert_ptr_nonnull(strstr(d, "t.s:2:3: error: duplicate symbol 'x'\n  x: nop\n  ^\n"
                                    "t.s:1:1: note: 'x' was first defined here\nx: nop\n^\n"));
    d = assemble_fails(".equ A, 1\n.equ A, 2\n");
    ck_assert_ptr_nonnull(strstr(d, "t.s:2:6: error: duplicate symbol 'A'"));
    d = assemble_fails(".global nothere\n");
    ck_assert_ptr_nonnull(strstr(d, "t.s:1:9: error: 'nothere' is declared .global but never "
                                    "defined"));
    d = assemble_fails("sp: nop\n");
    ck_assert_ptr_nonnull(strstr(d, "'sp' is a register name"));
    d = assemble_fails("j nowhere\n");
    ck_assert_ptr_nonnull(strstr(d, "t.s:1:3: error: undefined symbol 'nowhere'\nj nowhere\n"
                                    "  ^\n"));
}
END_TEST

START_TEST(options_defines_werror)
{
    const char *defs[] = {"N=7", "FLAG", "E=2*N"};
    struct asm_options opt = {NULL, 0, defs, 3, 0, NULL, NULL};
    struct image img;
    ck_assert_int_eq(assemble_opts(".word N, FLAG, E\n", &opt, &img), 0);
    ck_assert_uint_eq(word_at(&img, 0), 7);
    ck_assert_uint_eq(word_at(&img, 4), 1);
    ck_assert_uint_eq(word_at(&img, 8), 14);
    image_free(&img);
    /* a warning does not block output unless werror */
    const char *src = "1: nop\n";
    ck_assert_int_eq(assemble_opts(src, &opt, &img), 0);
    ck_assert_str_eq(diag, "t.s:1:1: warning: local label '1' is never used\n1: nop\n^\n");
    image_free(&img);
    opt.werror = 1;
    ck_assert_int_ne(assemble_opts(src, &opt, &img), 0);
    ck_assert_str_eq(diag, "t.s:1:1: error: local label '1' is never used\n1: nop\n^\n");
    ck_assert_uint_eq(img.nsections, 0);
    ck_assert_int_eq(assemble_opts(".warning \"careful\"\n", &opt, &img), -1);
}
END_TEST

/* Every error in a file is reported, not just the first. */
START_TEST(all_errors_reported)
{
    const char *d = assemble_fails("foo a0\nbar a1\n.bogus\nadd a0\n");
    ck_assert_ptr_nonnull(strstr(d, "t.s:1:1: error: unknown mnemonic 'foo'"));
    ck_assert_ptr_nonnull(strstr(d, "t.s:2:1: error: unknown mnemonic 'bar'"));
    ck_assert_ptr_nonnull(strstr(d, "t.s:3:1: error: unknown directive '.bogus'"));
    ck_assert_ptr_nonnull(strstr(d, "t.s:4:1: error: 'add' takes 3 operands, got 1 (add reg, "
                                    "reg, reg)"));
}
END_TEST

/* ---- Listing and map */

START_TEST(listing_and_map)
{
    char *lbuf = NULL, *mbuf = NULL;
    size_t llen = 0, mlen = 0;
    FILE *lf = open_memstream(&lbuf, &llen), *mf = open_memstream(&mbuf, &mlen);
    struct asm_options opt = {NULL, 0, NULL, 0, 0, lf, mf};
    struct image img;
    ck_assert_int_eq(assemble_opts("# demo\n.equ N, 3\n_start: li a0, 0x12345\n"
                                   "  halt a0\n.data\nmsg: .asciz \"hello, world\"\n"
                                   ".bss\nbuf: .space 32\n",
                                   &opt, &img),
                     0);
    fclose(lf);
    fclose(mf);
    ck_assert_str_eq(lbuf,
                     "# lde-as listing of t.s\n"
                     " LINE  ADDRESS   CODE/DATA                SOURCE\n"
                     "    1                                     # demo\n"
                     "    2                                     .equ N, 3\n"
                     "    3  00000000  00010129                 _start: li a0, 0x12345\n"
                     "       00000004  23451122\n"
                     "    4  00000008  00000154                   halt a0\n"
                     "    5                                     .data\n"
                     "    6  00000010  68 65 6c 6c 6f 2c 20 77  msg: .asciz \"hello, world\"\n"
                     "       00000018  6f 72 6c 64 00\n"
                     "    7                                     .bss\n"
                     "    8  00000020  (32 zero bytes)          buf: .space 32\n");
    ck_assert_str_eq(mbuf, "# lde-as map of t.s\n"
                           "entry 0x00000000\n"
                           "\n"
                           "# section  address     size        file size   flags\n"
                           ".text      0x00000000  0x0000000c  0x0000000c  exec\n"
                           ".data      0x00000010  0x0000000d  0x0000000d  write\n"
                           ".bss       0x00000020  0x00000020  0x00000000  write\n"
                           "\n"
                           "# address   size        kind    name\n"
                           "0x00000000  0x0000000c  label   _start\n"
                           "0x00000010  0x0000000d  label   msg\n"
                           "0x00000020  0x00000020  label   buf\n"
                           "\n"
                           "# value       kind    name\n"
                           "0x00000003  const   N\n");
    free(lbuf);
    free(mbuf);
    image_free(&img);
}
END_TEST

/* ---- The image format */

static size_t good_image(uint8_t **bytes)
{
    struct image img;
    assemble_ok("_start: nop\n.data\nd: .word 1\n.bss\nb: .space 8\n.equ K, 3\n", &img);
    size_t len = image_serialise(&img, bytes);
    image_free(&img);
    ck_assert_uint_gt(len, 0);
    return len;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16),
    p[3] = (uint8_t)(v >> 24);
}

static void expect_parse_error(const uint8_t *bytes, size_t len, const char *want)
{
    struct image img;
    char err[256] = "";
    ck_assert_int_eq(image_parse(&img, bytes, len, err, sizeof err), -1);
    ck_assert_msg(strstr(err, want) != NULL, "error '%s' lacks '%s'", err, want);
    ck_assert_ptr_null(img.blob);
}

START_TEST(image_round_trip)
{
    uint8_t *bytes;
    size_t len = good_image(&bytes);
    struct image img;
    char err[256];
    ck_assert_int_eq(image_parse(&img, bytes, len, err, sizeof err), 0);
    ck_assert_uint_eq(img.nsections, 3);
    ck_assert_uint_eq(img.nsymbols, 4);
    uint8_t *again;
    size_t len2 = image_serialise(&img, &again);
    ck_assert_uint_eq(len2, len);
    ck_assert_mem_eq(again, bytes, len);
    uint8_t mem[64];
    memset(mem, 0xaa, sizeof mem);
    ck_assert_int_eq(image_place(&img, mem, sizeof mem, err, sizeof err), 0);
    ck_assert_uint_eq(mem[16], 1);
    ck_assert_uint_eq(mem[32], 0); /* .bss zeroed */
    ck_assert_uint_eq(mem[39], 0);
    ck_assert_uint_eq(mem[40], 0xaa);
    ck_assert_int_eq(image_place(&img, mem, 36, err, sizeof err), -1);
    ck_assert_str_eq(err, "section 2 (0x00000020..0x00000028) does not fit in memory of 36 bytes");
    free(again);
    free(bytes);
    image_free(&img);
}
END_TEST

START_TEST(image_corrupt)
{
    uint8_t *bytes;
    size_t len = good_image(&bytes);
    uint8_t *b = malloc(len + 8);
    /* every truncation fails cleanly */
    for (size_t n = 0; n < len; n++) {
        struct image img;
        char err[256];
        ck_assert_int_eq(image_parse(&img, bytes, n, err, sizeof err), -1);
    }
    memcpy(b, bytes, len);
    b[0] = 'M';
    expect_parse_error(b, len, "not an LDEX image (bad magic)");
    memcpy(b, bytes, len);
    put32(b + 4, 2);
    expect_parse_error(b, len, "unsupported image version 2");
    memcpy(b, bytes, len);
    put32(b + 12, 65);
    expect_parse_error(b, len, "too many sections: 65");
    memcpy(b, bytes, len);
    put32(b + 16, 2000000);
    expect_parse_error(b, len, "too many symbols");
    memcpy(b, bytes, len);
    put32(b + 24, 1);
    expect_parse_error(b, len, "reserved header fields are not zero");
    memcpy(b, bytes, len);
    put32(b + 0x20 + 8, 0); /* section 0 memory size < file size */
    expect_parse_error(b, len, "section 0: memory size 0 is smaller than file size 4");
    memcpy(b, bytes, len);
    put32(b + 0x20, 0xfffffffe); /* section 0 wraps the address space */
    expect_parse_error(b, len, "runs past the 32-bit address space");
    memcpy(b, bytes, len);
    put32(b + 0x20 + 16, 0); /* section 1 moved onto section 0 */
    expect_parse_error(b, len, "sections 0 and 1 overlap");
    memcpy(b, bytes, len);
    put32(b + 0x20 + 12, 0x80);
    expect_parse_error(b, len, "section 0: unknown flags 0x80");
    memcpy(b, bytes, len);
    put32(b + 0x20 + 4, 0x1000);
    put32(b + 0x20 + 8, 0x1000);
    expect_parse_error(b, len, "truncated image");
    memcpy(b, bytes, len);
    memcpy(b + len, "\0\0\0\0", 4);
    expect_parse_error(b, len + 4, "image size mismatch");
    /* symbols start after the header, 3 section headers and 8 data bytes */
    size_t sym = 0x20 + 3 * 16 + 8;
    memcpy(b, bytes, len);
    put32(b + sym + 8, 0x10000);
    expect_parse_error(b, len, "symbol 0: name offset 65536 outside the string table");
    memcpy(b, bytes, len);
    put32(b + sym + 12, 7);
    expect_parse_error(b, len, "symbol 0: unknown kind 7");
    memcpy(b, bytes, len);
    b[len - 1] = 'x';
    expect_parse_error(b, len, "string table is not NUL-terminated");
    /* random damage: never a crash, either a valid image or an error */
    unsigned seed = 7;
    for (int k = 0; k < 5000; k++) {
        struct image img;
        char err[256];
        memcpy(b, bytes, len);
        for (int f = 0; f < 1 + k % 4; f++)
            b[(size_t)rand_r(&seed) % len] = (uint8_t)rand_r(&seed);
        if (image_parse(&img, b, len, err, sizeof err) == 0) {
            char text[128];
            for (uint32_t i = 0; i < img.nsymbols; i++)
                disasm_symbolize(&img, img.symbols[i].value, text, sizeof text);
            image_free(&img);
        }
    }
    free(b);
    free(bytes);
}
END_TEST

START_TEST(image_read_errors)
{
    struct image img;
    char err[256];
    ck_assert_int_eq(image_read_file(&img, "/nonexistent/x.img", err, sizeof err), -1);
    ck_assert_str_eq(err, "/nonexistent/x.img: No such file or directory");
}
END_TEST

/* ---- Includes */

START_TEST(includes)
{
    const char *dirs[] = {INC_DIR};
    struct asm_options opt = {dirs, 1, NULL, 0, 0, NULL, NULL};
    struct image img;
    ck_assert_int_eq(assemble_opts(".include \"consts.inc\"\n.word ANSWER\n", &opt, &img), 0);
    ck_assert_uint_eq(word_at(&img, 0), 42);
    image_free(&img);
    ck_assert_int_ne(assemble_opts(".include \"nope.inc\"\n", &opt, &img), 0);
    ck_assert_str_eq(diag, "t.s:1:10: error: cannot find include file 'nope.inc'\n"
                           ".include \"nope.inc\"\n         ^\n");
    ck_assert_int_ne(assemble_opts(".include \"self.inc\"\n", &opt, &img), 0);
    ck_assert_ptr_nonnull(strstr(diag, "self.inc:2:10: error: 'self.inc' includes itself"));
    ck_assert_int_ne(assemble_opts(".include \"cycle_a.inc\"\n", &opt, &img), 0);
    ck_assert_ptr_nonnull(strstr(diag, "cycle_b.inc:1:10: error: 'cycle_a.inc' is already being "
                                       "included (include cycle)"));
}
END_TEST

/* ---- Speed: a generated 100,000-line program */

#if defined(__SANITIZE_ADDRESS__) || !defined(__OPTIMIZE__)
#define SPEED_LIMIT_S 20.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPEED_LIMIT_S 20.0
#endif
#endif
#ifndef SPEED_LIMIT_S
#define SPEED_LIMIT_S 3.0
#endif

START_TEST(speed_100k_lines)
{
    size_t cap = 8u << 20, n = 0;
    char *src = malloc(cap);
    n += (size_t)snprintf(src + n, cap - n, "_start:\n");
    for (int i = 0; i < 20000; i++)
        n += (size_t)snprintf(src + n, cap - n,
                              "l%d: addi a0, a0, %d  # a comment\n"
                              "    li t0, 0x%x\n"
                              "    beq a0, t0, l%d\n"
                              "    lw a1, %d(sp)\n"
                              "    la a2, d%d\n",
                              i, i % 1000, (unsigned)i * 2654435761u | 0x10000000u,
                              i < 19990 ? i + 7 : i, 4 * (i % 100), i % 100);
    n += (size_t)snprintf(src + n, cap - n, ".data\n");
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(src + n, cap - n, "d%d: .word %d, d%d\n", i, i, i);
    struct timespec t0, t1;
    struct image img;
    char *buf = NULL;
    size_t len = 0;
    FILE *d = open_memstream(&buf, &len);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = asm_assemble_string("big.s", src, n, NULL, &img, d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fclose(d);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("speed: 100101 lines assembled in %.3f s\n", secs);
    ck_assert_msg(rc == 0, "%s", buf);
    ck_assert_uint_eq(img.sections[0].file_size, 4 * (20000 * 7));
    /* A generous bound that still catches quadratic behaviour; sanitizers
     * and unoptimised builds are several times slower. */
    ck_assert_msg(secs < SPEED_LIMIT_S, "took %.3f s (limit %.1f s)", secs, SPEED_LIMIT_S);
    image_free(&img);
    free(buf);
    free(src);
}
END_TEST

static Suite *asm_suite(void)
{
    Suite *s = suite_create("asm");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_opcode_encodes);
    tcase_add_test(tc, hand_encoded_words);
    tcase_add_test(tc, pseudo_li);
    tcase_add_test(tc, pseudo_others);
    tcase_add_test(tc, pseudo_la_value);
    tcase_add_test(tc, disasm_text);
    tcase_add_test(tc, disasm_symbols);
    tcase_add_test(tc, round_trip_whole_table);
    tcase_add_test(tc, round_trip_illegal);
    tcase_add_test(tc, expressions);
    tcase_add_test(tc, expression_errors);
    tcase_add_test(tc, local_labels);
    tcase_add_test(tc, macros);
    tcase_add_test(tc, macro_errors);
    tcase_add_test(tc, long_lines_and_names);
    tcase_add_test(tc, conditionals);
    tcase_add_test(tc, sections_and_alignment);
    tcase_add_test(tc, section_errors);
    tcase_add_test(tc, symbol_table);
    tcase_add_test(tc, symbol_errors);
    tcase_add_test(tc, options_defines_werror);
    tcase_add_test(tc, all_errors_reported);
    tcase_add_test(tc, listing_and_map);
    tcase_add_test(tc, image_round_trip);
    tcase_add_test(tc, image_corrupt);
    tcase_add_test(tc, image_read_errors);
    tcase_add_test(tc, includes);
    tcase_add_test(tc, speed_100k_lines);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(asm_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
