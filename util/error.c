/* SPDX-License-Identifier: MIT */
/* Errors a user must read: construction, propagation and reporting. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static bool timestamps;

void error_set_timestamps(bool on)
{
	timestamps = on;
}

/* "-msg timestamp=on": UTC with microseconds, as QEMU prints it. */
static void report_prefix(void)
{
	struct timespec ts;
	struct tm tm;

	if (timestamps) {
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		fprintf(stderr, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ ",
			tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000);
	}
	fprintf(stderr, "%s: ", progname);
}

void error_report_err(struct error *err)
{
	report_prefix();
	fprintf(stderr, "%s\n", error_get_message(err));
	error_free(err);
}

static void report(const char *kind, const char *fmt, va_list ap)
{
	report_prefix();
	fputs(kind, stderr);
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
