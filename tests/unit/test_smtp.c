/* Unit tests for src/ops/smtp.c: the SMTP dialogue state machine against
 * scripted server replies (fed whole, split at every byte position, and one
 * byte at a time), and the socket wrapper against a scripted server on a
 * loopback TCP socket in the same process. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>

#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "ops/smtp.h"

/* ---- scripted dialogues ---- */

static const char *const two_to[] = {"ops@example.com", "oncall@example.com"};

static void mail_init(struct smtp *s, const char *body)
{
	struct smtp_mail m = {.from = "vrrpd@r1.example.com",
			      .to = two_to,
			      .n_to = 2,
			      .subject = "[r1] VI_1 is now MASTER",
			      .body = body,
			      .helo = "r1.example.com",
			      .date = 1763786606,
			      .message_id = "<1.vrrpd@r1.example.com>"};

	assert_int_equal(smtp_init(s, &m), 0);
	assert_int_equal(s->state, SMTP_GREETING);
}

static const char message[] = "Date: Sat, 22 Nov 2025 04:43:26 +0000\r\n"
			      "From: vrrpd@r1.example.com\r\n"
			      "To: ops@example.com, oncall@example.com\r\n"
			      "Subject: [r1] VI_1 is now MASTER\r\n"
			      "Message-ID: <1.vrrpd@r1.example.com>\r\n"
			      "MIME-Version: 1.0\r\n"
			      "Content-Type: text/plain; charset=UTF-8\r\n"
			      "Content-Transfer-Encoding: 8bit\r\n"
			      "X-Mailer: vrrpd\r\n"
			      "\r\n"
			      "VI_1 went from BACKUP to MASTER.\r\n"
			      ".\r\n";

/* One exchange: what the server says, then what the client must answer. */
struct step {
	const char *server;
	const char *client;
	const char *cmd; /* the command being answered, for the error message */
};

static const struct step happy[] = {
    {"220 mail.example.com ESMTP ready\r\n", "EHLO r1.example.com\r\n", "connecting"},
    {"250-mail.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n",
     "MAIL FROM:<vrrpd@r1.example.com>\r\n", "EHLO r1.example.com"},
    {"250 2.1.0 Ok\r\n", "RCPT TO:<ops@example.com>\r\n", "MAIL FROM:<vrrpd@r1.example.com>"},
    {"250 2.1.5 Ok\r\n", "RCPT TO:<oncall@example.com>\r\n", "RCPT TO:<ops@example.com>"},
    {"251 2.1.5 will forward\r\n", "DATA\r\n", "RCPT TO:<oncall@example.com>"},
    {"354 End data with <CR><LF>.<CR><LF>\r\n", message, "DATA"},
    {"250 2.0.0 Ok: queued as 1234\r\n", "QUIT\r\n", "the message"},
    {"221 2.0.0 Bye\r\n", "", "QUIT"},
};
#define N_HAPPY (sizeof(happy) / sizeof(happy[0]))

static void take(struct smtp *s, const char *want)
{
	const char *d;
	size_t n = smtp_pending(s, &d);

	if (n != strlen(want) || memcmp(d, want, n))
		fprintf(stderr, "    client sent '%.*s'\n    expected    '%s'\n", (int)n, d, want);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(d, want, n);
	smtp_sent(s, n);
	assert_int_equal(smtp_pending(s, &d), 0);
}

static void test_happy_dialogue(void **state)
{
	(void)state;
	static const enum smtp_state after[] = {SMTP_EHLO, SMTP_MAIL, SMTP_RCPT, SMTP_RCPT,
						SMTP_DATA, SMTP_BODY, SMTP_QUIT, SMTP_DONE};
	struct smtp s;
	const char *d;

	mail_init(&s, "VI_1 went from BACKUP to MASTER.\n");
	assert_int_equal(smtp_pending(&s, &d), 0); /* the server speaks first */
	for (size_t k = 0; k < N_HAPPY; k++) {
		assert_int_equal(smtp_feed(&s, happy[k].server, strlen(happy[k].server)), after[k]);
		take(&s, happy[k].client);
	}
	assert_string_equal(smtp_error(&s), "");
	smtp_free(&s);
}

/* The whole server side in one string, and the whole client side. */
static void transcripts(char *srv, size_t sl, char *cli, size_t cl)
{
	srv[0] = cli[0] = '\0';
	for (size_t k = 0; k < N_HAPPY; k++) {
		strncat(srv, happy[k].server, sl - strlen(srv) - 1);
		strncat(cli, happy[k].client, cl - strlen(cli) - 1);
	}
}

