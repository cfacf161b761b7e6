/* notify_mail: the alert mails of notify (ops/notify_int.h): one struct
 * smtp_conn per mail, its socket in the loop, a deadline timer of
 * smtp_connect_timeout for the whole dialogue; smtp_server's name, when it
 * is one, resolved first by ops/resolve (a getent job), and each address
 * tried in turn. */
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

/* ---- mail ---- */

static void mail_unwatch(struct notify_mail *m)
{
	if (m->watched)
		loop_del_fd(m->n->l, &m->lfd);
	m->watched = false;
}

/* Unlinks M from the list and frees it. */
void notify_mail_free(struct notify *n, struct notify_mail *m)
{
	for (struct notify_mail **pm = &n->mails; *pm; pm = &(*pm)->next) {
		if (*pm == m) {
			*pm = m->next;
			n->n_mails--;
			break;
		}
	}
	loop_timer_cancel(n->l, &m->t_deadline);
	mail_unwatch(m);
	smtp_conn_free(&m->c);
	free(m);
}

static bool mail_connect(struct notify_mail *m);
static void notify_resolved(void *arg, const struct hostres_cache *r);

/* M's connection ended (smtp_conn closed its socket, which left epoll). A
 * server that could not be reached while another address is left: that
 * one is tried; else M is logged and freed. */
static void mail_finish(struct notify_mail *m)
{
	struct notify *n = m->n;

	m->watched = false;
	if (m->c.s.state == SMTP_FAILED && m->c.connecting && m->cur + 1 < m->n_addr) {
		log_info("notify: %s: %s; trying the next address", m->what, smtp_error(&m->c.s));
		m->cur++;
		mail_connect(m); /* or logged and freed */
		return;
	}
	if (m->c.s.state == SMTP_DONE) {
		n->mails_sent++;
		log_info("notify: %s: alert mail sent to %zu recipient(s)", m->what, m->n_to);
	} else {
		n->mails_failed++;
		log_errx("notify: %s: alert mail not sent: %s", m->what, smtp_error(&m->c.s));
	}
	notify_mail_free(n, m);
	notify_idle(n);
}

static void mail_on_event(void *arg, uint32_t events)
{
	struct notify_mail *m = arg;
	uint32_t ev;

	if (smtp_conn_on_event(&m->c, events)) {
		mail_finish(m);
		return;
	}
	ev = smtp_conn_events(&m->c);
	if (ev != m->events && loop_mod_fd(m->n->l, &m->lfd, ev) < 0)
		log_err("notify: %s: epoll", m->what);
	m->events = ev;
}

static void mail_timeout(void *arg, vtime_t now)
{
	struct notify_mail *m = arg;

	(void)now;
	mail_unwatch(m); /* drops an event of this batch for it */
	smtp_conn_timeout(&m->c, m->timeout_ms);
	mail_finish(m);
}

/* Moves M's socket and deadline from the notifier's loop to TO. */
void notify_mail_move(struct notify_mail *m, struct loop *to)
{
	bool watched = m->watched;

	if (m->resolving)
		return; /* no socket, no deadline yet: the resolver moves */
	loop_timer_cancel(m->n->l, &m->t_deadline);
	mail_unwatch(m);
	if (watched && loop_add_fd(to, &m->lfd, m->events) == 0)
		m->watched = true;
	else if (watched)
		log_err("notify: %s: epoll", m->what); /* its deadline still ends it */
	loop_timer_arm(to, &m->t_deadline, m->deadline);
}

/* Connects M to m->addr[m->cur] (the next ones when that fails at once),
 * with a fresh deadline. Returns true when a connection is under way;
 * false when none could start: M was then logged and freed. */
static bool mail_connect(struct notify_mail *m)
{
	const struct conf_global *g = &m->n->conf->global;
	struct smtp_mail mail = {.from = g->email_from,
				 .to = (const char *const *)g->notification_email,
				 .n_to = g->n_notification_email,
				 .subject = m->subject,
				 .body = m->body,
				 .helo = g->smtp_helo_name[0] ? g->smtp_helo_name : NULL,
				 .date = m->date};

	m->resolving = false;
	m->n_to = mail.n_to;
	for (;; m->cur++) {
		smtp_conn_free(&m->c);
		if (smtp_conn_start(&m->c, &m->addr[m->cur], g->smtp_port, &mail) == 0)
			break;
		if (m->cur + 1 >= m->n_addr) {
			mail_finish(m);
			return false;
		}
		log_info("notify: %s: %s; trying the next address", m->what, smtp_error(&m->c.s));
	}
	m->events = smtp_conn_events(&m->c);
	m->lfd = (struct loop_fd){.fd = m->c.fd, .cb = mail_on_event, .arg = m};
	if (loop_add_fd(m->n->l, &m->lfd, m->events) < 0) {
		log_err("notify: %s: alert mail not sent: epoll", m->what);
		m->n->mails_failed++;
		notify_mail_free(m->n, m);
		return false;
	}
	m->watched = true;
	m->deadline = loop_now() + (vtime_t)m->timeout_ms * VTIME_MSEC;
	loop_timer_arm(m->n->l, &m->t_deadline, m->deadline);
	return true;
}

/* HEAD and N_MORE other mails are dropped: smtp_server's name did not
 * resolve (RES). Logged once per failed resolution, with its reason; drops
 * on a failure already logged (still cached) at most once a minute. */
