/* SPDX-License-Identifier: MIT */
/* mmap of files: shared writes reach the file, private ones do not;
 * anonymous memory, mprotect, mremap, brk via malloc, /proc/self/maps. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
	char path[] = "/tmp/mimic-mmap-XXXXXX";
	int fd = mkstemp(path);
	char buf[64] = { 0 };

	setvbuf(stdout, NULL, _IONBF, 0);
	ftruncate(fd, 8192);
	pwrite(fd, "original", 8, 4096);
	char *shared =
		mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("shared map %d\n", shared != MAP_FAILED);
	printf("reads file '%s'\n", shared + 4096);
	memcpy(shared, "written through mmap", 20);
	msync(shared, 8192, MS_SYNC);
	pread(fd, buf, 20, 0);
	printf("file sees '%s'\n", buf);
	char *priv =
		mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 4096);
	memcpy(priv, "PRIVATE!", 8);
	memset(buf, 0, sizeof(buf));
	pread(fd, buf, 8, 4096);
	printf("private copy '%.8s' file still '%s'\n", priv, buf);
	munmap(priv, 4096);
	munmap(shared, 8192);

	/* an offset mapping of the second page */
	char *second = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096);
	printf("offset map '%.8s'\n", second);
	munmap(second, 4096);
	close(fd);
	unlink(path);

	char *anon = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("anon zero %d\n", anon[0] == 0 && anon[3 * 4096 - 1] == 0);
	strcpy(anon, "moved data");
	printf("mremap across protections fails %d\n",
	       mprotect(anon + 4096, 4096, PROT_READ) == 0 &&
		       mremap(anon, 3 * 4096, 8 * 4096, MREMAP_MAYMOVE) ==
			       MAP_FAILED);
	mprotect(anon + 4096, 4096, PROT_READ | PROT_WRITE);
	char *bigger = mremap(anon, 3 * 4096, 64 * 4096, MREMAP_MAYMOVE);
	printf("mremap %d keeps '%s'\n", bigger != MAP_FAILED, bigger);
	bigger[64 * 4096 - 1] = 1;
	printf("munmap %d\n", munmap(bigger, 64 * 4096));
	void *fixed =
		mmap((void *)0x3000000000ull, 4096, PROT_READ,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("fixed_noreplace ok %d\n",
	       fixed == (void *)0x3000000000ull || fixed == MAP_FAILED);

	size_t total = 0;
	for (int i = 0; i < 1000; i++) {
		char *p = malloc(1000 + i);
		memset(p, i, 1000 + i);
		total += 1000 + i;
		if (i % 3) {
			free(p);
		}
	}
	char *huge = malloc(8 << 20);
	memset(huge, 1, 8 << 20);
	huge = realloc(huge, 32 << 20);
	printf("malloc total %zu huge[0] %d\n", total, huge[0]);
	free(huge);

	FILE *maps = fopen("/proc/self/maps", "r");
	char line[512];
	int stack = 0, lines = 0;
	while (maps && fgets(line, sizeof(line), maps)) {
		lines++;
		stack |= strstr(line, "[stack]") != NULL;
	}
	printf("maps has stack %d lines>3 %d\n", stack, lines > 3);
	if (maps) {
		fclose(maps);
	}
	/* System V shared memory across fork */
	int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
	char *shm = shmat(id, NULL, 0);
	printf("shmat %d\n", shm != (void *)-1);
	if (fork() == 0) {
		strcpy(shm, "from child");
		_exit(0);
	}
	wait(NULL);
	struct shmid_ds ds;
	printf("parent sees '%s' stat %d size %zu nattch %d\n", shm,
	       shmctl(id, IPC_STAT, &ds), (size_t)ds.shm_segsz,
	       (int)ds.shm_nattch);
	printf("shmdt %d rmid %d\n", shmdt(shm), shmctl(id, IPC_RMID, NULL));

	/* bad buffers give EFAULT, never a crash of the emulator */
	int zero = open("/dev/zero", O_RDONLY);
	long bad = read(zero, (void *)0x3ffffffff0ul, 1 << 20);
	printf("read to a bad buffer %ld efault %d\n", bad, errno == EFAULT);
	bad = read(zero, (void *)0xffffffffffff0000ul, 16);
	printf("read to a wild pointer %ld efault %d\n", bad, errno == EFAULT);
	close(zero);

	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = 0;
	printf("exe ends with mmapfile %d\n", strstr(exe, "mmapfile") != NULL);
	return 0;
}
