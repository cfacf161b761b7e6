/* conf_parse: keepalived's keywords -> a struct config holding what was
 * written, and where. Private to src/conf/ and its tests.
 *
 * Promises: conf_parse_tokens() walks the tokens of conf_lex once and fills
 * a config with every value that was written and valid, plus built-in
 * defaults; every problem is a message at its token. What needs more than
 * one statement (defaults from global_defs, families, versions, references,
 * duplicates) is left to conf_finalize() (check.h), which gets the
 * positions recorded here in the *_meta structs.
 *
 * The engine (src/conf/parse.c) knows statements, blocks and keyword
 * tables but no keyword: each section is a struct conf_section whose
 * sorted tables (src/conf/kw_*.c) give every keyword its argument count,
 * flags and handler. A statement is a keyword, its arguments (the
 * following words on the same line) and an optional { block } (whose '{'
 * may also start the next line). */
#ifndef VRRPD_CONF_PARSE_H
#define VRRPD_CONF_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"
#include "conf/lex.h"

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
	const struct conf_tok **track_proc;   /* name token, one per track_procs entry */
	const struct conf_tok **track_file;   /* name token, one per track_files entry */
	const struct conf_tok *smtp_alert;    /* the keyword, when on */
	bool auth_type_seen;		      /* auth_type was written, valid or not */
	bool vip_lines; /* some virtual_ipaddress line was written, valid or not */
	bool garp_delay_set, garp_repeat_set, garp_refresh_set, garp_refresh_repeat_set,
	    garp_interval_set, gna_interval_set, garp_lower_delay_set, garp_lower_repeat_set;
	bool priority_changes_set;	  /* notify_priority_changes written */
	const struct conf_tok *hpsa;	  /* higher_prio_send_advert, when written and valid */
	const struct conf_tok *lower_rep; /* garp_lower_prio_repeat's value, when valid */
	/* Written keywords (the last one, valid or not) that conf_finalize
	 * checks against strict mode and other statements. */
	const struct conf_tok *state, *preempt_delay, *vmac_xmit_base;
	const struct conf_tok *use_vmac;	     /* the keyword */
	const struct conf_tok *vmac_name;	     /* its NAME, when valid */
	const struct conf_tok *accept;		     /* accept or no_accept, when valid */
	const struct conf_tok *strict_mode;	     /* the keyword, when valid */
	const struct conf_tok *lower_prio_no_advert; /* the keyword, when valid */
	const struct conf_tok *mcast_dst;	     /* the address, when valid */
	const struct conf_tok **vroute;		     /* first word, one per vroutes entry */
	const struct conf_tok **vrule;		     /* first word, one per vrules entry */
	const struct conf_tok *priority;	     /* the keyword, valid or not */
	const struct conf_tok *no_vip;		     /* no_virtual_ipaddress */
	const struct conf_tok *csum_as_v2;	     /* v3_checksum_as_v2, valid or not */
	const struct conf_tok *down_timer;	     /* down_timer_adverts, when valid */
	const struct conf_tok *owner_ignore;	     /* owner_ignore_adverts, when valid */
	const struct conf_tok *track_src_ip;	     /* track_src_ip */
	const struct conf_tok *expired_backup;	     /* timer_expired_backup, when valid */
	const struct conf_tok *native_ipv6;	     /* native_ipv6 */
	/* heartbeat_path: the keyword; its interface, unicast_src_ip and
	 * peers (one per hb_peers entry), when valid */
	const struct conf_tok *hb, *hb_if, *hb_src, **hb_peer;
};

struct conf_global_meta {
	bool router_id_set, version_set;
	bool garp_set[8]; /* (CONF_GARP_KW_N, values.h) vrrp_garp_* written, by enum conf_garp_kw
			     (vrrp_min_garp keeps them) */
	bool garp_lower_delay_set, garp_lower_repeat_set;
	const struct conf_tok *hpsa;   /* vrrp_higher_prio_send_advert, when written and valid */
	const struct conf_tok *strict; /* the vrrp_strict keyword, when it turned strict mode on */
	const struct conf_tok *down_timer;   /* vrrp_down_timer_adverts, when valid */
	const struct conf_tok *owner_ignore; /* vrrp_owner_ignore_adverts, when valid */
	const struct conf_tok *vmac_prefix;  /* its value, when valid */
	/* First word of each line, one per static_addrs / static_routes /
	 * static_rules entry. */
	const struct conf_tok **static_addr, **static_route, **static_rule;
	const struct conf_tok **if_delay; /* interface name, one per if_delays entry */
	/* The first script or notify command without a user of its own (for
	 * the warning about the default user). */
	const struct conf_tok *first_cmd_without_user;
	/* script_user's user, when it does not exist on this host */
	const struct conf_tok *script_user_missing;
};

struct conf_script_meta {
	const struct conf_tok *name;
	const struct conf_tok *user_missing; /* its user, when it does not exist */
	bool has_script; /* "script" written, valid or not (vrrp_check: a check) */
	bool is_check;	 /* a vrrp_check block */
	bool timeout_set;
};

