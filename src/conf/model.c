/* conf_model: defaults, freeing, finding and comparing configurations.
 *
 * How: plain loops over the arrays of struct config; nothing here knows
 * the grammar, so this file includes no other conf header but conf.h's
 * private companion model.h. */
#include "conf/model.h"

#include "conf/arena.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/script.h"

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
	g->garp.lower_delay_ms = 5000; /* vrrp_garp_master_delay's, unless written */
	g->garp.lower_repeat = 5;
	g->higher_prio_send_advert = true;
	g->down_timer_adverts = 3;
	snprintf(g->smtp_helo_name, sizeof(g->smtp_helo_name), "%s",
		 gethostname(host, sizeof(host)) == 0 && host[0] ? host : "localhost");
	snprintf(g->email_from, sizeof(g->email_from), "vrrpd@%.240s", g->smtp_helo_name);
	g->smtp_port = 25;
	g->smtp_connect_timeout_ms = 30000;
	g->sched.min_auto_delay_us = 1000000;
	g->sched.rlimit_rttime_us = 10000;
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
	in->garp.lower_delay_ms = 5000;
	in->garp.lower_repeat = 5;
	in->unicast_ttl = 255;
	in->higher_prio_send_advert = true;
	in->down_timer_adverts = 3;
	in->sync_group_idx = -1;
	in->accept_mode = true; /* keepalived: accept unless no_accept or vrrp_strict */
}

const char *conf_family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

static void free_words(char **v, size_t n)
{
	for (size_t k = 0; v && k < n; k++)
		conf_xfree(v[k]);
	conf_xfree(v);
}

static void free_cmd(struct conf_cmd *cmd)
{
	conf_xfree(cmd->line);
	free_words(cmd->sc.argv, cmd->sc.argc);
	free_words(cmd->sc.words, cmd->sc.nwords);
	memset(&cmd->sc, 0, sizeof(cmd->sc));
}

void conf_script_free(struct conf_script *sc)
{
	free_cmd(&sc->cmd);
	conf_tls_free(&sc->check.tls);
}

static void free_notify(struct conf_notify *n)
{
	free_cmd(&n->master);
	free_cmd(&n->backup);
	free_cmd(&n->fault);
	free_cmd(&n->stop);
	free_cmd(&n->master_rx_lower);
	free_cmd(&n->conflict);
	free_cmd(&n->fence);
	free_cmd(&n->any);
	free_cmd(&n->del);
}

static void free_inst(struct config *c, size_t from, size_t to)
{
	for (size_t k = from; k < to; k++) {
		conf_xfree(c->inst[k].vips);
		conf_xfree(c->inst[k].peers);
		conf_xfree(c->inst[k].hb_peers);
		conf_xfree(c->inst[k].vroutes);
		conf_xfree(c->inst[k].vrules);
		conf_xfree(c->inst[k].track_scripts);
		conf_xfree(c->inst[k].track_ifs);
		conf_xfree(c->inst[k].track_procs);
		conf_xfree(c->inst[k].track_files);
		free_notify(&c->inst[k].notify);
	}
}

/* What free_inst leaves. */
static void free_rest(struct config *c)
{
	conf_xfree(c->inst);
	for (size_t k = 0; k < c->n_scripts; k++)
		conf_script_free(&c->scripts[k]);
	conf_xfree(c->scripts);
	for (size_t k = 0; k < c->n_groups; k++) {
		conf_xfree(c->groups[k].members);
		conf_xfree(c->groups[k].track_scripts);
		conf_xfree(c->groups[k].track_ifs);
		conf_xfree(c->groups[k].track_procs);
		conf_xfree(c->groups[k].track_files);
		free_notify(&c->groups[k].notify);
	}
	conf_xfree(c->groups);
	conf_xfree(c->ignored);
	for (size_t k = 0; k < c->n_procs; k++) {
		conf_xfree(c->procs[k].process);
		conf_xfree(c->procs[k].params);
	}
	conf_xfree(c->procs);
	for (size_t k = 0; k < c->n_tfiles; k++)
		conf_xfree(c->tfiles[k].path);
	conf_xfree(c->tfiles);
	for (size_t k = 0; k < c->global.n_notification_email; k++)
		conf_xfree(c->global.notification_email[k]);
	conf_xfree(c->global.notification_email);
	conf_xfree(c->global.notify_fifo);
	free_cmd(&c->global.fence);
	conf_xfree(c->global.static_addrs);
	conf_xfree(c->global.if_delays);
	conf_xfree(c->global.static_routes);
	conf_xfree(c->global.static_rules);
	conf_xfree(c->strings);
	conf_xfree(c);
}

