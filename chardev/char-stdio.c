/* SPDX-License-Identifier: MIT */
/* The stdio chardev: the host terminal in raw mode, restored on every exit. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "chardev/char.h"
#include "util/options.h"

struct chardev_stdio {
	struct chardev chr;
};

static struct termios saved_termios;
static volatile sig_atomic_t termios_saved;
static bool stdio_in_use;

void chardev_stdio_restore_terminal(void)
{
	if (termios_saved) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
	}
}

static void chardev_stdio_signal(int sig)
{
	chardev_stdio_restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void chardev_stdio_raw(bool allow_signals)
{
	struct termios tty;
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &tty) < 0) {
		return;
	}
	saved_termios = tty;
	termios_saved = 1;
	atexit(chardev_stdio_restore_terminal);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = chardev_stdio_signal;
		sigaction(sigs[i], &sa, NULL);
	}
	tty.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
			 ICRNL | IXON);
	tty.c_oflag |= OPOST;
	tty.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
	if (!allow_signals) {
		tty.c_lflag &= ~ISIG;
	}
	tty.c_cflag &= ~(CSIZE | PARENB);
	tty.c_cflag |= CS8;
	tty.c_cc[VMIN] = 1;
	tty.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &tty);
}

static struct chardev *chardev_stdio_open(struct opts *opts,
					  struct error **errp)
{
	struct chardev_stdio *s;
	bool allow_signals;

	if (stdio_in_use) {
		error_setg(errp,
			   "cannot use stdio by multiple character devices");
		return NULL;
	}
	if (!opts_get_bool(opts, "signal", true, &allow_signals, errp)) {
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	stdio_in_use = true;
	chardev_init_common(&s->chr, NULL, STDIN_FILENO);
	chardev_stdio_raw(allow_signals);
	return &s->chr;
}

static void chardev_stdio_write(struct chardev *chr, const uint8_t *buf,
				size_t len)
{
	chardev_write_fd(STDOUT_FILENO, buf, len);
}

static void chardev_stdio_close(struct chardev *chr)
{
	chardev_stdio_restore_terminal();
}

static const struct chardev_backend chardev_stdio_backend = {
	.name = "stdio",
	.open = chardev_stdio_open,
	.write = chardev_stdio_write,
	.close = chardev_stdio_close,
};

void chardev_stdio_register(void)
{
	chardev_backend_register(&chardev_stdio_backend);
}
