/* SPDX-License-Identifier: MIT */
/* -object memory-backend-memfd / memory-backend-file: guest RAM in a file
 * descriptor that another process (a vhost-user backend) can map. */
#ifndef MIMIC_HW_CORE_MEMORY_BACKEND_H
#define MIMIC_HW_CORE_MEMORY_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

struct memory_backend {
	char *id;
	uint64_t size;
	bool share;
	char *mem_path; /* memory-backend-file, else NULL (memfd) */
	int fd; /* -1 until mapped */
	void *ptr;
	struct memory_backend *next;
};

/* Parse one -object argument (qom-type first: "memory-backend-memfd,
 * id=mem,size=512M,share=on"); other object types are refused. */
bool memory_backend_parse(const char *arg, struct error **errp);
struct memory_backend *memory_backend_find(const char *id);
/* The newest backend (then mb->next), for the monitor's query-memdev. */
struct memory_backend *memory_backend_first(void);
/* Create the file (memfd or mem-path), size it and map it; *size_out is
 * the size. Returns the host pointer or NULL. */
void *memory_backend_map(struct memory_backend *mb, struct error **errp);
/* Unmap and close every backend (at exit). */
void memory_backend_close_all(void);

#endif
