/* SPDX-License-Identifier: MIT */
/* Runs every registered unit test; `run-unit FILTER` runs the matching ones. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"

static struct unit_test *tests;
static int failures_in_test;

void unit_register(struct unit_test *test)
{
	struct unit_test **tail = &tests;

	while (*tail) {
		tail = &(*tail)->next;
	}
	*tail = test;
}

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  %s:%d: check failed: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failures_in_test++;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	int passed = 0, failed = 0;

	for (struct unit_test *t = tests; t; t = t->next) {
		if (filter && !strstr(t->name, filter)) {
			continue;
		}
		failures_in_test = 0;
		t->fn();
		if (failures_in_test) {
			printf("FAIL %s\n", t->name);
			failed++;
		} else {
			printf("ok   %s\n", t->name);
			passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
