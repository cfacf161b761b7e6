/* proc: run a parsed command (core/script.h) without blocking the event loop.
 *
 * Promises:
 *  - proc_start() never waits for the program: it forks, and the child
 *    sets up (new session, so the program leads its own process group;
 *    default signal dispositions and an empty signal mask; umask 022,
 *    whatever the daemon's own (the systemd unit gives it 0077); stdin from
 *    /dev/null; stdout and stderr to a pipe or /dev/null; every other file
 *    descriptor closed; group and user switched when asked) and execs. The
 *    parent only waits for the exec itself to succeed or fail (a CLOEXEC
 *    pipe), so "cannot execute" is reported at once instead of as exit
 *    status 127.
 *  - The child is watched through a pidfd (kernel >= 5.3), which becomes
 *    readable when it exits: put proc.pidfd in the event loop, and on
 *    EPOLLIN call proc_reap(), which collects the status without blocking
 *    (waitid(P_PIDFD, ..., WEXITED | WNOHANG)). No SIGCHLD handler and no
 *    waitpid(-1) are needed, and the daemon must neither reap children
 *    elsewhere nor set SIGCHLD to SIG_IGN (which would reap them first).
 *  - proc_kill() sends SIGKILL to the whole process group, so a timed-out
 *    shell pipeline dies with its children.
 *  - proc_check_security() refuses a program that a non-root user could
 *    replace or modify. */
#ifndef VRRPD_PROC_H
#define VRRPD_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/script.h"

/* Finds the file NAME runs: NAME itself when it contains a '/', else the
 * first executable regular file NAME in $PATH (default
 * /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin). Returns 0,
 * or -1 with errno ENOENT. */
int proc_which(const char *name, char *out, size_t outlen);

/* With script security on: refuses (-1 and a message in ERR) a program
 * that someone other than root or the user running it could change. It
 * looks at the program of C (argv[0] found with proc_which(); for a shell
 * command /bin/sh and also the first word of the line when it names a file
 * or is found in $PATH) and at every directory above it, both as written and
 * after resolving symbolic links. A file or directory is unsafe when it is
 * owned by a user other than root and UID (an owner can always chmod), or
 * is writable by its group or by others. A directory writable by group or
 * others but with the sticky bit (as /tmp) is accepted, because then only
 * root and an entry's owner can replace that entry, and the entry is
 * checked in turn. Also refuses a program that UID/GID cannot execute.
 * Returns 0 when safe. Reads the file system; no other side effect. */
int proc_check_security(const struct script_cmd *c, uid_t uid, gid_t gid, char *err, size_t errlen);

/* Who runs the program. When set is false the child keeps the daemon's
 * credentials; otherwise it switches to GID (also as the only
 * supplementary group, when the daemon is root) and then UID. */
struct proc_cred {
	bool set;
	uid_t uid;
	gid_t gid;
};

/* One running program. */
struct proc {
	pid_t pid;   /* 0 when none */
	int pidfd;   /* readable when the program has exited; -1 when none */
	int outfd;   /* read end of its stdout+stderr when asked for, else -1 (non-blocking) */
	bool killed; /* proc_kill() was called */
	bool reaped; /* proc_reap() collected the status */
};

/* Starts C with EXTRA (NULL-terminated, may be NULL) appended as described
 * above. CAPTURE: give the program's stdout+stderr to r->outfd (the caller
 * reads and closes it; the program gets EPIPE/SIGPIPE once it is closed),
 * else they go to /dev/null. Returns 0, or -1 with a message in ERR
 * ("/x/y: Permission denied", "setuid(65534): ..."); nothing is left
 * running then. Blocks only until the child has called exec. */
/* How many processes proc_start() has forked since the daemon started
 * (every child vrrpd makes comes from there): `vrrpctl stats` shows it, so
 * that the built-in checks can be seen to start none. */
uint64_t proc_started_count(void);
int proc_start(struct proc *r, const struct script_cmd *c, const struct proc_cred *cred,
	       const char *const *extra, bool capture, char *err, size_t errlen);
/* Collects the exit status if the program has exited. Returns 1 and sets
 * *STATUS (a wait status: use WIFEXITED / WEXITSTATUS / WIFSIGNALED /
 * WTERMSIG) and closes the pidfd; 0 when it is still running; -1 on error
 * (errno). Never blocks. */
int proc_reap(struct proc *r, int *status);
/* SIGKILL to the program's process group (for a timeout). The status is
 * still collected by proc_reap() when the pidfd becomes readable. */
void proc_kill(struct proc *r);
/* Forgets R: kills the group and reaps the child (waiting for it: SIGKILL
 * cannot be blocked, so this is immediate) if it was not reaped yet, and
 * closes the descriptors. For shutdown and reload. */
void proc_close(struct proc *r);

#endif