static void test_split_at_every_byte(void **state)
{
	(void)state;
	char srv[2048], cli[4096];
	size_t n;

	transcripts(srv, sizeof(srv), cli, sizeof(cli));
	n = strlen(srv);
	/* Two pieces, cut at every position; the client's commands pile up
	 * (as with a pipelining server) and must come out the same. */
	for (size_t cut = 0; cut <= n; cut++) {
		struct smtp s;
		const char *d;

		mail_init(&s, "VI_1 went from BACKUP to MASTER.\n");
		smtp_feed(&s, srv, cut);
		smtp_feed(&s, srv + cut, n - cut);
		assert_int_equal(s.state, SMTP_DONE);
		assert_int_equal(smtp_pending(&s, &d), strlen(cli));
		assert_memory_equal(d, cli, strlen(cli));
		smtp_free(&s);
	}
	/* One byte at a time, taking the output as it comes. */
	{
		struct smtp s;
		char got[4096];
		size_t o = 0;

		mail_init(&s, "VI_1 went from BACKUP to MASTER.\n");
		for (size_t k = 0; k < n; k++) {
			const char *d;
			size_t p;

			smtp_feed(&s, srv + k, 1);
			p = smtp_pending(&s, &d);
			assert_true(o + p < sizeof(got));
			memcpy(got + o, d, p);
			o += p;
			/* and write it in odd pieces */
			smtp_sent(&s, p / 2);
			smtp_sent(&s, p - p / 2);
		}
		assert_int_equal(s.state, SMTP_DONE);
		assert_int_equal(o, strlen(cli));
		assert_memory_equal(got, cli, o);
		smtp_free(&s);
	}
}

static void test_bare_lf_and_long_lines(void **state)
{
	(void)state;
	struct smtp s;
	char big[3000];

	mail_init(&s, "x");
	/* LF without CR, and a very long greeting line. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "220 ", 4);
	big[sizeof(big) - 1] = '\n';
	smtp_feed(&s, big, sizeof(big));
	take(&s, "EHLO r1.example.com\r\n");
	smtp_feed(&s, "250 ok\n", 7);
	take(&s, "MAIL FROM:<vrrpd@r1.example.com>\r\n");
	smtp_free(&s);
}

static void test_helo_fallback(void **state)
{
	(void)state;
	struct smtp s;

	mail_init(&s, "x");
	smtp_feed(&s, "220 old server\r\n", 16);
	take(&s, "EHLO r1.example.com\r\n");
	assert_int_equal(smtp_feed(&s, "502 5.5.2 Error: command not recognized\r\n", 41),
			 SMTP_HELO);
	take(&s, "HELO r1.example.com\r\n");
	assert_int_equal(smtp_feed(&s, "250 old.example.com\r\n", 21), SMTP_MAIL);
	take(&s, "MAIL FROM:<vrrpd@r1.example.com>\r\n");
	smtp_free(&s);

	/* HELO refused too. */
	mail_init(&s, "x");
	smtp_feed(&s, "220 x\r\n500 no\r\n", 15);
	take(&s, "EHLO r1.example.com\r\nHELO r1.example.com\r\n");
	assert_int_equal(smtp_feed(&s, "501 5.5.4 go away\r\n", 19), SMTP_FAILED);
	assert_string_equal(smtp_error(&s),
			    "smtp: server said 501 5.5.4 go away after HELO r1.example.com");
	smtp_free(&s);
}

/* A failing reply at step K fails the mail with a message naming it. */
static void test_refused_at_every_step(void **state)
{
	(void)state;

	for (size_t k = 0; k + 1 < N_HAPPY; k++) {
		/* 5xx after EHLO means "try HELO"; use a 4xx there. */
		const char *bad = k == 1 ? "421 4.3.2 busy, try later\r\n"
					 : "554-5.7.1 refused\r\n554 5.7.1 really\r\n";
		struct smtp s;
		char want[512];
		const char *d;

		mail_init(&s, "VI_1 went from BACKUP to MASTER.\n");
		for (size_t j = 0; j < k; j++) {
			smtp_feed(&s, happy[j].server, strlen(happy[j].server));
			take(&s, happy[j].client);
		}
		assert_int_equal(smtp_feed(&s, bad, strlen(bad)), SMTP_FAILED);
		if (k == 1)
			snprintf(want, sizeof(want),
				 "smtp: server said 421 4.3.2 busy, try later after %s",
				 happy[k].cmd);
		else
			snprintf(want, sizeof(want), "smtp: server said 554 5.7.1 refused after %s",
				 happy[k].cmd);
		assert_string_equal(smtp_error(&s), want);
		assert_int_equal(smtp_pending(&s, &d), 0);
		/* Nothing moves it any more. */
		assert_int_equal(smtp_feed(&s, "250 ok\r\n", 8), SMTP_FAILED);
		smtp_free(&s);
	}
}

