/* frame: the link-layer announcements a new master sends (pure).
 *
 * Promises: byte-exact builders. frame_garp() is a gratuitous ARP
 * (conformance 51): Ethernet broadcast from MAC, an ARP request whose
 * sender and target protocol addresses are both the VIP and whose sender
 * hardware address is MAC. Returns the frame's length, or 0 when CAP is
 * too small or the VIP is not IPv4. */
#ifndef VRRPD_FRAME_H
#define VRRPD_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"

#define FRAME_GARP_LEN 42

size_t frame_garp(uint8_t *frame, size_t cap, const uint8_t mac[6], const struct vaddr *vip);

#endif
