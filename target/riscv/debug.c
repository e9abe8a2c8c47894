/* SPDX-License-Identifier: MIT */
/* Debugger support: breakpoints, write watchpoints, single-step and
 * side-effect-free memory access for the gdb stub. */
#include <pthread.h>

#include "target/riscv/cpu-internal.h"

#define DEBUG_MAX_BREAKPOINTS 64
#define DEBUG_MAX_WATCHPOINTS 8

struct debug_watch {
	gva_t addr;
	unsigned len;
	bool armed; /* old holds the value the hart compares with */
	uint8_t old[8];
};

/* Changed only while every hart is stopped; the watch values under
 * watch_lock, since harts on several threads compare them. */
static gva_t breakpoints[DEBUG_MAX_BREAKPOINTS];
static unsigned nr_breakpoints;
static struct debug_watch watches[DEBUG_MAX_WATCHPOINTS];
static unsigned nr_watches;
static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
int riscv_debug_nr_points;

static void debug_count_points(void)
{
	__atomic_store_n(&riscv_debug_nr_points, nr_breakpoints + nr_watches,
			 __ATOMIC_SEQ_CST);
}

static int debug_find(enum riscv_debug_point type, gva_t addr, uint64_t len)
{
	if (type == RISCV_DEBUG_BREAKPOINT) {
		for (unsigned i = 0; i < nr_breakpoints; i++) {
			if (breakpoints[i] == addr) {
				return i;
			}
		}
		return -1;
	}
	for (unsigned i = 0; i < nr_watches; i++) {
		if (watches[i].addr == addr && watches[i].len == len) {
			return i;
		}
	}
	return -1;
}

bool riscv_debug_insert(enum riscv_debug_point type, gva_t addr, uint64_t len)
{
	if (debug_find(type, addr, len) >= 0) {
		return true;
	}
	if (type == RISCV_DEBUG_BREAKPOINT) {
		if (nr_breakpoints == DEBUG_MAX_BREAKPOINTS) {
			return false;
		}
		breakpoints[nr_breakpoints++] = addr;
	} else {
		if (len < 1 || len > 8 || nr_watches == DEBUG_MAX_WATCHPOINTS) {
			return false;
		}
		pthread_mutex_lock(&watch_lock);
		watches[nr_watches++] =
			(struct debug_watch){ .addr = addr, .len = len };
		pthread_mutex_unlock(&watch_lock);
	}
	debug_count_points();
	return true;
}

bool riscv_debug_remove(enum riscv_debug_point type, gva_t addr, uint64_t len)
{
	int i = debug_find(type, addr, len);

	if (i < 0) {
		return false;
	}
	if (type == RISCV_DEBUG_BREAKPOINT) {
		breakpoints[i] = breakpoints[--nr_breakpoints];
	} else {
		pthread_mutex_lock(&watch_lock);
		watches[i] = watches[--nr_watches];
		pthread_mutex_unlock(&watch_lock);
	}
	debug_count_points();
	return true;
}

void riscv_debug_remove_all(void)
{
	pthread_mutex_lock(&watch_lock);
	nr_breakpoints = 0;
	nr_watches = 0;
	pthread_mutex_unlock(&watch_lock);
	debug_count_points();
}

void riscv_debug_rearm(void)
{
	pthread_mutex_lock(&watch_lock);
	for (unsigned i = 0; i < nr_watches; i++) {
		watches[i].armed = false;
	}
	pthread_mutex_unlock(&watch_lock);
}

void riscv_cpu_debug_step(struct riscv_cpu *cpu, bool on)
{
	cpu->debug_step = on;
	cpu->debug_step_done = false;
}

enum riscv_debug_stop riscv_cpu_debug_stop_reason(const struct riscv_cpu *cpu,
						  gva_t *addr)
{
	*addr = cpu->debug_addr;
	return cpu->debug_stop;
}

