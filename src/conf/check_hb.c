/* conf_check_hb: the checks of an instance's heartbeat_path (vrrpd's own,
 * kw_heartbeat.c), once its family is final, and the clashes of the second
 * paths with the other instances' interfaces.
 *
 * How: conf_finalize_hb per instance (from finalize_instance), then
 * conf_finalize_hb_clashes once for the file, through a conf/index keyed
 * by interface, VRID and family, so that the pass stays linear. */
#include <string.h>

#include "conf/check.h"
#include "conf/index.h"
#include "conf/model.h"

/* The first earlier of the N addresses at A equal to A[k], or -1; adds k
 * when there is none. */
static long hb_addr_first(struct conf_index *ix, const struct vaddr *a, size_t k)
{
	uint64_t h =
	    conf_hash(a[k].u.b, addr_len(&a[k]), conf_hash(&a[k].family, 1, CONF_HASH_SEED));
	size_t it = 0, j;

	while (conf_index_next(ix, h, &it, &j))
		if (addr_eq(&a[j], &a[k]))
			return (long)j;
	conf_index_add(ix, h, k);
	return -1;
}

/* heartbeat_path's peers: the instance's family, no duplicates, none that
 * is also a peer of the first path (an advert's source says its path). */
static void hb_peers(const struct conf_instance *in, const struct conf_inst_meta *meta,
		     struct conf_msgs *m)
{
	char a[ADDR_STRLEN], w[300];
	struct conf_index seen, main;

	conf_index_xinit(&seen, in->n_hb_peers);
	conf_index_xinit(&main, in->n_peers + 1);
	for (size_t k = 0; k < in->n_peers; k++)
		hb_addr_first(&main, in->peers, k);
	for (size_t k = 0; k < in->n_hb_peers; k++) {
		const struct vaddr *p = &in->hb_peers[k];
		long j = hb_addr_first(&seen, in->hb_peers, k);
		uint64_t h =
		    conf_hash(p->u.b, addr_len(p), conf_hash(&p->family, 1, CONF_HASH_SEED));
		size_t it = 0, pos;
		bool on_main = false;

		while (!on_main && conf_index_next(&main, h, &it, &pos))
			on_main = addr_eq(&in->peers[pos], p);
		if (p->family != in->family)
			conf_msg_tok(m, false, meta->hb_peer[k],
				     "heartbeat_path peer %s is %s but vrrp_instance %s is %s",
				     addr_str(p, a), conf_family_name(p->family), in->name,
				     conf_family_name(in->family));
		else if (j >= 0)
			conf_msg_tok(m, false, meta->hb_peer[k],
				     "duplicate heartbeat_path peer %s (first at %s)",
				     addr_str(p, a),
				     conf_where(meta->hb_peer[j], meta->hb_peer[k], w, sizeof(w)));
		else if (on_main && !in->hb_ifname[0])
			conf_msg_tok(
			    m, false, meta->hb_peer[k],
			    "heartbeat_path peer %s is also a unicast_peer of vrrp_instance "
			    "%s: the second path needs peers of its own (or an interface)",
			    addr_str(p, a), in->name);
	}
	conf_index_free(&seen);
	conf_index_free(&main);
}

void conf_finalize_hb(struct conf_parse_result *r, size_t idx, struct conf_msgs *m)
{
	const struct conf_instance *in = &r->cfg->inst[idx];
	const struct conf_inst_meta *meta = &r->meta[idx];
	char a[ADDR_STRLEN];

	if (!in->has_hb || !meta->hb)
		return;
	if (!in->hb_ifname[0] && !in->n_hb_peers)
		conf_msg_tok(m, false, meta->hb,
			     "heartbeat_path of vrrp_instance %s needs an interface or a "
			     "unicast_peer block: the second path goes somewhere",
			     in->name);
	if (meta->hb_if && !strcmp(in->hb_ifname, in->ifname))
		conf_msg_tok(m, false, meta->hb_if,
			     "heartbeat_path interface %s is vrrp_instance %s's own interface; the "
			     "second path must be another one (for a second set of peers on %s, "
			     "leave the interface out)",
			     in->hb_ifname, in->name, in->ifname);
	if (in->hb_has_src && meta->hb_src && in->hb_src.family != in->family)
		conf_msg_tok(m, false, meta->hb_src,
			     "heartbeat_path unicast_src_ip %s is %s but vrrp_instance %s is %s",
			     addr_str(&in->hb_src, a), conf_family_name(in->hb_src.family),
			     in->name, conf_family_name(in->family));
	if (in->strict_mode && in->n_hb_peers)
		conf_msg_tok(m, false, meta->hb_peer[0],
			     "heartbeat_path unicast_peer is not allowed in strict mode (as "
			     "unicast_peer is not): adverts go to the multicast group");
	hb_peers(in, meta, m);
}

/* Interface, VRID and family: the key of a path's socket slot. */
static uint64_t slot_key(const char *ifname, uint8_t vrid, uint8_t family)
{
	uint64_t h = conf_hash(ifname, strlen(ifname), CONF_HASH_SEED);

	h = conf_hash(&vrid, sizeof(vrid), h);
	return conf_hash(&family, sizeof(family), h);
}

static const char *slot_if(const struct config *c, size_t e)
{
	return e & 1 ? c->inst[e / 2].hb_ifname : c->inst[e / 2].ifname;
}

/* A heartbeat_path interface that another instance (or another second
 * path) uses with the same VRID and family: the adverts of the two could
 * not be told apart. Entries of the index are 2k (instance k's interface)
 * and 2k+1 (its heartbeat_path interface); an instance's own two are
 * conf_finalize_hb's. */
void conf_finalize_hb_clashes(struct conf_parse_result *r, struct conf_msgs *m)
{
	const struct config *c = r->cfg;
	struct conf_index ix;

	conf_index_xinit(&ix, 2 * c->n_inst + 1);
	for (size_t e = 0; e < 2 * c->n_inst; e++) {
		const struct conf_instance *in = &c->inst[e / 2];
		const char *ifn = slot_if(c, e);
		uint64_t h;
		size_t it = 0, j;
		long first = -1;

		if ((e & 1 && (!in->has_hb || !ifn[0])) || !ifn[0])
			continue;
		h = slot_key(ifn, in->vrid, in->family);
		while (first < 0 && conf_index_next(&ix, h, &it, &j))
			if (c->inst[j / 2].vrid == in->vrid &&
			    c->inst[j / 2].family == in->family && !strcmp(slot_if(c, j), ifn) &&
			    (e & 1 || j & 1) && j / 2 != e / 2)
				first = (long)j;
		conf_index_add(&ix, h, e);
		if (first < 0)
			continue;
		const struct conf_inst_meta *me = &r->meta[e / 2];
		const struct conf_tok *t = e & 1 && me->hb_if ? me->hb_if : me->name;
		conf_msg_tok(m, false, t,
			     "vrrp_instance %s and vrrp_instance %s both use %s with "
			     "virtual_router_id %u (%s)%s: their adverts could not be told apart",
			     in->name, c->inst[first / 2].name, ifn, in->vrid,
			     conf_family_name(in->family),
			     e & 1 || first & 1 ? " as heartbeat_path" : "");
	}
	conf_index_free(&ix);
}
