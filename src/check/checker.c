/* checker: the vrrp_script runners, each run an io/job; and the
 * vrrp_check runners, each run a probe in the loop (check/probe.h). */
#include "check/checker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check/probe.h"
#include "core/script.h"
#include "core/track.h"
#include "io/job.h"
#include "io/log.h"
#include "io/loop.h"
#include "io/proc.h"

struct checker {
	struct checker_set *set;
	size_t idx;
	const struct conf_script *cs;
	struct track_hyst h;
	struct job *run;     /* the run in progress; NULL when none */
	struct probe *probe; /* vrrp_check: the run in progress; NULL when none */
	struct timer t_next;
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

/* "script" for a vrrp_script, "check" for a vrrp_check, in the logs. */
static const char *checker_what(const struct checker *c)
{
	return c->cs->check.kind == CONF_CHECK_NONE ? "script" : "check";
}

static void checker_verdict(struct checker *c, bool success, const char *what)
{
	bool was = c->h.up;
	bool up = track_feed(&c->h, success, c->cs->rise, c->cs->fall);

	if (up == was)
		return;
	log_info("%s %s: now %s (%s)", checker_what(c), c->cs->name, up ? "succeeding" : "failing",
		 what);
	c->set->on_change(c->set->arg, c->idx, up);
}

static void checker_done(void *arg, struct job *j, const struct job_result *r)
{
	struct checker *c = arg;
	char buf[128];

	script_status_str(r->status, r->killed, c->cs->timeout_ms, buf, sizeof(buf));
	bool ok = WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0 && !r->killed;
	if (!ok)
		log_debug("script %s: %s", c->cs->name, buf);
	job_free(j);
	c->run = NULL;
	checker_verdict(c, ok, buf);
}

static void checker_timeout(void *arg, struct job *j)
{
	struct checker *c = arg;

	(void)j; /* killed; its exit comes to checker_done() */
	log_warnx("script %s: still running after %.1f s; killing it", c->cs->name,
		  c->cs->timeout_ms / 1000.0);
}

/* Logs ERR once: not again while the same error repeats. */
static void checker_log_once(struct checker *c, const char *what, const char *err)
{
	if (strcmp(err, c->last_err))
		log_errx("%s %s: %s: %s", checker_what(c), c->cs->name, what, err);
	snprintf(c->last_err, sizeof(c->last_err), "%s", err);
}

static void checker_probe_done(void *arg, bool ok, const char *why)
{
	struct checker *c = arg;

	if (!ok)
		log_debug("check %s: %s", c->cs->name, why);
	probe_free(c->probe);
	c->probe = NULL;
	checker_verdict(c, ok, why);
}

/* A run of a vrrp_check: no process, a socket in the loop. */
static void checker_probe(struct checker *c)
{
	char err[160] = "";

	if (c->probe)
		return; /* never two runs at a time */
	c->probe = probe_start(c->set->l, &c->cs->check, c->cs->timeout_ms, checker_probe_done, c,
			       err, sizeof(err));
	if (!c->probe) {
		checker_log_once(c, "cannot run", err);
		checker_verdict(c, false, "cannot run");
		return;
	}
	c->last_err[0] = '\0';
}

static void checker_start(void *arg, vtime_t now)
{
	struct checker *c = arg;
	const struct conf_cmd *cmd = &c->cs->cmd;
	char err[160] = "", name[JOB_NAME_MAX];

	loop_timer_arm(c->set->l, &c->t_next, now + (vtime_t)c->cs->interval_ms * VTIME_MSEC);
	if (c->cs->check.kind != CONF_CHECK_NONE) {
		checker_probe(c);
		return;
	}
	if (c->run)
		return; /* never two runs of one script at a time */
	if (!cmd->sc.argc) {
		checker_verdict(c, false, "its command line cannot be used");
		return;
	}
	if (c->set->conf->global.script_security &&
	    proc_check_security(&cmd->sc, cmd->user.uid, cmd->user.gid, err, sizeof(err)) < 0) {
		checker_log_once(c, "refused by script security", err);
		checker_verdict(c, false, "refused by script security");
		return;
	}
	struct proc_cred cred = {.set = true, .uid = cmd->user.uid, .gid = cmd->user.gid};
	snprintf(name, sizeof(name), "script %s", c->cs->name);
	struct job_spec spec = {.name = name,
				.cmd = &cmd->sc,
				.cred = &cred,
				.timeout_ms = c->cs->timeout_ms,
				.on_done = checker_done,
				.on_timeout = checker_timeout,
				.arg = c};
	c->run = job_start(c->set->l, &spec, err, sizeof(err));
	if (!c->run) {
		checker_log_once(c, "cannot run", err);
		checker_verdict(c, false, "cannot run");
		return;
	}
	c->last_err[0] = '\0';
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
		c->set = s;
		c->idx = i;
		c->cs = &conf->scripts[i];
		c->h.up = !c->cs->init_fail;
		timer_init(&c->t_next, checker_start, c);
		if (!c->cs->cmd.sc.argc && c->cs->check.kind == CONF_CHECK_NONE)
			log_errx("script %s: its command line cannot be used", c->cs->name);
		for (size_t j = 0; prev && j < prev->n; j++)
			if (!strcmp(prev->c[j].cs->name, c->cs->name) &&
			    conf_script_equal(prev->c[j].cs, c->cs))
				c->h = prev->c[j].h;
		if (checker_used(conf, i))
			loop_timer_arm(l, &c->t_next, now);
		else if (!prev)
			log_warnx("%s %s: not tracked by any instance or group; not run",
				  checker_what(c), c->cs->name);
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
		job_free(c->run); /* kills a run in progress */
		probe_free(c->probe);
	}
	free(s->c);
	free(s);
}
