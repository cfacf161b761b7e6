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
 * the sync group. */
#include "sim.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/addrlist.h"

#define PKT_CAP	   (VRRP_HDR_LEN + SIM_MAX_VIPS * 16 + VRRP_AUTH_LEN)
#define POOL_CHUNK 4096
#define VIOL_PRINT 10

/* ---- generator ---- */

void sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t sim_rng_next(struct sim_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t sim_rng_below(struct sim_rng *r, uint64_t n)
{
	/* Reject the top partial block so every value is equally likely;
	 * fewer than two draws on average whatever n is. */
	uint64_t lim = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;

	assert(n > 0);
	do
		x = sim_rng_next(r);
	while (x >= lim);
	return x % n;
}

bool sim_rng_chance(struct sim_rng *r, double p)
{
	if (p <= 0)
		return false;
	if (p >= 1)
		return true;
	return (double)(sim_rng_next(r) >> 11) * 0x1.0p-53 < p;
}

void sim_rng_shuffle(struct sim_rng *r, int *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)sim_rng_below(r, i);
		int t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* ---- events ---- */

enum ev_kind { EV_TIMER, EV_GARP, EV_DELIVER, EV_CALL };

struct ev {
	vtime_t when;
	uint64_t seq;
	size_t hidx; /* position in the heap + 1; 0 = not queued */
	enum ev_kind kind;
	struct sim_inst *in; /* TIMER, GARP */
	/* DELIVER */
	unsigned lan;
	size_t from, to;
	struct vaddr src;
	size_t len;
	uint8_t buf[PKT_CAP];
	/* CALL */
	void (*fn)(struct sim *s, void *arg);
	void *arg;
	struct ev *next_free;
};

struct heap {
	struct ev **v;
	size_t n, cap;
};

struct pool {
	struct ev *free;
	struct ev **chunks;
	size_t n_chunks;
};

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
static void ev_arm(struct sim *s, struct ev *e, vtime_t when)
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

static struct ev *ev_get(struct sim *s, enum ev_kind kind)
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

/* ---- checks and observers ---- */

static void violation(struct sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void violation(struct sim *s, const char *fmt, ...)
{
	char msg[sizeof(s->violation)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!s->violations)
		memcpy(s->violation, msg, sizeof(msg));
	if (s->violations++ < VIOL_PRINT)
		fprintf(stderr, "sim: VIOLATION at t=%.6f s: %s\n", (double)(s->now - SIM_T0) / 1e6,
			msg);
}

static bool running(const struct sim_inst *in)
{
	return in->r->up && in->vi.state != VRRP_STATE_INIT;
}

static struct sim_vrid *vrid_of(struct sim_inst *in)
{
	return &in->r->s->vrids[in->cfg.lan][in->cfg.p.vrid];
}

static void dual_close(struct sim_vrid *vr, vtime_t now)
{
	vtime_t len = now - vr->dual_since;

	vr->dual_n++;
	vr->dual_total += len;
	if (len > vr->dual_worst || vr->dual_n == 1) {
		vr->dual_worst = len;
		vr->dual_worst_at = vr->dual_since;
	}
	if (vr->dual_limit && len > vr->dual_limit)
		vr->dual_long++;
	vr->dual_since = 0;
}

static void none_close(struct sim_vrid *vr, vtime_t now)
{
	vtime_t len = now - vr->none_since;

	vr->none_total += len;
	if (len > vr->none_worst)
		vr->none_worst = len;
	vr->none_since = 0;
}

/* Counts the instance in or out of its VRID's masters. */
static void observe(struct sim_inst *in)
{
	struct sim *s = in->r->s;
	struct sim_vrid *vr = vrid_of(in);
	bool m = in->r->up && in->vi.state == VRRP_STATE_MASTER;
	unsigned before = vr->masters;

	if (m == in->obs_master)
		return;
	in->obs_master = m;
	vr->masters = m ? before + 1 : before - 1;
	vr->changed_at = s->now;
	if (before < 2 && vr->masters >= 2)
		vr->dual_since = s->now;
	else if (before >= 2 && vr->masters < 2)
		dual_close(vr, s->now);
	if (before == 0 && vr->none_since)
		none_close(vr, s->now);
	else if (vr->masters == 0)
		vr->none_since = s->now;
}

static void check_inst(struct sim_inst *in)
{
	struct sim *s = in->r->s;
	const struct vrrp_instance *vi = &in->vi;
	const struct ev *t = in->tev;
	bool master = vi->state == VRRP_STATE_MASTER;

	if (!in->r->up)
		return;
	if (master != in->vips_on)
		violation(s, "r%zu vrid %u: %s with VIPs %s", in->r->idx, vi->p.vrid,
			  vrrp_state_name(vi->state), in->vips_on ? "on" : "off");
	if (vi->timer_at && (!t->hidx || t->when != vi->timer_at))
		violation(s, "r%zu vrid %u: timer not armed", in->r->idx, vi->p.vrid);
	switch (vi->state) {
	case VRRP_STATE_MASTER:
		if (!vi->timer_at || vi->timer_at > s->now + vrrp_adver_interval(vi))
			violation(s, "r%zu vrid %u: MASTER with no advert due within its interval",
				  in->r->idx, vi->p.vrid);
		break;
	case VRRP_STATE_BACKUP:
		if (!vi->timer_at || vi->timer_at < s->now)
			violation(s, "r%zu vrid %u: BACKUP with no Master_Down_Timer", in->r->idx,
				  vi->p.vrid);
		break;
	default:
		if (vi->timer_at)
			violation(s, "r%zu vrid %u: %s with a timer", in->r->idx, vi->p.vrid,
				  vrrp_state_name(vi->state));
		break;
	}
}

static void log_transition(struct sim_inst *in, enum vrrp_state from)
{
	struct sim *s = in->r->s;
	enum vrrp_state to = in->vi.state;

	in->transitions++;
	if (to == VRRP_STATE_MASTER) {
		in->became_master++;
		in->master_at = s->now;
	} else if (to == VRRP_STATE_BACKUP) {
		in->became_backup++;
		in->backup_at = s->now;
	}
	if (s->n_log == s->cap_log) {
		size_t cap = s->cap_log ? 2 * s->cap_log : 4096;
		struct sim_trans *l = cap <= (1u << 22) ? realloc(s->log, cap * sizeof(*l)) : NULL;
		if (!l) {
			s->log_dropped++;
			goto print;
		}
		s->log = l;
		s->cap_log = cap;
	}
	s->log[s->n_log++] = (struct sim_trans){.t = s->now,
						.router = (uint16_t)in->r->idx,
						.lan = (uint8_t)in->cfg.lan,
						.vrid = in->cfg.p.vrid,
						.from = (uint8_t)from,
						.to = (uint8_t)to};
print:
	if (s->verbose)
		printf("sim: t=%.6f r%zu lan %u vrid %u %s -> %s (%s)\n",
		       (double)(s->now - SIM_T0) / 1e6, in->r->idx, in->cfg.lan, in->cfg.p.vrid,
		       vrrp_state_name(from), vrrp_state_name(to), in->vi.reason);
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
	in->tx++;
	in->last_tx = s->now;
	in->last_tx_prio = prio;
	s->st.sent++;
	lan_send(s, in->cfg.lan, in->r->idx, &in->vi.primary, buf, len);
}

static void inst_do(struct sim_inst *in, const struct vrrp_actions *acts);

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

static void inst_do(struct sim_inst *in, const struct vrrp_actions *acts)
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

static size_t group_members(struct sim_inst *in, struct group_member *m)
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
	why = vrrp_recv(&in->vi, s->now, &adv, &ip.src, &acts);
	if (why != PKT_OK) {
		in->drops[why]++;
		return;
	}
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
	c->garp = (struct announce_cfg){.delay_ms = 5000, .repeat = 5, .refresh_repeat = 1};
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

void sim_start(struct sim *s, size_t router)
{
	struct sim_router *r = &s->routers[router];

	if (r->up)
		return;
	r->up = true;
	r->starts++;
	for (size_t i = 0; i < r->n_inst; i++) {
		struct sim_inst *in = r->inst[i];
		struct vrrp_actions acts = {0};
		vrrp_init(&in->vi, &in->cfg.p);
		vrrp_set_primary(&in->vi, &r->primary[in->cfg.lan]);
		announce_stop(&in->ann);
		in->vips_on = false;
		vrrp_startup(&in->vi, s->now, &acts);
		inst_do(in, &acts);
	}
	for (size_t i = 0; i < r->n_inst; i++)
		if (r->inst[i]->fault || r->inst[i]->track_prio || r->inst[i]->group)
			track_apply(r->inst[i], "tracking at startup");
}

/* The router is gone: no timers, no VIPs, nothing heard. */
static void router_stop(struct sim *s, struct sim_router *r)
{
	r->up = false;
	for (size_t i = 0; i < r->n_inst; i++) {
		struct sim_inst *in = r->inst[i];
		heap_remove(s->heap, in->tev);
		heap_remove(s->heap, in->aev);
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

/* ---- asking ---- */

int sim_master(const struct sim *s, unsigned lan, uint8_t vrid)
{
	int who = -1;

	for (size_t i = 0; i < s->n_routers; i++) {
		const struct sim_router *r = &s->routers[i];
		int idx = r->by_vrid[lan][vrid];
		if (!r->up || idx < 0 || r->inst[idx]->vi.state != VRRP_STATE_MASTER)
			continue;
		if (who >= 0)
			return -2;
		who = (int)i;
	}
	return who;
}

int sim_predict(const struct sim *s, unsigned lan, uint8_t vrid)
{
	const struct sim_inst *best = NULL;

	for (size_t i = 0; i < s->n_routers; i++) {
		const struct sim_router *r = &s->routers[i];
		int idx = r->by_vrid[lan][vrid];
		if (!r->up || idx < 0)
			continue;
		const struct sim_inst *in = r->inst[idx];
		if (in->vi.state == VRRP_STATE_INIT || in->vi.state == VRRP_STATE_FAULT)
			continue;
		if (!best || in->vi.prio > best->vi.prio ||
		    (in->vi.prio == best->vi.prio &&
		     addr_cmp(&in->vi.primary, &best->vi.primary) > 0))
			best = in;
	}
	return best ? (int)best->r->idx : -1;
}

void sim_obs_reset(struct sim *s)
{
	for (size_t l = 0; l < s->n_lans; l++)
		for (size_t v = 0; v < 256; v++) {
			struct sim_vrid *vr = &s->vrids[l][v];
			vr->dual_since = vr->masters >= 2 ? s->now : 0;
			vr->none_since = vr->n_inst && !vr->masters ? s->now : 0;
			vr->dual_worst = vr->dual_worst_at = vr->dual_total = 0;
			vr->dual_n = vr->dual_long = 0;
			vr->none_worst = vr->none_total = 0;
		}
}

static vtime_t dual_now(const struct sim *s, const struct sim_vrid *vr)
{
	return vr->dual_since ? s->now - vr->dual_since : 0;
}

vtime_t sim_dual_worst(const struct sim *s, unsigned *lan, uint8_t *vrid)
{
	vtime_t worst = 0;

	for (size_t l = 0; l < s->n_lans; l++)
		for (size_t v = 0; v < 256; v++) {
			const struct sim_vrid *vr = &s->vrids[l][v];
			vtime_t w =
			    vr->dual_worst > dual_now(s, vr) ? vr->dual_worst : dual_now(s, vr);
			if (w > worst || (!worst && (vr->dual_n || vr->dual_since))) {
				worst = w;
				if (lan)
					*lan = (unsigned)l;
				if (vrid)
					*vrid = (uint8_t)v;
			}
		}
	return worst;
}

vtime_t sim_dual_total(const struct sim *s, unsigned *intervals, unsigned *over_limit)
{
	vtime_t total = 0;
	unsigned n = 0, over = 0;

	for (size_t l = 0; l < s->n_lans; l++)
		for (size_t v = 0; v < 256; v++) {
			const struct sim_vrid *vr = &s->vrids[l][v];
			total += vr->dual_total + dual_now(s, vr);
			n += vr->dual_n + (vr->dual_since ? 1 : 0);
			over += vr->dual_long;
			if (vr->dual_limit && dual_now(s, vr) > vr->dual_limit)
				over++;
		}
	if (intervals)
		*intervals = n;
	if (over_limit)
		*over_limit = over;
	return total;
}

vtime_t sim_skew(uint8_t version, uint8_t prio, uint16_t adver_int_cs)
{
	vtime_t base = version == 2 ? VTIME_SEC : (vtime_t)adver_int_cs * 10000;

	return (256 - (vtime_t)prio) * base / 256;
}

vtime_t sim_mdi(uint8_t version, uint8_t prio, uint16_t adver_int_cs)
{
	return 3 * (vtime_t)adver_int_cs * 10000 + sim_skew(version, prio, adver_int_cs);
}

uint64_t sim_seed(uint64_t def)
{
	const char *e = getenv("SIM_SEED");

	return e && *e ? strtoull(e, NULL, 0) : def;
}

void sim_report(const char *fmt, ...)
{
	va_list ap;

	printf("[  SIM     ] ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}
