/* SPDX-License-Identifier: MIT */
/* HMP commands over the block and machine-info QMP commands: info block,
 * info blockstats, block_resize, eject, info memdev and friends, printed
 * as QEMU's HMP prints them. */
#include <inttypes.h>
#include <string.h>

#include "util/options.h"
#include "monitor/monitor-internal.h"

static json_object *hmp_get(json_object *obj, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(obj, key, &v);
	return v;
}

static const char *hmp_str(json_object *obj, const char *key)
{
	json_object *v = hmp_get(obj, key);

	return v ? json_object_get_string(v) : "";
}

static bool hmp_bool(json_object *obj, const char *key)
{
	return json_object_get_boolean(hmp_get(obj, key));
}

/* The next word of *args (NUL-terminated in buf), or NULL at the end. */
static const char *hmp_word(const char **args, char *buf, size_t len)
{
	const char *p = *args + strspn(*args, " \t");
	size_t n = strcspn(p, " \t");

	if (!n || n >= len) {
		*args = p + n;
		return NULL;
	}
	memcpy(buf, p, n);
	buf[n] = 0;
	*args = p + n;
	return buf;
}

static void hmp_print_block(struct monitor *mon, json_object *b)
{
	json_object *ins = hmp_get(b, "inserted");
	json_object *cache = hmp_get(ins, "cache");
	const char *device = hmp_str(b, "device");

	if (*device) {
		monitor_printf(mon, "%s (%s)", device,
			       hmp_str(ins, "node-name"));
	} else {
		monitor_printf(mon, "%s", hmp_str(ins, "node-name"));
	}
	monitor_printf(mon, ": %s (%s%s)\n", hmp_str(ins, "file"),
		       hmp_str(ins, "drv"),
		       hmp_bool(ins, "ro") ? ", read-only" : "");
	if (hmp_get(b, "qdev")) {
		monitor_printf(mon, "    Attached to:      %s\n",
			       hmp_str(b, "qdev"));
	}
	monitor_printf(mon, "    Cache mode:       %s%s%s\n",
		       hmp_bool(cache, "writeback") ? "writeback" :
						      "writethrough",
		       hmp_bool(cache, "direct") ? ", direct" : "",
		       hmp_bool(cache, "no-flush") ? ", ignore flushes" : "");
	if (hmp_get(ins, "backing_file")) {
		monitor_printf(mon,
			       "    Backing file:     %s (chain depth: %d)\n",
			       hmp_str(ins, "backing_file"),
			       json_object_get_int(
				       hmp_get(ins, "backing_file_depth")));
	}
}

/* info block [-v] [device]: -v (image details) is taken and ignored. */
void hmp_info_block(struct monitor *mon, const char *args)
{
	json_object *ret = hmp_qmp_args(mon, "query-block", NULL);
	const char *device = NULL;
	char word[128];
	bool first = true;

	while (hmp_word(&args, word, sizeof(word))) {
		if (strcmp(word, "-v")) {
			device = word;
		}
	}
	for (size_t i = 0; ret && i < json_object_array_length(ret); i++) {
		json_object *b = json_object_array_get_idx(ret, i);

		if (device && strcmp(device, hmp_str(b, "device"))) {
			continue;
		}
		monitor_printf(mon, "%s", first ? "" : "\n");
		first = false;
		hmp_print_block(mon, b);
	}
	json_object_put(ret);
}

void hmp_info_blockstats(struct monitor *mon, const char *args)
{
	static const char *const keys[] = {
		"rd_bytes",	    "wr_bytes",
		"rd_operations",    "wr_operations",
		"flush_operations", "wr_total_time_ns",
		"rd_total_time_ns", "flush_total_time_ns",
		"rd_merged",	    "wr_merged",
		"idle_time_ns",
	};
	json_object *ret = hmp_qmp_args(mon, "query-blockstats", NULL);

	for (size_t i = 0; ret && i < json_object_array_length(ret); i++) {
		json_object *s = json_object_array_get_idx(ret, i);
		json_object *st = hmp_get(s, "stats");

		monitor_printf(mon, "%s:", hmp_str(s, "device"));
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
			monitor_printf(
				mon, " %s=%" PRId64, keys[k],
				json_object_get_int64(hmp_get(st, keys[k])));
		}
		monitor_printf(mon, "\n");
	}
	json_object_put(ret);
}

