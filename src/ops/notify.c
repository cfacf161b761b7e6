/* notify: notify commands, the notify FIFO and SMTP alerts.
 *
 * How: every transition writes its FIFO line first (one non-blocking
 * write), then starts the state-specific command and the generic `notify`
 * command (script_start: fork/exec, returns once the child has exec'd),
 * then starts a mail (a non-blocking connect). What runs afterwards is
 * driven by the event loop:
 *  - a command is a job: its pidfd and its output pipe are in the loop; the
 *    output is read as it comes (so a chatty command never blocks on a full
 *    pipe), its first NOTIFY_OUT_KEEP bytes are kept and logged, line by
 *    line (NOTIFY_OUT_LINES at most), when the command fails; a timer kills
 *    it after NOTIFY_TIMEOUT_MS.
 *  - a mail is a struct smtp_conn whose socket is in the loop, with a
 *    deadline timer of smtp_connect_timeout (the whole dialogue); at most
 *    NOTIFY_MAILS_MAX are in flight.
 *  - finished jobs and mails are freed by a timer armed "now": it runs after
 *    the file descriptor callbacks of the current loop turn, so an event of
 *    the same epoll batch never points to freed memory.
 *  - the FIFO is created when missing (mkfifo, mode NOTIFY_FIFO_MODE
 *    whatever the umask, owned by notify_fifo's user and group when given)
 *    and left in place at exit. It is opened O_WRONLY | O_NONBLOCK when
 *    there is something to write and kept open: with no reader the open
 *    fails (ENXIO) and the line is dropped, a full pipe (EAGAIN) drops the
 *    line, a reader that went away (EPIPE; the daemon ignores SIGPIPE) makes
 *    us reopen once. Those warnings appear at most once a minute, with the
 *    count of the lines dropped meanwhile.
 *  - notify_free() takes everything out of the loop and waits with poll()
 *    on the same descriptors, bounded, then kills and frees what is left. */
#include "ops/notify.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/script.h"
#include "io/log.h"
#include "io/loop.h"
#include "io/proc.h"
#include "ops/smtp.h"

#define NOTIFY_FIFO_MODE  0640 /* owner read/write, group read */
#define NOTIFY_OUT_KEEP	  1024 /* bytes of a command's output kept for the log */
#define NOTIFY_OUT_LINES  5    /* lines of it logged */
#define NOTIFY_MAILS_MAX  16   /* mails in flight at once */
#define NOTIFY_LOG_EVERY  (60 * VTIME_SEC)
#define NOTIFY_WHAT_MAX	  (2 * CONF_NAME_MAX + 64)
#define NOTIFY_READ_TURNS 16 /* 4 KiB reads per output event, at most */

struct notify_job {
	struct notify *n;
	struct notify_job *next;
	char what[NOTIFY_WHAT_MAX]; /* "INSTANCE VI_1 MASTER: notify_master" */
	struct proc run;
	struct loop_fd pfd, ofd;
	bool pid_watched, out_watched;
	struct timer t_kill;
	vtime_t kill_at;
	char out[NOTIFY_OUT_KEEP + 1];
	size_t out_len, out_more; /* kept / not kept */
	bool done;
};

struct notify_mail {
	struct notify *n;
	struct notify_mail *next;
	char what[NOTIFY_WHAT_MAX]; /* "INSTANCE VI_1 MASTER" */
	struct smtp_conn c;
	struct loop_fd lfd;
	uint32_t events; /* what lfd waits for */
	bool watched;
	struct timer t_deadline;
	vtime_t deadline;
	uint32_t timeout_ms;
	size_t n_to;
	bool done;
};

/* A warning shown at most once per NOTIFY_LOG_EVERY. */
struct notify_rate {
	vtime_t last; /* 0 = never shown */
	unsigned skipped;
};

struct notify {
	struct loop *l;
	const struct config *conf;
	struct notify_job *jobs;
	struct notify_mail *mails;
	size_t n_mails;
	struct timer t_gc;
	bool closing; /* in notify_free(): the loop is not used any more */
	char *fifo_path;
	int fifo_fd;
	struct notify_rate rl_noreader, rl_full, rl_fifo_err, rl_mails;
};

