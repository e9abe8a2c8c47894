/* SPDX-License-Identifier: MIT */
/* The monitor against a fake machine: QMP framing, negotiation, errors,
 * commands and events; HMP line editing, expressions and memory dumps. */
#include <stdlib.h>
#include <string.h>

#include "monitor/machine-fake.h"
#include "monitor/monitor-internal.h"
#include "unit.h"

struct client {
	struct monitor_buf out;
	struct monitor *mon;
};

static void client_open(struct client *c, enum monitor_mode mode)
{
	memset(c, 0, sizeof(*c));
	CHECK(monitor_fake_start());
	c->mon = monitor_new_buffered(mode, &c->out);
	CHECK(c->mon != NULL);
}

static void client_close(struct client *c)
{
	monitor_free(c->mon);
	monitor_buf_free(&c->out);
}

static void client_send(struct client *c, const char *text)
{
	monitor_input(c->mon, (const uint8_t *)text, strlen(text));
}

/* The output since the last call, as one string (caller frees). */
static char *client_take(struct client *c)
{
	char *s = strdup(c->out.data ? c->out.data : "");

	c->out.len = 0;
	if (c->out.data) {
		c->out.data[0] = '\0';
	}
	return s;
}

/* Send one line and parse the one reply it must produce. */
static json_object *qmp(struct client *c, const char *line)
{
	char *text;
	json_object *obj;

	client_send(c, line);
	text = client_take(c);
	obj = json_tokener_parse(text);
	if (!obj) {
		unit_fail(__FILE__, __LINE__, "no JSON reply to %s: '%s'", line,
			  text);
	}
	free(text);
	return obj;
}

static const char *path_str(json_object *obj, const char *a, const char *b)
{
	json_object *x = NULL, *y = NULL;

	if (!json_object_object_get_ex(obj, a, &x)) {
		return "";
	}
	if (b && !json_object_object_get_ex(x, b, &y)) {
		return "";
	}
	return json_object_get_string(b ? y : x);
}

static void negotiate(struct client *c)
{
	json_object *r = qmp(c, "{\"execute\": \"qmp_capabilities\"}");

	CHECK(json_object_object_get_ex(r, "return", NULL));
	json_object_put(r);
}

TEST(qmp_negotiation_and_id)
{
	struct client c;
	json_object *r;

	client_open(&c, MONITOR_QMP);
	r = qmp(&c, "{\"execute\": \"query-status\", \"id\": \"x\"}");
	CHECK_STR(path_str(r, "error", "class"), "CommandNotFound");
	CHECK_STR(path_str(r, "error", "desc"),
		  "Expecting capabilities negotiation with "
		  "'qmp_capabilities'");
	CHECK_STR(path_str(r, "id", NULL), "x");
	json_object_put(r);
	negotiate(&c);
	r = qmp(&c, "{\"execute\": \"query-status\", \"id\": [1, 2]}");
	CHECK_STR(path_str(r, "return", "status"), "running");
	CHECK_EQ(json_object_array_length(json_object_object_get(r, "id")), 2);
	json_object_put(r);
	client_close(&c);
}

TEST(qmp_framing_split_and_batched)
{
	struct client c;
	char *text;

	client_open(&c, MONITOR_QMP);
	negotiate(&c);
	/* One message in pieces, then two in one write. */
	client_send(&c, "{\"exec");
	client_send(&c, "ute\": \"query-kvm\"");
	CHECK_EQ(c.out.len, 0);
	client_send(&c, "}\r\n{\"execute\": \"query-target\"} "
			"{\"execute\": \"query-name\"}");
	text = client_take(&c);
	CHECK(strstr(text, "\"present\": false") != NULL);
	CHECK(strstr(text, "\"arch\": \"riscv64\"") != NULL);
	CHECK(strstr(text, "\"name\": \"fake\"") != NULL);
	free(text);
	client_close(&c);
}

