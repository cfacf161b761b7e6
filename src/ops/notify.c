/* notify: notify commands, the notify FIFO and SMTP alerts.
 *
 * How: every transition writes its FIFO line first (one non-blocking
 * write), then starts the state-specific command and the generic `notify`
 * command, then starts a mail (a non-blocking connect). What runs
 * afterwards is driven by the event loop:
 *  - a command is an io/job: it runs the command parsed at load
 *    (conf_cmd.sc), its output is captured as it comes (NOTIFY_OUT_KEEP
 *    bytes kept) and logged, line by line (NOTIFY_OUT_LINES at most), when
 *    it fails; the job kills it after cmd_timeout_ms (NOTIFY_TIMEOUT_MS).
 *    Its completion callback logs the status and frees it.
 *  - a mail is a struct smtp_conn whose socket is in the loop, with a
 *    deadline timer of smtp_connect_timeout (the whole dialogue); at most
 *    NOTIFY_MAILS_MAX are in flight. It is freed where it finishes: from
 *    its own socket's callback (smtp_conn closed the socket, and an fd has
 *    one event per epoll batch) or from its deadline timer (which takes the
 *    socket out of the loop first, dropping a pending event).
 *  - the FIFO is created when missing (mkfifo, mode NOTIFY_FIFO_MODE
 *    whatever the umask, owned by notify_fifo's user and group when given)
 *    and left in place at exit. It is opened O_WRONLY | O_NONBLOCK when
 *    there is something to write and kept open: with no reader the open
 *    fails (ENXIO) and the line is dropped, a full pipe (EAGAIN) drops the
 *    line, a reader that went away (EPIPE; the daemon ignores SIGPIPE) makes
 *    us reopen once. Those warnings go through core/ratelimit: at most one
 *    a minute of each kind, with the count of the lines dropped meanwhile.
 *  - notify_free() moves the commands and mails still running into a
 *    private event loop of its own (the daemon's loop, with its sockets and
 *    signals, is not run again at shutdown) and runs it until they are done
 *    or the time given is up; their timeouts and output capture stay at
 *    work. Then it kills and frees what is left. */
#include "ops/notify.h"
#include "ops/notify_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/ratelimit.h"
#include "core/script.h"
#include "io/job.h"
#include "io/log.h"
#include "io/loop.h"
#include "io/proc.h"
#include "ops/resolve.h"
#include "ops/smtp.h"

/* ---- pure helpers ---- */

/* keepalived's FIFO line: `INSTANCE "VI_1" MASTER 100\n`. Returns its length
 * (as snprintf). */
static int notify_fifo_line(char *buf, size_t len, const char *kind, const char *name,
			    const char *state, unsigned prio)
{
	return snprintf(buf, len, "%s \"%s\" %s %u\n", kind, name, state, prio);
}

/* The text of an alert mail. Returns BUF. */
const char *notify_mail_body(char *buf, size_t len, const char *router_id, const char *kind,
			     const char *name, const char *state, unsigned prio, time_t t)
{
	const char *what = strcmp(kind, "GROUP") ? "Instance" : "Sync group";
	char when[64];
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", &tm))
		snprintf(when, sizeof(when), "%lld", (long long)t);
	snprintf(buf, len,
		 "%s %s is now %s.\n"
		 "\n"
		 "%s: %s\n"
		 "State: %s\n"
		 "Priority: %u\n"
		 "Time: %s\n"
		 "Router: %s\n",
		 what, name, state, what, name, state, prio, when, router_id);
	return buf;
}

/* ---- small helpers ---- */

void notify_idle(struct notify *n)
{
	if (n->draining && !n->jobs && !n->mails)
		loop_stop(n->l);
}

/* ---- commands ---- */

