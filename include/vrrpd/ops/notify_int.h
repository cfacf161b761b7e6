/* notify_int: what notify.c and notify_mail.c share (not an API: the
 * daemon uses ops/notify.h). A notify object owns its commands (io/job),
 * its FIFO and its mails; notify_mail.c sends the mails. */
#ifndef VRRPD_NOTIFY_INT_H
#define VRRPD_NOTIFY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf/conf.h"
#include "core/hostres.h"
#include "core/ratelimit.h"
#include "io/loop.h"
#include "ops/notify.h"
#include "ops/resolve.h"
#include "ops/smtp.h"

#define NOTIFY_FIFO_MODE 0640 /* owner read/write, group read */
#define NOTIFY_OUT_KEEP	 1024 /* bytes of a command's output kept for the log */
#define NOTIFY_OUT_LINES 5    /* lines of it logged */
#define NOTIFY_MAILS_MAX 16   /* mails in flight at once */
#define NOTIFY_LOG_EVERY (60 * VTIME_SEC)
#define NOTIFY_WHAT_MAX	 (2 * CONF_NAME_MAX + 64)
#define NOTIFY_BODY_MAX	 1024

struct notify_job {
	struct notify *n;
	struct notify_job *next;
	char what[NOTIFY_WHAT_MAX]; /* "INSTANCE VI_1 MASTER: notify_master" */
	struct job *job;
	bool log_status; /* its exit status is logged whatever it is (fence_script) */
};

struct notify_mail {
	struct notify *n;
	struct notify_mail *next;
	char what[NOTIFY_WHAT_MAX]; /* "INSTANCE VI_1 MASTER" */
	struct smtp_conn c;
	struct loop_fd lfd;
	uint32_t events; /* what lfd waits for */
	bool watched;
	bool resolving; /* waits for smtp_server's name (ops/resolve.h) */
	struct timer t_deadline;
	vtime_t deadline;
	uint32_t timeout_ms;
	size_t n_to;
	char subject[3 * CONF_NAME_MAX], body[NOTIFY_BODY_MAX]; /* for each address tried */
	time_t date;
	struct vaddr addr[HOSTRES_ADDRS_MAX]; /* smtp_server's, in the order to try */
	size_t n_addr, cur;
};

struct notify {
	struct loop *l; /* the daemon's; in notify_free(), the private one */
	const struct config *conf;
	struct notify_job *jobs;
	struct notify_mail *mails;
	size_t n_mails;
	uint32_t cmd_timeout_ms; /* NOTIFY_TIMEOUT_MS (a test shortens it) */
	bool draining;		 /* notify_free() runs the private loop */
	char *fifo_path;
	int fifo_fd;
	struct ratelimit rl_noreader, rl_full, rl_fifo_err, rl_mails, rl_dns;
	struct resolve *res; /* smtp_server NAME; NULL until a name is used */
	vtime_t dns_logged;  /* the cached failure already logged (its time) */
	uint64_t mails_sent, mails_failed, mails_unresolved; /* since start */
};

/* In notify_free(): stops the private loop once nothing runs any more. */
void notify_idle(struct notify *n);
/* The text of an alert mail. Returns BUF. */
const char *notify_mail_body(char *buf, size_t len, const char *router_id, const char *kind,
			     const char *name, const char *state, unsigned prio, time_t t);

/* notify_mail.c: starts the mail of one transition (HEAD for the log),
 * if mail is configured; at most NOTIFY_MAILS_MAX at once. */
void notify_mail_send(struct notify *n, const char *head, const char *kind, const char *name,
		      const char *state, unsigned prio);
/* The same with a subject and a body of the caller's (a conflict's). */
void notify_mail_text(struct notify *n, const char *head, const char *subject, const char *body);
/* Moves M's socket and deadline into the loop TO (notify_free()). */
void notify_mail_move(struct notify_mail *m, struct loop *to);
/* Ends M at once and frees it. */
void notify_mail_free(struct notify *n, struct notify_mail *m);

#endif
