/* Unit tests for core/hostres.c: host name syntax, getent's answer, the
 * one-name cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "core/hostres.h"

static void names(void **state)
{
	char long_label[80], long_name[300];

	(void)state;
	assert_true(hostres_name_ok("mail.example.com"));
	assert_true(hostres_name_ok("mail.example.com."));
	assert_true(hostres_name_ok("localhost"));
	assert_true(hostres_name_ok("smtp-relay01.corp_net.example"));
	assert_true(hostres_name_ok("1and1.example"));
	assert_false(hostres_name_ok(""));
	assert_false(hostres_name_ok("."));
	assert_false(hostres_name_ok("-mail.example.com")); /* getent would see an option */
	assert_false(hostres_name_ok("mail-.example.com"));
	assert_false(hostres_name_ok("mail..example.com"));
	assert_false(hostres_name_ok(".example.com"));
	assert_false(hostres_name_ok("mail example.com"));
	assert_false(hostres_name_ok("mail/example"));
	assert_false(hostres_name_ok("192.0.2.300")); /* a mistyped address */
	assert_false(hostres_name_ok("2001:db8::zz"));
	memset(long_label, 'a', 64);
	long_label[64] = '\0';
	assert_false(hostres_name_ok(long_label));
	long_label[63] = '\0';
	assert_true(hostres_name_ok(long_label));
	/* 4 labels of 63 and a dot each: 255 characters, too long. */
	for (int k = 0; k < 4; k++) {
		memcpy(long_name + 64 * k, long_label, 63);
		long_name[64 * k + 63] = '.';
	}
	long_name[255] = '\0';
	assert_false(hostres_name_ok(long_name));
	long_name[253] = '\0'; /* 253 characters, the last an 'a' */
	assert_true(hostres_name_ok(long_name));
}

static void getent_output(void **state)
{
	const char *out = "2001:db8::25    STREAM mail.example.com\n"
			  "2001:db8::25    DGRAM  \n"
			  "2001:db8::25    RAW    \n"
			  "192.0.2.25      STREAM \n"
			  "192.0.2.25      DGRAM  \n"
			  "192.0.2.25      RAW    \n"
			  "fe80::1%eth0    STREAM \n"
			  "garbage line\n"
			  "\n"
			  "198.51.100.25   STREAM";
	struct vaddr a[HOSTRES_ADDRS_MAX];
	char s[ADDR_STRLEN];
	size_t n;

	(void)state;
	n = hostres_parse_getent(out, strlen(out), a, HOSTRES_ADDRS_MAX);
	assert_int_equal(n, 3);
	assert_string_equal(addr_str(&a[0], s), "2001:db8::25"); /* the order given */
	assert_string_equal(addr_str(&a[1], s), "192.0.2.25");
	assert_string_equal(addr_str(&a[2], s), "198.51.100.25"); /* no final newline */
	/* At most MAX. */
	assert_int_equal(hostres_parse_getent(out, strlen(out), a, 1), 1);
	assert_string_equal(addr_str(&a[0], s), "2001:db8::25");
	/* Nothing useful. */
	assert_int_equal(hostres_parse_getent("", 0, a, HOSTRES_ADDRS_MAX), 0);
	assert_int_equal(hostres_parse_getent("\n\n  \n", 5, a, HOSTRES_ADDRS_MAX), 0);
	/* LEN is obeyed: the second line is cut off. */
	assert_int_equal(hostres_parse_getent("192.0.2.1 STREAM\n192.0.2.2 STREAM\n", 17, a, 8), 1);
	/* A very long first word is skipped, not cut. */
	char big[200];

	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(hostres_parse_getent(big, strlen(big), a, 8), 0);
}

static void cache(void **state)
{
	struct hostres_cache c;
	struct vaddr a[2];
	const vtime_t t0 = 1000 * VTIME_SEC;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(addr_parse("192.0.2.25", &a[0]), 0);
	assert_int_equal(addr_parse("2001:db8::25", &a[1]), 0);
	assert_int_equal(hostres_cache_get(&c, "mail.example.com", t0), HOSTRES_MISS);
	hostres_cache_put(&c, "mail.example.com", a, 2, t0);
	assert_int_equal(hostres_cache_get(&c, "mail.example.com", t0), HOSTRES_OK);
	assert_int_equal(c.n, 2);
	assert_true(addr_eq(&c.addr[1], &a[1]));
	assert_int_equal(hostres_cache_get(&c, "mail.example.com", t0 + HOSTRES_TTL_OK - 1),
			 HOSTRES_OK);
	assert_int_equal(hostres_cache_get(&c, "mail.example.com", t0 + HOSTRES_TTL_OK),
			 HOSTRES_MISS);
	/* Another name (a reload changed smtp_server) is a miss. */
	assert_int_equal(hostres_cache_get(&c, "relay.example.com", t0), HOSTRES_MISS);
	/* A clock going back does not keep an entry forever. */
	assert_int_equal(hostres_cache_get(&c, "mail.example.com", t0 - 1), HOSTRES_MISS);
	/* A failure replaces it, for a shorter time. */
	hostres_cache_fail(&c, "mail.example.com", "timed out after 3 s", t0 + 5);
	assert_int_equal(hostres_cache_get(&c, "mail.example.com", t0 + 5), HOSTRES_FAIL);
	assert_string_equal(c.why, "timed out after 3 s");
	assert_int_equal(c.n, 0);
	assert_int_equal(hostres_cache_get(&c, "mail.example.com", t0 + 5 + HOSTRES_TTL_FAIL),
			 HOSTRES_MISS);
	/* No addresses: nothing stored. */
	hostres_cache_put(&c, "mail.example.com", a, 0, t0);
	assert_int_equal(hostres_cache_get(&c, "mail.example.com", t0), HOSTRES_MISS);
	hostres_cache_put(&c, "mail.example.com", a, 1, t0);
	hostres_cache_clear(&c);
	assert_int_equal(hostres_cache_get(&c, "mail.example.com", t0), HOSTRES_MISS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(names),
	    cmocka_unit_test(getent_output),
	    cmocka_unit_test(cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