static void cmd_log_output(const char *what, const struct job_result *r)
{
	const char *p = r->out, *end = r->out + r->out_len;
	int lines = 0;

	while (p < end && lines < NOTIFY_OUT_LINES) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t l = e ? (size_t)(e - p) : (size_t)(end - p);

		if (l) {
			log_warnx("notify: %s output: %.*s", what, (int)l, p);
			lines++;
		}
		p += l + (e ? 1 : 0);
	}
	while (p < end && (*p == '\n'))
		p++;
	if (p < end || r->out_lost)
		log_warnx("notify: %s output: (%zu more bytes not shown)", what,
			  (size_t)(end - p) + r->out_lost);
}

/* Unlinks J from the list and frees it with its job. */
static void cmd_free(struct notify *n, struct notify_job *j)
{
	for (struct notify_job **pj = &n->jobs; *pj; pj = &(*pj)->next) {
		if (*pj == j) {
			*pj = j->next;
			break;
		}
	}
	job_free(j->job); /* kills and reaps a program still running */
	free(j);
}

static void cmd_done(void *arg, struct job *job, const struct job_result *r)
{
	struct notify_job *j = arg;
	struct notify *n = j->n;
	char st[128];
	int pid = (int)job_pid(job);

	script_status_str(r->status, r->killed, n->cmd_timeout_ms, st, sizeof(st));
	if (r->killed || !WIFEXITED(r->status) || WEXITSTATUS(r->status) != 0) {
		log_warnx("notify: %s (pid %d) %s", j->what, pid, st);
		cmd_log_output(j->what, r);
	} else if (j->log_status) {
		log_info("notify: %s (pid %d) %s", j->what, pid, st);
	} else {
		log_debug("notify: %s (pid %d) %s", j->what, pid, st);
	}
	cmd_free(n, j);
	notify_idle(n);
}

static void cmd_timeout(void *arg, struct job *job)
{
	struct notify_job *j = arg;

	/* Killed; its exit comes to cmd_done(). */
	log_warnx("notify: %s (pid %d) still running after %g s; killing it", j->what,
		  (int)job_pid(job), j->n->cmd_timeout_ms / 1000.0);
}

/* Starts one notify command. */
static struct notify_job *run_cmd(struct notify *n, const char *label, const struct conf_cmd *cmd,
				  const char *head, const char *const *extra)
{
	struct notify_job *j;
	char err[256], name[JOB_NAME_MAX];

	if (!cmd->line)
		return NULL;
	if (n->conf->global.script_security &&
	    proc_check_security(&cmd->sc, cmd->user.uid, cmd->user.gid, err, sizeof(err)) < 0) {
		log_errx("notify: %s: %s refused by script security: %s", head, label, err);
		return NULL;
	}
	j = calloc(1, sizeof(*j));
	if (!j) {
		log_errx("notify: %s: %s: out of memory", head, label);
		return NULL;
	}
	j->n = n;
	snprintf(j->what, sizeof(j->what), "%s: %s", head, label);
	snprintf(name, sizeof(name), "notify: %s", j->what);
	struct proc_cred cred = {.set = true, .uid = cmd->user.uid, .gid = cmd->user.gid};
	struct job_spec spec = {.name = name,
				.cmd = &cmd->sc,
				.cred = &cred,
				.extra = extra,
				.timeout_ms = n->cmd_timeout_ms,
				.capture = NOTIFY_OUT_KEEP,
				.on_done = cmd_done,
				.on_timeout = cmd_timeout,
				.arg = j};
	j->job = job_start(n->l, &spec, err, sizeof(err));
	if (!j->job) {
		log_errx("notify: %s cannot run: %s", j->what, err);
		free(j);
		return NULL;
	}
	j->next = n->jobs;
	n->jobs = j;
	log_info("notify: %s started (pid %d)", j->what, (int)job_pid(j->job));
	return j;
}

/* ---- the FIFO ---- */

static void fifo_close(struct notify *n)
{
	if (n->fifo_fd >= 0)
		close(n->fifo_fd);
	n->fifo_fd = -1;
}

