/* internal: what the files of src/daemon/ share. Not an interface for
 * anything outside src/daemon/.
 *
 * The daemon is the wiring: it owns the event loop, the interfaces and the
 * runtime instances (struct vr, one per vrrp_instance), turns packets,
 * timers, netlink events and signals into state machine events, and
 * executes the actions the state machine returns. Policy lives below it, in
 * core/ (state machine, group rules, GARP schedule, address-list check) and
 * conf/ (the reload plan). Its files:
 *   daemon.c    daemon_run: start, the loop, stop; signals; sd_notify status
 *   iface.c     interfaces: sockets, primary address, netlink events, the
 *               receive path (decode, drop counters, arrival time)
 *   instance.c  an instance's life: create, start, stop, free; its VIPs;
 *               sending its adverts
 *   vmac.c      virtual MAC interfaces: made with the instance, removed
 *               with it
 *   exec.c      the action executor and the work deferred to the end of a
 *               loop turn (VIP batches, transition logs, GARP schedule)
 *   tracking.c  tracked interfaces, scripts, processes and files, FAULT,
 *               sync groups, notify
 *   trackers.c  vrrp_track_process (proc connector) and track_file
 *               (inotify) watchers
 *   reload.c    SIGHUP / vrrpctl reload: executes conf_diff's plan
 *   ctl.c       what vrrpctl and SIGUSR1/2 see: snapshots, stats
 *   why.c       the ring of reasons behind `vrrpctl why`
 *   conflict.c  split-brain conflicts: sightings in, log / notify / fence /
 *               GARP out
 *   heartbeat.c heartbeat_path: the second path of an instance's adverts,
 *               and each path's health
 *   claims.c    the ARP / NA claims of our VIPs (filtered packet sockets per
 *               interface): a foreign MAC's claim is a conflict's sighting
 *   settle.c    the start in one line: how late the first takeovers were */
#ifndef VRRPD_DAEMON_INTERNAL_H
#define VRRPD_DAEMON_INTERNAL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "conf/diff.h"
#include "core/announce.h"
#include "core/conflict.h"
#include "core/handover.h"
#include "core/health.h"
#include "core/pkt.h"
#include "core/ratelimit.h"
#include "core/vrrp.h"
#include "core/why.h"
#include "io/loop.h"
#include "io/nl_addr.h"
#include "io/nl_link.h"
#include "io/proc.h"
#include "io/sched.h"
#include "io/vmac.h"

#define DEFER_GUARD_US 1000  /* deferred work waits while a timer is due this soon ... */
#define DEFER_MAX_US   20000 /* ... but never longer than this */
#define GARP_BUDGET    64    /* gratuitous ARPs sent per loop turn, all instances together */
#define RX_BUDGET      64    /* datagrams read per wakeup per socket */
#define LOG_EVERY      (10 * VTIME_SEC) /* rate limit for per-reason drop logs */

struct daemon;

/* Dropped packets by reason, and the log rate limit of each reason. */
struct drop_counters {
	uint64_t n[PKT_DROP__MAX];
	struct ratelimit rl[PKT_DROP__MAX];
};

/* One raw VRRP socket of an interface: opened when the first instance of
 * its family needs it. */
struct iface_sock {
	struct iface *ifp;
	int family; /* AF_INET or AF_INET6 */
	int fd;	    /* -1 = not open */
	struct loop_fd lfd;
	struct vr *by_vrid[256];    /* VRIDs are per family (conformance 50) */
	struct vr *hb_by_vrid[256]; /* instances whose heartbeat_path is this interface */
};

struct iface {
	struct daemon *d;
	char name[IFNAMSIZ];
	int ifindex;
	struct iface_sock s4, s6;
	struct vaddr primary4;		     /* the IPv4 adverts' source and tie-break address */
	struct vaddr ll6;		     /* the IPv6 link-local address: the same for IPv6 */
	unsigned n_vmacs;		     /* virtual MAC interfaces on it */
	struct vmac_parent_saved vmac_saved; /* its ARP settings before the first */
	struct drop_counters drops;	     /* decided before an instance is known */
	/* claims of its VIPs (io/claim_rx): [0] ARP, [1] IPv6 NAs; -1 = none */
	int claim_fd[2];
	struct loop_fd claim_lfd[2];
	struct iface *next;
};

