/* conf_lex: tokenizer for keepalived's configuration grammar, with include.
 *
 * How: each file is read whole and goes through the preprocessor
 * (preproc.c: @ID lines, $NAME definitions, ~SEQ), which hands back lines;
 * each line is cut into raw tokens (words, braces) with their positions and
 * a "first on its line" flag, and copied into one flat output array, where
 * an `include PATTERN` statement is replaced at once by the tokens of the
 * files it names (glob(3), sorted, relative to the including file's
 * directory), recursively, with a depth limit and loop detection by
 * (device, inode). */
#include "conf/lex.h"
#include "conf/preproc.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- allocation and messages ---- */

static void msg_vadd(struct conf_msgs *m, bool warning, const char *file, int line, int col,
		     const char *fmt, va_list ap)
{
	char body[1024], *full;
	int n;

	vsnprintf(body, sizeof(body), fmt, ap);
	if (line > 0)
		n = asprintf(&full, "%s:%d:%d: %s%s", file, line, col, warning ? "warning: " : "",
			     body);
	else
		n = asprintf(&full, "%s: %s%s", file, warning ? "warning: " : "", body);
	if (n < 0) {
		fputs("vrrpd: out of memory\n", stderr);
		abort();
	}
	m->v = conf_xgrow(m->v, m->n, sizeof(*m->v));
	m->v[m->n++] = full;
	if (warning)
		m->warnings++;
	else
		m->errors++;
}

void conf_msg(struct conf_msgs *m, bool warning, const char *file, int line, int col,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vadd(m, warning, file, line, col, fmt, ap);
	va_end(ap);
}

void conf_msg_tok(struct conf_msgs *m, bool warning, const struct conf_tok *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vadd(m, warning, t->file, t->line, t->col, fmt, ap);
	va_end(ap);
}

const char *conf_where(const struct conf_tok *t, const struct conf_tok *here, char *buf, size_t len)
{
	if (here && !strcmp(here->file, t->file))
		snprintf(buf, len, "%d:%d", t->line, t->col);
	else
		snprintf(buf, len, "%s:%d:%d", t->file, t->line, t->col);
	return buf;
}

unsigned conf_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[65];

	if (la > 64 || lb > 64)
		return 1000;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

void conf_dym_init(struct conf_dym *y, const char *word)
{
	y->word = word;
	y->best = NULL;
	y->d = 1000;
}

void conf_dym_offer(struct conf_dym *y, const char *candidate)
{
	unsigned d = conf_edit_distance(y->word, candidate);

	if (d < y->d) {
		y->d = d;
		y->best = candidate;
	}
}

const char *conf_dym_text(const struct conf_dym *y, char *buf, size_t len)
{
	buf[0] = '\0';
	if (y->best && y->d <= 2 && y->d <= strlen(y->word) / 3 + 1)
		snprintf(buf, len, " (did you mean '%s'?)", y->best);
	return buf;
}

/* ---- the lexer ---- */

#define CONF_FILE_MAX (16u << 20) /* no configuration file is this big */
/* One load reads at most this many files and bytes in all: a file
 * included twice side by side is no loop, so without a bound eight files
 * of eight includes each read the last 8^7 times. */
#define CONF_LOAD_FILES_MAX 4096
#define CONF_LOAD_BYTES_MAX (64u << 20)

struct filekey {
	dev_t dev;
	ino_t ino;
};

struct lexer {
	struct conf_toks *out;
	struct conf_msgs *m;
	struct filekey chain[CONF_INCLUDE_DEPTH_MAX + 2]; /* files being read, outermost first */
	int n_chain;
	size_t n_read, bytes_read; /* in this load, for CONF_LOAD_*_MAX */
	bool over;		   /* a bound was passed: said once */
	struct conf_pp *pp;	   /* shared by every file of the load */
	int depth;		   /* include depth of the file being read */
};

struct rawtoks {
	struct conf_tok *v;
	size_t n, cap;
};

static const char *intern_file(struct lexer *L, const char *name)
{
	struct conf_toks *o = L->out;

	if (!(o->n_files & (o->n_files - 1))) /* at 0, 1, 2, 4, ...: double */
		o->files =
		    conf_xrealloc(o->files, o->n_files ? 2 * o->n_files : 1, sizeof(*o->files));
	o->files[o->n_files] = conf_xstrdup(name);
	return o->files[o->n_files++];
}

