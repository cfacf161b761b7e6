/* conf_check_net: the checks and defaults of the settings that shape the
 * network side of an instance: strict mode, Accept_Mode, the multicast
 * destination, gna_interval, virtual MAC names, and routes, rules and
 * static addresses that would undo each other.
 *
 * How: called from conf_finalize (check.c) once an instance's family and
 * version are final (conf_finalize_net), then once for the whole file
 * (conf_finalize_vmacs, conf_finalize_static). Clashes are found through
 * conf/index, so that every pass stays linear. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/check.h"
#include "conf/index.h"
#include "conf/model.h"

/* ---- strict mode ---- */

/* The first advertised VIP, or -1. */
static long first_vip(const struct conf_instance *in)
{
	for (size_t k = 0; k < in->n_vips; k++)
		if (!in->vips[k].excluded)
			return (long)k;
	return -1;
}

/* What strict mode refuses in an instance (keepalived's list, where vrrpd
 * implements the setting), each at its own token; WHY says where strict
 * mode was turned on. */
static void strict_refusals(const struct conf_instance *in, const struct conf_inst_meta *meta,
			    const char *why, struct conf_msgs *m)
{
	long v = first_vip(in);
	char a[ADDR_STRLEN];

	if (in->auth_type == CONF_AUTH_PASS && meta->auth_type && in->version == 2)
		conf_msg_tok(m, false, meta->auth_type, "authentication is not allowed in %s", why);
	if (in->n_peers)
		conf_msg_tok(m, false, meta->peer[0],
			     "unicast_peer is not allowed in %s: adverts go to the multicast group",
			     why);
	if (meta->state && in->state == CONF_STATE_MASTER && in->priority != 255)
		conf_msg_tok(m, false, meta->state,
			     "state MASTER is only for the address owner (priority 255) in %s; "
			     "vrrp_instance %s has priority %u",
			     why, in->name, in->priority);
	else if (meta->state && in->state == CONF_STATE_BACKUP && in->priority == 255)
		conf_msg_tok(m, false, meta->state,
			     "the address owner (priority 255) must have state MASTER in %s", why);
	if (meta->preempt_delay && in->preempt_delay_ms)
		conf_msg_tok(m, false, meta->preempt_delay, "preempt_delay is not allowed in %s",
			     why);
	if (meta->lower_prio_no_advert && !in->lower_prio_no_advert)
		conf_msg_tok(m, false, meta->lower_prio_no_advert,
			     "lower_prio_no_advert false is not allowed in %s", why);
	if (meta->hpsa && in->higher_prio_send_advert)
		conf_msg_tok(m, false, meta->hpsa, "higher_prio_send_advert is not allowed in %s",
			     why);
	if (meta->lower_rep && in->garp.lower_repeat)
		conf_msg_tok(m, false, meta->lower_rep,
			     "garp_lower_prio_repeat must be 0 in %s (no repeated gratuitous ARPs)",
			     why);
	if (meta->vmac_xmit_base && in->vmac_xmit_base)
		conf_msg_tok(m, false, meta->vmac_xmit_base, "vmac_xmit_base is not allowed in %s",
			     why);
	if (meta->accept && in->accept_mode && in->version == 2 && in->priority != 255)
		conf_msg_tok(m, false, meta->accept,
			     "accept is not allowed in %s with VRRP version 2 (RFC 3768 has no "
			     "Accept_Mode)",
			     why);
	if (in->family == AF_INET6 && v >= 0 && !IN6_IS_ADDR_LINKLOCAL(&in->vips[v].addr.u.v6))
		conf_msg_tok(m, false, meta->vip[v],
			     "the first IPv6 virtual address must be link-local (RFC 5798 5.2.9) "
			     "in %s; %s is not",
			     why, addr_str(&in->vips[v].addr, a));
}

/* down_timer_adverts and owner_ignore_adverts: the global_defs defaults,
 * keepalived's rule that only an address owner ignores adverts, and
 * strict mode's (RFC's) 3 adverts and owner that ignores adverts. */
