/* Unit tests for src/io/job.c: real /bin/sh children run through a real
 * event loop in this process. Exit status, extra arguments, a timeout that
 * kills a whole process group, output capture (bounded, sanitized, a
 * chatty child that never blocks), a program that cannot be executed,
 * freeing a job from its own callbacks and from another job's, job_kill()
 * and job_move(). The test process is a child subreaper, so that it can
 * check that a killed group leaves no process (and no zombie) behind.
 *
 * job.c is compiled into this test directly (its static helper job_keep()
 * is tested too); the loop, proc and the rest come from the sanitized
 * library. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/io/job.c"

/* ---- helpers ---- */

/* What the callbacks saw. */
struct seen {
	struct loop *l;
	int done, timeouts;
	struct job_result r;
	char out[8192];
	bool free_in_done, free_in_timeout;
	struct job *self;  /* for free_in_timeout */
	struct job **also; /* another job, freed from this one's completion */
};

static void on_done(void *arg, struct job *j, const struct job_result *r)
{
	struct seen *s = arg;

	s->done++;
	s->r = *r;
	snprintf(s->out, sizeof(s->out), "%s", r->out);
	s->r.out = s->out;
	assert_int_equal(strlen(r->out), r->out_len);
	if (s->also && *s->also) {
		job_free(*s->also);
		*s->also = NULL;
	}
	if (s->free_in_done)
		job_free(j);
}

static void on_timeout(void *arg, struct job *j)
{
	struct seen *s = arg;

	s->timeouts++;
	if (s->free_in_timeout) {
		job_free(j);
		s->self = NULL;
	}
}

static void parse_ok(const char *line, struct script_cmd *c)
{
	char err[128] = "";
	int rc = script_parse(line, c, err, sizeof(err));

	if (rc < 0)
		fprintf(stderr, "    script_parse(%s): %s\n", line, err);
	assert_int_equal(rc, 0);
}

static struct job *start(struct loop *l, struct script_cmd *c, const char *line,
			 const char *const *extra, uint32_t timeout_ms, size_t capture,
			 struct seen *s)
{
	struct job_spec spec = {.name = "test",
				.cmd = c,
				.extra = extra,
				.timeout_ms = timeout_ms,
				.capture = capture,
				.on_done = on_done,
				.on_timeout = on_timeout,
				.arg = s};
	char err[256] = "";
	struct job *j;

	parse_ok(line, c);
	j = job_start(l, &spec, err, sizeof(err));
	if (!j)
		fprintf(stderr, "    job_start(%s): %s\n", line, err);
	assert_non_null(j);
	assert_true(job_pid(j) > 0);
	return j;
}

/* Runs the loop until *COUNT reaches WANT, at most MS milliseconds. */
struct until {
	struct loop *l;
	const int *count;
	int want;
	vtime_t end;
	struct timer t;
};

static void until_tick(void *arg, vtime_t now)
{
	struct until *u = arg;

	if (*u->count >= u->want || now >= u->end) {
		loop_stop(u->l);
		return;
	}
	loop_timer_arm(u->l, &u->t, now + 2 * VTIME_MSEC);
}

static bool run_until(struct loop *l, const int *count, int want, unsigned ms)
{
	struct until u = {.l = l, .count = count, .want = want};

	u.end = loop_now() + (vtime_t)ms * VTIME_MSEC;
	timer_init(&u.t, until_tick, &u);
	loop_timer_arm(l, &u.t, loop_now());
	l->stop = false;
	loop_run(l);
	loop_timer_cancel(l, &u.t);
	return *count >= want;
}

/* Every child of this process has been reaped: none is left, not even a
 * zombie (the test is a subreaper, so orphans come to it). */
static void no_children_left(void)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	assert_int_equal(waitid(P_ALL, 0, &si, WEXITED | WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* Kills what is left of process group PGID and reaps it (a background
 * child outlives its job's leader by design). */
static void reap_group(pid_t pgid)
{
	siginfo_t si;

	kill(-pgid, SIGKILL);
	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PGID, (id_t)pgid, &si, WEXITED) < 0) {
			assert_int_equal(errno, ECHILD);
			return;
		}
	}
}

/* ---- tests ---- */

