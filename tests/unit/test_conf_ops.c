/* Unit tests for the keywords that change how the daemon runs rather than
 * how it elects: the notify FIFO's extras (vrrp_notify_priority_changes,
 * notify_priority_changes, notify_deleted, fifo_write_vrrp_states_on_reload),
 * vrrp_startup_delay, vrrp_min_garp, and the process's scheduling
 * (vrrp_rt_priority, max_auto_priority, min_auto_priority_delay,
 * vrrp_rlimit_rttime, vrrp_priority, vrrp_no_swap). Files are loaded from
 * memory (conf_load_buffer), named "t.conf". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "conf/conf.h"

#define INST(name, vrid, extra)                                                                    \
	"vrrp_instance " name " {\n  interface eth0\n  virtual_router_id " vrid "\n" extra         \
	"  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n"
#define SU "  script_user root\n"

static void print_msgs(const struct conf_msgs *m)
{
	for (size_t k = 0; k < m->n; k++)
		fprintf(stderr, "    msg[%zu] = %s\n", k, m->v[k]);
}

static struct config *load(const char *text, int warnings, struct conf_msgs *m)
{
	struct config *c = conf_load_buffer("t.conf", text, strlen(text), m);

	if (!c || m->warnings != warnings)
		print_msgs(m);
	assert_non_null(c);
	assert_int_equal(m->warnings, warnings);
	return c;
}

/* TEXT fails with exactly one message, MSG. */
static void load_bad(const char *text, const char *msg)
{
	struct conf_msgs m = {0};
	struct config *c = conf_load_buffer("t.conf", text, strlen(text), &m);

	if (c || m.n != 1 || strcmp(m.v[0], msg))
		print_msgs(&m);
	assert_null(c);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.v[0], msg);
	conf_msgs_free(&m);
}

static bool has_msg(const struct conf_msgs *m, const char *msg)
{
	for (size_t k = 0; k < m->n; k++)
		if (!strcmp(m->v[k], msg))
			return true;
	return false;
}

