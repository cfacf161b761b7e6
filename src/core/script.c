/* script: command lines, split with keepalived's quoting rules (pure).
 *
 * How: script_parse() splits the line and decides shell or not; running a
 * parsed command is io/proc.c's job. */
#include "core/script.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* ---- parsing ---- */

void script_seterr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!err || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool script_needs_shell(const char *s)
{
	static const char meta[] = "|&;<>()$`*?[]~\n";
	const char *p = s;
	char quote = 0;
	bool word_start = true;

	/* A leading NAME=VALUE is a shell variable assignment. */
	while (is_blank(*p) && *p != '\n')
		p++;
	if (isalpha((unsigned char)*p) || *p == '_') {
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		if (*p == '=')
			return true;
	}
	for (p = s; *p; p++) {
		char c = *p;

		if (c == '\\') {
			if (p[1])
				p++;
			word_start = false;
			continue;
		}
		if (quote == '\'') {
			if (c == '\'')
				quote = 0;
			continue;
		}
		if (quote == '"') {
			if (c == '"')
				quote = 0;
			else if (c == '$' || c == '`')
				return true;
			continue;
		}
		if (c == '\'' || c == '"') {
			quote = c;
			word_start = false;
			continue;
		}
		if (strchr(meta, c))
			return true;
		if (c == '#' && word_start)
			return true;
		word_start = is_blank(c);
	}
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return (tolower((unsigned char)c) - 'a') + 10;
}

/* Decodes the escape at *P (just after the backslash) into *OUT. */
static const char *unescape(const char *p, char *out)
{
	if (*p == 'x' && isxdigit((unsigned char)p[1])) {
		unsigned v = 0;

		for (p++; isxdigit((unsigned char)*p); p++)
			v = (v << 4) | (unsigned)hexval(*p);
		*out = (char)v;
		return p;
	}
	if (*p == 'c' && p[1]) {
		*out = (char)(p[1] & 0x1f);
		return p + 2;
	}
	if (*p >= '0' && *p <= '7') {
		unsigned v = 0;

		for (int k = 0; k < 3 && *p >= '0' && *p <= '7'; k++, p++)
			v = (v << 3) | (unsigned)(*p - '0');
		*out = (char)v;
		return p;
	}
	switch (*p) {
	case 'a':
		*out = '\a';
		break;
	case 'b':
		*out = '\b';
		break;
	case 'E':
		*out = 0x1b;
		break;
	case 'f':
		*out = '\f';
		break;
	case 'n':
		*out = '\n';
		break;
	case 'r':
		*out = '\r';
		break;
	case 't':
		*out = '\t';
		break;
	case 'v':
		*out = '\v';
		break;
	default:
		*out = *p;
		break;
	}
	return p + 1;
}

static void free_vec(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

static int push(char ***v, size_t *n, char *w)
{
	char **nv = realloc(*v, (*n + 2) * sizeof(**v));

	if (!nv) {
		free(w);
		return -1;
	}
	nv[*n] = w;
	nv[++*n] = NULL;
	*v = nv;
	return 0;
}

/* Splits S with keepalived's rules. */
static int split(const char *s, char ***out, size_t *n, char *err, size_t errlen)
{
	size_t len = strlen(s);
	char *buf = malloc(len + 1);
	char **v = NULL;
	const char *p = s;

	*out = NULL;
	*n = 0;
	if (!buf)
		goto nomem;
	while (*p) {
		char quote = 0;
		size_t o = 0;

		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		while (*p) {
			char c = *p;

			if (c == '\\') {
				if (!p[1]) {
					script_seterr(err, errlen,
						      "backslash at the end of the command");
					goto fail;
				}
				p = unescape(p + 1, &buf[o++]);
				continue;
			}
			if (quote) {
				if (c == quote)
					quote = 0;
				else
					buf[o++] = c;
				p++;
				continue;
			}
			if (c == '\'' || c == '"') {
				quote = c;
				p++;
				continue;
			}
			if (is_blank(c))
				break;
			buf[o++] = c;
			p++;
		}
		if (quote) {
			script_seterr(err, errlen, "missing closing %c", quote);
			goto fail;
		}
		buf[o] = '\0';
		{
			char *w = strdup(buf);

			if (!w || push(&v, n, w) < 0)
				goto nomem;
		}
	}
	free(buf);
	if (!v) {
		v = calloc(1, sizeof(*v));
		if (!v)
			goto nomem;
	}
	*out = v;
	return 0;
nomem:
	script_seterr(err, errlen, "out of memory");
fail:
	free(buf);
	free_vec(v);
	*n = 0;
	return -1;
}

int script_parse(const char *cmdline, struct script_cmd *out, char *err, size_t errlen)
{
	bool shell = script_needs_shell(cmdline);
	char lerr[128];

	memset(out, 0, sizeof(*out));
	if (split(cmdline, &out->words, &out->nwords, lerr, sizeof(lerr)) < 0) {
		if (!shell) {
			script_seterr(err, errlen, "%s", lerr);
			return -1;
		}
		/* The shell has its own quoting rules; the words are only a hint. */
		out->words = calloc(1, sizeof(*out->words));
		out->nwords = 0;
		if (!out->words)
			goto nomem;
	}
	if (shell) {
		const char *sv[] = {SCRIPT_SHELL, "-c", cmdline, "sh"};
		const char *q = cmdline;

		while (is_blank(*q))
			q++;
		if (!*q) {
			script_seterr(err, errlen, "empty command");
			script_cmd_free(out);
			return -1;
		}
		out->shell = true;
		for (size_t k = 0; k < 4; k++) {
			char *w = strdup(sv[k]);

			if (!w || push(&out->argv, &out->argc, w) < 0)
				goto nomem;
		}
		return 0;
	}
	if (out->nwords == 0 || !out->words[0][0]) {
		script_seterr(err, errlen, "empty command");
		script_cmd_free(out);
		return -1;
	}
	for (size_t k = 0; k < out->nwords; k++) {
		char *w = strdup(out->words[k]);

		if (!w || push(&out->argv, &out->argc, w) < 0)
			goto nomem;
	}
	return 0;
nomem:
	script_seterr(err, errlen, "out of memory");
	script_cmd_free(out);
	return -1;
}

void script_cmd_free(struct script_cmd *c)
{
	free_vec(c->argv);
	free_vec(c->words);
	memset(c, 0, sizeof(*c));
}

const char *script_status_str(int status, bool killed_by_us, uint32_t timeout_ms, char *buf,
			      size_t len)
{
	if (WIFEXITED(status)) {
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		int o = snprintf(buf, len, "killed by signal %d", WTERMSIG(status));

		if (o < 0 || (size_t)o >= len)
			return buf;
		if (killed_by_us) {
			unsigned frac = timeout_ms % 1000, digits = 3;

			while (digits > 1 && frac % 10 == 0) {
				frac /= 10;
				digits--;
			}
			snprintf(buf + o, len - (size_t)o, " (timeout after %u.%0*u s)",
				 timeout_ms / 1000, (int)digits, frac);
		} else if (WCOREDUMP(status))
			snprintf(buf + o, len - (size_t)o, " (core dumped)");
	} else {
		snprintf(buf, len, "ended with wait status 0x%x", (unsigned)status);
	}
	return buf;
}
