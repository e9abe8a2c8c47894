/* SPDX-License-Identifier: MIT */
/* Address translation (Sv39/48/57), PMP, the software TLB's slow path. */
#include "target/riscv/cpu-internal.h"

#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_W (1ull << 2)
#define PTE_X (1ull << 3)
#define PTE_U (1ull << 4)
#define PTE_A (1ull << 6)
#define PTE_D (1ull << 7)
#define PTE_PPN_MASK ((1ull << 44) - 1)

/* Causes for (page fault, access fault) by access type. */
static const unsigned page_fault_cause[3] = {
	RISCV_EXC_LOAD_PAGE_FAULT,
	RISCV_EXC_STORE_PAGE_FAULT,
	RISCV_EXC_INSN_PAGE_FAULT,
};
static const unsigned access_fault_cause[3] = {
	RISCV_EXC_LOAD_ACCESS,
	RISCV_EXC_STORE_ACCESS,
	RISCV_EXC_INSN_ACCESS,
};

void riscv_tlb_flush_all(struct riscv_cpu *cpu)
{
	memset(cpu->tlb, 0xff, sizeof(cpu->tlb));
	riscv_icache_flush(cpu);
}

/* Drop the decoded instructions of one virtual page (both tag kinds). */
static void riscv_icache_flush_page(struct riscv_cpu *cpu, gva_t va)
{
	uint64_t page = va >> 12;
	unsigned first = (va & ~0xfffull) >> 1;

	if (!riscv_icache_page_test(cpu, va)) {
		return;
	}
	for (unsigned i = 0; i < 2048; i++) {
		struct riscv_icache_entry *e =
			&cpu->icache[(first + i) & (ICACHE_SIZE - 1)];

		if ((e->tag >> 12) == page) {
			e->tag = ~0ull;
		}
	}
}

void riscv_tlb_flush_page(struct riscv_cpu *cpu, gva_t va)
{
	uint64_t page = va & ~0xfffull;

	riscv_icache_flush_page(cpu, va);
	for (unsigned s = 0; s < TLB_SETS; s++) {
		struct riscv_tlb *t = &cpu->tlb[s];
		struct riscv_tlb_entry *es[3] = {
			riscv_tlb_entry(t->read, va),
			riscv_tlb_entry(t->write, va),
			riscv_tlb_entry(t->exec, va),
		};

		for (unsigned i = 0; i < 3; i++) {
			if ((es[i]->tag & ~TLB_IO) == page) {
				es[i]->tag = TLB_INVALID;
			}
		}
	}
}

/* [lo, hi) of PMP entry i, or false when it is off. */
static bool pmp_range(const struct riscv_cpu *cpu, unsigned i, uint64_t *lo,
		      uint64_t *hi)
{
	uint64_t addr = cpu->pmpaddr[i];
	unsigned ones;

	switch ((cpu->pmpcfg[i] >> 3) & 3) {
	case 1: /* TOR */
		*lo = i ? cpu->pmpaddr[i - 1] << 2 : 0;
		*hi = addr << 2;
		return true;
	case 2: /* NA4 */
		*lo = addr << 2;
		*hi = *lo + 4;
		return true;
	case 3: /* NAPOT */
		ones = __builtin_ctzll(~addr);
		*lo = (addr & ~((1ull << ones) - 1)) << 2;
		*hi = *lo + (1ull << (ones + 3));
		return true;
	}
	return false;
}

bool riscv_pmp_check(struct riscv_cpu *cpu, gpa_t pa, unsigned size,
		     enum riscv_access access, enum riscv_priv priv)
{
	static const uint8_t perm_bit[3] = { 1, 2, 4 };

	if (cpu->mode == RISCV_CPU_USER) {
		return true;
	}
	if (cpu->pmp_active == 0) {
		return priv == RISCV_PRIV_M;
	}
	for (unsigned i = 0; i < RISCV_PMP_COUNT; i++) {
		uint64_t lo, hi;
		uint8_t cfg = cpu->pmpcfg[i];

		if (!pmp_range(cpu, i, &lo, &hi)) {
			continue;
		}
		if (pa >= hi || pa + size <= lo) {
			continue;
		}
		if (pa < lo || pa + size > hi) {
			return false; /* partial match */
		}
		if (priv == RISCV_PRIV_M && !(cfg & 0x80)) {
			return true;
		}
		return (cfg & perm_bit[access]) != 0;
	}
	return priv == RISCV_PRIV_M;
}

