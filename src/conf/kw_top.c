/* conf_kw_top: the top level of a file, and conf_parse_tokens().
 *
 * How: the top level is a section like the others (global_defs,
 * vrrp_instance, vrrp_script, vrrp_sync_group, static_ipaddress,
 * static_routes, static_rules, and keepalived's sections vrrpd skips); a
 * misplaced keyword of global_defs or vrrp_instance is told where it
 * belongs. Stray braces are reported and skipped. */
#include <stdlib.h>
#include <string.h>

#include "conf/kw.h"
#include "conf/model.h"

static const struct conf_kw top_kw[] = {
    CONF_KW_NO_EFFECT_OF("SSL", "LVS"),
    CONF_KW_NO_EFFECT_OF("bfd_instance", "a BFD session (only track_bfd would use it)"),
    CONF_KW_NO_EFFECT_OF("child_wait_time", "how long keepalived waits for its children"),
    CONF_KW_CHANGES_OF("garp_group", "GARP timing per interface"),
    CONF_KW_BLOCK_OF("global_defs", CONF_KW_MULTI, conf_kw_global_defs, 0),
    CONF_KW_NO_EFFECT_OF("instance", "names of pid and dump files"),
    CONF_KW_BLOCK_OF("interface_up_down_delays", CONF_KW_MULTI, conf_kw_if_delays, 0),
    CONF_KW_NO_EFFECT_OF("linkbeat_interfaces",
			 "polls carrier with ethtool; vrrpd takes carrier from netlink"),
    CONF_KW_NO_EFFECT_OF("linkbeat_use_polling",
			 "polls carrier with ethtool; vrrpd takes carrier from netlink"),
    CONF_KW_NO_EFFECT_OF("namespace_with_ipsets", "ipsets in a network namespace"),
    CONF_KW_ARGS("net_namespace", 1, 1, "a network namespace name", conf_kw_net_namespace, 0),
    CONF_KW_NO_EFFECT_OF("net_namespace_ipvs", "LVS"),
    CONF_KW_BLOCK_OF("static_ipaddress", CONF_KW_MULTI, conf_kw_static_ipaddress, 0),
    CONF_KW_BLOCK_OF("static_routes", CONF_KW_MULTI, conf_kw_static_routes, 0),
    CONF_KW_BLOCK_OF("static_rules", CONF_KW_MULTI, conf_kw_static_rules, 0),
    {.name = "track_file", .flags = CONF_KW_RAW, .fn = conf_kw_track_file},
    CONF_KW_CHANGES_OF("track_group", "static addresses and routes that follow instances"),
    {.name = "track_process", .flags = CONF_KW_RAW, .fn = conf_kw_track_process},
    CONF_KW_NO_EFFECT_OF("use_pid_dir", "where pid files go"),
    CONF_KW_NO_EFFECT_OF("virtual_server", "LVS"),
    CONF_KW_NO_EFFECT_OF("virtual_server_group", "LVS"),
    {.name = "vrrp_check", .flags = CONF_KW_RAW, .fn = conf_kw_vrrp_check},
    {.name = "vrrp_instance", .flags = CONF_KW_RAW, .fn = conf_kw_vrrp_instance},
    {.name = "vrrp_script", .flags = CONF_KW_RAW, .fn = conf_kw_vrrp_script},
    {.name = "vrrp_sync_group", .flags = CONF_KW_RAW, .fn = conf_kw_vrrp_sync_group},
    {.name = "vrrp_track_file", .flags = CONF_KW_RAW, .fn = conf_kw_track_file},
    {.name = "vrrp_track_process", .flags = CONF_KW_RAW, .fn = conf_kw_track_process},
};

/* "unknown keyword" at top level: a suggestion, else where it belongs. */
static void top_unknown(struct conf_parser *p, const struct conf_stmt *s, void *ctx);

const struct conf_section conf_sec_top = {"top level", CONF_KW_TABLE(top_kw), NULL, top_unknown};