/* One path of an instance's adverts (heartbeat.c): [0] its interface,
 * [1] its heartbeat_path. */
enum vr_path_state { VR_PATH_IDLE = 0, VR_PATH_UP, VR_PATH_DOWN };
struct vr_path {
	vtime_t heard;	       /* the last advert accepted from it; 0 = none */
	uint64_t rx;	       /* adverts accepted from it */
	enum vr_path_state st; /* as last logged */
};

struct vr {
	struct daemon *d;
	const struct conf_instance *ci;
	struct iface *ifp;
	struct iface_sock *sock; /* the interface's socket of our family */
	int vmac_ifindex;	 /* use_vmac: the virtual MAC interface; 0 = none */
	int vmac_fd;		 /* its send-only socket (adverts); -1 = none */
	struct vrrp_instance vi;
	struct timer t;
	bool started;
	bool settling;		 /* started with the daemon, no master known yet (settle.c) */
	bool wait_logged;	 /* "waiting for an address" said once */
	int *vip_ifindex;	 /* per VIP */
	struct vaddr *adv_addrs; /* advertised VIPs in configured order */
	size_t n_adv;
	/* GARP schedule (core/announce) */
	struct timer garp_t;
	struct announce ann;
	struct announce_cfg ann_cfg;
	bool na_router; /* unsolicited NAs carry the Router flag */
	/* old_unicast_checksum: v3 unicast adverts are checksummed with the
	 * multicast group as pseudo-header destination (configured, or learnt
	 * from a peer that does so; vr_old_csum_learn). */
	bool old_csum;
	/* heartbeat_path (heartbeat.c): its interface (hb_ifname's, or ifp for
	 * peers over the instance's own) and socket; NULL = not (yet) there */
	struct iface *hb_ifp;
	struct iface_sock *hb_sock;
	struct vr_path path[2];
	struct timer hb_t;		  /* a path's Master_Down_Interval runs out */
	struct ratelimit rl_hb, rl_hb_tx; /* its waiting / source logs; its send failures */
	/* counters */
	uint64_t tx, rx, transitions, addr_mismatch;
	uint64_t late_n, late_max_us; /* adverts sent by its timer; the latest of them */
	struct drop_counters drops;
	struct ratelimit rl_mismatch, rl_encode, rl_lower;
	struct why_ring why; /* vrrpctl why: transitions, decisions, drops */
	/* split-brain conflicts (core/conflict; daemon/conflict.c) */
	struct conflict cf;
	struct timer cf_t;	   /* ends a conflict, forgets old sightings */
	struct ratelimit rl_claim; /* "VIP claimed by MAC" */
	vtime_t defend_at;	   /* vr_defend: the last defence */
	/* Work deferred to the end of the loop turn (daemon_flush), so that
	 * every due advert of the turn goes out first. */
	bool dirty;
	bool vips_want, vips_on; /* VIPs wanted installed / installed */
	bool filtered;		 /* its VIPs are in Accept_Mode's drop sets */
	bool garp_pending;
	bool log_pending;
	bool track_fault; /* its own tracking says FAULT (the group may add more) */
	/* What a stop is notified as: NULL = STOP; a reload that removes the
	 * instance says FAULT, or DELETED with notify_deleted (keepalived). */
	const char *stop_as;
	const struct handover_inst *resume_from; /* restart: resume from this entry */
	char track_why[128];
	enum vrrp_state log_from, log_to;
	char log_reason[sizeof(((struct vrrp_instance *)0)->reason)];
	int vip_failed;
	struct vr *dirty_next;
	struct vr *next;
};

/* settle.c: the instances started together, until each knows its master. */
struct settle {
	vtime_t t0;
	size_t n, pending, masters, others;
	uint64_t late_max_us, late_sum_us; /* master-down due -> first advert sent */
	char worst[CONF_NAME_MAX];
};

