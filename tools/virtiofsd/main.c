/* SPDX-License-Identifier: MIT */
/* mimic-virtiofsd: a vhost-user virtio-fs backend sharing a host directory. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "lib/vhost-user-backend/vhost-user-backend.h"
#include "tools/virtiofsd/fs-device.h"
#include "tools/virtiofsd/options.h"
#include "tools/virtiofsd/sandbox.h"

static void log_line(enum vub_log_level level, const char *msg)
{
	static const char *const names[] = { "error", "warning", "info",
					     "debug" };

	fprintf(stderr, "mimic-virtiofsd: %s: %s\n", names[level], msg);
}

static void log_nothing(enum vub_log_level level, const char *msg)
{
}

static int fail(const char *fmt, const char *arg, const char *why)
{
	fprintf(stderr, "mimic-virtiofsd: ");
	fprintf(stderr, fmt, arg, why);
	fprintf(stderr, "\n");
	return 1;
}

static int check_options(const struct options *o, char *dir)
{
	struct stat st;

	if (!o->shared_dir) {
		return fail("--shared-dir is required%s%s", "", "");
	}
	if (!o->socket_path == (o->fd < 0)) {
		return fail("exactly one of --socket-path and --fd is "
			    "required%s%s",
			    "", "");
	}
	if (stat(o->shared_dir, &st) < 0) {
		return fail("shared directory '%s': %s", o->shared_dir,
			    strerror(errno));
	}
	if (!S_ISDIR(st.st_mode)) {
		return fail("shared directory '%s': %s", o->shared_dir,
			    strerror(ENOTDIR));
	}
	if (!realpath(o->shared_dir, dir)) {
		return fail("shared directory '%s': %s", o->shared_dir,
			    strerror(errno));
	}
	return 0;
}

static int connect_frontend(const struct options *o, int listen_fd)
{
	int sock;

	if (listen_fd < 0) {
		return o->fd;
	}
	vub_log(VUB_LOG_INFO, "waiting for a frontend on %s", o->socket_path);
	sock = vub_socket_accept(listen_fd);
	close(listen_fd);
	if (sock < 0) {
		vub_log(VUB_LOG_ERROR, "accept on %s: %s", o->socket_path,
			strerror(-sock));
	}
	return sock;
}

/* Every inode the guest holds is an open fd: allow as many as we may. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
			vub_log(VUB_LOG_WARN,
				"cannot raise the open file limit");
		}
	}
}

static int serve(const struct options *o, const char *dir, int listen_fd)
{
	const char *root_path;
	struct fs_device *dev;
	int proc_fd, root_fd, sock, ret;
	struct fs *fs;

	raise_fd_limit();
	if (!sandbox_enter(o->sandbox, dir, &root_path, &proc_fd)) {
		return 1;
	}
	root_fd = open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0) {
		return fail("shared directory '%s': %s", dir, strerror(errno));
	}
	fs = fs_new(root_fd, proc_fd, &o->fs);
	dev = fs ? fs_device_new(fs, o->tag, o->num_request_queues,
				 o->thread_pool_size) :
		   NULL;
	if (!dev) {
		return fail("%s%s", "out of memory", "");
	}
	sock = connect_frontend(o, listen_fd);
	if (sock < 0) {
		return 1;
	}
	sandbox_drop_capabilities();
	if (!sandbox_seccomp(o->seccomp)) {
		return 1;
	}
	ret = fs_device_serve(dev, sock);
	fs_device_free(dev);
	fs_free(fs);
	if (ret < 0) {
		vub_log(VUB_LOG_ERROR, "serving the frontend: %s",
			strerror(-ret));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char dir[PATH_MAX];
	struct options o;
	int listen_fd = -1, ret;

	if (!options_parse(&o, argc, argv)) {
		return 1;
	}
	if (o.help) {
		options_usage(argv[0]);
		return 0;
	}
	if (o.version) {
		printf("mimic-virtiofsd %s\n", MIMIC_VERSION);
		return 0;
	}
	if (o.print_capabilities) {
		printf("{\n  \"type\": \"fs\"\n}\n");
		return 0;
	}
	vub_set_log(o.log_level < 0 ? log_nothing : log_line,
		    o.log_level < 0 ? VUB_LOG_ERROR : o.log_level);
	ret = check_options(&o, dir);
	if (ret) {
		return ret;
	}
	if (o.socket_path) {
		listen_fd = vub_socket_listen(o.socket_path);
		if (listen_fd < 0) {
			return fail("cannot listen on %s: %s", o.socket_path,
				    strerror(-listen_fd));
		}
	}
	return serve(&o, dir, listen_fd);
}
