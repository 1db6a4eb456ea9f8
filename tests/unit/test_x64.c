/*
 * test_x64.c - the translator's x86-64 encoder (cpu/x64.h) against GNU as.
 *
 * Each case emits one instruction with an x64.h function and compares the
 * bytes with what GNU as (binutils 2.40, x86-64) produced for the AT&T
 * text in its comment; the expected bytes were taken once with
 * `as` + `objcopy -O binary` and are written here.  The operands cover
 * the encodings' special cases: rbp/r13 as a base (need a displacement),
 * rsp/r12 as a base (need a SIB byte), r8-r15 (REX bits R, X, B), sil/dil
 * (need a REX), disp8 against disp32, imm8 against imm32.  Where as has
 * two encodings, the text picks the one x64.h uses: {load}/{store} for
 * register-to-register moves and ALU operations, {rex} for a byte load
 * into esi (x64.h adds an empty REX there; harmless).  x64.h always uses
 * the general forms, so no case uses eax/al with an immediate (as would
 * pick the short accumulator form).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x64.h"

/* One instruction: what as made of `text`. */
struct x64_case {
    const char *text;  /* the AT&T assembly given to as */
    uint8_t bytes[16]; /* its encoding */
    unsigned len;      /* bytes used */
};

static const struct x64_case x64_cases[] = {
    {"mov 0x28(%rbx), %esi", {0x8b, 0x73, 0x28}, 3},
    {"mov 0x200(%rbx), %r14d", {0x44, 0x8b, 0xb3, 0x00, 0x02, 0x00, 0x00}, 7},
    {"mov 0(%rbp,%rax), %eax", {0x8b, 0x44, 0x05, 0x00}, 4},
    {"mov 0(%r13), %r8d", {0x45, 0x8b, 0x45, 0x00}, 4},
    {"mov 8(%rsp), %ecx", {0x8b, 0x4c, 0x24, 0x08}, 4},
    {"mov (%r12), %edx", {0x41, 0x8b, 0x14, 0x24}, 4},
    {"mov -4(%rbp), %edi", {0x8b, 0x7d, 0xfc}, 3},
    {"mov 0x80(%r15,%r9), %r11d", {0x47, 0x8b, 0x9c, 0x0f, 0x80, 0x00, 0x00, 0x00}, 8},
    {"{load} mov %r9d, %edi", {0x41, 0x8b, 0xf9}, 3},
    {"{load} mov %esi, %r10d", {0x44, 0x8b, 0xd6}, 3},
    {"mov %edi, 0x3c(%rbx)", {0x89, 0x7b, 0x3c}, 3},
    {"mov %r11d, 0(%rbp,%rax)", {0x44, 0x89, 0x5c, 0x05, 0x00}, 5},
    {"mov %r14d, 0x7f(%r13)", {0x45, 0x89, 0x75, 0x7f}, 4},
    {"mov %esi, -0x81(%r12)", {0x41, 0x89, 0xb4, 0x24, 0x7f, 0xff, 0xff, 0xff}, 8},
    {"{store} mov %eax, %r8d", {0x41, 0x89, 0xc0}, 3},
    {"mov %si, 0(%rbp,%rax)", {0x66, 0x89, 0x74, 0x05, 0x00}, 5},
    {"mov %r10w, 0(%rbp,%rax)", {0x66, 0x44, 0x89, 0x54, 0x05, 0x00}, 6},
    {"mov %sil, 0(%rbp,%rax)", {0x40, 0x88, 0x74, 0x05, 0x00}, 5},
    {"mov %dil, 0(%rbp,%rax)", {0x40, 0x88, 0x7c, 0x05, 0x00}, 5},
    {"mov %cl, 0(%rbp,%rax)", {0x88, 0x4c, 0x05, 0x00}, 4},
    {"mov %r11b, 0(%rbp,%rax)", {0x44, 0x88, 0x5c, 0x05, 0x00}, 5},
    {"mov %r14b, 0(%r13,%r12)", {0x47, 0x88, 0x74, 0x25, 0x00}, 5},
    {"movl $0x100, 0x44(%rbx)", {0xc7, 0x43, 0x44, 0x00, 0x01, 0x00, 0x00}, 7},
    {"movl $0xffffffff, 0x1000(%rbx)",
     {0xc7, 0x83, 0x00, 0x10, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff},
     10},
    {"mov 0x100(%rbx), %rbp", {0x48, 0x8b, 0xab, 0x00, 0x01, 0x00, 0x00}, 7},
    {"mov 0x110(%rbx), %r13", {0x4c, 0x8b, 0xab, 0x10, 0x01, 0x00, 0x00}, 7},
    {"mov %r12, 0x108(%rbx)", {0x4c, 0x89, 0xa3, 0x08, 0x01, 0x00, 0x00}, 7},
    {"mov %rcx, 0x108(%rbx)", {0x48, 0x89, 0x8b, 0x08, 0x01, 0x00, 0x00}, 7},
    {"mov $5, %esi", {0xbe, 0x05, 0x00, 0x00, 0x00}, 5},
    {"mov $0xffffffff, %r14d", {0x41, 0xbe, 0xff, 0xff, 0xff, 0xff}, 6},
    {"movabs $0x123456789abcdef0, %rcx",
     {0x48, 0xb9, 0xf0, 0xde, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12},
     10},
    {"movabs $0x7f0000001000, %r9",
     {0x49, 0xb9, 0x00, 0x10, 0x00, 0x00, 0x00, 0x7f, 0x00, 0x00},
     10},
    {"movzbl %al, %eax", {0x0f, 0xb6, 0xc0}, 3},
    {"movsbl 0(%rbp,%rax), %ecx", {0x0f, 0xbe, 0x4c, 0x05, 0x00}, 5},
    {"{rex} movzbl 0(%rbp,%rax), %esi", {0x40, 0x0f, 0xb6, 0x74, 0x05, 0x00}, 6},
    {"movzwl 0(%rbp,%rax), %r10d", {0x44, 0x0f, 0xb7, 0x54, 0x05, 0x00}, 6},
    {"movswl 0(%rbp,%rax), %r14d", {0x44, 0x0f, 0xbf, 0x74, 0x05, 0x00}, 6},
    {"movslq %eax, %rax", {0x48, 0x63, 0xc0}, 3},
    {"movslq %ecx, %rcx", {0x48, 0x63, 0xc9}, 3},
    {"lea 4(%rax), %rdx", {0x48, 0x8d, 0x50, 0x04}, 4},
    {"lea 1(%rax), %rdx", {0x48, 0x8d, 0x50, 0x01}, 4},
    {"add 0x2c(%rbx), %esi", {0x03, 0x73, 0x2c}, 3},
    {"{load} sub %edi, %r8d", {0x44, 0x2b, 0xc7}, 3},
    {"cmp (%rcx,%rdx), %eax", {0x3b, 0x04, 0x11}, 3},
    {"{load} xor %r11d, %r14d", {0x45, 0x33, 0xf3}, 3},
    {"{load} and %esi, %edi", {0x23, 0xfe}, 2},
    {"or 0x3c(%rbx), %ecx", {0x0b, 0x4b, 0x3c}, 3},
    {"add $1, %eax", {0x83, 0xc0, 0x01}, 3},
    {"and $0xffff, %esi", {0x81, 0xe6, 0xff, 0xff, 0x00, 0x00}, 6},
    {"cmpl $5, 4(%rcx,%rdx)", {0x83, 0x7c, 0x11, 0x04, 0x05}, 5},
    {"or $-1, %r11d", {0x41, 0x83, 0xcb, 0xff}, 4},
    {"cmp $0x7fffffff, %ecx", {0x81, 0xf9, 0xff, 0xff, 0xff, 0x7f}, 6},
    {"xor $0x80, %edi", {0x81, 0xf7, 0x80, 0x00, 0x00, 0x00}, 6},
    {"sub $-128, %r9d", {0x41, 0x83, 0xe9, 0x80}, 4},
    {"addl $0x10000, 0x30(%rbx)", {0x81, 0x43, 0x30, 0x00, 0x00, 0x01, 0x00}, 7},
    {"sub $2, %r12", {0x49, 0x83, 0xec, 0x02}, 4},
    {"add $200, %r12", {0x49, 0x81, 0xc4, 0xc8, 0x00, 0x00, 0x00}, 7},
    {"sub $-1, %rax", {0x48, 0x83, 0xe8, 0xff}, 4},
    {"{load} cmp %r13, %rdx", {0x49, 0x3b, 0xd5}, 3},
    {"cmp 0x110(%rbx), %r8", {0x4c, 0x3b, 0x83, 0x10, 0x01, 0x00, 0x00}, 7},
    {"cmpb $0, (%r15,%rdx)", {0x41, 0x80, 0x3c, 0x17, 0x00}, 5},
    {"cmpb $3, (%rcx,%rdx)", {0x80, 0x3c, 0x11, 0x03}, 4},
    {"test $1, %sil", {0x40, 0xf6, 0xc6, 0x01}, 4},
    {"test $3, %cl", {0xf6, 0xc1, 0x03}, 3},
    {"test $3, %r10b", {0x41, 0xf6, 0xc2, 0x03}, 4},
    {"test %ecx, %ecx", {0x85, 0xc9}, 2},
    {"test %esi, %r9d", {0x41, 0x85, 0xf1}, 3},
    {"shl $4, %esi", {0xc1, 0xe6, 0x04}, 3},
    {"shr $32, %rax", {0x48, 0xc1, 0xe8, 0x20}, 4},
    {"sar $31, %r10d", {0x41, 0xc1, 0xfa, 0x1f}, 4},
    {"shr $2, %edx", {0xc1, 0xea, 0x02}, 3},
    {"shl %cl, %esi", {0xd3, 0xe6}, 2},
    {"sar %cl, %r14d", {0x41, 0xd3, 0xfe}, 3},
    {"shr %cl, %eax", {0xd3, 0xe8}, 2},
    {"imul %ecx, %eax", {0x0f, 0xaf, 0xc1}, 3},
    {"imul %rcx, %rax", {0x48, 0x0f, 0xaf, 0xc1}, 4},
    {"imul 8(%rbx), %r9d", {0x44, 0x0f, 0xaf, 0x4b, 0x08}, 5},
    {"div %ecx", {0xf7, 0xf1}, 2},
    {"idiv %ecx", {0xf7, 0xf9}, 2},
    {"idiv %r11d", {0x41, 0xf7, 0xfb}, 3},
    {"cltd", {0x99}, 1},
    {"setl %al", {0x0f, 0x9c, 0xc0}, 3},
    {"setb %sil", {0x40, 0x0f, 0x92, 0xc6}, 4},
    {"seta %r8b", {0x41, 0x0f, 0x97, 0xc0}, 4},
    {"jmp *8(%rcx,%rdx)", {0xff, 0x64, 0x11, 0x08}, 4},
    {"jmp *%rsi", {0xff, 0xe6}, 2},
    {"jmp *%r11", {0x41, 0xff, 0xe3}, 3},
    {"push %rbx", {0x53}, 1},
    {"push %r12", {0x41, 0x54}, 2},
    {"pop %r15", {0x41, 0x5f}, 2},
    {"pop %rbp", {0x5d}, 1},
    {"ret", {0xc3}, 1},
};

