/* conf_check: defaults from global_defs and checks across statements.
 *
 * How: conf_parse left what was written in struct config and where it was
 * written in the *_meta arrays; here every instance, script and group is
 * completed and checked in file order, and cross-references (names, VRIDs,
 * group members, tracked scripts) go through conf/index so that the whole
 * pass stays linear. */
#include "conf/check.h"

#include <pwd.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/index.h"
#include "conf/model.h"
#include "conf/values.h"

/* Names are the first member of instances, scripts and groups: an index of
 * N names at BASE, STRIDE bytes apart, holding the first of each name. */
#define NAME_AT(base, stride, k) ((const char *)(base) + (k) * (stride))

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

static void script_user_nobody(struct conf_global *g)
{
	memset(&g->script_user, 0, sizeof(g->script_user));
	strcpy(g->script_user.name, "65534");
	g->script_user.uid = 65534;
	g->script_user.gid = 65534;
}

/* The default user of scripts when none is given: keepalived_script (then
 * true), else nobody (65534 when even that is missing). Never root by
 * default. */
static bool lookup_default_user(struct conf_global *g)
{
	g->script_user_unused = false;
	if (lookup_user("keepalived_script", &g->script_user))
		return true;
	if (!lookup_user("nobody", &g->script_user))
		script_user_nobody(g);
	return false;
}

/* The default user of scripts: script_user, else lookup_default_user's.
 * Not looked up when nothing would run as it (no command without a user
 * of its own, no mail server name to resolve): the lookup is what loads
 * the name service's modules (libnss_systemd and its libm, 0.65 MB of
 * resident memory), and cmd_user looks it up all the same if a command
 * turns out to need it. */
static void default_script_user(struct conf_parse_result *r, struct conf_msgs *m)
{
	struct conf_global *g = &r->cfg->global;

	if (g->script_user_set || r->gmeta.script_user_missing)
		return;
	if (!r->gmeta.first_cmd_without_user && !g->smtp_server_name[0]) {
		script_user_nobody(g); /* never root, even unused */
		g->script_user_unused = true;
		return;
	}
	if (lookup_default_user(g))
		return;
	if (r->gmeta.first_cmd_without_user)
		conf_msg_tok(m, true, r->gmeta.first_cmd_without_user,
			     "no script_user in global_defs and no user 'keepalived_script': "
			     "scripts run as '%s' (write 'script_user root' in global_defs to run "
			     "them as root)",
			     g->script_user.name);
}

/* Gives CMD the default user; when script_user names a user that does not
 * exist, a command without a user of its own is disabled (as keepalived
 * does) and false returned. */
static bool cmd_user(const struct conf_parse_result *r, struct conf_cmd *cmd)
{
	if (!cmd->line || cmd->has_user)
		return true;
	if (r->gmeta.script_user_missing) {
		conf_xfree(cmd->line);
		memset(cmd, 0, sizeof(*cmd));
		return false;
	}
	if (r->cfg->global.script_user_unused)
		lookup_default_user(&r->cfg->global);
	cmd->user = r->cfg->global.script_user;
	return true;
}

/* The default user for OWNER's notify commands (FILE:LINE, for messages). */
static void notify_users(const struct conf_parse_result *r, struct conf_notify *n,
			 const char *owner, const char *file, int line, struct conf_msgs *m)
{
	struct conf_cmd *cmds[] = {&n->master, &n->backup,	    &n->fault,	  &n->stop, &n->any,
				   &n->del,    &n->master_rx_lower, &n->conflict, &n->fence};
	static const char *const kw[] = {"notify_master",
					 "notify_backup",
					 "notify_fault",
					 "notify_stop",
					 "notify",
					 "notify_deleted",
					 "notify_master_rx_lower_pri",
					 "notify_conflict",
					 "fence_script"};

	for (size_t k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++)
		if (!cmd_user(r, cmds[k]))
			conf_msg(m, true, file, line, 1,
				 "%s of %s is disabled: it would run as script_user '%s', who "
				 "does not exist on this host",
				 kw[k], owner, r->gmeta.script_user_missing->text);
}

/* fence_script of global_defs: the default of an instance without one. */
static void inst_fence_default(struct conf_instance *in, const struct conf_cmd *g)
{
	if (in->notify.fence.line || !g->line)
		return;
	in->notify.fence.line = conf_xstrdup(g->line);
	in->notify.fence.has_user = g->has_user;
	in->notify.fence.user = g->user;
}