static enum riscv_priv effective_priv(const struct riscv_cpu *cpu,
				      enum riscv_access access)
{
	if (access != RISCV_ACCESS_EXEC && cpu->priv == RISCV_PRIV_M &&
	    (cpu->mstatus & MSTATUS_MPRV)) {
		return (cpu->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
	}
	return cpu->priv;
}

__attribute__((noreturn)) static void
page_fault(struct riscv_cpu *cpu, gva_t va, enum riscv_access access)
{
	riscv_raise(cpu, page_fault_cause[access], va);
}

__attribute__((noreturn)) static void
access_fault(struct riscv_cpu *cpu, gva_t va, enum riscv_access access)
{
	riscv_raise(cpu, access_fault_cause[access], va);
}

static bool leaf_allows(const struct riscv_cpu *cpu, uint64_t pte,
			enum riscv_access access, enum riscv_priv priv)
{
	if (priv == RISCV_PRIV_U && !(pte & PTE_U)) {
		return false;
	}
	if (priv == RISCV_PRIV_S && (pte & PTE_U)) {
		if (access == RISCV_ACCESS_EXEC ||
		    !(cpu->mstatus & MSTATUS_SUM)) {
			return false;
		}
	}
	switch (access) {
	case RISCV_ACCESS_EXEC:
		return (pte & PTE_X) != 0;
	case RISCV_ACCESS_READ:
		return (pte & PTE_R) ||
		       ((cpu->mstatus & MSTATUS_MXR) && (pte & PTE_X));
	case RISCV_ACCESS_WRITE:
		return (pte & PTE_W) != 0;
	}
	return false;
}

/* Read the PTE at physical address pte_pa; returns its host pointer. */
static uint64_t *pte_pointer(struct riscv_cpu *cpu, gpa_t pte_pa, gva_t va,
			     enum riscv_access access)
{
	uint8_t *page;

