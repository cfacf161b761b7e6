/* Unit tests for the configuration of an instance's wire behaviour
 * (kw_instance.c, kw_global.c, check.c, check_net.c, dump.c): unicast
 * (check_unicast_src, unicast_ttl, unicast_fault_no_peer), what a Master
 * does about another master (higher_prio_send_advert, garp_lower_prio_*,
 * notify_master_rx_lower_pri), their global_defs defaults and strict mode.
 * Files are loaded from memory (conf_load_buffer), named w.conf; every
 * message is asserted whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

static void print_msgs(const struct conf_msgs *m)
{
	for (size_t k = 0; k < m->n; k++)
		fprintf(stderr, "    msg[%zu] = %s\n", k, m->v[k]);
}

/* Loads TEXT; expects a config (ERR NULL) and exactly the messages WANT
 * (NULL-terminated), or no config and the error ERR among the messages. */
static struct config *load(const char *text, const char *const *want, const char *err)
{
	struct conf_msgs m;
	struct config *c = conf_load_buffer("w.conf", text, strlen(text), &m);
	size_t n = 0;
	bool found = false;

	while (want && want[n])
		n++;
	if (err) {
		for (size_t k = 0; k < m.n; k++)
			found |= !strcmp(m.v[k], err);
		if (!found || c)
			print_msgs(&m);
		assert_null(c);
		assert_true(found);
		conf_msgs_free(&m);
		return NULL;
	}
	if (!c || m.n != n)
		print_msgs(&m);
	assert_non_null(c);
	assert_int_equal(m.n, n);
	for (size_t k = 0; k < n; k++)
		assert_string_equal(m.v[k], want[k]);
	conf_msgs_free(&m);
	return c;
}

/* Lines 1-6 an instance's head; the caller's lines from line 7. */
#define HEAD                                                                                       \
	"vrrp_instance VI_1 {\n"                                                                   \
	"  interface eth0\n"                                                                       \
	"  virtual_router_id 51\n"                                                                 \
	"  virtual_ipaddress {\n"                                                                  \
	"    192.0.2.10\n"                                                                         \
	"  }\n"
/* Another instance, VRID N, VIP 192.0.2.2N; its lines follow. */
#define HEAD_B(n)                                                                                  \
	"vrrp_instance VI_" #n " {\n  interface eth0\n  virtual_router_id " #n                     \
	"\n  virtual_ipaddress {\n    192.0.2.2" #n "\n  }\n"
#define PEERS "  unicast_src_ip 192.0.2.1\n  unicast_peer {\n    192.0.2.2\n  }\n"

/* The dump of C holds LINE. */
static void assert_dump_has(const struct config *c, const char *line)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	conf_dump(c, f);
	fclose(f);
	if (!strstr(buf, line))
		fprintf(stderr, "%s", buf);
	assert_non_null(strstr(buf, line));
	free(buf);
}

static void defaults(void **state)
{
	(void)state;
	struct config *c = load(HEAD PEERS "}\n", NULL, NULL);
	const struct conf_instance *in = &c->inst[0];

	assert_int_equal(in->unicast_ttl, 255);
	assert_false(in->unicast_fault_no_peer);
	assert_true(in->higher_prio_send_advert); /* vrrpd's default; keepalived's is off */
	assert_int_equal(in->garp.lower_delay_ms, 5000);
	assert_int_equal(in->garp.lower_repeat, 5);
	assert_null(in->notify.master_rx_lower.line);
	assert_dump_has(c, "\tcheck_unicast_src\t# always on");
	assert_dump_has(c, "\tunicast_ttl 255\n");
	assert_dump_has(c, "\thigher_prio_send_advert true\n");
	assert_dump_has(c, "\tgarp_lower_prio_delay 5\n");
	assert_dump_has(c, "\tgarp_lower_prio_repeat 5\n");
	assert_dump_has(c, "\tvrrp_higher_prio_send_advert true\n");
	conf_free(c);
}

/* keepalived: vrrp_garp_lower_prio_* default to vrrp_garp_master_delay /
 * _repeat; an instance takes global_defs' unless it writes its own. */
