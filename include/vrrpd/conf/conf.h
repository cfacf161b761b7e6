/* conf: the configuration model, loaded from keepalived's grammar.
 *
 * Promises: conf_load() parses a file (with its includes) into an immutable
 * struct config, applying defaults and validating values. Every problem is
 * reported as "FILE:LINE:COL: MESSAGE" (errors) or
 * "FILE:LINE:COL: warning: MESSAGE" (keywords vrrpd does not implement, which
 * are skipped with their blocks). A file with any error yields no config.
 * References are resolved: every track_script names a defined vrrp_script
 * (an undefined one is an error, where keepalived only warns), every sync
 * group member a defined instance, in one group at most. Every script and
 * notify command has a user (never root unless configured) and its command
 * line passed script_parse(). Pure apart from reading the files and the
 * user/group database; no global state. */
#ifndef VRRPD_CONF_H
#define VRRPD_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "core/addr.h"
#include "core/hcheck.h"
#include "core/hostres.h"
#include "core/route.h"
#include "core/script.h"
#include "core/track_proc.h"

#define CONF_DEFAULT_PATH "/etc/vrrpd/vrrpd.conf"
#define CONF_NAME_MAX	  64

enum conf_state { CONF_STATE_BACKUP = 0, CONF_STATE_MASTER = 1 };
enum conf_auth { CONF_AUTH_NONE = 0, CONF_AUTH_PASS = 1 };

/* Gratuitous ARP timing (keepalived's garp_* keywords). */
struct conf_garp {
	uint32_t master_delay_ms;   /* garp_master_delay SECS: second burst after becoming master;
				       default 5 s, 0 = none */
	uint32_t master_repeat;	    /* garp_master_repeat N: GARPs per burst; default 5 */
	uint32_t master_refresh_ms; /* garp_master_refresh SECS: periodic burst while master;
				       default 0 = off */
	uint32_t master_refresh_repeat; /* garp_master_refresh_repeat N; default 1 */
	uint32_t interval_us;	 /* garp_interval SECS (fractional): gap between GARPs of a burst;
				    default 0 */
	uint32_t na_interval_us; /* gna_interval SECS: the same for unsolicited NAs (IPv6
				    addresses); default 0 */
	/* garp_lower_prio_delay SECS / garp_lower_prio_repeat N: a Master that
	 * hears a lower-priority advert sends LOWER_REPEAT rounds at once and
	 * again after LOWER_DELAY (0 = no second burst). Defaults, as
	 * keepalived's: global_defs' vrrp_garp_lower_prio_*, which default to
	 * vrrp_garp_master_delay / _repeat; 0 repeats in strict mode. */
	uint32_t lower_delay_ms;
	uint32_t lower_repeat; /* 0 = off */
};

/* How the daemon's process is scheduled (keepalived's vrrp_rt_priority,
 * vrrp_rlimit_rttime, max_auto_priority, min_auto_priority_delay,
 * vrrp_priority, vrrp_no_swap). Scripts and notify commands never inherit
 * it (SCHED_RESET_ON_FORK). */
#define CONF_RT_PRIO_MAX 99 /* sched_get_priority_max(SCHED_RR) on Linux */
struct conf_sched {
	int rt_priority;	    /* SCHED_RR at 1..99; 0 = not real-time (the default) */
	int max_auto_priority;	    /* raise to SCHED_RR up to this when late; 0, -1 = never */
	uint32_t min_auto_delay_us; /* how late counts as late; default 1 s */
	uint32_t rlimit_rttime_us;  /* RLIMIT_RTTIME hard limit while real-time; default 10 ms */
	int nice;		    /* vrrp_priority -20..19; 0 = unchanged */
	bool no_swap;		    /* mlockall */
};

/* Who runs a script or notify command ("user USER [GROUP]", script_user).
 * After loading, every command has one: its own, else global_defs'
 * script_user, else the user keepalived_script if it exists, else nobody
 * (never root unless configured). */
struct conf_user {
	char name[CONF_NAME_MAX];  /* as written (or the default's name) */
	char group[CONF_NAME_MAX]; /* as written; empty = the user's primary group */
	uid_t uid;
	gid_t gid;
};

