/* Unit tests for the reload plan (src/conf/diff.c): configurations are
 * loaded from text as a reload would, then diffed. */
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
#include "conf/diff.h"

/* ---- helpers ---- */

static struct config *load(const char *text)
{
	struct conf_msgs m;
	struct config *c = conf_load_buffer("diff.conf", text, strlen(text), &m);

	for (size_t k = 0; k < m.n; k++)
		fprintf(stderr, "    %s\n", m.v[k]);
	assert_non_null(c);
	assert_int_equal(m.warnings, 0);
	conf_msgs_free(&m);
	return c;
}

/* An instance: NAME on IFNAME with VRID and PRIO, then EXTRA lines, then
 * the VIP lines (one per "|"-separated item of VIPS). */
static void put_inst(FILE *f, const char *name, const char *ifname, int vrid, int prio,
		     const char *extra, const char *vips)
{
	char buf[1024], *save = NULL;

	fprintf(f, "vrrp_instance %s {\n interface %s\n virtual_router_id %d\n priority %d\n%s",
		name, ifname, vrid, prio, extra);
	snprintf(buf, sizeof(buf), "%s", vips);
	fputs(" virtual_ipaddress {\n", f);
	for (char *v = strtok_r(buf, "|", &save); v; v = strtok_r(NULL, "|", &save))
		fprintf(f, "  %s\n", v);
	fputs(" }\n}\n", f);
}

static struct config *load_one(const char *extra, const char *vips)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct config *c;

	assert_non_null(f);
	put_inst(f, "VI_1", "eth0", 51, 100, extra, vips);
	fclose(f);
	c = load(text);
	free(text);
	return c;
}

static const struct conf_diff_inst *plan_one(const struct config *o, const struct config *n,
					     struct conf_diff *d)
{
	assert_int_equal(conf_diff(o, n, d), 0);
	assert_int_equal(d->n, 1);
	return &d->v[0];
}

static void assert_indices(const size_t *v, size_t n, const size_t *want, size_t n_want)
{
	assert_int_equal(n, n_want);
	if (!n)
		assert_null(v);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(v[k], want[k]);
}

/* The index of address A among IN's VIPs. */
static size_t vip_at(const struct conf_instance *in, const char *a)
{
	char b[ADDR_STRLEN];

	for (size_t k = 0; k < in->n_vips; k++)
		if (!strcmp(addr_str(&in->vips[k].addr, b), a))
			return k;
	fail_msg("no VIP %s", a);
	return 0;
}

/* ---- one instance ---- */

static void test_keep(void **state)
{
	struct config *o = load_one("", "192.0.2.1/24|192.0.2.2");
	struct config *n = load_one("", "192.0.2.1/24|192.0.2.2");
	struct conf_diff d;
	const struct conf_diff_inst *e;

	(void)state;
	e = plan_one(o, n, &d);
	assert_int_equal(e->op, CONF_DIFF_KEEP);
	assert_ptr_equal(e->old, &o->inst[0]);
	assert_ptr_equal(e->new, &n->inst[0]);
	assert_null(e->vip_del);
	assert_null(e->vip_add);
	assert_int_equal(d.n_op[CONF_DIFF_KEEP], 1);
	conf_diff_free(&d);
	assert_null(d.v);
	assert_int_equal(d.n, 0);
	conf_free(o);
	conf_free(n);
}

