/* SPDX-License-Identifier: MIT */
/* The hart as gdb sees it: register numbers, values and target.xml. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "target/riscv/cpu-internal.h"
#include "target/riscv/gdb.h"

/* gdb's riscv numbering: x0..x31, pc, f0..f31, then CSR n at 65 + n. */
#define GDB_REG_PC 32
#define GDB_REG_F0 33
#define GDB_REG_CSR0 65
#define GDB_REG_PRIV (GDB_REG_CSR0 + 4096)

struct gdb_csr {
	const char *name;
	unsigned number;
};

/* The CSRs a kernel debugger wants; fflags/frm/fcsr are in the fpu. */
static const struct gdb_csr system_csrs[] = {
	{ "sstatus", CSR_SSTATUS },
	{ "sie", CSR_SIE },
	{ "stvec", CSR_STVEC },
	{ "scounteren", CSR_SCOUNTEREN },
	{ "sscratch", CSR_SSCRATCH },
	{ "sepc", CSR_SEPC },
	{ "scause", CSR_SCAUSE },
	{ "stval", CSR_STVAL },
	{ "sip", CSR_SIP },
	{ "satp", CSR_SATP },
	{ "mstatus", CSR_MSTATUS },
	{ "misa", CSR_MISA },
	{ "medeleg", CSR_MEDELEG },
	{ "mideleg", CSR_MIDELEG },
	{ "mie", CSR_MIE },
	{ "mtvec", CSR_MTVEC },
	{ "mcounteren", CSR_MCOUNTEREN },
	{ "mscratch", CSR_MSCRATCH },
	{ "mepc", CSR_MEPC },
	{ "mcause", CSR_MCAUSE },
	{ "mtval", CSR_MTVAL },
	{ "mip", CSR_MIP },
	{ "mhartid", CSR_MHARTID },
	{ "cycle", CSR_CYCLE },
	{ "time", CSR_TIME },
	{ "instret", CSR_INSTRET },
};

static void put_le(uint8_t *buf, uint64_t val, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		buf[i] = val >> (8 * i);
	}
}

static uint64_t get_le(const uint8_t *buf, size_t size)
{
	uint64_t val = 0;

	for (size_t i = 0; i < size; i++) {
		val |= (uint64_t)buf[i] << (8 * i);
	}
	return val;
}

/* The size of register regno in bytes, 0 if it does not exist. */
static size_t gdb_reg_size(struct riscv_cpu *cpu, unsigned regno)
{
	uint64_t val;

	if (regno <= GDB_REG_PC || (regno >= GDB_REG_F0 && regno < 65)) {
		return 8;
	}
	if (regno >= GDB_REG_CSR0 + CSR_FFLAGS &&
	    regno <= GDB_REG_CSR0 + CSR_FCSR) {
		return 4;
	}
	if (regno == GDB_REG_PRIV) {
		return cpu->mode == RISCV_CPU_SYSTEM ? 8 : 0;
	}
	if (regno > GDB_REG_CSR0 && regno < GDB_REG_PRIV &&
	    cpu->mode == RISCV_CPU_SYSTEM &&
	    riscv_csr_read_raw(cpu, regno - GDB_REG_CSR0, &val)) {
		return 8;
	}
	return 0;
}

size_t riscv_gdb_read_register(struct riscv_cpu *cpu, unsigned regno,
			       uint8_t *buf)
{
	size_t size = gdb_reg_size(cpu, regno);
	uint64_t val = 0;

	if (!size) {
		return 0;
	}
	if (regno < 32) {
		val = cpu->x[regno];
	} else if (regno == GDB_REG_PC) {
		val = cpu->pc;
	} else if (regno < GDB_REG_CSR0) {
		val = cpu->f[regno - GDB_REG_F0];
	} else if (regno == GDB_REG_PRIV) {
		val = cpu->priv;
	} else {
		riscv_csr_read_raw(cpu, regno - GDB_REG_CSR0, &val);
	}
	put_le(buf, val, size);
	return size;
}

bool riscv_gdb_write_register(struct riscv_cpu *cpu, unsigned regno,
			      const uint8_t *buf, size_t len)
{
	size_t size = gdb_reg_size(cpu, regno);
	uint64_t val;

	if (!size || len != size) {
		return false;
	}
	val = get_le(buf, size);
	if (regno < 32) {
		riscv_cpu_set_x(cpu, regno, val);
	} else if (regno == GDB_REG_PC) {
		cpu->pc = val;
	} else if (regno < GDB_REG_CSR0) {
		cpu->f[regno - GDB_REG_F0] = val;
	} else if (regno == GDB_REG_PRIV) {
		if (val != RISCV_PRIV_U && val != RISCV_PRIV_S &&
		    val != RISCV_PRIV_M) {
			return false;
		}
		riscv_set_priv(cpu, val);
	} else {
		return riscv_csr_write_raw(cpu, regno - GDB_REG_CSR0, val);
	}
	return true;
}

