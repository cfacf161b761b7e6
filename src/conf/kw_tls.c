/* conf_kw_tls: an https vrrp_check's TLS options (verify, ca_file, sni,
 * cert_file, key_file) and the OpenSSL context built from them.
 *
 * How: the options are kept aside (struct conf_tls_opts) while the block
 * is read, so that they may come before or after the "https" line; when
 * the block ends, conf_tls_finish() gives them to the check and builds its
 * SSL_CTX once, at load: the CA file, the client certificate and key are
 * read then (an unreadable one is a configuration error at its value, so
 * vrrpd -t and a reload refuse it), and a run of the check only makes an
 * SSL of the context (check/check_https.c). The context is freed with the
 * configuration; a reload builds new ones (and so rereads the files). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/dump_int.h"
#include "conf/kw.h"
#include "conf/model.h"
#include "conf/ssl_dl.h"
#include "conf/values.h"

static void tls_first(struct conf_script_ctx *ctx, const struct conf_stmt *s)
{
	if (!ctx->tls.first)
		ctx->tls.first = s->kw;
}

/* verify on|off */
void conf_kw_tls_verify(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_script_ctx *ctx = vctx;
	bool on;

	tls_first(ctx, s);
	if (!conf_parse_bool(s->arg[0].text, &on)) {
		conf_perr(p, &s->arg[0], "expected 'on' or 'off' after 'verify', got '%s'",
			  s->arg[0].text);
		return;
	}
	ctx->tls.tls.verify = on;
}

enum { TLS_CA, TLS_CERT, TLS_KEY };

/* ca_file / cert_file / key_file PATH (which one: s->def->arg) */
void conf_kw_tls_file(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_script_ctx *ctx = vctx;
	struct conf_tls_opts *o = &ctx->tls;
	char **f = s->def->arg == TLS_CA     ? &o->tls.ca_file
		   : s->def->arg == TLS_CERT ? &o->tls.cert_file
					     : &o->tls.key_file;
	const struct conf_tok **t = s->def->arg == TLS_CA     ? &o->ca_tok
				    : s->def->arg == TLS_CERT ? &o->cert_tok
							      : &o->key_tok;

	tls_first(ctx, s);
	if (!s->arg[0].text[0]) {
		conf_perr(p, &s->arg[0], "expected a file after '%s'", s->kw->text);
		return;
	}
	conf_xfree(*f);
	*f = conf_xstrdup(s->arg[0].text);
	*t = &s->arg[0];
}

/* sni NAME */
void conf_kw_tls_sni(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_script_ctx *ctx = vctx;
	const char *n = s->arg[0].text;
	size_t len = strlen(n);
	bool ok = len > 0 && len < sizeof(ctx->tls.tls.sni) && n[0] != '.' && n[0] != '-';

	tls_first(ctx, s);
	for (size_t k = 0; ok && k < len; k++)
		ok = (n[k] >= 'a' && n[k] <= 'z') || (n[k] >= 'A' && n[k] <= 'Z') ||
		     (n[k] >= '0' && n[k] <= '9') || n[k] == '-' || n[k] == '.';
	if (!ok) {
		conf_perr(p, &s->arg[0],
			  "expected a DNS name after 'sni' (letters, digits, '-' and '.', at most "
			  "%zu characters), got '%s'",
			  sizeof(ctx->tls.tls.sni) - 1, n);
		return;
	}
	memcpy(ctx->tls.tls.sni, n, len + 1);
}

/* Never asks for a pass phrase: a prompt would block the daemon. */
static int tls_no_pass(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return 0;
}

/* Why PATH could not be used, into WHY: errno's reason when it cannot be
 * read, else that it holds no WHAT (OpenSSL's own reasons for a file's
 * content, e.g. "unsupported" or "no start line", say less). */
static void tls_why(const char *path, const char *what, char *why, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(why, len, "%s", strerror(errno));
	} else {
		snprintf(why, len, "no usable %s in it (PEM expected)", what);
		fclose(f);
	}
	ERR_clear_error();
}

/* The name the server's certificate must carry: sni, else the URL's
 * address (an IP address entry of the certificate). */
static bool tls_peer_name(SSL_CTX *ctx, const struct conf_tls *t, const struct vaddr *a)
{
	X509_VERIFY_PARAM *vp = SSL_CTX_get0_param(ctx);

	if (t->sni[0])
		return X509_VERIFY_PARAM_set1_host(vp, t->sni, 0) == 1;
	if (a->family == AF_INET6)
		return X509_VERIFY_PARAM_set1_ip(vp, (const unsigned char *)&a->u.v6, 16) == 1;
	return X509_VERIFY_PARAM_set1_ip(vp, (const unsigned char *)&a->u.v4, 4) == 1;
}

/* Builds O's context for a server at A; false after an error at the file
 * that could not be used. */
/* tls_build's errors: none are reported when it runs without a parser
 * (conf_tls_adopt, in the daemon after a reload child read the file). */
#define TLS_ERR(p, ...)                                                                            \
	do {                                                                                       \
		if (p)                                                                             \
			conf_perr(p, __VA_ARGS__);                                                 \
	} while (0)

