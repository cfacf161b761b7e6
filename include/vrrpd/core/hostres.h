/* hostres: the pure parts of resolving a host name (smtp_server NAME):
 * the syntax of a host name, the answer of `getent ahosts NAME`, and a
 * one-name cache of the result.
 *
 * Promises (no I/O, no clock: times are passed in):
 *  - hostres_name_ok() is true for a host name in RFC 1123 syntax: dot-
 *    separated labels of 1..63 letters, digits, '-' (not first or last in
 *    a label) and '_' (tolerated, as resolvers do), 253 characters at most
 *    besides one trailing dot, not all digits and dots (that would be a
 *    mistyped address).
 *  - hostres_parse_getent() reads getent's lines "ADDRESS SOCKTYPE [NAME]"
 *    and keeps each distinct address once, in the order given (getent
 *    prints each address once per socket type, in getaddrinfo's order:
 *    IPv4 and IPv6 as /etc/gai.conf ranks them), at most MAX. A line whose
 *    first word is no bare address (a scoped fe80::1%eth0, noise) is
 *    skipped.
 *  - struct hostres_cache holds the last answer for one name: the
 *    addresses for HOSTRES_TTL_OK, or the reason of a failure for
 *    HOSTRES_TTL_FAIL (so that a burst of transitions with a broken
 *    resolver does not start a burst of resolvers either). A zeroed struct
 *    is an empty cache. */
#ifndef VRRPD_HOSTRES_H
#define VRRPD_HOSTRES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/addr.h"
#include "core/timer.h"

#define HOSTRES_NAME_MAX  254 /* 253 characters and a trailing dot */
#define HOSTRES_ADDRS_MAX 8   /* addresses kept (and tried) per name */
#define HOSTRES_WHY_MAX	  160
#define HOSTRES_TTL_OK	  (60 * VTIME_SEC)
#define HOSTRES_TTL_FAIL  (10 * VTIME_SEC)

bool hostres_name_ok(const char *name);

/* Parses LEN bytes of getent's output OUT (need not end in NUL). Returns
 * the number of addresses stored in ADDRS (0: none found). */
size_t hostres_parse_getent(const char *out, size_t len, struct vaddr *addrs, size_t max);

enum hostres_hit {
	HOSTRES_MISS, /* nothing valid for that name: resolve it */
	HOSTRES_OK,   /* addresses known */
	HOSTRES_FAIL  /* it failed recently: see why */
};

struct hostres_cache {
	char name[HOSTRES_NAME_MAX + 1]; /* "" = empty */
	bool failed;
	struct vaddr addr[HOSTRES_ADDRS_MAX];
	size_t n;
	char why[HOSTRES_WHY_MAX]; /* when failed */
	vtime_t at, until;	   /* when stored; valid while now < until */
};

/* What the cache knows about NAME at NOW. */
enum hostres_hit hostres_cache_get(const struct hostres_cache *c, const char *name, vtime_t now);
/* Stores N (>= 1) addresses for NAME, valid HOSTRES_TTL_OK from NOW. */
void hostres_cache_put(struct hostres_cache *c, const char *name, const struct vaddr *addrs,
		       size_t n, vtime_t now);
/* Stores a failure for NAME with its reason, valid HOSTRES_TTL_FAIL. */
void hostres_cache_fail(struct hostres_cache *c, const char *name, const char *why, vtime_t now);
/* Forgets everything. */
void hostres_cache_clear(struct hostres_cache *c);

#endif
