/* conf_parse: keepalived keywords -> struct config.
 *
 * How: a recursive-descent walk over the token array from conf_lex. A
 * statement is a keyword, its arguments (the following words on the same
 * line), and an optional { block } (the '{' may also start the next line).
 * Each section has a keyword table; keepalived keywords vrrpd does not
 * implement are skipped with their block and a warning; anything else is an
 * error with a did-you-mean. Values are range-checked here; what depends on
 * other statements (version, families, duplicates) is checked in conf.c. */
#include "conf/parse.h"

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

#include "conf/model.h"
#include "core/script.h"

struct parser {
	const struct conf_toks *t;
	size_t i;
	struct conf_msgs *m;
	struct conf_parse_result *r;
	bool eof_reported;
};

struct stmt {
	const struct conf_tok *kw;
	const struct conf_tok *arg; /* first argument; arguments are contiguous */
	size_t nargs;
	const struct conf_tok *open; /* the '{' when a block follows */
};

/* ---- keepalived keywords that vrrpd knows but does not implement ---- */

static const char *const unimpl_top[] = {
    "virtual_server",	  "virtual_server_group", "static_ipaddress",
    "static_routes",	  "static_rules",	  "linkbeat_interfaces",
    "garp_group",	  "track_file",		  "vrrp_track_file",
    "vrrp_track_process", "track_process",	  "bfd_instance",
    "net_namespace",	  "net_namespace_ipvs",	  "namespace_with_ipsets",
    "instance",		  "use_pid_dir",	  "SSL",
    "child_wait_time",	  "local_address_group",  NULL};

static const char *const unimpl_global[] = {"smtp_alert",
					    "smtp_alert_vrrp",
					    "smtp_alert_checker",
					    "checker_log_all_failures",
					    "no_email_faults",
					    "email_faults",
					    "lvs_id",
					    "lvs_timeouts",
					    "lvs_flush",
					    "lvs_flush_onstop",
					    "lvs_sync_daemon",
					    "lvs_netlink_cmd_rcv_bufs",
					    "lvs_netlink_cmd_rcv_bufs_force",
					    "lvs_netlink_monitor_rcv_bufs",
					    "lvs_netlink_monitor_rcv_bufs_force",
					    "lvs_notify_fifo",
					    "lvs_notify_fifo_script",
					    "dynamic_interfaces",
					    "no_checker_emails",
					    "default_interface",
					    "vrrp_mcast_group4",
					    "vrrp_mcast_group6",
					    "vrrp_garp_lower_prio_delay",
					    "vrrp_garp_lower_prio_repeat",
					    "vrrp_garp_extra_if",
					    "vrrp_gna_interval",
					    "vrrp_min_garp",
					    "vrrp_lower_prio_no_advert",
					    "vrrp_higher_prio_send_advert",
					    "vrrp_iptables",
					    "vrrp_ipsets",
					    "vrrp_nftables",
					    "vrrp_nftables_priority",
					    "vrrp_nftables_ifindex",
					    "vrrp_nftables_counters",
					    "vrrp_check_unicast_src",
					    "vrrp_skip_check_adv_addr",
					    "vrrp_strict",
					    "vrrp_priority",
					    "checker_priority",
					    "bfd_priority",
					    "vrrp_no_swap",
					    "checker_no_swap",
					    "bfd_no_swap",
					    "vrrp_rt_priority",
					    "checker_rt_priority",
					    "bfd_rt_priority",
					    "vrrp_rlimit_rtime",
					    "checker_rlimit_rtime",
					    "bfd_rlimit_rtime",
					    "vrrp_cpu_affinity",
					    "checker_cpu_affinity",
					    "bfd_cpu_affinity",
					    "vrrp_startup_delay",
					    "vrrp_netlink_cmd_rcv_bufs",
					    "vrrp_netlink_cmd_rcv_bufs_force",
					    "vrrp_netlink_monitor_rcv_bufs",
					    "vrrp_netlink_monitor_rcv_bufs_force",
					    "vrrp_rx_bufs_policy",
					    "vrrp_rx_bufs_multiplier",
					    "vrrp_notify_fifo_script",
					    "vrrp_notify_priority_changes",
					    "notify_fifo_script",
					    "enable_snmp_vrrp",
					    "enable_snmp_keepalived",
					    "enable_snmp_checker",
					    "enable_snmp_rfc",
					    "enable_snmp_rfcv2",
					    "enable_snmp_rfcv3",
					    "snmp_socket",
					    "enable_traps",
					    "enable_dbus",
					    "dbus_service_name",
					    "net_namespace",
					    "namespace_with_ipsets",
					    "instance",
					    "use_pid_dir",
					    "linkbeat_use_polling",
					    "max_auto_priority",
					    "min_auto_priority_delay",
					    "umask",
					    "random_seed",
					    "reload_check_config",
					    "reload_time_file",
					    "reload_repeat",
					    "reload_file",
					    "data_use_instance",
					    "process_names",
					    "process_name",
					    "vrrp_process_name",
					    "checker_process_name",
					    "bfd_process_name",
					    "startup_script",
					    "startup_script_timeout",
					    "shutdown_script",
					    "shutdown_script_timeout",
					    "vrrp_owner_ignore_adverts",
					    "fifo_write_vrrp_states_on_reload",
					    "vrrp_track_process",
					    "track_process_rcv_bufs",
					    "vrrp_dont_use_netlink_chunks",
					    "script_rlimit_stack",
					    NULL};

static const char *const unimpl_inst[] = {"track_file",
					  "track_process",
					  "track_bfd",
					  "notify_deleted",
					  "notify_master_rx_lower_pri",
					  "notify_priority_changes",
					  "use_vmac",
					  "vmac_xmit_base",
					  "use_ipvlan",
					  "accept",
					  "no_accept",
					  "dont_track_primary",
					  "virtual_routes",
					  "virtual_rules",
					  "debug",
					  "native_ipv6",
					  "strict_mode",
					  "skip_check_adv_addr",
					  "check_unicast_src",
					  "unicast_ttl",
					  "unicast_fault_no_peer",
					  "garp_lower_prio_delay",
					  "garp_lower_prio_repeat",
					  "gna_interval",
					  "higher_prio_send_advert",
					  "kernel_rx_buf_size",
					  "track_src_ip",
					  "promote_secondaries",
					  "linkbeat_use_polling",
					  "old_unicast_checksum",
					  "down_timer_adverts",
					  "sync_group_tracking_weight",
					  "mcast_dst_ip",
					  NULL};

/* VIP-line options keepalived has; the flag says whether a value follows. */
static const struct {
	const char *name;
	bool value;
} unimpl_vip_opt[] = {{"no_track", false},     {"home", false},		 {"nodad", false},
		      {"-nodad", false},       {"noprefixroute", false}, {"autojoin", false},
		      {"preferred_lft", true}, {"track_group", true},	 {NULL, false}};

static bool in_list(const char *const *l, const char *w)
{
	for (; *l; l++)
		if (!strcmp(*l, w))
			return true;
	return false;
}

/* ---- token helpers ---- */

static const struct conf_tok *peek(struct parser *p)
{
	return &p->t->v[p->i];
}

static const struct conf_tok *next(struct parser *p)
{
	const struct conf_tok *t = &p->t->v[p->i];

	if (t->type != CONF_TOK_EOF)
		p->i++;
	return t;
}

