/* sim_model: building the simulated world and changing it (routers,
 * instances, groups, links, partitions, tracking). See sim.h. */
#include "sim_int.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---- the model ---- */

struct sim *sim_new(size_t n_routers, size_t n_lans, uint64_t seed)
{
	struct sim *s = calloc(1, sizeof(*s));
	const char *verbose = getenv("SIM_VERBOSE");

	assert(s && n_routers >= 1 && n_routers <= SIM_MAX_ROUTERS);
	assert(n_lans >= 1 && n_lans <= SIM_MAX_LANS);
	s->now = SIM_T0;
	s->seed = seed;
	sim_rng_seed(&s->rng, seed);
	s->n_routers = n_routers;
	s->n_lans = n_lans;
	s->garp_budget = 64;
	s->max_events = SIM_MAX_EVENTS;
	s->verbose = verbose && *verbose && *verbose != '0';
	verbose = getenv("SIM_TRACE_VRID");
	s->trace_vrid = verbose && *verbose ? atoi(verbose) : -1;
	s->heap = calloc(1, sizeof(struct heap));
	s->pool = calloc(1, sizeof(struct pool));
	s->routers = calloc(n_routers, sizeof(*s->routers));
	assert(s->heap && s->pool && s->routers);
	for (size_t l = 0; l < n_lans; l++) {
		s->lan_family[l] = AF_INET;
		s->links[l] = calloc(n_routers * n_routers, sizeof(struct sim_link));
		s->side[l] = calloc(n_routers, sizeof(int));
		assert(s->links[l] && s->side[l]);
	}
	for (size_t i = 0; i < n_routers; i++) {
		struct sim_router *r = &s->routers[i];
		r->s = s;
		r->idx = i;
		memset(r->by_vrid, 0xff, sizeof(r->by_vrid));
		memset(r->arp, 0xff, sizeof(r->arp));
		for (size_t l = 0; l < n_lans; l++) {
			r->primary[l].family = AF_INET;
			r->primary[l].u.b[0] = 192;
			r->primary[l].u.b[1] = 0;
			r->primary[l].u.b[2] = 2;
			r->primary[l].u.b[3] = (uint8_t)(64 * l + i + 1);
		}
	}
	for (size_t l = 0; l < SIM_MAX_LANS; l++)
		for (size_t v = 0; v < 256; v++)
			s->vrids[l][v].arp_owner = -1;
	return s;
}

void sim_free(struct sim *s)
{
	if (!s)
		return;
	struct heap *h = s->heap;
	struct pool *p = s->pool;

	for (size_t i = 0; i < s->n_routers; i++) {
		struct sim_router *r = &s->routers[i];
		for (size_t j = 0; j < r->n_inst; j++) {
			free(r->inst[j]->tev);
			free(r->inst[j]->aev);
			free(r->inst[j]);
		}
		free(r->inst);
		free(r->groups);
	}
	for (size_t c = 0; c < p->n_chunks; c++)
		free(p->chunks[c]);
	free(p->chunks);
	free(p);
	free(h->v);
	free(h);
	for (size_t l = 0; l < s->n_lans; l++) {
		free(s->links[l]);
		free(s->side[l]);
	}
	free(s->log);
	free(s->routers);
	free(s);
}

void sim_lan_ipv6(struct sim *s, unsigned lan)
{
	assert(lan < s->n_lans);
	s->lan_family[lan] = AF_INET6;
	for (size_t i = 0; i < s->n_routers; i++) {
		struct vaddr *a = &s->routers[i].primary[lan];
		memset(a, 0, sizeof(*a));
		a->family = AF_INET6;
		a->u.b[0] = 0xfe;
		a->u.b[1] = 0x80;
		a->u.b[14] = (uint8_t)lan;
		a->u.b[15] = (uint8_t)(i + 1);
	}
}

void sim_set_primary(struct sim *s, size_t router, unsigned lan, const struct vaddr *a)
{
	assert(router < s->n_routers && lan < s->n_lans && a->family == s->lan_family[lan]);
	s->routers[router].primary[lan] = *a;
}

