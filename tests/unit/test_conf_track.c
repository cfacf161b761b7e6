/* Unit tests for the configuration of tracked processes and files
 * (src/conf/kw_tracker.c, check_track.c, their lists in kw_track.c, and
 * dont_track_primary / linkbeat_use_polling / track_interface weights in
 * kw_instance.c): values as keepalived reads them, references, defaults,
 * errors, the dump and reload equality. Files are loaded from memory. */
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

/* Messages about the default script user are not this file's business. */
static size_t count_msgs(const struct conf_msgs *m, const char *const **out)
{
	static const char *v[32];
	size_t n = 0;

	for (size_t k = 0; k < m->n && n < 32; k++)
		if (!strstr(m->v[k], "script_user"))
			v[n++] = m->v[k];
	*out = v;
	return n;
}

/* Loads TEXT expecting no error and the messages WANT (NULL-terminated). */
static struct config *load_ok(const char *text, const char *const *want)
{
	struct conf_msgs m;
	struct config *c = conf_load_buffer("t.conf", text, strlen(text), &m);
	const char *const *got;
	size_t n = 0, ng = count_msgs(&m, &got);

	while (want && want[n])
		n++;
	if (!c || ng != n)
		print_msgs(&m);
	assert_non_null(c);
	assert_int_equal(ng, n);
	for (size_t k = 0; k < n; k++)
		assert_string_equal(got[k], want[k]);
	conf_msgs_free(&m);
	return c;
}

/* Loads TEXT expecting it refused with WANT among the messages. */
static void load_bad(const char *text, const char *want)
{
	struct conf_msgs m;
	struct config *c = conf_load_buffer("t.conf", text, strlen(text), &m);
	bool found = false;

	for (size_t k = 0; k < m.n; k++)
		found |= !strcmp(m.v[k], want);
	if (c || !found) {
		fprintf(stderr, "  want: %s\n", want);
		print_msgs(&m);
	}
	assert_null(c);
	assert_true(found);
	conf_msgs_free(&m);
}

/* An instance at lines 1-5; the caller's lines from line 6, then "}". */
#define INST(body)                                                                                 \
	"vrrp_instance VI_1 {\n"                                                                   \
	"  interface eth0\n"                                                                       \
	"  virtual_router_id 51\n"                                                                 \
	"  virtual_ipaddress { 192.0.2.1 }\n"                                                      \
	"  priority 100\n" body "}\n"

static void test_process_block(void **state)
{
	(void)state;
	struct config *c = load_ok(
	    "vrrp_track_process web {\n"
	    "  process nginx\n"
	    "  quorum 2\n"
	    "  quorum_max 4\n"
	    "  delay 0.25\n"
	    "  terminate_delay 1.5\n"
	    "  weight -20 reverse\n"
	    "}\n"
	    "vrrp_track_process s {\n"
	    "  process /bin/sleep 1000 \"a b\"\n"
	    "  param_match initial\n"
	    "}\n"
	    "track_process none {\n  process evil\n  quorum_max 0\n}\n" INST(
		"  track_process {\n    web\n    s weight 5\n    none weight 0 reverse\n  }\n"),
	    NULL);

	assert_int_equal(c->n_procs, 3);
	const struct conf_track_process *w = &c->procs[0], *s = &c->procs[1], *n = &c->procs[2];
	assert_string_equal(w->process, "nginx");
	assert_false(w->full_command);
	assert_int_equal(w->match, TPROC_MATCH_NONE);
	assert_int_equal(w->quorum, 2);
	assert_int_equal(w->quorum_max, 4);
	assert_int_equal(w->fork_delay_us, 250000);
	assert_int_equal(w->terminate_delay_us, 1500000);
	assert_int_equal(w->weight, -20);
	assert_true(w->weight_reverse);
	/* Parameters: the command line is compared, exactly unless said. */
	assert_string_equal(s->process, "/bin/sleep");
	assert_true(s->full_command);
	assert_int_equal(s->match, TPROC_MATCH_INITIAL);
	assert_int_equal(s->params_len, 9);
	assert_memory_equal(s->params, "1000\0a b\0", 9);
	assert_int_equal(s->weight, 0);
	assert_int_equal(s->quorum, 1);
	assert_int_equal(s->quorum_max, UINT32_MAX);
	/* quorum_max 0 alone: none may run. */
	assert_int_equal(n->quorum, 0);
	assert_int_equal(n->quorum_max, 0);
	/* The list: the block's weight unless the entry has one. */
	const struct conf_instance *in = &c->inst[0];
	assert_int_equal(in->n_track_procs, 3);
	assert_int_equal(in->track_procs[0].script, 0);
	assert_int_equal(in->track_procs[0].weight, -20);
	assert_true(in->track_procs[0].reverse);
	assert_false(in->track_procs[0].weight_set);
	assert_int_equal(in->track_procs[1].script, 1);
	assert_int_equal(in->track_procs[1].weight, 5);
	assert_int_equal(in->track_procs[2].script, 2);
	assert_true(in->track_procs[2].reverse);
	conf_free(c);
}