static void test_exit_status(void **state)
{
	(void)state;
	struct loop l;
	struct script_cmd c1, c2, c3;
	struct seen s1 = {0}, s2 = {0}, s3 = {0};
	const char *const extra[] = {"a", "b c", NULL};
	struct job *j1, *j2, *j3;

	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	uint64_t forks = proc_started_count();
	j1 = start(&l, &c1, "true; exit 3", NULL, 5000, 0, &s1); /* through the shell */
	j2 = start(&l, &c2, "/bin/true", NULL, 0, 0, &s2);
	/* Extra arguments follow a direct command's own. */
	j3 = start(&l, &c3, "/bin/sh -c 'exit $#' sh x", extra, 5000, 0, &s3);
	assert_true(run_until(&l, &s1.done, 1, 5000));
	assert_true(run_until(&l, &s2.done, 1, 5000));
	assert_true(run_until(&l, &s3.done, 1, 5000));
	assert_int_equal(s1.done + s2.done + s3.done, 3);
	assert_int_equal(proc_started_count(), forks + 3); /* what vrrpctl stats counts */
	assert_true(WIFEXITED(s1.r.status));
	assert_int_equal(WEXITSTATUS(s1.r.status), 3);
	assert_false(s1.r.killed);
	assert_false(s1.r.timed_out);
	assert_string_equal(s1.r.out, ""); /* not captured */
	assert_int_equal(s1.r.out_len, 0);
	assert_true(WIFEXITED(s2.r.status));
	assert_int_equal(WEXITSTATUS(s2.r.status), 0);
	assert_int_equal(job_deadline(j2), 0);
	assert_true(WIFEXITED(s3.r.status));
	assert_int_equal(WEXITSTATUS(s3.r.status), 3);
	assert_int_equal(s1.timeouts + s2.timeouts + s3.timeouts, 0);
	job_free(j1);
	job_free(j2);
	job_free(j3);
	/* Nothing more is called once the job ended and was freed. */
	assert_false(run_until(&l, &s1.done, 2, 100));
	no_children_left();
	script_cmd_free(&c1);
	script_cmd_free(&c2);
	script_cmd_free(&c3);
	loop_free(&l);
}

/* A shell with two background sleeps, killed at its timeout: the kill takes
 * the whole group, and the status says so. */
static void test_timeout_kills_group(void **state)
{
	(void)state;
	struct loop l;
	struct script_cmd c;
	struct seen s = {0};
	struct job *j;
	vtime_t t0 = loop_now();
	pid_t pgid;
	siginfo_t si;
	char b[96];
	int reaped = 0;

	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	j = start(&l, &c, "sh -c 'sleep 100 & sleep 100 & echo started; wait'", NULL, 300, 64, &s);
	pgid = job_pid(j);
	assert_true(job_deadline(j) >= t0 + 300 * VTIME_MSEC);
	assert_true(run_until(&l, &s.done, 1, 5000));
	assert_true(loop_now() - t0 >= 290 * VTIME_MSEC);
	assert_true(loop_now() - t0 < 3 * VTIME_SEC);
	assert_int_equal(s.timeouts, 1);
	assert_true(s.r.killed);
	assert_true(s.r.timed_out);
	assert_true(WIFSIGNALED(s.r.status));
	assert_int_equal(WTERMSIG(s.r.status), SIGKILL);
	assert_string_equal(script_status_str(s.r.status, s.r.killed, 300, b, sizeof(b)),
			    "killed by signal 9 (timeout after 0.3 s)");
	assert_string_equal(s.r.out, "started\n"); /* both sleeps were running */
	job_free(j);
	/* The sleeps were orphaned to us (subreaper) and killed with the
	 * shell. */
	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PGID, (id_t)pgid, &si, WEXITED) < 0) {
			assert_int_equal(errno, ECHILD);
			break;
		}
		assert_int_equal(si.si_code, CLD_KILLED);
		assert_int_equal(si.si_status, SIGKILL);
		reaped++;
	}
	assert_true(reaped <= 2);
	assert_int_equal(kill(-pgid, 0), -1);
	assert_int_equal(errno, ESRCH);
	no_children_left();
	script_cmd_free(&c);
	loop_free(&l);
}

/* job_keep(): control characters but tab and newline become '?', and the
 * buffer is bounded (what is cut is counted). */
static void test_keep_sanitized_bounded(void **state)
{
	(void)state;
	enum { CAP = 1024 };
	char out[CAP + 1];
	size_t len = 0, lost = 0;
	char big[3000];

	job_keep(out, CAP, &len, &lost, "a\tb\x1b[1m\r\n", 9);
	assert_string_equal(out, "a\tb?[1m?\n");
	memset(big, 'x', sizeof(big));
	job_keep(out, CAP, &len, &lost, big, sizeof(big));
	assert_int_equal(len, CAP);
	assert_int_equal(lost, 9 + sizeof(big) - CAP);
	assert_int_equal(strlen(out), CAP);
}

