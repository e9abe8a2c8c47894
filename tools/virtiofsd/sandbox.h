/* SPDX-License-Identifier: MIT */
/* Confinement: mount namespace + pivot_root or chroot, capabilities, seccomp. */
#ifndef VIRTIOFSD_SANDBOX_H
#define VIRTIOFSD_SANDBOX_H

#include <stdbool.h>

#include "tools/virtiofsd/options.h"

/*
 * Make shared_dir the process's root. On success *root_path is the path of
 * the shared directory inside the sandbox ("/" unless mode is none). If the
 * requested mode cannot be set up, falls back (one log line) to a weaker one.
 */
bool sandbox_enter(enum sandbox_mode mode, const char *shared_dir,
		   const char **root_path);
/* Keep only the capabilities a file server needs. */
void sandbox_drop_capabilities(void);
/* Install the system call allowlist. */
bool sandbox_seccomp(enum seccomp_mode mode);

#endif