const struct conf_section *const conf_sections[] = {
    &conf_sec_top,    &conf_sec_global, &conf_sec_instance, &conf_sec_auth,
    &conf_sec_script, &conf_sec_group,	&conf_sec_tproc,    &conf_sec_tfile,
    &conf_sec_check,  &conf_sec_hb,	&conf_sec_mysql,
};
const size_t conf_n_sections = sizeof(conf_sections) / sizeof(conf_sections[0]);

/* The section where an implemented keyword belongs, or NULL. */
static const char *belongs_in(const char *word)
{
	const struct conf_kw *kw;
	size_t slot;

	kw = conf_section_find(&conf_sec_global, word, &slot);
	if (kw && !(kw->flags & CONF_KW_UNIMPL))
		return "global_defs";
	kw = conf_section_find(&conf_sec_instance, word, &slot);
	if (kw && !(kw->flags & CONF_KW_UNIMPL))
		return "vrrp_instance";
	return NULL;
}

static void top_unknown(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	const char *w = s->kw->text, *home;
	char dym[128];

	(void)ctx;
	conf_section_suggest(&conf_sec_top, w, dym, sizeof(dym));
	if (!dym[0] && (home = belongs_in(w)) != NULL)
		snprintf(dym, sizeof(dym), " ('%s' belongs inside a %s block)", w, home);
	conf_perr(p, s->kw, "unknown keyword '%s' at top level%s", w, dym);
	conf_skip_stmt_block(p, s);
}

void conf_parse_tokens(const struct conf_toks *t, struct conf_msgs *m,
		       struct conf_parse_result *out)
{
	struct conf_parser p = {.t = t, .m = m, .r = out};

	memset(out, 0, sizeof(*out));
	out->cfg = conf_xcalloc(1, sizeof(*out->cfg));
	conf_global_defaults(&out->cfg->global);
	for (;;) {
		const struct conf_tok *tok = conf_peek(&p);

		if (tok->type == CONF_TOK_EOF)
			break;
		if (tok->type == CONF_TOK_RBRACE) {
			conf_next(&p);
			conf_perr(&p, tok, "unexpected '}' (no block is open)");
		} else if (tok->type == CONF_TOK_LBRACE) {
			conf_next(&p);
			conf_perr(&p, tok, "unexpected '{'");
			conf_skip_block(&p, tok);
		} else {
			conf_statement(&p, &conf_sec_top, NULL, NULL);
		}
	}
	conf_xfree(p.global_seen);
}

void conf_parse_result_free_meta(struct conf_parse_result *r)
{
	for (size_t k = 0; r->grmeta && r->cfg && k < r->cfg->n_groups; k++) {
		conf_xfree(r->grmeta[k].member);
		conf_xfree(r->grmeta[k].track_script);
		conf_xfree(r->grmeta[k].track_if);
		conf_xfree(r->grmeta[k].track_proc);
		conf_xfree(r->grmeta[k].track_file);
	}
	conf_xfree(r->grmeta);
	r->grmeta = NULL;
	conf_xfree(r->smeta);
	r->smeta = NULL;
	conf_xfree(r->dropped);
	r->dropped = NULL;
	r->n_dropped = 0;
	conf_xfree(r->pmeta);
	conf_xfree(r->fmeta);
	r->pmeta = r->fmeta = NULL;
	for (size_t k = 0; r->meta && r->cfg && k < r->cfg->n_inst; k++) {
		conf_xfree(r->meta[k].vip);
		conf_xfree(r->meta[k].peer);
		conf_xfree(r->meta[k].hb_peer);
		conf_xfree(r->meta[k].track_script);
		conf_xfree(r->meta[k].track_if);
		conf_xfree(r->meta[k].track_proc);
		conf_xfree(r->meta[k].track_file);
		conf_xfree(r->meta[k].vroute);
		conf_xfree(r->meta[k].vrule);
	}
	conf_xfree(r->meta);
	r->meta = NULL;
	conf_xfree(r->gmeta.static_addr);
	conf_xfree(r->gmeta.if_delay);
	r->gmeta.if_delay = NULL;
	conf_xfree(r->gmeta.static_route);
	conf_xfree(r->gmeta.static_rule);
	r->gmeta.static_addr = r->gmeta.static_route = r->gmeta.static_rule = NULL;
}