struct conf_group_meta {
	const struct conf_tok *name;
	const struct conf_tok **member; /* one per member name written */
	size_t n_member;
	bool group_seen; /* a "group" block was written */
	const struct conf_tok **track_script;
	const struct conf_tok **track_if;
	const struct conf_tok **track_proc;
	const struct conf_tok **track_file;
	const struct conf_tok *smtp_alert;
};

struct conf_tracker_meta {
	const struct conf_tok *name;
	const struct conf_tok *what; /* "process" / "file", when written */
	const struct conf_tok *quorum, *quorum_max;
};

struct conf_parse_result {
	struct config *cfg;
	struct conf_inst_meta *meta; /* one per cfg->inst */
	struct conf_global_meta gmeta;
	struct conf_script_meta *smeta; /* one per cfg->scripts */
	struct conf_group_meta *grmeta; /* one per cfg->groups; members resolved by check.c */
	/* vrrp_scripts conf_finalize took out of cfg->scripts (a user that does
	 * not exist, a second one of a name), for the track_script messages */
	struct conf_dropped_script {
		char name[CONF_NAME_MAX];
		const char *why; /* "is disabled: ..."; static */
	} * dropped;
	size_t n_dropped;
	struct conf_tracker_meta *pmeta; /* one per cfg->procs */
	struct conf_tracker_meta *fmeta; /* one per cfg->tfiles */
};

/* ---- the engine: statements and blocks ---- */

#define CONF_SUGGEST_ERRORS_MAX 100 /* no "did you mean" after this many errors */

struct conf_parser {
	const struct conf_toks *t;
	size_t i; /* the next token */
	struct conf_msgs *m;
	struct conf_parse_result *r;
	bool eof_reported;
	const struct conf_tok **global_seen; /* global_defs' settings, across its blocks */
};

struct conf_kw;

struct conf_stmt {
	const struct conf_tok *kw;
	const struct conf_tok *arg; /* first argument; arguments are contiguous */
	size_t nargs;
	const struct conf_tok *open; /* the '{' when a block follows */
	const struct conf_kw *def;   /* its table entry, once looked up */
};

