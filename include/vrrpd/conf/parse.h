/* conf_parse: keepalived's keywords -> a struct config holding what was
 * written, and where. Private to src/conf/ and its tests.
 *
 * Promises: conf_parse_tokens() walks the tokens of conf_lex once and fills
 * a config with every value that was written and valid, plus built-in
 * defaults; every problem is a message at its token. What needs more than
 * one statement (defaults from global_defs, families, versions, references,
 * duplicates) is left to conf_finalize() (check.h), which gets the
 * positions recorded here in the *_meta structs. */
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
/* Frees the *_meta arrays (not the config). */
void conf_parse_result_free_meta(struct conf_parse_result *r);

#endif