static void test_capture(void **state)
{
	(void)state;
	struct loop l;
	struct script_cmd c1, c2;
	struct seen s1 = {0}, s2 = {0};
	struct job *j1, *j2;

	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	/* stdout and stderr both, sanitized. */
	j1 = start(&l, &c1, "printf 'a\\tb\\033[1m\\r\\n'; echo err >&2", NULL, 5000, 256, &s1);
	/* 1 MiB, far more than a pipe holds: the loop reads it as it comes,
	 * keeps 100 bytes and counts the rest; the program is never stuck. */
	j2 = start(&l, &c2, "dd if=/dev/zero bs=65536 count=16 status=none; echo done", NULL, 5000,
		   100, &s2);
	assert_true(run_until(&l, &s1.done, 1, 5000));
	assert_true(run_until(&l, &s2.done, 1, 5000));
	assert_true(WIFEXITED(s1.r.status) && WEXITSTATUS(s1.r.status) == 0);
	assert_string_equal(s1.r.out, "a\tb?[1m?\nerr\n");
	assert_int_equal(s1.r.out_lost, 0);
	assert_true(WIFEXITED(s2.r.status) && WEXITSTATUS(s2.r.status) == 0);
	assert_false(s2.r.killed);
	assert_int_equal(s2.r.out_len, 100);
	assert_int_equal(s2.r.out_lost, 16 * 65536 + strlen("done\n") - 100);
	for (size_t k = 0; k < 100; k++)
		assert_int_equal(s2.r.out[k], '?'); /* NUL bytes, sanitized */
	job_free(j1);
	job_free(j2);
	no_children_left();
	script_cmd_free(&c1);
	script_cmd_free(&c2);
	loop_free(&l);
}

/* A program starts with umask 022 whatever the daemon's (the systemd unit
 * gives the daemon 0077): a script's files are as a shell's would be. */
static void test_child_umask(void **state)
{
	(void)state;
	struct loop l;
	struct script_cmd c;
	struct seen s = {0};
	struct job *j;
	mode_t old = umask(077);

	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	j = start(&l, &c, "sh -c umask", NULL, 5000, 256, &s);
	assert_true(run_until(&l, &s.done, 1, 5000));
	umask(old);
	assert_true(WIFEXITED(s.r.status) && WEXITSTATUS(s.r.status) == 0);
	assert_string_equal(s.r.out, "0022\n");
	job_free(j);
	no_children_left();
	script_cmd_free(&c);
	loop_free(&l);
}

/* A background child that keeps the pipe open does not hold the result
 * back: the completion comes when the program itself exits. */
static void test_capture_no_wait_for_eof(void **state)
{
	(void)state;
	struct loop l;
	struct script_cmd c;
	struct seen s = {0};
	struct job *j;
	vtime_t t0 = loop_now();

	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	j = start(&l, &c, "sleep 30 & echo bye", NULL, 5000, 64, &s);
	assert_true(run_until(&l, &s.done, 1, 5000));
	assert_true(loop_now() - t0 < 3 * VTIME_SEC);
	assert_string_equal(s.r.out, "bye\n");
	reap_group(job_pid(j));
	job_free(j);
	no_children_left();
	script_cmd_free(&c);
	loop_free(&l);
}

static void test_cannot_execute(void **state)
{
	(void)state;
	struct loop l;
	struct script_cmd c;
	struct seen s = {0};
	struct job_spec spec = {.name = "test", .cmd = &c, .on_done = on_done, .arg = &s};
	char err[256];

	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	parse_ok("/nonexistent/prog x", &c);
	assert_null(job_start(&l, &spec, err, sizeof(err)));
	assert_string_equal(err, "/nonexistent/prog: No such file or directory");
	script_cmd_free(&c);
	parse_ok("no-such-program-vrrpd", &c);
	spec.capture = 64;
	assert_null(job_start(&l, &spec, err, sizeof(err)));
	assert_string_equal(err, "no-such-program-vrrpd: not found");
	script_cmd_free(&c);
	assert_false(run_until(&l, &s.done, 1, 100)); /* no callback */
	no_children_left();
	loop_free(&l);
}

/* Callbacks free their own job; one job's completion frees another that
 * still runs (its pending events must be dropped, ASan watches). */