	if (!riscv_pmp_check(cpu, pte_pa, 8, RISCV_ACCESS_READ, RISCV_PRIV_S)) {
		access_fault(cpu, va, access);
	}
	page = cpu->bus->ram_page(cpu->opaque, pte_pa & ~0xfffull,
				  RISCV_ACCESS_READ);
	if (!page) {
		access_fault(cpu, va, access);
	}
	return (uint64_t *)(page + (pte_pa & 0xfff));
}

/* Set A (and D for writes) with a host compare-and-swap; false if the PTE
 * changed under us and the walk must start again. */
static bool pte_update_ad(struct riscv_cpu *cpu, uint64_t *ptep, gpa_t pte_pa,
			  uint64_t pte, gva_t va, enum riscv_access access)
{
	uint64_t want = pte | PTE_A;

	if (access == RISCV_ACCESS_WRITE) {
		want |= PTE_D;
	}
	if (want == pte) {
		return true;
	}
	if (!riscv_pmp_check(cpu, pte_pa, 8, RISCV_ACCESS_WRITE,
			     RISCV_PRIV_S) ||
	    !cpu->bus->ram_page(cpu->opaque, pte_pa & ~0xfffull,
				RISCV_ACCESS_WRITE)) {
		access_fault(cpu, va, access);
	}
	return __atomic_compare_exchange_n(ptep, &pte, want, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

static gpa_t page_walk(struct riscv_cpu *cpu, gva_t va,
		       enum riscv_access access, enum riscv_priv priv)
{
	unsigned levels = (cpu->satp >> 60) - 5; /* 8 -> 3, 9 -> 4, 10 -> 5 */
	unsigned va_bits = 12 + 9 * levels;
	int64_t top = (int64_t)va >> (va_bits - 1);

	if (top != 0 && top != -1) {
		page_fault(cpu, va, access);
	}
restart:;
	uint64_t ppn = cpu->satp & PTE_PPN_MASK;

	for (int level = levels - 1; level >= 0; level--) {
		unsigned shift = 12 + 9 * level;
		gpa_t pte_pa = (ppn << 12) + ((va >> shift) & 0x1ff) * 8;
		uint64_t *ptep = pte_pointer(cpu, pte_pa, va, access);
		uint64_t pte = __atomic_load_n(ptep, __ATOMIC_ACQUIRE);

		if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) ||
		    (pte >> 54) != 0) {
			page_fault(cpu, va, access);
		}
		ppn = (pte >> 10) & PTE_PPN_MASK;
		if (!(pte & (PTE_R | PTE_X))) {
			if (pte & (PTE_A | PTE_D | PTE_U)) {
				page_fault(cpu, va, access);
			}
			continue;
		}
		if (!leaf_allows(cpu, pte, access, priv)) {
			page_fault(cpu, va, access);
		}
		if (level > 0 && (ppn & ((1ull << (9 * level)) - 1))) {
			page_fault(cpu, va, access);
		}
		if (!pte_update_ad(cpu, ptep, pte_pa, pte, va, access)) {
			goto restart;
		}
		return (ppn << 12) + (va & ((1ull << shift) - 1));
	}
	page_fault(cpu, va, access);
}

static gpa_t translate(struct riscv_cpu *cpu, gva_t va,
		       enum riscv_access access, enum riscv_priv priv)
{
	if (priv == RISCV_PRIV_M || (cpu->satp >> 60) == 0 ||
	    cpu->mode == RISCV_CPU_USER) {
		return va;
	}
	return page_walk(cpu, va, access, priv);
}

static struct riscv_tlb_entry *tlb_array(struct riscv_cpu *cpu,
					 enum riscv_access access)
{
	switch (access) {
	case RISCV_ACCESS_READ:
		return cpu->dtlb->read;
	case RISCV_ACCESS_WRITE:
		return cpu->dtlb->write;
	default:
		return cpu->itlb->exec;
	}
}

/*
 * Host address of va for an access of size bytes that does not cross a
 * page, filling the TLB; NULL for device memory, with *pa set.
 */
static void *mmu_lookup(struct riscv_cpu *cpu, gva_t va, unsigned size,
			enum riscv_access access, gpa_t *pa)
{
	struct riscv_tlb_entry *e = riscv_tlb_entry(tlb_array(cpu, access), va);
	uint64_t vpage = va & ~0xfffull;
	enum riscv_priv priv;
	gpa_t phys, ppage;
	uint8_t *host;

