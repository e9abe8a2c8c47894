/* SPDX-License-Identifier: MIT */
/* The gdb remote stub: packets in, target ops out, stop replies back. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdbstub/gdb-packet.h"
#include "gdbstub/gdbstub.h"
#include "util/types.h"

#define MAX_THREADS 256
/* Framed replies: every byte escaped at worst, plus $, # and checksum. */
#define FRAMED_MAX (2 * GDB_PACKET_MAX + 4)

struct gdbstub {
	const struct gdbstub_ops *ops;
	void *opaque;
	gdbstub_write_fn *write;
	void *write_opaque;
	struct gdb_parser parser;
	bool connected;
	bool no_ack;
	bool running; /* resumed by gdb: a stop reply is owed */
	bool replied; /* the current packet's reply went out already */
	int g_tid, c_tid; /* Hg and Hc (0 or -1: any) */
	int stop_tid; /* the thread of the last stop */
	uint8_t framed[FRAMED_MAX]; /* the last packet, for '-' */
	size_t framed_len;
	size_t reply_len;
	char reply[GDB_PACKET_MAX + 1];
};

typedef void command_fn(struct gdbstub *stub, char *args, size_t len);

static int resume_find(const struct gdb_resume *resume, int tid)
{
	for (unsigned i = 0; i < resume->count; i++) {
		if (resume->threads[i].tid == tid) {
			return i;
		}
	}
	return -1;
}

enum gdb_action gdbstub_resume_action(const struct gdb_resume *resume, int tid)
{
	int i = resume_find(resume, tid);

	return i < 0 ? resume->default_action : resume->threads[i].action;
}

int gdbstub_resume_signal(const struct gdb_resume *resume, int tid)
{
	int i = resume_find(resume, tid);

	return i < 0 ? resume->default_signal : resume->threads[i].signal;
}

struct gdbstub *gdbstub_new(const struct gdbstub_ops *ops, void *opaque,
			    gdbstub_write_fn *write, void *write_opaque)
{
	struct gdbstub *stub = calloc(1, sizeof(*stub));

	if (!stub) {
		return NULL;
	}
	stub->ops = ops;
	stub->opaque = opaque;
	stub->write = write;
	stub->write_opaque = write_opaque;
	gdb_packet_parser_init(&stub->parser);
	return stub;
}

void gdbstub_free(struct gdbstub *stub)
{
	free(stub);
}

/* ---- replies ---------------------------------------------------------- */

