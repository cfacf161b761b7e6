/* Unit tests for the keywords that change who becomes master and when
 * outside the RFC's election (kw_failover.c, check_net.c, dump.c):
 * down_timer_adverts / vrrp_down_timer_adverts and owner_ignore_adverts /
 * vrrp_owner_ignore_adverts, with keepalived's owner rule and strict mode;
 * track_src_ip; interface_up_down_delays; weights in sync groups
 * (sync_group_tracking_weight, global_tracking) and of the owner.
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
#include <sys/socket.h>

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

static void down_timer_adverts(void **state)
{
	(void)state;
	struct config *c = load(HEAD "}\n", NULL, NULL);

	assert_int_equal(c->inst[0].down_timer_adverts, 3); /* the RFC's */
	assert_dump_has(c, "\tdown_timer_adverts 3\n");
	assert_dump_has(c, "master_down_interval 3.609 s\n");
	conf_free(c);
	c = load("global_defs {\n  vrrp_down_timer_adverts 5\n}\n" HEAD
		 "}\n" HEAD_B(2) "  down_timer_adverts 1\n}\n",
		 NULL, NULL);
	assert_int_equal(c->global.down_timer_adverts, 5);
	assert_int_equal(c->inst[0].down_timer_adverts, 5); /* the global default */
	assert_int_equal(c->inst[1].down_timer_adverts, 1); /* its own */
	assert_dump_has(c, "\tvrrp_down_timer_adverts 5\n");
	assert_dump_has(c, "master_down_interval 5.609 s\n"); /* 5 x 1 s + (256-100)/256 */
	assert_dump_has(c, "master_down_interval 1.609 s\n");
	conf_free(c);
	load(HEAD "  down_timer_adverts 0\n}\n", NULL,
	     "w.conf:7:22: down_timer_adverts must be a number from 1 to 100, got '0'");
	load(HEAD "  down_timer_adverts 101\n}\n", NULL,
	     "w.conf:7:22: down_timer_adverts must be a number from 1 to 100, got '101'");
	/* strict mode: only the RFC's 3, wherever the other value comes from */
	load(HEAD "  strict_mode\n  down_timer_adverts 4\n}\n", NULL,
	     "w.conf:8:3: down_timer_adverts 4 is not allowed in strict mode (strict_mode at 7:3) "
	     "(RFC 5798: 3 adverts)");
	load("global_defs {\n  vrrp_down_timer_adverts 2\n  vrrp_strict\n}\n" HEAD "}\n", NULL,
	     "w.conf:2:3: down_timer_adverts 2 is not allowed in strict mode (vrrp_strict at "
	     "3:3) (RFC 5798: 3 adverts)");
	c = load(HEAD "  strict_mode\n  down_timer_adverts 3\n}\n", NULL, NULL);
	conf_free(c);
}

static void owner_ignore_adverts(void **state)
{
	(void)state;
	struct config *c = load(HEAD "  priority 255\n}\n" HEAD_B(2) "}\n", NULL, NULL);

	assert_false(c->inst[0].owner_ignore_adverts); /* keepalived's default: off */
	assert_false(c->inst[1].owner_ignore_adverts);
	assert_dump_has(c, "\towner_ignore_adverts false\n");
	assert_dump_has(c, "\tvrrp_owner_ignore_adverts false\n");
	conf_free(c);
	c = load("global_defs {\n  vrrp_owner_ignore_adverts\n}\n" HEAD
		 "  priority 255\n}\n" HEAD_B(2) "}\n" HEAD_B(
		     3) "  priority 255\n  owner_ignore_adverts false\n}\n",
		 NULL, NULL);
	assert_true(c->inst[0].owner_ignore_adverts);  /* the global default, an owner */
	assert_false(c->inst[1].owner_ignore_adverts); /* not an owner */
	assert_false(c->inst[2].owner_ignore_adverts); /* its own */
	assert_dump_has(c, "\towner_ignore_adverts true\n");
	conf_free(c);
	/* state MASTER without priority is the owner: the rule follows */
	const char *const w_owner[] = {
	    "w.conf:7:3: warning: vrrp_instance VI_1 has state MASTER and no priority: it is the "
	    "address owner (priority 255), as in keepalived; write a priority if it is not",
	    NULL};
	c = load(HEAD "  state MASTER\n  owner_ignore_adverts\n}\n", w_owner, NULL);
	assert_int_equal(c->inst[0].priority, 255);
	assert_true(c->inst[0].owner_ignore_adverts);
	conf_free(c);
	const char *const w_prio[] = {
	    "w.conf:8:3: warning: owner_ignore_adverts has no effect: vrrp_instance VI_1 has "
	    "priority 200, not 255 (the address owner); ignored, as keepalived does",
	    NULL};
	c = load(HEAD "  priority 200\n  owner_ignore_adverts on\n}\n", w_prio, NULL);
	assert_false(c->inst[0].owner_ignore_adverts);
	conf_free(c);
	/* strict mode: the owner ignores adverts, and cannot be told otherwise */
	c = load("global_defs {\n  vrrp_strict\n}\n" HEAD "  priority 255\n}\n" HEAD_B(2) "}\n",
		 NULL, NULL);
	assert_true(c->inst[0].owner_ignore_adverts);
	assert_false(c->inst[1].owner_ignore_adverts);
	conf_free(c);
	load(HEAD "  strict_mode\n  priority 255\n  owner_ignore_adverts false\n}\n", NULL,
	     "w.conf:9:3: owner_ignore_adverts false is not allowed for the address owner in "
	     "strict mode (strict_mode at 7:3)");
}

