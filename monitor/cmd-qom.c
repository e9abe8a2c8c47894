/* SPDX-License-Identifier: MIT */
/* qom-list-types and device-list-properties over the table of the device
 * types mimic has (qom-types.c), answered as QEMU 7.2 answers. */
#include <string.h>

#include "monitor/monitor-internal.h"

static const struct qom_type *qom_type_find(const char *name)
{
	for (size_t i = 0; i < qom_nr_types; i++) {
		if (!strcmp(qom_types[i].name, name)) {
			return &qom_types[i];
		}
	}
	return NULL;
}

/* Is name t itself or one of its ancestors? */
static bool qom_type_is_a(const struct qom_type *t, const char *name)
{
	for (unsigned depth = 0; t && depth < 16; depth++) {
		if (!strcmp(t->name, name)) {
			return true;
		}
		t = t->parent ? qom_type_find(t->parent) : NULL;
	}
	return false;
}

json_object *qmp_qom_list_types(struct qmp_request *req, struct error **errp)
{
	json_object *list = json_object_new_array();
	json_object *val;
	const char *implements = NULL;
	bool abstract = false;

	if (json_object_object_get_ex(req->args, "implements", &val)) {
		implements = json_object_get_string(val);
	}
	if (json_object_object_get_ex(req->args, "abstract", &val)) {
		abstract = json_object_get_boolean(val);
	}
	for (size_t i = 0; i < qom_nr_types; i++) {
		const struct qom_type *t = &qom_types[i];
		json_object *entry;

		if ((t->abstract && !abstract) ||
		    (implements && !qom_type_is_a(t, implements))) {
			continue;
		}
		entry = json_object_new_object();
		json_object_object_add(entry, "name",
				       json_object_new_string(t->name));
		if (t->parent) {
			json_object_object_add(
				entry, "parent",
				json_object_new_string(t->parent));
		}
		if (t->abstract) {
			json_object_object_add(entry, "abstract",
					       json_object_new_boolean(true));
		}
		json_object_array_add(list, entry);
	}
	return list;
}

json_object *qmp_device_list_properties(struct qmp_request *req,
					struct error **errp)
{
	const char *name = json_object_get_string(
		json_object_object_get(req->args, "typename"));
	const struct qom_type *t = qom_type_find(name);
	json_object *list;

	if (!t) {
		req->error_class = QMP_ERROR_DEVICE_NOT_FOUND;
		error_setg(errp, "Device '%s' not found", name);
		return NULL;
	}
	if (t->abstract || !qom_type_is_a(t, "device")) {
		error_setg(errp, "Parameter 'typename' expects a non-abstract "
				 "device type");
		return NULL;
	}
	list = json_object_new_array();
	for (const struct qom_prop *p = t->props; p && p->name; p++) {
		json_object *prop = json_object_new_object();

		json_object_object_add(prop, "name",
				       json_object_new_string(p->name));
		json_object_object_add(prop, "type",
				       json_object_new_string(p->type));
		if (p->description) {
			json_object_object_add(
				prop, "description",
				json_object_new_string(p->description));
		}
		if (p->default_json) {
			json_object_object_add(
				prop, "default-value",
				json_tokener_parse(p->default_json));
		}
		json_object_array_add(list, prop);
	}
	return list;
}
