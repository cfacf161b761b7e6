/* proc: run a program without blocking the event loop.
 *
 * How: proc_start() forks, the child sets itself up and execs, and reports
 * a failure before exec through a CLOEXEC pipe; the parent keeps a pidfd,
 * which the event loop polls, and collects the status with
 * waitid(P_PIDFD). */
#include "io/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

extern char **environ;

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* ---- finding and checking the program ---- */

int proc_which(const char *name, char *out, size_t outlen)
{
	const char *path = getenv("PATH");
	const char *p;

	if (strchr(name, '/')) {
		if (strlen(name) >= outlen) {
			errno = ENAMETOOLONG;
			return -1;
		}
		strcpy(out, name);
		return 0;
	}
	if (!*name) {
		errno = ENOENT;
		return -1;
	}
	if (!path || !*path)
		path = DEFAULT_PATH;
	for (p = path; *p;) {
		const char *e = strchr(p, ':');
		size_t dl = e ? (size_t)(e - p) : strlen(p);
		struct stat st;
		int n;

		if (dl == 0)
			n = snprintf(out, outlen, "./%s", name);
		else
			n = snprintf(out, outlen, "%.*s/%s", (int)dl, p, name);
		if (n > 0 && (size_t)n < outlen && stat(out, &st) == 0 && S_ISREG(st.st_mode) &&
		    (st.st_mode & 0111))
			return 0;
		p += dl;
		if (*p == ':')
			p++;
	}
	errno = ENOENT;
	return -1;
}

/* Checks one file or directory (lstat of PATH). */
static int check_node(const char *path, const struct stat *st, uid_t uid, const char *prog,
		      char *err, size_t errlen)
{
	const char *what = S_ISDIR(st->st_mode) ? "directory " : "";

	if (S_ISLNK(st->st_mode))
		return 0; /* a link cannot be changed, only replaced: its directory decides */
	if (st->st_uid != 0 && st->st_uid != uid) {
		script_seterr(err, errlen, "%s is not secure: %s%s is owned by uid %u (not root)",
			      prog, what, path, (unsigned)st->st_uid);
		return -1;
	}
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) &&
	    !(S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX))) {
		script_seterr(err, errlen, "%s is not secure: %s%s is writable by %s", prog, what,
			      path, (st->st_mode & S_IWOTH) ? "others" : "its group");
		return -1;
	}
	return 0;
}

static int check_one(const char *path, uid_t uid, const char *prog, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		script_seterr(err, errlen, "%s: cannot check %s: %s", prog, path, strerror(errno));
		return -1;
	}
	return check_node(path, &st, uid, prog, err, errlen);
}

/* Checks "/", every directory on the way to PATH and PATH itself, without
 * following links. */
static int check_path(const char *path, uid_t uid, const char *prog, char *err, size_t errlen)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(buf) || path[0] != '/') {
		script_seterr(err, errlen, "%s: path too long or not absolute", prog);
		return -1;
	}
	if (check_one("/", uid, prog, err, errlen) < 0)
		return -1;
	for (size_t k = 1; k <= len; k++) {
		if ((k < len && path[k] != '/') || path[k - 1] == '/')
			continue; /* inside a component, or an empty one */
		memcpy(buf, path, k);
		buf[k] = '\0';
		if (check_one(buf, uid, prog, err, errlen) < 0)
			return -1;
	}
	return 0;
}