/* The reload under way (reload_job.c). */
#define RELOAD_WAITERS 8 /* vrrpctl clients waiting for one reload */
struct reload_job {
	bool running;
	bool queued;		  /* another was asked for meanwhile: it runs next */
	struct conf_arena *arena; /* the child's, while it runs; NULL = parsing in the loop */
	struct proc child;
	struct loop_fd lfd; /* the child's pidfd */
	struct timer t_deadline;
	vtime_t t0; /* when it was asked for */
	/* Adopted: applied over the next turns (reload_job.c's steps). */
	int step;		/* 0: none under way */
	struct loop_fd step_fd; /* an eventfd: the next step, in the next turn; fd 0 = none */
	struct conf_diff plan;
	struct config *nc, *old;
	unsigned restarted;
	size_t track_at;
	size_t free_at;	 /* conf_free_some's position in old */
	size_t fault_at; /* conf_arena_prefault's in nc's arena */
	vtime_t t[4];
	char *msg; /* the messages for the vrrpctl clients; none when out of memory */
	size_t msglen;
	char none[1];
	int fds[RELOAD_WAITERS];
	unsigned n_fds; /* vrrpctl reload connections, answered at the end */
	int qfds[RELOAD_WAITERS];
	unsigned n_qfds; /* those of the queued reload */
};

struct daemon {
	struct loop loop;
	struct nl_link nl;
	struct nl_addr_sock nla;
	int garp_fd;
	struct nl_sock *vmac_sk; /* virtual MAC interfaces (libnl-route); NULL until one */
	struct filter *filter;	 /* Accept_Mode's nftables table; NULL until needed */
	struct vr_txq *txq;	 /* the adverts of a run of timers; NULL until one */
	vtime_t tx_due;		 /* vr_txq_due */
	struct vr *tx_due_vr;
	const char *conf_path;
	const char *config_id; /* -i, for every reload; NULL = the host name's */
	struct config *conf;
	struct iface *ifaces;
	struct vr *vrs;
	struct vr **by_inst; /* the vr of conf->inst[i], or NULL */
	size_t n_by_inst;
	struct vr *dirty;	      /* instances with deferred work this turn */
	vtime_t dirty_since;	      /* when the oldest deferred work was queued */
	vtime_t reload_took;	      /* how long the last reload blocked the loop */
	struct health_reload reloads; /* every reload's cost, for vrrpctl stats */
	struct reload_job rj;
	struct health_hist late; /* how late each timer's advert went out (µs) */
	unsigned garp_budget;	 /* GARPs still allowed in this loop turn */
	struct ctl_server *ctl;
	struct checker_set *checkers; /* vrrp_script runners */
	struct trackers *trackers;    /* vrrp_track_process and track_file watchers */
	struct notify *notify;
	enum vrrp_state *group_state; /* last notified state of each sync group */
	size_t n_groups;
	int syncing;		      /* inside a sync group propagation */
	struct group_member *members; /* scratch: one group's members */
	size_t members_cap;
	struct vaddr *skip; /* scratch: the VIPs of one interface */
	size_t skip_cap;
	double started;		  /* wall clock at start */
	vtime_t started_at;	  /* the process's start (daemon_opts.started_at) */
	struct sched_state sched; /* the process's scheduling (io/sched) */
	bool holding;		  /* vrrp_startup_delay: no instance starts yet */
	struct settle settle;	  /* the start's takeovers (settle.c) */
	struct timer t_startup;	  /* ends the hold */
	/* vrrpctl restart (restart.c) */
	const char *exe;	/* the file to execute */
	char *const *argv;	/* its arguments: ours */
	int restart_fd;		/* the requesting client's connection; -1 = none */
	struct timer t_restart; /* runs the execve from the loop, after the request */
	struct handover *ho;	/* the state handed over to us; NULL = none */
	vtime_t ho_read_at;	/* when we read it */
	unsigned n_resumed;	/* instances resumed from it */
	/* interface_up_down_delays (tracking.c): one per conf->global.if_delays
	 * entry, built on first use and again after a reload (deb_stale). */
	struct debounce *deb;
	bool deb_stale;
	struct timer t_deb;		/* the earliest pending change */
	struct ctl_instance *snap_inst; /* control snapshot buffers */
	struct ctl_iface *snap_if;
	size_t snap_inst_cap, snap_if_cap;
};

/* daemon.c */
void daemon_status_notify(struct daemon *d, const char *prefix);
void daemon_statics(struct daemon *d, const struct config *c, bool add);
/* The configuration's scheduling settings, applied (io/sched). */
void daemon_sched(struct daemon *d);
/* max_auto_priority: a VRRP timer ran LATE_US late. */
void daemon_sched_late(struct daemon *d, uint64_t late_us);
double daemon_wall_now(void);

