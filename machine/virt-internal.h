/* SPDX-License-Identifier: MIT */
/* The virt board's insides, shared by its files (board, boot, fdt, vCPU). */
#ifndef MIMIC_MACHINE_VIRT_INTERNAL_H
#define MIMIC_MACHINE_VIRT_INTERNAL_H

#include <pthread.h>

#include "machine/machine.h"
#include "target/riscv/cpu.h"

#define MACHINE_MAX_DEVICES 32

/* A file read into memory, kept to load it again on reset. */
struct boot_blob {
	uint8_t *data;
	size_t size;
};

struct hart {
	struct riscv_cpu *cpu;
	struct machine *machine;
	unsigned index;
	pthread_t thread; /* its own vCPU thread (not hart 0, not single) */
	bool waiting; /* in WFI */
	/* The debugger keeps this hart stopped, or single-steps it. */
	bool debug_hold;
	bool debug_step;
	uint64_t wait_since; /* guest time when it entered WFI */
};

enum machine_request {
	MACHINE_REQ_NONE,
	MACHINE_REQ_RESET,
	MACHINE_REQ_EXIT,
};

struct machine {
	struct machine_config cfg;
	uint8_t *ram;
	uint64_t ram_size;
	struct memory_backend *ram_backend; /* owns ram when set */
	uint8_t rom[VIRT_MROM_SIZE];

	struct hart harts[MACHINE_MAX_HARTS];
	unsigned nr_harts;

	/* The MMIO map, sorted by base address. */
	struct device *devices[MACHINE_MAX_DEVICES];
	unsigned nr_devices;
	struct device *plic, *clint;
	struct device *power_button;
	machine_event_fn *event_fn;
	void *event_opaque;
	unsigned virtio_slots_used;

	/* Boot images and where they went. */
	struct boot_blob firmware, kernel, initrd, dtb_file;
	bool kernel_is_elf;
	gpa_t firmware_end;
	gpa_t kernel_addr, kernel_entry, kernel_end;
	gpa_t initrd_start, initrd_end;
	void *fdt;
	size_t fdt_size;
	gpa_t fdt_addr;

	/* Run control; the request fields are read by the vCPU thread. */
	pthread_t vcpu_thread;
	bool vcpu_started;
	bool finished; /* virt_machine_finish() done */
	bool single_thread; /* all harts round-robin on one thread */
	/* vCPU threads sleep (WFI, parked for a reset or a pause) on this
	 * condition; it is taken after the big lock, never before it. */
	pthread_mutex_t vcpu_lock;
	pthread_cond_t vcpu_cond;
	bool vcpu_sync_ready;
	unsigned parked; /* threads waiting at the sync point */
	bool paused_ack; /* every vCPU thread sits out the pause */
	int request; /* enum machine_request, atomic */
	int exit_status;
	bool stop_vcpu;
	bool paused;
	uint64_t clock_offset_ns; /* guest time = host - offset */
	uint64_t paused_at_ns;
	bool gdb; /* machine_gdb_start() done */
	bool gdb_stopped; /* atomic: paused by gdb, not by the monitor */
};

/* virt.c: place images, build the tree, reset (once, before running). */
bool virt_machine_finish(struct machine *m, struct error **errp);
/* virt.c: power-on state of every hart and device, images loaded again. */
void virt_machine_reset(struct machine *m);

/* boot.c: read the images (errors name the file) and place them. */
bool virt_boot_prepare(struct machine *m, struct error **errp);
/* boot.c: copy every image into RAM and write the reset vector. */
void virt_boot_load(struct machine *m);
/* fdt.c: build m->fdt (sized, with /chosen filled in). */
bool virt_fdt_build(struct machine *m, struct error **errp);
/* fdt.c: set /chosen initrd and bootargs in an existing tree. */
bool virt_fdt_set_chosen(struct machine *m, struct error **errp);
/* vcpu.c: the vCPU thread. */
void *virt_vcpu_thread(void *opaque);
/* vcpu.c: after a pause request, wait (bounded) until no hart runs;
 * called without the big lock. */
void virt_vcpu_wait_paused(struct machine *m);
/* vcpu.c: wake the vCPU thread if it sleeps (bql held). */
void virt_vcpu_kick_locked(struct machine *m);

/* virt.c: machine_pause() and machine_resume() without telling the gdb
 * stub (which calls them itself) and without waiting. */
void virt_pause_request(struct machine *m);
void virt_resume(struct machine *m);

/* gdb.c: a hart's run ended with RISCV_EXIT_DEBUG (vCPU thread; the
 * machine is being paused already). */
void virt_gdb_hart_stopped(struct machine *m, struct hart *hart);
/* gdb.c: -no-shutdown stopped the machine at the guest's poweroff (vCPU
 * thread, big lock held): gdb hears SIGQUIT, as from QEMU. */
void virt_gdb_guest_shutdown(struct machine *m);
/* gdb.c: the monitor paused or resumed the machine (main-loop thread). */
void virt_gdb_run_state(struct machine *m, bool running);

extern const struct riscv_bus_ops virt_bus_ops;

#endif
