/* SPDX-License-Identifier: MIT */
/* QMP events: queued from any thread, stamped when they happen, sent from
 * the main loop to every client past capability negotiation. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "monitor/monitor-internal.h"
#include "util/main-loop.h"

struct monitor_pending_event {
	json_object *msg;
	struct monitor_pending_event *next;
};

static pthread_mutex_t event_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t main_thread;
static bool main_thread_known;

void monitor_events_init(void)
{
	main_thread = pthread_self();
	main_thread_known = true;
}
static struct monitor_pending_event *event_head, **event_tail = &event_head;

json_object *monitor_event_timestamp(void)
{
	struct timeval tv;
	json_object *ts = json_object_new_object();

	gettimeofday(&tv, NULL);
	json_object_object_add(ts, "seconds", json_object_new_int64(tv.tv_sec));
	json_object_object_add(ts, "microseconds",
			       json_object_new_int64(tv.tv_usec));
	return ts;
}

static void monitor_events_bh(void *opaque)
{
	monitor_events_drain();
}

void monitor_event(const char *name, json_object *data)
{
	monitor_event_queue(name, data, true);
}

void monitor_event_queue(const char *name, json_object *data, bool now)
{
	struct monitor_pending_event *ev = calloc(1, sizeof(*ev));
	json_object *msg = json_object_new_object();

	if (!ev || !msg) {
		free(ev);
		json_object_put(msg);
		json_object_put(data);
		return;
	}
	json_object_object_add(msg, "event", json_object_new_string(name));
	if (data) {
		json_object_object_add(msg, "data", data);
	}
	json_object_object_add(msg, "timestamp", monitor_event_timestamp());
	ev->msg = msg;
	pthread_mutex_lock(&event_lock);
	*event_tail = ev;
	event_tail = &ev->next;
	pthread_mutex_unlock(&event_lock);
	/* On the main loop, an event goes out before the reply to the
	 * command that caused it, as in QEMU. */
	if (now && main_thread_known &&
	    pthread_equal(pthread_self(), main_thread)) {
		monitor_events_drain();
	} else {
		main_loop_schedule(monitor_events_bh, NULL);
	}
}

void monitor_events_drain(void)
{
	struct monitor_pending_event *list, *ev;

	pthread_mutex_lock(&event_lock);
	list = event_head;
	event_head = NULL;
	event_tail = &event_head;
	pthread_mutex_unlock(&event_lock);
	while ((ev = list)) {
		list = ev->next;
		for (struct monitor *mon = monitor_state.clients; mon;
		     mon = mon->next) {
			if (mon->mode == MONITOR_QMP && mon->qmp.negotiated &&
			    !mon->dead) {
				qmp_send_json(mon, ev->msg);
			}
		}
		json_object_put(ev->msg);
		free(ev);
	}
}