static void raw_push(struct rawtoks *r, const struct conf_tok *t)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->v = conf_xrealloc(r->v, r->cap, sizeof(*r->v));
	}
	r->v[r->n++] = *t;
}

struct strbuf {
	char *s;
	size_t n, cap;
};

static void sb_add(struct strbuf *b, char c)
{
	if (b->n + 1 >= b->cap) {
		b->cap = b->cap ? b->cap * 2 : 32;
		b->s = conf_xrealloc(b->s, b->cap, 1);
	}
	b->s[b->n++] = c;
	b->s[b->n] = '\0';
}

bool conf_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool ends_word(char c)
{
	return conf_is_blank(c) || c == '\n' || c == '#' || c == '!' || c == '{' || c == '}' ||
	       c == '\0';
}

/* Where the tokenizer is in one preprocessed line. */
struct cursor {
	const struct conf_pp_line *l;
	size_t i;
	bool bol; /* no token before, on this line */
};

static int cur_col(const struct cursor *c)
{
	return c->i < c->l->len ? c->l->col[c->i] : c->l->end_col;
}

/* Reads one word at C (it starts there), with its quoted parts: "..." or
 * '...', where \ and an escaped closing quote stand for themselves. */
static void read_word(struct lexer *L, struct cursor *c, struct rawtoks *r)
{
	const char *s = c->l->text;
	struct conf_tok t = {.type = CONF_TOK_WORD,
			     .file = c->l->file,
			     .line = c->l->line,
			     .col = cur_col(c),
			     .bol = c->bol};
	struct strbuf sb = {0};
	char q = 0;
	int qcol = 0;

	for (; c->i < c->l->len; c->i++) {
		char ch = s[c->i];

		if (q && ch == '\\' && c->i + 1 < c->l->len &&
		    (s[c->i + 1] == q || s[c->i + 1] == '\\')) {
			sb_add(&sb, s[++c->i]);
			continue;
		}
		if (!q && ends_word(ch))
			break;
		if (q && ch == q) {
			q = 0;
		} else if (!q && (ch == '"' || ch == '\'')) {
			t.quoted = true;
			q = ch;
			qcol = cur_col(c);
		} else {
			sb_add(&sb, ch);
		}
	}
	if (q)
		conf_msg(L->m, false, c->l->file, c->l->line, qcol,
			 "unterminated quoted string (missing '%c' before the end of the line)", q);
	t.text = sb.s ? sb.s : conf_xstrdup("");
	raw_push(r, &t);
	c->bol = false;
}

static void push_brace(struct cursor *c, char ch, struct rawtoks *r)
{
	struct conf_tok t = {.type = ch == '{' ? CONF_TOK_LBRACE : CONF_TOK_RBRACE,
			     .file = c->l->file,
			     .line = c->l->line,
			     .col = cur_col(c),
			     .bol = c->bol};

	t.text = conf_xstrdup(ch == '{' ? "{" : "}");
	raw_push(r, &t);
	c->bol = false;
	c->i++;
}

static void expand(struct lexer *L, struct rawtoks *r, int depth);

/* The preprocessor's output: one line, cut into raw tokens, whose
 * includes are expanded at once (a definition after an include sees what
 * the included files defined, as in keepalived). */
static void lex_line(void *ctx, const struct conf_pp_line *l)
{
	struct lexer *L = ctx;
	struct cursor c = {.l = l, .bol = true};
	struct rawtoks r = {0};

	while (c.i < l->len) {
		char ch = l->text[c.i];

		if (conf_is_blank(ch))
			c.i++;
		else if (ch == '#' || ch == '!')
			break;
		else if (ch == '{' || ch == '}')
			push_brace(&c, ch, &r);
		else
			read_word(L, &c, &r);
	}
	expand(L, &r, L->depth);
}

static void out_push(struct lexer *L, struct conf_tok *t)
{
	struct conf_toks *o = L->out;

	o->v = conf_xgrow(o->v, o->n, sizeof(*o->v));
	o->v[o->n++] = *t;
}

