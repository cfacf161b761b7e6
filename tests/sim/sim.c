/* sim: the discrete-event VRRP simulator. See sim.h for what it promises.
 *
 * How: one binary min-heap of events keyed by (time, sequence number). An
 * instance owns two events, its state-machine timer and its GARP schedule,
 * moved in the heap whenever the core moves vi->timer_at or the schedule's
 * next_at; every copy of an advert in flight and every sim_at() call is an
 * event from a free-list pool. Executing an instance's action list mirrors
 * the daemon's vr_do: adverts are encoded and handed to the LAN, VIPs are
 * "installed" at once (there is no kernel to wait for), GARP starts the
 * announce schedule, and a transition is logged, observed and propagated to
 * the sync group. The world is built in sim_model.c and watched in
 * sim_obs.c. */
#include "sim_int.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/addrlist.h"

#define POOL_CHUNK 4096

/* ---- events ---- */

static bool ev_before(const struct ev *a, const struct ev *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void heap_set(struct heap *h, size_t i, struct ev *e)
{
	h->v[i] = e;
	e->hidx = i + 1;
}

static void heap_up(struct heap *h, size_t i)
{
	struct ev *e = h->v[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!ev_before(e, h->v[p]))
			break;
		heap_set(h, i, h->v[p]);
		i = p;
	}
	heap_set(h, i, e);
}

static void heap_down(struct heap *h, size_t i)
{
	struct ev *e = h->v[i];

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && ev_before(h->v[c + 1], h->v[c]))
			c++;
		if (!ev_before(h->v[c], e))
			break;
		heap_set(h, i, h->v[c]);
		i = c;
	}
	heap_set(h, i, e);
}

static void heap_remove(struct heap *h, struct ev *e)
{
	size_t i;

	if (!e->hidx)
		return;
	i = e->hidx - 1;
	e->hidx = 0;
	if (i == --h->n)
		return;
	struct ev *last = h->v[h->n];
	heap_set(h, i, last);
	heap_down(h, i);
	heap_up(h, last->hidx - 1);
}

/* Queues e at when, or moves it there; a move takes a new sequence number,
 * so it runs after everything already due then. */
void ev_arm(struct sim *s, struct ev *e, vtime_t when)
{
	struct heap *h = s->heap;

	if (e->hidx && e->when == when)
		return;
	heap_remove(h, e);
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 1024;
		struct ev **v = realloc(h->v, cap * sizeof(*v));
		assert(v);
		h->v = v;
		h->cap = cap;
	}
	e->when = when;
	e->seq = s->seq++;
	heap_set(h, h->n++, e);
	heap_up(h, h->n - 1);
}

void ev_cancel(struct sim *s, struct ev *e)
{
	heap_remove(s->heap, e);
}

static struct ev *ev_pop(struct heap *h)
{
	struct ev *e = h->v[0];

	e->hidx = 0;
	if (--h->n) {
		heap_set(h, 0, h->v[h->n]);
		heap_down(h, 0);
	}
	return e;
}

struct ev *ev_get(struct sim *s, enum ev_kind kind)
{
	struct pool *p = s->pool;
	struct ev *e;

	if (!p->free) {
		struct ev *c = calloc(POOL_CHUNK, sizeof(*c));
		struct ev **cs = realloc(p->chunks, (p->n_chunks + 1) * sizeof(*cs));
		assert(c && cs);
		p->chunks = cs;
		p->chunks[p->n_chunks++] = c;
		for (size_t i = 0; i < POOL_CHUNK; i++) {
			c[i].next_free = p->free;
			p->free = &c[i];
		}
	}
	e = p->free;
	p->free = e->next_free;
	e->kind = kind;
	e->hidx = 0;
	return e;
}

static void ev_put(struct sim *s, struct ev *e)
{
	struct pool *p = s->pool;

	e->next_free = p->free;
	p->free = e;
}
/* ---- executing actions ---- */

static void lan_send(struct sim *s, unsigned lan, size_t from, const struct vaddr *src,
		     const uint8_t *buf, size_t len)
{
	for (size_t to = 0; to < s->n_routers; to++) {
		const struct sim_link *l = &s->links[lan][from * s->n_routers + to];
		int copies;

		if (to == from || !s->routers[to].on_lan[lan])
			continue;
		if (!sim_connected(s, lan, from, to)) {
			s->st.cut++;
			continue;
		}
		copies = sim_rng_chance(&s->rng, l->dup) ? 2 : 1;
		if (copies == 2)
			s->st.duplicated++;
		for (int c = 0; c < copies; c++) {
			vtime_t d = l->delay_us;
			if (sim_rng_chance(&s->rng, l->loss)) {
				s->st.lost++;
				continue;
			}
			if (l->jitter_us)
				d += sim_rng_below(&s->rng, l->jitter_us + 1);
			if (sim_rng_chance(&s->rng, l->reorder)) {
				d += 1 + sim_rng_below(&s->rng,
						       l->reorder_us ? l->reorder_us : VTIME_MSEC);
				s->st.reordered++;
			}
			struct ev *e = ev_get(s, EV_DELIVER);
			e->lan = lan;
			e->from = from;
			e->to = to;
			e->src = *src;
			e->len = len;
			memcpy(e->buf, buf, len);
			ev_arm(s, e, s->now + d);
		}
	}
}

