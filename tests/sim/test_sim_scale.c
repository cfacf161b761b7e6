/* Simulator scenarios at a scale no lab holds: 255 VRIDs on 16 routers.
 *  - A random partition of the LAN, then heal: every side elects the master
 *    the RFC predicts for it, and after the heal every VRID has exactly one
 *    master, the one the RFC predicts (highest priority, then highest
 *    primary address: conformance 44, 45), within one advert interval.
 *  - 30 % loss on every link: how long two masters coexist.
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

#define SEC(x)	 ((vtime_t)((x)*1e6))
#define REL(t)	 ((double)((t)-SIM_T0) / 1e6)
#define ROUTERS	 16
#define VRIDS	 255
#define DELAY_US 50
#define JITTER	 100

struct world {
	struct sim *s;
	struct sim_rng rng; /* the scenario's own choices; the LAN has its own */
	uint8_t prio[VRIDS + 1][ROUTERS];
};

static void start_cb(struct sim *s, void *arg)
{
	sim_start(s, (size_t)(uintptr_t)arg);
}

/* 16 routers with shuffled addresses, 255 VRIDs on each, priorities either
 * distinct per VRID, the routers starting at random moments within the
 * first second; or from three values (ties settled by the address), the
 * routers starting together. Equal priority does not preempt a Backup
 * (conformance 39), so the address decides only between routers that time
 * out together: hence one start, and links without jitter, for ties. */
static void world_up(struct world *w, uint64_t seed, bool ties, const struct sim_link *link)
{
	int octet[254];

	memset(w, 0, sizeof(*w));
	sim_rng_seed(&w->rng, seed ^ 0xa5a5a5a5a5a5a5a5ULL);
	w->s = sim_new(ROUTERS, 1, seed);
	sim_set_links(w->s, 0, link);
	for (int i = 0; i < 254; i++)
		octet[i] = i + 1;
	sim_rng_shuffle(&w->rng, octet, 254);
	for (size_t r = 0; r < ROUTERS; r++) {
		struct vaddr a = {.family = AF_INET, .u.b = {192, 0, 2, (uint8_t)octet[r]}};
		sim_set_primary(w->s, r, 0, &a);
	}
	for (unsigned v = 1; v <= VRIDS; v++) {
		int pool[254];
		for (int i = 0; i < 254; i++)
			pool[i] = i + 1;
		sim_rng_shuffle(&w->rng, pool, 254);
		for (size_t r = 0; r < ROUTERS; r++) {
			struct sim_inst_cfg c;
			w->prio[v][r] =
			    (uint8_t)(ties ? 100 + sim_rng_below(&w->rng, 3) : (uint64_t)pool[r]);
			sim_inst_cfg_default(&c, 3, (uint8_t)v, w->prio[v][r]);
			sim_add_inst(w->s, r, &c);
		}
	}
	vtime_t start = SIM_T0 + sim_rng_below(&w->rng, VTIME_SEC);
	for (size_t r = 0; r < ROUTERS; r++)
		sim_at(w->s, ties ? start : SIM_T0 + sim_rng_below(&w->rng, VTIME_SEC), start_cb,
		       (void *)(uintptr_t)r);
}

/* The master the RFC predicts among the routers on one side (independently
 * of sim_predict: from the configured priorities and addresses). */
static int predict_side(struct world *w, uint8_t vrid, const int *side, int which)
{
	int best = -1;

	for (size_t r = 0; r < ROUTERS; r++) {
		if (side && side[r] != which)
			continue;
		if (best < 0 || w->prio[vrid][r] > w->prio[vrid][best] ||
		    (w->prio[vrid][r] == w->prio[vrid][best] &&
		     addr_cmp(&w->s->routers[r].primary[0], &w->s->routers[best].primary[0]) > 0))
			best = (int)r;
	}
	return best;
}

/* Counts the VRIDs (over all sides) whose masters are not exactly the
 * predicted one; prints the first few. */
