/* conf_kw_track: what watches and what is told — the keywords instances
 * and sync groups share (notify_*, smtp_alert, track_script,
 * track_interface, track_process, track_file), the vrrp_script section and the vrrp_sync_group
 * section.
 *
 * How: the shared handlers write through the struct conf_owner at the
 * start of their context, so one table serves both sections. Names of
 * tracked scripts and group members are only recorded here, with their
 * tokens; conf_finalize resolves them once every section has been read. */
#include <stdlib.h>
#include <string.h>

#include "conf/kw.h"
#include "conf/values.h"

void conf_note_cmd_without_user(struct conf_parser *p, const struct conf_tok *t)
{
	if (!p->r->gmeta.first_cmd_without_user)
		p->r->gmeta.first_cmd_without_user = t;
}

/* ---- notify and smtp_alert ---- */

/* CMD [USER [GROUP]] of a notify keyword of OWN, into OUT. */
void conf_kw_cmd(struct conf_parser *p, const struct conf_stmt *s, const char *owner,
		 struct conf_cmd *out)
{
	struct conf_cmd c;
	bool missing = false;
	char hint[400];

	memset(&c, 0, sizeof(c));
	if (!conf_check_cmd(p, &s->arg[0], s->kw->text))
		return;
	if (s->nargs > 1) {
		snprintf(hint, sizeof(hint),
			 "; this %s of %s is disabled, as keepalived does (a command with "
			 "arguments must be quoted: %s \"%s %s\")",
			 s->kw->text, owner, s->kw->text, s->arg[0].text, s->arg[1].text);
		if (!conf_resolve_user(p, &s->arg[1], s->nargs > 2 ? &s->arg[2] : NULL, hint,
				       &c.user, &missing)) {
			if (missing) { /* disabled: what was written before goes too */
				conf_xfree(out->line);
				memset(out, 0, sizeof(*out));
			}
			return;
		}
		c.has_user = true;
	} else {
		conf_note_cmd_without_user(p, &s->arg[0]);
	}
	c.line = conf_xstrdup(s->arg[0].text);
	conf_xfree(out->line);
	*out = c;
}

/* notify_* CMD [USER [GROUP]]; the keyword's arg is the index below (5:
 * notify_master_rx_lower_pri, 6: notify_conflict, 7: fence_script, an
 * instance's keywords). */
void conf_kw_notify(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_owner *own = vctx;
	struct conf_notify *n = own->notify;
	struct conf_cmd *cmds[] = {&n->master, &n->backup,	    &n->fault,	  &n->stop,
				   &n->any,    &n->master_rx_lower, &n->conflict, &n->fence};

	conf_kw_cmd(p, s, own->name, cmds[s->def->arg]);
}

void conf_kw_notify_deleted(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_owner *own = vctx;

	own->notify->deleted = true;
	if (s->nargs)
		conf_kw_cmd(p, s, own->name, &own->notify->del);
}

static void sk_smtp_alert(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_owner *own = vctx;
	bool b;

	if (!conf_val_bool(p, s, &b))
		return;
	own->notify->smtp_alert = b;
	*own->smtp_tok = b ? s->kw : NULL;
}

/* ---- track_script { NAME [weight N [reverse]] }, track_interface { IF ... } ---- */

/* "weight N [reverse]" after a tracked name; nothing means the default. */
static bool track_weight(struct conf_parser *p, const struct conf_stmt *s, const char *block,
			 int *weight, bool *reverse, bool *set)
{
	const long max = CONF_TRACK_WEIGHT_MAX;
	long w;

	*weight = 0;
	*reverse = false;
	*set = false;
	if (s->nargs == 0)
		return true;
	if (strcmp(s->arg[0].text, "weight") != 0) {
		conf_perr(p, &s->arg[0],
			  "unexpected '%s' after '%s' in %s (expected 'weight N [reverse]')",
			  s->arg[0].text, s->kw->text, block);
		return false;
	}
	if (s->nargs < 2) {
		conf_perr(p, &s->arg[0], "expected a number after 'weight'");
		return false;
	}
	if (!conf_parse_int(s->arg[1].text, -max, max, &w)) {
		conf_perr(p, &s->arg[1], "weight must be a number from %ld to %ld, got '%s'", -max,
			  max, s->arg[1].text);
		return false;
	}
	bool rev = s->nargs > 2 && !strcmp(s->arg[2].text, "reverse");
	if (s->nargs > 2 && !rev && strcmp(s->arg[2].text, "noreverse") != 0 &&
	    strcmp(s->arg[2].text, "no_reverse") != 0) {
		conf_perr(p, &s->arg[2],
			  "unexpected '%s' after 'weight %s' (expected 'reverse' or 'noreverse')",
			  s->arg[2].text, s->arg[1].text);
		return false;
	}
	if (s->nargs > 3) {
		conf_perr(p, &s->arg[3], "unexpected '%s' after 'weight %s %s'", s->arg[3].text,
			  s->arg[1].text, s->arg[2].text);
		return false;
	}
	*weight = (int)w;
	*reverse = rev;
	*set = true;
	return true;
}

