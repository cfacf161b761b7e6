/* loop: the one event loop. epoll over file descriptors, one timerfd
 * (CLOCK_MONOTONIC, absolute) driven by the timer heap, and a signalfd.
 *
 * Promises: single-threaded; callbacks run to completion; due timers run
 * before file descriptor callbacks on every turn, so a busy socket cannot
 * delay an advert; the timerfd is only re-armed when the earliest expiry
 * changes. Timer slack is set to 1 ns so expiries are exact to the
 * scheduler's latency.
 *
 * The loop measures itself (struct loop_health): a turn is the work from
 * epoll_wait's return to the end of the turn's deferred work (the sleep in
 * epoll_wait is not counted), timed with CLOCK_MONOTONIC; one more clock
 * read per turn than the loop needs anyway, no allocation. */
#ifndef VRRPD_LOOP_H
#define VRRPD_LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>

#include "core/health.h"
#include "core/timer.h"

struct loop_fd {
	int fd;
	void (*cb)(void *arg, uint32_t events);
	void *arg;
};

/* The loop's own figures, since loop_init. */
struct loop_health {
	uint64_t turns;		      /* wakeups handled */
	uint64_t busy_us;	      /* the turns' work, summed */
	struct health_window longest; /* the longest turn (µs): since start, last minute */
	uint64_t *watch;	      /* raised to each turn's length (loop_watch_turns) */
	bool watch_last;	      /* the current turn is the last one watched */
};

struct loop {
	int epfd;
	int tfd;
	int sfd;
	vtime_t tfd_at; /* what the timerfd is armed for; 0 = disarmed */
	struct timer_heap heap;
	struct loop_fd tfd_h, sfd_h;
	void (*on_signal)(void *arg, int signo);
	void *sig_arg;
	void (*after)(void *arg); /* end of every turn: deferred work */
	void *after_arg;
	void (*timers_begin)(void *arg),
	    (*timers_end)(void *arg); /* around each run of due timers */
	void *timers_arg;
	bool stop;
	struct epoll_event *pending; /* the batch being dispatched */
	int n_pending;
	struct loop_health health;
};

/* The monotonic clock in µs. */
vtime_t loop_now(void);
/* Sets up epoll and the timerfd; blocks SIGS and routes them to on_signal. */
int loop_init(struct loop *l, const sigset_t *sigs, void (*on_signal)(void *arg, int signo),
	      void *arg);
void loop_free(struct loop *l);
/* From the current turn on, *MAX is raised to every turn's length (µs), the
 * current one included, until loop_watch_end(): then the current turn is
 * the last counted. For "the loop's longest turn during a reload". */
void loop_watch_turns(struct loop *l, uint64_t *max);
void loop_watch_end(struct loop *l);
int loop_add_fd(struct loop *l, struct loop_fd *h, uint32_t events);
/* Removes h; an event for h still pending in the batch being dispatched is
 * dropped, so h may be freed at once, even from inside a callback. */
void loop_del_fd(struct loop *l, struct loop_fd *h);
/* Changes the epoll events H waits for (H must have been added). Returns 0,
 * or -1 with errno. */
int loop_mod_fd(struct loop *l, struct loop_fd *h, uint32_t events);
void loop_timer_arm(struct loop *l, struct timer *t, vtime_t when);
void loop_timer_cancel(struct loop *l, struct timer *t);
/* Calls fn at the end of every loop turn, after the timers and file
 * descriptors of that turn: the place for work that must not delay the
 * next due timer (netlink batches, gratuitous ARP, logging). */
void loop_set_after(struct loop *l, void (*fn)(void *arg), void *arg);
/* Calls begin before the loop runs the callbacks of due timers (twice a
 * turn at most: before and after the file descriptors) and end after the
 * last of them, only when some timer was due: a batch the callbacks fill
 * (adverts for one sendmmsg) goes out at end, before anything else. */
void loop_set_timer_hooks(struct loop *l, void (*begin)(void *arg), void (*end)(void *arg),
			  void *arg);
/* When the earliest timer expires; 0 when none is armed. */
vtime_t loop_next_due(const struct loop *l);
/* Runs until loop_stop(); returns 0, or -1 on a fatal epoll error. */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);

#endif
