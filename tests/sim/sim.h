/* sim: a discrete-event simulator of VRRP routers on simulated LANs, for
 * tests at unit-test speed.
 *
 * What runs is the real pure core: every instance is a struct vrrp_instance
 * driven through vrrp_startup / vrrp_recv / vrrp_timer / vrrp_shutdown /
 * vrrp_set_fault / vrrp_force_state; sync groups use group_hold,
 * group_fault and group_follow as the daemon does (a Backup's due
 * Master_Down_Timer is held with vrrp_hold while another member still hears
 * its master; a member's move to MASTER or BACKUP forces the others, once,
 * not again); the GARP schedule is announce_start / announce_next. Adverts
 * cross the LAN as bytes: pkt_encode on send, pkt_decode (TTL 255, the
 * sender's primary address, 224.0.0.18 or ff02::12) on receive, and the
 * address list is compared with addrlist_same. Nothing here does I/O or
 * reads a clock.
 *
 * Promises:
 *  - Time is µs on a fake clock that starts at SIM_T0 and moves only in
 *    sim_run_until(). Events run in order of time, and events due at the
 *    same time in the order they were scheduled (a sequence number), so a
 *    run is a function of its seed and the calls made: the same seed and the
 *    same calls replay it event for event. Randomness comes only from the
 *    simulator's own splitmix64 generator, never rand().
 *  - Every run is bounded: sim_run_until() stops after max_events events in
 *    total (default SIM_MAX_EVENTS) and records that as a violation; every
 *    other loop is bounded by a count.
 *  - Knobs from the environment: SIM_SEED=N replays another seed (for tests
 *    that take their seed from sim_seed()), SIM_VERBOSE=1 prints every
 *    transition, SIM_TRACE_VRID=N the transitions and adverts of one VRID.
 *  - The LAN: each LAN is one broadcast domain; an advert sent on it goes to
 *    every other router with an instance on that LAN (never back to its
 *    sender: IP_MULTICAST_LOOP is off, conformance 15). Each directed link
 *    (lan, from, to) has a delay plus a uniform jitter, a loss probability,
 *    a duplicate probability (a second copy with its own delay) and a
 *    reorder probability (an extra delay of 1..reorder_us, so later adverts
 *    overtake it). A partition gives each router a side; a packet crosses
 *    only between routers on the same side, both when it is sent and when it
 *    arrives (a cut drops what is in flight).
 *  - Routers: a crash stops a router silently (its VIPs vanish with it,
 *    packets in flight to it are lost, packets it already sent still
 *    arrive); a clean shutdown runs vrrp_shutdown on every instance first (a
 *    Master's priority-0 advert goes out); a start or restart begins from
 *    vrrp_init, as a new process would.
 *  - Observers: for each (LAN, VRID), how many instances on running routers
 *    are MASTER at every moment, with the time-weighted record of intervals
 *    with two or more masters (count, total, worst, when) and with none;
 *    every state transition in a log; per-instance counters (adverts sent
 *    and accepted, drops by reason, GARP frames, holds); and, for hosts
 *    standing next to each router, which router's GARP for a VRID they heard
 *    last: where their ARP caches send its traffic (a GARP crosses links
 *    like an advert, lost or cut alike, but arrives at once). A new Master's
 *    first GARP round goes out in the instant it takes over, as the daemon
 *    sends it in the same loop turn.
 *  - Invariants, checked after every action list an instance executes: a
 *    Master holds its VIPs and a non-Master does not; a Backup has its
 *    Master_Down_Timer armed; a Master's next advert is due within its
 *    Advertisement_Interval; INIT and FAULT have no timer; every packet the
 *    simulator encodes decodes. And after every accepted advert, from the
 *    RFC's formulas computed here: a Master yields at once to a higher
 *    priority (or an equal one from a higher address) and to nothing else; a
 *    Backup that obeys restarts its Master_Down_Timer at exactly
 *    3 x Master_Adver_Interval (v3: the advert's) + Skew_Time, or Skew_Time
 *    for priority 0. A breach is counted in sim->violations, the first ones
 *    printed and the first kept in sim->violation. */
#ifndef VRRPD_SIM_H
#define VRRPD_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/announce.h"
#include "core/group.h"
#include "core/pkt.h"
#include "core/vrrp.h"

#define SIM_T0		((vtime_t)VTIME_SEC) /* the clock at sim_new(); never 0 */
#define SIM_MAX_ROUTERS 63
#define SIM_MAX_LANS	4
#define SIM_MAX_VIPS	8
#define SIM_MAX_GROUP	8
#define SIM_MAX_EVENTS	20000000ULL

/* ---- a deterministic generator (splitmix64) ---- */

struct sim_rng {
	uint64_t s;
};

void sim_rng_seed(struct sim_rng *r, uint64_t seed);
uint64_t sim_rng_next(struct sim_rng *r);
/* Uniform in 0..n-1 (n > 0), without modulo bias. */
uint64_t sim_rng_below(struct sim_rng *r, uint64_t n);
/* True with probability p (p <= 0: never, p >= 1: always). */
bool sim_rng_chance(struct sim_rng *r, double p);
/* Fisher-Yates shuffle of n ints. */
void sim_rng_shuffle(struct sim_rng *r, int *v, size_t n);

