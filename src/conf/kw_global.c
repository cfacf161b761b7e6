/* conf_kw_global: the global_defs section.
 *
 * How: one handler per keyword of the table below; values go straight
 * into the config's struct conf_global (whose built-in defaults were set
 * before parsing), and what conf_finalize needs to know ("was router_id
 * written?") into the parse result's gmeta. The "given again" slots are
 * kept across all global_defs blocks of a file. */
#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/kw.h"
#include "conf/values.h"

static struct conf_global *global(struct conf_parser *p)
{
	return &p->r->cfg->global;
}

static void gk_router_id(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	const char *v = s->arg[0].text;

	(void)ctx;
	if (strlen(v) == 0 || strlen(v) >= CONF_NAME_MAX) {
		conf_perr(p, &s->arg[0], "router_id must be 1 to %d characters long, got '%s'",
			  CONF_NAME_MAX - 1, v);
		return;
	}
	strcpy(global(p)->router_id, v);
	p->r->gmeta.router_id_set = true;
}

static void gk_vrrp_version(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	unsigned long u;

	(void)ctx;
	if (!conf_parse_uint(s->arg[0].text, 2, 3, &u)) {
		conf_perr(p, &s->arg[0], "vrrp_version must be 2 or 3, got '%s'", s->arg[0].text);
		return;
	}
	global(p)->vrrp_version = (uint8_t)u;
	p->r->gmeta.version_set = true;
}

static void gk_garp(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	enum conf_garp_kw k = (enum conf_garp_kw)s->def->arg;

	(void)ctx;
	if (!conf_val_garp(p, s, k, &global(p)->garp))
		return;
	if (k == CONF_GARP_LOWER_DELAY)
		p->r->gmeta.garp_lower_delay_set = true;
	else if (k == CONF_GARP_LOWER_REPEAT)
		p->r->gmeta.garp_lower_repeat_set = true;
}

/* vrrp_higher_prio_send_advert [BOOL]: the instances' default. */
static void gk_hpsa(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	(void)ctx;
	if (conf_val_bool(p, s, &global(p)->higher_prio_send_advert))
		p->r->gmeta.hpsa = s->kw;
}

/* vrrp_check_unicast_src: always on in vrrpd (see check_unicast_src). */
static void gk_check_unicast_src(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	bool b = true;

	(void)ctx;
	if (s->nargs && conf_val_bool(p, s, &b) && !b)
		conf_pwarn(p, &s->arg[0],
			   "vrrp_check_unicast_src cannot be turned off: vrrpd always drops an "
			   "advert from an address that is not a unicast_peer");
}

static void gk_script_user(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	struct conf_global *g = global(p);

	(void)ctx;
	if (conf_resolve_user(p, &s->arg[0], s->nargs > 1 ? &s->arg[1] : NULL, NULL,
			      &g->script_user))
		g->script_user_set = true;
}

static void gk_script_security(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	(void)s;
	(void)ctx;
	global(p)->script_security = true;
}

/* notification_email { ADDRESS... }: one address per line. */
static void email_item(struct conf_parser *p, void *ctx)
{
	struct conf_global *g = global(p);
	struct conf_stmt s;

	(void)ctx;
	conf_read_item(p, &s);
	if (!conf_check_email(p, s.kw))
		return;
	if (s.nargs) {
		conf_perr(p, &s.arg[0], "unexpected '%s' after '%s' (one address per line)",
			  s.arg[0].text, s.kw->text);
		return;
	}
	g->notification_email =
	    conf_xgrow(g->notification_email, g->n_notification_email, sizeof(char *));
	g->notification_email[g->n_notification_email++] = conf_xstrdup(s.kw->text);
}

static void gk_email(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	conf_parse_list(p, s->kw, email_item, ctx);
}

static void gk_email_from(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	(void)ctx;
	if (conf_check_email(p, &s->arg[0]))
		strcpy(global(p)->email_from, s->arg[0].text);
}

/* smtp_server ADDRESS [PORT] */
static void gk_smtp_server(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	struct conf_global *g = global(p);
	unsigned long u;

	(void)ctx;
	g->has_smtp_server = false;
	if (addr_parse(s->arg[0].text, &g->smtp_server) < 0) {
		conf_perr(p, &s->arg[0], "smtp_server must be an IPv4 or IPv6 address, got '%s'",
			  s->arg[0].text);
		return;
	}
	g->smtp_port = 25;
	if (s->nargs > 1) {
		if (!conf_parse_uint(s->arg[1].text, 1, 65535, &u)) {
			conf_perr(p, &s->arg[1],
				  "smtp_server port must be a number from 1 to 65535, got '%s'",
				  s->arg[1].text);
			return;
		}
		g->smtp_port = (uint16_t)u;
	}
	g->has_smtp_server = true;
}