static bool tracked_twice(struct conf_parser *p, const struct conf_tok *t,
			  const struct conf_tok **seen, size_t n, const char *block,
			  const char *owner)
{
	char w[300];

	for (size_t k = 0; k < n; k++) {
		if (!strcmp(seen[k]->text, t->text)) {
			conf_perr(p, t, "'%s' is listed twice in %s of %s (first at %s)", t->text,
				  block, owner, conf_where(seen[k], t, w, sizeof(w)));
			return true;
		}
	}
	return false;
}

/* One list of named trackers in an instance or a group: track_script,
 * track_process or track_file. */
struct track_list {
	struct conf_owner *own;
	const char *block, *what; /* "track_process", "vrrp_track_process" */
	struct conf_track_script **v;
	size_t *n;
	const struct conf_tok ***tok;
	bool gateway; /* track_gateway: names only */
};

static void track_ref_item(struct conf_parser *p, void *vctx)
{
	struct track_list *l = vctx;
	struct conf_track_script ts;
	struct conf_stmt s;

	memset(&ts, 0, sizeof(ts));
	conf_read_item(p, &s);
	if (strlen(s.kw->text) == 0 || strlen(s.kw->text) >= CONF_NAME_MAX) {
		conf_perr(p, s.kw, "%s name must be 1 to %d characters long, got '%s'", l->what,
			  CONF_NAME_MAX - 1, s.kw->text);
		return;
	}
	if (l->gateway && s.nargs) {
		conf_perr(
		    p, &s.arg[0],
		    "unexpected '%s' after '%s' in track_gateway (the gateways have no weight: "
		    "the instance goes to FAULT when every one of them is down)",
		    s.arg[0].text, s.kw->text);
		return;
	}
	if (!track_weight(p, &s, l->block, &ts.weight, &ts.reverse, &ts.weight_set))
		return;
	ts.gateway = l->gateway;
	if (tracked_twice(p, s.kw, *l->tok, *l->n, l->block, l->own->name))
		return;
	strcpy(ts.name, s.kw->text);
	*l->v = conf_xgrow(*l->v, *l->n, sizeof(**l->v));
	*l->tok = conf_xgrow(*l->tok, *l->n, sizeof(**l->tok));
	(*l->v)[*l->n] = ts;
	(*l->tok)[*l->n] = s.kw;
	(*l->n)++;
}

static void track_if_item(struct conf_parser *p, void *vctx)
{
	struct conf_owner *own = vctx;
	struct conf_track_if ti;
	struct conf_stmt s;
	bool set;

	memset(&ti, 0, sizeof(ti));
	conf_read_item(p, &s);
	if (!conf_check_ifname(p, s.kw, "interface name"))
		return;
	if (!track_weight(p, &s, "track_interface", &ti.weight, &ti.reverse, &set))
		return;
	if (tracked_twice(p, s.kw, *own->ti_tok, *own->n_ti, "track_interface", own->name))
		return;
	strcpy(ti.ifname, s.kw->text);
	*own->ti = conf_xgrow(*own->ti, *own->n_ti, sizeof(**own->ti));
	*own->ti_tok = conf_xgrow(*own->ti_tok, *own->n_ti, sizeof(**own->ti_tok));
	(*own->ti)[*own->n_ti] = ti;
	(*own->ti_tok)[*own->n_ti] = s.kw;
	(*own->n_ti)++;
}

