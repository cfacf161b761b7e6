/* trackers: vrrp_track_process and track_file at run time. The rules are
 * core's (track_proc.c, track.c); the kernel's edges are io's (procmon.c,
 * filewatch.c); this file keeps the counts and values and tells tracking.c
 * when a verdict or a value changed.
 *
 * Processes: one /proc scan at start (and after the kernel dropped
 * events), then the proc connector's fork/exec/comm/exit events, never a
 * poll. A fork of a counted process counts (it has the same name and
 * command line until it execs), as in keepalived. Files: inotify on their
 * directories; a file is read when written and closed or moved in, and
 * counts as 0 when missing. Only blocks some instance or group lists are
 * watched. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/track.h"
#include "core/track_proc.h"
#include "daemon/internal.h"
#include "io/filewatch.h"
#include "io/log.h"
#include "io/procmon.h"

#define CMDLINE_MAX 4096

struct tproc_rt {
	struct trackers *t;
	size_t idx;
	const struct conf_track_process *cp;
	bool used;
	struct tproc_spec spec;
	struct tproc_quorum q;
	struct tproc_state st;
	struct pidset pids;
	struct timer timer;
};

struct tfile_rt {
	const struct conf_track_file *cf;
	bool used;
	int wd;
	const char *base; /* the file's name in its directory */
	long long value;
};

struct trackers {
	struct daemon *d;
	struct tproc_rt *p;
	size_t np;
	bool need_cmdline; /* some tracker compares command lines */
	int pm_fd;
	struct loop_fd pm_lfd;
	struct tfile_rt *f;
	size_t nf;
	int in_fd;
	struct loop_fd in_lfd;
	char cmd[CMDLINE_MAX];
};

/* ---- processes ---- */

static void proc_verdict(struct tproc_rt *r, bool changed)
{
	struct daemon *d = r->t->d;

	if (r->st.due)
		loop_timer_arm(&d->loop, &r->timer, r->st.due);
	else
		loop_timer_cancel(&d->loop, &r->timer);
	if (!changed)
		return;
	log_info("vrrp_track_process %s: %s (%u running, quorum %u..%u)", r->cp->name,
		 r->st.up ? "quorum gained" : "quorum lost", r->st.n, r->q.min, r->q.max);
	daemon_tracker_changed(d, TRACK_PROCESS, r->idx);
}

static void proc_count(struct tproc_rt *r, enum tproc_cause cause, vtime_t now)
{
	r->st.n = (uint32_t)r->pids.n;
	proc_verdict(r, tproc_update(&r->st, &r->q, cause, now));
}

static void proc_due(void *arg, vtime_t now)
{
	struct tproc_rt *r = arg;

	proc_verdict(r, tproc_due(&r->st, &r->q, now));
}

/* What the process PID is now, for every tracker: counted or not. COMM:
 * its new name (a name change; command-line trackers are not concerned),
 * or NULL to read /proc. APPLY: update the verdicts (false while
 * scanning). */
static void proc_check(struct trackers *t, int32_t pid, const char *comm, bool apply, vtime_t now)
{
	char name[64];
	bool zombie = false;
	ssize_t clen = 0;

	if (!comm) {
		if (procmon_stat(pid, name, sizeof(name), &zombie) < 0)
			zombie = true; /* gone already: counts for nobody */
		if (!zombie && t->need_cmdline)
			clen = procmon_cmdline(pid, t->cmd, sizeof(t->cmd));
		comm = name;
	}
	for (size_t k = 0; k < t->np; k++) {
		struct tproc_rt *r = &t->p[k];
		bool is, was;

		if (!r->used || (r->spec.full_command && comm != name))
			continue;
		is = !zombie && tproc_match(&r->spec, comm, t->cmd, clen > 0 ? (size_t)clen : 0);
		was = pidset_has(&r->pids, pid);
		if (is == was)
			continue;
		if (is ? pidset_add(&r->pids, pid) < 0 : !pidset_del(&r->pids, pid))
			continue;
		if (apply)
			proc_count(r, TPROC_CAUSE_NOW, now);
	}
}