void conf_free(struct config *c)
{
	if (!c)
		return;
	if (c->arena) { /* one mapping holds it all */
		conf_tls_adopt(c, true);
		conf_arena_free(c->arena);
		return;
	}
	free_inst(c, 0, c->n_inst);
	free_rest(c);
}

#define FREE_UNIT (16u << 10) /* bytes of an arena unmapped per unit of N */

/* An arena's share: its untouched tail (cheap: no pages) and then, from
 * the end, N units of what was written; the header's page last. */
static bool free_arena_some(struct config *c, size_t *at, size_t n)
{
	struct conf_arena *a = c->arena;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t cap = a->cap, end = (a->used + page - 1) / page * page;

	if (*at == 0) {
		conf_tls_adopt(c, true);
		if (end < cap)
			munmap((char *)a + end, cap - end);
		*at = end; /* from now on: the bytes still mapped */
		return false;
	}
	size_t share = (size_t)n * FREE_UNIT / page * page;
	share = share < page ? page : share;
	if (*at <= share) {
		munmap(a, *at); /* the header with it */
		return true;
	}
	*at -= share;
	munmap((char *)a + *at, share);
	return false;
}

bool conf_free_some(struct config *c, size_t *at, size_t n)
{
	if (!c)
		return true;
	if (c->arena)
		return free_arena_some(c, at, n);
	size_t to = *at + n < c->n_inst ? *at + n : c->n_inst;
	free_inst(c, *at, to);
	*at = to;
	if (to < c->n_inst)
		return false;
	free_rest(c);
	return true;
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

const char *conf_vip_dev(const struct conf_instance *in, const struct vip *v)
{
	return v->dev[0] ? v->dev : in->ifname;
}

bool conf_vip_equal(const struct conf_instance *ia, const struct vip *a,
		    const struct conf_instance *ib, const struct vip *b)
{
	return addr_eq(&a->addr, &b->addr) && a->prefix == b->prefix && a->has_brd == b->has_brd &&
	       (!a->has_brd || addr_eq(&a->brd, &b->brd)) &&
	       !strcmp(conf_vip_dev(ia, a), conf_vip_dev(ib, b)) && a->scope == b->scope &&
	       !strcmp(a->label, b->label) && a->excluded == b->excluded;
}

static bool garp_equal(const struct conf_garp *a, const struct conf_garp *b)
{
	return a->master_delay_ms == b->master_delay_ms && a->master_repeat == b->master_repeat &&
	       a->master_refresh_ms == b->master_refresh_ms &&
	       a->master_refresh_repeat == b->master_refresh_repeat &&
	       a->interval_us == b->interval_us && a->na_interval_us == b->na_interval_us &&
	       a->lower_delay_ms == b->lower_delay_ms && a->lower_repeat == b->lower_repeat;
}

/* Optional addresses: equal when both are absent or both are equal. */
static bool opt_addr_eq(bool ha, const struct vaddr *a, bool hb, const struct vaddr *b)
{
	return ha == hb && (!ha || addr_eq(a, b));
}

bool conf_route_equal(const struct vroute *a, const struct vroute *b)
{
	return a->family == b->family && a->type == b->type && addr_eq(&a->dst, &b->dst) &&
	       a->dst_len == b->dst_len && opt_addr_eq(a->has_src, &a->src, b->has_src, &b->src) &&
	       opt_addr_eq(a->has_via, &a->via, b->has_via, &b->via) && !strcmp(a->dev, b->dev) &&
	       a->table == b->table && a->has_metric == b->has_metric &&
	       (!a->has_metric || a->metric == b->metric) && a->has_scope == b->has_scope &&
	       (!a->has_scope || a->scope == b->scope) && a->onlink == b->onlink;
}

bool conf_rule_equal(const struct vrule *a, const struct vrule *b)
{
	return a->family == b->family && a->action == b->action &&
	       opt_addr_eq(a->has_from, &a->from, b->has_from, &b->from) &&
	       (!a->has_from || a->from_len == b->from_len) &&
	       opt_addr_eq(a->has_to, &a->to, b->has_to, &b->to) &&
	       (!a->has_to || a->to_len == b->to_len) &&
	       (a->action != VRULE_TABLE || a->table == b->table) &&
	       a->has_priority == b->has_priority &&
	       (!a->has_priority || a->priority == b->priority) && a->has_fwmark == b->has_fwmark &&
	       (!a->has_fwmark || (a->fwmark == b->fwmark && a->fwmask == b->fwmask)) &&
	       !strcmp(a->iif, b->iif) && !strcmp(a->oif, b->oif);
}

static bool routes_equal(const struct vroute *a, size_t na, const struct vroute *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t k = 0; k < na; k++)
		if (!conf_route_equal(&a[k], &b[k]))
			return false;
	return true;
}

