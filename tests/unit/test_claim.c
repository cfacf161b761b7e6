/* Unit tests for core/claim.c: the ARP and NA claim filters, run by a
 * small classic-BPF interpreter (the five instructions they use), and the
 * parsers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/claim.h"
#include "core/frame.h"

/* Runs PROG on FRAME as the kernel would: the return value (0 = drop).
 * Out-of-bounds loads drop, as in the kernel; jumps go forward only. */
static uint32_t run(const struct claim_insn *p, size_t n, const uint8_t *f, size_t len)
{
	uint32_t a = 0;

	for (size_t pc = 0; pc < n; pc++) {
		const struct claim_insn *in = &p[pc];
		switch (in->code) {
		case 0x28: /* ldh [k] */
			if (in->k + 2 > len)
				return 0;
			a = (uint32_t)f[in->k] << 8 | f[in->k + 1];
			break;
		case 0x20: /* ld [k] */
			if (in->k + 4 > len)
				return 0;
			a = (uint32_t)f[in->k] << 24 | (uint32_t)f[in->k + 1] << 16 |
			    (uint32_t)f[in->k + 2] << 8 | f[in->k + 3];
			break;
		case 0x30: /* ldb [k] */
			if (in->k + 1 > len)
				return 0;
			a = f[in->k];
			break;
		case 0x15: /* jeq #k */
			pc += a == in->k ? in->jt : in->jf;
			assert_true(pc < n);
			break;
		case 0x06:
			return in->k;
		default:
			fail_msg("unexpected opcode 0x%x", in->code);
		}
	}
	fail_msg("the program ran off its end");
	return 0;
}

static const uint8_t stranger[6] = {0x02, 0x00, 0x00, 0x00, 0x01, 0x0a};

/* A gratuitous ARP for IP from the stranger (op 1), or a reply (op 2). */
static size_t arp(uint8_t *f, const char *ip, int op)
{
	struct vaddr a;

	assert_int_equal(addr_parse(ip, &a), 0);
	assert_int_equal(frame_garp(f, 64, stranger, &a), FRAME_GARP_LEN);
	f[21] = (uint8_t)op;
	return FRAME_GARP_LEN;
}

static void filter_accepts_claims_of_our_addresses_only(void **state)
{
	(void)state;
	struct vaddr vips[3];
	struct claim_insn p[CLAIM_FILTER_MAX];
	uint8_t f[64];

	addr_parse("192.0.2.100", &vips[0]);
	addr_parse("2001:db8::100", &vips[1]); /* skipped */
	addr_parse("198.51.100.7", &vips[2]);
	size_t n = claim_filter(p, CLAIM_FILTER_MAX, vips, 3);
	assert_int_equal(n, 12);
	assert_true(run(p, n, f, arp(f, "192.0.2.100", 1)) > 0);
	assert_true(run(p, n, f, arp(f, "198.51.100.7", 2)) > 0);
	assert_int_equal(run(p, n, f, arp(f, "192.0.2.10", 1)), 0);  /* a client's request */
	assert_int_equal(run(p, n, f, arp(f, "192.0.2.100", 3)), 0); /* RARP request */
	arp(f, "192.0.2.100", 1);
	f[13] = 0x00; /* IPv4, not ARP */
	assert_int_equal(run(p, n, f, FRAME_GARP_LEN), 0);
	assert_int_equal(run(p, n, f, 14), 0); /* short */
	assert_int_equal(claim_filter(p, 11, vips, 3), 0);
}

static void filter_without_addresses_and_with_too_many(void **state)
{
	(void)state;
	static struct vaddr many[CLAIM_FILTER_MAX_ADDRS + 1];
	struct claim_insn p[CLAIM_FILTER_MAX];
	uint8_t f[64];

	size_t n = claim_filter(p, CLAIM_FILTER_MAX, NULL, 0);
	assert_int_equal(n, 10);
	assert_int_equal(run(p, n, f, arp(f, "192.0.2.100", 1)), 0);
	for (size_t k = 0; k < CLAIM_FILTER_MAX_ADDRS; k++) {
		many[k].family = AF_INET;
		many[k].u.b[0] = 10;
		many[k].u.b[3] = (uint8_t)k;
		many[k].u.b[2] = (uint8_t)(k >> 8);
	}
	n = claim_filter(p, CLAIM_FILTER_MAX, many, CLAIM_FILTER_MAX_ADDRS);
	assert_int_equal(n, CLAIM_FILTER_MAX_ADDRS + 10);
	assert_true(run(p, n, f, arp(f, "10.0.0.0", 1)) > 0);	/* the first */
	assert_true(run(p, n, f, arp(f, "10.0.0.249", 2)) > 0); /* the last */
	assert_int_equal(run(p, n, f, arp(f, "10.0.0.250", 2)), 0);
	/* one more: every ARP frame passes, the daemon looks the address up */
	many[CLAIM_FILTER_MAX_ADDRS] = many[0];
	n = claim_filter(p, CLAIM_FILTER_MAX, many, CLAIM_FILTER_MAX_ADDRS + 1);
	assert_int_equal(n, 9);
	assert_true(run(p, n, f, arp(f, "203.0.113.1", 1)) > 0);
}

