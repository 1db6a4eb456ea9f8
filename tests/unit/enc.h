/*
 * enc.h - encode LDE32 instructions in C, for building test programs.
 *
 * Generated from cpu/opcodes.h: one enc_<name>() per instruction.  The
 * arguments are the instruction's fields in the order of the isa.h diagram,
 * by format:
 *   R   enc_add(a, b, c)                        registers A, B, C
 *   I/S enc_addi(a, b, imm)                     A, B, imm16 (low 16 bits kept)
 *       e.g. enc_lw(rd, base, off), enc_lui(rd, 0, hi), enc_halt(ra, 0, 0),
 *            enc_mfcr(rd, 0, ISA_CR_cause), enc_mtcr(0, rs, ISA_CR_ttb)
 *   B   enc_beq(a, b, words)                    imm16 = signed word offset
 *   J   enc_jal(a, words)                       imm20 = signed word offset
 *   N   enc_syscall()
 */
#ifndef LDE_TEST_ENC_H
#define LDE_TEST_ENC_H

#include <stdint.h>

#include "isa.h"

static inline uint32_t enc_fields(uint32_t op, uint32_t a, uint32_t b)
{
    return isa_set_b(isa_set_a(isa_set_op(0, op), a), b);
}

#define ENC_R(name, code)                                                                          \
    static inline uint32_t enc_##name(uint32_t a, uint32_t b, uint32_t c)                          \
    {                                                                                              \
        return isa_set_c(enc_fields(code, a, b), c);                                               \
    }
#define ENC_I(name, code)                                                                          \
    static inline uint32_t enc_##name(uint32_t a, uint32_t b, int32_t imm)                         \
    {                                                                                              \
        return isa_set_imm16(enc_fields(code, a, b), (uint32_t)imm);                               \
    }
#define ENC_S ENC_I
#define ENC_B ENC_I
#define ENC_J(name, code)                                                                          \
    static inline uint32_t enc_##name(uint32_t a, int32_t words)                                   \
    {                                                                                              \
        return isa_set_imm20(enc_fields(code, a, 0), (uint32_t)words);                             \
    }
#define ENC_N(name, code)                                                                          \
    static inline uint32_t enc_##name(void)                                                        \
    {                                                                                              \
        return (uint32_t)(code);                                                                   \
    }

#define OP(name, code, fmt, operands, meaning) ENC_##fmt(name, code)
#include "opcodes.h"
#undef OP

#undef ENC_R
#undef ENC_I
#undef ENC_S
#undef ENC_B
#undef ENC_J
#undef ENC_N

/* ABI register numbers, for readable test programs. */
enum {
    ZERO = ISA_R_ZERO,
    A0 = 1,
    A1,
    A2,
    A3,
    A4,
    A5,
    T0 = 7,
    T1,
    T2,
    S0 = 10,
    S1,
    S2,
    S3,
    SP = ISA_R_SP,
    RA = ISA_R_RA,
};

#endif /* LDE_TEST_ENC_H */
