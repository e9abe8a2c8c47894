/* SPDX-License-Identifier: MIT */
/* Unit tests of the virt board's devices: UART, PLIC and CLINT registers. */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hw/char/serial.h"
#include "hw/intc/clint.h"
#include "hw/intc/plic.h"
#include "hw/misc/sifive-test.h"
#include "hw/rtc/goldfish-rtc.h"
#include "tests/unit/unit.h"

struct irq_probe {
	int level[128];
};

static void probe_set_irq(void *opaque, int irq, int level)
{
	((struct irq_probe *)opaque)->level[irq] = level;
}

static uint64_t rd(struct device *dev, uint64_t off, unsigned size)
{
	uint64_t v = 0xdead;

	CHECK(dev->ops->read(dev, off, size, &v));
	return v;
}

static void wr(struct device *dev, uint64_t off, unsigned size, uint64_t v)
{
	CHECK(dev->ops->write(dev, off, size, v));
}

TEST(serial_divisor_latch_and_scratch)
{
	struct irq_probe probe = { { 0 } };
	struct device *uart = serial_new(
		0x10000000, (struct irq_line){ probe_set_irq, &probe, 10 },
		NULL, NULL);

	CHECK(uart);
	wr(uart, 3, 1, 0x80); /* DLAB */
	wr(uart, 0, 1, 0x01);
	wr(uart, 1, 1, 0x02);
	CHECK_EQ(rd(uart, 0, 1), 0x01);
	CHECK_EQ(rd(uart, 1, 1), 0x02);
	wr(uart, 3, 1, 0x03); /* 8N1, DLAB off */
	CHECK_EQ(rd(uart, 1, 1), 0); /* IER again */
	wr(uart, 7, 1, 0x5a);
	CHECK_EQ(rd(uart, 7, 1), 0x5a);
	CHECK_EQ(rd(uart, 5, 1), 0x60); /* THRE | TEMT */
	CHECK_EQ(rd(uart, 2, 1), 0x01); /* no interrupt */
	CHECK_EQ(probe.level[10], 0);
	uart->ops->free(uart);
}

TEST(serial_thre_interrupt_like_8250_startup)
{
	struct irq_probe probe = { { 0 } };
	struct device *uart = serial_new(
		0, (struct irq_line){ probe_set_irq, &probe, 10 }, NULL, NULL);

	wr(uart, 1, 1, 0x02); /* IER = THRI */
	CHECK_EQ(probe.level[10], 1);
	CHECK_EQ(rd(uart, 2, 1), 0x02); /* IIR: THRI, read clears it */
	CHECK_EQ(probe.level[10], 0);
	CHECK_EQ(rd(uart, 2, 1), 0x01);
	wr(uart, 1, 1, 0);
	wr(uart, 1, 1, 0x02);
	CHECK_EQ(rd(uart, 2, 1), 0x02);
	wr(uart, 0, 1, 'x'); /* transmit: THR empty again */
	CHECK_EQ(probe.level[10], 1);
	uart->ops->free(uart);
}

TEST(serial_receive_fifo_and_interrupt)
{
	struct irq_probe probe = { { 0 } };
	struct device *uart = serial_new(
		0, (struct irq_line){ probe_set_irq, &probe, 10 }, NULL, NULL);
	uint8_t many[40];

	memset(many, 'a', sizeof(many));
	/* Without the FIFO the receiver holds one byte. */
	CHECK_EQ(serial_receive(uart, (const uint8_t *)"hi", 2), 1);
	CHECK_EQ(rd(uart, 5, 1) & 1, 1);
	CHECK_EQ(probe.level[10], 0); /* RDI not enabled */
	wr(uart, 1, 1, 0x01);
	CHECK_EQ(probe.level[10], 1);
	CHECK_EQ(rd(uart, 2, 1), 0x04); /* no FIFO: data available */
	CHECK_EQ(rd(uart, 0, 1), 'h');
	CHECK_EQ(probe.level[10], 0);
	wr(uart, 2, 1, 0xc7); /* FIFO on, clear, trigger 14 */
	CHECK_EQ(serial_receive(uart, many, sizeof(many)), 16);
	CHECK_EQ(rd(uart, 2, 1), 0xc4); /* FIFO on, RDI */
	for (int i = 0; i < 16; i++) {
		CHECK_EQ(rd(uart, 0, 1), 'a');
	}
	CHECK_EQ(rd(uart, 5, 1) & 1, 0);
	CHECK_EQ(rd(uart, 2, 1), 0xc1);
	uart->ops->free(uart);
}

