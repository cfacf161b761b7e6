/* Simulator scenarios the lab cannot do well:
 *  - a sync group of two instances on two LANs across two routers, failing
 *    over together, to the microsecond, and holding when only one LAN is
 *    cut (group_hold);
 *  - duplicated and reordered delivery causing no spurious transition;
 *  - a sweep of 50 seeds, each a random schedule of crashes, restarts,
 *    shutdowns, partitions, loss bursts, tracking faults and priority
 *    changes, with the simulator's invariants checked on every event and
 *    the RFC's prediction checked once the faults are over.
 * Each scenario prints its seed; SIM_SEED=N replays another run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "sim.h"

#define SEC(x) ((vtime_t)((x)*1e6))
#define REL(t) ((double)((t)-SIM_T0) / 1e6)

/* ---- sync group ---- */

/* Routers A (0) and B (1), each with an inside instance (LAN 0, VRID 10)
 * and an outside one (LAN 1, VRID 20) in one sync group; A at 200, B at
 * 100. */
static void two_lans_two_routers(struct sim *s, struct sim_inst **in, struct sim_inst **out)
{
	for (size_t r = 0; r < 2; r++) {
		struct sim_inst_cfg c;
		sim_inst_cfg_default(&c, 3, 10, r ? 100 : 200);
		in[r] = sim_add_inst(s, r, &c);
		sim_inst_cfg_default(&c, 3, 20, r ? 100 : 200);
		c.lan = 1;
		out[r] = sim_add_inst(s, r, &c);
		struct sim_inst *m[2] = {in[r], out[r]};
		sim_add_group(s, m, 2);
	}
}

/* The group fails over, comes back and fails over again as one, to the
 * microsecond (no LAN delay), and holds while only one LAN is cut. */
static void sync_group_failover(void **state)
{
	uint64_t seed = sim_seed(0x5eed0062);
	struct sim *s = sim_new(2, 2, seed);
	struct sim_inst *in[2], *out[2];

	(void)state;
	sim_report("seed %#llx", (unsigned long long)seed);
	two_lans_two_routers(s, in, out);
	sim_start(s, 0);
	sim_start(s, 1);
	assert_true(sim_run_for(s, SEC(8)));
	vtime_t mdi_a = sim_mdi(3, 200, 100), mdi_b = sim_mdi(3, 100, 100);
	assert_int_equal(in[0]->master_at, SIM_T0 + mdi_a);
	assert_int_equal(out[0]->master_at, SIM_T0 + mdi_a);
	assert_int_equal(sim_master(s, 0, 10), 0);
	assert_int_equal(sim_master(s, 1, 20), 0);

	/* A's inside tracking fails: the group is in FAULT, both instances
	 * send priority 0, and B's take over together after Skew_Time. */
	vtime_t t = s->now + SEC(0.37);
	assert_true(sim_run_until(s, t));
	sim_set_fault(in[0], true, "inside link down");
	assert_int_equal(in[0]->vi.state, VRRP_STATE_FAULT);
	assert_int_equal(out[0]->vi.state, VRRP_STATE_FAULT);
	assert_true(sim_run_for(s, SEC(5)));
	vtime_t skew_b = sim_skew(3, 100, 100);
	assert_int_equal(in[1]->master_at, t + skew_b);
	assert_int_equal(out[1]->master_at, t + skew_b);
	sim_report("A's inside fails at +%.6f s: B's two instances Master at +%.6f s, together, "
		   "Skew_Time later",
		   REL(t), REL(in[1]->master_at));

	/* The fault clears: A starts over as Backup and preempts, both
	 * instances in the same microsecond. */
	t = s->now;
	sim_set_fault(in[0], false, NULL);
	assert_true(sim_run_for(s, SEC(8)));
	assert_int_equal(in[0]->master_at, t + mdi_a);
	assert_int_equal(out[0]->master_at, t + mdi_a);
	assert_int_equal(in[1]->backup_at, t + mdi_a);
	assert_int_equal(out[1]->backup_at, t + mdi_a);
	sim_report("fault clears at +%.6f s: A preempts both at +%.6f s", REL(t),
		   REL(in[0]->master_at));

	/* Only A's inside link is cut (its carrier stays up): B's inside
	 * instance times out, but its outside twin still hears A, so it holds
	 * (keepalived's rule, group_hold): no takeover for as long as the cut
	 * lasts, and the inside LAN has no reachable master meanwhile. */
	int cut[2] = {1, 0};
	unsigned b_master = in[1]->became_master;
	sim_partition(s, 0, cut);
	assert_true(sim_run_for(s, SEC(20)));
	assert_int_equal(in[1]->became_master, b_master);
	assert_int_equal(in[1]->vi.state, VRRP_STATE_BACKUP);
	assert_true(in[1]->holds > 0);
	sim_report("A's inside cut for 20 s: B's inside instance held %llu times, no takeover",
		   (unsigned long long)in[1]->holds);

	/* A crashes: B's outside instance times out one Master_Down_Interval
	 * after A's last outside advert, and its held inside twin with it. */
	sim_crash(s, 0);
	sim_heal(s, 0);
	assert_true(sim_run_for(s, SEC(8)));
	assert_int_equal(out[1]->master_at, out[0]->last_tx + mdi_b);
	assert_int_equal(in[1]->master_at, out[0]->last_tx + mdi_b);
	sim_report("A crashes: B Master on both LANs at +%.6f s = A's last outside advert + "
		   "Master_Down_Interval %.6f s",
		   REL(in[1]->master_at), mdi_b / 1e6);
	assert_int_equal(s->violations, 0);
	sim_free(s);
}