static int check_file(const char *file, uid_t uid, gid_t gid, char *err, size_t errlen)
{
	char abs[PATH_MAX], real[PATH_MAX];
	struct stat st;
	mode_t x;

	if (file[0] == '/') {
		if (strlen(file) >= sizeof(abs)) {
			script_seterr(err, errlen, "%s: path too long", file);
			return -1;
		}
		strcpy(abs, file);
	} else {
		char cwd[PATH_MAX];
		int n;

		if (!getcwd(cwd, sizeof(cwd))) {
			script_seterr(err, errlen, "%s: %s", file, strerror(errno));
			return -1;
		}
		n = snprintf(abs, sizeof(abs), "%s/%s", strcmp(cwd, "/") ? cwd : "", file);
		if (n < 0 || (size_t)n >= sizeof(abs)) {
			script_seterr(err, errlen, "%s: path too long", file);
			return -1;
		}
	}
	if (!realpath(abs, real)) {
		script_seterr(err, errlen, "%s: %s", file, strerror(errno));
		return -1;
	}
	if (stat(real, &st) < 0) {
		script_seterr(err, errlen, "%s: %s", file, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		script_seterr(err, errlen, "%s is not a regular file", file);
		return -1;
	}
	if (check_path(abs, uid, file, err, errlen) < 0 ||
	    check_path(real, uid, file, err, errlen) < 0)
		return -1;
	if (uid == 0)
		x = S_IXUSR | S_IXGRP | S_IXOTH;
	else if (st.st_uid == uid)
		x = S_IXUSR;
	else if (st.st_gid == gid)
		x = S_IXGRP;
	else
		x = S_IXOTH;
	if (!(st.st_mode & x)) {
		script_seterr(err, errlen, "%s is not executable by uid %u", file, (unsigned)uid);
		return -1;
	}
	return 0;
}

int proc_check_security(const struct script_cmd *c, uid_t uid, gid_t gid, char *err, size_t errlen)
{
	char path[PATH_MAX];

	if (!c->argc) {
		script_seterr(err, errlen, "empty command");
		return -1;
	}
	if (c->shell) {
		if (check_file(SCRIPT_SHELL, uid, gid, err, errlen) < 0)
			return -1;
		/* The program the line starts with, when it is a file. */
		if (c->nwords && proc_which(c->words[0], path, sizeof(path)) == 0 &&
		    access(path, F_OK) == 0)
			return check_file(path, uid, gid, err, errlen);
		return 0;
	}
	if (proc_which(c->argv[0], path, sizeof(path)) < 0) {
		script_seterr(err, errlen, "%s: not found", c->argv[0]);
		return -1;
	}
	return check_file(path, uid, gid, err, errlen);
}

/* ---- running ---- */

enum { STAGE_SETUP = 1, STAGE_SETGROUPS, STAGE_SETGID, STAGE_SETUID, STAGE_EXEC };

struct child_err {
	int stage;
	int err;
};

static void close_from(int lo, int keep)
{
	if (keep >= lo) {
		if (lo < keep && syscall(SYS_close_range, (unsigned)lo, (unsigned)keep - 1, 0) < 0)
			for (int fd = lo; fd < keep; fd++)
				close(fd);
		lo = keep + 1;
	}
	if (syscall(SYS_close_range, (unsigned)lo, ~0U, 0) < 0) {
		long max = sysconf(_SC_OPEN_MAX);

		if (max < 0 || max > 65536)
			max = 65536;
		for (int fd = lo; fd < max; fd++)
			close(fd);
	}
}

static void child_fail(int fd, int stage)
{
	struct child_err ce = {stage, errno};
	ssize_t rc = write(fd, &ce, sizeof(ce));

	(void)rc;
	_exit(127);
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child(const char *path, char *const argv[], const struct proc_cred *cred, int outw,
		  int errw)
{
	struct sigaction sa;
	sigset_t none;
	int null, hnull, hout, herr;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL); /* fails harmlessly for SIGKILL, SIGSTOP, RT internals */
	/* glibc refuses its internal real-time signals (32, 33), which may have
	 * been inherited as ignored: reset them with the raw system call. An
	 * all-zero kernel sigaction is SIG_DFL, no flags, empty mask on every
	 * architecture's layout. */
	unsigned long ksa[4] = {0, 0, 0, 0};
	for (int sig = 32; sig < SIGRTMIN; sig++)
		syscall(SYS_rt_sigaction, sig, ksa, NULL, (size_t)8);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (setsid() < 0)
		child_fail(errw, STAGE_SETUP);

	/* Move what we keep above 2 before filling 0..2. */
	herr = fcntl(errw, F_DUPFD_CLOEXEC, 3);
	if (herr < 0)
		child_fail(errw, STAGE_SETUP);
	errw = herr;
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0)
		child_fail(errw, STAGE_SETUP);
	hnull = fcntl(null, F_DUPFD_CLOEXEC, 3);
	hout = outw >= 0 ? fcntl(outw, F_DUPFD_CLOEXEC, 3) : hnull;
	if (hnull < 0 || hout < 0)
		child_fail(errw, STAGE_SETUP);
	if (dup2(hnull, 0) < 0 || dup2(hout, 1) < 0 || dup2(hout, 2) < 0)
		child_fail(errw, STAGE_SETUP);
	close_from(3, errw);

	if (cred && cred->set) {
		if (geteuid() == 0 && setgroups(1, &cred->gid) < 0)
			child_fail(errw, STAGE_SETGROUPS);
		if (setgid(cred->gid) < 0)
			child_fail(errw, STAGE_SETGID);
		if (setuid(cred->uid) < 0)
			child_fail(errw, STAGE_SETUID);
	}
	umask(022); /* the daemon's own may be 0077 (systemd unit); a script's is a shell's */
	execve(path, argv, environ);
	child_fail(errw, STAGE_EXEC);
}

