/* claim: who claims an IPv4 address on the link (RFC 5227-style address
 * conflict detection), pure.
 *
 * Promises: claim_filter() builds a classic BPF program for a packet
 * socket (frames from the Ethernet header on) that accepts only ARP
 * requests and replies (Ethernet, IPv4) whose sender protocol address is
 * one of the N addresses given — a gratuitous ARP for it, an answer from
 * it, or a host using it as its own source — and drops every other frame,
 * so that the daemon wakes only for claims of its VIPs. Its instructions
 * have struct sock_filter's layout. With more than CLAIM_FILTER_MAX_ADDRS
 * addresses the address test is left out (every ARP frame is accepted;
 * claim_parse and the caller's lookup decide). Returns the number of
 * instructions, or 0 when CAP is too small. claim_parse() reads the
 * sender of such a frame.
 *
 * claim_filter6() and claim_parse6() do the same for IPv6: Neighbour
 * Advertisements (ICMPv6 136 right after the IPv6 header) whose target is
 * one of the IPv6 addresses given (at most CLAIM_FILTER6_MAX_ADDRS; with
 * more, every NA passes); the claimant's MAC is its Target Link-Layer
 * Address option when the NA has one first, else the Ethernet source. */
#ifndef VRRPD_CLAIM_H
#define VRRPD_CLAIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"

#define CLAIM_FILTER_MAX_ADDRS	250
#define CLAIM_FILTER_MAX	(CLAIM_FILTER_MAX_ADDRS + 10) /* instructions */
#define CLAIM_ARP_LEN		42			      /* Ethernet + ARP for IPv4 */
#define CLAIM_FILTER6_MAX_ADDRS 30
#define CLAIM_FILTER6_MAX	(8 * CLAIM_FILTER6_MAX_ADDRS + 12)
#define CLAIM_NA_LEN		78 /* Ethernet 14 + IPv6 40 + NA 24 */

struct claim_insn { /* = struct sock_filter */
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

/* ADDRS: IPv4 addresses (others are skipped). */
size_t claim_filter(struct claim_insn *prog, size_t cap, const struct vaddr *addrs, size_t n);
/* An ARP request or reply for IPv4 over Ethernet: its sender's hardware
 * and protocol addresses. False for anything else. */
bool claim_parse(const uint8_t *frame, size_t len, uint8_t mac[6], struct vaddr *ip);
size_t claim_filter6(struct claim_insn *prog, size_t cap, const struct vaddr *addrs, size_t n);
bool claim_parse6(const uint8_t *frame, size_t len, uint8_t mac[6], struct vaddr *ip);

#endif
