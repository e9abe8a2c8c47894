/* SPDX-License-Identifier: MIT */
/* The riscv64 virt board: RAM, boot ROM, devices and the physical bus the
 * harts use. Boot images are in boot.c, the device tree in fdt.c, the vCPU
 * thread in vcpu.c. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hw/char/serial.h"
#include "hw/core/bql.h"
#include "hw/core/memory-backend.h"
#include "hw/intc/clint.h"
#include "hw/intc/plic.h"
#include "hw/misc/power-button.h"
#include "hw/misc/sifive-test.h"
#include "hw/rtc/goldfish-rtc.h"
#include "machine/virt-internal.h"
#include "util/log.h"
#include "util/main-loop.h"

/* Leave room below 4 GiB of host address space questions aside: the board
 * allows up to 1 TiB of guest RAM, like a generous QEMU build. */
#define VIRT_MAX_RAM (1ull << 40)

uint64_t machine_time(struct machine *m)
{
	uint64_t now = m->paused ? m->paused_at_ns : bql_clock_ns();

	return (now - m->clock_offset_ns) / (1000000000ull / CLINT_TIMEBASE_HZ);
}

static uint64_t virt_bus_time(void *opaque)
{
	return machine_time(opaque);
}

static void *virt_bus_ram_page(void *opaque, gpa_t page,
			       enum riscv_access access)
{
	struct machine *m = opaque;

	if (page - VIRT_DRAM_BASE < m->ram_size) {
		return m->ram + (page - VIRT_DRAM_BASE);
	}
	if (page - VIRT_MROM_BASE < VIRT_MROM_SIZE &&
	    access != RISCV_ACCESS_WRITE) {
		return m->rom + (page - VIRT_MROM_BASE);
	}
	return NULL;
}

static struct device *virt_find_device(struct machine *m, gpa_t addr)
{
	for (unsigned i = 0; i < m->nr_devices; i++) {
		struct device *dev = m->devices[i];

		if (addr - dev->base < dev->size) {
			return dev;
		}
	}
	return NULL;
}

static bool virt_bus_io_read(void *opaque, gpa_t addr, unsigned size,
			     uint64_t *val)
{
	struct machine *m = opaque;
	struct device *dev;
	bool ok = false;

	bql_lock();
	dev = virt_find_device(m, addr);
	if (dev && dev->ops->read) {
		ok = dev->ops->read(dev, addr - dev->base, size, val);
	}
	bql_unlock();
	if (!ok) {
		log_mask_printf(LOG_GUEST_ERROR,
				"bus: %u-byte read at 0x%llx faults\n", size,
				(unsigned long long)addr);
	}
	return ok;
}

static bool virt_bus_io_write(void *opaque, gpa_t addr, unsigned size,
			      uint64_t val)
{
	struct machine *m = opaque;
	struct device *dev;
	bool ok = false;

	bql_lock();
	dev = virt_find_device(m, addr);
	if (dev && dev->ops->write) {
		ok = dev->ops->write(dev, addr - dev->base, size, val);
	}
	bql_unlock();
	if (!ok) {
		log_mask_printf(
			LOG_GUEST_ERROR,
			"bus: %u-byte write of 0x%llx at 0x%llx faults\n", size,
			(unsigned long long)val, (unsigned long long)addr);
	}
	return ok;
}

const struct riscv_bus_ops virt_bus_ops = {
	.ram_page = virt_bus_ram_page,
	.io_read = virt_bus_io_read,
	.io_write = virt_bus_io_write,
	.time = virt_bus_time,
};

void *machine_dma(struct machine *m, gpa_t addr, uint64_t len)
{
	uint64_t off = addr - VIRT_DRAM_BASE;

	if (addr < VIRT_DRAM_BASE || off > m->ram_size ||
	    len > m->ram_size - off) {
		return NULL;
	}
	return m->ram + off;
}

bool machine_add_device(struct machine *m, struct device *dev,
			struct error **errp)
{
	unsigned i;

	if (m->nr_devices == MACHINE_MAX_DEVICES) {
		error_setg(errp, "too many devices");
		return false;
	}
	if (dev->size && virt_find_device(m, dev->base)) {
		error_setg(errp, "%s at 0x%llx overlaps another device",
			   dev->name, (unsigned long long)dev->base);
		return false;
	}
	for (i = m->nr_devices; i > 0 && m->devices[i - 1]->base > dev->base;
	     i--) {
		m->devices[i] = m->devices[i - 1];
	}
	m->devices[i] = dev;
	m->nr_devices++;
	return true;
}