static void inst_failover(const struct conf_parse_result *r, struct conf_instance *in,
			  const struct conf_inst_meta *meta, const char *why, struct conf_msgs *m)
{
	const struct conf_global *g = &r->cfg->global;
	const struct conf_tok *dt = meta->down_timer ? meta->down_timer : r->gmeta.down_timer;
	bool owner = in->priority == 255; /* the address owner */

	if (!meta->down_timer)
		in->down_timer_adverts = g->down_timer_adverts;
	if (!meta->owner_ignore)
		in->owner_ignore_adverts = owner && (why || g->owner_ignore_adverts);
	if (meta->owner_ignore && in->owner_ignore_adverts && !owner) {
		conf_msg_tok(
		    m, true, meta->owner_ignore,
		    "owner_ignore_adverts has no effect: vrrp_instance %s has priority %u, "
		    "not 255 (the address owner); ignored, as keepalived does",
		    in->name, in->priority);
		in->owner_ignore_adverts = false;
	}
	if (meta->track_src_ip && !in->has_unicast_src) {
		conf_msg_tok(m, true, meta->track_src_ip,
			     "track_src_ip has no effect without unicast_src_ip or mcast_src_ip "
			     "(ignored, as keepalived does; an instance without a source address "
			     "of its own goes to FAULT when its interface has none)");
		in->track_src_ip = false;
	}
	if (meta->expired_backup && !in->nopreempt) {
		conf_msg_tok(m, true, meta->expired_backup,
			     "timer_expired_backup needs nopreempt; ignored, as keepalived does");
		in->expired_backup_prio = 0;
	}
	if (!why)
		return;
	if (in->down_timer_adverts != 3 && dt)
		conf_msg_tok(m, false, dt,
			     "down_timer_adverts %u is not allowed in %s (RFC 5798: 3 adverts)",
			     in->down_timer_adverts, why);
	if (owner && meta->owner_ignore && !in->owner_ignore_adverts)
		conf_msg_tok(
		    m, false, meta->owner_ignore,
		    "owner_ignore_adverts false is not allowed for the address owner in %s", why);
}

/* Strict mode (the instance's strict_mode, else vrrp_strict): what it
 * refuses, and the defaults it changes (Accept_Mode, lower_prio_no_advert,
 * and the initial state, MASTER exactly for the address owner). */
static void inst_strict(const struct conf_parse_result *r, struct conf_instance *in,
			const struct conf_inst_meta *meta, struct conf_msgs *m)
{
	const struct conf_tok *on = meta->strict_mode ? meta->strict_mode : r->gmeta.strict;
	char w[300], why[400];

	if (!meta->strict_mode)
		in->strict_mode = r->cfg->global.vrrp_strict;
	if (!meta->accept)
		in->accept_mode = !in->strict_mode;
	if (!in->strict_mode || !on) {
		inst_failover(r, in, meta, NULL, m);
		return;
	}
	snprintf(why, sizeof(why), "strict mode (%s at %s)", on->text,
		 conf_where(on, meta->name, w, sizeof(w)));
	strict_refusals(in, meta, why, m);
	inst_failover(r, in, meta, why, m);
	if (!meta->lower_prio_no_advert)
		in->lower_prio_no_advert = true;
	/* keepalived: no extra adverts and no repeated GARPs in strict mode. */
	if (!meta->hpsa && r->gmeta.hpsa && in->higher_prio_send_advert)
		conf_msg_tok(
		    m, true, r->gmeta.hpsa,
		    "vrrp_higher_prio_send_advert does not apply to vrrp_instance %s in %s",
		    in->name, why);
	if (!meta->hpsa)
		in->higher_prio_send_advert = false;
	if (!meta->garp_lower_repeat_set)
		in->garp.lower_repeat = 0;
	if (!meta->state) /* keepalived: the state follows from the priority */
		in->state = in->priority == 255 ? CONF_STATE_MASTER : CONF_STATE_BACKUP;
}

/* ---- multicast destination ---- */

static bool is_rfc_group(const struct vaddr *a)
{
	static const uint8_t g6[16] = {0xff, 0x02, [15] = 0x12};

	if (a->family == AF_INET)
		return ntohl(a->u.v4.s_addr) == 0xe0000012u; /* 224.0.0.18 */
	return !memcmp(a->u.b, g6, sizeof(g6));
}

/* mcast_dst_ip, else the global group of the instance's family; none with
 * unicast peers. */