static void test_update_settings(void **state)
{
	static const char *const changes[] = {
	    " lower_prio_no_advert\n",
	    " advert_int 2\n",
	    " nopreempt\n",
	    " preempt_delay 5\n",
	    " state MASTER\n",
	    " garp_master_delay 1\n",
	    " notify_master /bin/true root\n",
	    " unicast_peer {\n  192.0.2.9\n }\n",
	    " no_accept\n",
	    " strict_mode\n",
	    " gna_interval 0.5\n",
	    " virtual_routes {\n  192.0.2.128/25\n }\n",
	    " virtual_rules {\n  from all table 5 priority 5\n }\n",
	};
	struct config *o = load_one("", "192.0.2.1");

	(void)state;
	for (size_t k = 0; k < sizeof(changes) / sizeof(changes[0]); k++) {
		struct config *n = load_one(changes[k], "192.0.2.1");
		struct conf_diff d;
		const struct conf_diff_inst *e = plan_one(o, n, &d);

		if (e->op != CONF_DIFF_UPDATE)
			fprintf(stderr, "  change: %s", changes[k]);
		assert_int_equal(e->op, CONF_DIFF_UPDATE);
		assert_int_equal(e->n_vip_del, 0);
		assert_int_equal(e->n_vip_add, 0);
		assert_int_equal(d.n_op[CONF_DIFF_UPDATE], 1);
		conf_diff_free(&d);
		conf_free(n);
	}
	conf_free(o);
}

static void test_update_vips(void **state)
{
	/* kept, removed, label changed, prefix changed, moved to excluded, kept */
	struct config *o = load_one("", "192.0.2.1|192.0.2.2|192.0.2.3 label eth0:3|192.0.2.4/24|"
					"192.0.2.5|192.0.2.6 dev eth1");
	struct config *n = load_one(" virtual_ipaddress_excluded {\n  192.0.2.5\n }\n",
				    "192.0.2.7|192.0.2.6 dev eth1|192.0.2.3 label eth0:9|"
				    "192.0.2.4/25|192.0.2.1");
	struct conf_diff d;
	const struct conf_diff_inst *e;
	static const size_t del[] = {1, 2, 3, 4};
	size_t add[4];

	(void)state;
	/* In NEW: .7 is new, .3 and .4 changed, .5 moved to the excluded list. */
	add[0] = vip_at(&n->inst[0], "192.0.2.5");
	add[1] = vip_at(&n->inst[0], "192.0.2.7");
	add[2] = vip_at(&n->inst[0], "192.0.2.3");
	add[3] = vip_at(&n->inst[0], "192.0.2.4");
	assert_true(n->inst[0].vips[add[0]].excluded);
	e = plan_one(o, n, &d);
	assert_int_equal(e->op, CONF_DIFF_UPDATE);
	assert_indices(e->vip_del, e->n_vip_del, del, 4);
	assert_indices(e->vip_add, e->n_vip_add, add, 4);
	conf_diff_free(&d);
	conf_free(o);
	conf_free(n);
}

/* Equal duplicates (conf_load refuses them; a hand-made config may have
 * them): a VIP is gone only when no equal one is left. */
static void test_duplicate_vips(void **state)
{
	struct config *o = load_one("", "192.0.2.1|192.0.2.2");
	struct config *n = load_one("", "192.0.2.1|192.0.2.3");
	struct conf_instance *oi = &o->inst[0], *ni = &n->inst[0];
	struct conf_diff d;
	const struct conf_diff_inst *e;
	static const size_t del[] = {1, 3, 4}, add[] = {1, 2};

	(void)state;
	/* old: .1 .2 .1 .2 .2 -> new: .1 .3 .3 */
	oi->vips = realloc(oi->vips, 5 * sizeof(*oi->vips));
	oi->vips[2] = oi->vips[0];
	oi->vips[3] = oi->vips[1];
	oi->vips[4] = oi->vips[1];
	oi->n_vips = 5;
	ni->vips = realloc(ni->vips, 3 * sizeof(*ni->vips));
	ni->vips[2] = ni->vips[1];
	ni->n_vips = 3;
	e = plan_one(o, n, &d);
	assert_int_equal(e->op, CONF_DIFF_UPDATE);
	assert_indices(e->vip_del, e->n_vip_del, del, 3);
	assert_indices(e->vip_add, e->n_vip_add, add, 2);
	conf_diff_free(&d);
	/* The same VIP twice on one side only: nothing to do. */
	ni->vips[1] = ni->vips[0];
	ni->vips[2] = ni->vips[0];
	oi->n_vips = 1;
	e = plan_one(o, n, &d);
	assert_int_equal(e->op, CONF_DIFF_UPDATE); /* n_vips differs */
	assert_int_equal(e->n_vip_del, 0);
	assert_int_equal(e->n_vip_add, 0);
	conf_diff_free(&d);
	conf_free(o);
	conf_free(n);
}

