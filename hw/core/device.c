/* SPDX-License-Identifier: MIT */
/* Device types registered by name, for -device. */
#include <stdio.h>
#include <string.h>

#include "hw/core/device.h"

#define DEVICE_TYPES_MAX 64

static const struct device_type *device_types[DEVICE_TYPES_MAX];
static unsigned device_type_count;

void device_type_register(const struct device_type *type)
{
	if (device_type_count < DEVICE_TYPES_MAX) {
		device_types[device_type_count++] = type;
	}
}

const struct device_type *device_type_find(const char *name)
{
	for (unsigned i = 0; i < device_type_count; i++) {
		if (!strcmp(device_types[i]->name, name)) {
			return device_types[i];
		}
	}
	return NULL;
}

void device_type_list(void)
{
	printf("Devices (-device NAME,...):\n");
	for (unsigned i = 0; i < device_type_count; i++) {
		printf("  %-20s %s\n", device_types[i]->name,
		       device_types[i]->help ? device_types[i]->help : "");
	}
	if (!device_type_count) {
		printf("  (none yet)\n");
	}
}

void device_type_print_properties(const struct device_type *type)
{
	const char *props = type->properties;

	printf("%s options:\n", type->name);
	if (!props || !*props) {
		printf("  (none)\n");
		return;
	}
	while (*props) {
		const char *end = strchr(props, '\n');
		int len = end ? (int)(end - props) : (int)strlen(props);

		printf("  %.*s\n", len, props);
		props += len + (end ? 1 : 0);
	}
}
