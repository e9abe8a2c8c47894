/* SPDX-License-Identifier: MIT */
/* Stream sockets named as QEMU names them: unix:PATH or tcp:HOST:PORT. */
#ifndef MIMIC_UTIL_SOCKET_H
#define MIMIC_UTIL_SOCKET_H

#include <stdbool.h>

#include "util/error.h"

/*
 * Bind and listen (server) or connect (client) a stream socket at
 * "unix:PATH" or "tcp:HOST:PORT" (empty HOST: every address); a server's
 * unix PATH is unlinked first. The fd (close-on-exec), or -1 with errp set.
 */
int socket_open(const char *addr, bool server, struct error **errp);

#endif
