/*
 * x64.h - a tiny x86-64 instruction encoder for the block translator.
 *
 * Only what translate.c needs, one function per instruction form, named
 * after the assembly it produces.  An x86-64 instruction is
 *
 *   [66] [REX] opcode... ModRM [SIB] [disp8/disp32] [immediate]
 *
 *   REX   = 0100 W R X B: W = 64-bit operand; R, X, B = the fourth bit of
 *           the ModRM.reg, SIB.index and ModRM.rm/SIB.base register numbers
 *   ModRM = mod(2) reg(3) rm(3): mod 11 = register operand, 01 = memory
 *           [base + disp8], 10 = memory [base + disp32]; rm 100 = a SIB
 *           byte follows
 *   SIB   = scale(2) index(3) base(3)
 *
 * Operands are either a register or a memory reference [base + index +
 * disp] (struct x64_rm).  Code goes into a buffer; running out of room
 * sets `full` instead of writing past the end, and the translator then
 * gives up on the block (jit.c leaves it to the other engines).
 */
#ifndef LDE_X64_H
#define LDE_X64_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Host registers, by their hardware numbers. */
enum x64_reg {
    X64_RAX,
    X64_RCX,
    X64_RDX,
    X64_RBX,
    X64_RSP,
    X64_RBP,
    X64_RSI,
    X64_RDI,
    X64_R8,
    X64_R9,
    X64_R10,
    X64_R11,
    X64_R12,
    X64_R13,
    X64_R14,
    X64_R15,
    X64_NONE = 0xff /* no index register */
};

/* Condition codes (the low nibble of jcc and setcc). */
enum x64_cc {
    X64_CC_B = 0x2,  /* unsigned <  */
    X64_CC_AE = 0x3, /* unsigned >= */
    X64_CC_E = 0x4,  /* == */
    X64_CC_NE = 0x5, /* != */
    X64_CC_A = 0x7,  /* unsigned >  */
    X64_CC_S = 0x8,  /* negative */
    X64_CC_L = 0xc,  /* signed <  */
    X64_CC_GE = 0xd, /* signed >= */
};

/* The ALU operations that share one encoding pattern: "op r, r/m" is
 * opcode 8*op+3, "op r/m, imm32" is 0x81 with op in ModRM.reg. */
enum x64_alu { X64_ADD = 0, X64_OR = 1, X64_AND = 4, X64_SUB = 5, X64_XOR = 6, X64_CMP = 7 };

/* Shift operations (ModRM.reg of 0xc1 / 0xd3). */
enum x64_shift { X64_SHL = 4, X64_SHR = 5, X64_SAR = 7 };

/* A register or a memory operand. */
struct x64_rm {
    bool mem;      /* memory [base + index + disp] rather than register `base` */
    uint8_t base;  /* the register, or the memory base register */
    uint8_t index; /* memory index register (scale 1), or X64_NONE */
    int32_t disp;  /* memory displacement */
};

/* A code buffer being filled. */
struct x64 {
    uint8_t *p;   /* next byte */
    uint8_t *end; /* one past the room */
    bool full;    /* ran out of room (or the translator gave up): the output is incomplete */
};

static inline struct x64_rm x64_r(unsigned reg)
{
    return (struct x64_rm){false, (uint8_t)reg, X64_NONE, 0};
}

static inline struct x64_rm x64_m(unsigned base, int32_t disp)
{
    return (struct x64_rm){true, (uint8_t)base, X64_NONE, disp};
}

static inline struct x64_rm x64_mi(unsigned base, unsigned index, int32_t disp)
{
    return (struct x64_rm){true, (uint8_t)base, (uint8_t)index, disp};
}

static inline void x64_byte(struct x64 *x, unsigned b)
{
    if (x->p < x->end)
        *x->p++ = (uint8_t)b;
    else
        x->full = true;
}

static inline void x64_u32(struct x64 *x, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        x64_byte(x, v >> (8 * k));
}

/* Prefixes, opcode and operands of one instruction.  `w` = 64-bit
 * operand size, `byte_reg` = reg is an 8-bit register (needs a REX to mean
 * sil/dil rather than dh/bh), `p66` = 16-bit operand size. */
