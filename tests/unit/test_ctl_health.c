/* Unit tests for src/ops/ctl_health.c: the daemon's health in `vrrpctl
 * stats` (text section, JSON member "health") and in `vrrpctl metrics`
 * (the loop, the advert lateness histogram, netlink batches, reloads). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json_check.h"
#include "ops/control.h"

#define NOW 1700000000.0

static struct ctl_instance inst;
static struct ctl_snapshot snap;

/* A daemon up for 1000 s: 5000 turns, 0.5 s busy, longest 1.2 ms (0.3 ms
 * this minute); 100 adverts: 90 within 50 µs, 9 within 100, one 20 ms
 * late; two netlink batches (1 and 7 messages, 150 and 450 µs); two
 * reloads, the last applied. */
static int setup(void **state)
{
	(void)state;
	memset(&inst, 0, sizeof(inst));
	snprintf(inst.name, sizeof(inst.name), "VI_1");
	snprintf(inst.ifname, sizeof(inst.ifname), "eth0");
	inst.vrid = 51;
	inst.state = "MASTER";
	inst.adverts_sent = 101;
	inst.late_n = 100;
	inst.late_max_us = 20000;
	snap = (struct ctl_snapshot){
	    .router_id = "lb-1", .started = NOW - 1000, .now = NOW, .inst = &inst, .n_inst = 1};
	struct ctl_health *h = &snap.health;
	h->turns = 5000;
	h->busy_us = 500000;
	h->turn_max_us = 1200;
	h->turn_max_1m_us = 300;
	for (int i = 0; i < 90; i++)
		health_hist_add(&h->late, 20);
	for (int i = 0; i < 9; i++)
		health_hist_add(&h->late, 70);
	health_hist_add(&h->late, 20000);
	health_stat_add(&h->nl_msgs, 1);
	health_stat_add(&h->nl_us, 150);
	health_stat_add(&h->nl_msgs, 7);
	health_stat_add(&h->nl_us, 450);
	h->reload = (struct health_reload){.count = 2,
					   .rejected = 1,
					   .last_us = 2500,
					   .parse_us = 2000,
					   .diff_us = 100,
					   .apply_us = 400,
					   .max_us = 3000,
					   .turn_max_us = 600};
	h->procs_started = 12;
	h->checks_run = 345;
	return 0;
}

static const char *str(struct ctl_buf *b)
{
	assert_false(b->oom);
	ctl_buf_printf(b, "%s", "");
	assert_non_null(b->p);
	return b->p;
}

static void test_text(void **state)
{
	(void)state;
	struct ctl_buf b = {0};

	ctl_health_text(&b, &snap);
	// clang-format off
	assert_string_equal(str(&b),
	    "\n"
	    "LOOP: 5000 turns, busy 0.500 s (0.050 % of 1000 s up); longest turn 1.200 ms since start, 0.300 ms in the last minute\n"
	    "ADVERT LATENESS: 100 adverts sent by their timer, avg 0.224 ms, max 20.000 ms\n"
	    "  <=50us  <=100us  <=200us  <=400us  <=800us  <=1.6ms  <=3.2ms  <=6.4ms  <=12.8ms  >12.8ms\n"
	    "  90      9        0        0        0        0        0        0        0         1\n"
	    "NETLINK: 2 batches, messages avg 4.0 max 7, send to last ack avg 0.300 ms max 0.450 ms\n"
	    "RELOAD: 2 (1 rejected); last applied in 2.500 ms (parse 2.000, diff 0.100, apply 0.400 ms; longest loop turn 0.600 ms); longest 3.000 ms\n"
	    "PROCESSES: 12 started (scripts, notify, mail); built-in checks: 345 runs, no process\n");
	// clang-format on
	ctl_buf_free(&b);

	/* a daemon that has done nothing yet */
	memset(&snap.health, 0, sizeof(snap.health));
	ctl_health_text(&b, &snap);
	const char *s = str(&b);
	assert_non_null(strstr(s, "ADVERT LATENESS: 0 adverts sent by their timer, avg 0.000 ms"));
	assert_non_null(strstr(s, "\nRELOAD: 0 (0 rejected)\n"));
	assert_non_null(strstr(s, "\nPROCESSES: 0 started (scripts, notify, mail); built-in "
				  "checks: 0 runs, no process\n"));
	ctl_buf_free(&b);
}

