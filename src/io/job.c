/* job: a program from its start to its exit status, in the event loop.
 *
 * How: a job owns a struct proc (io/proc.c). Its pidfd and, with capture,
 * the read end of its output pipe are loop descriptors; its timeout is a
 * loop timer. When the pidfd becomes readable the job takes it out of the
 * loop, collects the status, reads what is left in the pipe (bounded),
 * takes the pipe out of the loop and closes it, and only then calls back:
 * after that call it touches nothing, so the callback may free it. The
 * timeout callback likewise kills first and calls back last. */
#include "io/job.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "io/log.h"
#include "io/loop.h"

#define JOB_READ_SIZE 4096

struct job {
	struct loop *l;
	struct proc p;
	pid_t pid; /* p.pid, kept after proc_close() */
	struct loop_fd pfd, ofd;
	bool pid_watched, out_watched;
	struct timer t_timeout;
	vtime_t deadline; /* 0: no timeout */
	bool timed_out;
	bool ended; /* reaped; the completion was (being) called */
	char name[JOB_NAME_MAX];
	void (*on_done)(void *arg, struct job *j, const struct job_result *r);
	void (*on_timeout)(void *arg, struct job *j);
	void *arg;
	size_t cap, out_len, out_lost;
	char out[]; /* cap + 1 bytes */
};

/* Appends DATA to OUT (CAP bytes of room and a NUL), control characters but
 * tab and newline replaced by '?' so that a log line stays one line of
 * text; what does not fit is counted in *LOST. */
static void job_keep(char *out, size_t cap, size_t *len, size_t *lost, const char *data, size_t n)
{
	size_t room = cap - *len, k = n < room ? n : room;

	for (size_t i = 0; i < k; i++) {
		unsigned char c = (unsigned char)data[i];
		bool ctl = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f;

		out[*len + i] = ctl ? '?' : (char)c;
	}
	*len += k;
	out[*len] = '\0';
	*lost += n - k;
}

static void job_close_out(struct job *j)
{
	if (j->out_watched)
		loop_del_fd(j->l, &j->ofd);
	j->out_watched = false;
	if (j->p.outfd >= 0)
		close(j->p.outfd);
	j->p.outfd = -1;
}

/* Reads what is in the pipe, JOB_READ_CHUNKS reads at most; closes the pipe
 * at end of file or on an error. */