/* old_unicast_checksum (iface.c): the pseudo-header destination of the old
 * form, global_defs' vrrp_mcast_group4 or 224.0.0.18 (keepalived's). */
const struct vaddr *vr_old_csum_group(const struct daemon *d, struct vaddr *buf);

/* iface.c */
struct iface *iface_get(struct daemon *d, const char *name);
/* The socket of FAMILY, opened if it is not yet; NULL when it cannot be. */
struct iface_sock *iface_sock(struct iface *ifp, int family);
/* The multicast group of FAMILY the interfaces' sockets join. */
const struct vaddr *iface_group(const struct daemon *d, int family, struct vaddr *buf);
/* The advert source of FAMILY: primary4 or ll6 (unset when none). */
const struct vaddr *iface_source(const struct iface *ifp, int family);
/* Finds both advert sources: the primary IPv4 address (never one of our
 * VIPs) and the IPv6 link-local address. */
void iface_find_sources(struct iface *ifp);
void iface_free_all(struct daemon *d);
/* Every VIP configured on the interface's instances, in d->skip; how many. */
size_t iface_vips(struct iface *ifp);
/* The loop's netlink callback: interfaces back, primary address changes,
 * waiting instances started, tracking re-evaluated, VIPs put back. */
void iface_nl_change(void *arg);
/* Counts a drop and logs it, rate-limited per reason. */
void drops_count(struct drop_counters *dc, const char *who, enum pkt_drop r,
		 const struct vaddr *src, vtime_t now);

/* instance.c */
struct vr *vr_create(struct daemon *d, const struct conf_instance *ci);
/* Finds v's interface and opens its socket; true when v has one now. */
bool vr_attach(struct vr *v);
int vr_build_vips(struct vr *v, const struct conf_instance *ci);
void vr_params(const struct conf_instance *ci, struct vrrp_params *p);
void vr_clear_stale(struct vr *v);
void vr_start(struct vr *v, vtime_t now);
/* Shutdown: a master sends priority 0 at once; every VIP (whatever the
 * state) is marked for removal, which the next daemon_flush() sends, for
 * every stopped instance in one batch. Flush before vr_free(). */
void vr_stop(struct vr *v, vtime_t now);
void vr_free(struct daemon *d, struct vr *v);
void vr_send_advert(struct vr *v, uint8_t prio);
/* The instance of conf->inst[idx], or NULL. */
struct vr *vr_of_inst(struct daemon *d, size_t idx);
/* Rebuilds the conf->inst index -> vr map after the configuration changed. */
void daemon_index_instances(struct daemon *d);

/* instance.c: encodes advert H from SRC to DST and sends it on FD out of
 * IFINDEX with TTL; a failure is logged (at most every LOG_EVERY with RL:
 * the second path keeps sending while its link is down). */
void vr_send_to(struct vr *v, const struct pkt_advert *h, const struct vaddr *src,
		const struct vaddr *dst, int fd, int ifindex, int ttl, struct ratelimit *rl);

/* heartbeat.c: heartbeat_path, the second path of an instance's adverts. */
/* Finds the path's interface and socket (once they exist) and registers v
 * on it; vr_attach calls it, and so do the netlink events until it works. */
void vr_hb_attach(struct vr *v);
void vr_hb_detach(struct vr *v);
/* Our source on the second path (unset when it has none yet). */
const struct vaddr *vr_hb_source(const struct vr *v);
/* Sends advert H on the second path (multicast or to its peers). */
void vr_hb_send(struct vr *v, const struct pkt_advert *h);
/* The instance and path of an advert read from S for VRID from SRC: the
 * first path's instance (*path 0), or the one whose second path it is
 * (*path 1); NULL when none. */
struct vr *vr_hb_lookup(struct iface_sock *s, uint8_t vrid, const struct vaddr *src, int *path);
/* An advert was accepted from PATH at NOW: its health. */
void vr_path_heard(struct vr *v, int path, vtime_t now);
void vr_hb_timer(void *arg, vtime_t now);
/* "up", "down" or "idle" (not a Backup, or nothing heard yet) at NOW. */
const char *vr_path_state(const struct vr *v, int path, vtime_t now);
/* txq.c: the adverts of one run of due timers, one sendmmsg per socket. */
struct vr_txq;
void vr_txq_init(struct daemon *d);
/* Sends what is queued (before a vr or a socket goes away). */
void vr_txq_flush(struct daemon *d);
void vr_txq_free(struct daemon *d);
/* The adverts v sends from now on are those of its timer due at DUE (0:
 * no longer): the first one is counted late against it (vr_count_late). */
