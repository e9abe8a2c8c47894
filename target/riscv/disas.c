/* SPDX-License-Identifier: MIT */
/* A RISC-V disassembler on top of the decoder, spelled like objdump's
 * no-aliases output. */
#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "target/riscv/decode.h"

#define RISCV_OP_NAME(name) #name,
static const char *const op_names[] = { RISCV_OPS(RISCV_OP_NAME) };
static const char *const cop_names[] = { RISCV_COPS(RISCV_OP_NAME) };
#undef RISCV_OP_NAME

const char *const riscv_xreg_names[32] = {
	"zero", "ra", "sp", "gp", "tp",	 "t0",	"t1", "t2", "s0", "s1", "a0",
	"a1",	"a2", "a3", "a4", "a5",	 "a6",	"a7", "s2", "s3", "s4", "s5",
	"s6",	"s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

const char *const riscv_freg_names[32] = {
	"ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",
	"fs0", "fs1", "fa0",  "fa1",  "fa2", "fa3", "fa4",  "fa5",
	"fa6", "fa7", "fs2",  "fs3",  "fs4", "fs5", "fs6",  "fs7",
	"fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

static const char *const rm_names[8] = {
	"rne", "rtz", "rdn", "rup", "rmm", "invalid5", "invalid6", "dyn",
};

static const struct {
	uint16_t csr;
	const char *name;
} csr_names[] = {
	{ 0x001, "fflags" },	 { 0x002, "frm" },
	{ 0x003, "fcsr" },	 { 0xc00, "cycle" },
	{ 0xc01, "time" },	 { 0xc02, "instret" },
	{ 0x100, "sstatus" },	 { 0x104, "sie" },
	{ 0x105, "stvec" },	 { 0x106, "scounteren" },
	{ 0x10a, "senvcfg" },	 { 0x140, "sscratch" },
	{ 0x141, "sepc" },	 { 0x142, "scause" },
	{ 0x143, "stval" },	 { 0x144, "sip" },
	{ 0x14d, "stimecmp" },	 { 0x180, "satp" },
	{ 0xf11, "mvendorid" },	 { 0xf12, "marchid" },
	{ 0xf13, "mimpid" },	 { 0xf14, "mhartid" },
	{ 0xf15, "mconfigptr" }, { 0x300, "mstatus" },
	{ 0x301, "misa" },	 { 0x302, "medeleg" },
	{ 0x303, "mideleg" },	 { 0x304, "mie" },
	{ 0x305, "mtvec" },	 { 0x306, "mcounteren" },
	{ 0x30a, "menvcfg" },	 { 0x320, "mcountinhibit" },
	{ 0x340, "mscratch" },	 { 0x341, "mepc" },
	{ 0x342, "mcause" },	 { 0x343, "mtval" },
	{ 0x344, "mip" },	 { 0xb00, "mcycle" },
	{ 0xb02, "minstret" },	 { 0x7a0, "tselect" },
	{ 0x7a1, "tdata1" },	 { 0x7a2, "tdata2" },
	{ 0x7a3, "tdata3" },
};

static char op_name_buf[RISCV_OP_COUNT][16];
static char cop_name_buf[RISCV_COP_COUNT][16];
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static void spell(const char *in, char *out)
{
	for (; *in; in++, out++) {
		*out = *in == '_' ? '.' : tolower((unsigned char)*in);
	}
	*out = 0;
}

/* Harts on several threads may disassemble (-d in_asm) at once. */
static void names_init(void)
{
	for (unsigned op = 0; op < RISCV_OP_COUNT; op++) {
		spell(op_names[op], op_name_buf[op]);
	}
	for (unsigned cop = 0; cop < RISCV_COP_COUNT; cop++) {
		spell(cop_names[cop], cop_name_buf[cop]);
	}
}

const char *riscv_op_name(enum riscv_op op)
{
	if (op >= RISCV_OP_COUNT) {
		return "?";
	}
	pthread_once(&names_once, names_init);
	return op_name_buf[op];
}

static const char *cop_name(unsigned cop)
{
	pthread_once(&names_once, names_init);
	return cop_name_buf[cop];
}

static void csr_name(unsigned csr, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof(csr_names) / sizeof(csr_names[0]); i++) {
		if (csr_names[i].csr == csr) {
			snprintf(buf, size, "%s", csr_names[i].name);
			return;
		}
	}
	if (csr >= 0x3a0 && csr <= 0x3af) {
		snprintf(buf, size, "pmpcfg%u", csr - 0x3a0);
	} else if (csr >= 0x3b0 && csr <= 0x3ef) {
		snprintf(buf, size, "pmpaddr%u", csr - 0x3b0);
	} else if (csr >= 0xc03 && csr <= 0xc1f) {
		snprintf(buf, size, "hpmcounter%u", csr - 0xc00);
	} else if (csr >= 0xb03 && csr <= 0xb1f) {
		snprintf(buf, size, "mhpmcounter%u", csr - 0xb00);
	} else if (csr >= 0x323 && csr <= 0x33f) {
		snprintf(buf, size, "mhpmevent%u", csr - 0x320);
	} else {
		snprintf(buf, size, "0x%x", csr);
	}
}

static void fence_set(unsigned bits, char *out)
{
	const char *names = "iorw";

	for (unsigned i = 0; i < 4; i++) {
		if (bits & (8 >> i)) {
			*out++ = names[i];
		}
	}
	*out = 0;
}

enum fmt {
	F_NONE, /* no operands */
	F_R, /* rd, rs1, rs2 */
	F_I, /* rd, rs1, imm */
	F_SH, /* rd, rs1, hex shamt */
	F_R1, /* rd, rs1 */
	F_U, /* rd, hex upper immediate */
	F_LOAD, /* rd, imm(rs1) */
	F_STORE, /* rs2, imm(rs1) */
	F_BRANCH, /* rs1, rs2, target */
	F_JAL, /* rd, target */
	F_JALR, /* rd, imm(rs1) */
	F_CSR,
	F_CSRI,
	F_FENCE,
	F_AMO, /* rd, rs2, (rs1) */
	F_LR, /* rd, (rs1) */
	F_CBO, /* (rs1) */
	F_PREFETCH, /* imm(rs1) */
	F_SFENCE, /* rs1, rs2 */
	F_FP, /* float operands, see fp_disas */
};

static enum fmt op_format(enum riscv_op op)
{
	switch (op) {
	case RISCV_OP_LUI:
	case RISCV_OP_AUIPC:
		return F_U;
	case RISCV_OP_JAL:
		return F_JAL;
	case RISCV_OP_JALR:
		return F_JALR;
	case RISCV_OP_ECALL:
	case RISCV_OP_EBREAK:
	case RISCV_OP_MRET:
	case RISCV_OP_SRET:
	case RISCV_OP_WFI:
	case RISCV_OP_FENCE_I:
		return F_NONE;
	case RISCV_OP_FENCE:
		return F_FENCE;
	case RISCV_OP_SFENCE_VMA:
		return F_SFENCE;
	case RISCV_OP_SLLI:
	case RISCV_OP_SRLI:
	case RISCV_OP_SRAI:
	case RISCV_OP_SLLIW:
	case RISCV_OP_SRLIW:
	case RISCV_OP_SRAIW:
	case RISCV_OP_SLLI_UW:
	case RISCV_OP_RORI:
	case RISCV_OP_RORIW:
	case RISCV_OP_BCLRI:
	case RISCV_OP_BEXTI:
	case RISCV_OP_BINVI:
	case RISCV_OP_BSETI:
		return F_SH;
	case RISCV_OP_ADDI:
	case RISCV_OP_SLTI:
	case RISCV_OP_SLTIU:
	case RISCV_OP_XORI:
	case RISCV_OP_ORI:
	case RISCV_OP_ANDI:
	case RISCV_OP_ADDIW:
		return F_I;
	case RISCV_OP_CLZ:
	case RISCV_OP_CTZ:
	case RISCV_OP_CPOP:
	case RISCV_OP_CLZW:
	case RISCV_OP_CTZW:
	case RISCV_OP_CPOPW:
	case RISCV_OP_SEXT_B:
	case RISCV_OP_SEXT_H:
	case RISCV_OP_ZEXT_H:
	case RISCV_OP_ORC_B:
	case RISCV_OP_REV8:
		return F_R1;
	case RISCV_OP_CBO_CLEAN:
	case RISCV_OP_CBO_FLUSH:
	case RISCV_OP_CBO_INVAL:
	case RISCV_OP_CBO_ZERO:
		return F_CBO;
	case RISCV_OP_PREFETCH_I:
	case RISCV_OP_PREFETCH_R:
	case RISCV_OP_PREFETCH_W:
		return F_PREFETCH;
	case RISCV_OP_LR_W:
	case RISCV_OP_LR_D:
		return F_LR;
	default:
		break;
	}
	if (op >= RISCV_OP_BEQ && op <= RISCV_OP_BGEU) {
		return F_BRANCH;
	}
	if (op >= RISCV_OP_LB && op <= RISCV_OP_LWU) {
		return F_LOAD;
	}
	if (op >= RISCV_OP_SB && op <= RISCV_OP_SD) {
		return F_STORE;
	}
	if (op >= RISCV_OP_CSRRW && op <= RISCV_OP_CSRRC) {
		return F_CSR;
	}
	if (op >= RISCV_OP_CSRRWI && op <= RISCV_OP_CSRRCI) {
		return F_CSRI;
	}
	if (op >= RISCV_OP_SC_W && op <= RISCV_OP_AMOMAXU_D) {
		return F_AMO;
	}
	if (op >= RISCV_OP_FLW) {
		return F_FP;
	}
	return F_R;
}

#define MIN_U(a, b) ((a) < (b) ? (a) : (b))

struct out {
	char *buf;
	unsigned size, len;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o,
						      const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len >= o->size) {
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n > 0) {
		o->len = MIN_U(o->len + n, o->size - 1);
	}
}

