/* hostres: host name syntax, getent's answer, a one-name cache. */
#include "core/hostres.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool hostres_name_ok(const char *name)
{
	size_t len = strlen(name), label = 0;
	bool other = false; /* something besides digits and dots */

	if (len && name[len - 1] == '.')
		len--;
	if (!len || len > 253)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch == '.') {
			if (!label || name[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum(ch) && ch != '-' && ch != '_')
			return false;
		if (ch == '-' && !label)
			return false;
		if (++label > 63)
			return false;
		if (!isdigit(ch))
			other = true;
	}
	return name[len - 1] != '-' && other;
}

/* The first word of the line [P, END) into W (empty when too long). */
static void first_word(const char *p, const char *end, char *w, size_t wlen)
{
	size_t n = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p < end && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
		if (n + 1 >= wlen) {
			n = 0;
			break;
		}
		w[n++] = *p++;
	}
	w[n] = '\0';
}

size_t hostres_parse_getent(const char *out, size_t len, struct vaddr *addrs, size_t max)
{
	const char *p = out, *end = out + len;
	size_t n = 0;

	while (p < end && n < max) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		const char *le = e ? e : end;
		char w[64];
		struct vaddr a;
		bool dup = false;

		first_word(p, le, w, sizeof(w));
		p = e ? e + 1 : end;
		if (!w[0] || addr_parse(w, &a) < 0)
			continue;
		for (size_t k = 0; k < n && !dup; k++)
			dup = addr_eq(&addrs[k], &a);
		if (!dup)
			addrs[n++] = a;
	}
	return n;
}

enum hostres_hit hostres_cache_get(const struct hostres_cache *c, const char *name, vtime_t now)
{
	if (!c->name[0] || strcmp(c->name, name) || now < c->at || now >= c->until)
		return HOSTRES_MISS;
	return c->failed ? HOSTRES_FAIL : HOSTRES_OK;
}

static bool cache_set_name(struct hostres_cache *c, const char *name, vtime_t now, vtime_t ttl)
{
	hostres_cache_clear(c);
	if (strlen(name) > HOSTRES_NAME_MAX)
		return false; /* never cached: always a miss */
	strcpy(c->name, name);
	c->at = now;
	c->until = now + ttl;
	return true;
}

void hostres_cache_put(struct hostres_cache *c, const char *name, const struct vaddr *addrs,
		       size_t n, vtime_t now)
{
	if (!n || !cache_set_name(c, name, now, HOSTRES_TTL_OK))
		return;
	if (n > HOSTRES_ADDRS_MAX)
		n = HOSTRES_ADDRS_MAX;
	memcpy(c->addr, addrs, n * sizeof(*addrs));
	c->n = n;
}

void hostres_cache_fail(struct hostres_cache *c, const char *name, const char *why, vtime_t now)
{
	if (!cache_set_name(c, name, now, HOSTRES_TTL_FAIL))
		return;
	c->failed = true;
	snprintf(c->why, sizeof(c->why), "%s", why);
}

void hostres_cache_clear(struct hostres_cache *c)
{
	memset(c, 0, sizeof(*c));
}
