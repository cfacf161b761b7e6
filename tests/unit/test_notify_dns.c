/* Unit tests for smtp_server NAME in src/ops/notify.c and src/ops/resolve.c,
 * through a real event loop: the resolver is a fake `getent` first in
 * $PATH (a shell script in the test's directory that logs each call), so
 * the answers are the test's: addresses in an order (the first refuses,
 * the next takes the mail), no such name, a resolver that hangs (killed at
 * the timeout while the loop's timers keep firing on time). A burst of
 * mails shares one resolver; the answer is cached. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/ops/notify.c"
#include "../../src/ops/notify_mail.c"
#include "notify_harness.h"

static char calls[PATH_MAX];

/* The fake getent: answers by name; SERVER is the address that works. */
static void fake_getent(void)
{
	char path[PATH_MAX], env[2 * PATH_MAX];
	FILE *f;

	path_in(path, sizeof(path), "getent");
	path_in(calls, sizeof(calls), "calls");
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"#!/bin/sh\n"
		"echo \"$*\" >>'%s'\n"
		"case \"$3\" in\n"
		"good.test) printf '192.0.2.1 STREAM good.test\\n127.0.0.2 STREAM\\n"
		"127.0.0.2 DGRAM\\n127.0.0.1 STREAM\\n127.0.0.1 RAW\\n' ;;\n"
		"hang.test) exec sleep 30 ;;\n"
		"*) exit 2 ;;\n"
		"esac\n",
		calls);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
	snprintf(env, sizeof(env), "%s:%s", tmpdir,
		 getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", env, 1);
	unlink(calls);
}

static void dns_conf(struct config *c, char **to, const char *name, uint16_t port)
{
	conf_init(c);
	c->global.notification_email = to;
	c->global.n_notification_email = 1;
	c->global.has_smtp_server = true;
	snprintf(c->global.smtp_server_name, sizeof(c->global.smtp_server_name), "%s", name);
	c->global.smtp_port = port;
	c->global.script_user.uid = getuid();
	c->global.script_user.gid = getgid();
}

/* Addresses in getent's order: 192.0.2.1 cannot be reached from here
 * (refused or unreachable at once; should it hang, its deadline moves on),
 * 127.0.0.2 refuses (nobody listens there on that port), 127.0.0.1 takes
 * the mail. The next mails come from the cache: one resolver for three. */
static void test_name_resolves(void **state)
{
	(void)state;
	struct loop l;
	struct config c;
	struct conf_notify cfg = {.smtp_alert = true};
	struct notify *n;
	struct server s;
	char *to[] = {"ops@example.com"};
	const char *log;

	fake_getent();
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	dns_conf(&c, to, "good.test", srv_listen(&s, &l));
	c.global.smtp_connect_timeout_ms = 1000;
	n = notify_new(&l, &c);
	log_capture();
	notify_state(n, "INSTANCE", "VI_1", &cfg, "MASTER", 100);
	assert_int_equal(n->n_mails, 1);
	assert_true(resolve_busy(n->res)); /* the mail waits for the resolver */
	assert_true(run_until(&l, no_work, n, 8000));
	/* The scripted server takes one connection at a time: one by one. */
	notify_state(n, "INSTANCE", "VI_1", &cfg, "BACKUP", 100); /* from the cache */
	assert_false(resolve_busy(n->res));
	assert_true(run_until(&l, no_work, n, 8000));
	notify_state(n, "INSTANCE", "VI_1", &cfg, "FAULT", 0);
	assert_true(run_until(&l, no_work, n, 8000));
	log = log_release();
	if (getenv("SHOW_LOG"))
		fputs(log, stdout);
	assert_int_equal(s.mails, 3);
	assert_int_equal(n->mails_sent, 3);
	assert_int_equal(count(log, "alert mail sent to 1 recipient(s)"), 3);
	assert_int_equal(count(log, "connecting to 127.0.0.2 port"), 3);   /* tried, in order */
	assert_int_equal(count(slurp(calls), "ahosts -- good.test\n"), 1); /* LOG is gone */
	assert_non_null(strstr(s.message, "Subject: [r1] VI_1 is now"));
	srv_close(&s);
	notify_free(n, 0);
	loop_free(&l);
}