/* Which register file each FP operand uses: 'f', 'x' or 0 (absent). */
struct fp_shape {
	char rd, rs1, rs2, rs3;
	bool rm;
};

static struct fp_shape fp_shape(enum riscv_op op)
{
	switch (op) {
	case RISCV_OP_FLW:
	case RISCV_OP_FLD:
	case RISCV_OP_FSW:
	case RISCV_OP_FSD:
		return (struct fp_shape){ 0 };
	case RISCV_OP_FMADD_S ... RISCV_OP_FNMADD_S:
	case RISCV_OP_FMADD_D ... RISCV_OP_FNMADD_D:
		return (struct fp_shape){ 'f', 'f', 'f', 'f', true };
	case RISCV_OP_FADD_S ... RISCV_OP_FDIV_S:
	case RISCV_OP_FADD_D ... RISCV_OP_FDIV_D:
		return (struct fp_shape){ 'f', 'f', 'f', 0, true };
	case RISCV_OP_FSQRT_S:
	case RISCV_OP_FSQRT_D:
	case RISCV_OP_FCVT_S_D:
	case RISCV_OP_FCVT_D_S:
		return (struct fp_shape){ 'f', 'f', 0, 0, true };
	case RISCV_OP_FSGNJ_S ... RISCV_OP_FMAX_S:
	case RISCV_OP_FSGNJ_D ... RISCV_OP_FMAX_D:
		return (struct fp_shape){ 'f', 'f', 'f', 0, false };
	case RISCV_OP_FCVT_W_S ... RISCV_OP_FCVT_LU_S:
	case RISCV_OP_FCVT_W_D ... RISCV_OP_FCVT_LU_D:
		return (struct fp_shape){ 'x', 'f', 0, 0, true };
	case RISCV_OP_FMV_X_W:
	case RISCV_OP_FMV_X_D:
	case RISCV_OP_FCLASS_S:
	case RISCV_OP_FCLASS_D:
		return (struct fp_shape){ 'x', 'f', 0, 0, false };
	case RISCV_OP_FEQ_S ... RISCV_OP_FLE_S:
	case RISCV_OP_FEQ_D ... RISCV_OP_FLE_D:
		return (struct fp_shape){ 'x', 'f', 'f', 0, false };
	case RISCV_OP_FCVT_S_W ... RISCV_OP_FCVT_S_LU:
	case RISCV_OP_FCVT_D_W ... RISCV_OP_FCVT_D_LU:
		return (struct fp_shape){ 'f', 'x', 0, 0, true };
	default: /* fmv.w.x, fmv.d.x */
		return (struct fp_shape){ 'f', 'x', 0, 0, false };
	}
}

