/* smtp: the SMTP client dialogue as a state machine, and a non-blocking
 * socket around it.
 *
 * How: one command is outstanding at a time; each complete reply (the last
 * line of a multi-line reply, "250 " after "250-") moves the state machine
 * and queues the next command. Server bytes go through a line buffer, so a
 * reply may arrive in any number of pieces. */
#include "ops/smtp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- small helpers ---- */

static void fail(struct smtp *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct smtp *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	s->state = SMTP_FAILED;
	s->out_len = s->out_off = 0;
}

static bool grow(struct smtp *s, size_t more)
{
	size_t need = s->out_len + more + 1;

	if (need > s->out_cap) {
		size_t cap = s->out_cap ? s->out_cap : 256;
		char *n;

		while (cap < need)
			cap *= 2;
		n = realloc(s->out, cap);
		if (!n) {
			fail(s, "smtp: out of memory");
			return false;
		}
		s->out = n;
		s->out_cap = cap;
	}
	return true;
}

static void put(struct smtp *s, const char *data, size_t len)
{
	if (s->out_off == s->out_len)
		s->out_off = s->out_len = 0;
	if (!grow(s, len))
		return;
	memcpy(s->out + s->out_len, data, len);
	s->out_len += len;
	s->out[s->out_len] = '\0'; /* so the pending bytes are also a string */
}

/* Queues a command line (CRLF added) and remembers it for messages. */
static void command(struct smtp *s, enum smtp_state next, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void command(struct smtp *s, enum smtp_state next, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->cmd, sizeof(s->cmd), fmt, ap);
	va_end(ap);
	put(s, s->cmd, strlen(s->cmd));
	put(s, "\r\n", 2);
	if (s->state != SMTP_FAILED)
		s->state = next;
}

static bool addr_ok(const char *a)
{
	return a && *a && !strpbrk(a, "\r\n<>");
}

static char *xstrdup(const char *s)
{
	return strdup(s ? s : "");
}

/* Appends S to the message buffer B (size *CAP, used *LEN). */
static bool cat(char **b, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t c = *cap ? *cap : 1024;
		char *nb;

		while (c < *len + n + 1)
			c *= 2;
		nb = realloc(*b, c);
		if (!nb)
			return false;
		*b = nb;
		*cap = c;
	}
	memcpy(*b + *len, s, n);
	*len += n;
	(*b)[*len] = '\0';
	return true;
}

static bool cats(char **b, size_t *len, size_t *cap, const char *s)
{
	return cat(b, len, cap, s, strlen(s));
}

/* A header value on one line: CR and LF become spaces. */
static bool cat_header(char **b, size_t *len, size_t *cap, const char *name, const char *v)
{
	bool ok = cats(b, len, cap, name) && cats(b, len, cap, ": ");

	for (; ok && v && *v; v++) {
		char c = (*v == '\r' || *v == '\n') ? ' ' : *v;

		ok = cat(b, len, cap, &c, 1);
	}
	return ok && cats(b, len, cap, "\r\n");
}