TEST(qmp_errors_and_resync)
{
	struct client c;
	json_object *r;
	char *big;

	client_open(&c, MONITOR_QMP);
	negotiate(&c);
	r = qmp(&c, "{\"execute\": \"nope\"}");
	CHECK_STR(path_str(r, "error", "desc"),
		  "The command nope has not been found");
	json_object_put(r);
	r = qmp(&c, "{\"execute\": \"stop\", \"arguments\": {\"x\": 1}}");
	CHECK_STR(path_str(r, "error", "desc"), "Parameter 'x' is unexpected");
	json_object_put(r);
	r = qmp(&c, "{\"execute\": \"human-monitor-command\", \"arguments\": "
		    "{\"command-line\": true}}");
	CHECK_STR(path_str(r, "error", "desc"),
		  "Invalid parameter type for 'command-line', expected: "
		  "string");
	json_object_put(r);
	r = qmp(&c, "{\"execute\": \"stop\" oops\n");
	CHECK_STR(path_str(r, "error", "class"), "GenericError");
	CHECK(!strncmp(path_str(r, "error", "desc"), "JSON parse error, ", 18));
	json_object_put(r);
	r = qmp(&c, "\"\xc3\x28\"\n");
	CHECK(!strncmp(path_str(r, "error", "desc"), "JSON parse error, ", 18));
	json_object_put(r);
	/* Too long: one error, then the session works again. */
	big = malloc(QMP_MAX_MESSAGE * 2 + 8);
	memset(big, ' ', QMP_MAX_MESSAGE * 2);
	big[0] = '[';
	strcpy(big + QMP_MAX_MESSAGE * 2, "1]\n");
	r = qmp(&c, big);
	CHECK_STR(path_str(r, "error", "desc"),
		  "JSON parse error, message too large");
	json_object_put(r);
	free(big);
	r = qmp(&c, "{\"execute\": \"query-kvm\"}");
	CHECK(json_object_object_get_ex(r, "return", NULL));
	json_object_put(r);
	client_close(&c);
}

TEST(qmp_garbage_closes_the_connection)
{
	struct client c;

	client_open(&c, MONITOR_QMP);
	for (int i = 0; i < QMP_MAX_ERRORS + 4 && !c.mon->dead; i++) {
		client_send(&c, "}}}\n");
	}
	CHECK(c.mon->dead);
	client_close(&c);
}

TEST(qmp_run_control_and_events)
{
	struct client c;
	char *text;

	client_open(&c, MONITOR_QMP);
	negotiate(&c);
	client_send(&c, "{\"execute\": \"stop\"}");
	text = client_take(&c);
	CHECK(monitor_fake.paused);
	/* The event first, then the reply. */
	CHECK(strstr(text, "\"event\": \"STOP\"") != NULL);
	CHECK(strstr(text, "\"event\": \"STOP\"") < strstr(text, "\"return\""));
	free(text);
	client_send(&c, "{\"execute\": \"cont\"}{\"execute\": "
			"\"system_reset\"}{\"execute\": \"system_powerdown\"}");
	text = client_take(&c);
	CHECK(!monitor_fake.paused);
	CHECK_EQ(monitor_fake.resets, 1);
	CHECK_EQ(monitor_fake.powerdowns, 1);
	CHECK(strstr(text, "\"RESUME\"") && strstr(text, "\"POWERDOWN\""));
	CHECK(strstr(text, "\"reason\": \"host-qmp-system-reset\""));
	free(text);
	client_send(&c, "{\"execute\": \"quit\"}");
	CHECK_EQ(monitor_fake.quits, 1);
	free(client_take(&c));
	client_close(&c);
}

static char *hmp(struct client *c, const char *line)
{
	client_send(c, line);
	return client_take(c);
}

TEST(hmp_commands_and_expressions)
{
	struct client c;
	char *out;

	client_open(&c, MONITOR_HMP);
	memcpy(monitor_fake.ram + 0x10, "\x78\x56\x34\x12\xef\xbe\xad\xde", 8);
	out = hmp(&c, "info status\r");
	CHECK(strstr(out, "(qemu) ") != NULL); /* banner */
	CHECK(strstr(out, "VM status: running\r\n") != NULL);
	free(out);
	out = hmp(&c, "xp /2wx 0x80000010\r\n");
	CHECK(strstr(out, "0000000080000010: 0x12345678 0xdeadbeef\r\n"));
	free(out);
	out = hmp(&c, "xp/1gx 0x80000010\n");
	CHECK(strstr(out, "0000000080000010: 0xdeadbeef12345678\r\n"));
	free(out);
	out = hmp(&c, "p/d -(3 + 4) * 2\r");
	CHECK(strstr(out, "\n-14\r\n") != NULL);
	free(out);
	out = hmp(&c, "p 0xff & ~0xf0 | 1 << 8\r");
	CHECK(strstr(out, "\n271\r\n") != NULL);
	free(out);
	/* Backspace edits the line; escape sequences are dropped. */
	out = hmp(&c, "p 1x\x7f+\x1b[A1\r");
	CHECK(strstr(out, "\n2\r\n") != NULL);
	free(out);
	out = hmp(&c, "p (1\r");
	CHECK(strstr(out, "')' expected") != NULL);
	free(out);
	{
		char deep[1000];

		memcpy(deep, "p ", 2);
		memset(deep + 2, '(', 500);
		strcpy(deep + 502, "1\r");
		out = hmp(&c, deep);
		CHECK(strstr(out, "too deeply nested") != NULL);
		free(out);
		memset(deep + 2, '-', 900);
		strcpy(deep + 902, "1\r");
		out = hmp(&c, deep);
		CHECK(strstr(out, "too deeply nested") != NULL);
		free(out);
	}
	out = hmp(&c, "xp /1wx 0x10\r");
	CHECK(strstr(out, "Cannot access memory") != NULL);
	free(out);
	out = hmp(&c, "stop\rinfo status\r");
	CHECK(strstr(out, "VM status: paused") != NULL);
	free(out);
	out = hmp(&c, "info mtree\r");
	CHECK(strstr(out, "0000000010000000-00000000100000ff") != NULL);
	free(out);
	client_close(&c);
}

