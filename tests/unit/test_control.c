/* Unit tests for the control formatters (src/ops/ctl_*.c): status table and
 * JSON, stats, Prometheus metrics, keepalived-style data/stats files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "json_check.h"
#include "ops/control.h"

#define NOW 1700000000.0 /* 2023-11-14 22:13:20 UTC */

static struct ctl_instance insts[3];
static struct ctl_iface ifaces[1];
static struct ctl_snapshot snap;

static void set_addr(struct vaddr *a, const char *s)
{
	assert_int_equal(addr_parse(s, a), 0);
}

/* VI_1: master, 150 (tracked down to 140), since 3m12s.
 * VI_long_name: backup of 192.0.2.1, since two days and three hours.
 * V3: INIT, never transitioned, master unknown. */
static int setup(void **state)
{
	(void)state;
	memset(insts, 0, sizeof(insts));
	memset(ifaces, 0, sizeof(ifaces));

	struct ctl_instance *a = &insts[0];
	snprintf(a->name, sizeof(a->name), "VI_1");
	snprintf(a->ifname, sizeof(a->ifname), "eth0");
	a->vrid = 51;
	a->version = 3;
	a->family = AF_INET;
	a->state = "MASTER";
	a->priority = 150;
	a->effective_priority = 140;
	a->advert_int_cs = 100;
	a->master_adver_int_cs = 100;
	set_addr(&a->primary, "192.0.2.1");
	set_addr(&a->master, "192.0.2.1");
	a->master_priority = 140;
	a->since = NOW - 192;
	snprintf(a->reason, sizeof(a->reason), "master down: no advert for 3.61 s");
	a->n_vips = 2;
	a->vips_installed = true;
	a->adverts_sent = 1234;
	a->adverts_received = 7;
	a->transitions = 2;
	a->addr_mismatch = 1;
	a->drops[PKT_DROP_TTL] = 3;
	a->drops[PKT_DROP_AUTH] = 1;
	a->late_n = 1200;
	a->late_max_us = 312;

	struct ctl_instance *b = &insts[1];
	snprintf(b->name, sizeof(b->name), "VI_long_name");
	snprintf(b->ifname, sizeof(b->ifname), "bond0.100");
	b->vrid = 7;
	b->version = 2;
	b->family = AF_INET;
	b->state = "BACKUP";
	b->priority = 100;
	b->effective_priority = 100;
	b->advert_int_cs = 50;
	b->master_adver_int_cs = 50;
	set_addr(&b->primary, "192.0.2.2");
	set_addr(&b->master, "192.0.2.1");
	b->master_priority = 150;
	b->since = NOW - (2 * 86400 + 3 * 3600);
	snprintf(b->reason, sizeof(b->reason), "higher priority master 192.0.2.1 (150)");
	b->n_vips = 1;
	b->adverts_received = 99;
	b->transitions = 1;

	struct ctl_instance *c = &insts[2];
	snprintf(c->name, sizeof(c->name), "V3");
	snprintf(c->ifname, sizeof(c->ifname), "eth1");
	c->vrid = 200;
	c->version = 3;
	c->family = AF_INET6;
	c->state = "INIT";
	c->priority = 255;
	c->effective_priority = 255;
	c->advert_int_cs = 10;
	set_addr(&c->primary, "2001:db8::1");
	c->n_vips = 3;

	snprintf(ifaces[0].ifname, sizeof(ifaces[0].ifname), "eth0");
	ifaces[0].drops[PKT_DROP_VRID] = 12;
	ifaces[0].drops[PKT_DROP_CSUM] = 2;

	snap = (struct ctl_snapshot){.router_id = "lb-1",
				     .started = NOW - 3600.5,
				     .now = NOW,
				     .inst = insts,
				     .n_inst = 3,
				     .ifaces = ifaces,
				     .n_ifaces = 1};
	return 0;
}

/* NUL-terminated contents of a buffer. */
static const char *str(struct ctl_buf *b)
{
	assert_false(b->oom);
	ctl_buf_printf(b, "%s", "");
	assert_non_null(b->p);
	return b->p;
}

/* ------------------------------------------------- the JSON checker */

static void test_json_checker(void **state)
{
	(void)state;
	assert_true(json_valid("{\"a\":[1,2.5,-3,true,false,null,\"x\\u0001\\n\"]}"));
	assert_false(json_valid("{\"a\":1,}"));
	assert_false(json_valid("{\"a\":\"x\ny\"}"));
	assert_false(json_valid("{\"a\":\"\\x\"}"));
	assert_false(json_valid("{\"a\":\"\xff\"}"));
	assert_false(json_valid("[1] x"));
}

/* ----------------------------------------------------------------- status */

