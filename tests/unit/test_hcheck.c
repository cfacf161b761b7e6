/* Unit tests for core/hcheck: the URL of an HTTP check, its request, the
 * verdict on a response, the ICMP echo codec, and the MySQL check's
 * verdicts (the query's first value, the replica's status row). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "core/hcheck.h"

static void url_forms(void **state)
{
	struct hcheck_url u;
	char why[128];

	(void)state;
	assert_true(hcheck_url_parse("http://192.0.2.10", &u, why, sizeof(why)));
	assert_int_equal(u.port, 80);
	assert_string_equal(u.path, "/");
	assert_string_equal(u.host, "192.0.2.10");
	assert_int_equal(u.addr.family, AF_INET);
	assert_true(hcheck_url_parse("http://192.0.2.10:8080/health?x=1", &u, why, sizeof(why)));
	assert_int_equal(u.port, 8080);
	assert_string_equal(u.path, "/health?x=1");
	assert_string_equal(u.host, "192.0.2.10:8080");
	assert_true(hcheck_url_parse("http://[2001:db8::1]:81/a", &u, why, sizeof(why)));
	assert_int_equal(u.addr.family, AF_INET6);
	assert_int_equal(u.port, 81);
	assert_string_equal(u.host, "[2001:db8::1]:81");
	assert_true(hcheck_url_parse("http://[2001:db8::1]/", &u, why, sizeof(why)));
	assert_int_equal(u.port, 80);
}

static void url_refused(void **state)
{
	struct hcheck_url u;
	char why[128];

	(void)state;
	assert_false(hcheck_url_parse("ftp://192.0.2.1/", &u, why, sizeof(why)));
	assert_non_null(strstr(why, "https://"));
	assert_false(hcheck_url_parse("https://www.example.com/", &u, why, sizeof(why)));
	assert_false(hcheck_url_parse("http://www.example.com/", &u, why, sizeof(why)));
	assert_non_null(strstr(why, "address"));
	assert_false(hcheck_url_parse("http://2001:db8::1/", &u, why, sizeof(why)));
	assert_false(hcheck_url_parse("http://[192.0.2.1]/", &u, why, sizeof(why)));
	assert_false(hcheck_url_parse("http://192.0.2.1:0/", &u, why, sizeof(why)));
	assert_false(hcheck_url_parse("http://192.0.2.1:65536/", &u, why, sizeof(why)));
	assert_false(hcheck_url_parse("http://192.0.2.1:8x/", &u, why, sizeof(why)));
	assert_false(hcheck_url_parse("http://192.0.2.1:/", &u, why, sizeof(why)));
	assert_false(hcheck_url_parse("http:///", &u, why, sizeof(why)));
	assert_false(hcheck_url_parse("http://[2001:db8::1/", &u, why, sizeof(why)));
	assert_false(hcheck_url_parse("http://192.0.2.1/a\tb", &u, why, sizeof(why)));
}

static void request_has_host_and_close(void **state)
{
	struct hcheck_url u;
	char why[128], buf[1024], tiny[16];

	(void)state;
	assert_true(hcheck_url_parse("http://192.0.2.10:8080/hc", &u, why, sizeof(why)));
	size_t n = hcheck_http_request(&u, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(n, strlen(buf));
	assert_int_equal(strncmp(buf, "GET /hc HTTP/1.1\r\n", 18), 0);
	assert_non_null(strstr(buf, "\r\nHost: 192.0.2.10:8080\r\n"));
	assert_non_null(strstr(buf, "\r\nConnection: close\r\n"));
	assert_int_equal(strcmp(buf + n - 4, "\r\n\r\n"), 0);
	assert_int_equal(hcheck_http_request(&u, tiny, sizeof(tiny)), 0);
}

/* https:// URLs: port 443 by default; the Host header may be another name
 * (an https check's sni). */
