/* check_http: vrrp_check's "http URL [status N] [body STRING]" — a GET over
 * the non-blocking connect of check_tcp, the request written as the socket
 * takes it, the response read up to HCHECK_HTTP_MAX bytes and judged by
 * core/hcheck as it comes (a wrong status fails at once). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check/probe.h"

static void http_judge(struct probe *p, bool eof)
{
	char why[160];
	enum hcheck_http_verdict v =
	    hcheck_http_judge(p->rsp, p->rsp_len, p->c->status, p->c->body, eof, why, sizeof(why));

	if (v != HCHECK_HTTP_MORE)
		probe_finish(p, v == HCHECK_HTTP_OK, why);
}

static void http_readable(struct probe *p)
{
	for (;;) {
		ssize_t n = recv(p->h.fd, p->rsp + p->rsp_len, HCHECK_HTTP_MAX - p->rsp_len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			http_judge(p, false);
			return;
		}
		if (n < 0) {
			probe_finish(p, false, strerror(errno));
			return;
		}
		p->rsp_len += (size_t)n;
		if (n == 0 || p->rsp_len == HCHECK_HTTP_MAX) {
			http_judge(p, true);
			return;
		}
	}
}

static void http_send(struct probe *p)
{
	while (p->req_sent < p->req_len) {
		ssize_t n =
		    send(p->h.fd, p->req + p->req_sent, p->req_len - p->req_sent, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return; /* EPOLLOUT again */
		if (n < 0) {
			probe_finish(p, false, strerror(errno));
			return;
		}
		p->req_sent += (size_t)n;
	}
	if (loop_mod_fd(p->l, &p->h, EPOLLIN | EPOLLRDHUP) < 0)
		probe_finish(p, false, strerror(errno));
}

static void http_event(void *arg, uint32_t events)
{
	struct probe *p = arg;

	if (!p->rsp) { /* connecting */
		int e = probe_tcp_result(p);
		if (e) {
			probe_finish(p, false, strerror(e));
			return;
		}
		p->rsp = malloc(HCHECK_HTTP_MAX);
		if (!p->rsp) {
			probe_finish(p, false, "out of memory");
			return;
		}
	}
	if (p->req_sent < p->req_len)
		http_send(p);
	else if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		http_readable(p);
}

int probe_http_start(struct probe *p)
{
	p->req_len = hcheck_http_request(&p->c->url, p->req, sizeof(p->req));
	if (!p->req_len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return probe_tcp_connect(p, &p->c->url.addr, p->c->url.port, http_event);
}