/* Reads a whole file. Returns the buffer (NUL-terminated) or NULL with errno. */
static char *read_all(const char *path, size_t *len, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, st) < 0)
		goto fail;
	if (S_ISDIR(st->st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	for (;;) {
		ssize_t k;

		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = conf_xrealloc(buf, cap, 1);
		}
		if (n > CONF_FILE_MAX) {
			errno = EFBIG;
			goto fail;
		}
		k = read(fd, buf + n, cap - n - 1);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	if (!buf)
		buf = conf_xcalloc(1, 1);
	buf[n] = '\0';
	*len = n;
	return buf;
fail : {
	int e = errno;
	close(fd);
	conf_xfree(buf);
	errno = e;
	return NULL;
}
}

static void expand(struct lexer *L, struct rawtoks *r, int depth);

static void include_one(struct lexer *L, const char *path, const struct conf_tok *pat, int depth)
{
	struct stat st;
	size_t len;
	char *buf;
	const char *name;
	int el, ec;

	if (depth + 1 > CONF_INCLUDE_DEPTH_MAX) {
		conf_msg_tok(L->m, false, pat,
			     "cannot include '%s': includes nested more than %d levels deep", path,
			     CONF_INCLUDE_DEPTH_MAX);
		return;
	}
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
			/* a FIFO or a device could block or never end */
			conf_msg_tok(L->m, false, pat, "cannot include '%s': not a regular file",
				     path);
			return;
		}
		for (int k = 0; k < L->n_chain; k++) {
			if (L->chain[k].dev == st.st_dev && L->chain[k].ino == st.st_ino) {
				conf_msg_tok(L->m, false, pat,
					     "include loop: '%s' is already being read", path);
				return;
			}
		}
	}
	if (L->n_read >= CONF_LOAD_FILES_MAX || L->bytes_read >= CONF_LOAD_BYTES_MAX) {
		if (!L->over)
			conf_msg_tok(L->m, false, pat,
				     "cannot include '%s': this configuration reads more than %d "
				     "files or %u MiB through its includes",
				     path, CONF_LOAD_FILES_MAX, CONF_LOAD_BYTES_MAX >> 20);
		L->over = true;
		return;
	}
	buf = read_all(path, &len, &st);
	if (!buf) {
		conf_msg_tok(L->m, false, pat, "cannot open include file '%s': %s", path,
			     strerror(errno));
		return;
	}
	L->n_read++;
	L->bytes_read += len;
	name = intern_file(L, path);
	L->chain[L->n_chain].dev = st.st_dev;
	L->chain[L->n_chain].ino = st.st_ino;
	L->n_chain++;
	L->depth = depth + 1;
	conf_pp_file(L->pp, name, buf, len, &el, &ec);
	L->depth = depth;
	conf_xfree(buf);
	L->n_chain--;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void do_include(struct lexer *L, const struct conf_tok *pat, int depth)
{
	const char *slash = strrchr(pat->file, '/');
	char *full;
	glob_t g;
	int rc;

	if (pat->text[0] != '/' && slash) {
		size_t dl = (size_t)(slash - pat->file) + 1;
		full = conf_xcalloc(dl + strlen(pat->text) + 1, 1);
		memcpy(full, pat->file, dl);
		strcpy(full + dl, pat->text);
	} else {
		full = conf_xstrdup(pat->text);
	}
	if (!full[0]) {
		conf_msg_tok(L->m, false, pat, "expected a file name or pattern after 'include'");
		conf_xfree(full);
		return;
	}
	if (!strpbrk(pat->text, "*?[{")) {
		include_one(L, full, pat, depth);
		conf_xfree(full);
		return;
	}
	rc = glob(full, GLOB_MARK | GLOB_BRACE, NULL, &g);
	if (rc == GLOB_NOMATCH) {
		conf_xfree(full);
		return; /* as keepalived: a pattern that matches nothing is no error */
	}
	if (rc != 0) {
		conf_msg_tok(L->m, false, pat, "cannot expand include pattern '%s'", full);
		conf_xfree(full);
		return;
	}
	qsort(g.gl_pathv, g.gl_pathc, sizeof(char *), cmp_str);
	for (size_t k = 0; k < g.gl_pathc; k++) {
		size_t pl = strlen(g.gl_pathv[k]);
		if (pl && g.gl_pathv[k][pl - 1] == '/')
			continue; /* a directory */
		include_one(L, g.gl_pathv[k], pat, depth);
	}
	globfree(&g);
	conf_xfree(full);
}

