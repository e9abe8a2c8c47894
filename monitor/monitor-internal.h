/* SPDX-License-Identifier: MIT */
/* The monitor's insides, shared by its files: clients, the QMP and HMP
 * sessions, the command tables. */
#ifndef MIMIC_MONITOR_MONITOR_INTERNAL_H
#define MIMIC_MONITOR_MONITOR_INTERNAL_H

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>

#include "chardev/char.h"
#include "monitor/monitor.h"

/* One QMP message may be this long; longer input is an error. */
#define QMP_MAX_MESSAGE (64 * 1024)
/* Parse errors in a row after which input is garbage: the client goes. */
#define QMP_MAX_ERRORS 16
/* Output a client has not read yet; past this it is dropped. */
#define MONITOR_MAX_OUTPUT (1024 * 1024)
/* Input queued from a chardev before the main loop handles it. */
#define MONITOR_INBUF 4096
/* How soon unsent output to a socket chardev is tried again. */
#define MONITOR_RETRY_NS 10000000ull
#define HMP_MAX_LINE 1024
/* File descriptors taken from one message (SCM_RIGHTS). */
#define MONITOR_MAX_MSGFDS 16

/* What QEMU claims to be, for clients that check versions. */
#define MONITOR_QEMU_MAJOR 7
#define MONITOR_QEMU_MINOR 2
#define MONITOR_QEMU_MICRO 0

enum monitor_mode { MONITOR_QMP, MONITOR_HMP };

