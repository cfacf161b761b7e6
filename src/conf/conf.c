/* conf: the configuration model — defaults, validation across statements,
 * loading, dumping, comparing.
 *
 * How: conf_lex turns the file into tokens, conf_parse fills a struct config
 * with what was written (remembering where), and conf_finalize() here fills
 * in what was not written (global_defs, then built-in defaults) and checks
 * what needs more than one statement: families, version rules, duplicates. */
#include "conf/lex.h"

#include <pwd.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conf/index.h"
#include "core/script.h"

/* Names are the first member of instances, scripts and groups: an index of
 * N names at BASE, STRIDE bytes apart, holding the first of each name. */
#define NAME_AT(base, stride, k) ((const char *)(base) + (k) * (stride))

/* Returns the position of the first name equal to NAME, or -1. */
static long find_name(const struct conf_index *ix, const void *base, size_t stride,
		      const char *name)
{
	size_t it = 0, k;

	while (conf_index_next(ix, conf_hash_str(name), &it, &k))
		if (!strcmp(NAME_AT(base, stride, k), name))
			return (long)k;
	return -1;
}

/* Adds name K unless an earlier one is equal; returns the earlier one's
 * position, or -1 when K was added. */
static long add_name(struct conf_index *ix, const void *base, size_t stride, size_t k)
{
	const char *name = NAME_AT(base, stride, k);
	long first = find_name(ix, base, stride, name);

	if (first < 0)
		conf_index_add(ix, conf_hash_str(name), k);
	return first;
}

void conf_global_defaults(struct conf_global *g)
{
	char host[256];

	memset(g, 0, sizeof(*g));
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(g->router_id) - 1] = '\0'; /* truncate to fit */
		memcpy(g->router_id, host, sizeof(g->router_id));
	}
	if (!g->router_id[0])
		strcpy(g->router_id, "vrrpd");
	g->vrrp_version = 2;
	g->garp.master_delay_ms = 5000;
	g->garp.master_repeat = 5;
	g->garp.master_refresh_ms = 0;
	g->garp.master_refresh_repeat = 1;
	g->garp.interval_us = 0;
	snprintf(g->smtp_helo_name, sizeof(g->smtp_helo_name), "%s",
		 gethostname(host, sizeof(host)) == 0 && host[0] ? host : "localhost");
	snprintf(g->email_from, sizeof(g->email_from), "vrrpd@%.240s", g->smtp_helo_name);
	g->smtp_port = 25;
	g->smtp_connect_timeout_ms = 30000;
}

void conf_instance_defaults(struct conf_instance *in)
{
	memset(in, 0, sizeof(*in));
	in->state = CONF_STATE_BACKUP;
	in->priority = 100;
	in->advert_int_cs = 100;
	in->version = 2;
	in->family = AF_INET;
	in->auth_type = CONF_AUTH_NONE;
	in->garp.master_delay_ms = 5000;
	in->garp.master_repeat = 5;
	in->garp.master_refresh_repeat = 1;
	in->sync_group_idx = -1;
}

static const char *fam_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* Looks a user up by name; false when it does not exist. */
static bool lookup_user(const char *name, struct conf_user *u)
{
	char buf[16384];
	struct passwd pw, *res = NULL;

	if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) != 0 || !res)
		return false;
	memset(u, 0, sizeof(*u));
	snprintf(u->name, sizeof(u->name), "%s", name);
	u->uid = pw.pw_uid;
	u->gid = pw.pw_gid;
	return true;
}

/* The default user of scripts: script_user, else keepalived_script, else
 * nobody (65534 when even that is missing). Never root by default. */
static void default_script_user(struct conf_parse_result *r, struct conf_msgs *m)
{
	struct conf_global *g = &r->cfg->global;

	if (g->script_user_set)
		return;
	if (lookup_user("keepalived_script", &g->script_user))
		return;
	if (!lookup_user("nobody", &g->script_user)) {
		memset(&g->script_user, 0, sizeof(g->script_user));
		strcpy(g->script_user.name, "65534");
		g->script_user.uid = 65534;
		g->script_user.gid = 65534;
	}
	if (r->gmeta.first_cmd_without_user)
		conf_msg_tok(m, true, r->gmeta.first_cmd_without_user,
			     "no script_user in global_defs and no user 'keepalived_script': "
			     "scripts run as '%s' (write 'script_user root' in global_defs to run "
			     "them as root)",
			     g->script_user.name);
}

static void cmd_user(const struct config *c, struct conf_cmd *cmd)
{
	if (cmd->line && !cmd->has_user)
		cmd->user = c->global.script_user;
}

static void notify_users(const struct config *c, struct conf_notify *n)
{
	cmd_user(c, &n->master);
	cmd_user(c, &n->backup);
	cmd_user(c, &n->fault);
	cmd_user(c, &n->stop);
	cmd_user(c, &n->any);
}

/* Resolves track_script names to vrrp_scripts and sets effective weights. */
static void resolve_tracks(struct config *c, const struct conf_index *scripts,
			   struct conf_track_script *ts, size_t n, const struct conf_tok **tok,
			   const char *owner, struct conf_msgs *m)
{
	for (size_t k = 0; k < n; k++) {
		long j = find_name(scripts, c->scripts, sizeof(*c->scripts), ts[k].name);

		if (j < 0) {
			const char *best = NULL;
			unsigned bd = 1000;
			char dym[128] = "";

			for (size_t i = 0; i < c->n_scripts; i++) {
				unsigned d = conf_edit_distance(ts[k].name, c->scripts[i].name);
				if (d < bd) {
					bd = d;
					best = c->scripts[i].name;
				}
			}
			if (best && bd <= 2 && bd <= strlen(ts[k].name) / 3 + 1)
				snprintf(dym, sizeof(dym), " (did you mean '%s'?)", best);
			conf_msg_tok(m, false, tok[k],
				     "track_script '%s' in %s: no vrrp_script of that name%s",
				     ts[k].name, owner, dym);
			continue;
		}
		ts[k].script = (size_t)j;
		if (!ts[k].weight_set) {
			ts[k].weight = c->scripts[j].weight;
			ts[k].reverse = c->scripts[j].weight_reverse;
		}
	}
}

