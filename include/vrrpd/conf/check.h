/* conf_check: what needs more than one statement to be checked or filled
 * in. Private to src/conf/ and its tests.
 *
 * Promises: conf_finalize() applies global_defs and built-in defaults to
 * what the parser left unset (versions, families, GARP timing, script users,
 * timeouts) and checks across statements: required keywords, address
 * families, version rules, duplicate instances/scripts/groups/VIPs/peers,
 * instances that would answer each other's adverts, references from
 * track_script and sync groups. Every problem is a message at the token
 * the parser recorded. Linear in the number of instances, scripts and
 * groups (names and VRIDs are matched through conf/index). */
#ifndef VRRPD_CONF_CHECK_H
#define VRRPD_CONF_CHECK_H

#include "conf/parse.h"

/* Returns the number of errors it added to M. */
int conf_finalize(struct conf_parse_result *r, struct conf_msgs *m);

#endif