static void reply_printf(struct gdbstub *stub, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void reply_printf(struct gdbstub *stub, const char *fmt, ...)
{
	size_t room = sizeof(stub->reply) - stub->reply_len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(stub->reply + stub->reply_len, room, fmt, ap);
	va_end(ap);
	if (n > 0) {
		stub->reply_len += MIN((size_t)n, room - 1);
	}
}

static void reply_bytes(struct gdbstub *stub, const void *data, size_t len)
{
	len = MIN(len, sizeof(stub->reply) - 1 - stub->reply_len);
	memcpy(stub->reply + stub->reply_len, data, len);
	stub->reply_len += len;
}

static void reply_hex(struct gdbstub *stub, const uint8_t *data, size_t len)
{
	len = MIN(len, (sizeof(stub->reply) - 1 - stub->reply_len) / 2);
	gdb_packet_bytes_to_hex(data, len, stub->reply + stub->reply_len);
	stub->reply_len += 2 * len;
}

static void send_packet(struct gdbstub *stub, const void *data, size_t len)
{
	stub->framed_len = gdb_packet_encode(data, len, stub->framed);
	stub->write(stub->write_opaque, stub->framed, stub->framed_len);
}

static void send_reply(struct gdbstub *stub)
{
	send_packet(stub, stub->reply, stub->reply_len);
	stub->reply_len = 0;
	stub->replied = true;
}

/* ---- threads ---------------------------------------------------------- */

static unsigned list_threads(struct gdbstub *stub, int *tids)
{
	return stub->ops->threads(stub->opaque, tids, MAX_THREADS);
}

static bool thread_alive(struct gdbstub *stub, int tid)
{
	int tids[MAX_THREADS];
	unsigned n = list_threads(stub, tids);

	for (unsigned i = 0; i < n; i++) {
		if (tids[i] == tid) {
			return true;
		}
	}
	return false;
}

/* A concrete thread for a tid that may be 0 or -1 ("any"). */
static int resolve_thread(struct gdbstub *stub, int tid)
{
	int tids[MAX_THREADS];

	if (tid > 0 && thread_alive(stub, tid)) {
		return tid;
	}
	if (stub->stop_tid > 0 && thread_alive(stub, stub->stop_tid)) {
		return stub->stop_tid;
	}
	return list_threads(stub, tids) ? tids[0] : 1;
}

/* "-1", "0", "HEX" or "pPID.TID"; false on garbage. */
static bool parse_thread_id(const char **p, int *tid)
{
	uint64_t v;

	if ((*p)[0] == 'p') {
		(*p)++;
		if (!gdb_packet_parse_hex(p, &v) || **p != '.') {
			*tid = -1;
			return **p == 0;
		}
		(*p)++;
	}
	if ((*p)[0] == '-' && (*p)[1] == '1') {
		*p += 2;
		*tid = -1;
		return true;
	}
	if (!gdb_packet_parse_hex(p, &v) || v > INT32_MAX) {
		return false;
	}
	*tid = (int)v;
	return true;
}

/* ---- stop replies ----------------------------------------------------- */

static void send_stop(struct gdbstub *stub, const struct gdb_stop *stop)
{
	switch (stop->kind) {
	case GDB_STOP_EXITED:
		reply_printf(stub, "W%02x", stop->code & 0xff);
		break;
	case GDB_STOP_KILLED:
		reply_printf(stub, "X%02x", stop->signal & 0xff);
		break;
	case GDB_STOP_WATCH:
		reply_printf(stub, "T%02xwatch:%" PRIx64 ";thread:%x;",
			     GDB_SIGNAL_TRAP, stop->addr, stop->tid);
		break;
	case GDB_STOP_SIGNAL:
		reply_printf(stub, "T%02xthread:%x;", stop->signal & 0xff,
			     stop->tid);
		break;
	}
	send_reply(stub);
}

static void stop_here(struct gdbstub *stub, int tid, int signal)
{
	struct gdb_stop stop = { .kind = GDB_STOP_SIGNAL, .signal = signal };

	stop.tid = resolve_thread(stub, tid);
	stub->stop_tid = stop.tid;
	stub->running = false;
	send_stop(stub, &stop);
}

static void resume_all(struct gdbstub *stub, enum gdb_action action)
{
	struct gdb_resume resume = { .default_action = action };

	stub->ops->resume(stub->opaque, &resume);
}

void gdbstub_stopped(struct gdbstub *stub, const struct gdb_stop *stop)
{
	bool finished =
		stop->kind == GDB_STOP_EXITED || stop->kind == GDB_STOP_KILLED;

	if (!stub->connected) {
		/* A step that was under way when gdb left. */
		if (!finished) {
			resume_all(stub, GDB_ACTION_CONTINUE);
		}
		return;
	}
	if (!stub->running && !finished) {
		return; /* already stopped: gdb asked for nothing */
	}
	stub->running = false;
	if (!finished) {
		/* The other threads too, before gdb reads them. */
		stub->ops->stop(stub->opaque);
		stub->stop_tid = stop->tid;
		stub->g_tid = stub->c_tid = stop->tid;
	}
	send_stop(stub, stop);
}

void gdbstub_run_state_changed(struct gdbstub *stub, bool running)
{
	if (!stub->connected || running == stub->running) {
		return;
	}
	if (running) {
		stub->running = true;
		return;
	}
	stop_here(stub, stub->stop_tid, GDB_SIGNAL_INT);
}

bool gdbstub_running(const struct gdbstub *stub)
{
	return stub->running;
}

bool gdbstub_attached(const struct gdbstub *stub)
{
	return __atomic_load_n(&stub->connected, __ATOMIC_ACQUIRE);
}

/* ---- registers and memory --------------------------------------------- */

static void cmd_read_registers(struct gdbstub *stub, char *args, size_t len)
{
	int tid = resolve_thread(stub, stub->g_tid);

	for (unsigned r = 0; r < stub->ops->g_registers; r++) {
		uint8_t buf[16];
		size_t size =
			stub->ops->read_register(stub->opaque, tid, r, buf);

		reply_hex(stub, buf, size);
	}
}

static void cmd_write_registers(struct gdbstub *stub, char *args, size_t len)
{
	int tid = resolve_thread(stub, stub->g_tid);
	const char *hex = args;

	for (unsigned r = 0; r < stub->ops->g_registers && *hex; r++) {
		uint8_t buf[16];
		size_t size =
			stub->ops->read_register(stub->opaque, tid, r, buf);

		if (strlen(hex) < 2 * size ||
		    !gdb_packet_hex_to_bytes(hex, buf, size)) {
			reply_printf(stub, "E22");
			return;
		}
		stub->ops->write_register(stub->opaque, tid, r, buf, size);
		hex += 2 * size;
	}
	reply_printf(stub, "OK");
}

static void cmd_read_register(struct gdbstub *stub, char *args, size_t len)
{
	int tid = resolve_thread(stub, stub->g_tid);
	const char *p = args;
	uint8_t buf[16];
	uint64_t regno;
	size_t size;

	if (!gdb_packet_parse_hex(&p, &regno) || *p || regno > UINT32_MAX) {
		reply_printf(stub, "E22");
		return;
	}
	size = stub->ops->read_register(stub->opaque, tid, regno, buf);
	if (!size) {
		reply_printf(stub, "E14");
		return;
	}
	reply_hex(stub, buf, size);
}

static void cmd_write_register(struct gdbstub *stub, char *args, size_t len)
{
	int tid = resolve_thread(stub, stub->g_tid);
	const char *p = args;
	uint8_t buf[16];
	uint64_t regno;
	size_t size;

	if (!gdb_packet_parse_hex(&p, &regno) || *p++ != '=' ||
	    regno > UINT32_MAX || strlen(p) % 2 || strlen(p) > 32 ||
	    !gdb_packet_hex_to_bytes(p, buf, strlen(p) / 2)) {
		reply_printf(stub, "E22");
		return;
	}
	size = strlen(p) / 2;
	if (!stub->ops->write_register(stub->opaque, tid, regno, buf, size)) {
		reply_printf(stub, "E14");
		return;
	}
	reply_printf(stub, "OK");
}

/* "ADDR,LEN" followed by `end` (':' or NUL); false on garbage. */
static bool parse_addr_len(const char **p, uint64_t *addr, uint64_t *len,
			   char end)
{
	if (!gdb_packet_parse_hex(p, addr) || *(*p)++ != ',' ||
	    !gdb_packet_parse_hex(p, len) || **p != end) {
		return false;
	}
	if (end) {
		(*p)++;
	}
	return true;
}

static void cmd_read_memory(struct gdbstub *stub, char *args, size_t len)
{
	static uint8_t buf[GDB_PACKET_MAX / 2];
	const char *p = args;
	uint64_t addr, size;

	if (!parse_addr_len(&p, &addr, &size, 0)) {
		reply_printf(stub, "E22");
		return;
	}
	size = MIN(size, sizeof(buf));
	if (!stub->ops->read_memory(stub->opaque,
				    resolve_thread(stub, stub->g_tid), addr,
				    buf, size)) {
		reply_printf(stub, "E14");
		return;
	}
	reply_hex(stub, buf, size);
}

static void write_memory(struct gdbstub *stub, uint64_t addr,
			 const uint8_t *data, size_t size)
{
	if (size && !stub->ops->write_memory(stub->opaque,
					     resolve_thread(stub, stub->g_tid),
					     addr, data, size)) {
		reply_printf(stub, "E14");
		return;
	}
	reply_printf(stub, "OK");
}

static void cmd_write_memory_hex(struct gdbstub *stub, char *args, size_t len)
{
	static uint8_t buf[GDB_PACKET_MAX / 2];
	const char *p = args;
	uint64_t addr, size;

	if (!parse_addr_len(&p, &addr, &size, ':') || size > sizeof(buf) ||
	    strlen(p) != 2 * size || !gdb_packet_hex_to_bytes(p, buf, size)) {
		reply_printf(stub, "E22");
		return;
	}
	write_memory(stub, addr, buf, size);
}

static void cmd_write_memory_binary(struct gdbstub *stub, char *args,
				    size_t len)
{
	const char *p = args;
	uint64_t addr, size;
	size_t data_len;

	if (!parse_addr_len(&p, &addr, &size, ':')) {
		reply_printf(stub, "E22");
		return;
	}
	data_len = gdb_packet_unescape((uint8_t *)p, len - (p - args));
	if (data_len != size) {
		reply_printf(stub, "E22");
		return;
	}
	write_memory(stub, addr, (const uint8_t *)p, size);
}

/* ---- breakpoints -------------------------------------------------------- */

static void cmd_point(struct gdbstub *stub, char *args, bool insert)
{
	const char *p = args;
	uint64_t type, addr, kind;
	bool ok;

	if (!gdb_packet_parse_hex(&p, &type) || *p++ != ',' ||
	    !gdb_packet_parse_hex(&p, &addr) || *p++ != ',' ||
	    !gdb_packet_parse_hex(&p, &kind) || type > GDB_POINT_WATCH_ACCESS) {
		/* Unknown types (and garbage) read as "not supported". */
		return;
	}
	ok = insert ? stub->ops->insert_point(stub->opaque, type, addr, kind) :
		      stub->ops->remove_point(stub->opaque, type, addr, kind);
	if (ok) {
		reply_printf(stub, "OK");
	} else if (type <= GDB_POINT_WATCH_WRITE) {
		reply_printf(stub, "E22");
	}
}

static void cmd_insert_point(struct gdbstub *stub, char *args, size_t len)
{
	cmd_point(stub, args, true);
}

static void cmd_remove_point(struct gdbstub *stub, char *args, size_t len)
{
	cmd_point(stub, args, false);
}

/* ---- run control -------------------------------------------------------- */

static void resume(struct gdbstub *stub, const struct gdb_resume *resume)
{
	stub->running = true;
	stub->ops->resume(stub->opaque, resume);
}

/* c, s, C, S: the Hc thread steps or continues (with a signal), the others
 * continue with it or stay for a step. */
static void resume_legacy(struct gdbstub *stub, enum gdb_action action,
			  const char *args, bool has_signal)
{
	struct gdb_resume r = { .default_action = GDB_ACTION_CONTINUE };
	uint64_t sig = 0;

	if (has_signal && !gdb_packet_parse_hex(&args, &sig)) {
		reply_printf(stub, "E22");
		return;
	}
	if (action == GDB_ACTION_STEP) {
		r.default_action = GDB_ACTION_NONE;
	}
	r.count = 1;
	r.threads[0].tid = resolve_thread(stub, stub->c_tid);
	r.threads[0].action = action;
	r.threads[0].signal = (int)(sig & 0xff);
	resume(stub, &r);
}

static void cmd_continue(struct gdbstub *stub, char *args, size_t len)
{
	resume_legacy(stub, GDB_ACTION_CONTINUE, args, false);
}

static void cmd_step(struct gdbstub *stub, char *args, size_t len)
{
	resume_legacy(stub, GDB_ACTION_STEP, args, false);
}

static void cmd_continue_signal(struct gdbstub *stub, char *args, size_t len)
{
	resume_legacy(stub, GDB_ACTION_CONTINUE, args, true);
}

static void cmd_step_signal(struct gdbstub *stub, char *args, size_t len)
{
	resume_legacy(stub, GDB_ACTION_STEP, args, true);
}

/* The first action that names a thread (or none: the default) wins. */
static void vcont_apply(struct gdb_resume *r, int tid, enum gdb_action action,
			int signal, bool *have_default)
{
	if (tid <= 0) {
		if (!*have_default) {
			r->default_action = action;
			r->default_signal = signal;
			*have_default = true;
		}
	} else if (r->count < GDB_RESUME_MAX && resume_find(r, tid) < 0) {
		r->threads[r->count].tid = tid;
		r->threads[r->count].action = action;
		r->threads[r->count++].signal = signal;
	}
}

/* One vCont action ("c", "s", "C05", "S05", "t", with ":TID"). */
static bool vcont_action(const char **p, struct gdb_resume *r,
			 bool *have_default)
{
	enum gdb_action action;
	uint64_t sig = 0;
	int tid = -1;

	switch (*(*p)++) {
	case 'c':
		action = GDB_ACTION_CONTINUE;
		break;
	case 's':
		action = GDB_ACTION_STEP;
		break;
	case 'C':
	case 'S':
		action =
			(*p)[-1] == 'S' ? GDB_ACTION_STEP : GDB_ACTION_CONTINUE;
		if (!gdb_packet_parse_hex(p, &sig)) {
			return false;
		}
		break;
	case 't':
		action = GDB_ACTION_NONE;
		break;
	default:
		return false;
	}
	if (**p == ':') {
		(*p)++;
		if (!parse_thread_id(p, &tid)) {
			return false;
		}
	}
	vcont_apply(r, tid, action, (int)(sig & 0xff), have_default);
	return true;
}

static void cmd_vcont(struct gdbstub *stub, const char *p)
{
	struct gdb_resume r = { .default_action = GDB_ACTION_NONE };
	bool have_default = false;

	while (*p == ';') {
		p++;
		if (!vcont_action(&p, &r, &have_default)) {
			reply_printf(stub, "E22");
			return;
		}
	}
	if (*p) {
		reply_printf(stub, "E22");
		return;
	}
	resume(stub, &r);
}

static void cmd_detach(struct gdbstub *stub, char *args, size_t len)
{
	stub->ops->remove_all_points(stub->opaque);
	reply_printf(stub, "OK");
	send_reply(stub);
	__atomic_store_n(&stub->connected, false, __ATOMIC_RELEASE);
	stub->running = false;
	resume_all(stub, GDB_ACTION_CONTINUE);
}

static void cmd_kill(struct gdbstub *stub, char *args, size_t len)
{
	stub->ops->kill(stub->opaque);
}

static void cmd_stop_reason(struct gdbstub *stub, char *args, size_t len)
{
	int tid = resolve_thread(stub, stub->stop_tid);

	stub->stop_tid = tid;
	reply_printf(stub, "T%02xthread:%x;", GDB_SIGNAL_TRAP, tid);
}

static void cmd_set_thread(struct gdbstub *stub, char *args, size_t len)
{
	const char *p = args + 1;
	int tid;

	if ((args[0] != 'g' && args[0] != 'c') || !parse_thread_id(&p, &tid) ||
	    *p || (tid > 0 && !thread_alive(stub, tid))) {
		reply_printf(stub, "E22");
		return;
	}
	if (args[0] == 'g') {
		stub->g_tid = tid;
	} else {
		stub->c_tid = tid;
	}
	reply_printf(stub, "OK");
}

static void cmd_thread_alive(struct gdbstub *stub, char *args, size_t len)
{
	const char *p = args;
	int tid;

	if (parse_thread_id(&p, &tid) && !*p && tid > 0 &&
	    thread_alive(stub, tid)) {
		reply_printf(stub, "OK");
	} else {
		reply_printf(stub, "E22");
	}
}

/* ---- queries ------------------------------------------------------------ */

static void query_supported(struct gdbstub *stub, const char *args)
{
	reply_printf(stub,
		     "PacketSize=%x;qXfer:features:read+;vContSupported+;"
		     "QStartNoAckMode+",
		     GDB_PACKET_MAX);
}

static void query_thread_list(struct gdbstub *stub)
{
	int tids[MAX_THREADS];
	unsigned n = list_threads(stub, tids);

	for (unsigned i = 0; i < n; i++) {
		reply_printf(stub, "%c%x", i ? ',' : 'm', tids[i]);
	}
	if (!n) {
		reply_printf(stub, "l");
	}
}

static void query_thread_extra(struct gdbstub *stub, const char *args)
{
	char name[128] = "";
	int tid;

	if (!parse_thread_id(&args, &tid) || *args || tid <= 0) {
		reply_printf(stub, "E22");
		return;
	}
	if (stub->ops->thread_name) {
		stub->ops->thread_name(stub->opaque, tid, name, sizeof(name));
	}
	reply_hex(stub, (const uint8_t *)name, strlen(name));
}

/* qXfer:features:read:ANNEX:OFFSET,LENGTH */
static void query_features(struct gdbstub *stub, char *args)
{
	char *colon = strchr(args, ':');
	const char *p, *xml;
	uint64_t offset, length;
	size_t size;

	if (!colon) {
		reply_printf(stub, "E22");
		return;
	}
	*colon = 0;
	p = colon + 1;
	if (!parse_addr_len(&p, &offset, &length, 0)) {
		reply_printf(stub, "E22");
		return;
	}
	xml = stub->ops->target_xml(stub->opaque, args);
	if (!xml) {
		reply_printf(stub, "E00");
		return;
	}
	size = strlen(xml);
	if (offset >= size) {
		reply_printf(stub, "l");
		return;
	}
	length = MIN(length, GDB_PACKET_MAX - 1);
	length = MIN(length, size - offset);
	reply_printf(stub, "%c", offset + length < size ? 'm' : 'l');
	reply_bytes(stub, xml + offset, length);
}

/* qRcmd,HEX: the command's output as 'O' packets, then OK. */
static void query_monitor(struct gdbstub *stub, const char *hex)
{
	char command[GDB_PACKET_MAX / 2 + 1];
	size_t len = strlen(hex) / 2;
	char *output;

	if (!stub->ops->monitor_command) {
		return; /* not supported */
	}
	if (strlen(hex) % 2 ||
	    !gdb_packet_hex_to_bytes(hex, (uint8_t *)command, len) ||
	    memchr(command, 0, len)) {
		reply_printf(stub, "E22");
		return;
	}
	command[len] = 0;
	output = stub->ops->monitor_command(stub->opaque, command);
	if (!output) {
		reply_printf(stub, "E01");
		return;
	}
	for (size_t off = 0, n = strlen(output); off < n;) {
		size_t chunk = MIN(n - off, (GDB_PACKET_MAX - 2) / 2);

		reply_printf(stub, "O");
		reply_hex(stub, (const uint8_t *)output + off, chunk);
		send_reply(stub);
		off += chunk;
	}
	free(output);
	/* Sent now: the command may have resumed the target. */
	reply_printf(stub, "OK");
	send_reply(stub);
}

static bool starts_with(const char *s, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n)) {
		return false;
	}
	*rest = s + n;
	return true;
}