bool machine_claim_virtio_mmio_slot(struct machine *m, gpa_t *base,
				    struct irq_line *irq, struct error **errp)
{
	unsigned slot = m->virtio_slots_used;

	if (slot >= VIRT_VIRTIO_COUNT) {
		error_setg(errp, "all %d virtio-mmio slots are in use",
			   VIRT_VIRTIO_COUNT);
		return false;
	}
	m->virtio_slots_used++;
	*base = VIRT_VIRTIO_BASE + slot * VIRT_VIRTIO_SIZE;
	*irq = machine_irq_line(m, VIRT_VIRTIO_IRQ + slot);
	return true;
}

struct irq_line machine_irq_line(struct machine *m, unsigned irq)
{
	return plic_irq_line(m->plic, irq);
}

static void virt_plic_output(void *opaque, unsigned context, bool level)
{
	struct machine *m = opaque;
	struct riscv_cpu *cpu = m->harts[context / 2].cpu;

	riscv_cpu_set_irq(cpu, context % 2 ? RISCV_MIP_SEIP : RISCV_MIP_MEIP,
			  level);
	if (level) {
		virt_vcpu_kick_locked(m);
	}
}

static void virt_clint_set_msip(void *opaque, unsigned hart, bool level)
{
	struct machine *m = opaque;

	riscv_cpu_set_irq(m->harts[hart].cpu, RISCV_MIP_MSIP, level);
	if (level) {
		virt_vcpu_kick_locked(m);
	}
}

static void virt_clint_set_mtimecmp(void *opaque, unsigned hart, uint64_t value)
{
	struct machine *m = opaque;

	riscv_cpu_set_mtimecmp(m->harts[hart].cpu, value);
	virt_vcpu_kick_locked(m);
}

static const struct clint_hart_ops virt_clint_ops = {
	.set_msip = virt_clint_set_msip,
	.set_mtimecmp = virt_clint_set_mtimecmp,
	.time = virt_bus_time,
};

static void virt_pause_locked(struct machine *m);

static void virt_test_action(void *opaque, enum sifive_test_action action,
			     int code)
{
	struct machine *m = opaque;
	enum machine_event event = MACHINE_EVENT_GUEST_SHUTDOWN;

	if (action == SIFIVE_TEST_REBOOT) {
		event = m->cfg.no_reboot ? MACHINE_EVENT_GUEST_RESET_EXIT :
					   MACHINE_EVENT_GUEST_RESET;
	}
	if (m->event_fn) {
		m->event_fn(m->event_opaque, event);
	}
	if (action == SIFIVE_TEST_REBOOT && !m->cfg.no_reboot) {
		machine_request_reset(m);
	} else if (action != SIFIVE_TEST_EXIT && m->cfg.no_shutdown) {
		virt_pause_locked(m);
		virt_gdb_guest_shutdown(m);
	} else {
		machine_request_exit(m, action == SIFIVE_TEST_EXIT ? code : 0);
	}
}

static bool virt_add(struct machine *m, struct device *dev, struct error **errp)
{
	if (!dev) {
		return false;
	}
	if (!machine_add_device(m, dev, errp)) {
		dev->ops->free(dev);
		return false;
	}
	return true;
}

static bool virt_create_devices(struct machine *m, struct error **errp)
{
	m->plic = plic_new(VIRT_PLIC_BASE, m->nr_harts, virt_plic_output, m,
			   errp);
	if (!virt_add(m, m->plic, errp)) {
		m->plic = NULL;
		return false;
	}
	m->clint = clint_new(VIRT_CLINT_BASE, m->nr_harts, &virt_clint_ops, m,
			     errp);
	if (!virt_add(m, m->clint, errp)) {
		m->clint = NULL;
		return false;
	}
	m->power_button = power_button_new(VIRT_POWER_BUTTON_BASE, errp);
	if (!virt_add(m, m->power_button, errp)) {
		m->power_button = NULL;
		return false;
	}
	return virt_add(m,
			sifive_test_new(VIRT_TEST_BASE, virt_test_action, m,
					errp),
			errp) &&
	       virt_add(m,
			goldfish_rtc_new(VIRT_RTC_BASE,
					 machine_irq_line(m, VIRT_RTC_IRQ),
					 m->cfg.rtc_offset_ns, errp),
			errp) &&
	       virt_add(m,
			serial_new(VIRT_UART0_BASE,
				   machine_irq_line(m, VIRT_UART0_IRQ),
				   m->cfg.serial, errp),
			errp);
}