static void test_dot_stuffing_and_line_ends(void **state)
{
	(void)state;
	struct smtp s;
	const char *d;
	size_t n;
	const char *body;

	mail_init(&s, ".hidden\n..two\r\nmid.dle\n.\n\nlast line without end");
	smtp_feed(&s, "220 a\r\n250 b\r\n250 c\r\n250 d\r\n250 e\r\n354 f\r\n", 42);
	n = smtp_pending(&s, &d);
	body = strstr(d, "X-Mailer: vrrpd\r\n\r\n");
	assert_non_null(body);
	body += strlen("X-Mailer: vrrpd\r\n\r\n");
	assert_int_equal(d + n - body,
			 strlen("..hidden\r\n...two\r\nmid.dle\r\n..\r\n\r\nlast line "
				"without end\r\n.\r\n"));
	assert_memory_equal(body,
			    "..hidden\r\n...two\r\nmid.dle\r\n..\r\n\r\nlast line without end\r\n"
			    ".\r\n",
			    (size_t)(d + n - body));
	smtp_free(&s);

	/* Empty body: just the terminator after the blank line. */
	mail_init(&s, "");
	smtp_feed(&s, "220 a\r\n250 b\r\n250 c\r\n250 d\r\n250 e\r\n354 f\r\n", 42);
	n = smtp_pending(&s, &d);
	assert_true(n > 12);
	assert_memory_equal(d + n - 12, "vrrpd\r\n\r\n.\r\n", 12);
	smtp_free(&s);
}