static void inst_mcast(const struct conf_global *g, struct conf_instance *in,
		       const struct conf_inst_meta *meta, struct conf_msgs *m)
{
	char a[ADDR_STRLEN];

	if (meta->mcast_dst && in->n_peers) {
		conf_msg_tok(m, false, meta->mcast_dst,
			     "mcast_dst_ip is for multicast adverts, but vrrp_instance %s has "
			     "unicast_peer",
			     in->name);
	} else if (meta->mcast_dst && in->mcast_dst.family != in->family) {
		conf_msg_tok(m, false, meta->mcast_dst,
			     "mcast_dst_ip %s is %s but vrrp_instance %s is %s",
			     addr_str(&in->mcast_dst, a), conf_family_name(in->mcast_dst.family),
			     in->name, conf_family_name(in->family));
	} else if (!meta->mcast_dst && !in->n_peers) {
		bool v6 = in->family == AF_INET6;

		in->has_mcast_dst = v6 ? g->has_mcast_group6 : g->has_mcast_group4;
		in->mcast_dst = v6 ? g->mcast_group6 : g->mcast_group4;
	}
	if (!in->has_mcast_dst || in->n_peers || is_rfc_group(&in->mcast_dst)) {
		in->has_mcast_dst = false;
		memset(&in->mcast_dst, 0, sizeof(in->mcast_dst));
	}
}

/* ---- routes and rules of one list ---- */

/* What the kernel tells routes apart by: two routes with the same key
 * replace each other. The metric the kernel gives an unwritten one. */
static uint32_t route_metric(const struct vroute *r)
{
	return r->has_metric ? r->metric : r->family == AF_INET6 ? 1024 : 0;
}

/* "ADDR/LEN" of a route's destination. */
static const char *route_dst(const struct vroute *r, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	snprintf(buf, len, "%s/%u", addr_str(&r->dst, a), r->dst_len);
	return buf;
}

static uint64_t route_key(const struct vroute *r)
{
	uint32_t metric = route_metric(r);
	uint64_t h = conf_hash(&r->family, 1, CONF_HASH_SEED);

	h = conf_hash(r->dst.u.b, addr_len(&r->dst), h);
	h = conf_hash(&r->dst_len, 1, h);
	h = conf_hash(&r->table, sizeof(r->table), h);
	return conf_hash(&metric, sizeof(metric), h);
}

static bool route_same_key(const struct vroute *a, const struct vroute *b)
{
	return a->family == b->family && addr_eq(&a->dst, &b->dst) && a->dst_len == b->dst_len &&
	       a->table == b->table && route_metric(a) == route_metric(b);
}

/* Routes that would replace each other: an error at the later one. */
static void route_clashes(const struct vroute *v, size_t n, const struct conf_tok **tok,
			  struct conf_msgs *m)
{
	struct conf_index ix;
	char w[300], d[ADDR_STRLEN + 8];

	conf_index_xinit(&ix, n);
	for (size_t k = 0; k < n; k++) {
		size_t it = 0, j;
		bool clash = false;

		while (!clash && conf_index_next(&ix, route_key(&v[k]), &it, &j))
			clash = route_same_key(&v[j], &v[k]);
		if (clash)
			conf_msg_tok(m, false, tok[k],
				     "route %s has the destination, table and metric of the route "
				     "at %s; the kernel keeps only one of them",
				     route_dst(&v[k], d, sizeof(d)),
				     conf_where(tok[j], tok[k], w, sizeof(w)));
		else
			conf_index_add(&ix, route_key(&v[k]), k);
	}
	conf_index_free(&ix);
}

static uint64_t rule_key(const struct vrule *u)
{
	uint64_t h = conf_hash(&u->family, 1, CONF_HASH_SEED);

	h = conf_hash(&u->priority, sizeof(u->priority), h);
	h = conf_hash(u->from.u.b, u->has_from ? addr_len(&u->from) : 0, h);
	return conf_hash(u->to.u.b, u->has_to ? addr_len(&u->to) : 0, h);
}

/* Rules written twice: the kernel refuses the second. */
static void rule_dups(const struct vrule *v, size_t n, const struct conf_tok **tok,
		      struct conf_msgs *m)
{
	struct conf_index ix;
	char w[300];