/* A command line: run as described in script.h (shell only when needed). */
struct conf_cmd {
	char *line;	      /* NULL = not configured; owned */
	struct script_cmd sc; /* line, parsed once at load (core/script.h); owned */
	bool has_user;	      /* "notify_* CMD USER [GROUP]": its own user */
	struct conf_user user;
};

#define CONF_SCRIPT_WEIGHT_MAX 253 /* vrrp_script weight: -253..253 */
#define CONF_TRACK_WEIGHT_MAX  254 /* track_script / track_interface weight: -254..254 */

/* A built-in check of vrrp_check NAME { } (vrrpd's own; keepalived has
 * none on the VRRP side): run in the event loop, no process. */
enum conf_check_kind {
	CONF_CHECK_NONE,  /* a vrrp_script: the command runs */
	CONF_CHECK_TCP,	  /* tcp ADDRESS PORT: a connect */
	CONF_CHECK_HTTP,  /* http URL [status N] [body STRING]: a GET */
	CONF_CHECK_ICMP,  /* icmp ADDRESS: an echo request answered */
	CONF_CHECK_HTTPS, /* https URL [status N] [body STRING]: a GET over TLS */
	CONF_CHECK_MYSQL, /* mysql { } (or mariadb { }): a login and a query */
};

/* An https check's TLS settings (conf/kw_tls.c). The context is built once,
 * when the configuration is loaded, and freed with it (conf_free): a run
 * only makes an SSL of it. */
#define CONF_TLS_NAME_MAX 254 /* a DNS name, 253 characters at most */
struct ssl_ctx_st;
struct conf_tls {
	bool verify;		     /* verify on|off; default on */
	char *ca_file;		     /* owned; NULL: the system's CA store */
	char *cert_file, *key_file;  /* owned; a client certificate (mutual TLS) */
	char sni[CONF_TLS_NAME_MAX]; /* "" = no SNI; the name verified when set */
	struct ssl_ctx_st *ctx;	     /* owned; built at load */
};

/* mysql { } of a vrrp_check: where (conf_check.addr and port, or a unix
 * socket), who, and what is asked. */
struct conf_mysql {
	char socket[HCHECK_MYSQL_SOCK_MAX]; /* a unix socket; "" = TCP to addr:port */
	char user[HCHECK_MYSQL_USER_MAX];
	char password[HCHECK_MYSQL_PASS_MAX]; /* "" = none */
	char password_file[256];	      /* where password was read; "" = written inline */
	char database[HCHECK_MYSQL_DB_MAX];   /* "" = none */
	char query[HCHECK_MYSQL_QUERY_MAX];   /* default "SELECT 1"; "" = none (lag only) */
	bool lag;			      /* max_replication_lag written */
	uint32_t max_lag;		      /* seconds */
};

struct conf_check {
	enum conf_check_kind kind;
	struct vaddr addr;	    /* tcp, icmp, mysql (host); http: url.addr */
	uint16_t port;		    /* tcp, mysql (default 3306) */
	struct hcheck_url url;	    /* http */
	unsigned status;	    /* http: the status expected, default 200 */
	char body[HCHECK_BODY_MAX]; /* http: a substring the body must hold; "" = none */
	struct conf_tls tls;	    /* https */
	struct conf_mysql my;	    /* mysql */
};

/* vrrp_script NAME { }, and vrrp_check NAME { } (then check.kind is set and
 * cmd is empty): both are tracked by track_script { NAME }. */
struct conf_script {
	char name[CONF_NAME_MAX];
	const char *file; /* points into config's string pool */
	int line;
	struct conf_cmd cmd;	 /* "script"; required; cmd.has_user = "user" given */
	uint32_t interval_ms;	 /* default 1000; 0.001..86400 s */
	uint32_t timeout_ms;	 /* default = interval; 0.001..86400 s */
	int weight;		 /* -253..253, default 0 (0: failure = FAULT) */
	bool weight_reverse;	 /* "weight N reverse" */
	uint32_t rise, fall;	 /* 1..65535, default 1 */
	bool init_fail;		 /* start in the failed state */
	struct conf_check check; /* vrrp_check: what it does; kind NONE for a vrrp_script */
};

/* An entry of track_script { }, and also of track_process { } and
 * track_file { } (then `script` indexes config.procs / config.tfiles). */
