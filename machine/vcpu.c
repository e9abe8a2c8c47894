/* SPDX-License-Identifier: MIT */
/* The vCPU threads: every hart round-robin on one thread, or with
 * -accel tcg,thread=multi one host thread per hart. A hart
 * in WFI sleeps on the host until an interrupt or its timer; resets and
 * pauses gather every thread at a sync point first. */
#include <stdio.h>
#include <time.h>

#include "hw/core/bql.h"
#include "machine/virt-internal.h"
#include "util/main-loop.h"

/* Round-robin: instructions per hart per turn, short enough for IPIs
 * between harts to be answered quickly. */
#define SLICE_SMP 10000
/* A thread of its own: how often a hart looks at requests anyway. */
#define SLICE_UP 1000000
/* Sleep at most this long without looking at requests again. */
#define MAX_SLEEP_NS 1000000000ull
#define NS_PER_TICK (1000000000ull / 10000000)
/* A hart that was asked to stop answers within this (it polls). */
#define SYNC_POLL_NS 10000000ull

static void vcpu_sync_init(struct machine *m)
{
	pthread_condattr_t attr;

	pthread_mutex_init(&m->vcpu_lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&m->vcpu_cond, &attr);
	pthread_condattr_destroy(&attr);
	__atomic_store_n(&m->vcpu_sync_ready, true, __ATOMIC_RELEASE);
}

static void vcpu_broadcast(struct machine *m)
{
	if (__atomic_load_n(&m->vcpu_sync_ready, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&m->vcpu_lock);
		pthread_cond_broadcast(&m->vcpu_cond);
		pthread_mutex_unlock(&m->vcpu_lock);
	}
}

void virt_vcpu_kick_locked(struct machine *m)
{
	vcpu_broadcast(m);
}

/* With vcpu_lock held: sleep until a kick or host time deadline_ns. */
static void vcpu_wait_until(struct machine *m, uint64_t deadline_ns)
{
	struct timespec ts = { deadline_ns / 1000000000ull,
			       deadline_ns % 1000000000ull };

	pthread_cond_timedwait(&m->vcpu_cond, &m->vcpu_lock, &ts);
}

static bool vcpu_should_stop(struct machine *m)
{
	return __atomic_load_n(&m->stop_vcpu, __ATOMIC_ACQUIRE);
}

static int vcpu_request(struct machine *m)
{
	return __atomic_load_n(&m->request, __ATOMIC_ACQUIRE);
}

static bool vcpu_paused(struct machine *m)
{
	return __atomic_load_n(&m->paused, __ATOMIC_ACQUIRE);
}

/* May a hart in WFI run again? */
static bool vcpu_hart_wakes(struct machine *m, struct hart *hart, uint64_t now)
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

/* Host time at which guest time `deadline` comes (capped). */
static uint64_t vcpu_host_deadline(struct machine *m, uint64_t deadline,
				   uint64_t now)
{
	uint64_t host_now = bql_clock_ns();

	if (deadline != UINT64_MAX && deadline > now && !vcpu_paused(m) &&
	    (deadline - now) * NS_PER_TICK < MAX_SLEEP_NS) {
		return host_now + (deadline - now) * NS_PER_TICK;
	}
	return host_now + MAX_SLEEP_NS;
}

static bool vcpu_must_look_up(struct machine *m)
{
	return vcpu_should_stop(m) || vcpu_request(m) || vcpu_paused(m);
}

/* Sleep while the harts in [first, first + count) all wait. */
static void vcpu_idle(struct machine *m, unsigned first, unsigned count)
{
	uint64_t now, next = UINT64_MAX;

	pthread_mutex_lock(&m->vcpu_lock);
	now = machine_time(m);
	for (unsigned h = first; h < first + count; h++) {
		struct hart *hart = &m->harts[h];
		uint64_t d = riscv_cpu_timer_deadline(hart->cpu);

		if (hart->debug_hold) {
			continue;
		}
		if (vcpu_hart_wakes(m, hart, now)) {
			pthread_mutex_unlock(&m->vcpu_lock);
			return;
		}
		if (d > hart->wait_since && d < next) {
			next = d;
		}
	}
	if (!vcpu_must_look_up(m)) {
		vcpu_wait_until(m, vcpu_host_deadline(m, next, now));
	}
	pthread_mutex_unlock(&m->vcpu_lock);
}

/* Run one hart for up to max_insns; false if it waits in WFI. */
static bool vcpu_run_hart(struct machine *m, struct hart *hart,
			  uint64_t max_insns)
{
	enum riscv_exit why;

	if (hart->debug_hold) {
		return false;
	}
	if (hart->waiting) {
		/* A debugger's step out of WFI does not wait. */
		if (!hart->debug_step &&
		    !vcpu_hart_wakes(m, hart, machine_time(m))) {
			return false;
		}
		hart->waiting = false;
	}
	why = riscv_cpu_run(hart->cpu, max_insns);
	if (why == RISCV_EXIT_WFI) {
		hart->waiting = true;
		hart->wait_since = machine_time(m);
	} else if (why == RISCV_EXIT_DEBUG) {
		virt_gdb_hart_stopped(m, hart);
	}
	return true;
}

/* Hart 0's thread: wait until every other thread is parked, then carry
 * out a reset or sit out a pause. */
