/* group: keepalived's sync-group rules (pure).
 *
 * The members of a vrrp_sync_group move together. The daemon describes the
 * members of one group, in configured order, as an array of struct
 * group_member and asks:
 *  - group_hold(): member SELF's Master_Down_Timer is due. It stays Backup
 *    while another running member is Backup and still hears its master
 *    (that member's own Master_Down_Timer lies in the future), until the
 *    earliest of those timers: one member's master going quiet is not the
 *    group's master going away.
 *  - group_fault(): the group is in FAULT when any running member's own
 *    tracking says so; returns that member (the first in order, SELF
 *    excluded: its own verdict is the caller's), or -1.
 *  - group_follow(): a member moved FROM -> TO. The others are forced to
 *    MASTER or BACKUP with it; a move into FAULT or INIT, and the startup
 *    move INIT -> BACKUP, do not propagate (VRRP_STATE_INIT = none). A
 *    forced move does not propagate again: that is the caller's guard.
 *  - group_notify(): the group's notify commands run once per group state,
 *    on the first member transition into that state. */
#ifndef VRRPD_GROUP_H
#define VRRPD_GROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/vrrp.h"

struct group_member {
	const struct vrrp_instance *vi; /* NULL: the member is not running */
	bool fault;			/* its own tracking says FAULT */
};

bool group_hold(const struct group_member *m, size_t n, size_t self, vtime_t now, vtime_t *until);
long group_fault(const struct group_member *m, size_t n, size_t self);
enum vrrp_state group_follow(enum vrrp_state from, enum vrrp_state to);
/* *group_state is the group's last notified state (VRRP_STATE_INIT at
 * first). Returns true, and updates it, when TO differs. */
bool group_notify(enum vrrp_state *group_state, enum vrrp_state to);

#endif
