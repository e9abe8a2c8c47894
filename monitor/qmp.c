/* SPDX-License-Identifier: MIT */
/* QMP: the greeting, message framing with json-c's stream parser (bounded,
 * resynchronising after errors), capability negotiation and dispatch, as
 * QEMU's docs/interop/qmp-spec.rst describes the protocol. */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "monitor/monitor-internal.h"
#include "util/json-text.h"

void qmp_session_init(struct monitor *mon)
{
	mon->qmp.tok = json_tokener_new();
	if (mon->qmp.tok) {
		json_tokener_set_flags(mon->qmp.tok,
				       JSON_TOKENER_VALIDATE_UTF8);
	}
}

void qmp_session_reset(struct monitor *mon)
{
	if (mon->qmp.tok) {
		json_tokener_reset(mon->qmp.tok);
	}
	mon->qmp.pending = 0;
	mon->qmp.skipping = false;
	mon->qmp.errors = 0;
	mon->qmp.negotiated = false;
}

void qmp_session_free(struct monitor *mon)
{
	if (mon->qmp.tok) {
		json_tokener_free(mon->qmp.tok);
		mon->qmp.tok = NULL;
	}
}

void qmp_send_json(struct monitor *mon, json_object *obj)
{
	struct monitor_buf *capture;
	char *text = json_text(obj, mon->pretty);
	/* Out of memory: still a reply the client can parse. */
	const char *out = text ? text :
				 "{\"error\": {\"class\": \"GenericError\", "
				 "\"desc\": \"out of memory\"}}";

	/* Not into human-monitor-command's capture: an event its command
	 * causes goes to the client, before the reply. */
	capture = mon->capture;
	mon->capture = NULL;
	monitor_write_raw(mon, out, strlen(out));
	monitor_write_raw(mon, "\r\n", 2);
	mon->capture = capture;
	free(text);
}

json_object *qmp_version_object(void)
{
	json_object *v = json_object_new_object();
	json_object *qemu = json_object_new_object();

	json_object_object_add(qemu, "micro",
			       json_object_new_int(MONITOR_QEMU_MICRO));
	json_object_object_add(qemu, "minor",
			       json_object_new_int(MONITOR_QEMU_MINOR));
	json_object_object_add(qemu, "major",
			       json_object_new_int(MONITOR_QEMU_MAJOR));
	json_object_object_add(v, "qemu", qemu);
	json_object_object_add(v, "package",
			       json_object_new_string("mimic-" MIMIC_VERSION));
	return v;
}

void qmp_send_greeting(struct monitor *mon)
{
	json_object *msg = json_object_new_object();
	json_object *qmp = json_object_new_object();

	json_object_object_add(qmp, "version", qmp_version_object());
	/* No "oob": out-of-band execution is not implemented. */
	json_object_object_add(qmp, "capabilities", json_object_new_array());
	json_object_object_add(msg, "QMP", qmp);
	qmp_send_json(mon, msg);
	json_object_put(msg);
}

static void qmp_send_error(struct monitor *mon, enum qmp_error_class cls,
			   const char *desc, json_object *id)
{
	json_object *msg = json_object_new_object();
	json_object *err = json_object_new_object();

	json_object_object_add(
		err, "class",
		json_object_new_string(qmp_error_class_name(cls)));
	json_object_object_add(err, "desc", json_object_new_string(desc));
	json_object_object_add(msg, "error", err);
	if (id) {
		json_object_object_add(msg, "id", json_object_get(id));
	}
	qmp_send_json(mon, msg);
	json_object_put(msg);
}

/* Check the envelope: {"execute": NAME, "arguments": {...}, "id": ANY}. */
static bool qmp_check_envelope(json_object *req, const char **name,
			       json_object **args, struct error **errp)
{
	json_object *execute = NULL;

	if (!json_object_is_type(req, json_type_object)) {
		error_setg(errp, "QMP input must be a JSON object");
		return false;
	}
	json_object_object_foreach(req, key, val)
	{
		if (!strcmp(key, "execute")) {
			execute = val;
		} else if (!strcmp(key, "arguments")) {
			*args = val;
		} else if (strcmp(key, "id")) {
			error_setg(errp, "QMP input member '%s' is unexpected",
				   key);
			return false;
		}
	}
	if (!execute) {
		error_setg(errp, "QMP input lacks member 'execute'");
		return false;
	}
	if (!json_object_is_type(execute, json_type_string)) {
		error_setg(errp, "QMP input member 'execute' must be a string");
		return false;
	}
	if (*args && !json_object_is_type(*args, json_type_object)) {
		error_setg(errp,
			   "QMP input member 'arguments' must be an object");
		return false;
	}
	*name = json_object_get_string(execute);
	return true;
}