struct conf_track_script {
	char name[CONF_NAME_MAX];
	size_t script;	 /* index into config.scripts (procs, tfiles) */
	bool weight_set; /* "weight" written here; else weight/reverse are the script's */
	int weight;	 /* effective: this entry's if set, else the script's */
	bool reverse;
	bool gateway; /* from track_gateway { }: weight 0, FAULT when every gateway is down */
};

/* vrrp_track_process NAME { } (keepalived's spelling; also track_process
 * at the top level). */
struct conf_track_process {
	char name[CONF_NAME_MAX];
	const char *file; /* points into config's string pool */
	int line;
	char *process;		/* "process NAME [PARAM...]": the name or argv[0]; owned */
	char *params;		/* the parameters, each followed by a NUL; NULL = none; owned */
	size_t params_len;	/* bytes of params */
	enum tproc_match match; /* param_match: none (unless parameters: exact), initial, partial */
	bool full_command; /* compare the command line (full_command, parameters, param_match) */
	int weight;	   /* -254..254, default 0 (0: quorum lost = FAULT) */
	bool weight_reverse;
	uint32_t quorum;     /* 1..65535, default 1 (0 when quorum_max is 0) */
	uint32_t quorum_max; /* 0..65535, default UINT32_MAX (no limit) */
	uint32_t fork_delay_us, terminate_delay_us; /* fork_delay, terminate_delay, delay */
};

/* track_file NAME { } (vrrp_track_file is keepalived's older spelling). */
struct conf_track_file {
	char name[CONF_NAME_MAX];
	const char *file; /* points into config's string pool */
	int line;
	char *path;	     /* "file PATH"; required; owned */
	int weight;	     /* -254..254, default 1 */
	bool weight_reverse; /* "weight N reverse" */
	bool init;	     /* init_file: write init_value at start when the file is missing... */
	bool init_overwrite; /* ... or always, with "overwrite" */
	long long init_value;
};

struct conf_track_if {
	char ifname[IFNAMSIZ];
	int weight; /* -254..254, default 0 (0: down = FAULT) */
	bool reverse;
};

/* notify_* commands and smtp_alert of an instance or a sync group. */
struct conf_notify {
	struct conf_cmd master, backup, fault, stop;
	struct conf_cmd any; /* "notify": called with TYPE NAME STATE PRIORITY */
	/* notify_master_rx_lower_pri (instances only): run, without arguments,
	 * when a Master hears a lower-priority advert (at most once per half
	 * advert interval); the FIFO gets "INSTANCE NAME MASTER_RX_LOWER_PRI P". */
	struct conf_cmd master_rx_lower;
	/* Instances only. notify_conflict: run with NAME KIND PEER start|end
	 * when a split-brain conflict starts / ends (core/conflict.h). */
	struct conf_cmd conflict;
	/* Instances only. fence_script: run with the peer's address once per
	 * conflict, at its start (the operator's STONITH); default
	 * global_defs' fence_script. */
	struct conf_cmd fence;
	bool smtp_alert; /* default false */
	/* Instances only. notify_deleted [CMD]: an instance a reload removes is
	 * notified as DELETED (running CMD, when given) instead of FAULT. */
	bool deleted;
	struct conf_cmd del;
	/* notify_priority_changes: the FIFO gets MASTER_PRIORITY / BACKUP_PRIORITY
	 * lines when the effective priority changes; default global_defs'
	 * vrrp_notify_priority_changes. */
	bool priority_changes;
};

struct conf_instance {
	char name[CONF_NAME_MAX];
	const char
	    *file; /* where the block starts, for messages; points into config's string pool */
	int line;

	enum conf_state state;	/* initial-state hint; default BACKUP */
	char ifname[IFNAMSIZ];	/* required */
	uint8_t vrid;		/* required, 1..255 */
	uint8_t priority;	/* 1..255, default 100; 255 = address owner */
	uint32_t advert_int_cs; /* centiseconds; default 100. v2: whole seconds only (multiple of
				   100), v3: 1..4095 */
	uint8_t version;	/* 2 or 3; default global vrrp_version, else 2 */
	uint8_t family;		/* AF_INET or AF_INET6, from the VIPs (all must agree) */
	bool nopreempt;
	uint32_t preempt_delay_ms; /* 0..1000 s */
	enum conf_auth auth_type;  /* v2 only */
	char auth_pass[9];	   /* up to 8 chars, NUL-terminated */
	bool v3_checksum_as_v2; /* v3 over IPv4: checksum without pseudo-header (RFC 9568 form) */
	bool lower_prio_no_advert; /* don't re-advertise at once on hearing a lower priority */