/* ---- the model ---- */

struct sim;
struct sim_router;

struct sim_link {
	vtime_t delay_us;   /* one-way delay */
	vtime_t jitter_us;  /* plus uniform 0..jitter_us */
	double loss;	    /* probability a copy is lost */
	double dup;	    /* probability of a second copy */
	double reorder;	    /* probability of an extra delay of 1..reorder_us */
	vtime_t reorder_us; /* (0 with reorder > 0 means 1 ms) */
};

struct sim_inst_cfg {
	struct vrrp_params p; /* default: the daemon's (rx_lower_event, higher_prio_send_advert) */
	unsigned lan;	      /* the LAN the instance's interface is on */
	size_t n_vips;	      /* advertised VIPs; 0 = one, derived from the VRID */
	struct vaddr vips[SIM_MAX_VIPS];
	struct announce_cfg garp; /* the GARP schedule (default: keepalived's) */
	enum pkt_csum csum;	  /* v3 over IPv4 checksum form sent */
};

struct sim_group;

struct sim_inst {
	struct sim_router *r;
	size_t idx; /* within the router */
	struct sim_inst_cfg cfg;
	struct vrrp_instance vi; /* the real state machine */
	struct sim_group *group; /* NULL: none */
	bool fault;		 /* its own tracking says FAULT (sim_set_fault) */
	uint8_t track_prio;	 /* effective priority from tracking; 0 = configured */
	bool vips_on;
	bool obs_master; /* counted as a master by the observer */
	struct announce ann;
	void *tev, *aev; /* its timer and GARP events (sim.c's) */
	/* counters */
	unsigned transitions, became_master, became_backup;
	vtime_t master_at, backup_at; /* when it last became MASTER / BACKUP */
	vtime_t last_tx;	      /* when it last sent an advert */
	uint8_t last_tx_prio;
	uint64_t tx, rx, garps, holds, addr_mismatch;
	uint64_t drops[PKT_DROP__MAX];
};

struct sim_group {
	size_t n;
	struct sim_inst *m[SIM_MAX_GROUP];
};

struct sim_router {
	struct sim *s;
	size_t idx;
	bool up;
	struct vaddr primary[SIM_MAX_LANS]; /* advert source on each LAN (tie-break) */
	struct sim_inst **inst;
	size_t n_inst;
	int16_t by_vrid[SIM_MAX_LANS][256]; /* instance index, -1 = none */
	struct sim_group *groups;
	size_t n_groups;
	bool on_lan[SIM_MAX_LANS];
	/* Where hosts next to this router send a VRID's traffic: the router
	 * whose GARP they heard last (-1 = none). */
	int16_t arp[SIM_MAX_LANS][256];
	int syncing; /* a forced group move is under way */
	unsigned crashes, starts, shutdowns;
};

/* Per (LAN, VRID): who is master, over time. */
struct sim_vrid {
	unsigned n_inst;       /* configured instances */
	unsigned masters;      /* instances on running routers in MASTER now */
	vtime_t changed_at;    /* last change of the number of masters */
	vtime_t dual_since;    /* start of the current >= 2 interval; 0 = none */
	vtime_t dual_worst;    /* longest closed or open >= 2 interval */
	vtime_t dual_worst_at; /* when it began */
	vtime_t dual_total;    /* summed */
	unsigned dual_n;       /* intervals (of any length, 0 included) */
	unsigned dual_long;    /* intervals longer than dual_limit */
	vtime_t dual_limit;    /* set by the test; 0 = no limit */
	vtime_t none_since;    /* start of the current no-master interval; 0 = none */
	vtime_t none_worst, none_total;
	int arp_owner; /* router that sent the last GARP; -1 = none */
	vtime_t arp_at;
};

struct sim_trans {
	vtime_t t;
	uint16_t router;
	uint8_t lan, vrid;
	uint8_t from, to; /* enum vrrp_state */
};

struct sim_stats {
	uint64_t events, sent, delivered, lost, cut, duplicated, reordered, garps;
	uint64_t to_down, no_vrid, decode_fail;
};

struct sim {
	vtime_t now;
	uint64_t seed;
	struct sim_rng rng; /* the LAN's randomness */
	size_t n_routers, n_lans;
	struct sim_router *routers;
	uint8_t lan_family[SIM_MAX_LANS];     /* AF_INET (default) or AF_INET6 */
	struct sim_link *links[SIM_MAX_LANS]; /* n_routers x n_routers, [from * n + to] */
	int *side[SIM_MAX_LANS];	      /* partition side of each router */
	struct sim_vrid vrids[SIM_MAX_LANS][256];
	struct sim_trans *log;
	size_t n_log, cap_log, log_dropped;
	struct sim_stats st;
	unsigned garp_budget; /* frames per GARP event (shared budget stand-in) */
	uint64_t max_events;
	bool overrun;
	unsigned violations;
	char violation[256];
	bool verbose;	/* print every transition (env SIM_VERBOSE=1) */
	int trace_vrid; /* print transitions and adverts of one VRID (SIM_TRACE_VRID=N) */
	/* opaque */
	void *heap;
	void *pool;
	uint64_t seq;
};

