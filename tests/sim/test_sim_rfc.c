/* Simulator scenarios: three routers elect and fail over exactly as the RFC
 * predicts, to the microsecond (a LAN with no delay, so an advert arrives
 * when it is sent). Rule numbers refer to docs/conformance.md (the
 * numbered items of the RFC checklist). Each scenario prints its seed; set
 * SIM_SEED to replay another (these ones draw nothing random: no loss). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "sim.h"

#define SEC(x) ((vtime_t)((x)*1e6))
#define REL(t) ((double)((t)-SIM_T0) / 1e6)

struct three {
	struct sim *s;
	struct sim_inst *in[3];
	uint16_t int_cs[3];
	uint8_t prio[3];
	uint8_t version;
};

/* Routers 0, 1, 2 with priorities prio[], one instance of VRID 51 each. */
static void three_up(struct three *t, uint8_t version, unsigned lan_family, const uint8_t *prio,
		     const uint16_t *int_cs, const bool *preempt)
{
	uint64_t seed = sim_seed(0x5eed0003);

	sim_report("seed %#llx", (unsigned long long)seed);
	memset(t, 0, sizeof(*t));
	t->s = sim_new(3, 1, seed);
	t->version = version;
	if (lan_family == AF_INET6)
		sim_lan_ipv6(t->s, 0);
	for (size_t i = 0; i < 3; i++) {
		struct sim_inst_cfg c;
		sim_inst_cfg_default(&c, version, 51, prio[i]);
		c.p.adver_int_cs = int_cs[i];
		c.p.preempt = preempt ? preempt[i] : true;
		t->in[i] = sim_add_inst(t->s, i, &c);
		t->prio[i] = prio[i];
		t->int_cs[i] = int_cs[i];
	}
	for (size_t i = 0; i < 3; i++)
		sim_start(t->s, i);
}

static void three_down(struct three *t)
{
	assert_int_equal(t->s->violations, 0);
	assert_int_equal(t->s->st.decode_fail, 0);
	sim_free(t->s);
}

/* Startup: everyone Backup for its Master_Down_Interval (36); the highest
 * priority's timer runs out first (37) and its advert keeps the others
 * Backup (39). */
static void assert_elected(struct three *t, size_t winner)
{
	struct sim *s = t->s;
	vtime_t mdi = sim_mdi(t->version, t->prio[winner], t->int_cs[winner]);

	assert_true(sim_run_until(s, SIM_T0 + SEC(10)));
	assert_int_equal(sim_master(s, 0, 51), (int)winner);
	assert_int_equal(t->in[winner]->master_at, SIM_T0 + mdi);
	for (size_t i = 0; i < 3; i++)
		if (i != winner) {
			assert_int_equal(t->in[i]->became_master, 0);
			assert_int_equal(t->in[i]->transitions, 1); /* INIT -> BACKUP */
		}
	sim_report("v%u: r%zu (priority %u) elected at +%.6f s = its Master_Down_Interval",
		   t->version, winner, t->prio[winner], REL(t->in[winner]->master_at));
}

/* Crash of the master: the next one takes over exactly Master_Down_Interval
 * (3 x the learned Master_Adver_Interval + its Skew_Time) after the last
 * advert it heard (29, 31, 37); the third never moves (39). */