/* ---- duplicates and reordering ---- */

/* Each VRID's master is stopped half an interval after its last advert
 * (every copy of that one has arrived by then, so none can overtake the
 * priority-0 advert), then started again. The next in line takes over
 * Skew_Time after the priority-0 advert arrives, or after its duplicate
 * does: a later copy restarts Skew_Time (conformance 38), so a takeover
 * may be late by up to the LAN's spread. */
static void stop_each_master(struct sim *s, const struct sim_link *l, vtime_t spread)
{
	vtime_t skew = sim_skew(3, 210, 100), late_worst = 0, late_best = SEC(1);
	for (uint8_t v = 1; v <= 10; v++) {
		struct sim_inst *a = sim_inst(s, v % 5, 0, v);
		struct sim_inst *b = sim_inst(s, (v % 5 + 1) % 5, 0, v);
		unsigned ta = a->transitions, tb = b->transitions;
		vtime_t at = a->last_tx + SEC(0.5);
		if (at < s->now)
			at += SEC(1); /* after its next advert */
		assert_true(sim_run_until(s, at));
		sim_inst_stop(a);
		assert_true(sim_run_for(s, SEC(2)));
		assert_int_equal(sim_master(s, 0, v), (int)b->r->idx);
		assert_true(b->master_at >= at + skew + l->delay_us);
		assert_true(b->master_at <= at + skew + spread);
		vtime_t late = b->master_at - at - skew;
		late_worst = late > late_worst ? late : late_worst;
		late_best = late < late_best ? late : late_best;
		sim_inst_start(a);
		assert_true(sim_run_for(s, SEC(5)));
		assert_int_equal(sim_master(s, 0, v), (int)a->r->idx);
		assert_int_equal(a->transitions, ta + 3); /* INIT, BACKUP, MASTER */
		assert_int_equal(b->transitions, tb + 2); /* MASTER, BACKUP */
	}
	for (size_t r = 0; r < 5; r++)
		for (uint8_t v = 1; v <= 10; v++) {
			struct sim_inst *in = sim_inst(s, r, 0, v);
			int k = (int)((r + 5 - v % 5) % 5);
			assert_int_equal(in->transitions, k == 0 ? 5 : k == 1 ? 3 : 1);
		}
	sim_report("10 stops and restarts: each taken over by the next in line only, %.3f to "
		   "%.3f ms after Skew_Time (the LAN's spread is %.1f ms)",
		   late_best / 1e3, late_worst / 1e3, spread / 1e3);
}