/* track_src_ip: only with a source address of the instance's own. */
static void track_src_ip(void **state)
{
	(void)state;
	struct config *c = load(HEAD "  mcast_src_ip 192.0.2.11\n  track_src_ip\n}\n", NULL, NULL);

	assert_true(c->inst[0].track_src_ip);
	assert_dump_has(c, "\ttrack_src_ip\n");
	conf_free(c);
	const char *const w[] = {
	    "w.conf:7:3: warning: track_src_ip has no effect without unicast_src_ip or "
	    "mcast_src_ip (ignored, as keepalived does; an instance without a source address of "
	    "its own goes to FAULT when its interface has none)",
	    NULL};
	c = load(HEAD "  track_src_ip\n}\n", w, NULL);
	assert_false(c->inst[0].track_src_ip);
	conf_free(c);
}

/* interface_up_down_delays { IFNAME DOWN [UP] }: keepalived's grammar and
 * its limit, a down delay under (down_timer_adverts - 1) intervals. */
static void if_delays(void **state)
{
	(void)state;
	struct config *c = load("interface_up_down_delays {\n  eth0 0.5 1.25\n  eth1 2\n"
				"  eth0 0.25 1\n}\n" HEAD "}\n",
				NULL, NULL);

	assert_int_equal(c->global.n_if_delays, 2);
	assert_string_equal(c->global.if_delays[0].ifname, "eth0");
	assert_int_equal(c->global.if_delays[0].down_us, 250000); /* the last line wins */
	assert_int_equal(c->global.if_delays[0].up_us, 1000000);
	assert_int_equal(c->global.if_delays[1].down_us, 2000000);
	assert_int_equal(c->global.if_delays[1].up_us, 0); /* keepalived's code: up omitted = 0 */
	assert_dump_has(c, "interface_up_down_delays {\n\teth0 0.25 1\n\teth1 2 0\n}\n");
	conf_free(c);
	/* eth0's instance: advert_int 1, down_timer_adverts 3: at most 2 - 1/256 s */
	const char *const w_cut[] = {
	    "w.conf:2:3: warning: interface_up_down_delays: the down delay of eth0 is cut to "
	    "1.996094 s, under (down_timer_adverts - 1) advert intervals of vrrp_instance VI_1 "
	    "(as keepalived does)",
	    NULL};
	c = load("interface_up_down_delays {\n  eth0 3 3\n}\n" HEAD "}\n", w_cut, NULL);
	assert_int_equal(c->global.if_delays[0].down_us, 1996094);
	assert_int_equal(c->global.if_delays[0].up_us, 1996094); /* it was equal: it follows */
	conf_free(c);
	const char *const w_one[] = {
	    "w.conf:2:3: warning: interface_up_down_delays for eth0 dropped: vrrp_instance VI_1 "
	    "has down_timer_adverts 1 (as keepalived does)",
	    NULL};
	c = load("interface_up_down_delays {\n  eth0 0.5\n}\n" HEAD "  down_timer_adverts 1\n}\n",
		 w_one, NULL);
	assert_int_equal(c->global.if_delays[0].down_us, 0);
	conf_free(c);
	const char *const w_none[] = {
	    "w.conf:2:3: warning: interface_up_down_delays: no delays for eth0; ignored, as "
	    "keepalived does",
	    NULL};
	c = load("interface_up_down_delays {\n  eth0\n}\n" HEAD "}\n", w_none, NULL);
	assert_int_equal(c->global.n_if_delays, 0);
	conf_free(c);
	load("interface_up_down_delays {\n  eth0 256\n}\n" HEAD "}\n", NULL,
	     "w.conf:2:8: interface_up_down_delays: the down delay must be 0 to 255 seconds "
	     "(microseconds at most), got '256'");
	load("interface_up_down_delays {\n  eth0 0.1 x\n}\n" HEAD "}\n", NULL,
	     "w.conf:2:12: interface_up_down_delays: the up delay must be 0 to 255 seconds "
	     "(microseconds at most), got 'x'");
}