static void vcpu_coordinate(struct machine *m)
{
	pthread_mutex_lock(&m->vcpu_lock);
	while (!m->single_thread && m->parked < m->nr_harts - 1 &&
	       !vcpu_should_stop(m) && vcpu_request(m) != MACHINE_REQ_EXIT) {
		vcpu_wait_until(m, bql_clock_ns() + SYNC_POLL_NS);
	}
	if (vcpu_request(m) == MACHINE_REQ_RESET && !vcpu_should_stop(m)) {
		pthread_mutex_unlock(&m->vcpu_lock);
		virt_machine_reset(m);
		pthread_mutex_lock(&m->vcpu_lock);
		__atomic_store_n(&m->request, MACHINE_REQ_NONE,
				 __ATOMIC_RELEASE);
		pthread_cond_broadcast(&m->vcpu_cond);
	}
	if (vcpu_paused(m) && !vcpu_request(m)) {
		m->paused_ack = true;
		pthread_cond_broadcast(&m->vcpu_cond);
	}
	while (vcpu_paused(m) && !vcpu_request(m) && !vcpu_should_stop(m)) {
		vcpu_wait_until(m, bql_clock_ns() + MAX_SLEEP_NS);
	}
	m->paused_ack = false;
	pthread_mutex_unlock(&m->vcpu_lock);
}

void virt_vcpu_wait_paused(struct machine *m)
{
	uint64_t give_up = bql_clock_ns() + 2 * MAX_SLEEP_NS;

	if (!m->vcpu_started ||
	    !__atomic_load_n(&m->vcpu_sync_ready, __ATOMIC_ACQUIRE)) {
		return;
	}
	pthread_mutex_lock(&m->vcpu_lock);
	pthread_cond_broadcast(&m->vcpu_cond); /* sleepers come and see */
	while (!m->paused_ack && vcpu_paused(m) && !vcpu_request(m) &&
	       !vcpu_should_stop(m) && bql_clock_ns() < give_up) {
		vcpu_wait_until(m, bql_clock_ns() + SYNC_POLL_NS);
	}
	pthread_mutex_unlock(&m->vcpu_lock);
}

/* Any other hart's thread: wait at the sync point until hart 0 is done. */
static void vcpu_park(struct machine *m)
{
	pthread_mutex_lock(&m->vcpu_lock);
	m->parked++;
	pthread_cond_broadcast(&m->vcpu_cond);
	while (!vcpu_should_stop(m) && vcpu_request(m) != MACHINE_REQ_EXIT &&
	       (vcpu_request(m) || vcpu_paused(m))) {
		vcpu_wait_until(m, bql_clock_ns() + MAX_SLEEP_NS);
	}
	m->parked--;
	pthread_mutex_unlock(&m->vcpu_lock);
}

/* A request or a pause is pending; false when the thread must end. */
static bool vcpu_sync_point(struct machine *m, struct hart *hart)
{
	if (vcpu_request(m) == MACHINE_REQ_EXIT) {
		main_loop_quit(m->exit_status);
		vcpu_broadcast(m);
		return false;
	}
	/* Wake the sleepers so that they come to the sync point too. */
	for (unsigned h = 0; h < m->nr_harts; h++) {
		riscv_cpu_request_exit(m->harts[h].cpu);
	}
	vcpu_broadcast(m);
	if (m->single_thread || hart->index == 0) {
		vcpu_coordinate(m);
	} else {
		vcpu_park(m);
	}
	return true;
}

static void *vcpu_hart_thread(void *opaque)
{
	struct hart *hart = opaque;
	struct machine *m = hart->machine;

	while (!vcpu_should_stop(m)) {
		if (vcpu_request(m) || vcpu_paused(m)) {
			if (!vcpu_sync_point(m, hart)) {
				break;
			}
			continue;
		}
		if (!vcpu_run_hart(m, hart, SLICE_UP)) {
			vcpu_idle(m, hart->index, 1);
		}
	}
	return NULL;
}

/* The default (-accel tcg,thread=single): every hart on this thread. */
static void vcpu_round_robin(struct machine *m)
{
	uint64_t slice = m->nr_harts > 1 ? SLICE_SMP : SLICE_UP;

	while (!vcpu_should_stop(m)) {
		bool ran = false;

		if (vcpu_request(m) || vcpu_paused(m)) {
			if (!vcpu_sync_point(m, &m->harts[0])) {
				break;
			}
			continue;
		}
		for (unsigned h = 0; h < m->nr_harts && !vcpu_must_look_up(m);
		     h++) {
			ran |= vcpu_run_hart(m, &m->harts[h], slice);
		}
		if (!ran) {
			vcpu_idle(m, 0, m->nr_harts);
		}
	}
}

/* Hart 0's thread starts the others and reaps them at the end, so that
 * the machine joins one thread. */
void *virt_vcpu_thread(void *opaque)
{
	struct machine *m = opaque;
	unsigned started = 1;

	if (m->single_thread) {
		vcpu_round_robin(m);
		return NULL;
	}
	for (; started < m->nr_harts; started++) {
		if (pthread_create(&m->harts[started].thread, NULL,
				   vcpu_hart_thread, &m->harts[started])) {
			fprintf(stderr, "mimic: could not start vCPU %u\n",
				started);
			machine_request_exit(m, 1);
			break;
		}
	}
	vcpu_hart_thread(&m->harts[0]);
	/* Whatever ended hart 0 must end the others too. */
	__atomic_store_n(&m->stop_vcpu, true, __ATOMIC_RELEASE);
	for (unsigned h = 1; h < started; h++) {
		riscv_cpu_request_exit(m->harts[h].cpu);
	}
	vcpu_broadcast(m);
	for (unsigned h = 1; h < started; h++) {
		pthread_join(m->harts[h].thread, NULL);
	}
	return NULL;
}

bool machine_start(struct machine *m, struct error **errp)
{
	if (!virt_machine_finish(m, errp)) {
		return false;
	}
	for (unsigned h = 0; h < m->nr_harts; h++) {
		m->harts[h].machine = m;
		m->harts[h].index = h;
	}
	vcpu_sync_init(m);
	m->single_thread = !m->cfg.vcpu_multi_thread || m->nr_harts == 1;
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