static int xpipe(int fds[2])
{
	return pipe2(fds, O_CLOEXEC);
}

/* C's argv with EXTRA appended, NULL-terminated (the strings are not
 * copied); NULL when out of memory. */
static char **build_argv(const struct script_cmd *c, const char *const *extra)
{
	size_t n = 0, next = 0;
	char **argv;

	for (; extra && extra[next]; next++)
		;
	argv = calloc(c->argc + next + 1, sizeof(*argv));
	if (!argv)
		return NULL;
	for (size_t k = 0; k < c->argc; k++)
		argv[n++] = c->argv[k];
	for (size_t k = 0; k < next; k++)
		argv[n++] = (char *)extra[k];
	argv[n] = NULL;
	return argv;
}

/* Says in ERR why the child did not get to run PATH. */
static void child_error(const struct child_err *ce, const char *path, const struct proc_cred *cred,
			char *err, size_t errlen)
{
	static const char *const stage[] = {"", "child setup", "setgroups", "setgid", "setuid", ""};

	if (ce->stage == STAGE_EXEC) {
		script_seterr(err, errlen, "%s: %s", path, strerror(ce->err));
	} else if (ce->stage == STAGE_SETGID || ce->stage == STAGE_SETGROUPS) {
		script_seterr(err, errlen, "%s(%u): %s", stage[ce->stage],
			      cred ? (unsigned)cred->gid : 0u, strerror(ce->err));
	} else if (ce->stage == STAGE_SETUID) {
		script_seterr(err, errlen, "setuid(%u): %s", cred ? (unsigned)cred->uid : 0u,
			      strerror(ce->err));
	} else {
		script_seterr(err, errlen, "%s: %s",
			      stage[ce->stage > 0 && ce->stage < 5 ? ce->stage : 1],
			      strerror(ce->err));
	}
}

/* In the parent after fork: opens the pidfd and waits for the child's exec
 * (EP is the read end of its CLOEXEC error pipe, closed here). Returns the
 * pidfd, or -1 with a message in ERR once the child has been reaped. */
static int watch_child(pid_t pid, int ep, const char *path, const struct proc_cred *cred, char *err,
		       size_t errlen)
{
	struct child_err ce;
	ssize_t got;
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), saved = errno;

	do
		got = read(ep, &ce, sizeof(ce));
	while (got < 0 && errno == EINTR);
	close(ep);
	if (got != (ssize_t)sizeof(ce) && pidfd >= 0)
		return pidfd; /* exec'd: the pipe closed without a word */
	if (pidfd < 0) {
		kill(pid, SIGKILL);
		script_seterr(err, errlen, "pidfd_open: %s", strerror(saved));
	} else {
		child_error(&ce, path, cred, err, errlen);
		close(pidfd);
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return -1;
}