/* The section comes with `stats` of every instance, not of one. */
static void test_in_stats(void **state)
{
	(void)state;
	struct ctl_buf b = {0};

	assert_int_equal(ctl_format_stats(&b, &snap, NULL, false), 0);
	assert_non_null(strstr(str(&b), "\n\nLOOP: 5000 turns"));
	assert_non_null(strstr(str(&b), "\nVI_1      eth0   51    101   0         0            0"
					"              20.000ms  -\n"));
	ctl_buf_free(&b);
	assert_int_equal(ctl_format_stats(&b, &snap, "VI_1", false), 0);
	assert_null(strstr(str(&b), "LOOP"));
	ctl_buf_free(&b);
}

static void test_json(void **state)
{
	(void)state;
	struct ctl_buf b = {0};

	assert_int_equal(ctl_format_stats(&b, &snap, NULL, true), 0);
	const char *s = str(&b);
	assert_true(json_valid(s));
	assert_non_null(strstr(s, "\"adverts_timed\":100,\"advert_late_max_us\":20000}"));
	assert_non_null(strstr(
	    s, "\"health\":{\"loop\":{\"turns\":5000,\"busy_us\":500000,\"longest_turn_us\":1200,"
	       "\"longest_turn_last_minute_us\":300},\"advert_lateness\":{\"count\":100,"
	       "\"sum_us\":22430,\"max_us\":20000,\"buckets\":[{\"le_us\":50,\"count\":90},"
	       "{\"le_us\":100,\"count\":9},{\"le_us\":200,\"count\":0},"));
	assert_non_null(strstr(s, "{\"le_us\":12800,\"count\":0},{\"le_us\":null,\"count\":1}]}"));
	assert_non_null(
	    strstr(s, "\"netlink\":{\"batches\":2,\"messages\":8,\"messages_max\":7,"
		      "\"messages_avg\":4.000,\"time_us_sum\":600,\"time_us_max\":450,"
		      "\"time_us_avg\":300.000,\"last_messages\":7,\"last_time_us\":450}"));
	assert_non_null(strstr(
	    s,
	    "\"reload\":{\"count\":2,\"rejected\":1,\"longest_us\":3000,"
	    "\"last\":{\"rejected\":false,\"total_us\":2500,\"parse_us\":2000,"
	    "\"diff_us\":100,\"apply_us\":400,\"longest_turn_us\":600}},\"processes_started\":12,"
	    "\"checks_run\":345}}\n"));
	ctl_buf_free(&b);

	/* one instance: the health member is still there; nothing known yet */
	memset(&snap.health, 0, sizeof(snap.health));
	inst.late_n = 0;
	assert_int_equal(ctl_format_stats(&b, &snap, "VI_1", true), 0);
	s = str(&b);
	assert_true(json_valid(s));
	assert_non_null(strstr(s, "\"advert_late_max_us\":null}"));
	assert_non_null(strstr(s, "\"last\":null},\"processes_started\":0,\"checks_run\":0}}\n"));
	ctl_buf_free(&b);
}

/* The value of the sample line that starts with PREFIX (then a space). */
static const char *sample(const char *s, const char *prefix)
{
	char want[256];

	snprintf(want, sizeof(want), "\n%s ", prefix);
	const char *p = strstr(s, want);
	assert_non_null(p);
	return p + strlen(want);
}

/* Checks that every sample's value is a plain decimal number (no exponent,
 * which the lab's format check refuses); returns how many lines are
 * buckets of the lateness histogram. */
static int count_buckets(const char *s)
{
	int n = 0;

	for (const char *line = s; *line; line = strchr(line, '\n') + 1) {
		const char *end = strchr(line, '\n');
		assert_non_null(end);
		if (line[0] == '#')
			continue;
		const char *v = end;
		while (v > line && v[-1] != ' ')
			v--;
		assert_true(v > line && v < end);
		for (const char *p = v; p < end; p++)
			assert_true((*p >= '0' && *p <= '9') || *p == '.');
		n += !strncmp(line, "vrrpd_advert_lateness_seconds_bucket{", 37);
	}
	return n;
}