static void crash_and_takeover(struct three *t, size_t master, size_t next, size_t third)
{
	struct sim *s = t->s;
	struct sim_inst *a = t->in[master], *b = t->in[next], *c = t->in[third];
	vtime_t crash_at = s->now + SEC(0.5);
	unsigned c_was = c->became_master;

	assert_true(sim_run_until(s, crash_at));
	sim_crash(s, master);
	assert_int_equal(sim_master(s, 0, 51), -1);
	assert_true(sim_run_for(s, SEC(10)));
	/* The backup learnt the master's interval (v3); v2 uses its own, equal. */
	vtime_t mdi = sim_mdi(t->version, t->prio[next], t->int_cs[master]);
	assert_int_equal(b->vi.last_rx, a->last_tx);
	assert_int_equal(b->master_at, a->last_tx + mdi);
	assert_int_equal(sim_master(s, 0, 51), (int)next);
	if (t->prio[third] == t->prio[next])
		assert_int_equal(c->backup_at, b->master_at); /* yielded at once */
	else
		assert_int_equal(c->became_master, c_was);
	assert_int_equal(c->vi.state, VRRP_STATE_BACKUP);
	sim_report("v%u: crash at +%.6f s, last advert +%.6f s, r%zu master at +%.6f s: "
		   "%.6f s after it = 3 x %.2f s + skew %.6f s (predicted %.6f s)",
		   t->version, REL(crash_at), REL(a->last_tx), next, REL(b->master_at),
		   (double)(b->master_at - a->last_tx) / 1e6, t->int_cs[master] / 100.0,
		   (double)sim_skew(t->version, t->prio[next], t->int_cs[master]) / 1e6,
		   (double)mdi / 1e6);
}

/* Clean shutdown: priority 0, the next takes over after Skew_Time only (38,
 * 47); then the first comes back and preempts after its own startup
 * Master_Down_Interval (36, 40), or with preempt off does not (39). */
static void shutdown_and_return(struct three *t, size_t master, size_t next, bool preempts)
{
	struct sim *s = t->s;
	struct sim_inst *a = t->in[master], *b = t->in[next];
	vtime_t at = s->now + SEC(0.3);

	assert_true(sim_run_until(s, at));
	sim_shutdown(s, master);
	assert_int_equal(a->last_tx, at);
	assert_int_equal(a->last_tx_prio, 0);
	assert_true(sim_run_for(s, SEC(5)));
	vtime_t skew = sim_skew(t->version, t->prio[next], t->int_cs[master]);
	assert_int_equal(b->master_at, at + skew);
	assert_int_equal(sim_master(s, 0, 51), (int)next);
	sim_report("v%u: shutdown at +%.6f s, r%zu master at +%.6f s: %.6f s later = Skew_Time "
		   "%.6f s",
		   t->version, REL(at), next, REL(b->master_at), (double)(b->master_at - at) / 1e6,
		   (double)skew / 1e6);

	vtime_t back = s->now + SEC(0.25);
	assert_true(sim_run_until(s, back));
	sim_start(s, master);
	assert_true(sim_run_for(s, SEC(30)));
	if (!preempts) {
		assert_int_equal(sim_master(s, 0, 51), (int)next);
		assert_int_equal(a->became_master, 1); /* the first election only */
		assert_int_equal(a->vi.state, VRRP_STATE_BACKUP);
		sim_report("v%u: r%zu back at +%.6f s with preempt off: still Backup after 30 s",
			   t->version, master, REL(back));
		return;
	}
	vtime_t mdi = sim_mdi(t->version, t->prio[master], t->int_cs[master]);
	assert_int_equal(sim_master(s, 0, 51), (int)master);
	assert_int_equal(a->master_at, back + mdi);
	assert_int_equal(b->backup_at, back + mdi); /* at once, on its advert (44) */
	sim_report("v%u: r%zu back at +%.6f s, preempts at +%.6f s (its Master_Down_Interval "
		   "%.6f s); r%zu Backup the same microsecond",
		   t->version, master, REL(back), REL(a->master_at), (double)mdi / 1e6, next);
}

static void v3_elect_crash(void **state)
{
	/* r1 is configured at 2 s but learns r0's 1 s from its adverts (31). */
	static const uint8_t prio[3] = {200, 150, 100};
	static const uint16_t ints[3] = {100, 200, 100};
	struct three t;

	(void)state;
	three_up(&t, 3, AF_INET, prio, ints, NULL);
	assert_elected(&t, 0);
	crash_and_takeover(&t, 0, 1, 2);
	three_down(&t);
}