static const char *reg_of(char file, unsigned r)
{
	return file == 'x' ? riscv_xreg_names[r] : riscv_freg_names[r];
}

/* objdump leaves out the rounding mode when it is dyn, and for the exact
 * conversions when it is rne. */
static bool fp_rm_shown(const struct riscv_insn *in)
{
	switch (in->op) {
	case RISCV_OP_FCVT_D_S:
	case RISCV_OP_FCVT_D_W:
	case RISCV_OP_FCVT_D_WU:
		return in->rm != 0;
	default:
		return in->rm != 7;
	}
}

static void fp_disas(const struct riscv_insn *in, struct out *o)
{
	struct fp_shape s = fp_shape(in->op);

	switch (in->op) {
	case RISCV_OP_FLW:
	case RISCV_OP_FLD:
		put(o, "%s,%" PRId64 "(%s)", riscv_freg_names[in->rd], in->imm,
		    riscv_xreg_names[in->rs1]);
		return;
	case RISCV_OP_FSW:
	case RISCV_OP_FSD:
		put(o, "%s,%" PRId64 "(%s)", riscv_freg_names[in->rs2], in->imm,
		    riscv_xreg_names[in->rs1]);
		return;
	default:
		break;
	}
	put(o, "%s,%s", reg_of(s.rd, in->rd), reg_of(s.rs1, in->rs1));
	if (s.rs2) {
		put(o, ",%s", reg_of(s.rs2, in->rs2));
	}
	if (s.rs3) {
		put(o, ",%s", reg_of(s.rs3, in->rs3));
	}
	if (s.rm && fp_rm_shown(in)) {
		put(o, ",%s", rm_names[in->rm]);
	}
}

