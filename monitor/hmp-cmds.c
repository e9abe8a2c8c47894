/* SPDX-License-Identifier: MIT */
/* HMP-only commands: registers, memory and device listings, memory dumps
 * (x, xp) and expressions on registers (print). */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor-internal.h"
#include "target/riscv/cpu.h"
#include "target/riscv/decode.h"

/* A dump of at most this many bytes per command keeps output bounded. */
#define HMP_MAX_DUMP 65536

static const char *const abi_names[32] = {
	"zero", "ra", "sp", "gp", "tp",	 "t0",	"t1", "t2", "s0", "s1", "a0",
	"a1",	"a2", "a3", "a4", "a5",	 "a6",	"a7", "s2", "s3", "s4", "s5",
	"s6",	"s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const struct {
	const char *name;
	unsigned csr;
} csr_names[] = {
	{ "mhartid", 0xf14 },  { "mstatus", 0x300 },  { "misa", 0x301 },
	{ "medeleg", 0x302 },  { "mideleg", 0x303 },  { "mie", 0x304 },
	{ "mtvec", 0x305 },    { "mscratch", 0x340 }, { "mepc", 0x341 },
	{ "mcause", 0x342 },   { "mtval", 0x343 },    { "mip", 0x344 },
	{ "sstatus", 0x100 },  { "sie", 0x104 },      { "stvec", 0x105 },
	{ "sscratch", 0x140 }, { "sepc", 0x141 },     { "scause", 0x142 },
	{ "stval", 0x143 },    { "sip", 0x144 },      { "satp", 0x180 },
};

static struct riscv_cpu *hmp_cpu(unsigned hart)
{
	const struct monitor_machine_ops *ops = monitor_state.ops;

	return ops->hart ? ops->hart(monitor_state.opaque, hart) : NULL;
}

bool hmp_read_register(unsigned hart, const char *name, uint64_t *value)
{
	struct riscv_cpu *cpu = hmp_cpu(hart);
	int reg = -1;

	*value = 0;
	if (!strcmp(name, "pc")) {
		*value = cpu ? riscv_cpu_get_pc(cpu) : 0;
		return true;
	}
	if (!strcmp(name, "fp")) {
		reg = 8;
	} else if (name[0] == 'x' && isdigit((unsigned char)name[1])) {
		char *end;
		long n = strtol(name + 1, &end, 10);

		reg = !*end && n >= 0 && n < 32 ? (int)n : -1;
	}
	for (int i = 0; reg < 0 && i < 32; i++) {
		reg = strcmp(name, abi_names[i]) ? -1 : i;
	}
	if (reg >= 0) {
		*value = cpu ? riscv_cpu_get_x(cpu, reg) : 0;
		return true;
	}
	if (!strcmp(name, "priv")) {
		*value = cpu ? riscv_cpu_get_priv(cpu) : 0;
		return true;
	}
	for (size_t i = 0; i < ARRAY_SIZE(csr_names); i++) {
		if (!strcmp(name, csr_names[i].name)) {
			return !cpu ||
			       riscv_cpu_read_csr(cpu, csr_names[i].csr, value);
		}
	}
	return false;
}

void hmp_info_registers(struct monitor *mon, const char *args)
{
	unsigned hart = mon->cpu;
	uint64_t v;

	hmp_read_register(hart, "pc", &v);
	monitor_printf(mon, " pc       %016" PRIx64 "\n", v);
	for (size_t i = 0; i < ARRAY_SIZE(csr_names); i++) {
		if (hmp_read_register(hart, csr_names[i].name, &v)) {
			monitor_printf(mon, " %-8s %016" PRIx64 "\n",
				       csr_names[i].name, v);
		}
	}
	for (unsigned r = 0; r < 32; r++) {
		char name[16];

		hmp_read_register(hart, abi_names[r], &v);
		snprintf(name, sizeof(name), "x%u/%s", r, abi_names[r]);
		monitor_printf(mon, " %-8s %016" PRIx64 "%s", name, v,
			       r % 4 == 3 ? "\n" : "");
	}
}

void hmp_info_mtree(struct monitor *mon, const char *args)
{
	const struct monitor_machine_ops *ops = monitor_state.ops;
	uint64_t ram = ops->ram_size(monitor_state.opaque), size;
	const char *name;
	gpa_t base;

	monitor_printf(mon, "address-space: memory\n");
	monitor_printf(mon,
		       "  0000000000000000-ffffffffffffffff (prio 0, i/o): "
		       "system\n");
	for (unsigned i = 0;
	     ops->device_at(monitor_state.opaque, i, &name, &base, &size);
	     i++) {
		if (size) {
			monitor_printf(mon,
				       "    %016" PRIx64 "-%016" PRIx64
				       " (prio 0, i/o): %s\n",
				       base, base + size - 1, name);
		}
	}
	monitor_printf(
		mon,
		"    %016llx-%016llx (prio 0, rom): riscv_virt_board.mrom\n",
		0x1000ull, 0xffffull);
	if (ram) {
		monitor_printf(mon,
			       "    %016llx-%016llx"
			       " (prio 0, ram): riscv_virt_board.ram\n",
			       0x80000000ull,
			       (unsigned long long)(0x80000000ull + ram - 1));
	}
}