static void test_metrics(void **state)
{
	(void)state;
	static const char *const families[][2] = {
	    {"vrrpd_loop_turns_total", "counter"},
	    {"vrrpd_loop_busy_seconds_total", "counter"},
	    {"vrrpd_loop_turn_max_seconds", "gauge"},
	    {"vrrpd_advert_lateness_seconds", "histogram"},
	    {"vrrpd_advert_lateness_max_seconds", "gauge"},
	    {"vrrpd_instance_advert_lateness_max_seconds", "gauge"},
	    {"vrrpd_netlink_batches_total", "counter"},
	    {"vrrpd_netlink_batch_messages_total", "counter"},
	    {"vrrpd_netlink_batch_messages_max", "gauge"},
	    {"vrrpd_netlink_batch_seconds_total", "counter"},
	    {"vrrpd_netlink_batch_seconds_max", "gauge"},
	    {"vrrpd_reloads_total", "counter"},
	    {"vrrpd_reloads_rejected_total", "counter"},
	    {"vrrpd_reload_last_seconds", "gauge"},
	    {"vrrpd_reload_max_seconds", "gauge"},
	    {"vrrpd_processes_started_total", "counter"},
	    {"vrrpd_check_runs_total", "counter"},
	};
	struct ctl_buf b = {0};
	char want[256];

	ctl_format_metrics(&b, &snap);
	const char *s = str(&b);
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		snprintf(want, sizeof(want), "\n# HELP %s ", families[i][0]);
		assert_non_null(strstr(s, want));
		snprintf(want, sizeof(want), "\n# TYPE %s %s\n", families[i][0], families[i][1]);
		assert_non_null(strstr(s, want));
	}
	assert_memory_equal(sample(s, "vrrpd_loop_turns_total"), "5000\n", 5);
	assert_memory_equal(sample(s, "vrrpd_loop_busy_seconds_total"), "0.500000\n", 9);
	assert_memory_equal(sample(s, "vrrpd_loop_turn_max_seconds{window=\"start\"}"),
			    "0.001200\n", 9);
	assert_memory_equal(sample(s, "vrrpd_loop_turn_max_seconds{window=\"1m\"}"), "0.000300\n",
			    9);
	/* the histogram's buckets are cumulative, +Inf equals the count */
	assert_memory_equal(sample(s, "vrrpd_advert_lateness_seconds_bucket{le=\"0.000050\"}"),
			    "90\n", 3);
	assert_memory_equal(sample(s, "vrrpd_advert_lateness_seconds_bucket{le=\"0.000100\"}"),
			    "99\n", 3);
	assert_memory_equal(sample(s, "vrrpd_advert_lateness_seconds_bucket{le=\"0.012800\"}"),
			    "99\n", 3);
	assert_memory_equal(sample(s, "vrrpd_advert_lateness_seconds_bucket{le=\"+Inf\"}"), "100\n",
			    4);
	assert_memory_equal(sample(s, "vrrpd_advert_lateness_seconds_count"), "100\n", 4);
	assert_memory_equal(sample(s, "vrrpd_advert_lateness_seconds_sum"), "0.022430\n", 9);
	assert_memory_equal(sample(s,
				   "vrrpd_instance_advert_lateness_max_seconds{instance=\"VI_1\","
				   "interface=\"eth0\",vrid=\"51\"}"),
			    "0.020000\n", 9);
	assert_memory_equal(sample(s, "vrrpd_netlink_batch_messages_max"), "7\n", 2);
	assert_memory_equal(sample(s, "vrrpd_netlink_batch_seconds_max"), "0.000450\n", 9);
	assert_memory_equal(sample(s, "vrrpd_reload_last_seconds{phase=\"parse\"}"), "0.002000\n",
			    9);
	assert_memory_equal(sample(s, "vrrpd_reload_max_seconds"), "0.003000\n", 9);
	assert_memory_equal(sample(s, "vrrpd_processes_started_total"), "12\n", 3);
	assert_memory_equal(sample(s, "vrrpd_check_runs_total"), "345\n", 4);
	assert_int_equal(count_buckets(s), HEALTH_BUCKETS);
	ctl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_text, setup),
	    cmocka_unit_test_setup(test_in_stats, setup),
	    cmocka_unit_test_setup(test_json, setup),
	    cmocka_unit_test_setup(test_metrics, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