/* Five routers, ten VRIDs, every copy duplicated with probability 0.5 and
 * delayed by up to 50 ms more with probability 0.5 on top of 0.2-2.2 ms:
 * adverts arrive twice and out of order, and nothing moves. Then each
 * master is stopped and started again: exactly one takeover per VRID, by
 * the next in line, and one preemption back. */
static void duplicates_and_reordering(void **state)
{
	uint64_t seed = sim_seed(0x5eed00d0);
	struct sim *s = sim_new(5, 1, seed);
	struct sim_link l = {.delay_us = 200,
			     .jitter_us = 2000,
			     .dup = 0.5,
			     .reorder = 0.5,
			     .reorder_us = 50 * VTIME_MSEC};
	const vtime_t spread = 200 + 2000 + 50 * VTIME_MSEC;

	(void)state;
	sim_report("seed %#llx", (unsigned long long)seed);
	sim_set_links(s, 0, &l);
	for (size_t r = 0; r < 5; r++)
		for (uint8_t v = 1; v <= 10; v++) {
			struct sim_inst_cfg c;
			/* VRID v: router (v + k) % 5 has priority 250 - 40 k */
			size_t k = (r + 5 - v % 5) % 5;
			sim_inst_cfg_default(&c, 3, v, (uint8_t)(250 - 40 * k));
			sim_add_inst(s, r, &c);
		}
	for (size_t r = 0; r < 5; r++)
		sim_start(s, r);
	assert_true(sim_run_for(s, SEC(120)));
	for (uint8_t v = 1; v <= 10; v++) {
		int m = sim_master(s, 0, v);
		assert_int_equal(m, (int)(v % 5));
		for (size_t r = 0; r < 5; r++) {
			struct sim_inst *in = sim_inst(s, r, 0, v);
			assert_int_equal(in->transitions, (int)r == m ? 2 : 1);
		}
	}
	unsigned lan;
	uint8_t vrid;
	vtime_t dual = sim_dual_worst(s, &lan, &vrid);
	sim_report("120 s, %llu copies duplicated, %llu reordered: no transition beyond the "
		   "election (worst dual at election %.3f ms)",
		   (unsigned long long)s->st.duplicated, (unsigned long long)s->st.reordered,
		   dual / 1e3);

	stop_each_master(s, &l, spread);
	assert_int_equal(s->violations, 0);
	sim_free(s);
}

/* ---- a seed sweep of random fault schedules ---- */

#define SW_ROUTERS 6
#define SW_VRIDS   8
#define SW_SEEDS   50

struct sweep {
	struct sim *s;
	struct sim_rng rng;
	struct sim_link base;
	vtime_t max_int, max_mdi, spread;
	unsigned faults;
};

static uint8_t pick_router(struct sweep *w, bool up)
{
	int cand[SW_ROUTERS], n = 0;

	for (int r = 0; r < SW_ROUTERS; r++)
		if (w->s->routers[r].up == up)
			cand[n++] = r;
	return n ? (uint8_t)cand[sim_rng_below(&w->rng, (uint64_t)n)] : 0xff;
}

/* Six routers, eight VRIDs: v2 or v3, intervals from 100 ms to 2 s (v3
 * routers of one VRID may differ: backups learn), distinct priorities, now
 * and then an owner, preempt mostly on; VRIDs 1 and 2 are a sync group on
 * every router, with the same priorities. */