/* keepalived's rule on weights in a sync group (check_sync.c). */
#define SCRIPT                                                                                     \
	"global_defs {\n  script_user root\n}\nvrrp_script chk {\n  script /bin/true\n  weight "   \
	"5\n}\n"
#define FILES                                                                                      \
	"vrrp_track_file f1 {\n  file /run/f1\n}\nvrrp_track_file f3 {\n  file /run/f3\n"          \
	"  weight 3\n}\n"
#define GROUP(extra) "vrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n" extra "}\n"
#define TRACKS                                                                                     \
	"  track_interface {\n    eth1 weight 10\n    eth2\n  }\n  track_script {\n    chk\n  }\n" \
	"  track_file {\n    f1\n    f3\n  }\n"

static void sync_weights(void **state)
{
	(void)state;
	const char *const w[] = {
	    "w.conf:28:5: warning: vrrp_instance VI_1: track_interface eth1 weight 10 taken as "
	    "weight "
	    "0: it is in vrrp_sync_group G, which has no sync_group_tracking_weight, as keepalived "
	    "does",
	    "w.conf:32:5: warning: vrrp_instance VI_1: track_script chk weight 5 not tracked: it "
	    "is in "
	    "vrrp_sync_group G, which has no sync_group_tracking_weight, as keepalived does",
	    "w.conf:35:5: warning: vrrp_instance VI_1: track_file f1 taken as weight 0: it is in "
	    "vrrp_sync_group G, which has no sync_group_tracking_weight, as keepalived does (write "
	    "weight 0)",
	    "w.conf:36:5: warning: vrrp_instance VI_1: track_file f3 weight 3 not tracked: it is "
	    "in "
	    "vrrp_sync_group G, which has no sync_group_tracking_weight, as keepalived does",
	    NULL};
	struct config *c = load(SCRIPT FILES GROUP("") HEAD TRACKS "}\n" HEAD_B(2) "}\n", w, NULL);
	const struct conf_instance *in = &c->inst[0];

	assert_int_equal(in->n_track_ifs, 2);
	assert_int_equal(in->track_ifs[0].weight, 0); /* down = FAULT */
	assert_int_equal(in->track_ifs[1].weight, 0);
	assert_int_equal(in->n_track_scripts, 0);
	assert_int_equal(in->n_track_files, 1);
	assert_string_equal(in->track_files[0].name, "f1");
	assert_int_equal(in->track_files[0].weight, 0);
	conf_free(c);
	/* sync_group_tracking_weight: the weights hold */
	c = load(SCRIPT FILES GROUP("  sync_group_tracking_weight\n") HEAD TRACKS
		 "}\n" HEAD_B(2) "}\n",
		 NULL, NULL);
	in = &c->inst[0];
	assert_true(c->groups[0].tracking_weight);
	assert_int_equal(in->track_ifs[0].weight, 10);
	assert_int_equal(in->n_track_scripts, 1);
	assert_int_equal(in->track_scripts[0].weight, 5);
	assert_int_equal(in->n_track_files, 2);
	assert_int_equal(in->track_files[1].weight, 3);
	assert_dump_has(c, "\tsync_group_tracking_weight\n");
	conf_free(c);
	/* global_tracking: its old name, deprecated */
	const char *const w_old[] = {
	    "w.conf:6:3: warning: global_tracking is deprecated (keepalived): taken as "
	    "sync_group_tracking_weight; put track_interface, track_script and track_file on the "
	    "sync group instead",
	    NULL};
	c = load(GROUP("  global_tracking\n") HEAD "}\n" HEAD_B(2) "}\n", w_old, NULL);
	assert_true(c->groups[0].tracking_weight);
	conf_free(c);
}

/* The address owner: weighted tracking of its own means nothing (its
 * priority stays 255); its sync group's weights are cleared. */
static void owner_weights(void **state)
{
	(void)state;
	const char *const w[] = {
	    "w.conf:9:5: warning: vrrp_instance VI_1: track_interface eth1 weight 10 not tracked: "
	    "it "
	    "is the address owner (priority 255), as keepalived does",
	    "w.conf:19:5: warning: vrrp_sync_group G: track_interface eth3 weight -5 taken as "
	    "weight "
	    "0: member VI_1 is the address owner (priority 255), as keepalived does",
	    NULL};
	struct config *c =
	    load(HEAD "  priority 255\n  track_interface {\n    eth1 weight 10\n  "
		      "}\n}\n" GROUP("  sync_group_tracking_weight\n  track_interface {\n"
				     "    eth3 weight -5\n  }\n") HEAD_B(2) "}\n",
		 w, NULL);

	assert_int_equal(c->inst[0].n_track_ifs, 0);
	assert_int_equal(c->groups[0].track_ifs[0].weight, 0);
	conf_free(c);
}