static void test_status_table(void **state)
{
	(void)state;
	struct ctl_buf b = {0};

	/* the table exactly as it prints */
	// clang-format off
	assert_int_equal(ctl_format_status(&b, &snap, NULL, false), 0);
	assert_string_equal(str(&b),
	    "INSTANCE      IFACE      VRID  STATE   PRIO     MASTER     SINCE                            REASON\n"
	    "VI_1          eth0       51    MASTER  150/140  192.0.2.1  22:10:08 (3m12s ago)             master down: no advert for 3.61 s\n"
	    "VI_long_name  bond0.100  7     BACKUP  100      192.0.2.1  2023-11-12 19:13:20 (2d03h ago)  higher priority master 192.0.2.1 (150)\n"
	    "V3            eth1       200   INIT    255      -          -                                -\n");
	// clang-format on
	ctl_buf_free(&b);
}

static void test_status_one_and_unknown(void **state)
{
	(void)state;
	struct ctl_buf b = {0};

	assert_int_equal(ctl_format_status(&b, &snap, "V3", false), 0);
	assert_string_equal(str(&b), "INSTANCE  IFACE  VRID  STATE  PRIO  MASTER  SINCE  REASON\n"
				     "V3        eth1   200   INIT   255   -       -      -\n");
	ctl_buf_free(&b);

	/* "" means all */
	assert_int_equal(ctl_format_status(&b, &snap, "", false), 0);
	assert_non_null(strstr(str(&b), "VI_long_name"));
	ctl_buf_free(&b);

	assert_int_equal(ctl_format_status(&b, &snap, "nope", false), -1);
	assert_string_equal(str(&b), "no instance nope\n");
	ctl_buf_free(&b);
	assert_int_equal(ctl_format_status(&b, &snap, "nope", true), -1);
	assert_string_equal(str(&b), "no instance nope\n");
	ctl_buf_free(&b);
	assert_int_equal(ctl_format_stats(&b, &snap, "vi_1", false), -1);
	assert_string_equal(str(&b), "no instance vi_1\n");
	ctl_buf_free(&b);
	assert_int_equal(ctl_format_stats(&b, &snap, "VI_9", true), -1);
	ctl_buf_free(&b);
}