static void smtp_alert_check(const struct config *c, const struct conf_tok *t, struct conf_msgs *m)
{
	if (!t)
		return;
	if (!c->global.has_smtp_server)
		conf_msg_tok(m, true, t,
			     "smtp_alert is on but global_defs has no smtp_server; no mail will be "
			     "sent");
	else if (!c->global.n_notification_email)
		conf_msg_tok(m, true, t,
			     "smtp_alert is on but global_defs has no notification_email; no mail "
			     "will be sent");
}

static void finalize_instance(struct conf_parse_result *r, const struct conf_index *scripts,
			      size_t idx, struct conf_msgs *m)
{
	struct config *c = r->cfg;
	struct conf_instance *in = &c->inst[idx];
	struct conf_inst_meta *meta = &r->meta[idx];
	const struct conf_tok *fam_tok = NULL, *v6_tok = NULL;
	char a[ADDR_STRLEN], b[ADDR_STRLEN], w[300];
	bool has_vip = false;

	if (!meta->interface)
		conf_msg_tok(m, false, meta->name, "vrrp_instance %s has no 'interface'", in->name);
	if (!meta->vrid)
		conf_msg_tok(m, false, meta->name, "vrrp_instance %s has no 'virtual_router_id'",
			     in->name);

	/* The family comes from the advertised VIPs; excluded ones may differ. */
	in->family = 0;
	for (size_t k = 0; k < in->n_vips; k++) {
		const struct vip *v = &in->vips[k];

		if (v->excluded)
			continue;
		has_vip = true;
		if (!in->family) {
			in->family = v->addr.family;
			fam_tok = meta->vip[k];
		} else if (v->addr.family != in->family) {
			conf_msg_tok(m, false, meta->vip[k],
				     "virtual address %s is %s but vrrp_instance %s is %s (from %s "
				     "at %s); one instance cannot mix address families",
				     addr_str(&v->addr, a), fam_name(v->addr.family), in->name,
				     fam_name(in->family), fam_tok->text,
				     conf_where(fam_tok, meta->vip[k], w, sizeof(w)));
		}
		if (v->addr.family == AF_INET6 && !v6_tok)
			v6_tok = meta->vip[k];
	}
	/* An advert lists at most 255 addresses (the count is one byte): the
	 * rest are installed but not advertised, as virtual_ipaddress_excluded. */
	size_t n_adv = 0;
	for (size_t k = 0; k < in->n_vips; k++) {
		if (in->vips[k].excluded || ++n_adv != 256)
			continue;
		size_t rest = 0;
		for (size_t j = k; j < in->n_vips; j++)
			rest += !in->vips[j].excluded;
		conf_msg_tok(m, true, meta->vip[k],
			     "an advert lists at most 255 addresses: %s and the %zu after it are "
			     "installed on vrrp_instance %s's master but not advertised",
			     addr_str(&in->vips[k].addr, a), rest - 1, in->name);
	}
	if (!has_vip && !meta->vip_lines)
		conf_msg_tok(m, false, meta->name,
			     "vrrp_instance %s has no virtual_ipaddress (at least one address is "
			     "needed)",
			     in->name);
	if (!in->family)
		in->family = AF_INET;

	/* Version: the instance's, else global_defs', else 2 (3 for IPv6). */
	if (meta->version)
		; /* set by the parser */
	else if (r->gmeta.version_set)
		in->version = c->global.vrrp_version;
	else
		in->version = in->family == AF_INET6 ? 3 : 2;

	if (in->family == AF_INET6 && in->version == 2 && v6_tok)
		conf_msg_tok(
		    m, false, v6_tok,
		    "IPv6 virtual addresses need VRRP version 3, but vrrp_instance %s uses "
		    "version 2",
		    in->name);

	if (meta->advert_int) {
		if (in->version == 2 && in->advert_int_cs % 100 != 0)
			conf_msg_tok(m, false, meta->advert_int,
				     "advert_int must be a whole number of seconds from 1 to 255 "
				     "for VRRP version 2, got '%s'",
				     meta->advert_int->text);
		else if (in->version == 3 && in->advert_int_cs > 4095)
			conf_msg_tok(m, false, meta->advert_int,
				     "advert_int must be from 0.01 to 40.95 seconds for VRRP "
				     "version 3, got '%s'",
				     meta->advert_int->text);
	}

	if (meta->auth_type && in->version == 3)
		conf_msg_tok(m, false, meta->auth_type,
			     "authentication is not supported by VRRP version 3 (RFC 5798 removed "
			     "it)");
	else if (meta->auth_type && !meta->auth_pass)
		conf_msg_tok(m, false, meta->auth_type, "auth_type PASS needs an auth_pass");
	else if (meta->auth_pass && !meta->auth_type_seen)
		conf_msg_tok(m, false, meta->auth_pass, "auth_pass needs 'auth_type PASS'");

	for (size_t k = 0; k < in->n_vips; k++) {
		for (size_t j = 0; j < k; j++) {
			if (addr_eq(&in->vips[j].addr, &in->vips[k].addr)) {
				conf_msg_tok(m, false, meta->vip[k],
					     "duplicate virtual address %s in vrrp_instance %s "
					     "(first at %s)",
					     addr_str(&in->vips[k].addr, a), in->name,
					     conf_where(meta->vip[j], meta->vip[k], w, sizeof(w)));
				break;
			}
		}
	}

	if (in->has_unicast_src && has_vip && in->unicast_src.family != in->family)
		conf_msg_tok(m, false, meta->unicast_src,
			     "unicast_src_ip %s is %s but vrrp_instance %s is %s",
			     addr_str(&in->unicast_src, a), fam_name(in->unicast_src.family),
			     in->name, fam_name(in->family));
	for (size_t k = 0; k < in->n_peers; k++) {
		if (has_vip && in->peers[k].family != in->family) {
			conf_msg_tok(m, false, meta->peer[k],
				     "unicast peer %s is %s but vrrp_instance %s is %s",
				     addr_str(&in->peers[k], a), fam_name(in->peers[k].family),
				     in->name, fam_name(in->family));
			continue;
		}
		for (size_t j = 0; j < k; j++) {
			if (addr_eq(&in->peers[j], &in->peers[k])) {
				conf_msg_tok(
				    m, false, meta->peer[k],
				    "duplicate unicast peer %s in vrrp_instance %s (first "
				    "at %s)",
				    addr_str(&in->peers[k], b), in->name,
				    conf_where(meta->peer[j], meta->peer[k], w, sizeof(w)));
				break;
			}
		}
	}

	if (!meta->garp_delay_set)
		in->garp.master_delay_ms = c->global.garp.master_delay_ms;
	if (!meta->garp_repeat_set)
		in->garp.master_repeat = c->global.garp.master_repeat;
	if (!meta->garp_refresh_set)
		in->garp.master_refresh_ms = c->global.garp.master_refresh_ms;
	if (!meta->garp_refresh_repeat_set)
		in->garp.master_refresh_repeat = c->global.garp.master_refresh_repeat;
	if (!meta->garp_interval_set)
		in->garp.interval_us = c->global.garp.interval_us;

	{
		char owner[CONF_NAME_MAX + 20];

		snprintf(owner, sizeof(owner), "vrrp_instance %s", in->name);
		resolve_tracks(c, scripts, in->track_scripts, in->n_track_scripts,
			       meta->track_script, owner, m);
	}
	notify_users(c, &in->notify);
	smtp_alert_check(c, meta->smtp_alert, m);
}