/* track_script (arg 0), track_process (1), track_file (2), track_gateway
 * (3: into the track_script list, flagged) */
static void sk_track_list(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_owner *own = vctx;
	struct track_list l = {.own = own};

	switch (s->def->arg) {
	case 0:
		l = (struct track_list){own,	   "track_script", "vrrp_script", own->ts,
					own->n_ts, own->ts_tok,	   false};
		break;
	case 1:
		l = (struct track_list){own,	 "track_process", "vrrp_track_process",
					own->tp, own->n_tp,	  own->tp_tok,
					false};
		break;
	case 2:
		l = (struct track_list){own,	   "track_file", "track_file", own->tf,
					own->n_tf, own->tf_tok,	 false};
		break;
	default:
		l = (struct track_list){own,	   "track_gateway", "vrrp_check", own->ts,
					own->n_ts, own->ts_tok,	    true};
		break;
	}
	conf_parse_list(p, s->kw, track_ref_item, &l);
}

static void sk_track_interface(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	conf_parse_list(p, s->kw, track_if_item, vctx);
}

static const struct conf_kw shared_kw[] = {
    CONF_KW_ARGS("notify", 1, 3, "a command", conf_kw_notify, 4),
    CONF_KW_ARGS("notify_backup", 1, 3, "a command", conf_kw_notify, 1),
    CONF_KW_ARGS("notify_fault", 1, 3, "a command", conf_kw_notify, 2),
    CONF_KW_ARGS("notify_master", 1, 3, "a command", conf_kw_notify, 0),
    CONF_KW_ARGS("notify_stop", 1, 3, "a command", conf_kw_notify, 3),
    CONF_KW_ARGS("smtp_alert", 0, 1, "true or false", sk_smtp_alert, 0),
    CONF_KW_BLOCK_OF("track_file", CONF_KW_MULTI, sk_track_list, 2),
    CONF_KW_BLOCK_OF("track_gateway", CONF_KW_MULTI, sk_track_list, 3),
    CONF_KW_BLOCK_OF("track_interface", CONF_KW_MULTI, sk_track_interface, 0),
    CONF_KW_BLOCK_OF("track_process", CONF_KW_MULTI, sk_track_list, 1),
    CONF_KW_BLOCK_OF("track_script", CONF_KW_MULTI, sk_track_list, 0),
};

const struct conf_kw_table conf_kw_shared = CONF_KW_TABLE(shared_kw);

/* ---- vrrp_script NAME { ... } ---- */

static void sc_script(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_script_ctx *ctx = vctx;

	if (!conf_check_cmd(p, &s->arg[0], "script"))
		return;
	conf_xfree(ctx->sc->cmd.line);
	ctx->sc->cmd.line = conf_xstrdup(s->arg[0].text);
	ctx->script_tok = &s->arg[0];
}

static void sc_interval(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_script_ctx *ctx = vctx;

	conf_val_period(p, s, &ctx->sc->interval_ms);
}

static void sc_timeout(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_script_ctx *ctx = vctx;

	if (conf_val_period(p, s, &ctx->sc->timeout_ms))
		ctx->meta->timeout_set = true;
}

/* weight N [reverse] */
static void sc_weight(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_script *sc = ((struct conf_script_ctx *)vctx)->sc;
	long w;

	if (!conf_parse_int(s->arg[0].text, -CONF_SCRIPT_WEIGHT_MAX, CONF_SCRIPT_WEIGHT_MAX, &w)) {
		conf_perr(p, &s->arg[0], "weight must be a number from %d to %d, got '%s'",
			  -CONF_SCRIPT_WEIGHT_MAX, CONF_SCRIPT_WEIGHT_MAX, s->arg[0].text);
		return;
	}
	if (s->nargs > 1 && strcmp(s->arg[1].text, "reverse") != 0) {
		conf_perr(p, &s->arg[1], "unexpected '%s' after 'weight %s' (expected 'reverse')",
			  s->arg[1].text, s->arg[0].text);
		return;
	}
	sc->weight = (int)w;
	sc->weight_reverse = s->nargs > 1;
}

