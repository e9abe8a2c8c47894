# SPDX-License-Identifier: MIT
# A bare-metal guest drives a virtio-mmio device by hand and submits every
# kind of bad descriptor chain: mimic stays up, the device reports
# DEVICE_NEEDS_RESET with a config interrupt, and a reset brings it back.
import subprocess

import pytest

from harness import program, require_tool

GUEST = r"""
#include <stdint.h>

#define MMIO 0x10001000ul
#define UART 0x10000000ul
#define FINISHER 0x100000ul
#define QSIZE 8

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static struct desc descs[QSIZE] __attribute__((aligned(16)));
static struct desc table[4] __attribute__((aligned(16)));
static struct {
	uint16_t flags, idx, ring[QSIZE], used_event;
} avail __attribute__((aligned(16)));
static struct {
	uint16_t flags, idx;
	struct {
		uint32_t id, len;
	} ring[QSIZE];
	uint16_t avail_event;
} used __attribute__((aligned(16)));
static uint8_t buf[64] __attribute__((aligned(16)));
static int failures;

static volatile uint32_t *reg(unsigned off)
{
	return (volatile uint32_t *)(MMIO + off);
}

static void put(const char *s)
{
	volatile uint8_t *u = (volatile uint8_t *)UART;

	for (; *s; s++) {
		while (!(u[5] & 0x20)) {
		}
		u[0] = *s;
	}
}

static void put_num(unsigned n)
{
	char b[12];
	int i = 11;

	b[i] = 0;
	do {
		b[--i] = '0' + n % 10;
		n /= 10;
	} while (n);
	put(b + i);
}

static void zero(void *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		((volatile uint8_t *)p)[i] = 0;
	}
}

static void driver_init(void)
{
	*reg(0x70) = 0;
	zero(descs, sizeof(descs));
	zero(table, sizeof(table));
	zero(&avail, sizeof(avail));
	zero(&used, sizeof(used));
	*reg(0x70) = 1;
	*reg(0x70) = 3;
	*reg(0x24) = 1;
	*reg(0x20) = 1; /* VERSION_1 */
	*reg(0x24) = 0;
	*reg(0x20) = 1u << 28; /* INDIRECT_DESC */
	*reg(0x70) = 0xb;
	if (!(*reg(0x70) & 8)) {
		put("FEATURES_OK refused\n");
		failures++;
	}
	*reg(0x30) = 0;
	*reg(0x38) = QSIZE;
	*reg(0x80) = (uint64_t)(uintptr_t)descs;
	*reg(0x84) = (uint64_t)(uintptr_t)descs >> 32;
	*reg(0x90) = (uint64_t)(uintptr_t)&avail;
	*reg(0x94) = (uint64_t)(uintptr_t)&avail >> 32;
	*reg(0xa0) = (uint64_t)(uintptr_t)&used;
	*reg(0xa4) = (uint64_t)(uintptr_t)&used >> 32;
	*reg(0x44) = 1;
	*reg(0x70) = 0xf;
}

static void set(struct desc *d, uint64_t addr, uint32_t len, uint16_t flags,
		uint16_t next)
{
	d->addr = addr;
	d->len = len;
	d->flags = flags;
	d->next = next;
}

static void submit(uint16_t head, uint16_t step)
{
	avail.ring[avail.idx % QSIZE] = head;
	__sync_synchronize();
	avail.idx += step;
	__sync_synchronize();
	*reg(0x50) = 0;
}

#define NEXT 1
#define WRITE 2
#define INDIRECT 4
#define KINDS 9

static void make_bad(int kind)
{
	uint64_t b = (uintptr_t)buf;
	uint16_t step = 1;

	switch (kind) {
	case 0: /* loop */
		set(&descs[0], b, 8, NEXT, 1);
		set(&descs[1], b, 8, NEXT, 0);
		break;
	case 1: /* next out of range */
		set(&descs[0], b, 8, NEXT, 200);
		break;
	case 2: /* outside RAM: the boot ROM */
		set(&descs[0], 0x1000, 8, WRITE, 0);
		break;
	case 3: /* outside everything, wrapping */
		set(&descs[0], ~0ull - 7, 64, WRITE, 0);
		break;
	case 4: /* zero length */
		set(&descs[0], b, 0, WRITE, 0);
		break;
	case 5: /* device-readable after device-writable */
		set(&descs[0], b, 8, WRITE | NEXT, 1);
		set(&descs[1], b + 8, 8, 0, 0);
		break;
	case 6: /* nested indirect table */
		set(&table[0], (uintptr_t)table, 32, INDIRECT, 0);
		set(&descs[0], (uintptr_t)table, 32, INDIRECT, 0);
		break;
	case 7: /* indirect table length not a multiple of 16 */
		set(&table[0], b, 8, WRITE, 0);
		set(&descs[0], (uintptr_t)table, 20, INDIRECT, 0);
		break;
	case 8: /* available index jumps past the queue size */
		set(&descs[0], b, 8, WRITE, 0);
		step = QSIZE + 3;
		break;
	}
	submit(0, step);
}

static void check_good(int after)
{
	zero(buf, sizeof(buf));
	driver_init();
	set(&descs[0], (uintptr_t)buf, sizeof(buf), WRITE, 0);
	submit(0, 1);
	__sync_synchronize();
	if (*(volatile uint16_t *)&used.idx != 1 || used.ring[0].len != 64 ||
	    (*reg(0x70) & 0x40)) {
		put("good request failed after bad kind ");
		put_num(after);
		put("\n");
		failures++;
	}
	*reg(0x64) = *reg(0x60);
}

int main(void)
{
	for (int kind = 0; kind < KINDS; kind++) {
		uint32_t status, isr;

		driver_init();
		make_bad(kind);
		status = *reg(0x70);
		isr = *reg(0x60);
		put("bad kind ");
		put_num(kind);
		if ((status & 0x40) && (isr & 2) && used.idx == 0) {
			put(": NEEDS_RESET\n");
		} else {
			put(": NOT DETECTED\n");
			failures++;
		}
		*reg(0x64) = isr;
		check_good(kind);
	}
	put(failures ? "FAIL\n" : "PASS\n");
	*(volatile uint32_t *)FINISHER = failures ? (failures << 16) | 0x3333 :
						    0x5555;
	for (;;) {
	}
}

__asm__(".section .text.start\n"
	".globl _start\n"
	"_start:\n"
	"	lla sp, stack_top\n"
	"	call main\n"
	"1:	j 1b\n");
static uint8_t stack[8192] __attribute__((aligned(16), used));
__asm__(".globl stack_top\n"
	".set stack_top, stack + 8192\n");
"""