static unsigned wrong_masters(struct world *w, const int *side, int n_sides)
{
	unsigned wrong = 0;

	for (unsigned v = 1; v <= VRIDS; v++)
		for (int k = 0; k < n_sides; k++) {
			int want = predict_side(w, (uint8_t)v, side, k), got = -1, n = 0;
			if (want < 0)
				continue;
			for (size_t r = 0; r < ROUTERS; r++) {
				struct sim_inst *in = sim_inst(w->s, r, 0, (uint8_t)v);
				if ((!side || side[r] == k) && in->vi.state == VRRP_STATE_MASTER) {
					got = (int)r;
					n++;
				}
			}
			if (n == 1 && got == want)
				continue;
			if (wrong++ < 5)
				fprintf(stderr,
					"vrid %u side %d: %d master(s), r%d; predicted r%d\n", v, k,
					n, got, want);
		}
	return wrong;
}

static vtime_t last_change(struct world *w)
{
	vtime_t t = 0;

	for (unsigned v = 1; v <= VRIDS; v++)
		if (w->s->vrids[0][v].changed_at > t)
			t = w->s->vrids[0][v].changed_at;
	return t;
}

static unsigned stale_total(struct sim *s)
{
	unsigned stale = 0;

	for (unsigned v = 1; v <= VRIDS; v++)
		stale += sim_arp_stale(s, 0, (uint8_t)v);
	return stale;
}

/* Election: one master per VRID, as predicted. With ties, every tied
 * router becomes Master and GARPs in the same microsecond and the losers
 * yield one LAN delay later: the hosts follow whoever GARPed last until the
 * winner's second burst (garp_master_delay, 5 s). */
static void phase_election(struct world *w, bool ties)
{
	struct sim *s = w->s;
	unsigned lan;
	uint8_t vrid;

	assert_true(sim_run_until(s, SIM_T0 + SEC(8)));
	assert_int_equal(wrong_masters(w, NULL, 1), 0);
	vtime_t dual = sim_dual_worst(s, &lan, &vrid);
	unsigned stale = stale_total(s);
	sim_report("election: one master per VRID, as predicted, by +%.6f s (worst dual %.3f ms); "
		   "%u of %u host locations on a loser's ARP at +8 s",
		   REL(last_change(w)), dual / 1e3, stale, VRIDS * ROUTERS);
	if (!ties)
		assert_int_equal(stale, 0);
}

/* A random partition into 2..4 sides, none empty, long enough for every
 * side to elect its own (6 s: more than any Master_Down_Interval here). */
static void phase_partition(struct world *w, int *side)
{
	struct sim *s = w->s;
	int n_sides = 2 + (int)sim_rng_below(&w->rng, 3), order[ROUTERS];
	char sizes[64] = "";

	for (int r = 0; r < ROUTERS; r++)
		order[r] = r;
	sim_rng_shuffle(&w->rng, order, ROUTERS);
	for (int i = 0; i < ROUTERS; i++)
		side[order[i]] = i < n_sides ? i : (int)sim_rng_below(&w->rng, (uint64_t)n_sides);
	vtime_t cut = s->now + sim_rng_below(&w->rng, VTIME_SEC);
	assert_true(sim_run_until(s, cut));
	sim_partition(s, 0, side);
	assert_true(sim_run_for(s, SEC(6)));
	assert_int_equal(wrong_masters(w, side, n_sides), 0);
	for (int k = 0; k < n_sides; k++) {
		int n = 0;
		for (size_t r = 0; r < ROUTERS; r++)
			n += side[r] == k;
		snprintf(sizes + strlen(sizes), sizeof(sizes) - strlen(sizes), "%s%d", k ? "+" : "",
			 n);
	}
	sim_report("partition at +%.6f s into %d sides (%s routers): each side elected the "
		   "predicted master",
		   REL(cut), n_sides, sizes);
}

