/* vrrp: the RFC 5798 / 3768 state machine. Pure: see vrrp.h. */
#include "core/vrrp.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define CS_TO_US(cs) ((vtime_t)(cs)*10000ULL)

const char *vrrp_state_name(enum vrrp_state s)
{
	switch (s) {
	case VRRP_STATE_INIT:
		return "INIT";
	case VRRP_STATE_BACKUP:
		return "BACKUP";
	case VRRP_STATE_MASTER:
		return "MASTER";
	case VRRP_STATE_FAULT:
		return "FAULT";
	}
	return "?";
}

static void vrrp_act(struct vrrp_actions *acts, enum vrrp_action_kind kind, uint8_t prio,
		     enum vrrp_state from)
{
	assert(acts->n < VRRP_MAX_ACTIONS);
	acts->a[acts->n++] = (struct vrrp_action){.kind = kind, .priority = prio, .from = from};
}

static bool vrrp_preempts(const struct vrrp_instance *vi)
{
	return vi->p.preempt || vi->p.priority == VRRP_PRIO_OWNER; /* conformance 41 */
}

void vrrp_init(struct vrrp_instance *vi, const struct vrrp_params *p)
{
	memset(vi, 0, sizeof(*vi));
	vi->p = *p;
	vi->prio = p->priority;
	vi->master_adver_int_cs = p->adver_int_cs;
	vi->state = VRRP_STATE_INIT;
}

/* v3: ((256 - Priority) * Master_Adver_Interval) / 256, multiplied before
 * dividing and kept in µs so it never truncates to 0 (conformance 27).
 * v2: (256 - Priority) / 256 seconds, independent of the interval (28). */
vtime_t vrrp_skew_time(const struct vrrp_instance *vi)
{
	vtime_t base = vi->p.version == 2 ? VTIME_SEC : CS_TO_US(vi->master_adver_int_cs);
	return ((256 - (vtime_t)vi->prio) * base) / 256;
}

vtime_t vrrp_master_down_interval(const struct vrrp_instance *vi)
{
	/* v2 has no learned interval: Master_Adver_Interval stays the configured one.
	 * down_timer_adverts replaces the RFC's 3 (keepalived, not conformant). */
	vtime_t n = vi->p.down_timer_adverts ? vi->p.down_timer_adverts : 3;
	return n * CS_TO_US(vi->master_adver_int_cs) + vrrp_skew_time(vi); /* conformance 29 */
}

vtime_t vrrp_adver_interval(const struct vrrp_instance *vi)
{
	return CS_TO_US(vi->p.adver_int_cs); /* a Master uses its own interval (32) */
}

static void vrrp_set_state(struct vrrp_instance *vi, enum vrrp_state to, vtime_t now,
			   struct vrrp_actions *acts)
{
	enum vrrp_state from = vi->state;

	vi->state = to;
	vi->since = now;
	vi->lower_seen = false;
	vi->stepdown_seen = false;
	vi->preempt_at = 0;
	vrrp_act(acts, VRRP_ACT_STATE, 0, from);
}

/* Become Master: announce, install, tell the LAN (conformance 35, 37). */
static void vrrp_become_master(struct vrrp_instance *vi, vtime_t now, struct vrrp_actions *acts)
{
	vrrp_act(acts, VRRP_ACT_SEND_ADVERT, vi->prio, 0);
	vrrp_act(acts, VRRP_ACT_ADD_VIPS, 0, 0);
	vrrp_act(acts, VRRP_ACT_GARP, 0, 0);
	vi->timer_at = now + vrrp_adver_interval(vi);
	vi->master = vi->primary;
	vi->master_prio = vi->prio;
	vi->rx_lower_at = 0;
	vi->rx_lower_pending = false;
	vrrp_set_state(vi, VRRP_STATE_MASTER, now, acts);
}

static void vrrp_become_backup(struct vrrp_instance *vi, vtime_t now, struct vrrp_actions *acts)
{
	bool was_master = vi->state == VRRP_STATE_MASTER;

	vi->timer_at = now + vrrp_master_down_interval(vi);
	if (was_master)
		vrrp_act(acts, VRRP_ACT_DEL_VIPS, 0, 0);
	vrrp_set_state(vi, VRRP_STATE_BACKUP, now, acts);
}