TEST(serial_loopback)
{
	struct device *uart = serial_new(0, (struct irq_line){ 0 }, NULL, NULL);

	wr(uart, 4, 1, 0x10 | 0x02); /* LOOP | RTS */
	CHECK_EQ(rd(uart, 6, 1) & 0xf0, 0x10); /* CTS follows RTS */
	wr(uart, 0, 1, 'z');
	CHECK_EQ(rd(uart, 0, 1), 'z');
	uart->ops->free(uart);
}

struct plic_probe {
	bool out[16];
};

static void plic_probe_output(void *opaque, unsigned ctx, bool level)
{
	((struct plic_probe *)opaque)->out[ctx] = level;
}

TEST(plic_claim_complete_priority_threshold)
{
	struct plic_probe probe = { { 0 } };
	struct device *plic =
		plic_new(0x0c000000, 2, plic_probe_output, &probe, NULL);
	struct irq_line uart = plic_irq_line(plic, 10);
	struct irq_line rtc = plic_irq_line(plic, 11);

	CHECK(plic);
	CHECK_EQ(plic->size, 0x200000 + 4 * 0x1000);
	wr(plic, 4 * 10, 4, 1);
	wr(plic, 4 * 11, 4, 5);
	CHECK_EQ(rd(plic, 4 * 11, 4), 5);
	/* Context 1 (hart 0, S-mode) enables both. */
	wr(plic, 0x2000 + 0x80 * 1, 4, (1u << 10) | (1u << 11));
	irq_line_set(&uart, 1);
	CHECK_EQ(rd(plic, 0x1000, 4), 1u << 10);
	CHECK(probe.out[1]);
	CHECK(!probe.out[0]); /* M context has nothing enabled */
	irq_line_set(&rtc, 1);
	/* Highest priority first. */
	CHECK_EQ(rd(plic, 0x200000 + 0x1000 * 1 + 4, 4), 11);
	CHECK_EQ(rd(plic, 0x200000 + 0x1000 * 1 + 4, 4), 10);
	CHECK(!probe.out[1]); /* both claimed */
	CHECK_EQ(rd(plic, 0x200000 + 0x1000 * 1 + 4, 4), 0);
	/* The UART line is still high: completing pends it again. */
	wr(plic, 0x200000 + 0x1000 * 1 + 4, 4, 10);
	CHECK(probe.out[1]);
	/* Threshold 1 masks priority 1. */
	wr(plic, 0x200000 + 0x1000 * 1, 4, 1);
	CHECK(!probe.out[1]);
	wr(plic, 0x200000 + 0x1000 * 1, 4, 0);
	CHECK(probe.out[1]);
	irq_line_set(&uart, 0);
	CHECK(!probe.out[1]);
	/* Context 5 does not exist for 2 harts: reads as 0. */
	CHECK_EQ(rd(plic, 0x200000 + 0x1000 * 5 + 4, 4), 0);
	CHECK(!plic->ops->read(plic, 0, 8, &(uint64_t){ 0 }));
	plic->ops->free(plic);
}

struct clint_probe {
	bool msip[8];
	uint64_t mtimecmp[8];
	uint64_t now;
};

static void clint_probe_msip(void *opaque, unsigned hart, bool level)
{
	((struct clint_probe *)opaque)->msip[hart] = level;
}

static void clint_probe_mtimecmp(void *opaque, unsigned hart, uint64_t v)
{
	((struct clint_probe *)opaque)->mtimecmp[hart] = v;
}

static uint64_t clint_probe_time(void *opaque)
{
	return ((struct clint_probe *)opaque)->now;
}

