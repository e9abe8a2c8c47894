/* SPDX-License-Identifier: MIT */
/* Errors a user must read: construction, propagation and reporting. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

struct error {
	char *msg;
};

static const char *progname = "mimic";

static char *vformat(const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0) {
		return NULL;
	}
	return s;
}

static void error_install(struct error **errp, char *msg)
{
	struct error *err;

	if (!errp || *errp) {
		free(msg);
		return;
	}
	err = calloc(1, sizeof(*err));
	if (!err) {
		free(msg);
		return;
	}
	err->msg = msg ? msg : strdup("out of memory");
	*errp = err;
}

void error_setg(struct error **errp, const char *fmt, ...)
{
	va_list ap;

	if (!errp) {
		return;
	}
	va_start(ap, fmt);
	error_install(errp, vformat(fmt, ap));
	va_end(ap);
}

void error_setg_errno(struct error **errp, int errnum, const char *fmt, ...)
{
	va_list ap;
	char *msg, *full = NULL;

	if (!errp) {
		return;
	}
	va_start(ap, fmt);
	msg = vformat(fmt, ap);
	va_end(ap);
	if (msg && asprintf(&full, "%s: %s", msg, strerror(errnum)) < 0) {
		full = NULL;
	}
	free(msg);
	error_install(errp, full);
}

void error_prepend(struct error **errp, const char *fmt, ...)
{
	va_list ap;
	char *prefix, *full = NULL;

	if (!errp || !*errp) {
		return;
	}
	va_start(ap, fmt);
	prefix = vformat(fmt, ap);
	va_end(ap);
	if (prefix && asprintf(&full, "%s: %s", prefix, (*errp)->msg) >= 0) {
		free((*errp)->msg);
		(*errp)->msg = full;
	}
	free(prefix);
}

const char *error_get_message(const struct error *err)
{
	return err ? err->msg : "";
}

void error_free(struct error *err)
{
	if (err) {
		free(err->msg);
		free(err);
	}
}

void error_propagate(struct error **dst, struct error *src)
{
	if (!src) {
		return;
	}
	if (dst && !*dst) {
		*dst = src;
		return;
	}
	error_free(src);
}

void error_set_progname(const char *name)
{
	const char *slash = strrchr(name, '/');

	progname = slash ? slash + 1 : name;
}

void error_report_err(struct error *err)
{
	fprintf(stderr, "%s: %s\n", progname, error_get_message(err));
	error_free(err);
}

static void report(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", progname, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void error_report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("", fmt, ap);
	va_end(ap);
}

void warn_report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("warning: ", fmt, ap);
	va_end(ap);
}