static void sweep_build(struct sweep *w, uint64_t seed)
{
	static const uint16_t v3_ints[] = {10, 20, 50, 100, 200};
	struct sim_rng *g = &w->rng;

	memset(w, 0, sizeof(*w));
	sim_rng_seed(g, seed * 0x9e3779b97f4a7c15ULL + 1);
	w->s = sim_new(SW_ROUTERS, 1, seed);
	w->base = (struct sim_link){.delay_us = sim_rng_below(g, 500),
				    .jitter_us = sim_rng_below(g, 2000),
				    .dup = (double)sim_rng_below(g, 20) / 100,
				    .reorder = (double)sim_rng_below(g, 20) / 100,
				    .reorder_us = 1 + sim_rng_below(g, 20 * VTIME_MSEC)};
	w->spread = w->base.delay_us + w->base.jitter_us + w->base.reorder_us;
	sim_set_links(w->s, 0, &w->base);
	struct sim_inst *grp[SW_ROUTERS][2];
	uint8_t prio1[SW_ROUTERS];
	bool preempt1[SW_ROUTERS];
	for (uint8_t v = 1; v <= SW_VRIDS; v++) {
		int pool[254];
		for (int i = 0; i < 254; i++)
			pool[i] = i + 1;
		sim_rng_shuffle(g, pool, 254);
		uint8_t version = v > 2 && sim_rng_chance(g, 0.25) ? 2 : 3;
		uint16_t iv = version == 2 ? (uint16_t)(100 * (1 + sim_rng_below(g, 2)))
					   : v3_ints[sim_rng_below(g, 5)];
		bool owner = v == SW_VRIDS && sim_rng_chance(g, 0.5);
		vtime_t top = 0;
		for (size_t r = 0; r < SW_ROUTERS; r++) {
			struct sim_inst_cfg c;
			uint8_t prio = owner && r == 0 ? 255 : (uint8_t)pool[r];
			bool pre = sim_rng_chance(g, 0.85);
			if (v == 2) {
				prio = prio1[r];
				pre = preempt1[r];
			}
			sim_inst_cfg_default(&c, version, v, prio);
			c.p.preempt = pre;
			c.p.adver_int_cs = iv;
			if (version == 3 && sim_rng_chance(g, 0.3))
				c.p.adver_int_cs = v3_ints[sim_rng_below(g, 5)];
			struct sim_inst *in = sim_add_inst(w->s, r, &c);
			if (v <= 2)
				grp[r][v - 1] = in;
			prio1[r] = prio;
			preempt1[r] = pre;
			top = c.p.adver_int_cs > top ? c.p.adver_int_cs : top;
		}
		top *= 10000; /* µs */
		vtime_t mdi = version == 2 ? 3 * top + VTIME_SEC : 4 * top;
		w->max_int = top > w->max_int ? top : w->max_int;
		w->max_mdi = mdi > w->max_mdi ? mdi : w->max_mdi;
	}
	for (size_t r = 0; r < SW_ROUTERS; r++)
		sim_add_group(w->s, grp[r], 2);
	for (size_t r = 0; r < SW_ROUTERS; r++)
		sim_start(w->s, r);
}

