/* conf_pp: keepalived's conditional lines, definitions and ~SEQ loops.
 *
 * How: a file is cut into physical lines; each loses its comment (outside
 * "..." and '...', as the lexer quotes) and its outer blanks, keeping for
 * every character the column it came from. A line then goes through
 * conf_pp_line(): the '@' test, a definition, a ~SEQ, or one round of
 * substitution, repeated while a round changes the line (keepalived
 * re-reads a substituted line from the start too). A multi-line
 * definition's lines and a ~SEQ's rest go through conf_pp_line() again, one
 * level deeper. Definitions live in one array with a hash index rebuilt
 * when it doubles; nothing holds a pointer into it across a call that may
 * define something (an include, an expansion). */
#include "conf/preproc_int.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "conf/index.h"
#include "conf/lex.h"

enum builtin { B_NONE = 0, B_PWD, B_INSTANCE, B_HASH, B_BANG, B_RANDOM };

/* A line kept in a multi-line definition. */
struct pline {
	struct conf_pp_buf b;
	const char *file;
	int line;
};

struct def {
	char *name;
	enum builtin builtin;
	bool multiline;
	struct pline *v; /* a single-line definition: v[0] (n == 1) */
	size_t n;
};

struct conf_pp {
	char id[CONF_PP_ID_MAX];
	struct conf_msgs *m;
	conf_pp_emit_fn *emit;
	void *ctx;
	struct def *defs;
	size_t n_defs, cap_defs;
	struct conf_index ix;
	const char *cur_file; /* for ${_PWD} */
	size_t work, out;
	bool over;   /* a bound was passed: said, and nothing more is emitted */
	size_t open; /* the multi-line definition conf_pp_line() opened */
	int ref_col; /* where the last reference replaced was */
	uint64_t rnd;
};

/* ---- buffers ---- */

void conf_pp_put(struct conf_pp_buf *b, char c, int col)
{
	if (b->n + 2 > b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		b->s = conf_xrealloc(b->s, b->cap, 1);
		b->col = conf_xrealloc(b->col, b->cap, sizeof(*b->col));
	}
	b->s[b->n] = c;
	b->col[b->n++] = col;
	b->s[b->n] = '\0';
}

void conf_pp_buf_free(struct conf_pp_buf *b)
{
	conf_xfree(b->s);
	conf_xfree(b->col);
	memset(b, 0, sizeof(*b));
}

void conf_pp_copy(struct conf_pp_buf *d, const struct conf_pp_buf *s, size_t from, size_t to)
{
	struct conf_pp_buf o = {.end = s->end};

	for (size_t k = from; k < to; k++)
		conf_pp_put(&o, s->s[k], s->col[k]);
	if (!o.s) {
		conf_pp_put(&o, ' ', 0);
		o.n = 0;
		o.s[0] = '\0';
	}
	*d = o;
}

/* Drops the first K characters and the blanks after them. */
static void pb_cut(struct conf_pp_buf *b, size_t k)
{
	while (k < b->n && conf_is_blank(b->s[k]))
		k++;
	memmove(b->s, b->s + k, b->n - k + 1);
	memmove(b->col, b->col + k, (b->n - k) * sizeof(*b->col));
	b->n -= k;
}

int conf_pp_col(const struct conf_pp_buf *b, size_t k)
{
	return k < b->n ? b->col[k] : b->end;
}

/* Where the comment of S starts (N when none): '#' or '!' outside quotes,
 * quoted as the lexer quotes ("..." or '...', \q and \\ escaped inside). */
static size_t comment_at(const char *s, size_t n)
{
	char q = 0;

	for (size_t k = 0; k < n; k++) {
		char c = s[k];
		if (q && c == '\\' && k + 1 < n && (s[k + 1] == q || s[k + 1] == '\\'))
			k++;
		else if (q && c == q)
			q = 0;
		else if (!q && (c == '"' || c == '\''))
			q = c;
		else if (!q && (c == '#' || c == '!'))
			return k;
	}
	return n;
}

/* Removes B's comment and trailing blanks, then its leading blanks. */
static void pb_decomment(struct conf_pp_buf *b)
{
	size_t n = comment_at(b->s, b->n);

	while (n > 0 && conf_is_blank(b->s[n - 1]))
		n--;
	b->n = n;
	b->s[n] = '\0';
	pb_cut(b, 0);
}

