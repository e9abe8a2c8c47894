/* SPDX-License-Identifier: MIT */
/* The big lock: serialises device state between the vCPU thread and the
 * main loop, and lets an idle vCPU sleep until an interrupt or a deadline. */
#ifndef MIMIC_HW_CORE_BQL_H
#define MIMIC_HW_CORE_BQL_H

#include <stdbool.h>
#include <stdint.h>

void bql_lock(void);
void bql_unlock(void);
/* With the lock held: sleep until bql_kick() or until the host
 * CLOCK_MONOTONIC time deadline_ns (UINT64_MAX: no deadline). */
void bql_wait_locked(uint64_t deadline_ns);
/* Wake a sleeper in bql_wait_locked(); call with the lock held so that a
 * wake-up between the sleeper's check and its wait is not lost. */
void bql_kick_locked(void);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bql_clock_ns(void);

#endif