static void v3_shutdown_preempt(void **state)
{
	static const uint8_t prio[3] = {200, 150, 100};
	static const uint16_t ints[3] = {100, 100, 100};
	struct three t;

	(void)state;
	three_up(&t, 3, AF_INET, prio, ints, NULL);
	assert_elected(&t, 0);
	shutdown_and_return(&t, 0, 1, true);
	assert_int_equal(t.in[2]->became_master, 0);
	three_down(&t);
}

static void v3_no_preempt(void **state)
{
	static const uint8_t prio[3] = {200, 150, 100};
	static const uint16_t ints[3] = {100, 100, 100};
	static const bool preempt[3] = {false, false, false};
	struct three t;

	(void)state;
	three_up(&t, 3, AF_INET, prio, ints, preempt);
	assert_elected(&t, 0);
	shutdown_and_return(&t, 0, 1, false);
	three_down(&t);
}

/* v2: Skew_Time is (256 - priority) / 256 s whatever the interval (28). */
static void v2_elect_crash(void **state)
{
	static const uint8_t prio[3] = {200, 150, 100};
	static const uint16_t ints[3] = {200, 200, 200};
	struct three t;

	(void)state;
	three_up(&t, 2, AF_INET, prio, ints, NULL);
	assert_elected(&t, 0);
	crash_and_takeover(&t, 0, 1, 2);
	three_down(&t);
}

static void v2_shutdown_preempt(void **state)
{
	static const uint8_t prio[3] = {200, 150, 100};
	static const uint16_t ints[3] = {200, 200, 200};
	struct three t;

	(void)state;
	three_up(&t, 2, AF_INET, prio, ints, NULL);
	assert_elected(&t, 0);
	shutdown_and_return(&t, 0, 1, true);
	three_down(&t);
}

static void v2_no_preempt(void **state)
{
	static const uint8_t prio[3] = {200, 150, 100};
	static const uint16_t ints[3] = {100, 100, 100};
	static const bool preempt[3] = {false, true, true};
	struct three t;

	(void)state;
	three_up(&t, 2, AF_INET, prio, ints, preempt);
	assert_elected(&t, 0);
	shutdown_and_return(&t, 0, 1, false);
	three_down(&t);
}

/* Equal priorities: the highest primary address wins (44, 45). Over IPv6
 * the advert source is the link-local address: fe80::3 > fe80::2 > fe80::1
 * compared as network-order bytes. Two backups of equal priority time out
 * in the same microsecond and both become Master; their adverts cross and
 * the lower address yields in that same microsecond. */
static void equal_priority_tie_break(uint8_t version, unsigned family)
{
	static const uint8_t prio[3] = {100, 100, 100};
	static const uint16_t ints[3] = {100, 100, 100};
	struct three t;

	three_up(&t, version, family, prio, ints, NULL);
	struct sim *s = t.s;
	assert_true(sim_run_until(s, SIM_T0 + SEC(10)));
	assert_int_equal(sim_master(s, 0, 51), 2);
	/* All three became Master together; 0 and 1 yielded at once. */
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(t.in[i]->became_master, 1);
	assert_int_equal(t.in[0]->backup_at, t.in[2]->master_at);
	assert_int_equal(t.in[1]->backup_at, t.in[2]->master_at);
	unsigned lan;
	uint8_t vrid;
	assert_int_equal(sim_dual_worst(s, &lan, &vrid), 0);

	crash_and_takeover(&t, 2, 1, 0);
	/* r0 timed out in the same microsecond as r1, and yielded to it. */
	assert_int_equal(t.in[0]->became_master, 2);
	assert_int_equal(t.in[0]->backup_at, t.in[1]->master_at);
	assert_int_equal(sim_dual_worst(s, &lan, &vrid), 0);
	sim_report("v%u over %s: equal priority, highest address wins; duals lasted 0 us", version,
		   family == AF_INET6 ? "IPv6 (link-local)" : "IPv4");
	three_down(&t);
}

static void v3_tie_break_ipv4(void **state)
{
	(void)state;
	equal_priority_tie_break(3, AF_INET);
}

static void v3_tie_break_ipv6(void **state)
{
	(void)state;
	equal_priority_tie_break(3, AF_INET6);
}

