/*
 * asm_encode.c - instructions and pseudo-instructions into words.
 *
 * Real instructions come from the opcode table (cpu/opcodes.h via
 * disasm_ops): its operand letters say how each operand is written and
 * where it goes in the word.  Pseudo-instructions are listed here, each with
 * its operand letters and the real instructions it becomes.
 */
#include <string.h>

#include "asm_internal.h"

/* A parsed operand. */
struct operand {
    int reg;            /* register number, or control register number */
    struct asm_value v; /* immediate, offset or target */
    int col;            /* where it was written, for messages */
};

/* ---- Parsing operands */

static int reg_number(const struct asm_token *t)
{
    return t->kind == TK_IDENT ? asm_register_number(t->text, (size_t)t->len) : -1;
}

static int cr_number(const struct asm_token *t)
{
    for (unsigned i = 0; t->kind == TK_IDENT && i < ISA_NCRS; i++) {
        const char *n = disasm_cr_name(i);
        if (strlen(n) == (size_t)t->len && memcmp(n, t->text, (size_t)t->len) == 0)
            return (int)i;
    }
    return -1;
}

static int parse_reg(struct assembler *as, int b, int e, struct operand *op)
{
    const struct asm_token *t = &as->toks[b];
    op->reg = e == b + 1 ? reg_number(t) : -1;
    if (op->reg >= 0)
        return 0;
    asm_error(as, t->col,
              "expected a register (r0..r15, zero, a0..a5, t0..t2, s0..s3, sp, ra), "
              "got '%.*s'",
              (int)(as->toks[e - 1].text + as->toks[e - 1].len - t->text), t->text);
    return -1;
}

/* offset(reg), (reg) */
static int parse_mem(struct assembler *as, int b, int e, struct operand *op)
{
    const struct asm_token *t = as->toks;
    if (e - b >= 3 && asm_tok_punct(&t[e - 1], P_RPAREN) && asm_tok_punct(&t[e - 3], P_LPAREN) &&
        reg_number(&t[e - 2]) >= 0) {
        op->reg = reg_number(&t[e - 2]);
        if (e - 3 == b) {
            op->v.v = 0;
            op->v.known = op->v.early = 1;
            return 0;
        }
        return asm_expr_operand(as, b, e - 3, &op->v);
    }
    if (e - b >= 3 && asm_tok_punct(&t[e - 1], P_RPAREN) && asm_tok_punct(&t[e - 3], P_LPAREN) &&
        t[e - 2].kind == TK_IDENT) {
        asm_error(as, t[e - 2].col, "expected a register inside the parentheses, got '%.*s'",
                  t[e - 2].len, t[e - 2].text);
        return -1;
    }
    asm_error(as, t[b].col, "expected a memory operand like 8(sp) or (a0)");
    return -1;
}

static int parse_cr(struct assembler *as, int b, int e, struct operand *op)
{
    const struct asm_token *t = &as->toks[b];
    op->reg = e == b + 1 ? cr_number(t) : -1;
    if (op->reg >= 0)
        return 0;
    asm_error(as, t->col,
              "expected a control register (status, ttb, ksp, base, bounds, cause, "
              "faddr, cycle, cycleh)");
    return -1;
}

/* Parse operand [b, e) of kind `letter` (isa.h letters, plus 'E': any
 * 32-bit expression). */
static int parse_operand(struct assembler *as, char letter, int b, int e, struct operand *op)
{
    memset(op, 0, sizeof *op);
    op->col = as->toks[b].col;
    switch (letter) {
    case 'a':
    case 'b':
    case 'c':
        return parse_reg(as, b, e, op);
    case 'm':
        return parse_mem(as, b, e, op);
    case 'C':
        return parse_cr(as, b, e, op);
    default:
        if (e == b + 1 && reg_number(&as->toks[b]) >= 0) {
            asm_error(as, op->col, "expected %s, got register '%.*s'",
                      letter == 'o' || letter == 'j' ? "a label or address" : "a value",
                      as->toks[b].len, as->toks[b].text);
            return -1;
        }
        return asm_expr_operand(as, b, e, &op->v);
    }
}

/* ---- Encoding */

static const char *letter_syntax(char letter)
{
    switch (letter) {
    case 'a':
    case 'b':
    case 'c':
        return "reg";
    case 'i':
        return "simm16";
    case 'u':
        return "uimm16";
    case 'h':
        return "shamt";
    case 'm':
        return "offset(reg)";
    case 'o':
    case 'j':
        return "label";
    case 'C':
        return "creg";
    case 'E':
        return "value";
    default:
        return "?";
    }
}