	/* Virtual MAC (use_vmac [NAME], vmac_xmit_base): VIPs live on a macvlan
	 * with 00:00:5e:00:01:VRID (IPv6 ...:02:VRID), named vmac_name. As in
	 * keepalived, the default name is "PREFIX.VRID" (PREFIX: global_defs'
	 * vmac_prefix, default "vrrp") for both families; when another
	 * instance's VMAC or interface has that name, an IPv6 instance takes
	 * "PREFIX6.VRID", then (either family) "PREFIX1.VRID", "PREFIX2.VRID"...
	 * Always filled when use_vmac is on; unique among the instances and
	 * never an instance's interface. */
	bool use_vmac;
	char vmac_name[IFNAMSIZ];
	bool vmac_xmit_base; /* adverts go out of the parent interface, not the VMAC */
	/* Accept_Mode (conformance 56): true = a non-owner master accepts packets
	 * addressed to its VIPs (keepalived's default, "accept"); false with
	 * "no_accept", or in strict mode unless "accept" is written. Stored as
	 * configured: an address owner (priority 255) accepts whatever it says. */
	bool accept_mode;
	/* Strict mode: the instance's strict_mode, else global_defs' vrrp_strict.
	 * Its rules were applied by conf_load (see vrrpd.conf(5)); the daemon's
	 * part: an address owner ignores adverts. */
	bool strict_mode;
	/* Where adverts go and which group the instance joins: mcast_dst_ip,
	 * else global_defs' vrrp_mcast_group4/6 of the instance's family; false
	 * = 224.0.0.18 / ff02::12 (also when one of those is written). Never set
	 * with unicast peers. */
	bool has_mcast_dst;
	struct vaddr mcast_dst;
	struct vroute *vroutes; /* virtual_routes { }: installed while master */
	size_t n_vroutes;
	struct vrule *vrules; /* virtual_rules { } */
	size_t n_vrules;

	struct vip *vips; /* virtual_ipaddress, then virtual_ipaddress_excluded */
	size_t n_vips;

	/* heartbeat_path { } (vrrpd's own; keepalived has none): a second
	 * path for the adverts. Every advert also goes out there (multicast on
	 * hb_ifname to the instance's group, or unicast to hb_peers, out of
	 * hb_ifname or, when that is empty, the instance's interface), and an
	 * advert for the VRID heard on either path keeps the master alive.
	 * VIPs, GARPs and the virtual MAC stay on the instance's interface.
	 * The source is hb_src, else hb_ifname's primary IPv4 / link-local
	 * IPv6 address, else the instance's own source. */
	bool has_hb;
	char hb_ifname[IFNAMSIZ]; /* empty: hb_peers over the instance's interface */
	bool hb_has_src;
	struct vaddr hb_src;
	struct vaddr *hb_peers; /* empty: multicast on hb_ifname */
	size_t n_hb_peers;
	bool has_unicast_src;
	struct vaddr unicast_src;
	struct vaddr *peers; /* unicast_peer { }; empty = multicast */
	size_t n_peers;
	/* check_unicast_src is always on: with peers, an advert from any other
	 * source is dropped (PKT_DROP_NOT_PEER). unicast_ttl: the TTL / hop
	 * limit of unicast adverts, default 255; below 255 the peers are taken
	 * to be routed hops away and their adverts are accepted with any TTL.
	 * unicast_fault_no_peer: no peers means FAULT, not multicast. */
	uint8_t unicast_ttl;
	bool unicast_fault_no_peer;
	/* higher_prio_send_advert: a Master that yields sends one advert first.
	 * Default: global_defs' vrrp_higher_prio_send_advert, else on (vrrpd;
	 * keepalived: off), off in strict mode. */
	bool higher_prio_send_advert;
	/* down_timer_adverts: Master_Down_Interval is this many
	 * Master_Adver_Intervals plus Skew_Time; 1..100, default global_defs'
	 * vrrp_down_timer_adverts, else 3 (the RFC's); only 3 in strict mode. */
	uint8_t down_timer_adverts;
	/* owner_ignore_adverts: an address owner (priority 255) drops the
	 * adverts it receives. Default global_defs' vrrp_owner_ignore_adverts,
	 * on in strict mode; always false below priority 255 (keepalived). */
	bool owner_ignore_adverts;
	/* track_src_ip: FAULT while unicast_src_ip (or mcast_src_ip) is not on
	 * the instance's interface. Only with one of those written, as in
	 * keepalived (without, the interface's own address going away is a
	 * FAULT anyway). */
	bool track_src_ip;
	/* timer_expired_backup [H] (old name thread_timer_expired): with
	 * nopreempt, a master whose timers ran so late that a backup of
	 * priority H (default 254) would have taken over goes to BACKUP. 0 =
	 * off, also without nopreempt (keepalived resets it). */
	uint8_t expired_backup_prio;
	/* old_unicast_checksum [never]: how a VRRPv3 unicast IPv4 advert's
	 * checksum takes its pseudo-header destination. keepalived before 1.3.6
	 * used the multicast group (global_defs' vrrp_mcast_group4, else
	 * 224.0.0.18) instead of the peer's address. AUTO (the default, as in
	 * keepalived): the right form, until an advert that checks only in the
	 * old form arrives; then the old form both ways. OLD: the old form
	 * always. NEVER: the right form only. */
	enum conf_old_csum {
		CONF_OLD_CSUM_AUTO = 0,
		CONF_OLD_CSUM_OLD,
		CONF_OLD_CSUM_NEVER
	} old_csum;

