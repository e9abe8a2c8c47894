/* SPDX-License-Identifier: MIT */
/* The translator's x86-64 emitter, checked against capstone's disassembly. */
#include <capstone/capstone.h>
#include <stdio.h>
#include <string.h>

#include "accel/jit/x86.h"
#include "tests/unit/unit.h"

/* Disassemble buf[0..len) into "mnemonic operands; ..." */
static void disassemble(const uint8_t *buf, size_t len, char *out, size_t size)
{
	csh handle;
	cs_insn *insn;
	size_t n;

	out[0] = 0;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
		snprintf(out, size, "(capstone failed)");
		return;
	}
	n = cs_disasm(handle, buf, len, 0x1000, 0, &insn);
	for (size_t i = 0; i < n; i++) {
		size_t used = strlen(out);

		snprintf(out + used, size - used, "%s%s %s", i ? "; " : "",
			 insn[i].mnemonic, insn[i].op_str);
	}
	if (n) {
		cs_free(insn, n);
	}
	cs_close(&handle);
}

#define EXPECT_ASM(emit, text)                                              \
	do {                                                                \
		uint8_t buf_[64];                                           \
		struct x86_buf b_ = { buf_, buf_, buf_ + sizeof(buf_) };    \
		char got_[256];                                             \
		struct x86_buf *b = &b_;                                    \
		emit;                                                       \
		disassemble(buf_, b_.p - buf_, got_, sizeof(got_));         \
		if (strcmp(got_, text)) {                                   \
			unit_fail(__FILE__, __LINE__, "got '%s' want '%s'", \
				  got_, text);                              \
		}                                                           \
	} while (0)

TEST(jit_x86_moves)
{
	EXPECT_ASM(x86_load(b, X86_RAX, X86_RBX, 0x10),
		   "mov rax, qword ptr [rbx + 0x10]");
	EXPECT_ASM(x86_load(b, X86_R9, X86_R12, 0x1000),
		   "mov r9, qword ptr [r12 + 0x1000]");
	EXPECT_ASM(x86_load(b, X86_RCX, X86_RBP, 0),
		   "mov rcx, qword ptr [rbp]");
	EXPECT_ASM(x86_store(b, X86_RDX, X86_RBX, 0x108),
		   "mov qword ptr [rbx + 0x108], rdx");
	EXPECT_ASM(x86_store_imm(b, X86_RBX, 8, -5),
		   "mov qword ptr [rbx + 8], -5");
	EXPECT_ASM(x86_mov_imm(b, X86_RAX, 0), "xor eax, eax");
	EXPECT_ASM(x86_mov_imm(b, X86_RSI, 0x12345678), "mov esi, 0x12345678");
	EXPECT_ASM(x86_mov_imm(b, X86_RAX, 0xffffffffffff0000ull),
		   "mov rax, -0x10000");
	EXPECT_ASM(x86_mov_imm(b, X86_R10, 0x123456789abcull),
		   "movabs r10, 0x123456789abc");
	EXPECT_ASM(x86_mov_rr(b, X86_RDI, X86_RBX), "mov rdi, rbx");
}

TEST(jit_x86_loads_and_stores_by_size)
{
	EXPECT_ASM(x86_load_ext(b, X86_SX8, X86_RAX, X86_RAX, 0),
		   "movsx rax, byte ptr [rax]");
	EXPECT_ASM(x86_load_ext(b, X86_ZX16, X86_RAX, X86_RSI, 2),
		   "movzx eax, word ptr [rsi + 2]");
	EXPECT_ASM(x86_load_ext(b, X86_SX32, X86_RCX, X86_RBX, 0x20),
		   "movsxd rcx, dword ptr [rbx + 0x20]");
	EXPECT_ASM(x86_load_ext(b, X86_ZX32, X86_RAX, X86_RBX, 0x20),
		   "mov eax, dword ptr [rbx + 0x20]");
	EXPECT_ASM(x86_store_n(b, 1, X86_RCX, X86_RAX, 0),
		   "mov byte ptr [rax], cl");
	EXPECT_ASM(x86_store_n(b, 1, X86_RSI, X86_RAX, 0),
		   "mov byte ptr [rax], sil");
	EXPECT_ASM(x86_store_n(b, 2, X86_RCX, X86_RAX, 0),
		   "mov word ptr [rax], cx");
	EXPECT_ASM(x86_store_n(b, 4, X86_RCX, X86_RAX, 0),
		   "mov dword ptr [rax], ecx");
}

