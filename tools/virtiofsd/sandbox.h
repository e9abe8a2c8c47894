/* SPDX-License-Identifier: MIT */
/* Confinement: mount namespace + pivot_root or chroot, capabilities, seccomp. */
#ifndef VIRTIOFSD_SANDBOX_H
#define VIRTIOFSD_SANDBOX_H

#include <stdbool.h>

#include "tools/virtiofsd/options.h"

/*
 * Make shared_dir the process's root. On success *root_path is the path of
 * the shared directory inside the sandbox ("/" unless mode is none) and
 * *proc_fd is an O_PATH fd of this process's /proc/self/fd. If the
 * requested mode cannot be set up, falls back (one log line) to a weaker one.
 * The namespace mode forks: the caller continues as PID 1 of a new PID
 * namespace while the original process waits and exits with its status.
 */
bool sandbox_enter(enum sandbox_mode mode, const char *shared_dir,
		   const char **root_path, int *proc_fd);
/* Keep only the capabilities a file server needs. */
void sandbox_drop_capabilities(void);
/* Install the system call allowlist. */
bool sandbox_seccomp(enum seccomp_mode mode);

#endif
