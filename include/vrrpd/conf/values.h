/* conf_values: the value types of keepalived's grammar. Private to
 * src/conf/ and its tests.
 *
 * Promises: the conf_parse_* functions are pure (a string in, a value or
 * false out). The conf_val_* functions parse a statement's first argument
 * (its count already checked by the engine) or a given token, report a bad
 * value as an error at that token in the words users see in the manual
 * ("priority must be a number from 1 to 255, got '0'"), and write OUT
 * only when the value is good. */
#ifndef VRRPD_CONF_VALUES_H
#define VRRPD_CONF_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/parse.h"

/* ---- pure ---- */

/* Decimal digits only, MIN..MAX. */
bool conf_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out);
/* An optional sign, then digits, MIN..MAX. */
bool conf_parse_int(const char *s, long min, long max, long *out);

enum { CONF_FIX_OK = 0, CONF_FIX_SYNTAX = -1, CONF_FIX_PRECISION = -2, CONF_FIX_RANGE = -3 };
/* "D[.D]" as a number scaled by 10^SCALE, at most MAX. Returns CONF_FIX_*. */
int conf_parse_fixed(const char *s, unsigned scale, uint64_t max, uint64_t *out);
/* true/yes/on, false/no/off (any case). */
bool conf_parse_bool(const char *s, bool *out);
/* global, site, link, host, nowhere, or 0..255. */
bool conf_parse_scope(const char *s, uint8_t *out);
/* Letters, digits and -._:[] only, 1..255 characters. */
bool conf_host_name_ok(const char *h);
/* A number as ip(8) reads one: 0x... hexadecimal, 0... octal, else
 * decimal; at most UINT32_MAX. */
bool conf_parse_u32_base0(const char *s, uint32_t *out);
/* A routing table: main, default, local, or 0..4294967295. The main table
 * (254, "main", and 0, which the kernel takes for main) is 0. */
bool conf_parse_table(const char *s, uint32_t *out);
/* What the kernel accepts as an interface name (dev_valid_name): 1..15
 * characters, not "." or "..", no '/', ':' or white space. */
bool conf_ifname_valid(const char *s);

/* ---- a statement's first argument ---- */

bool conf_val_uint(struct conf_parser *p, const struct conf_stmt *s, unsigned long min,
		   unsigned long max, unsigned long *out);
/* Seconds with up to SCALE decimals, 0..MAX_S, returned scaled. */
bool conf_val_secs(struct conf_parser *p, const struct conf_stmt *s, unsigned scale, unsigned max_s,
		   uint64_t *out);
/* Seconds with millisecond resolution, 0.001..86400, in ms. */
bool conf_val_period(struct conf_parser *p, const struct conf_stmt *s, uint32_t *out_ms);
/* No argument means true. */
bool conf_val_bool(struct conf_parser *p, const struct conf_stmt *s, bool *out);
/* A keyword that is on when written (nopreempt, accept...): keepalived
 * ignores any argument, so does this, with a warning unless it is a true
 * value. */
void conf_val_flag(struct conf_parser *p, const struct conf_stmt *s);

/* The GARP timing keywords (vrrp_garp_* in global_defs, garp_* in an
 * instance). */
enum conf_garp_kw {
	CONF_GARP_DELAY,
	CONF_GARP_REPEAT,
	CONF_GARP_REFRESH,
	CONF_GARP_REFRESH_REPEAT,
	CONF_GARP_INTERVAL,
	CONF_GARP_NA_INTERVAL, /* vrrp_gna_interval / gna_interval: the same for NAs */
	CONF_GARP_LOWER_DELAY, /* garp_lower_prio_delay */
	CONF_GARP_LOWER_REPEAT /* garp_lower_prio_repeat */
};
#define CONF_GARP_KW_N (CONF_GARP_LOWER_REPEAT + 1)
bool conf_val_garp(struct conf_parser *p, const struct conf_stmt *s, enum conf_garp_kw k,
		   struct conf_garp *g);

/* ---- a token ---- */

/* WHAT names it in messages ("interface name"). */
bool conf_check_ifname(struct conf_parser *p, const struct conf_tok *t, const char *what);
/* An address keepalived would take (any word) that can go into an SMTP
 * command and a header: 1..255 characters, no blank, control character,
 * '<' or '>'. */
bool conf_email_ok(const char *s);
/* conf_email_ok(), else a warning at T (the address is then not used). */
bool conf_check_email(struct conf_parser *p, const struct conf_tok *t);
/* A command line as script.c will run it; KW names the keyword. */
bool conf_check_cmd(struct conf_parser *p, const struct conf_tok *t, const char *kw);
/* USER [GROUP], names or numbers, into U. HINT (may be NULL) is appended to
 * "unknown user". With MISSING, a user or group that does not exist is a
 * warning and sets *MISSING (the caller disables what would run as it, as
 * keepalived does); without, an error. */
bool conf_resolve_user(struct conf_parser *p, const struct conf_tok *user,
		       const struct conf_tok *group, const char *hint, struct conf_user *u,
		       bool *missing);
/* "ADDR[/PREFIX]"; PREFIX defaults to the whole address. */
bool conf_parse_addr_prefix(struct conf_parser *p, const struct conf_tok *t, struct vaddr *a,
			    uint8_t *prefix);

#endif