TEST(jit_x86_arithmetic)
{
	EXPECT_ASM(x86_alu_rm(b, X86_ADD, true, X86_RAX, X86_RBX, 0x18),
		   "add rax, qword ptr [rbx + 0x18]");
	EXPECT_ASM(x86_alu_rm(b, X86_SUB, false, X86_RAX, X86_RBX, 0x18),
		   "sub eax, dword ptr [rbx + 0x18]");
	EXPECT_ASM(x86_alu_rm(b, X86_CMP, true, X86_RCX, X86_RAX, 0x800),
		   "cmp rcx, qword ptr [rax + 0x800]");
	EXPECT_ASM(x86_alu_imm(b, X86_AND, true, X86_RCX, -4096),
		   "and rcx, 0xfffffffffffff000");
	EXPECT_ASM(x86_alu_imm(b, X86_XOR, true, X86_RAX, 5), "xor rax, 5");
	EXPECT_ASM(x86_alu_mem_imm(b, X86_ADD, X86_RBX, 0x210, 3),
		   "add qword ptr [rbx + 0x210], 3");
	EXPECT_ASM(x86_shift_imm(b, X86_SAR, true, X86_RAX, 63),
		   "sar rax, 0x3f");
	EXPECT_ASM(x86_shift_cl(b, X86_SHL, false, X86_RAX), "shl eax, cl");
	EXPECT_ASM(x86_imul_rr(b, true, X86_RAX, X86_RCX), "imul rax, rcx");
	EXPECT_ASM(x86_mul_wide(b, false, X86_RCX), "mul rcx");
	EXPECT_ASM(x86_movsxd(b, X86_RAX, X86_RAX), "movsxd rax, eax");
	EXPECT_ASM(x86_neg(b, false, X86_RAX), "neg eax");
	EXPECT_ASM(x86_sign_extend_ax(b, true), "cqo ");
	EXPECT_ASM(x86_div(b, true, true, X86_RCX), "idiv rcx");
	EXPECT_ASM(x86_div(b, false, false, X86_RCX), "div ecx");
	EXPECT_ASM(x86_setcc(b, X86_CC_L, X86_RCX), "setl cl");
	EXPECT_ASM(x86_cmov(b, X86_CC_A, X86_RAX, X86_RCX), "cmova rax, rcx");
	EXPECT_ASM(x86_lea_sib(b, X86_RAX, X86_RCX, X86_RAX, 4),
		   "lea rax, [rcx + rax*4]");
	EXPECT_ASM(x86_load_sib(b, X86_RAX, X86_RCX, X86_RAX, 8),
		   "mov rax, qword ptr [rcx + rax*8]");
	EXPECT_ASM(x86_bswap(b, X86_RAX), "bswap rax");
	EXPECT_ASM(x86_bitop_rr(b, X86_BTS, X86_RAX, X86_RCX), "bts rax, rcx");
	EXPECT_ASM(x86_bitop_imm(b, X86_BTR, X86_RAX, 40), "btr rax, 0x28");
}

TEST(jit_x86_control)
{
	EXPECT_ASM(x86_push(b, X86_R12), "push r12");
	EXPECT_ASM(x86_pop(b, X86_RBX), "pop rbx");
	EXPECT_ASM(x86_call_reg(b, X86_RAX), "call rax");
	EXPECT_ASM(x86_jmp_reg(b, X86_RSI), "jmp rsi");
	EXPECT_ASM(x86_jmp_mem(b, X86_RAX, 0x18), "jmp qword ptr [rax + 0x18]");
	EXPECT_ASM(x86_jmp(b, buf_ + 0x20), "jmp 0x1020");
	EXPECT_ASM(x86_jcc(b, X86_CC_AE, buf_), "jae 0x1000");
	EXPECT_ASM(x86_ret(b), "ret ");
}
