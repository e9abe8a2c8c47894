/* SPDX-License-Identifier: MIT */
/* Inodes (O_PATH fds keyed by device and inode number) and open handles. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tools/virtiofsd/fs-internal.h"

static unsigned hash_id(uint64_t nodeid)
{
	return (nodeid * 0x9e3779b97f4a7c15ull) >> 52;
}

static unsigned hash_key(dev_t dev, ino_t ino)
{
	return ((ino ^ ((uint64_t)dev << 32)) * 0x9e3779b97f4a7c15ull) >> 52;
}

static struct inode *find_id_locked(struct fs *fs, uint64_t nodeid)
{
	struct inode *i = fs->by_id[hash_id(nodeid)];

	while (i && i->nodeid != nodeid) {
		i = i->next_id;
	}
	return i;
}

struct inode *fs_inode_get(struct fs *fs, uint64_t nodeid)
{
	struct inode *i;

	pthread_mutex_lock(&fs->lock);
	i = find_id_locked(fs, nodeid);
	if (i) {
		i->refs++;
	}
	pthread_mutex_unlock(&fs->lock);
	return i;
}

static void unlink_locked(struct fs *fs, struct inode *inode)
{
	struct inode **pp = &fs->by_id[hash_id(inode->nodeid)];

	while (*pp != inode) {
		pp = &(*pp)->next_id;
	}
	*pp = inode->next_id;
	pp = &fs->by_key[hash_key(inode->dev, inode->ino)];
	while (*pp != inode) {
		pp = &(*pp)->next_key;
	}
	*pp = inode->next_key;
}

/* Free an inode nobody looks up or uses any more (table lock held). */
static bool maybe_free_locked(struct fs *fs, struct inode *inode)
{
	if (inode->nlookup || inode->refs || inode == fs->root) {
		return false;
	}
	unlink_locked(fs, inode);
	return true;
}

static void inode_free(struct inode *inode)
{
	close(inode->fd);
	free(inode);
}

void fs_inode_put(struct fs *fs, struct inode *inode)
{
	bool dead;

	if (!inode) {
		return;
	}
	pthread_mutex_lock(&fs->lock);
	inode->refs--;
	dead = maybe_free_locked(fs, inode);
	pthread_mutex_unlock(&fs->lock);
	if (dead) {
		inode_free(inode);
	}
}

struct inode *fs_inode_add(struct fs *fs, int fd, const struct stat *st)
{
	unsigned k = hash_key(st->st_dev, st->st_ino);
	struct inode *i;

	pthread_mutex_lock(&fs->lock);
	for (i = fs->by_key[k]; i; i = i->next_key) {
		if (i->dev == st->st_dev && i->ino == st->st_ino) {
			i->nlookup++;
			pthread_mutex_unlock(&fs->lock);
			close(fd);
			return i;
		}
	}
	i = calloc(1, sizeof(*i));
	if (!i) {
		pthread_mutex_unlock(&fs->lock);
		close(fd);
		return NULL;
	}
	i->fd = fd;
	i->dev = st->st_dev;
	i->ino = st->st_ino;
	i->type = st->st_mode & S_IFMT;
	i->nodeid = fs->next_nodeid++;
	i->nlookup = 1;
	i->next_key = fs->by_key[k];
	fs->by_key[k] = i;
	i->next_id = fs->by_id[hash_id(i->nodeid)];
	fs->by_id[hash_id(i->nodeid)] = i;
	pthread_mutex_unlock(&fs->lock);
	return i;
}

void fs_inode_forget(struct fs *fs, uint64_t nodeid, uint64_t nlookup)
{
	struct inode *i;
	bool dead = false;

	pthread_mutex_lock(&fs->lock);
	i = find_id_locked(fs, nodeid);
	if (i && i != fs->root) {
		i->nlookup = nlookup >= i->nlookup ? 0 : i->nlookup - nlookup;
		dead = maybe_free_locked(fs, i);
	}
	pthread_mutex_unlock(&fs->lock);
	if (dead) {
		inode_free(i);
	}
}

void fs_inode_forget_all(struct fs *fs)
{
	for (unsigned b = 0; b < FS_HASH_BUCKETS; b++) {
		struct inode *i;

		pthread_mutex_lock(&fs->lock);
		i = fs->by_id[b];
		while (i && (i == fs->root || i->refs)) {
			i = i->next_id;
		}
		if (i) {
			i->nlookup = 0;
			maybe_free_locked(fs, i);
		}
		pthread_mutex_unlock(&fs->lock);
		if (i) {
			inode_free(i);
			b--; /* look at this bucket again */
		}
	}
}

int fs_inode_open(struct fs *fs, struct inode *inode, int flags)
{
	char name[16];
	int fd;

	/* Reopening a symlink or device node would follow it out. */
	if (inode->type != S_IFREG && inode->type != S_IFDIR) {
		return inode->type == S_IFLNK ? -ELOOP : -ENXIO;
	}
	snprintf(name, sizeof(name), "%d", inode->fd);
	fd = openat(fs->proc_fd, name, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int fs_handle_new(struct fs *fs, int fd, bool dir, uint64_t *fh)
{
	struct handle *h = calloc(1, sizeof(*h));
	unsigned slot;

	if (!h) {
		close(fd);
		return -ENOMEM;
	}
	h->fd = fd;
	h->dir = dir;
	pthread_mutex_init(&h->lock, NULL);
	pthread_mutex_lock(&fs->lock);
	for (slot = 0; slot < fs->nhandles && fs->handles[slot]; slot++) {
	}
	if (slot == fs->nhandles) {
		unsigned n = fs->nhandles ? fs->nhandles * 2 : 64;
		struct handle **t = realloc(fs->handles, n * sizeof(*t));

		if (!t) {
			pthread_mutex_unlock(&fs->lock);
			close(fd);
			free(h);
			return -ENOMEM;
		}
		for (unsigned i = fs->nhandles; i < n; i++) {
			t[i] = NULL;
		}
		fs->handles = t;
		fs->nhandles = n;
	}
	fs->handles[slot] = h;
	pthread_mutex_unlock(&fs->lock);
	*fh = slot + 1;
	return 0;
}

struct handle *fs_handle_find(struct fs *fs, uint64_t fh, bool dir)
{
	struct handle *h = NULL;

	pthread_mutex_lock(&fs->lock);
	if (fh >= 1 && fh <= fs->nhandles) {
		h = fs->handles[fh - 1];
	}
	pthread_mutex_unlock(&fs->lock);
	return h && h->dir == dir ? h : NULL;
}

int fs_handle_release(struct fs *fs, uint64_t fh, bool dir)
{
	struct handle *h = NULL;

	pthread_mutex_lock(&fs->lock);
	if (fh >= 1 && fh <= fs->nhandles && fs->handles[fh - 1] &&
	    fs->handles[fh - 1]->dir == dir) {
		h = fs->handles[fh - 1];
		fs->handles[fh - 1] = NULL;
	}
	pthread_mutex_unlock(&fs->lock);
	if (!h) {
		return -EBADF;
	}
	close(h->fd);
	pthread_mutex_destroy(&h->lock);
	free(h);
	return 0;
}

void fs_handles_release_all(struct fs *fs)
{
	for (unsigned i = 0; i < fs->nhandles; i++) {
		if (fs->handles[i]) {
			fs_handle_release(fs, i + 1, fs->handles[i]->dir);
		}
	}
}
