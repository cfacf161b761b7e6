/* control: the unix control socket (vrrpctl's server side) and the
 * formatting of status, statistics and metrics.
 *
 * Promises: one request per connection: the client sends one line
 * ("status [INSTANCE] [--json]", "stats [INSTANCE] [--json]",
 * "why INSTANCE [--json]", "metrics", "reload"), the server answers and closes. Sockets are
 * non-blocking; answers are buffered; a client that does not send its line, or does not read its
 * answer, within CTL_CLIENT_TIMEOUT is dropped, so no client can delay an advert. The daemon
 * supplies the data through ctl_ops; the formatting functions are pure and unit-tested (src/ops/:
 * ctl_buf.c the buffer, ctl_format.c status and stats, ctl_metrics.c Prometheus, ctl_files.c the
 * keepalived-style files; the socket server is control.c).
 *
 * Replies: the answer text; or, when the request fails, a first line
 * starting with "error: " (unknown command or instance, a request too long,
 * a reload rejected: then the daemon's messages follow, one per line). */
#ifndef VRRPD_CONTROL_H
#define VRRPD_CONTROL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "conf/conf.h"
#include "core/addr.h"
#include "core/conflict.h"
#include "core/health.h"
#include "core/pkt.h"
#include "core/timer.h"
#include "core/why.h"

#define CTL_DEFAULT_PATH      "/run/vrrpd/vrrpd.sock"
#define CTL_CLIENT_TIMEOUT_MS 1000
#define CTL_MAX_CLIENTS	      16

/* One instance, as the daemon sees it at the moment of the request. */
struct ctl_instance {
	char name[CONF_NAME_MAX];
	char ifname[IFNAMSIZ];
	uint8_t vrid;
	uint8_t version;
	uint8_t family;
	const char *state;	    /* "INIT", "BACKUP", "MASTER", "FAULT" */
	uint8_t priority;	    /* configured */
	uint8_t effective_priority; /* after tracking */
	uint16_t advert_int_cs;
	uint32_t master_adver_int_cs; /* learned (v3 backup) */
	struct vaddr primary;	      /* our advert source */
	struct vaddr master;	      /* current master (ours when MASTER); unset when unknown */
	uint8_t master_priority;
	double since;	  /* wall clock (Unix time, s) of the last transition */
	char reason[128]; /* why the last transition happened */
	size_t n_vips;
	bool vips_installed;
	uint64_t adverts_sent, adverts_received, transitions, addr_mismatch;
	uint64_t drops[PKT_DROP__MAX]; /* by reason */
	uint64_t late_n;	       /* adverts sent by its timer ... */
	uint64_t late_max_us;	       /* ... and how late the latest of them went out */
	/* split-brain conflicts (core/conflict.h): how many started, by kind;
	 * the current one, if any */
	uint64_t conflicts[CONFLICT__N];
	bool conflict_active;
	enum conflict_kind conflict_kind;
	char conflict_peer[CONFLICT_PEER_LEN]; /* conflict_peer_str */
	double conflict_since;		       /* wall clock: when its condition began */
	char conflict_detail[160];	       /* conflict_describe's line */
	/* heartbeat_path: both paths of its adverts ([0] the interface, [1]
	 * the second path); n_paths 0 without one */
	unsigned n_paths;
	struct ctl_path {
		char ifname[IFNAMSIZ];
		const char *state; /* "up", "down", "idle" */
		double heard;	   /* wall clock of its last accepted advert; 0 = none */
		uint64_t adverts;  /* accepted from it */
	} paths[2];
};

/* Drops counted on an interface before an instance was known (bad header,
 * bad checksum, unknown VRID ...). */
struct ctl_iface {
	char ifname[IFNAMSIZ];
	uint64_t drops[PKT_DROP__MAX];
};

/* The daemon's health: the event loop's turns (the work from epoll_wait's
 * return to the end of the turn), how late each advert sent by a timer
 * went out after its due time, the netlink batches of VIPs, routes and
 * rules (messages; µs from send to the last ack), the reloads, and how
 * many processes were started and built-in checks run. */
struct ctl_health {
	uint64_t turns, busy_us;
	uint64_t turn_max_us;	 /* the longest turn since start */
	uint64_t turn_max_1m_us; /* the longest in the last minute (60 to 70 s) */
	struct health_hist late;
	struct health_stat nl_msgs, nl_us;
	struct health_reload reload;
	uint64_t procs_started; /* processes forked since start (scripts, notify, mail) */
	uint64_t checks_run;	/* runs of built-in checks (vrrp_check), none of them a process */
};

struct ctl_snapshot {
	const char *router_id;
	double started; /* wall clock of the daemon's start */
	double now;	/* wall clock of the snapshot */
	const struct ctl_instance *inst;
	size_t n_inst;
	const struct ctl_iface *ifaces;
	size_t n_ifaces;
	struct ctl_health health;
};