void sim_inst_cfg_default(struct sim_inst_cfg *c, uint8_t version, uint8_t vrid, uint8_t prio)
{
	memset(c, 0, sizeof(*c));
	c->p.version = version;
	c->p.vrid = vrid;
	c->p.priority = prio;
	c->p.adver_int_cs = 100;
	c->p.preempt = true;
	c->p.rx_lower_event = true; /* as the daemon's vr_params */
	c->p.higher_prio_send_advert = true;
	c->garp = (struct announce_cfg){.delay_ms = 5000,
					.repeat = 5,
					.refresh_repeat = 1,
					.lower_delay_ms = 5000,
					.lower_repeat = 5};
	c->csum = PKT_CSUM_PSEUDO;
}

/* The VIP list a default configuration advertises: 203.0.113.VRID or
 * 2001:db8::VRID. */
static void default_vip(struct sim_inst_cfg *c, uint8_t family)
{
	struct vaddr *a = &c->vips[0];

	memset(a, 0, sizeof(*a));
	a->family = family;
	if (family == AF_INET6) {
		a->u.b[0] = 0x20;
		a->u.b[1] = 0x01;
		a->u.b[2] = 0x0d;
		a->u.b[3] = 0xb8;
		a->u.b[15] = c->p.vrid;
	} else {
		a->u.b[0] = 203;
		a->u.b[1] = 0;
		a->u.b[2] = 113;
		a->u.b[3] = c->p.vrid;
	}
	c->n_vips = 1;
}

struct sim_inst *sim_add_inst(struct sim *s, size_t router, const struct sim_inst_cfg *c)
{
	struct sim_router *r = &s->routers[router];
	struct sim_inst *in = calloc(1, sizeof(*in));
	struct sim_inst **v = realloc(r->inst, (r->n_inst + 1) * sizeof(*v));
	struct ev *tev = calloc(1, sizeof(*tev)), *aev = calloc(1, sizeof(*aev));

	assert(in && v && tev && aev);
	assert(router < s->n_routers && c->lan < s->n_lans && c->n_vips <= SIM_MAX_VIPS);
	assert(r->by_vrid[c->lan][c->p.vrid] < 0 && !r->up);
	r->inst = v;
	in->r = r;
	in->idx = r->n_inst;
	in->cfg = *c;
	if (!in->cfg.n_vips)
		default_vip(&in->cfg, s->lan_family[c->lan]);
	tev->kind = EV_TIMER;
	tev->in = in;
	aev->kind = EV_GARP;
	aev->in = in;
	in->tev = tev;
	in->aev = aev;
	vrrp_init(&in->vi, &in->cfg.p);
	r->inst[r->n_inst++] = in;
	r->by_vrid[c->lan][c->p.vrid] = (int16_t)in->idx;
	r->on_lan[c->lan] = true;
	s->vrids[c->lan][c->p.vrid].n_inst++;
	return in;
}

struct sim_group *sim_add_group(struct sim *s, struct sim_inst **members, size_t n)
{
	struct sim_router *r = members[0]->r;
	struct sim_group *g;

	(void)s;
	assert(n >= 1 && n <= SIM_MAX_GROUP && !r->n_groups); /* pointers stay put: one realloc */
	r->groups = calloc(1, sizeof(*r->groups));
	assert(r->groups);
	g = &r->groups[r->n_groups++];
	for (size_t i = 0; i < n; i++) {
		assert(members[i]->r == r && !members[i]->group);
		g->m[g->n++] = members[i];
		members[i]->group = g;
	}
	return g;
}

struct sim_inst *sim_inst(struct sim *s, size_t router, unsigned lan, uint8_t vrid)
{
	struct sim_router *r = &s->routers[router];
	int idx = r->by_vrid[lan][vrid];

	return idx < 0 ? NULL : r->inst[idx];
}

struct sim_link *sim_link(struct sim *s, unsigned lan, size_t from, size_t to)
{
	assert(lan < s->n_lans && from < s->n_routers && to < s->n_routers);
	return &s->links[lan][from * s->n_routers + to];
}

void sim_set_links(struct sim *s, unsigned lan, const struct sim_link *l)
{
	for (size_t i = 0; i < s->n_routers * s->n_routers; i++)
		s->links[lan][i] = *l;
}

void sim_partition(struct sim *s, unsigned lan, const int *side)
{
	memcpy(s->side[lan], side, s->n_routers * sizeof(int));
}

void sim_heal(struct sim *s, unsigned lan)
{
	memset(s->side[lan], 0, s->n_routers * sizeof(int));
}

bool sim_connected(const struct sim *s, unsigned lan, size_t a, size_t b)
{
	return s->side[lan][a] == s->side[lan][b];
}

/* ---- routers and tracking ---- */

