/* conf_lex: private interface of the configuration module (conf_lex.c,
 * conf_parse.c, conf.c). Not for use outside src/conf*.c and their tests.
 *
 * Promises: conf_lex_file() turns a file written in keepalived's grammar into
 * one flat token array with every `include` already expanded, each token
 * carrying its file, line and column (1-based). Words are split on
 * whitespace; `{` and `}` are tokens of their own even when glued to a word;
 * "double quoted" strings are one word (with \" and \\ escapes); `#` and `!`
 * start a comment outside quotes. Messages go to a struct conf_msgs as
 * "FILE:LINE:COL: ..." lines. */
#ifndef VRRPD_CONF_LEX_H
#define VRRPD_CONF_LEX_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

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
	size_t n, cap;
	char **files; /* every file name read, in order; owned */
	size_t n_files;
};

/* Reads PATH and its includes. Returns 0, or -1 when PATH itself could not
 * be read (then out holds only an EOF token). Errors in included files are
 * reported to m and the parse goes on. */
int conf_lex_file(const char *path, struct conf_toks *out, struct conf_msgs *m);
/* Tokenizes an in-memory buffer named NAME (includes are resolved relative to
 * NAME's directory). Used by tests and the fuzz harness. */
void conf_lex_buffer(const char *name, const char *buf, size_t len, struct conf_toks *out,
		     struct conf_msgs *m);
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

/* Allocation that never returns NULL (aborts on exhaustion). */
void *conf_xcalloc(size_t n, size_t size);
void *conf_xrealloc(void *p, size_t n, size_t size);
char *conf_xstrdup(const char *s);

/* ---- parser <-> model (conf_parse.c produces, conf.c finalizes) ---- */

/* Where things were written in one vrrp_instance, and which values were set
 * explicitly (the rest take global_defs or built-in defaults). */
struct conf_inst_meta {
	const struct conf_tok *kw;   /* the `vrrp_instance` keyword */
	const struct conf_tok *name; /* its name */
	const struct conf_tok *interface, *vrid;
	const struct conf_tok *version;	   /* value token when set explicitly */
	const struct conf_tok *advert_int; /* value token */
	const struct conf_tok *auth_type;  /* value token */
	const struct conf_tok *auth_pass;  /* value token */
	const struct conf_tok *unicast_src;
	const struct conf_tok **vip;	      /* one per conf_instance.vips entry */
	const struct conf_tok **peer;	      /* one per conf_instance.peers entry */
	const struct conf_tok **track_script; /* name token, one per track_scripts entry */
	const struct conf_tok **track_if;     /* name token, one per track_ifs entry */
	const struct conf_tok *smtp_alert;    /* the keyword, when on */
	bool auth_type_seen;		      /* auth_type was written, valid or not */
	bool vip_lines; /* some virtual_ipaddress line was written, valid or not */
	bool garp_delay_set, garp_repeat_set, garp_refresh_set, garp_refresh_repeat_set,
	    garp_interval_set;
};

struct conf_global_meta {
	bool router_id_set, version_set;
	/* The first script or notify command without a user of its own (for
	 * the warning about the default user). */
	const struct conf_tok *first_cmd_without_user;
};

struct conf_script_meta {
	const struct conf_tok *name;
	bool has_script; /* "script" written, valid or not */
	bool timeout_set;
};

struct conf_group_meta {
	const struct conf_tok *name;
	const struct conf_tok **member; /* one per member name written */
	size_t n_member;
	bool group_seen; /* a "group" block was written */
	const struct conf_tok **track_script;
	const struct conf_tok **track_if;
	const struct conf_tok *smtp_alert;
};

struct conf_parse_result {
	struct config *cfg;
	struct conf_inst_meta *meta; /* one per cfg->inst */
	struct conf_global_meta gmeta;
	struct conf_script_meta *smeta; /* one per cfg->scripts */
	struct conf_group_meta *grmeta; /* one per cfg->groups; members resolved by conf.c */
};

/* Parses tokens into a config holding only what was written (plus built-in
 * instance defaults). */
void conf_parse_tokens(const struct conf_toks *t, struct conf_msgs *m,
		       struct conf_parse_result *out);
void conf_parse_result_free_meta(struct conf_parse_result *r);

/* Applies global and built-in defaults and validates across the file
 * (conf.c). Returns the number of errors it added. */
int conf_finalize(struct conf_parse_result *r, struct conf_msgs *m);
/* Sets built-in defaults (conf.c). */
void conf_global_defaults(struct conf_global *g);
void conf_instance_defaults(struct conf_instance *in);

/* conf_load() on an in-memory buffer named NAME (for tests and fuzzing). */
struct config *conf_load_buffer(const char *name, const char *buf, size_t len,
				struct conf_msgs *msgs);

/* Edit distance, for "did you mean". */
unsigned conf_edit_distance(const char *a, const char *b);

#endif