void hmp_info_qtree(struct monitor *mon, const char *args)
{
	const struct monitor_machine_ops *ops = monitor_state.ops;
	unsigned harts = ops->nr_harts(monitor_state.opaque);
	uint64_t size;
	const char *name;
	gpa_t base;

	monitor_printf(mon, "bus: main-system-bus\n  type System\n");
	for (unsigned h = 0; h < harts; h++) {
		monitor_printf(mon, "  dev: riscv-hart, id \"hart%u\"\n", h);
	}
	for (unsigned i = 0;
	     ops->device_at(monitor_state.opaque, i, &name, &base, &size);
	     i++) {
		monitor_printf(mon, "  dev: %s, id \"\"\n", name);
		if (size) {
			monitor_printf(
				mon, "    mmio %016" PRIx64 "/%016" PRIx64 "\n",
				base, size);
		}
	}
}

/* ---- expressions ---------------------------------------------------- */

#define HMP_MAX_DEPTH 64

struct hmp_parser {
	const char *p;
	unsigned hart;
	unsigned depth;
	struct error **errp;
	bool failed;
};

static uint64_t hmp_expr_or(struct hmp_parser *ps);
static uint64_t hmp_unary(struct hmp_parser *ps);

static void hmp_skip_ws(struct hmp_parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t') {
		ps->p++;
	}
}

static void hmp_parse_fail(struct hmp_parser *ps, const char *what)
{
	if (!ps->failed) {
		error_setg(ps->errp, "%s", what);
		ps->failed = true;
	}
}

static uint64_t hmp_primary(struct hmp_parser *ps)
{
	uint64_t v = 0;

	hmp_skip_ws(ps);
	if (*ps->p == '(') {
		ps->p++;
		v = hmp_expr_or(ps);
		hmp_skip_ws(ps);
		if (*ps->p != ')') {
			hmp_parse_fail(ps, "')' expected");
		} else {
			ps->p++;
		}
	} else if (*ps->p == '$') {
		char name[32];
		size_t n = 0;

		ps->p++;
		while ((isalnum((unsigned char)*ps->p) || *ps->p == '_') &&
		       n < sizeof(name) - 1) {
			name[n++] = *ps->p++;
		}
		name[n] = '\0';
		if (!hmp_read_register(ps->hart, name, &v)) {
			error_setg(ps->errp, "unknown register '%s'", name);
			ps->failed = true;
		}
	} else if (isdigit((unsigned char)*ps->p)) {
		char *end;

		v = strtoull(ps->p, &end, 0);
		ps->p = end;
	} else {
		hmp_parse_fail(ps, "invalid char in expression");
	}
	return v;
}

static uint64_t hmp_unary_inner(struct hmp_parser *ps)
{
	hmp_skip_ws(ps);
	switch (*ps->p) {
	case '-':
		ps->p++;
		return -hmp_unary(ps);
	case '~':
		ps->p++;
		return ~hmp_unary(ps);
	case '+':
		ps->p++;
		return hmp_unary(ps);
	default:
		return hmp_primary(ps);
	}
}

/* Every nesting (parentheses, unary operators) passes here: bound it, so
 * that no input runs the stack out. */
static uint64_t hmp_unary(struct hmp_parser *ps)
{
	uint64_t v;

	if (ps->depth >= HMP_MAX_DEPTH) {
		hmp_parse_fail(ps, "expression too deeply nested");
		return 0;
	}
	ps->depth++;
	v = hmp_unary_inner(ps);
	ps->depth--;
	return v;
}

static uint64_t hmp_mul(struct hmp_parser *ps)
{
	uint64_t v = hmp_unary(ps);

	for (;;) {
		char op;
		uint64_t r;

		hmp_skip_ws(ps);
		op = *ps->p;
		if (op != '*' && op != '/' && op != '%') {
			return v;
		}
		ps->p++;
		r = hmp_unary(ps);
		if (op == '*') {
			v *= r;
		} else if (!r) {
			hmp_parse_fail(ps, "division by zero");
			return 0;
		} else {
			v = op == '/' ? v / r : v % r;
		}
	}
}

static uint64_t hmp_add(struct hmp_parser *ps)
{
	uint64_t v = hmp_mul(ps);

	for (;;) {
		hmp_skip_ws(ps);
		if (*ps->p == '+') {
			ps->p++;
			v += hmp_mul(ps);
		} else if (*ps->p == '-') {
			ps->p++;
			v -= hmp_mul(ps);
		} else {
			return v;
		}
	}
}