static void url_https(void **state)
{
	struct hcheck_url u;
	char why[128], buf[1024];

	(void)state;
	assert_true(hcheck_url_parse("https://192.0.2.10/readyz", &u, why, sizeof(why)));
	assert_true(u.tls);
	assert_int_equal(u.port, 443);
	assert_string_equal(u.host, "192.0.2.10");
	assert_string_equal(u.path, "/readyz");
	assert_true(hcheck_url_parse("https://[2001:db8::1]:6443", &u, why, sizeof(why)));
	assert_true(u.tls);
	assert_int_equal(u.port, 6443);
	assert_string_equal(u.path, "/");
	assert_true(hcheck_url_parse("http://192.0.2.10/", &u, why, sizeof(why)));
	assert_false(u.tls);
	assert_int_equal(u.port, 80);
	assert_true(hcheck_url_parse("https://192.0.2.10:6443/livez", &u, why, sizeof(why)));
	assert_true(hcheck_http_request_host(&u, "api.example:6443", buf, sizeof(buf)) > 0);
	assert_int_equal(strncmp(buf, "GET /livez HTTP/1.1\r\n", 20), 0);
	assert_non_null(strstr(buf, "\r\nHost: api.example:6443\r\n"));
	assert_null(strstr(buf, "192.0.2.10"));
}

#define JUDGE(s, st, body, eof) hcheck_http_judge(s, strlen(s), st, body, eof, why, sizeof(why))

static void judge_status(void **state)
{
	char why[128];

	(void)state;
	assert_int_equal(JUDGE("HTTP/1.0 200 OK\r\n\r\n", 200, NULL, false), HCHECK_HTTP_OK);
	assert_int_equal(JUDGE("HTTP/1.1 200\r\n", 200, "", false), HCHECK_HTTP_OK);
	assert_int_equal(JUDGE("HTTP/1.1 503 Busy\r\n\r\n", 200, NULL, false), HCHECK_HTTP_FAILED);
	assert_string_equal(why, "status 503");
	assert_int_equal(JUDGE("HTTP/1.1 204 \r\n", 204, NULL, false), HCHECK_HTTP_OK);
	/* not enough yet, then EOF decides */
	assert_int_equal(JUDGE("HTTP/1.1 20", 200, NULL, false), HCHECK_HTTP_MORE);
	assert_int_equal(JUDGE("HTTP/1.1 20", 200, NULL, true), HCHECK_HTTP_FAILED);
	assert_int_equal(JUDGE("HTT", 200, NULL, false), HCHECK_HTTP_MORE);
	assert_int_equal(JUDGE("", 200, NULL, true), HCHECK_HTTP_FAILED);
	assert_string_equal(why, "empty response");
	/* not HTTP at all */
	assert_int_equal(JUDGE("SSH-2.0-OpenSSH\r\n", 200, NULL, false), HCHECK_HTTP_FAILED);
	assert_int_equal(JUDGE("HTTP/1.1 2000 OK\r\n", 200, NULL, false), HCHECK_HTTP_FAILED);
	assert_int_equal(JUDGE("HTTP/1.1 abc OK\r\n", 200, NULL, false), HCHECK_HTTP_FAILED);
	assert_int_equal(JUDGE("HTTP/1.1 042 OK\r\n", 42, NULL, false), HCHECK_HTTP_FAILED);
}

static void judge_body(void **state)
{
	char why[128];
	const char *r = "HTTP/1.1 200 OK\r\nX-State: ready\r\n\r\nstate=ready\n";

	(void)state;
	assert_int_equal(JUDGE(r, 200, "ready", false), HCHECK_HTTP_OK);
	assert_int_equal(JUDGE(r, 200, "state=ready", true), HCHECK_HTTP_OK);
	/* a header alone does not match the body */
	assert_int_equal(JUDGE("HTTP/1.1 200 OK\r\nX: ready\r\n\r\nno", 200, "ready", false),
			 HCHECK_HTTP_MORE);
	assert_int_equal(JUDGE("HTTP/1.1 200 OK\r\nX: ready\r\n\r\nno", 200, "ready", true),
			 HCHECK_HTTP_FAILED);
	assert_non_null(strstr(why, "body does not contain 'ready'"));
	/* headers not complete yet */
	assert_int_equal(JUDGE("HTTP/1.1 200 OK\r\nX: 1\r\n", 200, "ready", false),
			 HCHECK_HTTP_MORE);
	/* the wrong status fails at once, whatever the body */
	assert_int_equal(JUDGE("HTTP/1.1 500 E\r\n\r\nready", 200, "ready", false),
			 HCHECK_HTTP_FAILED);
	/* binary bytes before the match are fine: the length counts, not NULs */
	const char bin[] = "HTTP/1.1 200 OK\r\n\r\n\0\0ready";
	assert_int_equal(
	    hcheck_http_judge(bin, sizeof(bin) - 1, 200, "ready", true, why, sizeof(why)),
	    HCHECK_HTTP_OK);
}