/* The daemon's vr_track_apply: the effective priority, and FAULT when the
 * instance's own tracking or any running member of its group says so. */
static void track_apply(struct sim_inst *in, const char *why)
{
	struct sim *s = in->r->s;
	struct vrrp_actions acts = {0};
	bool fault = in->fault;
	char reason[128];

	if (!in->r->up)
		return;
	snprintf(reason, sizeof(reason), "%s", why);
	if (in->group && !fault) {
		struct group_member m[SIM_MAX_GROUP];
		size_t self = group_members(in, m);
		long f = group_fault(m, in->group->n, self);
		if (f >= 0) {
			fault = true;
			snprintf(reason, sizeof(reason), "sync group: vrid %u is in FAULT",
				 in->group->m[f]->cfg.p.vrid);
		}
	}
	vrrp_set_priority(&in->vi, in->track_prio ? in->track_prio : in->cfg.p.priority, s->now,
			  &acts);
	if (fault)
		vrrp_set_fault(&in->vi, s->now, reason, &acts);
	else
		vrrp_clear_fault(&in->vi, s->now, reason, &acts);
	inst_do(in, &acts);
}

static void track_update(struct sim_inst *in, const char *why)
{
	track_apply(in, why);
	for (size_t i = 0; in->group && i < in->group->n; i++)
		if (in->group->m[i] != in)
			track_apply(in->group->m[i], why);
}

void sim_set_fault(struct sim_inst *in, bool fault, const char *why)
{
	in->fault = fault;
	track_update(in, why ? why : (fault ? "tracking: FAULT" : "tracking: healthy"));
}

void sim_set_priority(struct sim_inst *in, uint8_t prio)
{
	in->track_prio = prio;
	track_update(in, "tracking: priority");
}

/* A fresh state machine, started (the daemon's vr_start). */
static void inst_boot(struct sim_inst *in)
{
	struct sim *s = in->r->s;
	struct vrrp_actions acts = {0};

	vrrp_init(&in->vi, &in->cfg.p);
	vrrp_set_primary(&in->vi, &in->r->primary[in->cfg.lan]);
	announce_stop(&in->ann);
	ev_cancel(s, in->aev);
	in->vips_on = false;
	vrrp_startup(&in->vi, s->now, &acts);
	inst_do(in, &acts);
}

void sim_start(struct sim *s, size_t router)
{
	struct sim_router *r = &s->routers[router];

	if (r->up)
		return;
	r->up = true;
	r->starts++;
	for (size_t i = 0; i < r->n_inst; i++)
		inst_boot(r->inst[i]);
	for (size_t i = 0; i < r->n_inst; i++)
		if (r->inst[i]->fault || r->inst[i]->track_prio || r->inst[i]->group)
			track_apply(r->inst[i], "tracking at startup");
}

void sim_inst_stop(struct sim_inst *in)
{
	struct sim *s = in->r->s;
	struct vrrp_actions acts = {0};

	if (!in->r->up)
		return;
	vrrp_shutdown(&in->vi, s->now, &acts);
	inst_do(in, &acts);
	announce_stop(&in->ann);
	ev_cancel(s, in->aev);
}

void sim_inst_start(struct sim_inst *in)
{
	if (!in->r->up || in->vi.state != VRRP_STATE_INIT)
		return;
	inst_boot(in);
	if (in->fault || in->track_prio || in->group)
		track_apply(in, "tracking at startup");
}

/* The router is gone: no timers, no VIPs, nothing heard. */
static void router_stop(struct sim *s, struct sim_router *r)
{
	r->up = false;
	for (size_t i = 0; i < r->n_inst; i++) {
		struct sim_inst *in = r->inst[i];
		ev_cancel(s, in->tev);
		ev_cancel(s, in->aev);
		announce_stop(&in->ann);
		in->vips_on = false;
		observe(in);
	}
}

void sim_crash(struct sim *s, size_t router)
{
	struct sim_router *r = &s->routers[router];

	if (!r->up)
		return;
	r->crashes++;
	router_stop(s, r);
}

void sim_shutdown(struct sim *s, size_t router)
{
	struct sim_router *r = &s->routers[router];

	if (!r->up)
		return;
	r->shutdowns++;
	for (size_t i = 0; i < r->n_inst; i++) {
		struct vrrp_actions acts = {0};
		vrrp_shutdown(&r->inst[i]->vi, s->now, &acts);
		inst_do(r->inst[i], &acts);
	}
	router_stop(s, r);
}
