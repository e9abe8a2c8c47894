/* SPDX-License-Identifier: MIT */
/* The -d log categories and the -D log file. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/types.h"

unsigned log_mask;
static FILE *log_file;

static const struct {
	const char *name;
	unsigned mask;
	const char *help;
} log_names[] = {
	{ "guest_errors", LOG_GUEST_ERROR, "invalid operations by the guest" },
	{ "unimp", LOG_UNIMP, "features the guest used that are missing" },
	{ "int", LOG_INT, "interrupts and exceptions taken" },
	{ "in_asm", LOG_IN_ASM, "guest code as it is translated" },
	{ "exec", LOG_EXEC, "every translation block executed" },
	{ "cpu", LOG_CPU, "CPU registers before each block" },
	{ "strace", LOG_STRACE, "system calls (user mode)" },
	{ "page", LOG_PAGE, "guest memory mappings" },
};

void log_list_categories(void)
{
	printf("Log items (comma separated):\n");
	for (size_t i = 0; i < ARRAY_SIZE(log_names); i++) {
		printf("%-14s %s\n", log_names[i].name, log_names[i].help);
	}
}

bool log_set_categories(const char *list, struct error **errp)
{
	char *copy = strdup(list), *save = NULL, *tok;
	unsigned mask = 0;
	bool ok = true;

	if (!copy) {
		error_setg(errp, "out of memory");
		return false;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		if (!strcmp(tok, "help")) {
			log_list_categories();
			free(copy);
			exit(0);
		}
		for (i = 0; i < ARRAY_SIZE(log_names); i++) {
			if (!strcmp(tok, log_names[i].name)) {
				mask |= log_names[i].mask;
				break;
			}
		}
		if (i == ARRAY_SIZE(log_names)) {
			error_setg(
				errp,
				"unknown log category '%s' (-d help lists them)",
				tok);
			ok = false;
			break;
		}
	}
	free(copy);
	if (ok) {
		log_mask |= mask;
	}
	return ok;
}

bool log_set_file(const char *path, struct error **errp)
{
	FILE *f = fopen(path, "a");

	if (!f) {
		error_setg_errno(errp, errno, "cannot open log file '%s'",
				 path);
		return false;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	if (log_file) {
		fclose(log_file);
	}
	log_file = f;
	return true;
}

void log_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(log_file ? log_file : stderr, fmt, ap);
	va_end(ap);
}