static void test_headers(void **state)
{
	(void)state;
	struct smtp s;
	struct smtp_mail m = {.from = "a@b",
			      .to = two_to,
			      .n_to = 1,
			      .subject = "evil\r\nBcc: victim@example.com",
			      .body = "x",
			      .helo = "h",
			      .date = 0};
	const char *d;
	char b[64];

	assert_string_equal(smtp_date(0, b, sizeof(b)), "Thu, 01 Jan 1970 00:00:00 +0000");
	assert_string_equal(smtp_date(1763786606, b, sizeof(b)), "Sat, 22 Nov 2025 04:43:26 +0000");
	assert_string_equal(smtp_date(951782400, b, sizeof(b)), "Tue, 29 Feb 2000 00:00:00 +0000");
	assert_string_equal(smtp_subject(b, sizeof(b), "r1", "VI_1", "MASTER"),
			    "[r1] VI_1 is now MASTER");
	assert_string_equal(smtp_subject(b, sizeof(b), "r1", "G", "FAULT"), "[r1] G is now FAULT");

	assert_int_equal(smtp_init(&s, &m), 0);
	smtp_feed(&s, "220 a\r\n250 b\r\n250 c\r\n250 d\r\n354 f\r\n", 35);
	smtp_pending(&s, &d);
	assert_non_null(strstr(d, "\r\nSubject: evil  Bcc: victim@example.com\r\n"));
	assert_null(strstr(d, "\r\nBcc:"));
	assert_non_null(strstr(d, "\r\nTo: ops@example.com\r\n"));
	assert_non_null(strstr(d, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
	assert_non_null(strstr(d, "\r\nMessage-ID: <0."));
	assert_non_null(strstr(d, ".vrrpd@h>\r\n"));
	smtp_free(&s);
}

static void test_bad_input(void **state)
{
	(void)state;
	static const char *const bad_to[] = {"x@y>\r\nRCPT TO:<z@w"};
	struct smtp_mail m = {.from = "a@b", .to = two_to, .n_to = 0, .helo = "h"};
	struct smtp s;

	assert_int_equal(smtp_init(&s, &m), -1);
	assert_string_equal(smtp_error(&s), "smtp: no recipient");
	smtp_free(&s);
	m.n_to = 1;
	m.from = "a@b\r\n";
	assert_int_equal(smtp_init(&s, &m), -1);
	assert_string_equal(smtp_error(&s), "smtp: bad sender address 'a@b\r\n'");
	smtp_free(&s);
	m.from = "a@b";
	m.to = bad_to;
	assert_int_equal(smtp_init(&s, &m), -1);
	assert_int_equal(s.state, SMTP_FAILED);
	smtp_free(&s);

	/* Malformed replies. */
	mail_init(&s, "x");
	assert_int_equal(smtp_feed(&s, "hello\r\n", 7), SMTP_FAILED);
	assert_string_equal(smtp_error(&s), "smtp: malformed reply 'hello' after connecting");
	smtp_free(&s);
	mail_init(&s, "x");
	smtp_feed(&s, "220 x\r\n", 7);
	assert_int_equal(smtp_feed(&s, "250-a\r\n251 b\r\n", 14), SMTP_FAILED);
	assert_string_equal(smtp_error(&s), "smtp: malformed reply: 251 in the middle of a 250 "
					    "reply after EHLO r1.example.com");
	smtp_free(&s);
	/* A greeting that is not 220. */
	mail_init(&s, "x");
	assert_int_equal(smtp_feed(&s, "554 no service\r\n", 16), SMTP_FAILED);
	assert_string_equal(smtp_error(&s), "smtp: server said 554 no service after connecting");
	smtp_free(&s);
	/* A bare code. */
	mail_init(&s, "x");
	assert_int_equal(smtp_feed(&s, "421\r\n", 5), SMTP_FAILED);
	assert_string_equal(smtp_error(&s), "smtp: server said 421 after connecting");
	smtp_free(&s);
}

/* What the server says ends up in the log: its control characters (an
 * escape sequence, a carriage return in mid-line, a NUL) are shown as '?'
 * (found by tests/fuzz/fuzz_smtp.c). */
static void test_server_text_is_sanitized(void **state)
{
	(void)state;
	struct smtp s;

	mail_init(&s, "x");
	smtp_feed(&s, "220 x\r\n250 ok\r\n", 15);
	assert_int_equal(smtp_feed(&s, "550 \x1b[31mno\rsuch\auser\r\n", 23), SMTP_FAILED);
	assert_string_equal(smtp_error(&s), "smtp: server said 550 ?[31mno?such?user after MAIL "
					    "FROM:<vrrpd@r1.example.com>");
	smtp_free(&s);
	mail_init(&s, "x");
	assert_int_equal(smtp_feed(&s,
				   "2\x1d"
				   "0 x\0y\r\n",
				   9),
			 SMTP_FAILED);
	assert_string_equal(smtp_error(&s), "smtp: malformed reply '2?0 x?y' after connecting");
	smtp_free(&s);
}

/* smtp_pending() promises a NUL-terminated string: also when nothing is
 * pending, after everything was written or after a failure dropped what
 * was queued (found by tests/fuzz/fuzz_smtp.c: the stale command was still
 * there). */
static void test_pending_is_a_string_when_empty(void **state)
{
	(void)state;
	struct smtp s;
	const char *d;

	mail_init(&s, "x");
	smtp_feed(&s, "220 x\r\n", 7);
	assert_int_equal(smtp_pending(&s, &d), 21);
	assert_string_equal(d, "EHLO r1.example.com\r\n");
	smtp_sent(&s, 21);
	assert_int_equal(smtp_pending(&s, &d), 0);
	assert_string_equal(d, "");
	smtp_free(&s);

	mail_init(&s, "x");
	smtp_feed(&s, "220 x\r\n", 7);
	assert_int_equal(smtp_feed(&s, "hello\r\n", 7), SMTP_FAILED);
	assert_int_equal(smtp_pending(&s, &d), 0);
	assert_string_equal(d, "");
	smtp_free(&s);
}

static void test_closed(void **state)
{
	(void)state;
	struct smtp s;

	mail_init(&s, "x");
	smtp_feed(&s, "220 x\r\n", 7);
	smtp_closed(&s, "connection closed by the server");
	assert_int_equal(s.state, SMTP_FAILED);
	assert_string_equal(smtp_error(&s), "smtp: connection closed by the server while waiting "
					    "for the reply to EHLO r1.example.com");
	smtp_free(&s);

	/* After the message was accepted, a close instead of 221 is fine. */
	mail_init(&s, "x");
	smtp_feed(&s, "220 a\r\n250 b\r\n250 c\r\n250 d\r\n250 e\r\n354 f\r\n250 g\r\n", 49);
	assert_int_equal(s.state, SMTP_QUIT);
	smtp_closed(&s, "connection closed by the server");
	assert_int_equal(s.state, SMTP_DONE);
	smtp_free(&s);
}

/* ---- the socket wrapper against a loopback server ---- */

static int listener(uint16_t *port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t l = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &l), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* A tiny scripted server: answers every command line, collects the
 * message. */
struct server {
	int fd;
	char in[8192];
	size_t in_len;
	bool data;
	char received[8192];
	size_t rec_len;
	bool quit;
};

static void srv_say(struct server *sv, const char *s)
{
	assert_int_equal(send(sv->fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

static void srv_step(struct server *sv)
{
	ssize_t r =
	    recv(sv->fd, sv->in + sv->in_len, sizeof(sv->in) - sv->in_len - 1, MSG_DONTWAIT);
	char *nl;

	if (r <= 0)
		return;
	memcpy(sv->received + sv->rec_len, sv->in + sv->in_len, (size_t)r);
	sv->rec_len += (size_t)r;
	sv->in_len += (size_t)r;
	sv->in[sv->in_len] = '\0';
	while ((nl = strstr(sv->in, "\r\n"))) {
		size_t n = (size_t)(nl - sv->in) + 2;

		if (sv->data) {
			if (n == 3 && sv->in[0] == '.') {
				sv->data = false;
				srv_say(sv, "250 2.0.0 queued\r\n");
			}
		} else if (!strncmp(sv->in, "DATA", 4)) {
			sv->data = true;
			srv_say(sv, "354 go ahead\r\n");
		} else if (!strncmp(sv->in, "QUIT", 4)) {
			srv_say(sv, "221 bye\r\n");
			sv->quit = true;
		} else if (!strncmp(sv->in, "EHLO", 4)) {
			srv_say(sv, "250-localhost\r\n250 8BITMIME\r\n");
		} else {
			srv_say(sv, "250 ok\r\n");
		}
		memmove(sv->in, sv->in + n, sv->in_len - n + 1);
		sv->in_len -= n;
	}
}

static void test_conn_loopback(void **state)
{
	(void)state;
	struct smtp_mail m = {.from = "vrrpd@r1",
			      .to = two_to,
			      .n_to = 2,
			      .subject = "[r1] VI_1 is now BACKUP",
			      .body = "state BACKUP\n",
			      .helo = "r1",
			      .date = 1763786606};
	struct smtp_conn c;
	struct server sv;
	struct vaddr a;
	uint16_t port;
	int lfd = listener(&port);
	int rounds = 0;

	memset(&sv, 0, sizeof(sv));
	assert_int_equal(addr_parse("127.0.0.1", &a), 0);
	assert_int_equal(smtp_conn_start(&c, &a, port, &m), 0);
	assert_true(c.fd >= 0);
	assert_int_equal(smtp_conn_events(&c), EPOLLOUT);
	sv.fd = accept(lfd, NULL, NULL);
	assert_true(sv.fd >= 0);
	srv_say(&sv, "220 localhost ESMTP\r\n");
	for (;;) {
		uint32_t ev = smtp_conn_events(&c);
		struct pollfd p[2] = {{.fd = c.fd,
				       .events = (short)((ev & EPOLLIN ? POLLIN : 0) |
							 (ev & EPOLLOUT ? POLLOUT : 0))},
				      {.fd = sv.fd, .events = POLLIN}};
		uint32_t got = 0;

		assert_true(++rounds < 1000);
		assert_true(poll(p, 2, 5000) > 0);
		if (p[1].revents & POLLIN)
			srv_step(&sv);
		if (p[0].revents & POLLIN)
			got |= EPOLLIN;
		if (p[0].revents & POLLOUT)
			got |= EPOLLOUT;
		if (p[0].revents & POLLERR)
			got |= EPOLLERR;
		if (p[0].revents & POLLHUP)
			got |= EPOLLHUP;
		if (got && smtp_conn_on_event(&c, got))
			break;
	}
	assert_int_equal(c.s.state, SMTP_DONE);
	assert_int_equal(c.fd, -1);
	assert_int_equal(smtp_conn_events(&c), 0);
	assert_true(sv.quit);
	sv.received[sv.rec_len] = '\0';
	assert_non_null(strstr(sv.received, "EHLO r1\r\nMAIL FROM:<vrrpd@r1>\r\n"
					    "RCPT TO:<ops@example.com>\r\n"
					    "RCPT TO:<oncall@example.com>\r\nDATA\r\n"));
	assert_non_null(strstr(sv.received, "Subject: [r1] VI_1 is now BACKUP\r\n"));
	assert_non_null(strstr(sv.received, "\r\n\r\nstate BACKUP\r\n.\r\nQUIT\r\n"));
	smtp_conn_free(&c);
	close(sv.fd);
	close(lfd);
}

static void test_conn_refused_and_timeout(void **state)
{
	(void)state;
	struct smtp_mail m = {.from = "a@b", .to = two_to, .n_to = 1, .body = "x", .helo = "h"};
	struct smtp_conn c;
	struct vaddr a;
	uint16_t port;
	int lfd = listener(&port);
	char want[256];

	/* Nobody listens any more: refused, at once or on the first event. */
	close(lfd);
	assert_int_equal(addr_parse("127.0.0.1", &a), 0);
	if (smtp_conn_start(&c, &a, port, &m) == 0) {
		struct pollfd p = {.fd = c.fd, .events = POLLOUT};

		assert_int_equal(poll(&p, 1, 5000), 1);
		assert_true(smtp_conn_on_event(&c, EPOLLOUT | EPOLLERR));
	}
	assert_int_equal(c.s.state, SMTP_FAILED);
	snprintf(want, sizeof(want), "smtp: connecting to 127.0.0.1 port %u: Connection refused",
		 port);
	assert_string_equal(smtp_error(&c.s), want);
	assert_int_equal(c.fd, -1);
	smtp_conn_free(&c);

	/* A server that accepts and then says nothing. */
	lfd = listener(&port);
	assert_int_equal(smtp_conn_start(&c, &a, port, &m), 0);
	{
		struct pollfd p = {.fd = c.fd, .events = POLLOUT};

		assert_int_equal(poll(&p, 1, 5000), 1);
		assert_false(smtp_conn_on_event(&c, EPOLLOUT));
		assert_int_equal(smtp_conn_events(&c), EPOLLIN);
	}
	smtp_conn_timeout(&c, 30000);
	assert_string_equal(smtp_error(&c.s),
			    "smtp: timed out after 30 s waiting for the reply to connecting");
	assert_int_equal(c.fd, -1);
	smtp_conn_free(&c);
	close(lfd);

	/* The server closes the connection at once. */
	lfd = listener(&port);
	assert_int_equal(smtp_conn_start(&c, &a, port, &m), 0);
	{
		int sfd = accept(lfd, NULL, NULL);
		struct pollfd p = {.fd = c.fd, .events = POLLIN};
		bool done = false;

		assert_true(sfd >= 0);
		close(sfd);
		for (int k = 0; k < 10 && !done; k++) {
			p.events = smtp_conn_events(&c) == EPOLLOUT ? POLLOUT : POLLIN;
			assert_int_equal(poll(&p, 1, 5000), 1);
			done = smtp_conn_on_event(&c, (p.revents & POLLOUT ? EPOLLOUT : 0) |
							  (p.revents & POLLIN ? EPOLLIN : 0) |
							  (p.revents & POLLHUP ? EPOLLHUP : 0));
		}
		assert_true(done);
	}
	assert_string_equal(smtp_error(&c.s), "smtp: connection closed by the server while "
					      "waiting for the reply to connecting");
	smtp_conn_free(&c);
	close(lfd);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_happy_dialogue),
	    cmocka_unit_test(test_split_at_every_byte),
	    cmocka_unit_test(test_bare_lf_and_long_lines),
	    cmocka_unit_test(test_helo_fallback),
	    cmocka_unit_test(test_refused_at_every_step),
	    cmocka_unit_test(test_dot_stuffing_and_line_ends),
	    cmocka_unit_test(test_headers),
	    cmocka_unit_test(test_bad_input),
	    cmocka_unit_test(test_server_text_is_sanitized),
	    cmocka_unit_test(test_pending_is_a_string_when_empty),
	    cmocka_unit_test(test_closed),
	    cmocka_unit_test(test_conn_loopback),
	    cmocka_unit_test(test_conn_refused_and_timeout),
	};

	return cmocka_run_group_tests_name("smtp", tests, NULL, NULL);
}
