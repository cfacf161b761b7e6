/* script: run a program without blocking the event loop.
 *
 * How: script_parse() splits with keepalived's quoting rules and decides
 * shell or not; script_start() forks, the child sets itself up and execs,
 * and reports a failure before exec through a CLOEXEC pipe; the parent keeps
 * a pidfd, which the event loop polls, and collects the status with
 * waitid(P_PIDFD). */
#include "vrrpd/script.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
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

/* ---- parsing ---- */

static void seterr(char *err, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!err || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool script_needs_shell(const char *s)
{
	static const char meta[] = "|&;<>()$`*?[]~\n";
	const char *p = s;
	char quote = 0;
	bool word_start = true;

	/* A leading NAME=VALUE is a shell variable assignment. */
	while (is_blank(*p) && *p != '\n')
		p++;
	if (isalpha((unsigned char)*p) || *p == '_') {
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		if (*p == '=')
			return true;
	}
	for (p = s; *p; p++) {
		char c = *p;

		if (c == '\\') {
			if (p[1])
				p++;
			word_start = false;
			continue;
		}
		if (quote == '\'') {
			if (c == '\'')
				quote = 0;
			continue;
		}
		if (quote == '"') {
			if (c == '"')
				quote = 0;
			else if (c == '$' || c == '`')
				return true;
			continue;
		}
		if (c == '\'' || c == '"') {
			quote = c;
			word_start = false;
			continue;
		}
		if (strchr(meta, c))
			return true;
		if (c == '#' && word_start)
			return true;
		word_start = is_blank(c);
	}
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return (tolower((unsigned char)c) - 'a') + 10;
}

/* Decodes the escape at *P (just after the backslash) into *OUT. */
static const char *unescape(const char *p, char *out)
{
	if (*p == 'x' && isxdigit((unsigned char)p[1])) {
		unsigned v = 0;

		for (p++; isxdigit((unsigned char)*p); p++)
			v = (v << 4) | (unsigned)hexval(*p);
		*out = (char)v;
		return p;
	}
	if (*p == 'c' && p[1]) {
		*out = (char)(p[1] & 0x1f);
		return p + 2;
	}
	if (*p >= '0' && *p <= '7') {
		unsigned v = 0;

		for (int k = 0; k < 3 && *p >= '0' && *p <= '7'; k++, p++)
			v = (v << 3) | (unsigned)(*p - '0');
		*out = (char)v;
		return p;
	}
	switch (*p) {
	case 'a':
		*out = '\a';
		break;
	case 'b':
		*out = '\b';
		break;
	case 'E':
		*out = 0x1b;
		break;
	case 'f':
		*out = '\f';
		break;
	case 'n':
		*out = '\n';
		break;
	case 'r':
		*out = '\r';
		break;
	case 't':
		*out = '\t';
		break;
	case 'v':
		*out = '\v';
		break;
	default:
		*out = *p;
		break;
	}
	return p + 1;
}

static void free_vec(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

static int push(char ***v, size_t *n, char *w)
{
	char **nv = realloc(*v, (*n + 2) * sizeof(**v));

	if (!nv) {
		free(w);
		return -1;
	}
	nv[*n] = w;
	nv[++*n] = NULL;
	*v = nv;
	return 0;
}

/* Splits S with keepalived's rules. */
static int split(const char *s, char ***out, size_t *n, char *err, size_t errlen)
{
	size_t len = strlen(s);
	char *buf = malloc(len + 1);
	char **v = NULL;
	const char *p = s;

	*out = NULL;
	*n = 0;
	if (!buf)
		goto nomem;
	while (*p) {
		char quote = 0;
		size_t o = 0;

		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		while (*p) {
			char c = *p;

			if (c == '\\') {
				if (!p[1]) {
					seterr(err, errlen, "backslash at the end of the command");
					goto fail;
				}
				p = unescape(p + 1, &buf[o++]);
				continue;
			}
			if (quote) {
				if (c == quote)
					quote = 0;
				else
					buf[o++] = c;
				p++;
				continue;
			}
			if (c == '\'' || c == '"') {
				quote = c;
				p++;
				continue;
			}
			if (is_blank(c))
				break;
			buf[o++] = c;
			p++;
		}
		if (quote) {
			seterr(err, errlen, "missing closing %c", quote);
			goto fail;
		}
		buf[o] = '\0';
		{
			char *w = strdup(buf);

			if (!w || push(&v, n, w) < 0)
				goto nomem;
		}
	}
	free(buf);
	if (!v) {
		v = calloc(1, sizeof(*v));
		if (!v)
			goto nomem;
	}
	*out = v;
	return 0;
nomem:
	seterr(err, errlen, "out of memory");
fail:
	free(buf);
	free_vec(v);
	*n = 0;
	return -1;
}

int script_parse(const char *cmdline, struct script_cmd *out, char *err, size_t errlen)
{
	bool shell = script_needs_shell(cmdline);
	char lerr[128];

	memset(out, 0, sizeof(*out));
	if (split(cmdline, &out->words, &out->nwords, lerr, sizeof(lerr)) < 0) {
		if (!shell) {
			seterr(err, errlen, "%s", lerr);
			return -1;
		}
		/* The shell has its own quoting rules; the words are only a hint. */
		out->words = calloc(1, sizeof(*out->words));
		out->nwords = 0;
		if (!out->words)
			goto nomem;
	}
	if (shell) {
		const char *sv[] = {SCRIPT_SHELL, "-c", cmdline, "sh"};
		const char *q = cmdline;

		while (is_blank(*q))
			q++;
		if (!*q) {
			seterr(err, errlen, "empty command");
			script_cmd_free(out);
			return -1;
		}
		out->shell = true;
		for (size_t k = 0; k < 4; k++) {
			char *w = strdup(sv[k]);

			if (!w || push(&out->argv, &out->argc, w) < 0)
				goto nomem;
		}
		return 0;
	}
	if (out->nwords == 0 || !out->words[0][0]) {
		seterr(err, errlen, "empty command");
		script_cmd_free(out);
		return -1;
	}
	for (size_t k = 0; k < out->nwords; k++) {
		char *w = strdup(out->words[k]);

		if (!w || push(&out->argv, &out->argc, w) < 0)
			goto nomem;
	}
	return 0;
nomem:
	seterr(err, errlen, "out of memory");
	script_cmd_free(out);
	return -1;
}

void script_cmd_free(struct script_cmd *c)
{
	free_vec(c->argv);
	free_vec(c->words);
	memset(c, 0, sizeof(*c));
}

/* ---- finding and checking the program ---- */

int script_which(const char *name, char *out, size_t outlen)
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
		seterr(err, errlen, "%s is not secure: %s%s is owned by uid %u (not root)", prog,
		       what, path, (unsigned)st->st_uid);
		return -1;
	}
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) &&
	    !(S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX))) {
		seterr(err, errlen, "%s is not secure: %s%s is writable by %s", prog, what, path,
		       (st->st_mode & S_IWOTH) ? "others" : "its group");
		return -1;
	}
	return 0;
}

