/*
 * fulldisk: an LD_PRELOAD library that makes the disk look full to the
 * files it is told about. Every write to a file whose path starts with
 * $FULLDISK_PATH counts against $FULLDISK_BYTES; once they are spent, such
 * writes fail with ENOSPC, as on a full disk, and everything else is
 * written as usual. The chaos suite builds it with cc and preloads it into
 * sowhat, whose SQLite writes through libc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long long left = -1;
static const char *prefix;

static int counted(int fd) {
	char link[64], path[4096];
	if (prefix == NULL) {
		prefix = getenv("FULLDISK_PATH");
		const char *b = getenv("FULLDISK_BYTES");
		left = b ? atoll(b) : -1;
	}
	if (prefix == NULL || left < 0) {
		return 0;
	}
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n <= 0) {
		return 0;
	}
	path[n] = 0;
	return strncmp(path, prefix, strlen(prefix)) == 0;
}

/* spend reports whether n more bytes fit; it spends them if so. */
static int spend(int fd, size_t n) {
	if (!counted(fd)) {
		return 1;
	}
	if ((long long)n > left) {
		left = 0;
		return 0;
	}
	left -= (long long)n;
	return 1;
}

#define REAL(name) static __typeof__(name) *real; if (!real) real = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t n) {
	REAL(write);
	if (!spend(fd, n)) { errno = ENOSPC; return -1; }
	return real(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
	REAL(pwrite);
	if (!spend(fd, n)) { errno = ENOSPC; return -1; }
	return real(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off) {
	REAL(pwrite64);
	if (!spend(fd, n)) { errno = ENOSPC; return -1; }
	return real(fd, buf, n, off);
}
