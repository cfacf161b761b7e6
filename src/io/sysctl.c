/* sysctl: /proc/sys/net/FAMILY/conf/IFNAME/KEY. */
#include "io/sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int sysctl_path(char *buf, size_t len, const char *family, const char *ifname,
		       const char *key)
{
	int n = snprintf(buf, len, "/proc/sys/net/%s/conf/%s/%s", family, ifname, key);

	if (n < 0 || (size_t)n >= len || strchr(ifname, '/') || !ifname[0]) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int sysctl_get(const char *family, const char *ifname, const char *key, int *val)
{
	char path[256], buf[32];
	int fd;
	ssize_t n;

	if (sysctl_path(path, sizeof(path), family, ifname, key) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		errno = n < 0 ? errno : EIO;
		return -1;
	}
	buf[n] = '\0';
	*val = atoi(buf);
	return 0;
}

int sysctl_set(const char *family, const char *ifname, const char *key, int val, int *old)
{
	char path[256], buf[32];
	int fd, prev = 0;

	if (sysctl_get(family, ifname, key, &prev) < 0)
		return -1;
	if (old)
		*old = prev;
	if (prev == val)
		return 0;
	if (sysctl_path(path, sizeof(path), family, ifname, key) < 0)
		return -1;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int n = snprintf(buf, sizeof(buf), "%d\n", val);
	ssize_t w = write(fd, buf, (size_t)n);
	int e = errno;
	close(fd);
	if (w != n) {
		errno = w < 0 ? e : EIO;
		return -1;
	}
	return 0;
}