static bool virt_backend_ram(struct machine *m, struct error **errp)
{
	struct memory_backend *mb = memory_backend_find(m->cfg.memory_backend);

	if (!mb) {
		error_setg(errp,
			   "-machine memory-backend: no -object with id "
			   "'%s'",
			   m->cfg.memory_backend);
		return false;
	}
	if (m->cfg.ram_size_set && mb->size != m->cfg.ram_size) {
		error_setg(errp,
			   "Memory size specified by -m option differs from "
			   "the size of memory backend '%s' (%llu MiB vs "
			   "%llu MiB)",
			   mb->id, (unsigned long long)(m->cfg.ram_size >> 20),
			   (unsigned long long)(mb->size >> 20));
		return false;
	}
	if (mb->size > VIRT_MAX_RAM || (mb->size & 0xfff)) {
		error_setg(errp,
			   "memory backend '%s': size must be a multiple of "
			   "4 KiB up to %llu GiB",
			   mb->id, VIRT_MAX_RAM >> 30);
		return false;
	}
	m->ram = memory_backend_map(mb, errp);
	if (!m->ram) {
		return false;
	}
	m->ram_size = mb->size;
	m->ram_backend = mb;
	return true;
}

static bool virt_alloc_ram(struct machine *m, struct error **errp)
{
	if (m->cfg.ram_size == 0) {
		error_setg(errp, "-m: memory size must be greater than 0");
		return false;
	}
	if (m->cfg.ram_size > VIRT_MAX_RAM) {
		error_setg(errp,
			   "-m: %llu MiB is more than the %llu GiB the "
			   "virt board supports",
			   (unsigned long long)(m->cfg.ram_size >> 20),
			   VIRT_MAX_RAM >> 30);
		return false;
	}
	if (m->cfg.memory_backend) {
		return virt_backend_ram(m, errp);
	}
	m->ram_size = (m->cfg.ram_size + 0xfff) & ~0xfffull;
	m->ram = mmap(NULL, m->ram_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m->ram == MAP_FAILED) {
		m->ram = NULL;
		error_setg(errp, "-m: cannot allocate %llu MiB of guest RAM",
			   (unsigned long long)(m->ram_size >> 20));
		return false;
	}
	return true;
}

static bool virt_create_harts(struct machine *m, struct error **errp)
{
	if (m->cfg.nr_harts < 1 || m->cfg.nr_harts > MACHINE_MAX_HARTS) {
		error_setg(errp, "-smp: %u CPUs is out of range (1..%d)",
			   m->cfg.nr_harts, MACHINE_MAX_HARTS);
		return false;
	}
	m->nr_harts = m->cfg.nr_harts;
	for (unsigned h = 0; h < m->nr_harts; h++) {
		m->harts[h].cpu =
			riscv_cpu_new(RISCV_CPU_SYSTEM, h, &virt_bus_ops, m);
		if (!m->harts[h].cpu) {
			error_setg(errp, "out of memory");
			return false;
		}
	}
	return true;
}

void virt_machine_reset(struct machine *m)
{
	virt_boot_load(m);
	for (unsigned h = 0; h < m->nr_harts; h++) {
		riscv_cpu_reset(m->harts[h].cpu, VIRT_MROM_BASE);
		riscv_cpu_tlb_flush(m->harts[h].cpu);
		m->harts[h].waiting = false;
	}
	bql_lock();
	for (unsigned i = 0; i < m->nr_devices; i++) {
		if (m->devices[i]->ops->reset) {
			m->devices[i]->ops->reset(m->devices[i]);
		}
	}
	bql_unlock();
}

struct machine *machine_new(const struct machine_config *config,
			    struct error **errp)
{
	struct machine *m = calloc(1, sizeof(*m));

	if (!m) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	m->cfg = *config;
	m->clock_offset_ns = bql_clock_ns();
	if (!virt_alloc_ram(m, errp) || !virt_create_harts(m, errp) ||
	    !virt_create_devices(m, errp)) {
		machine_free(m);
		return NULL;
	}
	return m;
}

bool virt_machine_finish(struct machine *m, struct error **errp)
{
	if (m->finished) {
		return true;
	}
	if (!virt_boot_prepare(m, errp)) {
		return false;
	}
	m->finished = true;
	return true;
}