static void qmp_dispatch(struct monitor *mon, json_object *req)
{
	struct qmp_request r = { .mon = mon };
	const struct qmp_command *cmd;
	struct error *err = NULL;
	json_object *args = NULL, *id = NULL, *ret, *msg;
	const char *name = NULL;

	if (json_object_is_type(req, json_type_object)) {
		id = json_object_object_get(req, "id");
	}
	if (!qmp_check_envelope(req, &name, &args, &err)) {
		goto fail;
	}
	cmd = qmp_command_find(name);
	if (!mon->qmp.negotiated && strcmp(name, "qmp_capabilities")) {
		r.error_class = QMP_ERROR_COMMAND_NOT_FOUND;
		error_setg(&err, "Expecting capabilities negotiation with "
				 "'qmp_capabilities'");
		goto fail;
	}
	if (!cmd) {
		r.error_class = QMP_ERROR_COMMAND_NOT_FOUND;
		error_setg(&err, "The command %s has not been found", name);
		goto fail;
	}
	r.args = args ? json_object_get(args) : json_object_new_object();
	ret = qmp_command_run(cmd, &r, &err);
	json_object_put(r.args);
	if (!ret && err) {
		goto fail;
	}
	msg = json_object_new_object();
	json_object_object_add(msg, "return",
			       ret ? ret : json_object_new_object());
	if (id) {
		json_object_object_add(msg, "id", json_object_get(id));
	}
	qmp_send_json(mon, msg);
	json_object_put(msg);
	return;
fail:
	qmp_send_error(mon, r.error_class, error_get_message(err), id);
	error_free(err);
}

/* A parse error: answer it, then drop input up to the next newline. */
static void qmp_parse_error(struct monitor *mon, const char *why)
{
	char desc[256];

	snprintf(desc, sizeof(desc), "JSON parse error, %s", why);
	qmp_send_error(mon, QMP_ERROR_GENERIC, desc, NULL);
	json_tokener_reset(mon->qmp.tok);
	mon->qmp.pending = 0;
	mon->qmp.skipping = true;
	if (++mon->qmp.errors >= QMP_MAX_ERRORS) {
		monitor_close(mon);
	}
}

/* Drop bytes while skipping; returns how many were consumed. */
static size_t qmp_skip(struct monitor *mon, const uint8_t *buf, size_t len)
{
	const uint8_t *nl = memchr(buf, '\n', len);

	if (!nl) {
		return len;
	}
	mon->qmp.skipping = false;
	return nl - buf + 1;
}

/* Feed at most this much to the tokener at once, so that a message is
 * cut off soon after it passes QMP_MAX_MESSAGE. */
#define QMP_FEED_CHUNK 4096

void qmp_feed(struct monitor *mon, const uint8_t *buf, size_t len)
{
	while (len && !mon->dead) {
		size_t chunk = len < QMP_FEED_CHUNK ? len : QMP_FEED_CHUNK;
		enum json_tokener_error jerr;
		json_object *obj;
		size_t used;

		if (mon->qmp.skipping) {
			used = qmp_skip(mon, buf, len);
			buf += used;
			len -= used;
			continue;
		}
		obj = json_tokener_parse_ex(mon->qmp.tok, (const char *)buf,
					    (int)chunk);
		jerr = json_tokener_get_error(mon->qmp.tok);
		used = json_tokener_get_parse_end(mon->qmp.tok);
		if (jerr == json_tokener_continue) {
			mon->qmp.pending += chunk;
			buf += chunk;
			len -= chunk;
			if (mon->qmp.pending > QMP_MAX_MESSAGE) {
				qmp_parse_error(mon, "message too large");
			}
			continue;
		}
		if (jerr != json_tokener_success) {
			/* Resynchronise from the offending byte on. */
			used = used < chunk ? used : chunk;
			buf += used;
			len -= used;
			qmp_parse_error(mon, json_tokener_error_desc(jerr));
			continue;
		}
		used = used ? used : chunk;
		buf += used;
		len -= used;
		mon->qmp.pending = 0;
		mon->qmp.errors = 0;
		json_tokener_reset(mon->qmp.tok);
		qmp_dispatch(mon, obj);
		json_object_put(obj);
	}
}
