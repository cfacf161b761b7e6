/* check_https: vrrp_check's "https URL [status N] [body STRING]" — the GET
 * of check_http over TLS (OpenSSL), in the event loop.
 *
 * How: the non-blocking connect of probe.c; once connected, an SSL made
 * of the check's context (built at load, conf/kw_tls.c) on the socket, and
 * three steps — handshake, request, response — each an SSL call that
 * either goes on or says what it waits for (SSL_ERROR_WANT_READ /
 * WANT_WRITE), which becomes the events the loop watches. Nothing blocks;
 * the probe's timer bounds the whole run, and says which step it cut
 * short. A failure names its TLS reason: "certificate verify failed: ..."
 * with OpenSSL's verify result, else OpenSSL's reason for the error. The
 * response is judged by core/hcheck as it comes, as for http. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/probe.h"
#include "conf/ssl_dl.h"

enum { HTTPS_CONNECT, HTTPS_HANDSHAKE, HTTPS_WRITE, HTTPS_READ };

/* Before an SSL call: its reasons are then its own. */
static void https_clear(void)
{
	ERR_clear_error();
	errno = 0;
}

/* True when the response decides (the probe is finished then). */
static bool https_judge(struct probe *p, bool eof)
{
	char why[160];
	enum hcheck_http_verdict v =
	    hcheck_http_judge(p->rsp, p->rsp_len, p->c->status, p->c->body, eof, why, sizeof(why));

	if (v == HCHECK_HTTP_MORE)
		return false;
	probe_finish(p, v == HCHECK_HTTP_OK, why);
	return true;
}

/* Why the SSL call of the current step failed with ERR (SSL_get_error). */
static void https_reason(struct probe *p, int err, char *why, size_t len)
{
	static const char *const step[] = {"connect", "TLS handshake", "request", "response"};
	const char *what = step[p->tls_step];
	unsigned long e = ERR_peek_last_error();
	long vr = SSL_get_verify_result(p->ssl);

	if (p->tls_step == HTTPS_HANDSHAKE && p->c->tls.verify && vr != X509_V_OK)
		snprintf(why, len, "certificate verify failed: %s",
			 X509_verify_cert_error_string(vr));
	else if (err == SSL_ERROR_SSL && e)
		snprintf(why, len, "%s failed: %s", what,
			 ERR_reason_error_string(e) ? ERR_reason_error_string(e) : "TLS error");
	else if (err == SSL_ERROR_SYSCALL && errno)
		snprintf(why, len, "%s failed: %s", what, strerror(errno));
	else
		snprintf(why, len, "%s failed: the server closed the connection", what);
	ERR_clear_error();
}

/* After an SSL call returned RC (<= 0): true when it waits for the socket
 * (the events watched are now what it asked for); false after the verdict. */
static bool https_wait(struct probe *p, int rc)
{
	int err = SSL_get_error(p->ssl, rc);
	uint32_t ev = err == SSL_ERROR_WANT_READ    ? EPOLLIN | EPOLLRDHUP
		      : err == SSL_ERROR_WANT_WRITE ? EPOLLOUT
						    : 0;
	char why[192];

	if (!ev) {
		https_reason(p, err, why, sizeof(why));
		probe_finish(p, false, why);
		return false;
	}
	if (ev != p->ev && loop_mod_fd(p->l, &p->h, ev) < 0) {
		probe_finish(p, false, strerror(errno));
		return false;
	}
	p->ev = ev;
	return true;
}

/* The response: read what the TLS layer has, judge it. */
static void https_read(struct probe *p)
{
	for (;;) {
		https_clear();
		int n = SSL_read(p->ssl, p->rsp + p->rsp_len, (int)(HCHECK_HTTP_MAX - p->rsp_len));
		if (n > 0) {
			p->rsp_len += (size_t)n;
			if (p->rsp_len == HCHECK_HTTP_MAX) {
				https_judge(p, true);
				return;
			}
			continue;
		}
		int err = SSL_get_error(p->ssl, n);
		if (err == SSL_ERROR_WANT_READ && https_judge(p, false))
			return;
		if (err == SSL_ERROR_ZERO_RETURN || (err != SSL_ERROR_WANT_READ && p->rsp_len)) {
			ERR_clear_error();
			https_judge(p, true); /* the end, or cut: what came decides */
			return;
		}
		https_wait(p, n);
		return;
	}
}

/* Runs the steps as far as the socket lets them. */
static void https_step(struct probe *p)
{
	int rc;

	if (p->tls_step == HTTPS_HANDSHAKE) {
		https_clear();
		rc = SSL_connect(p->ssl);
		if (rc != 1) {
			https_wait(p, rc);
			return;
		}
		p->tls_step = HTTPS_WRITE;
		p->stage = NULL; /* now a timeout is "no answer" */
	}
	while (p->tls_step == HTTPS_WRITE) {
		https_clear();
		rc = SSL_write(p->ssl, p->req + p->req_sent, (int)(p->req_len - p->req_sent));
		if (rc <= 0) {
			https_wait(p, rc);
			return;
		}
		p->req_sent += (size_t)rc;
		if (p->req_sent == p->req_len)
			p->tls_step = HTTPS_READ;
	}
	https_read(p);
}

/* Connected: the SSL on the socket, SNI when the check names a server. */
static bool https_begin(struct probe *p)
{
	int e = probe_tcp_result(p);

	if (e) {
		probe_finish(p, false, strerror(e));
		return false;
	}
	p->rsp = malloc(HCHECK_HTTP_MAX);
	p->ssl = p->rsp ? SSL_new(p->c->tls.ctx) : NULL;
	if (!p->ssl || SSL_set_fd(p->ssl, p->h.fd) != 1 ||
	    (p->c->tls.sni[0] && SSL_set_tlsext_host_name(p->ssl, p->c->tls.sni) != 1)) {
		ERR_clear_error();
		probe_finish(p, false, "out of memory");
		return false;
	}
	SSL_set_connect_state(p->ssl);
	p->tls_step = HTTPS_HANDSHAKE;
	p->stage = "TLS handshake"; /* what a timeout cuts short now */
	return true;
}

static void https_event(void *arg, uint32_t events)
{
	struct probe *p = arg;

	(void)events; /* the SSL call says what happened */
	if (p->tls_step == HTTPS_CONNECT && !https_begin(p))
		return;
	https_step(p);
}

void probe_https_close(struct probe *p)
{
	SSL_free(p->ssl); /* no close_notify: the socket closes at once after */
	p->ssl = NULL;
	ERR_clear_error();
}

int probe_https_start(struct probe *p)
{
	const struct conf_tls *t = &p->c->tls;
	char host[CONF_TLS_NAME_MAX + 8];

	if (!t->ctx) {
		errno = EINVAL; /* a check not made by the configuration loader */
		return -1;
	}
	/* Host: the sni name (with the port when not 443), else the address */
	if (t->sni[0] && p->c->url.port != 443)
		snprintf(host, sizeof(host), "%s:%u", t->sni, (unsigned)p->c->url.port);
	else
		snprintf(host, sizeof(host), "%s", t->sni[0] ? t->sni : p->c->url.host);
	p->req_len = hcheck_http_request_host(&p->c->url, host, p->req, sizeof(p->req));
	if (!p->req_len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	p->tls_step = HTTPS_CONNECT;
	p->ev = EPOLLOUT;
	return probe_tcp_connect(p, &p->c->url.addr, p->c->url.port, https_event);
}