/* ---- pure helpers ---- */

/* keepalived's FIFO line: `INSTANCE "VI_1" MASTER 100\n`. Returns its length
 * (as snprintf). */
static int notify_fifo_line(char *buf, size_t len, const char *kind, const char *name,
			    const char *state, unsigned prio)
{
	return snprintf(buf, len, "%s \"%s\" %s %u\n", kind, name, state, prio);
}

/* The text of an alert mail. Returns BUF. */
static const char *notify_mail_body(char *buf, size_t len, const char *router_id, const char *kind,
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

/* Keeps what a command printed, with control characters (but tab and
 * newline) replaced by '?', so that a log line stays one line of text. */
static void keep_output(char *out, size_t *len, size_t *more, const char *data, size_t n)
{
	size_t room = NOTIFY_OUT_KEEP - *len, k = n < room ? n : room;

	for (size_t i = 0; i < k; i++) {
		unsigned char c = (unsigned char)data[i];

		bool ctl = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f;

		out[*len + i] = ctl ? '?' : (char)c;
	}
	*len += k;
	out[*len] = '\0';
	*more += n - k;
}

/* ---- small helpers ---- */

static bool rate_ok(struct notify_rate *r, vtime_t now, unsigned *skipped)
{
	if (r->last && now - r->last < NOTIFY_LOG_EVERY) {
		r->skipped++;
		return false;
	}
	r->last = now ? now : 1;
	*skipped = r->skipped;
	r->skipped = 0;
	return true;
}

static void schedule_gc(struct notify *n)
{
	if (!n->closing)
		loop_timer_arm(n->l, &n->t_gc, loop_now());
}

static void unwatch(struct notify *n, struct loop_fd *h, bool *watched)
{
	if (*watched && !n->closing)
		loop_del_fd(n->l, h);
	*watched = false;
}

/* ---- commands ---- */

static void job_log_output(const struct notify_job *j)
{
	const char *p = j->out, *end = j->out + j->out_len;
	int lines = 0;

	while (p < end && lines < NOTIFY_OUT_LINES) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t l = e ? (size_t)(e - p) : (size_t)(end - p);

		if (l) {
			log_warnx("notify: %s output: %.*s", j->what, (int)l, p);
			lines++;
		}
		p += l + (e ? 1 : 0);
	}
	while (p < end && (*p == '\n'))
		p++;
	if (p < end || j->out_more)
		log_warnx("notify: %s output: (%zu more bytes not shown)", j->what,
			  (size_t)(end - p) + j->out_more);
}

static void job_close_out(struct notify_job *j)
{
	unwatch(j->n, &j->ofd, &j->out_watched);
	if (j->run.outfd >= 0)
		close(j->run.outfd);
	j->run.outfd = -1;
}

