/* Unit tests for the gratuitous ARP builder (src/core/frame.c), conformance 51. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_garp_bytes),
	    cmocka_unit_test(test_garp_rejects),
	};
	return cmocka_run_group_tests_name("garp", tests, NULL, NULL);
}