/* Heal: every VRID back to one master, the global prediction, within one
 * advert interval (each master adverts once a second and the lower ones
 * yield on the first they hear, conformance 44, 46). */
static void phase_heal(struct world *w)
{
	struct sim *s = w->s;
	unsigned lan, n_dual;
	uint8_t vrid;

	vtime_t heal = s->now + sim_rng_below(&w->rng, VTIME_SEC);
	assert_true(sim_run_until(s, heal));
	sim_heal(s, 0);
	sim_obs_reset(s);
	assert_true(sim_run_for(s, SEC(10)));
	assert_int_equal(wrong_masters(w, NULL, 1), 0);
	vtime_t conv = last_change(w) - heal;
	assert_true(conv <= SEC(1) + DELAY_US + JITTER);
	vtime_t total = sim_dual_total(s, &n_dual, NULL);
	vtime_t dual = sim_dual_worst(s, &lan, &vrid);
	assert_true(dual <= SEC(1) + DELAY_US + JITTER);
	sim_report("heal at +%.6f s: converged %.3f ms later; %u dual-master intervals, worst "
		   "%.3f ms (vrid %u), %.3f s in all",
		   REL(heal), conv / 1e3, n_dual, dual / 1e3, vrid, total / 1e6);
	sim_report("after the heal %u of %u host locations still send a VRID's traffic to a "
		   "router that lost (the winners GARP when they hear a loser's lower advert, "
		   "which higher_prio_send_advert makes sure they do)",
		   stale_total(s), VRIDS * ROUTERS);
	assert_int_equal(stale_total(s), 0);
}

static void partition_heal(bool ties)
{
	uint64_t seed = sim_seed(ties ? 0x5eed0255ULL : 0x5eed0016ULL);
	struct sim_link link = {.delay_us = DELAY_US, .jitter_us = ties ? 0 : JITTER};
	struct world w;
	int side[ROUTERS];

	sim_report("seed %#llx: %u VRIDs x %u routers, priorities %s", (unsigned long long)seed,
		   VRIDS, ROUTERS, ties ? "from {100, 101, 102} (ties)" : "distinct");
	world_up(&w, seed, ties, &link);
	phase_election(&w, ties);
	phase_partition(&w, side);
	phase_heal(&w);
	sim_report("%llu events, %llu adverts sent, %llu delivered",
		   (unsigned long long)w.s->st.events, (unsigned long long)w.s->st.sent,
		   (unsigned long long)w.s->st.delivered);
	assert_int_equal(w.s->violations, 0);
	sim_free(w.s);
}

/* 30 % loss on every link, for a minute. A backup that misses three
 * adverts in a row takes over (three losses in a row: 2.7 %, so at this
 * scale dozens of times a second), and the two masters last until the
 * lower one hears the higher one. Every accepted advert is checked against
 * the RFC's rules as it arrives (sim.h, invariants); the limit of each VRID
 * is its shortest Master_Down_Interval (that of its highest priority).
 * Then the loss stops and every VRID must be back to the predicted master
 * within one advert interval. */
