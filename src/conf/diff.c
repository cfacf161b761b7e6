/* conf_diff: the reload plan.
 *
 * How: OLD's instances are indexed by name (conf/index); each instance of
 * NEW takes the first not yet taken instance of OLD with its name, and is
 * compared with it: equal (conf_instance_equal) is KEEP, the same identity
 * is UPDATE, anything else RESTART; no partner is ADD. OLD's instances
 * nobody took are REMOVE. For an UPDATE, each side's VIPs are indexed by
 * address and every VIP looks for an equal one (conf_vip_equal) on the
 * other side: linear in the number of VIPs too; routes, rules and the
 * static lists the same way. Allocations are checked:
 * a reload must not abort the daemon. */
#include "conf/diff.h"

#include <stdlib.h>
#include <string.h>

#include "conf/arena.h"
#include "conf/index.h"

const char *conf_diff_op_name(enum conf_diff_op op)
{
	switch (op) {
	case CONF_DIFF_KEEP:
		return "keep";
	case CONF_DIFF_UPDATE:
		return "update";
	case CONF_DIFF_RESTART:
		return "restart";
	case CONF_DIFF_ADD:
		return "add";
	case CONF_DIFF_REMOVE:
		return "remove";
	}
	return "?";
}

/* What a running instance cannot change in place: where it lives and
 * talks (interface, virtual MAC, multicast destination, heartbeat_path)
 * and what it is. */
static bool same_identity(const struct conf_instance *a, const struct conf_instance *b)
{
	return !strcmp(a->ifname, b->ifname) && a->vrid == b->vrid && a->version == b->version &&
	       a->family == b->family && a->has_unicast_src == b->has_unicast_src &&
	       (!a->has_unicast_src || addr_eq(&a->unicast_src, &b->unicast_src)) &&
	       a->use_vmac == b->use_vmac &&
	       (!a->use_vmac || !strcmp(a->vmac_name, b->vmac_name)) &&
	       a->vmac_xmit_base == b->vmac_xmit_base && a->has_mcast_dst == b->has_mcast_dst &&
	       (!a->has_mcast_dst || addr_eq(&a->mcast_dst, &b->mcast_dst)) && conf_hb_equal(a, b);
}

static uint64_t addr_hash(const struct vaddr *a)
{
	return conf_hash(a->u.b, addr_len(a), conf_hash(&a->family, 1, CONF_HASH_SEED));
}

static int index_vips(struct conf_index *ix, const struct conf_instance *in)
{
	if (conf_index_init(ix, in->n_vips) < 0)
		return -1;
	for (size_t k = 0; k < in->n_vips; k++)
		conf_index_add(ix, addr_hash(&in->vips[k].addr), k);
	return 0;
}

/* Whether instance IN, indexed by IX, has a VIP equal to V of instance VI. */
static bool has_vip(const struct conf_index *ix, const struct conf_instance *in,
		    const struct conf_instance *vi, const struct vip *v)
{
	size_t it = 0, k;

	while (conf_index_next(ix, addr_hash(&v->addr), &it, &k))
		if (conf_vip_equal(in, &in->vips[k], vi, v))
			return true;
	return false;
}

/* The VIPs of FROM that TO (indexed by IX) lacks, as indices into
 * FROM->vips; *OUT stays NULL when there are none. */
static int vips_missing(const struct conf_instance *from, const struct conf_instance *to,
			const struct conf_index *ix, size_t **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	for (size_t k = 0; k < from->n_vips; k++) {
		if (has_vip(ix, to, from, &from->vips[k]))
			continue;
		if (!*out && !(*out = conf_tcalloc(from->n_vips, sizeof(**out))))
			return -1;
		(*out)[(*n)++] = k;
	}
	return 0;
}

/* ---- lists compared entry by entry (routes, rules, static addresses) ---- */

struct list_kind {
	size_t size;
	uint64_t (*hash)(const void *e);
	bool (*eq)(const void *a, const void *b);
};

#define AT(base, k, kind) ((const char *)(base) + (k) * (kind)->size)

