/* reload_job: a reload that never holds the loop for the parse.
 *
 * How: before forking, vrrpd maps a shared arena (conf/arena.h); the child
 * leaves real-time scheduling, loads the file into the arena (the config,
 * its messages and their counts, at the arena's head) and _exits. The
 * arena is at the same address in both processes, so the parent, told by
 * the child's pidfd in the loop, adopts the config as it is: the diff and
 * the apply (reload.c) run in one turn, and freeing that config later is one
 * munmap. Bounds: the child is killed after RELOAD_DEADLINE (the reload then
 * fails and the running configuration stays); a reload asked for while one
 * runs waits for it (one at most: the later ones join it); when vrrpd
 * cannot fork, it parses in the loop as before, and says so. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf/arena.h"
#include "core/script.h"
#include "daemon/internal.h"
#include "io/log.h"
#include "io/sdnotify.h"
#include "ops/control.h"

#define RELOAD_ARENA	(256u << 20) /* address space; only what the parse writes costs */
#define RELOAD_DEADLINE (10 * VTIME_SEC)
#define RELOAD_MSG	16384 /* room for the messages of one reload */

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
	(void)!nice(5);				 /* best effort */
	conf_arena_load(a, d->conf_path, d->config_id);
	_exit(0);
}

static void job_done(void *arg, uint32_t events);
static void job_deadline(void *arg, vtime_t now);
static void job_kill(struct reload_job *j);
static void job_begin(struct daemon *d);

/* Ends the reload under way with RC; the waiting clients get MSG. Then
 * starts the queued one, if any. */
static void job_end(struct daemon *d, int rc, char *msg, size_t len)
{
	struct reload_job *j = &d->rj;

	loop_watch_end(&d->loop); /* this turn still counts */
	job_answer(j->fds, j->n_fds, rc, msg, len);
	j->n_fds = 0;
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

/* Takes what the child left in the arena: the messages, and the config
 * when the file was good. Returns 0 when applied, -1 when rejected. */
static int job_adopt(struct daemon *d, char *msg, size_t len)
{
	struct reload_job *j = &d->rj;
	struct conf_arena *a = j->arena;
	vtime_t t[4] = {j->t0, loop_now(), 0, 0};
	struct conf_msgs m = {
	    .v = a->msgs, .n = a->n_msgs, .errors = a->errors, .warnings = a->warnings};
	struct config *nc = a->result;

	t[2] = t[3] = t[1];
	j->arena = NULL;
	if (conf_arena_open(a) < 0) { /* the header says how much the child wrote */
		conf_arena_free(a);
		reload_count(d, true, t);
		reload_fail(d,
			    "reload: cannot read what the parser wrote; the running configuration "
			    "is unchanged",
			    msg, len);
		return -1;
	}
	reload_report(d, nc, &m, msg, len);
	if (!nc) {
		conf_arena_free(a);
		reload_count(d, true, t);
		return -1;
	}
	nc->arena = a; /* conf_free unmaps it */
	return reload_commit(d, nc, t, msg, len);
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
	char *msg = calloc(1, RELOAD_MSG), none[1] = "";
	size_t len = msg ? RELOAD_MSG : 1;
	int rc = -1;
	if (!msg)
		msg = none;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		rc = job_adopt(d, msg, len);
	} else {
		vtime_t t[4] = {j->t0, loop_now(), loop_now(), loop_now()};
		conf_arena_free(j->arena);
		j->arena = NULL;
		reload_count(d, true, t);
		snprintf(line, sizeof(line),
			 "reload: parser process: %s; the running configuration is unchanged",
			 script_status_str(status, j->child.killed,
					   (uint32_t)(RELOAD_DEADLINE / VTIME_MSEC), why,
					   sizeof(why)));
		reload_fail(d, line, len > 1 ? msg : NULL, len);
	}
	job_end(d, rc, msg, len);
	if (msg != none)
		free(msg);
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
	if (j->arena) {
		loop_del_fd(&d->loop, &j->lfd);
		loop_timer_cancel(&d->loop, &j->t_deadline);
		job_kill(j);
		waitid((idtype_t)P_PIDFD, (id_t)j->child.pidfd, &(siginfo_t){0}, WEXITED);
		close(j->child.pidfd);
		conf_arena_free(j->arena);
		j->arena = NULL;
	}
	j->queued = false;
	job_answer(j->qfds, j->n_qfds, -1, none, 1);
	j->n_qfds = 0;
	job_end(d, -1, none, 1);
}
