/* SPDX-License-Identifier: MIT */
/* mimic-img snapshot: list, create, apply and delete internal snapshots. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tools/img/img.h"

/* One row of qemu-img's snapshot table. */
static void img_snapshot_row(const struct block_snapshot_info *sn)
{
	char size[32], date[32], clock[32], icount[32] = "";
	uint64_t secs = sn->vm_clock_nsec / 1000000000ull;
	time_t when = sn->date_sec;
	struct tm tm;

	img_size_to_str(sn->vm_state_size, size, sizeof(size));
	if (localtime_r(&when, &tm)) {
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
	} else {
		date[0] = '\0';
	}
	snprintf(clock, sizeof(clock), "%02u:%02u:%02u.%03u",
		 (unsigned)(secs / 3600), (unsigned)(secs / 60 % 60),
		 (unsigned)(secs % 60),
		 (unsigned)(sn->vm_clock_nsec / 1000000 % 1000));
	if (sn->icount != UINT64_MAX) {
		snprintf(icount, sizeof(icount), "%" PRId64,
			 (int64_t)sn->icount);
	}
	printf("%-9s %-16s %8s%20s%13s%11s\n", sn->id, sn->name, size, date,
	       clock, icount);
}

int img_snapshot_print_table(struct block *bs)
{
	struct block_snapshot_info *list = NULL;
	int n = block_snapshot_list(bs, &list);

	if (n <= 0) {
		return n == -ENOTSUP ? 0 : n;
	}
	printf("Snapshot list:\n%-10s%-17s%8s%20s%13s%11s\n", "ID", "TAG",
	       "VM SIZE", "DATE", "VM CLOCK", "ICOUNT");
	for (int i = 0; i < n; i++) {
		img_snapshot_row(&list[i]);
	}
	block_snapshot_list_free(list, n);
	return 0;
}

static int img_snapshot_list(struct block *bs)
{
	int ret = img_snapshot_print_table(bs);

	if (ret < 0) {
		return img_fail("Could not list snapshots: %s", strerror(-ret));
	}
	return 0;
}

static int img_snapshot_run(struct block *bs, int action, const char *name)
{
	static const char *const verbs[] = {
		[BLOCK_SNAPSHOT_CREATE] = "create",
		[BLOCK_SNAPSHOT_APPLY] = "apply",
		[BLOCK_SNAPSHOT_DELETE] = "delete",
	};
	int ret = block_snapshot(bs, action, name);

	if (!ret) {
		return 0;
	}
	if (ret == -ENOENT && action == BLOCK_SNAPSHOT_APPLY) {
		return img_fail("Could not apply snapshot '%s': Failed to load "
				"snapshot: %s",
				name, strerror(-ret));
	}
	if (ret == -ENOENT) {
		return img_fail("Could not delete snapshot '%s': snapshot not "
				"found",
				name);
	}
	if (ret == -ENOTSUP) {
		return img_fail("Could not %s snapshot '%s': the %s format has "
				"no internal snapshots",
				verbs[action], name, block_format_name(bs));
	}
	return img_fail("Could not %s snapshot '%s': %s", verbs[action], name,
			strerror(-ret));
}

int img_snapshot(int argc, char **argv)
{
	const char *fmt = NULL, *name = NULL;
	struct error *err = NULL;
	struct block *bs;
	int ch, action = -1, ret;
	bool list = false;

	optind = 1;
	while ((ch = getopt(argc, argv, "f:lc:a:d:qU")) != -1) {
		int act = ch == 'c' ? BLOCK_SNAPSHOT_CREATE :
			  ch == 'a' ? BLOCK_SNAPSHOT_APPLY :
			  ch == 'd' ? BLOCK_SNAPSHOT_DELETE :
				      -1;

		switch (ch) {
		case 'f':
			fmt = optarg;
			break;
		case 'l':
		case 'c':
		case 'a':
		case 'd':
			if (list || action >= 0) {
				return img_fail("Cannot mix '-l', '-a', '-c', "
						"'-d'");
			}
			list = ch == 'l';
			action = act;
			name = optarg;
			break;
		case 'q':
		case 'U':
			break;
		default:
			img_usage("snapshot");
			return 1;
		}
	}
	if (optind != argc - 1) {
		return img_fail("Expecting one image file name");
	}
	if (!list && action < 0) {
		return 0; /* as qemu-img: nothing asked, nothing done */
	}
	/* Snapshots are metadata: the backing chain stays closed. */
	bs = img_open(argv[optind], fmt,
		      BLOCK_NO_BACKING | (list ? 0 : BLOCK_RDWR), &err);
	if (!bs) {
		return img_fail_err(err);
	}
	ret = list ? img_snapshot_list(bs) : img_snapshot_run(bs, action, name);
	block_close(bs);
	return ret;
}
