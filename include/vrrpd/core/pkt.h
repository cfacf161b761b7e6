/* vrrp_pkt: encode, decode and validate VRRPv2 (RFC 3768) and VRRPv3
 * (RFC 5798 / 9568) advertisements.
 *
 * Promises: pure (no I/O, no allocation, no globals). Decoding never reads
 * past the given length and never trusts a count or length field. A rejected
 * packet is named by an enum pkt_drop reason so callers can count drops by
 * reason (conformance 25). Multi-byte fields in struct pkt_advert are in
 * host order; addresses stay in network order. */
#ifndef VRRPD_VRRP_PKT_H
#define VRRPD_VRRP_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"

#define VRRP_IPPROTO	 112
#define VRRP_TTL	 255
#define VRRP_MCAST4	 "224.0.0.18"
#define VRRP_MCAST6	 "ff02::12"
#define VRRP_TYPE_ADVERT 1
#define VRRP_HDR_LEN	 8
#define VRRP_AUTH_LEN	 8 /* v2 authentication data trailer */
#define VRRP_MAX_ADDRS	 255
/* How many addresses an advert of FAMILY and VERSION can list without
 * being fragmented on a link of MTU bytes (at most VRRP_MAX_ADDRS): IPv6
 * at 1500 bytes takes 90, IPv4 all 255. */
#define VRRP_FIT_ADDRS(family, version, mtu)                                                       \
	((family) == AF_INET6                                                                      \
	     ? ((mtu)-40 - VRRP_HDR_LEN) / 16                                                      \
	     : ((mtu)-20 - VRRP_HDR_LEN - ((version) == 2 ? VRRP_AUTH_LEN : 0)) / 4)
#define VRRP_PKT_MAX	(VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16 + VRRP_AUTH_LEN)
#define VRRP_PRIO_STOP	0
#define VRRP_PRIO_OWNER 255

/* Why a packet was dropped. The first group is decided by the codec, the
 * second by the receiver (instance lookup, vrrp_validate). */
enum pkt_drop {
	PKT_OK = 0,
	PKT_DROP_IP,		   /* malformed IPv4 header, not protocol 112, fragment */
	PKT_DROP_TTL,		   /* TTL / hop limit not 255 (conformance 16) */
	PKT_DROP_SHORT,		   /* shorter than header + count*addrlen (+auth) (18) */
	PKT_DROP_VERSION,	   /* version neither 2 nor 3, or v2 over IPv6 */
	PKT_DROP_TYPE,		   /* type is not ADVERTISEMENT (1) */
	PKT_DROP_CSUM,		   /* checksum wrong (19) */
	PKT_DROP_COUNT,		   /* v3 address count 0 (4) */
	PKT_DROP_INTERVAL,	   /* v3 max adver int 0 (5) */
	PKT_DROP_VRID,		   /* no instance with this VRID on the interface (20) */
	PKT_DROP_VERSION_MISMATCH, /* version differs from the instance's (17) */
	PKT_DROP_AUTH,		   /* v2 auth type or password differs (22) */
	PKT_DROP_ADVER_INT,	   /* v2 advert interval differs (23) */
	PKT_DROP_OWN,		   /* our own advert looped back (15) */
	PKT_DROP_NOT_PEER,	   /* unicast instance: the source is none of its unicast_peer
				      (check_unicast_src) */
	PKT_DROP_OWNER_IGNORES,	   /* an address owner with owner_ignore_adverts */
	PKT_DROP__MAX
};

/* How a v3-over-IPv4 checksum was (or is to be) computed (conformance 9). */
enum pkt_csum {
	PKT_CSUM_PSEUDO = 0,   /* with the IPv4 pseudo-header (keepalived/FRR default) */
	PKT_CSUM_MSG_ONLY = 1, /* message only (RFC 9568; v2 always) */
};

struct pkt_advert {
	uint8_t version; /* 2 or 3 */
	uint8_t vrid;
	uint8_t priority;
	uint8_t naddr;
	uint8_t auth_type;		  /* v2 only; 0 on v3 */
	uint16_t adver_int;		  /* v3: centiseconds (12 bits); v2: seconds (8 bits) */
	uint8_t auth_data[VRRP_AUTH_LEN]; /* v2 only; zeroes when none */
	uint8_t family;			  /* AF_INET or AF_INET6: the carrying IP version */
	const uint8_t *addrs; /* decode: naddr addresses in network order, into the buffer */
	enum pkt_csum csum;   /* decode: which form matched (v3/IPv4); MSG_ONLY otherwise */
};

/* What the IP layer told us about a received packet. */
struct pkt_ip {
	struct vaddr src, dst;
	uint8_t ttl; /* TTL or hop limit */
};

/* Builds a VRRP message (no IP header) into buf. hdr supplies version, vrid,
 * priority, adver_int, auth_type and auth_data (v2); naddr is taken from n.
 * src/dst are the IP source and destination, used for the v3 pseudo-header.
 * Returns the message length, or 0 when cap is too small, n is 0 or above
 * 255, or an address's family differs from src's. */
size_t pkt_encode(uint8_t *buf, size_t cap, const struct pkt_advert *hdr, const struct vaddr *addrs,
		  size_t n, const struct vaddr *src, const struct vaddr *dst, enum pkt_csum csum);

/* Decodes a VRRP message whose IP facts the caller supplies (IPv6 raw
 * sockets: from cmsgs). Checks TTL, version, type, lengths, count, interval
 * and checksum, in that order. For v3 over IPv4 either checksum form is
 * accepted and adv->csum says which. */
enum pkt_drop pkt_decode(const uint8_t *msg, size_t len, const struct pkt_ip *ip,
			 struct pkt_advert *adv);
/* Flags of pkt_decode_flags / pkt_decode_ip4_flags. */
#define PKT_ANY_TTL 1u /* skip the TTL check: the caller applies its own rule */
enum pkt_drop pkt_decode_flags(const uint8_t *msg, size_t len, const struct pkt_ip *ip,
			       struct pkt_advert *adv, unsigned flags);

/* Decodes an IPv4 datagram as read from a raw IPPROTO_VRRP socket (IP header
 * included): checks the header (version 4, IHL, total length, protocol 112,
 * no fragment), fills ip, then calls pkt_decode. */
enum pkt_drop pkt_decode_ip4(const uint8_t *buf, size_t len, struct pkt_ip *ip,
			     struct pkt_advert *adv);
enum pkt_drop pkt_decode_ip4_flags(const uint8_t *buf, size_t len, struct pkt_ip *ip,
				   struct pkt_advert *adv, unsigned flags);

/* The TTL rule of an instance (conformance 16): 255, unless ROUTED (a
 * unicast instance whose own unicast_ttl is below 255: its peers may be
 * routed hops away, and keepalived checks no TTL on unicast), when any
 * TTL is accepted. check_unicast_src then still requires a peer's source. */
bool pkt_ttl_ok(uint8_t ttl, bool routed);

/* Internet checksum (RFC 1071) of data, continuing from a partial sum. */
uint32_t pkt_csum_add(uint32_t sum, const void *data, size_t len);
uint16_t pkt_csum_fold(uint32_t sum);

/* A short lower-case name for a drop reason, e.g. "bad-checksum". */
const char *pkt_drop_str(enum pkt_drop r);

#endif