/* Append printf output to buf[*len..size); truncation is caught later. */
__attribute__((format(printf, 4, 5))) static void
xml_add(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size) {
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	*len += n > 0 ? (size_t)n : 0;
}

static void xml_reg(char *buf, size_t size, size_t *len, const char *name,
		    unsigned bits, const char *type, unsigned regno)
{
	xml_add(buf, size, len,
		"<reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%u\"/>\n",
		name, bits, type, regno);
}

static void xml_cpu_fpu(char *buf, size_t size, size_t *len)
{
	xml_add(buf, size, len, "<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
	for (unsigned i = 0; i < 32; i++) {
		const char *type = i == 1	      ? "code_ptr" :
				   (i >= 2 && i <= 4) ? "data_ptr" :
							"int";

		xml_reg(buf, size, len, riscv_xreg_names[i], 64, type, i);
	}
	xml_reg(buf, size, len, "pc", 64, "code_ptr", GDB_REG_PC);
	xml_add(buf, size, len,
		"</feature>\n<feature name=\"org.gnu.gdb.riscv.fpu\">\n"
		"<union id=\"riscv_double\">"
		"<field name=\"float\" type=\"ieee_single\"/>"
		"<field name=\"double\" type=\"ieee_double\"/></union>\n");
	for (unsigned i = 0; i < 32; i++) {
		xml_reg(buf, size, len, riscv_freg_names[i], 64, "riscv_double",
			GDB_REG_F0 + i);
	}
	xml_reg(buf, size, len, "fflags", 32, "int", GDB_REG_CSR0 + CSR_FFLAGS);
	xml_reg(buf, size, len, "frm", 32, "int", GDB_REG_CSR0 + CSR_FRM);
	xml_reg(buf, size, len, "fcsr", 32, "int", GDB_REG_CSR0 + CSR_FCSR);
	xml_add(buf, size, len, "</feature>\n");
}

static void xml_system(char *buf, size_t size, size_t *len)
{
	xml_add(buf, size, len, "<feature name=\"org.gnu.gdb.riscv.csr\">\n");
	for (size_t i = 0; i < ARRAY_SIZE(system_csrs); i++) {
		xml_reg(buf, size, len, system_csrs[i].name, 64, "int",
			GDB_REG_CSR0 + system_csrs[i].number);
	}
	xml_add(buf, size, len,
		"</feature>\n<feature name=\"org.gnu.gdb.riscv.virtual\">\n");
	xml_reg(buf, size, len, "priv", 64, "int", GDB_REG_PRIV);
	xml_add(buf, size, len, "</feature>\n");
}

static void xml_build(char *buf, size_t size, bool system)
{
	size_t len = 0;

	xml_add(buf, size, &len,
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
		"<target version=\"1.0\">\n"
		"<architecture>riscv:rv64</architecture>\n");
	xml_cpu_fpu(buf, size, &len);
	if (system) {
		xml_system(buf, size, &len);
	}
	xml_add(buf, size, &len, "</target>\n");
}

static char target_xml[2][12288];

static void xml_build_both(void)
{
	xml_build(target_xml[0], sizeof(target_xml[0]), false);
	xml_build(target_xml[1], sizeof(target_xml[1]), true);
}

const char *riscv_gdb_target_xml(const char *annex, bool system)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	if (strcmp(annex, "target.xml")) {
		return NULL;
	}
	pthread_once(&once, xml_build_both);
	return target_xml[system];
}

static bool gdb_point(enum gdb_point_type type, uint64_t addr, uint64_t kind,
		      bool insert)
{
	enum riscv_debug_point point;

	switch (type) {
	case GDB_POINT_SW_BREAK:
	case GDB_POINT_HW_BREAK:
		point = RISCV_DEBUG_BREAKPOINT;
		break;
	case GDB_POINT_WATCH_WRITE:
		point = RISCV_DEBUG_WATCH_WRITE;
		break;
	default:
		return false; /* read and access watchpoints: not yet */
	}
	return insert ? riscv_debug_insert(point, addr, kind) :
			riscv_debug_remove(point, addr, kind);
}

bool riscv_gdb_insert_point(void *opaque, enum gdb_point_type type,
			    uint64_t addr, uint64_t kind)
{
	return gdb_point(type, addr, kind, true);
}

bool riscv_gdb_remove_point(void *opaque, enum gdb_point_type type,
			    uint64_t addr, uint64_t kind)
{
	return gdb_point(type, addr, kind, false);
}

void riscv_gdb_remove_all_points(void *opaque)
{
	riscv_debug_remove_all();
}

void riscv_gdb_stop_reason(struct riscv_cpu *cpu, int tid,
			   struct gdb_stop *stop)
{
	gva_t addr;

	memset(stop, 0, sizeof(*stop));
	stop->tid = tid;
	stop->signal = GDB_SIGNAL_TRAP;
	if (riscv_cpu_debug_stop_reason(cpu, &addr) == RISCV_DEBUG_STOP_WATCH) {
		stop->kind = GDB_STOP_WATCH;
		stop->addr = addr;
	}
}