static uint64_t hmp_shift(struct hmp_parser *ps)
{
	uint64_t v = hmp_add(ps);

	for (;;) {
		bool left;
		uint64_t r;

		hmp_skip_ws(ps);
		if (strncmp(ps->p, "<<", 2) && strncmp(ps->p, ">>", 2)) {
			return v;
		}
		left = *ps->p == '<';
		ps->p += 2;
		r = hmp_add(ps) & 63;
		v = left ? v << r : v >> r;
	}
}

static uint64_t hmp_bitwise(struct hmp_parser *ps, int level)
{
	static const char ops[] = "|^&";
	uint64_t v = level == 2 ? hmp_shift(ps) : hmp_bitwise(ps, level + 1);

	for (;;) {
		uint64_t r;

		hmp_skip_ws(ps);
		if (*ps->p != ops[level] || ps->p[1] == ops[level]) {
			return v;
		}
		ps->p++;
		r = level == 2 ? hmp_shift(ps) : hmp_bitwise(ps, level + 1);
		v = level == 0 ? v | r : level == 1 ? v ^ r : v & r;
	}
}

static uint64_t hmp_expr_or(struct hmp_parser *ps)
{
	return hmp_bitwise(ps, 0);
}

bool hmp_eval(const char *expr, unsigned hart, uint64_t *value,
	      struct error **errp)
{
	struct hmp_parser ps = { .p = expr, .hart = hart, .errp = errp };

	*value = hmp_expr_or(&ps);
	hmp_skip_ws(&ps);
	if (!ps.failed && *ps.p) {
		hmp_parse_fail(&ps, "junk at end of expression");
	}
	if (!ps.failed && !*expr) {
		hmp_parse_fail(&ps, "expression expected");
	}
	return !ps.failed;
}

/* ---- memory dumps and print ----------------------------------------- */

struct hmp_format {
	unsigned count;
	char format; /* x d u o c */
	unsigned size; /* 1 2 4 8 */
};

/* Parse "/[count][format][size]" at the start of args; returns the rest. */
static const char *hmp_parse_format(struct monitor *mon, const char *args,
				    struct hmp_format *f, bool *ok)
{
	*ok = true;
	if (*args != '/') {
		return args;
	}
	args++;
	if (isdigit((unsigned char)*args)) {
		f->count = strtoul(args, (char **)&args, 10);
	}
	for (; *args && *args != ' ' && *args != '\t'; args++) {
		switch (*args) {
		case 'x':
		case 'd':
		case 'u':
		case 'o':
		case 'c':
		case 'i':
			f->format = *args;
			break;
		case 'b':
			f->size = 1;
			break;
		case 'h':
			f->size = 2;
			break;
		case 'w':
			f->size = 4;
			break;
		case 'g':
			f->size = 8;
			break;
		default:
			monitor_printf(mon, "invalid char in format: '%c'\n",
				       *args);
			*ok = false;
			return args;
		}
	}
	return args + strspn(args, " \t");
}

static void hmp_print_value(struct monitor *mon, char format, unsigned size,
			    uint64_t v)
{
	int bits = size * 8;
	int64_t sv = bits == 64 ? (int64_t)v :
				  (int64_t)(v << (64 - bits)) >> (64 - bits);

	switch (format) {
	case 'd':
		monitor_printf(mon, "%" PRId64, sv);
		break;
	case 'u':
		monitor_printf(mon, "%" PRIu64, v);
		break;
	case 'o':
		monitor_printf(mon, "%#" PRIo64, v);
		break;
	case 'c':
		if (isprint((int)(v & 0xff))) {
			monitor_printf(mon, "'%c'", (int)(v & 0xff));
		} else {
			monitor_printf(mon, "'\\x%02x'", (unsigned)(v & 0xff));
		}
		break;
	default:
		monitor_printf(mon, "0x%0*" PRIx64, (int)size * 2, v);
	}
}

/* Sv39/Sv48/Sv57 walk of the hart's page table, for x. */
static bool hmp_translate(unsigned hart, gva_t va, gpa_t *pa)
{
	struct riscv_cpu *cpu = hmp_cpu(hart);
	uint64_t satp = 0, pte, table;
	int levels;

	if (!cpu || riscv_cpu_get_priv(cpu) == RISCV_PRIV_M ||
	    !riscv_cpu_read_csr(cpu, 0x180, &satp) || !(satp >> 60)) {
		*pa = va;
		return true;
	}
	levels = (satp >> 60) == 8 ? 3 : (satp >> 60) == 9 ? 4 : 5;
	table = (satp & ((1ull << 44) - 1)) << 12;
	for (int i = levels - 1; i >= 0; i--) {
		unsigned shift = 12 + 9 * i;
		uint64_t mask = (1ull << shift) - 1;

		if (!monitor_state.ops->read_phys(
			    monitor_state.opaque,
			    table + ((va >> shift) & 0x1ff) * 8, &pte, 8) ||
		    !(pte & 1)) {
			return false;
		}
		table = ((pte >> 10) & ((1ull << 44) - 1)) << 12;
		if (pte & 0xa) { /* R or X: a leaf */
			*pa = (table & ~mask) | (va & mask);
			return true;
		}
	}
	return false;
}

