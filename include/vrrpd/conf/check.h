/* conf_check: what needs more than one statement to be checked or filled
 * in. Private to src/conf/ and its tests.
 *
 * Promises: conf_finalize() applies global_defs and built-in defaults to
 * what the parser left unset (versions, families, GARP timing, script users,
 * timeouts) and checks across statements: required keywords, address
 * families, version rules, duplicate instances/scripts/groups/VIPs/peers,
 * instances that would answer each other's adverts, references from
 * track_script and sync groups, strict mode, virtual MAC names, routes and
 * static addresses that would undo each other. Every problem is a message at the token
 * the parser recorded. Linear in the number of instances, scripts and
 * groups (names and VRIDs are matched through conf/index). */
#ifndef VRRPD_CONF_CHECK_H
#define VRRPD_CONF_CHECK_H

#include "conf/parse.h"

/* Returns the number of errors it added to M. */
int conf_finalize(struct conf_parse_result *r, struct conf_msgs *m);

/* In check_net.c, for conf_finalize. Strict mode, Accept_Mode, the
 * multicast destination, gna_interval and clashing routes and rules of
 * instance IDX, whose family and version are final. */
void conf_finalize_net(struct conf_parse_result *r, size_t idx, struct conf_msgs *m);
/* Every instance's virtual MAC name: written ones must be free, the others
 * get keepalived's default. */
void conf_finalize_vmacs(struct conf_parse_result *r, struct conf_msgs *m);
/* Static addresses, routes and rules: duplicates, and clashes with what
 * the instances add and remove. */
void conf_finalize_static(struct conf_parse_result *r, struct conf_msgs *m);
/* interface_up_down_delays against the instances on each interface: a down
 * delay must end before a backup's Master_Down_Timer (keepalived's rule,
 * check_net.c). */
void conf_finalize_if_delays(struct conf_parse_result *r, struct conf_msgs *m);
/* In check_hb.c: instance IDX's heartbeat_path (interface, source and
 * peers against the instance's), once its family is final; then, for the
 * file, second paths that share an interface, VRID and family with
 * another instance's path. */
void conf_finalize_hb(struct conf_parse_result *r, size_t idx, struct conf_msgs *m);
void conf_finalize_hb_clashes(struct conf_parse_result *r, struct conf_msgs *m);
/* In check_sync.c: keepalived's rule on tracking weights of sync group
 * members and address owners; the last pass. */
void conf_finalize_sync_weights(struct conf_parse_result *r, struct conf_msgs *m);

/* In check_track.c: vrrp_track_process and track_file blocks (required
 * keywords, duplicates, quorum limits) and the track_process { } and
 * track_file { } entries of instances and sync groups (each names a
 * defined block; effective weights). */
void conf_finalize_trackers(struct conf_parse_result *r, struct conf_msgs *m);

#endif