static void test_restart(void **state)
{
	struct {
		const char *iface, *extra, *vips;
		int vrid;
	} cases[] = {
	    {"eth1", "", "192.0.2.1", 51},			      /* interface */
	    {"eth0", "", "192.0.2.1", 52},			      /* VRID */
	    {"eth0", " version 3\n", "192.0.2.1", 51},		      /* version */
	    {"eth0", "", "2001:db8::1", 51},			      /* family (and version) */
	    {"eth0", " unicast_src_ip 192.0.2.8\n", "192.0.2.1", 51}, /* unicast source */
	};
	char *text = NULL;
	size_t len = 0;
	struct config *o = load_one(" unicast_src_ip 192.0.2.9\n", "192.0.2.1");
	struct config *plain = load_one("", "192.0.2.1");

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		FILE *f = open_memstream(&text, &len);
		struct config *n;
		struct conf_diff d;
		const struct conf_diff_inst *e;

		put_inst(f, "VI_1", cases[k].iface, cases[k].vrid, 100, cases[k].extra,
			 cases[k].vips);
		fclose(f);
		n = load(text);
		free(text);
		e = plan_one(k == 4 ? o : plain, n, &d);
		if (e->op != CONF_DIFF_RESTART)
			fprintf(stderr, "  case %zu\n", k);
		assert_int_equal(e->op, CONF_DIFF_RESTART);
		assert_null(e->vip_del);
		assert_null(e->vip_add);
		conf_diff_free(&d);
		/* Adding or dropping unicast_src_ip is a restart too. */
		if (k == 0) {
			e = plan_one(plain, o, &d);
			assert_int_equal(e->op, CONF_DIFF_RESTART);
			conf_diff_free(&d);
		}
		conf_free(n);
	}
	conf_free(o);
	conf_free(plain);
}

/* Where an instance lives and talks: a change is a restart. OLD and NEW
 * are the instance's extra lines, PRE_* what precedes it in the file. */
static void test_restart_net(void **state)
{
	static const struct {
		const char *pre_old, *old, *pre_new, *new;
		enum conf_diff_op op;
	} cases[] = {
	    {"", "", "", " use_vmac\n", CONF_DIFF_RESTART},
	    {"", " use_vmac\n", "", " use_vmac v51\n", CONF_DIFF_RESTART},
	    {"", " use_vmac\n", "", " use_vmac\n vmac_xmit_base\n", CONF_DIFF_RESTART},
	    {"", "", "", " mcast_dst_ip 224.0.0.19\n", CONF_DIFF_RESTART},
	    {"", " mcast_dst_ip 224.0.0.19\n", "", " mcast_dst_ip 224.0.0.20\n", CONF_DIFF_RESTART},
	    {"", "", "global_defs {\n vrrp_mcast_group4 224.0.0.19\n}\n", "", CONF_DIFF_RESTART},
	    /* The RFC group written out is the default. */
	    {"", "", "global_defs {\n vrrp_mcast_group4 224.0.0.18\n}\n",
	     " mcast_dst_ip 224.0.0.18\n", CONF_DIFF_KEEP},
	    /* The same default name, written or not. */
	    {"", " use_vmac\n", "", " use_vmac vrrp.51\n", CONF_DIFF_KEEP},
	    /* Accept_Mode and strict mode are changed in place. */
	    {"", "", "global_defs {\n vrrp_strict\n}\n", "", CONF_DIFF_UPDATE},
	    {"", " no_accept\n", "", " accept\n", CONF_DIFF_UPDATE},
	    /* heartbeat_path is where the instance talks: any change restarts. */
	    {"", "", "", " heartbeat_path {\n  interface eth1\n }\n", CONF_DIFF_RESTART},
	    {"", " heartbeat_path {\n  interface eth1\n }\n", "",
	     " heartbeat_path {\n  interface eth2\n }\n", CONF_DIFF_RESTART},
	    {"", " heartbeat_path {\n  interface eth1\n }\n", "",
	     " heartbeat_path {\n  interface eth1\n  unicast_src_ip 198.51.100.1\n }\n",
	     CONF_DIFF_RESTART},
	    {"", " heartbeat_path {\n  unicast_peer {\n   198.51.100.2\n  }\n }\n", "",
	     " heartbeat_path {\n  unicast_peer {\n   198.51.100.3\n  }\n }\n", CONF_DIFF_RESTART},
	    {"", " heartbeat_path {\n  interface eth1\n }\n", "",
	     " heartbeat_path {\n  interface eth1\n }\n", CONF_DIFF_KEEP},
	};

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct config *c[2];
		struct conf_diff d;

		for (int side = 0; side < 2; side++) {
			char *text = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&text, &len);

			assert_non_null(f);
			fputs(side ? cases[k].pre_new : cases[k].pre_old, f);
			put_inst(f, "VI_1", "eth0", 51, 100, side ? cases[k].new : cases[k].old,
				 "192.0.2.1");
			fclose(f);
			c[side] = load(text);
			free(text);
		}
		if (plan_one(c[0], c[1], &d)->op != cases[k].op)
			fprintf(stderr, "  case %zu: %s\n", k, conf_diff_op_name(d.v[0].op));
		assert_int_equal(d.v[0].op, cases[k].op);
		conf_diff_free(&d);
		conf_free(c[0]);
		conf_free(c[1]);
	}
}

