/* conf_kw_check: vrrp_check NAME { tcp | http | https | icmp | mysql ... } — vrrpd's
 * built-in health checks, run in the event loop without a process.
 *
 * How: a vrrp_check is a struct conf_script whose check.kind is set and
 * whose command is empty, so `track_script { NAME }` finds it like any
 * vrrp_script and the weight / rise / fall arithmetic is the same; its
 * timing keywords are vrrp_script's (conf_kw_script_common). One check per
 * block. Addresses are literals: a name would need a resolver that blocks
 * the loop. */
#include <stdio.h>
#include <string.h>

#include "conf/kw.h"
#include "conf/values.h"

static const char *const check_kw_name[] = {"", "tcp", "http", "icmp", "https", "mysql"};

/* False (after an error) when the block already has a check. */
static bool check_first(struct conf_parser *p, const struct conf_stmt *s,
			struct conf_script_ctx *ctx)
{
	if (ctx->sc->check.kind != CONF_CHECK_NONE) {
		conf_perr(p, s->kw,
			  "vrrp_check %s already has a '%s' check; write one check per vrrp_check",
			  ctx->sc->name, check_kw_name[ctx->sc->check.kind]);
		return false;
	}
	return true;
}

static bool check_addr(struct conf_parser *p, const struct conf_tok *t, struct vaddr *a)
{
	if (addr_parse(t->text, a) == 0)
		return true;
	conf_perr(p, t, "expected an IPv4 or IPv6 address, got '%s' (names are not resolved)",
		  t->text);
	return false;
}

/* tcp ADDRESS PORT */
static void ck_tcp(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_script_ctx *ctx = vctx;
	struct conf_check c = {.kind = CONF_CHECK_TCP};
	unsigned long port;

	if (!check_first(p, s, ctx) || !check_addr(p, &s->arg[0], &c.addr))
		return;
	if (!conf_parse_uint(s->arg[1].text, 1, 65535, &port)) {
		conf_perr(p, &s->arg[1], "the port must be a number from 1 to 65535, got '%s'",
			  s->arg[1].text);
		return;
	}
	c.port = (uint16_t)port;
	ctx->sc->check = c;
}

/* "status N" or "body STRING" at word I of an http line; false after an
 * error. */
static bool http_option(struct conf_parser *p, const struct conf_stmt *s, size_t i,
			struct conf_check *c)
{
	const struct conf_tok *o = &s->arg[i], *v = &s->arg[i + 1];
	unsigned long st;

	if (i + 1 >= s->nargs) {
		conf_perr(p, o, "expected a value after '%s'", o->text);
		return false;
	}
	if (!strcmp(o->text, "status")) {
		if (conf_parse_uint(v->text, 100, 599, &st)) {
			c->status = (unsigned)st;
			return true;
		}
		conf_perr(p, v, "the status must be a number from 100 to 599, got '%s'", v->text);
		return false;
	}
	if (!strcmp(o->text, "body")) {
		if (v->text[0] && strlen(v->text) < sizeof(c->body)) {
			strcpy(c->body, v->text);
			return true;
		}
		conf_perr(p, v, "the body to look for must be 1 to %zu characters long",
			  sizeof(c->body) - 1);
		return false;
	}
	conf_perr(p, o, "unexpected '%s' after the URL (expected 'status N' or 'body STRING')",
		  o->text);
	return false;
}

/* http URL [status N] [body STRING], and https (s->def->arg: TLS) the
 * same with an https:// URL: keepalived's HTTP_GET and SSL_GET. */
static void ck_http(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_script_ctx *ctx = vctx;
	bool tls = s->def->arg;
	struct conf_check c = {.kind = tls ? CONF_CHECK_HTTPS : CONF_CHECK_HTTP, .status = 200};
	char why[160];

	if (!check_first(p, s, ctx))
		return;
	if (!hcheck_url_parse(s->arg[0].text, &c.url, why, sizeof(why))) {
		conf_perr(p, &s->arg[0], "bad URL '%s': %s", s->arg[0].text, why);
		return;
	}
	if (c.url.tls != tls) {
		conf_perr(p, &s->arg[0],
			  tls ? "an https check needs an https:// URL, got '%s'"
			      : "an https:// URL is checked by 'https %s'",
			  s->arg[0].text);
		return;
	}
	ctx->tls.url_tok = &s->arg[0];
	for (size_t i = 1; i < s->nargs; i += 2)
		if (!http_option(p, s, i, &c))
			return;
	c.addr = c.url.addr;
	ctx->sc->check = c;
}

/* icmp ADDRESS */
static void ck_icmp(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_script_ctx *ctx = vctx;
	struct conf_check c = {.kind = CONF_CHECK_ICMP};

	if (!check_first(p, s, ctx) || !check_addr(p, &s->arg[0], &c.addr))
		return;
	ctx->sc->check = c;
}

/* mysql { ... } (kw_check_mysql.c); mariadb { } is the same */
static void ck_mysql(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_script_ctx *ctx = vctx;
	struct conf_check c;

	if (!check_first(p, s, ctx)) {
		conf_skip_stmt_block(p, s);
		return;
	}
	if (conf_kw_check_mysql(p, s, &c, ctx->sc->name))
		ctx->sc->check = c;
}

static const struct conf_kw check_kw[] = {
    CONF_KW_ARGS("ca_file", 1, 1, "a file", conf_kw_tls_file, 0),
    CONF_KW_ARGS("cert_file", 1, 1, "a file", conf_kw_tls_file, 1),
    CONF_KW_ARGS("http", 1, 5, "a URL", ck_http, 0),
    CONF_KW_ARGS("https", 1, 5, "a URL", ck_http, 1),
    CONF_KW_ARGS("icmp", 1, 1, "an address", ck_icmp, 0),
    CONF_KW_ARGS("key_file", 1, 1, "a file", conf_kw_tls_file, 2),
    {.name = "mariadb", .flags = CONF_KW_BLOCK, .alias = "mysql", .fn = ck_mysql},
    CONF_KW_BLOCK_OF("mysql", 0, ck_mysql, 0),
    CONF_KW_ARGS("sni", 1, 1, "a name", conf_kw_tls_sni, 0),
    CONF_KW_ARGS("tcp", 2, 2, "an address and a port", ck_tcp, 0),
    CONF_KW_ARGS("verify", 1, 1, "on or off", conf_kw_tls_verify, 0),
};

const struct conf_section conf_sec_check = {"vrrp_check", CONF_KW_TABLE(check_kw),
					    &conf_kw_script_common, NULL};

void conf_kw_vrrp_check(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	const struct conf_tok *seen[CONF_SECTION_SLOTS_MAX] = {0};
	struct conf_script sc;
	struct conf_script_meta meta = {0};
	struct conf_script_ctx ctx = {.sc = &sc, .meta = &meta, .tls.tls.verify = true};

	(void)vctx;
	if (!conf_want_named_block(p, s, "vrrp_check"))
		return;
	conf_script_init(&sc, s);
	meta.name = &s->arg[0];
	conf_parse_section(p, s->kw, &conf_sec_check, &ctx, seen);
	conf_tls_finish(p, &ctx);
	meta.is_check = true;
	/* written, valid or not: a bad one was reported already */
	meta.has_script =
	    conf_seen(&conf_sec_check, seen, "tcp") || conf_seen(&conf_sec_check, seen, "http") ||
	    conf_seen(&conf_sec_check, seen, "https") || conf_seen(&conf_sec_check, seen, "icmp") ||
	    conf_seen(&conf_sec_check, seen, "mysql");
	conf_script_add(p, &sc, &meta);
}
