/* procmon: the kernel's process events (the proc connector, netlink
 * NETLINK_CONNECTOR / CN_IDX_PROC, as keepalived uses) and what /proc says
 * about a process.
 *
 * Promises:
 *  - procmon_open() returns a non-blocking socket that receives every
 *    process's fork, exec, name change and exit, with no polling. The
 *    kernel serves the connector in the initial network namespace only:
 *    when vrrpd runs in another one, the socket is made there (setns to
 *    /proc/1/ns/net and straight back; nothing else is done in that
 *    namespace, and a failure to return aborts the daemon rather than
 *    leave it configuring the wrong namespace).
 *  - procmon_read() drains the socket without blocking; it returns 1 when
 *    the kernel dropped events (the receive buffer overran), after which
 *    the caller must rescan /proc.
 *  - Only processes are reported, not threads: a fork that makes a thread
 *    and the exec, name change or exit of a thread other than the main
 *    one are left out. */
#ifndef VRRPD_PROCMON_H
#define VRRPD_PROCMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum procmon_type { PROCMON_FORK, PROCMON_EXEC, PROCMON_COMM, PROCMON_EXIT };

struct procmon_event {
	enum procmon_type type;
	int32_t pid;   /* the process (FORK: the child) */
	int32_t ppid;  /* FORK: the parent */
	char comm[16]; /* COMM: the new name */
};

/* Returns the socket, or -1 with a message in ERR. */
int procmon_open(char *err, size_t errlen);
/* Calls CB for each event queued on FD. Returns 0, 1 when events were lost
 * (rescan), -1 on an error (errno). */
int procmon_read(int fd, void (*cb)(void *arg, const struct procmon_event *e), void *arg);

/* Calls CB for every process in /proc. Returns 0, or -1 (errno). */
int procmon_scan(void (*cb)(void *arg, int32_t pid), void *arg);
/* The process's name and whether it is a zombie, from /proc/PID/stat.
 * Returns 0, or -1 when it is gone. */
int procmon_stat(int32_t pid, char *comm, size_t len, bool *zombie);
/* /proc/PID/cmdline (NUL-separated) into BUF; returns its length (0 for a
 * kernel thread or a zombie), or -1 when the process is gone. */
ssize_t procmon_cmdline(int32_t pid, char *buf, size_t len);

#endif