static void cmd_query(struct gdbstub *stub, char *args, size_t len)
{
	const char *rest;

	if (starts_with(args, "Supported", &rest)) {
		query_supported(stub, rest);
	} else if (starts_with(args, "Xfer:features:read:", &rest)) {
		query_features(stub, (char *)rest);
	} else if (!strcmp(args, "fThreadInfo")) {
		query_thread_list(stub);
	} else if (!strcmp(args, "sThreadInfo")) {
		reply_printf(stub, "l");
	} else if (!strcmp(args, "C")) {
		reply_printf(stub, "QC%x",
			     resolve_thread(stub, stub->stop_tid));
	} else if (starts_with(args, "Attached", &rest)) {
		reply_printf(stub, "1");
	} else if (starts_with(args, "ThreadExtraInfo,", &rest)) {
		query_thread_extra(stub, rest);
	} else if (starts_with(args, "Rcmd,", &rest)) {
		query_monitor(stub, rest);
	} else if (starts_with(args, "Symbol", &rest)) {
		reply_printf(stub, "OK");
	}
}

static void cmd_set(struct gdbstub *stub, char *args, size_t len)
{
	if (!strcmp(args, "StartNoAckMode")) {
		reply_printf(stub, "OK");
		send_reply(stub);
		stub->no_ack = true;
	}
}

