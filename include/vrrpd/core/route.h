/* route: the routes and policy rules that follow the master
 * (virtual_routes, virtual_rules) or stay for the daemon's life
 * (static_routes, static_rules), as values (pure data, no functions).
 *
 * Defaults follow ip-route(8) / ip-rule(8), as keepalived's parser does:
 * table main, protocol static... a route with a gateway has scope
 * universe, one without (a device route) scope link, unless written.
 * Every value was checked by conf_load: a route's addresses are all of its
 * family, its destination has no host bits set, a blackhole / unreachable /
 * prohibit route has no gateway and no device, a static unicast route has
 * a device or a gateway, a rule has an action and its table is not 0. */
#ifndef VRRPD_ROUTE_H
#define VRRPD_ROUTE_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/addr.h"

enum vroute_type { VROUTE_UNICAST, VROUTE_BLACKHOLE, VROUTE_UNREACHABLE, VROUTE_PROHIBIT };

struct vroute {
	uint8_t family;
	enum vroute_type type;
	struct vaddr dst; /* "to" or the first word; 0.0.0.0/0 or ::/0 for default */
	uint8_t dst_len;
	bool has_src;
	struct vaddr src; /* "src": preferred source address */
	bool has_via;
	struct vaddr via; /* "via" / "gw": the gateway */
	/* "dev" / "oif"; empty = not written. keepalived then gives the kernel
	 * no device (it picks one from the gateway); for a virtual device route
	 * (no "via") the instance's interface is meant. */
	char dev[IFNAMSIZ];
	uint32_t table; /* "table"; 0 = main ("main", 254 and 0 are all 0) */
	bool has_metric;
	uint32_t metric; /* "metric" / "preference" */
	bool has_scope;
	uint8_t scope; /* "scope" (RT_SCOPE_*) */
	bool onlink;
};

enum vrule_action { VRULE_TABLE, VRULE_BLACKHOLE, VRULE_UNREACHABLE, VRULE_PROHIBIT };

struct vrule {
	uint8_t family;
	enum vrule_action action;
	bool has_from;
	struct vaddr from; /* "from"; "from all" = none */
	uint8_t from_len;
	bool has_to;
	struct vaddr to;
	uint8_t to_len;
	uint32_t table; /* "table" / "lookup"; 0 = main ("main" and 254 are 0) */
	bool has_priority;
	uint32_t priority; /* "priority" / "pref" / "preference" */
	bool has_fwmark;
	uint32_t fwmark, fwmask;	   /* "fwmark MARK[/MASK]"; fwmask 0 = not written (never 0
					      when written) */
	char iif[IFNAMSIZ], oif[IFNAMSIZ]; /* "iif" / "oif"; empty = any */
};

#endif