/* "add reg, reg, reg" for messages. */
static void syntax_of(const char *name, const char *letters, char *buf, size_t len)
{
    size_t n = (size_t)snprintf(buf, len, "%s", name);
    const char *sep = " ";
    for (const char *p = letters; *p && n < len; p++) {
        if (*p == ',')
            continue;
        n += (size_t)snprintf(buf + n, len - n, "%s%s", sep, letter_syntax(*p));
        sep = ", ";
    }
}

static int count_letters(const char *letters)
{
    int n = 0;
    for (const char *p = letters; *p; p++)
        n += *p != ',';
    return n;
}

static int in_range(struct assembler *as, const struct operand *op, int64_t lo, int64_t hi,
                    const char *what, const char *mnemonic)
{
    if (!op->v.known || (op->v.v >= lo && op->v.v <= hi))
        return 1;
    asm_error(as, op->col, "%s %lld is out of range for '%s' (%lld..%lld)", what,
              (long long)op->v.v, mnemonic, (long long)lo, (long long)hi);
    return 0;
}

/* Word offset from addr to the target in op, checked to fit `bits`. */
static uint32_t target_offset(struct assembler *as, const struct operand *op, uint32_t addr,
                              int bits, const char *mnemonic)
{
    if (!op->v.known)
        return 0;
    /* Addresses wrap around like the pc does, so the distance is taken
     * modulo 2^32 (a branch at 0 may reach 0xfffffffc). */
    int64_t diff = (int32_t)((uint32_t)op->v.v - addr);
    int64_t lim = 1LL << (bits - 1);
    if (diff % 4) {
        asm_error(as, op->col,
                  "target 0x%08x is not a whole number of instructions away "
                  "(%lld bytes)",
                  (uint32_t)op->v.v, (long long)diff);
        return 0;
    }
    if (diff / 4 < -lim || diff / 4 >= lim) {
        asm_error(as, op->col,
                  "target 0x%08x is out of range for '%s': %lld instructions "
                  "away, reach is %lld..%lld",
                  (uint32_t)op->v.v, mnemonic, (long long)(diff / 4), (long long)-lim,
                  (long long)(lim - 1));
        return 0;
    }
    return (uint32_t)(diff / 4);
}

/* Encode a real instruction from parsed operands (one per letter). */
static uint32_t encode(struct assembler *as, const struct disasm_op *op, const struct operand *ops,
                       uint32_t addr)
{
    uint32_t w = isa_set_op(0, op->code);
    int k = 0;
    for (const char *p = op->operands; *p; p++) {
        const struct operand *o = &ops[k];
        switch (*p) {
        case ',':
            continue;
        case 'a':
            w = isa_set_a(w, (uint32_t)o->reg);
            break;
        case 'b':
            w = isa_set_b(w, (uint32_t)o->reg);
            break;
        case 'c':
            w = isa_set_c(w, (uint32_t)o->reg);
            break;
        case 'i':
            if (in_range(as, o, -32768, 32767, "immediate", op->name))
                w = isa_set_imm16(w, (uint32_t)o->v.v);
            break;
        case 'u':
            if (in_range(as, o, 0, 65535, "immediate", op->name))
                w = isa_set_imm16(w, (uint32_t)o->v.v);
            break;
        case 'h':
            if (in_range(as, o, 0, 31, "shift amount", op->name))
                w = isa_set_imm16(w, (uint32_t)o->v.v);
            break;
        case 'm':
            w = isa_set_b(w, (uint32_t)o->reg);
            if (in_range(as, o, -32768, 32767, "offset", op->name))
                w = isa_set_imm16(w, (uint32_t)o->v.v);
            break;
        case 'o':
            w = isa_set_imm16(w, target_offset(as, o, addr, 16, op->name));
            break;
        case 'j':
            w = isa_set_imm20(w, target_offset(as, o, addr, 20, op->name));
            break;
        case 'C':
            if (op->code == ISA_OP_mtcr && (o->reg == ISA_CR_cycle || o->reg == ISA_CR_cycleh))
                asm_error(as, o->col, "control register '%s' is read-only",
                          disasm_cr_name((unsigned)o->reg));
            w = isa_set_imm16(w, (uint32_t)o->reg);
            break;
        default:
            break;
        }
        k++;
    }
    return w;
}

