/* diff: what a reload must do, decided from the two configurations alone.
 *
 * Promises: conf_diff() is pure (no I/O, no clock) and linear in the
 * number of instances (names are matched through a hash) and in the
 * number of VIPs of each instance. It returns one entry per instance of
 * either configuration: every instance of NEW in NEW's order, then those
 * only in OLD in OLD's order. OLD or NEW may be NULL (no instances: at
 * start everything is ADD, at stop everything REMOVE). Instances are
 * matched by name (a loaded config has unique names; were a name there
 * twice, the k-th of NEW would match the k-th of OLD). Per instance:
 *  - KEEP: nothing that matters changed (conf_instance_equal); the running
 *    instance only points at its new conf_instance.
 *  - UPDATE: same identity (interface, VRID, version, family, unicast
 *    source, virtual MAC: use_vmac, its name and vmac_xmit_base, and the
 *    multicast destination, heartbeat_path), other settings changed (Accept_Mode, routes
 *    and rules among them): applied in place. vip_del lists the
 *    indices into old->vips that are gone, vip_add the indices into
 *    new->vips that are new (same address, prefix, options and device =
 *    the same VIP, as conf_vip_equal), each in ascending order; a VIP whose
 *    option changed is in both. A VIP is gone only when no equal one is
 *    left: equal duplicates (which conf_load refuses) count as one.
 *    routes and rules say the same of vroutes and vrules, entries being
 *    equal as conf_route_equal / conf_rule_equal say (a changed route is
 *    in both lists).
 *  - RESTART: the identity changed: stop with the old, start with the new.
 *  - ADD: only in NEW. REMOVE: only in OLD.
 * Only UPDATE entries have VIP, route and rule lists (else NULL, 0).
 * The plan's static_addrs, static_routes and static_rules do the same for
 * the top level's static_ipaddress, static_routes and static_rules (with
 * OLD or NEW NULL: everything added or removed). The entries point
 * into OLD and NEW, which must outlive the plan. The daemon only executes
 * the plan; it may still restart an instance that was never started
 * instead of updating it. */
#ifndef VRRPD_CONF_DIFF_H
#define VRRPD_CONF_DIFF_H

#include <stddef.h>

#include "conf/conf.h"

struct conf_arena;

enum conf_diff_op {
	CONF_DIFF_KEEP,
	CONF_DIFF_UPDATE,
	CONF_DIFF_RESTART,
	CONF_DIFF_ADD,
	CONF_DIFF_REMOVE
};

/* The entries of a list that are gone and that are new. */
struct conf_delta {
	size_t *del, n_del; /* indices into the old list, ascending; owned */
	size_t *add, n_add; /* indices into the new list, ascending; owned */
};

struct conf_diff_inst {
	enum conf_diff_op op;
	const struct conf_instance *old; /* NULL for ADD */
	const struct conf_instance *new; /* NULL for REMOVE */
	size_t *vip_del, n_vip_del;	 /* UPDATE: indices into old->vips; owned */
	size_t *vip_add, n_vip_add;	 /* UPDATE: indices into new->vips; owned */
	struct conf_delta routes;	 /* UPDATE: old->vroutes / new->vroutes */
	struct conf_delta rules;	 /* UPDATE: old->vrules / new->vrules */
};

struct conf_diff {
	struct conf_diff_inst *v;
	size_t n;
	unsigned n_op[CONF_DIFF_REMOVE + 1]; /* how many entries of each op */
	/* global.static_addrs / static_routes / static_rules */
	struct conf_delta static_addrs, static_routes, static_rules;
	/* Set when the plan was made in an arena (conf/arena.h: the reload
	 * child diffs into the new config's): its memory goes with that arena,
	 * and conf_diff_free only forgets it. */
	const struct conf_arena *arena;
};

/* Returns 0, or -1 when out of memory (OUT is then empty). Allocates as
 * conf_tcalloc: in the arena in use, if any (OUT->arena is then set). */
int conf_diff(const struct config *old, const struct config *new, struct conf_diff *out);
void conf_diff_free(struct conf_diff *d);
/* The plan from OLD to A's result (conf/arena.h), made in A: sets a->plan
 * and a->base = OLD. Returns 0, or -1 when it does not fit (a->plan stays
 * NULL). */
int conf_diff_arena(struct conf_arena *a, const struct config *old);
const char *conf_diff_op_name(enum conf_diff_op op);

#endif