/* A simulator with n_routers routers (down, no instances) on n_lans LANs,
 * every link perfect (no delay, no loss). Router i's primary address on LAN
 * l is 192.0.2.(64 l + i + 1) (IPv4) or fe80::(l << 8 | i + 1) (IPv6). */
struct sim *sim_new(size_t n_routers, size_t n_lans, uint64_t seed);
void sim_free(struct sim *s);

/* LAN l carries IPv6 (v3 only): call before adding instances on it. */
void sim_lan_ipv6(struct sim *s, unsigned lan);
void sim_set_primary(struct sim *s, size_t router, unsigned lan, const struct vaddr *a);

/* Defaults for an instance: VRRPv3 (or 2), 1 s, preempt on, LAN 0, one VIP
 * 203.0.113.VRID (2001:db8::VRID on an IPv6 LAN), keepalived's GARP schedule
 * (5 rounds, 5 more after 5 s), the pseudo-header checksum. */
void sim_inst_cfg_default(struct sim_inst_cfg *c, uint8_t version, uint8_t vrid, uint8_t prio);
struct sim_inst *sim_add_inst(struct sim *s, size_t router, const struct sim_inst_cfg *c);
/* Makes the given instances (all of one router) a sync group. */
struct sim_group *sim_add_group(struct sim *s, struct sim_inst **members, size_t n);
struct sim_inst *sim_inst(struct sim *s, size_t router, unsigned lan, uint8_t vrid);

/* Links: one directed link, or every link of a LAN. */
struct sim_link *sim_link(struct sim *s, unsigned lan, size_t from, size_t to);
void sim_set_links(struct sim *s, unsigned lan, const struct sim_link *l);
/* side[i] for each router: routers hear each other only on the same side. */
void sim_partition(struct sim *s, unsigned lan, const int *side);
void sim_heal(struct sim *s, unsigned lan);
bool sim_connected(const struct sim *s, unsigned lan, size_t a, size_t b);

/* Router life, at s->now. */
void sim_start(struct sim *s, size_t router);
void sim_crash(struct sim *s, size_t router);
void sim_shutdown(struct sim *s, size_t router);
/* One instance of a running router, at s->now: stopped as on removal from
 * the configuration (vrrp_shutdown: a Master sends priority 0), or started
 * afresh. */
void sim_inst_stop(struct sim_inst *in);
void sim_inst_start(struct sim_inst *in);
/* Tracking, at s->now: the instance's own verdict (FAULT or healthy) and
 * its effective priority, applied with the sync-group fault rule. */
void sim_set_fault(struct sim_inst *in, bool fault, const char *why);
void sim_set_priority(struct sim_inst *in, uint8_t prio);

/* Calls fn(s, arg) at time when (>= now), in order with the other events. */
void sim_at(struct sim *s, vtime_t when, void (*fn)(struct sim *s, void *arg), void *arg);

/* Runs every event due up to and including t, then sets the clock to t.
 * Returns false when the event budget ran out (a violation). */
bool sim_run_until(struct sim *s, vtime_t t);
bool sim_run_for(struct sim *s, vtime_t dt);

/* ---- asking ---- */

/* The router that is the only master of (lan, vrid), -1 when none, -2 when
 * two or more. */
int sim_master(const struct sim *s, unsigned lan, uint8_t vrid);
/* The master the RFC predicts from what is running now: the highest
 * effective priority among instances on running routers that are not in
 * FAULT, then the highest primary address (conformance 44, 45). -1: none.
 * (Ignores Preempt_Mode: with preempt off the incumbent may stay.) */
int sim_predict(const struct sim *s, unsigned lan, uint8_t vrid);
/* How many host locations (one per router on the LAN) send (lan, vrid)'s
 * traffic elsewhere than to its only master (all of them when there is
 * none or more than one). */
unsigned sim_arp_stale(const struct sim *s, unsigned lan, uint8_t vrid);
/* Forgets the dual/no-master records (e.g. after a deliberate partition). */
void sim_obs_reset(struct sim *s);
/* The (lan, vrid) with the longest dual-master interval so far (open ones
 * counted up to now); returns its length. */
vtime_t sim_dual_worst(const struct sim *s, unsigned *lan, uint8_t *vrid);
/* Sums over every VRID (open intervals up to now). */
vtime_t sim_dual_total(const struct sim *s, unsigned *intervals, unsigned *over_limit);
/* Master_Down_Interval in µs for a priority and an interval (cs), computed
 * here from the RFC's formula, not by the core: the tests' yardstick. */
vtime_t sim_mdi(uint8_t version, uint8_t prio, uint16_t adver_int_cs);
vtime_t sim_skew(uint8_t version, uint8_t prio, uint16_t adver_int_cs);

/* The seed: $SIM_SEED when set (to replay another run), else def. */
uint64_t sim_seed(uint64_t def);
/* Prints a line of figures, prefixed so it stands out in cmocka's output. */
void sim_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