static inline void x64_op(struct x64 *x, bool w, bool p66, bool byte_reg, unsigned opcode,
                          unsigned reg, struct x64_rm rm)
{
    unsigned index = rm.mem && rm.index != X64_NONE ? rm.index : 0;
    unsigned rex =
        0x40 | (w ? 8 : 0) | (reg & 8 ? 4 : 0) | (index & 8 ? 2 : 0) | (rm.base & 8 ? 1 : 0);

    if (p66)
        x64_byte(x, 0x66);
    if (rex != 0x40 || (byte_reg && reg >= 4) || (byte_reg && !rm.mem && rm.base >= 4))
        x64_byte(x, rex);
    if (opcode > 0xff)
        x64_byte(x, opcode >> 8); /* two-byte opcodes 0x0f xx */
    x64_byte(x, opcode);
    if (!rm.mem) {
        x64_byte(x, 0xc0 | (reg & 7) << 3 | (rm.base & 7));
        return;
    }
    /* rbp and r13 as a base need a displacement; rsp and r12 need a SIB. */
    unsigned mod = rm.disp == 0 && (rm.base & 7) != 5  ? 0
                   : rm.disp >= -128 && rm.disp <= 127 ? 1
                                                       : 2;
    if (rm.index != X64_NONE || (rm.base & 7) == 4) {
        x64_byte(x, mod << 6 | (reg & 7) << 3 | 4);
        x64_byte(x, (rm.index != X64_NONE ? (rm.index & 7) : 4) << 3 | (rm.base & 7));
    } else {
        x64_byte(x, mod << 6 | (reg & 7) << 3 | (rm.base & 7));
    }
    if (mod == 1)
        x64_byte(x, (uint8_t)rm.disp);
    else if (mod == 2)
        x64_u32(x, (uint32_t)rm.disp);
}

/* ---- moves */

static inline void x64_mov_r_rm(struct x64 *x, unsigned r, struct x64_rm rm) /* mov r32, rm */
{
    if (!rm.mem && rm.base == r)
        return;
    x64_op(x, false, false, false, 0x8b, r, rm);
}

static inline void x64_mov_rm_r(struct x64 *x, struct x64_rm rm, unsigned r) /* mov rm, r32 */
{
    if (!rm.mem && rm.base == r)
        return;
    x64_op(x, false, false, false, 0x89, r, rm);
}

static inline void x64_mov_rm_r16(struct x64 *x, struct x64_rm rm, unsigned r) /* mov rm, r16 */
{
    x64_op(x, false, true, false, 0x89, r, rm);
}

static inline void x64_mov_rm_r8(struct x64 *x, struct x64_rm rm, unsigned r) /* mov rm, r8 */
{
    x64_op(x, false, false, true, 0x88, r, rm);
}

static inline void x64_mov_rm_imm(struct x64 *x, struct x64_rm rm, uint32_t imm) /* mov rm, imm32 */
{
    x64_op(x, false, false, false, 0xc7, 0, rm);
    x64_u32(x, imm);
}

static inline void x64_mov_r64_rm(struct x64 *x, unsigned r, struct x64_rm rm) /* mov r64, rm */
{
    x64_op(x, true, false, false, 0x8b, r, rm);
}

static inline void x64_mov_rm_r64(struct x64 *x, struct x64_rm rm, unsigned r) /* mov rm, r64 */
{
    x64_op(x, true, false, false, 0x89, r, rm);
}

static inline void x64_mov_r_imm(struct x64 *x, unsigned r, uint32_t imm) /* mov r32, imm32 */
{
    if (r & 8)
        x64_byte(x, 0x41);
    x64_byte(x, 0xb8 | (r & 7));
    x64_u32(x, imm);
}

static inline void x64_mov_r64_imm64(struct x64 *x, unsigned r, uint64_t imm) /* mov r64, imm64 */
{
    x64_byte(x, 0x48 | (r & 8 ? 1 : 0));
    x64_byte(x, 0xb8 | (r & 7));
    x64_u32(x, (uint32_t)imm);
    x64_u32(x, (uint32_t)(imm >> 32));
}

/* movzx/movsx r32 from a byte or half: opcode 0x0fb6 (zx8), 0x0fbe (sx8),
 * 0x0fb7 (zx16), 0x0fbf (sx16). */
static inline void x64_movx(struct x64 *x, unsigned opcode, unsigned r, struct x64_rm rm)
{
    x64_op(x, false, false, opcode == 0x0fb6 || opcode == 0x0fbe, opcode, r, rm);
}

static inline void x64_movsxd(struct x64 *x, unsigned r, struct x64_rm rm) /* movsxd r64, rm32 */
{
    x64_op(x, true, false, false, 0x63, r, rm);
}

static inline void x64_lea64(struct x64 *x, unsigned r, struct x64_rm m) /* lea r64, m */
{
    x64_op(x, true, false, false, 0x8d, r, m);
}

/* ---- arithmetic */

static inline void x64_alu_r_rm(struct x64 *x, enum x64_alu op, unsigned r, struct x64_rm rm)
{
    x64_op(x, false, false, false, 8u * op + 3, r, rm);
}

static inline void x64_alu_rm_imm(struct x64 *x, enum x64_alu op, struct x64_rm rm, uint32_t imm)
{
    int32_t s = (int32_t)imm;
    bool small = s >= -128 && s <= 127;
    x64_op(x, false, false, false, small ? 0x83 : 0x81, op, rm);
    if (small)
        x64_byte(x, imm);
    else
        x64_u32(x, imm);
}