static void test_status_ages(void **state)
{
	(void)state;
	static const struct {
		double ago;
		const char *want;
	} cases[] = {
	    {0, "22:13:20 (0s ago)"},	    {59.9, "22:12:20 (59s ago)"},
	    {60, "22:12:20 (1m00s ago)"},   {3599, "21:13:21 (59m59s ago)"},
	    {3600, "21:13:20 (1h00m ago)"}, {-5, "22:13:25 (0s ago)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ctl_buf b = {0};
		insts[2].since = NOW - cases[i].ago;
		assert_int_equal(ctl_format_status(&b, &snap, "V3", false), 0);
		assert_non_null(strstr(str(&b), cases[i].want));
		ctl_buf_free(&b);
	}
}

static void test_status_json_exact(void **state)
{
	(void)state;
	struct ctl_buf b = {0};

	assert_int_equal(ctl_format_status(&b, &snap, "VI_1", true), 0);
	assert_string_equal(
	    str(&b),
	    "{\"router_id\":\"lb-1\",\"instances\":[{\"name\":\"VI_1\",\"interface\":\"eth0\","
	    "\"vrid\":51,\"version\":3,\"family\":\"inet\",\"state\":\"MASTER\",\"priority\":150,"
	    "\"effective_priority\":140,\"advert_int_cs\":100,\"master_adver_int_cs\":100,"
	    "\"primary\":\"192.0.2.1\",\"master\":\"192.0.2.1\",\"master_priority\":140,"
	    "\"since\":1699999808.000,\"since_seconds_ago\":192.000,"
	    "\"reason\":\"master down: no advert for 3.61 s\",\"n_vips\":2,\"vips_installed\":true,"
	    "\"adverts_sent\":1234,\"adverts_received\":7,\"transitions\":2,\"addr_mismatch\":1,"
	    "\"drops\":{\"bad-ip-header\":0,\"bad-ttl\":3,\"too-short\":0,\"bad-version\":0,"
	    "\"bad-type\":0,\"bad-checksum\":0,\"zero-count\":0,\"zero-interval\":0,"
	    "\"unknown-vrid\":0,\"version-mismatch\":0,\"auth-mismatch\":1,"
	    "\"interval-mismatch\":0,\"own-packet\":0,\"not-a-peer\":0,"
	    "\"owner-ignores\":0},\"paths\":[],"
	    "\"conflict\":{\"count\":0,\"by_kind\":{\"lower_master\":0,\"mismatch\":0,"
	    "\"address\":0},\"current\":null}}]}\n");
	ctl_buf_free(&b);

	/* unknown master and time: null; IPv6 family */
	assert_int_equal(ctl_format_status(&b, &snap, "V3", true), 0);
	assert_non_null(strstr(str(&b), "\"family\":\"inet6\""));
	assert_non_null(strstr(str(&b), "\"primary\":\"2001:db8::1\",\"master\":null"));
	assert_non_null(strstr(str(&b), "\"since\":null,\"since_seconds_ago\":null"));
	assert_true(json_valid(str(&b)));
	ctl_buf_free(&b);

	assert_int_equal(ctl_format_status(&b, &snap, NULL, true), 0);
	assert_true(json_valid(str(&b)));
	ctl_buf_free(&b);

	/* no instances at all */
	struct ctl_snapshot empty = {.router_id = NULL, .now = NOW};
	assert_int_equal(ctl_format_status(&b, &empty, NULL, true), 0);
	assert_string_equal(str(&b), "{\"router_id\":\"\",\"instances\":[]}\n");
	ctl_buf_free(&b);
	assert_int_equal(ctl_format_status(&b, &empty, NULL, false), 0);
	assert_string_equal(str(&b), "INSTANCE  IFACE  VRID  STATE  PRIO  MASTER  SINCE  REASON\n");
	ctl_buf_free(&b);
}

static void test_json_escaping(void **state)
{
	(void)state;
	struct ctl_buf b = {0};

	snprintf(insts[0].name, sizeof(insts[0].name), "a\"b\\c");
	snprintf(insts[0].reason, sizeof(insts[0].reason),
		 "x\ny\tz\x01\x1f\x7f"
		 "caf\xc3\xa9 \xff!");
	snap.router_id = "r\"1";
	assert_int_equal(ctl_format_status(&b, &snap, "a\"b\\c", true), 0);
	const char *s = str(&b);
	assert_true(json_valid(s));
	assert_non_null(strstr(s, "\"router_id\":\"r\\\"1\""));
	assert_non_null(strstr(s, "\"name\":\"a\\\"b\\\\c\""));
	assert_non_null(
	    strstr(s, "\"reason\":\"x\\ny\\tz\\u0001\\u001f\\u007fcaf\xc3\xa9 \\ufffd!\""));
	ctl_buf_free(&b);

	assert_int_equal(ctl_format_stats(&b, &snap, NULL, true), 0);
	assert_true(json_valid(str(&b)));
	ctl_buf_free(&b);

	/* the text table keeps one line per instance */
	assert_int_equal(ctl_format_status(&b, &snap, NULL, false), 0);
	int lines = 0;
	for (const char *p = str(&b); *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 4);
	ctl_buf_free(&b);
}

/* ------------------------------------------------------------------ stats */

static void test_stats_text(void **state)
{
	(void)state;
	struct ctl_buf b = {0};

	/* the tables exactly as they print (the health section that follows
	 * is test_ctl_health.c's) */
	// clang-format off
	static const char tables[] =
	    "INSTANCE      IFACE      VRID  SENT  RECEIVED  TRANSITIONS  ADDR-MISMATCH  LATE-MAX  DROPS\n"
	    "VI_1          eth0       51    1234  7         2            1              0.312ms   bad-ttl=3 auth-mismatch=1\n"
	    "VI_long_name  bond0.100  7     0     99        1            0              -         -\n"
	    "V3            eth1       200   0     0         0            0              -         -\n"
	    "\n"
	    "INTERFACE  DROPS (before an instance was known)\n"
	    "eth0       bad-checksum=2 unknown-vrid=12\n"
	    "\nLOOP: ";
	// clang-format on
	assert_int_equal(ctl_format_stats(&b, &snap, NULL, false), 0);
	assert_memory_equal(str(&b), tables, sizeof(tables) - 1);
	ctl_buf_free(&b);

	/* one instance: no interface section */
	assert_int_equal(ctl_format_stats(&b, &snap, "VI_long_name", false), 0);
	assert_string_equal(str(&b), "INSTANCE      IFACE      VRID  SENT  RECEIVED  TRANSITIONS  "
				     "ADDR-MISMATCH  LATE-MAX  DROPS\n"
				     "VI_long_name  bond0.100  7     0     99        1            "
				     "0              -         -\n");
	ctl_buf_free(&b);
}

static void test_stats_json(void **state)
{
	(void)state;
	struct ctl_buf b = {0};

	assert_int_equal(ctl_format_stats(&b, &snap, NULL, true), 0);
	const char *s = str(&b);
	assert_true(json_valid(s));
	assert_non_null(
	    strstr(s, "{\"name\":\"VI_1\",\"interface\":\"eth0\",\"vrid\":51,"
		      "\"adverts_sent\":1234,\"adverts_received\":7,\"transitions\":2,"
		      "\"addr_mismatch\":1,\"drops\":{\"bad-ip-header\":0,\"bad-ttl\":3,"));
	assert_non_null(strstr(s, "\"interfaces\":[{\"name\":\"eth0\",\"drops\":{"));
	assert_non_null(strstr(s, "\"unknown-vrid\":12"));
	ctl_buf_free(&b);

	assert_int_equal(ctl_format_stats(&b, &snap, "V3", true), 0);
	s = str(&b);
	assert_true(json_valid(s));
	assert_non_null(strstr(s, "\"interfaces\":[],\"health\":{\"loop\":{"));
	assert_null(strstr(s, "VI_1"));
	ctl_buf_free(&b);
}

/* ---------------------------------------------------------------- metrics */

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_metrics(void **state)
{
	(void)state;
	static const char *const families[] = {
	    "vrrpd_up",
	    "vrrpd_start_time_seconds",
	    "vrrpd_instance_state",
	    "vrrpd_instance_priority",
	    "vrrpd_instance_effective_priority",
	    "vrrpd_adverts_sent_total",
	    "vrrpd_adverts_received_total",
	    "vrrpd_transitions_total",
	    "vrrpd_address_list_mismatch_total",
	    "vrrpd_packets_dropped_total",
	};
	struct ctl_buf b = {0};
	char want[256];

	ctl_format_metrics(&b, &snap);
	const char *s = str(&b);

	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		snprintf(want, sizeof(want), "# HELP %s ", families[i]);
		assert_int_equal(count(s, want), 1);
		snprintf(want, sizeof(want), "# TYPE %s %s\n", families[i],
			 strstr(families[i], "_total") ? "counter" : "gauge");
		assert_int_equal(count(s, want), 1);
	}
	/* every sample line belongs to the family whose TYPE came last; the
	 * TYPE of a family comes before its samples */
	char fam[128] = "", type[16] = "";
	int samples = 0;
	for (const char *line = s; *line;) {
		const char *end = strchr(line, '\n');
		assert_non_null(end);
		if (!strncmp(line, "# TYPE ", 7)) {
			assert_int_equal(sscanf(line + 7, "%127s %15s", fam, type), 2);
		} else if (line[0] != '#') {
			size_t fl = strlen(fam);
			assert_true(fl > 0);
			assert_memory_equal(line, fam, fl);
			assert_true(line[fl] == '{' || line[fl] == ' ' ||
				    (!strcmp(type, "histogram") && line[fl] == '_'));
			samples++;
		}
		line = end + 1;
	}
	assert_true(samples > 20);

	assert_non_null(strstr(s, "\nvrrpd_up 1\n"));
	assert_non_null(strstr(s, "\nvrrpd_start_time_seconds 1699996399.500\n"));
	assert_non_null(strstr(s, "\nvrrpd_instance_state{instance=\"VI_1\",interface=\"eth0\","
				  "vrid=\"51\",state=\"MASTER\"} 1\n"));
	assert_non_null(strstr(s, "\nvrrpd_instance_state{instance=\"VI_1\",interface=\"eth0\","
				  "vrid=\"51\",state=\"BACKUP\"} 0\n"));
	assert_non_null(strstr(s, "\nvrrpd_instance_priority{instance=\"VI_1\",interface=\"eth0\","
				  "vrid=\"51\"} 150\n"));
	assert_non_null(strstr(s, "\nvrrpd_instance_effective_priority{instance=\"VI_1\","
				  "interface=\"eth0\",vrid=\"51\"} 140\n"));
	assert_non_null(strstr(s, "\nvrrpd_adverts_sent_total{instance=\"VI_1\",interface=\"eth0\","
				  "vrid=\"51\"} 1234\n"));
	assert_non_null(strstr(s, "\nvrrpd_adverts_received_total{instance=\"VI_long_name\","
				  "interface=\"bond0.100\",vrid=\"7\"} 99\n"));
	assert_non_null(strstr(s, "\nvrrpd_address_list_mismatch_total{instance=\"VI_1\","
				  "interface=\"eth0\",vrid=\"51\"} 1\n"));
	assert_non_null(strstr(s, "\nvrrpd_packets_dropped_total{instance=\"VI_1\","
				  "reason=\"bad-ttl\"} 3\n"));
	assert_non_null(strstr(s, "\nvrrpd_packets_dropped_total{interface=\"eth0\","
				  "reason=\"unknown-vrid\"} 12\n"));
	/* four state lines per instance, exactly one of them 1 */
	for (size_t i = 0; i < snap.n_inst; i++) {
		int lines = 0, ones = 0;
		snprintf(want, sizeof(want), "vrrpd_instance_state{instance=\"%s\",",
			 insts[i].name);
		for (const char *p = s; (p = strstr(p, want)); p++) {
			const char *end = strchr(p, '\n');
			lines++;
			ones += end[-1] == '1' && end[-2] == ' ';
		}
		assert_int_equal(lines, 4);
		assert_int_equal(ones, 1);
	}
	assert_int_equal(count(s, "state=\"INIT\"} 1\n"), 1);
	assert_int_equal(count(s, "state=\"BACKUP\"} 1\n"), 1);
	assert_int_equal(count(s, "state=\"MASTER\"} 1\n"), 1);
	ctl_buf_free(&b);
}