	conf_index_xinit(&ix, n);
	for (size_t k = 0; k < n; k++) {
		size_t it = 0, j;
		bool dup = false;

		while (!dup && conf_index_next(&ix, rule_key(&v[k]), &it, &j))
			dup = conf_rule_equal(&v[j], &v[k]);
		if (dup)
			conf_msg_tok(m, false, tok[k], "duplicate rule (first at %s)",
				     conf_where(tok[j], tok[k], w, sizeof(w)));
		else
			conf_index_add(&ix, rule_key(&v[k]), k);
	}
	conf_index_free(&ix);
}

void conf_finalize_net(struct conf_parse_result *r, size_t idx, struct conf_msgs *m)
{
	struct conf_instance *in = &r->cfg->inst[idx];
	const struct conf_inst_meta *meta = &r->meta[idx];

	inst_strict(r, in, meta, m);
	inst_mcast(&r->cfg->global, in, meta, m);
	if (in->use_vmac && in->n_peers && !in->vmac_xmit_base)
		conf_msg_tok(m, false, meta->use_vmac,
			     "use_vmac with unicast_peer needs vmac_xmit_base (unicast adverts go "
			     "out of and come in on %s, not the virtual MAC interface)",
			     in->ifname);
	if (!meta->gna_interval_set)
		in->garp.na_interval_us = r->cfg->global.garp.na_interval_us;
	route_clashes(in->vroutes, in->n_vroutes, meta->vroute, m);
	rule_dups(in->vrules, in->n_vrules, meta->vrule, m);
}

/* ---- virtual MAC names ---- */

/* Names an instance's VMAC cannot take: interfaces and other VMACs. */
struct vmac_names {
	struct conf_index ix;
	const char **name;
	size_t *inst; /* whose name it is */
	bool *is_if;  /* an instance's interface, not its VMAC */
	size_t n;
};

/* The first taken entry named NAME, or -1. */
static long vmac_taken(const struct vmac_names *t, const char *name)
{
	size_t it = 0, k;

	while (conf_index_next(&t->ix, conf_hash_str(name), &it, &k))
		if (!strcmp(t->name[k], name))
			return (long)k;
	return -1;
}

static void vmac_take(struct vmac_names *t, const char *name, size_t inst, bool is_if)
{
	t->name[t->n] = name;
	t->inst[t->n] = inst;
	t->is_if[t->n] = is_if;
	conf_index_add(&t->ix, conf_hash_str(name), t->n++);
}

/* A name written with use_vmac: free, or an error. */
static void vmac_explicit(struct conf_parse_result *r, struct vmac_names *t, size_t k,
			  struct conf_msgs *m)
{
	const struct conf_instance *in = &r->cfg->inst[k];
	const struct conf_tok *tok = r->meta[k].vmac_name;
	long j = vmac_taken(t, in->vmac_name);
	char w[300];

	if (j < 0) {
		vmac_take(t, in->vmac_name, k, false);
	} else if (t->is_if[j]) {
		conf_msg_tok(m, false, tok,
			     "use_vmac name '%s' is the interface of vrrp_instance %s; a virtual "
			     "MAC interface needs a name of its own",
			     in->vmac_name, r->cfg->inst[t->inst[j]].name);
	} else {
		conf_msg_tok(m, false, tok,
			     "use_vmac name '%s' is already the virtual MAC interface of "
			     "vrrp_instance %s (at %s)",
			     in->vmac_name, r->cfg->inst[t->inst[j]].name,
			     conf_where(r->meta[t->inst[j]].vmac_name, tok, w, sizeof(w)));
	}
}

/* Takes PREFIX[NUM].VRID (NUM 0: none) for instance K when it is free. */
static bool vmac_try(struct vmac_names *t, struct conf_instance *in, size_t k, const char *prefix,
		     int num)
{
	if (num)
		snprintf(in->vmac_name, sizeof(in->vmac_name), "%s%d.%u", prefix, num, in->vrid);
	else
		snprintf(in->vmac_name, sizeof(in->vmac_name), "%s.%u", prefix, in->vrid);
	if (vmac_taken(t, in->vmac_name) >= 0)
		return false;
	vmac_take(t, in->vmac_name, k, false);
	return true;
}

