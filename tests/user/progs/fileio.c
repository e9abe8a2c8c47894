/* SPDX-License-Identifier: MIT */
/* File I/O: open/read/write/lseek/pread/pwrite/readv/writev/stat/rename. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
	char dir[] = "/tmp/mimic-fileio-XXXXXX", path[256], path2[256];
	char buf[64] = { 0 };
	struct iovec iov[2];
	struct stat st;
	int fd;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/a.txt", dir);
	snprintf(path2, sizeof(path2), "%s/b.txt", dir);
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0640);
	printf("open %s\n", fd >= 0 ? "ok" : "failed");
	printf("write %zd\n", write(fd, "hello, world\n", 13));
	printf("lseek %lld\n", (long long)lseek(fd, 7, SEEK_SET));
	printf("read %zd '%.5s'\n", read(fd, buf, 5), buf);
	printf("pwrite %zd\n", pwrite(fd, "WORLD", 5, 7));
	memset(buf, 0, sizeof(buf));
	printf("pread %zd '%s'", pread(fd, buf, sizeof(buf) - 1, 0), buf);
	iov[0].iov_base = "vec1 ";
	iov[0].iov_len = 5;
	iov[1].iov_base = "vec2\n";
	iov[1].iov_len = 5;
	lseek(fd, 0, SEEK_END);
	printf("writev %zd\n", writev(fd, iov, 2));
	fstat(fd, &st);
	printf("size %lld mode %o regular %d nlink %d\n", (long long)st.st_size,
	       st.st_mode & 0777, S_ISREG(st.st_mode), (int)st.st_nlink);
	printf("ftruncate %d\n", ftruncate(fd, 5));
	fstat(fd, &st);
	printf("size now %lld blksize>0 %d\n", (long long)st.st_size,
	       st.st_blksize > 0);
	char a[3] = { 0 }, b[3] = { 0 };
	iov[0].iov_base = a;
	iov[0].iov_len = 2;
	iov[1].iov_base = b;
	iov[1].iov_len = 2;
	lseek(fd, 0, SEEK_SET);
	printf("readv %zd '%s' '%s'\n", readv(fd, iov, 2), a, b);
	printf("dup2 %d\n", dup2(fd, 20));
	printf("cloexec %d\n", fcntl(20, F_GETFD));
	fcntl(20, F_SETFD, FD_CLOEXEC);
	printf("cloexec %d\n", fcntl(20, F_GETFD));
	close(20);
	close(fd);
	printf("rename %d\n", rename(path, path2));
	printf("stat old %d new %d\n", stat(path, &st), stat(path2, &st));
	printf("access %d\n", access(path2, R_OK | W_OK));
	FILE *f = fopen(path2, "a+");
	fprintf(f, "line %d\n", 42);
	fclose(f);
	f = fopen(path2, "r");
	while (fgets(buf, sizeof(buf), f)) {
		printf("got: %s", buf);
	}
	fclose(f);
	printf("unlink %d\n", unlink(path2));
	printf("open missing %d\n", open(path2, O_RDONLY) < 0);
	perror("errno text");
	printf("rmdir %d\n", rmdir(dir));
	return 0;
}