static bool tls_build(struct conf_parser *p, struct conf_tls_opts *o, const struct vaddr *a)
{
	struct conf_tls *t = &o->tls;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	char why[160];

	if (!ctx) {
		TLS_ERR(p, o->url_tok, "cannot make a TLS context");
		return false;
	}
	SSL_CTX_set_default_passwd_cb(ctx, tls_no_pass);
	/* a server that closes without close_notify ends the response */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	t->ctx = ctx;
	if (t->verify) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
		if (t->ca_file ? SSL_CTX_load_verify_locations(ctx, t->ca_file, NULL) != 1
			       : SSL_CTX_set_default_verify_paths(ctx) != 1) {
			tls_why(t->ca_file ? t->ca_file : "/etc/ssl/certs", "certificate", why,
				sizeof(why));
			TLS_ERR(p, o->ca_tok ? o->ca_tok : o->url_tok,
				"cannot load the CA file '%s': %s",
				t->ca_file ? t->ca_file : "(system)", why);
			return false;
		}
		if (!tls_peer_name(ctx, t, a)) {
			TLS_ERR(p, o->url_tok, "cannot set the name to verify");
			return false;
		}
	}
	if (!t->cert_file)
		return true;
	if (SSL_CTX_use_certificate_chain_file(ctx, t->cert_file) != 1) {
		tls_why(t->cert_file, "certificate", why, sizeof(why));
		TLS_ERR(p, o->cert_tok, "cannot load the certificate '%s': %s", t->cert_file, why);
		return false;
	}
	const char *key = t->key_file ? t->key_file : t->cert_file;
	const struct conf_tok *ktok = t->key_file ? o->key_tok : o->cert_tok;
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
			ERR_clear_error();
			TLS_ERR(p, ktok, "the private key '%s' does not match the certificate '%s'",
				key, t->cert_file);
			return false;
		}
		tls_why(key, "private key", why, sizeof(why));
		TLS_ERR(p, ktok,
			"cannot load the private key '%s': %s; a key with a pass phrase cannot be "
			"used",
			key, why);
		return false;
	}
	return true;
}

void conf_tls_finish(struct conf_parser *p, struct conf_script_ctx *ctx)
{
	struct conf_tls_opts *o = &ctx->tls;
	struct conf_check *c = &ctx->sc->check;

	if (c->kind != CONF_CHECK_HTTPS) {
		if (o->first && c->kind != CONF_CHECK_NONE)
			conf_perr(p, o->first, "'%s' is a TLS option: only an https check has it",
				  o->first->text);
		conf_tls_free(&o->tls);
		return;
	}
	bool ok = !(o->key_tok && !o->cert_tok);
	if (!ok)
		conf_perr(p, o->key_tok, "key_file without cert_file: write the certificate too");
	else if (!o->tls.verify && o->ca_tok)
		conf_pwarn(p, o->ca_tok, "ca_file is not used: verify is off");
	char why[256];
	if (ok && !conf_ssl_load(why, sizeof(why))) {
		conf_perr(p, o->url_tok, "https needs %s: %s", conf_ssl_lib, why);
		ok = false;
	}
	if (ok)
		tls_build(p, o, &c->url.addr);
	/* built or not, the check owns what was made: conf_free frees it */
	c->tls = o->tls;
	o->tls = (struct conf_tls){0};
}

void conf_tls_free(struct conf_tls *t)
{
	if (t->ctx) /* else libssl may not be loaded */
		SSL_CTX_free(t->ctx);
	conf_xfree(t->ca_file);
	conf_xfree(t->cert_file);
	conf_xfree(t->key_file);
	*t = (struct conf_tls){0};
}

/* A context lives in OpenSSL's heap, not in the arena: the one a reload
 * child built is gone with it, so the daemon builds its own from the
 * settings (which are in the arena) before any check runs, and frees it
 * before the arena is unmapped. libssl is loaded here in the daemon: the
 * child loaded its own (it could, so this one can; if not, the check has
 * no context and its runs fail). */
void conf_tls_adopt(struct config *c, bool release)
{
	char why[256];

	for (size_t k = 0; k < c->n_scripts; k++) {
		struct conf_check *ck = &c->scripts[k].check;
		if (ck->kind != CONF_CHECK_HTTPS)
			continue;
		if (release && ck->tls.ctx) /* a context means libssl is loaded */
			SSL_CTX_free(ck->tls.ctx);
		ck->tls.ctx = NULL; /* released, or the reload child's: gone with it */
		if (release || !conf_ssl_load(why, sizeof(why)))
			continue;
		struct conf_tls_opts o = {.tls = ck->tls};
		tls_build(NULL, &o, &ck->url.addr);
		ck->tls.ctx = o.tls.ctx;
	}
}

static bool tls_str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

bool conf_tls_equal(const struct conf_tls *a, const struct conf_tls *b)
{
	return a->verify == b->verify && tls_str_eq(a->ca_file, b->ca_file) &&
	       tls_str_eq(a->cert_file, b->cert_file) && tls_str_eq(a->key_file, b->key_file) &&
	       !strcmp(a->sni, b->sni);
}

void conf_tls_dump(FILE *out, const struct conf_tls *t)
{
	fprintf(out, "\tverify %s", t->verify ? "on" : "off");
	if (t->verify && !t->ca_file)
		fputs("\t# the system's CA store", out);
	fputc('\n', out);
	if (t->ca_file) {
		fputs("\tca_file ", out);
		conf_dump_word(out, t->ca_file);
		fputc('\n', out);
	}
	if (t->sni[0])
		fprintf(out, "\tsni %s\n", t->sni);
	if (t->cert_file) {
		fputs("\tcert_file ", out);
		conf_dump_word(out, t->cert_file);
		fputc('\n', out);
	}
	if (t->key_file) {
		fputs("\tkey_file ", out);
		conf_dump_word(out, t->key_file);
		fputc('\n', out);
	}
}