/* keepalived's default: PREFIX.VRID, then for IPv6 PREFIX6.VRID, then
 * PREFIX1.VRID, PREFIX2.VRID... (6 already tried for IPv6), the first
 * free. */
static void vmac_default(struct conf_parse_result *r, struct vmac_names *t, size_t k,
			 const char *prefix, struct conf_msgs *m)
{
	struct conf_instance *in = &r->cfg->inst[k];
	bool v6 = in->family == AF_INET6;

	if (vmac_try(t, in, k, prefix, 0) || (v6 && vmac_try(t, in, k, prefix, 6)))
		return;
	for (int num = 1; num < 100; num++)
		if (!(v6 && num == 6) && vmac_try(t, in, k, prefix, num))
			return;
	in->vmac_name[0] = '\0';
	conf_msg_tok(m, false, r->meta[k].use_vmac,
		     "no free default name for the virtual MAC interface of vrrp_instance %s; "
		     "write use_vmac NAME",
		     in->name);
}

void conf_finalize_vmacs(struct conf_parse_result *r, struct conf_msgs *m)
{
	struct config *c = r->cfg;
	const char *prefix = r->gmeta.vmac_prefix ? r->gmeta.vmac_prefix->text : "vrrp";
	struct vmac_names t = {0};
	size_t cap = 2 * c->n_inst + 1;

	conf_index_xinit(&t.ix, cap);
	t.name = conf_xcalloc(cap, sizeof(*t.name));
	t.inst = conf_xcalloc(cap, sizeof(*t.inst));
	t.is_if = conf_xcalloc(cap, sizeof(*t.is_if));
	for (size_t k = 0; k < c->n_inst; k++)
		if (c->inst[k].ifname[0] && vmac_taken(&t, c->inst[k].ifname) < 0)
			vmac_take(&t, c->inst[k].ifname, k, true);
	for (size_t k = 0; k < c->n_inst; k++)
		if (c->inst[k].use_vmac && r->meta[k].vmac_name)
			vmac_explicit(r, &t, k, m);
	for (size_t k = 0; k < c->n_inst; k++)
		if (c->inst[k].use_vmac && !r->meta[k].vmac_name)
			vmac_default(r, &t, k, prefix, m);
	conf_index_free(&t.ix);
	conf_xfree(t.name);
	conf_xfree(t.inst);
	conf_xfree(t.is_if);
}

/* ---- static addresses, routes and rules ---- */

static uint64_t addr_hash(const struct vaddr *a)
{
	return conf_hash(a->u.b, addr_len(a), conf_hash(&a->family, 1, CONF_HASH_SEED));
}

/* Static addresses: each once, and none that an instance adds and removes
 * (it would be gone whenever that instance is not master). */
static void static_addr_clashes(const struct conf_parse_result *r, struct conf_msgs *m)
{
	const struct config *c = r->cfg;
	const struct conf_global *g = &c->global;
	struct conf_index ix;
	char a[ADDR_STRLEN], w[300];

	conf_index_xinit(&ix, g->n_static_addrs);
	for (size_t k = 0; k < g->n_static_addrs; k++) {
		size_t it = 0, j;
		bool dup = false;

		while (!dup && conf_index_next(&ix, addr_hash(&g->static_addrs[k].addr), &it, &j))
			dup = addr_eq(&g->static_addrs[j].addr, &g->static_addrs[k].addr);
		if (dup)
			conf_msg_tok(m, false, r->gmeta.static_addr[k],
				     "duplicate static address %s (first at %s)",
				     addr_str(&g->static_addrs[k].addr, a),
				     conf_where(r->gmeta.static_addr[j], r->gmeta.static_addr[k], w,
						sizeof(w)));
		else
			conf_index_add(&ix, addr_hash(&g->static_addrs[k].addr), k);
	}
	for (size_t i = 0; i < c->n_inst; i++) {
		for (size_t v = 0; v < c->inst[i].n_vips; v++) {
			const struct vaddr *va = &c->inst[i].vips[v].addr;
			size_t it = 0, j;

			while (conf_index_next(&ix, addr_hash(va), &it, &j))
				if (addr_eq(&g->static_addrs[j].addr, va))
					conf_msg_tok(
					    m, false, r->meta[i].vip[v],
					    "%s is a static address (at %s) and a virtual "
					    "address of vrrp_instance %s; it would be removed "
					    "whenever the instance is not master",
					    addr_str(va, a),
					    conf_where(r->gmeta.static_addr[j], r->meta[i].vip[v],
						       w, sizeof(w)),
					    c->inst[i].name);
		}
	}
	conf_index_free(&ix);
}