static inline void x64_alu64_r_imm(struct x64 *x, enum x64_alu op, unsigned r, int32_t imm)
{
    bool small = imm >= -128 && imm <= 127;
    x64_op(x, true, false, false, small ? 0x83 : 0x81, op, x64_r(r));
    if (small)
        x64_byte(x, (uint32_t)imm);
    else
        x64_u32(x, (uint32_t)imm);
}

static inline void x64_cmp64_r_rm(struct x64 *x, unsigned r, struct x64_rm rm) /* cmp r64, rm */
{
    x64_op(x, true, false, false, 0x3b, r, rm);
}

static inline void x64_cmp_m8_imm(struct x64 *x, struct x64_rm m,
                                  uint8_t imm) /* cmp byte m, imm8 */
{
    x64_op(x, false, false, false, 0x80, 7, m);
    x64_byte(x, imm);
}

static inline void x64_cmp_m16_imm(struct x64 *x, struct x64_rm m,
                                   uint8_t imm) /* cmp word m, imm8 */
{
    x64_op(x, false, true, false, 0x83, 7, m);
    x64_byte(x, imm);
}

static inline void x64_test_r8_imm(struct x64 *x, unsigned r, uint8_t imm) /* test r8, imm8 */
{
    x64_op(x, false, false, true, 0xf6, 0, x64_r(r));
    x64_byte(x, imm);
}

static inline void x64_test_r_r(struct x64 *x, unsigned a, unsigned b) /* test r32, r32 */
{
    x64_op(x, false, false, false, 0x85, b, x64_r(a));
}

static inline void x64_shift_imm(struct x64 *x, enum x64_shift op, bool w, unsigned r, unsigned n)
{
    x64_op(x, w, false, false, 0xc1, op, x64_r(r));
    x64_byte(x, n);
}

static inline void x64_shift_cl(struct x64 *x, enum x64_shift op, unsigned r) /* op r32, cl */
{
    x64_op(x, false, false, false, 0xd3, op, x64_r(r));
}

static inline void x64_imul(struct x64 *x, bool w, unsigned r, struct x64_rm rm) /* imul r, rm */
{
    x64_op(x, w, false, false, 0x0faf, r, rm);
}

/* div/idiv edx:eax by r32 (unsigned: ModRM.reg 6, signed: 7). */
static inline void x64_div(struct x64 *x, bool is_signed, unsigned r)
{
    x64_op(x, false, false, false, 0xf7, is_signed ? 7 : 6, x64_r(r));
}

static inline void x64_cdq(struct x64 *x) /* sign-extend eax into edx */
{
    x64_byte(x, 0x99);
}

static inline void x64_setcc(struct x64 *x, enum x64_cc cc, unsigned r) /* setcc r8 */
{
    x64_op(x, false, false, true, 0x0f90 | cc, 0, x64_r(r));
}

/* ---- control flow.  Jumps are emitted with a 32-bit displacement; the
 * returned pointer is where that displacement is, for x64_patch. */

static inline uint8_t *x64_jcc(struct x64 *x, enum x64_cc cc)
{
    x64_byte(x, 0x0f);
    x64_byte(x, 0x80 | cc);
    uint8_t *at = x->p;
    x64_u32(x, 0);
    return at;
}

static inline uint8_t *x64_jmp(struct x64 *x)
{
    x64_byte(x, 0xe9);
    uint8_t *at = x->p;
    x64_u32(x, 0);
    return at;
}

/* Make the jump whose displacement is at `at` go to `target`. */
static inline void x64_patch(uint8_t *at, const uint8_t *target)
{
    if (at == NULL)
        return;
    int32_t rel = (int32_t)(target - (at + 4));
    memcpy(at, &rel, 4);
}

static inline void x64_jmp_to(struct x64 *x, const uint8_t *target)
{
    uint8_t *at = x64_jmp(x);
    if (!x->full)
        x64_patch(at, target);
}

static inline void x64_jmp_rm(struct x64 *x, struct x64_rm rm) /* jmp qword rm */
{
    x64_op(x, false, false, false, 0xff, 4, rm);
}

static inline void x64_push(struct x64 *x, unsigned r)
{
    if (r & 8)
        x64_byte(x, 0x41);
    x64_byte(x, 0x50 | (r & 7));
}

static inline void x64_pop(struct x64 *x, unsigned r)
{
    if (r & 8)
        x64_byte(x, 0x41);
    x64_byte(x, 0x58 | (r & 7));
}

static inline void x64_ret(struct x64 *x)
{
    x64_byte(x, 0xc3);
}

#endif /* LDE_X64_H */