void vrrp_startup(struct vrrp_instance *vi, vtime_t now, struct vrrp_actions *acts)
{
	if (vi->state != VRRP_STATE_INIT)
		return;
	vi->last_rx = 0;
	memset(&vi->master, 0, sizeof(vi->master));
	if (vi->prio == VRRP_PRIO_OWNER) {
		snprintf(vi->reason, sizeof(vi->reason), "address owner (priority 255)");
		vrrp_become_master(vi, now, acts);
		return;
	}
	vi->master_adver_int_cs = vi->p.adver_int_cs; /* conformance 30 */
	snprintf(vi->reason, sizeof(vi->reason), "startup");
	vrrp_become_backup(vi, now, acts);
}

void vrrp_resume_master(struct vrrp_instance *vi, vtime_t now, vtime_t since, vtime_t next_advert,
			const char *reason)
{
	if (vi->state != VRRP_STATE_INIT)
		return;
	vi->last_rx = 0;
	vi->master_adver_int_cs = vi->p.adver_int_cs;
	vi->master = vi->primary;
	vi->master_prio = vi->prio;
	vi->rx_lower_at = 0;
	vi->rx_lower_pending = false;
	vi->lower_seen = false;
	vi->stepdown_seen = false;
	vi->preempt_at = 0;
	vi->state = VRRP_STATE_MASTER;
	vi->since = since && since <= now ? since : now;
	vi->timer_at = next_advert > now ? next_advert : now;
	snprintf(vi->reason, sizeof(vi->reason), "%s", reason);
}

void vrrp_shutdown(struct vrrp_instance *vi, vtime_t now, struct vrrp_actions *acts)
{
	if (vi->state == VRRP_STATE_INIT)
		return;
	if (vi->state == VRRP_STATE_MASTER) {
		vrrp_act(acts, VRRP_ACT_SEND_ADVERT, VRRP_PRIO_STOP, 0); /* conformance 47 */
		vrrp_act(acts, VRRP_ACT_DEL_VIPS, 0, 0);
	}
	vi->timer_at = 0;
	snprintf(vi->reason, sizeof(vi->reason), "shutdown");
	vrrp_set_state(vi, VRRP_STATE_INIT, now, acts);
}

/* timer_expired_backup: late enough that a backup of priority H took over? */
static bool vrrp_expired_backup(struct vrrp_instance *vi, vtime_t now, struct vrrp_actions *acts)
{
	uint8_t h = vi->p.expired_backup_prio;
	vtime_t adv = vrrp_adver_interval(vi), sent = vi->timer_at - adv;
	vtime_t n = vi->p.down_timer_adverts ? vi->p.down_timer_adverts : 3;
	vtime_t base = vi->p.version == 2 ? VTIME_SEC : adv;

	if (!h || now - sent < n * adv + ((256 - (vtime_t)h) * base) / 256)
		return false;
	snprintf(vi->reason, sizeof(vi->reason),
		 "timers %.3f s late: a backup of priority %u may have taken over "
		 "(timer_expired_backup)",
		 (now - vi->timer_at) / 1e6, h);
	vi->master_adver_int_cs = vi->p.adver_int_cs;
	vrrp_become_backup(vi, now, acts);
	return true;
}

void vrrp_timer(struct vrrp_instance *vi, vtime_t now, struct vrrp_actions *acts)
{
	char a[ADDR_STRLEN];

	if (!vi->timer_at || now < vi->timer_at)
		return;
	switch (vi->state) {
	case VRRP_STATE_BACKUP: {
		/* Master_Down_Timer fired (conformance 37). Say why, for the log. */
		vtime_t ref = vi->last_rx ? vi->last_rx : vi->since;
		vtime_t quiet = now - ref;
		if (vi->stepdown_seen)
			snprintf(vi->reason, sizeof(vi->reason),
				 "master %s stepped down (priority 0)", addr_str(&vi->master, a));
		else if (vi->lower_seen)
			snprintf(vi->reason, sizeof(vi->reason),
				 "preempting master %s (priority %u < %u)",
				 addr_str(&vi->master, a), vi->master_prio, vi->prio);
		else if (!vi->last_rx)
			snprintf(vi->reason, sizeof(vi->reason),
				 "no master heard for %.2f s after startup", quiet / 1e6);
		else
			snprintf(vi->reason, sizeof(vi->reason),
				 "master %s down: no advert for %.2f s", addr_str(&vi->master, a),
				 quiet / 1e6);
		vrrp_become_master(vi, now, acts);
		break;
	}
	case VRRP_STATE_MASTER:
		if (vrrp_expired_backup(vi, now, acts))
			break;
		/* Adver_Timer fired: advertise at our own interval (conformance 32, 43). */
		vrrp_act(acts, VRRP_ACT_SEND_ADVERT, vi->prio, 0);
		vi->timer_at = now + vrrp_adver_interval(vi);
		if (vi->rx_lower_pending) {
			vrrp_act(acts, VRRP_ACT_RX_LOWER, 0, 0);
			vi->rx_lower_at = now;
			vi->rx_lower_pending = false;
		}
		break;
	default:
		vi->timer_at = 0;
		break;
	}
}

