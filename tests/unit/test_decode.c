/*
 * test_decode.c - the opcode table and the decoder.
 *
 * Proves that encodings are unique: every opcode byte is used once, each
 * table entry's canonical encoding decodes to that entry and nothing else,
 * and random words decode to at most one entry (the one whose opcode byte
 * they carry, and only when their unused bits are zero).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_private.h"
#include "enc.h"

struct entry {
    const char *name;
    uint32_t code;
    enum isa_format fmt;
    const char *operands;
    enum cpu_kind kind;
};

static const struct entry table[] = {
#define OP(name, code, fmt, operands, meaning)                                                     \
    {#name, code, ISA_FMT_##fmt, operands, CPU_KIND_##name},
#include "opcodes.h"
#undef OP
};
#define NENTRIES (sizeof table / sizeof table[0])

/* Bits an entry may use, from its operand letters (independent of decode.c). */
static uint32_t used_bits(const struct entry *e)
{
    uint32_t used = 0xff;
    for (const char *p = e->operands; *p; p++) {
        switch (*p) {
        case 'a':
            used |= 0xf00;
            break;
        case 'b':
            used |= 0xf000;
            break;
        case 'c':
            used |= 0xf0000;
            break;
        case 'm':
            used |= 0xffff000;
            used |= 0xffff0000;
            break;
        case 'j':
            used |= 0xfffff000;
            break;
        case ',':
            break;
        default:
            used |= 0xffff0000;
        }
    }
    return used;
}

/* Would `word` be a valid instance of entry e? */
static bool matches(const struct entry *e, uint32_t word)
{
    if ((word & 0xff) != e->code || (word & ~used_bits(e)) != 0)
        return false;
    uint32_t imm16 = word >> 16;
    if (strchr(e->operands, 'h') && imm16 > 31)
        return false;
    if (strchr(e->operands, 'C')) {
        if (imm16 >= ISA_NCRS)
            return false;
        if (e->operands[0] == 'C' && (imm16 == ISA_CR_cycle || imm16 == ISA_CR_cycleh))
            return false;
    }
    return true;
}

START_TEST(opcode_bytes_are_unique_and_nonzero)
{
    for (unsigned i = 0; i < NENTRIES; i++) {
        ck_assert_uint_ne(table[i].code, 0);
        ck_assert_uint_le(table[i].code, 0xff);
        for (unsigned j = i + 1; j < NENTRIES; j++) {
            ck_assert_msg(table[i].code != table[j].code, "%s and %s share opcode 0x%02x",
                          table[i].name, table[j].name, table[i].code);
            ck_assert_str_ne(table[i].name, table[j].name);
        }
    }
    ck_assert_uint_eq(NENTRIES, CPU_NKINDS - 2);
}
END_TEST

START_TEST(canonical_encodings_decode_to_their_entry)
{
    for (unsigned i = 0; i < NENTRIES; i++) {
        struct cpu_insn insn;
        cpu_decode(table[i].code, &insn);
        ck_assert_msg(insn.kind == table[i].kind, "%s decodes as kind %u", table[i].name,
                      insn.kind);
        /* with every field it uses set to a valid value, still that entry */
        uint32_t word = table[i].code | (used_bits(&table[i]) & 0x0000ff00);
        if (strchr(table[i].operands, 'c'))
            word |= 0xfu << 16;
        else if (strchr(table[i].operands, 'C'))
            word |= (uint32_t)ISA_CR_ttb << 16;
        else if (strchr(table[i].operands, 'h'))
            word |= 31u << 16;
        else
            word |= used_bits(&table[i]) & 0xfff00000;
        cpu_decode(word, &insn);
        ck_assert_msg(insn.kind == table[i].kind, "%s: 0x%08x decodes as kind %u", table[i].name,
                      word, insn.kind);
        /* and the only entry that accepts it */
        unsigned n = 0;
        for (unsigned j = 0; j < NENTRIES; j++)
            n += matches(&table[j], word);
        ck_assert_uint_eq(n, 1);
    }
}
END_TEST

START_TEST(random_words_decode_to_at_most_one_entry)
{
    uint32_t x = 0x12345678; /* xorshift: the same words every run */
    unsigned valid = 0;
    for (unsigned k = 0; k < 200000; k++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        /* half the time clear the high bits, so valid words are common */
        uint32_t word = (k & 1) ? x : (x & 0x000fffff);
        unsigned n = 0, which = 0;
        for (unsigned j = 0; j < NENTRIES; j++)
            if (matches(&table[j], word)) {
                n++;
                which = j;
            }
        ck_assert_uint_le(n, 1);
        struct cpu_insn insn;
        cpu_decode(word, &insn);
        if (n == 1) {
            ck_assert_msg(insn.kind == table[which].kind, "0x%08x", word);
            valid++;
        } else {
            ck_assert_msg(insn.kind == CPU_KIND_ILLEGAL, "0x%08x", word);
        }
    }
    ck_assert_uint_gt(valid, 10000);
}
END_TEST

START_TEST(every_unassigned_byte_is_illegal)
{
    for (uint32_t op = 0; op < 256; op++) {
        bool assigned = false;
        for (unsigned j = 0; j < NENTRIES; j++)
            assigned |= table[j].code == op;
        struct cpu_insn insn;
        cpu_decode(op, &insn);
        if (!assigned)
            ck_assert_msg(insn.kind == CPU_KIND_ILLEGAL, "opcode 0x%02x", op);
        else
            ck_assert_msg(insn.kind != CPU_KIND_ILLEGAL, "opcode 0x%02x", op);
    }
}
END_TEST

START_TEST(decoded_operands)
{
    struct cpu_insn insn;
    cpu_decode(enc_add(A0, A1, A2), &insn);
    ck_assert_uint_eq(insn.d, A0);
    ck_assert_uint_eq(insn.b, A1);
    ck_assert_uint_eq(insn.imm, A2);
    cpu_decode(enc_add(ZERO, A1, A2), &insn);
    ck_assert_uint_eq(insn.d, CPU_REG_SINK);
    cpu_decode(enc_addi(A0, A1, -2), &insn);
    ck_assert_uint_eq(insn.imm, 0xfffffffe);
    cpu_decode(enc_ori(A0, A1, 0xfffe), &insn);
    ck_assert_uint_eq(insn.imm, 0xfffe);
    cpu_decode(enc_beq(A0, A1, -3), &insn);
    ck_assert_uint_eq(insn.imm, (uint32_t)-12);
    cpu_decode(enc_jal(RA, -0x80000), &insn); /* most negative imm20 */
    ck_assert_uint_eq(insn.imm, (uint32_t)-0x200000);
    cpu_decode(enc_jal(RA, 0x7ffff), &insn);
    ck_assert_uint_eq(insn.imm, 0x1ffffc);
    cpu_decode(enc_sw(A3, SP, 8), &insn);
    ck_assert_uint_eq(insn.a, A3);
    ck_assert_uint_eq(insn.b, SP);
    ck_assert_uint_eq(insn.imm, 8);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("decode");
    TCase *tc = tcase_create("opcode_table");
    tcase_add_test(tc, opcode_bytes_are_unique_and_nonzero);
    tcase_add_test(tc, canonical_encodings_decode_to_their_entry);
    tcase_add_test(tc, random_words_decode_to_at_most_one_entry);
    tcase_add_test(tc, every_unassigned_byte_is_illegal);
    tcase_add_test(tc, decoded_operands);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_VERBOSE);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