static void job_read(struct job *j)
{
	char buf[JOB_READ_SIZE];

	for (int k = 0; k < JOB_READ_CHUNKS && j->p.outfd >= 0; k++) {
		ssize_t r = read(j->p.outfd, buf, sizeof(buf));

		if (r > 0) {
			job_keep(j->out, j->cap, &j->out_len, &j->out_lost, buf, (size_t)r);
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		job_close_out(j); /* end of file, or an error */
	}
}

static void job_on_output(void *arg, uint32_t events)
{
	(void)events;
	job_read(arg);
}

/* The program was reaped with STATUS: the last output, then the callback. */
static void job_end(struct job *j, int status)
{
	struct job_result r;

	loop_timer_cancel(j->l, &j->t_timeout);
	/* What the program wrote before it exited is in the pipe; do not wait
	 * for end of file, a background child may hold the pipe open. */
	job_read(j);
	job_close_out(j);
	j->ended = true;
	r = (struct job_result){.status = status,
				.killed = j->p.killed,
				.timed_out = j->timed_out,
				.out = j->out,
				.out_len = j->out_len,
				.out_lost = j->out_lost};
	j->on_done(j->arg, j, &r); /* last: it may free j */
}

static void job_on_exit(void *arg, uint32_t events)
{
	struct job *j = arg;
	int status = 0, r;

	(void)events;
	if (j->ended)
		return;
	loop_del_fd(j->l, &j->pfd); /* before proc_reap() closes the pidfd */
	j->pid_watched = false;
	r = proc_reap(&j->p, &status);
	if (r == 0) { /* a wakeup without an exit: watch on */
		if (loop_add_fd(j->l, &j->pfd, EPOLLIN) == 0) {
			j->pid_watched = true;
			return;
		}
		log_err("%s (pid %d): epoll", j->name, (int)j->pid);
		r = -1;
	} else if (r < 0) {
		log_err("%s (pid %d): cannot collect its exit status", j->name, (int)j->pid);
	}
	if (r < 0) {
		job_close_out(j);
		proc_close(&j->p); /* kills the group and waits for the leader */
		status = 0xff00;   /* as "exited with status 255" */
	}
	job_end(j, status);
}

static void job_on_timer(void *arg, vtime_t now)
{
	struct job *j = arg;

	(void)now;
	if (j->ended || j->p.killed)
		return;
	j->timed_out = true;
	proc_kill(&j->p); /* the exit arrives on the pidfd */
	if (j->on_timeout)
		j->on_timeout(j->arg, j); /* last: it may free j */
}

/* Puts the descriptors (and the timer, when ARM) of J into its loop. */
static int job_watch(struct job *j, bool arm)
{
	if (loop_add_fd(j->l, &j->pfd, EPOLLIN) < 0)
		return -1;
	j->pid_watched = true;
	if (j->p.outfd >= 0) {
		if (loop_add_fd(j->l, &j->ofd, EPOLLIN) == 0) {
			j->out_watched = true;
		} else {
			log_warn("%s (pid %d): epoll; its output is not read", j->name,
				 (int)j->pid);
			job_close_out(j); /* the program gets EPIPE if it writes */
		}
	}
	if (arm)
		loop_timer_arm(j->l, &j->t_timeout, j->deadline);
	return 0;
}

struct job *job_start(struct loop *l, const struct job_spec *s, char *err, size_t errlen)
{
	struct job *j = calloc(1, sizeof(*j) + s->capture + 1);

	if (!j) {
		script_seterr(err, errlen, "out of memory");
		return NULL;
	}
	j->l = l;
	snprintf(j->name, sizeof(j->name), "%s", s->name ? s->name : "job");
	j->on_done = s->on_done;
	j->on_timeout = s->on_timeout;
	j->arg = s->arg;
	j->cap = s->capture;
	timer_init(&j->t_timeout, job_on_timer, j);
	if (proc_start(&j->p, s->cmd, s->cred, s->extra, s->capture > 0, err, errlen) < 0) {
		free(j);
		return NULL;
	}
	j->pid = j->p.pid;
	j->pfd = (struct loop_fd){.fd = j->p.pidfd, .cb = job_on_exit, .arg = j};
	j->ofd = (struct loop_fd){.fd = j->p.outfd, .cb = job_on_output, .arg = j};
	if (s->timeout_ms)
		j->deadline = loop_now() + (vtime_t)s->timeout_ms * VTIME_MSEC;
	if (job_watch(j, s->timeout_ms > 0) < 0) {
		script_seterr(err, errlen, "epoll: %s", strerror(errno));
		job_close_out(j);
		proc_close(&j->p);
		free(j);
		return NULL;
	}
	return j;
}

pid_t job_pid(const struct job *j)
{
	return j->pid;
}

vtime_t job_deadline(const struct job *j)
{
	return j->deadline;
}

void job_kill(struct job *j)
{
	if (!j->ended)
		proc_kill(&j->p);
}

/* Takes J out of its loop; returns whether its timer was armed. */
static bool job_unwatch(struct job *j)
{
	bool armed = timer_armed(&j->t_timeout);

	loop_timer_cancel(j->l, &j->t_timeout);
	if (j->pid_watched)
		loop_del_fd(j->l, &j->pfd);
	j->pid_watched = false;
	if (j->out_watched)
		loop_del_fd(j->l, &j->ofd);
	j->out_watched = false;
	return armed;
}

int job_move(struct job *j, struct loop *to)
{
	bool armed = job_unwatch(j);

	j->l = to;
	if (j->ended)
		return 0;
	return job_watch(j, armed);
}

void job_free(struct job *j)
{
	if (!j)
		return;
	job_unwatch(j);
	job_close_out(j);
	proc_close(&j->p); /* kills and reaps a program still running */
	free(j);
}