static void emit_word(struct assembler *as, uint32_t w, int col)
{
    uint8_t b[4] = {(uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16), (uint8_t)(w >> 24)};
    as->line_is_code = 1;
    asm_emit(as, b, 4, col);
}

/* Emit real instruction `code` with operands given as values. */
static void emit_real(struct assembler *as, uint8_t code, const struct operand *ops, int col)
{
    const struct disasm_op *op = disasm_op_by_code(code);
    uint32_t w = as->pass == 2 ? encode(as, op, ops, asm_cur_addr(as)) : 0;
    emit_word(as, w, col);
}

/* Operands built by pseudo-instructions. */
static struct operand reg_op(int reg, int col)
{
    struct operand o = {reg, {0, 1, 1}, col};
    return o;
}

static struct operand val_op(int64_t v, int known, int col)
{
    struct operand o = {0, {v, known, known}, col};
    return o;
}

/* Instructions must be word-aligned.  Only the first of a run of misaligned
 * instructions is reported: the ones after it are misaligned for the same
 * reason. */
static void check_insn_alignment(struct assembler *as, int col)
{
    uint32_t addr = asm_cur_addr(as);
    if (addr % 4 == 0) {
        as->misaligned_run = 0;
        return;
    }
    if (!as->misaligned_run)
        asm_error(as, col,
                  "misaligned instruction: address 0x%08x is not a multiple of 4 "
                  "(add '.align 4' before it)",
                  addr);
    as->misaligned_run = 1;
}

/* ---- Pseudo-instructions */

enum pseudo_id {
    PS_LI,
    PS_LA,
    PS_MV,
    PS_NOT,
    PS_NEG,
    PS_NOP,
    PS_CALL,
    PS_RET,
    PS_J,
    PS_JR,
    PS_PUSH,
    PS_POP,
    PS_BEQZ,
    PS_BNEZ,
    PS_BLTZ,
    PS_BGEZ,
    PS_BGTZ,
    PS_BLEZ,
    PS_BGT,
    PS_BLE,
    PS_BGTU,
    PS_BLEU,
    PS_SEQZ,
    PS_SNEZ,
};

struct pseudo {
    const char *name;     /* mnemonic */
    const char *operands; /* letters: a register, E value, o/j target */
    enum pseudo_id id;    /* which expansion */
};

static const struct pseudo pseudos[] = {
    {"li", "a,E", PS_LI},       {"la", "a,E", PS_LA},     {"mv", "a,a", PS_MV},
    {"not", "a,a", PS_NOT},     {"neg", "a,a", PS_NEG},   {"nop", "", PS_NOP},
    {"call", "j", PS_CALL},     {"ret", "", PS_RET},      {"j", "j", PS_J},
    {"jr", "a", PS_JR},         {"push", "a", PS_PUSH},   {"pop", "a", PS_POP},
    {"beqz", "a,o", PS_BEQZ},   {"bnez", "a,o", PS_BNEZ}, {"bltz", "a,o", PS_BLTZ},
    {"bgez", "a,o", PS_BGEZ},   {"bgtz", "a,o", PS_BGTZ}, {"blez", "a,o", PS_BLEZ},
    {"bgt", "a,a,o", PS_BGT},   {"ble", "a,a,o", PS_BLE}, {"bgtu", "a,a,o", PS_BGTU},
    {"bleu", "a,a,o", PS_BLEU}, {"seqz", "a,a", PS_SEQZ}, {"snez", "a,a", PS_SNEZ},
};

#define NPSEUDOS (sizeof pseudos / sizeof pseudos[0])

/* li: one instruction when the value is early and fits, else lui + ori. */
static void expand_li(struct assembler *as, const struct operand *o, int col)
{
    struct operand ops[3];
    int64_t v = o[1].v.v;
    if (o[1].v.early && v >= -32768 && v <= 32767) {
        ops[0] = o[0], ops[1] = reg_op(ISA_R_ZERO, col), ops[2] = val_op(v, 1, o[1].col);
        emit_real(as, ISA_OP_addi, ops, col);
    } else if (o[1].v.early && v >= 0 && v <= 65535) {
        ops[0] = o[0], ops[1] = reg_op(ISA_R_ZERO, col), ops[2] = val_op(v, 1, o[1].col);
        emit_real(as, ISA_OP_ori, ops, col);
    } else {
        uint32_t u = (uint32_t)v;
        ops[0] = o[0], ops[1] = val_op(u >> 16, 1, o[1].col);
        emit_real(as, ISA_OP_lui, ops, col);
        ops[0] = o[0], ops[1] = o[0], ops[2] = val_op(u & 0xffff, 1, o[1].col);
        emit_real(as, ISA_OP_ori, ops, col);
    }
}