def test_bad_chains_from_a_bare_metal_guest(tmp_path):
    gcc = require_tool("riscv64-linux-gnu-gcc")
    src = tmp_path / "badring.c"
    src.write_text(GUEST)
    elf = tmp_path / "badring.elf"
    subprocess.run([gcc, "-O1", "-ffreestanding", "-nostdlib", "-static", "-fno-pie",
                    "-no-pie",
                    "-mcmodel=medany", "-march=rv64gc", "-mabi=lp64d",
                    "-Wl,-Ttext=0x80000000", "-Wl,-N", "-Wl,--no-relax",
                    "-Wl,-e,_start",
                    "-Wl,--build-id=none", "-Wl,--no-warn-rwx-segments",
                    "-o", str(elf), str(src)], check=True)
    done = subprocess.run([str(program("mimic-system-riscv64")), "-M", "virt",
                           "-display", "none", "-bios", "none",
                           "-kernel", str(elf), "-serial", "stdio",
                           "-device", "virtio-rng-device",
                           "-d", "guest_errors"],
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=60)
    assert "PASS" in done.stdout, done.stdout + done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": NEEDS_RESET") == 9, done.stdout
    # One log line under -d guest_errors per breakage, naming the device.
    logged = [line for line in done.stderr.splitlines()
              if "virtio-rng" in line and "needs reset" in line]
    assert len(logged) == 9, done.stderr
