/* vrrp_pkt: VRRPv2 / VRRPv3 codec.
 *
 * How: all multi-byte fields are read and written byte by byte (no casts of
 * the buffer to structs, so alignment never matters). The checksum is summed
 * over exactly the VRRP message length implied by the header (8 + count *
 * addrlen, + 8 for the v2 authentication trailer); bytes after that in the
 * given length are padding and ignored, as keepalived does. A v3 checksum
 * over IPv4 is first checked with the IPv4 pseudo-header (what keepalived and
 * FRR send), then message-only (RFC 9568, Cisco); adv->csum says which form
 * matched.
 *
 * On a drop, *adv holds whatever fields were decoded before the failing
 * check (zero otherwise), so callers can log the VRID of a bad packet; it is
 * never to be trusted beyond logging. */
#include "core/pkt.h"

#include <string.h>
#include <sys/socket.h>

#define V3_MAX_ADVER_INT 0x0fff
#define IP4_HDR_MIN	 20

/* Chunks summed one after another must have even lengths, except the last
 * (RFC 1071 §2(B)): an odd byte is padded with a zero on the right. */
uint32_t pkt_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t s = sum;

	while (len >= 2) {
		s += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		s += (uint32_t)p[0] << 8;
	/* Fold the carries back in: the result is an equivalent partial sum
	 * that fits in 16 bits plus a carry, so a running sum never overflows. */
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

uint16_t pkt_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Sum of the pseudo-header for a message of msg_len bytes from src to dst.
 * IPv4: src, dst, zero, protocol, 16-bit length (RFC 768 style).
 * IPv6: src, dst, 32-bit upper-layer length, 3 zero bytes, next header
 * (RFC 8200 §8.1). */
static uint32_t pseudo_sum(const struct vaddr *src, const struct vaddr *dst, size_t msg_len)
{
	uint32_t sum = 0;

	if (src->family == AF_INET) {
		uint8_t ph[12];

		memcpy(ph, src->u.b, 4);
		memcpy(ph + 4, dst->u.b, 4);
		ph[8] = 0;
		ph[9] = VRRP_IPPROTO;
		ph[10] = (uint8_t)(msg_len >> 8);
		ph[11] = (uint8_t)msg_len;
		sum = pkt_csum_add(sum, ph, sizeof(ph));
	} else {
		uint8_t ph[40];

		memcpy(ph, src->u.b, 16);
		memcpy(ph + 16, dst->u.b, 16);
		ph[32] = (uint8_t)(msg_len >> 24);
		ph[33] = (uint8_t)(msg_len >> 16);
		ph[34] = (uint8_t)(msg_len >> 8);
		ph[35] = (uint8_t)msg_len;
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = VRRP_IPPROTO;
		sum = pkt_csum_add(sum, ph, sizeof(ph));
	}
	return sum;
}

static int family_ok(uint8_t family)
{
	return family == AF_INET || family == AF_INET6;
}

size_t pkt_encode(uint8_t *buf, size_t cap, const struct pkt_advert *hdr, const struct vaddr *addrs,
		  size_t n, const struct vaddr *src, const struct vaddr *dst, enum pkt_csum csum)
{
	size_t alen, len, i;
	int pseudo;
	uint32_t sum = 0;
	uint16_t ck;

	if (!buf || !hdr || !addrs || !src || n == 0 || n > VRRP_MAX_ADDRS)
		return 0;
	if (!family_ok(src->family))
		return 0;
	if (hdr->version != 2 && hdr->version != 3)
		return 0;
	if (hdr->version == 2 && (src->family != AF_INET || hdr->adver_int > 0xff))
		return 0;
	if (hdr->version == 3 && (hdr->adver_int == 0 || hdr->adver_int > V3_MAX_ADVER_INT))
		return 0;
	/* v3 over IPv6 always has the pseudo-header; v2 never. */
	pseudo = hdr->version == 3 && (src->family == AF_INET6 || csum == PKT_CSUM_PSEUDO);
	if (pseudo && (!dst || dst->family != src->family))
		return 0;

	alen = addr_len(src);
	len = VRRP_HDR_LEN + n * alen + (hdr->version == 2 ? VRRP_AUTH_LEN : 0);
	if (cap < len)
		return 0;
	for (i = 0; i < n; i++)
		if (addrs[i].family != src->family)
			return 0;

	buf[0] = (uint8_t)(hdr->version << 4 | VRRP_TYPE_ADVERT);
	buf[1] = hdr->vrid;
	buf[2] = hdr->priority;
	buf[3] = (uint8_t)n;
	if (hdr->version == 2) {
		buf[4] = hdr->auth_type;
		buf[5] = (uint8_t)hdr->adver_int;
	} else {
		buf[4] = (uint8_t)(hdr->adver_int >> 8); /* reserved nibble zero */
		buf[5] = (uint8_t)hdr->adver_int;
	}
	buf[6] = buf[7] = 0;
	for (i = 0; i < n; i++)
		memcpy(buf + VRRP_HDR_LEN + i * alen, addrs[i].u.b, alen);
	if (hdr->version == 2)
		memcpy(buf + VRRP_HDR_LEN + n * alen, hdr->auth_data, VRRP_AUTH_LEN);

	if (pseudo)
		sum = pseudo_sum(src, dst, len);
	sum = pkt_csum_add(sum, buf, len);
	ck = pkt_csum_fold(sum);
	buf[6] = (uint8_t)(ck >> 8);
	buf[7] = (uint8_t)ck;
	return len;
}

enum pkt_drop pkt_decode(const uint8_t *msg, size_t len, const struct pkt_ip *ip,
			 struct pkt_advert *adv)
{
	return pkt_decode_flags(msg, len, ip, adv, 0);
}

bool pkt_ttl_ok(uint8_t ttl, bool routed)
{
	return routed || ttl == VRRP_TTL;
}

enum pkt_drop pkt_decode_flags(const uint8_t *msg, size_t len, const struct pkt_ip *ip,
			       struct pkt_advert *adv, unsigned flags)
{
	size_t alen, need;
	uint8_t version, family;
	uint32_t sum;

	memset(adv, 0, sizeof(*adv));
	adv->csum = PKT_CSUM_MSG_ONLY;
	/* The IP facts must name a family we carry: a caller error, not the
	 * packet's, but it must still never be trusted. */
	family = ip->src.family;
	if (!family_ok(family) || ip->dst.family != family)
		return PKT_DROP_IP;
	adv->family = family;
	alen = family == AF_INET ? 4 : 16;

	if (!(flags & PKT_ANY_TTL) && ip->ttl != VRRP_TTL)
		return PKT_DROP_TTL;
	if (len < VRRP_HDR_LEN)
		return PKT_DROP_SHORT;

	version = msg[0] >> 4;
	if (version != 2 && version != 3)
		return PKT_DROP_VERSION;
	if (version == 2 && family != AF_INET)
		return PKT_DROP_VERSION;
	adv->version = version;
	adv->vrid = msg[1];
	adv->priority = msg[2];
	adv->naddr = msg[3];
	if (version == 2) {
		adv->auth_type = msg[4];
		adv->adver_int = msg[5];
	} else {
		adv->adver_int = (uint16_t)((msg[4] & 0x0f) << 8 | msg[5]);
	}
	if ((msg[0] & 0x0f) != VRRP_TYPE_ADVERT)
		return PKT_DROP_TYPE;

	need = VRRP_HDR_LEN + (size_t)adv->naddr * alen + (version == 2 ? VRRP_AUTH_LEN : 0);
	if (len < need)
		return PKT_DROP_SHORT;
	if (version == 2)
		memcpy(adv->auth_data, msg + need - VRRP_AUTH_LEN, VRRP_AUTH_LEN);

	/* Verify by summing with the checksum field in place: a correct packet
	 * folds to zero. */
	sum = pkt_csum_add(0, msg, need);
	if (version == 3) {
		uint32_t psum = pkt_csum_add(pseudo_sum(&ip->src, &ip->dst, need), msg, need);

		if (pkt_csum_fold(psum) == 0) {
			/* Pseudo-header form; preferred when both happen to match. */
			if (family == AF_INET)
				adv->csum = PKT_CSUM_PSEUDO;
		} else if (family == AF_INET6 || pkt_csum_fold(sum) != 0) {
			return PKT_DROP_CSUM;
		}
	} else if (pkt_csum_fold(sum) != 0) {
		return PKT_DROP_CSUM;
	}

	if (version == 3 && adv->naddr == 0)
		return PKT_DROP_COUNT;
	if (version == 3 && adv->adver_int == 0)
		return PKT_DROP_INTERVAL;
	adv->addrs = msg + VRRP_HDR_LEN;
	return PKT_OK;
}

enum pkt_drop pkt_decode_ip4(const uint8_t *buf, size_t len, struct pkt_ip *ip,
			     struct pkt_advert *adv)
{
	return pkt_decode_ip4_flags(buf, len, ip, adv, 0);
}

enum pkt_drop pkt_decode_ip4_flags(const uint8_t *buf, size_t len, struct pkt_ip *ip,
				   struct pkt_advert *adv, unsigned flags)
{
	size_t ihl, tot;

	memset(ip, 0, sizeof(*ip));
	memset(adv, 0, sizeof(*adv));
	adv->csum = PKT_CSUM_MSG_ONLY;
	if (len < IP4_HDR_MIN || buf[0] >> 4 != 4)
		return PKT_DROP_IP;
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	if (ihl < IP4_HDR_MIN || ihl > len)
		return PKT_DROP_IP;
	/* Linux delivers the IPv4 header of a raw socket as received, so
	 * tot_len is in network order (unlike the BSDs, which convert it). A
	 * total length beyond what we read means a truncated datagram; one
	 * shorter than the header is nonsense. Bytes after tot_len (link
	 * padding) are not part of the datagram. */
	tot = (size_t)buf[2] << 8 | buf[3];
	if (tot > len || tot < ihl)
		return PKT_DROP_IP;
	/* MF flag or a non-zero fragment offset: a fragment. DF is fine. */
	if (((buf[6] & 0x3f) | buf[7]) != 0)
		return PKT_DROP_IP;
	if (buf[9] != VRRP_IPPROTO)
		return PKT_DROP_IP;

	ip->src.family = AF_INET;
	memcpy(ip->src.u.b, buf + 12, 4);
	ip->dst.family = AF_INET;
	memcpy(ip->dst.u.b, buf + 16, 4);
	ip->ttl = buf[8];
	return pkt_decode_flags(buf + ihl, tot - ihl, ip, adv, flags);
}

const char *pkt_drop_str(enum pkt_drop r)
{
	static const char *const names[PKT_DROP__MAX] = {
	    [PKT_OK] = "ok",
	    [PKT_DROP_IP] = "bad-ip-header",
	    [PKT_DROP_TTL] = "bad-ttl",
	    [PKT_DROP_SHORT] = "too-short",
	    [PKT_DROP_VERSION] = "bad-version",
	    [PKT_DROP_TYPE] = "bad-type",
	    [PKT_DROP_CSUM] = "bad-checksum",
	    [PKT_DROP_COUNT] = "zero-count",
	    [PKT_DROP_INTERVAL] = "zero-interval",
	    [PKT_DROP_VRID] = "unknown-vrid",
	    [PKT_DROP_VERSION_MISMATCH] = "version-mismatch",
	    [PKT_DROP_AUTH] = "auth-mismatch",
	    [PKT_DROP_ADVER_INT] = "interval-mismatch",
	    [PKT_DROP_OWN] = "own-packet",
	    [PKT_DROP_NOT_PEER] = "not-a-peer",
	    [PKT_DROP_OWNER_IGNORES] = "owner-ignores",
	};

	if ((unsigned)r >= PKT_DROP__MAX || !names[r])
		return "unknown";
	return names[r];
}