static void cmd_v(struct gdbstub *stub, char *args, size_t len)
{
	const char *rest;

	if (!strcmp(args, "Cont?")) {
		reply_printf(stub, "vCont;c;C;s;S;t");
	} else if (starts_with(args, "Cont", &rest)) {
		cmd_vcont(stub, rest);
	} else if (starts_with(args, "Kill", &rest)) {
		reply_printf(stub, "OK");
		send_reply(stub);
		stub->ops->kill(stub->opaque);
	}
}

static command_fn *const commands[128] = {
	['?'] = cmd_stop_reason,
	['g'] = cmd_read_registers,
	['G'] = cmd_write_registers,
	['p'] = cmd_read_register,
	['P'] = cmd_write_register,
	['m'] = cmd_read_memory,
	['M'] = cmd_write_memory_hex,
	['X'] = cmd_write_memory_binary,
	['c'] = cmd_continue,
	['s'] = cmd_step,
	['C'] = cmd_continue_signal,
	['S'] = cmd_step_signal,
	['Z'] = cmd_insert_point,
	['z'] = cmd_remove_point,
	['H'] = cmd_set_thread,
	['T'] = cmd_thread_alive,
	['q'] = cmd_query,
	['Q'] = cmd_set,
	['v'] = cmd_v,
	['k'] = cmd_kill,
	['D'] = cmd_detach,
};