/* Why vrrp_script NAME was dropped by finalize_scripts, or NULL. */
static const char *dropped_why(const struct conf_parse_result *r, const char *name)
{
	for (size_t k = 0; k < r->n_dropped; k++)
		if (!strcmp(r->dropped[k].name, name))
			return r->dropped[k].why;
	return NULL;
}

/* Resolves track_script names to vrrp_scripts and sets effective weights;
 * an entry naming a disabled script is dropped (*N shrinks). */
static void resolve_tracks(const struct conf_parse_result *r, const struct conf_index *scripts,
			   struct conf_track_script *ts, size_t *np, const struct conf_tok **tok,
			   const char *owner, struct conf_msgs *m)
{
	struct config *c = r->cfg;
	size_t n = *np;

	for (size_t k = 0; k < n; k++) {
		long j = conf_index_find(scripts, c->scripts, sizeof(*c->scripts), ts[k].name);
		const char *why = j < 0 ? dropped_why(r, ts[k].name) : NULL;
		const char *list = ts[k].gateway ? "track_gateway" : "track_script";

		if (why) {
			conf_msg_tok(m, true, tok[k], "%s '%s' in %s is ignored: vrrp_script %s %s",
				     list, ts[k].name, owner, ts[k].name, why);
			memmove(&ts[k], &ts[k + 1], (n - k - 1) * sizeof(*ts));
			memmove(&tok[k], &tok[k + 1], (n - k - 1) * sizeof(*tok));
			n--;
			k--;
			continue;
		}
		if (j < 0) {
			struct conf_dym y;
			char dym[128];

			conf_dym_init(&y, ts[k].name);
			for (size_t i = 0; i < c->n_scripts; i++)
				conf_dym_offer(&y, c->scripts[i].name);
			conf_msg_tok(m, false, tok[k],
				     "%s '%s' in %s: no vrrp_script of that name%s", list,
				     ts[k].name, owner, conf_dym_text(&y, dym, sizeof(dym)));
			continue;
		}
		ts[k].script = (size_t)j;
		if (!ts[k].weight_set && !ts[k].gateway) {
			ts[k].weight = c->scripts[j].weight;
			ts[k].reverse = c->scripts[j].weight_reverse;
		}
	}
	*np = n;
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

/* The first earlier address equal to address K of the N at BASE (STRIDE
 * bytes apart), or -1; adds K to IX when there is none. */
static long addr_first(struct conf_index *ix, const void *base, size_t stride, size_t k)
{
	const struct vaddr *a = (const struct vaddr *)NAME_AT(base, stride, k);
	uint64_t h = conf_hash(a->u.b, addr_len(a), conf_hash(&a->family, 1, CONF_HASH_SEED));
	size_t it = 0, j;

	while (conf_index_next(ix, h, &it, &j))
		if (addr_eq((const struct vaddr *)NAME_AT(base, stride, j), a))
			return (long)j;
	conf_index_add(ix, h, k);
	return -1;
}

/* Takes the instance's family from its advertised VIPs (excluded ones may
 * differ) and reports mixed ones. Returns whether it advertises any. */
static bool inst_family(struct conf_instance *in, const struct conf_inst_meta *meta,
			const struct conf_tok **v6_tok, struct conf_msgs *m)
{
	const struct conf_tok *fam_tok = NULL;
	char a[ADDR_STRLEN], w[300];
	bool has_vip = false;

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
				     addr_str(&v->addr, a), conf_family_name(v->addr.family),
				     in->name, conf_family_name(in->family), fam_tok->text,
				     conf_where(fam_tok, meta->vip[k], w, sizeof(w)));
		}
		if (v->addr.family == AF_INET6 && !*v6_tok)
			*v6_tok = meta->vip[k];
	}
	return has_vip;
}

/* An advert lists at most 255 addresses (the count is one byte): the rest
 * are installed but not advertised, as virtual_ipaddress_excluded. */
static void inst_advert_limit(const struct conf_instance *in, const struct conf_inst_meta *meta,
			      struct conf_msgs *m)
{
	char a[ADDR_STRLEN];
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
}

static void inst_vip_dups(const struct conf_instance *in, const struct conf_inst_meta *meta,
			  struct conf_msgs *m)
{
	char a[ADDR_STRLEN], w[300];
	struct conf_index seen;