static void test_metrics_escaping(void **state)
{
	(void)state;
	struct ctl_buf b = {0};

	snprintf(insts[0].name, sizeof(insts[0].name), "q\"b\\n\nx");
	insts[1].state = "STOPPED"; /* not one of the four: reported as itself */
	ctl_format_metrics(&b, &snap);
	const char *s = str(&b);
	assert_non_null(
	    strstr(s, "vrrpd_instance_state{instance=\"q\\\"b\\\\n\\nx\",interface=\"eth0\","
		      "vrid=\"51\",state=\"MASTER\"} 1\n"));
	assert_non_null(strstr(s, "vrrpd_packets_dropped_total{instance=\"q\\\"b\\\\n\\nx\","
				  "reason=\"auth-mismatch\"} 1\n"));
	assert_non_null(strstr(s, "instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\","
				  "state=\"STOPPED\"} 1\n"));
	assert_non_null(strstr(s, "instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\","
				  "state=\"BACKUP\"} 0\n"));
	/* no raw newline inside a sample: every line starts with # or vrrpd_ */
	for (const char *line = s; *line; line = strchr(line, '\n') + 1)
		assert_true(line[0] == '#' || !strncmp(line, "vrrpd_", 6));
	ctl_buf_free(&b);
}

/* The exposition exactly as it prints (two instances): families in order,
 * every instance under each, drops only where not zero. */