/* One random fault, at s->now. */
static void sweep_fault(struct sweep *w)
{
	struct sim *s = w->s;
	struct sim_rng *g = &w->rng;
	uint8_t r, v = (uint8_t)(1 + sim_rng_below(g, SW_VRIDS));
	int side[SW_ROUTERS];
	struct sim_link l;

	w->faults++;
	switch (sim_rng_below(g, 11)) {
	case 0:
		if ((r = pick_router(w, true)) != 0xff)
			sim_crash(s, r);
		break;
	case 1:
		if ((r = pick_router(w, true)) != 0xff)
			sim_shutdown(s, r);
		break;
	case 2:
	case 3:
		if ((r = pick_router(w, false)) != 0xff)
			sim_start(s, r);
		break;
	case 4:
		for (int i = 0; i < SW_ROUTERS; i++)
			side[i] = (int)sim_rng_below(g, 2 + sim_rng_below(g, 2));
		sim_partition(s, 0, side);
		break;
	case 5:
		sim_heal(s, 0);
		break;
	case 6: /* a loss burst, or its end */
		l = w->base;
		if (sim_rng_chance(g, 0.5))
			l.loss = 0.3 + 0.7 * (double)sim_rng_below(g, 100) / 100;
		sim_set_links(s, 0, &l);
		break;
	case 7:
	case 8: { /* tracking: FAULT in or out */
		struct sim_inst *in = sim_inst(s, sim_rng_below(g, SW_ROUTERS), 0, v);
		sim_set_fault(in, !in->fault, NULL);
		break;
	}
	case 9: { /* tracking: a new effective priority, still distinct */
		struct sim_inst *in = sim_inst(s, sim_rng_below(g, SW_ROUTERS), 0, v);
		uint8_t p;
		bool used;
		if (v <= 2 || in->cfg.p.priority == VRRP_PRIO_OWNER)
			break; /* a group keeps one order; an owner stays 255 */
		for (int tries = 0; tries < 64; tries++) { /* 6 of 254 taken */
			p = (uint8_t)(1 + sim_rng_below(g, 254));
			used = false;
			for (size_t i = 0; i < SW_ROUTERS; i++)
				used |= sim_inst(s, i, 0, v)->vi.prio == p;
			if (!used) {
				sim_set_priority(in, p);
				break;
			}
		}
		break;
	}
	default: { /* one instance removed from, or put back in, the config */
		struct sim_inst *in = sim_inst(s, sim_rng_below(g, SW_ROUTERS), 0, v);
		if (in->vi.state == VRRP_STATE_INIT)
			sim_inst_start(in);
		else if (!in->group)
			sim_inst_stop(in);
		break;
	}
	}
}

/* Everything back: links, partition, tracking, routers, instances. */
static void sweep_restore(struct sweep *w)
{
	struct sim *s = w->s;

	sim_set_links(s, 0, &w->base);
	sim_heal(s, 0);
	for (size_t r = 0; r < SW_ROUTERS; r++) {
		sim_start(s, r);
		for (uint8_t v = 1; v <= SW_VRIDS; v++) {
			struct sim_inst *in = sim_inst(s, r, 0, v);
			if (in->fault)
				sim_set_fault(in, false, NULL);
			sim_inst_start(in);
		}
	}
}

/* Once the faults are over: one master per VRID; the predicted one (the
 * highest effective priority, then address) whenever it preempts; sync
 * groups in one state; all within Master_Down_Interval + one interval. */
static void sweep_check(struct sweep *w, vtime_t restored, vtime_t *conv_worst, unsigned *stale)
{
	struct sim *s = w->s;

	for (uint8_t v = 1; v <= SW_VRIDS; v++) {
		int m = sim_master(s, 0, v), p = sim_predict(s, 0, v);
		if (m < 0)
			fprintf(stderr, "seed %#llx: vrid %u has %s\n", (unsigned long long)s->seed,
				v, m == -1 ? "no master" : "two masters");
		assert_true(m >= 0);
		const struct sim_inst *pi = sim_inst(s, (size_t)p, 0, v);
		if (pi->cfg.p.preempt || pi->cfg.p.priority == VRRP_PRIO_OWNER)
			assert_int_equal(m, p);
		vtime_t c = s->vrids[0][v].changed_at;
		c = c > restored ? c - restored : 0;
		*conv_worst = c > *conv_worst ? c : *conv_worst;
		assert_true(c <= w->max_mdi + w->max_int + w->spread);
		*stale += sim_arp_stale(s, 0, v);
	}
	for (size_t r = 0; r < SW_ROUTERS; r++)
		assert_int_equal(sim_inst(s, r, 0, 1)->vi.state, sim_inst(s, r, 0, 2)->vi.state);
	assert_false(s->overrun);
	assert_int_equal(s->st.decode_fail, 0);
	assert_int_equal(s->violations, 0);
}

