/* Unit tests for check/probe (src/check/probe.c, check_tcp.c, check_http.c,
 * check_icmp.c, check_mysql.c): each kind run in a real event loop against
 * a server in the same loop on the loopback interface — up, refused, wrong
 * status, body mismatch, timeout — and that no outcome is told from inside
 * probe_start. (The MySQL check against a real server: t_check_mysql.sh.) */
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

#include "check/probe.h"
#include "io/proc.h"

struct srv {
	struct loop *l;
	struct loop_fd lh, ch;
	const char *reply; /* NULL: accept, read, never answer */
	const char *greet; /* sent at once on accept (a server that speaks first) */
	char req[2048];
	size_t req_len;
};

struct outcome {
	int n;
	bool ok;
	char why[160];
	struct probe *p;
	struct loop *l;
};

static void done(void *arg, bool ok, const char *why)
{
	struct outcome *o = arg;

	o->n++;
	o->ok = ok;
	snprintf(o->why, sizeof(o->why), "%s", why);
	probe_free(o->p); /* DONE may free the probe */
	o->p = NULL;
	loop_stop(o->l);
}

static void srv_conn(void *arg, uint32_t events)
{
	struct srv *s = arg;
	ssize_t n = recv(s->ch.fd, s->req + s->req_len, sizeof(s->req) - 1 - s->req_len, 0);

	(void)events;
	if (n <= 0)
		goto close;
	s->req_len += (size_t)n;
	s->req[s->req_len] = '\0';
	if (!strstr(s->req, "\r\n\r\n") || !s->reply)
		return;
	assert_int_equal(send(s->ch.fd, s->reply, strlen(s->reply), MSG_NOSIGNAL),
			 (ssize_t)strlen(s->reply));
close:
	loop_del_fd(s->l, &s->ch);
	close(s->ch.fd);
	s->ch.fd = -1;
}

static void srv_accept(void *arg, uint32_t events)
{
	struct srv *s = arg;

	(void)events;
	s->ch = (struct loop_fd){
	    .fd = accept4(s->lh.fd, NULL, NULL, SOCK_NONBLOCK), .cb = srv_conn, .arg = s};
	assert_true(s->ch.fd >= 0);
	assert_int_equal(loop_add_fd(s->l, &s->ch, EPOLLIN), 0);
	if (s->greet)
		assert_int_equal(send(s->ch.fd, s->greet, strlen(s->greet), MSG_NOSIGNAL),
				 (ssize_t)strlen(s->greet));
}

/* A listener on 127.0.0.1, an ephemeral port; returns the port. */
static uint16_t srv_open(struct srv *s, struct loop *l, const char *reply)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof(a);

	*s = (struct srv){.l = l, .reply = reply, .ch = {.fd = -1}};
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
	if (s->ch.fd >= 0) {
		loop_del_fd(s->l, &s->ch);
		close(s->ch.fd);
	}
	loop_del_fd(s->l, &s->lh);
	close(s->lh.fd);
}

/* Runs C once with TIMEOUT_MS; the outcome in O. */
static void run(struct loop *l, const struct conf_check *c, uint32_t timeout_ms, struct outcome *o)
{
	char err[160];

	*o = (struct outcome){.l = l};
	o->p = probe_start(l, c, timeout_ms, done, o, err, sizeof(err));
	assert_non_null(o->p);
	assert_int_equal(o->n, 0); /* never told from inside probe_start */
	l->stop = false;	   /* the loop may have been stopped by a run before */
	assert_int_equal(loop_run(l), 0);
	assert_int_equal(o->n, 1);
	assert_null(o->p);
}

static struct conf_check tcp_check(uint16_t port)
{
	struct conf_check c = {.kind = CONF_CHECK_TCP, .port = port};

	addr_parse("127.0.0.1", &c.addr);
	return c;
}

static void test_tcp(void **state)
{
	struct loop l;
	struct srv s;
	struct outcome o;
	uint64_t forks = proc_started_count();

	(void)state;
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	struct conf_check c = tcp_check(srv_open(&s, &l, NULL));
	run(&l, &c, 1000, &o);
	assert_true(o.ok);
	assert_string_equal(o.why, "connected");
	srv_close(&s);
	/* nothing listens there now */
	run(&l, &c, 1000, &o);
	assert_false(o.ok);
	assert_string_equal(o.why, strerror(ECONNREFUSED));
	assert_int_equal(proc_started_count(), forks); /* no process */
	loop_free(&l);
}

static struct conf_check http_check(uint16_t port, unsigned status, const char *body)
{
	struct conf_check c = {.kind = CONF_CHECK_HTTP, .status = status};
	char url[64], why[64];

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/health", port);
	assert_true(hcheck_url_parse(url, &c.url, why, sizeof(why)));
	snprintf(c.body, sizeof(c.body), "%s", body);
	c.addr = c.url.addr;
	return c;
}

