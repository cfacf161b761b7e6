/* Unit tests for the https check's runs (src/check/check_https.c): a TLS
 * server in the same event loop on 127.0.0.1 (OpenSSL, non-blocking, a
 * certificate made by tls_fixture.h), and checks loaded from configuration
 * text so that their context is the loader's. Up with ca_file, SNI and the
 * Host header, verify off; certificate verify failures (self-signed
 * against the system's store, the wrong address); a server that is not
 * TLS; a handshake that never ends and a response that never comes (the
 * timeout says which); no process started. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "check/probe.h"
#include "io/proc.h"
#include "tls_fixture.h"

static const char *dir;
static const char *const files[] = {"lo.crt", "lo.key", "other.crt", "other.key", NULL};

enum srv_mode {
	SRV_TLS,    /* handshake, read the request, answer */
	SRV_MUTE,   /* handshake, read the request, never answer */
	SRV_SILENT, /* accept, never send a byte */
	SRV_PLAIN,  /* answer in plain HTTP at once */
};

struct srv {
	struct loop *l;
	struct loop_fd lh, ch;
	enum srv_mode mode;
	SSL_CTX *ctx;
	SSL *ssl;
	bool shaken;
	char req[2048];
	size_t req_len;
	char sni[256];
};

struct outcome {
	int n;
	bool ok;
	char why[200];
	struct probe *p;
	struct loop *l;
};

static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nready\n";

static int setup(void **state)
{
	(void)state;
	dir = tls_fixture_dir();
	tls_fixture(dir, "lo", "lab.example", "127.0.0.1");
	tls_fixture(dir, "other", "other.example", "192.0.2.99");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tls_fixture_rm(dir, files);
	return 0;
}

static void done(void *arg, bool ok, const char *why)
{
	struct outcome *o = arg;

	o->n++;
	o->ok = ok;
	snprintf(o->why, sizeof(o->why), "%s", why);
	probe_free(o->p);
	o->p = NULL;
	loop_stop(o->l);
}

static void srv_drop(struct srv *s)
{
	SSL_free(s->ssl);
	s->ssl = NULL;
	if (s->ch.fd >= 0) {
		loop_del_fd(s->l, &s->ch);
		close(s->ch.fd);
		s->ch.fd = -1;
	}
}

static void srv_conn(void *arg, uint32_t events)
{
	struct srv *s = arg;

	(void)events;
	if (!s->shaken) {
		int rc = SSL_do_handshake(s->ssl);
		if (rc != 1) {
			if (SSL_get_error(s->ssl, rc) != SSL_ERROR_WANT_READ)
				srv_drop(s); /* the client gave up (e.g. verify failed) */
			ERR_clear_error();
			return;
		}
		s->shaken = true;
		const char *n = SSL_get_servername(s->ssl, TLSEXT_NAMETYPE_host_name);
		snprintf(s->sni, sizeof(s->sni), "%s", n ? n : "");
	}
	int n = SSL_read(s->ssl, s->req + s->req_len, (int)(sizeof(s->req) - 1 - s->req_len));
	if (n <= 0) {
		if (SSL_get_error(s->ssl, n) != SSL_ERROR_WANT_READ)
			srv_drop(s);
		ERR_clear_error();
		return;
	}
	s->req_len += (size_t)n;
	s->req[s->req_len] = '\0';
	if (!strstr(s->req, "\r\n\r\n") || s->mode == SRV_MUTE)
		return;
	assert_int_equal(SSL_write(s->ssl, reply, (int)strlen(reply)), (int)strlen(reply));
	SSL_shutdown(s->ssl);
	srv_drop(s);
}

static void srv_accept(void *arg, uint32_t events)
{
	struct srv *s = arg;

	(void)events;
	s->ch = (struct loop_fd){
	    .fd = accept4(s->lh.fd, NULL, NULL, SOCK_NONBLOCK), .cb = srv_conn, .arg = s};
	assert_true(s->ch.fd >= 0);
	if (s->mode == SRV_PLAIN) {
		assert_true(send(s->ch.fd, reply, strlen(reply), MSG_NOSIGNAL) > 0);
		close(s->ch.fd);
		s->ch.fd = -1;
		return;
	}
	if (s->mode == SRV_SILENT)
		return; /* held open, never read: closed by srv_close */
	s->ssl = SSL_new(s->ctx);
	assert_non_null(s->ssl);
	SSL_set_fd(s->ssl, s->ch.fd);
	SSL_set_accept_state(s->ssl);
	assert_int_equal(loop_add_fd(s->l, &s->ch, EPOLLIN), 0);
}

/* A TLS listener on 127.0.0.1 serving certificate NAME; returns the port. */
static uint16_t srv_open(struct srv *s, struct loop *l, enum srv_mode mode, const char *name)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof(a);
	char crt[512], key[512];

	*s = (struct srv){.l = l, .mode = mode, .ch = {.fd = -1}};
	s->ctx = SSL_CTX_new(TLS_server_method());
	snprintf(crt, sizeof(crt), "%s/%s.crt", dir, name);
	snprintf(key, sizeof(key), "%s/%s.key", dir, name);
	assert_int_equal(SSL_CTX_use_certificate_file(s->ctx, crt, SSL_FILETYPE_PEM), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey_file(s->ctx, key, SSL_FILETYPE_PEM), 1);
	s->lh = (struct loop_fd){
	    .fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), .cb = srv_accept, .arg = s};
	assert_true(s->lh.fd >= 0);
	assert_int_equal(bind(s->lh.fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s->lh.fd, 4), 0);
	assert_int_equal(getsockname(s->lh.fd, (struct sockaddr *)&a, &al), 0);
	assert_int_equal(loop_add_fd(l, &s->lh, EPOLLIN), 0);
	return ntohs(a.sin_port);
}