	conf_index_xinit(&seen, in->n_vips);
	for (size_t k = 0; k < in->n_vips; k++) {
		long j = addr_first(&seen, &in->vips[0].addr, sizeof(*in->vips), k);

		if (j >= 0)
			conf_msg_tok(
			    m, false, meta->vip[k],
			    "duplicate virtual address %s in vrrp_instance %s (first at %s)",
			    addr_str(&in->vips[k].addr, a), in->name,
			    conf_where(meta->vip[j], meta->vip[k], w, sizeof(w)));
	}
	conf_index_free(&seen);
}

/* Version: the instance's, else global_defs', else 2 (3 for IPv6); then
 * what depends on it. */
static void inst_version(const struct conf_parse_result *r, struct conf_instance *in,
			 const struct conf_inst_meta *meta, const struct conf_tok *v6_tok,
			 struct conf_msgs *m)
{
	if (meta->version)
		; /* written in the instance */
	else if (r->gmeta.version_set)
		in->version = r->cfg->global.vrrp_version;
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
}

/* unicast_src_ip and unicast_peer: the instance's family, no duplicates. */
static void inst_unicast(const struct conf_instance *in, const struct conf_inst_meta *meta,
			 bool has_vip, struct conf_msgs *m)
{
	char a[ADDR_STRLEN], w[300];
	struct conf_index seen;

	if (in->has_unicast_src && has_vip && in->unicast_src.family != in->family)
		conf_msg_tok(m, false, meta->unicast_src,
			     "unicast_src_ip %s is %s but vrrp_instance %s is %s",
			     addr_str(&in->unicast_src, a),
			     conf_family_name(in->unicast_src.family), in->name,
			     conf_family_name(in->family));
	conf_index_xinit(&seen, in->n_peers);
	for (size_t k = 0; k < in->n_peers; k++) {
		long j = addr_first(&seen, in->peers, sizeof(*in->peers), k);

		if (has_vip && in->peers[k].family != in->family)
			conf_msg_tok(m, false, meta->peer[k],
				     "unicast peer %s is %s but vrrp_instance %s is %s",
				     addr_str(&in->peers[k], a),
				     conf_family_name(in->peers[k].family), in->name,
				     conf_family_name(in->family));
		else if (j >= 0)
			conf_msg_tok(m, false, meta->peer[k],
				     "duplicate unicast peer %s in vrrp_instance %s (first at %s)",
				     addr_str(&in->peers[k], a), in->name,
				     conf_where(meta->peer[j], meta->peer[k], w, sizeof(w)));
	}
	conf_index_free(&seen);
}

/* GARP timing not written in the instance comes from global_defs. */
static void inst_garp(struct conf_instance *in, const struct conf_inst_meta *meta,
		      const struct conf_garp *g)
{
	if (!meta->garp_delay_set)
		in->garp.master_delay_ms = g->master_delay_ms;
	if (!meta->garp_repeat_set)
		in->garp.master_repeat = g->master_repeat;
	if (!meta->garp_refresh_set)
		in->garp.master_refresh_ms = g->master_refresh_ms;
	if (!meta->garp_refresh_repeat_set)
		in->garp.master_refresh_repeat = g->master_refresh_repeat;
	if (!meta->garp_interval_set)
		in->garp.interval_us = g->interval_us;
	if (!meta->garp_lower_delay_set)
		in->garp.lower_delay_ms = g->lower_delay_ms;
	if (!meta->garp_lower_repeat_set)
		in->garp.lower_repeat = g->lower_repeat;
}

/* vrrp_garp_lower_prio_* not written: vrrp_garp_master_delay / _repeat
 * (keepalived). */
static void global_garp(struct conf_parse_result *r)
{
	struct conf_garp *g = &r->cfg->global.garp;

	if (!r->gmeta.garp_lower_delay_set)
		g->lower_delay_ms = g->master_delay_ms;
	if (!r->gmeta.garp_lower_repeat_set)
		g->lower_repeat = g->master_repeat;
}

/* No virtual_ipaddress, as keepalived: fine with no_virtual_ipaddress, a
 * warning with version 2, an error with version 3 (an advert lists at
 * least one address, RFC 5798 5.2.5; keepalived refuses it too). */
static void inst_no_vips(const struct conf_instance *in, const struct conf_inst_meta *meta,
			 struct conf_msgs *m)
{
	if (in->version == 3)
		conf_msg_tok(m, false, meta->name,
			     "vrrp_instance %s has no virtual_ipaddress: a VRRP version 3 advert "
			     "lists at least one address",
			     in->name);
	else if (!meta->no_vip)
		conf_msg_tok(m, true, meta->name,
			     "vrrp_instance %s has no virtual_ipaddress: it elects a master and "
			     "runs its notify commands, with no address to move (write "
			     "no_virtual_ipaddress to say so)",
			     in->name);
}

