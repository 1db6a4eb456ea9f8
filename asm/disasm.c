/*
 * disasm.c - the opcode table as data, and the disassembler.
 */
#include "disasm.h"

#include <stdio.h>
#include <string.h>

const struct disasm_op disasm_ops[] = {
#define OP(name, code, fmt, operands, meaning) {#name, code, ISA_FMT_##fmt, operands, meaning},
#include "opcodes.h"
#undef OP
};

const size_t disasm_nops = sizeof disasm_ops / sizeof disasm_ops[0];

/* Opcode byte -> index into disasm_ops + 1 (0 = not an opcode); built from
 * the same X-macro at compile time via designated initialisers. */
enum {
#define OP(name, code, fmt, operands, meaning) DISASM_IDX_##name,
#include "opcodes.h"
#undef OP
};

static const uint8_t op_index[256] = {
#define OP(name, code, fmt, operands, meaning) [code] = DISASM_IDX_##name + 1,
#include "opcodes.h"
#undef OP
};

static const char *const reg_names[ISA_NREGS] = {"zero", "a0", "a1", "a2", "a3", "a4", "a5", "t0",
                                                 "t1",   "t2", "s0", "s1", "s2", "s3", "sp", "ra"};

static const char *const cr_names[ISA_NCRS] = {
#define X(name, num, meaning) [num] = #name,
    ISA_CR_LIST(X)
#undef X
};

const struct disasm_op *disasm_op_by_code(uint8_t code)
{
    return op_index[code] ? &disasm_ops[op_index[code] - 1] : NULL;
}

const struct disasm_op *disasm_op_by_name(const char *name)
{
    for (size_t i = 0; i < disasm_nops; i++)
        if (strcmp(disasm_ops[i].name, name) == 0)
            return &disasm_ops[i];
    return NULL;
}

const char *disasm_reg_name(unsigned n)
{
    return n < ISA_NREGS ? reg_names[n] : "?";
}

const char *disasm_cr_name(unsigned n)
{
    return n < ISA_NCRS ? cr_names[n] : NULL;
}

uint32_t disasm_used_bits(const char *operands)
{
    uint32_t used = ISA_MASK(ISA_OP_POS, ISA_OP_BITS);
    for (const char *p = operands; *p; p++) {
        switch (*p) {
        case 'a':
            used |= ISA_MASK(ISA_A_POS, ISA_A_BITS);
            break;
        case 'b':
            used |= ISA_MASK(ISA_B_POS, ISA_B_BITS);
            break;
        case 'c':
            used |= ISA_MASK(ISA_C_POS, ISA_C_BITS);
            break;
        case 'm':
            used |= ISA_MASK(ISA_B_POS, ISA_B_BITS) | ISA_MASK(ISA_IMM16_POS, ISA_IMM16_BITS);
            break;
        case 'i':
        case 'u':
        case 'h':
        case 'o':
        case 'C':
            used |= ISA_MASK(ISA_IMM16_POS, ISA_IMM16_BITS);
            break;
        case 'j':
            used |= ISA_MASK(ISA_IMM20_POS, ISA_IMM20_BITS);
            break;
        default:
            break;
        }
    }
    return used;
}

int disasm_is_legal(uint32_t word)
{
    const struct disasm_op *op = disasm_op_by_code((uint8_t)isa_get_op(word));
    if (!op || (word & ~disasm_used_bits(op->operands)))
        return 0;
    uint32_t imm = isa_get_imm16(word);
    if (strchr(op->operands, 'h') && imm > 31)
        return 0;
    if (strchr(op->operands, 'C')) {
        if (imm >= ISA_NCRS)
            return 0;
        /* The cycle counter is read-only: writing it is illegal. */
        if (op->code == ISA_OP_mtcr && (imm == ISA_CR_cycle || imm == ISA_CR_cycleh))
            return 0;
    }
    return 1;
}

int disasm_symbolize(const struct image *syms, uint32_t addr, char *buf, size_t len)
{
    uint32_t off = 0;
    const struct image_symbol *s = syms ? image_symbol_at(syms, addr, &off) : NULL;
    if (len)
        buf[0] = '\0';
    if (!s || (off && !image_covers(syms, addr))) /* past the image: the label means nothing */
        return 0;
    if (off)
        return snprintf(buf, len, "<%s+0x%x>", s->name, off);
    return snprintf(buf, len, "<%s>", s->name);
}

/* Text of one operand; *target gets a branch/jump destination if any. */
static void format_operand(char letter, uint32_t word, uint32_t addr, char *out, size_t len,
                           int *has_target, uint32_t *target)
{
    uint32_t imm = isa_get_imm16(word);
    switch (letter) {
    case 'a':
        snprintf(out, len, "%s", reg_names[isa_get_a(word)]);
        break;
    case 'b':
        snprintf(out, len, "%s", reg_names[isa_get_b(word)]);
        break;
    case 'c':
        snprintf(out, len, "%s", reg_names[isa_get_c(word)]);
        break;
    case 'i':
    case 'h':
        snprintf(out, len, "%d", (int)isa_sext(imm, 16));
        break;
    case 'u':
        snprintf(out, len, "0x%x", (unsigned)imm);
        break;
    case 'm':
        snprintf(out, len, "%d(%s)", (int)isa_sext(imm, 16), reg_names[isa_get_b(word)]);
        break;
    case 'o':
        *has_target = 1;
        *target = addr + (uint32_t)(4 * isa_sext(imm, 16));
        snprintf(out, len, "0x%08x", (unsigned)*target);
        break;
    case 'j':
        *has_target = 1;
        *target = addr + (uint32_t)(4 * isa_sext(isa_get_imm20(word), 20));
        snprintf(out, len, "0x%08x", (unsigned)*target);
        break;
    case 'C':
        snprintf(out, len, "%s", imm < ISA_NCRS ? cr_names[imm] : "?");
        break;
    default:
        snprintf(out, len, "?");
        break;
    }
}

int disasm_insn(uint32_t word, uint32_t addr, const struct image *syms, char *buf, size_t len)
{
    char text[96], operand[32], sym[80];
    int has_target = 0;
    uint32_t target = 0;
    if (!disasm_is_legal(word))
        return snprintf(buf, len, ".word 0x%08x", (unsigned)word);
    const struct disasm_op *op = disasm_op_by_code((uint8_t)isa_get_op(word));
    size_t n = (size_t)snprintf(text, sizeof text, "%s", op->name);
    const char *sep = " ";
    for (const char *p = op->operands; *p; p++) {
        if (*p == ',')
            continue;
        format_operand(*p, word, addr, operand, sizeof operand, &has_target, &target);
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", sep, operand);
        sep = ", ";
    }
    if (has_target && disasm_symbolize(syms, target, sym, sizeof sym) > 0)
        return snprintf(buf, len, "%s  # %s", text, sym);
    return snprintf(buf, len, "%s", text);
}