/* A warning about the FIFO: at most one a minute of each kind (R), with
 * the count of those held back. ERR >= 0: its strerror is appended, as
 * log_warn() does. */
static void fifo_warn(struct notify *n, struct ratelimit *r, int err, const char *why)
{
	uint64_t skipped = 0;
	char more[96] = "";

	if (!ratelimit_ok(r, loop_now(), NOTIFY_LOG_EVERY, &skipped))
		return;
	if (skipped)
		snprintf(more, sizeof(more),
			 " (%" PRIu64 " more such lines dropped in the last minute)", skipped);
	if (err < 0) {
		log_warnx("notify fifo %s: %s%s", n->fifo_path, why, more);
		return;
	}
	errno = err;
	log_warn("notify fifo %s: %s%s", n->fifo_path, why, more);
}

static int fifo_create(struct notify *n)
{
	const struct conf_global *g = &n->conf->global;

	if (mkfifo(n->fifo_path, NOTIFY_FIFO_MODE) < 0 && errno != EEXIST) {
		fifo_warn(n, &n->rl_fifo_err, errno, "cannot create it");
		return -1;
	}
	if (chmod(n->fifo_path, NOTIFY_FIFO_MODE) < 0)
		log_warn("notify fifo %s: chmod", n->fifo_path);
	if (g->notify_fifo_has_user &&
	    chown(n->fifo_path, g->notify_fifo_user.uid, g->notify_fifo_user.gid) < 0)
		log_warn("notify fifo %s: chown to %s", n->fifo_path, g->notify_fifo_user.name);
	log_info("notify fifo %s created (mode %04o)", n->fifo_path, NOTIFY_FIFO_MODE);
	return 0;
}

