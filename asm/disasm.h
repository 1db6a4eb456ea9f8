/*
 * disasm.h - the LDE32 disassembler and the opcode table as data.
 *
 * One function turns an instruction word into text in exactly the syntax
 * lde-as accepts, so a disassembly can be assembled again.  The emulator's
 * trace, the monitor, the window and `lde-as --disassemble` all use it.
 * Everything is generated from cpu/opcodes.h; nothing here lists
 * instructions by hand.
 */
#ifndef LDE_DISASM_H
#define LDE_DISASM_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "isa.h"

/* One row of the opcode table (opcodes.h), as data. */
struct disasm_op {
    const char *name;     /* mnemonic */
    uint8_t code;         /* opcode byte */
    enum isa_format fmt;  /* instruction format */
    const char *operands; /* operand letters, e.g. "a,b,i" (see isa.h) */
    const char *meaning;  /* one line of semantics */
};

/* The whole table, in opcodes.h order, and its length. */
extern const struct disasm_op disasm_ops[];
extern const size_t disasm_nops;

/* The table row for an opcode byte, or NULL if the byte is not an opcode. */
const struct disasm_op *disasm_op_by_code(uint8_t code);

/* The table row for a mnemonic (exact, lower case), or NULL. */
const struct disasm_op *disasm_op_by_name(const char *name);

/* The bits an instruction with these operand letters may use (opcode byte
 * included); every other bit must be zero. */
uint32_t disasm_used_bits(const char *operands);

/* Is `word` a legal instruction (known opcode, unused bits zero, shift
 * amount <= 31, known and writable control register)? */
int disasm_is_legal(uint32_t word);

/* ABI name of register n (0..15): "zero", "a0", ..., "sp", "ra". */
const char *disasm_reg_name(unsigned n);

/* Name of control register n, or NULL if there is none. */
const char *disasm_cr_name(unsigned n);

/*
 * Disassemble one word found at address `addr` into buf (always
 * NUL-terminated if len > 0).  Legal words print as "mnemonic operands",
 * e.g. "addi a0, zero, 5", "lw ra, 12(sp)", "beq a0, zero, 0x00000040";
 * illegal ones as ".word 0x12345678".  When `syms` is not NULL, branch and
 * jump targets get a comment naming the nearest label:
 * "jal ra, 0x00000040  # <print+0x8>".  Returns the length of the text
 * (like snprintf; may exceed len - 1 if truncated).
 */
int disasm_insn(uint32_t word, uint32_t addr, const struct image *syms, char *buf, size_t len);

/* Format "<name>" or "<name+0xoff>" for addr into buf; returns 0 and an
 * empty buf when no label is at or below addr (or syms is NULL). */
int disasm_symbolize(const struct image *syms, uint32_t addr, char *buf, size_t len);

#endif /* LDE_DISASM_H */