static void icmp_roundtrip_v4(void **state)
{
	uint8_t req[HCHECK_ICMP_LEN], rep[20 + HCHECK_ICMP_LEN];

	(void)state;
	assert_int_equal(hcheck_icmp_build(req, false, 0x1234, 7), HCHECK_ICMP_LEN);
	assert_int_equal(req[0], 8);
	assert_int_equal(hcheck_cksum(req, sizeof(req)), 0); /* the checksum is right */
	/* a request is not a reply */
	assert_false(hcheck_icmp_is_reply(req, sizeof(req), false, false, true, 0x1234, 7));
	/* the reply a datagram socket gives: no IP header */
	memcpy(rep, req, sizeof(req));
	rep[0] = 0;
	rep[2] = rep[3] = 0;
	uint16_t c = hcheck_cksum(rep, HCHECK_ICMP_LEN);
	rep[2] = (uint8_t)(c >> 8);
	rep[3] = (uint8_t)c;
	assert_true(hcheck_icmp_is_reply(rep, HCHECK_ICMP_LEN, false, false, true, 0x1234, 7));
	assert_false(hcheck_icmp_is_reply(rep, HCHECK_ICMP_LEN, false, false, true, 0x1234, 8));
	assert_false(hcheck_icmp_is_reply(rep, HCHECK_ICMP_LEN, false, false, true, 0x1235, 7));
	assert_true(hcheck_icmp_is_reply(rep, HCHECK_ICMP_LEN, false, false, false, 0x9999, 7));
	assert_false(hcheck_icmp_is_reply(rep, 7, false, false, false, 0, 7)); /* short */
	rep[10] ^= 1;							       /* corrupt */
	assert_false(hcheck_icmp_is_reply(rep, HCHECK_ICMP_LEN, false, false, true, 0x1234, 7));
	rep[10] ^= 1;
	/* what a raw socket gives: an IPv4 header first */
	uint8_t raw[20 + HCHECK_ICMP_LEN] = {0x45};
	memcpy(raw + 20, rep, HCHECK_ICMP_LEN);
	assert_true(hcheck_icmp_is_reply(raw, sizeof(raw), false, true, true, 0x1234, 7));
	raw[0] = 0x4f; /* header longer than the packet */
	assert_false(hcheck_icmp_is_reply(raw, 40, false, true, true, 0x1234, 7));
	raw[0] = 0x44; /* IHL below 5 */
	assert_false(hcheck_icmp_is_reply(raw, sizeof(raw), false, true, true, 0x1234, 7));
	assert_false(hcheck_icmp_is_reply(raw, 10, false, true, true, 0x1234, 7));
}

static void icmp_v6(void **state)
{
	uint8_t b[HCHECK_ICMP_LEN];

	(void)state;
	hcheck_icmp_build(b, true, 1, 2);
	assert_int_equal(b[0], 128);
	assert_int_equal(b[2] | b[3], 0); /* the kernel fills the checksum */
	assert_false(hcheck_icmp_is_reply(b, sizeof(b), true, false, false, 1, 2));
	b[0] = 129;
	assert_true(hcheck_icmp_is_reply(b, sizeof(b), true, false, false, 1, 2));
	assert_false(hcheck_icmp_is_reply(b, sizeof(b), true, false, false, 1, 3));
	b[0] = 0; /* a v4 reply type is no v6 reply */
	assert_false(hcheck_icmp_is_reply(b, sizeof(b), true, false, false, 1, 2));
}

static void cksum_odd_length(void **state)
{
	const uint8_t b[3] = {0x01, 0x02, 0x03};

	(void)state;
	/* 0x0102 + 0x0300 = 0x0402 -> ~ = 0xfbfd */
	assert_int_equal(hcheck_cksum(b, 3), 0xfbfd);
}