const char *smtp_date(time_t t, char *buf, size_t len)
{
	static const char *const day[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d +0000", day[tm.tm_wday % 7], tm.tm_mday,
		 mon[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return buf;
}

const char *smtp_subject(char *buf, size_t len, const char *router_id, const char *name,
			 const char *state)
{
	snprintf(buf, len, "[%s] %s is now %s", router_id, name, state);
	return buf;
}

/* Headers, then the body with CRLF line ends and dot-stuffing, then ".". */
static char *build_message(const struct smtp_mail *m)
{
	static unsigned counter;
	char *b = NULL, date[64], id[600];
	size_t len = 0, cap = 0;
	bool ok, bol = true;
	const char *p;

	if (m->message_id)
		snprintf(id, sizeof(id), "%s", m->message_id);
	else
		snprintf(id, sizeof(id), "<%lld.%u.vrrpd@%.400s>", (long long)m->date, ++counter,
			 m->helo ? m->helo : "localhost");
	ok = cat_header(&b, &len, &cap, "Date", smtp_date(m->date, date, sizeof(date))) &&
	     cat_header(&b, &len, &cap, "From", m->from) && cats(&b, &len, &cap, "To: ");
	for (size_t k = 0; ok && k < m->n_to; k++)
		ok = (k == 0 || cats(&b, &len, &cap, ", ")) && cats(&b, &len, &cap, m->to[k]);
	ok = ok && cats(&b, &len, &cap, "\r\n") &&
	     cat_header(&b, &len, &cap, "Subject", m->subject) &&
	     cat_header(&b, &len, &cap, "Message-ID", id) &&
	     cats(&b, &len, &cap,
		  "MIME-Version: 1.0\r\n"
		  "Content-Type: text/plain; charset=UTF-8\r\n"
		  "Content-Transfer-Encoding: 8bit\r\n"
		  "X-Mailer: vrrpd\r\n"
		  "\r\n");
	for (p = m->body ? m->body : ""; ok && *p; p++) {
		if (bol && *p == '.')
			ok = cat(&b, &len, &cap, ".", 1);
		if (*p == '\r' && p[1] == '\n')
			continue; /* the '\n' writes the CRLF */
		if (*p == '\n' || *p == '\r') {
			ok = ok && cat(&b, &len, &cap, "\r\n", 2);
			bol = true;
			continue;
		}
		ok = ok && cat(&b, &len, &cap, p, 1);
		bol = false;
	}
	if (ok && !bol)
		ok = cat(&b, &len, &cap, "\r\n", 2);
	ok = ok && cat(&b, &len, &cap, ".\r\n", 3);
	if (!ok) {
		free(b);
		return NULL;
	}
	return b;
}

/* ---- the dialogue ---- */

int smtp_init(struct smtp *s, const struct smtp_mail *m)
{
	memset(s, 0, sizeof(*s));
	s->state = SMTP_GREETING;
	snprintf(s->cmd, sizeof(s->cmd), "connecting");
	if (!m->n_to) {
		fail(s, "smtp: no recipient");
		return -1;
	}
	if (!addr_ok(m->from)) {
		fail(s, "smtp: bad sender address '%s'", m->from ? m->from : "");
		return -1;
	}
	for (size_t k = 0; k < m->n_to; k++) {
		if (!addr_ok(m->to[k])) {
			fail(s, "smtp: bad recipient address '%s'", m->to[k] ? m->to[k] : "");
			return -1;
		}
	}
	s->from = xstrdup(m->from);
	s->helo =
	    xstrdup(m->helo && *m->helo && !strpbrk(m->helo, "\r\n ") ? m->helo : "localhost");
	s->to = calloc(m->n_to, sizeof(*s->to));
	s->message = build_message(m);
	if (!s->from || !s->helo || !s->to || !s->message) {
		fail(s, "smtp: out of memory");
		return -1;
	}
	s->n_to = m->n_to;
	for (size_t k = 0; k < m->n_to; k++) {
		s->to[k] = xstrdup(m->to[k]);
		if (!s->to[k]) {
			fail(s, "smtp: out of memory");
			return -1;
		}
	}
	return 0;
}

void smtp_free(struct smtp *s)
{
	free(s->from);
	for (size_t k = 0; s->to && k < s->n_to; k++)
		free(s->to[k]);
	free(s->to);
	free(s->helo);
	free(s->message);
	free(s->out);
	memset(s, 0, sizeof(*s));
	s->state = SMTP_FAILED;
}

static void refused(struct smtp *s, int code)
{
	if (s->reply[0])
		fail(s, "smtp: server said %d %s after %s", code, s->reply, s->cmd);
	else
		fail(s, "smtp: server said %d after %s", code, s->cmd);
}

/* A complete reply CODE arrived. */
static void on_reply(struct smtp *s, int code)
{
	switch (s->state) {
	case SMTP_GREETING:
		if (code != 220)
			break;
		command(s, SMTP_EHLO, "EHLO %s", s->helo);
		return;
	case SMTP_EHLO:
		if (code >= 500 && code < 600) {
			command(s, SMTP_HELO, "HELO %s", s->helo);
			return;
		}
		/* fall through */
	case SMTP_HELO:
		if (code != 250)
			break;
		command(s, SMTP_MAIL, "MAIL FROM:<%s>", s->from);
		return;
	case SMTP_MAIL:
		if (code != 250)
			break;
		s->rcpt = 0;
		command(s, SMTP_RCPT, "RCPT TO:<%s>", s->to[s->rcpt++]);
		return;
	case SMTP_RCPT:
		if (code != 250 && code != 251)
			break;
		if (s->rcpt < s->n_to)
			command(s, SMTP_RCPT, "RCPT TO:<%s>", s->to[s->rcpt++]);
		else
			command(s, SMTP_DATA, "DATA");
		return;
	case SMTP_DATA:
		if (code != 354)
			break;
		put(s, s->message, strlen(s->message));
		snprintf(s->cmd, sizeof(s->cmd), "the message");
		if (s->state != SMTP_FAILED)
			s->state = SMTP_BODY;
		return;
	case SMTP_BODY:
		if (code != 250)
			break;
		command(s, SMTP_QUIT, "QUIT");
		return;
	case SMTP_QUIT:
		/* The message is accepted; whatever QUIT gets is fine. */
		s->state = SMTP_DONE;
		return;
	default:
		return;
	}
	refused(s, code);
}

/* One line from the server, without its line end. Its text may end up in
 * smtp_error() and so in the log: control characters (a NUL, an escape
 * sequence, a carriage return in mid-line) are shown as '?'. */
static void on_line(struct smtp *s, const char *raw, size_t n)
{
	char l[SMTP_LINE_MAX];
	int code;
	bool last;

	if (n > sizeof(l))
		n = sizeof(l);
	for (size_t k = 0; k < n; k++)
		l[k] = ((unsigned char)raw[k] < 0x20 || raw[k] == 0x7f) ? '?' : raw[k];

	if (n < 3 || l[0] < '2' || l[0] > '5' || l[1] < '0' || l[1] > '9' || l[2] < '0' ||
	    l[2] > '9' || (n > 3 && l[3] != ' ' && l[3] != '-')) {
		fail(s, "smtp: malformed reply '%.*s' after %s", (int)(n > 80 ? 80 : n), l, s->cmd);
		return;
	}
	code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
	last = n == 3 || l[3] == ' ';
	if (s->reply_code == 0) {
		s->reply_code = code;
		snprintf(s->reply, sizeof(s->reply), "%.*s", n > 4 ? (int)(n - 4) : 0, l + 4);
	} else if (code != s->reply_code) {
		fail(s, "smtp: malformed reply: %d in the middle of a %d reply after %s", code,
		     s->reply_code, s->cmd);
		return;
	}
	if (!last)
		return;
	s->reply_code = 0;
	on_reply(s, code);
}

enum smtp_state smtp_feed(struct smtp *s, const char *data, size_t len)
{
	for (size_t k = 0; k < len; k++) {
		char c = data[k];

		if (s->state == SMTP_DONE || s->state == SMTP_FAILED)
			break;
		if (c == '\n') {
			size_t n = s->line_len;

			if (n && s->line[n - 1] == '\r')
				n--;
			on_line(s, s->line, n);
			s->line_len = 0;
			s->line_long = false;
			continue;
		}
		if (s->line_len < sizeof(s->line) - 1)
			s->line[s->line_len++] = c;
		else
			s->line_long = true; /* the rest of a long line is dropped */
	}
	return s->state;
}

size_t smtp_pending(const struct smtp *s, const char **data)
{
	/* With nothing pending the buffer may still hold what was sent or
	 * dropped (smtp_sent() and fail() only reset the counts). */
	*data = s->out && s->out_len > s->out_off ? s->out + s->out_off : "";
	return s->out_len - s->out_off;
}

void smtp_sent(struct smtp *s, size_t n)
{
	if (n > s->out_len - s->out_off)
		n = s->out_len - s->out_off;
	s->out_off += n;
	if (s->out_off == s->out_len)
		s->out_off = s->out_len = 0;
}

void smtp_closed(struct smtp *s, const char *why)
{
	if (s->state == SMTP_DONE || s->state == SMTP_FAILED)
		return;
	if (s->state == SMTP_QUIT) {
		s->state = SMTP_DONE;
		return;
	}
	fail(s, "smtp: %s while waiting for the reply to %s", why, s->cmd);
}

const char *smtp_error(const struct smtp *s)
{
	return s->state == SMTP_FAILED ? s->err : "";
}

/* ---- the socket ---- */

static bool finished(const struct smtp_conn *c)
{
	return c->s.state == SMTP_DONE || c->s.state == SMTP_FAILED;
}

static void conn_close(struct smtp_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

int smtp_conn_start(struct smtp_conn *c, const struct vaddr *addr, uint16_t port,
		    const struct smtp_mail *m)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	char a[ADDR_STRLEN];

	c->fd = -1;
	c->connecting = false;
	if (smtp_init(&c->s, m) < 0)
		return -1;
	memset(&ss, 0, sizeof(ss));
	if (addr->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = addr->u.v4;
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = addr->u.v6;
		sl = sizeof(*sin6);
	}
	snprintf(c->s.cmd, sizeof(c->s.cmd), "connecting to %s port %u", addr_str(addr, a),
		 (unsigned)port);
	c->fd = socket(addr->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		fail(&c->s, "smtp: socket: %s", strerror(errno));
		return -1;
	}
	if (connect(c->fd, (struct sockaddr *)&ss, sl) < 0) {
		if (errno != EINPROGRESS) {
			fail(&c->s, "smtp: %s: %s", c->s.cmd, strerror(errno));
			conn_close(c);
			return -1;
		}
		c->connecting = true;
	}
	return 0;
}

uint32_t smtp_conn_events(const struct smtp_conn *c)
{
	const char *d;

	if (c->fd < 0 || finished(c))
		return 0;
	if (c->connecting)
		return EPOLLOUT;
	return EPOLLIN | (smtp_pending(&c->s, &d) ? EPOLLOUT : 0);
}

static bool conn_write(struct smtp_conn *c)
{
	const char *d;
	size_t n;

	while ((n = smtp_pending(&c->s, &d)) > 0) {
		ssize_t w = send(c->fd, d, n, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return true;
			if (errno == EINTR)
				continue;
			smtp_closed(&c->s, strerror(errno));
			return false;
		}
		smtp_sent(&c->s, (size_t)w);
	}
	return true;
}

bool smtp_conn_on_event(struct smtp_conn *c, uint32_t events)
{
	char buf[2048];

	if (c->fd < 0 || finished(c)) {
		conn_close(c);
		return true;
	}
	if (c->connecting) {
		int e = 0;
		socklen_t l = sizeof(e);

		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return false;
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &l) < 0)
			e = errno;
		if (e) {
			fail(&c->s, "smtp: %s: %s", c->s.cmd, strerror(e));
			conn_close(c);
			return true;
		}
		c->connecting = false;
		snprintf(c->s.cmd, sizeof(c->s.cmd), "connecting");
	}
	if ((events & EPOLLOUT) && !conn_write(c))
		goto out;
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		for (;;) {
			ssize_t r = recv(c->fd, buf, sizeof(buf), 0);

			if (r > 0) {
				if (smtp_feed(&c->s, buf, (size_t)r) >= SMTP_DONE)
					break;
				continue;
			}
			if (r == 0) {
				smtp_closed(&c->s, "connection closed by the server");
				break;
			}
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				smtp_closed(&c->s, strerror(errno));
			break;
		}
		/* Write what the replies queued at once, when the socket takes it. */
		if (!finished(c) && !conn_write(c))
			goto out;
	}
out:
	if (finished(c)) {
		conn_close(c);
		return true;
	}
	return false;
}

void smtp_conn_timeout(struct smtp_conn *c, uint32_t timeout_ms)
{
	char t[32];

	if (timeout_ms % 1000)
		snprintf(t, sizeof(t), "%u.%03u", timeout_ms / 1000, timeout_ms % 1000);
	else
		snprintf(t, sizeof(t), "%u", timeout_ms / 1000);
	if (!finished(c)) {
		if (c->connecting)
			fail(&c->s, "smtp: timed out after %s s %s", t, c->s.cmd);
		else
			fail(&c->s, "smtp: timed out after %s s waiting for the reply to %s", t,
			     c->s.cmd);
	}
	conn_close(c);
}

void smtp_conn_free(struct smtp_conn *c)
{
	conn_close(c);
	smtp_free(&c->s);
}