/* Opens the FIFO for writing, creating it when missing. */
static bool fifo_open(struct notify *n)
{
	struct stat st;

	if (n->fifo_fd >= 0)
		return true;
	for (int k = 0; k < 2; k++) {
		n->fifo_fd = open(n->fifo_path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (n->fifo_fd >= 0 || errno != ENOENT || k == 1)
			break;
		if (fifo_create(n) < 0)
			return false;
	}
	if (n->fifo_fd < 0) {
		if (errno == ENXIO)
			fifo_warn(n, &n->rl_noreader, -1, "nobody reads it; line dropped");
		else
			fifo_warn(n, &n->rl_fifo_err, errno, "line dropped; cannot open it");
		return false;
	}
	if (fstat(n->fifo_fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		fifo_close(n);
		fifo_warn(n, &n->rl_fifo_err, -1, "is not a FIFO; not writing to it");
		return false;
	}
	return true;
}

static void fifo_write(struct notify *n, const char *line)
{
	size_t len = strlen(line);

	if (!n->fifo_path)
		return;
	/* Twice at most: a reader that went away makes us reopen once. */
	for (int k = 0; k < 2; k++) {
		ssize_t w;

		if (!fifo_open(n))
			return;
		do
			w = write(n->fifo_fd, line, len);
		while (w < 0 && errno == EINTR);
		if (w == (ssize_t)len)
			return;
		if (w >= 0) { /* cannot happen below PIPE_BUF */
			fifo_warn(n, &n->rl_full, -1, "short write; line cut");
			return;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			fifo_warn(n, &n->rl_full, -1, "full (its reader is slow); line dropped");
			return;
		}
		int e = errno;

		fifo_close(n);
		if (e != EPIPE) {
			fifo_warn(n, &n->rl_fifo_err, e, "line dropped; write");
			return;
		}
	}
	fifo_warn(n, &n->rl_noreader, -1, "nobody reads it; line dropped");
}

/* Follows the configuration's notify_fifo: a changed path is closed and the
 * new one created now, when missing. */
static void fifo_setup(struct notify *n)
{
	const char *path = n->conf->global.notify_fifo;

	if (path && n->fifo_path && !strcmp(path, n->fifo_path))
		return;
	fifo_close(n);
	free(n->fifo_path);
	n->fifo_path = NULL;
	memset(&n->rl_noreader, 0, sizeof(n->rl_noreader));
	memset(&n->rl_full, 0, sizeof(n->rl_full));
	memset(&n->rl_fifo_err, 0, sizeof(n->rl_fifo_err));
	if (!path)
		return;
	n->fifo_path = strdup(path);
	if (!n->fifo_path) {
		log_errx("notify fifo %s: out of memory", path);
		return;
	}
	if (access(n->fifo_path, F_OK) < 0 && errno == ENOENT)
		fifo_create(n);
}

/* ---- the object ---- */

struct notify *notify_new(struct loop *l, const struct config *conf)
{
	struct notify *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->l = l;
	n->conf = conf;
	n->cmd_timeout_ms = NOTIFY_TIMEOUT_MS;
	n->fifo_fd = -1;
	fifo_setup(n);
	return n;
}

void notify_set_config(struct notify *n, const struct config *conf)
{
	if (!n)
		return;
	n->conf = conf;
	fifo_setup(n);
}

void notify_state(struct notify *n, const char *kind, const char *name,
		  const struct conf_notify *cfg, const char *state, uint8_t prio)
{
	const struct conf_cmd *spec = NULL;
	const char *label = NULL;
	char head[NOTIFY_WHAT_MAX], p[8], line[2 * CONF_NAME_MAX + 64];

	if (!n)
		return;
	if (!strcmp(state, "MASTER")) {
		spec = cfg ? &cfg->master : NULL;
		label = "notify_master";
	} else if (!strcmp(state, "BACKUP")) {
		spec = cfg ? &cfg->backup : NULL;
		label = "notify_backup";
	} else if (!strcmp(state, "FAULT")) {
		spec = cfg ? &cfg->fault : NULL;
		label = "notify_fault";
	} else if (!strcmp(state, "STOP")) {
		spec = cfg ? &cfg->stop : NULL;
		label = "notify_stop";
	} else if (!strcmp(state, "DELETED")) {
		spec = cfg ? &cfg->del : NULL;
		label = "notify_deleted";
	}
	snprintf(head, sizeof(head), "%s %s %s", kind, name, state);
	snprintf(p, sizeof(p), "%u", (unsigned)prio);
	notify_fifo_line(line, sizeof(line), kind, name, state, prio);
	fifo_write(n, line);
	if (!cfg)
		return;
	if (spec)
		run_cmd(n, label, spec, head, NULL);
	const char *const extra[] = {kind, name, state, p, NULL};
	run_cmd(n, "notify", &cfg->any, head, extra);
	if (cfg->smtp_alert)
		notify_mail_send(n, head, kind, name, state, prio);
}

void notify_fifo_only(struct notify *n, const char *kind, const char *name, const char *state,
		      uint8_t prio)
{
	char line[2 * CONF_NAME_MAX + 64];

	if (!n)
		return;
	notify_fifo_line(line, sizeof(line), kind, name, state, prio);
	fifo_write(n, line);
}

void notify_priority(struct notify *n, const char *name, bool master, uint8_t prio)
{
	notify_fifo_only(n, "INSTANCE", name, master ? "MASTER_PRIORITY" : "BACKUP_PRIORITY", prio);
}

void notify_conflict(struct notify *n, const char *name, const struct conf_notify *cfg,
		     const char *kind, const char *peer, bool start, const char *detail)
{
	const char *ev = start ? "CONFLICT" : "CONFLICT_END";
	char head[NOTIFY_WHAT_MAX], line[3 * CONF_NAME_MAX + 64], subject[3 * CONF_NAME_MAX];
	char body[NOTIFY_BODY_MAX];

	if (!n)
		return;
	snprintf(line, sizeof(line), "INSTANCE \"%s\" %s %s %s\n", name, ev, kind, peer);
	fifo_write(n, line);
	if (!cfg)
		return;
	snprintf(head, sizeof(head), "INSTANCE %s %s", name, ev);
	const char *const extra[] = {name, kind, peer, start ? "start" : "end", NULL};
	run_cmd(n, "notify_conflict", &cfg->conflict, head, extra);
	if (start) {
		const char *const fx[] = {peer, NULL};
		struct notify_job *j = run_cmd(n, "fence_script", &cfg->fence, head, fx);
		if (j)
			j->log_status = true;
	}
	if (!cfg->smtp_alert)
		return;
	const struct conf_global *g = &n->conf->global;
	snprintf(subject, sizeof(subject), "[%s] %s: %s %s", g->router_id, name,
		 start ? "split-brain conflict with" : "conflict over with", peer);
	snprintf(body, sizeof(body), "Instance %s: %s.\n\nKind: %s\nPeer: %s\nRouter: %s\n", name,
		 detail, kind, peer, g->router_id);
	notify_mail_text(n, head, subject, body);
}

void notify_event(struct notify *n, const char *kind, const char *name, const struct conf_cmd *cmd,
		  const char *label, const char *event, uint8_t prio)
{
	char head[NOTIFY_WHAT_MAX], line[2 * CONF_NAME_MAX + 64];

	if (!n)
		return;
	notify_fifo_line(line, sizeof(line), kind, name, event, prio);
	fifo_write(n, line);
	snprintf(head, sizeof(head), "%s %s %s", kind, name, event);
	if (cmd)
		run_cmd(n, label, cmd, head, NULL);
}

/* ---- shutdown ---- */

static void drain_deadline(void *arg, vtime_t now)
{
	(void)now;
	loop_stop(arg);
}

/* Runs what is still running in private loop PL until it is done or
 * TIMEOUT_MS is up. On return n->l is PL: the caller frees what is left
 * before PL. */
static void notify_drain(struct notify *n, struct loop *pl, unsigned timeout_ms)
{
	struct timer t_end;

	for (struct notify_job *j = n->jobs; j; j = j->next)
		if (job_move(j->job, pl) < 0)
			log_err("notify: %s: epoll", j->what); /* killed below */
	for (struct notify_mail *m = n->mails; m; m = m->next)
		notify_mail_move(m, pl);
	n->l = pl;
	if (n->res && resolve_move(n->res, pl) < 0)
		log_err("notify: the resolver of smtp_server: epoll"); /* its mails dropped */
	n->draining = true;
	timer_init(&t_end, drain_deadline, pl);
	loop_timer_arm(pl, &t_end, loop_now() + (vtime_t)timeout_ms * VTIME_MSEC);
	if (loop_run(pl) < 0)
		log_errx("notify: the shutdown loop failed; stopping what is left");
	loop_timer_cancel(pl, &t_end);
	n->draining = false;
}

void notify_free(struct notify *n, unsigned timeout_ms)
{
	struct loop pl;
	bool have_pl = false;

	if (!n)
		return;
	if ((n->jobs || n->mails) && timeout_ms) {
		have_pl = loop_init(&pl, NULL, NULL, NULL) == 0;
		if (have_pl)
			notify_drain(n, &pl, timeout_ms);
		else
			log_errx("notify: cannot wait for the commands and mails still running");
	}
	for (struct notify_job *j = n->jobs; j; j = j->next)
		log_warnx("notify: %s (pid %d) still running as vrrpd stops; killing it", j->what,
			  (int)job_pid(j->job));
	/* What is left: cmd_free() kills, the mails are logged. */
	while (n->jobs)
		cmd_free(n, n->jobs);
	while (n->mails) {
		log_errx("notify: %s: alert mail not sent: vrrpd stopped (at: %s)", n->mails->what,
			 n->mails->c.s.cmd);
		notify_mail_free(n, n->mails);
	}
	resolve_free(n->res); /* before PL, whose loop it may be in */
	if (have_pl)
		loop_free(&pl);
	fifo_close(n);
	free(n->fifo_path);
	free(n);
}
