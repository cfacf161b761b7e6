/* libFuzzer harness: the receive path of an advert, from the raw socket's
 * bytes to the state machine (core/pkt.c, core/addrlist.c, core/vrrp.c).
 *
 * Input: a flags byte, a priority byte (the receiving instances'; 0 means
 * 100, 255 the address owner), then
 *   - IPv4 (flag V6 clear): an IPv4 datagram as a raw IPPROTO_VRRP socket
 *     delivers it (header included), given to pkt_decode_ip4();
 *   - IPv6 (flag V6 set): 16 bytes source, 16 bytes destination, 1 byte hop
 *     limit (what the cmsgs report), then the VRRP message, given to
 *     pkt_decode().
 * With flag FIXSUM the harness first writes a correct checksum into the
 * message (v3 over IPv4: the pseudo-header form, or message-only with
 * flag MSGONLY), so that the fuzzer gets past the checksum to what follows.
 *
 * Invariants: decoding never reads past the datagram (it sits in a buffer
 * of exactly its size); every verdict has a name; an accepted advert is
 * consistent (version, family, count, addresses inside the buffer) and
 * re-encodes to the same bytes; addrlist_same() finds an advert's own
 * address list equal to itself in any order; feeding it to a Backup and a
 * Master of either version (same VRID, any priority) keeps the state
 * machine's own assertions and leaves its one timer in the future.
 * FUZZ_VERBOSE=1 in the environment prints each input's verdict. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/addrlist.h"
#include "core/pkt.h"
#include "core/vrrp.h"

#define F_V6	  0x01
#define F_FIXSUM  0x02
#define F_MSGONLY 0x04
#define F_PREEMPT 0x08 /* the receivers preempt */
#define F_DELAY	  0x10 /* ... with preempt_delay 1 s */
#define F_QUIET	  0x20 /* lower_prio_no_advert */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool verbose; /* FUZZ_VERBOSE=1: print each verdict */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	verbose = getenv("FUZZ_VERBOSE") && atoi(getenv("FUZZ_VERBOSE")) > 0;
	return 0;
}

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

	/* The advert lists what it lists, in whatever order. */
	if (!addrlist_same(adv, addrs, adv->naddr))
		abort();
	for (i = 0; i < adv->naddr / 2; i++) {
		struct vaddr t = addrs[i];
		addrs[i] = addrs[adv->naddr - 1 - i];
		addrs[adv->naddr - 1 - i] = t;
	}
	if (!addrlist_same(adv, addrs, adv->naddr))
		abort();
	if (adv->naddr > 1 && addrlist_same(adv, addrs, adv->naddr - 1u))
		abort();
}

/* A Backup and a Master of the advert's VRID and version hear it. */
static void feed(const struct pkt_ip *ip, const struct pkt_advert *adv, uint8_t prio, uint8_t flags)
{
	static const vtime_t t0 = 1000 * VTIME_SEC;

	for (int master = 0; master < 2; master++) {
		struct vrrp_params p = {
		    .version = adv->version,
		    .vrid = adv->vrid,
		    .priority = prio ? prio : 100,
		    .adver_int_cs = adv->version == 2 ? (uint16_t)(adv->adver_int * 100) : 100,
		    .preempt = flags & F_PREEMPT,
		    .preempt_delay = (flags & F_DELAY) ? VTIME_SEC : 0,
		    .lower_prio_no_advert = flags & F_QUIET,
		    .auth_type = adv->auth_type,
		};
		struct vrrp_instance vi;
		struct vrrp_actions acts = {0};

		if (adv->version == 2 && p.adver_int_cs == 0)
			p.adver_int_cs = 100;
		memcpy(p.auth_data, adv->auth_data, VRRP_AUTH_LEN);
		vrrp_init(&vi, &p);
		vi.primary.family = ip->src.family;
		vi.primary.u.b[0] = 0x0a; /* never the advert's source (own-packet check) */
		vrrp_set_primary(&vi, &vi.primary);
		vrrp_startup(&vi, t0, &acts);
		if (master && vi.state != VRRP_STATE_MASTER) {
			acts.n = 0;
			vrrp_timer(&vi, vi.timer_at, &acts);
		}
		/* Before the instance's own timer is due (every interval is at
		 * least 10 ms): the timer must still be in the future after. */
		vtime_t now = (vi.since > t0 ? vi.since : t0) + 5 * VTIME_MSEC;
		acts.n = 0;
		vrrp_recv(&vi, now, adv, &ip->src, &acts);
		if (vi.timer_at && vi.timer_at < now)
			abort();
		if (vi.timer_at) {
			acts.n = 0;
			vrrp_timer(&vi, vi.timer_at, &acts);
		}
	}
}