static void lower_prio_garp_defaults(void **state)
{
	(void)state;
	struct config *c = load("global_defs {\n  vrrp_garp_master_delay 3\n"
				"  vrrp_garp_master_repeat 2\n}\n" HEAD "}\n",
				NULL, NULL);
	assert_int_equal(c->global.garp.lower_delay_ms, 3000);
	assert_int_equal(c->global.garp.lower_repeat, 2);
	assert_int_equal(c->inst[0].garp.lower_delay_ms, 3000);
	assert_int_equal(c->inst[0].garp.lower_repeat, 2);
	assert_int_equal(c->inst[0].garp.master_repeat, 2);
	conf_free(c);

	c = load("global_defs {\n  vrrp_garp_lower_prio_delay 10\n"
		 "  vrrp_garp_lower_prio_repeat 1\n}\n" HEAD
		 "}\n" HEAD_B(2) "  garp_lower_prio_delay 0\n  garp_lower_prio_repeat 0\n}\n",
		 NULL, NULL);
	assert_int_equal(c->inst[0].garp.lower_delay_ms, 10000);
	assert_int_equal(c->inst[0].garp.lower_repeat, 1);
	assert_int_equal(c->inst[1].garp.lower_delay_ms, 0);
	assert_int_equal(c->inst[1].garp.lower_repeat, 0);
	assert_int_equal(c->inst[0].garp.master_delay_ms, 5000); /* untouched */
	assert_dump_has(c, "\tgarp_lower_prio_repeat 0\t# off\n");
	assert_dump_has(c, "\tvrrp_garp_lower_prio_delay 10\n");
	conf_free(c);

	load(HEAD "  garp_lower_prio_repeat 256\n}\n", NULL,
	     "w.conf:7:26: garp_lower_prio_repeat must be a number from 0 to 255, got '256'");
	load(HEAD "  garp_lower_prio_delay x\n}\n", NULL,
	     "w.conf:7:25: garp_lower_prio_delay must be a number of seconds from 0 to 3600, got "
	     "'x'");
}

static void higher_prio_send_advert(void **state)
{
	(void)state;
	struct config *c = load("global_defs {\n  vrrp_higher_prio_send_advert false\n}\n" HEAD
				"}\n" HEAD_B(3) "  higher_prio_send_advert\n}\n" HEAD_B(
				    4) "  higher_prio_send_advert off\n}\n",
				NULL, NULL);
	assert_false(c->global.higher_prio_send_advert);
	assert_false(c->inst[0].higher_prio_send_advert);
	assert_true(c->inst[1].higher_prio_send_advert);
	assert_false(c->inst[2].higher_prio_send_advert);
	assert_false(conf_instance_equal(&c->inst[0], &c->inst[1]));
	conf_free(c);
	load(HEAD "  higher_prio_send_advert maybe\n}\n", NULL,
	     "w.conf:7:27: higher_prio_send_advert takes true or false (or yes/no, on/off, 1/0), "
	     "got "
	     "'maybe'");
}

static void unicast_keywords(void **state)
{
	(void)state;
	const char *const warn[] = {
	    "w.conf:21:21: warning: check_unicast_src cannot be turned off: vrrpd always drops an "
	    "advert from an address that is not a unicast_peer (keepalived ignores the argument "
	    "too)",
	    "w.conf:22:15: warning: unicast_ttl 0 cannot be sent (the kernel refuses a TTL of 0); "
	    "using 1",
	    "w.conf:25:26: warning: vrrp_check_unicast_src cannot be turned off: vrrpd always "
	    "drops "
	    "an advert from an address that is not a unicast_peer",
	    NULL};
	struct config *c =
	    load(HEAD PEERS "  check_unicast_src\n"
			    "  unicast_ttl 64\n  unicast_fault_no_peer\n}\n" HEAD_B(
				2) "  check_unicast_src false\n  unicast_ttl 0\n}\nglobal_defs {\n"
				   "  vrrp_check_unicast_src no\n}\n",
		 warn, NULL);
	assert_int_equal(c->inst[0].unicast_ttl, 64);
	assert_true(c->inst[0].unicast_fault_no_peer);
	assert_int_equal(c->inst[1].unicast_ttl, 1);
	assert_dump_has(c, "\tunicast_ttl 64\t# peers' adverts accepted with any TTL\n");
	conf_free(c);

	c = load(HEAD "  unicast_fault_no_peer\n}\n", NULL, NULL);
	assert_true(c->inst[0].unicast_fault_no_peer);
	assert_int_equal(c->inst[0].n_peers, 0);
	assert_dump_has(c, "\tunicast_fault_no_peer\t# no unicast_peer: FAULT\n");
	conf_free(c);

	load(HEAD "  unicast_ttl 256\n}\n", NULL,
	     "w.conf:7:15: unicast_ttl must be a number from 0 to 255, got '256'");
	load(HEAD "  unicast_ttl\n}\n", NULL, "w.conf:7:3: expected a number after 'unicast_ttl'");
}