	struct conf_garp garp;

	struct conf_track_script *track_scripts; /* track_script { } */
	size_t n_track_scripts;
	struct conf_track_if *track_ifs; /* track_interface { } */
	size_t n_track_ifs;
	struct conf_track_script *track_procs; /* track_process { } */
	size_t n_track_procs;
	struct conf_track_script *track_files; /* track_file { } */
	size_t n_track_files;
	bool dont_track_primary; /* the instance's own interface going down is no FAULT */
	struct conf_notify notify;
	char sync_group[CONF_NAME_MAX]; /* the vrrp_sync_group it belongs to; empty = none */
	long sync_group_idx;		/* index into config.groups, -1 = none */
};

struct conf_sync_group {
	char name[CONF_NAME_MAX];
	const char *file; /* points into config's string pool */
	int line;
	size_t *members; /* indices into config.inst, in the order written */
	size_t n_members;
	struct conf_track_script *track_scripts;
	size_t n_track_scripts;
	struct conf_track_if *track_ifs;
	size_t n_track_ifs;
	struct conf_track_script *track_procs;
	size_t n_track_procs;
	struct conf_track_script *track_files;
	size_t n_track_files;
	struct conf_notify notify;
	/* sync_group_tracking_weight (or global_tracking, its old name): the
	 * members' own tracking keeps its weights (see src/conf/check_sync.c). */
	bool tracking_weight;
};

/* A line of interface_up_down_delays { IFNAME DOWN [UP] }: a change of the
 * interface's link is acted on (FAULT in or out, track_interface) only once
 * it has lasted this long. */
struct conf_if_delay {
	char ifname[IFNAMSIZ];
	uint32_t down_us, up_us; /* 0..255 s; UP omitted = 0, as keepalived's code */
};

struct conf_global {
	char router_id[CONF_NAME_MAX]; /* default: hostname */
	/* net_namespace NAME (global_defs or top level): vrrpd enters
	 * /run/netns/NAME at start, before any socket; "" = where it runs. */
	char net_namespace[CONF_NAME_MAX];
	uint8_t vrrp_version;	      /* default 2 */
	struct conf_garp garp;	      /* vrrp_garp_* defaults for instances */
	bool higher_prio_send_advert; /* vrrp_higher_prio_send_advert; default true */
	bool vrrp_strict;	      /* vrrp_strict: RFC-strict (no_accept by default, ...); see
					 conf_instance.strict_mode */
	/* vrrp_mcast_group4/6 as written (already applied to the instances'
	 * mcast_dst; false = not written, 224.0.0.18 / ff02::12). */
	bool has_mcast_group4, has_mcast_group6;
	struct vaddr mcast_group4, mcast_group6;
	/* static_ipaddress / static_routes / static_rules: installed at start,
	 * kept while vrrpd runs, whatever the instances' states. */
	struct vip *static_addrs;
	size_t n_static_addrs;
	struct vroute *static_routes;
	size_t n_static_routes;
	struct vrule *static_rules;
	size_t n_static_rules;