/* Checks the scripts and indexes them by name (the first of each name). */
static void finalize_scripts(struct conf_parse_result *r, struct conf_index *ix,
			     struct conf_msgs *m)
{
	struct config *c = r->cfg;
	char w[300];

	conf_index_xinit(ix, c->n_scripts);
	for (size_t k = 0; k < c->n_scripts; k++) {
		struct conf_script *sc = &c->scripts[k];
		const struct conf_script_meta *mk = &r->smeta[k];
		long j = add_name(ix, c->scripts, sizeof(*c->scripts), k);

		if (j >= 0)
			conf_msg_tok(m, false, mk->name,
				     "duplicate vrrp_script '%s' (first defined at %s)", sc->name,
				     conf_where(r->smeta[j].name, mk->name, w, sizeof(w)));
		if (!mk->has_script)
			conf_msg_tok(m, false, mk->name, "vrrp_script %s has no 'script'",
				     sc->name);
		if (!mk->timeout_set)
			sc->timeout_ms = sc->interval_ms;
		cmd_user(c, &sc->cmd);
	}
}

static void finalize_groups(struct conf_parse_result *r, const struct conf_index *insts,
			    const struct conf_index *scripts, struct conf_msgs *m)
{
	struct config *c = r->cfg;
	char w[300], owner[CONF_NAME_MAX + 20];
	/* Where each instance was put in a group, for "already in". */
	const struct conf_tok **in_group =
	    conf_xcalloc(c->n_inst ? c->n_inst : 1, sizeof(*in_group));
	struct conf_index groups;

	conf_index_xinit(&groups, c->n_groups);
	for (size_t k = 0; k < c->n_groups; k++) {
		struct conf_sync_group *g = &c->groups[k];
		const struct conf_group_meta *mk = &r->grmeta[k];
		long first = add_name(&groups, c->groups, sizeof(*c->groups), k);

		if (first >= 0)
			conf_msg_tok(m, false, mk->name,
				     "duplicate vrrp_sync_group '%s' (first defined at %s)",
				     g->name,
				     conf_where(r->grmeta[first].name, mk->name, w, sizeof(w)));
		if (!mk->group_seen)
			conf_msg_tok(m, false, mk->name, "vrrp_sync_group %s has no 'group'",
				     g->name);
		g->members = conf_xcalloc(mk->n_member ? mk->n_member : 1, sizeof(*g->members));
		for (size_t i = 0; i < mk->n_member; i++) {
			const struct conf_tok *t = mk->member[i];
			long found = find_name(insts, c->inst, sizeof(*c->inst), t->text);
			size_t idx;

			if (found < 0) {
				const char *best = NULL;
				unsigned bd = 1000;
				char dym[128] = "";

				for (size_t j = 0; j < c->n_inst; j++) {
					unsigned d = conf_edit_distance(t->text, c->inst[j].name);
					if (d < bd) {
						bd = d;
						best = c->inst[j].name;
					}
				}
				if (best && bd <= 2 && bd <= strlen(t->text) / 3 + 1)
					snprintf(dym, sizeof(dym), " (did you mean '%s'?)", best);
				conf_msg_tok(m, false, t,
					     "vrrp_sync_group %s: no vrrp_instance named '%s'%s",
					     g->name, t->text, dym);
				continue;
			}
			idx = (size_t)found;
			if (in_group[idx] && c->inst[idx].sync_group_idx == (long)k) {
				conf_msg_tok(
				    m, false, t,
				    "vrrp_instance %s is listed twice in vrrp_sync_group %s "
				    "(first at %s)",
				    t->text, g->name, conf_where(in_group[idx], t, w, sizeof(w)));
				continue;
			}
			if (in_group[idx]) {
				conf_msg_tok(
				    m, false, t,
				    "vrrp_instance %s is already in vrrp_sync_group %s (at "
				    "%s); an instance can be in one group only",
				    t->text, c->inst[idx].sync_group,
				    conf_where(in_group[idx], t, w, sizeof(w)));
				continue;
			}
			in_group[idx] = t;
			strcpy(c->inst[idx].sync_group, g->name);
			c->inst[idx].sync_group_idx = (long)k;
			g->members[g->n_members++] = idx;
		}
		if (mk->group_seen && mk->n_member == 1 && g->n_members == 1)
			conf_msg_tok(m, true, mk->name,
				     "vrrp_sync_group %s has only one member; it has no effect",
				     g->name);
		snprintf(owner, sizeof(owner), "vrrp_sync_group %s", g->name);
		resolve_tracks(c, scripts, g->track_scripts, g->n_track_scripts, mk->track_script,
			       owner, m);
		notify_users(c, &g->notify);
		smtp_alert_check(c, mk->smtp_alert, m);
	}
	conf_index_free(&groups);
	free(in_group);
}