/* Moves R's tokens to the output, expanding includes. Frees R. */
static void expand(struct lexer *L, struct rawtoks *r, int depth)
{
	for (size_t k = 0; k < r->n; k++) {
		struct conf_tok *t = &r->v[k];
		bool stmt_start = t->bol || (k > 0 && r->v[k - 1].type != CONF_TOK_WORD);

		if (t->type == CONF_TOK_WORD && !t->quoted && stmt_start &&
		    !strcmp(t->text, "include")) {
			size_t j = k + 1;
			struct conf_tok *pat = NULL;

			if (j < r->n && !r->v[j].bol && r->v[j].type == CONF_TOK_WORD)
				pat = &r->v[j++];
			if (!pat) {
				conf_msg_tok(L->m, false, t,
					     "expected a file name or pattern after 'include'");
			} else if (j < r->n && !r->v[j].bol && r->v[j].type == CONF_TOK_WORD) {
				conf_msg_tok(L->m, false, &r->v[j],
					     "unexpected '%s' after 'include %s' (one pattern per "
					     "include)",
					     r->v[j].text, pat->text);
				while (j < r->n && !r->v[j].bol && r->v[j].type == CONF_TOK_WORD)
					j++;
			} else {
				do_include(L, pat, depth);
			}
			for (size_t x = k; x < j; x++) {
				conf_xfree(r->v[x].text);
				r->v[x].text = NULL;
			}
			k = j - 1;
			continue;
		}
		out_push(L, t);
		t->text = NULL;
	}
	conf_xfree(r->v);
	r->v = NULL;
}

static void finish(struct lexer *L, const char *file, int line, int col)
{
	struct conf_tok eof = {.type = CONF_TOK_EOF, .file = file, .line = line, .col = col};

	eof.text = conf_xstrdup("");
	out_push(L, &eof);
}

void conf_lex_buffer(const char *name, const char *config_id, const char *buf, size_t len,
		     struct conf_toks *out, struct conf_msgs *m)
{
	struct lexer L = {.out = out, .m = m};
	const char *file;
	int el, ec;

	memset(out, 0, sizeof(*out));
	file = intern_file(&L, name);
	L.pp = conf_pp_new(config_id, m, lex_line, &L);
	conf_pp_file(L.pp, file, buf, len, &el, &ec);
	conf_pp_free(L.pp);
	finish(&L, file, el, ec);
}

int conf_lex_file(const char *path, const char *config_id, struct conf_toks *out,
		  struct conf_msgs *m)
{
	struct lexer L = {.out = out, .m = m};
	struct stat st;
	const char *file;
	size_t len;
	char *buf;
	int el, ec;

	memset(out, 0, sizeof(*out));
	file = intern_file(&L, path);
	buf = read_all(path, &len, &st);
	if (!buf) {
		conf_msg(m, false, path, 0, 0, "cannot open: %s", strerror(errno));
		finish(&L, file, 1, 1);
		return -1;
	}
	L.chain[0].dev = st.st_dev;
	L.chain[0].ino = st.st_ino;
	L.n_chain = 1;
	L.pp = conf_pp_new(config_id, m, lex_line, &L);
	conf_pp_file(L.pp, file, buf, len, &el, &ec);
	conf_pp_free(L.pp);
	conf_xfree(buf);
	finish(&L, file, el, ec);
	return 0;
}

void conf_toks_free(struct conf_toks *t)
{
	if (!t)
		return;
	for (size_t k = 0; k < t->n; k++)
		conf_xfree(t->v[k].text);
	conf_xfree(t->v);
	for (size_t k = 0; k < t->n_files; k++)
		conf_xfree(t->files[k]);
	conf_xfree(t->files);
	memset(t, 0, sizeof(*t));
}
void conf_msgs_free(struct conf_msgs *m)
{
	if (!m)
		return;
	for (size_t k = 0; k < m->n; k++)
		conf_xfree(m->v[k]);
	conf_xfree(m->v);
	memset(m, 0, sizeof(*m));
}