static void err(struct parser *p, const struct conf_tok *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn(struct parser *p, const struct conf_tok *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void err(struct parser *p, const struct conf_tok *t, const char *fmt, ...)
{
	char buf[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	conf_msg_tok(p->m, false, t, "%s", buf);
}

static void warn(struct parser *p, const struct conf_tok *t, const char *fmt, ...)
{
	char buf[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	conf_msg_tok(p->m, true, t, "%s", buf);
}

/* "KW ARG ARG" for messages, shortened when long. */
static const char *stmt_text(const struct stmt *s, size_t nargs, char *buf, size_t len)
{
	size_t o = (size_t)snprintf(buf, len, "%s", s->kw->text);

	for (size_t k = 0; k < nargs && k < s->nargs && o < len; k++)
		o += (size_t)snprintf(buf + o, len - o, " %s", s->arg[k].text);
	return buf;
}

static void read_stmt(struct parser *p, struct stmt *s)
{
	s->kw = next(p);
	s->arg = peek(p);
	s->nargs = 0;
	while (peek(p)->type == CONF_TOK_WORD && !peek(p)->bol) {
		next(p);
		s->nargs++;
	}
	s->open = peek(p)->type == CONF_TOK_LBRACE ? next(p) : NULL;
}

static void eof_missing(struct parser *p, const struct conf_tok *opener)
{
	const struct conf_tok *eof = peek(p);
	char w[300];

	if (p->eof_reported)
		return;
	p->eof_reported = true;
	err(p, eof, "unexpected end of file: missing '}' for '%s' opened at %s", opener->text,
	    conf_where(opener, eof, w, sizeof(w)));
}

/* Skips to the '}' matching an already consumed '{'. */
static void skip_block(struct parser *p, const struct conf_tok *opener)
{
	int depth = 1;

	while (depth > 0) {
		const struct conf_tok *t = next(p);

		if (t->type == CONF_TOK_EOF) {
			eof_missing(p, opener);
			return;
		}
		if (t->type == CONF_TOK_LBRACE)
			depth++;
		else if (t->type == CONF_TOK_RBRACE)
			depth--;
	}
}

typedef void (*item_fn)(struct parser *p, void *ctx);

/* Parses statements up to the '}' closing the block opened by OPENER. */
static void parse_body(struct parser *p, const struct conf_tok *opener, item_fn item, void *ctx)
{
	for (;;) {
		const struct conf_tok *t = peek(p);

		if (t->type == CONF_TOK_EOF) {
			eof_missing(p, opener);
			return;
		}
		if (t->type == CONF_TOK_RBRACE) {
			next(p);
			return;
		}
		if (t->type == CONF_TOK_LBRACE) {
			next(p);
			err(p, t, "unexpected '{'");
			skip_block(p, t);
			continue;
		}
		item(p, ctx);
	}
}

/* Skips the block of S, if any. */
static void skip_stmt_block(struct parser *p, const struct stmt *s)
{
	if (s->open)
		skip_block(p, s->kw);
}

/* A statement that takes no block: complain about one and skip it. */
static void no_block(struct parser *p, const struct stmt *s)
{
	char b[300];

	if (!s->open)
		return;
	err(p, s->open, "unexpected '{' after '%s'", stmt_text(s, s->nargs, b, sizeof(b)));
	skip_block(p, s->kw);
}

/* Checks the argument count of a simple statement. WHAT names the value. */
static bool want_args(struct parser *p, const struct stmt *s, size_t min, size_t max,
		      const char *what)
{
	char b[300];

	if (s->nargs < min) {
		err(p, s->kw, "expected %s after '%s'", what, s->kw->text);
		return false;
	}
	if (s->nargs > max) {
		err(p, &s->arg[max], "unexpected '%s' after '%s'", s->arg[max].text,
		    stmt_text(s, max, b, sizeof(b)));
		return false;
	}
	return true;
}

/* A block statement: checks there are no arguments beyond NARGS and a '{'. */
static bool want_block(struct parser *p, const struct stmt *s, size_t nargs)
{
	char b[300];

	if (s->nargs > nargs) {
		err(p, &s->arg[nargs], "expected '{' after '%s', got '%s'",
		    stmt_text(s, nargs, b, sizeof(b)), s->arg[nargs].text);
		if (s->open)
			return true;
		return false;
	}
	if (!s->open) {
		err(p, peek(p), "expected '{' after '%s'", stmt_text(s, nargs, b, sizeof(b)));
		return false;
	}
	return true;
}

static void suggest3(const char *word, const char *const *a, const char *const *b,
		     const char *const *c, char *out, size_t len)
{
	const char *const *lists[] = {a, b, c};
	const char *best = NULL;
	unsigned bd = 1000;

	for (int pass = 0; pass < 3; pass++) {
		for (const char *const *l = lists[pass]; l && *l; l++) {
			unsigned d = conf_edit_distance(word, *l);
			if (d < bd) {
				bd = d;
				best = *l;
			}
		}
	}
	out[0] = '\0';
	if (best && bd <= 2 && bd <= strlen(word) / 3 + 1)
		snprintf(out, len, " (did you mean '%s'?)", best);
}

static void suggest(const char *word, const char *const *a, const char *const *b, char *out,
		    size_t len)
{
	suggest3(word, a, b, NULL, out, len);
}

static void not_implemented(struct parser *p, const struct stmt *s)
{
	warn(p, s->kw, "'%s' is not implemented by vrrpd yet; ignored", s->kw->text);
	skip_stmt_block(p, s);
}

/* ---- values ---- */

static bool parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
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

enum { FIX_OK = 0, FIX_SYNTAX = -1, FIX_PRECISION = -2, FIX_RANGE = -3 };

/* Parses "D[.D]" as a number scaled by 10^SCALE, at most MAX. */
static int parse_fixed(const char *s, unsigned scale, uint64_t max, uint64_t *out)
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
		return FIX_SYNTAX;
	if (range)
		return FIX_RANGE;
	for (; nfrac < scale; nfrac++)
		frac *= 10;
	for (unsigned k = 0; k < scale; k++)
		ip *= 10;
	if (ip + frac > max)
		return FIX_RANGE;
	if (precision)
		return FIX_PRECISION;
	*out = ip + frac;
	return FIX_OK;
}

static bool parse_bool_word(const char *s, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", NULL};
	static const char *const no[] = {"false", "no", "off", NULL};

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

static bool check_ifname(struct parser *p, const struct conf_tok *t, const char *what)
{
	size_t n = strlen(t->text);

	if (n == 0 || n >= IFNAMSIZ) {
		err(p, t, "%s must be 1 to %d characters long, got '%s'", what, IFNAMSIZ - 1,
		    t->text);
		return false;
	}
	if (strchr(t->text, '/') || strchr(t->text, ' ') || strchr(t->text, '\t') ||
	    !strcmp(t->text, ".") || !strcmp(t->text, "..")) {
		err(p, t, "'%s' is not a valid %s", t->text, what);
		return false;
	}
	return true;
}

/* Simple numeric statement: one argument, integer MIN..MAX. */
static bool stmt_uint(struct parser *p, const struct stmt *s, unsigned long min, unsigned long max,
		      unsigned long *out)
{
	if (!want_args(p, s, 1, 1, "a number"))
		return false;
	if (!parse_uint(s->arg[0].text, min, max, out)) {
		err(p, &s->arg[0], "%s must be a number from %lu to %lu, got '%s'", s->kw->text,
		    min, max, s->arg[0].text);
		return false;
	}
	return true;
}

/* Seconds with up to SCALE decimals, 0..MAX_S seconds, returned scaled. */
static bool stmt_secs(struct parser *p, const struct stmt *s, unsigned scale, unsigned max_s,
		      uint64_t *out)
{
	static const char *const res[] = {"1",	    "0.1",     "0.01",	  "0.001",
					  "0.0001", "0.00001", "0.000001"};
	uint64_t mul = 1;
	int rc;

	if (!want_args(p, s, 1, 1, "a number of seconds"))
		return false;
	for (unsigned k = 0; k < scale; k++)
		mul *= 10;
	rc = parse_fixed(s->arg[0].text, scale, (uint64_t)max_s * mul, out);
	if (rc == FIX_PRECISION) {
		err(p, &s->arg[0], "%s has a resolution of %s seconds, got '%s'", s->kw->text,
		    res[scale], s->arg[0].text);
		return false;
	}
	if (rc != FIX_OK) {
		err(p, &s->arg[0], "%s must be a number of seconds from 0 to %u, got '%s'",
		    s->kw->text, max_s, s->arg[0].text);
		return false;
	}
	return true;
}

static bool stmt_bool(struct parser *p, const struct stmt *s, bool *out)
{
	if (!want_args(p, s, 0, 1, "true or false"))
		return false;
	if (s->nargs == 0) {
		*out = true;
		return true;
	}
	if (!parse_bool_word(s->arg[0].text, out)) {
		err(p, &s->arg[0], "%s takes true or false (or yes/no, on/off), got '%s'",
		    s->kw->text, s->arg[0].text);
		return false;
	}
	return true;
}

static bool stmt_none(struct parser *p, const struct stmt *s)
{
	return want_args(p, s, 0, 0, "nothing");
}

/* ---- garp settings, shared by global_defs (vrrp_ prefix) and instances ---- */

enum garp_kw { GARP_DELAY, GARP_REPEAT, GARP_REFRESH, GARP_REFRESH_REPEAT, GARP_INTERVAL };

static bool parse_garp(struct parser *p, const struct stmt *s, enum garp_kw k, struct conf_garp *g)
{
	unsigned long u;
	uint64_t v;

	switch (k) {
	case GARP_DELAY:
		if (!stmt_secs(p, s, 3, 3600, &v))
			return false;
		g->master_delay_ms = (uint32_t)v;
		return true;
	case GARP_REPEAT:
		if (!stmt_uint(p, s, 1, 255, &u))
			return false;
		g->master_repeat = (uint32_t)u;
		return true;
	case GARP_REFRESH:
		if (!stmt_secs(p, s, 3, 86400, &v))
			return false;
		g->master_refresh_ms = (uint32_t)v;
		return true;
	case GARP_REFRESH_REPEAT:
		if (!stmt_uint(p, s, 1, 255, &u))
			return false;
		g->master_refresh_repeat = (uint32_t)u;
		return true;
	case GARP_INTERVAL:
		if (!stmt_secs(p, s, 6, 10, &v))
			return false;
		g->interval_us = (uint32_t)v;
		return true;
	}
	return false;
}

/* ---- global_defs ---- */

enum global_kw {
	GK_ROUTER_ID,
	GK_VERSION,
	GK_GARP_FIRST, /* the five vrrp_garp_* keywords */
	GK_SCRIPT_USER = GK_GARP_FIRST + 5,
	GK_SCRIPT_SECURITY,
	GK_EMAIL,
	GK_EMAIL_FROM,
	GK_SMTP_SERVER,
	GK_SMTP_TIMEOUT,
	GK_SMTP_HELO,
	GK_NOTIFY_FIFO,
	GK_VRRP_NOTIFY_FIFO,
	N_GLOBAL_KW
};

static const char *const global_kw[] = {"router_id",
					"vrrp_version",
					"vrrp_garp_master_delay",
					"vrrp_garp_master_repeat",
					"vrrp_garp_master_refresh",
					"vrrp_garp_master_refresh_repeat",
					"vrrp_garp_interval",
					"script_user",
					"enable_script_security",
					"notification_email",
					"notification_email_from",
					"smtp_server",
					"smtp_connect_timeout",
					"smtp_helo_name",
					"notify_fifo",
					"vrrp_notify_fifo",
					NULL};

struct global_ctx {
	const struct conf_tok *seen[N_GLOBAL_KW];
};

static void dup_warning(struct parser *p, const struct stmt *s, const struct conf_tok **seen,
			const char *where)
{
	char w[300];

	if (*seen)
		warn(p, s->kw, "'%s' given again in %s (first at %s); the last one wins",
		     s->kw->text, where, conf_where(*seen, s->kw, w, sizeof(w)));
	*seen = s->kw;
}

/* ---- users, commands, tracking, notify: shared by several sections ---- */

static bool parse_int(const char *s, long min, long max, long *out)
{
	unsigned long u;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!parse_uint(s, 0, (unsigned long)LONG_MAX, &u))
		return false;
	if (neg ? (u > (unsigned long)-min) : (u > (unsigned long)max))
		return false;
	*out = neg ? -(long)u : (long)u;
	return *out >= min && *out <= max;
}

/* Resolves USER [GROUP] (names or numbers) into U. */
static bool resolve_user(struct parser *p, const struct conf_tok *user,
			 const struct conf_tok *group, const char *hint, struct conf_user *u)
{
	char buf[16384];
	unsigned long num;

	memset(u, 0, sizeof(*u));
	if (strlen(user->text) == 0 || strlen(user->text) >= CONF_NAME_MAX) {
		err(p, user, "user name must be 1 to %d characters long, got '%s'",
		    CONF_NAME_MAX - 1, user->text);
		return false;
	}
	if (parse_uint(user->text, 0, UINT32_MAX - 1, &num)) {
		struct passwd pw, *res = NULL;

		u->uid = (uid_t)num;
		u->gid = (gid_t)num;
		if (getpwuid_r(u->uid, &pw, buf, sizeof(buf), &res) == 0 && res)
			u->gid = pw.pw_gid;
	} else {
		struct passwd pw, *res = NULL;

		if (getpwnam_r(user->text, &pw, buf, sizeof(buf), &res) != 0 || !res) {
			err(p, user, "unknown user '%s'%s", user->text, hint ? hint : "");
			return false;
		}
		u->uid = pw.pw_uid;
		u->gid = pw.pw_gid;
	}
	strcpy(u->name, user->text);
	if (!group)
		return true;
	if (strlen(group->text) == 0 || strlen(group->text) >= CONF_NAME_MAX) {
		err(p, group, "group name must be 1 to %d characters long, got '%s'",
		    CONF_NAME_MAX - 1, group->text);
		return false;
	}
	if (parse_uint(group->text, 0, UINT32_MAX - 1, &num)) {
		u->gid = (gid_t)num;
	} else {
		struct group gr, *res = NULL;

		if (getgrnam_r(group->text, &gr, buf, sizeof(buf), &res) != 0 || !res) {
			err(p, group, "unknown group '%s'", group->text);
			return false;
		}
		u->gid = gr.gr_gid;
	}
	strcpy(u->group, group->text);
	return true;
}

/* Checks a command line the way script.c will run it. */
static bool check_cmd(struct parser *p, const struct conf_tok *t, const char *kw)
{
	struct script_cmd c;
	char e[128];

	if (script_parse(t->text, &c, e, sizeof(e)) < 0) {
		err(p, t, "invalid command for %s: %s", kw, e);
		return false;
	}
	script_cmd_free(&c);
	return true;
}

static void note_cmd_without_user(struct parser *p, const struct conf_tok *t)
{
	if (!p->r->gmeta.first_cmd_without_user)
		p->r->gmeta.first_cmd_without_user = t;
}

/* notify_* CMD [USER [GROUP]] */
static void parse_notify_cmd(struct parser *p, const struct stmt *s, struct conf_cmd *out)
{
	struct conf_cmd c;
	char hint[300];

	memset(&c, 0, sizeof(c));
	if (!want_args(p, s, 1, 3, "a command"))
		return;
	if (!check_cmd(p, &s->arg[0], s->kw->text))
		return;
	if (s->nargs > 1) {
		snprintf(hint, sizeof(hint),
			 " (a command with arguments must be quoted: %s \"%s %s\")", s->kw->text,
			 s->arg[0].text, s->arg[1].text);
		if (!resolve_user(p, &s->arg[1], s->nargs > 2 ? &s->arg[2] : NULL, hint, &c.user))
			return;
		c.has_user = true;
	} else {
		note_cmd_without_user(p, &s->arg[0]);
	}
	c.line = conf_xstrdup(s->arg[0].text);
	free(out->line);
	*out = c;
}

/* "weight N [reverse]" after a tracked name. */
static bool parse_track_weight(struct parser *p, const struct stmt *s, const char *block, long max,
			       int *weight, bool *reverse, bool *set)
{
	long w;

	*weight = 0;
	*reverse = false;
	*set = false;
	if (s->nargs == 0)
		return true;
	if (strcmp(s->arg[0].text, "weight") != 0) {
		err(p, &s->arg[0],
		    "unexpected '%s' after '%s' in %s (expected 'weight N [reverse]')",
		    s->arg[0].text, s->kw->text, block);
		return false;
	}
	if (s->nargs < 2) {
		err(p, &s->arg[0], "expected a number after 'weight'");
		return false;
	}
	if (!parse_int(s->arg[1].text, -max, max, &w)) {
		err(p, &s->arg[1], "weight must be a number from %ld to %ld, got '%s'", -max, max,
		    s->arg[1].text);
		return false;
	}
	if (s->nargs > 2 && strcmp(s->arg[2].text, "reverse") != 0) {
		err(p, &s->arg[2], "unexpected '%s' after 'weight %s' (expected 'reverse')",
		    s->arg[2].text, s->arg[1].text);
		return false;
	}
	if (s->nargs > 3) {
		err(p, &s->arg[3], "unexpected '%s' after 'weight %s reverse'", s->arg[3].text,
		    s->arg[1].text);
		return false;
	}
	*weight = (int)w;
	*reverse = s->nargs > 2;
	*set = true;
	return true;
}

/* Where tracked things go: an instance or a sync group. */
struct track_ctx {
	struct conf_track_script **ts;
	size_t *n_ts;
	const struct conf_tok ***ts_tok;
	struct conf_track_if **ti;
	size_t *n_ti;
	const struct conf_tok ***ti_tok;
	const char *owner; /* "vrrp_instance VI_1" */
};

static bool tracked_twice(struct parser *p, const struct conf_tok *t, const struct conf_tok **seen,
			  size_t n, const char *name, const char *block, const char *owner)
{
	char w[300];

	for (size_t k = 0; k < n; k++) {
		if (!strcmp(seen[k]->text, name)) {
			err(p, t, "'%s' is listed twice in %s of %s (first at %s)", name, block,
			    owner, conf_where(seen[k], t, w, sizeof(w)));
			return true;
		}
	}
	return false;
}

static void track_script_item(struct parser *p, void *vctx)
{
	struct track_ctx *ctx = vctx;
	struct conf_track_script ts;
	struct stmt s;

	memset(&ts, 0, sizeof(ts));
	read_stmt(p, &s);
	no_block(p, &s);
	if (strlen(s.kw->text) == 0 || strlen(s.kw->text) >= CONF_NAME_MAX) {
		err(p, s.kw, "vrrp_script name must be 1 to %d characters long, got '%s'",
		    CONF_NAME_MAX - 1, s.kw->text);
		return;
	}
	if (!parse_track_weight(p, &s, "track_script", CONF_TRACK_WEIGHT_MAX, &ts.weight,
				&ts.reverse, &ts.weight_set))
		return;
	if (tracked_twice(p, s.kw, *ctx->ts_tok, *ctx->n_ts, s.kw->text, "track_script",
			  ctx->owner))
		return;
	strcpy(ts.name, s.kw->text);
	*ctx->ts = conf_xrealloc(*ctx->ts, *ctx->n_ts + 1, sizeof(**ctx->ts));
	*ctx->ts_tok = conf_xrealloc(*ctx->ts_tok, *ctx->n_ts + 1, sizeof(**ctx->ts_tok));
	(*ctx->ts)[*ctx->n_ts] = ts;
	(*ctx->ts_tok)[*ctx->n_ts] = s.kw;
	(*ctx->n_ts)++;
}

static void track_if_item(struct parser *p, void *vctx)
{
	struct track_ctx *ctx = vctx;
	struct conf_track_if ti;
	struct stmt s;
	bool set;

	memset(&ti, 0, sizeof(ti));
	read_stmt(p, &s);
	no_block(p, &s);
	if (!check_ifname(p, s.kw, "interface name"))
		return;
	if (!parse_track_weight(p, &s, "track_interface", CONF_TRACK_WEIGHT_MAX, &ti.weight,
				&ti.reverse, &set))
		return;
	if (tracked_twice(p, s.kw, *ctx->ti_tok, *ctx->n_ti, s.kw->text, "track_interface",
			  ctx->owner))
		return;
	strcpy(ti.ifname, s.kw->text);
	*ctx->ti = conf_xrealloc(*ctx->ti, *ctx->n_ti + 1, sizeof(**ctx->ti));
	*ctx->ti_tok = conf_xrealloc(*ctx->ti_tok, *ctx->n_ti + 1, sizeof(**ctx->ti_tok));
	(*ctx->ti)[*ctx->n_ti] = ti;
	(*ctx->ti_tok)[*ctx->n_ti] = s.kw;
	(*ctx->n_ti)++;
}

/* The keywords an instance and a sync group share. */
enum shared_kw {
	SK_NONE = -1,
	SK_MASTER,
	SK_BACKUP,
	SK_FAULT,
	SK_STOP,
	SK_NOTIFY,
	SK_SMTP_ALERT,
	SK_TRACK_SCRIPT,
	SK_TRACK_IF,
	SK_COUNT
};

static const char *const shared_kw[] = {"notify_master", "notify_backup",   "notify_fault",
					"notify_stop",	 "notify",	    "smtp_alert",
					"track_script",	 "track_interface", NULL};

/* Parses one shared statement; SEEN has SK_COUNT slots. */
static void parse_shared(struct parser *p, const struct stmt *s, enum shared_kw k,
			 struct conf_notify *n, struct track_ctx *tctx,
			 const struct conf_tok **smtp_tok, const struct conf_tok **seen,
			 const char *section)
{
	struct conf_cmd *cmds[] = {&n->master, &n->backup, &n->fault, &n->stop, &n->any};
	bool b;

	if (k == SK_TRACK_SCRIPT || k == SK_TRACK_IF) {
		if (!want_block(p, s, 0))
			return;
		parse_body(p, s->kw, k == SK_TRACK_SCRIPT ? track_script_item : track_if_item,
			   tctx);
		return;
	}
	no_block(p, s);
	dup_warning(p, s, &seen[k], section);
	if (k == SK_SMTP_ALERT) {
		if (stmt_bool(p, s, &b)) {
			n->smtp_alert = b;
			*smtp_tok = b ? s->kw : NULL;
		}
		return;
	}
	parse_notify_cmd(p, s, cmds[k]);
}

static enum shared_kw shared_index(const char *w)
{
	for (int k = 0; shared_kw[k]; k++)
		if (!strcmp(w, shared_kw[k]))
			return (enum shared_kw)k;
	return SK_NONE;
}

/* An e-mail address: something@something, nothing that could break an
 * SMTP command or a header. */
static bool check_email(struct parser *p, const struct conf_tok *t)
{
	const char *at = strchr(t->text, '@');
	bool ok = at && at != t->text && at[1] && strlen(t->text) < 256;

	for (const char *c = t->text; ok && *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '<' || *c == '>' || *c == 0x7f || *c == ',' ||
		    *c == ';')
			ok = false;
	if (!ok)
		err(p, t, "'%s' is not an e-mail address", t->text);
	return ok;
}

static void email_item(struct parser *p, void *vctx)
{
	struct conf_global *g = &p->r->cfg->global;
	struct stmt s;

	(void)vctx;
	read_stmt(p, &s);
	no_block(p, &s);
	if (!check_email(p, s.kw))
		return;
	if (s.nargs) {
		err(p, &s.arg[0], "unexpected '%s' after '%s' (one address per line)",
		    s.arg[0].text, s.kw->text);
		return;
	}
	g->notification_email =
	    conf_xrealloc(g->notification_email, g->n_notification_email + 1, sizeof(char *));
	g->notification_email[g->n_notification_email++] = conf_xstrdup(s.kw->text);
}

static bool host_name_ok(const char *h)
{
	if (!*h || strlen(h) > 255)
		return false;
	for (; *h; h++)
		if (!isalnum((unsigned char)*h) && *h != '-' && *h != '.' && *h != '_' &&
		    *h != ':' && *h != '[' && *h != ']')
			return false;
	return true;
}

static void global_item(struct parser *p, void *vctx)
{
	struct global_ctx *ctx = vctx;
	struct conf_global *g = &p->r->cfg->global;
	struct stmt s;
	unsigned long u;
	int k;

	read_stmt(p, &s);
	for (k = 0; global_kw[k]; k++)
		if (!strcmp(s.kw->text, global_kw[k]))
			break;
	if (!global_kw[k]) {
		char dym[128];

		if (in_list(unimpl_global, s.kw->text)) {
			not_implemented(p, &s);
			return;
		}
		suggest(s.kw->text, global_kw, unimpl_global, dym, sizeof(dym));
		err(p, s.kw, "unknown keyword '%s' in global_defs%s", s.kw->text, dym);
		skip_stmt_block(p, &s);
		return;
	}
	if (k == GK_EMAIL) {
		if (want_block(p, &s, 0))
			parse_body(p, s.kw, email_item, NULL);
		return;
	}
	no_block(p, &s);
	dup_warning(p, &s, &ctx->seen[k == GK_VRRP_NOTIFY_FIFO ? GK_NOTIFY_FIFO : k],
		    "global_defs");
	switch (k) {
	case GK_SCRIPT_USER:
		if (!want_args(p, &s, 1, 2, "a user name"))
			return;
		if (resolve_user(p, &s.arg[0], s.nargs > 1 ? &s.arg[1] : NULL, NULL,
				 &g->script_user))
			g->script_user_set = true;
		return;
	case GK_SCRIPT_SECURITY:
		if (stmt_none(p, &s))
			g->script_security = true;
		return;
	case GK_EMAIL_FROM:
		if (!want_args(p, &s, 1, 1, "an e-mail address"))
			return;
		if (check_email(p, &s.arg[0]))
			strcpy(g->email_from, s.arg[0].text);
		return;
	case GK_SMTP_SERVER:
		if (!want_args(p, &s, 1, 2, "an address"))
			return;
		if (addr_parse(s.arg[0].text, &g->smtp_server) < 0) {
			err(p, &s.arg[0], "smtp_server must be an IPv4 or IPv6 address, got '%s'",
			    s.arg[0].text);
			g->has_smtp_server = false;
			return;
		}
		g->smtp_port = 25;
		if (s.nargs > 1) {
			if (!parse_uint(s.arg[1].text, 1, 65535, &u)) {
				err(p, &s.arg[1],
				    "smtp_server port must be a number from 1 to 65535, got '%s'",
				    s.arg[1].text);
				g->has_smtp_server = false;
				return;
			}
			g->smtp_port = (uint16_t)u;
		}
		g->has_smtp_server = true;
		return;
	case GK_SMTP_TIMEOUT:
		if (!stmt_uint(p, &s, 1, 3600, &u))
			return;
		g->smtp_connect_timeout_ms = (uint32_t)u * 1000;
		return;
	case GK_SMTP_HELO:
		if (!want_args(p, &s, 1, 1, "a host name"))
			return;
		if (!host_name_ok(s.arg[0].text)) {
			err(p, &s.arg[0], "smtp_helo_name must be a host name, got '%s'",
			    s.arg[0].text);
			return;
		}
		strcpy(g->smtp_helo_name, s.arg[0].text);
		return;
	case GK_NOTIFY_FIFO:
	case GK_VRRP_NOTIFY_FIFO: {
		struct conf_user fu;

		if (!want_args(p, &s, 1, 3, "a path"))
			return;
		if (s.arg[0].text[0] != '/' || strlen(s.arg[0].text) >= PATH_MAX) {
			err(p, &s.arg[0], "%s must be an absolute path, got '%s'", s.kw->text,
			    s.arg[0].text);
			return;
		}
		if (s.nargs > 1 &&
		    !resolve_user(p, &s.arg[1], s.nargs > 2 ? &s.arg[2] : NULL, NULL, &fu))
			return;
		free(g->notify_fifo);
		g->notify_fifo = conf_xstrdup(s.arg[0].text);
		g->notify_fifo_has_user = s.nargs > 1;
		if (s.nargs > 1)
			g->notify_fifo_user = fu;
		return;
	}
	default:
		break;
	}
	switch (k) {
	case 0:
		if (!want_args(p, &s, 1, 1, "a name"))
			return;
		if (strlen(s.arg[0].text) == 0 || strlen(s.arg[0].text) >= CONF_NAME_MAX) {
			err(p, &s.arg[0], "router_id must be 1 to %d characters long, got '%s'",
			    CONF_NAME_MAX - 1, s.arg[0].text);
			return;
		}
		strcpy(g->router_id, s.arg[0].text);
		p->r->gmeta.router_id_set = true;
		break;
	case 1:
		if (!want_args(p, &s, 1, 1, "2 or 3"))
			return;
		if (!parse_uint(s.arg[0].text, 2, 3, &u)) {
			err(p, &s.arg[0], "vrrp_version must be 2 or 3, got '%s'", s.arg[0].text);
			return;
		}
		g->vrrp_version = (uint8_t)u;
		p->r->gmeta.version_set = true;
		break;
	default:
		parse_garp(p, &s, (enum garp_kw)(k - GK_GARP_FIRST), &g->garp);
		break;
	}
}

/* ---- vrrp_instance ---- */

enum inst_kw {
	IK_STATE,
	IK_INTERFACE,
	IK_VRID,
	IK_PRIORITY,
	IK_ADVERT_INT,
	IK_VERSION,
	IK_NOPREEMPT,
	IK_PREEMPT,
	IK_PREEMPT_DELAY,
	IK_AUTH,
	IK_VIP,
	IK_VIP_EXCLUDED,
	IK_UNICAST_SRC,
	IK_MCAST_SRC,
	IK_UNICAST_PEER,
	IK_GARP_DELAY,
	IK_GARP_REPEAT,
	IK_GARP_REFRESH,
	IK_GARP_REFRESH_REPEAT,
	IK_GARP_INTERVAL,
	IK_CSUM_AS_V2,
	IK_LOWER_PRIO_NO_ADVERT,
	IK_COUNT
};

static const char *const inst_kw[] = {"state",
				      "interface",
				      "virtual_router_id",
				      "priority",
				      "advert_int",
				      "version",
				      "nopreempt",
				      "preempt",
				      "preempt_delay",
				      "authentication",
				      "virtual_ipaddress",
				      "virtual_ipaddress_excluded",
				      "unicast_src_ip",
				      "mcast_src_ip",
				      "unicast_peer",
				      "garp_master_delay",
				      "garp_master_repeat",
				      "garp_master_refresh",
				      "garp_master_refresh_repeat",
				      "garp_interval",
				      "v3_checksum_as_v2",
				      "lower_prio_no_advert",
				      NULL};

struct inst_ctx {
	struct conf_instance *in;
	struct conf_inst_meta *meta;
	const struct conf_tok *seen[IK_COUNT];
	const struct conf_tok *shared_seen[SK_COUNT];
	struct track_ctx tctx;
	char owner[CONF_NAME_MAX + 16];
	bool excluded; /* while parsing virtual_ipaddress_excluded */
};

/* The duplicate-tracking slot of a keyword (aliases share one). */
static int inst_slot(int k)
{
	if (k == IK_PREEMPT)
		return IK_NOPREEMPT;
	if (k == IK_MCAST_SRC)
		return IK_UNICAST_SRC;
	return k;
}

static bool parse_scope(const char *s, uint8_t *out)
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
	if (parse_uint(s, 0, 255, &u)) {
		*out = (uint8_t)u;
		return true;
	}
	return false;
}

/* Parses "ADDR[/PREFIX]" into A and PREFIX. */
static bool parse_addr_prefix(struct parser *p, const struct conf_tok *t, struct vaddr *a,
			      uint8_t *prefix)
{
	char buf[128];
	char *slash;
	unsigned long u;
	unsigned max;

	if (strlen(t->text) >= sizeof(buf)) {
		err(p, t, "'%s' is not an IPv4 or IPv6 address", t->text);
		return false;
	}
	strcpy(buf, t->text);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (addr_parse(buf, a) < 0) {
		err(p, t, "'%s' is not an IPv4 or IPv6 address", buf);
		return false;
	}
	max = a->family == AF_INET ? 32 : 128;
	*prefix = (uint8_t)max;
	if (slash) {
		if (!parse_uint(slash + 1, 0, max, &u)) {
			err(p, t, "prefix length of %s must be a number from 0 to %u, got '%s'",
			    buf, max, slash + 1);
			return false;
		}
		*prefix = (uint8_t)u;
	}
	return true;
}

static void vip_item(struct parser *p, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	struct conf_instance *in = ctx->in;
	struct vip v;
	struct stmt s;
	bool ok = true;

	memset(&v, 0, sizeof(v));
	read_stmt(p, &s);
	no_block(p, &s);
	v.excluded = ctx->excluded;
	if (!v.excluded)
		ctx->meta->vip_lines = true;
	if (!parse_addr_prefix(p, s.kw, &v.addr, &v.prefix))
		return;
	for (size_t k = 0; k < s.nargs; k++) {
		const struct conf_tok *o = &s.arg[k];
		const struct conf_tok *val = k + 1 < s.nargs ? &s.arg[k + 1] : NULL;
		int u;

		if (!strcmp(o->text, "brd") || !strcmp(o->text, "broadcast")) {
			if (!val) {
				err(p, o, "expected an address after '%s'", o->text);
				return;
			}
			k++;
			if (v.addr.family != AF_INET) {
				err(p, o, "'%s' is only valid for IPv4 addresses", o->text);
				ok = false;
			} else if (!strcmp(val->text, "+") || !strcmp(val->text, "-")) {
				uint32_t mask = v.prefix ? 0xffffffffu << (32 - v.prefix) : 0;
				uint32_t a = ntohl(v.addr.u.v4.s_addr);

				v.has_brd = true;
				v.brd.family = AF_INET;
				v.brd.u.v4.s_addr =
				    htonl(val->text[0] == '+' ? (a | ~mask) : (a & mask));
			} else if (addr_parse(val->text, &v.brd) < 0 || v.brd.family != AF_INET) {
				err(p, val, "'%s' is not an IPv4 address", val->text);
				ok = false;
			} else {
				v.has_brd = true;
			}
		} else if (!strcmp(o->text, "dev")) {
			if (!val) {
				err(p, o, "expected an interface name after 'dev'");
				return;
			}
			k++;
			if (check_ifname(p, val, "interface name"))
				strcpy(v.dev, val->text);
			else
				ok = false;
		} else if (!strcmp(o->text, "scope")) {
			if (!val) {
				err(p, o, "expected a scope after 'scope'");
				return;
			}
			k++;
			if (!parse_scope(val->text, &v.scope)) {
				err(p, val,
				    "scope must be global, site, link, host, nowhere or a number "
				    "from 0 to 255, got '%s'",
				    val->text);
				ok = false;
			}
		} else if (!strcmp(o->text, "label")) {
			if (!val) {
				err(p, o, "expected a label after 'label'");
				return;
			}
			k++;
			if (v.addr.family != AF_INET) {
				err(p, o, "'label' is only valid for IPv4 addresses");
				ok = false;
			} else if (strlen(val->text) == 0 || strlen(val->text) >= IFNAMSIZ) {
				err(p, val, "label must be 1 to %d characters long, got '%s'",
				    IFNAMSIZ - 1, val->text);
				ok = false;
			} else {
				strcpy(v.label, val->text);
			}
		} else {
			for (u = 0; unimpl_vip_opt[u].name; u++)
				if (!strcmp(o->text, unimpl_vip_opt[u].name))
					break;
			if (unimpl_vip_opt[u].name) {
				warn(p, o, "'%s' is not implemented by vrrpd yet; ignored",
				     o->text);
				if (unimpl_vip_opt[u].value && val)
					k++;
				continue;
			}
			err(p, o,
			    "unexpected '%s' in virtual address (expected brd, dev, scope or "
			    "label)",
			    o->text);
			return;
		}
	}
	if (!ok)
		return;
	in->vips = conf_xrealloc(in->vips, in->n_vips + 1, sizeof(*in->vips));
	ctx->meta->vip = conf_xrealloc(ctx->meta->vip, in->n_vips + 1, sizeof(*ctx->meta->vip));
	in->vips[in->n_vips] = v;
	ctx->meta->vip[in->n_vips] = s.kw;
	in->n_vips++;
}

static void peer_item(struct parser *p, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	struct conf_instance *in = ctx->in;
	struct vaddr a;
	struct stmt s;
	unsigned long u;

	read_stmt(p, &s);
	no_block(p, &s);
	if (addr_parse(s.kw->text, &a) < 0) {
		err(p, s.kw, "'%s' is not an IPv4 or IPv6 address", s.kw->text);
		return;
	}
	for (size_t k = 0; k < s.nargs; k++) {
		const struct conf_tok *o = &s.arg[k];

		if (!strcmp(o->text, "min_ttl") || !strcmp(o->text, "max_ttl")) {
			if (k + 1 >= s.nargs) {
				err(p, o, "expected a number after '%s'", o->text);
				return;
			}
			if (!parse_uint(s.arg[k + 1].text, 0, 255, &u)) {
				err(p, &s.arg[k + 1], "%s must be a number from 0 to 255, got '%s'",
				    o->text, s.arg[k + 1].text);
				return;
			}
			warn(p, o, "'%s' is not implemented by vrrpd yet; ignored", o->text);
			k++;
			continue;
		}
		err(p, o, "unexpected '%s' after unicast peer %s (expected min_ttl or max_ttl)",
		    o->text, s.kw->text);
		return;
	}
	in->peers = conf_xrealloc(in->peers, in->n_peers + 1, sizeof(*in->peers));
	ctx->meta->peer = conf_xrealloc(ctx->meta->peer, in->n_peers + 1, sizeof(*ctx->meta->peer));
	in->peers[in->n_peers] = a;
	ctx->meta->peer[in->n_peers] = s.kw;
	in->n_peers++;
}

struct auth_ctx {
	struct inst_ctx *ictx;
	const struct conf_tok *seen[2];
};

static void auth_item(struct parser *p, void *vctx)
{
	static const char *const auth_kw[] = {"auth_type", "auth_pass", NULL};
	struct auth_ctx *actx = vctx;
	struct conf_instance *in = actx->ictx->in;
	struct conf_inst_meta *meta = actx->ictx->meta;
	struct stmt s;
	int k;

	read_stmt(p, &s);
	for (k = 0; auth_kw[k]; k++)
		if (!strcmp(s.kw->text, auth_kw[k]))
			break;
	if (!auth_kw[k]) {
		char dym[128];

		suggest(s.kw->text, auth_kw, NULL, dym, sizeof(dym));
		err(p, s.kw, "unknown keyword '%s' in authentication%s", s.kw->text, dym);
		skip_stmt_block(p, &s);
		return;
	}
	no_block(p, &s);
	dup_warning(p, &s, &actx->seen[k], "authentication");
	if (k == 0) {
		meta->auth_type_seen = true;
		if (!want_args(p, &s, 1, 1, "PASS"))
			return;
		if (!strcasecmp(s.arg[0].text, "AH")) {
			err(p, &s.arg[0], "auth_type AH is not supported (RFC 3768 removed it)");
			return;
		}
		if (strcasecmp(s.arg[0].text, "PASS") != 0) {
			err(p, &s.arg[0], "auth_type must be PASS, got '%s'", s.arg[0].text);
			return;
		}
		in->auth_type = CONF_AUTH_PASS;
		meta->auth_type = &s.arg[0];
	} else {
		if (!want_args(p, &s, 1, 1, "a password"))
			return;
		if (!s.arg[0].text[0]) {
			err(p, &s.arg[0], "auth_pass must not be empty");
			return;
		}
		if (strlen(s.arg[0].text) > 8)
			warn(p, &s.arg[0],
			     "auth_pass is longer than 8 characters; only the first 8 are used");
		memset(in->auth_pass, 0, sizeof(in->auth_pass));
		strncpy(in->auth_pass, s.arg[0].text, 8);
		meta->auth_pass = &s.arg[0];
	}
}

static void inst_item(struct parser *p, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	struct conf_instance *in = ctx->in;
	struct conf_inst_meta *meta = ctx->meta;
	struct stmt s;
	unsigned long u;
	uint64_t v;
	bool b;
	int k;

	read_stmt(p, &s);
	if (shared_index(s.kw->text) != SK_NONE) {
		parse_shared(p, &s, shared_index(s.kw->text), &in->notify, &ctx->tctx,
			     &meta->smtp_alert, ctx->shared_seen, "vrrp_instance");
		return;
	}
	for (k = 0; inst_kw[k]; k++)
		if (!strcmp(s.kw->text, inst_kw[k]))
			break;
	if (!inst_kw[k]) {
		char dym[128];

		if (in_list(unimpl_inst, s.kw->text)) {
			not_implemented(p, &s);
			return;
		}
		suggest3(s.kw->text, inst_kw, shared_kw, unimpl_inst, dym, sizeof(dym));
		err(p, s.kw, "unknown keyword '%s' in vrrp_instance%s", s.kw->text, dym);
		skip_stmt_block(p, &s);
		return;
	}
	if (k == IK_AUTH || k == IK_VIP || k == IK_VIP_EXCLUDED || k == IK_UNICAST_PEER) {
		if (!want_block(p, &s, 0))
			return;
		if (k == IK_AUTH) {
			struct auth_ctx actx = {.ictx = ctx};

			dup_warning(p, &s, &ctx->seen[k], "vrrp_instance");
			parse_body(p, s.kw, auth_item, &actx);
		} else if (k == IK_UNICAST_PEER) {
			parse_body(p, s.kw, peer_item, ctx);
		} else {
			ctx->excluded = k == IK_VIP_EXCLUDED;
			parse_body(p, s.kw, vip_item, ctx);
			ctx->excluded = false;
		}
		return;
	}
	no_block(p, &s);
	dup_warning(p, &s, &ctx->seen[inst_slot(k)], "vrrp_instance");
	switch ((enum inst_kw)k) {
	case IK_STATE:
		if (!want_args(p, &s, 1, 1, "MASTER or BACKUP"))
			return;
		if (!strcasecmp(s.arg[0].text, "MASTER"))
			in->state = CONF_STATE_MASTER;
		else if (!strcasecmp(s.arg[0].text, "BACKUP"))
			in->state = CONF_STATE_BACKUP;
		else
			err(p, &s.arg[0], "state must be MASTER or BACKUP, got '%s'",
			    s.arg[0].text);
		break;
	case IK_INTERFACE:
		/* A bad name still counts as given (no "has no interface"). */
		meta->interface = s.nargs ? &s.arg[0] : s.kw;
		if (!want_args(p, &s, 1, 1, "an interface name"))
			return;
		if (!check_ifname(p, &s.arg[0], "interface name"))
			return;
		strcpy(in->ifname, s.arg[0].text);
		break;
	case IK_VRID:
		/* The instance counts as having a VRID even when the value is
		 * bad, so a bad value is not also reported as missing. */
		meta->vrid = s.nargs ? &s.arg[0] : s.kw;
		if (stmt_uint(p, &s, 1, 255, &u))
			in->vrid = (uint8_t)u;
		break;
	case IK_PRIORITY:
		if (stmt_uint(p, &s, 1, 255, &u))
			in->priority = (uint8_t)u;
		break;
	case IK_ADVERT_INT:
		if (!want_args(p, &s, 1, 1, "a number of seconds"))
			return;
		switch (parse_fixed(s.arg[0].text, 2, 25500, &v)) {
		case FIX_OK:
			if (v == 0)
				goto bad_advert;
			in->advert_int_cs = (uint32_t)v;
			meta->advert_int = &s.arg[0];
			break;
		case FIX_PRECISION:
			err(p, &s.arg[0], "advert_int has a resolution of 0.01 seconds, got '%s'",
			    s.arg[0].text);
			break;
		default:
		bad_advert:
			err(p, &s.arg[0],
			    "advert_int must be a number of seconds from 0.01 to 255, got '%s'",
			    s.arg[0].text);
			break;
		}
		break;
	case IK_VERSION:
		if (!want_args(p, &s, 1, 1, "2 or 3"))
			return;
		if (!parse_uint(s.arg[0].text, 2, 3, &u)) {
			err(p, &s.arg[0], "version must be 2 or 3, got '%s'", s.arg[0].text);
			return;
		}
		in->version = (uint8_t)u;
		meta->version = &s.arg[0];
		break;
	case IK_NOPREEMPT:
	case IK_PREEMPT:
		if (stmt_none(p, &s))
			in->nopreempt = k == IK_NOPREEMPT;
		break;
	case IK_PREEMPT_DELAY:
		if (stmt_secs(p, &s, 3, 1000, &v))
			in->preempt_delay_ms = (uint32_t)v;
		break;
	case IK_UNICAST_SRC:
	case IK_MCAST_SRC:
		if (!want_args(p, &s, 1, 1, "an address"))
			return;
		if (addr_parse(s.arg[0].text, &in->unicast_src) < 0) {
			err(p, &s.arg[0], "'%s' is not an IPv4 or IPv6 address", s.arg[0].text);
			memset(&in->unicast_src, 0, sizeof(in->unicast_src));
			in->has_unicast_src = false;
			return;
		}
		in->has_unicast_src = true;
		meta->unicast_src = &s.arg[0];
		break;
	case IK_GARP_DELAY:
	case IK_GARP_REPEAT:
	case IK_GARP_REFRESH:
	case IK_GARP_REFRESH_REPEAT:
	case IK_GARP_INTERVAL: {
		enum garp_kw g = (enum garp_kw)(k - IK_GARP_DELAY);
		if (!parse_garp(p, &s, g, &in->garp))
			return;
		if (g == GARP_DELAY)
			meta->garp_delay_set = true;
		else if (g == GARP_REPEAT)
			meta->garp_repeat_set = true;
		else if (g == GARP_REFRESH)
			meta->garp_refresh_set = true;
		else if (g == GARP_REFRESH_REPEAT)
			meta->garp_refresh_repeat_set = true;
		else
			meta->garp_interval_set = true;
		break;
	}
	case IK_CSUM_AS_V2:
		if (stmt_bool(p, &s, &b))
			in->v3_checksum_as_v2 = b;
		break;
	case IK_LOWER_PRIO_NO_ADVERT:
		if (stmt_bool(p, &s, &b))
			in->lower_prio_no_advert = b;
		break;
	default:
		break;
	}
}

static void free_notify(struct conf_notify *n)
{
	free(n->master.line);
	free(n->backup.line);
	free(n->fault.line);
	free(n->stop.line);
	free(n->any.line);
}

static void free_instance(struct conf_instance *in, struct conf_inst_meta *meta)
{
	free(in->vips);
	free(in->peers);
	free(in->track_scripts);
	free(in->track_ifs);
	free_notify(&in->notify);
	free(meta->vip);
	free(meta->peer);
	free(meta->track_script);
	free(meta->track_if);
}

static void parse_instance(struct parser *p, const struct stmt *s)
{
	struct config *c = p->r->cfg;
	struct conf_instance tmp_in;
	struct conf_inst_meta tmp_meta;
	struct inst_ctx ctx;
	bool keep = true;

	if (s->nargs == 0) {
		if (s->open) {
			err(p, s->kw, "expected a name after 'vrrp_instance'");
		} else {
			err(p, peek(p), "expected a name and '{' after 'vrrp_instance'");
			return;
		}
		keep = false;
	} else if (!want_block(p, s, 1)) {
		return;
	}
	if (keep && (strlen(s->arg[0].text) == 0 || strlen(s->arg[0].text) >= CONF_NAME_MAX)) {
		err(p, &s->arg[0], "vrrp_instance name must be 1 to %d characters long, got '%s'",
		    CONF_NAME_MAX - 1, s->arg[0].text);
		keep = false;
	}
	memset(&tmp_in, 0, sizeof(tmp_in));
	memset(&tmp_meta, 0, sizeof(tmp_meta));
	conf_instance_defaults(&tmp_in);
	if (keep)
		strcpy(tmp_in.name, s->arg[0].text);
	tmp_in.file = s->kw->file;
	tmp_in.line = s->kw->line;
	tmp_meta.kw = s->kw;
	tmp_meta.name = keep ? &s->arg[0] : s->kw;

	memset(&ctx, 0, sizeof(ctx));
	ctx.in = &tmp_in;
	ctx.meta = &tmp_meta;
	snprintf(ctx.owner, sizeof(ctx.owner), "vrrp_instance %s", tmp_in.name);
	ctx.tctx = (struct track_ctx){.ts = &tmp_in.track_scripts,
				      .n_ts = &tmp_in.n_track_scripts,
				      .ts_tok = &tmp_meta.track_script,
				      .ti = &tmp_in.track_ifs,
				      .n_ti = &tmp_in.n_track_ifs,
				      .ti_tok = &tmp_meta.track_if,
				      .owner = ctx.owner};
	parse_body(p, s->kw, inst_item, &ctx);

	if (!keep) {
		free_instance(&tmp_in, &tmp_meta);
		return;
	}
	c->inst = conf_xrealloc(c->inst, c->n_inst + 1, sizeof(*c->inst));
	p->r->meta = conf_xrealloc(p->r->meta, c->n_inst + 1, sizeof(*p->r->meta));
	c->inst[c->n_inst] = tmp_in;
	p->r->meta[c->n_inst] = tmp_meta;
	c->n_inst++;
}

/* ---- vrrp_script ---- */

enum script_kw {
	SCK_SCRIPT,
	SCK_INTERVAL,
	SCK_TIMEOUT,
	SCK_WEIGHT,
	SCK_RISE,
	SCK_FALL,
	SCK_USER,
	SCK_INIT_FAIL,
	SCK_COUNT
};

static const char *const script_kw[] = {"script", "interval", "timeout",   "weight", "rise",
					"fall",	  "user",     "init_fail", NULL};

struct script_ctx {
	struct conf_script *sc;
	struct conf_script_meta *meta;
	const struct conf_tok *seen[SCK_COUNT];
	const struct conf_tok *script_tok; /* for the default-user note */
};

/* Seconds with millisecond resolution, 0.001 .. 86400. */
static bool stmt_period(struct parser *p, const struct stmt *s, uint32_t *out_ms)
{
	uint64_t v;

	if (!want_args(p, s, 1, 1, "a number of seconds"))
		return false;
	switch (parse_fixed(s->arg[0].text, 3, 86400000, &v)) {
	case FIX_OK:
		if (v == 0)
			break;
		*out_ms = (uint32_t)v;
		return true;
	case FIX_PRECISION:
		err(p, &s->arg[0], "%s has a resolution of 0.001 seconds, got '%s'", s->kw->text,
		    s->arg[0].text);
		return false;
	default:
		break;
	}
	err(p, &s->arg[0], "%s must be a number of seconds from 0.001 to 86400, got '%s'",
	    s->kw->text, s->arg[0].text);
	return false;
}

static void script_item(struct parser *p, void *vctx)
{
	struct script_ctx *ctx = vctx;
	struct conf_script *sc = ctx->sc;
	struct stmt s;
	unsigned long u;
	long w;
	int k;

	read_stmt(p, &s);
	for (k = 0; script_kw[k]; k++)
		if (!strcmp(s.kw->text, script_kw[k]))
			break;
	if (!script_kw[k]) {
		char dym[128];

		suggest(s.kw->text, script_kw, NULL, dym, sizeof(dym));
		err(p, s.kw, "unknown keyword '%s' in vrrp_script%s", s.kw->text, dym);
		skip_stmt_block(p, &s);
		return;
	}
	no_block(p, &s);
	dup_warning(p, &s, &ctx->seen[k], "vrrp_script");
	switch ((enum script_kw)k) {
	case SCK_SCRIPT:
		ctx->meta->has_script = true;
		if (s.nargs > 1) {
			char b[300];

			err(p, &s.arg[1],
			    "unexpected '%s' after '%s' (a command with arguments must be quoted: "
			    "script \"%s %s\")",
			    s.arg[1].text, stmt_text(&s, 1, b, sizeof(b)), s.arg[0].text,
			    s.arg[1].text);
			return;
		}
		if (!want_args(p, &s, 1, 1, "a command"))
			return;
		if (!check_cmd(p, &s.arg[0], "script"))
			return;
		free(sc->cmd.line);
		sc->cmd.line = conf_xstrdup(s.arg[0].text);
		ctx->script_tok = &s.arg[0];
		break;
	case SCK_INTERVAL:
		stmt_period(p, &s, &sc->interval_ms);
		break;
	case SCK_TIMEOUT:
		if (stmt_period(p, &s, &sc->timeout_ms))
			ctx->meta->timeout_set = true;
		break;
	case SCK_WEIGHT:
		if (!want_args(p, &s, 1, 2, "a number"))
			return;
		if (!parse_int(s.arg[0].text, -CONF_SCRIPT_WEIGHT_MAX, CONF_SCRIPT_WEIGHT_MAX,
			       &w)) {
			err(p, &s.arg[0], "weight must be a number from %d to %d, got '%s'",
			    -CONF_SCRIPT_WEIGHT_MAX, CONF_SCRIPT_WEIGHT_MAX, s.arg[0].text);
			return;
		}
		if (s.nargs > 1 && strcmp(s.arg[1].text, "reverse") != 0) {
			err(p, &s.arg[1], "unexpected '%s' after 'weight %s' (expected 'reverse')",
			    s.arg[1].text, s.arg[0].text);
			return;
		}
		sc->weight = (int)w;
		sc->weight_reverse = s.nargs > 1;
		break;
	case SCK_RISE:
		if (stmt_uint(p, &s, 1, 65535, &u))
			sc->rise = (uint32_t)u;
		break;
	case SCK_FALL:
		if (stmt_uint(p, &s, 1, 65535, &u))
			sc->fall = (uint32_t)u;
		break;
	case SCK_USER:
		if (!want_args(p, &s, 1, 2, "a user name"))
			return;
		if (resolve_user(p, &s.arg[0], s.nargs > 1 ? &s.arg[1] : NULL, NULL, &sc->cmd.user))
			sc->cmd.has_user = true;
		break;
	case SCK_INIT_FAIL:
		if (stmt_none(p, &s))
			sc->init_fail = true;
		break;
	default:
		break;
	}
}

static bool block_name(struct parser *p, const struct stmt *s, const char *what)
{
	if (s->nargs == 0) {
		if (s->open) {
			err(p, s->kw, "expected a name after '%s'", what);
			skip_block(p, s->kw);
		} else {
			err(p, peek(p), "expected a name and '{' after '%s'", what);
		}
		return false;
	}
	if (!want_block(p, s, 1)) {
		if (s->open)
			skip_block(p, s->kw);
		return false;
	}
	if (strlen(s->arg[0].text) == 0 || strlen(s->arg[0].text) >= CONF_NAME_MAX) {
		err(p, &s->arg[0], "%s name must be 1 to %d characters long, got '%s'", what,
		    CONF_NAME_MAX - 1, s->arg[0].text);
		skip_block(p, s->kw);
		return false;
	}
	return true;
}

static void parse_script(struct parser *p, const struct stmt *s)
{
	struct config *c = p->r->cfg;
	struct script_ctx ctx;
	struct conf_script sc;
	struct conf_script_meta meta;

	if (!block_name(p, s, "vrrp_script"))
		return;
	memset(&sc, 0, sizeof(sc));
	memset(&meta, 0, sizeof(meta));
	strcpy(sc.name, s->arg[0].text);
	sc.file = s->kw->file;
	sc.line = s->kw->line;
	sc.interval_ms = 1000;
	sc.rise = sc.fall = 1;
	meta.name = &s->arg[0];
	memset(&ctx, 0, sizeof(ctx));
	ctx.sc = &sc;
	ctx.meta = &meta;
	parse_body(p, s->kw, script_item, &ctx);
	if (sc.cmd.line && !sc.cmd.has_user)
		note_cmd_without_user(p, ctx.script_tok);
	c->scripts = conf_xrealloc(c->scripts, c->n_scripts + 1, sizeof(*c->scripts));
	p->r->smeta = conf_xrealloc(p->r->smeta, c->n_scripts + 1, sizeof(*p->r->smeta));
	c->scripts[c->n_scripts] = sc;
	p->r->smeta[c->n_scripts] = meta;
	c->n_scripts++;
}

/* ---- vrrp_sync_group ---- */

static const char *const unimpl_group[] = {"global_tracking", "sync_group_tracking_weight",
					   "notify_deleted",  "notify_priority_changes",
					   "track_file",      "track_process",
					   "track_bfd",	      NULL};

struct group_ctx {
	struct conf_sync_group *g;
	struct conf_group_meta *meta;
	const struct conf_tok *shared_seen[SK_COUNT];
	struct track_ctx tctx;
	char owner[CONF_NAME_MAX + 20];
};

static void member_item(struct parser *p, void *vctx)
{
	struct group_ctx *ctx = vctx;
	struct stmt s;

	read_stmt(p, &s);
	no_block(p, &s);
	for (size_t k = 0; k <= s.nargs; k++) {
		const struct conf_tok *t = k ? &s.arg[k - 1] : s.kw;

		ctx->meta->member = conf_xrealloc(ctx->meta->member, ctx->meta->n_member + 1,
						  sizeof(*ctx->meta->member));
		ctx->meta->member[ctx->meta->n_member++] = t;
	}
}

static void group_item(struct parser *p, void *vctx)
{
	struct group_ctx *ctx = vctx;
	struct stmt s;
	enum shared_kw k;

	read_stmt(p, &s);
	k = shared_index(s.kw->text);
	if (k != SK_NONE) {
		parse_shared(p, &s, k, &ctx->g->notify, &ctx->tctx, &ctx->meta->smtp_alert,
			     ctx->shared_seen, "vrrp_sync_group");
		return;
	}
	if (!strcmp(s.kw->text, "group")) {
		if (!want_block(p, &s, 0))
			return;
		ctx->meta->group_seen = true;
		parse_body(p, s.kw, member_item, ctx);
		return;
	}
	if (in_list(unimpl_group, s.kw->text)) {
		not_implemented(p, &s);
		return;
	}
	{
		static const char *const group_kw[] = {"group", NULL};
		char dym[128];

		suggest3(s.kw->text, group_kw, shared_kw, unimpl_group, dym, sizeof(dym));
		err(p, s.kw, "unknown keyword '%s' in vrrp_sync_group%s", s.kw->text, dym);
		skip_stmt_block(p, &s);
	}
}

static void parse_group(struct parser *p, const struct stmt *s)
{
	struct config *c = p->r->cfg;
	struct conf_sync_group g;
	struct conf_group_meta meta;
	struct group_ctx ctx;

	if (!block_name(p, s, "vrrp_sync_group"))
		return;
	memset(&g, 0, sizeof(g));
	memset(&meta, 0, sizeof(meta));
	strcpy(g.name, s->arg[0].text);
	g.file = s->kw->file;
	g.line = s->kw->line;
	meta.name = &s->arg[0];
	memset(&ctx, 0, sizeof(ctx));
	ctx.g = &g;
	ctx.meta = &meta;
	snprintf(ctx.owner, sizeof(ctx.owner), "vrrp_sync_group %s", g.name);
	ctx.tctx = (struct track_ctx){.ts = &g.track_scripts,
				      .n_ts = &g.n_track_scripts,
				      .ts_tok = &meta.track_script,
				      .ti = &g.track_ifs,
				      .n_ti = &g.n_track_ifs,
				      .ti_tok = &meta.track_if,
				      .owner = ctx.owner};
	parse_body(p, s->kw, group_item, &ctx);
	c->groups = conf_xrealloc(c->groups, c->n_groups + 1, sizeof(*c->groups));
	p->r->grmeta = conf_xrealloc(p->r->grmeta, c->n_groups + 1, sizeof(*p->r->grmeta));
	c->groups[c->n_groups] = g;
	p->r->grmeta[c->n_groups] = meta;
	c->n_groups++;
}

/* ---- top level ---- */

static const char *const top_kw[] = {"global_defs", "vrrp_instance", "vrrp_script",
				     "vrrp_sync_group", NULL};

static void top_item(struct parser *p, struct global_ctx *gctx)
{
	struct stmt s;

	read_stmt(p, &s);
	if (!strcmp(s.kw->text, "global_defs")) {
		if (want_block(p, &s, 0))
			parse_body(p, s.kw, global_item, gctx);
	} else if (!strcmp(s.kw->text, "vrrp_instance")) {
		parse_instance(p, &s);
	} else if (!strcmp(s.kw->text, "vrrp_script")) {
		parse_script(p, &s);
	} else if (!strcmp(s.kw->text, "vrrp_sync_group")) {
		parse_group(p, &s);
	} else if (in_list(unimpl_top, s.kw->text)) {
		not_implemented(p, &s);
	} else {
		char dym[128];

		suggest(s.kw->text, top_kw, unimpl_top, dym, sizeof(dym));
		if (!dym[0] && (in_list(inst_kw, s.kw->text) || in_list(shared_kw, s.kw->text) ||
				in_list(global_kw, s.kw->text)))
			snprintf(dym, sizeof(dym), " ('%s' belongs inside a %s block)", s.kw->text,
				 in_list(global_kw, s.kw->text) ? "global_defs" : "vrrp_instance");
		err(p, s.kw, "unknown keyword '%s' at top level%s", s.kw->text, dym);
		skip_stmt_block(p, &s);
	}
}

void conf_parse_tokens(const struct conf_toks *t, struct conf_msgs *m,
		       struct conf_parse_result *out)
{
	struct parser p = {.t = t, .m = m, .r = out};
	struct global_ctx gctx;

	memset(out, 0, sizeof(*out));
	memset(&gctx, 0, sizeof(gctx));
	out->cfg = conf_xcalloc(1, sizeof(*out->cfg));
	conf_global_defaults(&out->cfg->global);
	for (;;) {
		const struct conf_tok *tok = peek(&p);

		if (tok->type == CONF_TOK_EOF)
			break;
		if (tok->type == CONF_TOK_RBRACE) {
			next(&p);
			err(&p, tok, "unexpected '}' (no block is open)");
			continue;
		}
		if (tok->type == CONF_TOK_LBRACE) {
			next(&p);
			err(&p, tok, "unexpected '{'");
			skip_block(&p, tok);
			continue;
		}
		top_item(&p, &gctx);
	}
}

void conf_parse_result_free_meta(struct conf_parse_result *r)
{
	for (size_t k = 0; r->grmeta && r->cfg && k < r->cfg->n_groups; k++) {
		free(r->grmeta[k].member);
		free(r->grmeta[k].track_script);
		free(r->grmeta[k].track_if);
	}
	free(r->grmeta);
	r->grmeta = NULL;
	free(r->smeta);
	r->smeta = NULL;
	if (!r->meta)
		return;
	for (size_t k = 0; r->cfg && k < r->cfg->n_inst; k++) {
		free(r->meta[k].vip);
		free(r->meta[k].peer);
		free(r->meta[k].track_script);
		free(r->meta[k].track_if);
	}
	free(r->meta);
	r->meta = NULL;
}