/* Two instances on the same interface with the same VRID and family would
 * answer each other's adverts: the key of that rule. */
static uint64_t vrid_key(const struct conf_instance *in)
{
	uint64_t h = conf_hash(in->ifname, strlen(in->ifname), CONF_HASH_SEED);

	h = conf_hash(&in->vrid, sizeof(in->vrid), h);
	return conf_hash(&in->family, sizeof(in->family), h);
}

static bool vrid_set(const struct conf_instance *in, const struct conf_inst_meta *mk)
{
	return mk->interface && mk->vrid && in->vrid;
}

/* The first earlier instance with the same interface, VRID and family, or
 * -1; adds K when there is none. */
static long vrid_first(struct conf_index *ix, const struct config *c, size_t k)
{
	const struct conf_instance *in = &c->inst[k];
	uint64_t h = vrid_key(in);
	size_t it = 0, j;

	while (conf_index_next(ix, h, &it, &j))
		if (c->inst[j].vrid == in->vrid && c->inst[j].family == in->family &&
		    !strcmp(c->inst[j].ifname, in->ifname))
			return (long)j;
	conf_index_add(ix, h, k);
	return -1;
}

/* Per instance, the first earlier one with the same name or else the same
 * interface, VRID and family is reported (whichever comes first). */
static void check_instance_clashes(struct conf_parse_result *r, struct conf_index *names,
				   struct conf_msgs *m)
{
	struct config *c = r->cfg;
	struct conf_index vrids;
	char w[300];

	conf_index_xinit(names, c->n_inst);
	conf_index_xinit(&vrids, c->n_inst);
	for (size_t k = 0; k < c->n_inst; k++) {
		const struct conf_instance *in = &c->inst[k];
		const struct conf_inst_meta *mk = &r->meta[k];
		long jn = add_name(names, c->inst, sizeof(*c->inst), k);
		long jv = vrid_set(in, mk) ? vrid_first(&vrids, c, k) : -1;

		if (jn >= 0 && (jv < 0 || jn <= jv)) {
			conf_msg_tok(m, false, mk->name,
				     "duplicate vrrp_instance '%s' (first defined at %s)", in->name,
				     conf_where(r->meta[jn].name, mk->name, w, sizeof(w)));
		} else if (jv >= 0) {
			const struct conf_instance *o = &c->inst[jv];

			conf_msg_tok(m, false, mk->name,
				     "vrrp_instance %s uses the same interface, "
				     "virtual_router_id and address family as vrrp_instance "
				     "%s at %s (%s, %u, %s)",
				     in->name, o->name,
				     conf_where(r->meta[jv].name, mk->name, w, sizeof(w)),
				     in->ifname, in->vrid, fam_name(in->family));
		}
	}
	conf_index_free(&vrids);
}

int conf_finalize(struct conf_parse_result *r, struct conf_msgs *m)
{
	struct config *c = r->cfg;
	int before = m->errors;
	struct conf_index scripts, insts;

	default_script_user(r, m);
	finalize_scripts(r, &scripts, m);
	for (size_t k = 0; k < c->n_inst; k++)
		finalize_instance(r, &scripts, k, m);
	check_instance_clashes(r, &insts, m);
	finalize_groups(r, &insts, &scripts, m);
	conf_index_free(&insts);
	conf_index_free(&scripts);
	return m->errors - before;
}

/* Moves the file names instances, scripts and groups point at into the
 * config's own pool. */
static void build_pool(struct config *c)
{
	size_t n = c->n_inst + c->n_scripts + c->n_groups, total = 0, o = 0, k = 0;
	const char ***slot = conf_xcalloc(n ? n : 1, sizeof(*slot));
	struct conf_index pooled; /* positions in slot[] whose name is in the pool */

	for (size_t i = 0; i < c->n_inst; i++)
		slot[k++] = &c->inst[i].file;
	for (size_t i = 0; i < c->n_scripts; i++)
		slot[k++] = &c->scripts[i].file;
	for (size_t i = 0; i < c->n_groups; i++)
		slot[k++] = &c->groups[i].file;
	for (k = 0; k < n; k++)
		total += strlen(*slot[k]) + 1;
	c->strings = conf_xcalloc(total ? total : 1, 1);
	conf_index_xinit(&pooled, n);
	for (k = 0; k < n; k++) {
		const char *f = *slot[k], *found = NULL;
		uint64_t h = conf_hash_str(f);
		size_t it = 0, j;

		while (!found && conf_index_next(&pooled, h, &it, &j))
			if (!strcmp(*slot[j], f))
				found = *slot[j];
		if (!found) {
			size_t l = strlen(f) + 1;
			memcpy(c->strings + o, f, l);
			found = c->strings + o;
			o += l;
			conf_index_add(&pooled, h, k);
		}
		*slot[k] = found;
	}
	conf_index_free(&pooled);
	c->strings_len = o;
	free(slot);
}

/* Every command line was checked while parsing; keep its parsed form so
 * that nothing parses it again at run time. */
static void parse_cmd(struct conf_cmd *cmd)
{
	if (cmd->line && script_parse(cmd->line, &cmd->sc, NULL, 0) < 0)
		memset(&cmd->sc, 0, sizeof(cmd->sc)); /* cannot happen: parse checked it */
}

static void parse_notify_cmds(struct conf_notify *n)
{
	parse_cmd(&n->master);
	parse_cmd(&n->backup);
	parse_cmd(&n->fault);
	parse_cmd(&n->stop);
	parse_cmd(&n->any);
}