	bool lower_prio_no_advert;	 /* vrrp_lower_prio_no_advert: the instances' default */
	uint8_t down_timer_adverts;	 /* vrrp_down_timer_adverts: the instances' default, 3 */
	struct conf_if_delay *if_delays; /* interface_up_down_delays, one per interface */
	size_t n_if_delays;
	bool owner_ignore_adverts;    /* vrrp_owner_ignore_adverts: the instances' default */
	bool v3_checksum_as_v2;	      /* v3_checksum_as_v2 in global_defs: the instances' default */
	bool script_user_set;	      /* script_user given */
	struct conf_user script_user; /* effective default user of scripts */
	bool script_user_unused;      /* not looked up: nothing runs as it */
	bool script_security;	      /* enable_script_security */
	char **notification_email;    /* recipients; owned */
	size_t n_notification_email;
	char email_from[256]; /* notification_email_from; default vrrpd@HOSTNAME */
	bool has_smtp_server;
	struct vaddr smtp_server;		     /* an IPv4 or IPv6 address, when no name */
	char smtp_server_name[HOSTRES_NAME_MAX + 1]; /* a host name, resolved when a mail
							goes (ops/resolve.h); "" = address */
	uint16_t smtp_port;			     /* default 25 */
	uint32_t smtp_connect_timeout_ms;	     /* default 30 s; 1..3600 s */
	char smtp_helo_name[256];		     /* default: the host name */
	char *notify_fifo; /* notify_fifo / vrrp_notify_fifo PATH; NULL = none; owned */
	bool notify_fifo_has_user;
	struct conf_user notify_fifo_user; /* owner of a FIFO vrrpd creates */
	bool notify_priority_changes; /* vrrp_notify_priority_changes: the instances' default */
	bool fifo_states_on_reload;   /* fifo_write_vrrp_states_on_reload */
	uint32_t startup_delay_ms;    /* vrrp_startup_delay: instances start this late; 0 = none */
	/* vrrp_delay_after_boot: the instances start no sooner than this long
	 * after the host booted (conf_startup_hold_ms); 0 = none. */
	uint32_t delay_after_boot_ms;
	bool min_garp; /* vrrp_min_garp: applied to garp's defaults (one GARP, no second burst) */
	struct conf_sched sched; /* how the VRRP process is scheduled */
	struct conf_cmd fence;	 /* fence_script: the instances' default (copied into them) */
};

/* A keyword of keepalived's that was accepted but not applied (one entry per
 * section and keyword, in the order first written), for vrrpd -t's summary. */
struct conf_ignored {
	const char *name;    /* the keyword or option; static */
	const char *section; /* "global_defs", "vrrp_instance", "virtual_ipaddress"...; static */
	const char *why;     /* what keepalived does with it; static, may be NULL */
	bool changes;	     /* skipping it changes behaviour (else: no effect) */
	char where[96];	     /* FILE:LINE of the first one */
	unsigned count;	     /* how many times it was written */
};

struct config {
	struct conf_global global;
	struct conf_instance *inst;
	size_t n_inst;
	struct conf_script *scripts; /* vrrp_script, in the order written */
	size_t n_scripts;
	struct conf_sync_group *groups; /* vrrp_sync_group */
	size_t n_groups;
	struct conf_ignored *ignored; /* accepted, not applied */
	size_t n_ignored;
	struct conf_track_process *procs; /* vrrp_track_process, in the order written */
	size_t n_procs;
	struct conf_track_file *tfiles; /* track_file, in the order written */
	size_t n_tfiles;
	char *strings; /* pool holding file names referenced by instances */
	size_t strings_len;
	/* Set when the whole config lives in this arena (a reload child loaded
	 * it; conf/arena.h): conf_free unmaps it. NULL: malloc'd piece by piece. */
	struct conf_arena *arena;
};

/* Messages produced while loading; each a full line without newline. */
struct conf_msgs {
	char **v;
	size_t n;
	int errors;
	int warnings;
};

/* Loads PATH. Returns a config, or NULL when there was any error (msgs says
 * which). msgs may be NULL. */
struct config *conf_load(const char *path, struct conf_msgs *msgs);
/* conf_load() on an in-memory buffer named NAME (includes are relative to
 * NAME's directory). For tests and fuzzing. */
