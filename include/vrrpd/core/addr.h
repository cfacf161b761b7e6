/* addr: a small IPv4/IPv6 address value type shared by every module.
 *
 * Promises: pure functions, no allocation. Addresses are kept in network byte
 * order; addr_cmp orders them as unsigned big-endian integers, which is the
 * RFC 5798 tie-break order (conformance 45). */
#ifndef VRRPD_ADDR_H
#define VRRPD_ADDR_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vaddr {
	uint8_t family; /* AF_INET or AF_INET6; 0 = unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t b[16];
	} u;
};

#define ADDR_STRLEN 46 /* INET6_ADDRSTRLEN */

/* A virtual address: what the kernel is given (address, prefix, broadcast,
 * scope, label), on which device, and whether adverts list it. */
struct vip {
	struct vaddr addr;
	uint8_t prefix; /* default 32 (IPv4) / 128 (IPv6) */
	bool has_brd;
	struct vaddr brd;   /* "brd X" */
	char dev[IFNAMSIZ]; /* "dev IF"; empty = the instance's interface */
	uint8_t scope;	    /* RT_SCOPE_*; "scope global|host|link|site|NUM", default global (0) */
	char label[IFNAMSIZ]; /* "label L"; empty = none */
	bool excluded;	      /* from virtual_ipaddress_excluded: installed but not advertised */
};

/* Length in bytes of the address part: 4, 16, or 0 when unset. */
size_t addr_len(const struct vaddr *a);
/* Unsigned network-order compare; addresses of different families order by
 * family. Returns <0, 0, >0. */
int addr_cmp(const struct vaddr *a, const struct vaddr *b);
bool addr_eq(const struct vaddr *a, const struct vaddr *b);
/* Parses a bare IPv4 or IPv6 address (no prefix). Returns 0 or -1. */
int addr_parse(const char *s, struct vaddr *out);
/* Formats into buf (at least ADDR_STRLEN bytes) and returns buf. */
const char *addr_str(const struct vaddr *a, char *buf);
void addr_from_v4(struct vaddr *a, const struct in_addr *in);

#endif