/* block_resize device size (size with a K/M/G/T suffix, bytes default) */
void hmp_block_resize(struct monitor *mon, const char *args)
{
	json_object *a = json_object_new_object();
	char dev[128], size_str[64];
	struct error *err = NULL;
	uint64_t size;

	if (!hmp_word(&args, dev, sizeof(dev)) ||
	    !hmp_word(&args, size_str, sizeof(size_str))) {
		monitor_printf(mon, "block_resize: device and size needed\n");
		json_object_put(a);
		return;
	}
	if (!options_parse_size(size_str, 0, &size, &err)) {
		monitor_printf(mon, "Error: %s\n", error_get_message(err));
		error_free(err);
		json_object_put(a);
		return;
	}
	json_object_object_add(a, "device", json_object_new_string(dev));
	json_object_object_add(a, "size", json_object_new_int64(size));
	json_object_put(hmp_qmp_args(mon, "block_resize", a));
}

/* eject [-f] device */
void hmp_eject(struct monitor *mon, const char *args)
{
	json_object *a = json_object_new_object();
	char word[128];

	while (hmp_word(&args, word, sizeof(word))) {
		if (!strcmp(word, "-f")) {
			json_object_object_add(a, "force",
					       json_object_new_boolean(true));
		} else {
			json_object_object_add(a, "device",
					       json_object_new_string(word));
		}
	}
	json_object_put(hmp_qmp_args(mon, "eject", a));
}

void hmp_info_memdev(struct monitor *mon, const char *args)
{
	json_object *ret = hmp_qmp_args(mon, "query-memdev", NULL);

	for (size_t i = 0; ret && i < json_object_array_length(ret); i++) {
		json_object *m = json_object_array_get_idx(ret, i);

		monitor_printf(mon,
			       "memory backend: %s\n  size:  %s\n"
			       "  merge: %s\n  dump: %s\n  prealloc: %s\n"
			       "  share: %s\n  reserve: %s\n  policy: %s\n"
			       "  host nodes: \n",
			       hmp_str(m, "id"), hmp_str(m, "size"),
			       hmp_str(m, "merge"), hmp_str(m, "dump"),
			       hmp_str(m, "prealloc"), hmp_str(m, "share"),
			       hmp_str(m, "reserve"), hmp_str(m, "policy"));
	}
	if (ret) {
		monitor_printf(mon, "\n");
	}
	json_object_put(ret);
}

void hmp_info_memory_size_summary(struct monitor *mon, const char *args)
{
	json_object *ret = hmp_qmp_args(mon, "query-memory-size-summary", NULL);

	if (ret) {
		monitor_printf(mon, "base memory: %s\n",
			       hmp_str(ret, "base-memory"));
	}
	json_object_put(ret);
}

/* Commands whose QMP side only answers an error (or nothing) here. */
void hmp_info_balloon(struct monitor *mon, const char *args)
{
	json_object_put(hmp_qmp_args(mon, "query-balloon", NULL));
}

void hmp_info_iothreads(struct monitor *mon, const char *args)
{
	json_object_put(hmp_qmp_args(mon, "query-iothreads", NULL));
}

void hmp_info_hotpluggable_cpus(struct monitor *mon, const char *args)
{
	json_object_put(hmp_qmp_args(mon, "query-hotpluggable-cpus", NULL));
}

void hmp_nmi(struct monitor *mon, const char *args)
{
	json_object_put(hmp_qmp_args(mon, "inject-nmi", NULL));
}