/* ---- messages and bounds ---- */

void conf_pp_err(struct conf_pp *pp, bool warning, const char *file, int line, int col,
		 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void conf_pp_err(struct conf_pp *pp, bool warning, const char *file, int line, int col,
		 const char *fmt, ...)
{
	char body[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	conf_msg(pp->m, warning, file, line, col, "%s", body);
}

static bool pp_bound(struct conf_pp *pp, bool passed, const char *file, int line, int col,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static bool pp_bound(struct conf_pp *pp, bool passed, const char *file, int line, int col,
		     const char *fmt, ...)
{
	char body[512];
	va_list ap;

	if (!passed || pp->over)
		return pp->over;
	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	conf_pp_err(pp, false, file, line, col, "%s; the rest of the configuration is not read",
		    body);
	pp->over = true;
	return true;
}

/* ---- definitions ---- */

bool conf_pp_over(const struct conf_pp *pp)
{
	return pp->over;
}

bool conf_pp_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool conf_pp_name_char(char c)
{
	return conf_pp_name_start(c) || (c >= '0' && c <= '9');
}

static void def_clear(struct def *d)
{
	for (size_t k = 0; k < d->n; k++)
		conf_pp_buf_free(&d->v[k].b);
	conf_xfree(d->v);
	d->v = NULL;
	d->n = 0;
}

static struct def *def_find(struct conf_pp *pp, const char *name, size_t len)
{
	uint64_t h = conf_hash(name, len, CONF_HASH_SEED);
	size_t it = 0, k;

	while (conf_index_next(&pp->ix, h, &it, &k))
		if (strlen(pp->defs[k].name) == len && !memcmp(pp->defs[k].name, name, len))
			return &pp->defs[k];
	return NULL;
}

/* NAME's definition, made empty (a new one when NAME had none). NULL when
 * there are CONF_PP_DEFS_MAX already (reported). */
static struct def *def_set(struct conf_pp *pp, const char *name, size_t len, const char *file,
			   int line, int col)
{
	struct def *d = def_find(pp, name, len);

	if (d) {
		def_clear(d);
		d->builtin = B_NONE;
		d->multiline = false;
		return d;
	}
	if (pp_bound(pp, pp->n_defs >= CONF_PP_DEFS_MAX, file, line, col,
		     "more than %d definitions", CONF_PP_DEFS_MAX))
		return NULL;
	if (pp->n_defs == pp->cap_defs) {
		pp->cap_defs = pp->cap_defs ? 2 * pp->cap_defs : 16;
		pp->defs = conf_xrealloc(pp->defs, pp->cap_defs, sizeof(*pp->defs));
		conf_index_free(&pp->ix);
		conf_index_xinit(&pp->ix, pp->cap_defs);
		for (size_t k = 0; k < pp->n_defs; k++)
			conf_index_add(&pp->ix, conf_hash_str(pp->defs[k].name), k);
	}
	d = &pp->defs[pp->n_defs];
	memset(d, 0, sizeof(*d));
	d->name = conf_xcalloc(len + 1, 1);
	memcpy(d->name, name, len);
	conf_index_add(&pp->ix, conf_hash(name, len, CONF_HASH_SEED), pp->n_defs++);
	return d;
}

static void def_add_line(struct def *d, const struct conf_pp_buf *b, size_t from, const char *file,
			 int line)
{
	d->v = conf_xrealloc(d->v, d->n + 1, sizeof(*d->v));
	conf_pp_copy(&d->v[d->n].b, b, from, b->n);
	d->v[d->n].file = file;
	d->v[d->n].line = line;
	d->n++;
}

/* Sets NAME to the text VAL (a ~SEQ variable). */
void conf_pp_set_text(struct conf_pp *pp, const char *name, const char *val, const char *file,
		      int line, int col)
{
	struct def *d = def_set(pp, name, strlen(name), file, line, col);
	struct conf_pp_buf b = {0};

	if (!d)
		return;
	for (const char *p = val; *p; p++)
		conf_pp_put(&b, *p, col);
	def_add_line(d, &b, 0, file, line);
	conf_pp_buf_free(&b);
}

static void builtin(struct conf_pp *pp, const char *name, enum builtin which)
{
	struct def *d = def_set(pp, name, strlen(name), "", 0, 0);

	d->builtin = which;
}

/* ---- the preprocessor ---- */

/* "@ID rest" / "@^ID rest": false when the line goes; else B is "rest". */
static bool cond_keep(struct conf_pp *pp, struct conf_pp_buf *b, const char *file, int line)
{
	bool neg = b->n > 1 && b->s[1] == '^';
	size_t o = neg ? 2 : 1, e = o;

	while (e < b->n && !conf_is_blank(b->s[e]))
		e++;
	if (e == o) {
		conf_pp_err(
		    pp, false, file, line, b->col[0],
		    "expected a configuration id right after '%s' (as in '%sID keyword ...')",
		    neg ? "@^" : "@", neg ? "@^" : "@");
		return false;
	}
	if (e == b->n) {
		conf_pp_err(pp, true, file, line, b->col[0],
			    "nothing after '%s': the line is ignored", b->s);
		return false;
	}
	if ((e - o == strlen(pp->id) && !memcmp(b->s + o, pp->id, e - o)) == neg)
		return false;
	pb_cut(b, e);
	return true;
}

/* "$NAME=VALUE". Returns 0 when B is no definition, 1 when it was one (or
 * a malformed one, reported), 2 when it opened a multi-line definition
 * (*OPEN is its index). */
static int try_define(struct conf_pp *pp, struct conf_pp_buf *b, const char *file, int line,
		      bool top, size_t *open)
{
	size_t k = 2, v, n = b->n;
	struct def *d;
	bool cont;

	if (!conf_pp_name_start(b->s[1]))
		return 0;
	while (conf_pp_name_char(b->s[k]))
		k++;
	if (b->s[k] != '=') {
		size_t j = k;
		while (conf_is_blank(b->s[j]))
			j++;
		if (j == k || b->s[j] != '=')
			return 0;
		conf_pp_err(pp, false, file, line, b->col[k],
			    "no blank may stand between '%.*s' and '=' in a definition", (int)k,
			    b->s);
		return 1;
	}
	for (v = k + 1; v < n && conf_is_blank(b->s[v]); v++)
		;
	cont = n > v && b->s[n - 1] == '\\';
	if (cont && !top) {
		conf_pp_err(pp, false, file, line, b->col[n - 1],
			    "a multi-line definition ('\\' at the end) cannot start inside an "
			    "expansion");
		return 1;
	}
	if (cont) {
		for (n--; n > v && conf_is_blank(b->s[n - 1]); n--)
			;
		b->n = n;
		b->s[n] = '\0';
	}
	d = def_set(pp, b->s + 1, k - 1, file, line, b->col[0]);
	if (!d)
		return 1;
	d->multiline = cont;
	if (!cont || v < n)
		def_add_line(d, b, v, file, line);
	*open = (size_t)(d - pp->defs);
	return cont ? 2 : 1;
}

/* The value of a predefined name; PARAMS (may be empty) only for _RANDOM. Returns false (reported)
 * when the parameters are wrong. */
static bool builtin_value(struct conf_pp *pp, enum builtin which, const char *params, char *out,
			  size_t len)
{
	unsigned long lo = 0, hi = 32767;
	char *e;

	switch (which) {
	case B_PWD: {
		/* the directory of the file being read, made absolute */
		const char *f = pp->cur_file ? pp->cur_file : "";
		const char *slash = strrchr(f, '/');
		int dl = slash ? (slash == f ? 1 : (int)(slash - f)) : 0;
		size_t o = 0;
		if (f[0] != '/' && getcwd(out, len))
			o = strlen(out);
		if (dl)
			snprintf(out + o, len - o, "%s%.*s", o ? "/" : "", dl, f);
		else if (!o)
			snprintf(out, len, ".");
		return true;
	}
	case B_INSTANCE:
		snprintf(out, len, "%s", pp->id);
		return true;
	case B_HASH:
	case B_BANG:
		snprintf(out, len, "%s", which == B_HASH ? "#" : "!");
		return true;
	default:
		break;
	}
	if (*params) {
		lo = strtoul(params, &e, 10);
		if (*e)
			hi = strtoul(e, &e, 10);
	}
	if (lo > hi || hi > 1000000000ul)
		return false;
	pp->rnd ^= pp->rnd << 13;
	pp->rnd ^= pp->rnd >> 7;
	pp->rnd ^= pp->rnd << 17;
	snprintf(out, len, "%lu", lo + (unsigned long)(pp->rnd % (hi - lo + 1)));
	return true;
}

/* A reference at S ("$NAME" or "${NAME}", or "${_RANDOM MIN MAX}"): its
 * definition and length, or NULL. PARAMS gets the parameters. */
static struct def *find_ref(struct conf_pp *pp, const char *s, size_t *rl, char *params,
			    size_t plen)
{
	bool brace = s[1] == '{';
	const char *n = s + (brace ? 2 : 1), *p = n;
	struct def *d;

	params[0] = '\0';
	if (!conf_pp_name_start(*p))
		return NULL;
	while (conf_pp_name_char(*p))
		p++;
	if (brace) {
		const char *q = p;
		while (*q == ' ' || (*q >= '0' && *q <= '9'))
			q++;
		if (*q != '}' || (q > p && (p[0] != ' ' || q[-1] == ' ')))
			return NULL;
		if (q > p)
			snprintf(params, plen, "%.*s", (int)(q - p - 1), p + 1);
		*rl = (size_t)(q + 1 - s);
	} else {
		if (*p && !conf_is_blank(*p) && *p != ',' && *p != ')')
			return NULL;
		*rl = (size_t)(p - s);
	}
	d = def_find(pp, n, (size_t)(p - n));
	if (d && params[0] && d->builtin != B_RANDOM)
		return NULL;
	return d;
}

/* Feeds a multi-line definition's lines (a copy: they may redefine it). */
static void expand_multi(struct conf_pp *pp, const struct def *d, int depth)
{
	size_t n = d->n;
	struct pline *v = conf_xcalloc(n, sizeof(*v));

	for (size_t k = 0; k < n; k++) {
		v[k] = d->v[k];
		conf_pp_copy(&v[k].b, &d->v[k].b, 0, d->v[k].b.n);
	}
	for (size_t k = 0; k < n; k++) {
		if (!pp->over)
			conf_pp_line(pp, &v[k].b, v[k].file, v[k].line, depth + 1, false);
		conf_pp_buf_free(&v[k].b);
	}
	conf_xfree(v);
}

/* Appends D's value for the reference at B[K] to O. False when reported. */
static bool put_value(struct conf_pp *pp, struct conf_pp_buf *o, const struct def *d,
		      const char *params, const struct conf_pp_buf *b, size_t k, const char *file,
		      int line)
{
	char val[PATH_MAX + 64];
	const char *s = val;
	size_t vl;

	if (d->builtin) {
		if (!builtin_value(pp, d->builtin, params, val, sizeof(val))) {
			conf_pp_err(pp, false, file, line, b->col[k],
				    "${_RANDOM MIN MAX} wants MIN <= MAX <= 1000000000");
			return false;
		}
		vl = strlen(val);
	} else {
		s = d->n ? d->v[0].b.s : "";
		vl = d->n ? d->v[0].b.n : 0;
	}
	if (o->n + vl > CONF_PP_LINE_MAX) {
		conf_pp_err(pp, false, file, line, b->col[k],
			    "the line is longer than %u bytes after substituting '$%s'",
			    CONF_PP_LINE_MAX, d->name);
		return false;
	}
	for (size_t j = 0; j < vl; j++)
		conf_pp_put(o, s[j], b->col[k]);
	return true;
}

/* One round of substitution over B. Returns 1 when something was
 * replaced, 0 when nothing was, -1 when B was consumed (a multi-line
 * expansion, or an error). ALONE_OK: a multi-line definition may stand
 * alone on the line. */
int conf_pp_subst(struct conf_pp *pp, struct conf_pp_buf *b, const char *file, int line, int depth,
		  bool alone_ok)
{
	struct conf_pp_buf o = {.end = b->end};
	bool any = false;
	char params[64];

	for (size_t k = 0, rl = 0; k < b->n;) {
		struct def *d =
		    b->s[k] == '$' ? find_ref(pp, b->s + k, &rl, params, sizeof(params)) : NULL;
		if (!d) {
			conf_pp_put(&o, b->s[k], b->col[k]);
			k++;
			continue;
		}
		if (d->multiline) {
			if (alone_ok && k == 0 && rl == b->n)
				expand_multi(pp, d, depth);
			else
				conf_pp_err(
				    pp, false, file, line, b->col[k],
				    "'%.*s' is a multi-line definition: it must stand alone on "
				    "its line",
				    (int)rl, b->s + k);
			conf_pp_buf_free(&o);
			return -1;
		}
		if (!put_value(pp, &o, d, params, b, k, file, line)) {
			conf_pp_buf_free(&o);
			return -1;
		}
		if (!any)
			pp->ref_col = b->col[k];
		k += rl;
		any = true;
	}
	if (any) {
		conf_pp_buf_free(b);
		*b = o;
		if (!b->s)
			conf_pp_copy(b, &o, 0, 0);
	} else {
		conf_pp_buf_free(&o);
	}
	return any;
}

/* One line: the '@' test, a definition, a ~SEQ, substitution; then out.
 * Returns true when B opened a multi-line definition (only when TOP; its
 * index is then in pp->open). */
bool conf_pp_line(struct conf_pp *pp, struct conf_pp_buf *b, const char *file, int line, int depth,
		  bool top)
{
	struct conf_pp_line l;
	size_t open = 0;

	if (pp_bound(pp, ++pp->work > CONF_PP_WORK_MAX, file, line, conf_pp_col(b, 0),
		     "more than %d lines to preprocess (a ~SEQ too long?)", CONF_PP_WORK_MAX) ||
	    pp_bound(pp, depth > CONF_PP_NEST_MAX, file, line, conf_pp_col(b, 0),
		     "definitions and ~SEQ expanded inside each other more than %d deep (a "
		     "definition that uses itself?)",
		     CONF_PP_NEST_MAX))
		return false;
	for (int pass = 0;; pass++) {
		int r;
		if (!b->n)
			return false;
		if (b->s[0] == '@' && !cond_keep(pp, b, file, line))
			return false;
		if (b->s[0] == '$' && (r = try_define(pp, b, file, line, top, &open)) != 0) {
			pp->open = open;
			return r == 2;
		}
		if (!strncmp(b->s, "~SEQ", 4)) {
			conf_pp_seq(pp, b, file, line, depth);
			return false;
		}
		r = conf_pp_subst(pp, b, file, line, depth, true);
		if (r < 0)
			return false;
		if (r == 0)
			break;
		if (pass + 1 == CONF_PP_PASSES_MAX) {
			conf_pp_err(pp, false, file, line, pp->ref_col,
				    "substitution goes on after %d rounds (a definition that uses "
				    "itself?)",
				    CONF_PP_PASSES_MAX);
			return false;
		}
		pb_decomment(b);
	}
	if (pp_bound(pp, (pp->out += b->n + 1) > CONF_PP_OUT_MAX, file, line, b->col[0],
		     "the preprocessor yields more than %u MiB", CONF_PP_OUT_MAX >> 20))
		return false;
	l = (struct conf_pp_line){.file = file,
				  .line = line,
				  .text = b->s,
				  .col = b->col,
				  .len = b->n,
				  .end_col = b->end};
	pp->emit(pp->ctx, &l);
	return false;
}

/* ---- files ---- */

/* The physical line RAW (N bytes, no '\n') in B, without its comment and
 * its NUL bytes (the first one of the file is an error), trimmed. In a
 * multi-line definition (IN_DEF), a '\' ending the line goes on even when
 * it is inside the comment, as in keepalived. */
static void read_phys(struct conf_pp *pp, const char *file, int line, const char *raw, size_t n,
		      struct conf_pp_buf *b, bool *nul_seen, bool in_def)
{
	size_t c = comment_at(raw, n), e = n, bs = 0;

	memset(b, 0, sizeof(*b));
	b->end = (int)n + 1;
	for (size_t k = 0; k < c; k++) {
		if (raw[k] == '\0') {
			if (!*nul_seen)
				conf_pp_err(pp, false, file, line, (int)k + 1,
					    "unexpected NUL byte");
			*nul_seen = true;
			continue;
		}
		conf_pp_put(b, raw[k], (int)k + 1);
	}
	if (!b->s)
		conf_pp_copy(b, b, 0, 0);
	pb_decomment(b);
	while (e > c && conf_is_blank(raw[e - 1]))
		e--;
	while (e > c && raw[e - 1 - bs] == '\\' && e - 1 - bs > c)
		bs++;
	if (in_def && bs % 2 == 1)
		conf_pp_put(b, '\\', (int)e);
}

/* A line of the multi-line definition D: false when it was the last. */
static bool def_continue(struct def *d, struct conf_pp_buf *b, const char *file, int line)
{
	bool cont = b->n && b->s[b->n - 1] == '\\';

	if (cont) {
		b->n--;
		while (b->n && conf_is_blank(b->s[b->n - 1]))
			b->n--;
		b->s[b->n] = '\0';
	}
	if (b->n)
		def_add_line(d, b, 0, file, line);
	return cont;
}

void conf_pp_file(struct conf_pp *pp, const char *file, const char *buf, size_t len, int *end_line,
		  int *end_col)
{
	const char *saved = pp->cur_file;
	bool nul_seen = false, open = false;
	int line = 0, oline = 0, ocol = 0;
	size_t i = 0;

	pp->cur_file = file;
	while (i < len && !pp->over) {
		size_t e = i;
		struct conf_pp_buf b;
		while (e < len && buf[e] != '\n')
			e++;
		line++;
		read_phys(pp, file, line, buf + i, e - i, &b, &nul_seen, open);
		if (open && (e == i || (e == i + 1 && buf[i] == '\r')))
			open = false; /* an empty line ends a definition, as in keepalived */
		else if (open)
			open = def_continue(&pp->defs[pp->open], &b, file, line);
		else if (b.n && (open = conf_pp_line(pp, &b, file, line, 0, true)))
			oline = line, ocol = b.col[0];
		conf_pp_buf_free(&b);
		i = e + 1;
	}
	if (open && !pp->over)
		conf_pp_err(
		    pp, false, file, oline, ocol,
		    "the multi-line definition '$%s' goes on to the end of the file (its last "
		    "line ends with '\\')",
		    pp->defs[pp->open].name);
	if (open && !pp->defs[pp->open].n)
		pp->defs[pp->open].multiline = false;
	*end_line = 1;
	*end_col = 1;
	for (size_t k = 0; k < len; k++) {
		if (buf[k] == '\n') {
			++*end_line;
			*end_col = 1;
		} else {
			++*end_col;
		}
	}
	pp->cur_file = saved;
}

void conf_pp_default_id(char *buf, size_t len)
{
	struct utsname u;

	if (uname(&u) < 0)
		u.nodename[0] = '\0';
	snprintf(buf, len, "%.*s", (int)strcspn(u.nodename, "."), u.nodename);
}

struct conf_pp *conf_pp_new(const char *config_id, struct conf_msgs *m, conf_pp_emit_fn *emit,
			    void *ctx)
{
	struct conf_pp *pp = conf_xcalloc(1, sizeof(*pp));

	if (config_id)
		snprintf(pp->id, sizeof(pp->id), "%s", config_id);
	else
		conf_pp_default_id(pp->id, sizeof(pp->id));
	pp->m = m;
	pp->emit = emit;
	pp->ctx = ctx;
	pp->rnd = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ull;
	builtin(pp, "_PWD", B_PWD);
	builtin(pp, "_INSTANCE", B_INSTANCE);
	builtin(pp, "_HASH", B_HASH);
	builtin(pp, "_BANG", B_BANG);
	builtin(pp, "_RANDOM", B_RANDOM);
	return pp;
}

void conf_pp_free(struct conf_pp *pp)
{
	if (!pp)
		return;
	for (size_t k = 0; k < pp->n_defs; k++) {
		def_clear(&pp->defs[k]);
		conf_xfree(pp->defs[k].name);
	}
	conf_xfree(pp->defs);
	conf_index_free(&pp->ix);
	conf_xfree(pp);
}