static void test_update_routes(void **state)
{
	struct config *o = load_one(" virtual_routes {\n"
				    "  192.0.2.0/25 via 192.0.2.254\n"
				    "  198.51.100.0/24 dev eth1\n"
				    "  blackhole 203.0.113.0/24\n"
				    " }\n"
				    " virtual_rules {\n"
				    "  from 192.0.2.0/24 table 1 priority 1\n"
				    "  to 198.51.100.0/24 blackhole priority 2\n"
				    " }\n",
				    "192.0.2.1");
	struct config *n = load_one(" virtual_routes {\n"
				    "  198.51.100.0/24 dev eth1\n"
				    "  192.0.2.0/25 via 192.0.2.253\n"
				    "  10.0.0.0/8 via 192.0.2.254\n"
				    " }\n"
				    " virtual_rules {\n"
				    "  to 198.51.100.0/24 blackhole priority 2\n"
				    "  from 192.0.2.0/24 table 2 priority 1\n"
				    " }\n",
				    "192.0.2.1");
	static const size_t rt_del[] = {0, 2}, rt_add[] = {1, 2}, ru_del[] = {0}, ru_add[] = {1};
	struct conf_diff d;
	const struct conf_diff_inst *e;

	(void)state;
	e = plan_one(o, n, &d);
	assert_int_equal(e->op, CONF_DIFF_UPDATE);
	assert_int_equal(e->n_vip_del + e->n_vip_add, 0);
	assert_indices(e->routes.del, e->routes.n_del, rt_del, 2);
	assert_indices(e->routes.add, e->routes.n_add, rt_add, 2);
	assert_indices(e->rules.del, e->rules.n_del, ru_del, 1);
	assert_indices(e->rules.add, e->rules.n_add, ru_add, 1);
	conf_diff_free(&d);
	/* Not an update: no lists. */
	e = plan_one(o, o, &d);
	assert_int_equal(e->op, CONF_DIFF_KEEP);
	assert_null(e->routes.del);
	assert_null(e->rules.add);
	conf_diff_free(&d);
	conf_free(o);
	conf_free(n);
}

