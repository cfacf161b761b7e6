/* smtp: send one alert mail without blocking the event loop.
 *
 * Two layers:
 *  - struct smtp, a pure state machine for the client side of the SMTP
 *    dialogue (RFC 5321). It does no I/O and reads no clock: smtp_feed()
 *    takes whatever bytes the server sent (any split: partial lines and
 *    multi-line "250-" replies are handled), smtp_pending()/smtp_sent() hand
 *    out the bytes to write. Dialogue: greeting 220 -> EHLO (HELO when the
 *    server answers EHLO with 5xx) -> MAIL FROM -> RCPT TO for each
 *    recipient -> DATA -> 354 -> the message -> 250 -> QUIT -> DONE. Any
 *    other reply ends in FAILED with smtp_error() such as
 *    "smtp: server said 550 5.1.1 no such user after RCPT TO:<x@example.com>".
 *    The message carries Date (RFC 5322, UTC), From, To, Subject,
 *    Message-ID, MIME headers and X-Mailer: vrrpd; its body has CRLF line
 *    ends and dot-stuffing. Header values are stripped of CR/LF.
 *  - struct smtp_conn, a thin non-blocking TCP wrapper: smtp_conn_start()
 *    connects, smtp_conn_events() says which epoll events to wait for,
 *    smtp_conn_on_event() does the reads and writes, smtp_conn_timeout()
 *    ends it when the caller's deadline (smtp_connect_timeout, armed by the
 *    caller on its timer heap) passes. Nothing here blocks. */
#ifndef VRRPD_SMTP_H
#define VRRPD_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/addr.h"

enum smtp_state {
	SMTP_GREETING, /* waiting for 220 */
	SMTP_EHLO,
	SMTP_HELO,
	SMTP_MAIL,
	SMTP_RCPT,
	SMTP_DATA,
	SMTP_BODY, /* message sent, waiting for 250 */
	SMTP_QUIT,
	SMTP_DONE,  /* the server accepted the message */
	SMTP_FAILED /* see smtp_error() */
};

struct smtp_mail {
	const char *from;
	const char *const *to;
	size_t n_to; /* at least 1 */
	const char *subject;
	const char *body;	/* LF or CRLF line ends */
	const char *helo;	/* name given in EHLO/HELO */
	time_t date;		/* for the Date header */
	const char *message_id; /* "<...>"; NULL: made from date, a counter and helo */
};

#define SMTP_LINE_MAX 512 /* reply text kept for messages */

struct smtp {
	enum smtp_state state;
	char *from;
	char **to;
	size_t n_to, rcpt; /* next recipient */
	char *helo;
	char *message; /* ready to send after 354, ending in ".\r\n" */
	char *out;     /* bytes to write */
	size_t out_len, out_off, out_cap;
	char cmd[SMTP_LINE_MAX]; /* the command being answered, for messages */
	char line[SMTP_LINE_MAX];
	size_t line_len;
	bool line_long;		   /* the current line was cut */
	int reply_code;		   /* of the multi-line reply being read; 0 = none */
	char reply[SMTP_LINE_MAX]; /* its first line's text */
	char err[3 * SMTP_LINE_MAX];
};

/* Sets S up for M (everything is copied). Returns 0, or -1 (FAILED, with
 * the reason in smtp_error()) when M has no recipient or an address holds
 * characters that would break the dialogue (CR, LF, '<', '>'). */
int smtp_init(struct smtp *s, const struct smtp_mail *m);
void smtp_free(struct smtp *s);
/* Consumes LEN bytes from the server. Returns the new state. */
enum smtp_state smtp_feed(struct smtp *s, const char *data, size_t len);
/* Bytes waiting to be written: sets *DATA (NUL-terminated), returns their
 * count (0: none). */
size_t smtp_pending(const struct smtp *s, const char **data);
/* N of the pending bytes were written. */
void smtp_sent(struct smtp *s, size_t n);
/* The connection ended (EOF or error): DONE when it happened after the
 * message was accepted, else FAILED with WHY ("connection closed by the
 * server", "connect: Connection refused"). */
void smtp_closed(struct smtp *s, const char *why);
const char *smtp_error(const struct smtp *s);
/* "[ROUTER_ID] NAME is now STATE". Returns BUF. */
const char *smtp_subject(char *buf, size_t len, const char *router_id, const char *name,
			 const char *state);
/* RFC 5322 date in UTC, "Sat, 22 Nov 2025 04:43:26 +0000". Returns BUF. */
const char *smtp_date(time_t t, char *buf, size_t len);

/* ---- the socket wrapper ---- */

struct smtp_conn {
	struct smtp s;
	int fd; /* -1 when closed */
	bool connecting;
};

/* Starts a non-blocking connect to ADDR:PORT and sets C up for M. Returns 0
 * (watch c->fd for smtp_conn_events()), or -1 with smtp_error(&c->s). */
int smtp_conn_start(struct smtp_conn *c, const struct vaddr *addr, uint16_t port,
		    const struct smtp_mail *m);
/* EPOLLOUT while connecting; then EPOLLIN, plus EPOLLOUT while there is
 * output; 0 when finished. */
uint32_t smtp_conn_events(const struct smtp_conn *c);
/* Handles EVENTS (epoll bits) on c->fd: finishes the connect, writes what
 * is pending, reads and feeds what arrived. Returns true when the mail is
 * finished (c->s.state DONE or FAILED): the caller then removes the fd from
 * its event loop and calls smtp_conn_free(). Otherwise the caller updates
 * the events it waits for with smtp_conn_events(). */
bool smtp_conn_on_event(struct smtp_conn *c, uint32_t events);
/* The caller's deadline passed: FAILED with "smtp: timed out after N s
 * waiting for the reply to CMD" (or "connecting to"), socket closed. */
void smtp_conn_timeout(struct smtp_conn *c, uint32_t timeout_ms);
/* Closes the socket and frees everything. */
void smtp_conn_free(struct smtp_conn *c);

#endif
