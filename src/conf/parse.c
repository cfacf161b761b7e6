/* conf_parse: the engine — statements, blocks, keyword tables, errors.
 *
 * How: a recursive-descent walk over the token array from conf_lex. The
 * engine reads a statement, finds its keyword in the section's tables by
 * binary search, checks what the entry says (argument count, block or
 * not, given twice) and calls the entry's handler, which parses values
 * (values.c) and may parse a nested section or list. The sections and
 * their handlers live in kw_*.c; conf_parse_tokens() is in kw_top.c. */
#include "conf/parse.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* ---- tokens and messages ---- */

const struct conf_tok *conf_peek(const struct conf_parser *p)
{
	return &p->t->v[p->i];
}

const struct conf_tok *conf_next(struct conf_parser *p)
{
	const struct conf_tok *t = &p->t->v[p->i];

	if (t->type != CONF_TOK_EOF)
		p->i++;
	return t;
}

void conf_perr(struct conf_parser *p, const struct conf_tok *t, const char *fmt, ...)
{
	char buf[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	conf_msg_tok(p->m, false, t, "%s", buf);
}

void conf_pwarn(struct conf_parser *p, const struct conf_tok *t, const char *fmt, ...)
{
	char buf[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	conf_msg_tok(p->m, true, t, "%s", buf);
}

const char *conf_stmt_text(const struct conf_stmt *s, size_t nargs, char *buf, size_t len)
{
	size_t o = (size_t)snprintf(buf, len, "%s", s->kw->text);

	for (size_t k = 0; k < nargs && k < s->nargs && o < len; k++)
		o += (size_t)snprintf(buf + o, len - o, " %s", s->arg[k].text);
	return buf;
}

void conf_read_stmt(struct conf_parser *p, struct conf_stmt *s)
{
	s->kw = conf_next(p);
	s->arg = conf_peek(p);
	s->nargs = 0;
	s->def = NULL;
	while (conf_peek(p)->type == CONF_TOK_WORD && !conf_peek(p)->bol) {
		conf_next(p);
		s->nargs++;
	}
	s->open = conf_peek(p)->type == CONF_TOK_LBRACE ? conf_next(p) : NULL;
}

/* ---- blocks ---- */

static void eof_missing(struct conf_parser *p, const struct conf_tok *opener)
{
	const struct conf_tok *eof = conf_peek(p);
	char w[300];

	if (p->eof_reported)
		return;
	p->eof_reported = true;
	conf_perr(p, eof, "unexpected end of file: missing '}' for '%s' opened at %s", opener->text,
		  conf_where(opener, eof, w, sizeof(w)));
}

void conf_skip_block(struct conf_parser *p, const struct conf_tok *opener)
{
	int depth = 1;

	while (depth > 0) {
		const struct conf_tok *t = conf_next(p);

		if (t->type == CONF_TOK_EOF) {
			eof_missing(p, opener);
			return;
		}
		if (t->type == CONF_TOK_LBRACE)
			depth++;
		else if (t->type == CONF_TOK_RBRACE)
			depth--;
	}
}

void conf_skip_stmt_block(struct conf_parser *p, const struct conf_stmt *s)
{
	if (s->open)
		conf_skip_block(p, s->kw);
}

/* A statement that takes no block: complain about one and skip it. */
static void no_block(struct conf_parser *p, const struct conf_stmt *s)
{
	char b[300];

	if (!s->open)
		return;
	conf_perr(p, s->open, "unexpected '{' after '%s'",
		  conf_stmt_text(s, s->nargs, b, sizeof(b)));
	conf_skip_block(p, s->kw);
}

void conf_parse_list(struct conf_parser *p, const struct conf_tok *opener, conf_item_fn *item,
		     void *ctx)
{
	for (;;) {
		const struct conf_tok *t = conf_peek(p);

		if (t->type == CONF_TOK_EOF) {
			eof_missing(p, opener);
			return;
		}
		if (t->type == CONF_TOK_RBRACE) {
			conf_next(p);
			return;
		}
		if (t->type == CONF_TOK_LBRACE) {
			conf_next(p);
			conf_perr(p, t, "unexpected '{'");
			conf_skip_block(p, t);
			continue;
		}
		item(p, ctx);
	}
}

void conf_read_item(struct conf_parser *p, struct conf_stmt *s)
{
	conf_read_stmt(p, s);
	no_block(p, s);
}

bool conf_want_args(struct conf_parser *p, const struct conf_stmt *s, size_t min, size_t max,
		    const char *what)
{
	char b[300];

	if (s->nargs < min) {
		conf_perr(p, s->kw, "expected %s after '%s'", what, s->kw->text);
		return false;
	}
	if (s->nargs > max) {
		conf_perr(p, &s->arg[max], "unexpected '%s' after '%s'", s->arg[max].text,
			  conf_stmt_text(s, max, b, sizeof(b)));
		return false;
	}
	return true;
}

bool conf_want_block(struct conf_parser *p, const struct conf_stmt *s, size_t nargs)
{
	char b[300];

	if (s->nargs > nargs) {
		conf_perr(p, &s->arg[nargs], "expected '{' after '%s', got '%s'",
			  conf_stmt_text(s, nargs, b, sizeof(b)), s->arg[nargs].text);
		return s->open != NULL;
	}
	if (!s->open) {
		conf_perr(p, conf_peek(p), "expected '{' after '%s'",
			  conf_stmt_text(s, nargs, b, sizeof(b)));
		return false;
	}
	return true;
}

bool conf_want_named_block(struct conf_parser *p, const struct conf_stmt *s, const char *what)
{
	if (s->nargs == 0) {
		if (s->open) {
			conf_perr(p, s->kw, "expected a name after '%s'", what);
			conf_skip_block(p, s->kw);
		} else {
			conf_perr(p, conf_peek(p), "expected a name and '{' after '%s'", what);
		}
		return false;
	}
	if (!conf_want_block(p, s, 1))
		return false; /* there is no block to skip */
	if (strlen(s->arg[0].text) == 0 || strlen(s->arg[0].text) >= CONF_NAME_MAX) {
		conf_perr(p, &s->arg[0], "%s name must be 1 to %d characters long, got '%s'", what,
			  CONF_NAME_MAX - 1, s->arg[0].text);
		conf_skip_block(p, s->kw);
		return false;
	}
	return true;
}

/* ---- keyword tables ---- */

static int kw_cmp(const void *key, const void *entry)
{
	return strcmp(key, ((const struct conf_kw *)entry)->name);
}

const struct conf_kw *conf_kw_find(const struct conf_kw_table *t, const char *name)
{
	if (!t->n)
		return NULL;
	return bsearch(name, t->v, t->n, sizeof(*t->v), kw_cmp);
}

const struct conf_kw *conf_section_find(const struct conf_section *sec, const char *name,
					size_t *slot)
{
	const struct conf_kw *kw = conf_kw_find(&sec->own, name);

	if (kw) {
		const struct conf_kw *target = kw->alias ? conf_kw_find(&sec->own, kw->alias) : kw;

		*slot = (size_t)((target ? target : kw) - sec->own.v);
		return kw;
	}
	kw = sec->shared ? conf_kw_find(sec->shared, name) : NULL;
	if (kw)
		*slot = sec->own.n + (size_t)(kw - sec->shared->v);
	return kw;
}

size_t conf_section_slots(const struct conf_section *sec)
{
	return sec->own.n + (sec->shared ? sec->shared->n : 0);
}

const char *conf_section_suggest(const struct conf_section *sec, const char *word, char *buf,
				 size_t len)
{
	struct conf_dym y;

	conf_dym_init(&y, word);
	for (size_t k = 0; k < sec->own.n; k++)
		if (!(sec->own.v[k].flags & CONF_KW_UNIMPL))
			conf_dym_offer(&y, sec->own.v[k].name);
	for (size_t k = 0; sec->shared && k < sec->shared->n; k++)
		conf_dym_offer(&y, sec->shared->v[k].name);
	for (size_t k = 0; k < sec->own.n; k++)
		if (sec->own.v[k].flags & CONF_KW_UNIMPL)
			conf_dym_offer(&y, sec->own.v[k].name);
	return conf_dym_text(&y, buf, len);
}

const struct conf_tok *conf_seen(const struct conf_section *sec, const struct conf_tok **seen,
				 const char *name)
{
	size_t slot;

	return conf_section_find(sec, name, &slot) ? seen[slot] : NULL;
}

/* ---- accepted, not applied ---- */

void conf_note_ignored(struct conf_parser *p, const struct conf_tok *t, const char *name,
		       const char *section, const char *why, bool changes)
{
	struct config *c = p->r->cfg;
	struct conf_ignored *g;

	for (size_t k = 0; k < c->n_ignored; k++) {
		g = &c->ignored[k];
		if (!strcmp(g->name, name) && !strcmp(g->section, section)) {
			g->count++;
			return;
		}
	}
	c->ignored = conf_xgrow(c->ignored, c->n_ignored, sizeof(*c->ignored));
	g = &c->ignored[c->n_ignored++];
	memset(g, 0, sizeof(*g));
	g->name = name;
	g->section = section;
	g->why = why;
	g->changes = changes;
	g->count = 1;
	snprintf(g->where, sizeof(g->where), "%s:%d", t->file, t->line);
}

/* ---- statements ---- */

static void unknown(struct conf_parser *p, const struct conf_section *sec,
		    const struct conf_stmt *s)
{
	char dym[128];

	if (sec->unknown) {
		sec->unknown(p, s, NULL);
		return;
	}
	/* Suggestions cost an edit distance per keyword: after many errors
	 * (a file that is not a configuration at all) they stop, so that a
	 * reload of such a file never holds the loop for long. */
	dym[0] = '\0';
	if (p->m->errors < CONF_SUGGEST_ERRORS_MAX)
		conf_section_suggest(sec, s->kw->text, dym, sizeof(dym));
	conf_perr(p, s->kw, "unknown keyword '%s' in %s%s", s->kw->text, sec->name, dym);
	conf_skip_stmt_block(p, s);
}

static void given_again(struct conf_parser *p, const struct conf_stmt *s,
			const struct conf_tok **seen, const char *where)
{
	char w[300];

	if (*seen)
		conf_pwarn(p, s->kw, "'%s' given again in %s (first at %s); the last one wins",
			   s->kw->text, where, conf_where(*seen, s->kw, w, sizeof(w)));
	*seen = s->kw;
}

/* The argument count the entry asks for. A command line is one word: a
 * second one means it was not quoted. */
static bool args_ok(struct conf_parser *p, const struct conf_stmt *s, const struct conf_kw *kw)
{
	char b[300];

	if (!(kw->flags & CONF_KW_ONE_CMD) || s->nargs <= kw->max)
		return conf_want_args(p, s, kw->min, kw->max, kw->what);
	conf_perr(p, &s->arg[kw->max],
		  "unexpected '%s' after '%s' (a command with arguments must be quoted: %s \"%s "
		  "%s\")",
		  s->arg[kw->max].text, conf_stmt_text(s, kw->max, b, sizeof(b)), s->kw->text,
		  s->arg[kw->max - 1].text, s->arg[kw->max].text);
	return false;
}

void conf_statement(struct conf_parser *p, const struct conf_section *sec, void *ctx,
		    const struct conf_tok **seen)
{
	const struct conf_kw *kw;
	struct conf_stmt s;
	size_t slot = 0;

	conf_read_stmt(p, &s);
	kw = conf_section_find(sec, s.kw->text, &slot);
	if (!kw) {
		unknown(p, sec, &s);
		return;
	}
	s.def = kw;
	if (kw->flags & CONF_KW_UNIMPL) {
		bool changes = kw->flags & CONF_KW_CHANGES;

		conf_pwarn(p, s.kw, "'%s' is not implemented by vrrpd yet; ignored", s.kw->text);
		conf_note_ignored(p, s.kw, kw->name, sec->name, kw->why, changes);
		conf_skip_stmt_block(p, &s);
		return;
	}
	if (kw->flags & CONF_KW_RAW) {
		kw->fn(p, &s, ctx);
		return;
	}
	if (!(kw->flags & CONF_KW_BLOCK))
		no_block(p, &s);
	else if (!conf_want_block(p, &s, 0))
		return;
	if (seen && !(kw->flags & CONF_KW_MULTI))
		given_again(p, &s, &seen[slot], sec->name);
	if (!(kw->flags & CONF_KW_BLOCK) && !args_ok(p, &s, kw))
		return;
	kw->fn(p, &s, ctx);
}

struct section_run {
	const struct conf_section *sec;
	void *ctx;
	const struct conf_tok **seen;
};

static void section_item(struct conf_parser *p, void *vrun)
{
	struct section_run *run = vrun;

	conf_statement(p, run->sec, run->ctx, run->seen);
}

void conf_parse_section(struct conf_parser *p, const struct conf_tok *opener,
			const struct conf_section *sec, void *ctx, const struct conf_tok **seen)
{
	struct section_run run = {.sec = sec, .ctx = ctx, .seen = seen};

	assert(conf_section_slots(sec) <= CONF_SECTION_SLOTS_MAX);
	conf_parse_list(p, opener, section_item, &run);
}