static bool rules_equal(const struct vrule *a, size_t na, const struct vrule *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t k = 0; k < na; k++)
		if (!conf_rule_equal(&a[k], &b[k]))
			return false;
	return true;
}

/* Issue 8's settings: virtual MAC, Accept_Mode, strict mode, multicast
 * destination, routes and rules. */
static bool net_equal(const struct conf_instance *a, const struct conf_instance *b)
{
	return a->use_vmac == b->use_vmac &&
	       (!a->use_vmac || !strcmp(a->vmac_name, b->vmac_name)) &&
	       a->vmac_xmit_base == b->vmac_xmit_base && a->accept_mode == b->accept_mode &&
	       a->strict_mode == b->strict_mode &&
	       opt_addr_eq(a->has_mcast_dst, &a->mcast_dst, b->has_mcast_dst, &b->mcast_dst) &&
	       routes_equal(a->vroutes, a->n_vroutes, b->vroutes, b->n_vroutes) &&
	       rules_equal(a->vrules, a->n_vrules, b->vrules, b->n_vrules);
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
	       cmd_equal(&a->any, &b->any) && cmd_equal(&a->master_rx_lower, &b->master_rx_lower) &&
	       cmd_equal(&a->conflict, &b->conflict) && cmd_equal(&a->fence, &b->fence) &&
	       a->smtp_alert == b->smtp_alert && a->deleted == b->deleted &&
	       cmd_equal(&a->del, &b->del) && a->priority_changes == b->priority_changes;
}

static bool tracks_equal(const struct conf_track_script *a, size_t na,
			 const struct conf_track_script *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t k = 0; k < na; k++)
		if (strcmp(a[k].name, b[k].name) || a[k].weight_set != b[k].weight_set ||
		    a[k].weight != b[k].weight || a[k].reverse != b[k].reverse ||
		    a[k].gateway != b[k].gateway)
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

/* The track_script, track_process and track_file lists of an instance or
 * a group. */
#define TRACK_LISTS_EQUAL(a, b)                                                                    \
	(tracks_equal((a)->track_scripts, (a)->n_track_scripts, (b)->track_scripts,                \
		      (b)->n_track_scripts) &&                                                     \
	 tracks_equal((a)->track_procs, (a)->n_track_procs, (b)->track_procs,                      \
		      (b)->n_track_procs) &&                                                       \
	 tracks_equal((a)->track_files, (a)->n_track_files, (b)->track_files,                      \
		      (b)->n_track_files) &&                                                       \
	 track_ifs_equal((a)->track_ifs, (a)->n_track_ifs, (b)->track_ifs, (b)->n_track_ifs))

