/* SPDX-License-Identifier: MIT */
/* Public interface of the standalone vhost-user backend library. */
#ifndef VHOST_USER_BACKEND_H
#define VHOST_USER_BACKEND_H

/*
 * A backend program owns one connection to a vhost-user frontend (QEMU,
 * mimic, ...). The library reads and validates the frontend's messages,
 * maps guest memory, runs the split virtqueues and tells the device when a
 * queue has work. It depends only on libc; it uses no code of the emulator.
 *
 * Threads: messages are handled on the thread that runs the event loop.
 * vub_queue_pop/push/notify may be called from other threads (each queue has
 * its own lock); a device that completes requests on other threads must
 * provide ops->drain so that the library can wait for them before it stops a
 * ring or changes the memory table.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define VUB_MAX_QUEUES 64
#define VUB_MAX_CONFIG 256

struct vub_dev;
struct vub_queue;

/* ---- event loop ------------------------------------------------------- */

/* Called when fd is readable (or in error/hangup). */
typedef void vub_watch_fn(int fd, void *data);

/*
 * The library never blocks waiting for input: it asks its caller's event
 * loop to watch file descriptors. A caller with its own loop provides these
 * two callbacks; everyone else uses vub_loop (below).
 */
struct vub_loop_ops {
	bool (*add_watch)(void *loop, int fd, vub_watch_fn *fn, void *data);
	void (*remove_watch)(void *loop, int fd);
};

/* The built-in loop (epoll). */
struct vub_loop;
extern const struct vub_loop_ops vub_loop_ops;
struct vub_loop *vub_loop_new(void);
void vub_loop_free(struct vub_loop *loop);
/* Dispatch until vub_loop_quit(); returns 0, or -errno on failure. */
int vub_loop_run(struct vub_loop *loop);
void vub_loop_quit(struct vub_loop *loop);

/* ---- logging ---------------------------------------------------------- */

enum vub_log_level {
	VUB_LOG_ERROR,
	VUB_LOG_WARN,
	VUB_LOG_INFO,
	VUB_LOG_DEBUG,
};

typedef void vub_log_fn(enum vub_log_level level, const char *msg);
/* Replace the default sink (stderr, "vhost-user-backend: ..."). */
void vub_set_log(vub_log_fn *fn, enum vub_log_level max_level);
void vub_log(enum vub_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- sockets ---------------------------------------------------------- */

/* Create, bind and listen on a UNIX socket (replacing a stale file). */
int vub_socket_listen(const char *path);
/* Accept one connection (blocking). Returns the fd or -errno. */
int vub_socket_accept(int listen_fd);

/* ---- device ----------------------------------------------------------- */

/* One request popped from a queue: readable (out) then writable (in) parts. */
struct vub_elem {
	uint16_t head; /* split: head index; packed: buffer id */
	uint16_t ndescs; /* ring slots the request used (packed) */
	unsigned out_num;
	unsigned in_num;
	struct iovec *out_sg; /* driver -> device */
	struct iovec *in_sg; /* device -> driver */
	struct iovec iov[];
};

struct vub_device_ops {
	/* Device-specific virtio feature bits (VERSION_1, INDIRECT_DESC,
	 * EVENT_IDX and PROTOCOL_FEATURES are added by the library). */
	uint64_t features;
	/* Extra protocol features (e.g. CONFIG) on top of the library's. */
	uint64_t protocol_features;
	unsigned num_queues;
	/* A started and enabled queue may hold requests: pop them. */
	void (*queue_ready)(struct vub_dev *dev, unsigned qidx);
	/* GET_CONFIG/SET_CONFIG: return 0 or -errno. */
	int (*get_config)(struct vub_dev *dev, uint8_t *buf, uint32_t offset,
			  uint32_t len);
	int (*set_config)(struct vub_dev *dev, const uint8_t *buf,
			  uint32_t offset, uint32_t len);
	/* Wait until no request popped earlier is still being processed. */
	void (*drain)(struct vub_dev *dev);
	/* The frontend went away (or broke the protocol); dev is dead. */
	void (*disconnected)(struct vub_dev *dev);
};

/*
 * Serve the frontend connected on sock_fd (ownership passes to dev). The
 * socket is watched through lops/loop. Returns NULL with errno set.
 */
struct vub_dev *vub_dev_new(int sock_fd, const struct vub_device_ops *ops,
			    void *opaque, const struct vub_loop_ops *lops,
			    void *loop);
void vub_dev_free(struct vub_dev *dev);
void *vub_dev_opaque(struct vub_dev *dev);
bool vub_dev_connected(struct vub_dev *dev);
uint64_t vub_dev_features(struct vub_dev *dev);
/* Tell the frontend the config space changed (BACKEND_CONFIG_CHANGE_MSG on
 * the SET_BACKEND_REQ_FD channel; BACKEND_REQ and CONFIG negotiated).
 * Returns 0 or -errno (-ENOTCONN: no channel). */
int vub_dev_config_changed(struct vub_dev *dev);
/* Process every message already waiting on the socket (for callers that
 * do not use watches for it; the watch callback does the same). */
void vub_dev_dispatch(struct vub_dev *dev);

/* Guest-physical address -> pointer; *len is clipped to the region. */
void *vub_gpa_to_va(struct vub_dev *dev, uint64_t gpa, uint64_t *len);

struct vub_queue *vub_dev_queue(struct vub_dev *dev, unsigned qidx);
/* Next request, or NULL when the ring is empty, stopped or broken.
 * Free the element with free() after vub_queue_push. */
struct vub_elem *vub_queue_pop(struct vub_queue *vq);
/* Return a request to the driver with len bytes written. */
void vub_queue_push(struct vub_queue *vq, const struct vub_elem *elem,
		    uint32_t len);
/* Interrupt the driver if it asked for it (EVENT_IDX aware). */
void vub_queue_notify(struct vub_queue *vq);
bool vub_queue_broken(struct vub_queue *vq);

#endif