static void group_addr(const struct sim *s, unsigned lan, struct vaddr *a)
{
	addr_parse(s->lan_family[lan] == AF_INET6 ? VRRP_MCAST6 : VRRP_MCAST4, a);
}

static void send_advert(struct sim_inst *in, uint8_t prio)
{
	struct sim *s = in->r->s;
	const struct vrrp_params *p = &in->cfg.p;
	struct pkt_advert h = {
	    .version = p->version,
	    .vrid = p->vrid,
	    .priority = prio,
	    .adver_int = (uint16_t)(p->version == 2 ? p->adver_int_cs / 100 : p->adver_int_cs),
	    .auth_type = p->version == 2 ? p->auth_type : 0,
	};
	uint8_t buf[PKT_CAP];
	struct vaddr dst;

	if (p->version == 2)
		memcpy(h.auth_data, p->auth_data, VRRP_AUTH_LEN);
	group_addr(s, in->cfg.lan, &dst);
	size_t len = pkt_encode(buf, sizeof(buf), &h, in->cfg.vips, in->cfg.n_vips, &in->vi.primary,
				&dst, in->cfg.csum);
	if (!len) {
		violation(s, "r%zu vrid %u: cannot encode an advert", in->r->idx, p->vrid);
		return;
	}
	if (s->trace_vrid == p->vrid)
		printf("sim: t=%.6f r%zu lan %u vrid %u sends priority %u\n",
		       (double)(s->now - SIM_T0) / 1e6, in->r->idx, in->cfg.lan, p->vrid, prio);
	in->tx++;
	in->last_tx = s->now;
	in->last_tx_prio = prio;
	s->st.sent++;
	lan_send(s, in->cfg.lan, in->r->idx, &in->vi.primary, buf, len);
}

/* A member moved FROM -> its state: the others follow, once (group_follow;
 * the daemon's vr_sync_group). */
static void group_sync(struct sim_inst *in, enum vrrp_state from)
{
	struct sim_router *r = in->r;
	struct sim_group *g = in->group;
	enum vrrp_state to;
	char why[96];

	if (!g || r->syncing)
		return;
	to = group_follow(from, in->vi.state);
	if (to == VRRP_STATE_INIT)
		return;
	snprintf(why, sizeof(why), "sync group: vrid %u is %s", in->cfg.p.vrid,
		 vrrp_state_name(to));
	r->syncing++;
	for (size_t i = 0; i < g->n; i++) {
		struct sim_inst *m = g->m[i];
		struct vrrp_actions acts = {0};
		if (m == in || !running(m))
			continue;
		vrrp_force_state(&m->vi, to, r->s->now, why, &acts);
		inst_do(m, &acts);
	}
	r->syncing--;
}

void inst_do(struct sim_inst *in, const struct vrrp_actions *acts)
{
	struct sim *s = in->r->s;

	for (unsigned i = 0; i < acts->n; i++) {
		const struct vrrp_action *a = &acts->a[i];
		switch (a->kind) {
		case VRRP_ACT_SEND_ADVERT:
			send_advert(in, a->priority);
			break;
		case VRRP_ACT_ADD_VIPS:
			in->vips_on = true;
			break;
		case VRRP_ACT_DEL_VIPS:
			announce_stop(&in->ann);
			heap_remove(s->heap, in->aev);
			in->vips_on = false;
			break;
		case VRRP_ACT_GARP:
			/* Deferred work in the daemon: after this event, once the
			 * VIPs exist (conformance 53). */
			announce_start(&in->ann, &in->cfg.garp, s->now);
			ev_arm(s, in->aev, in->ann.next_at);
			break;
		case VRRP_ACT_STATE:
			log_transition(in, a->from);
			group_sync(in, a->from);
			break;
		case VRRP_ACT_RX_LOWER:
			/* The daemon's garp_lower_prio_* burst (deferred work too). */
			if (in->vips_on && announce_lower(&in->ann, &in->cfg.garp, s->now))
				ev_arm(s, in->aev, in->ann.next_at);
			break;
		}
	}
	if (in->vi.timer_at)
		ev_arm(s, in->tev, in->vi.timer_at);
	else
		heap_remove(s->heap, in->tev);
	observe(in);
	check_inst(in);
}

/* ---- event handlers ---- */

size_t group_members(struct sim_inst *in, struct group_member *m)
{
	struct sim_group *g = in->group;
	size_t self = 0;

	for (size_t i = 0; i < g->n; i++) {
		m[i].vi = running(g->m[i]) ? &g->m[i]->vi : NULL;
		m[i].fault = g->m[i]->fault;
		if (g->m[i] == in)
			self = i;
	}
	return self;
}