static void test_file_block(void **state)
{
	(void)state;
	struct config *c = load_ok("track_file f1 {\n"
				   "  file /run/prio\n"
				   "  weight -3\n"
				   "  init_file 7 overwrite\n"
				   "}\n"
				   "vrrp_track_file f2 {\n  file \"/run/a b\"\n  init_file\n}\n"
				   "vrrp_sync_group G {\n"
				   "  group { VI_1 VI_2 }\n  sync_group_tracking_weight\n"
				   "  track_file { f2 weight 2 noreverse }\n"
				   "}\n" INST("  track_file {\n    f1\n    f2 weight 0 reverse\n  "
					      "}\n") "vrrp_instance VI_2 {\n  interface eth1\n  "
						     "virtual_router_id 52\n"
						     "  virtual_ipaddress { 192.0.2.2 }\n}\n",
				   NULL);

	assert_int_equal(c->n_tfiles, 2);
	assert_string_equal(c->tfiles[0].path, "/run/prio");
	assert_int_equal(c->tfiles[0].weight, -3);
	assert_true(c->tfiles[0].init);
	assert_true(c->tfiles[0].init_overwrite);
	assert_int_equal(c->tfiles[0].init_value, 7);
	assert_string_equal(c->tfiles[1].path, "/run/a b");
	assert_int_equal(c->tfiles[1].weight, 1); /* keepalived's default */
	assert_true(c->tfiles[1].init);
	assert_false(c->tfiles[1].init_overwrite);
	assert_int_equal(c->tfiles[1].init_value, 0);
	const struct conf_instance *in = &c->inst[0];
	assert_int_equal(in->n_track_files, 2);
	assert_int_equal(in->track_files[0].weight, -3);
	assert_int_equal(in->track_files[1].script, 1);
	assert_int_equal(in->track_files[1].weight, 0);
	assert_true(in->track_files[1].reverse);
	assert_int_equal(c->groups[0].n_track_files, 1);
	assert_int_equal(c->groups[0].track_files[0].weight, 2);
	assert_false(c->groups[0].track_files[0].reverse);
	conf_free(c);
}

static void test_instance_keywords(void **state)
{
	(void)state;
	struct config *c =
	    load_ok("global_defs { linkbeat_use_polling }\n" INST(
			"  dont_track_primary\n"
			"  linkbeat_use_polling\n"
			"  track_interface {\n    eth1 weight -20\n    eth2 weight 10 "
			"reverse\n    eth3\n  }\n"),
		    NULL);
	const struct conf_instance *in = &c->inst[0];

	assert_true(in->dont_track_primary);
	assert_int_equal(in->n_track_ifs, 3);
	assert_int_equal(in->track_ifs[0].weight, -20);
	assert_false(in->track_ifs[0].reverse);
	assert_int_equal(in->track_ifs[1].weight, 10);
	assert_true(in->track_ifs[1].reverse);
	assert_int_equal(in->track_ifs[2].weight, 0);
	conf_free(c);
}