static void http_case(const char *reply, unsigned status, const char *body, bool ok,
		      const char *why)
{
	struct loop l;
	struct srv s;
	struct outcome o;

	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	struct conf_check c = http_check(srv_open(&s, &l, reply), status, body);
	run(&l, &c, 300, &o);
	if (o.ok != ok || strcmp(o.why, why))
		fprintf(stderr, "  reply %.20s...: got %d '%s'\n", reply ? reply : "(none)", o.ok,
			o.why);
	assert_int_equal(o.ok, ok);
	assert_string_equal(o.why, why);
	if (reply) { /* the request the server saw */
		assert_int_equal(strncmp(s.req, "GET /health HTTP/1.1\r\n", 22), 0);
		assert_non_null(strstr(s.req, "\r\nConnection: close\r\n"));
	}
	srv_close(&s);
	loop_free(&l);
}

static void test_http(void **state)
{
	(void)state;
	http_case("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nready", 200, "", true, "status 200");
	http_case("HTTP/1.0 200 OK\r\n\r\nstate=ready\n", 200, "ready", true, "status 200");
	http_case("HTTP/1.1 503 Service Unavailable\r\n\r\n", 200, "", false, "status 503");
	http_case("HTTP/1.1 503 Service Unavailable\r\n\r\n", 503, "", true, "status 503");
	http_case("HTTP/1.0 200 OK\r\n\r\nstarting\n", 200, "ready", false,
		  "status 200, body does not contain 'ready'");
	http_case("garbage\r\n\r\n", 200, "", false, "the response is not HTTP");
	/* connected, request read, no answer: the timeout decides */
	http_case(NULL, 200, "", false, "no answer within 0.300 s");
}

static void test_icmp(void **state)
{
	struct loop l;
	struct outcome o;
	struct conf_check c = {.kind = CONF_CHECK_ICMP};
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	(void)state;
	if (fd < 0) {
		fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
		if (fd < 0) {
			fprintf(stderr, "  skipped: neither a raw nor a datagram ICMP socket: %s\n",
				strerror(errno));
			skip();
		}
	}
	close(fd);
	addr_parse("127.0.0.1", &c.addr);
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	run(&l, &c, 1000, &o);
	assert_true(o.ok);
	assert_string_equal(o.why, "echo reply");
	addr_parse("::1", &c.addr);
	run(&l, &c, 1000, &o);
	if (!o.ok && strstr(o.why, "address"))
		fprintf(stderr, "  no IPv6 loopback here (%s)\n", o.why);
	else
		assert_true(o.ok);
	loop_free(&l);
}

static struct conf_check mysql_check(uint16_t port)
{
	struct conf_check c = {.kind = CONF_CHECK_MYSQL, .port = port};

	addr_parse("127.0.0.1", &c.addr);
	strcpy(c.my.user, "vrrpd");
	strcpy(c.my.password, "secret");
	strcpy(c.my.query, "SELECT 1");
	return c;
}

static void test_mysql(void **state)
{
	struct loop l;
	struct srv s;
	struct outcome o;
	uint64_t forks = proc_started_count();

	(void)state;
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	/* connected, no greeting from the server: the timeout decides, and the
	 * login in progress is abandoned */
	struct conf_check c = mysql_check(srv_open(&s, &l, NULL));
	run(&l, &c, 300, &o);
	assert_false(o.ok);
	assert_string_equal(o.why, "no answer within 0.300 s");
	/* a server that speaks, but not MySQL's protocol */
	s.greet = "HTTP/1.0 400 Bad Request\r\n\r\n";
	run(&l, &c, 1000, &o);
	assert_false(o.ok);
	assert_non_null(strstr(o.why, "cannot log in: "));
	assert_non_null(strstr(o.why, "(error 2"));
	srv_close(&s);
	/* nothing listens there now */
	run(&l, &c, 1000, &o);
	assert_false(o.ok);
	assert_non_null(strstr(o.why, "cannot log in: "));
	/* a unix socket that does not exist */
	c.addr = (struct vaddr){0};
	strcpy(c.my.socket, "/nonexistent/vrrpd-test.sock");
	run(&l, &c, 1000, &o);
	assert_false(o.ok);
	assert_non_null(strstr(o.why, "cannot log in: "));
	assert_int_equal(proc_started_count(), forks); /* no process */
	loop_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tcp),
	    cmocka_unit_test(test_http),
	    cmocka_unit_test(test_icmp),
	    cmocka_unit_test(test_mysql),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
