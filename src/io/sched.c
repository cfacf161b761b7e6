/* sched: sched_setscheduler(SCHED_RR | SCHED_RESET_ON_FORK), setrlimit
 * (RLIMIT_RTTIME), setpriority, mlockall; see sched.h. */
#include "io/sched.h"

#include <errno.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "io/log.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

int sched_auto_next(int cur, int max, uint64_t late_us, uint32_t min_delay_us)
{
	if (max <= 0 || cur >= max || late_us < min_delay_us)
		return cur;
	return cur <= 0 ? 1 : cur + 1;
}

uint64_t sched_rttime_soft(uint32_t hard_us)
{
	return hard_us / 2 ? hard_us / 2 : 1;
}

/* SCHED_RR at PRIO with its RLIMIT_RTTIME, or SCHED_OTHER (PRIO 0). */
static int sched_set(int prio, uint32_t rlimit_us)
{
	struct sched_param sp = {.sched_priority = prio};

	if (prio > 0 && rlimit_us) {
		struct rlimit rl = {.rlim_cur = sched_rttime_soft(rlimit_us),
				    .rlim_max = rlimit_us};
		/* Lowering a limit needs no privilege; the limit comes first, so
		 * that the process is never real-time without it. */
		if (setrlimit(RLIMIT_RTTIME, &rl) < 0) {
			log_warn("vrrp_rlimit_rttime %u: setrlimit(RLIMIT_RTTIME)",
				 (unsigned)rlimit_us);
			return -1;
		}
	}
	return sched_setscheduler(0, (prio > 0 ? SCHED_RR : SCHED_OTHER) | SCHED_RESET_ON_FORK,
				  &sp);
}

static void sched_apply_rt(const struct sched_cfg *cfg, struct sched_state *st)
{
	int want = cfg->rt_priority;

	/* An automatic raise stays, up to a lower max_auto_priority. */
	if (st->rt_priority > want && cfg->max_auto_priority > 0)
		want = st->rt_priority < cfg->max_auto_priority ? st->rt_priority
								: cfg->max_auto_priority;
	if (want > 0 && want < cfg->rt_priority)
		want = cfg->rt_priority;
	if (sched_set(want, cfg->rlimit_rttime_us) < 0) {
		if (want)
			log_warn(
			    "vrrp_rt_priority %d: cannot set SCHED_RR (running as SCHED_OTHER)",
			    want);
		else
			log_warn("cannot set SCHED_OTHER with SCHED_RESET_ON_FORK");
		st->rt_priority = 0;
		return;
	}
	if (want)
		log_info(
		    "scheduling: SCHED_RR priority %d, RLIMIT_RTTIME %u us (SIGXCPU at %llu us)",
		    want, (unsigned)cfg->rlimit_rttime_us,
		    (unsigned long long)sched_rttime_soft(cfg->rlimit_rttime_us));
	else if (st->rt_priority)
		log_info("scheduling: SCHED_OTHER (was SCHED_RR priority %d)", st->rt_priority);
	st->rt_priority = want;
}

void sched_raise(struct sched_state *st, int prio, uint32_t rlimit_us, uint64_t late_us)
{
	if (sched_set(prio, rlimit_us) < 0) {
		log_warn("a timer ran %.1f ms late; cannot raise to SCHED_RR priority %d "
			 "(max_auto_priority)",
			 late_us / 1000.0, prio);
		return;
	}
	log_warnx("a timer ran %.1f ms late: now SCHED_RR priority %d (max_auto_priority), "
		  "RLIMIT_RTTIME %u us",
		  late_us / 1000.0, prio, (unsigned)rlimit_us);
	st->rt_priority = prio;
}

void sched_apply(const struct sched_cfg *cfg, struct sched_state *st)
{
	sched_apply_rt(cfg, st);
	if (cfg->nice != st->nice) {
		if (setpriority(PRIO_PROCESS, 0, cfg->nice) < 0) {
			log_warn("vrrp_priority %d: setpriority", cfg->nice);
		} else {
			log_info("scheduling: nice %d", cfg->nice);
			st->nice = cfg->nice;
		}
	}
	if (cfg->no_swap && !st->locked) {
		if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0) {
			log_warn("vrrp_no_swap: mlockall");
		} else {
			log_info("vrrp_no_swap: memory locked (never swapped out)");
			st->locked = true;
		}
	} else if (!cfg->no_swap && st->locked) {
		munlockall();
		log_info("vrrp_no_swap off: memory unlocked");
		st->locked = false;
	}
}

void sched_pause(struct sched_state *st)
{
	struct sched_param sp = {.sched_priority = 0};

	if (st->rt_priority > 0 &&
	    sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp) < 0)
		log_warn("cannot leave real-time scheduling for the reload");
}
