/* Unit tests for src/script.c: command-line splitting, the shell decision,
 * the security check on real files in a mkdtemp() directory, and real
 * fork/exec of small programs watched through a pidfd. The test process is
 * made a child subreaper, so that it can check that a timeout kill leaves
 * no process (and no zombie) behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/script.h"
#include "io/proc.h"

static char tmpdir[64];

/* ---- helpers ---- */

static void parse_ok(const char *line, struct script_cmd *c)
{
	char err[128] = "";
	int rc = script_parse(line, c, err, sizeof(err));

	if (rc < 0)
		fprintf(stderr, "    script_parse(%s): %s\n", line, err);
	assert_int_equal(rc, 0);
}

static void assert_words(const struct script_cmd *c, const char *const *want)
{
	size_t n = 0;

	while (want[n])
		n++;
	assert_int_equal(c->nwords, n);
	for (size_t k = 0; k < n; k++)
		assert_string_equal(c->words[k], want[k]);
	assert_null(c->words[n]);
}

/* Waits at most MS for the program to exit, then reaps it. */
static int wait_reap(struct proc *r, int ms, int *status)
{
	struct pollfd pfd = {.fd = r->pidfd, .events = POLLIN};
	int rc = poll(&pfd, 1, ms);

	if (rc <= 0)
		return 0;
	return proc_reap(r, status);
}

/* Runs LINE to the end; returns its wait status. OUT gets its output. */
static int run(const char *line, const struct proc_cred *cred, const char *const *extra, char *out,
	       size_t outlen)
{
	struct script_cmd c;
	struct proc r;
	char err[256] = "";
	size_t o = 0;
	int status = -1;

	parse_ok(line, &c);
	if (proc_start(&r, &c, cred, extra, out != NULL, err, sizeof(err)) < 0)
		fprintf(stderr, "    proc_start(%s): %s\n", line, err);
	assert_int_equal(err[0], '\0');
	assert_true(r.pid > 0);
	assert_true(r.pidfd >= 0);
	if (out) {
		/* The output pipe is non-blocking: poll it until EOF. */
		for (;;) {
			struct pollfd pfd = {.fd = r.outfd, .events = POLLIN};
			ssize_t n;

			assert_true(poll(&pfd, 1, 5000) == 1);
			n = read(r.outfd, out + o, outlen - 1 - o);
			if (n <= 0)
				break;
			o += (size_t)n;
		}
		out[o] = '\0';
	}
	assert_int_equal(wait_reap(&r, 5000, &status), 1);
	assert_true(r.reaped);
	assert_int_equal(r.pidfd, -1);
	proc_close(&r);
	script_cmd_free(&c);
	return status;
}