static void test_metrics_exact(void **state)
{
	(void)state;
	struct ctl_buf b = {0};

	snap.n_inst = 2;
	ctl_format_metrics(&b, &snap);
	// clang-format off
	static const char want[] =
	    "# HELP vrrpd_up Whether vrrpd is running (always 1).\n"
	    "# TYPE vrrpd_up gauge\n"
	    "vrrpd_up 1\n"
	    "# HELP vrrpd_start_time_seconds Start time of the daemon since the Unix epoch in seconds.\n"
	    "# TYPE vrrpd_start_time_seconds gauge\n"
	    "vrrpd_start_time_seconds 1699996399.500\n"
	    "# HELP vrrpd_instance_state 1 for the current state of the instance, 0 for the others.\n"
	    "# TYPE vrrpd_instance_state gauge\n"
	    "vrrpd_instance_state{instance=\"VI_1\",interface=\"eth0\",vrid=\"51\",state=\"INIT\"} 0\n"
	    "vrrpd_instance_state{instance=\"VI_1\",interface=\"eth0\",vrid=\"51\",state=\"BACKUP\"} 0\n"
	    "vrrpd_instance_state{instance=\"VI_1\",interface=\"eth0\",vrid=\"51\",state=\"MASTER\"} 1\n"
	    "vrrpd_instance_state{instance=\"VI_1\",interface=\"eth0\",vrid=\"51\",state=\"FAULT\"} 0\n"
	    "vrrpd_instance_state{instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\",state=\"INIT\"} 0\n"
	    "vrrpd_instance_state{instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\",state=\"BACKUP\"} 1\n"
	    "vrrpd_instance_state{instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\",state=\"MASTER\"} 0\n"
	    "vrrpd_instance_state{instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\",state=\"FAULT\"} 0\n"
	    "# HELP vrrpd_instance_priority Configured priority.\n"
	    "# TYPE vrrpd_instance_priority gauge\n"
	    "vrrpd_instance_priority{instance=\"VI_1\",interface=\"eth0\",vrid=\"51\"} 150\n"
	    "vrrpd_instance_priority{instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\"} 100\n"
	    "# HELP vrrpd_instance_effective_priority Priority after tracking (interfaces, scripts, checks).\n"
	    "# TYPE vrrpd_instance_effective_priority gauge\n"
	    "vrrpd_instance_effective_priority{instance=\"VI_1\",interface=\"eth0\",vrid=\"51\"} 140\n"
	    "vrrpd_instance_effective_priority{instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\"} 100\n"
	    "# HELP vrrpd_adverts_sent_total VRRP advertisements sent.\n"
	    "# TYPE vrrpd_adverts_sent_total counter\n"
	    "vrrpd_adverts_sent_total{instance=\"VI_1\",interface=\"eth0\",vrid=\"51\"} 1234\n"
	    "vrrpd_adverts_sent_total{instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\"} 0\n"
	    "# HELP vrrpd_adverts_received_total VRRP advertisements received and accepted.\n"
	    "# TYPE vrrpd_adverts_received_total counter\n"
	    "vrrpd_adverts_received_total{instance=\"VI_1\",interface=\"eth0\",vrid=\"51\"} 7\n"
	    "vrrpd_adverts_received_total{instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\"} 99\n"
	    "# HELP vrrpd_transitions_total State transitions.\n"
	    "# TYPE vrrpd_transitions_total counter\n"
	    "vrrpd_transitions_total{instance=\"VI_1\",interface=\"eth0\",vrid=\"51\"} 2\n"
	    "vrrpd_transitions_total{instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\"} 1\n"
	    "# HELP vrrpd_address_list_mismatch_total Advertisements whose address list differs from ours.\n"
	    "# TYPE vrrpd_address_list_mismatch_total counter\n"
	    "vrrpd_address_list_mismatch_total{instance=\"VI_1\",interface=\"eth0\",vrid=\"51\"} 1\n"
	    "vrrpd_address_list_mismatch_total{instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\"} 0\n"
	    "# HELP vrrpd_conflicts_total Split-brain conflicts that started, by kind (lower_master, mismatch, address).\n"
	    "# TYPE vrrpd_conflicts_total counter\n"
    "vrrpd_conflicts_total{instance=\"VI_1\",interface=\"eth0\",vrid=\"51\",kind=\"lower_master\"} 0\n"
    "vrrpd_conflicts_total{instance=\"VI_1\",interface=\"eth0\",vrid=\"51\",kind=\"mismatch\"} 0\n"
    "vrrpd_conflicts_total{instance=\"VI_1\",interface=\"eth0\",vrid=\"51\",kind=\"address\"} 0\n"
    "vrrpd_conflicts_total{instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\",kind=\"lower_master\"} 0\n"
    "vrrpd_conflicts_total{instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\",kind=\"mismatch\"} 0\n"
    "vrrpd_conflicts_total{instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\",kind=\"address\"} 0\n"
	    "# HELP vrrpd_conflict_active 1 while the instance has a split-brain conflict, else 0.\n"
	    "# TYPE vrrpd_conflict_active gauge\n"
	    "vrrpd_conflict_active{instance=\"VI_1\",interface=\"eth0\",vrid=\"51\"} 0\n"
	    "vrrpd_conflict_active{instance=\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\"} 0\n"
	    "# HELP vrrpd_packets_dropped_total Packets dropped, by instance or by interface (before an instance was known), and reason.\n"
	    "# TYPE vrrpd_packets_dropped_total counter\n"
	    "vrrpd_packets_dropped_total{instance=\"VI_1\",reason=\"bad-ttl\"} 3\n"
	    "vrrpd_packets_dropped_total{instance=\"VI_1\",reason=\"auth-mismatch\"} 1\n"
	    "vrrpd_packets_dropped_total{interface=\"eth0\",reason=\"bad-checksum\"} 2\n"
	    "vrrpd_packets_dropped_total{interface=\"eth0\",reason=\"unknown-vrid\"} 12\n"
	    "# HELP vrrpd_instance_advert_lateness_max_seconds ";
	// clang-format on
	/* the health families that follow are test_ctl_health.c's */
	assert_memory_equal(str(&b), want, sizeof(want) - 1);
	ctl_buf_free(&b);
}

