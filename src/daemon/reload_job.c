/* reload_job: a reload that never holds the loop for the parse.
 *
 * How: before forking, vrrpd maps a shared arena (conf/arena.h); the child
 * leaves real-time scheduling, loads the file into the arena (the config,
 * its messages and their counts, at the arena's head), diffs the running
 * config (its copy of it, as the fork left it) with it into the arena too,
 * and _exits. The arena is at the same address in both processes, so the
 * parent, told by the child's pidfd in the loop, adopts the config and the
 * plan as they are: only the apply (reload.c) is left to the loop, in
 * steps, and freeing that config later is one munmap. Bounds: the child is killed after
 * RELOAD_DEADLINE (the reload then fails and the running configuration stays); a reload asked for
 * while one runs waits for it (one at most: the later ones join it); when vrrpd cannot fork, it
 * parses in the loop as before, and says so. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf/arena.h"
#include "conf/diff.h"
#include "conf/model.h"
#include "core/script.h"
#include "daemon/internal.h"
#include "io/log.h"
#include "io/sdnotify.h"
#include "ops/control.h"

#define RELOAD_ARENA	   (256u << 20) /* address space; only what the parse writes costs */
#define RELOAD_DEADLINE	   (10 * VTIME_SEC)
#define RELOAD_MSG	   16384 /* room for the messages of one reload */
#define RELOAD_TRACK_SLICE 100	 /* instances whose tracking one turn re-evaluates (~3 µs each) */
/* Instances of a malloc'd old config freed per turn (~0.5 µs each), or
 * that many 16 KiB of an arena's unmapped (~1.2 µs each). */
#define RELOAD_FREE_SLICE  100
#define RELOAD_FAULT_SLICE (1u << 20) /* bytes of the child's arena mapped per turn */

