/*
 * isa.h - the LDE32 instruction set architecture, as constants.
 *
 * Everything here is also described in docs/isa.md; the two must agree.
 * Shared by the CPU (cpu/), the assembler and disassembler (asm/), the
 * devices and the tests.  No state, no functions with side effects.
 *
 * Instruction formats.  Every instruction is one little-endian 32-bit word;
 * the opcode is always the low byte.  Fields A, B and C name registers
 * r0..r15; which register plays which role is given by the operand string
 * in opcodes.h.
 *
 *    31                      16 15    12 11     8 7             0
 *   +--------------------------+--------+--------+---------------+
 *   |   0 (12 bits)   |   C    |   B    |   A    |    opcode     |  R
 *   +--------------------------+--------+--------+---------------+
 *   |          imm16           |   B    |   A    |    opcode     |  I, S, B
 *   +--------------------------+--------+--------+---------------+
 *   |             imm20                 |   A    |    opcode     |  J
 *   +-----------------------------------+--------+---------------+
 *   |                0 (24 bits)                 |    opcode     |  N
 *   +--------------------------------------------+---------------+
 *
 * Bits an instruction does not use must be zero; otherwise the word is an
 * illegal instruction.  This keeps every encoding unique.
 */
#ifndef LDE_ISA_H
#define LDE_ISA_H

#include <stdint.h>

/* ---- Instruction fields: position and size, and helpers derived from them */

#define ISA_OP_POS     0
#define ISA_OP_BITS    8
#define ISA_A_POS      8
#define ISA_A_BITS     4
#define ISA_B_POS      12
#define ISA_B_BITS     4
#define ISA_C_POS      16
#define ISA_C_BITS     4
#define ISA_IMM16_POS  16
#define ISA_IMM16_BITS 16
#define ISA_IMM20_POS  12
#define ISA_IMM20_BITS 20

/* A mask of `bits` ones, shifted to `pos`. */
#define ISA_MASK(pos, bits) ((uint32_t)(((1ull << (bits)) - 1u) << (pos)))

static inline uint32_t isa_get(uint32_t word, unsigned pos, unsigned bits)
{
    return (word >> pos) & (uint32_t)((1ull << bits) - 1u);
}

static inline uint32_t isa_set(uint32_t word, unsigned pos, unsigned bits, uint32_t value)
{
    uint32_t mask = ISA_MASK(pos, bits);
    return (word & ~mask) | ((value << pos) & mask);
}

/* Sign-extend the low `bits` bits of `value`. */
static inline int32_t isa_sext(uint32_t value, unsigned bits)
{
    uint32_t sign = 1u << (bits - 1);
    value &= (uint32_t)((1ull << bits) - 1u);
    return (int32_t)((value ^ sign) - sign);
}

#define ISA_FIELD(name, POS, BITS)                                                                 \
    static inline uint32_t isa_get_##name(uint32_t w)                                              \
    {                                                                                              \
        return isa_get(w, POS, BITS);                                                              \
    }                                                                                              \
    static inline uint32_t isa_set_##name(uint32_t w, uint32_t v)                                  \
    {                                                                                              \
        return isa_set(w, POS, BITS, v);                                                           \
    }
ISA_FIELD(op, ISA_OP_POS, ISA_OP_BITS)
ISA_FIELD(a, ISA_A_POS, ISA_A_BITS)
ISA_FIELD(b, ISA_B_POS, ISA_B_BITS)
ISA_FIELD(c, ISA_C_POS, ISA_C_BITS)
ISA_FIELD(imm16, ISA_IMM16_POS, ISA_IMM16_BITS)
ISA_FIELD(imm20, ISA_IMM20_POS, ISA_IMM20_BITS)
#undef ISA_FIELD

/* ---- Formats and operand kinds (the letters of opcodes.h operand strings) */

enum isa_format { ISA_FMT_R, ISA_FMT_I, ISA_FMT_S, ISA_FMT_B, ISA_FMT_J, ISA_FMT_N };

/*
 * Operand letters:
 *   a  register in field A          b  register in field B
 *   c  register in field C
 *   i  signed imm16   (-32768..32767)          u  unsigned imm16 (0..65535)
 *   h  shift amount in imm16 (0..31)
 *   m  memory operand imm16(B): signed offset plus base register B
 *   o  branch target: imm16 is a signed word offset from the branch's address
 *   j  jump target:   imm20 is a signed word offset from the jal's address
 *   C  control register number in imm16 (see enum isa_cr)
 */

/* ---- Opcodes, generated from the table */

enum isa_opcode {
#define OP(name, code, fmt, operands, meaning) ISA_OP_##name = code,
#include "opcodes.h"
#undef OP
};

/* ---- Registers and ABI */

#define ISA_NREGS 16
enum isa_reg {
    ISA_R_ZERO = 0, /* hard-wired zero */
    ISA_R_A0 = 1,   /* a0..a5: arguments; a0 also the return value */
    ISA_R_A5 = 6,   /* a5: system-call number */
    ISA_R_T0 = 7,   /* t0..t2: temporaries, caller-saved */
    ISA_R_S0 = 10,  /* s0..s3: callee-saved */
    ISA_R_SP = 14,  /* stack pointer, callee-saved */
    ISA_R_RA = 15,  /* return address (link register) */
};

/* ---- Control registers (mfcr/mtcr operand C) */

