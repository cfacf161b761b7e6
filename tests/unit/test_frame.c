/* Unit tests for the gratuitous ARP and unsolicited NA builders
 * (src/core/frame.c), conformance 51 and 52. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/frame.h"

static void test_garp_bytes(void **state)
{
	(void)state;
	const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};
	const uint8_t want[FRAME_GARP_LEN] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff,		    /* broadcast */
	    0x02, 0x00, 0x5e, 0x10, 0x20, 0x30,		    /* source: our MAC */
	    0x08, 0x06,					    /* ARP */
	    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, /* Ethernet/IPv4, request */
	    0x02, 0x00, 0x5e, 0x10, 0x20, 0x30,		    /* sender MAC */
	    192,  0,	2,    100,			    /* sender IP = VIP */
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,		    /* target MAC unknown */
	    192,  0,	2,    100,			    /* target IP = VIP */
	};
	uint8_t f[64];
	struct vaddr vip;

	assert_int_equal(addr_parse("192.0.2.100", &vip), 0);
	assert_int_equal(frame_garp(f, sizeof(f), mac, &vip), FRAME_GARP_LEN);
	assert_memory_equal(f, want, FRAME_GARP_LEN);
}

static void test_garp_rejects(void **state)
{
	(void)state;
	const uint8_t mac[6] = {0};
	uint8_t f[64];
	struct vaddr vip;

	assert_int_equal(addr_parse("192.0.2.100", &vip), 0);
	assert_int_equal(frame_garp(f, FRAME_GARP_LEN - 1, mac, &vip), 0);
	assert_int_equal(addr_parse("2001:db8::1", &vip), 0);
	assert_int_equal(frame_garp(f, sizeof(f), mac, &vip), 0);
}

/* The checksums were computed independently (a few lines of Python over
 * the same bytes), not by the code under test. */
static void test_na_bytes(void **state)
{
	(void)state;
	const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};
	const uint8_t vip6[16] = {0x20, 0x01, 0x0d, 0xb8, [14] = 0x01, [15] = 0x00};
	uint8_t want[FRAME_NA_LEN] = {
	    0x33, 0x33, 0x00, 0x00, 0x00, 0x01,		 /* all-nodes multicast MAC */
	    0x02, 0x00, 0x5e, 0x10, 0x20, 0x30,		 /* source: our MAC */
	    0x86, 0xdd,					 /* IPv6 */
	    0x60, 0x00, 0x00, 0x00, 0x00, 32,	58, 255, /* payload 32, ICMPv6, hop limit 255 */
	};
	uint8_t f[128];
	struct vaddr vip;

	memcpy(want + 22, vip6, 16);	  /* IPv6 source: the VIP */
	want[38] = 0xff, want[39] = 0x02; /* destination ff02::1 */
	want[53] = 0x01;
	want[54] = 136;			  /* Neighbour Advertisement, code 0 */
	want[56] = 0x78, want[57] = 0xed; /* checksum */
	want[58] = 0x20;		  /* R = 0, S = 0, O = 1 */
	memcpy(want + 62, vip6, 16);	  /* target */
	want[78] = 2, want[79] = 1;	  /* Target Link-Layer Address, 8 bytes */
	memcpy(want + 80, mac, 6);
	assert_int_equal(addr_parse("2001:db8::100", &vip), 0);
	assert_int_equal(frame_na(f, sizeof(f), mac, &vip, false), FRAME_NA_LEN);
	assert_memory_equal(f, want, FRAME_NA_LEN);
	/* Router flag (a forwarding interface, as keepalived sets it). */
	want[56] = 0xf8, want[57] = 0xec;
	want[58] = 0xa0;
	assert_int_equal(frame_na(f, sizeof(f), mac, &vip, true), FRAME_NA_LEN);
	assert_memory_equal(f, want, FRAME_NA_LEN);
}

static void test_na_rejects(void **state)
{
	(void)state;
	const uint8_t mac[6] = {0};
	uint8_t f[128];
	struct vaddr vip;

	assert_int_equal(addr_parse("2001:db8::1", &vip), 0);
	assert_int_equal(frame_na(f, FRAME_NA_LEN - 1, mac, &vip, false), 0);
	assert_int_equal(addr_parse("192.0.2.1", &vip), 0);
	assert_int_equal(frame_na(f, sizeof(f), mac, &vip, false), 0);
}

static void test_vmac(void **state) /* conformance 50 */
{
	(void)state;
	uint8_t mac[6];
	const uint8_t v4[6] = {0x00, 0x00, 0x5e, 0x00, 0x01, 51};
	const uint8_t v6[6] = {0x00, 0x00, 0x5e, 0x00, 0x02, 255};

	frame_vmac(AF_INET, 51, mac);
	assert_memory_equal(mac, v4, 6);
	frame_vmac(AF_INET6, 255, mac);
	assert_memory_equal(mac, v6, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_garp_bytes), cmocka_unit_test(test_garp_rejects),
	    cmocka_unit_test(test_na_bytes),   cmocka_unit_test(test_na_rejects),
	    cmocka_unit_test(test_vmac),
	};
	return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
