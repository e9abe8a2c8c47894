/* SPDX-License-Identifier: MIT */
/* The monitor on the virt board: its run control, harts, memory and the
 * guest's own shutdowns and resets turned into QMP events. */
#include <string.h>

#include "machine/machine.h"
#include "monitor/monitor-internal.h"
#include "util/main-loop.h"

static void virt_mon_pause(void *opaque)
{
	machine_pause(opaque);
}

static void virt_mon_resume(void *opaque)
{
	machine_resume(opaque);
}

static bool virt_mon_is_paused(void *opaque)
{
	return machine_is_paused(opaque);
}

static bool virt_mon_debug_stopped(void *opaque)
{
	return machine_gdb_stopped(opaque);
}

static void virt_mon_reset(void *opaque)
{
	machine_request_reset(opaque);
	machine_kick(opaque);
}

static void virt_mon_powerdown(void *opaque)
{
	machine_request_powerdown(opaque);
}

static void virt_mon_quit(void *opaque)
{
	main_loop_quit(0);
}

static unsigned virt_mon_nr_harts(void *opaque)
{
	return machine_nr_harts(opaque);
}

static struct riscv_cpu *virt_mon_hart(void *opaque, unsigned index)
{
	return machine_hart_cpu(opaque, index);
}

static bool virt_mon_read_phys(void *opaque, gpa_t addr, void *buf, size_t len)
{
	void *p = machine_dma(opaque, addr, len);

	if (!p) {
		return false;
	}
	memcpy(buf, p, len);
	return true;
}

static bool virt_mon_device_at(void *opaque, unsigned index, const char **name,
			       gpa_t *base, uint64_t *size)
{
	return machine_device_at(opaque, index, name, base, size);
}

static uint64_t virt_mon_ram_size(void *opaque)
{
	return machine_ram_size(opaque);
}

static bool virt_mon_io_read(void *opaque, gpa_t addr, unsigned size,
			     uint64_t *val)
{
	return machine_io_read(opaque, addr, size, val);
}

static const struct monitor_machine_ops virt_monitor_ops = {
	.pause = virt_mon_pause,
	.resume = virt_mon_resume,
	.is_paused = virt_mon_is_paused,
	.debug_stopped = virt_mon_debug_stopped,
	.reset = virt_mon_reset,
	.powerdown = virt_mon_powerdown,
	.quit = virt_mon_quit,
	.nr_harts = virt_mon_nr_harts,
	.hart = virt_mon_hart,
	.read_phys = virt_mon_read_phys,
	.device_at = virt_mon_device_at,
	.ram_size = virt_mon_ram_size,
	.io_read = virt_mon_io_read,
};

static json_object *virt_mon_guest_reason(const char *reason)
{
	json_object *data = json_object_new_object();

	json_object_object_add(data, "guest", json_object_new_boolean(true));
	json_object_object_add(data, "reason", json_object_new_string(reason));
	return data;
}

/* On the vCPU thread with the big lock held: only queue. */
static void virt_mon_guest_event(void *opaque, enum machine_event event)
{
	switch (event) {
	case MACHINE_EVENT_GUEST_SHUTDOWN:
		monitor_event("SHUTDOWN",
			      virt_mon_guest_reason("guest-shutdown"));
		break;
	case MACHINE_EVENT_GUEST_RESET:
		monitor_event("RESET", virt_mon_guest_reason("guest-reset"));
		break;
	case MACHINE_EVENT_GUEST_RESET_EXIT:
		monitor_event("SHUTDOWN", virt_mon_guest_reason("guest-reset"));
		break;
	}
	if (event != MACHINE_EVENT_GUEST_RESET && monitor_state.no_shutdown) {
		/* The machine stopped instead of ending, as QEMU reports it. */
		__atomic_store_n(&monitor_state.shutdown, 1, __ATOMIC_RELEASE);
		monitor_event("STOP", NULL);
	}
}

bool monitor_start_virt(struct machine *m, const char *name, bool no_reboot,
			bool no_shutdown, struct error **errp)
{
	monitor_state.no_reboot = no_reboot;
	monitor_state.no_shutdown = no_shutdown;
	machine_set_event_handler(m, virt_mon_guest_event, NULL);
	return monitor_start(&virt_monitor_ops, m, name, errp);
}
