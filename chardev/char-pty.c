/* SPDX-License-Identifier: MIT */
/* The pty chardev: a pseudo-terminal whose name is printed at start-up. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "chardev/char.h"
#include "util/main-loop.h"
#include "util/options.h"
#include "util/types.h"

struct chardev_pty {
	struct chardev chr;
	int master;
};

static struct chardev *chardev_pty_open(struct opts *opts, struct error **errp)
{
	struct chardev_pty *p;
	struct termios tty;
	int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0 || grantpt(fd) < 0 || unlockpt(fd) < 0) {
		error_setg_errno(errp, errno, "could not open a pty");
		if (fd >= 0) {
			close(fd);
		}
		return NULL;
	}
	if (tcgetattr(fd, &tty) == 0) {
		cfmakeraw(&tty);
		tcsetattr(fd, TCSANOW, &tty);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	p = calloc(1, sizeof(*p));
	if (!p) {
		close(fd);
		error_setg(errp, "out of memory");
		return NULL;
	}
	p->master = fd;
	chardev_init_common(&p->chr, NULL, fd);
	fprintf(stderr, "char device redirected to %s (label %s)\n",
		ptsname(fd), opts_get(opts, "id") ? opts_get(opts, "id") : "");
	return &p->chr;
}

static void chardev_pty_write(struct chardev *chr, const uint8_t *buf,
			      size_t len)
{
	struct chardev_pty *p = container_of(chr, struct chardev_pty, chr);

	chardev_write_fd(p->master, buf, len);
}

static void chardev_pty_rearm(void *opaque)
{
	struct chardev_pty *p = opaque;

	chardev_set_input_fd(&p->chr, p->master);
}

static void chardev_pty_hangup(struct chardev *chr)
{
	struct chardev_pty *p = container_of(chr, struct chardev_pty, chr);

	/* Nobody has the slave open (EIO, HUP): look again in a second, as
	 * QEMU does, for whoever opens it next. */
	main_loop_timer(1000000000ull, chardev_pty_rearm, p);
}

static const struct chardev_backend chardev_pty_backend = {
	.name = "pty",
	.open = chardev_pty_open,
	.write = chardev_pty_write,
	.hangup = chardev_pty_hangup,
};

void chardev_pty_register(void)
{
	chardev_backend_register(&chardev_pty_backend);
}