static void test_warnings(void **state)
{
	(void)state;
	static const char *const want[] = {
	    "t.conf:1:32: warning: vrrp_track_process p: a process name has at most 15 characters "
	    "(the kernel cuts it); 'a_very_long_daemon_name' is compared by its first 15 (use "
	    "full_command to match the command line)",
	    NULL};
	struct config *c = load_ok("vrrp_track_process p { process a_very_long_daemon_name }\n"
				   "vrrp_track_process q {\n  process a_very_long_daemon_name\n"
				   "  full_command\n}\n",
				   want);
	conf_free(c);
}

static void test_errors(void **state)
{
	(void)state;
	load_bad(INST("  track_process {\n    nginx\n  }\n"),
		 "t.conf:7:5: track_process 'nginx' in vrrp_instance VI_1: no vrrp_track_process "
		 "of that name");
	load_bad("track_file prio { file /x }\n" INST("  track_file {\n    pri\n  }\n"),
		 "t.conf:8:5: track_file 'pri' in vrrp_instance VI_1: no track_file of that name "
		 "(did you mean 'prio'?)");
	load_bad("vrrp_track_process p { quorum 2 }\n",
		 "t.conf:1:20: vrrp_track_process p has no 'process'");
	load_bad("track_file f { weight 2 }\n", "t.conf:1:12: track_file f has no 'file'");
	load_bad("vrrp_track_process p {\n  process x\n  quorum 3\n  quorum_max 2\n}\n",
		 "t.conf:3:3: vrrp_track_process p: quorum 3 is more than quorum_max 2");
	load_bad("vrrp_track_process p {\n  process x\n  param_match all\n}\n",
		 "t.conf:3:15: param_match must be 'initial', 'partial' or nothing, got 'all'");
	load_bad("vrrp_track_process p {\n  process x\n  weight 255\n}\n",
		 "t.conf:3:10: weight must be a number from -254 to 254, got '255'");
	load_bad("vrrp_track_process p {\n  process x\n  quorum 0\n}\n",
		 "t.conf:3:10: quorum must be a number from 1 to 65535, got '0'");
	load_bad("vrrp_track_process p {\n  process x\n  delay 3601\n}\n",
		 "t.conf:3:9: delay must be a number of seconds from 0 to 3600, got '3601'");
	load_bad("track_file f {\n  file /x\n  init_file maybe\n}\n",
		 "t.conf:3:13: init_file takes a number and 'overwrite', got 'maybe'");
	load_bad("vrrp_track_process p { process x }\nvrrp_track_process p { process y }\n",
		 "t.conf:2:20: duplicate vrrp_track_process 'p' (first defined at 1:20)");
	load_bad(
	    "track_file f { file /x }\n" INST("  track_file {\n    f weight 1 sideways\n  }\n"),
	    "t.conf:8:16: unexpected 'sideways' after 'weight 1' (expected 'reverse' or "
	    "'noreverse')");
}

