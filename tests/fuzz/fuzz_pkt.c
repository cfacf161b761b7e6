/* libFuzzer harness for pkt_decode_ip4 / pkt_decode / pkt_encode.
 * Run: clang -std=c11 -D_GNU_SOURCE -Iinclude/vrrpd -g -O1 -fsanitize=fuzzer,address,undefined \
 *        tests/fuzz/fuzz_pkt.c src/core/pkt.c src/core/addr.c -o build/fuzz_pkt && build/fuzz_pkt
 * -max_total_time=60 Invariant checked: whatever decodes as PKT_OK re-encodes to the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const uint8_t *msg, const struct pkt_ip *ip, const struct pkt_advert *adv)
{
	static struct vaddr addrs[VRRP_MAX_ADDRS];
	static uint8_t out[VRRP_PKT_MAX];
	size_t alen = adv->family == AF_INET ? 4 : 16, i, n;
	uint16_t a, b;

	if (adv->naddr == 0 || (adv->version == 3 && (msg[4] & 0xf0)))
		return; /* v2 count 0 cannot be encoded; reserved bits are not sent */
	for (i = 0; i < adv->naddr; i++) {
		memset(&addrs[i], 0, sizeof(addrs[i]));
		addrs[i].family = adv->family;
		memcpy(addrs[i].u.b, adv->addrs + i * alen, alen);
	}
	n = pkt_encode(out, sizeof(out), adv, addrs, adv->naddr, &ip->src, &ip->dst, adv->csum);
	if (n == 0 || memcmp(out, msg, 6) != 0 || memcmp(out + 8, msg + 8, n - 8) != 0)
		abort();
	a = (uint16_t)(out[6] << 8 | out[7]);
	b = (uint16_t)(msg[6] << 8 | msg[7]);
	if (a != b && !(a == 0 && b == 0xffff))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_ip ip;
	struct pkt_advert adv;
	uint8_t *buf = malloc(size ? size : 1); /* exact size: ASan sees over-reads */

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (pkt_decode_ip4(buf, size, &ip, &adv) == PKT_OK)
		check(adv.addrs - VRRP_HDR_LEN, &ip, &adv);
	/* The same bytes as a bare message over IPv6 (checksum rarely matches,
	 * but every earlier rung of the ladder is exercised). */
	memset(&ip, 0, sizeof(ip));
	ip.src.family = ip.dst.family = AF_INET6;
	ip.src.u.b[0] = 0xfe;
	ip.src.u.b[1] = 0x80;
	ip.src.u.b[15] = 1;
	ip.dst.u.b[0] = 0xff;
	ip.dst.u.b[1] = 0x02;
	ip.dst.u.b[15] = 0x12;
	ip.ttl = VRRP_TTL;
	if (pkt_decode(buf, size, &ip, &adv) == PKT_OK)
		check(buf, &ip, &adv);
	free(buf);
	return 0;
}
