/* conf_values: value parsers, and their messages.
 *
 * How: numbers are parsed by hand (no strtol: no locale, no sign or space
 * surprises, exact ranges); fixed-point seconds are scaled integers, so
 * 0.1 s is exactly 100 ms. Users and groups go through the reentrant
 * getpwnam_r/getgrnam_r; command lines through core/script's parser, the
 * same one that runs them. */
#include "conf/values.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <grp.h>
#include <limits.h>
#include <linux/rtnetlink.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/script.h"

bool conf_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > (ULONG_MAX - 9) / 10)
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* Parses "D[.D]" as a number scaled by 10^SCALE, at most MAX. */
int conf_parse_fixed(const char *s, unsigned scale, uint64_t max, uint64_t *out)
{
	uint64_t ip = 0, frac = 0;
	unsigned nfrac = 0;
	bool digits = false, range = false, precision = false;

	for (; *s >= '0' && *s <= '9'; s++) {
		digits = true;
		if (ip > UINT32_MAX)
			range = true;
		else
			ip = ip * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			digits = true;
			if (nfrac < scale) {
				frac = frac * 10 + (uint64_t)(*s - '0');
				nfrac++;
			} else if (*s != '0') {
				precision = true;
			}
		}
	}
	if (*s || !digits)
		return CONF_FIX_SYNTAX;
	if (range)
		return CONF_FIX_RANGE;
	for (; nfrac < scale; nfrac++)
		frac *= 10;
	for (unsigned k = 0; k < scale; k++)
		ip *= 10;
	if (ip + frac > max)
		return CONF_FIX_RANGE;
	if (precision)
		return CONF_FIX_PRECISION;
	*out = ip + frac;
	return CONF_FIX_OK;
}

bool conf_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1", NULL};
	static const char *const no[] = {"false", "no", "off", "0", NULL};

	for (int k = 0; yes[k]; k++) {
		if (!strcasecmp(s, yes[k])) {
			*out = true;
			return true;
		}
		if (!strcasecmp(s, no[k])) {
			*out = false;
			return true;
		}
	}
	return false;
}

bool conf_parse_int(const char *s, long min, long max, long *out)
{
	unsigned long u;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!conf_parse_uint(s, 0, (unsigned long)LONG_MAX, &u))
		return false;
	if (neg ? (u > (unsigned long)-min) : (u > (unsigned long)max))
		return false;
	*out = neg ? -(long)u : (long)u;
	return *out >= min && *out <= max;
}

bool conf_parse_scope(const char *s, uint8_t *out)
{
	static const struct {
		const char *name;
		uint8_t v;
	} names[] = {{"global", RT_SCOPE_UNIVERSE}, {"site", RT_SCOPE_SITE},
		     {"link", RT_SCOPE_LINK},	    {"host", RT_SCOPE_HOST},
		     {"nowhere", RT_SCOPE_NOWHERE}, {NULL, 0}};
	unsigned long u;

	for (int k = 0; names[k].name; k++) {
		if (!strcmp(s, names[k].name)) {
			*out = names[k].v;
			return true;
		}
	}
	if (conf_parse_uint(s, 0, 255, &u)) {
		*out = (uint8_t)u;
		return true;
	}
	return false;
}

bool conf_host_name_ok(const char *h)
{
	if (!*h || strlen(h) > 255)
		return false;
	for (; *h; h++)
		if (!isalnum((unsigned char)*h) && *h != '-' && *h != '.' && *h != '_' &&
		    *h != ':' && *h != '[' && *h != ']')
			return false;
	return true;
}

bool conf_parse_u32_base0(const char *s, uint32_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		base = 8;
		s++;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return false;
		if (d >= base)
			return false;
		v = v * base + d;
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

bool conf_parse_table(const char *s, uint32_t *out)
{
	unsigned long u;

	if (!strcmp(s, "main"))
		u = RT_TABLE_MAIN;
	else if (!strcmp(s, "default"))
		u = RT_TABLE_DEFAULT;
	else if (!strcmp(s, "local"))
		u = RT_TABLE_LOCAL;
	else if (!conf_parse_uint(s, 0, UINT32_MAX, &u))
		return false;
	*out = u == RT_TABLE_MAIN ? 0 : (uint32_t)u;
	return true;
}

bool conf_ifname_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s))
			return false;
	return true;
}

bool conf_check_ifname(struct conf_parser *p, const struct conf_tok *t, const char *what)
{
	size_t n = strlen(t->text);

	if (n == 0 || n >= IFNAMSIZ) {
		conf_perr(p, t, "%s must be 1 to %d characters long, got '%s'", what, IFNAMSIZ - 1,
			  t->text);
		return false;
	}
	if (strchr(t->text, '/') || strchr(t->text, ' ') || strchr(t->text, '\t') ||
	    !strcmp(t->text, ".") || !strcmp(t->text, "..")) {
		conf_perr(p, t, "'%s' is not a valid %s", t->text, what);
		return false;
	}
	return true;
}