/* A conflict shows in all three formats: a line below the status table,
 * the JSON member "conflict" with its current one, and the metrics. */
static void test_conflict_formats(void **state)
{
	(void)state;
	struct ctl_buf b = {0};
	struct ctl_instance *in = &insts[1];

	in->conflicts[CONFLICT_LOWER_MASTER] = 1;
	in->conflicts[CONFLICT_MISMATCH] = 2;
	in->conflict_active = true;
	in->conflict_kind = CONFLICT_MISMATCH;
	snprintf(in->conflict_peer, sizeof(in->conflict_peer), "192.0.2.9");
	in->conflict_since = NOW - 75;
	snprintf(in->conflict_detail, sizeof(in->conflict_detail), "192.0.2.9 sends adverts");
	assert_int_equal(ctl_format_status(&b, &snap, "VI_long_name", true), 0);
	assert_true(json_valid(str(&b)));
	assert_non_null(strstr(str(&b),
			       "\"conflict\":{\"count\":3,\"by_kind\":{\"lower_master\":1,"
			       "\"mismatch\":2,\"address\":0},\"current\":{\"kind\":"
			       "\"mismatch\",\"peer\":\"192.0.2.9\",\"since\":1699999925.000,"
			       "\"detail\":\"192.0.2.9 sends adverts\"}}"));
	ctl_buf_free(&b);
	assert_int_equal(ctl_format_status(&b, &snap, NULL, false), 0);
	assert_non_null(strstr(str(&b), "\nVI_long_name: CONFLICT (mismatch) since "));
	assert_non_null(strstr(str(&b), " (1m15s ago): 192.0.2.9 sends adverts; 3 so far\n"));
	assert_null(strstr(str(&b), "VI_1: "));
	ctl_buf_free(&b);
	in->conflict_active = false;
	assert_int_equal(ctl_format_status(&b, &snap, "VI_long_name", false), 0);
	assert_non_null(strstr(str(&b), "\nVI_long_name: 3 conflict(s), none now\n"));
	ctl_buf_free(&b);
	in->conflict_active = true;
	ctl_format_metrics(&b, &snap);
	assert_non_null(strstr(str(&b), "vrrpd_conflicts_total{instance=\"VI_long_name\",interface="
					"\"bond0.100\",vrid=\"7\",kind=\"mismatch\"} 2\n"));
	assert_non_null(strstr(str(&b), "vrrpd_conflict_active{instance=\"VI_long_name\",interface="
					"\"bond0.100\",vrid=\"7\"} 1\n"));
	ctl_buf_free(&b);
}