/* A name that does not resolve: a burst of two mails waits for one
 * resolver, both are dropped with one log line giving the reason, counted;
 * within the failure's cache time no new resolver. */
static void test_name_unknown(void **state)
{
	(void)state;
	struct loop l;
	struct config c;
	struct conf_notify cfg = {.smtp_alert = true};
	struct notify *n;
	char *to[] = {"ops@example.com"};
	const char *log;

	fake_getent();
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	dns_conf(&c, to, "nxdomain.test", 25);
	n = notify_new(&l, &c);
	log_capture();
	notify_state(n, "INSTANCE", "VI_1", &cfg, "BACKUP", 100);
	notify_state(n, "INSTANCE", "VI_1", &cfg, "MASTER", 100);
	assert_true(run_until(&l, no_work, n, 5000));
	notify_state(n, "INSTANCE", "VI_1", &cfg, "FAULT", 0); /* the cached failure */
	assert_int_equal(n->n_mails, 0);
	log = log_release();
	if (getenv("SHOW_LOG"))
		fputs(log, stdout);
	assert_int_equal(count(log, "cannot resolve smtp_server nxdomain.test"), 1);
	assert_non_null(strstr(log, "INSTANCE VI_1 MASTER (and 1 more): alert mail not sent: "
				    "cannot resolve smtp_server nxdomain.test: no address found"));
	assert_int_equal(n->mails_unresolved, 3);
	assert_int_equal(count(slurp(calls), "\n"), 1);
	notify_free(n, 0);
	loop_free(&l);
}

/* A resolver that hangs: killed at smtp_connect_timeout, the mail dropped
 * with "timed out"; meanwhile a 100 ms timer of the loop kept its pace. */
struct ticker {
	struct loop *l;
	struct timer t;
	vtime_t last, max_gap;
	int ticks;
};

static void tick(void *arg, vtime_t now)
{
	struct ticker *k = arg;

	if (k->ticks++ && now - k->last > k->max_gap)
		k->max_gap = now - k->last;
	k->last = now;
	loop_timer_arm(k->l, &k->t, now + 100 * VTIME_MSEC);
}

static void test_name_hangs(void **state)
{
	(void)state;
	struct loop l;
	struct config c;
	struct conf_notify cfg = {.smtp_alert = true};
	struct notify *n;
	struct ticker k = {.l = &l};
	char *to[] = {"ops@example.com"};
	const char *log;
	vtime_t t0;

	fake_getent();
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	dns_conf(&c, to, "hang.test", 25);
	c.global.smtp_connect_timeout_ms = 1000;
	n = notify_new(&l, &c);
	timer_init(&k.t, tick, &k);
	loop_timer_arm(&l, &k.t, loop_now());
	log_capture();
	t0 = loop_now();
	notify_state(n, "INSTANCE", "VI_1", &cfg, "MASTER", 100);
	assert_true(run_until(&l, no_work, n, 5000));
	loop_timer_cancel(&l, &k.t);
	log = log_release();
	if (getenv("SHOW_LOG"))
		fputs(log, stdout);
	assert_true(loop_now() - t0 >= 1000 * VTIME_MSEC);
	assert_true(loop_now() - t0 < 3000 * VTIME_MSEC);
	assert_non_null(
	    strstr(log, "cannot resolve smtp_server hang.test: getent timed out after 1 s"));
	assert_true(k.ticks >= 9);
	print_message("    loop timer: %d ticks, largest gap %.1f ms (100 ms)\n", k.ticks,
		      (double)k.max_gap / 1000.0);
	assert_true(k.max_gap < 150 * VTIME_MSEC);
	notify_free(n, 0);
	loop_free(&l);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_name_resolves),
	    cmocka_unit_test(test_name_unknown),
	    cmocka_unit_test(test_name_hangs),
	};

	return cmocka_run_group_tests_name("notify_dns", tests, setup, teardown);
}
