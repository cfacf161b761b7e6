/* garp: gratuitous ARP (and, later, unsolicited NA) frames.
 *
 * Promises: garp_build is pure and byte-exact (rfc-checklist 51): Ethernet
 * broadcast from mac, ARP request with sender = target = the VIP and sender
 * hardware address = mac. garp_send writes a prebuilt frame on one
 * AF_PACKET socket shared by all interfaces. */
#ifndef VRRPD_GARP_H
#define VRRPD_GARP_H

#include <stddef.h>
#include <stdint.h>

#include "vrrpd/addr.h"

#define GARP_FRAME_LEN 42

size_t garp_build(uint8_t *frame, size_t cap, const uint8_t mac[6], const struct vaddr *vip);
int garp_open(void);
int garp_send(int fd, int ifindex, const uint8_t *frame, size_t len);

#endif
