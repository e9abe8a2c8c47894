/* SPDX-License-Identifier: MIT */
/* Errors a user must read: set deep in the code, reported at the top. */
#ifndef MIMIC_UTIL_ERROR_H
#define MIMIC_UTIL_ERROR_H

#include <stdbool.h>

struct error;

/*
 * Functions that can fail for reasons a user must read take
 * `struct error **errp` last and return false on failure. errp may be NULL
 * when the caller does not care why.
 */
void error_setg(struct error **errp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* As error_setg, with ": strerror(errnum)" appended. */
void error_setg_errno(struct error **errp, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefix an existing error's message: "prefix: message". */
void error_prepend(struct error **errp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *error_get_message(const struct error *err);
void error_free(struct error *err);
/* Move src into *dst (or free it when dst is NULL or already set). */
void error_propagate(struct error **dst, struct error *src);

/* The program name printed before every message, e.g. "mimic-img". */
void error_set_progname(const char *name);
/* -msg timestamp=on: prefix every message with the UTC time. */
void error_set_timestamps(bool on);
/* Print "progname: message" on stderr and free the error. */
void error_report_err(struct error *err);
void error_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