static void fence_disas(const struct riscv_insn *in, struct out *o)
{
	char pred[5], succ[5];

	fence_set((in->imm >> 4) & 0xf, pred);
	fence_set(in->imm & 0xf, succ);
	put(o, "%s,%s", pred, succ);
}

static void operands(const struct riscv_insn *in, uint64_t pc, struct out *o)
{
	char csr[24];

	switch (op_format(in->op)) {
	case F_NONE:
		break;
	case F_R:
		put(o, "%s,%s,%s", riscv_xreg_names[in->rd],
		    riscv_xreg_names[in->rs1], riscv_xreg_names[in->rs2]);
		break;
	case F_I:
		put(o, "%s,%s,%" PRId64, riscv_xreg_names[in->rd],
		    riscv_xreg_names[in->rs1], in->imm);
		break;
	case F_SH:
		put(o, "%s,%s,0x%" PRIx64, riscv_xreg_names[in->rd],
		    riscv_xreg_names[in->rs1], in->imm);
		break;
	case F_R1:
		put(o, "%s,%s", riscv_xreg_names[in->rd],
		    riscv_xreg_names[in->rs1]);
		break;
	case F_U:
		put(o, "%s,0x%" PRIx64, riscv_xreg_names[in->rd],
		    ((uint64_t)in->imm >> 12) & 0xfffff);
		break;
	case F_LOAD:
	case F_JALR:
		put(o, "%s,%" PRId64 "(%s)", riscv_xreg_names[in->rd], in->imm,
		    riscv_xreg_names[in->rs1]);
		break;
	case F_STORE:
		put(o, "%s,%" PRId64 "(%s)", riscv_xreg_names[in->rs2], in->imm,
		    riscv_xreg_names[in->rs1]);
		break;
	case F_BRANCH:
		put(o, "%s,%s,%" PRIx64, riscv_xreg_names[in->rs1],
		    riscv_xreg_names[in->rs2], pc + in->imm);
		break;
	case F_JAL:
		put(o, "%s,%" PRIx64, riscv_xreg_names[in->rd], pc + in->imm);
		break;
	case F_CSR:
		csr_name(in->csr, csr, sizeof(csr));
		put(o, "%s,%s,%s", riscv_xreg_names[in->rd], csr,
		    riscv_xreg_names[in->rs1]);
		break;
	case F_CSRI:
		csr_name(in->csr, csr, sizeof(csr));
		put(o, "%s,%s,%u", riscv_xreg_names[in->rd], csr, in->rs1);
		break;
	case F_FENCE:
		fence_disas(in, o);
		break;
	case F_AMO:
		put(o, "%s,%s,(%s)", riscv_xreg_names[in->rd],
		    riscv_xreg_names[in->rs2], riscv_xreg_names[in->rs1]);
		break;
	case F_LR:
		put(o, "%s,(%s)", riscv_xreg_names[in->rd],
		    riscv_xreg_names[in->rs1]);
		break;
	case F_CBO:
		put(o, "(%s)", riscv_xreg_names[in->rs1]);
		break;
	case F_PREFETCH:
		put(o, "%" PRId64 "(%s)", in->imm, riscv_xreg_names[in->rs1]);
		break;
	case F_SFENCE:
		put(o, "%s,%s", riscv_xreg_names[in->rs1],
		    riscv_xreg_names[in->rs2]);
		break;
	case F_FP:
		fp_disas(in, o);
		break;
	}
}