/* Reads what is there, bounded; closes the pipe at EOF. */
static void job_read(struct notify_job *j)
{
	char buf[4096];

	for (int k = 0; k < NOTIFY_READ_TURNS && j->run.outfd >= 0; k++) {
		ssize_t r = read(j->run.outfd, buf, sizeof(buf));

		if (r > 0) {
			keep_output(j->out, &j->out_len, &j->out_more, buf, (size_t)r);
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		job_close_out(j); /* EOF or error */
	}
}

static void job_on_output(void *arg, uint32_t events)
{
	struct notify_job *j = arg;

	(void)events;
	if (!j->done)
		job_read(j);
}

static void job_finish(struct notify_job *j, int status)
{
	char st[128];

	if (!j->n->closing)
		loop_timer_cancel(j->n->l, &j->t_kill);
	/* The output written before the exit is in the pipe: take it, but do
	 * not wait for EOF (a background child may hold the pipe open). */
	job_read(j);
	job_close_out(j);
	script_status_str(status, j->run.killed, NOTIFY_TIMEOUT_MS, st, sizeof(st));
	if (j->run.killed || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		log_warnx("notify: %s (pid %d) %s", j->what, (int)j->run.pid, st);
		job_log_output(j);
	} else {
		log_debug("notify: %s (pid %d) %s", j->what, (int)j->run.pid, st);
	}
	j->done = true;
	schedule_gc(j->n);
}

static void job_on_exit(void *arg, uint32_t events)
{
	struct notify_job *j = arg;
	int status = 0, r;

	(void)events;
	if (j->done || j->run.pidfd < 0)
		return;
	r = proc_reap(&j->run, &status); /* closes the pidfd when it returns 1 */
	if (r == 0)
		return;
	j->pid_watched = false; /* closing the pidfd took it out of epoll */
	if (r < 0) {
		log_err("notify: %s (pid %d): cannot collect its exit status", j->what,
			(int)j->run.pid);
		unwatch(j->n, &j->pfd, &(bool){true});
		proc_close(&j->run); /* kills and reaps it */
		status = 0xff00;
	}
	job_finish(j, status);
}

static void job_timeout(void *arg, vtime_t now)
{
	struct notify_job *j = arg;

	(void)now;
	if (j->done || j->run.killed)
		return;
	log_warnx("notify: %s (pid %d) still running after %u s; killing it", j->what,
		  (int)j->run.pid, (unsigned)NOTIFY_TIMEOUT_MS / 1000);
	proc_kill(&j->run); /* the exit arrives on the pidfd */
}

static void job_free(struct notify_job *j)
{
	if (!j->done) {
		unwatch(j->n, &j->pfd, &j->pid_watched);
		job_close_out(j);
	}
	proc_close(&j->run); /* kills and reaps a program still running */
	free(j);
}

/* Starts one notify command. */
static void run_cmd(struct notify *n, const char *label, const struct conf_cmd *cmd,
		    const char *head, const char *const *extra)
{
	struct script_cmd sc;
	struct notify_job *j;
	struct proc_cred cred;
	char err[256];

	if (!cmd->line)
		return;
	if (script_parse(cmd->line, &sc, err, sizeof(err)) < 0) {
		log_errx("notify: %s: %s: %s", head, label, err);
		return;
	}
	if (n->conf->global.script_security &&
	    proc_check_security(&sc, cmd->user.uid, cmd->user.gid, err, sizeof(err)) < 0) {
		log_errx("notify: %s: %s refused by script security: %s", head, label, err);
		goto out;
	}
	j = calloc(1, sizeof(*j));
	if (!j) {
		log_errx("notify: %s: %s: out of memory", head, label);
		goto out;
	}
	j->n = n;
	snprintf(j->what, sizeof(j->what), "%s: %s", head, label);
	cred = (struct proc_cred){.set = true, .uid = cmd->user.uid, .gid = cmd->user.gid};
	if (proc_start(&j->run, &sc, &cred, extra, true, err, sizeof(err)) < 0) {
		log_errx("notify: %s cannot run: %s", j->what, err);
		free(j);
		goto out;
	}
	j->pfd = (struct loop_fd){.fd = j->run.pidfd, .cb = job_on_exit, .arg = j};
	j->ofd = (struct loop_fd){.fd = j->run.outfd, .cb = job_on_output, .arg = j};
	if (loop_add_fd(n->l, &j->pfd, EPOLLIN) < 0) {
		log_errx("notify: %s: epoll: %s; killed", j->what, strerror(errno));
		proc_close(&j->run);
		free(j);
		goto out;
	}
	j->pid_watched = true;
	if (j->run.outfd >= 0) {
		if (loop_add_fd(n->l, &j->ofd, EPOLLIN) == 0)
			j->out_watched = true;
		else
			job_close_out(j); /* the program gets EPIPE if it writes */
	}
	timer_init(&j->t_kill, job_timeout, j);
	j->kill_at = loop_now() + (vtime_t)NOTIFY_TIMEOUT_MS * VTIME_MSEC;
	loop_timer_arm(n->l, &j->t_kill, j->kill_at);
	j->next = n->jobs;
	n->jobs = j;
	log_info("notify: %s started (pid %d)", j->what, (int)j->run.pid);
out:
	script_cmd_free(&sc);
}

/* ---- the FIFO ---- */

static void fifo_close(struct notify *n)
{
	if (n->fifo_fd >= 0)
		close(n->fifo_fd);
	n->fifo_fd = -1;
}

static void fifo_warn(struct notify *n, struct notify_rate *r, const char *why)
{
	unsigned skipped = 0;

	if (!rate_ok(r, loop_now(), &skipped))
		return;
	if (skipped)
		log_warnx("notify fifo %s: %s (%u more such lines dropped in the last minute)",
			  n->fifo_path, why, skipped);
	else
		log_warnx("notify fifo %s: %s", n->fifo_path, why);
}

static int fifo_create(struct notify *n)
{
	const struct conf_global *g = &n->conf->global;
	char why[256];

	if (mkfifo(n->fifo_path, NOTIFY_FIFO_MODE) < 0 && errno != EEXIST) {
		snprintf(why, sizeof(why), "cannot create it: %s", strerror(errno));
		fifo_warn(n, &n->rl_fifo_err, why);
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
	char why[256];
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
		if (errno == ENXIO) {
			fifo_warn(n, &n->rl_noreader, "nobody reads it; line dropped");
		} else {
			snprintf(why, sizeof(why), "cannot open it: %s; line dropped",
				 strerror(errno));
			fifo_warn(n, &n->rl_fifo_err, why);
		}
		return false;
	}
	if (fstat(n->fifo_fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		fifo_close(n);
		fifo_warn(n, &n->rl_fifo_err, "is not a FIFO; not writing to it");
		return false;
	}
	return true;
}

static void fifo_write(struct notify *n, const char *line)
{
	size_t len = strlen(line);
	char why[256];

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
			fifo_warn(n, &n->rl_full, "short write; line cut");
			return;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			fifo_warn(n, &n->rl_full, "full (its reader is slow); line dropped");
			return;
		}
		int e = errno;

		fifo_close(n);
		if (e != EPIPE) {
			snprintf(why, sizeof(why), "write: %s; line dropped", strerror(e));
			fifo_warn(n, &n->rl_fifo_err, why);
			return;
		}
	}
	fifo_warn(n, &n->rl_noreader, "nobody reads it; line dropped");
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

/* ---- mail ---- */

static void mail_finish(struct notify_mail *m)
{
	struct notify *n = m->n;

	if (!n->closing)
		loop_timer_cancel(n->l, &m->t_deadline);
	m->watched = false; /* smtp_conn closed the socket, which left epoll */
	if (m->c.s.state == SMTP_DONE)
		log_info("notify: %s: alert mail sent to %zu recipient(s)", m->what, m->n_to);
	else
		log_errx("notify: %s: alert mail not sent: %s", m->what, smtp_error(&m->c.s));
	m->done = true;
	schedule_gc(n);
}

static void mail_on_event(void *arg, uint32_t events)
{
	struct notify_mail *m = arg;
	uint32_t ev;

	if (m->done)
		return;
	if (smtp_conn_on_event(&m->c, events)) {
		mail_finish(m);
		return;
	}
	ev = smtp_conn_events(&m->c);
	if (ev != m->events && !m->n->closing && loop_mod_fd(m->n->l, &m->lfd, ev) < 0)
		log_err("notify: %s: epoll", m->what);
	m->events = ev;
}

static void mail_timeout(void *arg, vtime_t now)
{
	struct notify_mail *m = arg;

	(void)now;
	if (m->done)
		return;
	unwatch(m->n, &m->lfd, &m->watched);
	smtp_conn_timeout(&m->c, m->timeout_ms);
	mail_finish(m);
}

static void mail_free(struct notify_mail *m)
{
	if (!m->done) {
		unwatch(m->n, &m->lfd, &m->watched);
		log_errx("notify: %s: alert mail not sent: vrrpd stopped (at: %s)", m->what,
			 m->c.s.cmd);
	}
	smtp_conn_free(&m->c);
	free(m);
}

static void mail_send(struct notify *n, const char *head, const char *kind, const char *name,
		      const char *state, unsigned prio)
{
	const struct conf_global *g = &n->conf->global;
	struct notify_mail *m;
	char subject[3 * CONF_NAME_MAX], body[1024];
	unsigned skipped = 0;
	time_t t = time(NULL);

	if (!g->has_smtp_server || !g->n_notification_email)
		return; /* the configuration warned */
	if (n->n_mails >= NOTIFY_MAILS_MAX) {
		if (rate_ok(&n->rl_mails, loop_now(), &skipped))
			log_errx("notify: %s: alert mail not sent: %d mails are still in flight "
				 "(%u more not sent in the last minute)",
				 head, NOTIFY_MAILS_MAX, skipped);
		return;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		log_errx("notify: %s: alert mail not sent: out of memory", head);
		return;
	}
	m->n = n;
	snprintf(m->what, sizeof(m->what), "%s", head);
	smtp_subject(subject, sizeof(subject), g->router_id, name, state);
	notify_mail_body(body, sizeof(body), g->router_id, kind, name, state, prio, t);
	struct smtp_mail mail = {.from = g->email_from,
				 .to = (const char *const *)g->notification_email,
				 .n_to = g->n_notification_email,
				 .subject = subject,
				 .body = body,
				 .helo = g->smtp_helo_name[0] ? g->smtp_helo_name : NULL,
				 .date = t};
	m->n_to = mail.n_to;
	m->timeout_ms = g->smtp_connect_timeout_ms ? g->smtp_connect_timeout_ms : 30000;
	m->c.fd = -1;
	if (smtp_conn_start(&m->c, &g->smtp_server, g->smtp_port, &mail) < 0) {
		log_errx("notify: %s: alert mail not sent: %s", head, smtp_error(&m->c.s));
		smtp_conn_free(&m->c);
		free(m);
		return;
	}
	m->events = smtp_conn_events(&m->c);
	m->lfd = (struct loop_fd){.fd = m->c.fd, .cb = mail_on_event, .arg = m};
	if (loop_add_fd(n->l, &m->lfd, m->events) < 0) {
		log_err("notify: %s: alert mail not sent: epoll", head);
		smtp_conn_free(&m->c);
		free(m);
		return;
	}
	m->watched = true;
	timer_init(&m->t_deadline, mail_timeout, m);
	m->deadline = loop_now() + (vtime_t)m->timeout_ms * VTIME_MSEC;
	loop_timer_arm(n->l, &m->t_deadline, m->deadline);
	m->next = n->mails;
	n->mails = m;
	n->n_mails++;
}

/* ---- the object ---- */

/* Frees the jobs and mails that are done. */
static void collect(struct notify *n)
{
	for (struct notify_job **pj = &n->jobs; *pj;) {
		struct notify_job *j = *pj;

		if (j->done) {
			*pj = j->next;
			job_free(j);
		} else {
			pj = &j->next;
		}
	}
	for (struct notify_mail **pm = &n->mails; *pm;) {
		struct notify_mail *m = *pm;

		if (m->done) {
			*pm = m->next;
			n->n_mails--;
			mail_free(m);
		} else {
			pm = &m->next;
		}
	}
}

static void on_gc(void *arg, vtime_t now)
{
	(void)now;
	collect(arg);
}

struct notify *notify_new(struct loop *l, const struct config *conf)
{
	struct notify *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->l = l;
	n->conf = conf;
	n->fifo_fd = -1;
	timer_init(&n->t_gc, on_gc, n);
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
		mail_send(n, head, kind, name, state, prio);
}

/* ---- shutdown ---- */

enum { W_PID, W_OUT, W_MAIL };

static short to_poll(uint32_t ev)
{
	return (short)(((ev & EPOLLIN) ? POLLIN : 0) | ((ev & EPOLLOUT) ? POLLOUT : 0));
}

static uint32_t from_poll(short rev)
{
	return ((rev & POLLIN) ? EPOLLIN : 0) | ((rev & POLLOUT) ? EPOLLOUT : 0) |
	       ((rev & POLLERR) ? EPOLLERR : 0) | ((rev & POLLHUP) ? EPOLLHUP : 0);
}

/* One poll() round over what is still running, until DEADLINE at most. */
static void shutdown_round(struct notify *n, vtime_t deadline)
{
	size_t cap = 0, k = 0;
	vtime_t now = loop_now(), until = deadline;
	struct pollfd *pf;
	struct {
		int kind;
		void *p;
	} * who;
	int ms;

	for (struct notify_job *j = n->jobs; j; j = j->next)
		cap += 2;
	cap += n->n_mails;
	pf = calloc(cap ? cap : 1, sizeof(*pf));
	who = calloc(cap ? cap : 1, sizeof(*who));
	if (!pf || !who) {
		free(pf);
		free(who);
		return;
	}
	for (struct notify_job *j = n->jobs; j; j = j->next) {
		if (j->done)
			continue;
		if (!j->run.killed && j->kill_at < until)
			until = j->kill_at;
		if (j->run.pidfd >= 0) {
			pf[k] = (struct pollfd){.fd = j->run.pidfd, .events = POLLIN};
			who[k].kind = W_PID;
			who[k++].p = j;
		}
		if (j->run.outfd >= 0) {
			pf[k] = (struct pollfd){.fd = j->run.outfd, .events = POLLIN};
			who[k].kind = W_OUT;
			who[k++].p = j;
		}
	}
	for (struct notify_mail *m = n->mails; m; m = m->next) {
		if (m->done || m->c.fd < 0)
			continue;
		if (m->deadline < until)
			until = m->deadline;
		pf[k] = (struct pollfd){.fd = m->c.fd, .events = to_poll(smtp_conn_events(&m->c))};
		who[k].kind = W_MAIL;
		who[k++].p = m;
	}
	ms = until > now ? (int)((until - now + VTIME_MSEC - 1) / VTIME_MSEC) : 0;
	if (poll(pf, (nfds_t)k, ms) > 0) {
		for (size_t i = 0; i < k; i++) {
			uint32_t ev = from_poll(pf[i].revents);

			if (!ev)
				continue;
			if (who[i].kind == W_PID)
				job_on_exit(who[i].p, ev);
			else if (who[i].kind == W_OUT)
				job_on_output(who[i].p, ev);
			else
				mail_on_event(who[i].p, ev);
		}
	}
	now = loop_now();
	for (struct notify_job *j = n->jobs; j; j = j->next)
		if (!j->done && !j->run.killed && j->kill_at <= now)
			job_timeout(j, now);
	for (struct notify_mail *m = n->mails; m; m = m->next)
		if (!m->done && m->deadline <= now)
			mail_timeout(m, now);
	free(pf);
	free(who);
}

void notify_free(struct notify *n, unsigned timeout_ms)
{
	vtime_t deadline;

	if (!n)
		return;
	/* Out of the loop: from here on only poll(). */
	loop_timer_cancel(n->l, &n->t_gc);
	for (struct notify_job *j = n->jobs; j; j = j->next) {
		unwatch(n, &j->pfd, &j->pid_watched);
		unwatch(n, &j->ofd, &j->out_watched);
		loop_timer_cancel(n->l, &j->t_kill);
	}
	for (struct notify_mail *m = n->mails; m; m = m->next) {
		unwatch(n, &m->lfd, &m->watched);
		loop_timer_cancel(n->l, &m->t_deadline);
	}
	n->closing = true;
	deadline = loop_now() + (vtime_t)timeout_ms * VTIME_MSEC;
	for (unsigned round = 0; round < 100000; round++) {
		collect(n);
		if ((!n->jobs && !n->mails) || loop_now() >= deadline)
			break;
		shutdown_round(n, deadline);
	}
	for (struct notify_job *j = n->jobs; j; j = j->next)
		if (!j->done)
			log_warnx("notify: %s (pid %d) still running as vrrpd stops; killing it",
				  j->what, (int)j->run.pid);
	/* What is left: job_free() kills, mail_free() logs. */
	while (n->jobs) {
		struct notify_job *j = n->jobs;

		n->jobs = j->next;
		job_free(j);
	}
	while (n->mails) {
		struct notify_mail *m = n->mails;

		n->mails = m->next;
		mail_free(m);
	}
	fifo_close(n);
	free(n->fifo_path);
	free(n);
}