static void loss_run(double p, vtime_t run, unsigned *over, vtime_t *worst_out)
{
	uint64_t seed = sim_seed(0x5eed0030ULL);
	struct sim_link link = {.delay_us = DELAY_US, .jitter_us = JITTER, .loss = p};
	struct world w;

	sim_report("seed %#llx: %u VRIDs x %u routers, %.0f %% loss on every link, %.0f s",
		   (unsigned long long)seed, VRIDS, ROUTERS, p * 100, run / 1e6);
	world_up(&w, seed, false, &link);
	struct sim *s = w.s;
	assert_true(sim_run_until(s, SIM_T0 + SEC(10)));
	sim_obs_reset(s);
	for (unsigned v = 1; v <= VRIDS; v++) {
		uint8_t top = 0;
		for (size_t r = 0; r < ROUTERS; r++)
			top = w.prio[v][r] > top ? w.prio[v][r] : top;
		s->vrids[0][v].dual_limit = sim_mdi(3, top, 100);
	}
	size_t trans0 = s->n_log;
	assert_true(sim_run_for(s, run));
	unsigned n_dual, n_over, lan;
	uint8_t vrid;
	vtime_t total = sim_dual_total(s, &n_dual, &n_over);
	vtime_t worst = sim_dual_worst(s, &lan, &vrid);
	sim_report("%zu transitions, %u dual-master intervals, %.3f s in all (%.1f %% of "
		   "VRID-time)",
		   s->n_log - trans0, n_dual, total / 1e6, 100.0 * (double)total / VRIDS / run);
	sim_report("worst dual %.3f s (vrid %u from +%.6f s, limit %.3f s); %u of %u longer than "
		   "their VRID's Master_Down_Interval",
		   worst / 1e6, vrid, REL(s->vrids[0][vrid].dual_worst_at),
		   s->vrids[0][vrid].dual_limit / 1e6, n_over, n_dual);
	sim_report("%llu events, %llu adverts sent, %llu copies lost",
		   (unsigned long long)s->st.events, (unsigned long long)s->st.sent,
		   (unsigned long long)s->st.lost);
	assert_int_equal(s->violations, 0);

	/* The loss stops: one advert interval later, one master each. */
	struct sim_link clean = {.delay_us = DELAY_US, .jitter_us = JITTER};
	sim_set_links(s, 0, &clean);
	vtime_t stop = s->now;
	assert_true(sim_run_for(s, SEC(1) + DELAY_US + JITTER));
	assert_int_equal(wrong_masters(&w, NULL, 1), 0);
	sim_report("loss stopped at +%.6f s: every VRID at its predicted master by +%.6f s",
		   REL(stop), REL(last_change(&w)));
	assert_int_equal(s->violations, 0);
	*over = n_over;
	*worst_out = worst;
	sim_free(s);
}

static void loss_30(void **state)
{
	unsigned over;
	vtime_t worst;

	(void)state;
	loss_run(0.3, SEC(60), &over, &worst);
}

/* KNOWN FAILING, not run by default (SIM_KNOWN_FAILING=1 runs it): "with
 * 30 % loss no VRID has two masters for longer than one
 * Master_Down_Interval". At this scale it does not hold: a false master
 * yields only when it hears the true one, and a run of four or more lost
 * adverts on one of the 3,825 backup links of a minute is no rarity. The
 * core makes it about three times as frequent as it need be: its Master
 * restarts its Adver_Timer when it answers a lower-priority advert (RFC 9568
 * 6.4.3 resets the timer for priority 0 only), so the false master's
 * adverts pace the true master's: one advert per interval instead of two. */
static void loss_30_dual_bound(void **state)
{
	unsigned over;
	vtime_t worst;

	(void)state;
	loss_run(0.3, SEC(60), &over, &worst);
	assert_int_equal(over, 0);
}

static void partition_heal_distinct(void **state)
{
	(void)state;
	partition_heal(false);
}

static void partition_heal_ties(void **state)
{
	(void)state;
	partition_heal(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(partition_heal_distinct),
	    cmocka_unit_test(partition_heal_ties),
	    cmocka_unit_test(loss_30),
	};
	const struct CMUnitTest known_failing[] = {
	    cmocka_unit_test(loss_30_dual_bound),
	};
	const char *k = getenv("SIM_KNOWN_FAILING");

	if (k && *k && *k != '0')
		return cmocka_run_group_tests_name("sim_scale_known_failing", known_failing, NULL,
						   NULL);
	sim_report("not run: loss_30_dual_bound, known failing (see its comment; "
		   "SIM_KNOWN_FAILING=1 runs it)");
	return cmocka_run_group_tests_name("sim_scale", tests, NULL, NULL);
}