static void compressed_operands(const struct riscv_insn *in, uint64_t pc,
				struct out *o)
{
	switch (in->cop) {
	case RISCV_COP_C_EBREAK:
		break;
	case RISCV_COP_C_ADDI4SPN:
		put(o, "%s,sp,%" PRId64, riscv_xreg_names[in->rd], in->imm);
		break;
	case RISCV_COP_C_ADDI:
	case RISCV_COP_C_ADDIW:
	case RISCV_COP_C_LI:
	case RISCV_COP_C_ANDI:
	case RISCV_COP_C_ADDI16SP:
		put(o, "%s,%" PRId64, riscv_xreg_names[in->rd], in->imm);
		break;
	case RISCV_COP_C_LUI:
		put(o, "%s,0x%" PRIx64, riscv_xreg_names[in->rd],
		    ((uint64_t)in->imm >> 12) & 0xfffff);
		break;
	case RISCV_COP_C_SRLI:
	case RISCV_COP_C_SRAI:
	case RISCV_COP_C_SLLI:
		put(o, "%s,0x%" PRIx64, riscv_xreg_names[in->rd], in->imm);
		break;
	case RISCV_COP_C_J:
		put(o, "%" PRIx64, pc + in->imm);
		break;
	case RISCV_COP_C_BEQZ:
	case RISCV_COP_C_BNEZ:
		put(o, "%s,%" PRIx64, riscv_xreg_names[in->rs1], pc + in->imm);
		break;
	case RISCV_COP_C_JR:
	case RISCV_COP_C_JALR:
		put(o, "%s", riscv_xreg_names[in->rs1]);
		break;
	case RISCV_COP_C_MV:
	case RISCV_COP_C_ADD:
	case RISCV_COP_C_SUB:
	case RISCV_COP_C_XOR:
	case RISCV_COP_C_OR:
	case RISCV_COP_C_AND:
	case RISCV_COP_C_SUBW:
	case RISCV_COP_C_ADDW:
		put(o, "%s,%s", riscv_xreg_names[in->rd],
		    riscv_xreg_names[in->rs2]);
		break;
	case RISCV_COP_C_FLD:
	case RISCV_COP_C_FLDSP:
		put(o, "%s,%" PRId64 "(%s)", riscv_freg_names[in->rd], in->imm,
		    riscv_xreg_names[in->rs1]);
		break;
	case RISCV_COP_C_FSD:
	case RISCV_COP_C_FSDSP:
		put(o, "%s,%" PRId64 "(%s)", riscv_freg_names[in->rs2], in->imm,
		    riscv_xreg_names[in->rs1]);
		break;
	default:
		operands(in, pc, o);
		break;
	}
}

int riscv_disas(const struct riscv_insn *in, uint64_t pc, char *buf,
		unsigned size)
{
	struct out o = { buf, size, 0 };

	if (size == 0) {
		return 0;
	}
	buf[0] = 0;
	if (in->op == RISCV_OP_ILLEGAL) {
		put(&o, in->len == 2 ? ".2byte\t0x%04x" : ".4byte\t0x%08x",
		    in->raw);
		return o.len;
	}
	if (in->cop == RISCV_COP_C_NOP) {
		/* objdump spells the nop (and its hints) as c.addi */
		put(&o, "c.addi\tzero,%" PRId64, in->imm);
		return o.len;
	}
	if (in->cop != RISCV_COP_NONE) {
		put(&o, "%s\t", cop_name(in->cop));
		compressed_operands(in, pc, &o);
		return o.len;
	}
	if (in->op == RISCV_OP_FENCE && in->raw == 0x0100000f) {
		put(&o, "pause");
		return o.len;
	}
	if (in->op == RISCV_OP_FENCE && (in->raw >> 28) == 8 &&
	    (in->imm & 0xff) == 0x33) {
		put(&o, "fence.tso");
		return o.len;
	}
	put(&o, "%s", riscv_op_name(in->op));
	if (in->op >= RISCV_OP_LR_W && in->op <= RISCV_OP_AMOMAXU_D && in->rm) {
		put(&o, "%s",
		    (const char *[]){ "", ".rl", ".aq", ".aqrl" }[in->rm]);
	}
	if (op_format(in->op) != F_NONE) {
		put(&o, "\t");
	}
	operands(in, pc, &o);
	return o.len;
}