#define X64_NCASES (sizeof x64_cases / sizeof x64_cases[0])

/* Emit case k with x64.h: the calls in the order of x64_cases. */
static void x64_emit_case(struct x64 *x0, unsigned k)
{
    struct x64 x = *x0;
    switch (k) {
    case 0:
        x64_mov_r_rm(&x, X64_RSI, x64_m(X64_RBX, 0x28));
        break;
    case 1:
        x64_mov_r_rm(&x, X64_R14, x64_m(X64_RBX, 0x200));
        break;
    case 2:
        x64_mov_r_rm(&x, X64_RAX, x64_mi(X64_RBP, X64_RAX, 0));
        break;
    case 3:
        x64_mov_r_rm(&x, X64_R8, x64_m(X64_R13, 0));
        break;
    case 4:
        x64_mov_r_rm(&x, X64_RCX, x64_m(X64_RSP, 8));
        break;
    case 5:
        x64_mov_r_rm(&x, X64_RDX, x64_m(X64_R12, 0));
        break;
    case 6:
        x64_mov_r_rm(&x, X64_RDI, x64_m(X64_RBP, -4));
        break;
    case 7:
        x64_mov_r_rm(&x, X64_R11, x64_mi(X64_R15, X64_R9, 0x80));
        break;
    case 8:
        x64_mov_r_rm(&x, X64_RDI, x64_r(X64_R9));
        break;
    case 9:
        x64_mov_r_rm(&x, X64_R10, x64_r(X64_RSI));
        break;
    case 10:
        x64_mov_rm_r(&x, x64_m(X64_RBX, 0x3c), X64_RDI);
        break;
    case 11:
        x64_mov_rm_r(&x, x64_mi(X64_RBP, X64_RAX, 0), X64_R11);
        break;
    case 12:
        x64_mov_rm_r(&x, x64_m(X64_R13, 0x7f), X64_R14);
        break;
    case 13:
        x64_mov_rm_r(&x, x64_m(X64_R12, -0x81), X64_RSI);
        break;
    case 14:
        x64_mov_rm_r(&x, x64_r(X64_R8), X64_RAX);
        break;
    case 15:
        x64_mov_rm_r16(&x, x64_mi(X64_RBP, X64_RAX, 0), X64_RSI);
        break;
    case 16:
        x64_mov_rm_r16(&x, x64_mi(X64_RBP, X64_RAX, 0), X64_R10);
        break;
    case 17:
        x64_mov_rm_r8(&x, x64_mi(X64_RBP, X64_RAX, 0), X64_RSI);
        break;
    case 18:
        x64_mov_rm_r8(&x, x64_mi(X64_RBP, X64_RAX, 0), X64_RDI);
        break;
    case 19:
        x64_mov_rm_r8(&x, x64_mi(X64_RBP, X64_RAX, 0), X64_RCX);
        break;
    case 20:
        x64_mov_rm_r8(&x, x64_mi(X64_RBP, X64_RAX, 0), X64_R11);
        break;
    case 21:
        x64_mov_rm_r8(&x, x64_mi(X64_R13, X64_R12, 0), X64_R14);
        break;
    case 22:
        x64_mov_rm_imm(&x, x64_m(X64_RBX, 0x44), 0x100);
        break;
    case 23:
        x64_mov_rm_imm(&x, x64_m(X64_RBX, 0x1000), 0xffffffff);
        break;
    case 24:
        x64_mov_r64_rm(&x, X64_RBP, x64_m(X64_RBX, 0x100));
        break;
    case 25:
        x64_mov_r64_rm(&x, X64_R13, x64_m(X64_RBX, 0x110));
        break;
    case 26:
        x64_mov_rm_r64(&x, x64_m(X64_RBX, 0x108), X64_R12);
        break;
    case 27:
        x64_mov_rm_r64(&x, x64_m(X64_RBX, 0x108), X64_RCX);
        break;
    case 28:
        x64_mov_r_imm(&x, X64_RSI, 5);
        break;
    case 29:
        x64_mov_r_imm(&x, X64_R14, 0xffffffff);
        break;
    case 30:
        x64_mov_r64_imm64(&x, X64_RCX, 0x123456789abcdef0ull);
        break;
    case 31:
        x64_mov_r64_imm64(&x, X64_R9, 0x7f0000001000ull);
        break;
    case 32:
        x64_movx(&x, 0x0fb6, X64_RAX, x64_r(X64_RAX));
        break;
    case 33:
        x64_movx(&x, 0x0fbe, X64_RCX, x64_mi(X64_RBP, X64_RAX, 0));
        break;
    case 34:
        x64_movx(&x, 0x0fb6, X64_RSI, x64_mi(X64_RBP, X64_RAX, 0));
        break;
    case 35:
        x64_movx(&x, 0x0fb7, X64_R10, x64_mi(X64_RBP, X64_RAX, 0));
        break;
    case 36:
        x64_movx(&x, 0x0fbf, X64_R14, x64_mi(X64_RBP, X64_RAX, 0));
        break;
    case 37:
        x64_movsxd(&x, X64_RAX, x64_r(X64_RAX));
        break;
    case 38:
        x64_movsxd(&x, X64_RCX, x64_r(X64_RCX));
        break;
    case 39:
        x64_lea64(&x, X64_RDX, x64_m(X64_RAX, 4));
        break;
    case 40:
        x64_lea64(&x, X64_RDX, x64_m(X64_RAX, 1));
        break;
    case 41:
        x64_alu_r_rm(&x, X64_ADD, X64_RSI, x64_m(X64_RBX, 0x2c));
        break;
    case 42:
        x64_alu_r_rm(&x, X64_SUB, X64_R8, x64_r(X64_RDI));
        break;
    case 43:
        x64_alu_r_rm(&x, X64_CMP, X64_RAX, x64_mi(X64_RCX, X64_RDX, 0));
        break;
    case 44:
        x64_alu_r_rm(&x, X64_XOR, X64_R14, x64_r(X64_R11));
        break;
    case 45:
        x64_alu_r_rm(&x, X64_AND, X64_RDI, x64_r(X64_RSI));
        break;
    case 46:
        x64_alu_r_rm(&x, X64_OR, X64_RCX, x64_m(X64_RBX, 0x3c));
        break;
    case 47:
        x64_alu_rm_imm(&x, X64_ADD, x64_r(X64_RAX), 1);
        break;
    case 48:
        x64_alu_rm_imm(&x, X64_AND, x64_r(X64_RSI), 0xffff);
        break;
    case 49:
        x64_alu_rm_imm(&x, X64_CMP, x64_mi(X64_RCX, X64_RDX, 4), 5);
        break;
    case 50:
        x64_alu_rm_imm(&x, X64_OR, x64_r(X64_R11), 0xffffffff);
        break;
    case 51:
        x64_alu_rm_imm(&x, X64_CMP, x64_r(X64_RCX), 0x7fffffff);
        break;
    case 52:
        x64_alu_rm_imm(&x, X64_XOR, x64_r(X64_RDI), 0x80);
        break;
    case 53:
        x64_alu_rm_imm(&x, X64_SUB, x64_r(X64_R9), 0xffffff80);
        break;
    case 54:
        x64_alu_rm_imm(&x, X64_ADD, x64_m(X64_RBX, 0x30), 0x10000);
        break;
    case 55:
        x64_alu64_r_imm(&x, X64_SUB, X64_R12, 2);
        break;
    case 56:
        x64_alu64_r_imm(&x, X64_ADD, X64_R12, 200);
        break;
    case 57:
        x64_alu64_r_imm(&x, X64_SUB, X64_RAX, -1);
        break;
    case 58:
        x64_cmp64_r_rm(&x, X64_RDX, x64_r(X64_R13));
        break;
    case 59:
        x64_cmp64_r_rm(&x, X64_R8, x64_m(X64_RBX, 0x110));
        break;
    case 60:
        x64_cmp_m8_imm(&x, x64_mi(X64_R15, X64_RDX, 0), 0);
        break;
    case 61:
        x64_cmp_m8_imm(&x, x64_mi(X64_RCX, X64_RDX, 0), 3);
        break;
    case 62:
        x64_test_r8_imm(&x, X64_RSI, 1);
        break;
    case 63:
        x64_test_r8_imm(&x, X64_RCX, 3);
        break;
    case 64:
        x64_test_r8_imm(&x, X64_R10, 3);
        break;
    case 65:
        x64_test_r_r(&x, X64_RCX, X64_RCX);
        break;
    case 66:
        x64_test_r_r(&x, X64_R9, X64_RSI);
        break;
    case 67:
        x64_shift_imm(&x, X64_SHL, false, X64_RSI, 4);
        break;
    case 68:
        x64_shift_imm(&x, X64_SHR, true, X64_RAX, 32);
        break;
    case 69:
        x64_shift_imm(&x, X64_SAR, false, X64_R10, 31);
        break;
    case 70:
        x64_shift_imm(&x, X64_SHR, false, X64_RDX, 2);
        break;
    case 71:
        x64_shift_cl(&x, X64_SHL, X64_RSI);
        break;
    case 72:
        x64_shift_cl(&x, X64_SAR, X64_R14);
        break;
    case 73:
        x64_shift_cl(&x, X64_SHR, X64_RAX);
        break;
    case 74:
        x64_imul(&x, false, X64_RAX, x64_r(X64_RCX));
        break;
    case 75:
        x64_imul(&x, true, X64_RAX, x64_r(X64_RCX));
        break;
    case 76:
        x64_imul(&x, false, X64_R9, x64_m(X64_RBX, 8));
        break;
    case 77:
        x64_div(&x, false, X64_RCX);
        break;
    case 78:
        x64_div(&x, true, X64_RCX);
        break;
    case 79:
        x64_div(&x, true, X64_R11);
        break;
    case 80:
        x64_cdq(&x);
        break;
    case 81:
        x64_setcc(&x, X64_CC_L, X64_RAX);
        break;
    case 82:
        x64_setcc(&x, X64_CC_B, X64_RSI);
        break;
    case 83:
        x64_setcc(&x, X64_CC_A, X64_R8);
        break;
    case 84:
        x64_jmp_rm(&x, x64_mi(X64_RCX, X64_RDX, 8));
        break;
    case 85:
        x64_jmp_rm(&x, x64_r(X64_RSI));
        break;
    case 86:
        x64_jmp_rm(&x, x64_r(X64_R11));
        break;
    case 87:
        x64_push(&x, X64_RBX);
        break;
    case 88:
        x64_push(&x, X64_R12);
        break;
    case 89:
        x64_pop(&x, X64_R15);
        break;
    case 90:
        x64_pop(&x, X64_RBP);
        break;
    case 91:
        x64_ret(&x);
        break;
    default:
        break;
    }
    *x0 = x;
}