/* Per-instance receive checks (conformance 15, 17, 22, 23). */
static enum pkt_drop vrrp_validate(const struct vrrp_instance *vi, const struct pkt_advert *adv,
				   const struct vaddr *src, const struct vaddr *self)
{
	if (adv->version != vi->p.version)
		return PKT_DROP_VERSION_MISMATCH;
	if (self->family && addr_eq(src, self))
		return PKT_DROP_OWN;
	if (adv->version == 2) {
		if (adv->auth_type != vi->p.auth_type)
			return PKT_DROP_AUTH;
		if (vi->p.auth_type == 1 &&
		    memcmp(adv->auth_data, vi->p.auth_data, VRRP_AUTH_LEN) != 0)
			return PKT_DROP_AUTH;
		if ((uint32_t)adv->adver_int * 100 != vi->p.adver_int_cs)
			return PKT_DROP_ADVER_INT;
	}
	return PKT_OK;
}

/* v3: a Backup learns the Master's interval (conformance 31, 44); v2 does not. */
static void vrrp_learn_interval(struct vrrp_instance *vi, const struct pkt_advert *adv)
{
	if (adv->version == 3)
		vi->master_adver_int_cs = adv->adver_int;
}

static void vrrp_recv_backup(struct vrrp_instance *vi, vtime_t now, const struct pkt_advert *adv,
			     const struct vaddr *src, bool second)
{
	/* A second path's copy of the known master's advert keeps the name
	 * the first path gave it (its source there differs). */
	if (!second || !vrrp_master_known(vi) || !vi->master.family ||
	    adv->priority != vi->master_prio)
		vi->master = *src;
	vi->master_prio = adv->priority;
	if (adv->priority == VRRP_PRIO_STOP) {
		/* The master steps down: take over after Skew_Time only (38). */
		vi->stepdown_seen = true;
		vi->lower_seen = false;
		vi->timer_at = now + vrrp_skew_time(vi);
		vi->decision = VRRP_DEC_STEPDOWN;
		return;
	}
	bool lower = adv->priority < vi->prio;
	if (lower && vrrp_preempts(vi) && vi->p.preempt_delay &&
	    vi->p.priority != VRRP_PRIO_OWNER) {
		/* preempt_delay: obey a lower-priority master until the delay,
		 * counted from the first such advert, has passed (keepalived). */
		if (!vi->preempt_at)
			vi->preempt_at = now + vi->p.preempt_delay;
		if (now < vi->preempt_at) {
			lower = false;
			vi->decision = VRRP_DEC_PREEMPT_DELAY;
		}
	} else if (!lower) {
		vi->preempt_at = 0;
	}
	if (lower && vrrp_preempts(vi)) {
		/* Discard: the running Master_Down_Timer expires and we preempt (40). */
		vi->lower_seen = true;
		vi->decision = VRRP_DEC_PREEMPTING;
		return;
	}
	if (lower)
		vi->decision = VRRP_DEC_NOPREEMPT;
	/* Higher or equal priority, or no preemption: obey it (39). */
	vi->lower_seen = false;
	vi->stepdown_seen = false;
	vi->last_rx = now;
	vrrp_learn_interval(vi, adv);
	vi->timer_at = now + vrrp_master_down_interval(vi);
}

static void vrrp_recv_master(struct vrrp_instance *vi, vtime_t now, const struct pkt_advert *adv,
			     const struct vaddr *src, const struct vaddr *self,
			     struct vrrp_actions *acts)
{
	char a[ADDR_STRLEN];

