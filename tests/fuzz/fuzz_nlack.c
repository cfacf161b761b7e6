/* libFuzzer harness: the netlink acks vrrpd reads itself
 * (src/io/nl_addr.c: nl_addr_acks, the loop that maps each NLMSG_ERROR
 * back to the address, route or rule it answers). The rest of vrrpd's
 * netlink input, link and address notifications and dumps, is parsed by
 * libnl-route-3 (nl_cache_mngr), not by hand. nl_addr.c is #included to
 * reach the static function.
 *
 * Input: the bytes of one read from the socket, answering a batch of 16
 * messages (addresses, routes, rules; adds and removes) with sequence
 * numbers 1000..1015, sent from port id 4242. They sit in a buffer of
 * exactly their size, as aligned as a read buffer is.
 *
 * Invariants: no read outside the buffer or outside the message being
 * looked at; no more acks counted than messages in the buffer; no more
 * failures than acks. */
#include "../../src/io/nl_addr.c"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOPS  16
#define FIRST 1000u
#define PORT  4242u

static struct nl_addr_sock sock;
static struct nl_addr_op ops[NOPS];
static struct vip vips[2];
static struct vroute route;
static struct vrule rule;
static int failed_count;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	addr_parse("192.0.2.10", &vips[0].addr);
	vips[0].prefix = 24;
	addr_parse("2001:db8::10", &vips[1].addr);
	vips[1].prefix = 64;
	route.family = AF_INET;
	addr_parse("198.51.100.0", &route.dst);
	route.dst_len = 24;
	rule.family = AF_INET;
	rule.has_from = true;
	addr_parse("203.0.113.0", &rule.from);
	rule.from_len = 24;
	for (size_t k = 0; k < NOPS; k++) {
		ops[k] = (struct nl_addr_op){.kind = (enum nl_op_kind)(k % 3),
					     .vip = &vips[k & 1],
					     .route = &route,
					     .rule = &rule,
					     .ifindex = 1,
					     .add = (k & 4) == 0,
					     .who = "VI_1",
					     .failed = &failed_count};
	}
	sock.portid = PORT;
	sock.ops = ops;
	sock.nops = 0; /* as during nl_addr_commit: the batch is out */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *buf = malloc(size ? size : 1); /* malloc: aligned, and exactly SIZE for ASan */
	int failed = 0;
	size_t msgs = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	failed_count = 0;
	size_t acked = nl_addr_acks(&sock, buf, size, FIRST, NOPS, &failed);

	/* Messages in the buffer (not with mnl_nlmsg_ok(): see nl_addr_acks). */
	for (size_t off = 0; size - off >= sizeof(struct nlmsghdr);) {
		uint32_t mlen;
		memcpy(&mlen, (const uint8_t *)buf + off, sizeof(mlen));
		if (mlen < sizeof(struct nlmsghdr) || mlen > size - off)
			break;
		msgs++;
		off += MNL_ALIGN(mlen) < size - off ? MNL_ALIGN(mlen) : size - off;
	}
	if (acked > msgs || failed < 0 || (size_t)failed > acked || failed != failed_count)
		abort();
	free(buf);
	return 0;
}