static void proc_fork(struct trackers *t, int32_t child, int32_t parent, vtime_t now)
{
	for (size_t k = 0; k < t->np; k++) {
		struct tproc_rt *r = &t->p[k];

		if (r->used && pidset_has(&r->pids, parent) && pidset_add(&r->pids, child) > 0)
			proc_count(r, TPROC_CAUSE_FORK, now);
	}
}

static void proc_exit(struct trackers *t, int32_t pid, vtime_t now)
{
	for (size_t k = 0; k < t->np; k++) {
		struct tproc_rt *r = &t->p[k];

		if (r->used && pidset_del(&r->pids, pid))
			proc_count(r, TPROC_CAUSE_EXIT, now);
	}
}

static void on_proc_event(void *arg, const struct procmon_event *e)
{
	struct trackers *t = arg;
	vtime_t now = loop_now();

	switch (e->type) {
	case PROCMON_FORK:
		proc_fork(t, e->pid, e->ppid, now);
		break;
	case PROCMON_EXEC:
		proc_check(t, e->pid, NULL, true, now);
		break;
	case PROCMON_COMM:
		proc_check(t, e->pid, e->comm, true, now);
		break;
	case PROCMON_EXIT:
		proc_exit(t, e->pid, now);
		break;
	}
}

static void scan_one(void *arg, int32_t pid)
{
	proc_check(arg, pid, NULL, false, 0);
}

/* Counts from scratch: at start, and when events were lost. */
static void proc_rescan(struct trackers *t)
{
	vtime_t now = loop_now();

	for (size_t k = 0; k < t->np; k++)
		t->p[k].pids.n = 0;
	if (procmon_scan(scan_one, t) < 0)
		log_err("vrrp_track_process: cannot read /proc");
	for (size_t k = 0; k < t->np; k++)
		if (t->p[k].used)
			proc_count(&t->p[k], TPROC_CAUSE_NOW, now);
}

static void on_proc_fd(void *arg, uint32_t events)
{
	struct trackers *t = arg;
	int rc = procmon_read(t->pm_fd, on_proc_event, t);

	(void)events;
	if (rc < 0)
		log_err("vrrp_track_process: reading process events");
	else if (rc > 0) {
		log_warnx(
		    "vrrp_track_process: the kernel dropped process events; rescanning /proc");
		proc_rescan(t);
	}
}

static void procs_start(struct trackers *t, const struct config *c)
{
	char err[256];
	size_t used = 0;

	t->p = calloc(c->n_procs ? c->n_procs : 1, sizeof(*t->p));
	if (!t->p)
		return;
	t->np = c->n_procs;
	for (size_t k = 0; k < t->np; k++) {
		const struct conf_track_process *cp = &c->procs[k];
		struct tproc_rt *r = &t->p[k];

		*r = (struct tproc_rt){
		    .t = t,
		    .idx = k,
		    .cp = cp,
		    .used = daemon_tracker_used(c, TRACK_PROCESS, k),
		    .spec = {cp->process, cp->params, cp->params_len, cp->match, cp->full_command},
		    .q = {cp->quorum, cp->quorum_max, cp->fork_delay_us, cp->terminate_delay_us},
		    .timer = {.cb = proc_due, .arg = r}};
		used += r->used;
		t->need_cmdline |= r->used && cp->full_command;
	}
	if (!used)
		return;
	t->pm_fd = procmon_open(err, sizeof(err));
	if (t->pm_fd < 0) {
		log_errx("vrrp_track_process: %s; process counts stay as found at start", err);
	} else {
		t->pm_lfd = (struct loop_fd){.fd = t->pm_fd, .cb = on_proc_fd, .arg = t};
		if (loop_add_fd(&t->d->loop, &t->pm_lfd, EPOLLIN) < 0)
			log_err("vrrp_track_process: epoll");
	}
	proc_rescan(t); /* after the socket, so that nothing between is missed */
}

/* ---- files ---- */