static void parse_cmds(struct config *c)
{
	for (size_t k = 0; k < c->n_inst; k++)
		parse_notify_cmds(&c->inst[k].notify);
	for (size_t k = 0; k < c->n_groups; k++)
		parse_notify_cmds(&c->groups[k].notify);
	for (size_t k = 0; k < c->n_scripts; k++)
		parse_cmd(&c->scripts[k].cmd);
}

static struct config *load_toks(struct conf_toks *toks, struct conf_msgs *m)
{
	struct conf_parse_result r;
	struct config *c;

	conf_parse_tokens(toks, m, &r);
	conf_finalize(&r, m);
	c = r.cfg;
	if (m->errors) {
		conf_parse_result_free_meta(&r);
		conf_free(c);
		return NULL;
	}
	build_pool(c);
	parse_cmds(c);
	conf_parse_result_free_meta(&r);
	return c;
}

struct config *conf_load(const char *path, struct conf_msgs *msgs)
{
	struct conf_msgs local;
	struct conf_msgs *m = msgs ? msgs : &local;
	struct conf_toks toks;
	struct config *c = NULL;

	memset(m, 0, sizeof(*m));
	if (conf_lex_file(path, &toks, m) == 0)
		c = load_toks(&toks, m);
	conf_toks_free(&toks);
	if (!msgs)
		conf_msgs_free(&local);
	return c;
}

struct config *conf_load_buffer(const char *name, const char *buf, size_t len,
				struct conf_msgs *msgs)
{
	struct conf_msgs local;
	struct conf_msgs *m = msgs ? msgs : &local;
	struct conf_toks toks;
	struct config *c;

	memset(m, 0, sizeof(*m));
	conf_lex_buffer(name, buf, len, &toks, m);
	c = load_toks(&toks, m);
	conf_toks_free(&toks);
	if (!msgs)
		conf_msgs_free(&local);
	return c;
}

static void free_cmd(struct conf_cmd *cmd)
{
	free(cmd->line);
	script_cmd_free(&cmd->sc);
}

static void free_notify(struct conf_notify *n)
{
	free_cmd(&n->master);
	free_cmd(&n->backup);
	free_cmd(&n->fault);
	free_cmd(&n->stop);
	free_cmd(&n->any);
}

void conf_free(struct config *c)
{
	if (!c)
		return;
	for (size_t k = 0; k < c->n_inst; k++) {
		free(c->inst[k].vips);
		free(c->inst[k].peers);
		free(c->inst[k].track_scripts);
		free(c->inst[k].track_ifs);
		free_notify(&c->inst[k].notify);
	}
	free(c->inst);
	for (size_t k = 0; k < c->n_scripts; k++)
		free_cmd(&c->scripts[k].cmd);
	free(c->scripts);
	for (size_t k = 0; k < c->n_groups; k++) {
		free(c->groups[k].members);
		free(c->groups[k].track_scripts);
		free(c->groups[k].track_ifs);
		free_notify(&c->groups[k].notify);
	}
	free(c->groups);
	for (size_t k = 0; k < c->global.n_notification_email; k++)
		free(c->global.notification_email[k]);
	free(c->global.notification_email);
	free(c->global.notify_fifo);
	free(c->strings);
	free(c);
}

