/* frame: gratuitous ARP frames. */
#include "core/frame.h"

#include <linux/if_ether.h>
#include <string.h>
#include <sys/socket.h>

size_t frame_garp(uint8_t *f, size_t cap, const uint8_t mac[6], const struct vaddr *vip)
{
	if (cap < FRAME_GARP_LEN || vip->family != AF_INET)
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
	return FRAME_GARP_LEN;
}