static void mail_unresolved(struct notify *n, const char *head, size_t n_more,
			    const struct hostres_cache *res)
{
	char more[48] = "";
	uint64_t skipped = 0;

	n->mails_unresolved += 1 + n_more;
	if (n_more)
		snprintf(more, sizeof(more), " (and %zu more)", n_more);
	if (res->at == n->dns_logged &&
	    !ratelimit_ok(&n->rl_dns, loop_now(), NOTIFY_LOG_EVERY, &skipped))
		return;
	n->rl_dns = (struct ratelimit){.shown = true, .last = loop_now()};
	n->dns_logged = res->at;
	log_errx("notify: %s%s: alert mail not sent: cannot resolve smtp_server %s: %s "
		 "(%" PRIu64 " mail(s) dropped so far for that reason)",
		 head, more, res->name, res->why, n->mails_unresolved);
}

/* M knows where to go (again): the configured address, or what smtp_server's
 * name resolves to. Returns false when M is not (yet) under way: it waits
 * for the resolver (m->resolving), or it was dropped and freed (a failure
 * is left in *FAILED for the caller to log, when FAILED is given, else
 * logged here). */
static bool mail_route(struct notify_mail *m, const struct hostres_cache **failed)
{
	struct notify *n = m->n;
	const struct conf_global *g = &n->conf->global;
	const struct hostres_cache *res;

	if (!g->smtp_server_name[0]) {
		m->addr[0] = g->smtp_server;
		m->n_addr = 1;
		m->cur = 0;
		return mail_connect(m);
	}
	static const struct hostres_cache oom = {.why = "out of memory", .failed = true};
	struct proc_cred cred = {.set = true, .uid = g->script_user.uid, .gid = g->script_user.gid};

	if (!n->res)
		n->res = resolve_new(n->l, notify_resolved, n);
	res = n->res ? resolve_get(n->res, g->smtp_server_name, m->timeout_ms, &cred) : &oom;
	if (!res) {
		m->resolving = true;
		snprintf(m->c.s.cmd, sizeof(m->c.s.cmd), "resolving %s", g->smtp_server_name);
		return false;
	}
	if (res->failed) {
		if (failed)
			*failed = res;
		else
			mail_unresolved(n, m->what, 0, res);
		notify_mail_free(n, m);
		return false;
	}
	memcpy(m->addr, res->addr, res->n * sizeof(res->addr[0]));
	m->n_addr = res->n;
	m->cur = 0;
	return mail_connect(m);
}

/* The resolver ended: every mail waiting for it goes on, or is dropped
 * (one log line for all of them). */
static void notify_resolved(void *arg, const struct hostres_cache *r)
{
	struct notify *n = arg;
	const struct hostres_cache *failed = NULL, *f;
	char head[NOTIFY_WHAT_MAX] = "";
	size_t dropped = 0;
	struct notify_mail *m, *next;

	(void)r;
	for (m = n->mails; m; m = next) {
		next = m->next;
		if (!m->resolving)
			continue;
		if (!n->conf->global.has_smtp_server || !n->conf->global.n_notification_email) {
			notify_mail_free(n, m); /* a reload took the mail server away */
			continue;
		}
		f = NULL;
		if (!dropped)
			snprintf(head, sizeof(head), "%s", m->what);
		if (!mail_route(m, &f) && f) {
			failed = f;
			dropped++;
		}
	}
	if (failed)
		mail_unresolved(n, head, dropped - 1, failed);
	notify_idle(n);
}

void notify_mail_text(struct notify *n, const char *head, const char *subject, const char *body)
{
	const struct conf_global *g = &n->conf->global;
	struct notify_mail *m;
	uint64_t skipped = 0;

	if (!g->has_smtp_server || !g->n_notification_email)
		return; /* the configuration warned */
	if (n->n_mails >= NOTIFY_MAILS_MAX) {
		n->mails_failed++;
		if (ratelimit_ok(&n->rl_mails, loop_now(), NOTIFY_LOG_EVERY, &skipped))
			log_errx("notify: %s: alert mail not sent: %d mails are still in flight "
				 "(%" PRIu64 " more not sent in the last minute)",
				 head, NOTIFY_MAILS_MAX, skipped);
		return;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		log_errx("notify: %s: alert mail not sent: out of memory", head);
		return;
	}
	snprintf(m->subject, sizeof(m->subject), "%s", subject);
	snprintf(m->body, sizeof(m->body), "%s", body);
	m->n = n;
	snprintf(m->what, sizeof(m->what), "%s", head);
	m->date = time(NULL);
	m->timeout_ms = g->smtp_connect_timeout_ms ? g->smtp_connect_timeout_ms : 30000;
	m->c.fd = -1;
	timer_init(&m->t_deadline, mail_timeout, m);
	m->next = n->mails;
	n->mails = m;
	n->n_mails++;
	mail_route(m, NULL);
}

void notify_mail_send(struct notify *n, const char *head, const char *kind, const char *name,
		      const char *state, unsigned prio)
{
	const struct conf_global *g = &n->conf->global;
	char subject[3 * CONF_NAME_MAX], body[NOTIFY_BODY_MAX];

	smtp_subject(subject, sizeof(subject), g->router_id, name, state);
	notify_mail_body(body, sizeof(body), g->router_id, kind, name, state, prio, time(NULL));
	notify_mail_text(n, head, subject, body);
}