START_TEST(each_instruction_as_gnu_as_encodes_it)
{
    unsigned k = (unsigned)_i;
    uint8_t buf[32];
    memset(buf, 0xcc, sizeof buf);
    struct x64 x = {buf, buf + sizeof buf, false};
    x64_emit_case(&x, k);
    ck_assert(!x.full);
    unsigned len = (unsigned)(x.p - buf);
    char got[100] = "", want[100] = "";
    for (unsigned b = 0; b < len && b < 16; b++)
        snprintf(got + 3 * b, 4, "%02x ", buf[b]);
    for (unsigned b = 0; b < x64_cases[k].len; b++)
        snprintf(want + 3 * b, 4, "%02x ", x64_cases[k].bytes[b]);
    ck_assert_msg(len == x64_cases[k].len && memcmp(buf, x64_cases[k].bytes, len) == 0,
                  "%s: x64.h gives %s, as gives %s", x64_cases[k].text, got, want);
}
END_TEST

/* jcc and jmp take a 32-bit displacement that x64_patch fills in:
 *   0x00: {disp32} jl 0x40   0f 8c 3a 00 00 00
 *   0x40: {disp32} jmp 0x45  e9 00 00 00 00
 *   0x45: {disp32} jmp 0x40  e9 f6 ff ff ff */