/* What an instance takes from elsewhere when it does not say: global_defs'
 * defaults, and keepalived's priority rule (state MASTER without a
 * priority is the address owner). */
static void inst_defaults(const struct conf_parse_result *r, struct conf_instance *in,
			  const struct conf_inst_meta *meta, struct conf_msgs *m)
{
	const struct conf_global *g = &r->cfg->global;

	if (!meta->lower_prio_no_advert)
		in->lower_prio_no_advert = g->lower_prio_no_advert;
	if (!meta->csum_as_v2)
		in->v3_checksum_as_v2 = g->v3_checksum_as_v2;
	if (in->nopreempt && in->state == CONF_STATE_MASTER) {
		in->nopreempt = false;
		conf_msg_tok(m, true, meta->state,
			     "vrrp_instance %s has state MASTER and nopreempt: nopreempt is turned "
			     "off, as keepalived does (write state BACKUP for nopreempt to work)",
			     in->name);
	}
	if (!meta->priority && in->state == CONF_STATE_MASTER) {
		in->priority = 255;
		conf_msg_tok(m, true, meta->state,
			     "vrrp_instance %s has state MASTER and no priority: it is the address "
			     "owner (priority 255), as in keepalived; write a priority if it is "
			     "not",
			     in->name);
	}
}

static void finalize_instance(struct conf_parse_result *r, const struct conf_index *scripts,
			      size_t idx, struct conf_msgs *m)
{
	struct config *c = r->cfg;
	struct conf_instance *in = &c->inst[idx];
	struct conf_inst_meta *meta = &r->meta[idx];
	const struct conf_tok *v6_tok = NULL;
	char owner[CONF_NAME_MAX + 20];
	bool has_vip;

	if (!meta->interface)
		conf_msg_tok(m, false, meta->name, "vrrp_instance %s has no 'interface'", in->name);
	if (!meta->vrid)
		conf_msg_tok(m, false, meta->name, "vrrp_instance %s has no 'virtual_router_id'",
			     in->name);
	has_vip = inst_family(in, meta, &v6_tok, m);
	if (meta->native_ipv6 && in->family == AF_INET) /* keepalived: the same error */
		conf_msg_tok(
		    m, false, meta->native_ipv6,
		    "native_ipv6 cannot go with the IPv4 virtual addresses of vrrp_instance %s",
		    in->name);
	else if (meta->native_ipv6) /* an IPv6 instance, version 3 by default */
		in->family = AF_INET6;
	inst_advert_limit(in, meta, m);
	if (!in->family)
		in->family = in->n_peers	   ? in->peers[0].family
			     : in->has_unicast_src ? in->unicast_src.family
						   : AF_INET;
	inst_version(r, in, meta, v6_tok, m);
	if (!has_vip && !meta->vip_lines)
		inst_no_vips(in, meta, m);
	inst_defaults(r, in, meta, m);
	inst_vip_dups(in, meta, m);
	inst_unicast(in, meta, has_vip, m);
	inst_garp(in, meta, &c->global.garp);
	if (!meta->priority_changes_set)
		in->notify.priority_changes = c->global.notify_priority_changes;
	if (!meta->hpsa)
		in->higher_prio_send_advert = c->global.higher_prio_send_advert;
	snprintf(owner, sizeof(owner), "vrrp_instance %s", in->name);
	inst_fence_default(in, &c->global.fence);
	resolve_tracks(r, scripts, in->track_scripts, &in->n_track_scripts, meta->track_script,
		       owner, m);
	notify_users(r, &in->notify, owner, in->file, in->line, m);
	smtp_alert_check(c, meta->smtp_alert, m);
	conf_finalize_net(r, idx, m);
	conf_finalize_hb(r, idx, m);
}

/* Takes script K out of the configuration (it is not run), remembering
 * why for the track_script messages. */
static void drop_script(struct conf_parse_result *r, size_t k, const char *why)
{
	struct config *c = r->cfg;

	r->dropped = conf_xgrow(r->dropped, r->n_dropped, sizeof(*r->dropped));
	strcpy(r->dropped[r->n_dropped].name, c->scripts[k].name);
	r->dropped[r->n_dropped++].why = why;
	conf_script_free(&c->scripts[k]);
	memmove(&c->scripts[k], &c->scripts[k + 1], (c->n_scripts - k - 1) * sizeof(*c->scripts));
	memmove(&r->smeta[k], &r->smeta[k + 1], (c->n_scripts - k - 1) * sizeof(*r->smeta));
	c->n_scripts--;
}

