/*
 * opcodes.h - THE opcode table of LDE32.
 *
 * This X-macro list is the single source of truth for the instruction set.
 * The decoder, the interpreter's dispatch table, the disassembler and the
 * assembler's instruction set are all generated from it.  Only the
 * instructions' semantics are written by hand, once per engine: the
 * reference (reference.c), the interpreter's handlers (exec.c) and the
 * translator (translate.c), which the differential test holds together.  To use it, define OP(name,
 * code, fmt, operands, meaning) and include this file:
 *
 *   name      mnemonic as written in assembly (a C identifier)
 *   code      the opcode byte, bits 7..0 of the instruction word
 *   fmt       instruction format (see the diagram in isa.h)
 *   operands  operand syntax; one letter per operand, see isa.h
 *   meaning   one line of semantics, shown by the disassembler's help and docs
 *
 * Opcode 0x00 is deliberately unassigned: executing zeroed memory raises an
 * illegal-instruction trap instead of silently doing something.
 */

/* clang-format off */
/* Integer ALU, register-register. */
OP(add,     0x01, R, "a,b,c", "a = b + c")
OP(sub,     0x02, R, "a,b,c", "a = b - c")
OP(and,     0x03, R, "a,b,c", "a = b & c")
OP(or,      0x04, R, "a,b,c", "a = b | c")
OP(xor,     0x05, R, "a,b,c", "a = b ^ c")
OP(sll,     0x06, R, "a,b,c", "a = b << (c & 31)")
OP(srl,     0x07, R, "a,b,c", "a = b >> (c & 31), logical")
OP(sra,     0x08, R, "a,b,c", "a = b >> (c & 31), arithmetic")
OP(slt,     0x09, R, "a,b,c", "a = (signed) b < c ? 1 : 0")
OP(sltu,    0x0a, R, "a,b,c", "a = (unsigned) b < c ? 1 : 0")
OP(mul,     0x0b, R, "a,b,c", "a = low 32 bits of b * c")
OP(mulh,    0x0c, R, "a,b,c", "a = high 32 bits of signed b * c")
OP(mulhu,   0x0d, R, "a,b,c", "a = high 32 bits of unsigned b * c")
OP(div,     0x0e, R, "a,b,c", "a = signed b / c; c == 0 traps DIV_ZERO")
OP(divu,    0x0f, R, "a,b,c", "a = unsigned b / c; c == 0 traps DIV_ZERO")
OP(rem,     0x10, R, "a,b,c", "a = signed b % c; c == 0 traps DIV_ZERO")
OP(remu,    0x11, R, "a,b,c", "a = unsigned b % c; c == 0 traps DIV_ZERO")
/* Integer ALU, register-immediate. */
OP(addi,    0x20, I, "a,b,i", "a = b + sext(imm16)")
OP(andi,    0x21, I, "a,b,u", "a = b & zext(imm16)")
OP(ori,     0x22, I, "a,b,u", "a = b | zext(imm16)")
OP(xori,    0x23, I, "a,b,u", "a = b ^ zext(imm16)")
OP(slli,    0x24, I, "a,b,h", "a = b << shamt")
OP(srli,    0x25, I, "a,b,h", "a = b >> shamt, logical")
OP(srai,    0x26, I, "a,b,h", "a = b >> shamt, arithmetic")
OP(slti,    0x27, I, "a,b,i", "a = (signed) b < sext(imm16) ? 1 : 0")
OP(sltiu,   0x28, I, "a,b,i", "a = (unsigned) b < sext(imm16) ? 1 : 0")
OP(lui,     0x29, I, "a,u",   "a = imm16 << 16")
/* Loads: a = memory[b + sext(imm16)]. */
OP(lb,      0x30, I, "a,m",   "a = sext(byte at b + imm)")
OP(lbu,     0x31, I, "a,m",   "a = zext(byte at b + imm)")
OP(lh,      0x32, I, "a,m",   "a = sext(half at b + imm); address must be even")
OP(lhu,     0x33, I, "a,m",   "a = zext(half at b + imm); address must be even")
OP(lw,      0x34, I, "a,m",   "a = word at b + imm; address must be a multiple of 4")
/* Stores: memory[b + sext(imm16)] = a. */
OP(sb,      0x38, S, "a,m",   "byte at b + imm = low 8 bits of a")
OP(sh,      0x39, S, "a,m",   "half at b + imm = low 16 bits of a; address must be even")
OP(sw,      0x3a, S, "a,m",   "word at b + imm = a; address must be a multiple of 4")
/* Branches: if (a cond b) pc = pc + 4 * sext(imm16). */
OP(beq,     0x40, B, "a,b,o", "branch if a == b")
OP(bne,     0x41, B, "a,b,o", "branch if a != b")
OP(blt,     0x42, B, "a,b,o", "branch if (signed) a < b")
OP(bge,     0x43, B, "a,b,o", "branch if (signed) a >= b")
OP(bltu,    0x44, B, "a,b,o", "branch if (unsigned) a < b")
OP(bgeu,    0x45, B, "a,b,o", "branch if (unsigned) a >= b")
/* Jumps. */
OP(jal,     0x48, J, "a,j",   "a = pc + 4; pc = pc + 4 * sext(imm20)")
OP(jalr,    0x49, I, "a,b,i", "t = b + sext(imm16); a = pc + 4; pc = t")
/* System: traps, privileged state, machine control. */
OP(syscall, 0x50, N, "",      "trap with cause SYSCALL; resumes after the syscall")
OP(brk,     0x51, N, "",      "trap with cause BREAKPOINT")
OP(rett,    0x52, N, "",      "return from trap: restore the frame at sp (kernel only)")
OP(wfi,     0x53, N, "",      "wait for an interrupt (kernel only)")
OP(halt,    0x54, I, "a",     "stop the machine with exit code a (kernel only)")
OP(mfcr,    0x55, I, "a,C",   "a = control register C (kernel only, but cycle/cycleh)")
OP(mtcr,    0x56, I, "C,b",   "control register C = b (kernel only)")
/* clang-format on */