TEST(qmp_human_monitor_command)
{
	struct client c;
	json_object *r;

	client_open(&c, MONITOR_QMP);
	negotiate(&c);
	r = qmp(&c, "{\"execute\": \"human-monitor-command\", \"arguments\": "
		    "{\"command-line\": \"info cpus\"}}");
	CHECK(!strncmp(path_str(r, "return", NULL),
		       "* CPU #0: thread_id=", 20));
	CHECK(strstr(path_str(r, "return", NULL), "\r\n") != NULL);
	json_object_put(r);
	/* An event a command causes goes to the client, not the output. */
	client_send(&c, "{\"execute\": \"human-monitor-command\", "
			"\"arguments\": {\"command-line\": \"stop\"}}");
	{
		char *text = client_take(&c);

		CHECK(strstr(text, "\"event\": \"STOP\"") != NULL);
		CHECK(strstr(text, "{\"return\": \"\"}") != NULL);
		free(text);
	}
	client_send(&c, "{\"execute\": \"cont\"}");
	free(client_take(&c));
	client_close(&c);
}

/* The commands management tools probe, on the fake machine. */
TEST(qmp_management_queries)
{
	struct client c;
	json_object *r;

	client_open(&c, MONITOR_QMP);
	negotiate(&c);
	r = qmp(&c, "{\"execute\": \"query-balloon\"}");
	CHECK_STR(path_str(r, "error", "class"), "DeviceNotActive");
	json_object_put(r);
	r = qmp(&c, "{\"execute\": \"query-memory-size-summary\"}");
	CHECK(json_object_get_int64(json_object_object_get(
		      json_object_object_get(r, "return"), "base-memory")) > 0);
	json_object_put(r);
	r = qmp(&c, "{\"execute\": \"getfd\", \"arguments\": "
		    "{\"fdname\": \"f\"}}");
	CHECK_STR(path_str(r, "error", "desc"),
		  "No file descriptor supplied via SCM_RIGHTS");
	json_object_put(r);
	r = qmp(&c, "{\"execute\": \"closefd\", \"arguments\": "
		    "{\"fdname\": \"f\"}}");
	CHECK_STR(path_str(r, "error", "desc"),
		  "File descriptor named 'f' not found");
	json_object_put(r);
	r = qmp(&c, "{\"execute\": \"block_resize\", \"arguments\": "
		    "{\"device\": \"x\", \"size\": 512}}");
	CHECK_STR(path_str(r, "error", "desc"),
		  "Cannot find device='x' nor node-name=''");
	json_object_put(r);
	r = qmp(&c, "{\"execute\": \"eject\", \"arguments\": {\"id\": \"x\"}}");
	CHECK_STR(path_str(r, "error", "class"), "DeviceNotFound");
	json_object_put(r);
	r = qmp(&c, "{\"execute\": \"device-list-properties\", \"arguments\": "
		    "{\"typename\": \"virtio-device\"}}");
	CHECK_STR(path_str(r, "error", "desc"),
		  "Parameter 'typename' expects a non-abstract device type");
	json_object_put(r);
	r = qmp(&c, "{\"execute\": \"query-command-line-options\", "
		    "\"arguments\": {\"option\": \"rtc\"}}");
	CHECK_EQ(json_object_array_length(json_object_object_get(r, "return")),
		 1);
	json_object_put(r);
	r = qmp(&c, "{\"execute\": \"query-blockstats\"}");
	CHECK(json_object_is_type(json_object_object_get(r, "return"),
				  json_type_array));
	json_object_put(r);
	client_close(&c);
}
