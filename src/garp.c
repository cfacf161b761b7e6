/* garp: gratuitous ARP frames. */
#include "vrrpd/garp.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/socket.h>

size_t garp_build(uint8_t *f, size_t cap, const uint8_t mac[6], const struct vaddr *vip)
{
	if (cap < GARP_FRAME_LEN || vip->family != AF_INET)
		return 0;
	memset(f, 0xff, 6); /* Ethernet destination: broadcast */
	memcpy(f + 6, mac, 6);
	f[12] = ETH_P_ARP >> 8;
	f[13] = ETH_P_ARP & 0xff;
	f[14] = 0; /* hardware type 1: Ethernet */
	f[15] = 1;
	f[16] = ETH_P_IP >> 8; /* protocol type IPv4 */
	f[17] = ETH_P_IP & 0xff;
	f[18] = 6; /* hardware address length */
	f[19] = 4; /* protocol address length */
	f[20] = 0; /* operation 1: request */
	f[21] = 1;
	memcpy(f + 22, mac, 6);	     /* sender hardware address */
	memcpy(f + 28, vip->u.b, 4); /* sender protocol address: the VIP */
	memset(f + 32, 0, 6);	     /* target hardware address: unknown */
	memcpy(f + 38, vip->u.b, 4); /* target protocol address: the VIP */
	return GARP_FRAME_LEN;
}

int garp_open(void)
{
	return socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

int garp_send(int fd, int ifindex, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll ll = {.sll_family = AF_PACKET,
				 .sll_protocol = htons(ETH_P_ARP),
				 .sll_ifindex = ifindex,
				 .sll_halen = 6};

	memcpy(ll.sll_addr, frame, 6);
	return sendto(fd, frame, len, 0, (struct sockaddr *)&ll, sizeof(ll)) == (ssize_t)len ? 0
											     : -1;
}