/* One instance's ring of reasons, for `vrrpctl why` (core/why.h). */
struct ctl_why {
	char name[CONF_NAME_MAX];
	const char *state;
	const struct why_ring *ring;
	vtime_t mono_now; /* the ring's clock at the request ... */
	double wall_now;  /* ... and the wall clock (Unix time, s) */
};

struct ctl_ops {
	/* Fills *out; the memory stays valid until the next call. */
	void (*snapshot)(void *arg, struct ctl_snapshot *out);
	/* Re-reads the configuration (as SIGHUP). fd is the requesting
	 * client's connection: the daemon may take a duplicate of it and
	 * answer there when the reload is done, with ctl_reload_answer()
	 * (returns 1: the control server sends nothing). Else returns 0 when
	 * the new file was applied, -1 when it was rejected; msg says what
	 * happened (error lines included, newline-separated). */
	int (*reload)(void *arg, int fd, char *msg, size_t len);
	/* Fills *out for the instance NAME; returns -1 when there is none.
	 * The ring stays valid until the loop runs again. */
	int (*why)(void *arg, const char *name, struct ctl_why *out);
	/* vrrpctl restart: re-execute the daemon in place. fd is the
	 * requesting client's connection; the daemon takes a duplicate of it
	 * and answers there later (from the new process when the execve
	 * succeeds, else from this one). Returns 0 when it took it (the
	 * control server sends nothing), -1 with msg saying why not. */
	int (*restart)(void *arg, int fd, char *msg, size_t len);
};

/* A growable output buffer for the formatters. */
struct ctl_buf {
	char *p;
	size_t len, cap;
	bool oom;
};
void ctl_buf_printf(struct ctl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends n bytes (kept NUL-terminated, as after ctl_buf_printf). */
void ctl_buf_append(struct ctl_buf *b, const char *s, size_t n);
void ctl_buf_puts(struct ctl_buf *b, const char *s);
void ctl_buf_free(struct ctl_buf *b);
/* The answer to "reload" in OUT: RC 0 applied, -1 rejected; MSG (LEN
 * bytes of room; trailing newlines are cut) the daemon's lines. */
void ctl_reload_answer(struct ctl_buf *out, int rc, char *msg, size_t len);

/* The instance's state as the formats show it: "INIT" when it has none. */
const char *ctl_state_name(const struct ctl_instance *in);

/* Formatters (pure). instance == NULL or "" means all; an unknown instance
 * name yields "no instance NAME" and returns -1. */
int ctl_format_status(struct ctl_buf *b, const struct ctl_snapshot *s, const char *instance,
		      bool json);
int ctl_format_stats(struct ctl_buf *b, const struct ctl_snapshot *s, const char *instance,
		     bool json);
/* `vrrpctl why`: the ring's entries, oldest first, each with its local
 * time (the date when not today's), kind, text, and how often it repeated
 * (with the last time); or JSON, an array of {time, last, kind, text,
 * count} (times as Unix time). */
void ctl_format_why(struct ctl_buf *b, const struct ctl_why *w, bool json);
/* A JSON string: escaped, invalid UTF-8 replaced, so the document parses. */
void ctl_json_str(struct ctl_buf *b, const char *s);
/* Prometheus text exposition format (node_exporter textfile collector). */
void ctl_format_metrics(struct ctl_buf *b, const struct ctl_snapshot *s);
/* The parts of stats and metrics that show ctl_health (ctl_health.c): the
 * text section, the JSON member "health":{...}, the metric families. */
void ctl_health_text(struct ctl_buf *b, const struct ctl_snapshot *s);
void ctl_health_json(struct ctl_buf *b, const struct ctl_snapshot *s);
void ctl_health_metrics(struct ctl_buf *b, const struct ctl_snapshot *s);

/* keepalived-style dumps for old scripts (keepalived's SIGUSR1
 * /tmp/keepalived.data and SIGUSR2 /tmp/keepalived.stats): writes each file
 * whose path is not NULL atomically (temporary file + rename), mode 0644.
 * Returns 0, or -1 with errno set when a file could not be written. */
int ctl_write_files(const struct ctl_snapshot *s, const char *data_path, const char *stats_path);

struct loop;
struct ctl_server; /* private to control.c */

/* Opens the socket at path (mode 0660, group gid unless (gid_t)-1),
 * replacing a stale socket file, creating the directory if missing. */
struct ctl_server *ctl_open(struct loop *l, const char *path, gid_t gid, const struct ctl_ops *ops,
			    void *arg);
/* Closes the listener and every client, and unlinks the socket. */
void ctl_close(struct ctl_server *s);

#endif