static void test_dump_and_equal(void **state)
{
	(void)state;
	const char *a = "vrrp_track_process s {\n  process sleep 1000\n  weight 3\n}\n"
			"track_file f { file /run/f }\n" INST("  track_process {\n    s\n  }\n"
							      "  track_file {\n    f\n  }\n");
	const char *b =
	    "vrrp_track_process s {\n  process sleep 1000\n  weight 4\n}\n"
	    "track_file f { file /run/f }\n" INST("  track_process {\n    s\n  }\n"
						  "  track_file {\n    f weight 2\n  }\n");
	struct config *ca = load_ok(a, NULL), *ca2 = load_ok(a, NULL), *cb = load_ok(b, NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	conf_dump(ca, f);
	fclose(f);
	assert_non_null(strstr(buf, "vrrp_track_process s {\t# t.conf:1\n\tprocess sleep 1000\n"
				    "\tparam_match\n"));
	assert_non_null(strstr(buf, "\ttrack_process {\n\t\ts\t# weight 3 (the block's)\n\t}\n"));
	assert_non_null(strstr(buf, "track_file f {\t# t.conf:5\n\tfile /run/f\n\tweight 1\n}\n"));
	free(buf);
	assert_true(conf_instance_equal(&ca->inst[0], &ca2->inst[0]));
	assert_true(conf_tproc_equal(&ca->procs[0], &ca2->procs[0]));
	assert_false(conf_tproc_equal(&ca->procs[0], &cb->procs[0]));
	assert_true(conf_tfile_equal(&ca->tfiles[0], &cb->tfiles[0]));
	/* The effective weights differ: a reload must see the instance changed. */
	assert_false(conf_instance_equal(&ca->inst[0], &cb->inst[0]));
	conf_free(ca);
	conf_free(ca2);
	conf_free(cb);
}

/* track_gateway { }: names of vrrp_check / vrrp_script blocks, without a
 * weight; they sit in the track_script list, flagged, with weight 0. */
static void test_gateway(void **state)
{
	(void)state;
	const char *gw = "vrrp_check gw_a { icmp 192.0.2.254 }\n"
			 "vrrp_check gw_b { icmp 198.51.100.254 }\n";
	char text[1024];
	snprintf(text, sizeof(text), "%s%s", gw,
		 INST("  track_gateway {\n    gw_a\n    gw_b\n  }\n"));
	struct config *c = load_ok(text, NULL), *c2;
	const struct conf_instance *in = &c->inst[0];

	assert_int_equal(in->n_track_scripts, 2);
	assert_true(in->track_scripts[0].gateway && in->track_scripts[1].gateway);
	assert_int_equal(in->track_scripts[0].weight, 0);
	assert_int_equal(in->track_scripts[1].script, 1);

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	conf_dump(c, f);
	fclose(f);
	assert_non_null(strstr(buf, "\ttrack_gateway {\n\t\tgw_a\t# counts only when every "
				    "gateway is down\n\t\tgw_b\t"));
	assert_null(strstr(buf, "track_script {"));
	free(buf);

	/* the same names as track_script entries: a different instance */
	snprintf(text, sizeof(text), "%s%s", gw,
		 INST("  track_script {\n    gw_a weight 0\n    gw_b weight 0\n  }\n"));
	c2 = load_ok(text, NULL);
	assert_false(conf_instance_equal(&c->inst[0], &c2->inst[0]));
	conf_free(c);
	conf_free(c2);

	snprintf(text, sizeof(text), "%s%s", gw,
		 INST("  track_gateway {\n    gw_a weight -10\n  }\n"));
	load_bad(text, "t.conf:9:10: unexpected 'weight' after 'gw_a' in track_gateway (the "
		       "gateways have no weight: the instance goes to FAULT when every one of them "
		       "is down)");
	snprintf(text, sizeof(text), "%s%s", gw, INST("  track_gateway {\n    gw_c\n  }\n"));
	load_bad(text, "t.conf:9:5: track_gateway 'gw_c' in vrrp_instance VI_1: no vrrp_script "
		       "of that name (did you mean 'gw_a'?)");
	snprintf(text, sizeof(text), "%s%s", gw,
		 INST("  track_script {\n    gw_a\n  }\n  track_gateway {\n    gw_a\n  }\n"));
	load_bad(text, "t.conf:12:5: 'gw_a' is listed twice in track_gateway of vrrp_instance "
		       "VI_1 (first at 9:5)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_process_block),
	    cmocka_unit_test(test_file_block),
	    cmocka_unit_test(test_instance_keywords),
	    cmocka_unit_test(test_warnings),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_dump_and_equal),
	    cmocka_unit_test(test_gateway),
	};
	return cmocka_run_group_tests_name("conf_track", tests, NULL, NULL);
}