/* The entries of FROM that TO (indexed by IX) lacks, into *OUT / *N. */
static int list_missing(const struct list_kind *kind, const void *from, size_t n_from,
			const void *to, const struct conf_index *ix, size_t **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	for (size_t k = 0; k < n_from; k++) {
		const void *e = AT(from, k, kind);
		size_t it = 0, j;
		bool found = false;

		while (!found && conf_index_next(ix, kind->hash(e), &it, &j))
			found = kind->eq(AT(to, j, kind), e);
		if (found)
			continue;
		if (!*out && !(*out = conf_tcalloc(n_from, sizeof(**out))))
			return -1;
		(*out)[(*n)++] = k;
	}
	return 0;
}

static int list_index(const struct list_kind *kind, const void *v, size_t n, struct conf_index *ix)
{
	if (conf_index_init(ix, n) < 0)
		return -1;
	for (size_t k = 0; k < n; k++)
		conf_index_add(ix, kind->hash(AT(v, k, kind)), k);
	return 0;
}

static int list_delta(const struct list_kind *kind, const void *old, size_t n_old, const void *new,
		      size_t n_new, struct conf_delta *d)
{
	struct conf_index io, in;
	int rc = -1;

	if (list_index(kind, old, n_old, &io) < 0)
		return -1;
	if (list_index(kind, new, n_new, &in) == 0) {
		rc = list_missing(kind, old, n_old, new, &in, &d->del, &d->n_del);
		if (rc == 0)
			rc = list_missing(kind, new, n_new, old, &io, &d->add, &d->n_add);
		conf_index_free(&in);
	}
	conf_index_free(&io);
	return rc;
}

static uint64_t route_hash(const void *e)
{
	const struct vroute *r = e;

	return conf_hash(&r->dst_len, 1, addr_hash(&r->dst));
}

static bool route_eq(const void *a, const void *b)
{
	return conf_route_equal(a, b);
}

static uint64_t rule_hash(const void *e)
{
	const struct vrule *u = e;

	return conf_hash(&u->priority, sizeof(u->priority), conf_hash(&u->family, 1, 0));
}

static bool rule_eq(const void *a, const void *b)
{
	return conf_rule_equal(a, b);
}

static uint64_t static_addr_hash(const void *e)
{
	return addr_hash(&((const struct vip *)e)->addr);
}

/* Static addresses always have their own device. */
static bool static_addr_eq(const void *a, const void *b)
{
	static const struct conf_instance none;

	return conf_vip_equal(&none, a, &none, b);
}

static const struct list_kind route_kind = {sizeof(struct vroute), route_hash, route_eq};
static const struct list_kind rule_kind = {sizeof(struct vrule), rule_hash, rule_eq};
static const struct list_kind static_addr_kind = {sizeof(struct vip), static_addr_hash,
						  static_addr_eq};

static int vip_deltas(struct conf_diff_inst *e)
{
	struct conf_index io, in;
	int rc = -1;

	if (index_vips(&io, e->old) < 0)
		return -1;
	if (index_vips(&in, e->new) == 0) {
		rc = vips_missing(e->old, e->new, &in, &e->vip_del, &e->n_vip_del);
		if (rc == 0)
			rc = vips_missing(e->new, e->old, &io, &e->vip_add, &e->n_vip_add);
		conf_index_free(&in);
	}
	conf_index_free(&io);
	return rc;
}

static int classify(struct conf_diff_inst *e)
{
	if (conf_instance_equal(e->old, e->new)) {
		e->op = CONF_DIFF_KEEP;
		return 0;
	}
	if (!same_identity(e->old, e->new)) {
		e->op = CONF_DIFF_RESTART;
		return 0;
	}
	e->op = CONF_DIFF_UPDATE;
	if (vip_deltas(e) < 0 || list_delta(&route_kind, e->old->vroutes, e->old->n_vroutes,
					    e->new->vroutes, e->new->n_vroutes, &e->routes) < 0)
		return -1;
	return list_delta(&rule_kind, e->old->vrules, e->old->n_vrules, e->new->vrules,
			  e->new->n_vrules, &e->rules);
}