static void test_static_deltas(void **state)
{
	struct config *o = load("static_ipaddress {\n 203.0.113.1/24 dev eth1\n"
				" 203.0.113.2/24 dev eth1\n}\n"
				"static_routes {\n 198.51.100.0/24 via 203.0.113.254\n}\n"
				"static_rules {\n from 203.0.113.0/24 table 7 priority 7\n}\n");
	struct config *n = load("static_ipaddress {\n 203.0.113.2/24 dev eth1\n"
				" 203.0.113.1/24 dev eth2\n}\n"
				"static_routes {\n 198.51.100.0/24 via 203.0.113.254\n"
				" 10.0.0.0/8 via 203.0.113.254\n}\n");
	static const size_t zero[] = {0}, one[] = {1}, both[] = {0, 1};
	struct conf_diff d;

	(void)state;
	assert_int_equal(conf_diff(o, n, &d), 0);
	assert_int_equal(d.n, 0);
	assert_indices(d.static_addrs.del, d.static_addrs.n_del, zero, 1);
	assert_indices(d.static_addrs.add, d.static_addrs.n_add, one, 1);
	assert_indices(d.static_routes.del, d.static_routes.n_del, NULL, 0);
	assert_indices(d.static_routes.add, d.static_routes.n_add, one, 1);
	assert_indices(d.static_rules.del, d.static_rules.n_del, zero, 1);
	assert_indices(d.static_rules.add, d.static_rules.n_add, NULL, 0);
	conf_diff_free(&d);
	/* At start everything is added, at stop everything removed. */
	assert_int_equal(conf_diff(NULL, o, &d), 0);
	assert_indices(d.static_addrs.add, d.static_addrs.n_add, both, 2);
	assert_indices(d.static_rules.add, d.static_rules.n_add, zero, 1);
	assert_int_equal(d.static_addrs.n_del, 0);
	conf_diff_free(&d);
	assert_int_equal(conf_diff(o, NULL, &d), 0);
	assert_indices(d.static_addrs.del, d.static_addrs.n_del, both, 2);
	assert_indices(d.static_routes.del, d.static_routes.n_del, zero, 1);
	assert_int_equal(d.static_routes.n_add, 0);
	conf_diff_free(&d);
	conf_free(o);
	conf_free(n);
}

/* ---- several instances ---- */

static struct config *load_names(const char *names)
{
	char *text = NULL, buf[256], *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct config *c;

	snprintf(buf, sizeof(buf), "%s", names);
	for (char *nm = strtok_r(buf, " ", &save); nm; nm = strtok_r(NULL, " ", &save)) {
		char vip[64];

		/* The VRID and VIP follow from the name: equal names, equal instances. */
		snprintf(vip, sizeof(vip), "192.0.2.%d", nm[0]);
		put_inst(f, nm, "eth0", nm[0], 100, "", vip);
	}
	fclose(f);
	c = load(text);
	free(text);
	return c;
}

static void test_add_remove_order(void **state)
{
	struct config *o = load_names("A B C D");
	struct config *n = load_names("D X B");
	struct conf_diff d;
	static const struct {
		enum conf_diff_op op;
		const char *name;
	} want[] = {{CONF_DIFF_KEEP, "D"},
		    {CONF_DIFF_ADD, "X"},
		    {CONF_DIFF_KEEP, "B"},
		    {CONF_DIFF_REMOVE, "A"},
		    {CONF_DIFF_REMOVE, "C"}};

	(void)state;
	assert_int_equal(conf_diff(o, n, &d), 0);
	assert_int_equal(d.n, 5);
	for (size_t k = 0; k < d.n; k++) {
		const struct conf_diff_inst *e = &d.v[k];
		const struct conf_instance *in = e->new ? e->new : e->old;

		assert_int_equal(e->op, want[k].op);
		assert_string_equal(in->name, want[k].name);
		assert_true(e->op == CONF_DIFF_ADD ? !e->old : e->old != NULL);
		assert_true(e->op == CONF_DIFF_REMOVE ? !e->new : e->new != NULL);
		if (e->old && e->new)
			assert_string_equal(e->old->name, e->new->name);
	}
	assert_int_equal(d.n_op[CONF_DIFF_KEEP], 2);
	assert_int_equal(d.n_op[CONF_DIFF_ADD], 1);
	assert_int_equal(d.n_op[CONF_DIFF_REMOVE], 2);
	assert_int_equal(d.n_op[CONF_DIFF_UPDATE] + d.n_op[CONF_DIFF_RESTART], 0);
	conf_diff_free(&d);
	conf_free(o);
	conf_free(n);
}

