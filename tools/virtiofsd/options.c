/* SPDX-License-Identifier: MIT */
/* mimic-virtiofsd's command line, in the style of the Rust virtiofsd. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/vhost-user-backend/vhost-user-backend.h"
#include "tools/virtiofsd/options.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct choice {
	const char *name;
	int value;
};

static const struct choice cache_choices[] = {
	{ "auto", FS_CACHE_AUTO },
	{ "always", FS_CACHE_ALWAYS },
	{ "never", FS_CACHE_NEVER },
	{ "none", FS_CACHE_NEVER },
	{ NULL, 0 },
};

static const struct choice sandbox_choices[] = {
	{ "namespace", SANDBOX_NAMESPACE },
	{ "chroot", SANDBOX_CHROOT },
	{ "none", SANDBOX_NONE },
	{ NULL, 0 },
};

static const struct choice seccomp_choices[] = {
	{ "kill", SECCOMP_KILL },
	{ "log", SECCOMP_LOG },
	{ "trap", SECCOMP_KILL },
	{ "none", SECCOMP_NONE },
	{ NULL, 0 },
};

static const struct choice log_choices[] = {
	{ "error", VUB_LOG_ERROR },
	{ "warn", VUB_LOG_WARN },
	{ "info", VUB_LOG_INFO },
	{ "debug", VUB_LOG_DEBUG },
	{ "trace", VUB_LOG_DEBUG },
	{ "off", -1 },
	{ NULL, 0 },
};

static bool pick(const char *opt, const char *arg, const struct choice *c,
		 int *out)
{
	for (; c->name; c++) {
		if (!strcmp(arg, c->name)) {
			*out = c->value;
			return true;
		}
	}
	fprintf(stderr, "mimic-virtiofsd: invalid value '%s' for %s\n", arg,
		opt);
	return false;
}

static bool number(const char *opt, const char *arg, long min, long max,
		   long *out)
{
	char *end;

	errno = 0;
	*out = strtol(arg, &end, 10);
	if (errno || end == arg || *end || *out < min || *out > max) {
		fprintf(stderr, "mimic-virtiofsd: invalid value '%s' for %s\n",
			arg, opt);
		return false;
	}
	return true;
}

static bool set_value(struct options *o, const char *opt, const char *arg)
{
	int v;
	long n;

	if (!strcmp(opt, "--socket-path")) {
		o->socket_path = arg;
	} else if (!strcmp(opt, "--fd")) {
		if (!number(opt, arg, 0, 1 << 20, &n)) {
			return false;
		}
		o->fd = n;
	} else if (!strcmp(opt, "--shared-dir")) {
		o->shared_dir = arg;
	} else if (!strcmp(opt, "--tag")) {
		if (strlen(arg) == 0 || strlen(arg) > 36) {
			fprintf(stderr, "mimic-virtiofsd: --tag must be 1 to "
					"36 bytes long\n");
			return false;
		}
		o->tag = arg;
	} else if (!strcmp(opt, "--cache")) {
		if (!pick(opt, arg, cache_choices, &v)) {
			return false;
		}
		o->fs.cache = v;
	} else if (!strcmp(opt, "--sandbox")) {
		if (!pick(opt, arg, sandbox_choices, &v)) {
			return false;
		}
		o->sandbox = v;
	} else if (!strcmp(opt, "--seccomp")) {
		if (!pick(opt, arg, seccomp_choices, &v)) {
			return false;
		}
		o->seccomp = v;
	} else if (!strcmp(opt, "--log-level")) {
		return pick(opt, arg, log_choices, &o->log_level);
	} else if (!strcmp(opt, "--thread-pool-size")) {
		if (!number(opt, arg, 0, 1024, &n)) {
			return false;
		}
		o->thread_pool_size = n;
	} else if (!strcmp(opt, "--num-request-queues")) {
		if (!number(opt, arg, 1, 63, &n)) {
			return false;
		}
		o->num_request_queues = n;
	} else {
		fprintf(stderr, "mimic-virtiofsd: unknown option '%s'\n", opt);
		return false;
	}
	return true;
}

static bool set_flag(struct options *o, const char *opt)
{
	if (!strcmp(opt, "--readonly")) {
		o->fs.readonly = true;
	} else if (!strcmp(opt, "--xattr")) {
		o->fs.xattr = true;
	} else if (!strcmp(opt, "--no-xattr")) {
		o->fs.xattr = false;
	} else if (!strcmp(opt, "--print-capabilities")) {
		o->print_capabilities = true;
	} else if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
		o->help = true;
	} else if (!strcmp(opt, "--version") || !strcmp(opt, "-V")) {
		o->version = true;
	} else {
		return false;
	}
	return true;
}

/* The legacy "-o source=DIR,cache=auto,xattr" form (QEMU's C virtiofsd). */
static bool set_compat(struct options *o, char *list)
{
	static const char *const ignored[] = {
		"flock",	 "no_flock",	   "posix_lock",
		"no_posix_lock", "readdirplus",	   "no_readdirplus",
		"writeback",	 "no_writeback",   "announce_submounts",
		"killpriv_v2",	 "no_killpriv_v2", "allow_direct_io",
	};
	static const struct {
		const char *compat;
		const char *opt;
	} renamed[] = {
		{ "source", "--shared-dir" },
		{ "cache", "--cache" },
		{ "sandbox", "--sandbox" },
		{ "log_level", "--log-level" },
		{ "thread_pool_size", "--thread-pool-size" },
	};
	char *save = NULL;

	for (char *item = strtok_r(list, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		bool done = false;

		if (eq) {
			*eq = '\0';
			for (size_t i = 0; i < ARRAY_LEN(renamed) && !done;
			     i++) {
				if (!strcmp(item, renamed[i].compat)) {
					if (!set_value(o, renamed[i].opt,
						       eq + 1)) {
						return false;
					}
					done = true;
				}
			}
		} else if (!strcmp(item, "xattr") ||
			   !strcmp(item, "no_xattr") ||
			   !strcmp(item, "readonly")) {
			char flag[16];

			snprintf(flag, sizeof(flag), "--%s", item);
			flag[4] = flag[4] == '_' ? '-' : flag[4];
			done = set_flag(o, flag);
		} else {
			for (size_t i = 0; i < ARRAY_LEN(ignored) && !done;
			     i++) {
				done = !strcmp(item, ignored[i]);
			}
		}
		if (!done) {
			fprintf(stderr,
				"mimic-virtiofsd: unknown -o option '%s'\n",
				item);
			return false;
		}
	}
	return true;
}

static bool takes_value(const char *opt)
{
	static const char *const names[] = {
		"--socket-path",
		"--fd",
		"--shared-dir",
		"--tag",
		"--cache",
		"--sandbox",
		"--seccomp",
		"--log-level",
		"--thread-pool-size",
		"--num-request-queues",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(opt, names[i])) {
			return true;
		}
	}
	return false;
}