	if (adv->priority == VRRP_PRIO_STOP) {
		/* Another master stepped down: reassert at once (43). */
		vi->decision = VRRP_DEC_OTHER_STOP;
		vrrp_act(acts, VRRP_ACT_SEND_ADVERT, vi->prio, 0);
		vi->timer_at = now + vrrp_adver_interval(vi);
		return;
	}
	/* Tie-break on the packet's IP source vs our primary address, unsigned
	 * network order (44, 45); on a second path, vs our source there. */
	int cmp = adv->priority > vi->prio   ? 1
		  : adv->priority < vi->prio ? -1
					     : addr_cmp(src, self);
	if (cmp > 0) {
		if (adv->priority > vi->prio)
			snprintf(vi->reason, sizeof(vi->reason),
				 "higher priority master %s (priority %u > %u)", addr_str(src, a),
				 adv->priority, vi->prio);
		else
			snprintf(vi->reason, sizeof(vi->reason),
				 "master %s has equal priority %u and a higher address",
				 addr_str(src, a), adv->priority);
		/* higher_prio_send_advert: one advert with our priority before
		 * yielding (keepalived); the other master hears a lower one. */
		if (vi->p.higher_prio_send_advert)
			vrrp_act(acts, VRRP_ACT_SEND_ADVERT, vi->prio, 0);
		vrrp_learn_interval(vi, adv);
		vi->master = *src;
		vi->master_prio = adv->priority;
		vi->last_rx = now;
		vrrp_become_backup(vi, now, acts);
		return;
	}
	/* Lower: discard, and reassert at once (RFC 9568 §6.4.3, conformance
	 * 46). The Adver_Timer keeps its pace: restarting it would let the
	 * other master's adverts delay ours (tests/sim found the split brains
	 * that lasted longer under loss). A flood of lower adverts gets at most
	 * one reassertion per quarter interval. */
	vi->decision = VRRP_DEC_LOWER;
	if (!vi->p.lower_prio_no_advert &&
	    (!vi->reassert_at || now >= vi->reassert_at + vrrp_adver_interval(vi) / 4)) {
		vrrp_act(acts, VRRP_ACT_SEND_ADVERT, vi->prio, 0);
		vi->reassert_at = now;
	}
	/* After the advert, as keepalived: tell the LAN again where the VIPs
	 * are (a split brain is healing) and notify; rate-limited. */
	if (vi->p.rx_lower_event &&
	    (!vi->rx_lower_at || now >= vi->rx_lower_at + vrrp_adver_interval(vi) / 2)) {
		vrrp_act(acts, VRRP_ACT_RX_LOWER, 0, 0);
		vi->rx_lower_at = now;
		vi->rx_lower_pending = false;
	} else if (vi->p.rx_lower_event) {
		/* held back: said once more at our next advert, so that the
		 * last word on the LAN is ours even when the other master's
		 * gratuitous ARPs came after our first answer */
		vi->rx_lower_pending = true;
	}
}

enum pkt_drop vrrp_recv(struct vrrp_instance *vi, vtime_t now, const struct pkt_advert *adv,
			const struct vaddr *src, struct vrrp_actions *acts)
{
	return vrrp_recv_via(vi, now, adv, src, NULL, acts);
}

enum pkt_drop vrrp_recv_via(struct vrrp_instance *vi, vtime_t now, const struct pkt_advert *adv,
			    const struct vaddr *src, const struct vaddr *self,
			    struct vrrp_actions *acts)
{
	bool second = self != NULL;
	if (!self)
		self = &vi->primary;
	enum pkt_drop r = vrrp_validate(vi, adv, src, self);

	vi->decision = VRRP_DEC_NONE;
	if (r != PKT_OK)
		return r;
	if (vi->p.owner_ignore_adverts && vi->prio == VRRP_PRIO_OWNER)
		return PKT_DROP_OWNER_IGNORES; /* keepalived's owner_ignore_adverts */
	if (vi->state == VRRP_STATE_BACKUP)
		vrrp_recv_backup(vi, now, adv, src, second);
	else if (vi->state == VRRP_STATE_MASTER)
		vrrp_recv_master(vi, now, adv, src, self, acts);
	return PKT_OK;
}

void vrrp_reconfigure(struct vrrp_instance *vi, const struct vrrp_params *p, vtime_t now,
		      struct vrrp_actions *acts)
{
	bool prio_changed = p->priority != vi->p.priority;
	bool int_changed = p->adver_int_cs != vi->p.adver_int_cs;

