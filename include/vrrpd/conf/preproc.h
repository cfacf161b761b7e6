/* conf_pp: keepalived's configuration preprocessor. Private to src/conf/
 * and its tests.
 *
 * Promises: conf_pp_file() reads a file's text line by line, as keepalived
 * does before it splits words, and hands every line that survives to the
 * emit callback, comments removed, blanks trimmed, in order:
 *  - "@ID rest" keeps "rest" only when ID is the configuration id,
 *    "@^ID rest" only when it is not;
 *  - "$NAME=VALUE" defines NAME (nothing is emitted); a VALUE ending with
 *    '\' continues on the next lines, up to the first one that does not
 *    end with '\' (or an empty line): a multi-line definition;
 *  - "$NAME" (followed by a blank, ',', ')' or the end of the line) and
 *    "${NAME}" anywhere are replaced by NAME's value, again and again while
 *    the line changes; an undefined name stays as written; a multi-line
 *    definition must be alone on its line and yields its lines;
 *  - "~SEQ(VAR, START, STEP, END) rest" (and ~SEQx, in hexadecimal) yields
 *    "rest" once per value of $VAR;
 *  - ${_PWD}, ${_INSTANCE}, ${_HASH}, ${_BANG}, ${_RANDOM [MIN [MAX]]} are
 *    predefined.
 * Every position is a real one: a line's characters carry the column they
 * came from (a substituted value that of its '$'), and a line of a
 * multi-line definition the file and line it was written on. Everything is
 * bounded (substitution rounds, line length, nesting, ~SEQ values,
 * definitions, lines processed, bytes emitted); passing a bound is an
 * error, reported once. Every malformed construct is an error at its
 * FILE:LINE:COL. emit may call conf_pp_file() again (an include): the
 * definitions are shared by every file of one load. No global state. */
#ifndef VRRPD_CONF_PREPROC_H
#define VRRPD_CONF_PREPROC_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"

#define CONF_PP_LINE_MAX   (64u << 10) /* bytes in one line after substitution */
#define CONF_PP_PASSES_MAX 32	       /* substitution rounds on one line */
#define CONF_PP_NEST_MAX   16	       /* multi-line definitions and ~SEQ inside each other */
#define CONF_PP_SEQ_MAX	   10000       /* values of one ~SEQ */
#define CONF_PP_DEFS_MAX   10000       /* definitions in one load */
#define CONF_PP_WORK_MAX   500000      /* lines processed in one load, emitted or not */
#define CONF_PP_OUT_MAX	   (16u << 20) /* bytes emitted in one load */
#define CONF_PP_ID_MAX	   256

struct conf_pp_line {
	const char *file; /* as given to conf_pp_file() */
	int line;
	const char *text; /* NUL-terminated; no comment, no NUL, trimmed */
	const int *col;	  /* col[i]: the column text[i] came from (1-based) */
	size_t len;
	int end_col; /* the column just after the line's last character */
};

typedef void conf_pp_emit_fn(void *ctx, const struct conf_pp_line *l);

struct conf_pp;

/* CONFIG_ID NULL: conf_pp_default_id(). Messages go to M. */
struct conf_pp *conf_pp_new(const char *config_id, struct conf_msgs *m, conf_pp_emit_fn *emit,
			    void *ctx);
void conf_pp_free(struct conf_pp *pp);
/* Preprocesses BUF (LEN bytes) read from FILE (kept by the caller for as
 * long as PP lives). Sets *END_LINE / *END_COL just after its last byte. */
void conf_pp_file(struct conf_pp *pp, const char *file, const char *buf, size_t len, int *end_line,
		  int *end_col);
/* keepalived's default configuration id: the host name up to its first
 * '.'. */
void conf_pp_default_id(char *buf, size_t len);

#endif
