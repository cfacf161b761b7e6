/* conf_pp internals shared by src/conf/preproc.c and src/conf/preproc_seq.c
 * (the ~SEQ loops). Nothing else includes this. */
#ifndef VRRPD_CONF_PREPROC_INT_H
#define VRRPD_CONF_PREPROC_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/preproc.h"

/* A line being worked on: its text and the column each character came
 * from. */
struct conf_pp_buf {
	char *s; /* NUL-terminated once anything was put */
	int *col;
	size_t n, cap;
	int end; /* the column after the source line's end */
};

void conf_pp_put(struct conf_pp_buf *b, char c, int col);
/* D = S[FROM..TO), with S's end column; D's text is never NULL. */
void conf_pp_copy(struct conf_pp_buf *d, const struct conf_pp_buf *s, size_t from, size_t to);
void conf_pp_buf_free(struct conf_pp_buf *b);
/* The column of B[K], or B's end column past its end. */
int conf_pp_col(const struct conf_pp_buf *b, size_t k);

void conf_pp_err(struct conf_pp *pp, bool warning, const char *file, int line, int col,
		 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A bound was passed: nothing more is read. */
bool conf_pp_over(const struct conf_pp *pp);
bool conf_pp_name_start(char c);
bool conf_pp_name_char(char c);
/* Defines NAME as the text VAL, its characters at column COL. */
void conf_pp_set_text(struct conf_pp *pp, const char *name, const char *val, const char *file,
		      int line, int col);

/* One round of substitution over B: 1 when something was replaced, 0 when
 * nothing was, -1 when B was consumed (a multi-line expansion, or an error,
 * reported). ALONE_OK: a multi-line definition standing alone on the line
 * is expanded (else it is an error). */
int conf_pp_subst(struct conf_pp *pp, struct conf_pp_buf *b, const char *file, int line, int depth,
		  bool alone_ok);
/* Preprocesses line B (which it may change) DEPTH expansions deep; TOP: a
 * line of a file, where a multi-line definition may start. True when it
 * opened one. */
bool conf_pp_line(struct conf_pp *pp, struct conf_pp_buf *b, const char *file, int line, int depth,
		  bool top);
/* "~SEQ(...) rest" at the start of B. */
void conf_pp_seq(struct conf_pp *pp, const struct conf_pp_buf *b, const char *file, int line,
		 int depth);

#endif