/* Answers the vrrpctl clients waiting in FDS (N of them) and closes them. */
static void job_answer(int *fds, unsigned n, int rc, char *msg, size_t len)
{
	struct ctl_buf out = {0};

	if (!n)
		return;
	ctl_reload_answer(&out, rc, msg, len);
	for (unsigned i = 0; i < n; i++) {
		size_t off = 0;
		for (int tries = 0; out.p && off < out.len && tries < 100; tries++) {
			ssize_t w =
			    send(fds[i], out.p + off, out.len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (w > 0)
				off += (size_t)w;
			else if (w < 0 && errno != EINTR && errno != EAGAIN)
				break;
		}
		close(fds[i]);
	}
	ctl_buf_free(&out);
}

/* In the child: parse, and leave. Nothing here returns. */
static void __attribute__((noreturn))
job_child(struct daemon *d, struct conf_arena *a, pid_t parent)
{
	struct sched_param sp = {.sched_priority = 0};

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(3);
	/* None of the daemon's descriptors: an epoll registration lives as long
	 * as any process holds its file, so the parent's closes stay closes. */
	syscall(SYS_close_range, 3U, ~0U, 0U);
	sched_setscheduler(0, SCHED_OTHER, &sp); /* the loop keeps the CPU it needs */
	(void)!nice(19); /* best effort: the loop wins the CPU whenever it wants it */
	/* The plan too, from the running config as the fork left it (only a
	 * reload changes d->conf, and this is the only one under way): the
	 * parent only applies it. When it does not fit, the parent diffs. */
	if (conf_arena_load(a, d->conf_path, d->config_id) == 0)
		conf_diff_arena(a, d->conf);
	_exit(0);
}

static void job_done(void *arg, uint32_t events);
static void job_deadline(void *arg, vtime_t now);
static void job_kill(struct reload_job *j);
static void job_step_close(struct daemon *d);
static void job_begin(struct daemon *d);

/* Ends the reload under way with RC; the waiting clients get MSG. Then
 * starts the queued one, if any. */
static void job_end(struct daemon *d, int rc, char *msg, size_t len)
{
	struct reload_job *j = &d->rj;

	loop_watch_end(&d->loop); /* this turn still counts */
	job_answer(j->fds, j->n_fds, rc, msg, len);
	j->n_fds = 0;
	if (j->msg && j->msg != j->none)
		free(j->msg);
	j->msg = NULL;
	j->running = false;
	if (j->queued) {
		j->queued = false;
		memcpy(j->fds, j->qfds, sizeof(j->fds));
		j->n_fds = j->n_qfds;
		j->n_qfds = 0;
		log_info("reload: running the reload asked for during the last one");
		job_begin(d);
	}
}

/* Forks the parser; false (nothing left running) when it cannot. */
static bool job_fork(struct daemon *d)
{
	struct reload_job *j = &d->rj;

	j->arena = conf_arena_new(RELOAD_ARENA);
	if (!j->arena) {
		log_warn("reload: cannot map %u MiB for the parser; parsing in the loop",
			 RELOAD_ARENA >> 20);
		return false;
	}
	pid_t parent = getpid(), pid = fork();
	if (pid == 0)
		job_child(d, j->arena, parent);
	int pidfd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	if (pidfd < 0) {
		log_warn("reload: cannot %s the parser; parsing in the loop",
			 pid < 0 ? "fork" : "watch");
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0); /* SIGKILL: at once */
		}
		conf_arena_free(j->arena);
		j->arena = NULL;
		return false;
	}
	j->child = (struct proc){.pid = pid, .pidfd = pidfd, .outfd = -1};
	j->lfd = (struct loop_fd){.fd = pidfd, .cb = job_done, .arg = d};
	if (loop_add_fd(&d->loop, &j->lfd, EPOLLIN) < 0) {
		log_warn("reload: cannot watch the parser; parsing in the loop");
		job_kill(j);
		waitpid(pid, NULL, 0);
		close(pidfd);
		conf_arena_free(j->arena);
		j->arena = NULL;
		return false;
	}
	timer_init(&j->t_deadline, job_deadline, d);
	loop_timer_arm(&d->loop, &j->t_deadline, loop_now() + RELOAD_DEADLINE);
	return true;
}

static void job_begin(struct daemon *d)
{
	struct reload_job *j = &d->rj;

	j->running = true;
	j->t0 = loop_now();
	d->reloads.turn_max_us = 0;
	loop_watch_turns(&d->loop, &d->reloads.turn_max_us);
	sdnotify_printf("RELOADING=1\nMONOTONIC_USEC=%llu", (unsigned long long)j->t0);
	if (job_fork(d))
		return;
	char *msg = calloc(1, RELOAD_MSG), none[1] = "";
	int rc = reload_inline(d, j->t0, msg, msg ? RELOAD_MSG : 0);
	job_end(d, rc, msg ? msg : none, msg ? RELOAD_MSG : 1);
	free(msg);
}

/* The applied reload's steps, one per loop turn, so that no turn is
 * long (1000 unchanged instances; the plan came from the child): the
 * child's pages mapped RELOAD_FAULT_SLICE at a time (else the apply and
 * the claims fault them in one by one: 5.4 MB, 1400 faults), the apply,
 * the claims, the tracking of RELOAD_TRACK_SLICE instances per turn, the
 * old configuration freed RELOAD_FREE_SLICE at a time (all of it in one
 * turn took 0.5 ms), then the report; the adverts due meanwhile go out
 * between them. Returns false after the last. */
