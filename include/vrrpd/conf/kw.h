/* conf_kw: keepalived's sections as keyword tables. Private to src/conf/
 * and its tests.
 *
 * Promises: every section (the top level, global_defs, vrrp_instance and
 * its authentication block, vrrp_script, vrrp_sync_group) is one struct
 * conf_section whose tables are sorted by name and hold each keyword once,
 * implemented or not; conf_sections lists them all. The keywords an
 * instance and a sync group share (notify_*, smtp_alert, track_script,
 * track_interface, track_process, track_file) are one table, conf_kw_shared, whose handlers get a
 * struct conf_owner as the first member of their context. A virtual
 * address line's options are the sorted table conf_vip_opts; route and
 * rule lines have sorted tables of their own (kw_route.c). */
#ifndef VRRPD_CONF_KW_H
#define VRRPD_CONF_KW_H

#include "conf/parse.h"

extern const struct conf_section conf_sec_top;	    /* kw_top.c */
extern const struct conf_section conf_sec_global;   /* kw_global.c */
extern const struct conf_section conf_sec_instance; /* kw_instance.c */
extern const struct conf_section conf_sec_auth;	    /* kw_instance.c */
extern const struct conf_section conf_sec_script;   /* kw_track.c */
extern const struct conf_section conf_sec_check;    /* kw_check.c */
extern const struct conf_section conf_sec_hb;	    /* kw_heartbeat.c: heartbeat_path */
extern const struct conf_section conf_sec_mysql;    /* kw_check_mysql.c */
/* mysql { } of vrrp_check NAME (S its statement) into C; false after an
 * error, which was reported (its block was read either way). */
bool conf_kw_check_mysql(struct conf_parser *p, const struct conf_stmt *s, struct conf_check *c,
			 const char *name);
/* What vrrp_script and vrrp_check share (interval, timeout, rise, fall,
 * weight, init_fail); its handlers get a struct conf_script_ctx. */
extern const struct conf_kw_table conf_kw_script_common; /* kw_track.c */
extern const struct conf_section conf_sec_group;	 /* kw_track.c */
extern const struct conf_kw_table conf_kw_shared;	 /* kw_track.c */
extern const struct conf_section conf_sec_tproc;	 /* kw_tracker.c */
extern const struct conf_section conf_sec_tfile;	 /* kw_tracker.c */

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
	struct conf_track_script **tp, **tf; /* track_process { }, track_file { } */
	size_t *n_tp, *n_tf;
	const struct conf_tok ***tp_tok, ***tf_tok;
	char name[CONF_NAME_MAX + 20]; /* "vrrp_instance VI_1", for messages */
};

/* What an instance's keywords write to (kw_instance.c, kw_failover.c). */
struct inst_ctx {
	struct conf_owner own; /* first: the shared keywords' context */
	struct conf_instance *in;
	struct conf_inst_meta *meta;
	bool excluded; /* while parsing virtual_ipaddress_excluded */
};

/* Who becomes master and when (kw_failover.c): down_timer_adverts N,
 * owner_ignore_adverts [BOOL] of an instance (context struct inst_ctx),
 * vrrp_down_timer_adverts N and vrrp_owner_ignore_adverts [BOOL] of
 * global_defs. */