void vr_txq_due(struct vr *v, vtime_t due);
/* Sends one advert of v (LEN bytes of MSG) on FD out of IFINDEX from SRC
 * to DST with TTL: at once, or queued while the loop runs its due timers.
 * v->tx counts it when it went out. Returns 0 (sent), 1 (queued: a failure
 * is logged when the batch goes, at most every LOG_EVERY with RL) or -1
 * (errno set). */
int vr_tx(struct vr *v, int fd, int ifindex, const struct vaddr *src, const struct vaddr *dst,
	  const void *msg, size_t len, int ttl, struct ratelimit *rl);

/* vmac.c */
/* use_vmac: makes v's virtual MAC interface and its send socket. */
int vr_vmac_open(struct vr *v);
void vr_vmac_close(struct vr *v);

/* exec.c */
void vr_do(struct vr *v, const struct vrrp_actions *acts);
void vr_on_timer(void *arg, vtime_t now);
/* An advert of v's timer, due at DUE, went out at SENT: the lateness count. */
void vr_count_late(struct vr *v, vtime_t due, vtime_t sent);
void vr_mark_dirty(struct vr *v);
void vr_garp_step(void *arg, vtime_t now);
void vr_garp_stop(struct vr *v);
void daemon_flush(struct daemon *d, bool force);
/* Queues v's VIPs, virtual_routes and virtual_rules (ADD), or removes them
 * in reverse order, into this turn's netlink batch. */
void vr_queue_kernel(struct vr *v, bool add);
int vr_route_ifindex(struct vr *v, const struct vroute *r);
/* Accept_Mode off and not the owner: packets to its VIPs are dropped. */
bool vr_filters(const struct conf_instance *ci);
void daemon_after(void *arg);
/* A VIP removed by hand from a master is put back. */
void daemon_check_vips(struct daemon *d);

/* tracking.c */
const struct conf_sync_group *vr_group(const struct vr *v);
void vr_track_update(struct vr *v, vtime_t now);
void daemon_track_all(struct daemon *d, vtime_t now);
void daemon_script_changed(void *arg, size_t script, bool up);
/* Sync groups: may v, whose Master_Down_Timer is due, become master now? */
bool vr_group_hold(struct vr *v, vtime_t now, vtime_t *until);
/* Sync groups: v moved FROM -> its state; the other members follow. */
void vr_sync_group(struct vr *v, enum vrrp_state from, vtime_t now);
void vr_notify(struct vr *v);
/* notify_priority_changes: the effective priority was WAS. */
void vr_prio_notify(struct vr *v, uint8_t was);
/* fifo_write_vrrp_states_on_reload: every instance's and group's state to
 * the notify FIFO. */
void daemon_fifo_states(struct daemon *d);
void daemon_groups_reset(struct daemon *d);
/* Whether some instance or group lists tracker IDX of KIND (TRACK_PROCESS:
 * config.procs, TRACK_FILE: config.tfiles). */
bool daemon_tracker_used(const struct config *c, int kind, size_t idx);
/* Tracker IDX of KIND changed its verdict or value: the instances and
 * groups that list it are evaluated again. */
void daemon_tracker_changed(struct daemon *d, int kind, size_t idx);

/* trackers.c: vrrp_track_process and track_file at run time. trackers_new
 * scans /proc, reads the files, and puts its descriptors in the loop; the
 * configuration must outlive the set. */
struct trackers;
struct trackers *trackers_new(struct daemon *d, const struct config *c);
void trackers_free(struct trackers *t);
/* The quorum verdict of config.procs[idx]. */
bool trackers_proc_up(const struct trackers *t, size_t idx);
/* The number config.tfiles[idx] holds (0 when missing). */
long long trackers_file_value(const struct trackers *t, size_t idx);

/* settle.c: settle_begin after the instances started together;
 * settle_master when V's Master_Down_Timer, DUE then, made it master and
 * its first advert went out at SENT (vr_count_late);
 * settle_other when V learnt of a master otherwise (advert, FAULT, stop).
 * The last one logs the summary. */
void settle_begin(struct daemon *d);
void settle_master(struct vr *v, vtime_t due, vtime_t sent);
void settle_other(struct vr *v);

