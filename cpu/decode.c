/*
 * decode.c - instruction word -> struct cpu_insn, generated from opcodes.h.
 *
 * Which fields an instruction uses, and how its immediate is extended, is
 * read from the operand letters of its opcodes.h entry; nothing here lists
 * instructions by hand.
 */
#include "cpu_private.h"

/* Opcode byte -> kind.  Bytes not in the table stay 0 (CPU_KIND_DECODE),
 * which decodes as illegal.  A duplicated opcode byte in the table is an
 * "initialized field overwritten" warning here. */
static const uint8_t cpu_kind_of_opcode[256] = {
#define OP(name, code, fmt, operands, meaning) [code] = CPU_KIND_##name,
#include "opcodes.h"
#undef OP
};

/* Operand letters of each kind, as written in opcodes.h. */
static const char *const cpu_operands_of_kind[CPU_NKINDS] = {
#define OP(name, code, fmt, operands, meaning) [CPU_KIND_##name] = operands,
#include "opcodes.h"
#undef OP
};

/* The instruction bits that an operand letter occupies. */
static uint32_t cpu_operand_bits(char letter)
{
    switch (letter) {
    case 'a':
        return ISA_MASK(ISA_A_POS, ISA_A_BITS);
    case 'b':
        return ISA_MASK(ISA_B_POS, ISA_B_BITS);
    case 'c':
        return ISA_MASK(ISA_C_POS, ISA_C_BITS);
    case 'm':
        return ISA_MASK(ISA_B_POS, ISA_B_BITS) | ISA_MASK(ISA_IMM16_POS, ISA_IMM16_BITS);
    case 'j':
        return ISA_MASK(ISA_IMM20_POS, ISA_IMM20_BITS);
    default: /* i u h o C: the imm16 field */
        return ISA_MASK(ISA_IMM16_POS, ISA_IMM16_BITS);
    }
}

/* Is the CR number valid, and writable when `written`? */
static bool cpu_cr_ok(uint32_t cr, bool written)
{
    if (cr >= ISA_NCRS)
        return false;
    return !written || (cr != ISA_CR_cycle && cr != ISA_CR_cycleh);
}

/* Fill in the operand `letter` of `word`; false if its value is illegal. */
static bool cpu_decode_operand(char letter, bool first, uint32_t word, struct cpu_insn *out)
{
    uint32_t imm16 = isa_get_imm16(word);
    switch (letter) {
    case 'a':
    case 'b':
        return true; /* fields A and B are always copied */
    case 'c':
        out->imm = isa_get_c(word);
        return true;
    case 'i':
    case 'm':
        out->imm = (uint32_t)isa_sext(imm16, ISA_IMM16_BITS);
        return true;
    case 'u':
        out->imm = imm16;
        return true;
    case 'h':
        out->imm = imm16;
        return imm16 <= 31;
    case 'o':
        out->imm = (uint32_t)isa_sext(imm16, ISA_IMM16_BITS) * 4u;
        return true;
    case 'j':
        out->imm = (uint32_t)isa_sext(isa_get_imm20(word), ISA_IMM20_BITS) * 4u;
        return true;
    case 'C':
        out->imm = imm16;
        return cpu_cr_ok(imm16, first); /* "C,b" (mtcr) writes the CR */
    default:
        return false;
    }
}

/* The bits each kind uses: its opcode and its operands' fields. */
static uint32_t cpu_used_bits(unsigned kind)
{
    uint32_t used = ISA_MASK(ISA_OP_POS, ISA_OP_BITS);
    for (const char *p = cpu_operands_of_kind[kind]; *p != '\0'; p++)
        if (*p != ',')
            used |= cpu_operand_bits(*p);
    return used;
}

void cpu_decode(uint32_t word, struct cpu_insn *out)
{
    /* cpu_used_bits() of every kind, worked out once (0: not yet; no kind
     * uses no bits, the opcode is always used). */
    static uint32_t used_bits[CPU_NKINDS];
    const struct cpu_insn illegal = {.kind = CPU_KIND_ILLEGAL};
    uint8_t kind = cpu_kind_of_opcode[isa_get_op(word)];
    *out = illegal;
    if (kind == CPU_KIND_DECODE)
        return;

    const char *ops = cpu_operands_of_kind[kind];
    if (used_bits[kind] == 0)
        used_bits[kind] = cpu_used_bits(kind);
    if (word & ~used_bits[kind])
        return; /* unused bits must be zero */

    struct cpu_insn insn = {.kind = kind};
    insn.a = (uint8_t)isa_get_a(word);
    insn.d = insn.a != 0 ? insn.a : CPU_REG_SINK;
    insn.b = (uint8_t)isa_get_b(word);
    for (const char *p = ops; *p != '\0'; p++)
        if (*p != ',' && !cpu_decode_operand(*p, p == ops, word, &insn))
            return;
    *out = insn;
}