TEST(clint_msip_mtimecmp_mtime)
{
	static const struct clint_hart_ops ops = { clint_probe_msip,
						   clint_probe_mtimecmp,
						   clint_probe_time };
	struct clint_probe probe = { .now = 0x123456789ull };
	struct device *clint = clint_new(0x2000000, 2, &ops, &probe, NULL);

	CHECK(clint);
	clint->ops->reset(clint);
	CHECK_EQ(probe.mtimecmp[1], UINT64_MAX);
	wr(clint, 4, 4, 1);
	CHECK(probe.msip[1]);
	CHECK(!probe.msip[0]);
	CHECK_EQ(rd(clint, 4, 4), 1);
	wr(clint, 4, 4, 0);
	CHECK(!probe.msip[1]);
	wr(clint, 0x4008, 8, 0x1000);
	CHECK_EQ(probe.mtimecmp[1], 0x1000);
	wr(clint, 0x400c, 4, 0x2); /* high half */
	CHECK_EQ(probe.mtimecmp[1], 0x200001000ull);
	CHECK_EQ(rd(clint, 0x4008, 8), 0x200001000ull);
	CHECK_EQ(rd(clint, 0xbff8, 8), 0x123456789ull);
	CHECK_EQ(rd(clint, 0xbff8, 4), 0x23456789);
	CHECK_EQ(rd(clint, 0xbffc, 4), 0x1);
	clint->ops->free(clint);
}

TEST(goldfish_rtc_reads_host_time_and_can_be_set)
{
	struct device *rtc =
		goldfish_rtc_new(0x101000, (struct irq_line){ 0 }, 0, NULL);
	uint64_t lo, hi, ns;
	time_t now = time(NULL);

	CHECK(rtc);
	lo = rd(rtc, 0x00, 4); /* TIME_LOW latches TIME_HIGH */
	hi = rd(rtc, 0x04, 4);
	ns = hi << 32 | lo;
	CHECK(ns / 1000000000ull >= (uint64_t)now - 1);
	CHECK(ns / 1000000000ull <= (uint64_t)now + 1);
	/* The guest sets the clock one hour back. */
	ns -= 3600ull * 1000000000ull;
	wr(rtc, 0x04, 4, ns >> 32);
	wr(rtc, 0x00, 4, (uint32_t)ns);
	lo = rd(rtc, 0x00, 4);
	hi = rd(rtc, 0x04, 4);
	CHECK((hi << 32 | lo) / 1000000000ull <= (uint64_t)now - 3590);
	rtc->ops->free(rtc);
}

struct finisher_probe {
	int action, code, calls;
};

static void finisher_probe_fn(void *opaque, enum sifive_test_action action,
			      int code)
{
	struct finisher_probe *p = opaque;

	p->action = action;
	p->code = code;
	p->calls++;
}

TEST(sifive_test_finisher_actions)
{
	struct finisher_probe probe = { -1, -1, 0 };
	struct device *t =
		sifive_test_new(0x100000, finisher_probe_fn, &probe, NULL);

	wr(t, 0, 4, 0x5555);
	CHECK_EQ(probe.action, SIFIVE_TEST_POWEROFF);
	wr(t, 0, 4, 0x7777);
	CHECK_EQ(probe.action, SIFIVE_TEST_REBOOT);
	wr(t, 0, 4, (42 << 16) | 0x3333);
	CHECK_EQ(probe.action, SIFIVE_TEST_EXIT);
	CHECK_EQ(probe.code, 42);
	wr(t, 0, 4, 0x1234); /* unknown: ignored */
	wr(t, 8, 4, 0x5555); /* other offsets: ignored */
	CHECK_EQ(probe.calls, 3);
	t->ops->free(t);
}

TEST(goldfish_rtc_alarm_raises_its_irq)
{
	struct irq_probe probe = { { 0 } };
	struct device *rtc = goldfish_rtc_new(
		0x101000, (struct irq_line){ probe_set_irq, &probe, 11 }, 0,
		NULL);
	uint64_t now, alarm;

	now = rd(rtc, 0x00, 4);
	now |= rd(rtc, 0x04, 4) << 32;
	alarm = now + 2000000; /* 2 ms */
	wr(rtc, 0x10, 4, 1); /* IRQ_ENABLED */
	wr(rtc, 0x0c, 4, alarm >> 32);
	wr(rtc, 0x08, 4, (uint32_t)alarm); /* arms */
	CHECK_EQ(rd(rtc, 0x18, 4), 1); /* ALARM_STATUS: running */
	CHECK_EQ(probe.level[11], 0);
	usleep(5000);
	CHECK_EQ(rd(rtc, 0x18, 4), 0); /* fired */
	CHECK_EQ(probe.level[11], 1);
	wr(rtc, 0x1c, 4, 1); /* CLEAR_INTERRUPT */
	CHECK_EQ(probe.level[11], 0);
	rtc->ops->free(rtc);
}