static int check_one(const char *path, uid_t uid, const char *prog, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		seterr(err, errlen, "%s: cannot check %s: %s", prog, path, strerror(errno));
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
		seterr(err, errlen, "%s: path too long or not absolute", prog);
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
			seterr(err, errlen, "%s: path too long", file);
			return -1;
		}
		strcpy(abs, file);
	} else {
		char cwd[PATH_MAX];
		int n;

		if (!getcwd(cwd, sizeof(cwd))) {
			seterr(err, errlen, "%s: %s", file, strerror(errno));
			return -1;
		}
		n = snprintf(abs, sizeof(abs), "%s/%s", strcmp(cwd, "/") ? cwd : "", file);
		if (n < 0 || (size_t)n >= sizeof(abs)) {
			seterr(err, errlen, "%s: path too long", file);
			return -1;
		}
	}
	if (!realpath(abs, real)) {
		seterr(err, errlen, "%s: %s", file, strerror(errno));
		return -1;
	}
	if (stat(real, &st) < 0) {
		seterr(err, errlen, "%s: %s", file, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		seterr(err, errlen, "%s is not a regular file", file);
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
		seterr(err, errlen, "%s is not executable by uid %u", file, (unsigned)uid);
		return -1;
	}
	return 0;
}

int script_check_security(const struct script_cmd *c, uid_t uid, gid_t gid, char *err,
			  size_t errlen)
{
	char path[PATH_MAX];

	if (!c->argc) {
		seterr(err, errlen, "empty command");
		return -1;
	}
	if (c->shell) {
		if (check_file(SCRIPT_SHELL, uid, gid, err, errlen) < 0)
			return -1;
		/* The program the line starts with, when it is a file. */
		if (c->nwords && script_which(c->words[0], path, sizeof(path)) == 0 &&
		    access(path, F_OK) == 0)
			return check_file(path, uid, gid, err, errlen);
		return 0;
	}
	if (script_which(c->argv[0], path, sizeof(path)) < 0) {
		seterr(err, errlen, "%s: not found", c->argv[0]);
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
static void child(const char *path, char *const argv[], const struct script_cred *cred, int outw,
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
	execve(path, argv, environ);
	child_fail(errw, STAGE_EXEC);
}

static int xpipe(int fds[2])
{
	return pipe2(fds, O_CLOEXEC);
}

int script_start(struct script_run *r, const struct script_cmd *c, const struct script_cred *cred,
		 const char *const *extra, bool capture, char *err, size_t errlen)
{
	char path[PATH_MAX];
	char **argv = NULL;
	size_t n = 0, next = 0;
	int ep[2] = {-1, -1}, op[2] = {-1, -1};
	struct child_err ce;
	ssize_t got;
	pid_t pid;
	int pidfd, saved;

	memset(r, 0, sizeof(*r));
	r->pidfd = r->outfd = -1;
	if (!c->argc) {
		seterr(err, errlen, "empty command");
		return -1;
	}
	if (script_which(c->argv[0], path, sizeof(path)) < 0) {
		seterr(err, errlen, "%s: not found", c->argv[0]);
		return -1;
	}
	for (; extra && extra[next]; next++)
		;
	argv = calloc(c->argc + next + 1, sizeof(*argv));
	if (!argv) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	for (size_t k = 0; k < c->argc; k++)
		argv[n++] = c->argv[k];
	for (size_t k = 0; k < next; k++)
		argv[n++] = (char *)extra[k];
	argv[n] = NULL;

	if (xpipe(ep) < 0 || (capture && xpipe(op) < 0)) {
		seterr(err, errlen, "pipe: %s", strerror(errno));
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		seterr(err, errlen, "fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0)
		child(path, argv, cred, op[1], ep[1]);

	free(argv);
	argv = NULL;
	close(ep[1]);
	ep[1] = -1;
	if (op[1] >= 0) {
		close(op[1]);
		op[1] = -1;
	}
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	saved = errno;
	do
		got = read(ep[0], &ce, sizeof(ce));
	while (got < 0 && errno == EINTR);
	close(ep[0]);
	ep[0] = -1;
	if (got == (ssize_t)sizeof(ce) || pidfd < 0) {
		static const char *const stage[] = {"",	      "child setup", "setgroups",
						    "setgid", "setuid",	     ""};
		if (pidfd < 0) {
			kill(pid, SIGKILL);
			seterr(err, errlen, "pidfd_open: %s", strerror(saved));
		} else if (ce.stage == STAGE_EXEC) {
			seterr(err, errlen, "%s: %s", path, strerror(ce.err));
		} else if (ce.stage == STAGE_SETGID || ce.stage == STAGE_SETGROUPS) {
			seterr(err, errlen, "%s(%u): %s", stage[ce.stage],
			       cred ? (unsigned)cred->gid : 0u, strerror(ce.err));
		} else if (ce.stage == STAGE_SETUID) {
			seterr(err, errlen, "setuid(%u): %s", cred ? (unsigned)cred->uid : 0u,
			       strerror(ce.err));
		} else {
			seterr(err, errlen, "%s: %s",
			       stage[ce.stage > 0 && ce.stage < 5 ? ce.stage : 1],
			       strerror(ce.err));
		}
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		if (pidfd >= 0)
			close(pidfd);
		if (op[0] >= 0)
			close(op[0]);
		return -1;
	}
	r->pid = pid;
	r->pidfd = pidfd;
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

int script_reap(struct script_run *r, int *status)
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

void script_kill(struct script_run *r)
{
	if (r->pid <= 0 || r->reaped)
		return;
	r->killed = true;
	/* The unreaped leader keeps its pid and group id from being reused. */
	if (kill(-r->pid, SIGKILL) < 0)
		kill(r->pid, SIGKILL);
}

void script_run_close(struct script_run *r)
{
	if (r->pid > 0 && !r->reaped) {
		siginfo_t si;

		script_kill(r);
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

const char *script_status_str(int status, bool killed_by_us, uint32_t timeout_ms, char *buf,
			      size_t len)
{
	if (WIFEXITED(status)) {
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		int o = snprintf(buf, len, "killed by signal %d", WTERMSIG(status));

		if (o < 0 || (size_t)o >= len)
			return buf;
		if (killed_by_us) {
			unsigned frac = timeout_ms % 1000, digits = 3;

			while (digits > 1 && frac % 10 == 0) {
				frac /= 10;
				digits--;
			}
			snprintf(buf + o, len - (size_t)o, " (timeout after %u.%0*u s)",
				 timeout_ms / 1000, (int)digits, frac);
		} else if (WCOREDUMP(status))
			snprintf(buf + o, len - (size_t)o, " (core dumped)");
	} else {
		snprintf(buf, len, "ended with wait status 0x%x", (unsigned)status);
	}
	return buf;
}
