/* claim_rx: the packet socket that hears ARP claims (io/claim_rx.h). */
#include "io/claim_rx.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

_Static_assert(sizeof(struct claim_insn) == sizeof(struct sock_filter),
	       "struct claim_insn has struct sock_filter's layout");

int claim_rx_set_filter(int fd, const struct claim_insn *prog, size_t n)
{
	struct sock_fprog fp = {.len = (unsigned short)n, .filter = (struct sock_filter *)prog};

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp));
}

int claim_rx_open(int ifindex, uint16_t ethertype, const struct claim_insn *prog, size_t n)
{
	/* protocol 0: nothing is queued until bind() names ETHERTYPE, after
	 * the filter is in place */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct sockaddr_ll ll = {
	    .sll_family = AF_PACKET, .sll_protocol = htons(ethertype), .sll_ifindex = ifindex};

	if (fd < 0)
		return -1;
	if (claim_rx_set_filter(fd, prog, n) < 0 ||
	    bind(fd, (struct sockaddr *)&ll, sizeof(ll)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

ssize_t claim_rx_recv(int fd, uint8_t *buf, size_t cap)
{
	struct sockaddr_ll ll;
	socklen_t sl = sizeof(ll);
	ssize_t r = recvfrom(fd, buf, cap, 0, (struct sockaddr *)&ll, &sl);

	if (r < 0)
		return -1;
	return ll.sll_pkttype == PACKET_OUTGOING ? 0 : r;
}