bool conf_val_uint(struct conf_parser *p, const struct conf_stmt *s, unsigned long min,
		   unsigned long max, unsigned long *out)
{
	if (!conf_parse_uint(s->arg[0].text, min, max, out)) {
		conf_perr(p, &s->arg[0], "%s must be a number from %lu to %lu, got '%s'",
			  s->kw->text, min, max, s->arg[0].text);
		return false;
	}
	return true;
}

/* Seconds with up to SCALE decimals, 0..MAX_S seconds, returned scaled. */
bool conf_val_secs(struct conf_parser *p, const struct conf_stmt *s, unsigned scale, unsigned max_s,
		   uint64_t *out)
{
	static const char *const res[] = {"1",	    "0.1",     "0.01",	  "0.001",
					  "0.0001", "0.00001", "0.000001"};
	uint64_t mul = 1;
	int rc;

	for (unsigned k = 0; k < scale; k++)
		mul *= 10;
	rc = conf_parse_fixed(s->arg[0].text, scale, (uint64_t)max_s * mul, out);
	if (rc == CONF_FIX_PRECISION) {
		conf_perr(p, &s->arg[0], "%s has a resolution of %s seconds, got '%s'", s->kw->text,
			  res[scale], s->arg[0].text);
		return false;
	}
	if (rc != CONF_FIX_OK) {
		conf_perr(p, &s->arg[0], "%s must be a number of seconds from 0 to %u, got '%s'",
			  s->kw->text, max_s, s->arg[0].text);
		return false;
	}
	return true;
}

bool conf_val_bool(struct conf_parser *p, const struct conf_stmt *s, bool *out)
{
	if (s->nargs == 0) {
		*out = true;
		return true;
	}
	if (!conf_parse_bool(s->arg[0].text, out)) {
		conf_perr(p, &s->arg[0],
			  "%s takes true or false (or yes/no, on/off, 1/0), got '%s'", s->kw->text,
			  s->arg[0].text);
		return false;
	}
	return true;
}

/* A keyword keepalived turns on whatever follows it. */
void conf_val_flag(struct conf_parser *p, const struct conf_stmt *s)
{
	bool b;

	if (s->nargs == 0 || (conf_parse_bool(s->arg[0].text, &b) && b))
		return;
	conf_pwarn(p, &s->arg[0],
		   "keepalived ignores the '%s' after '%s' and turns %s on; so does vrrpd (delete "
		   "the line to turn it off)",
		   s->arg[0].text, s->kw->text, s->kw->text);
}

/* Seconds with millisecond resolution, 0.001 .. 86400. */
bool conf_val_period(struct conf_parser *p, const struct conf_stmt *s, uint32_t *out_ms)
{
	uint64_t v;

	switch (conf_parse_fixed(s->arg[0].text, 3, 86400000, &v)) {
	case CONF_FIX_OK:
		if (v == 0)
			break;
		*out_ms = (uint32_t)v;
		return true;
	case CONF_FIX_PRECISION:
		conf_perr(p, &s->arg[0], "%s has a resolution of 0.001 seconds, got '%s'",
			  s->kw->text, s->arg[0].text);
		return false;
	default:
		break;
	}
	conf_perr(p, &s->arg[0], "%s must be a number of seconds from 0.001 to 86400, got '%s'",
		  s->kw->text, s->arg[0].text);
	return false;
}

bool conf_val_garp(struct conf_parser *p, const struct conf_stmt *s, enum conf_garp_kw k,
		   struct conf_garp *g)
{
	unsigned long u;
	uint64_t v;

	switch (k) {
	case CONF_GARP_DELAY:
		if (!conf_val_secs(p, s, 3, 3600, &v))
			return false;
		g->master_delay_ms = (uint32_t)v;
		return true;
	case CONF_GARP_REPEAT:
		if (!conf_val_uint(p, s, 1, 255, &u))
			return false;
		g->master_repeat = (uint32_t)u;
		return true;
	case CONF_GARP_REFRESH:
		if (!conf_val_secs(p, s, 3, 86400, &v))
			return false;
		g->master_refresh_ms = (uint32_t)v;
		return true;
	case CONF_GARP_REFRESH_REPEAT:
		if (!conf_val_uint(p, s, 1, 255, &u))
			return false;
		g->master_refresh_repeat = (uint32_t)u;
		return true;
	case CONF_GARP_INTERVAL:
	case CONF_GARP_NA_INTERVAL:
		if (!conf_val_secs(p, s, 6, 10, &v))
			return false;
		*(k == CONF_GARP_INTERVAL ? &g->interval_us : &g->na_interval_us) = (uint32_t)v;
		return true;
	case CONF_GARP_LOWER_DELAY: /* keepalived: whole seconds; 0 = no second burst */
		if (!conf_val_secs(p, s, 3, 3600, &v))
			return false;
		g->lower_delay_ms = (uint32_t)v;
		return true;
	case CONF_GARP_LOWER_REPEAT: /* 0 = off */
		if (!conf_val_uint(p, s, 0, 255, &u))
			return false;
		g->lower_repeat = (uint32_t)u;
		return true;
	}
	return false;
}