#define ISA_CR_LIST(X)                                                                             \
    X(status, 0, "mode and interrupt-enable bits")                                                 \
    X(ttb, 1, "trap-table base: physical address of the handler table")                            \
    X(ksp, 2, "kernel stack pointer loaded on a trap from user mode")                              \
    X(base, 3, "user-mode base: physical address of user address 0")                               \
    X(bounds, 4, "user-mode bounds: size in bytes of user memory")                                 \
    X(cause, 5, "cause of the last trap taken")                                                    \
    X(faddr, 6, "address that faulted (protection, misaligned)")                                   \
    X(cycle, 7, "cycle counter, low 32 bits (user-readable, read-only)")                           \
    X(cycleh, 8, "cycle counter, high 32 bits (user-readable, read-only)")

enum isa_cr {
#define X(name, num, meaning) ISA_CR_##name = num,
    ISA_CR_LIST(X)
#undef X
        ISA_NCRS
};

/* status register bits */
#define ISA_STATUS_KERNEL 0x1u /* 1 = kernel mode, 0 = user mode */
#define ISA_STATUS_IE     0x2u /* 1 = interrupts enabled */

/* ---- Trap causes: index into the trap table */

#define ISA_CAUSE_LIST(X)                                                                          \
    X(SYSCALL, 0, "syscall", "system call (syscall instruction)")                                  \
    X(TIMER, 1, "timer", "timer interrupt")                                                        \
    X(CONSOLE, 2, "console", "console interrupt (input ready)")                                    \
    X(DISK, 3, "disk", "disk interrupt (transfer complete)")                                       \
    X(ILLEGAL, 4, "illegal", "illegal instruction")                                                \
    X(PRIVILEGED, 5, "privileged", "privileged instruction in user mode")                          \
    X(DIV_ZERO, 6, "divzero", "division by zero")                                                  \
    X(PROTECTION, 7, "protection", "memory protection fault")                                      \
    X(MISALIGNED, 8, "misaligned", "misaligned access")                                            \
    X(BREAKPOINT, 9, "breakpoint", "breakpoint (brk instruction)")

enum isa_cause {
#define X(name, num, short_name, meaning) ISA_CAUSE_##name = num,
    ISA_CAUSE_LIST(X)
#undef X
        ISA_NCAUSES
};

/* The trap table has room for 16 handlers; entries past ISA_NCAUSES are reserved. */
#define ISA_TRAP_TABLE_ENTRIES 16

/* Is this cause an interrupt (asynchronous), as opposed to an exception? */
static inline int isa_cause_is_interrupt(unsigned cause)
{
    return cause == ISA_CAUSE_TIMER || cause == ISA_CAUSE_CONSOLE || cause == ISA_CAUSE_DISK;
}

/* ---- Trap frame: pushed on the kernel stack by every trap, popped by rett.
 * Byte offsets from the frame's address (the handler's sp). The slot of r0
 * holds the cause, since r0 itself is always zero. */

#define ISA_FRAME_CAUSE    0x00
#define ISA_FRAME_REG(n)   (4 * (n)) /* r1..r15 at 0x04..0x3c */
#define ISA_FRAME_PC       0x40      /* where execution resumes */
#define ISA_FRAME_STATUS   0x44      /* status (mode, IE) when the trap happened */
#define ISA_FRAME_FADDR    0x48      /* faulting address, 0 if none */
#define ISA_FRAME_RESERVED 0x4c      /* zero; keeps the frame 16-byte sized */
#define ISA_FRAME_SIZE     0x50

/* ---- Cycle costs (virtual time) */

#define ISA_CYCLES_INSN 1 /* every instruction that completes */
#define ISA_CYCLES_TRAP 1 /* entering a trap: save the frame and jump */

/* ---- Memory map (physical) */

#define ISA_RAM_BASE        0x00000000u
#define ISA_RAM_DEFAULT_MIB 16
#define ISA_RAM_MAX_MIB     1024
#define ISA_RESET_PC        0x00000000u /* PC at reset; a loaded image sets its entry */
#define ISA_DEV_BASE        0xf0000000u /* device window, kernel mode only */
#define ISA_DEV_CONSOLE     0xf0000000u
#define ISA_DEV_TIMER       0xf0000100u
#define ISA_DEV_DISK        0xf0000200u
#define ISA_DEV_TRACE       0xf0000300u
#define ISA_DEV_SIZE        0x100u /* bytes of address space per device */

/* Console registers (offsets) */
#define ISA_CON_TX             0x0 /* write: low byte is output */
#define ISA_CON_RX             0x4 /* read: next input byte, or 0xffffffff if none */
#define ISA_CON_STATUS         0x8 /* read: bit 0 RX ready, bit 1 input ended */
#define ISA_CON_CTRL           0xc /* read/write: bit 0 RX interrupt enable */
#define ISA_CON_STATUS_RXREADY 0x1u
#define ISA_CON_STATUS_EOF     0x2u
#define ISA_CON_CTRL_RXIE      0x1u

/* Timer registers (offsets) */
#define ISA_TMR_CTRL           0x0 /* bit 0 enable, bit 1 periodic; writing re-arms */
#define ISA_TMR_INTERVAL       0x4 /* cycles between arming and firing (>= 1) */
#define ISA_TMR_COUNT          0x8 /* read-only: cycles left until it fires, 0 if off */
#define ISA_TMR_STATUS         0xc /* bit 0 pending; write 1 to bit 0 to acknowledge */
#define ISA_TMR_CTRL_ENABLE    0x1u
#define ISA_TMR_CTRL_PERIODIC  0x2u
#define ISA_TMR_STATUS_PENDING 0x1u

#endif /* LDE_ISA_H */