static void notify_master_rx_lower_pri(void **state)
{
	(void)state;
	struct config *c =
	    load(HEAD "  notify_master_rx_lower_pri \"/bin/echo lower\" root\n}\n", NULL, NULL);
	const struct conf_cmd *cmd = &c->inst[0].notify.master_rx_lower;

	assert_string_equal(cmd->line, "/bin/echo lower");
	assert_true(cmd->has_user);
	assert_int_equal(cmd->user.uid, 0);
	assert_dump_has(c, "\tnotify_master_rx_lower_pri ");
	conf_free(c);
	/* An instance's keyword, not a sync group's (keepalived's too). */
	load(HEAD "}\nvrrp_sync_group G {\n  group {\n    VI_1\n  }\n"
		  "  notify_master_rx_lower_pri /bin/true root\n}\n",
	     NULL, "w.conf:12:3: unknown keyword 'notify_master_rx_lower_pri' in vrrp_sync_group");
}

/* notify_conflict and fence_script (vrrpd's): an instance's own, and
 * global_defs' fence_script as the default of instances without one. */
static void conflict_commands(void **state)
{
	(void)state;
	struct config *c = load("global_defs {\n  fence_script \"/bin/echo g\" root\n}\n" HEAD
				"  notify_conflict \"/bin/echo c\" root\n}\n" HEAD_B(
				    2) "  fence_script \"/bin/echo own\" root\n}\n",
				NULL, NULL);

	assert_string_equal(c->inst[0].notify.conflict.line, "/bin/echo c");
	assert_string_equal(c->inst[0].notify.fence.line, "/bin/echo g");
	assert_true(c->inst[0].notify.fence.has_user);
	assert_non_null(c->inst[0].notify.fence.sc.argv);
	assert_null(c->inst[1].notify.conflict.line);
	assert_string_equal(c->inst[1].notify.fence.line, "/bin/echo own");
	assert_dump_has(c, "\tnotify_conflict \"/bin/echo c\"");
	assert_dump_has(c, "\tfence_script \"/bin/echo own\"");
	conf_free(c);
	c = load(HEAD "}\n", NULL, NULL);
	assert_null(c->inst[0].notify.fence.line);
	conf_free(c);
}

/* keepalived's strict mode: no extra adverts, no repeated GARPs. */
static void strict_mode(void **state)
{
	(void)state;
	struct config *c = load("global_defs {\n  vrrp_strict\n}\n" HEAD "}\n", NULL, NULL);

	assert_false(c->inst[0].higher_prio_send_advert);
	assert_int_equal(c->inst[0].garp.lower_repeat, 0);
	assert_int_equal(c->inst[0].garp.lower_delay_ms, 5000);
	conf_free(c);
	load(HEAD "  strict_mode\n  higher_prio_send_advert\n}\n", NULL,
	     "w.conf:8:3: higher_prio_send_advert is not allowed in strict mode (strict_mode at "
	     "7:3)");
	load(HEAD "  strict_mode\n  garp_lower_prio_repeat 2\n}\n", NULL,
	     "w.conf:8:26: garp_lower_prio_repeat must be 0 in strict mode (strict_mode at 7:3) "
	     "(no repeated gratuitous ARPs)");
	c = load(HEAD "  strict_mode\n  garp_lower_prio_repeat 0\n  higher_prio_send_advert "
		      "false\n}\n",
		 NULL, NULL);
	conf_free(c);
	const char *const warn[] = {"w.conf:2:3: warning: vrrp_higher_prio_send_advert does not "
				    "apply to vrrp_instance VI_1 in "
				    "strict mode (vrrp_strict at 3:3)",
				    NULL};
	c = load("global_defs {\n  vrrp_higher_prio_send_advert\n  vrrp_strict\n}\n" HEAD "}\n",
		 warn, NULL);
	assert_false(c->inst[0].higher_prio_send_advert);
	conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(defaults),
	    cmocka_unit_test(lower_prio_garp_defaults),
	    cmocka_unit_test(higher_prio_send_advert),
	    cmocka_unit_test(unicast_keywords),
	    cmocka_unit_test(notify_master_rx_lower_pri),
	    cmocka_unit_test(strict_mode),
	    cmocka_unit_test(conflict_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