/* Read len bytes at a guest address (virtual unless physical). */
static bool hmp_read_guest(struct monitor *mon, uint64_t addr, void *buf,
			   size_t len, bool physical)
{
	gpa_t pa = addr;

	if (!physical && !hmp_translate(mon->cpu, addr, &pa)) {
		return false;
	}
	return monitor_state.ops->read_phys(monitor_state.opaque, pa, buf, len);
}

/* x/Ni: one instruction a line, objdump's spelling. */
static void hmp_disassemble(struct monitor *mon, uint64_t addr, unsigned count,
			    bool physical)
{
	for (unsigned i = 0; i < count && i < HMP_MAX_DUMP / 4; i++) {
		uint32_t raw = 0;
		struct riscv_insn insn;
		unsigned len;
		char text[128];

		if (!hmp_read_guest(mon, addr, &raw, 2, physical) ||
		    ((len = riscv_insn_length(raw)) == 4 &&
		     !hmp_read_guest(mon, addr + 2, (uint8_t *)&raw + 2, 2,
				     physical))) {
			monitor_printf(mon, "Cannot access memory\n");
			return;
		}
		riscv_decode(raw, &insn);
		riscv_disas(&insn, addr, text, sizeof(text));
		monitor_printf(mon, "0x%016" PRIx64 ":  %0*x  %s\n", addr,
			       len * 2, raw, text);
		addr += len;
	}
}

static void hmp_memory_dump(struct monitor *mon, const char *args,
			    bool physical)
{
	struct hmp_format f = { 1, 'x', 4 };
	struct error *err = NULL;
	uint64_t addr;
	bool ok;

	args = hmp_parse_format(mon, args, &f, &ok);
	if (!ok) {
		return;
	}
	if (f.format == 'c') {
		f.size = 1;
	}
	if (!hmp_eval(args, mon->cpu, &addr, &err)) {
		monitor_printf(mon, "%s\n", error_get_message(err));
		error_free(err);
		return;
	}
	if (f.format == 'i') {
		hmp_disassemble(mon, addr, f.count, physical);
		return;
	}
	if ((uint64_t)f.count * f.size > HMP_MAX_DUMP) {
		f.count = HMP_MAX_DUMP / f.size;
	}
	for (unsigned i = 0; i < f.count; i++) {
		uint64_t a = addr + (uint64_t)i * f.size, v = 0;

		if (i % (16 / f.size) == 0) {
			monitor_printf(mon, "%s%016" PRIx64 ":", i ? "\n" : "",
				       a);
		}
		if (!hmp_read_guest(mon, a, &v, f.size, physical)) {
			monitor_printf(mon, "\nCannot access memory\n");
			return;
		}
		monitor_printf(mon, " ");
		hmp_print_value(mon, f.format, f.size, v);
	}
	monitor_printf(mon, "\n");
}

void hmp_x(struct monitor *mon, const char *args)
{
	hmp_memory_dump(mon, args, false);
}

void hmp_xp(struct monitor *mon, const char *args)
{
	hmp_memory_dump(mon, args, true);
}

void hmp_print(struct monitor *mon, const char *args)
{
	/* Signed decimal unless told, as QEMU's print. */
	struct hmp_format f = { 1, 'd', 8 };
	struct error *err = NULL;
	uint64_t v;
	bool ok;

	args = hmp_parse_format(mon, args, &f, &ok);
	if (!ok) {
		return;
	}
	if (!hmp_eval(args, mon->cpu, &v, &err)) {
		monitor_printf(mon, "%s\n", error_get_message(err));
		error_free(err);
		return;
	}
	if (f.format == 'x') {
		monitor_printf(mon, "%#" PRIx64 "\n", v);
	} else {
		hmp_print_value(mon, f.format, 8, v);
		monitor_printf(mon, "\n");
	}
}

void hmp_cpu_select(struct monitor *mon, const char *args)
{
	struct error *err = NULL;
	uint64_t index;

	if (!hmp_eval(args, mon->cpu, &index, &err)) {
		monitor_printf(mon, "%s\n", error_get_message(err));
		error_free(err);
		return;
	}
	if (index >= monitor_state.ops->nr_harts(monitor_state.opaque)) {
		monitor_printf(mon, "invalid CPU index\n");
		return;
	}
	mon->cpu = index;
}