/* Virtual routes that would replace (and then remove) a static one. */
static void static_route_clashes(const struct conf_parse_result *r, struct conf_msgs *m)
{
	const struct config *c = r->cfg;
	const struct conf_global *g = &c->global;
	struct conf_index ix;
	char w[300], d[ADDR_STRLEN + 8];

	conf_index_xinit(&ix, g->n_static_routes);
	for (size_t k = 0; k < g->n_static_routes; k++)
		conf_index_add(&ix, route_key(&g->static_routes[k]), k);
	for (size_t i = 0; i < c->n_inst; i++) {
		for (size_t v = 0; v < c->inst[i].n_vroutes; v++) {
			const struct vroute *vr = &c->inst[i].vroutes[v];
			const struct conf_tok *t = r->meta[i].vroute[v];
			size_t it = 0, j;
			bool clash = false;

			while (!clash && conf_index_next(&ix, route_key(vr), &it, &j))
				clash = route_same_key(&g->static_routes[j], vr);
			if (clash)
				conf_msg_tok(
				    m, false, t,
				    "route %s of vrrp_instance %s has the destination, table "
				    "and metric of the static route at %s; it would replace "
				    "it, and remove it when the instance stops being master",
				    route_dst(vr, d, sizeof(d)), c->inst[i].name,
				    conf_where(r->gmeta.static_route[j], t, w, sizeof(w)));
		}
	}
	conf_index_free(&ix);
}

void conf_finalize_static(struct conf_parse_result *r, struct conf_msgs *m)
{
	const struct conf_global *g = &r->cfg->global;

	static_addr_clashes(r, m);
	route_clashes(g->static_routes, g->n_static_routes, r->gmeta.static_route, m);
	rule_dups(g->static_rules, g->n_static_rules, r->gmeta.static_rule, m);
	static_route_clashes(r, m);
}

/* ---- interface_up_down_delays ---- */

/* keepalived's rule: a down delay must end before a backup on the same
 * link times out, (down_timer_adverts - 1) advert intervals less 1/256 of
 * one, for every instance on the interface; no delays at all with
 * down_timer_adverts 1. A longer delay is cut, with a warning (keepalived
 * cuts it too, and logs it); an up delay equal to the down delay follows. */
void conf_finalize_if_delays(struct conf_parse_result *r, struct conf_msgs *m)
{
	struct config *c = r->cfg;

	for (size_t k = 0; k < c->global.n_if_delays; k++) {
		struct conf_if_delay *d = &c->global.if_delays[k];
		for (size_t i = 0; i < c->n_inst; i++) {
			const struct conf_instance *in = &c->inst[i];
			uint64_t adv = (uint64_t)in->advert_int_cs * 10000;
			uint64_t max = (in->down_timer_adverts - 1) * adv - adv / 256;
			if (strcmp(in->ifname, d->ifname) || (!d->down_us && !d->up_us))
				continue;
			if (in->down_timer_adverts == 1) {
				conf_msg_tok(
				    m, true, r->gmeta.if_delay[k],
				    "interface_up_down_delays for %s dropped: vrrp_instance "
				    "%s has down_timer_adverts 1 (as keepalived does)",
				    d->ifname, in->name);
				d->down_us = d->up_us = 0;
			} else if (d->down_us > max) {
				conf_msg_tok(
				    m, true, r->gmeta.if_delay[k],
				    "interface_up_down_delays: the down delay of %s is cut to "
				    "%.6f s, under (down_timer_adverts - 1) advert intervals of "
				    "vrrp_instance %s (as keepalived does)",
				    d->ifname, max / 1e6, in->name);
				if (d->up_us == d->down_us)
					d->up_us = (uint32_t)max;
				d->down_us = (uint32_t)max;
			}
		}
	}
}
