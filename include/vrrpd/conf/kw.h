/* conf_kw: keepalived's sections as keyword tables. Private to src/conf/
 * and its tests.
 *
 * Promises: every section (the top level, global_defs, vrrp_instance and
 * its authentication block, vrrp_script, vrrp_sync_group) is one struct
 * conf_section whose tables are sorted by name and hold each keyword once,
 * implemented or not; conf_sections lists them all. The keywords an
 * instance and a sync group share (notify_*, smtp_alert, track_script,
 * track_interface) are one table, conf_kw_shared, whose handlers get a
 * struct conf_owner as the first member of their context. A virtual
 * address line's options are the sorted table conf_vip_opts. */
#ifndef VRRPD_CONF_KW_H
#define VRRPD_CONF_KW_H

#include "conf/parse.h"

extern const struct conf_section conf_sec_top;	    /* kw_top.c */
extern const struct conf_section conf_sec_global;   /* kw_global.c */
extern const struct conf_section conf_sec_instance; /* kw_instance.c */
extern const struct conf_section conf_sec_auth;	    /* kw_instance.c */
extern const struct conf_section conf_sec_script;   /* kw_track.c */
extern const struct conf_section conf_sec_group;    /* kw_track.c */
extern const struct conf_kw_table conf_kw_shared;   /* kw_track.c */

extern const struct conf_section *const conf_sections[];
extern const size_t conf_n_sections;

/* What the shared keywords write to: an instance's or a sync group's
 * notify commands and tracking lists. */
struct conf_owner {
	struct conf_notify *notify;
	const struct conf_tok **smtp_tok; /* the smtp_alert keyword, when on */
	struct conf_track_script **ts;
	size_t *n_ts;
	const struct conf_tok ***ts_tok;
	struct conf_track_if **ti;
	size_t *n_ti;
	const struct conf_tok ***ti_tok;
	char name[CONF_NAME_MAX + 20]; /* "vrrp_instance VI_1", for messages */
};

/* The top level's blocks. */
void conf_kw_global_defs(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
void conf_kw_vrrp_instance(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
void conf_kw_vrrp_script(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
void conf_kw_vrrp_sync_group(struct conf_parser *p, const struct conf_stmt *s, void *ctx);

/* Remembers the first script or notify command without a user of its own,
 * where conf_finalize warns about the default user. */
void conf_note_cmd_without_user(struct conf_parser *p, const struct conf_tok *t);

/* An option of a virtual address line ("192.0.2.1/24 dev eth1 label x"). */
struct conf_vip_opt {
	const char *name;
	bool value;	  /* a value follows the option */
	bool unimpl;	  /* keepalived's, not implemented: warn, skip it and its value */
	const char *what; /* the value, for "expected WHAT after 'NAME'" */
	/* Parses VAL (after option O) into V; false after an error. */
	bool (*fn)(struct conf_parser *p, const struct conf_tok *o, const struct conf_tok *val,
		   struct vip *v);
};
extern const struct conf_vip_opt conf_vip_opts[]; /* sorted by name */
extern const size_t conf_n_vip_opts;

/* A virtual address line as conf_read_item read it (S->kw is the address,
 * its arguments the options) into V (zeroed first). False after an error,
 * which was reported. In kw_addr.c. */
bool conf_vip_line(struct conf_parser *p, const struct conf_stmt *s, struct vip *v);

#endif
