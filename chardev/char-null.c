/* SPDX-License-Identifier: MIT */
/* The null chardev: output vanishes, input never comes. */
#include <stdlib.h>

#include "chardev/char.h"

static struct chardev *chardev_null_open(struct opts *opts, struct error **errp)
{
	struct chardev *chr = calloc(1, sizeof(*chr));

	if (!chr) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	chardev_init_common(chr, NULL, -1);
	return chr;
}

static const struct chardev_backend chardev_null_backend = {
	.name = "null",
	.open = chardev_null_open,
};

void chardev_null_register(void)
{
	chardev_backend_register(&chardev_null_backend);
}