	vi->p = *p;
	vi->prio = p->priority;
	if (vi->state == VRRP_STATE_MASTER && (prio_changed || int_changed)) {
		/* Tell the backups at once, and keep our new pace. */
		vrrp_act(acts, VRRP_ACT_SEND_ADVERT, vi->prio, 0);
		vi->timer_at = now + vrrp_adver_interval(vi);
	} else if (vi->state == VRRP_STATE_BACKUP && int_changed && p->version == 2) {
		vi->master_adver_int_cs = p->adver_int_cs;
	}
}

void vrrp_set_fault(struct vrrp_instance *vi, vtime_t now, const char *reason,
		    struct vrrp_actions *acts)
{
	if (vi->state == VRRP_STATE_FAULT)
		return;
	if (vi->state == VRRP_STATE_MASTER) {
		/* Let a backup take over after its skew time, not the full
		 * Master_Down_Interval (as on shutdown, conformance 47). */
		vrrp_act(acts, VRRP_ACT_SEND_ADVERT, VRRP_PRIO_STOP, 0);
		vrrp_act(acts, VRRP_ACT_DEL_VIPS, 0, 0);
	}
	vi->timer_at = 0;
	snprintf(vi->reason, sizeof(vi->reason), "%s", reason);
	vrrp_set_state(vi, VRRP_STATE_FAULT, now, acts);
}

void vrrp_clear_fault(struct vrrp_instance *vi, vtime_t now, const char *reason,
		      struct vrrp_actions *acts)
{
	if (vi->state != VRRP_STATE_FAULT)
		return;
	vi->last_rx = 0;
	memset(&vi->master, 0, sizeof(vi->master));
	snprintf(vi->reason, sizeof(vi->reason), "%s", reason);
	if (vi->prio == VRRP_PRIO_OWNER) {
		vrrp_become_master(vi, now, acts);
		return;
	}
	vi->master_adver_int_cs = vi->p.adver_int_cs;
	vrrp_become_backup(vi, now, acts);
}

void vrrp_set_priority(struct vrrp_instance *vi, uint8_t prio, vtime_t now,
		       struct vrrp_actions *acts)
{
	if (vi->p.priority == VRRP_PRIO_OWNER)
		prio = VRRP_PRIO_OWNER; /* an owner stays an owner (conformance 33) */
	if (prio == vi->prio)
		return;
	vi->prio = prio;
	if (vi->state == VRRP_STATE_MASTER) {
		vrrp_act(acts, VRRP_ACT_SEND_ADVERT, vi->prio, 0);
		vi->timer_at = now + vrrp_adver_interval(vi);
	}
}

void vrrp_force_state(struct vrrp_instance *vi, enum vrrp_state to, vtime_t now, const char *reason,
		      struct vrrp_actions *acts)
{
	if (vi->state == to || (vi->state != VRRP_STATE_MASTER && vi->state != VRRP_STATE_BACKUP))
		return;
	snprintf(vi->reason, sizeof(vi->reason), "%s", reason);
	if (to == VRRP_STATE_MASTER)
		vrrp_become_master(vi, now, acts);
	else if (to == VRRP_STATE_BACKUP)
		vrrp_become_backup(vi, now, acts);
}

void vrrp_advertise_now(struct vrrp_instance *vi, vtime_t now, struct vrrp_actions *acts)
{
	if (vi->state != VRRP_STATE_MASTER)
		return;
	vrrp_act(acts, VRRP_ACT_SEND_ADVERT, vi->prio, 0);
	vi->timer_at = now + vrrp_adver_interval(vi);
}

void vrrp_set_primary(struct vrrp_instance *vi, const struct vaddr *primary)
{
	vi->primary = *primary;
}

void vrrp_hold(struct vrrp_instance *vi, vtime_t until, vtime_t now)
{
	if (vi->state == VRRP_STATE_BACKUP && vi->timer_at && until > now)
		vi->timer_at = until;
}

bool vrrp_master_down_due(const struct vrrp_instance *vi, vtime_t now)
{
	return vi->state == VRRP_STATE_BACKUP && vi->timer_at && now >= vi->timer_at;
}

bool vrrp_master_known(const struct vrrp_instance *vi)
{
	return vi->state == VRRP_STATE_MASTER || vi->last_rx || vi->stepdown_seen || vi->lower_seen;
}