void conf_msgs_free(struct conf_msgs *m)
{
	if (!m)
		return;
	for (size_t k = 0; k < m->n; k++)
		free(m->v[k]);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

const struct conf_instance *conf_find(const struct config *c, const char *name)
{
	if (!c || !name)
		return NULL;
	for (size_t k = 0; k < c->n_inst; k++)
		if (!strcmp(c->inst[k].name, name))
			return &c->inst[k];
	return NULL;
}

/* ---- comparing ---- */

static const char *vip_dev(const struct conf_instance *in, const struct vip *v)
{
	return v->dev[0] ? v->dev : in->ifname;
}

bool conf_vip_equal(const struct conf_instance *ia, const struct vip *a,
		    const struct conf_instance *ib, const struct vip *b)
{
	return addr_eq(&a->addr, &b->addr) && a->prefix == b->prefix && a->has_brd == b->has_brd &&
	       (!a->has_brd || addr_eq(&a->brd, &b->brd)) &&
	       !strcmp(vip_dev(ia, a), vip_dev(ib, b)) && a->scope == b->scope &&
	       !strcmp(a->label, b->label) && a->excluded == b->excluded;
}

static bool garp_equal(const struct conf_garp *a, const struct conf_garp *b)
{
	return a->master_delay_ms == b->master_delay_ms && a->master_repeat == b->master_repeat &&
	       a->master_refresh_ms == b->master_refresh_ms &&
	       a->master_refresh_repeat == b->master_refresh_repeat &&
	       a->interval_us == b->interval_us;
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static bool cmd_equal(const struct conf_cmd *a, const struct conf_cmd *b)
{
	return str_eq(a->line, b->line) && a->has_user == b->has_user &&
	       (!a->line || (a->user.uid == b->user.uid && a->user.gid == b->user.gid));
}

static bool notify_equal(const struct conf_notify *a, const struct conf_notify *b)
{
	return cmd_equal(&a->master, &b->master) && cmd_equal(&a->backup, &b->backup) &&
	       cmd_equal(&a->fault, &b->fault) && cmd_equal(&a->stop, &b->stop) &&
	       cmd_equal(&a->any, &b->any) && a->smtp_alert == b->smtp_alert;
}

static bool tracks_equal(const struct conf_track_script *a, size_t na,
			 const struct conf_track_script *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t k = 0; k < na; k++)
		if (strcmp(a[k].name, b[k].name) || a[k].weight_set != b[k].weight_set ||
		    a[k].weight != b[k].weight || a[k].reverse != b[k].reverse)
			return false;
	return true;
}

static bool track_ifs_equal(const struct conf_track_if *a, size_t na, const struct conf_track_if *b,
			    size_t nb)
{
	if (na != nb)
		return false;
	for (size_t k = 0; k < na; k++)
		if (strcmp(a[k].ifname, b[k].ifname) || a[k].weight != b[k].weight ||
		    a[k].reverse != b[k].reverse)
			return false;
	return true;
}

bool conf_script_equal(const struct conf_script *a, const struct conf_script *b)
{
	return !strcmp(a->name, b->name) && cmd_equal(&a->cmd, &b->cmd) &&
	       a->interval_ms == b->interval_ms && a->timeout_ms == b->timeout_ms &&
	       a->weight == b->weight && a->weight_reverse == b->weight_reverse &&
	       a->rise == b->rise && a->fall == b->fall && a->init_fail == b->init_fail;
}

bool conf_group_equal(const struct config *ca, const struct conf_sync_group *a,
		      const struct config *cb, const struct conf_sync_group *b)
{
	if (strcmp(a->name, b->name) || a->n_members != b->n_members ||
	    !tracks_equal(a->track_scripts, a->n_track_scripts, b->track_scripts,
			  b->n_track_scripts) ||
	    !track_ifs_equal(a->track_ifs, a->n_track_ifs, b->track_ifs, b->n_track_ifs) ||
	    !notify_equal(&a->notify, &b->notify))
		return false;
	for (size_t k = 0; k < a->n_members; k++)
		if (strcmp(ca->inst[a->members[k]].name, cb->inst[b->members[k]].name))
			return false;
	return true;
}

const struct conf_script *conf_find_script(const struct config *c, const char *name)
{
	if (!c || !name)
		return NULL;
	for (size_t k = 0; k < c->n_scripts; k++)
		if (!strcmp(c->scripts[k].name, name))
			return &c->scripts[k];
	return NULL;
}

const struct conf_sync_group *conf_find_group(const struct config *c, const char *name)
{
	if (!c || !name)
		return NULL;
	for (size_t k = 0; k < c->n_groups; k++)
		if (!strcmp(c->groups[k].name, name))
			return &c->groups[k];
	return NULL;
}

bool conf_instance_equal(const struct conf_instance *a, const struct conf_instance *b)
{
	if (strcmp(a->name, b->name) || a->state != b->state || strcmp(a->ifname, b->ifname) ||
	    a->vrid != b->vrid || a->priority != b->priority ||
	    a->advert_int_cs != b->advert_int_cs || a->version != b->version ||
	    a->family != b->family || a->nopreempt != b->nopreempt ||
	    a->preempt_delay_ms != b->preempt_delay_ms || a->auth_type != b->auth_type ||
	    strncmp(a->auth_pass, b->auth_pass, sizeof(a->auth_pass)) ||
	    a->v3_checksum_as_v2 != b->v3_checksum_as_v2 ||
	    a->lower_prio_no_advert != b->lower_prio_no_advert || a->n_vips != b->n_vips ||
	    a->has_unicast_src != b->has_unicast_src || a->n_peers != b->n_peers ||
	    !garp_equal(&a->garp, &b->garp) ||
	    !tracks_equal(a->track_scripts, a->n_track_scripts, b->track_scripts,
			  b->n_track_scripts) ||
	    !track_ifs_equal(a->track_ifs, a->n_track_ifs, b->track_ifs, b->n_track_ifs) ||
	    !notify_equal(&a->notify, &b->notify) || strcmp(a->sync_group, b->sync_group))
		return false;
	if (a->has_unicast_src && !addr_eq(&a->unicast_src, &b->unicast_src))
		return false;
	for (size_t k = 0; k < a->n_vips; k++)
		if (!conf_vip_equal(a, &a->vips[k], b, &b->vips[k]))
			return false;
	for (size_t k = 0; k < a->n_peers; k++)
		if (!addr_eq(&a->peers[k], &b->peers[k]))
			return false;
	return true;
}

/* ---- dumping (in the configuration language, so it loads again) ---- */

/* Formats V / 10^SCALE without trailing zeros. */
static const char *fixed(uint64_t v, unsigned scale, char *buf, size_t len)
{
	uint64_t div = 1;
	uint64_t frac;
	int digits = (int)scale;

	for (unsigned k = 0; k < scale; k++)
		div *= 10;
	frac = v % div;
	if (!frac) {
		snprintf(buf, len, "%llu", (unsigned long long)(v / div));
		return buf;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	snprintf(buf, len, "%llu.%0*llu", (unsigned long long)(v / div), digits,
		 (unsigned long long)frac);
	return buf;
}

/* Writes a word, quoted when the grammar needs it. */
static void put_word(FILE *out, const char *s)
{
	if (*s && !strpbrk(s, " \t\r\n{}#!\"\\")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static const char *scope_name(uint8_t s, char *buf, size_t len)
{
	switch (s) {
	case 0:
		return "global";
	case 200:
		return "site";
	case 253:
		return "link";
	case 254:
		return "host";
	case 255:
		return "nowhere";
	default:
		snprintf(buf, len, "%u", s);
		return buf;
	}
}

static void dump_vip(FILE *out, const struct conf_instance *in, const struct vip *v)
{
	char a[ADDR_STRLEN], sb[8];

	fprintf(out, "\t\t%s/%u", addr_str(&v->addr, a), v->prefix);
	if (v->has_brd)
		fprintf(out, " brd %s", addr_str(&v->brd, a));
	fputs(" dev ", out);
	put_word(out, vip_dev(in, v));
	fprintf(out, " scope %s", scope_name(v->scope, sb, sizeof(sb)));
	if (v->label[0]) {
		fputs(" label ", out);
		put_word(out, v->label);
	}
	fputc('\n', out);
}

static void dump_garp(FILE *out, const char *prefix, const struct conf_garp *g)
{
	char b[32];

	fprintf(out, "\t%sgarp_master_delay %s\n", prefix,
		fixed(g->master_delay_ms, 3, b, sizeof(b)));
	fprintf(out, "\t%sgarp_master_repeat %u\n", prefix, g->master_repeat);
	fprintf(out, "\t%sgarp_master_refresh %s%s\n", prefix,
		fixed(g->master_refresh_ms, 3, b, sizeof(b)),
		g->master_refresh_ms ? "" : "\t# off");
	fprintf(out, "\t%sgarp_master_refresh_repeat %u\n", prefix, g->master_refresh_repeat);
	fprintf(out, "\t%sgarp_interval %s\n", prefix, fixed(g->interval_us, 6, b, sizeof(b)));
}

/* Writes "[KW ]NAME[ GROUP]". */
static void dump_user(FILE *out, const char *kw, const struct conf_user *u)
{
	if (*kw)
		fprintf(out, "%s ", kw);
	put_word(out, u->name);
	if (u->group[0]) {
		fputc(' ', out);
		put_word(out, u->group);
	}
}

static void dump_cmd(FILE *out, const char *indent, const char *kw, const struct conf_cmd *c)
{
	if (!c->line)
		return;
	fprintf(out, "%s%s ", indent, kw);
	put_word(out, c->line);
	if (c->has_user) {
		fputc(' ', out);
		dump_user(out, "", &c->user);
		if (script_needs_shell(c->line))
			fputs("\t# through /bin/sh -c", out);
	} else {
		fprintf(out, "\t# as %s (uid %u, gid %u)%s", c->user.name, (unsigned)c->user.uid,
			(unsigned)c->user.gid,
			script_needs_shell(c->line) ? ", through /bin/sh -c" : "");
	}
	fputc('\n', out);
}

static void dump_weight(FILE *out, int weight, bool reverse)
{
	fprintf(out, " weight %d%s", weight, reverse ? " reverse" : "");
}

static void dump_tracking(FILE *out, const struct config *c, const struct conf_track_script *ts,
			  size_t n_ts, const struct conf_track_if *ti, size_t n_ti,
			  const struct conf_notify *n)
{
	if (n_ts) {
		fputs("\ttrack_script {\n", out);
		for (size_t k = 0; k < n_ts; k++) {
			fputs("\t\t", out);
			put_word(out, ts[k].name);
			if (ts[k].weight_set)
				dump_weight(out, ts[k].weight, ts[k].reverse);
			else
				fprintf(out, "\t# weight %d%s (the script's)", ts[k].weight,
					ts[k].reverse ? " reverse" : "");
			fputc('\n', out);
		}
		fputs("\t}\n", out);
	}
	if (n_ti) {
		fputs("\ttrack_interface {\n", out);
		for (size_t k = 0; k < n_ti; k++) {
			fputs("\t\t", out);
			put_word(out, ti[k].ifname);
			dump_weight(out, ti[k].weight, ti[k].reverse);
			fputc('\n', out);
		}
		fputs("\t}\n", out);
	}
	dump_cmd(out, "\t", "notify_master", &n->master);
	dump_cmd(out, "\t", "notify_backup", &n->backup);
	dump_cmd(out, "\t", "notify_fault", &n->fault);
	dump_cmd(out, "\t", "notify_stop", &n->stop);
	dump_cmd(out, "\t", "notify", &n->any);
	fprintf(out, "\tsmtp_alert %s\n", n->smtp_alert ? "true" : "false");
	(void)c;
}

static void dump_script(FILE *out, const struct conf_script *sc)
{
	char b[32];

	fputs("vrrp_script ", out);
	put_word(out, sc->name);
	fprintf(out, " {\t# %s:%d\n", sc->file ? sc->file : "-", sc->line);
	fputs("\tscript ", out);
	put_word(out, sc->cmd.line ? sc->cmd.line : "");
	if (sc->cmd.line && script_needs_shell(sc->cmd.line))
		fputs("\t# through /bin/sh -c", out);
	fputc('\n', out);
	fprintf(out, "\tinterval %s\n", fixed(sc->interval_ms, 3, b, sizeof(b)));
	fprintf(out, "\ttimeout %s\n", fixed(sc->timeout_ms, 3, b, sizeof(b)));
	fprintf(out, "\tweight %d%s\n", sc->weight, sc->weight_reverse ? " reverse" : "");
	fprintf(out, "\trise %u\n\tfall %u\n", sc->rise, sc->fall);
	if (sc->cmd.has_user) {
		fputc('\t', out);
		dump_user(out, "user", &sc->cmd.user);
		fputc('\n', out);
	} else {
		fprintf(out, "\t# runs as %s (uid %u, gid %u)\n", sc->cmd.user.name,
			(unsigned)sc->cmd.user.uid, (unsigned)sc->cmd.user.gid);
	}
	if (sc->init_fail)
		fputs("\tinit_fail\n", out);
	fputs("}\n", out);
}

static void dump_group(FILE *out, const struct config *c, const struct conf_sync_group *g)
{
	fputs("vrrp_sync_group ", out);
	put_word(out, g->name);
	fprintf(out, " {\t# %s:%d\n\tgroup {\n", g->file ? g->file : "-", g->line);
	for (size_t k = 0; k < g->n_members; k++) {
		fputs("\t\t", out);
		put_word(out, c->inst[g->members[k]].name);
		fputc('\n', out);
	}
	fputs("\t}\n", out);
	dump_tracking(out, c, g->track_scripts, g->n_track_scripts, g->track_ifs, g->n_track_ifs,
		      &g->notify);
	fputs("}\n", out);
}

static void dump_instance(FILE *out, const struct config *c, const struct conf_instance *in)
{
	char b[32], a[ADDR_STRLEN];
	bool any_excluded = false;
	uint64_t adv_us = (uint64_t)in->advert_int_cs * 10000, skew_us;

	fputs("vrrp_instance ", out);
	put_word(out, in->name);
	fprintf(out, " {\t# %s:%d\n", in->file ? in->file : "-", in->line);
	fprintf(out, "\tstate %s\n", in->state == CONF_STATE_MASTER ? "MASTER" : "BACKUP");
	fputs("\tinterface ", out);
	put_word(out, in->ifname);
	fputc('\n', out);
	fprintf(out, "\tvirtual_router_id %u\n", in->vrid);
	fprintf(out, "\tversion %u\n", in->version);
	fprintf(out, "\tpriority %u%s\n", in->priority,
		in->priority == 255 ? "\t# (address owner)" : "");
	fprintf(out, "\tadvert_int %s\n", fixed(in->advert_int_cs, 2, b, sizeof(b)));
	fprintf(out, "\t%s\n", in->nopreempt ? "nopreempt" : "preempt");
	fprintf(out, "\tpreempt_delay %s\n", fixed(in->preempt_delay_ms, 3, b, sizeof(b)));
	if (in->auth_type == CONF_AUTH_PASS) {
		fputs("\tauthentication {\n\t\tauth_type PASS\n\t\tauth_pass ", out);
		put_word(out, in->auth_pass);
		fputs("\n\t}\n", out);
	} else {
		fputs("\t# authentication: none\n", out);
	}
	fputs("\tvirtual_ipaddress {\n", out);
	for (size_t k = 0; k < in->n_vips; k++) {
		if (in->vips[k].excluded)
			any_excluded = true;
		else
			dump_vip(out, in, &in->vips[k]);
	}
	fputs("\t}\n", out);
	if (any_excluded) {
		fputs("\tvirtual_ipaddress_excluded {\n", out);
		for (size_t k = 0; k < in->n_vips; k++)
			if (in->vips[k].excluded)
				dump_vip(out, in, &in->vips[k]);
		fputs("\t}\n", out);
	}
	if (in->has_unicast_src)
		fprintf(out, "\tunicast_src_ip %s\n", addr_str(&in->unicast_src, a));
	else
		fputs("\t# unicast_src_ip: the interface's primary address\n", out);
	if (in->n_peers) {
		fputs("\tunicast_peer {\n", out);
		for (size_t k = 0; k < in->n_peers; k++)
			fprintf(out, "\t\t%s\n", addr_str(&in->peers[k], a));
		fputs("\t}\n", out);
	} else {
		fprintf(out, "\t# multicast to %s (no unicast_peer)\n",
			in->family == AF_INET6 ? "ff02::12" : "224.0.0.18");
	}
	dump_garp(out, "", &in->garp);
	fprintf(out, "\tv3_checksum_as_v2 %s\n", in->v3_checksum_as_v2 ? "true" : "false");
	fprintf(out, "\tlower_prio_no_advert %s\n", in->lower_prio_no_advert ? "true" : "false");
	dump_tracking(out, c, in->track_scripts, in->n_track_scripts, in->track_ifs,
		      in->n_track_ifs, &in->notify);
	if (in->sync_group[0])
		fprintf(out, "\t# in vrrp_sync_group %s\n", in->sync_group);
	if (in->version == 3)
		skew_us = (256 - (uint64_t)in->priority) * adv_us / 256;
	else
		skew_us = (256 - (uint64_t)in->priority) * 1000000 / 256;
	fprintf(out, "\t# family %s, checksum %s, skew_time %s s, master_down_interval ",
		fam_name(in->family),
		in->version == 2				   ? "v2 (no pseudo-header)"
		: in->family == AF_INET6 || !in->v3_checksum_as_v2 ? "v3 (with pseudo-header)"
								   : "v3 as v2 (no pseudo-header)",
		fixed(skew_us / 1000, 3, b, sizeof(b)));
	fprintf(out, "%s s\n", fixed((3 * adv_us + skew_us) / 1000, 3, b, sizeof(b)));
	fputs("}\n", out);
}

static void dump_global_notify(FILE *out, const struct conf_global *g)
{
	char a[ADDR_STRLEN];

	if (g->script_user_set) {
		fputc('\t', out);
		dump_user(out, "script_user", &g->script_user);
		fputc('\n', out);
	} else {
		fprintf(out, "\t# script_user: %s (uid %u, gid %u), the default\n",
			g->script_user.name, (unsigned)g->script_user.uid,
			(unsigned)g->script_user.gid);
	}
	if (g->script_security)
		fputs("\tenable_script_security\n", out);
	if (g->n_notification_email) {
		fputs("\tnotification_email {\n", out);
		for (size_t k = 0; k < g->n_notification_email; k++) {
			fputs("\t\t", out);
			put_word(out, g->notification_email[k]);
			fputc('\n', out);
		}
		fputs("\t}\n", out);
	}
	fputs("\tnotification_email_from ", out);
	put_word(out, g->email_from);
	fputc('\n', out);
	if (g->has_smtp_server)
		fprintf(out, "\tsmtp_server %s %u\n", addr_str(&g->smtp_server, a),
			(unsigned)g->smtp_port);
	else
		fputs("\t# smtp_server: none (no mail)\n", out);
	fprintf(out, "\tsmtp_connect_timeout %u\n", (unsigned)(g->smtp_connect_timeout_ms / 1000));
	fputs("\tsmtp_helo_name ", out);
	put_word(out, g->smtp_helo_name);
	fputc('\n', out);
	if (g->notify_fifo) {
		fputs("\tnotify_fifo ", out);
		put_word(out, g->notify_fifo);
		if (g->notify_fifo_has_user) {
			fputc(' ', out);
			dump_user(out, "", &g->notify_fifo_user);
		}
		fputc('\n', out);
	}
}

void conf_dump(const struct config *c, FILE *out)
{
	fputs("global_defs {\n\trouter_id ", out);
	put_word(out, c->global.router_id);
	fprintf(out, "\n\tvrrp_version %u\n", c->global.vrrp_version);
	dump_garp(out, "vrrp_", &c->global.garp);
	dump_global_notify(out, &c->global);
	fputs("}\n", out);
	for (size_t k = 0; k < c->n_scripts; k++) {
		fputc('\n', out);
		dump_script(out, &c->scripts[k]);
	}
	for (size_t k = 0; k < c->n_inst; k++) {
		fputc('\n', out);
		dump_instance(out, c, &c->inst[k]);
	}
	for (size_t k = 0; k < c->n_groups; k++) {
		fputc('\n', out);
		dump_group(out, c, &c->groups[k]);
	}
}