static bool str_equal(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

bool conf_tproc_equal(const struct conf_track_process *a, const struct conf_track_process *b)
{
	return !strcmp(a->name, b->name) && str_equal(a->process, b->process) &&
	       a->params_len == b->params_len &&
	       (!a->params_len || !memcmp(a->params, b->params, a->params_len)) &&
	       a->match == b->match && a->full_command == b->full_command &&
	       a->weight == b->weight && a->weight_reverse == b->weight_reverse &&
	       a->quorum == b->quorum && a->quorum_max == b->quorum_max &&
	       a->fork_delay_us == b->fork_delay_us &&
	       a->terminate_delay_us == b->terminate_delay_us;
}

bool conf_tfile_equal(const struct conf_track_file *a, const struct conf_track_file *b)
{
	return !strcmp(a->name, b->name) && str_equal(a->path, b->path) && a->weight == b->weight &&
	       a->weight_reverse == b->weight_reverse && a->init == b->init &&
	       a->init_overwrite == b->init_overwrite && a->init_value == b->init_value;
}

/* Field by field: the structs' padding is not compared. */
static bool check_equal(const struct conf_check *a, const struct conf_check *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case CONF_CHECK_TCP:
		return addr_eq(&a->addr, &b->addr) && a->port == b->port;
	case CONF_CHECK_ICMP:
		return addr_eq(&a->addr, &b->addr);
	case CONF_CHECK_HTTP:
	case CONF_CHECK_HTTPS:
		return addr_eq(&a->url.addr, &b->url.addr) && a->url.port == b->url.port &&
		       !strcmp(a->url.host, b->url.host) && !strcmp(a->url.path, b->url.path) &&
		       a->status == b->status && !strcmp(a->body, b->body) &&
		       conf_tls_equal(&a->tls, &b->tls);
	case CONF_CHECK_MYSQL:
		return addr_eq(&a->addr, &b->addr) && a->port == b->port &&
		       !strcmp(a->my.socket, b->my.socket) && !strcmp(a->my.user, b->my.user) &&
		       !strcmp(a->my.password, b->my.password) &&
		       !strcmp(a->my.database, b->my.database) &&
		       !strcmp(a->my.query, b->my.query) && a->my.lag == b->my.lag &&
		       a->my.max_lag == b->my.max_lag;
	default:
		return true;
	}
}

bool conf_script_equal(const struct conf_script *a, const struct conf_script *b)
{
	return !strcmp(a->name, b->name) && cmd_equal(&a->cmd, &b->cmd) &&
	       a->interval_ms == b->interval_ms && a->timeout_ms == b->timeout_ms &&
	       a->weight == b->weight && a->weight_reverse == b->weight_reverse &&
	       a->rise == b->rise && a->fall == b->fall && a->init_fail == b->init_fail &&
	       check_equal(&a->check, &b->check);
}

bool conf_group_equal(const struct config *ca, const struct conf_sync_group *a,
		      const struct config *cb, const struct conf_sync_group *b)
{
	if (strcmp(a->name, b->name) || a->n_members != b->n_members || !TRACK_LISTS_EQUAL(a, b) ||
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

uint32_t conf_startup_hold_ms(const struct conf_global *g, uint64_t uptime_ms)
{
	uint64_t left = uptime_ms < g->delay_after_boot_ms ? g->delay_after_boot_ms - uptime_ms : 0;

	return left > g->startup_delay_ms ? (uint32_t)left : g->startup_delay_ms;
}

bool conf_hb_equal(const struct conf_instance *a, const struct conf_instance *b)
{
	if (a->has_hb != b->has_hb)
		return false;
	if (!a->has_hb)
		return true;
	if (strcmp(a->hb_ifname, b->hb_ifname) || a->hb_has_src != b->hb_has_src ||
	    (a->hb_has_src && !addr_eq(&a->hb_src, &b->hb_src)) || a->n_hb_peers != b->n_hb_peers)
		return false;
	for (size_t k = 0; k < a->n_hb_peers; k++)
		if (!addr_eq(&a->hb_peers[k], &b->hb_peers[k]))
			return false;
	return true;
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
	    a->unicast_ttl != b->unicast_ttl ||
	    a->unicast_fault_no_peer != b->unicast_fault_no_peer ||
	    a->higher_prio_send_advert != b->higher_prio_send_advert ||
	    a->down_timer_adverts != b->down_timer_adverts ||
	    a->owner_ignore_adverts != b->owner_ignore_adverts ||
	    a->track_src_ip != b->track_src_ip || a->old_csum != b->old_csum ||
	    a->expired_backup_prio != b->expired_backup_prio || !garp_equal(&a->garp, &b->garp) ||
	    !TRACK_LISTS_EQUAL(a, b) || a->dont_track_primary != b->dont_track_primary ||
	    !notify_equal(&a->notify, &b->notify) || strcmp(a->sync_group, b->sync_group) ||
	    !net_equal(a, b) || !conf_hb_equal(a, b))
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