static void seed_sweep(void **state)
{
	uint64_t base = sim_seed(0x5eed5000), events = 0, trans = 0, holds = 0;
	unsigned faults = 0, stale = 0;
	vtime_t conv = 0;

	(void)state;
	sim_report("seeds %#llx to %#llx: %d routers, %d VRIDs, 10-30 random faults in 100 s each",
		   (unsigned long long)base, (unsigned long long)(base + SW_SEEDS - 1), SW_ROUTERS,
		   SW_VRIDS);
	for (uint64_t seed = base; seed < base + SW_SEEDS; seed++) {
		struct sweep w;
		sweep_build(&w, seed);
		struct sim *s = w.s;
		unsigned n = 10 + (unsigned)sim_rng_below(&w.rng, 21);
		vtime_t t = SIM_T0 + SEC(10);
		for (unsigned i = 0; i < n; i++) {
			t += sim_rng_below(&w.rng, SEC(100) / n);
			assert_true(sim_run_until(s, t));
			sweep_fault(&w);
		}
		assert_true(sim_run_until(s, SIM_T0 + SEC(115)));
		vtime_t restored = s->now;
		sweep_restore(&w);
		assert_true(sim_run_for(s, 2 * w.max_mdi + w.max_int + SEC(1)));
		sweep_check(&w, restored, &conv, &stale);
		events += s->st.events;
		trans += s->n_log;
		faults += w.faults;
		for (size_t r = 0; r < SW_ROUTERS; r++)
			holds += sim_inst(s, r, 0, 1)->holds + sim_inst(s, r, 0, 2)->holds;
		sim_free(s);
	}
	sim_report("%u faults, %llu transitions, %llu sync-group holds, %llu events: invariants "
		   "held throughout",
		   faults, (unsigned long long)trans, (unsigned long long)holds,
		   (unsigned long long)events);
	sim_report("after the faults: one master per VRID, the predicted one where it preempts, "
		   "worst settling %.3f s; %u of %u host locations left on a loser's ARP",
		   conv / 1e6, stale, SW_SEEDS * SW_VRIDS * SW_ROUTERS);
}

/* After a partition heals, the hosts that followed the other side's master
 * must follow the winner again. The winner never stopped being master, so
 * its takeover GARPs are long gone: it is the lower-priority advert it
 * hears from the loser that makes it send gratuitous ARPs again
 * (keepalived's garp_lower_prio_repeat / _delay, on by default; the core's
 * VRRP_ACT_RX_LOWER). It hears one only if the loser advertises before it
 * hears the winner: higher_prio_send_advert (on by default in vrrpd, off
 * in keepalived) makes the loser send one as it steps down. Without them,
 * and without use_vmac, the hosts' ARP caches point at the loser until
 * they expire. */
static void heal_arp_follows_master(void **state)
{
	uint64_t seed = sim_seed(0x5eed0a49);
	struct sim *s = sim_new(2, 1, seed);
	int side[2] = {0, 1};

	(void)state;
	sim_report("seed %#llx", (unsigned long long)seed);
	for (size_t r = 0; r < 2; r++) {
		struct sim_inst_cfg c;
		sim_inst_cfg_default(&c, 3, 1, r ? 100 : 200);
		sim_add_inst(s, r, &c);
		sim_start(s, r);
	}
	assert_true(sim_run_for(s, SEC(10)));
	assert_int_equal(sim_arp_stale(s, 0, 1), 0);
	sim_partition(s, 0, side);
	assert_true(sim_run_for(s, SEC(10))); /* B is master on its side, and GARPed */
	sim_heal(s, 0);
	assert_true(sim_run_for(s, SEC(2)));
	assert_int_equal(sim_master(s, 0, 1), 0);
	sim_report("2 s after the heal, %u of 2 host locations send to the loser",
		   sim_arp_stale(s, 0, 1));
	assert_int_equal(sim_arp_stale(s, 0, 1), 0);
	sim_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sync_group_failover),
	    cmocka_unit_test(duplicates_and_reordering),
	    cmocka_unit_test(seed_sweep),
	    cmocka_unit_test(heal_arp_follows_master),
	};

	return cmocka_run_group_tests_name("sim_faults", tests, NULL, NULL);
}