static void file_read(struct trackers *t, struct tfile_rt *r, bool gone, bool tell)
{
	char buf[128];
	ssize_t n = gone ? 0 : filewatch_slurp(r->cf->path, buf, sizeof(buf) - 1);
	long long v = 0;

	if (n < 0 && errno != ENOENT)
		log_err("track_file %s: %s", r->cf->name, r->cf->path);
	if (n > 0 && !track_file_parse(buf, (size_t)n, &v)) {
		log_warnx("track_file %s: %s holds a number out of range; keeping %lld",
			  r->cf->name, r->cf->path, r->value);
		return;
	}
	if (v == r->value)
		return;
	log_info("track_file %s: %lld -> %lld%s", r->cf->name, r->value, v,
		 n < 0 || gone ? " (no such file)" : "");
	r->value = v;
	if (tell)
		daemon_tracker_changed(t->d, TRACK_FILE, (size_t)(r - t->f));
}

static void on_file_event(void *arg, int wd, const char *name, bool gone)
{
	struct trackers *t = arg;

	for (size_t k = 0; k < t->nf; k++)
		if (t->f[k].used && t->f[k].wd == wd && !strcmp(t->f[k].base, name))
			file_read(t, &t->f[k], gone, true);
}

static void on_file_fd(void *arg, uint32_t events)
{
	struct trackers *t = arg;
	int rc = filewatch_read(t->in_fd, on_file_event, t);

	(void)events;
	if (rc < 0)
		log_err("track_file: reading inotify events");
	for (size_t k = 0; rc > 0 && k < t->nf; k++)
		if (t->f[k].used)
			file_read(t, &t->f[k], false, true);
}

static void file_watch(struct trackers *t, struct tfile_rt *r)
{
	const struct conf_track_file *cf = r->cf;
	const char *slash = strrchr(cf->path, '/');
	char dir[4096];

	r->base = slash ? slash + 1 : cf->path;
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == cf->path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - cf->path), cf->path);
	if (cf->init && filewatch_init_file(cf->path, cf->init_value, cf->init_overwrite) < 0)
		log_err("track_file %s: init_file %s", cf->name, cf->path);
	r->wd = t->in_fd >= 0 ? filewatch_add_dir(t->in_fd, dir) : -1;
	if (r->wd < 0)
		log_err("track_file %s: cannot watch %s; its value stays as read now", cf->name,
			dir);
	file_read(t, r, false, false);
}

static void files_start(struct trackers *t, const struct config *c)
{
	size_t used = 0;

	t->f = calloc(c->n_tfiles ? c->n_tfiles : 1, sizeof(*t->f));
	if (!t->f)
		return;
	t->nf = c->n_tfiles;
	for (size_t k = 0; k < t->nf; k++) {
		t->f[k] = (struct tfile_rt){
		    .cf = &c->tfiles[k], .used = daemon_tracker_used(c, TRACK_FILE, k), .wd = -1};
		used += t->f[k].used;
	}
	if (!used)
		return;
	t->in_fd = filewatch_open();
	if (t->in_fd < 0) {
		log_err("track_file: inotify");
	} else {
		t->in_lfd = (struct loop_fd){.fd = t->in_fd, .cb = on_file_fd, .arg = t};
		if (loop_add_fd(&t->d->loop, &t->in_lfd, EPOLLIN) < 0)
			log_err("track_file: epoll");
	}
	for (size_t k = 0; k < t->nf; k++)
		if (t->f[k].used)
			file_watch(t, &t->f[k]);
}

/* ---- the set ---- */

struct trackers *trackers_new(struct daemon *d, const struct config *c)
{
	struct trackers *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->d = d;
	t->pm_fd = t->in_fd = -1;
	procs_start(t, c);
	files_start(t, c);
	return t;
}

void trackers_free(struct trackers *t)
{
	if (!t)
		return;
	for (size_t k = 0; k < t->np; k++) {
		loop_timer_cancel(&t->d->loop, &t->p[k].timer);
		pidset_free(&t->p[k].pids);
	}
	if (t->pm_fd >= 0) {
		loop_del_fd(&t->d->loop, &t->pm_lfd);
		close(t->pm_fd);
	}
	if (t->in_fd >= 0) {
		loop_del_fd(&t->d->loop, &t->in_lfd);
		close(t->in_fd);
	}
	free(t->p);
	free(t->f);
	free(t);
}

bool trackers_proc_up(const struct trackers *t, size_t idx)
{
	return t && idx < t->np && t->p[idx].st.up;
}

long long trackers_file_value(const struct trackers *t, size_t idx)
{
	return t && idx < t->nf ? t->f[idx].value : 0;
}
