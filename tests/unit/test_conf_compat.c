/* Unit tests for what keepalived accepts and vrrpd now takes as keepalived
 * reads it (issue 9): booleans, flags with an argument, prefixes where
 * they are ignored, users that do not exist, instances without addresses,
 * a vrrp_script given twice, state MASTER without a priority, global
 * defaults, mail addresses, and the accepted-but-not-applied summary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

#define SU   "global_defs {\n  script_user root\n}\n"
#define HEAD "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n"
#define VIPS "  virtual_ipaddress {\n    192.0.2.1\n  }\n"

static struct config *load(const char *text, struct conf_msgs *m)
{
	return conf_load_buffer("c.conf", text, strlen(text), m);
}

/* The message containing NEEDLE, or NULL. */
static const char *msg_with(const struct conf_msgs *m, const char *needle)
{
	for (size_t k = 0; k < m->n; k++)
		if (strstr(m->v[k], needle))
			return m->v[k];
	return NULL;
}

static void dump_msgs(const struct conf_msgs *m)
{
	for (size_t k = 0; k < m->n; k++)
		fprintf(stderr, "    %s\n", m->v[k]);
}

static struct config *load_ok(const char *text, struct conf_msgs *m)
{
	struct config *c = load(text, m);

	if (!c)
		dump_msgs(m);
	assert_non_null(c);
	return c;
}

static void test_booleans(void **state)
{
	struct conf_msgs m;
	struct config *c;

	(void)state;
	c = load_ok(SU HEAD VIPS "  nopreempt 1\n  strict_mode 0\n  lower_prio_no_advert 1\n}\n",
		    &m);
	assert_true(c->inst[0].nopreempt);
	assert_false(c->inst[0].strict_mode);
	assert_true(c->inst[0].lower_prio_no_advert);
	assert_int_equal(m.warnings, 0);
	conf_free(c);
	conf_msgs_free(&m);
	/* keepalived turns nopreempt on whatever follows it: so does vrrpd, loudly */
	c = load_ok(SU HEAD VIPS "  nopreempt false\n}\n", &m);
	assert_true(c->inst[0].nopreempt);
	assert_non_null(msg_with(&m, "c.conf:10:13: warning: keepalived ignores the 'false' after "
				     "'nopreempt' and turns nopreempt on"));
	conf_free(c);
	conf_msgs_free(&m);
	c = load_ok("global_defs {\n  script_user root\n  enable_script_security 0\n}\n" HEAD VIPS
		    "}\n",
		    &m);
	assert_true(c->global.script_security);
	assert_int_equal(m.warnings, 1);
	conf_free(c);
	conf_msgs_free(&m);
	assert_null(load(SU HEAD VIPS "  strict_mode 2\n}\n", &m));
	assert_non_null(msg_with(&m, "strict_mode takes true or false (or yes/no, on/off, 1/0)"));
	conf_msgs_free(&m);
}

static void test_peer_prefix(void **state)
{
	struct conf_msgs m;
	struct config *c;
	char a[ADDR_STRLEN];

	(void)state;
	c = load_ok(SU HEAD VIPS "  unicast_src_ip 192.0.2.9/24\n  unicast_peer {\n    "
				 "192.0.2.2/24\n  }\n}\n",
		    &m);
	assert_int_equal(c->inst[0].n_peers, 1);
	assert_string_equal(addr_str(&c->inst[0].peers[0], a), "192.0.2.2");
	assert_string_equal(addr_str(&c->inst[0].unicast_src, a), "192.0.2.9");
	assert_non_null(msg_with(&m, "c.conf:12:5: warning: the prefix of '192.0.2.2/24' is "
				     "ignored"));
	assert_int_equal(m.warnings, 2);
	conf_free(c);
	conf_msgs_free(&m);
	assert_null(load(SU HEAD VIPS "  unicast_peer {\n    192.0.2.300/24\n  }\n}\n", &m));
	assert_non_null(msg_with(&m, "'192.0.2.300/24' is not an IPv4 or IPv6 address"));
	conf_msgs_free(&m);
}