void conf_kw_down_timer_adverts(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
void conf_kw_owner_ignore(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
void conf_kw_vrrp_down_timer_adverts(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
void conf_kw_vrrp_owner_ignore(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
/* interface_up_down_delays { IFNAME DOWN [UP] } at top level. */
void conf_kw_if_delays(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
/* timer_expired_backup / thread_timer_expired [PRIO] of an instance. */
void conf_kw_expired_backup(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
/* native_ipv6 of an instance. */
void conf_kw_native_ipv6(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
/* old_unicast_checksum [never] of an instance (context struct inst_ctx). */
void conf_kw_old_unicast_csum(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
/* heartbeat_path { } of an instance (kw_heartbeat.c; context struct inst_ctx). */
void conf_kw_heartbeat_path(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
/* An address where keepalived ignores a prefix (unicast_peer,
 * unicast_src_ip): the prefix is dropped with a warning (kw_instance.c). */
bool conf_addr_no_prefix(struct conf_parser *p, const struct conf_tok *t, struct vaddr *a);
/* track_src_ip of an instance (context struct inst_ctx). */
void conf_kw_track_src_ip(struct conf_parser *p, const struct conf_stmt *s, void *ctx);

/* An https check's TLS options as written in its vrrp_check block
 * (kw_tls.c): kept aside until the block ends, when they are checked
 * against the check's kind and the context is built. */
struct conf_tls_opts {
	struct conf_tls tls;
	const struct conf_tok *first;			    /* the first TLS option written */
	const struct conf_tok *ca_tok, *cert_tok, *key_tok; /* their values */
	const struct conf_tok *url_tok;			    /* the https line's URL */
};

/* The context of vrrp_script's and vrrp_check's keywords. */
struct conf_script_ctx {
	struct conf_script *sc;
	struct conf_script_meta *meta;
	const struct conf_tok *script_tok; /* for the default-user note */
	struct conf_tls_opts tls;	   /* vrrp_check only */
};

/* vrrp_check's TLS keywords (kw_tls.c): verify on|off, ca_file PATH,
 * cert_file PATH, key_file PATH, sni NAME. */
void conf_kw_tls_verify(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
void conf_kw_tls_file(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
void conf_kw_tls_sni(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
/* At the end of a vrrp_check block: an https check takes the options and
 * gets its context (an unreadable file is an error at its value); any
 * other kind with a TLS option written is an error at that option. */
void conf_tls_finish(struct conf_parser *p, struct conf_script_ctx *ctx);
/* A vrrp_script or vrrp_check named by S's argument, with the defaults. */
void conf_script_init(struct conf_script *sc, const struct conf_stmt *s);
/* Appends SC and its META to the configuration being read. */
void conf_script_add(struct conf_parser *p, const struct conf_script *sc,
		     const struct conf_script_meta *meta);

/* The top level's blocks. */
void conf_kw_global_defs(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
void conf_kw_vrrp_instance(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
void conf_kw_vrrp_script(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
void conf_kw_vrrp_check(struct conf_parser *p, const struct conf_stmt *s,
			void *ctx); /* kw_check.c */
void conf_kw_vrrp_sync_group(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
/* vrrp_track_process NAME { }, track_file NAME { } (kw_tracker.c). */
void conf_kw_track_process(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
void conf_kw_track_file(struct conf_parser *p, const struct conf_stmt *s, void *ctx);

/* notify_deleted [CMD [USER [GROUP]]] of an instance (kw_track.c; its
 * context starts with a struct conf_owner). */
void conf_kw_notify_deleted(struct conf_parser *p, const struct conf_stmt *s, void *ctx);

/* notify_* CMD [USER [GROUP]] (kw_track.c), for the shared table and the
 * instance's notify_master_rx_lower_pri (def->arg 5). */
void conf_kw_notify(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
/* CMD [USER [GROUP]] of a command keyword of OWNER ("vrrp_instance VI_1",
 * for messages) into OUT, replacing what it held (kw_track.c). */
void conf_kw_cmd(struct conf_parser *p, const struct conf_stmt *s, const char *owner,
		 struct conf_cmd *out);

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
 * which was reported. In kw_addr.c, with the top level's static_ipaddress. */
bool conf_vip_line(struct conf_parser *p, const struct conf_stmt *s, struct vip *v);
void conf_kw_static_ipaddress(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
/* net_namespace NAME, in global_defs and at top level (kw_global.c). */
void conf_kw_net_namespace(struct conf_parser *p, const struct conf_stmt *s, void *ctx);

/* Route and rule lines (keepalived's, after ip-route(8) / ip-rule(8)), in
 * kw_route.c: S as conf_read_item read it, into R (zeroed first). STATIC:
 * a static_routes / static_rules line (no instance to take a device from;
 * track_group allowed). False after an error, which was reported. An
 * option of keepalived's that vrrpd does not implement is a warning when
 * ignoring it leaves the traffic where it was written to go (metrics,
 * protocol...), and an error otherwise (multipath, encapsulation, source
 * and TOS selectors...). */
bool conf_route_line(struct conf_parser *p, const struct conf_stmt *s, bool is_static,
		     struct vroute *r);
bool conf_rule_line(struct conf_parser *p, const struct conf_stmt *s, bool is_static,
		    struct vrule *r);

/* An option word of a route or rule line. */
enum conf_rt_kind {
	CONF_RT_SET,	/* implemented: FN parses it */
	CONF_RT_SKIP,	/* keepalived's, harmless to ignore: warn, skip NVAL values */
	CONF_RT_REFUSE, /* keepalived's, changes where traffic goes: an error */
	CONF_RT_STATIC	/* track_group: skipped with a warning on static lines, else an error */
};
struct conf_rt_parse; /* kw_route.c */
struct conf_rt_opt {
	const char *name;
	unsigned char kind; /* enum conf_rt_kind */
	unsigned char nval; /* CONF_RT_SKIP, CONF_RT_STATIC: values that follow */
	bool lock;	    /* CONF_RT_SKIP: "lock" may come before the value */
	const char *why;    /* CONF_RT_REFUSE: what the option does, for the message */
	/* CONF_RT_SET: parses the option at word I; returns the index of the
	 * word after it, or -1 after an error. */
	long (*fn)(struct conf_rt_parse *rp, size_t i);
};
extern const struct conf_rt_opt conf_route_opts[], conf_rule_opts[]; /* sorted by name */
extern const size_t conf_n_route_opts, conf_n_rule_opts;
void conf_kw_static_routes(struct conf_parser *p, const struct conf_stmt *s, void *ctx);
void conf_kw_static_rules(struct conf_parser *p, const struct conf_stmt *s, void *ctx);

#endif