static uint64_t proc_n_started;

uint64_t proc_started_count(void)
{
	return proc_n_started;
}

int proc_start(struct proc *r, const struct script_cmd *c, const struct proc_cred *cred,
	       const char *const *extra, bool capture, char *err, size_t errlen)
{
	char path[PATH_MAX];
	char **argv;
	int ep[2] = {-1, -1}, op[2] = {-1, -1};
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->pidfd = r->outfd = -1;
	if (!c->argc) {
		script_seterr(err, errlen, "empty command");
		return -1;
	}
	if (proc_which(c->argv[0], path, sizeof(path)) < 0) {
		script_seterr(err, errlen, "%s: not found", c->argv[0]);
		return -1;
	}
	argv = build_argv(c, extra);
	if (!argv) {
		script_seterr(err, errlen, "out of memory");
		return -1;
	}
	if (xpipe(ep) < 0 || (capture && xpipe(op) < 0)) {
		script_seterr(err, errlen, "pipe: %s", strerror(errno));
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		script_seterr(err, errlen, "fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0)
		child(path, argv, cred, op[1], ep[1]);
	proc_n_started++;

	free(argv);
	close(ep[1]);
	if (op[1] >= 0)
		close(op[1]);
	r->pidfd = watch_child(pid, ep[0], path, cred, err, errlen);
	if (r->pidfd < 0) {
		if (op[0] >= 0)
			close(op[0]);
		return -1;
	}
	r->pid = pid;
	if (op[0] >= 0) {
		fcntl(op[0], F_SETFL, fcntl(op[0], F_GETFL) | O_NONBLOCK);
		r->outfd = op[0];
	}
	return 0;
fail:
	free(argv);
	for (int k = 0; k < 2; k++) {
		if (ep[k] >= 0)
			close(ep[k]);
		if (op[k] >= 0)
			close(op[k]);
	}
	return -1;
}

static int si_to_status(const siginfo_t *si)
{
	switch (si->si_code) {
	case CLD_EXITED:
		return (si->si_status & 0xff) << 8;
	case CLD_DUMPED:
		return (si->si_status & 0x7f) | 0x80;
	default:
		return si->si_status & 0x7f;
	}
}

int proc_reap(struct proc *r, int *status)
{
	siginfo_t si;

	if (r->reaped)
		return 1;
	if (r->pidfd < 0) {
		errno = EBADF;
		return -1;
	}
	memset(&si, 0, sizeof(si));
	if (waitid((idtype_t)P_PIDFD, (id_t)r->pidfd, &si, WEXITED | WNOHANG) < 0)
		return -1;
	if (si.si_pid == 0)
		return 0;
	*status = si_to_status(&si);
	r->reaped = true;
	close(r->pidfd);
	r->pidfd = -1;
	return 1;
}

void proc_kill(struct proc *r)
{
	if (r->pid <= 0 || r->reaped)
		return;
	r->killed = true;
	/* The unreaped leader keeps its pid and group id from being reused. */
	if (kill(-r->pid, SIGKILL) < 0)
		kill(r->pid, SIGKILL);
}

void proc_close(struct proc *r)
{
	if (r->pid > 0 && !r->reaped) {
		siginfo_t si;

		proc_kill(r);
		if (r->pidfd >= 0) {
			while (waitid((idtype_t)P_PIDFD, (id_t)r->pidfd, &si, WEXITED) < 0 &&
			       errno == EINTR)
				;
		}
		r->reaped = true;
	}
	if (r->pidfd >= 0)
		close(r->pidfd);
	if (r->outfd >= 0)
		close(r->outfd);
	r->pidfd = r->outfd = -1;
	r->pid = 0;
}
