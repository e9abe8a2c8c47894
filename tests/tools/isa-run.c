/* SPDX-License-Identifier: MIT */
/* isa-run: a minimal harness that runs one riscv64 ELF on the interpreter:
 * bare-metal (RAM, test finisher, CLINT, UART) or, with --user, as a
 * static Linux program that may only write(2) and exit(2). */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "target/riscv/cpu.h"
#include "util/error.h"
#include "util/log.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (256ull << 20)
#define FINISHER 0x100000ull
#define CLINT 0x2000000ull
#define UART 0x10000000ull

/* User mode: one flat region for the program and one for the stack. */
#define USER_STACK_TOP 0x7ffff000ull
#define USER_STACK_SIZE (8ull << 20)

struct region {
	uint64_t base, size;
	uint8_t *host;
};

struct machine {
	struct region regions[2];
	unsigned nregions;
	struct riscv_cpu *cpu;
	bool finished;
	int status;
	uint64_t mtime_base;
	bool user;
	int exit_code;
	bool stats;
};

static uint64_t host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t bus_time(void *opaque)
{
	struct machine *m = opaque;

	return (host_ns() - m->mtime_base) / 100;
}

static void *bus_ram_page(void *opaque, gpa_t page, enum riscv_access access)
{
	struct machine *m = opaque;

	for (unsigned i = 0; i < m->nregions; i++) {
		struct region *r = &m->regions[i];

		if (page >= r->base && page - r->base < r->size) {
			return r->host + (page - r->base);
		}
	}
	return NULL;
}

static bool bus_io_read(void *opaque, gpa_t addr, unsigned size, uint64_t *val)
{
	struct machine *m = opaque;

	*val = 0;
	if (m->user) {
		return false;
	}
	if (addr >= CLINT && addr < CLINT + 0x10000) {
		uint64_t off = addr - CLINT, v = 0;

		if (off == 0x4000 || off == 0x4004) {
			v = riscv_cpu_get_mtimecmp(m->cpu);
		} else if (off == 0xbff8 || off == 0xbffc) {
			v = bus_time(m);
		}
		*val = (off & 4) ? v >> 32 : v;
		if (size < 8) {
			*val &= (1ull << (size * 8)) - 1;
		}
		return true;
	}
	if (addr >= UART && addr < UART + 8) {
		*val = addr - UART == 5 ? 0x60 : 0;
		return true;
	}
	return addr >= FINISHER && addr < FINISHER + 0x1000;
}

static void clint_write(struct machine *m, uint64_t off, unsigned size,
			uint64_t val)
{
	uint64_t cmp = riscv_cpu_get_mtimecmp(m->cpu);

	if (off == 0) {
		riscv_cpu_set_irq(m->cpu, RISCV_MIP_MSIP, val & 1);
	} else if (off == 0x4000 && size == 8) {
		riscv_cpu_set_mtimecmp(m->cpu, val);
	} else if (off == 0x4000) {
		riscv_cpu_set_mtimecmp(m->cpu,
				       (cmp & ~0xffffffffull) | (uint32_t)val);
	} else if (off == 0x4004) {
		riscv_cpu_set_mtimecmp(m->cpu,
				       (cmp & 0xffffffffull) | (val << 32));
	}
}

static bool bus_io_write(void *opaque, gpa_t addr, unsigned size, uint64_t val)
{
	struct machine *m = opaque;

	if (m->user) {
		return false;
	}
	if (addr == FINISHER) {
		m->finished = true;
		m->status = val;
		riscv_cpu_request_exit(m->cpu);
		return true;
	}
	if (addr >= CLINT && addr < CLINT + 0x10000) {
		clint_write(m, addr - CLINT, size, val);
		return true;
	}
	if (addr == UART) {
		putchar((int)(val & 0xff));
		fflush(stdout);
		return true;
	}
	return (addr >= UART && addr < UART + 8) ||
	       (addr > FINISHER && addr < FINISHER + 0x1000);
}

static const struct riscv_bus_ops bus_ops = {
	.ram_page = bus_ram_page,
	.io_read = bus_io_read,
	.io_write = bus_io_write,
	.time = bus_time,
};

static bool add_region(struct machine *m, uint64_t base, uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		return false;
	}
	m->regions[m->nregions++] = (struct region){ base, size, p };
	return true;
}

