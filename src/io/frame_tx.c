/* frame_tx: one AF_PACKET socket for gratuitous ARP. */
#include "io/frame_tx.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>

int frame_tx_open(void)
{
	return socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

int frame_tx_send(int fd, int ifindex, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll ll = {.sll_family = AF_PACKET,
				 .sll_protocol = htons(ETH_P_ARP),
				 .sll_ifindex = ifindex,
				 .sll_halen = 6};

	memcpy(ll.sll_addr, frame, 6);
	return sendto(fd, frame, len, 0, (struct sockaddr *)&ll, sizeof(ll)) == (ssize_t)len ? 0
											     : -1;
}
