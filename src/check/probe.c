/* probe: what the built-in checks share — start, timeout, finish, and the
 * non-blocking TCP connect that tcp, http and https use. */
#include "check/probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/script.h"

static void probe_close(struct probe *p)
{
	if (p->ssl)
		probe_https_close(p);
	if (p->cleanup) {
		p->cleanup(p);
		p->cleanup = NULL;
	}
	if (p->h.fd >= 0) {
		loop_del_fd(p->l, &p->h);
		close(p->h.fd);
		p->h.fd = -1;
	}
	loop_timer_cancel(p->l, &p->t_out);
	free(p->rsp);
	p->rsp = NULL;
}

void probe_finish(struct probe *p, bool ok, const char *why)
{
	probe_close(p);
	p->done(p->arg, ok, why);
}

static void probe_timeout(void *arg, vtime_t now)
{
	struct probe *p = arg;
	char why[96];

	(void)now;
	if (p->early_err)
		snprintf(why, sizeof(why), "%s", strerror(p->early_err));
	else if (p->stage)
		snprintf(why, sizeof(why), "%s not done within %.3f s", p->stage,
			 p->timeout_ms / 1000.0);
	else
		snprintf(why, sizeof(why), "no answer within %.3f s", p->timeout_ms / 1000.0);
	probe_finish(p, false, why);
}

static uint64_t probe_n_runs;

uint64_t probe_runs(void)
{
	return probe_n_runs;
}

struct probe *probe_start(struct loop *l, const struct conf_check *c, uint32_t timeout_ms,
			  probe_done_fn *done, void *arg, char *err, size_t errlen)
{
	struct probe *p = calloc(1, sizeof(*p));
	int rc = -1;

	if (!p) {
		script_seterr(err, errlen, "out of memory");
		return NULL;
	}
	*p = (struct probe){
	    .l = l, .c = c, .h = {.fd = -1}, .timeout_ms = timeout_ms, .done = done, .arg = arg};
	timer_init(&p->t_out, probe_timeout, p);
	switch (c->kind) {
	case CONF_CHECK_TCP:
		rc = probe_tcp_start(p);
		break;
	case CONF_CHECK_HTTP:
		rc = probe_http_start(p);
		break;
	case CONF_CHECK_ICMP:
		rc = probe_icmp_start(p);
		break;
	case CONF_CHECK_HTTPS:
		rc = probe_https_start(p);
		break;
	case CONF_CHECK_MYSQL:
		rc = probe_mysql_start(p);
		break;
	default:
		errno = EINVAL;
		break;
	}
	if (rc < 0) {
		script_seterr(err, errlen, "socket: %s", strerror(errno));
		probe_close(p);
		free(p);
		return NULL;
	}
	probe_n_runs++;
	vtime_t now = loop_now();
	loop_timer_arm(l, &p->t_out, p->early_err ? now : now + (vtime_t)timeout_ms * VTIME_MSEC);
	return p;
}

void probe_free(struct probe *p)
{
	if (!p)
		return;
	probe_close(p);
	free(p);
}

socklen_t probe_sockaddr(const struct vaddr *addr, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (addr->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = addr->u.v6;
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	s4->sin_addr = addr->u.v4;
	return sizeof(*s4);
}

int probe_watch(struct probe *p, int fd, void (*cb)(void *arg, uint32_t events), uint32_t events)
{
	p->h = (struct loop_fd){.fd = fd, .cb = cb, .arg = p};
	if (loop_add_fd(p->l, &p->h, events) < 0) {
		int e = errno;
		close(fd);
		p->h.fd = -1;
		errno = e;
		return -1;
	}
	return 0;
}

int probe_tcp_connect(struct probe *p, const struct vaddr *addr, uint16_t port,
		      void (*cb)(void *arg, uint32_t events))
{
	struct sockaddr_storage ss;
	socklen_t sl = probe_sockaddr(addr, port, &ss);
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
		p->early_err = errno; /* refused at once: told from the loop */
		close(fd);
		return 0;
	}
	return probe_watch(p, fd, cb, EPOLLOUT);
}

int probe_tcp_result(struct probe *p)
{
	int e = 0;
	socklen_t len = sizeof(e);

	if (getsockopt(p->h.fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		return errno;
	return e;
}
