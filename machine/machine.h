/* SPDX-License-Identifier: MIT */
/* The machine: the riscv64 virt board as the rest of the emulator sees it
 * (configuration, devices, guest memory, run control). */
#ifndef MIMIC_MACHINE_MACHINE_H
#define MIMIC_MACHINE_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/core/device.h"
#include "util/error.h"
#include "util/types.h"

/* The memory map (QEMU's virt board). */
#define VIRT_MROM_BASE 0x1000ull
#define VIRT_MROM_SIZE 0xf000ull
#define VIRT_TEST_BASE 0x100000ull
#define VIRT_RTC_BASE 0x101000ull
#define VIRT_POWER_BUTTON_BASE 0x102000ull /* mimic only, see docs/monitor.md */
#define VIRT_CLINT_BASE 0x2000000ull
#define VIRT_PLIC_BASE 0xc000000ull
#define VIRT_UART0_BASE 0x10000000ull
#define VIRT_VIRTIO_BASE 0x10001000ull
#define VIRT_VIRTIO_SIZE 0x1000ull
#define VIRT_VIRTIO_COUNT 8
#define VIRT_DRAM_BASE 0x80000000ull

#define VIRT_UART0_IRQ 10
#define VIRT_RTC_IRQ 11
#define VIRT_VIRTIO_IRQ 1 /* slot n uses irq 1 + n */

#define MACHINE_MAX_HARTS 8
#define MACHINE_DEFAULT_RAM (128ull << 20)

struct chardev;
struct riscv_cpu;

struct machine_config {
	uint64_t ram_size;
	unsigned nr_harts;
	const char *bios; /* NULL or "default", "none", or a path */
	const char *kernel;
	const char *initrd;
	const char *append;
	const char *dtb; /* use this tree instead of the generated one */
	const char *dumpdtb; /* write the tree here and exit */
	bool no_reboot;
	bool start_paused; /* -S */
	/* -accel tcg,thread=multi: a host thread per hart (default: every
	 * hart round-robin on one thread, which wastes less CPU on a busy
	 * host as harts spin less). */
	bool vcpu_multi_thread;
	struct chardev *serial; /* may be NULL */
	/* -machine memory-backend=ID: guest RAM from that -object; its size
	 * must equal ram_size when -m was given (ram_size_set). */
	const char *memory_backend;
	bool ram_size_set;
	/* -no-shutdown: a guest poweroff stops the harts, mimic stays */
	bool no_shutdown;
	/* -rtc base=: what the guest's RTC reads minus the host's UTC time */
	int64_t rtc_offset_ns;
};

struct machine;

/* Build the board and load the images; NULL with an error a user reads. */
struct machine *machine_new(const struct machine_config *config,
			    struct error **errp);
/* Write the device tree to config->dumpdtb. */
bool machine_dump_dtb(struct machine *m, struct error **errp);
/* Start the vCPU thread; the machine runs until the guest powers off or
 * main_loop_quit() is called. */
bool machine_start(struct machine *m, struct error **errp);
/* Stop the vCPU thread (after the main loop ended) and free everything. */
void machine_free(struct machine *m);

/* Run control for the monitor: the guest clock stops while paused. */
void machine_pause(struct machine *m);
void machine_resume(struct machine *m);
bool machine_is_paused(struct machine *m);
/* Listen for gdb at spec (-gdb tcp::1234, unix:PATH): it stops and
 * resumes the machine, a debugger's stop pauses it as the monitor's stop
 * does, and the monitor's stop and cont are reported to it. */
bool machine_gdb_start(struct machine *m, const char *spec,
		       struct error **errp);
/* True while the machine is paused because gdb stopped it. */
bool machine_gdb_stopped(struct machine *m);
/* Request a reset of every hart and device, as the guest's reboot does. */
void machine_request_reset(struct machine *m);
/* Request the end of emulation with an exit status. */
void machine_request_exit(struct machine *m, int status);

/* What the guest did, for the monitor's SHUTDOWN and RESET events. */
enum machine_event {
	MACHINE_EVENT_GUEST_SHUTDOWN, /* poweroff or failure exit */
	MACHINE_EVENT_GUEST_RESET, /* reboot */
	MACHINE_EVENT_GUEST_RESET_EXIT, /* reboot with -no-reboot: exits */
};
/* Called on the vCPU thread with the big lock held: must not block. */
typedef void machine_event_fn(void *opaque, enum machine_event event);
void machine_set_event_handler(struct machine *m, machine_event_fn *fn,
			       void *opaque);
/* Press the power button (system_powerdown); the guest polls it. */
void machine_request_powerdown(struct machine *m);
/* Wake the vCPU thread so that it sees a request while paused or idle
 * (main loop thread, big lock not held). */
void machine_kick(struct machine *m);

/* For the monitor: harts, devices and RAM. */
unsigned machine_nr_harts(struct machine *m);
struct riscv_cpu *machine_hart_cpu(struct machine *m, unsigned index);
/* The index-th device on the MMIO map; false past the end. */
bool machine_device_at(struct machine *m, unsigned index, const char **name,
		       gpa_t *base, uint64_t *size);
uint64_t machine_ram_size(struct machine *m);
/* Guest RAM for a vhost-user backend: the host mapping, its guest-physical
 * base and the fd it was mapped from (-1 when RAM is not in a shareable
 * memory backend). */
int machine_ram_fd(struct machine *m, void **host, gpa_t *base);
/* A device read as a hart would do it (false: nothing answers there). */
bool machine_io_read(struct machine *m, gpa_t addr, unsigned size,
		     uint64_t *val);

/*
 * For devices added later (virtio-mmio, -device): put dev on the MMIO map
 * and in the device tree (dev->ops->fdt_node, under /soc). Only before
 * machine_start().
 */
bool machine_add_device(struct machine *m, struct device *dev,
			struct error **errp);
/* The next free virtio-mmio slot: its base address and PLIC irq. */
bool machine_claim_virtio_mmio_slot(struct machine *m, gpa_t *base,
				    struct irq_line *irq, struct error **errp);
/* An IRQ line into PLIC source irq. */
struct irq_line machine_irq_line(struct machine *m, unsigned irq);
/* Host pointer for guest RAM [addr, addr + len), NULL if not all RAM (for
 * DMA by devices). */
void *machine_dma(struct machine *m, gpa_t addr, uint64_t len);
/* The guest timebase (10 MHz, stops while paused). */
uint64_t machine_time(struct machine *m);

#endif