/* old_unicast_checksum [never] */
static void old_unicast_checksum(void **state)
{
	(void)state;
	struct config *c = load(HEAD "}\n" HEAD_B(2) "  old_unicast_checksum\n}\n" HEAD_B(
				    3) "  old_unicast_checksum never\n}\n",
				NULL, NULL);

	assert_int_equal(c->inst[0].old_csum, CONF_OLD_CSUM_AUTO); /* keepalived's default */
	assert_int_equal(c->inst[1].old_csum, CONF_OLD_CSUM_OLD);
	assert_int_equal(c->inst[2].old_csum, CONF_OLD_CSUM_NEVER);
	assert_dump_has(c, "\told_unicast_checksum\n");
	assert_dump_has(c, "\told_unicast_checksum never\n");
	conf_free(c);
	load(HEAD "  old_unicast_checksum always\n}\n", NULL,
	     "w.conf:7:24: old_unicast_checksum: expected nothing or 'never', got 'always'");
}

/* vrrp_delay_after_boot: what is left of it at start, or
 * vrrp_startup_delay when that is longer (keepalived). */
static void delay_after_boot(void **state)
{
	(void)state;
	struct config *c = load("global_defs {\n  vrrp_delay_after_boot 90.5\n  vrrp_startup_delay "
				"5\n}\n" HEAD "}\n",
				NULL, NULL);

	assert_int_equal(c->global.delay_after_boot_ms, 90500);
	assert_int_equal(conf_startup_hold_ms(&c->global, 30000), 60500); /* booted 30 s ago */
	assert_int_equal(conf_startup_hold_ms(&c->global, 88000), 5000);  /* startup_delay longer */
	assert_int_equal(conf_startup_hold_ms(&c->global, 3600000), 5000);
	assert_dump_has(c, "\tvrrp_delay_after_boot 90.5\n");
	c->global.startup_delay_ms = 0;
	assert_int_equal(conf_startup_hold_ms(&c->global, 90500), 0);
	conf_free(c);
}

/* timer_expired_backup [PRIO], with nopreempt only; thread_timer_expired */
static void expired_backup(void **state)
{
	(void)state;
	struct config *c = load(HEAD "  nopreempt\n  timer_expired_backup\n}\n" HEAD_B(
				    2) "  nopreempt\n  timer_expired_backup 180\n}\n",
				NULL, NULL);

	assert_int_equal(c->inst[0].expired_backup_prio, 254);
	assert_int_equal(c->inst[1].expired_backup_prio, 180);
	assert_dump_has(c, "\ttimer_expired_backup 180\n");
	conf_free(c);
	const char *const w[] = {"w.conf:7:3: warning: timer_expired_backup needs nopreempt; "
				 "ignored, as keepalived does",
				 NULL};
	c = load(HEAD "  timer_expired_backup 100\n}\n", w, NULL);
	assert_int_equal(c->inst[0].expired_backup_prio, 0);
	conf_free(c);
	const char *const w_old[] = {"w.conf:8:3: warning: thread_timer_expired: keepalived's old "
				     "name; write timer_expired_backup",
				     NULL};
	c = load(HEAD "  nopreempt\n  thread_timer_expired\n}\n", w_old, NULL);
	assert_int_equal(c->inst[0].expired_backup_prio, 254);
	conf_free(c);
	load(HEAD "  nopreempt\n  timer_expired_backup 255\n}\n", NULL,
	     "w.conf:8:24: timer_expired_backup must be a number from 1 to 254, got '255'");
}

/* native_ipv6: keepalived's deprecated way to say IPv6 (the addresses
 * say it now); with IPv4 addresses, an error as in keepalived. */
static void native_ipv6(void **state)
{
	(void)state;
	struct config *c = load("vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n"
				"  native_ipv6\n  virtual_ipaddress {\n    fe80::10\n  }\n}\n",
				NULL, NULL);

	assert_int_equal(c->inst[0].family, AF_INET6);
	assert_int_equal(c->inst[0].version, 3);
	conf_free(c);
	load(HEAD "  native_ipv6\n}\n", NULL,
	     "w.conf:7:3: native_ipv6 cannot go with the IPv4 virtual addresses of vrrp_instance "
	     "VI_1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(down_timer_adverts),   cmocka_unit_test(owner_ignore_adverts),
	    cmocka_unit_test(track_src_ip),	    cmocka_unit_test(if_delays),
	    cmocka_unit_test(sync_weights),	    cmocka_unit_test(owner_weights),
	    cmocka_unit_test(old_unicast_checksum), cmocka_unit_test(delay_after_boot),
	    cmocka_unit_test(expired_backup),	    cmocka_unit_test(native_ipv6),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
