/* SPDX-License-Identifier: MIT */
/* mimic-virtiofsd's command line, in the style of the Rust virtiofsd. */
#ifndef VIRTIOFSD_OPTIONS_H
#define VIRTIOFSD_OPTIONS_H

#include <stdbool.h>

#include "tools/virtiofsd/fs.h"

enum sandbox_mode {
	SANDBOX_NAMESPACE,
	SANDBOX_CHROOT,
	SANDBOX_NONE,
};

enum seccomp_mode {
	SECCOMP_KILL,
	SECCOMP_LOG,
	SECCOMP_NONE,
};

struct options {
	const char *socket_path;
	int fd;
	const char *shared_dir;
	const char *tag;
	struct fs_config fs;
	enum sandbox_mode sandbox;
	enum seccomp_mode seccomp;
	unsigned thread_pool_size;
	unsigned num_request_queues;
	int log_level; /* enum vub_log_level, or -1 for off */
	bool print_capabilities;
	bool help;
	bool version;
};

/* Parse argv; on error print one line to stderr and return false. */
bool options_parse(struct options *opts, int argc, char **argv);
void options_usage(const char *prog);

#endif