static void no_children_left(void)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	assert_int_equal(waitid(P_ALL, 0, &si, WEXITED | WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* ---- parsing ---- */

static void test_parse_words(void **state)
{
	(void)state;
	struct script_cmd c;

	parse_ok("  /usr/bin/check   -v\targ  ", &c);
	assert_false(c.shell);
	assert_words(&c, (const char *[]){"/usr/bin/check", "-v", "arg", NULL});
	assert_int_equal(c.argc, 3);
	assert_string_equal(c.argv[0], "/usr/bin/check");
	assert_null(c.argv[3]);
	script_cmd_free(&c);

	parse_ok("check 'a b' \"c  d\" e'f g'h \"\" ''", &c);
	assert_false(c.shell);
	assert_words(&c, (const char *[]){"check", "a b", "c  d", "ef gh", "", "", NULL});
	script_cmd_free(&c);

	/* A backslash escapes everywhere, also inside single quotes. */
	parse_ok("x a\\ b 'it\\'s' \"q\\\"q\" \\\\", &c);
	assert_words(&c, (const char *[]){"x", "a b", "it's", "q\"q", "\\", NULL});
	script_cmd_free(&c);

	parse_ok("x \\t\\x41\\101\\cA\\n \\E\\a\\b\\f\\r\\v \\z", &c);
	assert_words(&c, (const char *[]){"x", "\tAA\001\n", "\033\a\b\f\r\v", "z", NULL});
	script_cmd_free(&c);
}

static void test_parse_errors(void **state)
{
	(void)state;
	struct script_cmd c;
	char err[128];

	assert_int_equal(script_parse("check 'abc", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "missing closing '");
	assert_null(c.argv);
	assert_int_equal(script_parse("check \"abc", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "missing closing \"");
	assert_int_equal(script_parse("check abc\\", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "backslash at the end of the command");
	assert_int_equal(script_parse("", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "empty command");
	assert_int_equal(script_parse(" \t ", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "empty command");
	assert_int_equal(script_parse("''", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "empty command");
	/* A shell line is the shell's business: no quoting error from us. */
	parse_ok("echo 'a\\\\' | cat", &c);
	assert_true(c.shell);
	script_cmd_free(&c);
	/* But quotes are found with our rules, where a backslash also escapes
	 * inside '...': this line has an open quote, so no '|' is seen. */
	assert_int_equal(script_parse("echo 'a\\' | cat", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "missing closing '");
}

static void test_shell_detection(void **state)
{
	(void)state;
	static const char *const shell[] = {
	    "killall -0 haproxy | grep x",
	    "a && b",
	    "a; b",
	    "a > /tmp/x",
	    "a < /tmp/x",
	    "a 2>&1",
	    "(a)",
	    "echo $HOME",
	    "echo \"$HOME\"",
	    "echo `id`",
	    "echo \"`id`\"",
	    "ls *.conf",
	    "ls ?",
	    "ls [ab]",
	    "cd ~",
	    "a\nb",
	    "a #comment",
	    "#only",
	    "FOO=1 check",
	    "  _x9=1 check",
	};
	static const char *const direct[] = {
	    "/usr/bin/check",
	    "check --opt=x",
	    "check 'a|b' '$x' '*' '#'",
	    "check \"a|b;c>d(e)*?[]~#\"",
	    "check a\\|b a\\$b a\\*b a\\;b",
	    "check a#b",
	    "check x=1",
	    "1x=2 check",
	    "check -- -x",
	};

	for (size_t k = 0; k < sizeof(shell) / sizeof(shell[0]); k++) {
		if (!script_needs_shell(shell[k]))
			fprintf(stderr, "    expected shell: %s\n", shell[k]);
		assert_true(script_needs_shell(shell[k]));
	}
	for (size_t k = 0; k < sizeof(direct) / sizeof(direct[0]); k++) {
		if (script_needs_shell(direct[k]))
			fprintf(stderr, "    expected direct: %s\n", direct[k]);
		assert_false(script_needs_shell(direct[k]));
	}
}

static void test_shell_argv(void **state)
{
	(void)state;
	struct script_cmd c;

	parse_ok("killall -0 haproxy || exit 1", &c);
	assert_true(c.shell);
	assert_int_equal(c.argc, 4);
	assert_string_equal(c.argv[0], "/bin/sh");
	assert_string_equal(c.argv[1], "-c");
	assert_string_equal(c.argv[2], "killall -0 haproxy || exit 1");
	assert_string_equal(c.argv[3], "sh");
	assert_null(c.argv[4]);
	assert_string_equal(c.words[0], "killall");
	script_cmd_free(&c);
}

static void test_status_str(void **state)
{
	(void)state;
	char b[96];

	assert_string_equal(script_status_str(3 << 8, false, 0, b, sizeof(b)),
			    "exited with status 3");
	assert_string_equal(script_status_str(0, false, 0, b, sizeof(b)), "exited with status 0");
	assert_string_equal(script_status_str(SIGKILL, true, 2000, b, sizeof(b)),
			    "killed by signal 9 (timeout after 2.0 s)");
	assert_string_equal(script_status_str(SIGKILL, true, 250, b, sizeof(b)),
			    "killed by signal 9 (timeout after 0.25 s)");
	assert_string_equal(script_status_str(SIGTERM, false, 2000, b, sizeof(b)),
			    "killed by signal 15");
	assert_string_equal(script_status_str(SIGSEGV | 0x80, false, 0, b, sizeof(b)),
			    "killed by signal 11 (core dumped)");
}

static void test_which(void **state)
{
	(void)state;
	char p[PATH_MAX];

	assert_int_equal(proc_which("sh", p, sizeof(p)), 0);
	assert_true(p[0] == '/');
	assert_int_equal(access(p, X_OK), 0);
	assert_int_equal(proc_which("./rel/x", p, sizeof(p)), 0);
	assert_string_equal(p, "./rel/x");
	assert_int_equal(proc_which("no-such-program-vrrpd", p, sizeof(p)), -1);
	assert_int_equal(errno, ENOENT);
}

/* ---- security ---- */

static void mkfile(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "#!/bin/sh\nexit 0\n", 17), 17);
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

static int sec(const char *line, uid_t uid, gid_t gid, char *err, size_t len)
{
	struct script_cmd c;
	int rc;

	parse_ok(line, &c);
	err[0] = '\0';
	rc = proc_check_security(&c, uid, gid, err, len);
	script_cmd_free(&c);
	return rc;
}

static void test_security(void **state)
{
	(void)state;
	char d[128], f[256], sub[256], sf[512], line[1024], err[4096], want[4096];

	struct stat tst;

	/* Needs root-owned directories up to /tmp, and chown. */
	if (geteuid() != 0 || stat("/tmp", &tst) < 0 || tst.st_uid != 0 ||
	    ((tst.st_mode & (S_IWGRP | S_IWOTH)) && !(tst.st_mode & S_ISVTX)))
		skip();
	snprintf(d, sizeof(d), "%s/sec", tmpdir);
	assert_int_equal(mkdir(d, 0755), 0);
	snprintf(f, sizeof(f), "%s/check.sh", d);
	mkfile(f, 0755);

	/* Root-owned all the way up (/tmp is sticky): fine, also as args. */
	snprintf(line, sizeof(line), "%s arg", f);
	assert_int_equal(sec(line, 0, 0, err, sizeof(err)), 0);
	assert_int_equal(sec(line, 65534, 65534, err, sizeof(err)), 0);
	assert_int_equal(sec("sh -c true", 0, 0, err, sizeof(err)), 0);

	/* Group- and world-writable file. */
	assert_int_equal(chmod(f, 0775), 0);
	assert_int_equal(sec(line, 0, 0, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s is not secure: %s is writable by its group", f, f);
	assert_string_equal(err, want);
	assert_int_equal(chmod(f, 0757), 0);
	assert_int_equal(sec(line, 0, 0, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s is not secure: %s is writable by others", f, f);
	assert_string_equal(err, want);
	assert_int_equal(chmod(f, 0755), 0);

	/* A writable directory above it; the sticky bit makes it acceptable. */
	assert_int_equal(chmod(d, 0777), 0);
	assert_int_equal(sec(line, 0, 0, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s is not secure: directory %s is writable by others", f, d);
	assert_string_equal(err, want);
	assert_int_equal(chmod(d, 01777), 0);
	assert_int_equal(sec(line, 0, 0, err, sizeof(err)), 0);
	assert_int_equal(chmod(d, 0775), 0);
	assert_int_equal(sec(line, 0, 0, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s is not secure: directory %s is writable by its group", f,
		 d);
	assert_string_equal(err, want);
	assert_int_equal(chmod(d, 0755), 0);

	/* Owned by another user, even read-only (the owner can chmod it). */
	assert_int_equal(chown(f, 65534, 65534), 0);
	assert_int_equal(chmod(f, 0555), 0);
	assert_int_equal(sec(line, 0, 0, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s is not secure: %s is owned by uid 65534 (not root)", f, f);
	assert_string_equal(err, want);
	/* ... unless that user is the one running it. */
	assert_int_equal(sec(line, 65534, 65534, err, sizeof(err)), 0);
	assert_int_equal(chown(d, 65534, 65534), 0);
	assert_int_equal(sec(line, 0, 0, err, sizeof(err)), -1);
	snprintf(want, sizeof(want),
		 "%s is not secure: directory %s is owned by uid 65534 (not root)", f, d);
	assert_string_equal(err, want);
	assert_int_equal(chown(d, 0, 0), 0);
	assert_int_equal(chown(f, 0, 0), 0);

	/* Not executable by the user that runs it. */
	assert_int_equal(chmod(f, 0744), 0);
	assert_int_equal(sec(line, 0, 0, err, sizeof(err)), 0);
	assert_int_equal(sec(line, 65534, 65534, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s is not executable by uid 65534", f);
	assert_string_equal(err, want);
	assert_int_equal(chmod(f, 0755), 0);

	/* A link in a writable directory to a safe file is refused: the link
	 * can be replaced. The other way round too: a safe link to a file in a
	 * writable directory. */
	snprintf(sub, sizeof(sub), "%s/open", d);
	assert_int_equal(mkdir(sub, 0777), 0);
	assert_int_equal(chmod(sub, 0777), 0);
	snprintf(sf, sizeof(sf), "%s/link", sub);
	assert_int_equal(symlink(f, sf), 0);
	assert_int_equal(sec(sf, 0, 0, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s is not secure: directory %s is writable by others", sf,
		 sub);
	assert_string_equal(err, want);
	snprintf(sf, sizeof(sf), "%s/real.sh", sub);
	mkfile(sf, 0755);
	snprintf(line, sizeof(line), "%s/link2", d);
	assert_int_equal(symlink(sf, line), 0);
	assert_int_equal(sec(line, 0, 0, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s is not secure: directory %s is writable by others", line,
		 sub);
	assert_string_equal(err, want);

	/* A shell line: its first word is checked too. */
	snprintf(line, sizeof(line), "%s | cat", sf);
	assert_int_equal(sec(line, 0, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is writable by others"));
	snprintf(line, sizeof(line), "%s | cat", f);
	assert_int_equal(sec(line, 0, 0, err, sizeof(err)), 0);

	/* Missing program. */
	snprintf(line, sizeof(line), "%s/missing", d);
	assert_int_equal(sec(line, 0, 0, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/missing: No such file or directory", d);
	assert_string_equal(err, want);
	assert_int_equal(sec("no-such-program-vrrpd x", 0, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "no-such-program-vrrpd: not found");
}

/* ---- running ---- */

static void test_run_exit_status(void **state)
{
	(void)state;
	int st;

	st = run("/bin/true", NULL, NULL, NULL, 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	st = run("false", NULL, NULL, NULL, 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);
	st = run("sh -c 'exit 7'", NULL, NULL, NULL, 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 7);
	st = run("exit 9; :", NULL, NULL, NULL, 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 9);
	st = run("sh -c 'kill -TERM $$'", NULL, NULL, NULL, 0);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGTERM);
	no_children_left();
}

static void test_run_args_and_output(void **state)
{
	(void)state;
	static const char *const extra[] = {"INSTANCE", "VI_1", "MASTER", "100", NULL};
	char out[256];
	int st;

	/* Direct: appended to argv. */
	st = run("printf '[%s]'", NULL, extra, out, sizeof(out));
	assert_int_equal(st, 0);
	assert_string_equal(out, "[INSTANCE][VI_1][MASTER][100]");
	st = run("printf '[%s]' 'a b'", NULL, extra, out, sizeof(out));
	assert_string_equal(out, "[a b][INSTANCE][VI_1][MASTER][100]");
	/* Shell: positional parameters. */
	st = run("echo \"$0:$1-$2-$3-$4:$#\"", NULL, extra, out, sizeof(out));
	assert_int_equal(st, 0);
	assert_string_equal(out, "sh:INSTANCE-VI_1-MASTER-100:4\n");
	/* stderr goes to the same pipe. */
	st = run("sh -c 'echo err >&2; exit 3'", NULL, NULL, out, sizeof(out));
	assert_int_equal(WEXITSTATUS(st), 3);
	assert_string_equal(out, "err\n");
	no_children_left();
}

static void test_run_environment(void **state)
{
	(void)state;
	sigset_t block, old;
	char out[4096];
	char *p;
	int keep = open("/dev/null", O_RDONLY); /* not CLOEXEC: must not leak */
	void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN);
	long pid, pgrp, sid;

	assert_true(keep >= 3);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);

	run("grep -E '^Sig(Blk|Ign)' /proc/self/status", NULL, NULL, out, sizeof(out));
	assert_string_equal(out, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
	run("ls /proc/self/fd", NULL, NULL, out, sizeof(out));
	/* 0 1 2, and the directory ls itself opened */
	assert_string_equal(out, "0\n1\n2\n3\n");
	run("readlink /proc/self/fd/0", NULL, NULL, out, sizeof(out));
	assert_string_equal(out, "/dev/null\n");
	/* Its own session and process group. */
	run("cat /proc/self/stat", NULL, NULL, out, sizeof(out));
	p = strrchr(out, ')');
	assert_non_null(p);
	assert_int_equal(sscanf(out, "%ld", &pid), 1);
	assert_int_equal(sscanf(p + 2, "%*c %*d %ld %ld", &pgrp, &sid), 2);
	assert_int_equal(pgrp, pid);
	assert_int_equal(sid, pid);

	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGPIPE, old_pipe);
	close(keep);
	no_children_left();
}

static void test_run_as_user(void **state)
{
	(void)state;
	struct proc_cred nobody = {.set = true, .uid = 65534, .gid = 65534};
	char out[256];

	if (geteuid() != 0)
		skip();
	run("id -u", &nobody, NULL, out, sizeof(out));
	assert_string_equal(out, "65534\n");
	run("id -g", &nobody, NULL, out, sizeof(out));
	assert_string_equal(out, "65534\n");
	run("id -G", &nobody, NULL, out, sizeof(out));
	assert_string_equal(out, "65534\n");
	run("id -u", NULL, NULL, out, sizeof(out));
	assert_string_equal(out, "0\n");
	no_children_left();
}

static void test_start_errors(void **state)
{
	(void)state;
	struct script_cmd c;
	struct proc r;
	char err[1024], f[256], want[1024];

	parse_ok("/nonexistent/prog x", &c);
	assert_int_equal(proc_start(&r, &c, NULL, NULL, false, err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/prog: No such file or directory");
	assert_int_equal(r.pid, 0);
	assert_int_equal(r.pidfd, -1);
	script_cmd_free(&c);

	parse_ok("no-such-program-vrrpd", &c);
	assert_int_equal(proc_start(&r, &c, NULL, NULL, false, err, sizeof(err)), -1);
	assert_string_equal(err, "no-such-program-vrrpd: not found");
	script_cmd_free(&c);

	snprintf(f, sizeof(f), "%s/noexec.sh", tmpdir);
	mkfile(f, 0644);
	parse_ok(f, &c);
	if (geteuid() != 0) {
		assert_int_equal(proc_start(&r, &c, NULL, NULL, false, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s: Permission denied", f);
		assert_string_equal(err, want);
	} else {
		struct proc_cred nobody = {.set = true, .uid = 65534, .gid = 65534};

		assert_int_equal(proc_start(&r, &c, &nobody, NULL, false, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s: Permission denied", f);
		assert_string_equal(err, want);
	}
	script_cmd_free(&c);
	no_children_left();
}

static void test_timeout_kill(void **state)
{
	(void)state;
	struct script_cmd c;
	struct proc r;
	char err[256], b[96];
	int status = -1;
	siginfo_t si;

	/* A shell with two sleeping children: the kill takes the group. */
	parse_ok("sleep 30 | (echo ready; exec sleep 30)", &c);
	assert_int_equal(proc_start(&r, &c, NULL, NULL, true, err, sizeof(err)), 0);
	{
		/* Both children exist once "ready" is written. */
		struct pollfd pfd = {.fd = r.outfd, .events = POLLIN};

		assert_int_equal(poll(&pfd, 1, 5000), 1);
		assert_int_equal(read(r.outfd, b, sizeof(b)), 6);
	}
	assert_int_equal(wait_reap(&r, 100, &status), 0); /* still running */
	assert_int_equal(proc_reap(&r, &status), 0);
	assert_false(r.killed);
	proc_kill(&r);
	assert_true(r.killed);
	assert_int_equal(wait_reap(&r, 5000, &status), 1);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	assert_string_equal(script_status_str(status, r.killed, 100, b, sizeof(b)),
			    "killed by signal 9 (timeout after 0.1 s)");
	/* The shell may have reaped a sleep before dying; the others were
	 * reparented to us (subreaper) and must have been killed too. */
	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PGID, (id_t)r.pid, &si, WEXITED) < 0) {
			assert_int_equal(errno, ECHILD);
			break;
		}
		assert_int_equal(si.si_code, CLD_KILLED);
		assert_int_equal(si.si_status, SIGKILL);
	}
	no_children_left();
	assert_int_equal(kill(-r.pid, 0), -1);
	assert_int_equal(errno, ESRCH);
	proc_close(&r);
	script_cmd_free(&c);

	/* script_run_close on a running program kills and reaps it. */
	parse_ok("sleep 30", &c);
	assert_int_equal(proc_start(&r, &c, NULL, NULL, false, err, sizeof(err)), 0);
	proc_close(&r);
	assert_int_equal(r.pidfd, -1);
	no_children_left();
	script_cmd_free(&c);
}

/* ---- fixture ---- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int group_setup(void **state)
{
	(void)state;
	prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0, 0, 0);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vrrpd-test-script.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	return chmod(tmpdir, 0755);
}

static int group_teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_words),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_shell_detection),
	    cmocka_unit_test(test_shell_argv),
	    cmocka_unit_test(test_status_str),
	    cmocka_unit_test(test_which),
	    cmocka_unit_test(test_security),
	    cmocka_unit_test(test_run_exit_status),
	    cmocka_unit_test(test_run_args_and_output),
	    cmocka_unit_test(test_run_environment),
	    cmocka_unit_test(test_run_as_user),
	    cmocka_unit_test(test_start_errors),
	    cmocka_unit_test(test_timeout_kill),
	};

	return cmocka_run_group_tests_name("script", tests, group_setup, group_teardown);
}
