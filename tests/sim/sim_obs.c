/* sim_obs: the simulator's generator, invariants and observers, and the
 * questions tests ask. See sim.h. */
#include "sim_int.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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
	/* Reject the top partial block so every value is equally likely:
	 * fewer than two draws on average whatever n is, and 64 rejections in
	 * a row (chance below 2^-64) fall back to the biased draw. */
	uint64_t lim = UINT64_MAX - UINT64_MAX % n;
	uint64_t x = sim_rng_next(r);

	assert(n > 0);
	for (int i = 0; i < 64 && x >= lim; i++)
		x = sim_rng_next(r);
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
/* ---- checks and observers ---- */

void violation(struct sim *s, const char *fmt, ...)
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

bool running(const struct sim_inst *in)
{
	return in->r->up && in->vi.state != VRRP_STATE_INIT;
}

struct sim_vrid *vrid_of(struct sim_inst *in)
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
void observe(struct sim_inst *in)
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

void check_inst(struct sim_inst *in)
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

void log_transition(struct sim_inst *in, enum vrrp_state from)
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
	if (s->verbose || s->trace_vrid == in->cfg.p.vrid)
		printf("sim: t=%.6f r%zu lan %u vrid %u %s -> %s (%s)\n",
		       (double)(s->now - SIM_T0) / 1e6, in->r->idx, in->cfg.lan, in->cfg.p.vrid,
		       vrrp_state_name(from), vrrp_state_name(to), in->vi.reason);
}
/* What an accepted advert must have done, from the RFC's rules computed
 * here (not by the core): a Master yields at once to a higher priority or
 * an equal one from a higher address and to nothing else (conformance 44,
 * 46); a Backup that obeys an advert restarts its Master_Down_Timer at
 * exactly 3 x Master_Adver_Interval (v3: the advert's) + Skew_Time, and at
 * Skew_Time for priority 0 (31, 38, 39). */
void check_recv(struct sim_inst *in, const struct vrrp_instance *was, const struct pkt_advert *adv,
		const struct vaddr *src)
{
	struct sim *s = in->r->s;
	const struct vrrp_instance *vi = &in->vi;
	uint16_t mai = was->p.version == 3 ? adv->adver_int : was->p.adver_int_cs;
	bool higher = adv->priority > was->prio ||
		      (adv->priority == was->prio && addr_cmp(src, &was->primary) > 0);
	bool preempts = was->p.preempt || was->p.priority == VRRP_PRIO_OWNER;

	if (was->state == VRRP_STATE_MASTER) {
		if (adv->priority && higher != (vi->state == VRRP_STATE_BACKUP))
			violation(s, "r%zu vrid %u: MASTER (priority %u) got priority %u and is %s",
				  in->r->idx, was->p.vrid, was->prio, adv->priority,
				  vrrp_state_name(vi->state));
		return;
	}
	if (was->state != VRRP_STATE_BACKUP)
		return;
	if (!adv->priority) {
		if (vi->timer_at !=
		    s->now + sim_skew(was->p.version, was->prio, was->master_adver_int_cs))
			violation(s, "r%zu vrid %u: priority 0 did not set Skew_Time", in->r->idx,
				  was->p.vrid);
	} else if (adv->priority >= was->prio || !preempts) {
		if (vi->timer_at != s->now + sim_mdi(was->p.version, was->prio, mai))
			violation(
			    s,
			    "r%zu vrid %u: an obeyed advert set the Master_Down_Timer to +%llu us",
			    in->r->idx, was->p.vrid, (unsigned long long)(vi->timer_at - s->now));
	}
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

unsigned sim_arp_stale(const struct sim *s, unsigned lan, uint8_t vrid)
{
	int m = sim_master(s, lan, vrid);
	unsigned stale = 0;

	for (size_t i = 0; i < s->n_routers; i++)
		if (s->routers[i].on_lan[lan] && (m < 0 || s->routers[i].arp[lan][vrid] != m))
			stale++;
	return stale;
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