START_TEST(jumps_and_patches)
{
    static const uint8_t want_jl[] = {0x0f, 0x8c, 0x3a, 0x00, 0x00, 0x00};
    static const uint8_t want_jmps[] = {0xe9, 0x00, 0x00, 0x00, 0x00, 0xe9, 0xf6, 0xff, 0xff, 0xff};
    uint8_t buf[0x60];
    struct x64 x = {buf, buf + sizeof buf, false};
    uint8_t *jl = x64_jcc(&x, X64_CC_L);
    ck_assert_ptr_eq(jl, buf + 2);
    x.p = buf + 0x40;
    uint8_t *jmp = x64_jmp(&x);
    x64_patch(jl, buf + 0x40);
    x64_patch(jmp, x.p);
    x64_jmp_to(&x, buf + 0x40);
    ck_assert(!x.full);
    ck_assert_mem_eq(buf, want_jl, sizeof want_jl);
    ck_assert_mem_eq(buf + 0x40, want_jmps, sizeof want_jmps);
    x64_patch(NULL, buf); /* nothing to patch: no effect */
}
END_TEST

/* Out of room: nothing is written past the end, and `full` says so. */
START_TEST(a_full_buffer_is_never_overrun)
{
    uint8_t buf[8];
    memset(buf, 0xcc, sizeof buf);
    struct x64 x = {buf, buf + 4, false};
    x64_mov_r64_imm64(&x, X64_RCX, 0x1122334455667788ull);
    ck_assert(x.full);
    ck_assert_ptr_eq(x.p, buf + 4);
    ck_assert_uint_eq(buf[4], 0xcc);
    ck_assert_uint_eq(buf[0], 0x48);
}
END_TEST

static Suite *x64_suite(void)
{
    Suite *s = suite_create("x64");
    TCase *tc = tcase_create("x64");
    tcase_add_loop_test(tc, each_instruction_as_gnu_as_encodes_it, 0, (int)X64_NCASES);
    tcase_add_test(tc, jumps_and_patches);
    tcase_add_test(tc, a_full_buffer_is_never_overrun);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(x64_suite());
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