static void test_defaults(void **state)
{
	struct conf_msgs m = {0};
	struct config *c = load(INST("VI_1", "51", ""), 0, &m);
	const struct conf_global *g = &c->global;

	(void)state;
	assert_int_equal(g->startup_delay_ms, 0);
	assert_false(g->min_garp);
	assert_false(g->notify_priority_changes);
	assert_false(g->fifo_states_on_reload);
	assert_int_equal(g->sched.rt_priority, 0);
	assert_int_equal(g->sched.max_auto_priority, 0);
	assert_int_equal(g->sched.min_auto_delay_us, 1000000);
	assert_int_equal(g->sched.rlimit_rttime_us, 10000);
	assert_int_equal(g->sched.nice, 0);
	assert_false(g->sched.no_swap);
	assert_false(c->inst[0].notify.deleted);
	assert_null(c->inst[0].notify.del.line);
	assert_false(c->inst[0].notify.priority_changes);
	assert_int_equal(c->inst[0].garp.master_repeat, 5);
	assert_int_equal(c->inst[0].garp.master_delay_ms, 5000);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_all_set(void **state)
{
	struct conf_msgs m = {0};
	struct config *c =
	    load("global_defs {\n" SU "  vrrp_startup_delay 5.5\n"
		 "  vrrp_notify_priority_changes\n"
		 "  fifo_write_vrrp_states_on_reload yes\n"
		 "  vrrp_rt_priority 50\n  max_auto_priority\n"
		 "  min_auto_priority_delay 20000\n  vrrp_rlimit_rttime 30000\n"
		 "  vrrp_priority -5\n  vrrp_no_swap\n}\n" INST(
		     "VI_1", "51", "  notify_deleted \"/bin/echo gone\" root\n")
		     INST("VI_2", "52", "  notify_deleted\n  notify_priority_changes off\n"),
		 0, &m);
	const struct conf_global *g = &c->global;

	(void)state;
	assert_int_equal(g->startup_delay_ms, 5500);
	assert_true(g->notify_priority_changes);
	assert_true(g->fifo_states_on_reload);
	assert_int_equal(g->sched.rt_priority, 50);
	assert_int_equal(g->sched.max_auto_priority, 99); /* no argument: the highest */
	assert_int_equal(g->sched.min_auto_delay_us, 20000);
	assert_int_equal(g->sched.rlimit_rttime_us, 30000);
	assert_int_equal(g->sched.nice, -5);
	assert_true(g->sched.no_swap);
	/* VI_1: a command of its own, and the global default for priorities. */
	assert_true(c->inst[0].notify.deleted);
	assert_string_equal(c->inst[0].notify.del.line, "/bin/echo gone");
	assert_true(c->inst[0].notify.del.has_user);
	assert_int_equal(c->inst[0].notify.del.user.uid, 0);
	assert_int_equal(c->inst[0].notify.del.sc.argc, 2); /* parsed at load */
	assert_true(c->inst[0].notify.priority_changes);
	/* VI_2: DELETED without a command; its own "off" wins. */
	assert_true(c->inst[1].notify.deleted);
	assert_null(c->inst[1].notify.del.line);
	assert_false(c->inst[1].notify.priority_changes);
	assert_false(conf_instance_equal(&c->inst[0], &c->inst[1]));
	conf_free(c);
	conf_msgs_free(&m);
}

/* vrrp_min_garp: one GARP, no second burst, no refresh; an explicit
 * vrrp_garp_* keyword wins whether it comes before or after, and an
 * instance's garp_* wins over both. */
static void test_min_garp(void **state)
{
	static const char *const texts[] = {
	    "global_defs {\n  vrrp_min_garp\n  vrrp_garp_master_refresh 60\n}\n",
	    "global_defs {\n  vrrp_garp_master_refresh 60\n  vrrp_min_garp true\n}\n",
	};
	struct conf_msgs m = {0};
	char text[512];

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		snprintf(text, sizeof(text), "%s%s%s", texts[k], INST("VI_1", "51", ""),
			 INST("VI_2", "52", "  garp_master_repeat 4\n"));
		struct config *c = load(text, 0, &m);
		assert_true(c->global.min_garp);
		assert_int_equal(c->inst[0].garp.master_repeat, 1);
		assert_int_equal(c->inst[0].garp.master_delay_ms, 0);
		assert_int_equal(c->inst[0].garp.master_refresh_ms, 60000);
		assert_int_equal(c->inst[1].garp.master_repeat, 4);
		assert_int_equal(c->inst[1].garp.master_delay_ms, 0);
		conf_free(c);
		conf_msgs_free(&m);
	}
	struct config *c =
	    load("global_defs {\n  vrrp_min_garp false\n}\n" INST("VI_1", "51", ""), 0, &m);
	assert_false(c->global.min_garp);
	assert_int_equal(c->inst[0].garp.master_repeat, 5);
	assert_int_equal(c->inst[0].garp.master_delay_ms, 5000);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_warnings(void **state)
{
	struct conf_msgs m = {0};
	struct config *c = load("global_defs {\n  vrrp_rlimit_rtime 5000\n  vrrp_startup_delay "
				"90\n  max_auto_priority -1\n}\n" INST("VI_1", "51", ""),
				2, &m);

	(void)state;
	assert_true(has_msg(&m, "t.conf:2:3: warning: vrrp_rlimit_rtime is the old spelling of "
				"vrrp_rlimit_rttime"));
	assert_true(has_msg(&m, "t.conf:3:22: warning: vrrp_startup_delay 90 s is very long: no "
				"instance advertises or takes a VIP before it is over"));
	assert_int_equal(c->global.sched.rlimit_rttime_us, 5000);
	assert_int_equal(c->global.startup_delay_ms, 90000);
	assert_int_equal(c->global.sched.max_auto_priority, -1);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_errors(void **state)
{
	(void)state;
	load_bad("global_defs {\n  vrrp_rt_priority 0\n}\n" INST("VI_1", "51", ""),
		 "t.conf:2:20: vrrp_rt_priority must be a number from 1 to 99, got '0'");
	load_bad("global_defs {\n  vrrp_rt_priority 100\n}\n" INST("VI_1", "51", ""),
		 "t.conf:2:20: vrrp_rt_priority must be a number from 1 to 99, got '100'");
	load_bad("global_defs {\n  max_auto_priority 100\n}\n" INST("VI_1", "51", ""),
		 "t.conf:2:21: max_auto_priority must be a number from -1 to 99, got '100'");
	load_bad("global_defs {\n  vrrp_priority 20\n}\n" INST("VI_1", "51", ""),
		 "t.conf:2:17: vrrp_priority must be a number from -20 to 19, got '20'");
	load_bad("global_defs {\n  vrrp_rlimit_rttime 1\n}\n" INST("VI_1", "51", ""),
		 "t.conf:2:22: vrrp_rlimit_rttime must be a number from 2 to 4294967295, got '1'");
	load_bad(
	    "global_defs {\n  min_auto_priority_delay 0\n}\n" INST("VI_1", "51", ""),
	    "t.conf:2:27: min_auto_priority_delay must be a number from 1 to 10000000, got '0'");
	load_bad("global_defs {\n  vrrp_startup_delay 0.0001\n}\n" INST("VI_1", "51", ""),
		 "t.conf:2:22: vrrp_startup_delay has a resolution of 0.001 seconds, got '0.0001'");
	load_bad(
	    "global_defs {\n  vrrp_min_garp maybe\n}\n" INST("VI_1", "51", ""),
	    "t.conf:2:17: vrrp_min_garp takes true or false (or yes/no, on/off, 1/0), got 'maybe'");
	load_bad("global_defs {\n" SU "}\n" INST("VI_1", "51", "  notify_deleted \"\"\n"),
		 "t.conf:7:18: invalid command for notify_deleted: empty command");
}

/* The dump (vrrpd -t) says what was understood, in keepalived's words. */
static void test_dump(void **state)
{
	struct conf_msgs m = {0};
	struct config *c =
	    load("global_defs {\n  vrrp_startup_delay 2\n  vrrp_rt_priority 10\n}\n" INST(
		     "VI_1", "51", "  notify_deleted\n  notify_priority_changes\n"),
		 0, &m);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	conf_dump(c, f);
	fclose(f);
	assert_non_null(strstr(buf, "\tvrrp_startup_delay 2\n"));
	assert_non_null(strstr(buf, "\tvrrp_rt_priority 10\n"));
	assert_non_null(strstr(buf, "\tvrrp_rlimit_rttime 10000\n"));
	assert_non_null(strstr(buf, "\tnotify_deleted\n"));
	assert_non_null(strstr(buf, "\tnotify_priority_changes true\n"));
	free(buf);
	conf_free(c);
	conf_msgs_free(&m);
}

/* smtp_server NAME [PORT]: kept as a name (resolved when a mail goes);
 * a reload to an address forgets it; a name that is no host name warns. */
static void test_smtp_server_name(void **state)
{
	struct conf_msgs m = {0};
	struct config *c;
	char a[ADDR_STRLEN];

	(void)state;
	c = load("global_defs {\n  smtp_server mail.example.com 587\n}\n", 0, &m);
	assert_true(c->global.has_smtp_server);
	assert_string_equal(c->global.smtp_server_name, "mail.example.com");
	assert_int_equal(c->global.smtp_port, 587);
	assert_int_equal(c->global.smtp_server.family, 0);
	conf_free(c);
	conf_msgs_free(&m);
	c = load("global_defs {\n  smtp_server 192.0.2.25\n}\n", 0, &m);
	assert_string_equal(c->global.smtp_server_name, "");
	assert_string_equal(addr_str(&c->global.smtp_server, a), "192.0.2.25");
	assert_int_equal(c->global.smtp_port, 25);
	conf_free(c);
	conf_msgs_free(&m);
	c = load("global_defs {\n  smtp_server -relay\n}\n", 1, &m);
	assert_true(has_msg(&m, "t.conf:2:15: warning: smtp_server '-relay' is neither an address "
				"nor a host name in RFC 1123 syntax; vrrpd will still try to "
				"resolve it"));
	assert_true(c->global.has_smtp_server);
	assert_string_equal(c->global.smtp_server_name, "-relay");
	conf_free(c);
	conf_msgs_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),	     cmocka_unit_test(test_all_set),
	    cmocka_unit_test(test_min_garp),	     cmocka_unit_test(test_warnings),
	    cmocka_unit_test(test_errors),	     cmocka_unit_test(test_dump),
	    cmocka_unit_test(test_smtp_server_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
