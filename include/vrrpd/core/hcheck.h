/* hcheck: the pure protocol parts of the built-in health checks
 * (vrrp_check): the http:// URL of an HTTP check, the request it sends and
 * the verdict on the response, ICMP echo requests and replies, and the
 * verdicts on a MySQL / MariaDB check's answers (its query's first value,
 * the replica's status row).
 *
 * Promises: pure (no I/O, no allocation, no clock); every parser takes a
 * length and reads nothing past it; a response is judged on at most the
 * bytes given, so the caller bounds the read (HCHECK_HTTP_MAX). */
#ifndef VRRPD_HCHECK_H
#define VRRPD_HCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"

#define HCHECK_HTTP_MAX 65536 /* bytes of a response read, at most */
#define HCHECK_HOST_MAX 64    /* an address literal, with brackets */
#define HCHECK_PATH_MAX 512
#define HCHECK_BODY_MAX 256 /* the body substring of an HTTP check */
#define HCHECK_ICMP_LEN 64  /* bytes of an echo request: header and payload */
#define HCHECK_ICMP_HDR 8

/* http://ADDRESS[:PORT][/PATH] or https://...: ADDRESS is an IPv4 literal
 * or an IPv6 one in brackets (no name: resolving would block the loop). */
struct hcheck_url {
	bool tls; /* https:// */
	struct vaddr addr;
	uint16_t port;		    /* default 80, 443 for https */
	char host[HCHECK_HOST_MAX]; /* as written, for the Host header */
	char path[HCHECK_PATH_MAX]; /* "/" when none; no spaces or controls */
};

/* Parses URL into U; false with a reason in WHY (e.g. "the host must be
 * an IPv4 address...") otherwise. */
bool hcheck_url_parse(const char *url, struct hcheck_url *u, char *why, size_t whylen);

/* The request: "GET PATH HTTP/1.1", Host, Connection: close, a
 * User-Agent. Returns its length, or 0 when it does not fit BUF. */
size_t hcheck_http_request(const struct hcheck_url *u, char *buf, size_t len);
/* The same with HOST in the Host header instead of u->host (an https
 * check's sni name). */
size_t hcheck_http_request_host(const struct hcheck_url *u, const char *host, char *buf,
				size_t len);

enum hcheck_http_verdict {
	HCHECK_HTTP_MORE,   /* not decided yet: read more (or EOF decides) */
	HCHECK_HTTP_OK,	    /* the status is the one expected, and the body matches */
	HCHECK_HTTP_FAILED, /* decided: a wrong status, no match, not HTTP */
};

/* Judges the LEN bytes of a response read so far. EXPECT: the status
 * wanted; BODY: a substring the body must hold, or NULL / "" for none.
 * EOF: nothing more will come (the peer closed, or HCHECK_HTTP_MAX
 * bytes were read), so MORE is never returned. WHY says what was found
 * ("status 503", "body does not contain 'ok'"). */
enum hcheck_http_verdict hcheck_http_judge(const char *buf, size_t len, unsigned expect,
					   const char *body, bool eof, char *why, size_t whylen);

/* The Internet checksum (RFC 1071) of LEN bytes. */
uint16_t hcheck_cksum(const void *buf, size_t len);

/* An echo request of HCHECK_ICMP_LEN bytes into BUF (at least that long):
 * type 8 (v4) or 128 (v6), ID, SEQ, a payload that names vrrpd. The v4
 * checksum is filled in; the kernel fills the v6 one. */
size_t hcheck_icmp_build(uint8_t *buf, bool v6, uint16_t id, uint16_t seq);

/* True when the LEN bytes are an echo reply to SEQ (and, when CHECK_ID,
 * to ID: a datagram ICMP socket rewrites the ID, so it cannot be matched).
 * RAW4: the bytes start with an IPv4 header (a raw IPv4 socket). */
bool hcheck_icmp_is_reply(const uint8_t *buf, size_t len, bool v6, bool raw4, bool check_id,
			  uint16_t id, uint16_t seq);

/* The MySQL check's strings (struct conf_mysql). */
#define HCHECK_MYSQL_USER_MAX  128 /* a user name, with its NUL */
#define HCHECK_MYSQL_PASS_MAX  256
#define HCHECK_MYSQL_DB_MAX    128
#define HCHECK_MYSQL_QUERY_MAX 512
#define HCHECK_MYSQL_SOCK_MAX  108 /* sun_path */

/* The verdict on a MySQL check's query. HAS_RESULT: it returned a result
 * set (a statement such as DO 1 returns none, and is good when it ran);
 * HAS_ROW: the set has a row, whose first value is V (NULL for SQL NULL).
 * Good when there is no result set, or the first value is not NULL, not
 * empty and not a number equal to 0 (so "SELECT @@read_only = 0" checks a
 * writable server); no row is a failure. WHY says what was found. */
bool hcheck_mysql_value_ok(bool has_result, bool has_row, const char *v, char *why, size_t whylen);

/* The verdict on a replica's SHOW REPLICA STATUS (SHOW SLAVE STATUS): N
 * columns named NAMES, the first row's values VALS (NULL for SQL NULL),
 * HAS_ROW false when the server returned no row (it is not a replica).
 * Good when Seconds_Behind_Master (MySQL 8's Seconds_Behind_Source) is a
 * number of at most MAX_LAG; NULL (replication stopped or broken) is a
 * failure, as are no row and no such column. WHY says what was found, with
 * Slave_IO_Running / Slave_SQL_Running when replication is not running. */
bool hcheck_mysql_lag_ok(const char *const *names, const char *const *vals, size_t n, bool has_row,
			 uint32_t max_lag, char *why, size_t whylen);

#endif
