/* claim_rx: the receive side of address conflict detection: a packet
 * socket per interface that the kernel feeds only the ARP claims the
 * core/claim filter lets through.
 *
 * Promises: claim_rx_open() returns a non-blocking AF_PACKET socket bound
 * to IFINDEX for ETHERTYPE (ARP, or IPv6 for NAs), whose filter is attached before it is bound (so
 * no unfiltered frame is ever queued), or -1 with errno set. claim_rx_set_filter() replaces the
 * filter (when the VIPs change). claim_rx_recv() reads one frame: its length, 0 for a frame to
 * ignore (one we sent), or -1 (errno EAGAIN when there is nothing more). */
#ifndef VRRPD_CLAIM_RX_H
#define VRRPD_CLAIM_RX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/claim.h"

int claim_rx_open(int ifindex, uint16_t ethertype, const struct claim_insn *prog, size_t n);
int claim_rx_set_filter(int fd, const struct claim_insn *prog, size_t n);
ssize_t claim_rx_recv(int fd, uint8_t *buf, size_t cap);

#endif
