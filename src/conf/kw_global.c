/* conf_kw_global: the global_defs section.
 *
 * How: one handler per keyword of the table below; values go straight
 * into the config's struct conf_global (whose built-in defaults were set
 * before parsing), and what conf_finalize needs to know ("was router_id
 * written?") into the parse result's gmeta. The "given again" slots are
 * kept across all global_defs blocks of a file. */
#include <arpa/inet.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/kw.h"
#include "conf/values.h"

static struct conf_global *global(struct conf_parser *p)
{
	return &p->r->cfg->global;
}

/* linkbeat_use_polling: netlink link events carry the carrier state that
 * keepalived would poll for; nothing to change. */
static void gk_linkbeat(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	(void)p;
	(void)s;
	(void)ctx;
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

_Static_assert(CONF_GARP_KW_N <= sizeof(((struct conf_global_meta *)0)->garp_set),
	       "gmeta.garp_set holds every enum conf_garp_kw");

static void gk_garp(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	enum conf_garp_kw k = (enum conf_garp_kw)s->def->arg;

	(void)ctx;
	if (!conf_val_garp(p, s, k, &global(p)->garp))
		return;
	p->r->gmeta.garp_set[k] = true;
	if (k == CONF_GARP_LOWER_DELAY)
		p->r->gmeta.garp_lower_delay_set = true;
	else if (k == CONF_GARP_LOWER_REPEAT)
		p->r->gmeta.garp_lower_repeat_set = true;
}

/* Boolean keywords of global_defs ([BOOL], no argument = true);
 * vrrp_lower_prio_no_advert and v3_checksum_as_v2 are the default of the
 * instances' keywords of the same name (without vrrp_). */
enum {
	GK_MIN_GARP,
	GK_PRIO_CHANGES,
	GK_FIFO_ON_RELOAD,
	GK_NO_SWAP,
	GK_LOWER_PRIO_NO_ADVERT,
	GK_CSUM_AS_V2
};

static void gk_bool(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	struct conf_global *g = global(p);
	bool *out[] = {&g->min_garp,	  &g->notify_priority_changes, &g->fifo_states_on_reload,
		       &g->sched.no_swap, &g->lower_prio_no_advert,    &g->v3_checksum_as_v2};

	(void)ctx;
	conf_val_bool(p, s, out[s->def->arg]);
}

/* vrrp_startup_delay SECS (milliseconds) */
static void gk_startup_delay(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	uint64_t v;

	(void)ctx;
	if (!conf_val_secs(p, s, 3, 3600, &v))
		return;
	global(p)->startup_delay_ms = (uint32_t)v;
	if (v >= 60000)
		conf_pwarn(p, &s->arg[0],
			   "vrrp_startup_delay %s s is very long: no instance advertises or "
			   "takes a VIP before it is over",
			   s->arg[0].text);
}

/* vrrp_delay_after_boot SECS (milliseconds; keepalived: up to UINT_MAX µs) */
static void gk_delay_after_boot(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	uint64_t v;

	(void)ctx;
	if (conf_val_secs(p, s, 3, 4294, &v))
		global(p)->delay_after_boot_ms = (uint32_t)v;
}

/* A signed integer argument from MIN to MAX, named WHAT in the message. */
static bool gk_int(struct conf_parser *p, const struct conf_tok *t, const char *kw, long min,
		   long max, long *out)
{
	if (conf_parse_int(t->text, min, max, out))
		return true;
	conf_perr(p, t, "%s must be a number from %ld to %ld, got '%s'", kw, min, max, t->text);
	return false;
}

/* vrrp_rt_priority 1..99 */
static void gk_rt_priority(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	long v;

	(void)ctx;
	if (gk_int(p, &s->arg[0], s->kw->text, 1, CONF_RT_PRIO_MAX, &v))
		global(p)->sched.rt_priority = (int)v;
}

/* max_auto_priority [-1..99]: no argument = the highest */
static void gk_max_auto(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	long v = CONF_RT_PRIO_MAX;

	(void)ctx;
	if (s->nargs && !gk_int(p, &s->arg[0], s->kw->text, -1, CONF_RT_PRIO_MAX, &v))
		return;
	global(p)->sched.max_auto_priority = (int)v;
}

/* min_auto_priority_delay USECS (1..10000000) */
static void gk_min_auto_delay(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	unsigned long u;

	(void)ctx;
	if (conf_val_uint(p, s, 1, 10000000, &u))
		global(p)->sched.min_auto_delay_us = (uint32_t)u;
}

/* vrrp_rlimit_rttime USECS (also the old spelling vrrp_rlimit_rtime) */
static void gk_rlimit_rttime(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	unsigned long u;

	(void)ctx;
	if (!strcmp(s->kw->text, "vrrp_rlimit_rtime"))
		conf_pwarn(p, s->kw, "vrrp_rlimit_rtime is the old spelling of vrrp_rlimit_rttime");
	if (conf_val_uint(p, s, 2, UINT32_MAX, &u))
		global(p)->sched.rlimit_rttime_us = (uint32_t)u;
}

/* vrrp_priority -20..19 (nice) */
static void gk_nice(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	long v;

	(void)ctx;
	if (gk_int(p, &s->arg[0], s->kw->text, -20, 19, &v))
		global(p)->sched.nice = (int)v;
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

	bool missing = false;

	(void)ctx;
	/* the last one wins, also when it names a user that does not exist */
	p->r->gmeta.script_user_missing = NULL;
	g->script_user_set = false;
	if (conf_resolve_user(p, &s->arg[0], s->nargs > 1 ? &s->arg[1] : NULL,
			      "; the scripts and notify commands that would run as script_user "
			      "are disabled, as keepalived does",
			      &g->script_user, &missing))
		g->script_user_set = true;
	else if (missing)
		p->r->gmeta.script_user_missing = &s->arg[0];
}

static void gk_script_security(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	(void)ctx;
	conf_val_flag(p, s);
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

/* smtp_server ADDRESS|NAME [PORT]: a name is resolved when a mail goes
 * (ops/resolve.h), as keepalived resolves it too; one that is no host name
 * in RFC 1123 syntax is still tried, with a warning. */
static void gk_smtp_server(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	struct conf_global *g = global(p);
	const char *a = s->arg[0].text;
	unsigned long u;

	(void)ctx;
	g->has_smtp_server = false;
	g->smtp_server_name[0] = '\0';
	memset(&g->smtp_server, 0, sizeof(g->smtp_server));
	if (addr_parse(a, &g->smtp_server) < 0) {
		if (strlen(a) > HOSTRES_NAME_MAX) {
			conf_pwarn(p, &s->arg[0],
				   "smtp_server '%.40s...' is longer than a host name can be (%d "
				   "characters); no mail will be sent",
				   a, HOSTRES_NAME_MAX);
			return;
		}
		if (!hostres_name_ok(a))
			conf_pwarn(p, &s->arg[0],
				   "smtp_server '%s' is neither an address nor a host name in RFC "
				   "1123 syntax; vrrpd will still try to resolve it",
				   a);
		strcpy(g->smtp_server_name, a);
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
	    !conf_resolve_user(p, &s->arg[1], s->nargs > 2 ? &s->arg[2] : NULL, NULL, &fu, NULL))
		return;
	conf_xfree(g->notify_fifo);
	g->notify_fifo = conf_xstrdup(s->arg[0].text);
	g->notify_fifo_has_user = s->nargs > 1;
	if (s->nargs > 1)
		g->notify_fifo_user = fu;
}

/* fence_script CMD [USER [GROUP]]: the instances' default. */
static void gk_fence_script(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	(void)ctx;
	conf_kw_cmd(p, s, "global_defs", &global(p)->fence);
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

/* net_namespace NAME: a name `ip netns add` made (/run/netns/NAME). */
void conf_kw_net_namespace(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	const struct conf_tok *t = &s->arg[0];
	struct conf_global *g = global(p);
	size_t n = strlen(t->text);

	(void)ctx;
	if (!n || n >= sizeof(g->net_namespace) || strchr(t->text, '/') || !strcmp(t->text, ".") ||
	    !strcmp(t->text, "..")) {
		conf_perr(p, t,
			  "net_namespace must be the name of a namespace in /run/netns (1 to %zu "
			  "characters, no '/'), got '%s'",
			  sizeof(g->net_namespace) - 1, t->text);
		return;
	}
	if (g->net_namespace[0] && strcmp(g->net_namespace, t->text))
		conf_pwarn(p, t, "net_namespace given twice: '%s' replaces '%s'", t->text,
			   g->net_namespace);
	snprintf(g->net_namespace, sizeof(g->net_namespace), "%s", t->text);
}

static const struct conf_kw global_kw[] = {
    CONF_KW_NO_EFFECT_OF("bfd_cpu_affinity", "the BFD process"),
    CONF_KW_NO_EFFECT_OF("bfd_no_swap", "the BFD process"),
    CONF_KW_NO_EFFECT_OF("bfd_priority", "the BFD process"),
    CONF_KW_NO_EFFECT_OF("bfd_process_name", "the BFD process"),
    CONF_KW_NO_EFFECT_OF("bfd_rlimit_rtime", "the BFD process"),
    CONF_KW_NO_EFFECT_OF("bfd_rlimit_rttime", "the BFD process"),
    CONF_KW_NO_EFFECT_OF("bfd_rt_priority", "the BFD process"),
    CONF_KW_NO_EFFECT_OF("checker_cpu_affinity", "the LVS checker process"),
    CONF_KW_NO_EFFECT_OF("checker_log_all_failures", "LVS"),
    CONF_KW_NO_EFFECT_OF("checker_no_swap", "the LVS checker process"),
    CONF_KW_NO_EFFECT_OF("checker_priority", "the LVS checker process"),
    CONF_KW_NO_EFFECT_OF("checker_process_name", "the LVS checker process"),
    CONF_KW_NO_EFFECT_OF("checker_rlimit_rtime", "the LVS checker process"),
    CONF_KW_NO_EFFECT_OF("checker_rlimit_rttime", "the LVS checker process"),
    CONF_KW_NO_EFFECT_OF("checker_rt_priority", "the LVS checker process"),
    CONF_KW_NO_EFFECT_OF("config_save_dir", "keeps copies of the configuration"),
    CONF_KW_NO_EFFECT_OF("data_use_instance", "names of dump files"),
    CONF_KW_NO_EFFECT_OF("dbus_no_interface_name", "D-Bus"),
    CONF_KW_NO_EFFECT_OF("dbus_service_name", "D-Bus"),
    CONF_KW_NO_EFFECT_OF(
	"default_interface",
	"an interface for instances without one; vrrpd needs each instance to name its own"),
    CONF_KW_NO_EFFECT_OF("disable_local_igmp", "IGMP reports of the host"),
    CONF_KW_NO_EFFECT_OF("dynamic_interfaces",
			 "instances on interfaces that appear later; vrrpd always follows them"),
    CONF_KW_NO_EFFECT_OF("enable_dbus", "D-Bus"),
    CONF_KW_ARGS("enable_script_security", 0, 1, "nothing", gk_script_security, 0),
    CONF_KW_NO_EFFECT_OF("enable_snmp_checker", "SNMP"),
    CONF_KW_NO_EFFECT_OF("enable_snmp_keepalived", "SNMP"),
    CONF_KW_NO_EFFECT_OF("enable_snmp_rfc", "SNMP"),
    CONF_KW_NO_EFFECT_OF("enable_snmp_rfcv2", "SNMP"),
    CONF_KW_NO_EFFECT_OF("enable_snmp_rfcv3", "SNMP"),
    CONF_KW_NO_EFFECT_OF("enable_snmp_vrrp", "SNMP"),
    CONF_KW_NO_EFFECT_OF("enable_traps", "SNMP"),
    CONF_KW_ARGS("fence_script", 1, 3, "a command", gk_fence_script, 0),
    CONF_KW_ARGS("fifo_write_vrrp_states_on_reload", 0, 1, "true or false", gk_bool,
		 GK_FIFO_ON_RELOAD),
    CONF_KW_NO_EFFECT_OF("include_check", "checks included files on reload"),
    CONF_KW_NO_EFFECT_OF("instance", "names of pid and dump files"),
    CONF_KW_NO_EFFECT_OF("iproute_etc_dir", "iproute2's table and protocol names"),
    CONF_KW_NO_EFFECT_OF("iproute_usr_dir", "iproute2's table and protocol names"),
    CONF_KW_NO_EFFECT_OF("json_dump_file", "the JSON dump"),
    CONF_KW_NO_EFFECT_OF("json_version", "the JSON dump"),
    CONF_KW_ARGS("linkbeat_use_polling", 0, 0, "nothing", gk_linkbeat, 0),
    CONF_KW_NO_EFFECT_OF("log_unknown_vrids", "logs adverts for VRIDs not configured"),
    CONF_KW_NO_EFFECT_OF("lvs_flush", "LVS"),
    CONF_KW_NO_EFFECT_OF("lvs_flush_on_stop", "LVS"),
    CONF_KW_NO_EFFECT_OF("lvs_flush_onstop", "LVS"),
    CONF_KW_NO_EFFECT_OF("lvs_id", "LVS"),
    CONF_KW_NO_EFFECT_OF("lvs_netlink_cmd_rcv_bufs", "LVS"),
    CONF_KW_NO_EFFECT_OF("lvs_netlink_cmd_rcv_bufs_force", "LVS"),
    CONF_KW_NO_EFFECT_OF("lvs_netlink_monitor_rcv_bufs", "LVS"),
    CONF_KW_NO_EFFECT_OF("lvs_netlink_monitor_rcv_bufs_force", "LVS"),
    CONF_KW_NO_EFFECT_OF("lvs_notify_fifo", "LVS"),
    CONF_KW_NO_EFFECT_OF("lvs_notify_fifo_script", "LVS"),
    CONF_KW_NO_EFFECT_OF("lvs_process_name", "LVS"),
    CONF_KW_NO_EFFECT_OF("lvs_sync_daemon", "LVS"),
    CONF_KW_NO_EFFECT_OF("lvs_timeouts", "LVS"),
    CONF_KW_ARGS("max_auto_priority", 0, 1, "a number", gk_max_auto, 0),
    CONF_KW_ARGS("min_auto_priority_delay", 1, 1, "a number of microseconds", gk_min_auto_delay, 0),
    CONF_KW_NO_EFFECT_OF("namespace_with_ipsets", "ipsets in a network namespace"),
    CONF_KW_ARGS("net_namespace", 1, 1, "a network namespace name", conf_kw_net_namespace, 0),
    CONF_KW_NO_EFFECT_OF("nftables",
			 "firewall rules for no_accept; vrrpd keeps its own nftables table"),
    CONF_KW_NO_EFFECT_OF("nftables_counters", "firewall rule counters"),
    CONF_KW_NO_EFFECT_OF("nftables_ifindex",
			 "firewall rules for no_accept; vrrpd keeps its own nftables table"),
    CONF_KW_NO_EFFECT_OF("nftables_ipvs", "LVS"),
    CONF_KW_NO_EFFECT_OF("nftables_ipvs_priority", "LVS"),
    CONF_KW_NO_EFFECT_OF("nftables_ipvs_start_fwmark", "LVS"),
    CONF_KW_NO_EFFECT_OF("nftables_priority",
			 "firewall rules for no_accept; vrrpd keeps its own nftables table"),
    CONF_KW_NO_EFFECT_OF("no_checker_emails", "LVS"),
    CONF_KW_CHANGES_OF("no_email_faults", "no alert mail on FAULT"),
    CONF_KW_BLOCK_OF("notification_email", CONF_KW_MULTI, gk_email, 0),
    CONF_KW_ARGS("notification_email_from", 1, 1, "an e-mail address", gk_email_from, 0),
    CONF_KW_ARGS("notify_fifo", 1, 3, "a path", gk_notify_fifo, 0),
    CONF_KW_CHANGES_OF("notify_fifo_script", "a script reading the notify FIFO"),
    CONF_KW_NO_EFFECT_OF("process_monitor_rcv_bufs", "buffer of the process monitor"),
    CONF_KW_NO_EFFECT_OF("process_monitor_rcv_bufs_force", "buffer of the process monitor"),
    CONF_KW_NO_EFFECT_OF("process_name", "process names"),
    CONF_KW_NO_EFFECT_OF("process_names", "process names"),
    CONF_KW_NO_EFFECT_OF("random_seed", "a seed for tests"),
    CONF_KW_NO_EFFECT_OF("reload_check_config",
			 "checks the file before a reload; vrrpd always does"),
    CONF_KW_NO_EFFECT_OF("reload_file", "reload scheduling"),
    CONF_KW_NO_EFFECT_OF("reload_repeat", "reload scheduling"),
    CONF_KW_NO_EFFECT_OF("reload_time_file", "reload scheduling"),
    CONF_KW_ARGS("router_id", 1, 1, "a name", gk_router_id, 0),
    CONF_KW_NO_EFFECT_OF("rs_init_notifies", "LVS"),
    CONF_KW_ARGS("script_user", 1, 2, "a user name", gk_script_user, 0),
    CONF_KW_NO_EFFECT_OF("set_supplementary_groups", "scripts' supplementary groups"),
    CONF_KW_CHANGES_OF("shutdown_script", "a script run when keepalived stops"),
    CONF_KW_CHANGES_OF("shutdown_script_timeout", "a script run when keepalived stops"),
    CONF_KW_CHANGES_OF("smtp_alert", "alert mail from every instance and group by default"),
    CONF_KW_NO_EFFECT_OF("smtp_alert_checker", "LVS"),
    CONF_KW_CHANGES_OF("smtp_alert_vrrp", "alert mail from every instance and group by default"),
    CONF_KW_ARGS("smtp_connect_timeout", 1, 1, "a number", gk_smtp_timeout, 0),
    CONF_KW_ARGS("smtp_helo_name", 1, 1, "a host name", gk_smtp_helo, 0),
    CONF_KW_ARGS("smtp_server", 1, 2, "an address or a host name", gk_smtp_server, 0),
    CONF_KW_NO_EFFECT_OF("snmp_rs_stats_update_interval", "SNMP"),
    CONF_KW_NO_EFFECT_OF("snmp_socket", "SNMP"),
    CONF_KW_NO_EFFECT_OF("snmp_vs_stats_update_interval", "SNMP"),
    CONF_KW_CHANGES_OF("startup_script", "a script run before keepalived starts"),
    CONF_KW_CHANGES_OF("startup_script_timeout", "a script run before keepalived starts"),
    CONF_KW_NO_EFFECT_OF("state_dump_file", "the state dump"),
    CONF_KW_NO_EFFECT_OF("stats_dump_file", "the statistics dump"),
    CONF_KW_NO_EFFECT_OF("tmp_config_directory", "where keepalived copies the configuration"),
    CONF_KW_NO_EFFECT_OF("umask", "the mode of files keepalived creates"),
    CONF_KW_NO_EFFECT_OF("use_pid_dir", "where pid files go"),
    CONF_KW_NO_EFFECT_OF("use_symlink_paths", "how script paths are resolved"),
    CONF_KW_ARGS("v3_checksum_as_v2", 0, 1, "true or false", gk_bool, GK_CSUM_AS_V2),
    CONF_KW_NO_EFFECT_OF("vmac_addr_prefix",
			 "the MAC of use_vmac_addr, which vrrpd does not implement"),
    CONF_KW_ARGS("vmac_prefix", 1, 1, "a name", gk_vmac_prefix, 0),
    CONF_KW_ARGS("vrrp_check_unicast_src", 0, 1, "nothing", gk_check_unicast_src, 0),
    CONF_KW_NO_EFFECT_OF("vrrp_cpu_affinity", "process scheduling"),
    CONF_KW_ARGS("vrrp_delay_after_boot", 1, 1, "a number of seconds", gk_delay_after_boot, 0),
    CONF_KW_ARGS("vrrp_down_timer_adverts", 1, 1, "a number", conf_kw_vrrp_down_timer_adverts, 0),
    CONF_KW_CHANGES_OF("vrrp_garp_extra_if", "GARPs on the parent interface of a VMAC"),
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
    CONF_KW_NO_EFFECT_OF("vrrp_ipsets",
			 "firewall rules for no_accept; vrrpd keeps its own nftables table"),
    CONF_KW_NO_EFFECT_OF("vrrp_iptables",
			 "firewall rules for no_accept; vrrpd keeps its own nftables table"),
    CONF_KW_ARGS("vrrp_lower_prio_no_advert", 0, 1, "true or false", gk_bool,
		 GK_LOWER_PRIO_NO_ADVERT),
    CONF_KW_ARGS("vrrp_mcast_group4", 1, 1, "a multicast address", gk_mcast_group, AF_INET),
    CONF_KW_ARGS("vrrp_mcast_group6", 1, 1, "a multicast address", gk_mcast_group, AF_INET6),
    CONF_KW_ARGS("vrrp_min_garp", 0, 1, "true or false", gk_bool, GK_MIN_GARP),
    CONF_KW_NO_EFFECT_OF("vrrp_netlink_cmd_rcv_bufs", "netlink buffer sizes"),
    CONF_KW_NO_EFFECT_OF("vrrp_netlink_cmd_rcv_bufs_force", "netlink buffer sizes"),
    CONF_KW_NO_EFFECT_OF("vrrp_netlink_monitor_rcv_bufs", "netlink buffer sizes"),
    CONF_KW_NO_EFFECT_OF("vrrp_netlink_monitor_rcv_bufs_force", "netlink buffer sizes"),
    CONF_KW_ARGS("vrrp_no_swap", 0, 1, "true or false", gk_bool, GK_NO_SWAP),
    {.name = "vrrp_notify_fifo",
     .min = 1,
     .max = 3,
     .what = "a path",
     .alias = "notify_fifo",
     .fn = gk_notify_fifo},
    CONF_KW_CHANGES_OF("vrrp_notify_fifo_script", "a script reading the notify FIFO"),
    CONF_KW_ARGS("vrrp_notify_priority_changes", 0, 1, "true or false", gk_bool, GK_PRIO_CHANGES),
    CONF_KW_ARGS("vrrp_owner_ignore_adverts", 0, 1, "true or false", conf_kw_vrrp_owner_ignore, 0),
    CONF_KW_ARGS("vrrp_priority", 1, 1, "a number", gk_nice, 0),
    CONF_KW_NO_EFFECT_OF("vrrp_process_name", "process names"),
    {.name = "vrrp_rlimit_rtime",
     .min = 1,
     .max = 1,
     .what = "a number of microseconds",
     .alias = "vrrp_rlimit_rttime",
     .fn = gk_rlimit_rttime},
    CONF_KW_ARGS("vrrp_rlimit_rttime", 1, 1, "a number of microseconds", gk_rlimit_rttime, 0),
    CONF_KW_ARGS("vrrp_rt_priority", 1, 1, "a number", gk_rt_priority, 0),
    CONF_KW_NO_EFFECT_OF("vrrp_rx_bufs_multiplier", "socket buffer sizes"),
    CONF_KW_NO_EFFECT_OF("vrrp_rx_bufs_policy", "socket buffer sizes"),
    CONF_KW_NO_EFFECT_OF(
	"vrrp_skip_check_adv_addr",
	"accepts adverts whose address list differs; vrrpd always does (and logs)"),
    CONF_KW_ARGS("vrrp_startup_delay", 1, 1, "a number of seconds", gk_startup_delay, 0),
    CONF_KW_ARGS("vrrp_strict", 0, 1, "true or false", gk_strict, 0),
    CONF_KW_NO_EFFECT_OF("vrrp_track_process", "settings of the process monitor"),
    CONF_KW_ARGS("vrrp_version", 1, 1, "2 or 3", gk_vrrp_version, 0),
    CONF_KW_CHANGES_OF("vrrp_vmac_garp_intvl", "GARPs on the parent interface of a VMAC"),
};

const struct conf_section conf_sec_global = {"global_defs", CONF_KW_TABLE(global_kw), NULL, NULL};

void conf_kw_global_defs(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	if (!p->global_seen)
		p->global_seen =
		    conf_xcalloc(conf_section_slots(&conf_sec_global), sizeof(*p->global_seen));
	conf_parse_section(p, s->kw, &conf_sec_global, ctx, p->global_seen);
}
