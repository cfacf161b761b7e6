/* libFuzzer harness: the SMTP client's dialogue (src/ops/smtp.c), the part
 * that reads what a mail server says, and the message it builds.
 *
 * Input: three bytes, then the mail's text, then what the server says.
 * Byte 0: how many server bytes each smtp_feed() gets (1..64); byte 1: how
 * many pending bytes the "socket" takes after each (1..128, 0: all);
 * byte 2: the length of the mail's text, which is the Subject up to its
 * first '|' and the body after it.
 *
 * Invariants: DONE and FAILED are final; a failure has a message, on one
 * line of printable characters (it goes to the log: the server's words are
 * in it); the pending output is NUL-terminated; what the client writes is,
 * byte for byte, a prefix of the one right dialogue (EHLO, HELO only when
 * EHLO was refused, MAIL FROM, one RCPT TO per recipient, DATA, the
 * message, QUIT), and all of it when the mail is DONE; the message has
 * exactly its nine header lines whatever the Subject holds, CRLF line
 * ends only, dot-stuffing, and gives back the body when the stuffing is
 * undone. Nothing leaks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/smtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const to[] = {"ops@example.com", "oncall@example.com"};

struct out {
	char *p;
	size_t len, cap;
};

static void fz_append(struct out *o, const char *d, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->p = realloc(o->p, o->cap);
		if (!o->p)
			abort();
	}
	memcpy(o->p + o->len, d, n);
	o->len += n;
	o->p[o->len] = '\0';
}

/* The client writes K pending bytes (all when K is 0). */
static void fz_take(struct smtp *s, struct out *o, size_t k)
{
	const char *d;
	size_t n = smtp_pending(s, &d);

	if (d[n] != '\0')
		abort();
	if (k && n > k)
		n = k;
	fz_append(o, d, n);
	smtp_sent(s, n);
}

/* The message: headers, stuffing, line ends, and the body it carries. */
static void fz_check_message(const char *msg, const char *body)
{
	size_t len = strlen(msg);

	if (len < 5 || strcmp(msg + len - 5, "\r\n.\r\n") != 0)
		abort();
	for (size_t k = 0; k < len; k++) {
		if (msg[k] == '\n' && (k == 0 || msg[k - 1] != '\r'))
			abort();
		if (msg[k] == '\r' && msg[k + 1] != '\n')
			abort();
	}
	const char *hend = strstr(msg, "\r\n\r\n");
	if (!hend)
		abort();
	int headers = 1;
	for (const char *p = msg; p < hend; p++)
		headers += p[0] == '\r';
	if (headers != 9) {
		fprintf(stderr, "fuzz_smtp: %d header lines:\n%s\n", headers, msg);
		abort();
	}
	/* Undo the stuffing, line by line, up to the final ".". */
	struct out got = {0};
	fz_append(&got, "", 0);
	for (const char *l = hend + 4; l < msg + len - 3;) {
		const char *e = strstr(l, "\r\n");
		if (!e)
			abort();
		if (e - l == 1 && l[0] == '.')
			abort(); /* a lone "." before the end */
		if (l[0] == '.')
			l++;
		fz_append(&got, l, (size_t)(e - l));
		fz_append(&got, "\n", 1);
		l = e + 2;
	}
	/* The body as it should come back: CRLF, CR and LF are line ends, and
	 * a last line without one gets one. */
	struct out want = {0};
	fz_append(&want, "", 0);
	for (const char *p = body; *p; p++) {
		if (p[0] == '\r' && p[1] == '\n')
			continue;
		fz_append(&want, *p == '\r' ? "\n" : p, 1);
	}
	if (want.len && want.p[want.len - 1] != '\n')
		fz_append(&want, "\n", 1);
	if (strcmp(got.p, want.p) != 0) {
		fprintf(stderr, "fuzz_smtp: the body came back changed\n");
		abort();
	}
	free(got.p);
	free(want.p);
}

/* Is O a prefix of the dialogue (with HELO or without), and all of it? */
static int fz_dialogue(const struct out *o, const char *message, bool *whole)
{
	static const char *const fmt[] = {"EHLO r1.example.com\r\n",
					  "HELO r1.example.com\r\n",
					  "MAIL FROM:<vrrpd@r1.example.com>\r\n",
					  "RCPT TO:<ops@example.com>\r\n",
					  "RCPT TO:<oncall@example.com>\r\n",
					  "DATA\r\n",
					  NULL,
					  "QUIT\r\n"};
	for (int helo = 0; helo < 2; helo++) {
		struct out e = {0};
		fz_append(&e, "", 0);
		for (size_t k = 0; k < sizeof(fmt) / sizeof(fmt[0]); k++) {
			if (k == 1 && !helo)
				continue;
			const char *part = fmt[k] ? fmt[k] : message;
			fz_append(&e, part, strlen(part));
		}
		bool prefix = o->len <= e.len && memcmp(o->p, e.p, o->len) == 0;
		*whole = prefix && o->len == e.len;
		free(e.p);
		if (prefix)
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtp s;
	struct out o = {0};
	char *text;

	if (size < 3)
		return 0;
	size_t chunk = (size_t)(data[0] & 0x3f) + 1, take = data[1] & 0x7f, tlen = data[2];
	data += 3;
	size -= 3;
	if (tlen > size)
		tlen = size;
	text = malloc(tlen + 1);
	if (!text)
		abort();
	memcpy(text, data, tlen);
	text[tlen] = '\0';
	data += tlen;
	size -= tlen;
	char *bar = strchr(text, '|');
	const char *subject = text, *body = "VI_1 went from BACKUP to MASTER.\n";
	if (bar) {
		*bar = '\0';
		body = bar + 1;
	}

	struct smtp_mail m = {.from = "vrrpd@r1.example.com",
			      .to = to,
			      .n_to = 2,
			      .subject = subject,
			      .body = body,
			      .helo = "r1.example.com",
			      .date = 1763786606,
			      .message_id = "<1.vrrpd@r1.example.com>"};
	if (smtp_init(&s, &m) != 0)
		abort();
	fz_check_message(s.message, body);
	char *message = strdup(s.message);
	if (!message)
		abort();
	fz_append(&o, "", 0);

	enum smtp_state st = s.state;
	for (size_t off = 0; off < size; off += chunk) {
		size_t n = size - off < chunk ? size - off : chunk;
		enum smtp_state now = smtp_feed(&s, (const char *)data + off, n);
		if (now != s.state || now > SMTP_FAILED)
			abort();
		if ((st == SMTP_DONE || st == SMTP_FAILED) && now != st)
			abort();
		st = now;
		fz_take(&s, &o, take);
	}
	fz_take(&s, &o, 0);
	smtp_closed(&s, "connection closed by the server");
	if (s.state != SMTP_DONE && s.state != SMTP_FAILED)
		abort();
	if ((st == SMTP_DONE || st == SMTP_FAILED) && s.state != st)
		abort();

	const char *err = smtp_error(&s);
	if (s.state == SMTP_FAILED) {
		if (strncmp(err, "smtp: ", 6) != 0)
			abort();
		for (const char *p = err; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				fprintf(stderr, "fuzz_smtp: control character 0x%02x in: %s\n",
					(unsigned char)*p, err);
				abort();
			}
	} else if (*err) {
		abort();
	}
	bool whole = false;
	if (!fz_dialogue(&o, message, &whole)) {
		fprintf(stderr, "fuzz_smtp: the client wrote:\n%s\n", o.p);
		abort();
	}
	if (s.state == SMTP_DONE && !whole)
		abort();
	free(message);
	free(o.p);
	smtp_free(&s);
	free(text);
	return 0;
}