static void test_free_from_callback(void **state)
{
	(void)state;
	enum { N = 8 };
	struct loop l;
	struct script_cmd c[N], ct, ca, cb;
	struct seen s[N], st = {0}, sb = {0};
	struct job *other;
	pid_t other_pid;
	int total = 0;

	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	memset(s, 0, sizeof(s));
	/* Output and exit at once: the pipe and the pidfd are often in the
	 * same epoll batch. */
	for (int k = 0; k < N; k++) {
		s[k].free_in_done = true;
		start(&l, &c[k], "echo one; echo two >&2", NULL, 5000, 16, &s[k]);
	}
	for (int k = 0; k < N; k++) {
		assert_true(run_until(&l, &s[k].done, 1, 5000));
		assert_string_equal(s[k].r.out, "one\ntwo\n");
		total += s[k].done;
	}
	assert_int_equal(total, N);

	/* Freed from its timeout callback: no completion follows. */
	st.free_in_timeout = true;
	st.self = start(&l, &ct, "sleep 30", NULL, 50, 16, &st);
	assert_true(run_until(&l, &st.timeouts, 1, 5000));
	assert_null(st.self);
	assert_false(run_until(&l, &st.done, 1, 100));

	/* A's completion frees B, which still runs: B is killed and reaped,
	 * and never calls back. */
	sb.free_in_done = true;
	other = start(&l, &cb, "echo chatty; sleep 30", NULL, 0, 64, &st);
	other_pid = job_pid(other);
	sb.also = &other;
	start(&l, &ca, "sleep 0.05", NULL, 5000, 0, &sb);
	assert_true(run_until(&l, &sb.done, 1, 5000));
	assert_null(other);
	assert_int_equal(st.done, 0);
	assert_false(run_until(&l, &st.done, 1, 100));
	reap_group(other_pid); /* the shell's sleep, killed with it */
	no_children_left();
	for (int k = 0; k < N; k++)
		script_cmd_free(&c[k]);
	script_cmd_free(&ct);
	script_cmd_free(&ca);
	script_cmd_free(&cb);
	loop_free(&l);
}

static void test_kill(void **state)
{
	(void)state;
	struct loop l;
	struct script_cmd c;
	struct seen s = {0};
	struct job *j;

	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	j = start(&l, &c, "sleep 30", NULL, 0, 0, &s);
	job_kill(j);
	assert_true(run_until(&l, &s.done, 1, 5000));
	assert_true(s.r.killed);
	assert_false(s.r.timed_out);
	assert_true(WIFSIGNALED(s.r.status));
	assert_int_equal(WTERMSIG(s.r.status), SIGKILL);
	assert_int_equal(s.timeouts, 0);
	job_free(j);
	no_children_left();
	script_cmd_free(&c);
	loop_free(&l);
}

/* A job moved to another loop finishes there, its timeout and its capture
 * still at work; the first loop does not hear of it again. */
static void test_move(void **state)
{
	(void)state;
	struct loop a, b;
	struct script_cmd c1, c2;
	struct seen s1 = {0}, s2 = {0};
	struct job *j1, *j2;

	assert_int_equal(loop_init(&a, NULL, NULL, NULL), 0);
	assert_int_equal(loop_init(&b, NULL, NULL, NULL), 0);
	j1 = start(&a, &c1, "sleep 0.1; echo moved", NULL, 5000, 64, &s1);
	j2 = start(&a, &c2, "echo hung; sleep 30", NULL, 200, 64, &s2);
	assert_int_equal(job_move(j1, &b), 0);
	assert_int_equal(job_move(j2, &b), 0);
	assert_null(timer_heap_peek(&a.heap));
	assert_true(run_until(&b, &s1.done, 1, 5000));
	assert_true(run_until(&b, &s2.done, 1, 5000));
	assert_true(WIFEXITED(s1.r.status) && WEXITSTATUS(s1.r.status) == 0);
	assert_string_equal(s1.r.out, "moved\n");
	assert_int_equal(s2.timeouts, 1);
	assert_true(s2.r.timed_out);
	assert_string_equal(s2.r.out, "hung\n");
	reap_group(job_pid(j2));
	job_free(j1);
	job_free(j2);
	no_children_left();
	script_cmd_free(&c1);
	script_cmd_free(&c2);
	loop_free(&a);
	loop_free(&b);
}

static int setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN); /* as the daemon does */
	return prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0, 0, 0);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_exit_status),
	    cmocka_unit_test(test_timeout_kills_group),
	    cmocka_unit_test(test_keep_sanitized_bounded),
	    cmocka_unit_test(test_capture),
	    cmocka_unit_test(test_child_umask),
	    cmocka_unit_test(test_capture_no_wait_for_eof),
	    cmocka_unit_test(test_cannot_execute),
	    cmocka_unit_test(test_free_from_callback),
	    cmocka_unit_test(test_kill),
	    cmocka_unit_test(test_move),
	};

	return cmocka_run_group_tests_name("job", tests, setup, NULL);
}
