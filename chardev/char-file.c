/* SPDX-License-Identifier: MIT */
/* The file chardev: output appended to (or truncating) a host file. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "chardev/char.h"
#include "util/options.h"
#include "util/types.h"

struct chardev_file {
	struct chardev chr;
	int out_fd;
};

static struct chardev *chardev_file_open(struct opts *opts, struct error **errp)
{
	const char *path = opts_get(opts, "path");
	const char *in_path = opts_get(opts, "input-path");
	struct chardev_file *f;
	bool append;
	int fd, in_fd = -1;

	if (!path) {
		error_setg(errp, "-chardev file: path= is required");
		return NULL;
	}
	if (!opts_get_bool(opts, "append", false, &append, errp)) {
		return NULL;
	}
	fd = open(path,
		  O_WRONLY | O_CREAT | O_CLOEXEC |
			  (append ? O_APPEND : O_TRUNC),
		  0666);
	if (fd < 0) {
		error_setg_errno(errp, errno, "could not open '%s'", path);
		return NULL;
	}
	if (in_path) {
		in_fd = open(in_path, O_RDONLY | O_CLOEXEC);
		if (in_fd < 0) {
			error_setg_errno(errp, errno, "could not open '%s'",
					 in_path);
			close(fd);
			return NULL;
		}
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		error_setg(errp, "out of memory");
		close(fd);
		return NULL;
	}
	f->out_fd = fd;
	chardev_init_common(&f->chr, NULL, in_fd);
	return &f->chr;
}

static void chardev_file_write(struct chardev *chr, const uint8_t *buf,
			       size_t len)
{
	struct chardev_file *f = container_of(chr, struct chardev_file, chr);

	chardev_write_fd(f->out_fd, buf, len);
}

static const struct chardev_backend chardev_file_backend = {
	.name = "file",
	.open = chardev_file_open,
	.write = chardev_file_write,
};

void chardev_file_register(void)
{
	chardev_backend_register(&chardev_file_backend);
}