static void parse_reads_the_sender(void **state)
{
	(void)state;
	uint8_t f[64], mac[6];
	struct vaddr ip, want;

	addr_parse("192.0.2.100", &want);
	assert_true(claim_parse(f, arp(f, "192.0.2.100", 2), mac, &ip));
	assert_memory_equal(mac, stranger, 6);
	assert_true(addr_eq(&ip, &want));
	assert_false(claim_parse(f, CLAIM_ARP_LEN - 1, mac, &ip));
	f[19] = 16; /* not IPv4's address length */
	assert_false(claim_parse(f, CLAIM_ARP_LEN, mac, &ip));
	arp(f, "192.0.2.100", 4);
	assert_false(claim_parse(f, CLAIM_ARP_LEN, mac, &ip));
}

/* An unsolicited NA for IP from the stranger. */
static size_t na(uint8_t *f, const char *ip)
{
	struct vaddr a;

	assert_int_equal(addr_parse(ip, &a), 0);
	assert_int_equal(frame_na(f, 128, stranger, &a, false), FRAME_NA_LEN);
	return FRAME_NA_LEN;
}

static void filter6_accepts_nas_for_our_addresses_only(void **state)
{
	(void)state;
	struct vaddr vips[3];
	struct claim_insn p[CLAIM_FILTER6_MAX];
	uint8_t f[128], mac[6];
	struct vaddr ip;

	addr_parse("2001:db8::100", &vips[0]);
	addr_parse("192.0.2.100", &vips[1]); /* skipped */
	addr_parse("2001:db8::1:7", &vips[2]);
	size_t n = claim_filter6(p, CLAIM_FILTER6_MAX, vips, 3);
	assert_int_equal(n, 9 + 16 + 2);
	assert_true(run(p, n, f, na(f, "2001:db8::100")) > 0);
	assert_true(run(p, n, f, na(f, "2001:db8::1:7")) > 0);
	assert_int_equal(run(p, n, f, na(f, "2001:db8::101")), 0);
	assert_int_equal(run(p, n, f, na(f, "2001:db9::100")), 0);   /* first word differs */
	assert_int_equal(run(p, n, f, na(f, "2001:db8::1:100")), 0); /* the last word differs */
	na(f, "2001:db8::100");
	f[54] = 135; /* a Neighbour Solicitation */
	assert_int_equal(run(p, n, f, FRAME_NA_LEN), 0);
	assert_int_equal(run(p, n, f, arp(f, "192.0.2.100", 1)), 0);
	assert_int_equal(claim_filter6(p, n - 1, vips, 3), 0);
	/* parse: the option's MAC, the target */
	assert_true(claim_parse6(f, na(f, "2001:db8::100"), mac, &ip));
	assert_memory_equal(mac, stranger, 6);
	assert_true(addr_eq(&ip, &vips[0]));
	f[78] = 1; /* not a Target Link-Layer Address option: the Ethernet source */
	f[6] = 0x12;
	assert_true(claim_parse6(f, FRAME_NA_LEN, mac, &ip));
	assert_int_equal(mac[0], 0x12);
	assert_false(claim_parse6(f, CLAIM_NA_LEN - 1, mac, &ip));
	assert_false(claim_parse(f, FRAME_NA_LEN, mac, &ip));
}

static void filter6_with_too_many_passes_every_na(void **state)
{
	(void)state;
	static struct vaddr many[CLAIM_FILTER6_MAX_ADDRS + 1];
	struct claim_insn p[CLAIM_FILTER6_MAX];
	uint8_t f[128];

	for (size_t k = 0; k <= CLAIM_FILTER6_MAX_ADDRS; k++) {
		addr_parse("2001:db8::", &many[k]);
		many[k].u.b[15] = (uint8_t)k;
	}
	size_t n = claim_filter6(p, CLAIM_FILTER6_MAX, many, CLAIM_FILTER6_MAX_ADDRS);
	assert_true(n <= CLAIM_FILTER6_MAX);
	assert_true(run(p, n, f, na(f, "2001:db8::")) > 0);
	assert_true(run(p, n, f, na(f, "2001:db8::1d")) > 0); /* the 30th */
	assert_int_equal(run(p, n, f, na(f, "2001:db8::1e")), 0);
	n = claim_filter6(p, CLAIM_FILTER6_MAX, many, CLAIM_FILTER6_MAX_ADDRS + 1);
	assert_int_equal(n, 10);
	assert_true(run(p, n, f, na(f, "2001:db8::99")) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(filter_accepts_claims_of_our_addresses_only),
	    cmocka_unit_test(filter_without_addresses_and_with_too_many),
	    cmocka_unit_test(parse_reads_the_sender),
	    cmocka_unit_test(filter6_accepts_nas_for_our_addresses_only),
	    cmocka_unit_test(filter6_with_too_many_passes_every_na),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
