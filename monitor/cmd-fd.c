/* SPDX-License-Identifier: MIT */
/* getfd and closefd: file descriptors a client passes over the unix socket
 * (SCM_RIGHTS) and names, as QEMU keeps them per monitor. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "monitor/monitor-internal.h"

/* Keep the last fd received; one not claimed by getfd before is closed. */
void monitor_take_msgfd(struct monitor *mon, int fd)
{
	if (mon->msgfd >= 0) {
		close(mon->msgfd);
	}
	mon->msgfd = fd;
}

void monitor_close_fds(struct monitor *mon)
{
	monitor_take_msgfd(mon, -1);
	while (mon->fds) {
		struct monitor_fd *f = mon->fds;

		mon->fds = f->next;
		close(f->fd);
		free(f->name);
		free(f);
	}
}

static struct monitor_fd *monitor_fd_find(struct monitor *mon, const char *name)
{
	for (struct monitor_fd *f = mon->fds; f; f = f->next) {
		if (!strcmp(f->name, name)) {
			return f;
		}
	}
	return NULL;
}

json_object *qmp_getfd(struct qmp_request *req, struct error **errp)
{
	const char *name = json_object_get_string(
		json_object_object_get(req->args, "fdname"));
	struct monitor *mon = req->mon;
	struct monitor_fd *f;

	if (!mon || mon->msgfd < 0) {
		error_setg(errp, "No file descriptor supplied via SCM_RIGHTS");
		return NULL;
	}
	if (isdigit((unsigned char)name[0])) {
		monitor_take_msgfd(mon, -1);
		error_setg(errp, "Parameter 'fdname' expects a name not "
				 "starting with a digit");
		return NULL;
	}
	f = monitor_fd_find(mon, name);
	if (f) {
		close(f->fd);
	} else {
		f = calloc(1, sizeof(*f));
		if (!f || !(f->name = strdup(name))) {
			free(f);
			error_setg(errp, "out of memory");
			return NULL;
		}
		f->next = mon->fds;
		mon->fds = f;
	}
	f->fd = mon->msgfd;
	mon->msgfd = -1;
	return json_object_new_object();
}

json_object *qmp_closefd(struct qmp_request *req, struct error **errp)
{
	const char *name = json_object_get_string(
		json_object_object_get(req->args, "fdname"));
	struct monitor_fd **pp;

	for (pp = req->mon ? &req->mon->fds : NULL; pp && *pp;
	     pp = &(*pp)->next) {
		struct monitor_fd *f = *pp;

		if (!strcmp(f->name, name)) {
			*pp = f->next;
			close(f->fd);
			free(f->name);
			free(f);
			return json_object_new_object();
		}
	}
	error_setg(errp, "File descriptor named '%s' not found", name);
	return NULL;
}