/* Messages at a token, formatted. */
void conf_perr(struct conf_parser *p, const struct conf_tok *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void conf_pwarn(struct conf_parser *p, const struct conf_tok *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

const struct conf_tok *conf_peek(const struct conf_parser *p);
const struct conf_tok *conf_next(struct conf_parser *p);
/* Reads a statement: the keyword at the current token, its arguments and
 * the '{' of its block if one follows. */
void conf_read_stmt(struct conf_parser *p, struct conf_stmt *s);
/* "KW ARG ARG" (up to NARGS arguments) for messages, shortened when long. */
const char *conf_stmt_text(const struct conf_stmt *s, size_t nargs, char *buf, size_t len);
/* Skips to the '}' matching an already consumed '{' opened by OPENER. */
void conf_skip_block(struct conf_parser *p, const struct conf_tok *opener);
/* Skips the block of S, if it has one. */
void conf_skip_stmt_block(struct conf_parser *p, const struct conf_stmt *s);
/* Checks the argument count of S; WHAT names the arguments ("a number"). */
bool conf_want_args(struct conf_parser *p, const struct conf_stmt *s, size_t min, size_t max,
		    const char *what);
/* A block statement: no arguments beyond NARGS, and a '{'. True when the
 * block is there to be parsed (even if the arguments were wrong). */
bool conf_want_block(struct conf_parser *p, const struct conf_stmt *s, size_t nargs);
/* "NAME {": a block statement with a name of 1..CONF_NAME_MAX-1 characters
 * (WHAT names the block). Reports and skips the block otherwise. */
bool conf_want_named_block(struct conf_parser *p, const struct conf_stmt *s, const char *what);

/* A block whose lines are items, not keywords (addresses, names): ITEM is
 * called at the start of each line until the closing '}'. */
typedef void conf_item_fn(struct conf_parser *p, void *ctx);
void conf_parse_list(struct conf_parser *p, const struct conf_tok *opener, conf_item_fn *item,
		     void *ctx);
/* In a list: reads the item's line as a statement and refuses a block. */
void conf_read_item(struct conf_parser *p, struct conf_stmt *s);

/* ---- keyword tables ---- */

/* A handler gets a statement whose argument count (unless CONF_KW_RAW) and
 * block were checked, and the context of its section. */
typedef void conf_kw_fn(struct conf_parser *p, const struct conf_stmt *s, void *ctx);

/* A keyword of keepalived's that vrrpd accepts but does not apply is in
 * its table with one of two flags, the one place that says what skipping
 * it means (vrrpd -t lists them in its closing summary, grouped so):
 *  - CONF_KW_NO_EFFECT: nothing a VRRP peer or the addresses would notice
 *    (SNMP, D-Bus, LVS, process scheduling, buffer sizes...);
 *  - CONF_KW_CHANGES: keepalived would behave differently (who becomes
 *    master or when, what goes on the wire, what is tracked or told).
 * Implementing a keyword means replacing its entry with a handler. */
enum {
	CONF_KW_BLOCK = 1 << 0, /* takes a { block } and no argument */
	CONF_KW_NO_EFFECT =
	    1 << 1, /* keepalived's, not applied, harmless: warn, skip it and its block */
	CONF_KW_MULTI = 1 << 2,	  /* a list that may be written many times: never "given again" */
	CONF_KW_RAW = 1 << 3,	  /* the handler checks its arguments and block itself */
	CONF_KW_ONE_CMD = 1 << 4, /* one command line: an extra word gets the quoting hint */
	CONF_KW_CHANGES = 1 << 5  /* keepalived's, not applied, changes behaviour: as NO_EFFECT */
};
/* Either of the two: accepted but not applied. */
#define CONF_KW_UNIMPL (CONF_KW_NO_EFFECT | CONF_KW_CHANGES)

struct conf_kw {
	const char *name;
	unsigned char min, max; /* argument count */
	unsigned char flags;
	const char *what;  /* what the arguments are, for "expected WHAT after 'KW'" */
	const char *alias; /* the same setting as keyword ALIAS (one "given again" slot) */
	const char *why;   /* CONF_KW_UNIMPL: what keepalived does with it, for the summary */
	conf_kw_fn *fn;
	int arg; /* a constant for FN (which field, which value) */
};

/* Table entries. */
/* clang-format off */
#define CONF_KW_ARGS(n, lo, hi, w, f, a) \
	{.name = (n), .min = (lo), .max = (hi), .what = (w), .fn = (f), .arg = (a)}
#define CONF_KW_BLOCK_OF(n, fl, f, a) {.name = (n), .flags = CONF_KW_BLOCK | (fl), .fn = (f), .arg = (a)}
#define CONF_KW_NO_EFFECT_OF(n, w) {.name = (n), .flags = CONF_KW_NO_EFFECT, .why = (w)}
#define CONF_KW_CHANGES_OF(n, w) {.name = (n), .flags = CONF_KW_CHANGES, .why = (w)}
/* clang-format on */

/* A table sorted by name (strcmp), without duplicates. */
struct conf_kw_table {
	const struct conf_kw *v;
	size_t n;
};
/* clang-format off */
#define CONF_KW_TABLE(a) {(a), sizeof(a) / sizeof((a)[0])}
/* clang-format on */

/* A section: its own table, and optionally a table it shares with other
 * sections (whose handlers then get a context whose first member is the
 * shared one). Suggestions come from its own implemented keywords, then
 * the shared ones, then its own unimplemented ones. */
struct conf_section {
	const char *name; /* "vrrp_instance", for messages */
	struct conf_kw_table own;
	const struct conf_kw_table *shared; /* may be NULL */
	conf_kw_fn *unknown; /* instead of "unknown keyword 'X' in NAME"; may be NULL */
};

/* Looks NAME up by binary search. */
const struct conf_kw *conf_kw_find(const struct conf_kw_table *t, const char *name);
/* Looks NAME up in the section; *SLOT gets its "given again" slot (aliases
 * share their target's). */
const struct conf_kw *conf_section_find(const struct conf_section *sec, const char *name,
					size_t *slot);
/* How many "given again" slots a section has (the SEEN arrays below). */
size_t conf_section_slots(const struct conf_section *sec);
/* " (did you mean 'X'?)" from the section's keywords, or "". */
const char *conf_section_suggest(const struct conf_section *sec, const char *word, char *buf,
				 size_t len);
/* The keyword token of the last NAME given in a block parsed with SEEN. */
const struct conf_tok *conf_seen(const struct conf_section *sec, const struct conf_tok **seen,
				 const char *name);

/* Reads one statement and runs its keyword: unknown keywords are errors
 * (with a suggestion), unimplemented ones warnings, and a setting given
 * twice in the same SEEN (one slot per keyword; NULL = no such warning)
 * a warning. CTX goes to the handler. */
void conf_statement(struct conf_parser *p, const struct conf_section *sec, void *ctx,
		    const struct conf_tok **seen);
/* Runs statements up to the '}' closing the block opened by OPENER. */
void conf_parse_section(struct conf_parser *p, const struct conf_tok *opener,
			const struct conf_section *sec, void *ctx, const struct conf_tok **seen);

/* The largest number of slots a section may have, for SEEN arrays on the
 * stack (a unit test checks every section against it). */
#define CONF_SECTION_SLOTS_MAX 160

/* Records that T (a keyword, or an option NAME of one) was accepted but not
 * applied, in SECTION, for vrrpd -t's summary; CHANGES: skipping it changes
 * behaviour. WHY (static, may be NULL) says what it does in keepalived.
 * The caller warns. */
void conf_note_ignored(struct conf_parser *p, const struct conf_tok *t, const char *name,
		       const char *section, const char *why, bool changes);

/* Parses tokens into a config holding only what was written (plus built-in
 * instance defaults). In kw_top.c, the top level's section. */
void conf_parse_tokens(const struct conf_toks *t, struct conf_msgs *m,
		       struct conf_parse_result *out);
/* Frees the *_meta arrays (not the config). */
void conf_parse_result_free_meta(struct conf_parse_result *r);

#endif