/* A growable string for replies and HMP output (bounded). */
struct monitor_buf {
	char *data;
	size_t len, cap;
	bool overflow;
};
void monitor_buf_printf(struct monitor_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void monitor_buf_vprintf(struct monitor_buf *b, const char *fmt, va_list ap);
void monitor_buf_append(struct monitor_buf *b, const void *data, size_t len);
void monitor_buf_free(struct monitor_buf *b);

struct qmp_session {
	json_tokener *tok;
	size_t pending; /* bytes of the message being parsed */
	bool skipping; /* after an error: drop input up to a newline */
	unsigned errors; /* parse errors in a row */
	bool negotiated;
};

struct hmp_session {
	char line[HMP_MAX_LINE];
	size_t len;
	int escape; /* inside an ANSI escape sequence: bytes seen */
	bool last_cr; /* "\r\n" ends one line, not two */
	bool banner_sent;
};

/* A file descriptor the client passed and named (getfd). */
struct monitor_fd {
	char *name;
	int fd;
	struct monitor_fd *next;
};

/* One client: an accepted socket connection or a chardev. */
struct monitor {
	enum monitor_mode mode;
	bool pretty;
	int fd; /* own socket, -1 when on a chardev */
	struct chardev *chr;
	struct monitor_buf out; /* unsent output (fd clients) */
	bool dead; /* closed; freed from a bottom half */
	bool watching_out;
	bool flush_scheduled; /* chardev socket: a retry timer is pending */
	/* Input from a chardev, handled outside the big lock. */
	uint8_t inbuf[MONITOR_INBUF];
	size_t inbuf_len;
	bool input_scheduled;
	/* Mux chardev (Ctrl-A c): the guest device's frontend while the
	 * monitor has the input. */
	bool mux_focus;
	struct chardev_frontend *saved_fe;
	struct qmp_session qmp;
	struct hmp_session hmp;
	unsigned cpu; /* the hart HMP's registers and x use */
	int msgfd; /* the last fd received with SCM_RIGHTS, -1: none */
	struct monitor_fd *fds; /* named by getfd */
	/* Output capture for human-monitor-command. */
	struct monitor_buf *capture;
	/* In-memory clients (tests, fuzzer): all output goes here. */
	struct monitor_buf *sink;
	struct monitor *next;
};

/* The machine the commands act on and the -name. */
struct monitor_state {
	const struct monitor_machine_ops *ops;
	void *opaque;
	const char *name;
	bool prelaunch; /* neither stop nor cont yet: paused means -S */
	bool no_reboot; /* -no-reboot: system_reset shuts down */
	bool no_shutdown; /* -no-shutdown: a guest poweroff stops instead */
	int shutdown; /* stopped by a guest poweroff (atomic: set on a vCPU) */
	struct monitor *clients;
};
extern struct monitor_state monitor_state;

/* monitor.c: clients and output. */
struct monitor *monitor_new(enum monitor_mode mode, int fd,
			    struct chardev *chr);
/* Output to the client (HMP: LF becomes CR LF); _raw as it is. */
void monitor_write(struct monitor *mon, const void *buf, size_t len);
void monitor_write_raw(struct monitor *mon, const void *buf, size_t len);
void monitor_printf(struct monitor *mon, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Disconnect (socket clients are freed from a bottom half). */
void monitor_close(struct monitor *mon);
/* Forget unsent output (the peer of a chardev went away). */
void monitor_drop_output(struct monitor *mon);
/* A client whose output goes to out, owned by the caller (tests, fuzzer):
 * feed it with monitor_input(), free it with monitor_free(). */
struct monitor *monitor_new_buffered(enum monitor_mode mode,
				     struct monitor_buf *out);
void monitor_free(struct monitor *mon);
/* Hand input to the session (QMP framing or HMP line editing). */
void monitor_input(struct monitor *mon, const uint8_t *buf, size_t len);
/* A client connected: greeting (QMP) or banner and prompt (HMP). */
void monitor_opened(struct monitor *mon);

/* cmd-fd.c: a received fd (SCM_RIGHTS) and the named ones. */
void monitor_take_msgfd(struct monitor *mon, int fd);
void monitor_close_fds(struct monitor *mon);

/* server.c: unlink the unix sockets we listen on. */
void monitor_listeners_close(void);

/* qmp.c: sessions, framing and dispatch. */
void qmp_session_init(struct monitor *mon);
void qmp_session_reset(struct monitor *mon);
void qmp_session_free(struct monitor *mon);
void qmp_send_greeting(struct monitor *mon);
void qmp_feed(struct monitor *mon, const uint8_t *buf, size_t len);
void qmp_send_json(struct monitor *mon, json_object *obj);
/* Build {"QMP": ...} / {"qemu": ..., "package": ...}. */
json_object *qmp_version_object(void);

/* The command table (commands.c) and its dispatcher. */
enum qmp_error_class {
	QMP_ERROR_GENERIC,
	QMP_ERROR_COMMAND_NOT_FOUND,
	QMP_ERROR_DEVICE_NOT_FOUND,
	QMP_ERROR_DEVICE_NOT_ACTIVE,
};
const char *qmp_error_class_name(enum qmp_error_class cls);

struct qmp_request {
	struct monitor *mon; /* the client (NULL: internal) */
	json_object *args; /* never NULL: {} when absent */
	enum qmp_error_class error_class;
};

/* Returns the "return" value (new reference; NULL with errp set). */
typedef json_object *qmp_command_fn(struct qmp_request *req,
				    struct error **errp);

enum qmp_type { QMP_TYPE_STR, QMP_TYPE_INT, QMP_TYPE_BOOL };
struct qmp_param {
	const char *name;
	enum qmp_type type;
	bool optional;
	const char *doc;
};

#define QMP_MAX_PARAMS 6
struct qmp_command {
	const char *name;
	qmp_command_fn *fn;
	struct qmp_param params[QMP_MAX_PARAMS];
	const char *returns; /* for the reference */
	const char *doc;
};
extern const struct qmp_command qmp_commands[];
extern const size_t qmp_nr_commands;
const struct qmp_command *qmp_command_find(const char *name);
/* Check args against the table and run; NULL with errp and req class. */
json_object *qmp_command_run(const struct qmp_command *cmd,
			     struct qmp_request *req, struct error **errp);
/* Run by name with args (NULL: none), for HMP. */
json_object *qmp_execute(struct monitor *mon, const char *name,
			 json_object *args, struct error **errp);

/* Command groups, one file each. */
qmp_command_fn qmp_qmp_capabilities, qmp_query_version, qmp_query_commands,
	qmp_query_name, qmp_query_uuid, qmp_query_target, qmp_query_machines,
	qmp_query_kvm;
qmp_command_fn qmp_query_status, qmp_stop, qmp_cont, qmp_system_reset,
	qmp_system_powerdown, qmp_quit;
qmp_command_fn qmp_query_cpus_fast, qmp_query_chardev, qmp_query_pci;
/* cmd-block.c */
qmp_command_fn qmp_query_block, qmp_query_named_block_nodes,
	qmp_query_blockstats, qmp_block_resize, qmp_eject, qmp_blockdev_tray,
	qmp_blockdev_change_medium;
/* cmd-qom.c over the table in qom-types.c: device types as QEMU's QOM
 * names them, and the properties mimic takes with QEMU's descriptions. */
struct qom_prop {
	const char *name;
	const char *type;
	const char *description; /* or NULL */
	const char *default_json; /* "default-value" as JSON text, or NULL */
};
struct qom_type {
	const char *name;
	const char *parent; /* NULL for "object" */
	bool abstract;
	const struct qom_prop *props; /* ends with a NULL name; NULL: none */
};
extern const struct qom_type qom_types[];
extern const size_t qom_nr_types;
qmp_command_fn qmp_qom_list_types, qmp_device_list_properties;
/* cmd-options.c */
qmp_command_fn qmp_query_command_line_options;
/* cmd-fd.c */
qmp_command_fn qmp_getfd, qmp_closefd;
/* cmd-misc.c */
qmp_command_fn qmp_query_iothreads, qmp_query_memdev,
	qmp_query_memory_size_summary, qmp_query_migrate, qmp_query_balloon,
	qmp_inject_nmi, qmp_query_display_options, qmp_query_acpi_ospm_status,
	qmp_query_current_machine, qmp_query_hotpluggable_cpus;
qmp_command_fn qmp_human_monitor_command;

/* events.c: queued events; the run-state helpers emit them. */
void monitor_events_init(void);
void monitor_events_drain(void);
/* Queue an event; now: send at once when on the main-loop thread (else
 * from the next main-loop iteration, after the current reply). */
void monitor_event_queue(const char *name, json_object *data, bool now);
json_object *monitor_event_timestamp(void);

/* hmp.c: the human monitor. */
void hmp_session_init(struct monitor *mon);
void hmp_feed(struct monitor *mon, const uint8_t *buf, size_t len);
void hmp_send_banner(struct monitor *mon);
/* Run one command line; output goes to mon (or its capture). */
void hmp_run_line(struct monitor *mon, const char *line);

typedef void hmp_command_fn(struct monitor *mon, const char *args);
struct hmp_command {
	const char *name;
	const char *args; /* for help */
	const char *help;
	hmp_command_fn *fn;
	const char *qmp; /* the QMP command it calls, NULL if HMP-only */
};
extern const struct hmp_command hmp_commands[];
extern const size_t hmp_nr_commands;
extern const struct hmp_command hmp_info_commands[];
extern const size_t hmp_nr_info_commands;

/* hmp-cmds.c: the HMP-only commands. */
hmp_command_fn hmp_info_registers, hmp_info_mtree, hmp_info_qtree, hmp_x,
	hmp_xp, hmp_print, hmp_cpu_select;
/* cmd-net.c: info network, info usernet, hostfwd_add, hostfwd_remove. */
hmp_command_fn hmp_info_network, hmp_info_usernet, hmp_hostfwd_add,
	hmp_hostfwd_remove, hmp_set_link;
qmp_command_fn qmp_set_link;
/* Run a QMP command for HMP (takes args, may be NULL); print its error
 * and return NULL on failure. */
json_object *hmp_qmp_args(struct monitor *mon, const char *name,
			  json_object *args);
/* hmp-block.c: info block/blockstats/memdev..., block_resize, eject, nmi. */
hmp_command_fn hmp_info_block, hmp_info_blockstats, hmp_block_resize, hmp_eject,
	hmp_info_memdev, hmp_info_memory_size_summary, hmp_info_balloon,
	hmp_info_iothreads, hmp_info_hotpluggable_cpus, hmp_nmi;
/* Evaluate an HMP expression ($reg, numbers, + - * / % & | ^ << >> ( ) ~);
 * false with errp set. */
bool hmp_eval(const char *expr, unsigned hart, uint64_t *value,
	      struct error **errp);
/* Read a register by name (pc, x0..x31, ABI names, CSR names). */
bool hmp_read_register(unsigned hart, const char *name, uint64_t *value);

/* Markdown reference of both command tables (docs/monitor.md). */
void monitor_print_reference(FILE *out);

#endif