static uint8_t *guest_ptr(struct machine *m, uint64_t addr, uint64_t len)
{
	for (unsigned i = 0; i < m->nregions; i++) {
		struct region *r = &m->regions[i];

		if (addr >= r->base && addr - r->base + len <= r->size) {
			return r->host + (addr - r->base);
		}
	}
	return NULL;
}

/* Load PT_LOAD segments; in user mode first create the region they need. */
static bool load_elf(struct machine *m, const char *path, uint64_t *entry,
		     struct error **errp)
{
	FILE *f = fopen(path, "rb");
	Elf64_Ehdr eh;
	Elf64_Phdr ph[32];
	uint64_t lo = UINT64_MAX, hi = 0;

	if (!f) {
		error_setg_errno(errp, errno, "cannot open %s", path);
		return false;
	}
	if (fread(&eh, sizeof(eh), 1, f) != 1 ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_machine != EM_RISCV ||
	    eh.e_phnum > 32 || fseek(f, eh.e_phoff, SEEK_SET) ||
	    fread(ph, sizeof(ph[0]), eh.e_phnum, f) != eh.e_phnum) {
		error_setg(errp, "%s: not a riscv64 ELF", path);
		fclose(f);
		return false;
	}
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD) {
			lo = MIN(lo, ph[i].p_vaddr & ~0xfffull);
			hi = MAX(hi, ph[i].p_vaddr + ph[i].p_memsz);
		}
	}
	if (m->user && lo < hi &&
	    !add_region(m, lo, ((hi - lo + 0xfff) & ~0xfffull) + (16 << 20))) {
		error_setg(errp, "out of memory");
		fclose(f);
		return false;
	}
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		uint8_t *dst;

		if (ph[i].p_type != PT_LOAD) {
			continue;
		}
		dst = guest_ptr(m, ph[i].p_vaddr, ph[i].p_memsz);
		if (!dst || fseek(f, ph[i].p_offset, SEEK_SET) ||
		    fread(dst, 1, ph[i].p_filesz, f) != ph[i].p_filesz) {
			error_setg(errp,
				   "%s: segment at 0x%" PRIx64 " does not fit",
				   path, ph[i].p_vaddr);
			fclose(f);
			return false;
		}
	}
	fclose(f);
	*entry = eh.e_entry;
	return true;
}

/* write(2) and exit(2); everything else fails with ENOSYS. */
static bool user_syscall(struct machine *m)
{
	struct riscv_cpu *cpu = m->cpu;
	uint64_t nr = riscv_cpu_get_x(cpu, 17), a0 = riscv_cpu_get_x(cpu, 10);
	uint64_t a1 = riscv_cpu_get_x(cpu, 11), a2 = riscv_cpu_get_x(cpu, 12);
	int64_t ret = -ENOSYS;
	uint8_t *p;

	switch (nr) {
	case 64: /* write */
		p = guest_ptr(m, a1, a2);
		ret = p ? write(a0, p, a2) : -EFAULT;
		if (ret < 0 && p) {
			ret = -errno;
		}
		break;
	case 93: /* exit */
	case 94: /* exit_group */
		m->exit_code = a0 & 0xff;
		return false;
	}
	riscv_cpu_set_x(cpu, 10, ret);
	riscv_cpu_set_pc(cpu, riscv_cpu_get_pc(cpu) + 4);
	return true;
}

static int run_user(struct machine *m, uint64_t max_insns)
{
	uint64_t done = 0;

	while (done < max_insns) {
		uint64_t before = riscv_cpu_get_instret(m->cpu);
		enum riscv_exit why = riscv_cpu_run(m->cpu, max_insns - done);

		done += riscv_cpu_get_instret(m->cpu) - before;
		if (why == RISCV_EXIT_ECALL) {
			if (!user_syscall(m)) {
				return m->exit_code;
			}
		} else if (why == RISCV_EXIT_EXCEPTION) {
			fprintf(stderr,
				"isa-run: exception %u (tval 0x%" PRIx64
				") at pc 0x%" PRIx64 "\n",
				riscv_cpu_exit_cause(m->cpu),
				riscv_cpu_exit_tval(m->cpu),
				riscv_cpu_get_pc(m->cpu));
			return 3;
		}
	}
	fprintf(stderr, "isa-run: timeout after %" PRIu64 " instructions\n",
		done);
	return 2;
}

