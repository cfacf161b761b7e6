/* procmon: the proc connector socket and /proc readers. */
#include "io/procmon.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/log.h"

#define PROCMON_RCVBUF (1 << 20) /* room for a burst of forks and exits */

/* Binds to the process events group and asks the kernel to send them. */
static int listen_on(int fd)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC};
	/* nlmsghdr, cn_msg, then the operation: laid out by hand, as cn_msg
	 * ends in a flexible array */
	char req[NLMSG_LENGTH(sizeof(struct cn_msg) + sizeof(uint32_t))]
	    __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *nh = (struct nlmsghdr *)req;
	struct cn_msg *cn = NLMSG_DATA(nh);
	uint32_t op = PROC_CN_MCAST_LISTEN;

	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	memset(req, 0, sizeof(req));
	nh->nlmsg_len = sizeof(req);
	nh->nlmsg_type = NLMSG_DONE;
	cn->id.idx = CN_IDX_PROC;
	cn->id.val = CN_VAL_PROC;
	cn->len = sizeof(op);
	memcpy(cn->data, &op, sizeof(op));
	return send(fd, &req, sizeof(req), 0) < 0 ? -1 : 0;
}

static int open_here(void)
{
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	int sz = PROCMON_RCVBUF;

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (listen_on(fd) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* The parent of PID, or -1. */
static int32_t parent_of(int32_t pid)
{
	char path[32], buf[512];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	const char *p = strrchr(buf, ')'); /* "PID (NAME) S PPID ..." */
	int ppid;
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return ppid;
}

/* Opens the socket in the network namespace at PATH, coming straight
 * back to SELF. Returns the socket, or -1 (errno). */
static int open_in(const char *path, int self, const struct stat *self_st)
{
	int ns = open(path, O_RDONLY | O_CLOEXEC), fd, e;
	struct stat st;

	if (ns < 0)
		return -1;
	if (fstat(ns, &st) < 0 || (st.st_ino == self_st->st_ino && st.st_dev == self_st->st_dev)) {
		close(ns);
		errno = ECONNREFUSED; /* our own: no use */
		return -1;
	}
	if (setns(ns, CLONE_NEWNET) < 0) {
		e = errno;
		close(ns);
		errno = e;
		return -1;
	}
	fd = open_here();
	e = errno;
	if (setns(self, CLONE_NEWNET) < 0) {
		log_err("cannot return to vrrpd's network namespace after opening the "
			"process events socket");
		abort();
	}
	close(ns);
	errno = e;
	return fd;
}

/* The connector only answers in the initial network namespace: make the
 * socket there and come straight back. The namespace is reached through
 * process 1, else through the first of vrrpd's ancestors that is in it
 * (as when vrrpd is started with `ip netns exec`). */
static int open_in_init_netns(char *err, size_t errlen)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), fd = -1;
	struct stat self_st;
	char path[48];
	int32_t pid = getpid();

	if (self < 0 || fstat(self, &self_st) < 0) {
		snprintf(err, errlen, "/proc/self/ns/net: %s", strerror(errno));
		if (self >= 0)
			close(self);
		return -1;
	}
	fd = open_in("/proc/1/ns/net", self, &self_st);
	for (int depth = 0; fd < 0 && depth < 32; depth++) {
		pid = parent_of(pid);
		if (pid <= 1)
			break;
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
		fd = open_in(path, self, &self_st);
	}
	if (fd < 0)
		snprintf(err, errlen,
			 "the kernel serves process events in the initial network namespace "
			 "only, and none of vrrpd's ancestors leads there (%s)",
			 strerror(errno));
	close(self);
	return fd;
}

int procmon_open(char *err, size_t errlen)
{
	int fd = open_here();

	if (fd >= 0)
		return fd;
	if (errno == ECONNREFUSED) /* another network namespace */
		return open_in_init_netns(err, errlen);
	snprintf(err, errlen, "process events socket: %s%s", strerror(errno),
		 errno == EPROTONOSUPPORT ? " (kernel without CONFIG_PROC_EVENTS)" : "");
	return -1;
}

/* One event of the kernel's, or false when it is of no interest. */
static bool decode(const struct proc_event *pe, struct procmon_event *e)
{
	memset(e, 0, sizeof(*e));
	switch (pe->what) {
	case PROC_EVENT_FORK:
		if (pe->event_data.fork.child_pid != pe->event_data.fork.child_tgid)
			return false; /* a new thread */
		e->type = PROCMON_FORK;
		e->pid = pe->event_data.fork.child_tgid;
		e->ppid = pe->event_data.fork.parent_tgid;
		return true;
	case PROC_EVENT_EXEC:
		e->type = PROCMON_EXEC;
		e->pid = pe->event_data.exec.process_tgid;
		return pe->event_data.exec.process_pid == e->pid;
	case PROC_EVENT_COMM:
		e->type = PROCMON_COMM;
		e->pid = pe->event_data.comm.process_tgid;
		memcpy(e->comm, pe->event_data.comm.comm, sizeof(e->comm) - 1);
		return pe->event_data.comm.process_pid == e->pid;
	case PROC_EVENT_EXIT:
		e->type = PROCMON_EXIT;
		e->pid = pe->event_data.exit.process_tgid;
		return pe->event_data.exit.process_pid == e->pid;
	default:
		return false;
	}
}

int procmon_read(int fd, void (*cb)(void *arg, const struct procmon_event *e), void *arg)
{
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	int lost = 0;

	for (;;) {
		struct sockaddr_nl from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return lost;
			if (errno == ENOBUFS) {
				lost = 1;
				continue;
			}
			return -1;
		}
		if (from.nl_pid != 0) /* only the kernel speaks here */
			continue;
		size_t len = (size_t)n;
		for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len);
		     nh = NLMSG_NEXT(nh, len)) {
			const struct cn_msg *cn = NLMSG_DATA(nh);
			struct procmon_event e;

			if (nh->nlmsg_type == NLMSG_ERROR || nh->nlmsg_type == NLMSG_NOOP)
				continue;
			if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*cn) + sizeof(struct proc_event)) ||
			    cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC)
				continue;
			/* cn->data sits 4 bytes past an 8-byte boundary, and a
			 * proc_event holds 64-bit fields: copy it out */
			struct proc_event pe;
			memcpy(&pe, cn->data, sizeof(pe));
			if (decode(&pe, &e))
				cb(arg, &e);
		}
	}
}

int procmon_scan(void (*cb)(void *arg, int32_t pid), void *arg)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (de->d_name[0] < '1' || de->d_name[0] > '9' || *end || pid > INT32_MAX)
			continue;
		cb(arg, (int32_t)pid);
	}
	closedir(d);
	return 0;
}

static ssize_t read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return -1;
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return (ssize_t)got;
}

int procmon_stat(int32_t pid, char *comm, size_t len, bool *zombie)
{
	char path[32], buf[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	n = read_file(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "PID (NAME) S ...": the name may hold ')' itself, so the last one */
	char *open_p = strchr(buf, '('), *close_p = strrchr(buf, ')');
	if (!open_p || !close_p || close_p < open_p || close_p[1] != ' ')
		return -1;
	*close_p = '\0';
	snprintf(comm, len, "%s", open_p + 1);
	*zombie = close_p[2] == 'Z' || close_p[2] == 'X';
	return 0;
}

ssize_t procmon_cmdline(int32_t pid, char *buf, size_t len)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	return read_file(path, buf, len);
}
