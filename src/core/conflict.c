/* conflict: split-brain conditions over time (see core/conflict.h). */
#include <stdio.h>
#include <string.h>

#include "core/conflict.h"

void conflict_init(struct conflict *c)
{
	memset(c, 0, sizeof(*c));
}

static bool cond_stale(const struct conflict_cond *k, vtime_t now, vtime_t mdi)
{
	return k->seen && now > k->last && now - k->last >= mdi;
}

enum conflict_change conflict_seen(struct conflict *c, enum conflict_kind kind,
				   const struct conflict_info *info, vtime_t now, vtime_t mdi)
{
	if (kind >= CONFLICT__N)
		return CONFLICT_NONE;
	struct conflict_cond *k = &c->cond[kind];
	if (cond_stale(k, now, mdi) && !(c->active && c->kind == kind))
		k->seen = false; /* a gap: this is a new condition */
	if (!k->seen) {
		k->seen = true;
		k->first = now;
	}
	k->last = now;
	k->info = *info;
	if (c->active || now <= k->first || now - k->first <= mdi)
		return CONFLICT_NONE;
	c->active = true;
	c->kind = kind;
	c->info = *info;
	c->since = k->first;
	c->count[kind]++;
	return CONFLICT_STARTED;
}

enum conflict_change conflict_tick(struct conflict *c, vtime_t now, vtime_t mdi)
{
	enum conflict_change r = CONFLICT_NONE;

	if (c->active && cond_stale(&c->cond[c->kind], now, mdi)) {
		c->active = false;
		c->ended_after = c->cond[c->kind].last - c->since;
		r = CONFLICT_ENDED;
	}
	for (int i = 0; i < CONFLICT__N; i++)
		if (!(c->active && c->kind == (enum conflict_kind)i) &&
		    cond_stale(&c->cond[i], now, mdi))
			c->cond[i].seen = false;
	return r;
}

vtime_t conflict_next_at(const struct conflict *c, vtime_t mdi)
{
	vtime_t at = 0;

	for (int i = 0; i < CONFLICT__N; i++) {
		const struct conflict_cond *k = &c->cond[i];
		if (k->seen && (!at || k->last + mdi < at))
			at = k->last + mdi;
	}
	return at;
}

uint64_t conflict_total(const struct conflict *c)
{
	uint64_t n = 0;

	for (int i = 0; i < CONFLICT__N; i++)
		n += c->count[i];
	return n;
}

bool conflict_loses(uint8_t prio, const struct vaddr *src, uint8_t our_prio,
		    const struct vaddr *ours)
{
	if (prio == VRRP_PRIO_STOP)
		return false;
	if (prio != our_prio)
		return prio < our_prio;
	return addr_cmp(src, ours) < 0;
}

bool conflict_mismatch_drop(enum pkt_drop drop)
{
	return drop == PKT_DROP_VERSION_MISMATCH || drop == PKT_DROP_AUTH ||
	       drop == PKT_DROP_ADVER_INT;
}

const char *conflict_kind_name(enum conflict_kind kind)
{
	static const char *const names[CONFLICT__N] = {"lower_master", "mismatch", "address"};

	return kind < CONFLICT__N ? names[kind] : "?";
}

const char *conflict_peer_str(const struct conflict_info *info, enum conflict_kind kind, char *buf)
{
	const uint8_t *m = info->mac;

	if (kind != CONFLICT_ADDRESS)
		return addr_str(&info->peer, buf);
	snprintf(buf, CONFLICT_PEER_LEN, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		 m[4], m[5]);
	return buf;
}

const char *conflict_describe(const struct conflict_info *info, enum conflict_kind kind, char *buf,
			      size_t len)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	const uint8_t *m = info->mac;

	addr_str(&info->peer, a);
	switch (kind) {
	case CONFLICT_LOWER_MASTER:
		snprintf(buf, len, "%s also claims to be master (priority %u %s %u)", a,
			 info->peer_prio, info->peer_prio < info->our_prio ? "<" : "=",
			 info->our_prio);
		break;
	case CONFLICT_MISMATCH:
		snprintf(buf, len, "%s sends adverts for our VRID that we drop (%s)", a,
			 pkt_drop_str(info->why));
		break;
	case CONFLICT_ADDRESS:
		snprintf(
		    buf, len,
		    "%02x:%02x:%02x:%02x:%02x:%02x claims our VIP %s in ARP while we are master",
		    m[0], m[1], m[2], m[3], m[4], m[5], addr_str(&info->vip, b));
		break;
	default:
		snprintf(buf, len, "%s: unknown conflict", a);
	}
	return buf;
}
