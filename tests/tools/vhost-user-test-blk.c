/* SPDX-License-Identifier: MIT */
/* A RAM-disk vhost-user-blk backend on lib/vhost-user-backend for the
 * frontend's protocol tests: it logs every message (with the statuses and
 * config writes it gets), keeps wce through SET_CONFIG, and on a line
 * "resize SECTORS" on stdin resizes the disk and sends
 * BACKEND_CONFIG_CHANGE_MSG. --disk=FILE serves a file instead (shared
 * mapping: the data outlives the process); after a line "hold" it keeps
 * the next request in flight, completes the one after and dies, so that
 * a restart must resubmit the held one (inflight tracking). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/vhost-user-backend/vhost-user-backend.h"
#include "virtio/virtqueue.h"

#define BLK_F_BLK_SIZE 6
#define BLK_F_FLUSH 9
#define BLK_F_CONFIG_WCE 11
#define BLK_CONFIG_LEN 60
#define BLK_WCE_OFF 32
#define BLK_T_IN 0
#define BLK_T_OUT 1
#define BLK_T_FLUSH 4
#define BLK_T_GET_ID 8
#define BLK_S_OK 0
#define BLK_S_IOERR 1
#define BLK_S_UNSUPP 2
#define SECTOR 512ull

static uint8_t *disk;
static uint64_t sectors = 2048;
static uint8_t wce = 1;
static struct vub_dev *dev;
static struct vub_loop *loop;
static bool file_backed;
/* "hold": 1 keep the next request, 2 complete the next one and die. */
static int hold_state;

static void tb_log(enum vub_log_level level, const char *msg)
{
	fprintf(stderr, "test-blk: %s\n", msg);
}

static int tb_get_config(struct vub_dev *d, uint8_t *buf, uint32_t offset,
			 uint32_t len)
{
	uint8_t cfg[BLK_CONFIG_LEN] = { 0 };
	uint32_t blk_size = SECTOR;
	uint16_t nq = 1;

	if (offset > sizeof(cfg) || len > sizeof(cfg) - offset) {
		return -EINVAL;
	}
	memcpy(cfg, &sectors, sizeof(sectors));
	memcpy(cfg + 20, &blk_size, sizeof(blk_size));
	cfg[BLK_WCE_OFF] = wce;
	memcpy(cfg + 34, &nq, sizeof(nq));
	memcpy(buf, cfg + offset, len);
	return 0;
}

static int tb_set_config(struct vub_dev *d, const uint8_t *buf, uint32_t offset,
			 uint32_t len)
{
	if (offset != BLK_WCE_OFF || len != 1 || buf[0] > 1) {
		fprintf(stderr,
			"test-blk: SET_CONFIG refused: %u bytes at %u\n", len,
			offset);
		return -EINVAL;
	}
	wce = buf[0];
	fprintf(stderr, "test-blk: SET_CONFIG wce=%u\n", wce);
	return 0;
}

static size_t tb_iov_size(const struct iovec *iov, unsigned n)
{
	size_t len = 0;

	for (unsigned i = 0; i < n; i++) {
		len += iov[i].iov_len;
	}
	return len;
}

static bool tb_range(uint64_t sector, size_t len)
{
	return sector <= sectors && len <= (sectors - sector) * SECTOR;
}

/* One request: returns the status; *written is the data put in. */
static uint8_t tb_request(struct vub_elem *e, size_t in_len, uint32_t *written)
{
	struct {
		uint32_t type, reserved;
		uint64_t sector;
	} hdr;
	size_t out_len = tb_iov_size(e->out_sg, e->out_num);
	size_t dlen;

	if (iov_to_buf(e->out_sg, e->out_num, 0, &hdr, sizeof(hdr)) !=
	    sizeof(hdr)) {
		return BLK_S_IOERR;
	}
	switch (hdr.type) {
	case BLK_T_IN:
		dlen = in_len - 1;
		if (!tb_range(hdr.sector, dlen)) {
			return BLK_S_IOERR;
		}
		iov_from_buf(e->in_sg, e->in_num, 0, disk + hdr.sector * SECTOR,
			     dlen);
		*written = dlen;
		return BLK_S_OK;
	case BLK_T_OUT:
		dlen = out_len - sizeof(hdr);
		if (!tb_range(hdr.sector, dlen)) {
			return BLK_S_IOERR;
		}
		iov_to_buf(e->out_sg, e->out_num, sizeof(hdr),
			   disk + hdr.sector * SECTOR, dlen);
		return BLK_S_OK;
	case BLK_T_FLUSH:
		return BLK_S_OK;
	case BLK_T_GET_ID:
		*written = iov_from_buf(e->in_sg, e->in_num, 0,
					"mimic-test-blk\0\0\0\0\0",
					in_len - 1 < 20 ? in_len - 1 : 20);
		return BLK_S_OK;
	default:
		return BLK_S_UNSUPP;
	}
}