/* rise N (arg 0), fall N (arg 1) */
static void sc_count(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_script *sc = ((struct conf_script_ctx *)vctx)->sc;
	unsigned long u;

	if (conf_val_uint(p, s, 1, 65535, &u))
		*(s->def->arg ? &sc->fall : &sc->rise) = (uint32_t)u;
}

static void sc_user(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_script_ctx *ctx = vctx;
	struct conf_script *sc = ctx->sc;
	char hint[CONF_NAME_MAX + 64];
	bool missing = false;

	snprintf(hint, sizeof(hint), "; vrrp_script %s is disabled, as keepalived does", sc->name);
	ctx->meta->user_missing = NULL;
	if (conf_resolve_user(p, &s->arg[0], s->nargs > 1 ? &s->arg[1] : NULL, hint, &sc->cmd.user,
			      &missing))
		sc->cmd.has_user = true;
	else if (missing)
		ctx->meta->user_missing = &s->arg[0];
}

static void sc_init_fail(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	conf_val_flag(p, s);
	((struct conf_script_ctx *)vctx)->sc->init_fail = true;
}

/* What vrrp_script and vrrp_check share: when and how often, and what the
 * verdict does. */
static const struct conf_kw script_common_kw[] = {
    CONF_KW_ARGS("fall", 1, 1, "a number", sc_count, 1),
    CONF_KW_ARGS("init_fail", 0, 1, "nothing", sc_init_fail, 0),
    CONF_KW_ARGS("interval", 1, 1, "a number of seconds", sc_interval, 0),
    CONF_KW_ARGS("rise", 1, 1, "a number", sc_count, 0),
    CONF_KW_ARGS("timeout", 1, 1, "a number of seconds", sc_timeout, 0),
    CONF_KW_ARGS("weight", 1, 2, "a number", sc_weight, 0),
};

const struct conf_kw_table conf_kw_script_common = CONF_KW_TABLE(script_common_kw);

static const struct conf_kw script_kw[] = {
    {.name = "script",
     .min = 1,
     .max = 1,
     .flags = CONF_KW_ONE_CMD,
     .what = "a command",
     .fn = sc_script},
    CONF_KW_ARGS("user", 1, 2, "a user name", sc_user, 0),
};

const struct conf_section conf_sec_script = {"vrrp_script", CONF_KW_TABLE(script_kw),
					     &conf_kw_script_common, NULL};

void conf_kw_vrrp_script(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	const struct conf_tok *seen[CONF_SECTION_SLOTS_MAX] = {0};
	struct conf_script sc;
	struct conf_script_meta meta = {0};
	struct conf_script_ctx ctx = {.sc = &sc, .meta = &meta};

	(void)vctx;
	if (!conf_want_named_block(p, s, "vrrp_script"))
		return;
	conf_script_init(&sc, s);
	meta.name = &s->arg[0];
	conf_parse_section(p, s->kw, &conf_sec_script, &ctx, seen);
	meta.has_script = conf_seen(&conf_sec_script, seen, "script") != NULL;
	if (sc.cmd.line && !sc.cmd.has_user)
		conf_note_cmd_without_user(p, ctx.script_tok);
	conf_script_add(p, &sc, &meta);
}

void conf_script_init(struct conf_script *sc, const struct conf_stmt *s)
{
	memset(sc, 0, sizeof(*sc));
	sc->interval_ms = 1000;
	sc->rise = sc->fall = 1;
	strcpy(sc->name, s->arg[0].text);
	sc->file = s->kw->file;
	sc->line = s->kw->line;
}

void conf_script_add(struct conf_parser *p, const struct conf_script *sc,
		     const struct conf_script_meta *meta)
{
	struct conf_parse_result *r = p->r;
	struct config *c = r->cfg;

	c->scripts = conf_xgrow(c->scripts, c->n_scripts, sizeof(*c->scripts));
	r->smeta = conf_xgrow(r->smeta, c->n_scripts, sizeof(*r->smeta));
	c->scripts[c->n_scripts] = *sc;
	r->smeta[c->n_scripts] = *meta;
	c->n_scripts++;
}

/* ---- vrrp_sync_group NAME { group { INSTANCE... } ... } ---- */