/* Did a watched value change since it was armed? Arms the others. */
static bool debug_watch_hit(struct riscv_cpu *cpu)
{
	bool hit = false;

	pthread_mutex_lock(&watch_lock);
	for (unsigned i = 0; i < nr_watches && !hit; i++) {
		struct debug_watch *w = &watches[i];
		uint8_t now[8];

		if (!riscv_cpu_debug_rw(cpu, w->addr, now, w->len, false)) {
			continue;
		}
		if (w->armed && memcmp(now, w->old, w->len)) {
			cpu->debug_addr = w->addr;
			hit = true;
		}
		memcpy(w->old, now, w->len);
		w->armed = true;
	}
	pthread_mutex_unlock(&watch_lock);
	return hit;
}

static bool debug_breakpoint_at(gva_t pc)
{
	for (unsigned i = 0; i < nr_breakpoints; i++) {
		if (breakpoints[i] == pc) {
			return true;
		}
	}
	return false;
}

bool riscv_cpu_debug_hook(struct riscv_cpu *cpu)
{
	/* The previous instruction's write first, then the step it ended,
	 * then a breakpoint on the next one. */
	if (nr_watches && debug_watch_hit(cpu)) {
		cpu->debug_stop = RISCV_DEBUG_STOP_WATCH;
		return true;
	}
	if (cpu->debug_step) {
		if (cpu->debug_step_done) {
			cpu->debug_stop = RISCV_DEBUG_STOP_STEP;
			return true;
		}
		/* The stepped instruction runs even on a breakpoint. */
		cpu->debug_step_done = true;
		return false;
	}
	if (nr_breakpoints && debug_breakpoint_at(cpu->pc)) {
		cpu->debug_stop = RISCV_DEBUG_STOP_BREAKPOINT;
		return true;
	}
	return false;
}

#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_X (1ull << 3)
#define PTE_PPN_MASK ((1ull << 44) - 1)

/* The page table walk without permission checks or A/D updates. */
static bool debug_walk(struct riscv_cpu *cpu, gva_t va, gpa_t *pa)
{
	unsigned levels = (cpu->satp >> 60) - 5; /* 8 -> 3, 9 -> 4, 10 -> 5 */
	uint64_t ppn = cpu->satp & PTE_PPN_MASK;

	for (int level = levels - 1; level >= 0; level--) {
		unsigned shift = 12 + 9 * level;
		gpa_t pte_pa = (ppn << 12) + ((va >> shift) & 0x1ff) * 8;
		uint8_t *page = cpu->bus->ram_page(
			cpu->opaque, pte_pa & ~0xfffull, RISCV_ACCESS_READ);
		uint64_t pte;

		if (!page) {
			return false;
		}
		memcpy(&pte, page + (pte_pa & 0xfff), 8);
		if (!(pte & PTE_V)) {
			return false;
		}
		ppn = (pte >> 10) & PTE_PPN_MASK;
		if (pte & (PTE_R | PTE_X)) {
			*pa = (ppn << 12) + (va & ((1ull << shift) - 1));
			return true;
		}
	}
	return false;
}

static bool debug_translate(struct riscv_cpu *cpu, gva_t va, gpa_t *pa)
{
	unsigned mode = cpu->satp >> 60;

	if (cpu->mode == RISCV_CPU_USER || cpu->priv == RISCV_PRIV_M ||
	    mode < 8 || mode > 10) {
		*pa = va;
		return true;
	}
	return debug_walk(cpu, va, pa);
}

bool riscv_cpu_debug_rw(struct riscv_cpu *cpu, gva_t addr, void *buf,
			size_t len, bool write)
{
	enum riscv_access access =
		write ? RISCV_ACCESS_WRITE : RISCV_ACCESS_READ;
	uint8_t *bytes = buf;

	while (len) {
		size_t chunk = MIN(len, 0x1000 - (addr & 0xfff));
		uint8_t *page;
		gpa_t pa;

		if (!debug_translate(cpu, addr, &pa)) {
			return false;
		}
		page = cpu->bus->ram_page(cpu->opaque, pa & ~0xfffull, access);
		if (!page) {
			return false;
		}
		if (write) {
			memcpy(page + (pa & 0xfff), bytes, chunk);
			riscv_tlb_flush_page(cpu, addr);
		} else {
			memcpy(bytes, page + (pa & 0xfff), chunk);
		}
		addr += chunk;
		bytes += chunk;
		len -= chunk;
	}
	return true;
}
