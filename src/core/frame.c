/* frame: gratuitous ARP and unsolicited NA frames. */
#include "core/frame.h"

#include "core/pkt.h"

#include <linux/if_ether.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

void frame_vmac(int family, uint8_t vrid, uint8_t mac[6])
{
	mac[0] = 0x00;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = 0x00;
	mac[4] = family == AF_INET6 ? 0x02 : 0x01;
	mac[5] = vrid;
}

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

size_t frame_na(uint8_t *f, size_t cap, const uint8_t mac[6], const struct vaddr *vip, bool router)
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 0x01};
	uint8_t *ip = f + 14, *na = ip + 40;
	const size_t na_len = 32; /* NA 24 + option 8 */

	if (cap < FRAME_NA_LEN || vip->family != AF_INET6)
		return 0;
	memset(f, 0, FRAME_NA_LEN);
	f[0] = f[1] = 0x33; /* Ethernet destination: 33:33 + the group's low 32 bits */
	f[5] = 0x01;
	memcpy(f + 6, mac, 6);
	f[12] = ETH_P_IPV6 >> 8;
	f[13] = ETH_P_IPV6 & 0xff;
	ip[0] = 0x60; /* version 6, traffic class and flow label 0 */
	ip[4] = 0;
	ip[5] = (uint8_t)na_len; /* payload length */
	ip[6] = IPPROTO_ICMPV6;
	ip[7] = 255; /* hop limit */
	memcpy(ip + 8, vip->u.b, 16);
	memcpy(ip + 24, all_nodes, 16);
	na[0] = 136;				       /* Neighbour Advertisement */
	na[4] = (uint8_t)((router ? 0x80 : 0) | 0x20); /* R, S = 0, O = 1 */
	memcpy(na + 8, vip->u.b, 16);		       /* target */
	na[24] = 2;				       /* option: Target Link-Layer Address */
	na[25] = 1;				       /* length in units of 8 bytes */
	memcpy(na + 26, mac, 6);
	uint8_t pseudo[40] = {0};
	memcpy(pseudo, ip + 8, 32); /* source and destination */
	pseudo[35] = (uint8_t)na_len;
	pseudo[39] = IPPROTO_ICMPV6;
	uint16_t sum =
	    pkt_csum_fold(pkt_csum_add(pkt_csum_add(0, pseudo, sizeof(pseudo)), na, na_len));
	na[2] = (uint8_t)(sum >> 8);
	na[3] = (uint8_t)(sum & 0xff);
	return FRAME_NA_LEN;
}
