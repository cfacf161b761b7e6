/* vrrp: the RFC 5798 / RFC 3768 state machine, pure.
 *
 * Promises: no I/O and no clock. Every entry point takes the current time
 * and appends what the caller must do to a struct vrrp_actions, in the order
 * it must be done. The instance has at most one running timer
 * (Master_Down_Timer in Backup, Adver_Timer in Master), exposed as
 * vi->timer_at (0 = none); the caller arms its own timer there after every
 * call and calls vrrp_timer() when it expires. Times are µs on a monotonic
 * clock. The fields of struct vrrp_instance are for reading: only this
 * module writes them (tests/layers.sh checks it). One call appends at most
 * VRRP_MAX_ACTIONS actions; more is a bug, caught by an assertion. Rules are cited as "conformance
 * N", the rule numbers of docs/conformance.md. */
#ifndef VRRPD_VRRP_H
#define VRRPD_VRRP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/pkt.h"
#include "core/timer.h"

enum vrrp_state { VRRP_STATE_INIT = 0, VRRP_STATE_BACKUP, VRRP_STATE_MASTER, VRRP_STATE_FAULT };

enum vrrp_action_kind {
	VRRP_ACT_SEND_ADVERT, /* send one advert with .priority */
	VRRP_ACT_ADD_VIPS,    /* install every VIP */
	VRRP_ACT_DEL_VIPS,    /* remove every VIP */
	VRRP_ACT_GARP,	/* announce the VIPs (GARP / unsolicited NA) and start the GARP schedule */
	VRRP_ACT_STATE, /* the state changed: .from -> vi->state, why in vi->reason */
	/* As Master, heard an advert that loses to us (lower priority, or
	 * equal from a lower address): another master is on the link, or was
	 * until it hears us. keepalived then refreshes the LAN's neighbour
	 * caches (garp_lower_prio_*) and tells notify_master_rx_lower_pri.
	 * Only with p.rx_lower_event, at most once per half
	 * Advertisement_Interval (a flood of lower adverts is not amplified);
	 * one held back by that limit comes with the next advert. */
	VRRP_ACT_RX_LOWER,
};

/* What vrrp_recv decided about an accepted advert that moved no state, for
 * `vrrpctl why`: vi->decision, set by every vrrp_recv call. A transition
 * says why in vi->reason instead. */
enum vrrp_decision {
	VRRP_DEC_NONE = 0,	/* obeyed a master of higher or equal priority, or moved */
	VRRP_DEC_NOPREEMPT,	/* Backup: a lower-priority master obeyed: no preemption (39) */
	VRRP_DEC_PREEMPT_DELAY, /* Backup: a lower-priority master obeyed until vi->preempt_at */
	VRRP_DEC_PREEMPTING, /* Backup: a lower-priority advert discarded; Master at timer_at (40)
			      */
	VRRP_DEC_STEPDOWN,   /* Backup: the master sent priority 0; Master at timer_at (38) */
	VRRP_DEC_LOWER,	     /* Master: a lower advert (priority, or address) discarded (46) */
	VRRP_DEC_OTHER_STOP, /* Master: another master sent priority 0; reasserted (43) */
};

struct vrrp_action {
	enum vrrp_action_kind kind;
	uint8_t priority;     /* SEND_ADVERT */
	enum vrrp_state from; /* STATE */
};

#define VRRP_MAX_ACTIONS 8
struct vrrp_actions {
	unsigned n;
	struct vrrp_action a[VRRP_MAX_ACTIONS];
};

/* What the configuration says; set once by vrrp_init (reload may change
 * priority and adver_int_cs in place via vrrp_reconfigure). */