/* Helpers emitting one real instruction: register-register-register,
 * register-register-immediate, load/store at 0(base), branch, jump. */
static void rrr(struct assembler *as, uint8_t code, int a, int b, int c, int col)
{
    struct operand ops[3] = {reg_op(a, col), reg_op(b, col), reg_op(c, col)};
    emit_real(as, code, ops, col);
}

static void rri(struct assembler *as, uint8_t code, int a, int b, int64_t imm, int col)
{
    struct operand ops[3] = {reg_op(a, col), reg_op(b, col), val_op(imm, 1, col)};
    emit_real(as, code, ops, col);
}

static void mem(struct assembler *as, uint8_t code, int a, int base, int col)
{
    struct operand ops[2] = {reg_op(a, col), reg_op(base, col)};
    ops[1].v = (struct asm_value){0, 1, 1};
    emit_real(as, code, ops, col);
}

static void branch(struct assembler *as, uint8_t code, int a, int b, const struct operand *t,
                   int col)
{
    struct operand ops[3] = {reg_op(a, col), reg_op(b, col), *t};
    emit_real(as, code, ops, col);
}

static void jump(struct assembler *as, uint8_t code, int a, const struct operand *t, int col)
{
    struct operand ops[2] = {reg_op(a, col), *t};
    emit_real(as, code, ops, col);
}

static void expand_pseudo(struct assembler *as, enum pseudo_id id, const struct operand *o, int col)
{
    int r0 = o[0].reg, r1 = o[1].reg;
    switch (id) {
    case PS_LI:
        expand_li(as, o, col);
        break;
    case PS_LA: {
        struct operand la[2] = {o[0], o[1]};
        la[1].v.early = 0; /* always two words, whatever the value */
        expand_li(as, la, col);
        break;
    }
    case PS_MV:
        rri(as, ISA_OP_addi, r0, r1, 0, col);
        break;
    case PS_NOT:
        rrr(as, ISA_OP_sub, r0, ISA_R_ZERO, r1, col);
        rri(as, ISA_OP_addi, r0, r0, -1, col);
        break;
    case PS_NEG:
        rrr(as, ISA_OP_sub, r0, ISA_R_ZERO, r1, col);
        break;
    case PS_NOP:
        rri(as, ISA_OP_addi, ISA_R_ZERO, ISA_R_ZERO, 0, col);
        break;
    case PS_CALL:
        jump(as, ISA_OP_jal, ISA_R_RA, &o[0], col);
        break;
    case PS_RET:
        rri(as, ISA_OP_jalr, ISA_R_ZERO, ISA_R_RA, 0, col);
        break;
    case PS_J:
        jump(as, ISA_OP_jal, ISA_R_ZERO, &o[0], col);
        break;
    case PS_JR:
        rri(as, ISA_OP_jalr, ISA_R_ZERO, r0, 0, col);
        break;
    case PS_PUSH:
        rri(as, ISA_OP_addi, ISA_R_SP, ISA_R_SP, -4, col);
        mem(as, ISA_OP_sw, r0, ISA_R_SP, col);
        break;
    case PS_POP:
        mem(as, ISA_OP_lw, r0, ISA_R_SP, col);
        rri(as, ISA_OP_addi, ISA_R_SP, ISA_R_SP, 4, col);
        break;
    case PS_BEQZ:
        branch(as, ISA_OP_beq, r0, ISA_R_ZERO, &o[1], col);
        break;
    case PS_BNEZ:
        branch(as, ISA_OP_bne, r0, ISA_R_ZERO, &o[1], col);
        break;
    case PS_BLTZ:
        branch(as, ISA_OP_blt, r0, ISA_R_ZERO, &o[1], col);
        break;
    case PS_BGEZ:
        branch(as, ISA_OP_bge, r0, ISA_R_ZERO, &o[1], col);
        break;
    case PS_BGTZ:
        branch(as, ISA_OP_blt, ISA_R_ZERO, r0, &o[1], col);
        break;
    case PS_BLEZ:
        branch(as, ISA_OP_bge, ISA_R_ZERO, r0, &o[1], col);
        break;
    case PS_BGT:
        branch(as, ISA_OP_blt, r1, r0, &o[2], col);
        break;
    case PS_BLE:
        branch(as, ISA_OP_bge, r1, r0, &o[2], col);
        break;
    case PS_BGTU:
        branch(as, ISA_OP_bltu, r1, r0, &o[2], col);
        break;
    case PS_BLEU:
        branch(as, ISA_OP_bgeu, r1, r0, &o[2], col);
        break;
    case PS_SEQZ:
        rri(as, ISA_OP_sltiu, r0, r1, 1, col);
        break;
    case PS_SNEZ:
        rrr(as, ISA_OP_sltu, r0, ISA_R_ZERO, r1, col);
        break;
    }
}