/* why.c: entries of v's ring of reasons */
/* v moved FROM -> its state, for vi->reason. */
void vr_why_transition(struct vr *v, enum vrrp_state from);
/* An accepted advert: vi->decision, when there is one. */
void vr_why_recv(struct vr *v, vtime_t now, const struct pkt_advert *adv, const struct vaddr *src);
void vr_why_drop(struct vr *v, vtime_t now, enum pkt_drop r, const struct vaddr *src);
/* The effective priority changed from WAS, because of WHY (track_result's
 * prio_why). */
void vr_why_priority(struct vr *v, uint8_t was, const char *why, vtime_t now);
/* exec.c: a foreign claim of a VIP of v, a master: GARP / NA at once, rate-limited */
void vr_defend(struct vr *v, vtime_t now);

/* conflict.c */
/* A received advert for v: accepted (R == PKT_OK; WAS_MASTER: v was master
 * before it) or dropped for R. Reports what is a conflict's sighting. */
void vr_conflict_rx(struct vr *v, const struct pkt_advert *adv, const struct vaddr *src,
		    enum pkt_drop r, bool was_master, vtime_t now);
void vr_conflict_seen(struct vr *v, enum conflict_kind kind, const struct conflict_info *info,
		      vtime_t now);
void vr_conflict_timer(void *arg, vtime_t now);

/* claims.c */
/* Opens, refilters or closes each interface's claim socket for the IPv4
 * VIPs of its instances now (after start, reload, an interface's return). */
void daemon_claims_refresh(struct daemon *d);
void iface_claims_close(struct iface *ifp);

/* reload.c */
/* The parts of a reload, for reload_job.c. */
void reload_report(struct daemon *d, const struct config *nc, const struct conf_msgs *m, char *msg,
		   size_t msglen);
void reload_fail(struct daemon *d, const char *line, char *msg, size_t msglen);
void reload_count(struct daemon *d, bool rejected, const vtime_t t[4]);
int reload_commit(struct daemon *d, struct config *nc, vtime_t t[4], char *msg, size_t msglen);
/* reload_commit's steps, for a reload spread over loop turns. MADE: the
 * plan the parser child made (NULL: diff here). */
int reload_prepare(struct daemon *d, struct config *nc, vtime_t t[4], struct conf_diff *plan,
		   const struct conf_diff *made, char *msg, size_t msglen);
struct config *reload_apply_plan(struct daemon *d, const struct conf_diff *plan, struct config *nc,
				 bool early, unsigned *restarted);
void reload_finish(struct daemon *d, struct conf_diff *plan, struct config *old, unsigned restarted,
		   vtime_t t[4], char *msg, size_t msglen);
int reload_inline(struct daemon *d, vtime_t t0, char *msg, size_t msglen);
/* reload_job.c: SIGHUP (FD -1) and vrrpctl reload (FD its connection).
 * The file is parsed in a child while the loop runs on; the answer goes
 * to a duplicate of FD when it is done (returns 1). Returns -1 with a
 * reason in MSG when the client cannot wait; 0 for a SIGHUP. */
int daemon_reload(struct daemon *d, int fd, char *msg, size_t msglen);
/* Shutdown and restart: kills the parser, answers the waiting clients. */
void daemon_reload_stop(struct daemon *d);
/* tracking.c: daemon_track_all from position *AT (0 to start) for at most
 * N instances; true when done. For a reload's last steps. */
bool daemon_track_some(struct daemon *d, vtime_t now, size_t *at, size_t n);

/* restart.c: vrrpctl restart. The control request; the handover read
 * at start (from $VRRPD_HANDOVER, NULL: none); whether v resumes as master
 * from it (then it is started, its stale VIPs are not cleared); the answer
 * to the client once started. */
int daemon_restart_request(void *arg, int fd, char *msg, size_t len);
void daemon_handover_read(struct daemon *d, const char *env);
void daemon_resume_decide(struct daemon *d, struct vr *v, vtime_t now);
bool daemon_resume(struct daemon *d, struct vr *v, vtime_t now);
void daemon_handover_done(struct daemon *d);

/* ctl.c */
extern const struct ctl_ops daemon_ctl_ops;
/* SIGUSR1 / SIGUSR2: keepalived's data / stats files. */
void daemon_dump_files(struct daemon *d, int signo);

#endif