/* Writes a correct checksum into the VRRP message at msg (len bytes), as
 * far as the header says the message goes. */
static void fix_sum(uint8_t *msg, size_t len, const struct pkt_ip *ip, int pseudo)
{
	size_t alen = ip->src.family == AF_INET ? 4 : 16, need;
	uint32_t sum = 0;
	uint16_t ck;

	if (len < VRRP_HDR_LEN)
		return;
	need = VRRP_HDR_LEN + (size_t)msg[3] * alen + ((msg[0] >> 4) == 2 ? VRRP_AUTH_LEN : 0);
	if (need > len)
		return;
	msg[6] = msg[7] = 0;
	if (pseudo && (msg[0] >> 4) == 3) {
		uint8_t ph[40] = {0};
		if (alen == 4) {
			memcpy(ph, ip->src.u.b, 4);
			memcpy(ph + 4, ip->dst.u.b, 4);
			ph[9] = VRRP_IPPROTO;
			ph[10] = (uint8_t)(need >> 8);
			ph[11] = (uint8_t)need;
			sum = pkt_csum_add(0, ph, 12);
		} else {
			memcpy(ph, ip->src.u.b, 16);
			memcpy(ph + 16, ip->dst.u.b, 16);
			ph[34] = (uint8_t)(need >> 8);
			ph[35] = (uint8_t)need;
			ph[39] = VRRP_IPPROTO;
			sum = pkt_csum_add(0, ph, 40);
		}
	}
	ck = pkt_csum_fold(pkt_csum_add(sum, msg, need));
	msg[6] = (uint8_t)(ck >> 8);
	msg[7] = (uint8_t)ck;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_ip ip;
	struct pkt_advert adv;
	enum pkt_drop r;
	uint8_t flags, prio, *buf;
	const uint8_t *msg, *end;

	if (size < 2)
		return 0;
	flags = data[0];
	prio = data[1];
	data += 2;
	size -= 2;
	buf = malloc(size ? size : 1); /* exact size: ASan sees over-reads */
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	end = buf + size;

	if (!(flags & F_V6)) {
		if ((flags & F_FIXSUM) && size >= 20 && (buf[0] & 0x0f) * 4 >= 20) {
			size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
			size_t tot = (size_t)buf[2] << 8 | buf[3];
			if (ihl <= tot && tot <= size) {
				memset(&ip, 0, sizeof(ip));
				ip.src.family = ip.dst.family = AF_INET;
				memcpy(ip.src.u.b, buf + 12, 4);
				memcpy(ip.dst.u.b, buf + 16, 4);
				fix_sum(buf + ihl, tot - ihl, &ip, !(flags & F_MSGONLY));
			}
		}
		r = pkt_decode_ip4(buf, size, &ip, &adv);
		msg = adv.addrs ? adv.addrs - VRRP_HDR_LEN : NULL;
	} else {
		if (size < 33) {
			free(buf);
			return 0;
		}
		memset(&ip, 0, sizeof(ip));
		ip.src.family = ip.dst.family = AF_INET6;
		memcpy(ip.src.u.b, buf, 16);
		memcpy(ip.dst.u.b, buf + 16, 16);
		ip.ttl = buf[32];
		msg = buf + 33;
		if (flags & F_FIXSUM)
			fix_sum(buf + 33, size - 33, &ip, 1);
		r = pkt_decode(msg, size - 33, &ip, &adv);
	}
	if (!strcmp(pkt_drop_str(r), "unknown"))
		abort();
	if (verbose)
		fprintf(stderr, "fuzz_pkt: %s (version %u, vrid %u, priority %u, %u addresses)\n",
			pkt_drop_str(r), adv.version, adv.vrid, adv.priority, adv.naddr);
	if (r == PKT_OK) {
		size_t alen = adv.family == AF_INET ? 4 : 16;

		if ((adv.version != 2 && adv.version != 3) || adv.family != ip.src.family ||
		    (adv.version == 2 && adv.family != AF_INET) ||
		    (adv.version == 3 && (adv.naddr == 0 || adv.adver_int == 0)) || !msg ||
		    adv.addrs != msg + VRRP_HDR_LEN ||
		    adv.addrs + adv.naddr * alen + (adv.version == 2 ? VRRP_AUTH_LEN : 0) > end)
			abort();
		check(msg, &ip, &adv);
		feed(&ip, &adv, prio, flags);
		feed(&ip, &adv, VRRP_PRIO_OWNER, flags);
	}
	free(buf);
	return 0;
}