static void test_start_and_stop(void **state)
{
	struct config *c = load_names("A B");
	struct conf_diff d;

	(void)state;
	assert_int_equal(conf_diff(NULL, c, &d), 0);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.n_op[CONF_DIFF_ADD], 2);
	assert_string_equal(d.v[1].new->name, "B");
	conf_diff_free(&d);
	assert_int_equal(conf_diff(c, NULL, &d), 0);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.n_op[CONF_DIFF_REMOVE], 2);
	assert_string_equal(d.v[0].old->name, "A");
	conf_diff_free(&d);
	assert_int_equal(conf_diff(NULL, NULL, &d), 0);
	assert_int_equal(d.n, 0);
	conf_diff_free(&d);
	conf_free(c);
}

/* A name twice (conf_load refuses it): the k-th of NEW pairs with the k-th
 * of OLD, and every instance is in exactly one entry. */
static void test_duplicate_names(void **state)
{
	struct config *o = load_names("A B");
	struct config *n = load_names("A");

	(void)state;
	strcpy(o->inst[1].name, "A");
	{
		struct conf_diff d;

		assert_int_equal(conf_diff(o, n, &d), 0);
		assert_int_equal(d.n, 2);
		assert_int_equal(d.v[0].op, CONF_DIFF_KEEP);
		assert_ptr_equal(d.v[0].old, &o->inst[0]);
		assert_int_equal(d.v[1].op, CONF_DIFF_REMOVE);
		assert_ptr_equal(d.v[1].old, &o->inst[1]);
		conf_diff_free(&d);
	}
	conf_free(o);
	conf_free(n);
}

static void test_op_names(void **state)
{
	(void)state;
	assert_string_equal(conf_diff_op_name(CONF_DIFF_KEEP), "keep");
	assert_string_equal(conf_diff_op_name(CONF_DIFF_UPDATE), "update");
	assert_string_equal(conf_diff_op_name(CONF_DIFF_RESTART), "restart");
	assert_string_equal(conf_diff_op_name(CONF_DIFF_ADD), "add");
	assert_string_equal(conf_diff_op_name(CONF_DIFF_REMOVE), "remove");
}

/* ---- 1000 instances ---- */

enum { BIG = 1000 };

/* Instance I of the big file; VARIANT 1 is the reloaded one: every 10th
 * has a new priority, every 100th + 1 a new interface, every 100th + 2 is
 * gone, every 100th + 3 has one more VIP, and five are new at the end. */
static char *big_text(int variant)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	for (int i = 0; i < BIG; i++) {
		char name[32], ifname[16], vips[128];
		int r = i % 100;

		if (variant && r == 2)
			continue;
		snprintf(name, sizeof(name), "VI_%d", i);
		snprintf(ifname, sizeof(ifname), variant && r == 1 ? "moved%d" : "eth%d", i / 200);
		snprintf(vips, sizeof(vips), "2001:db8::%x:1%s", i,
			 variant && r == 3 ? "|2001:db8::ffff:1" : "");
		put_inst(f, name, ifname, i % 200 + 1, variant && i % 10 == 0 ? 200 : 100,
			 " version 3\n", vips);
	}
	for (int i = 0; variant && i < 5; i++) {
		char name[32];

		snprintf(name, sizeof(name), "NEW_%d", i);
		put_inst(f, name, "new0", i + 1, 100, "", "192.0.2.1");
	}
	fclose(f);
	return text;
}

