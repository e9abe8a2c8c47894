/* SPDX-License-Identifier: MIT */
/* The SiFive test finisher: one register that ends or resets the machine,
 * plus the syscon-poweroff and syscon-reboot nodes that point at it. */
#include <stdlib.h>

#include "hw/core/fdt.h"
#include "hw/misc/sifive-test.h"
#include "util/log.h"

struct sifive_test {
	struct device dev;
	sifive_test_fn *fn;
	void *opaque;
};

static struct sifive_test *to_test(struct device *dev)
{
	return container_of(dev, struct sifive_test, dev);
}

static bool sifive_test_read(struct device *dev, uint64_t off, unsigned size,
			     uint64_t *val)
{
	*val = 0;
	return true;
}

static bool sifive_test_write(struct device *dev, uint64_t off, unsigned size,
			      uint64_t val)
{
	struct sifive_test *t = to_test(dev);
	int code = (val >> 16) & 0xffff;

	if (off != 0) {
		return true;
	}
	switch (val & 0xffff) {
	case SIFIVE_TEST_PASS:
		t->fn(t->opaque, SIFIVE_TEST_POWEROFF, 0);
		break;
	case SIFIVE_TEST_RESET:
		t->fn(t->opaque, SIFIVE_TEST_REBOOT, 0);
		break;
	case SIFIVE_TEST_FAIL:
		t->fn(t->opaque, SIFIVE_TEST_EXIT, code ? code : 1);
		break;
	default:
		log_mask_printf(LOG_GUEST_ERROR,
				"sifive_test: unknown value 0x%llx\n",
				(unsigned long long)val);
	}
	return true;
}

static bool sifive_test_fdt_node(struct device *dev, struct fdt_ctx *ctx,
				 struct error **errp)
{
	static const char compat[] = "sifive,test1\0sifive,test0\0syscon";
	uint32_t phandle = fdt_ctx_alloc_phandle(ctx);
	int node = fdt_ctx_add_mmio_node(ctx, "test", dev->base, dev->size);
	static const struct {
		const char *name;
		const char *compat;
		uint32_t value;
	} actions[] = {
		{ "poweroff", "syscon-poweroff", SIFIVE_TEST_PASS },
		{ "reboot", "syscon-reboot", SIFIVE_TEST_RESET },
	};

	fdt_ctx_set_strings(ctx, node, "compatible", compat, sizeof(compat));
	fdt_ctx_set_u32(ctx, node, "phandle", phandle);
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
		int sub = fdt_ctx_add_node(ctx, "/soc", actions[i].name);

		fdt_ctx_set_string(ctx, sub, "compatible", actions[i].compat);
		fdt_ctx_set_u32(ctx, sub, "regmap", phandle);
		fdt_ctx_set_u32(ctx, sub, "offset", 0);
		fdt_ctx_set_u32(ctx, sub, "value", actions[i].value);
	}
	return !ctx->err;
}

static void sifive_test_free(struct device *dev)
{
	free(to_test(dev));
}

static const struct device_ops sifive_test_ops = {
	.read = sifive_test_read,
	.write = sifive_test_write,
	.fdt_node = sifive_test_fdt_node,
	.free = sifive_test_free,
};

struct device *sifive_test_new(gpa_t base, sifive_test_fn *fn, void *opaque,
			       struct error **errp)
{
	struct sifive_test *t = calloc(1, sizeof(*t));

	if (!t) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	t->dev.ops = &sifive_test_ops;
	t->dev.name = "test";
	t->dev.base = base;
	t->dev.size = 0x1000;
	t->fn = fn;
	t->opaque = opaque;
	return &t->dev;
}