static void srv_close(struct srv *s)
{
	if (s->mode == SRV_SILENT && s->ch.fd >= 0) {
		close(s->ch.fd);
		s->ch.fd = -1;
	}
	srv_drop(s);
	loop_del_fd(s->l, &s->lh);
	close(s->lh.fd);
	SSL_CTX_free(s->ctx);
}

/* A configuration with one https check of 127.0.0.1:PORT and OPTS (with
 * DIR for "@"). */
static struct config *load(uint16_t port, const char *opts)
{
	char text[2048], o[1024];
	size_t k = 0;
	struct conf_msgs m;

	for (const char *s = opts; *s && k < sizeof(o) - 300; s++)
		k += *s == '@' ? (size_t)snprintf(o + k, sizeof(o) - k, "%s", dir)
			       : (size_t)snprintf(o + k, sizeof(o) - k, "%c", *s);
	o[k] = '\0';
	snprintf(text, sizeof(text),
		 "vrrp_check c {\n  https https://127.0.0.1:%u/health body ready\n%s}\n",
		 (unsigned)port, o);
	struct config *c = conf_load_buffer("t.conf", text, strlen(text), &m);
	for (size_t i = 0; !c && i < m.n; i++)
		fprintf(stderr, "    %s\n", m.v[i]);
	conf_msgs_free(&m);
	assert_non_null(c);
	return c;
}

/* One run against a server of MODE with certificate NAME, the check's
 * options OPTS; the outcome must be OK with WHY (a prefix when it ends with
 * '*'). Returns the server's record in S (closed). */
static void run_case(enum srv_mode mode, const char *name, const char *opts, bool ok,
		     const char *why, struct srv *s)
{
	struct loop l;
	struct outcome o = {0};
	char err[160];

	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	uint16_t port = srv_open(s, &l, mode, name);
	struct config *c = load(port, opts);
	o.l = &l;
	o.p = probe_start(&l, &c->scripts[0].check, 300, done, &o, err, sizeof(err));
	assert_non_null(o.p);
	assert_int_equal(o.n, 0); /* never told from inside probe_start */
	assert_int_equal(loop_run(&l), 0);
	assert_int_equal(o.n, 1);
	size_t wl = strlen(why);
	bool match = why[wl - 1] == '*' ? !strncmp(o.why, why, wl - 1) : !strcmp(o.why, why);
	if (o.ok != ok || !match)
		fprintf(stderr, "  %s: got %d '%s', want %d '%s'\n", opts, o.ok, o.why, ok, why);
	assert_int_equal(o.ok, ok);
	assert_true(match);
	srv_close(s);
	conf_free(c);
	loop_free(&l);
}

static void test_up(void **state)
{
	struct srv s;
	uint64_t forks = proc_started_count();

	(void)state;
	run_case(SRV_TLS, "lo", "  ca_file @/lo.crt\n", true, "status 200", &s);
	assert_int_equal(strncmp(s.req, "GET /health HTTP/1.1\r\n", 22), 0);
	assert_non_null(strstr(s.req, "\r\nHost: 127.0.0.1:"));
	assert_string_equal(s.sni, ""); /* no name: no SNI */
	/* sni: sent, verified against the certificate's DNS name, the Host */
	run_case(SRV_TLS, "lo", "  ca_file @/lo.crt\n  sni lab.example\n", true, "status 200", &s);
	assert_string_equal(s.sni, "lab.example");
	assert_non_null(strstr(s.req, "\r\nHost: lab.example:"));
	/* verify off: any certificate */
	run_case(SRV_TLS, "other", "  verify off\n", true, "status 200", &s);
	assert_int_equal(proc_started_count(), forks); /* no process */
}

static void test_verify_failed(void **state)
{
	struct srv s;

	(void)state;
	/* self-signed, not in the system's store */
	run_case(SRV_TLS, "lo", "", false, "certificate verify failed: self-signed certificate",
		 &s);
	/* trusted, but for another address / name */
	run_case(SRV_TLS, "other", "  ca_file @/other.crt\n", false,
		 "certificate verify failed: IP address mismatch", &s);
	run_case(SRV_TLS, "lo", "  ca_file @/lo.crt\n  sni api.example\n", false,
		 "certificate verify failed: hostname mismatch", &s);
}

static void test_not_tls(void **state)
{
	struct srv s;

	(void)state;
	run_case(SRV_PLAIN, "lo", "  verify off\n", false,
		 "TLS handshake failed: wrong version number", &s);
	run_case(SRV_SILENT, "lo", "  verify off\n", false, "TLS handshake not done within 0.300 s",
		 &s);
	run_case(SRV_MUTE, "lo", "  verify off\n", false, "no answer within 0.300 s", &s);
}

/* Refused at once: told from the loop, like http's. */
static void test_refused(void **state)
{
	struct srv s;
	struct loop l;
	struct outcome o = {0};
	char err[160];

	(void)state;
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	uint16_t port = srv_open(&s, &l, SRV_TLS, "lo");
	srv_close(&s); /* nothing listens there now */
	struct config *c = load(port, "  verify off\n");
	o.l = &l;
	o.p = probe_start(&l, &c->scripts[0].check, 300, done, &o, err, sizeof(err));
	assert_non_null(o.p);
	assert_int_equal(loop_run(&l), 0);
	assert_int_equal(o.n, 1);
	assert_false(o.ok);
	assert_string_equal(o.why, strerror(ECONNREFUSED));
	conf_free(c);
	loop_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_up),
	    cmocka_unit_test(test_verify_failed),
	    cmocka_unit_test(test_not_tls),
	    cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
