/* sim_int: what the simulator's three files share (not for tests).
 * sim.c runs events and executes the core's actions, sim_model.c builds
 * and changes the world, sim_obs.c watches and checks it. */
#ifndef VRRPD_SIM_INT_H
#define VRRPD_SIM_INT_H

#include "sim.h"

#define PKT_CAP (VRRP_HDR_LEN + SIM_MAX_VIPS * 16 + VRRP_AUTH_LEN)

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

/* sim.c */
void ev_arm(struct sim *s, struct ev *e, vtime_t when);
void ev_cancel(struct sim *s, struct ev *e);
struct ev *ev_get(struct sim *s, enum ev_kind kind);
void inst_do(struct sim_inst *in, const struct vrrp_actions *acts);
size_t group_members(struct sim_inst *in, struct group_member *m);

/* sim_obs.c */
void violation(struct sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool running(const struct sim_inst *in);
struct sim_vrid *vrid_of(struct sim_inst *in);
void observe(struct sim_inst *in);
void check_inst(struct sim_inst *in);
void check_recv(struct sim_inst *in, const struct vrrp_instance *was, const struct pkt_advert *adv,
		const struct vaddr *src);
void log_transition(struct sim_inst *in, enum vrrp_state from);

#endif