bool options_parse(struct options *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->log_level = VUB_LOG_INFO;
	o->num_request_queues = 1;
	for (int i = 1; i < argc; i++) {
		char opt[64];
		const char *arg = argv[i], *eq = strchr(arg, '=');
		size_t len = eq ? (size_t)(eq - arg) : strlen(arg);

		if (len >= sizeof(opt)) {
			fprintf(stderr,
				"mimic-virtiofsd: unknown option '%s'\n", arg);
			return false;
		}
		memcpy(opt, arg, len);
		opt[len] = '\0';
		if (!eq && set_flag(o, opt)) {
			continue;
		}
		if (!strcmp(opt, "-o") && !eq) {
			if (i + 1 >= argc) {
				fprintf(stderr,
					"mimic-virtiofsd: -o needs a value\n");
				return false;
			}
			if (!set_compat(o, argv[++i])) {
				return false;
			}
			continue;
		}
		if (!eq && !takes_value(opt)) {
			fprintf(stderr,
				"mimic-virtiofsd: unknown option '%s'\n", opt);
			return false;
		}
		if (!eq && i + 1 >= argc) {
			fprintf(stderr, "mimic-virtiofsd: %s needs a value\n",
				opt);
			return false;
		}
		if (!set_value(o, opt, eq ? eq + 1 : argv[++i])) {
			return false;
		}
	}
	return true;
}

void options_usage(const char *prog)
{
	printf("Usage: %s [OPTIONS] --shared-dir DIR (--socket-path PATH | --fd FD)\n"
	       "\n"
	       "vhost-user virtio-fs backend sharing DIR with a guest.\n"
	       "\n"
	       "  --shared-dir DIR          directory to share\n"
	       "  --socket-path PATH        listen on this UNIX socket\n"
	       "  --fd FD                   use an already connected socket\n"
	       "  --tag TAG                 tag in the device's config space\n"
	       "  --cache auto|always|never caching of data and metadata (auto)\n"
	       "  --sandbox namespace|chroot|none\n"
	       "                            confinement of this process (namespace)\n"
	       "  --seccomp kill|log|none   system call filter (kill)\n"
	       "  --thread-pool-size N      worker threads, 0 = serve inline (0)\n"
	       "  --num-request-queues N    request queues offered (1)\n"
	       "  --readonly                refuse every change to DIR\n"
	       "  --xattr                   enable extended attributes\n"
	       "  --log-level error|warn|info|debug|off\n"
	       "  --print-capabilities      print the vhost-user JSON and exit\n"
	       "  -o source=DIR,cache=M,sandbox=M,log_level=L,xattr,...\n"
	       "                            QEMU virtiofsd-style options\n"
	       "  --help, --version\n",
	       prog);
}