/* The top level's static lists (an absent config has none). */
static int static_deltas(const struct config *old, const struct config *new, struct conf_diff *out)
{
	static const struct conf_global none;
	const struct conf_global *go = old ? &old->global : &none, *gn = new ? &new->global : &none;

	if (list_delta(&static_addr_kind, go->static_addrs, go->n_static_addrs, gn->static_addrs,
		       gn->n_static_addrs, &out->static_addrs) < 0 ||
	    list_delta(&route_kind, go->static_routes, go->n_static_routes, gn->static_routes,
		       gn->n_static_routes, &out->static_routes) < 0)
		return -1;
	return list_delta(&rule_kind, go->static_rules, go->n_static_rules, gn->static_rules,
			  gn->n_static_rules, &out->static_rules);
}

/* The first instance of OLD named NAME that no entry has taken, or -1. */
static long take_old(const struct config *old, const struct conf_index *ix, bool *taken,
		     const char *name)
{
	size_t it = 0, k;

	while (conf_index_next(ix, conf_hash_str(name), &it, &k)) {
		if (!taken[k] && !strcmp(old->inst[k].name, name)) {
			taken[k] = true;
			return (long)k;
		}
	}
	return -1;
}

static int plan(const struct config *old, const struct config *new, const struct conf_index *ix,
		bool *taken, struct conf_diff *out)
{
	size_t n_old = old ? old->n_inst : 0, n_new = new ? new->n_inst : 0;

	for (size_t k = 0; k < n_new; k++) {
		struct conf_diff_inst *e = &out->v[out->n++];
		long j = take_old(old, ix, taken, new->inst[k].name);

		e->new = &new->inst[k];
		e->op = CONF_DIFF_ADD;
		if (j < 0)
			continue;
		e->old = &old->inst[j];
		if (classify(e) < 0)
			return -1;
	}
	for (size_t k = 0; k < n_old; k++) {
		if (taken[k])
			continue;
		out->v[out->n].op = CONF_DIFF_REMOVE;
		out->v[out->n++].old = &old->inst[k];
	}
	for (size_t k = 0; k < out->n; k++)
		out->n_op[out->v[k].op]++;
	return 0;
}

int conf_diff(const struct config *old, const struct config *new, struct conf_diff *out)
{
	size_t n_old = old ? old->n_inst : 0, n_new = new ? new->n_inst : 0;
	struct conf_index ix;
	bool *taken = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->arena = conf_arena_cur();
	if (conf_index_init(&ix, n_old) < 0)
		return -1;
	taken = conf_tcalloc(n_old ? n_old : 1, sizeof(*taken));
	out->v = conf_tcalloc(n_old + n_new ? n_old + n_new : 1, sizeof(*out->v));
	if (taken && out->v) {
		for (size_t k = 0; k < n_old; k++)
			conf_index_add(&ix, conf_hash_str(old->inst[k].name), k);
		rc = plan(old, new, &ix, taken, out);
		if (rc == 0)
			rc = static_deltas(old, new, out);
	}
	conf_index_free(&ix);
	conf_xfree(taken);
	if (rc < 0)
		conf_diff_free(out);
	return rc;
}

int conf_diff_arena(struct conf_arena *a, const struct config *old)
{
	struct conf_arena *was = conf_arena_use(a);
	struct conf_diff *plan = conf_tcalloc(1, sizeof(*plan));
	int rc = plan ? conf_diff(old, a->result, plan) : -1;

	if (rc == 0) {
		a->base = old;
		a->plan = plan;
	}
	conf_arena_use(was);
	return rc;
}

static void delta_free(struct conf_delta *d)
{
	conf_xfree(d->del);
	conf_xfree(d->add);
}

void conf_diff_free(struct conf_diff *d)
{
	if (d->arena) { /* the arena's memory: unmapped with it */
		memset(d, 0, sizeof(*d));
		return;
	}
	for (size_t k = 0; d->v && k < d->n; k++) {
		conf_xfree(d->v[k].vip_del);
		conf_xfree(d->v[k].vip_add);
		delta_free(&d->v[k].routes);
		delta_free(&d->v[k].rules);
	}
	conf_xfree(d->v);
	delta_free(&d->static_addrs);
	delta_free(&d->static_routes);
	delta_free(&d->static_rules);
	memset(d, 0, sizeof(*d));
}
