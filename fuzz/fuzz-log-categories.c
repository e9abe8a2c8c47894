/* SPDX-License-Identifier: MIT */
/* Fuzz target: the -d log category list parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct error *err = NULL;
	char *list = malloc(size + 1);

	if (!list) {
		return 0;
	}
	memcpy(list, data, size);
	list[size] = '\0';
	/* "help" prints and exits: not a parser bug. */
	if (!strstr(list, "help")) {
		log_set_categories(list, &err);
		error_free(err);
	}
	log_mask = 0;
	free(list);
	return 0;
}
