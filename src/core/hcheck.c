/* hcheck: URL, HTTP request and verdict, ICMP echo codec. */
#include "core/hcheck.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool hcheck_why(char *why, size_t len, const char *msg)
{
	snprintf(why, len, "%s", msg);
	return false;
}

/* ADDRESS[:PORT] of a URL, LEN bytes at S. */
static bool hcheck_authority(const char *s, size_t len, struct hcheck_url *u, char *why, size_t wl)
{
	char a[HCHECK_HOST_MAX];
	const char *port = NULL;
	size_t alen = len;

	if (len == 0 || len >= sizeof(u->host))
		return hcheck_why(why, wl, "expected an address after the scheme");
	memcpy(u->host, s, len);
	u->host[len] = '\0';
	if (s[0] == '[') {
		const char *e = memchr(s, ']', len);
		if (!e)
			return hcheck_why(why, wl, "an IPv6 address must end with ']'");
		memcpy(a, s + 1, (size_t)(e - s - 1));
		a[e - s - 1] = '\0';
		if ((size_t)(e - s + 1) < len) {
			if (e[1] != ':')
				return hcheck_why(why, wl, "expected ':PORT' after ']'");
			port = e + 2;
		}
	} else {
		const char *c = memchr(s, ':', len);
		if (c) {
			alen = (size_t)(c - s);
			port = c + 1;
		}
		memcpy(a, s, alen);
		a[alen] = '\0';
	}
	if (addr_parse(a, &u->addr) < 0 || (s[0] == '[') != (u->addr.family == AF_INET6))
		return hcheck_why(why, wl,
				  "the host must be an IPv4 address or an IPv6 one in brackets "
				  "(a name would need a resolver that blocks)");
	u->port = u->tls ? 443 : 80;
	if (port) {
		size_t plen = len - (size_t)(port - s);
		unsigned long p = 0;
		if (plen == 0 || plen > 5)
			return hcheck_why(why, wl, "the port must be a number from 1 to 65535");
		for (size_t i = 0; i < plen; i++) {
			if (!isdigit((unsigned char)port[i]))
				return hcheck_why(why, wl,
						  "the port must be a number from 1 to 65535");
			p = p * 10 + (unsigned long)(port[i] - '0');
		}
		if (p == 0 || p > 65535)
			return hcheck_why(why, wl, "the port must be a number from 1 to 65535");
		u->port = (uint16_t)p;
	}
	return true;
}

