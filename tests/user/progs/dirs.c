/* SPDX-License-Identifier: MIT */
/* Directories: mkdir, readdir (sorted), chdir/getcwd, symlinks, links. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	char dir[] = "/tmp/mimic-dirs-XXXXXX", cwd[4096], target[256];
	char *names[64];
	int n = 0;
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (!mkdtemp(dir) || chdir(dir)) {
		return 1;
	}
	printf("cwd ends with dir %d\n",
	       getcwd(cwd, sizeof(cwd)) && strstr(cwd, "mimic-dirs-") != NULL);
	mkdir("sub", 0755);
	mkdir("sub/deeper", 0700);
	for (int i = 0; i < 5; i++) {
		char name[32];
		snprintf(name, sizeof(name), "file%d", i);
		close(open(name, O_CREAT | O_WRONLY, 0644));
	}
	printf("symlink %d\n", symlink("file1", "link1"));
	printf("link %d\n", link("file2", "hard2"));
	ssize_t len = readlink("link1", target, sizeof(target) - 1);
	target[len > 0 ? len : 0] = 0;
	printf("readlink %s\n", target);
	lstat("link1", &st);
	printf("lstat is link %d\n", S_ISLNK(st.st_mode));
	stat("hard2", &st);
	printf("nlink %d\n", (int)st.st_nlink);
	d = opendir(".");
	while ((de = readdir(d)) && n < 64) {
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	for (int i = 0; i < n; i++) {
		printf("entry %s\n", names[i]);
	}
	printf("mkdir exists %d\n", mkdir("sub", 0755));
	printf("rmdir nonempty %d\n", rmdir("sub"));
	printf("chdir sub %d\n", chdir("sub/deeper"));
	printf("cwd %s\n", strstr(getcwd(cwd, sizeof(cwd)), "/sub/deeper") ?
				   "deeper" :
				   "wrong");
	chdir("../..");
	stat("sub/deeper", &st);
	printf("mode %o dir %d\n", st.st_mode & 0777, S_ISDIR(st.st_mode));
	chmod("file3", 0600);
	stat("file3", &st);
	printf("chmod %o\n", st.st_mode & 0777);
	rmdir("sub/deeper");
	rmdir("sub");
	for (int i = 0; i < n; i++) {
		unlink(names[i]);
	}
	chdir("/");
	printf("rmdir %d\n", rmdir(dir));
	return 0;
}