static void gk_smtp_timeout(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	unsigned long u;

	(void)ctx;
	if (conf_val_uint(p, s, 1, 3600, &u))
		global(p)->smtp_connect_timeout_ms = (uint32_t)u * 1000;
}

static void gk_smtp_helo(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	(void)ctx;
	if (!conf_host_name_ok(s->arg[0].text)) {
		conf_perr(p, &s->arg[0], "smtp_helo_name must be a host name, got '%s'",
			  s->arg[0].text);
		return;
	}
	strcpy(global(p)->smtp_helo_name, s->arg[0].text);
}

/* notify_fifo PATH [USER [GROUP]] (also spelt vrrp_notify_fifo) */
static void gk_notify_fifo(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	struct conf_global *g = global(p);
	struct conf_user fu;

	(void)ctx;
	if (s->arg[0].text[0] != '/' || strlen(s->arg[0].text) >= PATH_MAX) {
		conf_perr(p, &s->arg[0], "%s must be an absolute path, got '%s'", s->kw->text,
			  s->arg[0].text);
		return;
	}
	if (s->nargs > 1 &&
	    !conf_resolve_user(p, &s->arg[1], s->nargs > 2 ? &s->arg[2] : NULL, NULL, &fu))
		return;
	free(g->notify_fifo);
	g->notify_fifo = conf_xstrdup(s->arg[0].text);
	g->notify_fifo_has_user = s->nargs > 1;
	if (s->nargs > 1)
		g->notify_fifo_user = fu;
}

/* vrrp_strict [BOOL] */
static void gk_strict(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	bool b;

	(void)ctx;
	if (!conf_val_bool(p, s, &b))
		return;
	global(p)->vrrp_strict = b;
	p->r->gmeta.strict = b ? s->kw : NULL;
}

/* vrrp_mcast_group4 (arg AF_INET) / vrrp_mcast_group6 (arg AF_INET6) */
static void gk_mcast_group(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	struct conf_global *g = global(p);
	const struct conf_tok *t = &s->arg[0];
	bool v6 = s->def->arg == AF_INET6;
	struct vaddr a;

	(void)ctx;
	if (addr_parse(t->text, &a) < 0 || a.family != s->def->arg ||
	    (!v6 && !IN_MULTICAST(ntohl(a.u.v4.s_addr))) ||
	    (v6 && !IN6_IS_ADDR_MULTICAST(&a.u.v6))) {
		conf_perr(p, t, "%s must be an %s multicast address (%s), got '%s'", s->kw->text,
			  v6 ? "IPv6" : "IPv4", v6 ? "ff00::/8" : "224.0.0.0/4", t->text);
		return;
	}
	if (v6 && !IN6_IS_ADDR_MC_LINKLOCAL(&a.u.v6))
		conf_pwarn(p, t,
			   "vrrp_mcast_group6 %s is not a link-local group (ff02::/16); adverts "
			   "are meant for the link",
			   t->text);
	*(v6 ? &g->mcast_group6 : &g->mcast_group4) = a;
	*(v6 ? &g->has_mcast_group6 : &g->has_mcast_group4) = true;
}

/* vmac_prefix PREFIX: default VMAC names are PREFIX.VRID (and PREFIX6.VRID,
 * PREFIX1.VRID...), which must fit an interface name. */
static void gk_vmac_prefix(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	const struct conf_tok *t = &s->arg[0];
	char probe[64];

	(void)ctx;
	snprintf(probe, sizeof(probe), "%s99.255", t->text);
	if (strlen(t->text) > IFNAMSIZ - 7 || !conf_ifname_valid(probe) || strchr(t->text, '.')) {
		conf_perr(p, t,
			  "vmac_prefix must be 1 to %d characters of an interface name (no '/', "
			  "':', '.' or blanks), got '%s'",
			  IFNAMSIZ - 7, t->text);
		return;
	}
	p->r->gmeta.vmac_prefix = t;
}