static void handle_packet(struct gdbstub *stub, char *data, size_t len)
{
	uint8_t c = (uint8_t)data[0];
	bool was_running = stub->running;

	stub->reply_len = 0;
	stub->replied = false;
	if (!len || c >= ARRAY_SIZE(commands) || !commands[c]) {
		send_reply(stub); /* empty: not supported */
		return;
	}
	commands[c](stub, data + 1, len - 1);
	/* A resume answers later, with a stop; everything else now. */
	if ((stub->running && !was_running) || stub->replied || c == 'k') {
		return;
	}
	send_reply(stub);
}

static void interrupt(struct gdbstub *stub)
{
	if (!stub->running) {
		return;
	}
	stub->ops->stop(stub->opaque);
	stop_here(stub, stub->stop_tid, GDB_SIGNAL_INT);
}

void gdbstub_input(struct gdbstub *stub, const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len && stub->connected; i++) {
		switch (gdb_packet_feed(&stub->parser, buf[i])) {
		case GDB_PACKET_READY:
			if (!stub->no_ack) {
				stub->write(stub->write_opaque,
					    (const uint8_t *)"+", 1);
			}
			handle_packet(stub, stub->parser.data,
				      stub->parser.len);
			break;
		case GDB_PACKET_BAD:
			if (!stub->no_ack) {
				stub->write(stub->write_opaque,
					    (const uint8_t *)"-", 1);
			}
			break;
		case GDB_PACKET_NACK:
			if (stub->framed_len && !stub->no_ack) {
				stub->write(stub->write_opaque, stub->framed,
					    stub->framed_len);
			}
			break;
		case GDB_PACKET_INTERRUPT:
			interrupt(stub);
			break;
		default:
			break;
		}
	}
}

void gdbstub_connected(struct gdbstub *stub)
{
	int tids[MAX_THREADS];

	gdb_packet_parser_init(&stub->parser);
	__atomic_store_n(&stub->connected, true, __ATOMIC_RELEASE);
	stub->no_ack = false;
	stub->running = false;
	stub->framed_len = 0;
	stub->g_tid = stub->c_tid = 0;
	stub->ops->stop(stub->opaque);
	stub->stop_tid = list_threads(stub, tids) ? tids[0] : 1;
}

void gdbstub_disconnected(struct gdbstub *stub)
{
	bool was_stopped = stub->connected && !stub->running;

	__atomic_store_n(&stub->connected, false, __ATOMIC_RELEASE);
	stub->running = false;
	stub->ops->remove_all_points(stub->opaque);
	if (was_stopped) {
		resume_all(stub, GDB_ACTION_CONTINUE);
	}
}