/* heartbeat_path: a line per instance below the status table, the JSON
 * member "paths", and the metrics; nothing of it without a second path. */
static void test_path_formats(void **state)
{
	(void)state;
	struct ctl_buf b = {0};
	struct ctl_instance *in = &insts[1];

	in->n_paths = 2;
	in->paths[0] = (struct ctl_path){.state = "up", .heard = NOW - 0.25, .adverts = 40};
	snprintf(in->paths[0].ifname, sizeof(in->paths[0].ifname), "bond0.100");
	in->paths[1] = (struct ctl_path){.state = "down", .heard = NOW - 65, .adverts = 9};
	snprintf(in->paths[1].ifname, sizeof(in->paths[1].ifname), "eth9");
	assert_int_equal(ctl_format_status(&b, &snap, "VI_long_name", true), 0);
	assert_true(json_valid(str(&b)));
	assert_non_null(strstr(str(&b),
			       "\"paths\":[{\"path\":1,\"interface\":\"bond0.100\","
			       "\"state\":\"up\",\"heard\":1699999999.750,"
			       "\"heard_seconds_ago\":0.250,\"adverts\":40},{\"path\":2,"
			       "\"interface\":\"eth9\",\"state\":\"down\",\"heard\":"
			       "1699999935.000,\"heard_seconds_ago\":65.000,\"adverts\":9}]"));
	ctl_buf_free(&b);
	in->paths[1] = (struct ctl_path){.state = "idle"};
	snprintf(in->paths[1].ifname, sizeof(in->paths[1].ifname), "eth9");
	assert_int_equal(ctl_format_status(&b, &snap, "VI_long_name", true), 0);
	assert_non_null(strstr(str(&b), "\"state\":\"idle\",\"heard\":null,"
					"\"heard_seconds_ago\":null,\"adverts\":0}]"));
	ctl_buf_free(&b);
	in->paths[1] = (struct ctl_path){.state = "down", .heard = NOW - 65, .adverts = 9};
	snprintf(in->paths[1].ifname, sizeof(in->paths[1].ifname), "eth9");
	assert_int_equal(ctl_format_status(&b, &snap, NULL, false), 0);
	assert_non_null(strstr(str(&b), "\nVI_long_name: paths: 1 bond0.100 up (heard 22:13:19 ("));
	assert_non_null(strstr(str(&b), " ago), 40 adverts); 2 eth9 down (heard 22:12:15 (1m05s "
					"ago), 9 adverts)\n"));
	assert_null(strstr(str(&b), "VI_1: paths"));
	ctl_buf_free(&b);
	ctl_format_metrics(&b, &snap);
	assert_non_null(strstr(str(&b), "vrrpd_path_up{instance=\"VI_long_name\",interface="
					"\"bond0.100\",vrid=\"7\",path=\"1\",path_interface="
					"\"bond0.100\"} 1\n"));
	assert_non_null(strstr(str(&b), "vrrpd_path_up{instance=\"VI_long_name\",interface="
					"\"bond0.100\",vrid=\"7\",path=\"2\",path_interface="
					"\"eth9\"} 0\n"));
	assert_non_null(strstr(str(&b), "vrrpd_path_adverts_received_total{instance="
					"\"VI_long_name\",interface=\"bond0.100\",vrid=\"7\","
					"path=\"2\",path_interface=\"eth9\"} 9\n"));
	assert_null(strstr(str(&b), "vrrpd_path_up{instance=\"VI_1\""));
	ctl_buf_free(&b);
}