struct vrrp_params {
	uint8_t version; /* 2 or 3 */
	uint8_t vrid;
	uint8_t priority;      /* configured; 255 = address owner */
	uint16_t adver_int_cs; /* Advertisement_Interval, centiseconds (v2: a multiple of 100) */
	bool preempt;	       /* Preempt_Mode; the owner always preempts (conformance 41) */
	vtime_t preempt_delay; /* µs; 0 = none */
	bool lower_prio_no_advert;
	/* keepalived's higher_prio_send_advert: a Master that yields to a
	 * higher advert sends one advert with its own priority first, so that
	 * the other master (which hears a lower priority) refreshes the LAN's
	 * neighbour caches with its garp_lower_prio_* burst. */
	bool higher_prio_send_advert;
	bool rx_lower_event; /* emit VRRP_ACT_RX_LOWER */
	/* keepalived's down_timer_adverts: how many Master_Adver_Intervals a
	 * Backup waits before Master_Down (RFC: 3); 1..100, 0 = 3. */
	uint8_t down_timer_adverts;
	/* keepalived's owner_ignore_adverts (always on in strict mode): an
	 * address owner (priority 255) drops every advert it receives
	 * (PKT_DROP_OWNER_IGNORES) and so never yields to an equal-priority
	 * master with a higher address. No effect below 255. */
	bool owner_ignore_adverts;
	/* keepalived's timer_expired_backup H (with nopreempt): a Master whose
	 * Adver_Timer fires so late that a backup of priority H would have
	 * taken over (down_timer_adverts x interval + H's Skew_Time since our
	 * last advert) goes to Backup instead of advertising: with nopreempt
	 * it must not take the VIPs back from the new master. 0 = off. */
	uint8_t expired_backup_prio;
	uint8_t auth_type; /* v2: 0 none, 1 PASS */
	uint8_t auth_data[VRRP_AUTH_LEN];
};

struct vrrp_instance {
	struct vrrp_params p;
	struct vaddr primary; /* our advert source: tie-break address (conformance 45) */
	enum vrrp_state state;
	uint8_t prio;		      /* effective priority (conformance 33) */
	uint32_t master_adver_int_cs; /* Master_Adver_Interval */
	vtime_t timer_at;	      /* the one running timer; 0 = none */
	vtime_t preempt_at;    /* preempt_delay: lower-priority adverts are obeyed until then */
	vtime_t since;	       /* when the current state was entered */
	vtime_t last_rx;       /* when the last accepted advert from the master arrived */
	struct vaddr master;   /* the current master's address (Backup), or ours */
	uint8_t master_prio;   /* priority in the master's last advert */
	bool lower_seen;       /* Backup: discarding a lower-priority master (preempting) */
	bool stepdown_seen;    /* Backup: the master sent priority 0 */
	vtime_t reassert_at;   /* Master: when a lower advert was last answered */
	vtime_t rx_lower_at;   /* Master: when VRRP_ACT_RX_LOWER was last emitted */
	bool rx_lower_pending; /* one was held back: emitted with the next advert */
	char reason[128];      /* why the last transition happened */
	enum vrrp_decision decision; /* what the last vrrp_recv decided */
};

void vrrp_init(struct vrrp_instance *vi, const struct vrrp_params *p);
/* Startup event (conformance 35, 36). */
void vrrp_startup(struct vrrp_instance *vi, vtime_t now, struct vrrp_actions *acts);
/* Restart without failover (core/handover): instead of the startup
 * event, an instance that was Master in the process that exec'd us goes
 * straight to Master: no advert now, no VIP action (they are in place),
 * no STATE action (nothing changed for the outside), its state entered at
 * SINCE, its next advert due at NEXT_ADVERT (now when that is past).
 * Only from INIT; reason as given. */
void vrrp_resume_master(struct vrrp_instance *vi, vtime_t now, vtime_t since, vtime_t next_advert,
			const char *reason);
/* Shutdown event: a Master sends priority 0 and releases (conformance 42, 47). */
void vrrp_shutdown(struct vrrp_instance *vi, vtime_t now, struct vrrp_actions *acts);
/* The instance's timer expired (call when now >= vi->timer_at). */
void vrrp_timer(struct vrrp_instance *vi, vtime_t now, struct vrrp_actions *acts);
/* A decoded advert for this instance arrived from src. Returns PKT_OK when
 * it was accepted into the state machine, or why it was dropped (version,
 * v2 auth, v2 interval, our own packet: conformance 15, 17, 22, 23). */
