/* SPDX-License-Identifier: MIT */
/* The hart's registers in gdb's numbering and its target description. */
#ifndef MIMIC_TARGET_RISCV_GDB_H
#define MIMIC_TARGET_RISCV_GDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdbstub/gdbstub.h"

struct riscv_cpu;

/* The 'g' packet holds x0..x31 and pc; the rest go through 'p'. */
#define RISCV_GDB_G_REGISTERS 33

/* Register regno (gdb's riscv numbering) into buf, little endian: its size
 * in bytes (at most 8), or 0 when this hart has no such register. */
size_t riscv_gdb_read_register(struct riscv_cpu *cpu, unsigned regno,
			       uint8_t *buf);
bool riscv_gdb_write_register(struct riscv_cpu *cpu, unsigned regno,
			      const uint8_t *buf, size_t len);
/* The qXfer:features annex (only "target.xml"), or NULL. System mode adds
 * the CSRs and the privilege level. */
const char *riscv_gdb_target_xml(const char *annex, bool system);
/* Z/z packets on the harts' shared breakpoints and write watchpoints,
 * as struct gdbstub_ops wants them (opaque unused). */
bool riscv_gdb_insert_point(void *opaque, enum gdb_point_type type,
			    uint64_t addr, uint64_t kind);
bool riscv_gdb_remove_point(void *opaque, enum gdb_point_type type,
			    uint64_t addr, uint64_t kind);
void riscv_gdb_remove_all_points(void *opaque);
/* The stop reply for a hart whose run ended with RISCV_EXIT_DEBUG. */
void riscv_gdb_stop_reason(struct riscv_cpu *cpu, int tid,
			   struct gdb_stop *stop);

#endif