static void tb_queue_ready(struct vub_dev *d, unsigned qidx)
{
	struct vub_queue *vq = vub_dev_queue(d, qidx);
	struct vub_elem *e;
	bool any = false;

	while ((e = vub_queue_pop(vq)) != NULL) {
		size_t in_len = tb_iov_size(e->in_sg, e->in_num);
		uint32_t written = 0;
		uint8_t status = BLK_S_IOERR;

		if (hold_state == 1) {
			fprintf(stderr, "test-blk: holding request %u\n",
				e->head);
			hold_state = 2;
			continue; /* in flight for good */
		}

		if (in_len >= 1) {
			status = tb_request(e, in_len, &written);
			iov_from_buf(e->in_sg, e->in_num, in_len - 1, &status,
				     1);
		}
		vub_queue_push(vq, e, written + 1);
		free(e);
		any = true;
		if (hold_state == 2) {
			vub_queue_notify(vq);
			fprintf(stderr, "test-blk: completed a later request, "
					"dying with one in flight\n");
			_exit(3);
		}
	}
	if (any) {
		vub_queue_notify(vq);
	}
}

static void tb_disconnected(struct vub_dev *d)
{
	vub_loop_quit(loop);
}

static bool tb_resize(uint64_t n)
{
	uint8_t *p = realloc(disk, n * SECTOR);

	if (!p) {
		return false;
	}
	if (n > sectors) {
		memset(p + sectors * SECTOR, 0, (n - sectors) * SECTOR);
	}
	disk = p;
	sectors = n;
	return true;
}

static void tb_stdin_ready(int fd, void *data)
{
	char line[128];
	unsigned long long n;
	ssize_t len = read(fd, line, sizeof(line) - 1);
	int r;

	if (len <= 0) {
		vub_loop_ops.remove_watch(loop, fd);
		return;
	}
	line[len] = 0;
	if (!strcmp(line, "hold\n")) {
		hold_state = 1;
		fprintf(stderr, "test-blk: holding the next request\n");
		return;
	}
	if (file_backed || sscanf(line, "resize %llu", &n) != 1 || n == 0 ||
	    !tb_resize(n)) {
		fprintf(stderr, "test-blk: bad command: %s", line);
		return;
	}
	r = vub_dev_config_changed(dev);
	fprintf(stderr, "test-blk: resized to %llu sectors, config change %s\n",
		n, r ? strerror(-r) : "sent");
}

static const struct vub_device_ops tb_ops = {
	.features = (1ull << BLK_F_BLK_SIZE) | (1ull << BLK_F_FLUSH) |
		    (1ull << BLK_F_CONFIG_WCE),
	.num_queues = 1,
	.queue_ready = tb_queue_ready,
	.get_config = tb_get_config,
	.set_config = tb_set_config,
	.disconnected = tb_disconnected,
};

/* --disk=FILE: the file, mapped shared, is the disk. */
static uint8_t *tb_map_file(const char *file)
{
	struct stat st;
	void *p;
	int fd = open(file, O_RDWR | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < (off_t)SECTOR) {
		return NULL;
	}
	sectors = (uint64_t)st.st_size / SECTOR;
	p = mmap(NULL, sectors * SECTOR, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 0);
	close(fd);
	file_backed = true;
	return p == MAP_FAILED ? NULL : p;
}

int main(int argc, char **argv)
{
	const char *path = NULL, *file = NULL;
	int lfd, sock;

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--sectors=", 10)) {
			sectors = strtoull(argv[i] + 10, NULL, 0);
		} else if (!strncmp(argv[i], "--disk=", 7)) {
			file = argv[i] + 7;
		} else {
			path = argv[i];
		}
	}
	if (!path || sectors == 0) {
		fprintf(stderr,
			"usage: %s [--sectors=N | --disk=FILE] SOCKET\n",
			argv[0]);
		return 2;
	}
	disk = file ? tb_map_file(file) : calloc(sectors, SECTOR);
	loop = vub_loop_new();
	lfd = vub_socket_listen(path);
	if (!disk || !loop || lfd < 0) {
		fprintf(stderr, "test-blk: cannot set up %s\n", path);
		return 1;
	}
	vub_set_log(tb_log, VUB_LOG_DEBUG);
	sock = vub_socket_accept(lfd);
	dev = sock < 0 ? NULL :
			 vub_dev_new(sock, &tb_ops, NULL, &vub_loop_ops, loop);
	if (!dev) {
		return 1;
	}
	vub_loop_ops.add_watch(loop, 0, tb_stdin_ready, NULL);
	vub_loop_run(loop);
	vub_dev_free(dev);
	fprintf(stderr, "test-blk: frontend gone\n");
	return 0;
}