/* ------------------------------------------------------- data/stats files */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	static char buf[16384];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_write_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/vrrpd-test-control.XXXXXX", data[128], stats[128];
	struct stat st;

	assert_non_null(mkdtemp(dir));
	snprintf(data, sizeof(data), "%s/keepalived.data", dir);
	snprintf(stats, sizeof(stats), "%s/keepalived.stats", dir);
	mode_t old = umask(077);
	assert_int_equal(ctl_write_files(&snap, data, stats), 0);
	umask(old);

	assert_int_equal(stat(data, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	const char *d = slurp(data);
	assert_non_null(strstr(d, "------< VRRP Topology >------\n"));
	assert_non_null(strstr(d, " Router ID = lb-1\n"));
	assert_non_null(strstr(d,
			       " VRRP Instance = VI_1\n"
			       "   VRRP Version = 3\n"
			       "   State = MASTER\n"
			       "   Master router = 192.0.2.1\n"
			       "   Master priority = 140\n"
			       "   Last transition = 1699999808.000000 (Tue Nov 14 22:10:08 2023)\n"
			       "   Last transition reason = master down: no advert for 3.61 s\n"
			       "   Interface = eth0\n"
			       "   Using src_ip = 192.0.2.1\n"
			       "   Virtual Router ID = 51\n"
			       "   Priority = 150\n"
			       "   Effective priority = 140\n"
			       "   Advert interval = 1 sec\n"
			       "   Virtual IP = 2\n"));
	assert_non_null(strstr(d, "   Advert interval = 0.50 sec\n"));
	assert_non_null(strstr(d, " VRRP Instance = V3\n   VRRP Version = 3\n   State = INIT\n"
				  "   Last transition = 0.000000 (never)\n"));

	assert_int_equal(stat(stats, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	const char *s = slurp(stats);
	assert_non_null(strstr(s, "VRRP Instance: VI_1\n"
				  "  Advertisements:\n"
				  "    Received: 7\n"
				  "    Sent: 1234\n"
				  "  Transitions: 2\n"
				  "  Packet Errors:\n"
				  "    Address List: 1\n"
				  "    bad-ip-header: 0\n"
				  "    bad-ttl: 3\n"));
	assert_non_null(strstr(s, "VRRP Instance: VI_long_name\n  Advertisements:\n"
				  "    Received: 99\n    Sent: 0\n"));
	assert_non_null(strstr(s, "Interface: eth0\n  Packet Errors:\n"));
	assert_non_null(strstr(s, "    unknown-vrid: 12\n"));

	/* rewrite replaces atomically; NULL skips a file; no temp files left */
	unlink(stats);
	insts[0].adverts_sent = 5;
	assert_int_equal(ctl_write_files(&snap, NULL, stats), 0);
	assert_non_null(strstr(slurp(stats), "    Sent: 5\n"));
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "test $(ls %s | wc -l) -eq 2", dir);
	assert_int_equal(system(cmd), 0);

	/* an unwritable place fails with -1 */
	snprintf(data, sizeof(data), "%s/missing/keepalived.data", dir);
	assert_int_equal(ctl_write_files(&snap, data, NULL), -1);

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_buf_growth(void **state)
{
	(void)state;
	struct ctl_buf b = {0};
	char big[5000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (int i = 0; i < 100; i++)
		ctl_buf_printf(&b, "%d:%s\n", i, big);
	assert_false(b.oom);
	assert_int_equal(b.len, 100 * (sizeof(big) - 1 + 2) + 190);
	assert_true(b.cap > b.len);
	assert_int_equal(b.p[b.len], '\0');
	ctl_buf_free(&b);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_checker),
	    cmocka_unit_test_setup(test_status_table, setup),
	    cmocka_unit_test_setup(test_status_one_and_unknown, setup),
	    cmocka_unit_test_setup(test_status_ages, setup),
	    cmocka_unit_test_setup(test_status_json_exact, setup),
	    cmocka_unit_test_setup(test_json_escaping, setup),
	    cmocka_unit_test_setup(test_stats_text, setup),
	    cmocka_unit_test_setup(test_stats_json, setup),
	    cmocka_unit_test_setup(test_metrics, setup),
	    cmocka_unit_test_setup(test_metrics_escaping, setup),
	    cmocka_unit_test_setup(test_metrics_exact, setup),
	    cmocka_unit_test_setup(test_conflict_formats, setup),
	    cmocka_unit_test_setup(test_path_formats, setup),
	    cmocka_unit_test_setup(test_write_files, setup),
	    cmocka_unit_test(test_buf_growth),
	};
	return cmocka_run_group_tests_name("control", tests, NULL, NULL);
}
