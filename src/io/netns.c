/* netns: setns into /run/netns/NAME; see netns.h. */
#include "io/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int netns_enter(const char *name, char *err, size_t errlen)
{
	static const char *const dirs[] = {"/run/netns", "/var/run/netns"};
	char path[512];
	int fd = -1, e = ENOENT;

	if (!name[0] || strchr(name, '/')) {
		snprintf(err, errlen, "'%s' is not a namespace name", name);
		return -1;
	}
	for (size_t k = 0; k < sizeof(dirs) / sizeof(dirs[0]) && fd < 0; k++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[k], name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno != ENOENT)
			e = errno;
	}
	if (fd < 0) {
		snprintf(
		    err, errlen,
		    "no network namespace %s in /run/netns: %s (make it with 'ip netns add %s')",
		    name, strerror(e), name);
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		snprintf(err, errlen, "cannot enter network namespace %s: %s", name,
			 strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