/* The daemon's vr_on_timer: a due Master_Down_Timer waits while another
 * member of the sync group still hears its master (group_hold). */
static void on_timer(struct sim_inst *in)
{
	struct sim *s = in->r->s;
	struct vrrp_actions acts = {0};

	if (in->group && vrrp_master_down_due(&in->vi, s->now)) {
		struct group_member m[SIM_MAX_GROUP];
		size_t self = group_members(in, m);
		vtime_t until = 0;
		if (group_hold(m, in->group->n, self, s->now, &until)) {
			vrrp_hold(&in->vi, until, s->now);
			in->holds++;
			inst_do(in, &acts);
			return;
		}
	}
	vrrp_timer(&in->vi, s->now, &acts);
	inst_do(in, &acts);
}

/* The hosts next to each router that hears this GARP now send there. */
static void garp_heard(struct sim_inst *in)
{
	struct sim *s = in->r->s;
	unsigned lan = in->cfg.lan;
	size_t from = in->r->idx;

	for (size_t to = 0; to < s->n_routers; to++) {
		struct sim_router *h = &s->routers[to];
		if (!h->on_lan[lan])
			continue;
		if (to != from && (!sim_connected(s, lan, from, to) ||
				   sim_rng_chance(&s->rng, sim_link(s, lan, from, to)->loss)))
			continue;
		h->arp[lan][in->cfg.p.vrid] = (int16_t)from;
	}
}

static void on_garp(struct sim_inst *in)
{
	struct sim *s = in->r->s;
	unsigned budget = s->garp_budget;
	size_t vip;

	while (announce_next(&in->ann, &in->cfg.garp, in->cfg.n_vips, s->now, &budget, &vip)) {
		struct sim_vrid *vr = vrid_of(in);
		in->garps++;
		s->st.garps++;
		vr->arp_owner = (int)in->r->idx;
		vr->arp_at = s->now;
		garp_heard(in);
	}
	if (in->ann.next_at)
		ev_arm(s, in->aev, in->ann.next_at);
}
static void on_deliver(struct sim *s, struct ev *e)
{
	struct sim_router *r = &s->routers[e->to];
	struct pkt_ip ip = {.src = e->src, .ttl = VRRP_TTL};
	struct pkt_advert adv;
	struct vrrp_actions acts = {0};
	enum pkt_drop why;

	if (!r->up) {
		s->st.to_down++;
		return;
	}
	if (!sim_connected(s, e->lan, e->from, e->to)) {
		s->st.cut++;
		return;
	}
	s->st.delivered++;
	group_addr(s, e->lan, &ip.dst);
	why = pkt_decode(e->buf, e->len, &ip, &adv);
	if (why != PKT_OK) {
		s->st.decode_fail++;
		violation(s, "r%zu: an advert from r%zu does not decode: %s", e->to, e->from,
			  pkt_drop_str(why));
		return;
	}
	int idx = r->by_vrid[e->lan][adv.vrid];
	if (idx < 0) {
		s->st.no_vrid++;
		return;
	}
	struct sim_inst *in = r->inst[idx];
	struct vrrp_instance before = in->vi;
	why = vrrp_recv(&in->vi, s->now, &adv, &ip.src, &acts);
	if (why != PKT_OK) {
		in->drops[why]++;
		return;
	}
	check_recv(in, &before, &adv, &ip.src);
	in->rx++;
	if (!addrlist_same(&adv, in->cfg.vips, in->cfg.n_vips))
		in->addr_mismatch++;
	inst_do(in, &acts);
}

bool sim_run_until(struct sim *s, vtime_t t)
{
	struct heap *h = s->heap;

	while (h->n && h->v[0]->when <= t) {
		if (s->st.events >= s->max_events) {
			if (!s->overrun)
				violation(s, "event budget of %llu spent",
					  (unsigned long long)s->max_events);
			s->overrun = true;
			return false;
		}
		struct ev *e = ev_pop(h);
		s->now = e->when;
		s->st.events++;
		switch (e->kind) {
		case EV_TIMER:
			on_timer(e->in);
			break;
		case EV_GARP:
			on_garp(e->in);
			break;
		case EV_DELIVER:
			on_deliver(s, e);
			ev_put(s, e);
			break;
		case EV_CALL:
			e->fn(s, e->arg);
			ev_put(s, e);
			break;
		}
	}
	if (t > s->now)
		s->now = t;
	return true;
}

bool sim_run_for(struct sim *s, vtime_t dt)
{
	return sim_run_until(s, s->now + dt);
}

void sim_at(struct sim *s, vtime_t when, void (*fn)(struct sim *s, void *arg), void *arg)
{
	struct ev *e = ev_get(s, EV_CALL);

	assert(when >= s->now);
	e->fn = fn;
	e->arg = arg;
	ev_arm(s, e, when);
}