/* With the big lock: stop the clock, make every hart leave its run. */
static void virt_pause_locked(struct machine *m)
{
	if (!m->paused) {
		m->paused_at_ns = bql_clock_ns();
		m->paused = true;
		for (unsigned h = 0; h < m->nr_harts; h++) {
			riscv_cpu_request_exit(m->harts[h].cpu);
		}
	}
}

void virt_pause_request(struct machine *m)
{
	bql_lock();
	virt_pause_locked(m);
	bql_unlock();
}

void virt_resume(struct machine *m)
{
	bql_lock();
	if (m->paused) {
		m->clock_offset_ns += bql_clock_ns() - m->paused_at_ns;
		m->paused = false;
		virt_vcpu_kick_locked(m);
	}
	bql_unlock();
}

void machine_pause(struct machine *m)
{
	virt_pause_request(m);
	/* Return once no hart runs, so that what the monitor reads next
	 * (registers, memory) holds still. */
	virt_vcpu_wait_paused(m);
	virt_gdb_run_state(m, false);
}

void machine_resume(struct machine *m)
{
	virt_resume(m);
	virt_gdb_run_state(m, true);
}

bool machine_is_paused(struct machine *m)
{
	return m->paused;
}

static void machine_request(struct machine *m, int request)
{
	__atomic_store_n(&m->request, request, __ATOMIC_RELEASE);
	for (unsigned h = 0; h < m->nr_harts; h++) {
		riscv_cpu_request_exit(m->harts[h].cpu);
	}
	/* Harts asleep in WFI must come and see it too. */
	virt_vcpu_kick_locked(m);
}

void machine_request_reset(struct machine *m)
{
	machine_request(m, MACHINE_REQ_RESET);
}

void machine_request_exit(struct machine *m, int status)
{
	m->exit_status = status;
	machine_request(m, MACHINE_REQ_EXIT);
}

void machine_set_event_handler(struct machine *m, machine_event_fn *fn,
			       void *opaque)
{
	m->event_fn = fn;
	m->event_opaque = opaque;
}

void machine_request_powerdown(struct machine *m)
{
	bql_lock();
	power_button_press(m->power_button);
	bql_unlock();
}

void machine_kick(struct machine *m)
{
	bql_lock();
	virt_vcpu_kick_locked(m);
	bql_unlock();
}

unsigned machine_nr_harts(struct machine *m)
{
	return m->nr_harts;
}

struct riscv_cpu *machine_hart_cpu(struct machine *m, unsigned index)
{
	return index < m->nr_harts ? m->harts[index].cpu : NULL;
}

bool machine_device_at(struct machine *m, unsigned index, const char **name,
		       gpa_t *base, uint64_t *size)
{
	if (index >= m->nr_devices) {
		return false;
	}
	*name = m->devices[index]->name;
	*base = m->devices[index]->base;
	*size = m->devices[index]->size;
	return true;
}

uint64_t machine_ram_size(struct machine *m)
{
	return m->ram_size;
}

int machine_ram_fd(struct machine *m, void **host, gpa_t *base)
{
	*host = m->ram;
	*base = VIRT_DRAM_BASE;
	if (!m->ram_backend || !m->ram_backend->share) {
		return -1;
	}
	return m->ram_backend->fd;
}

bool machine_io_read(struct machine *m, gpa_t addr, unsigned size,
		     uint64_t *val)
{
	struct device *dev;
	bool ok = false;

	bql_lock();
	dev = virt_find_device(m, addr);
	if (dev && dev->ops->read) {
		ok = dev->ops->read(dev, addr - dev->base, size, val);
	}
	bql_unlock();
	return ok;
}

void machine_free(struct machine *m)
{
	if (!m) {
		return;
	}
	if (m->vcpu_started) {
		bql_lock();
		m->stop_vcpu = true;
		for (unsigned h = 0; h < m->nr_harts; h++) {
			riscv_cpu_request_exit(m->harts[h].cpu);
		}
		virt_vcpu_kick_locked(m);
		bql_unlock();
		pthread_join(m->vcpu_thread, NULL);
	}
	for (unsigned i = 0; i < m->nr_devices; i++) {
		if (m->devices[i]->ops->free) {
			m->devices[i]->ops->free(m->devices[i]);
		}
	}
	for (unsigned h = 0; h < m->nr_harts; h++) {
		riscv_cpu_free(m->harts[h].cpu);
	}
	if (m->ram && !m->ram_backend) {
		munmap(m->ram, m->ram_size);
	}
	free(m->firmware.data);
	free(m->kernel.data);
	free(m->initrd.data);
	free(m->dtb_file.data);
	free(m->fdt);
	free(m);
}
