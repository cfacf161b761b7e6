/* conf_lex: tokens, messages and allocation for the configuration module.
 * Private to src/conf/ and its tests.
 *
 * Promises: conf_lex_file() turns a file written in keepalived's grammar into
 * one flat token array with every `include` already expanded, each token
 * carrying its file, line and column (1-based). Words are split on
 * whitespace; `{` and `}` are tokens of their own even when glued to a word;
 * "double quoted" and 'single quoted' parts keep blanks, braces, '#' and
 * '!' in a word (with \" or \' and \\ escapes inside); `#` and `!` start a
 * comment outside quotes. Before that, keepalived's preprocessor
 * (conf/preproc.h) chooses and rewrites the lines; a token's position is
 * where its text was written. Messages go to a struct conf_msgs as
 * "FILE:LINE:COL: ..." lines. */
#ifndef VRRPD_CONF_LEX_H
#define VRRPD_CONF_LEX_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "conf/arena.h"
#include "conf/conf.h"

#define CONF_INCLUDE_DEPTH_MAX 8

enum conf_tok_type { CONF_TOK_EOF = 0, CONF_TOK_WORD, CONF_TOK_LBRACE, CONF_TOK_RBRACE };

struct conf_tok {
	enum conf_tok_type type;
	char *text;	  /* the word, unquoted; "{" / "}" for braces; "" at EOF */
	const char *file; /* interned: points into conf_toks.files */
	int line, col;
	bool bol;    /* first token on its line (in its file) */
	bool quoted; /* the word used quotes somewhere */
};

struct conf_toks {
	struct conf_tok *v; /* the last one is always CONF_TOK_EOF */
	size_t n;
	char **files; /* every file name read, in order; owned */
	size_t n_files;
};

/* Reads PATH and its includes, preprocessed (conf/preproc.h) for the
 * configuration id CONFIG_ID (NULL: the host's, conf_pp_default_id()).
 * Returns 0, or -1 when PATH itself could not be read (then out holds only
 * an EOF token). Errors in included files are reported to m and the parse
 * goes on. */
int conf_lex_file(const char *path, const char *config_id, struct conf_toks *out,
		  struct conf_msgs *m);
/* Tokenizes an in-memory buffer named NAME (includes are resolved relative to
 * NAME's directory). Used by tests and the fuzz harness. */
void conf_lex_buffer(const char *name, const char *config_id, const char *buf, size_t len,
		     struct conf_toks *out, struct conf_msgs *m);
void conf_toks_free(struct conf_toks *t);

/* Appends a message. line == 0 gives "FILE: MESSAGE". */
void conf_msg(struct conf_msgs *m, bool warning, const char *file, int line, int col,
	      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void conf_msg_tok(struct conf_msgs *m, bool warning, const struct conf_tok *t, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Formats where T is, relative to the file of HERE: "L:C" when both are in
 * the same file, else "FILE:L:C". */
const char *conf_where(const struct conf_tok *t, const struct conf_tok *here, char *buf,
		       size_t len);

/* Edit distance, for "did you mean". */
unsigned conf_edit_distance(const char *a, const char *b);

/* "Did you mean": offered candidates one by one, keeps the closest to WORD
 * (the first of equally close ones). */
struct conf_dym {
	const char *word;
	const char *best;
	unsigned d;
};
void conf_dym_init(struct conf_dym *y, const char *word);
void conf_dym_offer(struct conf_dym *y, const char *candidate);
/* " (did you mean 'BEST'?)" when BEST is close enough to be a typo of WORD
 * (at most 2 edits, and at most a third of WORD's length + 1), else "". */
const char *conf_dym_text(const struct conf_dym *y, char *buf, size_t len);

/* The characters the lexer splits words at, besides newline (the dump
 * quotes a word that holds one). */
bool conf_is_blank(char c);

#endif
