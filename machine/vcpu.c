/* SPDX-License-Identifier: MIT */
/* The vCPU thread: runs every hart round-robin in slices, sleeps on the
 * host when all of them wait for an interrupt, and carries out resets and
 * exits the guest asked for. */
#include <stdio.h>

#include "hw/core/bql.h"
#include "machine/virt-internal.h"
#include "util/main-loop.h"

/* Instructions per hart per turn: short enough for IPIs between harts to
 * be answered quickly, long enough to keep switching cheap. */
#define SLICE_SMP 10000
#define SLICE_UP 1000000
/* Sleep at most this long without looking at requests again. */
#define MAX_SLEEP_NS 1000000000ull
#define NS_PER_TICK (1000000000ull / 10000000)

void virt_vcpu_kick_locked(struct machine *m)
{
	bql_kick_locked();
}

/* May a hart in WFI run again? */
static bool virt_hart_wakes(struct machine *m, struct hart *hart, uint64_t now)
{
	uint64_t deadline;

	if (riscv_cpu_wfi_wakeup(hart->cpu)) {
		return true;
	}
	/* A timer that was already due when the hart went to sleep is
	 * masked (or it would not have slept): only a deadline that passed
	 * since then is a reason to wake. */
	deadline = riscv_cpu_timer_deadline(hart->cpu);
	return deadline > hart->wait_since && now >= deadline;
}

/* Guest time at which the first sleeping hart's timer fires. */
static uint64_t virt_next_deadline(struct machine *m)
{
	uint64_t next = UINT64_MAX;

	for (unsigned h = 0; h < m->nr_harts; h++) {
		uint64_t d = riscv_cpu_timer_deadline(m->harts[h].cpu);

		if (d > m->harts[h].wait_since && d < next) {
			next = d;
		}
	}
	return next;
}

static bool virt_vcpu_should_stop(struct machine *m)
{
	return __atomic_load_n(&m->stop_vcpu, __ATOMIC_ACQUIRE);
}

/* Every hart waits: sleep until an interrupt, a timer or a request. */
static void virt_vcpu_idle(struct machine *m)
{
	uint64_t now, deadline, host_deadline, host_now;

	bql_lock();
	now = machine_time(m);
	for (unsigned h = 0; h < m->nr_harts; h++) {
		if (virt_hart_wakes(m, &m->harts[h], now)) {
			bql_unlock();
			return;
		}
	}
	if (virt_vcpu_should_stop(m) ||
	    __atomic_load_n(&m->request, __ATOMIC_ACQUIRE)) {
		bql_unlock();
		return;
	}
	deadline = virt_next_deadline(m);
	host_now = bql_clock_ns();
	host_deadline = host_now + MAX_SLEEP_NS;
	if (deadline != UINT64_MAX && !m->paused) {
		uint64_t delta = (deadline - now) * NS_PER_TICK;

		if (delta < MAX_SLEEP_NS) {
			host_deadline = host_now + delta;
		}
	}
	bql_wait_locked(host_deadline);
	bql_unlock();
}

/* Run each runnable hart for a slice; false if none could run. */
static bool virt_vcpu_round(struct machine *m)
{
	uint64_t slice = m->nr_harts > 1 ? SLICE_SMP : SLICE_UP;
	bool ran = false;

	for (unsigned h = 0; h < m->nr_harts; h++) {
		struct hart *hart = &m->harts[h];
		enum riscv_exit why;

		if (hart->waiting) {
			if (!virt_hart_wakes(m, hart, machine_time(m))) {
				continue;
			}
			hart->waiting = false;
		}
		why = riscv_cpu_run(hart->cpu, slice);
		ran = true;
		if (why == RISCV_EXIT_WFI) {
			hart->waiting = true;
			hart->wait_since = machine_time(m);
		}
		if (__atomic_load_n(&m->request, __ATOMIC_ACQUIRE) ||
		    m->paused) {
			break;
		}
	}
	return ran;
}

/* Carry out a reset or exit; false when the thread must end. */
static bool virt_vcpu_handle_request(struct machine *m)
{
	int req = __atomic_exchange_n(&m->request, MACHINE_REQ_NONE,
				      __ATOMIC_ACQ_REL);

	if (req == MACHINE_REQ_RESET) {
		virt_machine_reset(m);
	} else if (req == MACHINE_REQ_EXIT) {
		main_loop_quit(m->exit_status);
		return false;
	}
	return true;
}

static void virt_vcpu_wait_resume(struct machine *m)
{
	bql_lock();
	while (m->paused && !virt_vcpu_should_stop(m) &&
	       !__atomic_load_n(&m->request, __ATOMIC_ACQUIRE)) {
		bql_wait_locked(UINT64_MAX);
	}
	bql_unlock();
}

void *virt_vcpu_thread(void *opaque)
{
	struct machine *m = opaque;

	while (!virt_vcpu_should_stop(m)) {
		if (!virt_vcpu_handle_request(m)) {
			break;
		}
		if (m->paused) {
			virt_vcpu_wait_resume(m);
			continue;
		}
		if (!virt_vcpu_round(m)) {
			virt_vcpu_idle(m);
		}
	}
	return NULL;
}

bool machine_start(struct machine *m, struct error **errp)
{
	if (!virt_machine_finish(m, errp)) {
		return false;
	}
	virt_machine_reset(m);
	if (m->cfg.start_paused) {
		machine_pause(m);
	}
	if (pthread_create(&m->vcpu_thread, NULL, virt_vcpu_thread, m)) {
		error_setg(errp, "could not start the vCPU thread");
		return false;
	}
	m->vcpu_started = true;
	return true;
}