static void test_thousand_instances(void **state)
{
	char *t0 = big_text(0), *t1 = big_text(1);
	struct config *o = load(t0), *n = load(t1);
	struct conf_diff d;
	size_t k = 0;

	(void)state;
	free(t0);
	free(t1);
	assert_int_equal(o->n_inst, BIG);
	assert_int_equal(n->n_inst, BIG - 10 + 5);
	assert_int_equal(conf_diff(o, n, &d), 0);
	assert_int_equal(d.n, BIG + 5);
	/* Every 10th changed priority (r = 0, 10, ... 90: 100 of them), 10 moved,
	 * 10 gained a VIP (r = 3, a priority change only when i % 10 == 0: never). */
	assert_int_equal(d.n_op[CONF_DIFF_RESTART], 10);
	assert_int_equal(d.n_op[CONF_DIFF_UPDATE], 100 + 10);
	assert_int_equal(d.n_op[CONF_DIFF_REMOVE], 10);
	assert_int_equal(d.n_op[CONF_DIFF_ADD], 5);
	assert_int_equal(d.n_op[CONF_DIFF_KEEP], BIG - 10 - 10 - 100 - 10);
	for (int i = 0; i < BIG; i++) {
		const struct conf_diff_inst *e;
		int r = i % 100;

		if (r == 2)
			continue;
		e = &d.v[k++];
		assert_ptr_equal(e->old, &o->inst[i]);
		if (r == 1)
			assert_int_equal(e->op, CONF_DIFF_RESTART);
		else if (r == 3)
			assert_true(e->op == CONF_DIFF_UPDATE && e->n_vip_add == 1 &&
				    e->vip_add[0] == 1 && e->n_vip_del == 0);
		else if (i % 10 == 0)
			assert_true(e->op == CONF_DIFF_UPDATE && !e->n_vip_add && !e->n_vip_del);
		else
			assert_int_equal(e->op, CONF_DIFF_KEEP);
	}
	for (; k < BIG - 10 + 5; k++)
		assert_int_equal(d.v[k].op, CONF_DIFF_ADD);
	for (int i = 2; i < BIG; i += 100, k++) {
		assert_int_equal(d.v[k].op, CONF_DIFF_REMOVE);
		assert_ptr_equal(d.v[k].old, &o->inst[i]);
	}
	conf_diff_free(&d);
	conf_free(o);
	conf_free(n);
}

/* vrrpctl restart resumes an instance only when its fingerprint is the
 * same: a changed setting changes it, a moved block does not. */
static void test_fingerprint(void **state)
{
	struct config *a = load_one("", "192.0.2.10/24");
	struct config *b = load_one(" advert_int 2\n", "192.0.2.10/24");
	struct config *c = load_one("", "192.0.2.10/24|192.0.2.11/24");
	struct config *d = load("# a comment line moves the block\n\n"
				"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
				" priority 100\n virtual_ipaddress {\n  192.0.2.10/24\n }\n}\n");

	(void)state;
	uint64_t fa = conf_instance_fingerprint(a, &a->inst[0]);
	assert_int_not_equal(fa, 0);
	assert_int_not_equal(fa, conf_instance_fingerprint(b, &b->inst[0]));
	assert_int_not_equal(fa, conf_instance_fingerprint(c, &c->inst[0]));
	assert_int_equal(fa, conf_instance_fingerprint(d, &d->inst[0]));
	conf_free(a);
	conf_free(b);
	conf_free(c);
	conf_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keep),	   cmocka_unit_test(test_update_settings),
	    cmocka_unit_test(test_update_vips),	   cmocka_unit_test(test_duplicate_vips),
	    cmocka_unit_test(test_restart),	   cmocka_unit_test(test_add_remove_order),
	    cmocka_unit_test(test_start_and_stop), cmocka_unit_test(test_duplicate_names),
	    cmocka_unit_test(test_op_names),	   cmocka_unit_test(test_thousand_instances),
	    cmocka_unit_test(test_restart_net),	   cmocka_unit_test(test_update_routes),
	    cmocka_unit_test(test_static_deltas),  cmocka_unit_test(test_fingerprint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