struct group_ctx {
	struct conf_owner own; /* first: the shared keywords' context */
	struct conf_sync_group *g;
	struct conf_group_meta *meta;
};

/* Every word of a line in group { } names a member. */
static void member_item(struct conf_parser *p, void *vctx)
{
	struct conf_group_meta *meta = ((struct group_ctx *)vctx)->meta;
	struct conf_stmt s;

	conf_read_item(p, &s);
	for (size_t k = 0; k <= s.nargs; k++) {
		meta->member = conf_xgrow(meta->member, meta->n_member, sizeof(*meta->member));
		meta->member[meta->n_member++] = k ? &s.arg[k - 1] : s.kw;
	}
}

static void gr_group(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct group_ctx *ctx = vctx;

	ctx->meta->group_seen = true;
	conf_parse_list(p, s->kw, member_item, ctx);
}

/* sync_group_tracking_weight (arg 0), and global_tracking (arg 1), its old
 * name, which keepalived reports as deprecated. */
static void gr_tracking_weight(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct group_ctx *ctx = vctx;

	conf_val_flag(p, s);
	ctx->g->tracking_weight = true;
	if (s->def->arg)
		conf_pwarn(p, s->kw,
			   "global_tracking is deprecated (keepalived): taken as "
			   "sync_group_tracking_weight; put track_interface, track_script and "
			   "track_file on the sync group instead");
}

static const struct conf_kw group_kw[] = {
    CONF_KW_ARGS("global_tracking", 0, 1, "nothing", gr_tracking_weight, 1),
    CONF_KW_BLOCK_OF("group", CONF_KW_MULTI, gr_group, 0),
    CONF_KW_CHANGES_OF("notify_deleted", "notify scripts told DELETED rather than STOP"),
    CONF_KW_CHANGES_OF("notify_priority_changes", "notifies priority changes"),
    CONF_KW_ARGS("sync_group_tracking_weight", 0, 1, "nothing", gr_tracking_weight, 0),
    CONF_KW_CHANGES_OF("track_bfd",
		       "CHANGES WHO IS MASTER: keepalived's BFD process puts the group in FAULT "
		       "(or lowers its priority) when the session goes down; vrrpd has no BFD "
		       "and keeps the group up"),
};

const struct conf_section conf_sec_group = {"vrrp_sync_group", CONF_KW_TABLE(group_kw),
					    &conf_kw_shared, NULL};

void conf_kw_vrrp_sync_group(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_parse_result *r = p->r;
	struct config *c = r->cfg;
	const struct conf_tok *seen[CONF_SECTION_SLOTS_MAX] = {0};
	struct conf_sync_group g = {0};
	struct conf_group_meta meta = {0};
	struct group_ctx ctx = {.g = &g, .meta = &meta};

	(void)vctx;
	if (!conf_want_named_block(p, s, "vrrp_sync_group"))
		return;
	strcpy(g.name, s->arg[0].text);
	g.file = s->kw->file;
	g.line = s->kw->line;
	meta.name = &s->arg[0];
	ctx.own = (struct conf_owner){.notify = &g.notify,
				      .smtp_tok = &meta.smtp_alert,
				      .ts = &g.track_scripts,
				      .n_ts = &g.n_track_scripts,
				      .ts_tok = &meta.track_script,
				      .ti = &g.track_ifs,
				      .n_ti = &g.n_track_ifs,
				      .ti_tok = &meta.track_if,
				      .tp = &g.track_procs,
				      .n_tp = &g.n_track_procs,
				      .tp_tok = &meta.track_proc,
				      .tf = &g.track_files,
				      .n_tf = &g.n_track_files,
				      .tf_tok = &meta.track_file};
	snprintf(ctx.own.name, sizeof(ctx.own.name), "vrrp_sync_group %s", g.name);
	conf_parse_section(p, s->kw, &conf_sec_group, &ctx, seen);
	c->groups = conf_xgrow(c->groups, c->n_groups, sizeof(*c->groups));
	r->grmeta = conf_xgrow(r->grmeta, c->n_groups, sizeof(*r->grmeta));
	c->groups[c->n_groups] = g;
	r->grmeta[c->n_groups] = meta;
	c->n_groups++;
}