static void mysql_value(void **state)
{
	char why[128];

	(void)state;
	assert_true(hcheck_mysql_value_ok(false, false, NULL, why, sizeof(why)));
	assert_string_equal(why, "the query ran");
	assert_true(hcheck_mysql_value_ok(true, true, "1", why, sizeof(why)));
	assert_string_equal(why, "the query returned '1'");
	assert_true(hcheck_mysql_value_ok(true, true, "ON", why, sizeof(why)));
	assert_true(hcheck_mysql_value_ok(true, true, "0x", why, sizeof(why)));
	assert_true(hcheck_mysql_value_ok(true, true, "10", why, sizeof(why)));
	/* zero, empty, NULL, no row: failures */
	assert_false(hcheck_mysql_value_ok(true, true, "0", why, sizeof(why)));
	assert_string_equal(why, "the query returned '0'");
	assert_false(hcheck_mysql_value_ok(true, true, "0.000", why, sizeof(why)));
	assert_false(hcheck_mysql_value_ok(true, true, "-0", why, sizeof(why)));
	assert_false(hcheck_mysql_value_ok(true, true, "", why, sizeof(why)));
	assert_false(hcheck_mysql_value_ok(true, true, NULL, why, sizeof(why)));
	assert_string_equal(why, "the query returned NULL");
	assert_false(hcheck_mysql_value_ok(true, false, NULL, why, sizeof(why)));
	assert_string_equal(why, "the query returned no row");
}

static void mysql_lag(void **state)
{
	const char *names[] = {"Slave_IO_State", "Slave_IO_Running", "Slave_SQL_Running",
			       "Seconds_Behind_Master"};
	const char *vals[] = {"Waiting for master", "Yes", "Yes", "3"};
	char why[160];

	(void)state;
	assert_true(hcheck_mysql_lag_ok(names, vals, 4, true, 3, why, sizeof(why)));
	assert_string_equal(why, "replication lag 3 s (at most 3)");
	assert_false(hcheck_mysql_lag_ok(names, vals, 4, true, 2, why, sizeof(why)));
	assert_string_equal(why, "replication lag 3 s (at most 2)");
	vals[3] = "0";
	assert_true(hcheck_mysql_lag_ok(names, vals, 4, true, 0, why, sizeof(why)));
	/* stopped: NULL, with the threads' states */
	vals[2] = "No";
	vals[3] = NULL;
	assert_false(hcheck_mysql_lag_ok(names, vals, 4, true, 60, why, sizeof(why)));
	assert_string_equal(
	    why, "replication is not running (Seconds_Behind_Master is NULL; IO Yes, SQL No)");
	/* not a replica: no row */
	assert_false(hcheck_mysql_lag_ok(names, vals, 4, false, 60, why, sizeof(why)));
	assert_string_equal(why, "not a replica (SHOW REPLICA STATUS returned no row)");
	/* MySQL 8's SHOW REPLICA STATUS names */
	const char *n8[] = {"Replica_IO_Running", "Replica_SQL_Running", "Seconds_Behind_Source"};
	const char *v8[] = {"Connecting", "Yes", NULL};
	assert_false(hcheck_mysql_lag_ok(n8, v8, 3, true, 60, why, sizeof(why)));
	assert_string_equal(
	    why,
	    "replication is not running (Seconds_Behind_Source is NULL; IO Connecting, SQL Yes)");
	v8[2] = "12";
	assert_true(hcheck_mysql_lag_ok(n8, v8, 3, true, 60, why, sizeof(why)));
	/* no such column, not a number */
	assert_false(hcheck_mysql_lag_ok(names, vals, 2, true, 60, why, sizeof(why)));
	assert_string_equal(why, "SHOW REPLICA STATUS has no Seconds_Behind_Master");
	v8[2] = "-1";
	assert_false(hcheck_mysql_lag_ok(n8, v8, 3, true, 60, why, sizeof(why)));
	assert_string_equal(why, "Seconds_Behind_Master is not a number");
	v8[2] = "12s";
	assert_false(hcheck_mysql_lag_ok(n8, v8, 3, true, 60, why, sizeof(why)));
	v8[2] = "99999999999999999999999";
	assert_false(hcheck_mysql_lag_ok(n8, v8, 3, true, 60, why, sizeof(why)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(url_forms),
	    cmocka_unit_test(url_refused),
	    cmocka_unit_test(request_has_host_and_close),
	    cmocka_unit_test(url_https),
	    cmocka_unit_test(judge_status),
	    cmocka_unit_test(judge_body),
	    cmocka_unit_test(icmp_roundtrip_v4),
	    cmocka_unit_test(icmp_v6),
	    cmocka_unit_test(cksum_odd_length),
	    cmocka_unit_test(mysql_value),
	    cmocka_unit_test(mysql_lag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