static void wfi_sleep(struct machine *m)
{
	uint64_t deadline = riscv_cpu_timer_deadline(m->cpu);

	while (!riscv_cpu_wfi_wakeup(m->cpu)) {
		uint64_t now = bus_time(m);
		struct timespec ts = { 0, 100000 };

		if (deadline != UINT64_MAX && now >= deadline) {
			break;
		}
		if (deadline != UINT64_MAX && (deadline - now) * 100 < 100000) {
			ts.tv_nsec = (deadline - now) * 100;
		}
		nanosleep(&ts, NULL);
		if (deadline == UINT64_MAX) {
			break;
		}
	}
}

static int run_system(struct machine *m, uint64_t max_insns)
{
	uint64_t done = 0;

	while (done < max_insns && !m->finished) {
		uint64_t before = riscv_cpu_get_instret(m->cpu);
		enum riscv_exit why = riscv_cpu_run(
			m->cpu, MIN(max_insns - done, (uint64_t)1 << 20));

		done += riscv_cpu_get_instret(m->cpu) - before;
		if (why == RISCV_EXIT_WFI) {
			wfi_sleep(m);
			done += 64; /* idle time counts against the budget */
		}
	}
	if (!m->finished) {
		fprintf(stderr,
			"isa-run: timeout after %" PRIu64
			" instructions (pc 0x%" PRIx64 ")\n",
			done, riscv_cpu_get_pc(m->cpu));
		return 2;
	}
	if ((m->status & 0xffff) == 0x5555) {
		return 0;
	}
	if ((m->status & 0xffff) == 0x3333) {
		fprintf(stderr, "isa-run: FAIL: test %d\n", m->status >> 16);
		return 1;
	}
	fprintf(stderr, "isa-run: finisher wrote 0x%x\n", m->status);
	return 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: isa-run [--user] [--stats] [--max-insns N] "
			"[--accel interp|jit] [-d LOG] program.elf\n"
			"(MIMIC_ACCEL sets the default engine)\n");
	exit(1);
}

int main(int argc, char **argv)
{
	struct machine m = { 0 };
	uint64_t max_insns = 200000000, entry;
	struct error *err = NULL;
	const char *path = NULL;
	int status;

	error_set_progname("isa-run");
	if (getenv("MIMIC_ACCEL") && *getenv("MIMIC_ACCEL") &&
	    !riscv_engine_select(getenv("MIMIC_ACCEL"), &err)) {
		error_report_err(err);
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--user")) {
			m.user = true;
		} else if (!strcmp(argv[i], "--stats")) {
			m.stats = true;
		} else if (!strcmp(argv[i], "--max-insns") && i + 1 < argc) {
			max_insns = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--accel") && i + 1 < argc) {
			if (!riscv_engine_select(argv[++i], &err)) {
				error_report_err(err);
				return 1;
			}
		} else if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			if (!log_set_categories(argv[++i], &err)) {
				error_report_err(err);
				return 1;
			}
		} else if (argv[i][0] != '-' && !path) {
			path = argv[i];
		} else {
			usage();
		}
	}
	if (!path) {
		usage();
	}
	m.mtime_base = host_ns();
	if (!m.user && !add_region(&m, RAM_BASE, RAM_SIZE)) {
		error_report("out of memory");
		return 1;
	}
	if (m.user && !add_region(&m, USER_STACK_TOP - USER_STACK_SIZE,
				  USER_STACK_SIZE)) {
		error_report("out of memory");
		return 1;
	}
	if (!load_elf(&m, path, &entry, &err)) {
		error_report_err(err);
		return 1;
	}
	m.cpu = riscv_cpu_new(m.user ? RISCV_CPU_USER : RISCV_CPU_SYSTEM, 0,
			      &bus_ops, &m);
	if (!m.cpu) {
		error_report("out of memory");
		return 1;
	}
	riscv_cpu_reset(m.cpu, entry);
	if (m.user) {
		/* argc = 0, argv and envp empty, auxv AT_NULL */
		riscv_cpu_set_x(m.cpu, 2, USER_STACK_TOP - 64);
		status = run_user(&m, max_insns);
	} else {
		riscv_cpu_set_x(m.cpu, 10, 0);
		status = run_system(&m, max_insns);
	}
	if (m.stats) {
		fprintf(stderr, "isa-run: %" PRIu64 " instructions retired\n",
			riscv_cpu_get_instret(m.cpu));
	}
	riscv_cpu_free(m.cpu);
	return status;
}
