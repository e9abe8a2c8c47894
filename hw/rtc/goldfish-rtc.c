/* SPDX-License-Identifier: MIT */
/* The Goldfish RTC: reading TIME_LOW latches TIME_HIGH; the guest may set
 * the time (kept as an offset from the host clock). Alarms fire from a
 * main-loop timer. */
#include <stdlib.h>
#include <time.h>

#include "hw/core/bql.h"
#include "hw/core/fdt.h"
#include "hw/rtc/goldfish-rtc.h"
#include "util/main-loop.h"

#define RTC_TIME_LOW 0x00
#define RTC_TIME_HIGH 0x04
#define RTC_ALARM_LOW 0x08
#define RTC_ALARM_HIGH 0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_ALARM 0x14
#define RTC_ALARM_STATUS 0x18
#define RTC_CLEAR_INTERRUPT 0x1c

struct goldfish_rtc {
	struct device dev;
	int64_t offset_ns; /* guest time - host time */
	uint32_t time_high; /* latched by reading TIME_LOW */
	uint64_t alarm_ns;
	bool alarm_running;
	uint32_t irq_enabled;
	uint32_t irq_pending;
	bool timer_armed; /* a main-loop timer will look at the alarm */
	bool freed; /* gone while that timer was pending: it frees us */
};

static struct goldfish_rtc *to_rtc(struct device *dev)
{
	return container_of(dev, struct goldfish_rtc, dev);
}

static uint64_t goldfish_rtc_now(struct goldfish_rtc *r)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec + r->offset_ns;
}

static void goldfish_rtc_check_alarm(struct goldfish_rtc *r)
{
	if (r->alarm_running && goldfish_rtc_now(r) >= r->alarm_ns) {
		r->alarm_running = false;
		r->irq_pending = 1;
	}
	irq_line_set(&r->dev.irq, r->irq_pending && r->irq_enabled);
}

static void goldfish_rtc_timer(void *opaque);

/* One timer at a time, at most a second away, whatever the guest writes:
 * a guest cannot pile up timers. */
static void goldfish_rtc_arm_timer(struct goldfish_rtc *r)
{
	uint64_t now = goldfish_rtc_now(r);

	if (r->timer_armed || !r->alarm_running || r->alarm_ns <= now) {
		return;
	}
	r->timer_armed = true;
	main_loop_timer(MIN(r->alarm_ns - now, 1000000000ull),
			goldfish_rtc_timer, r);
}

/* Main loop: the alarm may be due. */
static void goldfish_rtc_timer(void *opaque)
{
	struct goldfish_rtc *r = opaque;

	bql_lock();
	if (r->freed) {
		bql_unlock();
		free(r);
		return;
	}
	r->timer_armed = false;
	goldfish_rtc_check_alarm(r);
	goldfish_rtc_arm_timer(r);
	bql_unlock();
}

static void goldfish_rtc_arm(struct goldfish_rtc *r)
{
	r->alarm_running = true;
	goldfish_rtc_arm_timer(r);
}

static bool goldfish_rtc_read(struct device *dev, uint64_t off, unsigned size,
			      uint64_t *val)
{
	struct goldfish_rtc *r = to_rtc(dev);
	uint64_t now;

	goldfish_rtc_check_alarm(r);
	switch (off) {
	case RTC_TIME_LOW:
		now = goldfish_rtc_now(r);
		r->time_high = now >> 32;
		*val = size == 8 ? now : (uint32_t)now;
		break;
	case RTC_TIME_HIGH:
		*val = r->time_high;
		break;
	case RTC_ALARM_LOW:
		*val = (uint32_t)r->alarm_ns;
		break;
	case RTC_ALARM_HIGH:
		*val = r->alarm_ns >> 32;
		break;
	case RTC_IRQ_ENABLED:
		*val = r->irq_enabled;
		break;
	case RTC_ALARM_STATUS:
		*val = r->alarm_running;
		break;
	default:
		*val = 0;
	}
	return true;
}

static bool goldfish_rtc_write(struct device *dev, uint64_t off, unsigned size,
			       uint64_t val)
{
	struct goldfish_rtc *r = to_rtc(dev);
	uint64_t now = goldfish_rtc_now(r);

	switch (off) {
	case RTC_TIME_LOW:
		r->offset_ns +=
			(int64_t)((now & ~0xffffffffull) | (uint32_t)val) -
			(int64_t)now;
		break;
	case RTC_TIME_HIGH:
		r->offset_ns +=
			(int64_t)((val << 32) | (uint32_t)now) - (int64_t)now;
		break;
	case RTC_ALARM_LOW:
		r->alarm_ns = (r->alarm_ns & ~0xffffffffull) | (uint32_t)val;
		goldfish_rtc_arm(r);
		break;
	case RTC_ALARM_HIGH:
		r->alarm_ns = (r->alarm_ns & 0xffffffffull) | (val << 32);
		break;
	case RTC_IRQ_ENABLED:
		r->irq_enabled = val & 1;
		break;
	case RTC_CLEAR_ALARM:
		r->alarm_running = false;
		break;
	case RTC_CLEAR_INTERRUPT:
		r->irq_pending = 0;
		break;
	default:
		break;
	}
	goldfish_rtc_check_alarm(r);
	return true;
}

static void goldfish_rtc_reset(struct device *dev)
{
	struct goldfish_rtc *r = to_rtc(dev);

	r->alarm_running = false;
	r->irq_enabled = 0;
	r->irq_pending = 0;
	irq_line_set(&dev->irq, 0);
}

static bool goldfish_rtc_fdt_node(struct device *dev, struct fdt_ctx *ctx,
				  struct error **errp)
{
	int node = fdt_ctx_add_mmio_node(ctx, "rtc", dev->base, dev->size);

	fdt_ctx_set_string(ctx, node, "compatible", "google,goldfish-rtc");
	fdt_ctx_set_plic_irq(ctx, node, dev->irq.irq);
	return !ctx->err;
}

static void goldfish_rtc_free(struct device *dev)
{
	struct goldfish_rtc *r = to_rtc(dev);

	/* A main-loop timer cannot be cancelled: it frees the RTC. */
	if (r->timer_armed) {
		r->freed = true;
		return;
	}
	free(r);
}

static const struct device_ops goldfish_rtc_ops = {
	.read = goldfish_rtc_read,
	.write = goldfish_rtc_write,
	.reset = goldfish_rtc_reset,
	.fdt_node = goldfish_rtc_fdt_node,
	.free = goldfish_rtc_free,
};

struct device *goldfish_rtc_new(gpa_t base, struct irq_line irq,
				int64_t offset_ns, struct error **errp)
{
	struct goldfish_rtc *r = calloc(1, sizeof(*r));

	if (!r) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	r->offset_ns = offset_ns;
	r->dev.ops = &goldfish_rtc_ops;
	r->dev.name = "rtc";
	r->dev.base = base;
	r->dev.size = 0x1000;
	r->dev.irq = irq;
	return &r->dev;
}
