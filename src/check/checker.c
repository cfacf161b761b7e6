/* checker: the vrrp_script runners. */
#include "check/checker.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>

#include "core/script.h"
#include "core/track.h"
#include "io/log.h"
#include "io/loop.h"
#include "io/proc.h"

struct checker {
	struct checker_set *set;
	size_t idx;
	const struct conf_script *cs;
	struct script_cmd cmd;
	bool cmd_ok;
	struct track_hyst h;
	struct proc run;
	bool running;
	vtime_t started;
	struct loop_fd lfd;
	struct timer t_next, t_timeout;
	char last_err[160]; /* last start error, logged once */
};

struct checker_set {
	struct loop *l;
	const struct config *conf;
	struct checker *c;
	size_t n;
	void (*on_change)(void *arg, size_t script, bool up);
	void *arg;
};

static void checker_verdict(struct checker *c, bool success, const char *what)
{
	bool was = c->h.up;
	bool up = track_feed(&c->h, success, c->cs->rise, c->cs->fall);

	if (up == was)
		return;
	log_info("script %s: now %s (%s)", c->cs->name, up ? "succeeding" : "failing", what);
	c->set->on_change(c->set->arg, c->idx, up);
}

static void checker_finish(struct checker *c, int status)
{
	char buf[128];

	loop_timer_cancel(c->set->l, &c->t_timeout);
	c->running = false;
	script_status_str(status, c->run.killed, c->cs->timeout_ms, buf, sizeof(buf));
	bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && !c->run.killed;
	if (!ok)
		log_debug("script %s: %s", c->cs->name, buf);
	proc_close(&c->run);
	checker_verdict(c, ok, buf);
}

static void checker_exited(void *arg, uint32_t events)
{
	struct checker *c = arg;
	int status = 0;

	(void)events;
	int r = proc_reap(&c->run, &status);
	if (r == 0)
		return;
	loop_del_fd(c->set->l, &c->lfd);
	if (r < 0) {
		log_err("script %s: cannot collect its exit status", c->cs->name);
		status = 0xff00; /* exited 255 */
	}
	checker_finish(c, status);
}

static void checker_timeout(void *arg, vtime_t now)
{
	struct checker *c = arg;

	(void)now;
	if (!c->running)
		return;
	log_warnx("script %s: still running after %.1f s; killing it", c->cs->name,
		  c->cs->timeout_ms / 1000.0);
	proc_kill(&c->run); /* its exit arrives on the pidfd */
}

static void checker_start(void *arg, vtime_t now)
{
	struct checker *c = arg;
	char err[160] = "";

	loop_timer_arm(c->set->l, &c->t_next, now + (vtime_t)c->cs->interval_ms * VTIME_MSEC);
	if (c->running)
		return; /* never two runs of one script at a time */
	if (!c->cmd_ok) {
		checker_verdict(c, false, "its command line cannot be used");
		return;
	}
	const struct conf_user *u = &c->cs->cmd.user;
	if (c->set->conf->global.script_security &&
	    proc_check_security(&c->cmd, u->uid, u->gid, err, sizeof(err)) < 0) {
		if (strcmp(err, c->last_err))
			log_errx("script %s: refused by script security: %s", c->cs->name, err);
		snprintf(c->last_err, sizeof(c->last_err), "%s", err);
		checker_verdict(c, false, "refused by script security");
		return;
	}
	struct proc_cred cred = {.set = true, .uid = u->uid, .gid = u->gid};
	if (proc_start(&c->run, &c->cmd, &cred, NULL, false, err, sizeof(err)) < 0) {
		if (strcmp(err, c->last_err))
			log_errx("script %s: cannot run: %s", c->cs->name, err);
		snprintf(c->last_err, sizeof(c->last_err), "%s", err);
		checker_verdict(c, false, "cannot run");
		return;
	}
	c->last_err[0] = '\0';
	c->running = true;
	c->started = now;
	c->lfd = (struct loop_fd){.fd = c->run.pidfd, .cb = checker_exited, .arg = c};
	if (loop_add_fd(c->set->l, &c->lfd, EPOLLIN) < 0) {
		log_err("script %s: epoll", c->cs->name);
		proc_close(&c->run);
		c->running = false;
		return;
	}
	loop_timer_arm(c->set->l, &c->t_timeout, now + (vtime_t)c->cs->timeout_ms * VTIME_MSEC);
}

static bool checker_used(const struct config *conf, size_t script)
{
	for (size_t i = 0; i < conf->n_inst; i++)
		for (size_t j = 0; j < conf->inst[i].n_track_scripts; j++)
			if (conf->inst[i].track_scripts[j].script == script)
				return true;
	for (size_t i = 0; i < conf->n_groups; i++)
		for (size_t j = 0; j < conf->groups[i].n_track_scripts; j++)
			if (conf->groups[i].track_scripts[j].script == script)
				return true;
	return false;
}

struct checker_set *checker_new(struct loop *l, const struct config *conf,
				const struct checker_set *prev,
				void (*on_change)(void *arg, size_t script, bool up), void *arg)
{
	struct checker_set *s = calloc(1, sizeof(*s));
	vtime_t now = loop_now();

	if (!s)
		return NULL;
	s->l = l;
	s->conf = conf;
	s->on_change = on_change;
	s->arg = arg;
	s->n = conf->n_scripts;
	s->c = calloc(s->n ? s->n : 1, sizeof(*s->c));
	if (!s->c) {
		free(s);
		return NULL;
	}
	for (size_t i = 0; i < s->n; i++) {
		struct checker *c = &s->c[i];
		char err[160];
		c->set = s;
		c->idx = i;
		c->cs = &conf->scripts[i];
		c->h.up = !c->cs->init_fail;
		c->run.pidfd = c->run.outfd = -1;
		timer_init(&c->t_next, checker_start, c);
		timer_init(&c->t_timeout, checker_timeout, c);
		c->cmd_ok = script_parse(c->cs->cmd.line, &c->cmd, err, sizeof(err)) == 0;
		if (!c->cmd_ok)
			log_errx("script %s: %s", c->cs->name, err);
		for (size_t j = 0; prev && j < prev->n; j++)
			if (!strcmp(prev->c[j].cs->name, c->cs->name) &&
			    conf_script_equal(prev->c[j].cs, c->cs))
				c->h = prev->c[j].h;
		if (checker_used(conf, i))
			loop_timer_arm(l, &c->t_next, now);
		else if (!prev)
			log_warnx("script %s: not tracked by any instance or group; not run",
				  c->cs->name);
	}
	return s;
}

bool checker_up(const struct checker_set *s, size_t script)
{
	return script < s->n && s->c[script].h.up;
}

void checker_free(struct checker_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		struct checker *c = &s->c[i];
		loop_timer_cancel(s->l, &c->t_next);
		loop_timer_cancel(s->l, &c->t_timeout);
		if (c->running) {
			loop_del_fd(s->l, &c->lfd);
			proc_close(&c->run);
		}
		script_cmd_free(&c->cmd);
	}
	free(s->c);
	free(s);
}
