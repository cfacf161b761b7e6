/* filewatch: inotify and the tracked files themselves. */
#include "io/filewatch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

int filewatch_open(void)
{
	return inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
}

int filewatch_add_dir(int fd, const char *dir)
{
	return inotify_add_watch(fd, dir,
				 IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
				     IN_CREATE | IN_ONLYDIR);
}

int filewatch_read(int fd, void (*cb)(void *arg, int wd, const char *name, bool gone), void *arg)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	int overflow = 0;

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return overflow;
			return -1;
		}
		for (char *p = buf; p + sizeof(struct inotify_event) <= buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			p += sizeof(*ev) + ev->len;
			if (ev->mask & IN_Q_OVERFLOW)
				overflow = 1;
			if ((ev->mask & IN_ISDIR) || !ev->len)
				continue;
			cb(arg, ev->wd, ev->name, (ev->mask & (IN_DELETE | IN_MOVED_FROM)) != 0);
		}
	}
}

ssize_t filewatch_slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	int e = errno;
	close(fd);
	errno = e;
	return n;
}

int filewatch_init_file(const char *path, long long value, bool overwrite)
{
	int fd =
	    open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (overwrite ? O_TRUNC : O_EXCL),
		 0644);
	char b[32];
	int len = snprintf(b, sizeof(b), "%lld\n", value);

	if (fd < 0)
		return errno == EEXIST && !overwrite ? 0 : -1;
	ssize_t n = write(fd, b, (size_t)len);
	int e = errno;
	close(fd);
	errno = e;
	return n == len ? 0 : -1;
}