/* Drops, as keepalived does, the scripts that would run as a user that does
 * not exist, and a second vrrp_script of a name (keepalived tracks the
 * first one). */
static void drop_scripts(struct conf_parse_result *r, struct conf_msgs *m)
{
	struct config *c = r->cfg;
	const struct conf_tok *gmiss = r->gmeta.script_user_missing;
	struct conf_index ix;
	char w[300];

	conf_index_xinit(&ix, c->n_scripts);
	for (size_t k = 0; k < c->n_scripts; k++) {
		const struct conf_script_meta *mk = &r->smeta[k];
		long j = conf_index_find(&ix, c->scripts, sizeof(*c->scripts), c->scripts[k].name);

		if (j >= 0) {
			conf_msg_tok(m, true, mk->name,
				     "vrrp_script '%s' is defined again (first at %s): the first "
				     "one is used, as in keepalived; this one is ignored",
				     c->scripts[k].name,
				     conf_where(r->smeta[j].name, mk->name, w, sizeof(w)));
			drop_script(r, k--, "is defined twice; the first one is used");
		} else if (mk->user_missing) {
			drop_script(r, k--, "is disabled: its user does not exist on this host");
		} else if (gmiss && !c->scripts[k].cmd.has_user && mk->has_script &&
			   !mk->is_check) {
			conf_msg_tok(
			    m, true, mk->name,
			    "vrrp_script %s is disabled: it would run as script_user '%s', "
			    "who does not exist on this host",
			    c->scripts[k].name, gmiss->text);
			drop_script(r, k--, "is disabled: script_user does not exist on this host");
		} else {
			conf_index_add(&ix, conf_hash_str(c->scripts[k].name), k);
		}
	}
	conf_index_free(&ix);
}

/* Checks the scripts and indexes them by name. */
static void finalize_scripts(struct conf_parse_result *r, struct conf_index *ix,
			     struct conf_msgs *m)
{
	struct config *c = r->cfg;

	drop_scripts(r, m);
	conf_index_xinit(ix, c->n_scripts);
	for (size_t k = 0; k < c->n_scripts; k++) {
		struct conf_script *sc = &c->scripts[k];
		const struct conf_script_meta *mk = &r->smeta[k];

		conf_index_add_name(ix, c->scripts, sizeof(*c->scripts), k);
		if (!mk->has_script)
			conf_msg_tok(
			    m, false, mk->name,
			    mk->is_check
				? "vrrp_check %s has no check (tcp, http, https, icmp or mysql)"
				: "vrrp_script %s has no 'script'",
			    sc->name);
		if (!mk->timeout_set)
			sc->timeout_ms = sc->interval_ms;
		cmd_user(r, &sc->cmd);
	}
}

/* Where each instance was put in a sync group, for "already in". */
struct group_check {
	const struct conf_index *insts;
	const struct conf_tok **in_group; /* one per instance; NULL = in none */
};

/* Resolves the member names of group K to instances: each must exist and
 * be in no other group, and is listed once. */
static void group_members(struct conf_parse_result *r, struct group_check *gc, size_t k,
			  struct conf_msgs *m)
{
	struct config *c = r->cfg;
	struct conf_sync_group *g = &c->groups[k];
	const struct conf_group_meta *mk = &r->grmeta[k];
	char w[300], dym[128];

	g->members = conf_xcalloc(mk->n_member ? mk->n_member : 1, sizeof(*g->members));
	for (size_t i = 0; i < mk->n_member; i++) {
		const struct conf_tok *t = mk->member[i];
		long idx = conf_index_find(gc->insts, c->inst, sizeof(*c->inst), t->text);
		struct conf_dym y;

		if (idx < 0) {
			conf_dym_init(&y, t->text);
			for (size_t j = 0; j < c->n_inst; j++)
				conf_dym_offer(&y, c->inst[j].name);
			conf_msg_tok(m, false, t,
				     "vrrp_sync_group %s: no vrrp_instance named '%s'%s", g->name,
				     t->text, conf_dym_text(&y, dym, sizeof(dym)));
		} else if (gc->in_group[idx] && c->inst[idx].sync_group_idx == (long)k) {
			conf_msg_tok(m, false, t,
				     "vrrp_instance %s is listed twice in vrrp_sync_group %s "
				     "(first at %s)",
				     t->text, g->name,
				     conf_where(gc->in_group[idx], t, w, sizeof(w)));
		} else if (gc->in_group[idx]) {
			conf_msg_tok(m, false, t,
				     "vrrp_instance %s is already in vrrp_sync_group %s (at "
				     "%s); an instance can be in one group only",
				     t->text, c->inst[idx].sync_group,
				     conf_where(gc->in_group[idx], t, w, sizeof(w)));
		} else {
			gc->in_group[idx] = t;
			strcpy(c->inst[idx].sync_group, g->name);
			c->inst[idx].sync_group_idx = (long)k;
			g->members[g->n_members++] = (size_t)idx;
		}
	}
}

