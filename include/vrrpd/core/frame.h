/* frame: the link-layer announcements a new master sends (pure).
 *
 * Promises: byte-exact builders. frame_garp() is a gratuitous ARP
 * (conformance 51): Ethernet broadcast from MAC, an ARP request whose
 * sender and target protocol addresses are both the VIP and whose sender
 * hardware address is MAC. Returns the frame's length, or 0 when CAP is
 * too small or the VIP is not IPv4.
 *
 * frame_na() is an unsolicited Neighbour Advertisement for an IPv6 VIP
 * (conformance 37, 52), as keepalived sends it: Ethernet from MAC to
 * 33:33:00:00:00:01, IPv6 from the VIP to ff02::1 with hop limit 255,
 * ICMPv6 type 136 with Override set, Router set when ROUTER (keepalived:
 * when the interface forwards IPv6), Solicited clear, target = the VIP, one
 * Target Link-Layer Address option = MAC, and the ICMPv6 checksum over the
 * IPv6 pseudo-header. Returns FRAME_NA_LEN, or 0 when CAP is too small or
 * the VIP is not IPv6. */
#ifndef VRRPD_FRAME_H
#define VRRPD_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"

#include <stdbool.h>

#define FRAME_GARP_LEN 42
#define FRAME_NA_LEN   86 /* Ethernet 14 + IPv6 40 + NA 24 + option 8 */

/* The virtual router MAC: 00:00:5e:00:01:VRID for IPv4, 00:00:5e:00:02:VRID
 * for IPv6 (conformance 50). */
void frame_vmac(int family, uint8_t vrid, uint8_t mac[6]);
size_t frame_garp(uint8_t *frame, size_t cap, const uint8_t mac[6], const struct vaddr *vip);
size_t frame_na(uint8_t *frame, size_t cap, const uint8_t mac[6], const struct vaddr *vip,
		bool router);

#endif