static bool job_step_run(struct daemon *d)
{
	struct reload_job *j = &d->rj;

	switch (j->step) {
	case 1: /* the child's pages into this process's page tables, in shares */
		if (conf_arena_prefault(j->nc->arena, &j->fault_at, RELOAD_FAULT_SLICE))
			j->step = 2;
		return true;
	case 2: {
		vtime_t s = loop_now();
		j->old = reload_apply_plan(d, &j->plan, j->nc, false, &j->restarted);
		j->nc = NULL;
		d->reload_took = loop_now() - s; /* what one step held the loop */
		j->track_at = 0;
		j->step = 3;
		return true;
	}
	case 3:
		daemon_claims_refresh(d);
		j->step = 4;
		return true;
	case 4:
		if (daemon_track_some(d, loop_now(), &j->track_at, RELOAD_TRACK_SLICE))
			j->step = 5;
		j->free_at = 0;
		return true;
	case 5: /* the old configuration, in shares: no plan entry is used now */
		if (conf_free_some(j->old, &j->free_at, RELOAD_FREE_SLICE)) {
			j->old = NULL;
			j->step = 6;
		}
		return true;
	default:
		reload_finish(d, &j->plan, j->old, j->restarted, j->t, j->msg, j->msglen);
		j->old = NULL;
		j->step = 0;
		job_step_close(d);
		job_end(d, 0, j->msg, j->msglen);
		return false;
	}
}

/* Each step in a turn of its own: an eventfd made readable now is seen by
 * the next epoll_wait, after the timers due by then (a timer armed now
 * could run in this very turn's second pass). */
static void job_step_next(struct daemon *d)
{
	uint64_t one = 1;

	if (write(d->rj.step_fd.fd, &one, sizeof(one)) < 0) /* cannot fail: never 2^64 */
		log_warn("reload: eventfd");
}

static void job_step_close(struct daemon *d)
{
	struct reload_job *j = &d->rj;

	if (j->step_fd.fd > 0) {
		loop_del_fd(&d->loop, &j->step_fd);
		close(j->step_fd.fd);
	}
	j->step_fd.fd = 0;
}

static void job_step(void *arg, uint32_t events)
{
	struct daemon *d = arg;
	uint64_t n;

	(void)events;
	if (read(d->rj.step_fd.fd, &n, sizeof(n)) < 0)
		return;
	if (job_step_run(d))
		job_step_next(d);
}

/* Takes what the child left in the arena: the messages, and the config
 * when the file was good; diffs it, and leaves the rest to the steps.
 * Returns 0 when under way, -1 when rejected. */
static int job_adopt(struct daemon *d)
{
	struct reload_job *j = &d->rj;
	struct conf_arena *a = j->arena;

	j->t[1] = j->t[2] = j->t[3] = loop_now();
	j->arena = NULL;
	if (conf_arena_open(a) < 0) { /* the header says how much the child wrote */
		conf_arena_free(a);
		reload_count(d, true, j->t);
		reload_fail(d,
			    "reload: cannot read what the parser wrote; the running "
			    "configuration is unchanged",
			    j->msg, j->msglen);
		return -1;
	}
	struct conf_msgs m = {
	    .v = a->msgs, .n = a->n_msgs, .errors = a->errors, .warnings = a->warnings};
	struct config *nc = a->result;
	reload_report(d, nc, &m, j->msg, j->msglen);
	if (!nc) {
		conf_arena_free(a);
		reload_count(d, true, j->t);
		return -1;
	}
	nc->arena = a; /* conf_free unmaps it */
	conf_tls_adopt(nc, false);
	const struct conf_diff *made = a->plan && a->base == d->conf ? a->plan : NULL;
	if (reload_prepare(d, nc, j->t, &j->plan, made, j->msg, j->msglen) < 0)
		return -1;
	j->nc = nc;
	j->step = 1;
	j->fault_at = 0;
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	j->step_fd = (struct loop_fd){.fd = efd, .cb = job_step, .arg = d};
	if (efd < 0 || loop_add_fd(&d->loop, &j->step_fd, EPOLLIN) < 0) {
		log_warn("reload: eventfd; applying in this turn");
		if (efd >= 0)
			close(efd);
		j->step_fd.fd = 0;
		while (job_step_run(d))
			;
		return 0;
	}
	job_step_next(d);
	return 0;
}