static void finalize_groups(struct conf_parse_result *r, const struct conf_index *insts,
			    const struct conf_index *scripts, struct conf_msgs *m)
{
	struct config *c = r->cfg;
	char w[300], owner[CONF_NAME_MAX + 20];
	struct group_check gc = {.insts = insts};
	struct conf_index groups;

	gc.in_group = conf_xcalloc(c->n_inst ? c->n_inst : 1, sizeof(*gc.in_group));
	conf_index_xinit(&groups, c->n_groups);
	for (size_t k = 0; k < c->n_groups; k++) {
		struct conf_sync_group *g = &c->groups[k];
		const struct conf_group_meta *mk = &r->grmeta[k];
		long first = conf_index_add_name(&groups, c->groups, sizeof(*c->groups), k);

		if (first >= 0)
			conf_msg_tok(m, false, mk->name,
				     "duplicate vrrp_sync_group '%s' (first defined at %s)",
				     g->name,
				     conf_where(r->grmeta[first].name, mk->name, w, sizeof(w)));
		if (!mk->group_seen)
			conf_msg_tok(m, false, mk->name, "vrrp_sync_group %s has no 'group'",
				     g->name);
		group_members(r, &gc, k, m);
		if (mk->group_seen && mk->n_member == 1 && g->n_members == 1)
			conf_msg_tok(m, true, mk->name,
				     "vrrp_sync_group %s has only one member; it has no effect",
				     g->name);
		snprintf(owner, sizeof(owner), "vrrp_sync_group %s", g->name);
		resolve_tracks(r, scripts, g->track_scripts, &g->n_track_scripts, mk->track_script,
			       owner, m);
		notify_users(r, &g->notify, owner, g->file, g->line, m);
		smtp_alert_check(c, mk->smtp_alert, m);
	}
	conf_index_free(&groups);
	conf_xfree(gc.in_group);
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
		long jn = conf_index_add_name(names, c->inst, sizeof(*c->inst), k);
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
				     in->ifname, in->vrid, conf_family_name(in->family));
		}
	}
	conf_index_free(&vrids);
}

/* vrrp_min_garp: one GARP / NA on becoming master, no second burst, no
 * refresh, unless a vrrp_garp_* keyword says otherwise (keepalived keeps
 * what was written, in whatever order). */
static void global_min_garp(struct conf_parse_result *r)
{
	struct conf_garp *g = &r->cfg->global.garp;
	const bool *set = r->gmeta.garp_set;

	if (!r->cfg->global.min_garp)
		return;
	if (!set[CONF_GARP_REPEAT])
		g->master_repeat = 1;
	if (!set[CONF_GARP_DELAY])
		g->master_delay_ms = 0;
	if (!set[CONF_GARP_REFRESH])
		g->master_refresh_ms = 0;
}

int conf_finalize(struct conf_parse_result *r, struct conf_msgs *m)
{
	struct config *c = r->cfg;
	int before = m->errors;
	struct conf_index scripts, insts;

	default_script_user(r, m);
	global_min_garp(r);
	global_garp(r);
	finalize_scripts(r, &scripts, m);
	for (size_t k = 0; k < c->n_inst; k++)
		finalize_instance(r, &scripts, k, m);
	check_instance_clashes(r, &insts, m);
	conf_finalize_hb_clashes(r, m);
	conf_finalize_vmacs(r, m);
	conf_finalize_static(r, m);
	conf_finalize_if_delays(r, m);
	finalize_groups(r, &insts, &scripts, m);
	conf_finalize_trackers(r, m);
	conf_finalize_sync_weights(r, m);
	conf_index_free(&insts);
	conf_index_free(&scripts);
	return m->errors - before;
}