bool hcheck_url_parse(const char *url, struct hcheck_url *u, char *why, size_t wl)
{
	memset(u, 0, sizeof(*u));
	u->tls = !strncmp(url, "https://", 8);
	if (!u->tls && strncmp(url, "http://", 7))
		return hcheck_why(why, wl, "the URL must start with http:// or https://");
	const char *a = url + (u->tls ? 8 : 7), *slash = strchr(a, '/');
	size_t alen = slash ? (size_t)(slash - a) : strlen(a);
	if (!hcheck_authority(a, alen, u, why, wl))
		return false;
	const char *path = slash ? slash : "/";
	if (strlen(path) >= sizeof(u->path))
		return hcheck_why(why, wl, "the path is too long");
	for (const char *p = path; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return hcheck_why(why, wl,
					  "the path must not hold spaces or control "
					  "characters (write them %-encoded)");
	strcpy(u->path, path);
	return true;
}

size_t hcheck_http_request(const struct hcheck_url *u, char *buf, size_t len)
{
	return hcheck_http_request_host(u, u->host, buf, len);
}

size_t hcheck_http_request_host(const struct hcheck_url *u, const char *host, char *buf, size_t len)
{
	int n = snprintf(buf, len,
			 "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n"
			 "User-Agent: vrrpd-check\r\nAccept: */*\r\n\r\n",
			 u->path, host);
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

/* The status of "HTTP/1.x NNN ..." at the start of BUF, or -1 (not HTTP),
 * or 0 (not enough bytes yet). */
static int hcheck_status(const char *buf, size_t len)
{
	static const char pre[] = "HTTP/";
	size_t i = 0;

	for (; i < len && i < 5; i++)
		if (buf[i] != pre[i])
			return -1;
	for (; i < len && buf[i] != ' '; i++)
		if (!isdigit((unsigned char)buf[i]) && buf[i] != '.')
			return -1;
	if (i + 4 > len)
		return 0;
	int st = 0;
	for (size_t k = i + 1; k < i + 4; k++) {
		if (!isdigit((unsigned char)buf[k]))
			return -1;
		st = st * 10 + (buf[k] - '0');
	}
	if (i + 4 < len && buf[i + 4] != ' ' && buf[i + 4] != '\r' && buf[i + 4] != '\n')
		return -1;
	return st >= 100 ? st : -1;
}

enum hcheck_http_verdict hcheck_http_judge(const char *buf, size_t len, unsigned expect,
					   const char *body, bool eof, char *why, size_t wl)
{
	int st = hcheck_status(buf, len);

	if (st < 0 || (st == 0 && eof)) {
		hcheck_why(why, wl, len ? "the response is not HTTP" : "empty response");
		return HCHECK_HTTP_FAILED;
	}
	if (st == 0)
		return HCHECK_HTTP_MORE;
	snprintf(why, wl, "status %d", st);
	if ((unsigned)st != expect)
		return HCHECK_HTTP_FAILED;
	if (!body || !body[0])
		return HCHECK_HTTP_OK;
	const char *hend = memmem(buf, len, "\r\n\r\n", 4);
	size_t off = hend ? (size_t)(hend - buf) + 4 : 0;
	if (hend && memmem(buf + off, len - off, body, strlen(body)))
		return HCHECK_HTTP_OK;
	if (!eof)
		return HCHECK_HTTP_MORE;
	snprintf(why, wl, "status %d, body does not contain '%.64s'", st, body);
	return HCHECK_HTTP_FAILED;
}

uint16_t hcheck_cksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t hcheck_icmp_build(uint8_t *buf, bool v6, uint16_t id, uint16_t seq)
{
	memset(buf, 0, HCHECK_ICMP_LEN);
	buf[0] = v6 ? 128 : 8;
	buf[4] = (uint8_t)(id >> 8);
	buf[5] = (uint8_t)id;
	buf[6] = (uint8_t)(seq >> 8);
	buf[7] = (uint8_t)seq;
	memcpy(buf + HCHECK_ICMP_HDR, "vrrpd vrrp_check echo", 21);
	if (!v6) {
		uint16_t c = hcheck_cksum(buf, HCHECK_ICMP_LEN);
		buf[2] = (uint8_t)(c >> 8);
		buf[3] = (uint8_t)c;
	}
	return HCHECK_ICMP_LEN;
}

bool hcheck_icmp_is_reply(const uint8_t *buf, size_t len, bool v6, bool raw4, bool check_id,
			  uint16_t id, uint16_t seq)
{
	if (raw4 && !v6) {
		if (len < 20 || (buf[0] >> 4) != 4 || (size_t)(buf[0] & 15) * 4 > len)
			return false;
		size_t ihl = (size_t)(buf[0] & 15) * 4;
		if (ihl < 20)
			return false;
		buf += ihl;
		len -= ihl;
	}
	if (len < HCHECK_ICMP_HDR)
		return false;
	if (buf[0] != (v6 ? 129 : 0) || buf[1] != 0)
		return false;
	if (!v6 && hcheck_cksum(buf, len) != 0)
		return false;
	if (check_id && (uint16_t)(buf[4] << 8 | buf[5]) != id)
		return false;
	return (uint16_t)(buf[6] << 8 | buf[7]) == seq;
}

/* A number equal to 0 ("0", "0.00", "-0", "0e3"), the whole of V. */
static bool hcheck_is_zero(const char *v)
{
	char *end;
	double d = strtod(v, &end);

	return end != v && *end == '\0' && d == 0.0;
}

bool hcheck_mysql_value_ok(bool has_result, bool has_row, const char *v, char *why, size_t whylen)
{
	if (!has_result) {
		snprintf(why, whylen, "the query ran");
		return true;
	}
	if (!has_row)
		return hcheck_why(why, whylen, "the query returned no row");
	if (!v)
		return hcheck_why(why, whylen, "the query returned NULL");
	snprintf(why, whylen, "the query returned '%.64s'", v);
	return v[0] && !hcheck_is_zero(v);
}

/* The value of column NAME, or NULL; *FOUND says whether there is one. */
static const char *hcheck_column(const char *const *names, const char *const *vals, size_t n,
				 const char *name, bool *found)
{
	for (size_t k = 0; k < n; k++)
		if (names[k] && !strcmp(names[k], name)) {
			*found = true;
			return vals[k];
		}
	*found = false;
	return NULL;
}

bool hcheck_mysql_lag_ok(const char *const *names, const char *const *vals, size_t n, bool has_row,
			 uint32_t max_lag, char *why, size_t whylen)
{
	const char *col = "Seconds_Behind_Master";
	bool found;
	const char *v;

	if (!has_row)
		return hcheck_why(why, whylen,
				  "not a replica (SHOW REPLICA STATUS returned no row)");
	v = hcheck_column(names, vals, n, col, &found);
	if (!found) {
		col = "Seconds_Behind_Source";
		v = hcheck_column(names, vals, n, col, &found);
	}
	if (!found)
		return hcheck_why(why, whylen, "SHOW REPLICA STATUS has no Seconds_Behind_Master");
	if (!v) {
		bool f1, f2;
		const char *io = hcheck_column(names, vals, n, "Slave_IO_Running", &f1);
		const char *sql = hcheck_column(names, vals, n, "Slave_SQL_Running", &f2);
		if (!f1)
			io = hcheck_column(names, vals, n, "Replica_IO_Running", &f1);
		if (!f2)
			sql = hcheck_column(names, vals, n, "Replica_SQL_Running", &f2);
		snprintf(why, whylen, "replication is not running (%s is NULL; IO %s, SQL %s)", col,
			 io ? io : "?", sql ? sql : "?");
		return false;
	}
	char *end;
	errno = 0;
	unsigned long long lag = strtoull(v, &end, 10);
	if (end == v || *end || v[0] == '-' || errno)
		return hcheck_why(why, whylen, "Seconds_Behind_Master is not a number");
	snprintf(why, whylen, "replication lag %llu s (at most %u)", lag, (unsigned)max_lag);
	return lag <= max_lag;
}