static void v3_ipv6_elect_crash(void **state)
{
	static const uint8_t prio[3] = {100, 254, 1};
	static const uint16_t ints[3] = {10, 10, 10}; /* 100 ms: skew 1 - 3.9 ms */
	struct three t;

	(void)state;
	three_up(&t, 3, AF_INET6, prio, ints, NULL);
	assert_elected(&t, 1);
	crash_and_takeover(&t, 1, 0, 2);
	three_down(&t);
}

/* The address owner (255) is Master at once on startup (35) and preempts
 * whatever Preempt_Mode says (41). */
static void v3_owner_preempts(void **state)
{
	static const uint8_t prio[3] = {255, 150, 100};
	static const uint16_t ints[3] = {100, 100, 100};
	static const bool preempt[3] = {false, false, false};
	struct three t;

	(void)state;
	three_up(&t, 3, AF_INET, prio, ints, preempt);
	struct sim *s = t.s;
	assert_int_equal(t.in[0]->master_at, SIM_T0);
	assert_true(sim_run_for(s, SEC(5.5)));
	sim_shutdown(s, 0);
	assert_true(sim_run_for(s, SEC(3)));
	assert_int_equal(sim_master(s, 0, 51), 1);
	vtime_t back = s->now;
	sim_start(s, 0);
	assert_int_equal(t.in[0]->master_at, back);
	assert_true(sim_run_for(s, SEC(10)));
	assert_int_equal(t.in[1]->backup_at, back); /* on its first advert (44) */
	assert_int_equal(sim_master(s, 0, 51), 0);
	sim_report("owner: Master at startup, back at +%.6f s and Master the same microsecond",
		   REL(back));
	three_down(&t);
}

/* preempt_delay: a higher-priority router that comes back obeys the lower
 * master until the delay, counted from its first advert, has run out; it
 * takes over one Master_Down_Interval after the last advert it obeyed. */
static void v3_preempt_delay(void **state)
{
	static const uint8_t prio[3] = {200, 150, 100};
	static const uint16_t ints[3] = {100, 100, 100};
	struct three t;

	(void)state;
	three_up(&t, 3, AF_INET, prio, ints, NULL);
	struct sim *s = t.s;
	struct sim_inst *a = t.in[0], *b = t.in[1];
	assert_elected(&t, 0);
	sim_shutdown(s, 0);
	a->cfg.p.preempt_delay = SEC(5);
	assert_true(sim_run_for(s, SEC(2.5)));
	vtime_t back = s->now;
	sim_start(s, 0);
	assert_true(sim_run_for(s, SEC(20)));
	assert_int_equal(sim_master(s, 0, 51), 0);
	/* b's adverts come at b->master_at + k s; a obeys those before
	 * first + 5 s, where first is the first one it heard. */
	vtime_t first = b->master_at;
	while (first < back)
		first += SEC(1);
	vtime_t last = first;
	while (last + SEC(1) < first + SEC(5))
		last += SEC(1);
	vtime_t expect = last + sim_mdi(3, 200, 100);
	assert_int_equal(a->master_at, expect);
	sim_report("preempt_delay 5 s: back at +%.6f s, first advert +%.6f s, Master at +%.6f s",
		   REL(back), REL(first), REL(a->master_at));
	three_down(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(v3_elect_crash),	   cmocka_unit_test(v3_shutdown_preempt),
	    cmocka_unit_test(v3_no_preempt),	   cmocka_unit_test(v2_elect_crash),
	    cmocka_unit_test(v2_shutdown_preempt), cmocka_unit_test(v2_no_preempt),
	    cmocka_unit_test(v3_tie_break_ipv4),   cmocka_unit_test(v3_tie_break_ipv6),
	    cmocka_unit_test(v3_ipv6_elect_crash), cmocka_unit_test(v3_owner_preempts),
	    cmocka_unit_test(v3_preempt_delay),
	};
	return cmocka_run_group_tests_name("sim_rfc", tests, NULL, NULL);
}