bool conf_email_ok(const char *s)
{
	bool ok = s[0] && strlen(s) < 256;

	for (const char *c = s; ok && *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '<' || *c == '>' || *c == 0x7f)
			ok = false;
	return ok;
}

/* An e-mail address as keepalived takes one (any word): what would break
 * an SMTP command or a header is a warning and the address is not used; a
 * local name without a domain is the server's to route. */
bool conf_check_email(struct conf_parser *p, const struct conf_tok *t)
{
	if (!conf_email_ok(t->text)) {
		conf_pwarn(p, t,
			   "'%s' cannot be sent to (blank, control character, '<' or '>'); no "
			   "mail goes to it",
			   t->text);
		return false;
	}
	return true;
}

/* Checks a command line the way script.c will run it. */
bool conf_check_cmd(struct conf_parser *p, const struct conf_tok *t, const char *kw)
{
	struct script_cmd c;
	char e[128];

	if (script_parse(t->text, &c, e, sizeof(e)) < 0) {
		conf_perr(p, t, "invalid command for %s: %s", kw, e);
		return false;
	}
	script_cmd_free(&c);
	return true;
}

/* Resolves USER [GROUP] (names or numbers) into U. */
bool conf_resolve_user(struct conf_parser *p, const struct conf_tok *user,
		       const struct conf_tok *group, const char *hint, struct conf_user *u,
		       bool *missing)
{
	char buf[16384];
	unsigned long num;

	memset(u, 0, sizeof(*u));
	if (strlen(user->text) == 0 || strlen(user->text) >= CONF_NAME_MAX) {
		conf_perr(p, user, "user name must be 1 to %d characters long, got '%s'",
			  CONF_NAME_MAX - 1, user->text);
		return false;
	}
	if (conf_parse_uint(user->text, 0, UINT32_MAX - 1, &num)) {
		struct passwd pw, *res = NULL;

		u->uid = (uid_t)num;
		u->gid = (gid_t)num;
		if (getpwuid_r(u->uid, &pw, buf, sizeof(buf), &res) == 0 && res)
			u->gid = pw.pw_gid;
	} else {
		struct passwd pw, *res = NULL;

		if (getpwnam_r(user->text, &pw, buf, sizeof(buf), &res) != 0 || !res) {
			if (missing) {
				*missing = true;
				conf_pwarn(p, user, "user '%s' does not exist on this host%s",
					   user->text, hint ? hint : "");
			} else {
				conf_perr(p, user, "unknown user '%s'%s", user->text,
					  hint ? hint : "");
			}
			return false;
		}
		u->uid = pw.pw_uid;
		u->gid = pw.pw_gid;
	}
	strcpy(u->name, user->text);
	if (!group)
		return true;
	if (strlen(group->text) == 0 || strlen(group->text) >= CONF_NAME_MAX) {
		conf_perr(p, group, "group name must be 1 to %d characters long, got '%s'",
			  CONF_NAME_MAX - 1, group->text);
		return false;
	}
	if (conf_parse_uint(group->text, 0, UINT32_MAX - 1, &num)) {
		u->gid = (gid_t)num;
	} else {
		struct group gr, *res = NULL;

		if (getgrnam_r(group->text, &gr, buf, sizeof(buf), &res) != 0 || !res) {
			if (missing) {
				*missing = true;
				conf_pwarn(p, group, "group '%s' does not exist on this host%s",
					   group->text, hint ? hint : "");
			} else {
				conf_perr(p, group, "unknown group '%s'", group->text);
			}
			return false;
		}
		u->gid = gr.gr_gid;
	}
	strcpy(u->group, group->text);
	return true;
}

/* Parses "ADDR[/PREFIX]" into A and PREFIX. */
bool conf_parse_addr_prefix(struct conf_parser *p, const struct conf_tok *t, struct vaddr *a,
			    uint8_t *prefix)
{
	char buf[128];
	char *slash;
	unsigned long u;
	unsigned max;

	if (strlen(t->text) >= sizeof(buf)) {
		conf_perr(p, t, "'%s' is not an IPv4 or IPv6 address", t->text);
		return false;
	}
	strcpy(buf, t->text);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (addr_parse(buf, a) < 0) {
		conf_perr(p, t, "'%s' is not an IPv4 or IPv6 address", buf);
		return false;
	}
	max = a->family == AF_INET ? 32 : 128;
	*prefix = (uint8_t)max;
	if (slash) {
		if (!conf_parse_uint(slash + 1, 0, max, &u)) {
			conf_perr(p, t,
				  "prefix length of %s must be a number from 0 to %u, got '%s'",
				  buf, max, slash + 1);
			return false;
		}
		*prefix = (uint8_t)u;
	}
	return true;
}
