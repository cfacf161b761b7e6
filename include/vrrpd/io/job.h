/* job: one program run by the daemon, from its start to its exit status,
 * driven by the event loop (io/loop.h). The vrrp_script checker and the
 * notify commands are jobs.
 *
 * Promises:
 *  - job_start() starts the program with io/proc.h (a parsed command, its
 *    credentials, extra arguments; its own process group) and returns at
 *    once. From then on the job lives in the loop: its pidfd is watched, and
 *    when the program exits its status is collected (no SIGCHLD, no
 *    waitpid(-1)) and the completion callback is called exactly once, with
 *    the wait status.
 *  - With a timeout, a program still running when it expires is killed with
 *    its whole process group (SIGKILL); on_timeout, when given, is called
 *    just after the kill (for a log line). The completion follows when the
 *    kill has taken effect, with killed and timed_out set.
 *  - With capture, the program's stdout and stderr go to a pipe that the
 *    loop reads as data comes, so a chatty program never blocks on a full
 *    pipe and never makes the loop wait: at most JOB_READ_CHUNKS reads of
 *    4 KiB per wakeup. The first CAPTURE bytes are kept, with every control
 *    character but tab and newline replaced by '?' (so the text can be
 *    logged line by line); later bytes are read, counted and thrown away.
 *    What the program wrote before it exited is in the result; the job does
 *    not wait for end of file, since a background child may keep the pipe
 *    open. Without capture, the output goes to /dev/null.
 *  - A job may be freed at any time, also from inside its own callbacks
 *    (completion or timeout): job_free() takes its descriptors out of the
 *    loop first (which drops their events still pending in the loop's batch)
 *    and cancels its timer, so nothing of it is called again. Freeing a job
 *    whose program still runs kills the process group and reaps the leader
 *    at once (SIGKILL cannot be blocked); no callback is called then.
 *  - job_move() hands a running job to another loop: the daemon's shutdown
 *    waits, bounded, for the last jobs in a private loop of its own (see
 *    ops/notify.c), with timeouts and capture still at work. */
#ifndef VRRPD_JOB_H
#define VRRPD_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/script.h"
#include "core/timer.h"
#include "io/proc.h"

#define JOB_READ_CHUNKS 16 /* 4 KiB reads of output per loop wakeup, at most */
#define JOB_NAME_MAX	256

struct loop;
struct job; /* private to job.c */

/* How the program ended. Valid during the completion callback only. */
struct job_result {
	int status;	 /* wait status: WIFEXITED / WEXITSTATUS / WIFSIGNALED / ... */
	bool killed;	 /* we killed it (its timeout, job_kill()) */
	bool timed_out;	 /* ... because its timeout expired */
	const char *out; /* captured output, NUL-terminated; "" without capture */
	size_t out_len;	 /* bytes in out */
	size_t out_lost; /* bytes read after out was full, not kept */
};

struct job_spec {
	const char *name; /* for the job's own log lines ("script chk") */
	const struct script_cmd *cmd;
	const struct proc_cred *cred; /* NULL: the daemon's own credentials */
	const char *const *extra;     /* appended arguments, NULL-terminated; may be NULL */
	uint32_t timeout_ms;	      /* 0: no timeout */
	size_t capture;		      /* bytes of output kept; 0: output to /dev/null */
	/* Called once when the program has ended and was reaped. */
	void (*on_done)(void *arg, struct job *j, const struct job_result *r);
	/* Optional: called when the timeout has killed the program. */
	void (*on_timeout)(void *arg, struct job *j);
	void *arg;
};

/* Starts SPEC's program in loop L. Returns the job, or NULL with a message
 * in ERR ("/x/y: Permission denied", "epoll: ...") when the program could
 * not be started; nothing is left running then and no callback is called.
 * SPEC's strings are not kept (the name is copied, the rest is used only
 * here). */
struct job *job_start(struct loop *l, const struct job_spec *spec, char *err, size_t errlen);
/* The program's process id (also its process group id). */
pid_t job_pid(const struct job *j);
/* When the timeout expires (loop_now() clock); 0 without a timeout. */
vtime_t job_deadline(const struct job *j);
/* SIGKILL to the program's process group now; the completion follows, with
 * killed set. */
void job_kill(struct job *j);
/* Moves the job's descriptors and timer from its loop to TO. Returns 0, or
 * -1 with errno; the job is then watched by no loop and should be freed. */
int job_move(struct job *j, struct loop *to);
/* Ends the job: see above. NULL is accepted. */
void job_free(struct job *j);

#endif