/* The child exited (or was killed). */
static void job_done(void *arg, uint32_t events)
{
	struct daemon *d = arg;
	struct reload_job *j = &d->rj;
	int status = 0;
	char why[128], line[300];

	(void)events;
	int reaped = proc_reap(&j->child, &status);
	if (reaped == 0)
		return; /* not yet */
	loop_del_fd(&d->loop, &j->lfd);
	if (reaped < 0) { /* cannot happen: ours, not reaped elsewhere */
		log_warn("reload: waitid for the parser");
		job_kill(j);
		close(j->child.pidfd);
		j->child.pidfd = -1;
		status = W_EXITCODE(127, 0);
	}
	loop_timer_cancel(&d->loop, &j->t_deadline);
	j->msg = calloc(1, RELOAD_MSG);
	j->msglen = j->msg ? RELOAD_MSG : 1;
	if (!j->msg)
		j->msg = j->none;
	j->t[0] = j->t0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		if (job_adopt(d) == 0)
			return; /* the steps end it */
	} else {
		j->t[1] = j->t[2] = j->t[3] = loop_now();
		conf_arena_free(j->arena);
		j->arena = NULL;
		reload_count(d, true, j->t);
		snprintf(line, sizeof(line),
			 "reload: parser process: %s; the running configuration is unchanged",
			 script_status_str(status, j->child.killed,
					   (uint32_t)(RELOAD_DEADLINE / VTIME_MSEC), why,
					   sizeof(why)));
		reload_fail(d, line, j->msglen > 1 ? j->msg : NULL, j->msglen);
	}
	job_end(d, -1, j->msg, j->msglen);
}

static void job_kill(struct reload_job *j)
{
	if (syscall(SYS_pidfd_send_signal, j->child.pidfd, SIGKILL, NULL, 0) < 0)
		kill(j->child.pid, SIGKILL);
	j->child.killed = true;
}

static void job_deadline(void *arg, vtime_t now)
{
	struct daemon *d = arg;

	(void)now;
	log_warnx("reload: the parser process has run for %u s: killing it",
		  (unsigned)(RELOAD_DEADLINE / VTIME_SEC));
	job_kill(&d->rj);
}

int daemon_reload(struct daemon *d, int fd, char *msg, size_t len)
{
	struct reload_job *j = &d->rj;
	bool queue = j->running;
	int *fds = queue ? j->qfds : j->fds;
	unsigned *n = queue ? &j->n_qfds : &j->n_fds;

	if (fd >= 0) {
		if (*n >= RELOAD_WAITERS) {
			snprintf(msg, len, "%u clients already wait for this reload", *n);
			return -1;
		}
		int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (dfd < 0) {
			snprintf(msg, len, "cannot keep the connection: %s", strerror(errno));
			return -1;
		}
		fds[(*n)++] = dfd;
	}
	if (queue) {
		if (!j->queued)
			log_info("reload: one is under way; this one runs after it");
		j->queued = true;
	} else {
		job_begin(d);
	}
	return fd >= 0 ? 1 : 0;
}

void daemon_reload_stop(struct daemon *d)
{
	struct reload_job *j = &d->rj;
	char none[1] = "";

	if (!j->running)
		return;
	j->queued = false; /* what waits for the next one is refused */
	job_answer(j->qfds, j->n_qfds, -1, none, 1);
	j->n_qfds = 0;
	if (j->step) { /* adopted: apply the rest now */
		while (job_step_run(d))
			;
		return;
	}
	if (j->arena) {
		loop_del_fd(&d->loop, &j->lfd);
		loop_timer_cancel(&d->loop, &j->t_deadline);
		job_kill(j);
		waitid((idtype_t)P_PIDFD, (id_t)j->child.pidfd, &(siginfo_t){0}, WEXITED);
		close(j->child.pidfd);
		conf_arena_free(j->arena);
		j->arena = NULL;
	}
	job_end(d, -1, none, 1);
}
