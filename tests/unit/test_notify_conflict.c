/* Unit tests for notify_conflict (src/ops/notify.c, compiled in, as in
 * test_notify.c): the FIFO lines CONFLICT / CONFLICT_END, notify_conflict's
 * arguments, fence_script run at the start only with the peer as its
 * argument and its exit status logged. Real /bin/sh children through a real
 * event loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../src/ops/notify.c"

static char dir[PATH_MAX / 2];

static void cmd_set(struct conf_cmd *c, const char *line)
{
	memset(c, 0, sizeof(*c));
	c->line = (char *)line;
	assert_int_equal(script_parse(line, &c->sc, NULL, 0), 0);
	c->user.uid = getuid();
	c->user.gid = getgid();
}

struct until {
	struct loop *l;
	struct notify *n;
	vtime_t end;
	struct timer t;
};

static void until_tick(void *arg, vtime_t now)
{
	struct until *u = arg;

	if ((!u->n->jobs && !u->n->mails) || now >= u->end) {
		loop_stop(u->l);
		return;
	}
	loop_timer_arm(u->l, &u->t, now + 5 * VTIME_MSEC);
}

/* Runs the loop until N has nothing running (at most 5 s). */
static void run_idle(struct loop *l, struct notify *n)
{
	struct until u = {.l = l, .n = n, .end = loop_now() + 5 * VTIME_SEC};

	timer_init(&u.t, until_tick, &u);
	loop_timer_arm(l, &u.t, loop_now());
	l->stop = false;
	loop_run(l);
	loop_timer_cancel(l, &u.t);
	assert_null(n->jobs);
}

static const char *slurp(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t r = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[r > 0 ? r : 0] = '\0';
	return buf;
}

static void test_conflict(void **state)
{
	(void)state;
	struct loop l;
	struct config c;
	struct conf_notify cfg;
	struct notify *n;
	char fifo[PATH_MAX], calls[PATH_MAX], l1[PATH_MAX * 2], l2[PATH_MAX * 2], buf[512];

	snprintf(fifo, sizeof(fifo), "%s/c.fifo", dir);
	snprintf(calls, sizeof(calls), "%s/c.calls", dir);
	snprintf(l1, sizeof(l1), "/bin/sh -c 'echo conflict \"$@\" >>%s' sh", calls);
	snprintf(l2, sizeof(l2), "/bin/sh -c 'echo fence \"$@\" >>%s; exit 3' sh", calls);
	memset(&c, 0, sizeof(c));
	snprintf(c.global.router_id, sizeof(c.global.router_id), "r1");
	c.global.notify_fifo = fifo;
	memset(&cfg, 0, sizeof(cfg));
	cmd_set(&cfg.conflict, l1);
	cmd_set(&cfg.fence, l2);
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	n = notify_new(&l, &c);
	assert_non_null(n);
	int rd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);

	int saved = dup(2);
	fflush(stderr);
	int tmp = open(calls, O_WRONLY | O_CREAT | O_TRUNC, 0600); /* also empties the calls */
	close(tmp);
	char logpath[PATH_MAX];
	snprintf(logpath, sizeof(logpath), "%s/log", dir);
	int lfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(lfd, 2);
	close(lfd);
	notify_conflict(n, "VI_1", &cfg, "lower_master", "192.0.2.2", true, "detail");
	run_idle(&l, n);
	notify_conflict(n, "VI_1", &cfg, "lower_master", "192.0.2.2", false, "detail");
	run_idle(&l, n);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);

	/* the fence ran once, at the start; notify_conflict at both ends */
	const char *got = slurp(calls);
	assert_non_null(strstr(got, "conflict VI_1 lower_master 192.0.2.2 start\n"));
	assert_non_null(strstr(got, "conflict VI_1 lower_master 192.0.2.2 end\n"));
	assert_non_null(strstr(got, "fence 192.0.2.2\n"));
	assert_null(strstr(strstr(got, "fence") + 1, "fence"));
	const char *lg = slurp(logpath);
	assert_non_null(strstr(lg, "INSTANCE VI_1 CONFLICT: fence_script"));
	assert_non_null(strstr(lg, "exit"));
	ssize_t r = read(rd, buf, sizeof(buf) - 1);
	assert_true(r > 0);
	buf[r] = '\0';
	assert_string_equal(buf, "INSTANCE \"VI_1\" CONFLICT lower_master 192.0.2.2\n"
				 "INSTANCE \"VI_1\" CONFLICT_END lower_master 192.0.2.2\n");
	/* no configuration: the FIFO line only; no notify object: nothing */
	notify_conflict(n, "VI_2", NULL, "mismatch", "192.0.2.3", true, "x");
	assert_null(n->jobs);
	notify_conflict(NULL, "VI_2", &cfg, "mismatch", "192.0.2.3", true, "x");
	close(rd);
	notify_free(n, 0);
	loop_free(&l);
	script_cmd_free(&cfg.conflict.sc);
	script_cmd_free(&cfg.fence.sc);
	unlink(fifo);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "%s/vrrpd-test-nc.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	signal(SIGPIPE, SIG_IGN);
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_conflict),
	};

	return cmocka_run_group_tests_name("notify_conflict", tests, setup, teardown);
}