static const struct conf_kw global_kw[] = {
    CONF_KW_NOT_IMPLEMENTED("bfd_cpu_affinity"),
    CONF_KW_NOT_IMPLEMENTED("bfd_no_swap"),
    CONF_KW_NOT_IMPLEMENTED("bfd_priority"),
    CONF_KW_NOT_IMPLEMENTED("bfd_process_name"),
    CONF_KW_NOT_IMPLEMENTED("bfd_rlimit_rtime"),
    CONF_KW_NOT_IMPLEMENTED("bfd_rt_priority"),
    CONF_KW_NOT_IMPLEMENTED("checker_cpu_affinity"),
    CONF_KW_NOT_IMPLEMENTED("checker_log_all_failures"),
    CONF_KW_NOT_IMPLEMENTED("checker_no_swap"),
    CONF_KW_NOT_IMPLEMENTED("checker_priority"),
    CONF_KW_NOT_IMPLEMENTED("checker_process_name"),
    CONF_KW_NOT_IMPLEMENTED("checker_rlimit_rtime"),
    CONF_KW_NOT_IMPLEMENTED("checker_rt_priority"),
    CONF_KW_NOT_IMPLEMENTED("data_use_instance"),
    CONF_KW_NOT_IMPLEMENTED("dbus_service_name"),
    CONF_KW_NOT_IMPLEMENTED("default_interface"),
    CONF_KW_NOT_IMPLEMENTED("dynamic_interfaces"),
    CONF_KW_NOT_IMPLEMENTED("email_faults"),
    CONF_KW_NOT_IMPLEMENTED("enable_dbus"),
    CONF_KW_ARGS("enable_script_security", 0, 0, "nothing", gk_script_security, 0),
    CONF_KW_NOT_IMPLEMENTED("enable_snmp_checker"),
    CONF_KW_NOT_IMPLEMENTED("enable_snmp_keepalived"),
    CONF_KW_NOT_IMPLEMENTED("enable_snmp_rfc"),
    CONF_KW_NOT_IMPLEMENTED("enable_snmp_rfcv2"),
    CONF_KW_NOT_IMPLEMENTED("enable_snmp_rfcv3"),
    CONF_KW_NOT_IMPLEMENTED("enable_snmp_vrrp"),
    CONF_KW_NOT_IMPLEMENTED("enable_traps"),
    CONF_KW_NOT_IMPLEMENTED("fifo_write_vrrp_states_on_reload"),
    CONF_KW_NOT_IMPLEMENTED("instance"),
    CONF_KW_NOT_IMPLEMENTED("linkbeat_use_polling"),
    CONF_KW_NOT_IMPLEMENTED("lvs_flush"),
    CONF_KW_NOT_IMPLEMENTED("lvs_flush_onstop"),
    CONF_KW_NOT_IMPLEMENTED("lvs_id"),
    CONF_KW_NOT_IMPLEMENTED("lvs_netlink_cmd_rcv_bufs"),
    CONF_KW_NOT_IMPLEMENTED("lvs_netlink_cmd_rcv_bufs_force"),
    CONF_KW_NOT_IMPLEMENTED("lvs_netlink_monitor_rcv_bufs"),
    CONF_KW_NOT_IMPLEMENTED("lvs_netlink_monitor_rcv_bufs_force"),
    CONF_KW_NOT_IMPLEMENTED("lvs_notify_fifo"),
    CONF_KW_NOT_IMPLEMENTED("lvs_notify_fifo_script"),
    CONF_KW_NOT_IMPLEMENTED("lvs_sync_daemon"),
    CONF_KW_NOT_IMPLEMENTED("lvs_timeouts"),
    CONF_KW_NOT_IMPLEMENTED("max_auto_priority"),
    CONF_KW_NOT_IMPLEMENTED("min_auto_priority_delay"),
    CONF_KW_NOT_IMPLEMENTED("namespace_with_ipsets"),
    CONF_KW_NOT_IMPLEMENTED("net_namespace"),
    CONF_KW_NOT_IMPLEMENTED("no_checker_emails"),
    CONF_KW_NOT_IMPLEMENTED("no_email_faults"),
    CONF_KW_BLOCK_OF("notification_email", CONF_KW_MULTI, gk_email, 0),
    CONF_KW_ARGS("notification_email_from", 1, 1, "an e-mail address", gk_email_from, 0),
    CONF_KW_ARGS("notify_fifo", 1, 3, "a path", gk_notify_fifo, 0),
    CONF_KW_NOT_IMPLEMENTED("notify_fifo_script"),
    CONF_KW_NOT_IMPLEMENTED("process_name"),
    CONF_KW_NOT_IMPLEMENTED("process_names"),
    CONF_KW_NOT_IMPLEMENTED("random_seed"),
    CONF_KW_NOT_IMPLEMENTED("reload_check_config"),
    CONF_KW_NOT_IMPLEMENTED("reload_file"),
    CONF_KW_NOT_IMPLEMENTED("reload_repeat"),
    CONF_KW_NOT_IMPLEMENTED("reload_time_file"),
    CONF_KW_ARGS("router_id", 1, 1, "a name", gk_router_id, 0),
    CONF_KW_NOT_IMPLEMENTED("script_rlimit_stack"),
    CONF_KW_ARGS("script_user", 1, 2, "a user name", gk_script_user, 0),
    CONF_KW_NOT_IMPLEMENTED("shutdown_script"),
    CONF_KW_NOT_IMPLEMENTED("shutdown_script_timeout"),
    CONF_KW_NOT_IMPLEMENTED("smtp_alert"),
    CONF_KW_NOT_IMPLEMENTED("smtp_alert_checker"),
    CONF_KW_NOT_IMPLEMENTED("smtp_alert_vrrp"),
    CONF_KW_ARGS("smtp_connect_timeout", 1, 1, "a number", gk_smtp_timeout, 0),
    CONF_KW_ARGS("smtp_helo_name", 1, 1, "a host name", gk_smtp_helo, 0),
    CONF_KW_ARGS("smtp_server", 1, 2, "an address", gk_smtp_server, 0),
    CONF_KW_NOT_IMPLEMENTED("snmp_socket"),
    CONF_KW_NOT_IMPLEMENTED("startup_script"),
    CONF_KW_NOT_IMPLEMENTED("startup_script_timeout"),
    CONF_KW_NOT_IMPLEMENTED("track_process_rcv_bufs"),
    CONF_KW_NOT_IMPLEMENTED("umask"),
    CONF_KW_NOT_IMPLEMENTED("use_pid_dir"),
    CONF_KW_NOT_IMPLEMENTED("vmac_addr_prefix"),
    CONF_KW_ARGS("vmac_prefix", 1, 1, "a name", gk_vmac_prefix, 0),
    CONF_KW_ARGS("vrrp_check_unicast_src", 0, 1, "nothing", gk_check_unicast_src, 0),
    CONF_KW_NOT_IMPLEMENTED("vrrp_cpu_affinity"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_dont_use_netlink_chunks"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_garp_extra_if"),
    CONF_KW_ARGS("vrrp_garp_interval", 1, 1, "a number of seconds", gk_garp, CONF_GARP_INTERVAL),
    CONF_KW_ARGS("vrrp_garp_lower_prio_delay", 1, 1, "a number of seconds", gk_garp,
		 CONF_GARP_LOWER_DELAY),
    CONF_KW_ARGS("vrrp_garp_lower_prio_repeat", 1, 1, "a number", gk_garp, CONF_GARP_LOWER_REPEAT),
    CONF_KW_ARGS("vrrp_garp_master_delay", 1, 1, "a number of seconds", gk_garp, CONF_GARP_DELAY),
    CONF_KW_ARGS("vrrp_garp_master_refresh", 1, 1, "a number of seconds", gk_garp,
		 CONF_GARP_REFRESH),
    CONF_KW_ARGS("vrrp_garp_master_refresh_repeat", 1, 1, "a number", gk_garp,
		 CONF_GARP_REFRESH_REPEAT),
    CONF_KW_ARGS("vrrp_garp_master_repeat", 1, 1, "a number", gk_garp, CONF_GARP_REPEAT),
    CONF_KW_ARGS("vrrp_gna_interval", 1, 1, "a number of seconds", gk_garp, CONF_GARP_NA_INTERVAL),
    CONF_KW_ARGS("vrrp_higher_prio_send_advert", 0, 1, "true or false", gk_hpsa, 0),
    CONF_KW_NOT_IMPLEMENTED("vrrp_ipsets"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_iptables"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_lower_prio_no_advert"),
    CONF_KW_ARGS("vrrp_mcast_group4", 1, 1, "a multicast address", gk_mcast_group, AF_INET),
    CONF_KW_ARGS("vrrp_mcast_group6", 1, 1, "a multicast address", gk_mcast_group, AF_INET6),
    CONF_KW_NOT_IMPLEMENTED("vrrp_min_garp"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_netlink_cmd_rcv_bufs"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_netlink_cmd_rcv_bufs_force"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_netlink_monitor_rcv_bufs"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_netlink_monitor_rcv_bufs_force"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_nftables"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_nftables_counters"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_nftables_ifindex"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_nftables_priority"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_no_swap"),
    {.name = "vrrp_notify_fifo",
     .min = 1,
     .max = 3,
     .what = "a path",
     .alias = "notify_fifo",
     .fn = gk_notify_fifo},
    CONF_KW_NOT_IMPLEMENTED("vrrp_notify_fifo_script"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_notify_priority_changes"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_owner_ignore_adverts"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_priority"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_process_name"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_rlimit_rtime"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_rt_priority"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_rx_bufs_multiplier"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_rx_bufs_policy"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_skip_check_adv_addr"),
    CONF_KW_NOT_IMPLEMENTED("vrrp_startup_delay"),
    CONF_KW_ARGS("vrrp_strict", 0, 1, "true or false", gk_strict, 0),
    CONF_KW_NOT_IMPLEMENTED("vrrp_track_process"),
    CONF_KW_ARGS("vrrp_version", 1, 1, "2 or 3", gk_vrrp_version, 0),
};

const struct conf_section conf_sec_global = {"global_defs", CONF_KW_TABLE(global_kw), NULL, NULL};

void conf_kw_global_defs(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	if (!p->global_seen)
		p->global_seen =
		    conf_xcalloc(conf_section_slots(&conf_sec_global), sizeof(*p->global_seen));
	conf_parse_section(p, s->kw, &conf_sec_global, ctx, p->global_seen);
}
