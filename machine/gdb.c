/* SPDX-License-Identifier: MIT */
/* -gdb: the gdb stub's view of the virt board, one thread per hart. The
 * debugger stops the machine as the monitor's stop does. */
#include <stdio.h>

#include "gdbstub/gdbserver.h"
#include "machine/virt-internal.h"
#include "monitor/monitor.h"
#include "target/riscv/gdb.h"
#include "util/main-loop.h"

/* Thread ids are hart index + 1. */
static struct riscv_cpu *gdb_hart(struct machine *m, int tid)
{
	if (tid < 1 || (unsigned)tid > m->nr_harts) {
		return NULL;
	}
	return m->harts[tid - 1].cpu;
}

static unsigned gdb_threads(void *opaque, int *tids, unsigned max)
{
	struct machine *m = opaque;
	unsigned n = MIN(max, m->nr_harts);

	for (unsigned h = 0; h < n; h++) {
		tids[h] = h + 1;
	}
	return n;
}

static size_t gdb_read_register(void *opaque, int tid, unsigned regno,
				uint8_t *buf)
{
	struct riscv_cpu *cpu = gdb_hart(opaque, tid);

	return cpu ? riscv_gdb_read_register(cpu, regno, buf) : 0;
}

static bool gdb_write_register(void *opaque, int tid, unsigned regno,
			       const uint8_t *buf, size_t len)
{
	struct riscv_cpu *cpu = gdb_hart(opaque, tid);

	return cpu && riscv_gdb_write_register(cpu, regno, buf, len);
}

static bool gdb_read_memory(void *opaque, int tid, uint64_t addr, uint8_t *buf,
			    size_t len)
{
	struct riscv_cpu *cpu = gdb_hart(opaque, tid);

	return cpu && riscv_cpu_debug_rw(cpu, addr, buf, len, false);
}

static bool gdb_write_memory(void *opaque, int tid, uint64_t addr,
			     const uint8_t *buf, size_t len)
{
	struct machine *m = opaque;
	struct riscv_cpu *cpu = gdb_hart(m, tid);

	if (!cpu || !riscv_cpu_debug_rw(cpu, addr, (void *)buf, len, true)) {
		return false;
	}
	/* Other harts may hold the old code decoded. */
	for (unsigned h = 0; h < m->nr_harts; h++) {
		riscv_cpu_tlb_flush(m->harts[h].cpu);
	}
	return true;
}

/* A running machine that gdb stops is in QEMU's "debug" state, and the
 * monitor's clients hear of it as of any stop. */
static void gdb_mark_stopped(struct machine *m)
{
	if (!machine_is_paused(m)) {
		__atomic_store_n(&m->gdb_stopped, true, __ATOMIC_RELEASE);
		monitor_event("STOP", NULL);
	}
}

static void gdb_stop(void *opaque)
{
	struct machine *m = opaque;

	gdb_mark_stopped(m);
	virt_pause_request(m);
	virt_vcpu_wait_paused(m);
}

static void gdb_resume(void *opaque, const struct gdb_resume *resume)
{
	struct machine *m = opaque;

	for (unsigned h = 0; h < m->nr_harts; h++) {
		struct hart *hart = &m->harts[h];
		enum gdb_action action = gdbstub_resume_action(resume, h + 1);

		hart->debug_hold = action == GDB_ACTION_NONE;
		hart->debug_step = action == GDB_ACTION_STEP;
		riscv_cpu_debug_step(hart->cpu, hart->debug_step);
	}
	riscv_debug_rearm();
	__atomic_store_n(&m->gdb_stopped, false, __ATOMIC_RELEASE);
	if (machine_is_paused(m)) {
		monitor_event("RESUME", NULL);
	}
	virt_resume(m);
}

static const char *gdb_target_xml(void *opaque, const char *annex)
{
	return riscv_gdb_target_xml(annex, true);
}

static void gdb_kill(void *opaque)
{
	main_loop_quit(0);
}

static char *gdb_monitor_command(void *opaque, const char *command)
{
	char *out = monitor_hmp_command(command);
	char *to = out;

	/* gdb prints what it gets: no carriage returns. */
	for (const char *from = out; from && *from; from++) {
		if (*from != '\r') {
			*to++ = *from;
		}
	}
	if (to) {
		*to = 0;
	}
	return out;
}

static void gdb_thread_name(void *opaque, int tid, char *buf, size_t size)
{
	snprintf(buf, size, "hart %d", tid - 1);
}

static const struct gdbstub_ops virt_gdb_ops = {
	.threads = gdb_threads,
	.read_register = gdb_read_register,
	.write_register = gdb_write_register,
	.g_registers = RISCV_GDB_G_REGISTERS,
	.read_memory = gdb_read_memory,
	.write_memory = gdb_write_memory,
	.insert_point = riscv_gdb_insert_point,
	.remove_point = riscv_gdb_remove_point,
	.remove_all_points = riscv_gdb_remove_all_points,
	.stop = gdb_stop,
	.resume = gdb_resume,
	.target_xml = gdb_target_xml,
	.kill = gdb_kill,
	.thread_name = gdb_thread_name,
	.monitor_command = gdb_monitor_command,
};

bool machine_gdb_start(struct machine *m, const char *spec, struct error **errp)
{
	if (!gdbserver_start(spec, &virt_gdb_ops, m, errp)) {
		return false;
	}
	m->gdb = true;
	return true;
}

void virt_gdb_hart_stopped(struct machine *m, struct hart *hart)
{
	struct gdb_stop stop;

	/* Every hart stops with this one (all-stop, as gdb expects). */
	gdb_mark_stopped(m);
	virt_pause_request(m);
	hart->debug_step = false;
	riscv_gdb_stop_reason(hart->cpu, hart->index + 1, &stop);
	riscv_cpu_debug_step(hart->cpu, false);
	gdbserver_report_stop(&stop);
}

void virt_gdb_guest_shutdown(struct machine *m)
{
	struct gdb_stop stop = { .kind = GDB_STOP_SIGNAL,
				 .tid = 1,
				 .signal = GDB_SIGNAL_QUIT };

	if (m->gdb) {
		gdbserver_report_stop(&stop);
	}
}

bool machine_gdb_stopped(struct machine *m)
{
	return __atomic_load_n(&m->gdb_stopped, __ATOMIC_ACQUIRE);
}

void virt_gdb_run_state(struct machine *m, bool running)
{
	/* The monitor's stop or cont: the machine is the monitor's now. */
	__atomic_store_n(&m->gdb_stopped, false, __ATOMIC_RELEASE);
	if (m->gdb) {
		gdbserver_run_state_changed(running);
	}
}