/* Words a pseudo-instruction becomes when its operands are unusable
 * (so that both passes still agree on the layout). */
static int pseudo_size(enum pseudo_id id)
{
    return id == PS_LI || id == PS_LA || id == PS_NOT || id == PS_PUSH || id == PS_POP ? 2 : 1;
}

/* ---- Statements */

static const struct disasm_op *find_op(const char *name, size_t len)
{
    for (size_t i = 0; i < disasm_nops; i++) {
        const char *n = disasm_ops[i].name;
        if (n[0] == name[0] && strlen(n) == len && memcmp(n, name, len) == 0)
            return &disasm_ops[i];
    }
    return NULL;
}

static const struct pseudo *find_pseudo(const char *name, size_t len)
{
    for (size_t i = 0; i < NPSEUDOS; i++) {
        const char *n = pseudos[i].name;
        if (n[0] == name[0] && strlen(n) == len && memcmp(n, name, len) == 0)
            return &pseudos[i];
    }
    return NULL;
}

int asm_is_mnemonic(const char *name, size_t len)
{
    return find_op(name, len) || find_pseudo(name, len);
}

/* Parse all operands against `letters`; -1 (reported) on any problem. */
static int parse_all(struct assembler *as, const char *name, const char *letters, int mi, int nops,
                     const int *ob, const int *oe, struct operand *ops)
{
    int want = count_letters(letters), k = 0, bad = 0;
    if (nops != want) {
        char syn[96];
        syntax_of(name, letters, syn, sizeof syn);
        int col = nops > want ? as->toks[ob[want]].col : as->toks[mi].col;
        asm_error(as, col, "'%s' takes %d operand%s, got %d (%s)", name, want, want == 1 ? "" : "s",
                  nops, syn);
        return -1;
    }
    for (const char *p = letters; *p; p++) {
        if (*p == ',')
            continue;
        if (parse_operand(as, *p, ob[k], oe[k], &ops[k]) < 0)
            bad = 1;
        k++;
    }
    return bad ? -1 : 0;
}

int asm_instruction(struct assembler *as, int mi, int nops, const int *ob, const int *oe)
{
    const struct asm_token *t = &as->toks[mi];
    struct operand ops[4];
    memset(ops, 0, sizeof ops);
    const struct disasm_op *op = find_op(t->text, (size_t)t->len);
    if (op) {
        check_insn_alignment(as, t->col);
        int ok = parse_all(as, op->name, op->operands, mi, nops, ob, oe, ops) == 0;
        uint32_t w = ok && as->pass == 2 ? encode(as, op, ops, asm_cur_addr(as)) : 0;
        emit_word(as, w, t->col);
        return 0;
    }
    const struct pseudo *ps = find_pseudo(t->text, (size_t)t->len);
    if (!ps)
        return 1;
    check_insn_alignment(as, t->col);
    if (parse_all(as, ps->name, ps->operands, mi, nops, ob, oe, ops) == 0) {
        expand_pseudo(as, ps->id, ops, t->col);
        return 0;
    }
    for (int i = 0; i < pseudo_size(ps->id); i++)
        emit_word(as, 0, t->col);
    return 0;
}

const char *asm_suggest_mnemonic(struct assembler *as, const char *name, size_t len)
{
    const char *best = NULL;
    int best_d = len <= 3 ? 2 : 3;
    for (size_t i = 0; i < disasm_nops + NPSEUDOS; i++) {
        const char *n = i < disasm_nops ? disasm_ops[i].name : pseudos[i - disasm_nops].name;
        int d = asm_edit_distance(name, len, n, strlen(n));
        if (d < best_d) {
            best_d = d;
            best = n;
        }
    }
    for (int i = 0; i < as->nmacros; i++) {
        const struct asm_macro *m = &as->macros[i];
        int d = asm_edit_distance(name, len, m->name, strlen(m->name));
        if (m->defined_pass == as->pass && d < best_d) {
            best_d = d;
            best = m->name;
        }
    }
    return best;
}