	if (e->tag == vpage) {
		return (void *)(uintptr_t)(va + e->addend);
	}
	if (e->tag == (vpage | TLB_IO)) {
		*pa = va + e->addend;
		return NULL;
	}
	priv = effective_priv(cpu, access);
	phys = translate(cpu, va, access, priv);
	ppage = phys & ~0xfffull;
	if (!riscv_pmp_check(cpu, ppage, 4096, access, priv)) {
		/* Part of the page only: check this access, cache nothing. */
		if (!riscv_pmp_check(cpu, phys, size, access, priv)) {
			access_fault(cpu, va, access);
		}
		host = cpu->bus->ram_page(cpu->opaque, ppage, access);
		*pa = phys;
		return host ? host + (phys & 0xfff) : NULL;
	}
	host = cpu->bus->ram_page(cpu->opaque, ppage, access);
	if (!host) {
		if (cpu->mode == RISCV_CPU_USER) {
			page_fault(cpu, va, access);
		}
		e->tag = vpage | TLB_IO;
		e->addend = ppage - vpage;
		*pa = phys;
		return NULL;
	}
	e->tag = vpage;
	e->addend = (uintptr_t)host - vpage;
	return host + (va & 0xfff);
}

static uint64_t host_load(const void *p, unsigned size)
{
	switch (size) {
	case 1:
		return *(const uint8_t *)p;
	case 2:
		return *(const uint16_t *)p;
	case 4:
		return *(const uint32_t *)p;
	default:
		return *(const uint64_t *)p;
	}
}

static void host_store(void *p, unsigned size, uint64_t val)
{
	switch (size) {
	case 1:
		*(uint8_t *)p = val;
		break;
	case 2:
		*(uint16_t *)p = val;
		break;
	case 4:
		*(uint32_t *)p = val;
		break;
	default:
		*(uint64_t *)p = val;
		break;
	}
}

static uint64_t load_aligned(struct riscv_cpu *cpu, gva_t va, unsigned size)
{
	gpa_t pa = 0;
	void *host = mmu_lookup(cpu, va, size, RISCV_ACCESS_READ, &pa);
	uint64_t val;

	if (host) {
		return host_load(host, size);
	}
	if (!cpu->bus->io_read(cpu->opaque, pa, size, &val)) {
		access_fault(cpu, va, RISCV_ACCESS_READ);
	}
	return val;
}

uint64_t riscv_load_slow(struct riscv_cpu *cpu, gva_t va, unsigned size)
{
	uint64_t val = 0;

	if (likely((va & (size - 1)) == 0)) {
		return load_aligned(cpu, va, size);
	}
	/* Misaligned: byte by byte, each byte checked, as a trap handler
	 * emulating it would. */
	for (unsigned i = 0; i < size; i++) {
		val |= load_aligned(cpu, va + i, 1) << (8 * i);
	}
	return val;
}

static void store_aligned(struct riscv_cpu *cpu, gva_t va, unsigned size,
			  uint64_t val)
{
	gpa_t pa = 0;
	void *host = mmu_lookup(cpu, va, size, RISCV_ACCESS_WRITE, &pa);

	if (host) {
		host_store(host, size, val);
		return;
	}
	if (!cpu->bus->io_write(cpu->opaque, pa, size, val)) {
		access_fault(cpu, va, RISCV_ACCESS_WRITE);
	}
}

void riscv_store_slow(struct riscv_cpu *cpu, gva_t va, unsigned size,
		      uint64_t val)
{
	gpa_t pa;

	if (likely((va & (size - 1)) == 0)) {
		store_aligned(cpu, va, size, val);
		return;
	}
	/* Check both pages first so a fault leaves memory untouched. */
	mmu_lookup(cpu, va, 1, RISCV_ACCESS_WRITE, &pa);
	mmu_lookup(cpu, va + size - 1, 1, RISCV_ACCESS_WRITE, &pa);
	for (unsigned i = 0; i < size; i++) {
		store_aligned(cpu, va + i, 1, val >> (8 * i));
	}
}

static uint32_t fetch16(struct riscv_cpu *cpu, gva_t va)
{
	gpa_t pa = 0;
	void *host = mmu_lookup(cpu, va, 2, RISCV_ACCESS_EXEC, &pa);
	uint64_t val;

	if (host) {
		return *(const uint16_t *)host;
	}
	if (!cpu->bus->io_read(cpu->opaque, pa, 2, &val)) {
		access_fault(cpu, va, RISCV_ACCESS_EXEC);
	}
	return val & 0xffff;
}

uint32_t riscv_fetch_slow(struct riscv_cpu *cpu, gva_t pc)
{
	uint32_t low = fetch16(cpu, pc);

	if ((low & 3) != 3) {
		return low;
	}
	return low | (fetch16(cpu, pc + 2) << 16);
}

void *riscv_atomic_ptr(struct riscv_cpu *cpu, gva_t va, unsigned size,
		       bool is_lr)
{
	enum riscv_access access =
		is_lr ? RISCV_ACCESS_READ : RISCV_ACCESS_WRITE;
	gpa_t pa;
	void *host;

	if (va & (size - 1)) {
		riscv_raise(cpu,
			    is_lr ? RISCV_EXC_LOAD_MISALIGNED :
				    RISCV_EXC_STORE_MISALIGNED,
			    va);
	}
	host = mmu_lookup(cpu, va, size, access, &pa);
	if (!host) {
		access_fault(cpu, va, access);
	}
	return host;
}

void *riscv_probe(struct riscv_cpu *cpu, gva_t va, enum riscv_access access,
		  gpa_t *pa)
{
	return mmu_lookup(cpu, va, 1, access, pa);
}
