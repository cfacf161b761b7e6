/* sock: raw IPPROTO_VRRP sockets, one per interface and family.
 *
 * Promises: sockets are non-blocking and close-on-exec, bound to their
 * device, joined to the group (224.0.0.18 / ff02::12 unless GROUP names
 * another, vrrp_mcast_group4/6) on it, with multicast loopback off
 * (conformance 15) and TTL / hop limit 255 for multicast and unicast (13).
 * The source address of each advert is chosen per packet (IP_PKTINFO /
 * IPV6_PKTINFO). IPv6 raw sockets deliver no IP header: sock_recv6 reports
 * the source, destination and hop limit of each message (16). */
#ifndef VRRPD_SOCK_H
#define VRRPD_SOCK_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "core/addr.h"
#include "core/pkt.h"

/* Returns the fd or -1 (errno set). GROUP may be NULL (the default). */
int sock_open_ip4(const char *ifname, int ifindex, const struct vaddr *group);
int sock_open_ip6(const char *ifname, int ifindex, const struct vaddr *group);
/* A socket that only sends: adverts out of a virtual MAC interface. It
 * joins no group (so the interface sends no IGMP/MLD report while its
 * instance is Backup), reads nothing (a drop-all filter), and may send from
 * an address of another interface (IP_FREEBIND / IPV6_FREEBIND: the
 * parent's, which the VMAC does not carry). Same TTL / hop limit rules. */
int sock_open_tx(int family, const char *ifname, int ifindex);
/* Joins GROUP on IFINDEX as well (an instance's mcast_dst_ip). */
int sock_join(int fd, int ifindex, const struct vaddr *group);
/* Reads one datagram (IPv4 header included). Returns its length, 0 when
 * there is nothing to read, -1 on error. *rx_real (may be NULL) gets the
 * kernel's arrival time on CLOCK_REALTIME in µs (SO_TIMESTAMPNS), or 0. */
ssize_t sock_recv(int fd, uint8_t *buf, size_t cap, uint64_t *rx_real);
/* Sends a VRRP message from src to dst out of ifindex, with TTL (1..255;
 * 0 = the socket's, 255) for this packet only (unicast_ttl: instances
 * share the socket). Returns 0 or -1. */
int sock_send_ip4(int fd, int ifindex, const struct vaddr *src, const struct vaddr *dst,
		  const void *msg, size_t len, int ttl);

/* Reads one VRRP message from an IPv6 socket into BUF and its IP facts into
 * IP. Returns as sock_recv. */
ssize_t sock_recv6(int fd, uint8_t *buf, size_t cap, struct pkt_ip *ip, uint64_t *rx_real);
int sock_send6(int fd, int ifindex, const struct vaddr *src, const struct vaddr *dst,
	       const void *msg, size_t len, int hops);

/* What one message of sock_send_batch points at: its destination, payload
 * vector and control data (source address, TTL / hop limit), as
 * sock_send_ip4 and sock_send6 send them. */
struct sock_msg {
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} to;
	struct iovec iov;
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cbuf;
};
/* Fills M and MH (which points into M) for MSG (LEN bytes, not copied)
 * from SRC to DST (either family) out of IFINDEX with TTL as above. */
void sock_msg_fill(struct sock_msg *m, struct msghdr *mh, int ifindex, const struct vaddr *src,
		   const struct vaddr *dst, const void *msg, size_t len, int ttl);
/* Sends the N messages of MV on FD with as few sendmmsg(2) calls as the
 * kernel allows (one when all go); a message that fails does not stop the
 * ones after it. OK[i] tells whether MV[i] went out whole; errno is that of
 * the last failure. */
void sock_send_batch(int fd, struct mmsghdr *mv, unsigned n, bool *ok);

#endif