struct config *conf_load_buffer(const char *name, const char *buf, size_t len,
				struct conf_msgs *msgs);
/* The same for the configuration id CONFIG_ID (keepalived's -i /
 * --config-id), which chooses the "@ID" lines and is ${_INSTANCE}; NULL is
 * the default, the host name up to its first '.'. conf_load() is
 * conf_load_id(path, NULL, msgs). */
#define CONF_CONFIG_ID_MAX 255
struct config *conf_load_id(const char *path, const char *config_id, struct conf_msgs *msgs);
struct config *conf_load_buffer_id(const char *name, const char *config_id, const char *buf,
				   size_t len, struct conf_msgs *msgs);
void conf_free(struct config *c);
/* conf_free in bounded shares, for a loop that must not stop long: each
 * call frees the pieces of at most N instances of a malloc'd config (the
 * rest at the last call), or unmaps at most N * 16 KiB of an arena's
 * (conf/arena.h: a munmap costs what the pages written cost). *AT is 0 at
 * the first call; C must not be used after it. Returns true when all of C
 * is gone. */
bool conf_free_some(struct config *c, size_t *at, size_t n);
void conf_msgs_free(struct conf_msgs *m);
/* Prints the loaded configuration, every parameter with its effective value
 * (used by vrrpd -t). */
void conf_dump(const struct config *c, FILE *out);
/* A fingerprint of instance IN of C: the hash (core/handover) of its dump
 * without the first line (which names the file and line, so that moving a
 * block is no change). Equal fingerprints: nothing conf_dump shows of the
 * instance changed (vrrpctl restart resumes only such instances). Returns
 * 0 when out of memory. */
uint64_t conf_instance_fingerprint(const struct config *c, const struct conf_instance *in);
/* Prints vrrpd -t's closing summary: what was loaded (instances, addresses,
 * trackers) and every keyword accepted but not applied, grouped as "no
 * effect" and "changes behaviour". */
void conf_summary(const struct config *c, FILE *out);
/* Finds an instance by name, or NULL. */
const struct conf_instance *conf_find(const struct config *c, const char *name);
/* True when two instances are the same as far as the protocol is concerned
 * (everything but file/line). Used by reload. Tracking and notify settings
 * count (by script name and effective weight; the scripts themselves are
 * compared with conf_script_equal()). */
bool conf_instance_equal(const struct conf_instance *a, const struct conf_instance *b);
/* The same heartbeat_path (or none in both). A changed one restarts the
 * instance (conf_diff): it is where the instance talks. */
bool conf_hb_equal(const struct conf_instance *a, const struct conf_instance *b);
/* Finds a vrrp_script / vrrp_sync_group by name, or NULL. */
const struct conf_script *conf_find_script(const struct config *c, const char *name);
const struct conf_sync_group *conf_find_group(const struct config *c, const char *name);
/* How long the instances wait when vrrpd starts, UPTIME_MS after the host
 * booted: vrrp_startup_delay, or what is left of vrrp_delay_after_boot,
 * whichever is longer (keepalived's rule). */
uint32_t conf_startup_hold_ms(const struct conf_global *g, uint64_t uptime_ms);
/* True when two vrrp_track_process / two track_file are the same but for
 * file/line. */
bool conf_tproc_equal(const struct conf_track_process *a, const struct conf_track_process *b);
bool conf_tfile_equal(const struct conf_track_file *a, const struct conf_track_file *b);
/* True when two vrrp_scripts are the same but for file/line. */
bool conf_script_equal(const struct conf_script *a, const struct conf_script *b);
/* True when two sync groups have the same name, members (by name), tracking
 * and notify settings. */
bool conf_group_equal(const struct config *ca, const struct conf_sync_group *a,
		      const struct config *cb, const struct conf_sync_group *b);
/* True when VIP a of instance ia and VIP b of instance ib are the same
 * address with the same options on the same device. */
bool conf_vip_equal(const struct conf_instance *ia, const struct vip *a,
		    const struct conf_instance *ib, const struct vip *b);
/* True when two routes / two rules are the same in every field (as
 * written: a route without "dev" is not the same as one with the
 * instance's interface written out). */
bool conf_route_equal(const struct vroute *a, const struct vroute *b);
bool conf_rule_equal(const struct vrule *a, const struct vrule *b);

#endif