#define CHK "vrrp_script chk {\n  script /bin/true\n}\n"

static void test_missing_script_user(void **state)
{
	struct conf_msgs m;
	struct config *c;

	(void)state;
	c = load_ok("global_defs {\n  script_user no_such_user_vrrpd\n}\n" CHK HEAD VIPS
		    "  track_script {\n    chk\n  }\n  notify_master /bin/true\n"
		    "  notify_backup /bin/true root\n}\n",
		    &m);
	assert_int_equal(c->n_scripts, 0); /* disabled, as keepalived does */
	assert_int_equal(c->inst[0].n_track_scripts, 0);
	assert_null(c->inst[0].notify.master.line);
	assert_non_null(c->inst[0].notify.backup.line); /* its own user exists */
	assert_non_null(msg_with(&m, "user 'no_such_user_vrrpd' does not exist on this host"));
	assert_non_null(msg_with(&m, "vrrp_script chk is disabled: it would run as script_user"));
	assert_non_null(msg_with(&m, "track_script 'chk' in vrrp_instance VI_1 is ignored"));
	/* a second script_user that does not exist wins over a first that does,
	 * and the dump loads (fuzz finding C6: it printed script_user "") */
	conf_free(c);
	conf_msgs_free(&m);
	c = load_ok(
	    "global_defs {\n  script_user nobody\n  script_user no_such_user_vrrpd\n}\n" CHK HEAD
		VIPS "  track_script {\n    chk\n  }\n}\n",
	    &m);
	assert_false(c->global.script_user_set);
	assert_int_equal(c->n_scripts, 0);
	char *dump = NULL;
	size_t dlen = 0;
	FILE *df = open_memstream(&dump, &dlen);
	conf_dump(c, df);
	fclose(df);
	assert_null(strstr(dump, "script_user \"\""));
	struct conf_msgs m2;
	struct config *c2 = conf_load_buffer("d.conf", dump, strlen(dump), &m2);
	if (!c2)
		dump_msgs(&m2);
	assert_non_null(c2);
	conf_free(c2);
	conf_msgs_free(&m2);
	free(dump);
	conf_free(c);
	conf_msgs_free(&m);
	c = load_ok("global_defs {\n  script_user no_such_user_vrrpd\n}\n" CHK HEAD VIPS
		    "  track_script {\n    chk\n  }\n  notify_master /bin/true\n"
		    "  notify_backup /bin/true root\n}\n",
		    &m);
	/* at the instance's line, column 1 (fuzz finding C5: it said column 0) */
	assert_non_null(
	    msg_with(&m, "c.conf:7:1: warning: notify_master of vrrp_instance VI_1 is disabled"));
	assert_int_equal(m.errors, 0);
	conf_free(c);
	conf_msgs_free(&m);
	/* a script's own user */
	c = load_ok(SU "vrrp_script chk {\n  script /bin/true\n  user no_such_user_vrrpd\n}\n"
		       "vrrp_script ok {\n  script /bin/true\n}\n" HEAD VIPS
		       "  track_script {\n    chk\n    ok\n  }\n}\n",
		    &m);
	assert_int_equal(c->n_scripts, 1);
	assert_string_equal(c->scripts[0].name, "ok");
	assert_int_equal(c->inst[0].n_track_scripts, 1);
	assert_string_equal(c->inst[0].track_scripts[0].name, "ok");
	assert_int_equal(c->inst[0].track_scripts[0].script, 0);
	assert_non_null(msg_with(&m, "vrrp_script chk is disabled, as keepalived does"));
	conf_free(c);
	conf_msgs_free(&m);
	/* a notify command's user */
	c = load_ok(SU HEAD VIPS "  notify_master /bin/echo hi\n}\n", &m);
	assert_null(c->inst[0].notify.master.line);
	assert_non_null(msg_with(&m, "user 'hi' does not exist on this host; this notify_master "
				     "of vrrp_instance VI_1 is disabled"));
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_no_vips(void **state)
{
	struct conf_msgs m;
	struct config *c;

	(void)state;
	c = load_ok(SU HEAD "  unicast_peer {\n    198.51.100.2\n  }\n}\n", &m);
	assert_int_equal(c->inst[0].n_vips, 0);
	assert_int_equal(c->inst[0].family, AF_INET); /* from the peers */
	assert_non_null(msg_with(&m, "vrrp_instance VI_1 has no virtual_ipaddress: it elects"));
	conf_free(c);
	conf_msgs_free(&m);
	c = load_ok(SU HEAD "  no_virtual_ipaddress\n  version 2\n}\n", &m);
	assert_int_equal(m.warnings, 0);
	conf_free(c);
	conf_msgs_free(&m);
	assert_null(load(SU HEAD "  version 3\n  no_virtual_ipaddress\n}\n", &m));
	assert_non_null(msg_with(&m, "a VRRP version 3 advert lists at least one address"));
	conf_msgs_free(&m);
}

static void test_duplicate_script(void **state)
{
	struct conf_msgs m;
	struct config *c;

	(void)state;
	c = load_ok(SU "vrrp_script chk {\n  script /bin/true\n  interval 2\n}\n"
		       "vrrp_script chk {\n  script /bin/false\n  interval 7\n}\n" HEAD VIPS
		       "  track_script {\n    chk\n  }\n}\n",
		    &m);
	assert_int_equal(c->n_scripts, 1);
	assert_int_equal(c->scripts[0].interval_ms, 2000); /* the first, as keepalived */
	assert_int_equal(c->inst[0].n_track_scripts, 1);
	assert_non_null(msg_with(&m, "c.conf:8:13: warning: vrrp_script 'chk' is defined again "
				     "(first at 4:13): the first one is used"));
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_master_priority(void **state)
{
	struct conf_msgs m;
	struct config *c;

	(void)state;
	c = load_ok(SU HEAD VIPS "  state MASTER\n}\n", &m);
	assert_int_equal(c->inst[0].priority, 255);
	assert_non_null(msg_with(&m, "state MASTER and no priority: it is the address owner"));
	conf_free(c);
	conf_msgs_free(&m);
	c = load_ok(SU HEAD VIPS "  state MASTER\n  priority 150\n  nopreempt\n}\n", &m);
	assert_int_equal(c->inst[0].priority, 150);
	assert_false(c->inst[0].nopreempt); /* keepalived clears it with state MASTER */
	assert_non_null(msg_with(&m, "nopreempt is turned off, as keepalived does"));
	assert_int_equal(m.warnings, 1);
	conf_free(c);
	conf_msgs_free(&m);
	c = load_ok(SU HEAD VIPS "  state BACKUP\n}\n", &m);
	assert_int_equal(c->inst[0].priority, 100);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_global_defaults(void **state)
{
	struct conf_msgs m;
	struct config *c;

	(void)state;
	c = load_ok(HEAD VIPS
		    "}\nvrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 52\n" VIPS
		    "  lower_prio_no_advert false\n  v3_checksum_as_v2 no\n}\n"
		    "global_defs {\n  script_user root\n  vrrp_lower_prio_no_advert\n  "
		    "v3_checksum_as_v2 on\n}\n",
		    &m);
	assert_true(c->inst[0].lower_prio_no_advert);
	assert_true(c->inst[0].v3_checksum_as_v2);
	assert_false(c->inst[1].lower_prio_no_advert);
	assert_false(c->inst[1].v3_checksum_as_v2);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_mail_addresses(void **state)
{
	struct conf_msgs m;
	struct config *c;

	(void)state;
	c = load_ok("global_defs {\n  script_user root\n  notification_email {\n    root\n    "
		    "\"a<b\"\n    ops@example.com\n  }\n  notification_email_from "
		    "\"a<b@example.com\"\n}\n" HEAD VIPS "}\n",
		    &m);
	assert_int_equal(c->global.n_notification_email, 2);
	assert_string_equal(c->global.notification_email[0], "root");
	assert_string_equal(c->global.notification_email[1], "ops@example.com");
	assert_non_null(msg_with(&m, "'a<b' cannot be sent to"));
	assert_int_equal(m.warnings, 2);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_summary(void **state)
{
	struct conf_msgs m;
	struct config *c;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	c = load_ok("global_defs {\n  script_user root\n  enable_snmp_vrrp\n  nftables x\n  "
		    "smtp_alert_vrrp\n}\n" HEAD VIPS
		    "  use_ipvlan\n  debug\n  debug\n}\nvirtual_server 192.0.2.9 80 {\n  "
		    "lb_kind DR\n}\n",
		    &m);
	assert_int_equal(c->n_ignored, 6);
	assert_string_equal(c->ignored[0].name, "enable_snmp_vrrp");
	assert_string_equal(c->ignored[0].section, "global_defs");
	assert_false(c->ignored[0].changes);
	assert_string_equal(c->ignored[0].where, "c.conf:3");
	assert_true(c->ignored[2].changes); /* smtp_alert_vrrp */
	assert_true(c->ignored[3].changes); /* use_ipvlan */
	assert_int_equal(c->ignored[4].count, 2);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	conf_summary(c, f);
	fclose(f);
	assert_non_null(strstr(buf, "summary: 1 instance(s), 1 virtual address(es) (+0 excluded)"));
	assert_non_null(strstr(buf, "not applied, no effect: global_defs enable_snmp_vrrp at "
				    "c.conf:3: SNMP\n"));
	assert_non_null(strstr(buf, "not applied, no effect: vrrp_instance debug at c.conf:14 (and "
				    "1 more)"));
	assert_non_null(strstr(buf, "not applied, changes behaviour: vrrp_instance use_ipvlan at "
				    "c.conf:13"));
	assert_non_null(strstr(buf, "not applied, no effect: top level virtual_server at "
				    "c.conf:17: LVS"));
	assert_non_null(strstr(buf, "summary: 6 keyword(s) accepted but not applied: 4 with no "
				    "effect, 2 that change behaviour"));
	free(buf);
	conf_free(c);
	conf_msgs_free(&m);
}

/* net_namespace NAME, in global_defs or at top level. */
static void test_net_namespace(void **state)
{
	struct conf_msgs m;
	struct config *c;

	(void)state;
	c = load_ok("global_defs {\n  net_namespace blue\n}\n" HEAD VIPS "}\n", &m);
	assert_string_equal(c->global.net_namespace, "blue");
	conf_free(c);
	conf_msgs_free(&m);
	c = load_ok("net_namespace red\n" HEAD VIPS "}\n", &m);
	assert_string_equal(c->global.net_namespace, "red");
	conf_free(c);
	conf_msgs_free(&m);
	c = load("global_defs {\n  net_namespace ../x\n}\n" HEAD VIPS "}\n", &m);
	assert_null(c);
	assert_non_null(msg_with(&m, "c.conf:2:17: net_namespace must be the name of a namespace"));
	conf_msgs_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_booleans),
	    cmocka_unit_test(test_peer_prefix),
	    cmocka_unit_test(test_missing_script_user),
	    cmocka_unit_test(test_no_vips),
	    cmocka_unit_test(test_duplicate_script),
	    cmocka_unit_test(test_master_priority),
	    cmocka_unit_test(test_global_defaults),
	    cmocka_unit_test(test_mail_addresses),
	    cmocka_unit_test(test_summary),
	    cmocka_unit_test(test_net_namespace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
