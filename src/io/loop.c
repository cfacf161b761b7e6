/* loop: epoll + timerfd + signalfd. */
#include "io/loop.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "io/log.h"

#define LOOP_MAX_EVENTS 64

vtime_t loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (vtime_t)ts.tv_sec * VTIME_SEC + (vtime_t)ts.tv_nsec / 1000;
}

static void loop_on_timerfd(void *arg, uint32_t events)
{
	struct loop *l = arg;
	uint64_t ticks;

	(void)events;
	while (read(l->tfd, &ticks, sizeof(ticks)) > 0)
		;
	l->tfd_at = 0;
}

static void loop_on_signalfd(void *arg, uint32_t events)
{
	struct loop *l = arg;
	struct signalfd_siginfo si;

	(void)events;
	while (read(l->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (l->on_signal)
			l->on_signal(l->sig_arg, (int)si.ssi_signo);
}

int loop_init(struct loop *l, const sigset_t *sigs, void (*on_signal)(void *arg, int signo),
	      void *arg)
{
	memset(l, 0, sizeof(*l));
	l->epfd = l->tfd = l->sfd = -1;
	timer_heap_init(&l->heap);
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (l->epfd < 0 || l->tfd < 0)
		goto fail;
	l->tfd_h = (struct loop_fd){.fd = l->tfd, .cb = loop_on_timerfd, .arg = l};
	if (loop_add_fd(l, &l->tfd_h, EPOLLIN) < 0)
		goto fail;
	if (sigs) {
		if (sigprocmask(SIG_BLOCK, sigs, NULL) < 0)
			goto fail;
		l->sfd = signalfd(-1, sigs, SFD_NONBLOCK | SFD_CLOEXEC);
		if (l->sfd < 0)
			goto fail;
		l->on_signal = on_signal;
		l->sig_arg = arg;
		l->sfd_h = (struct loop_fd){.fd = l->sfd, .cb = loop_on_signalfd, .arg = l};
		if (loop_add_fd(l, &l->sfd_h, EPOLLIN) < 0)
			goto fail;
	}
	return 0;
fail:
	log_err("event loop setup failed");
	loop_free(l);
	return -1;
}

void loop_free(struct loop *l)
{
	if (l->sfd >= 0)
		close(l->sfd);
	if (l->tfd >= 0)
		close(l->tfd);
	if (l->epfd >= 0)
		close(l->epfd);
	l->epfd = l->tfd = l->sfd = -1;
	timer_heap_free(&l->heap);
}

int loop_add_fd(struct loop *l, struct loop_fd *h, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = h};

	return epoll_ctl(l->epfd, EPOLL_CTL_ADD, h->fd, &ev);
}

void loop_del_fd(struct loop *l, struct loop_fd *h)
{
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, h->fd, NULL);
	for (int i = 0; i < l->n_pending; i++)
		if (l->pending[i].data.ptr == h)
			l->pending[i].data.ptr = NULL;
}

int loop_mod_fd(struct loop *l, struct loop_fd *h, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = h};

	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, h->fd, &ev);
}

void loop_timer_arm(struct loop *l, struct timer *t, vtime_t when)
{
	if (timer_heap_arm(&l->heap, t, when) < 0)
		log_errx("out of memory arming a timer");
}

void loop_timer_cancel(struct loop *l, struct timer *t)
{
	timer_heap_cancel(&l->heap, t);
}

/* Points the timerfd at the earliest timer, when that changed. */
static void loop_sync_timerfd(struct loop *l)
{
	struct timer *t = timer_heap_peek(&l->heap);
	vtime_t at = t ? t->when : 0;
	struct itimerspec its = {0};

	if (at == l->tfd_at)
		return;
	if (t && at == 0)
		at = 1; /* 0 would disarm */
	its.it_value.tv_sec = (time_t)(at / VTIME_SEC);
	its.it_value.tv_nsec = (long)(at % VTIME_SEC) * 1000;
	if (timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
		l->tfd_at = at;
}

static void loop_run_timers(struct loop *l, vtime_t now)
{
	struct timer *t;
	unsigned budget = 100000; /* bounded: a callback re-arming in the past cannot spin us */

	if (!(t = timer_heap_pop_due(&l->heap, now)))
		return;
	if (l->timers_begin)
		l->timers_begin(l->timers_arg);
	do
		t->cb(t->arg, now);
	while (--budget && (t = timer_heap_pop_due(&l->heap, now)));
	if (l->timers_end)
		l->timers_end(l->timers_arg);
}

int loop_run(struct loop *l)
{
	struct epoll_event ev[LOOP_MAX_EVENTS];

	while (!l->stop) {
		loop_sync_timerfd(l);
		int n = epoll_wait(l->epfd, ev, LOOP_MAX_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("epoll_wait");
			return -1;
		}
		vtime_t t0 = loop_now();
		l->pending = ev;
		l->n_pending = n;
		loop_run_timers(l, t0);
		for (int i = 0; i < n && !l->stop; i++) {
			struct loop_fd *h = ev[i].data.ptr;
			if (h) /* NULL: deleted by an earlier callback of this batch */
				h->cb(h->arg, ev[i].events);
		}
		l->pending = NULL;
		l->n_pending = 0;
		loop_run_timers(l, loop_now());
		if (l->after)
			l->after(l->after_arg);
		vtime_t t1 = loop_now();
		l->health.turns++;
		l->health.busy_us += t1 - t0;
		health_window_add(&l->health.longest, t1, t1 - t0);
		if (l->health.watch) {
			if (t1 - t0 > *l->health.watch)
				*l->health.watch = t1 - t0;
			if (l->health.watch_last)
				l->health.watch = NULL;
		}
	}
	return 0;
}

void loop_watch_turns(struct loop *l, uint64_t *max)
{
	l->health.watch = max;
	l->health.watch_last = false;
}

void loop_watch_end(struct loop *l)
{
	l->health.watch_last = true;
}

void loop_set_after(struct loop *l, void (*fn)(void *arg), void *arg)
{
	l->after = fn;
	l->after_arg = arg;
}

void loop_set_timer_hooks(struct loop *l, void (*begin)(void *arg), void (*end)(void *arg),
			  void *arg)
{
	l->timers_begin = begin;
	l->timers_end = end;
	l->timers_arg = arg;
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}

vtime_t loop_next_due(const struct loop *l)
{
	const struct timer *t = timer_heap_peek(&l->heap);

	return t ? t->when : 0;
}