enum pkt_drop vrrp_recv(struct vrrp_instance *vi, vtime_t now, const struct pkt_advert *adv,
			const struct vaddr *src, struct vrrp_actions *acts);
/* The same for an advert that came by a second path (heartbeat_path), on
 * which our own source is SELF (NULL: the first path, as vrrp_recv). Its
 * copies of the adverts the first path brings are harmless: a Backup only
 * restarts its Master_Down_Timer. Judged against SELF, since the peer's
 * source on that path is comparable only with ours there: our own looped
 * packet, and a Master's tie-break between equal priorities. A Backup that
 * knows its master keeps its name (the first path's address) when the
 * advert has the master's priority. */
enum pkt_drop vrrp_recv_via(struct vrrp_instance *vi, vtime_t now, const struct pkt_advert *adv,
			    const struct vaddr *src, const struct vaddr *self,
			    struct vrrp_actions *acts);
/* Applies changed priority / interval / preempt settings in place (reload). */
void vrrp_reconfigure(struct vrrp_instance *vi, const struct vrrp_params *p, vtime_t now,
		      struct vrrp_actions *acts);

/* Tracking says the instance cannot work (interface down, weight-0 script
 * failed): a Master sends priority 0 and releases, anyone goes to FAULT and
 * stays there, deaf and silent, until vrrp_clear_fault. reason is kept for
 * the log. Repeated calls are no-ops. */
void vrrp_set_fault(struct vrrp_instance *vi, vtime_t now, const char *reason,
		    struct vrrp_actions *acts);
/* The fault is gone: back to Backup as on startup (an owner to Master). */
void vrrp_clear_fault(struct vrrp_instance *vi, vtime_t now, const char *reason,
		      struct vrrp_actions *acts);
/* The effective priority changed (tracking weights; clamped to 1..254 by
 * the caller; an owner stays 255). A Master advertises it at once; a
 * Backup uses it from the next advert on (preemption, skew). */
void vrrp_set_priority(struct vrrp_instance *vi, uint8_t prio, vtime_t now,
		       struct vrrp_actions *acts);
/* A Master advertises now and restarts its Adver_Timer (used before the
 * daemon blocks for a while, e.g. a reload: an early advert is harmless,
 * a late one is a gap). No effect in other states. */
void vrrp_advertise_now(struct vrrp_instance *vi, vtime_t now, struct vrrp_actions *acts);
/* Sync groups: moves the instance to MASTER or BACKUP because a member of
 * its group moved (no effect when already there, or in FAULT/INIT). */
void vrrp_force_state(struct vrrp_instance *vi, enum vrrp_state to, vtime_t now, const char *reason,
		      struct vrrp_actions *acts);

/* The address adverts are sent from and the tie-break compares (the
 * interface's primary IPv4 address, or unicast_src). A running instance
 * takes a new one from its next advert on. */
void vrrp_set_primary(struct vrrp_instance *vi, const struct vaddr *primary);
/* Sync groups: a Backup whose Master_Down_Timer is due stays Backup until
 * UNTIL (another member still hears its master). No effect in other
 * states or when UNTIL is not later than NOW. */
void vrrp_hold(struct vrrp_instance *vi, vtime_t until, vtime_t now);
/* True when a Backup's Master_Down_Timer has expired at NOW: the next
 * vrrp_timer() call makes it Master. */
bool vrrp_master_down_due(const struct vrrp_instance *vi, vtime_t now);
/* True when vi->master names a real master (ours as Master, or one a
 * Backup heard: an advert accepted, a priority-0 or lower-priority one). */
bool vrrp_master_known(const struct vrrp_instance *vi);

/* Skew_Time and Master_Down_Interval for the current Master_Adver_Interval
 * and effective priority, in µs (conformance 27, 28, 29; the 3 of
 * Master_Down_Interval is p.down_timer_adverts when set). */
vtime_t vrrp_skew_time(const struct vrrp_instance *vi);
vtime_t vrrp_master_down_interval(const struct vrrp_instance *vi);
vtime_t vrrp_adver_interval(const struct vrrp_instance *vi);

const char *vrrp_state_name(enum vrrp_state s);

#endif
