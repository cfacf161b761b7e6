/* group: sync-group rules. Pure: see group.h. */
#include "core/group.h"

bool group_hold(const struct group_member *m, size_t n, size_t self, vtime_t now, vtime_t *until)
{
	bool hold = false;

	for (size_t i = 0; i < n; i++) {
		const struct vrrp_instance *vi = m[i].vi;
		if (i == self || !vi || vi->state != VRRP_STATE_BACKUP || vi->timer_at <= now)
			continue;
		if (!hold || vi->timer_at < *until)
			*until = vi->timer_at;
		hold = true;
	}
	return hold;
}

long group_fault(const struct group_member *m, size_t n, size_t self)
{
	for (size_t i = 0; i < n; i++)
		if (i != self && m[i].vi && m[i].fault)
			return (long)i;
	return -1;
}

enum vrrp_state group_follow(enum vrrp_state from, enum vrrp_state to)
{
	if (to != VRRP_STATE_MASTER && to != VRRP_STATE_BACKUP)
		return VRRP_STATE_INIT;
	if (from == VRRP_STATE_INIT && to == VRRP_STATE_BACKUP)
		return VRRP_STATE_INIT; /* startup */
	return to;
}

bool group_notify(enum vrrp_state *group_state, enum vrrp_state to)
{
	if (*group_state == to)
		return false;
	*group_state = to;
	return true;
}
