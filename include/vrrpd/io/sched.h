/* sched: how the daemon's process is scheduled — real-time SCHED_RR with
 * an RLIMIT_RTTIME safety net, nice, locked memory (keepalived's
 * vrrp_rt_priority, vrrp_rlimit_rttime, max_auto_priority, vrrp_priority,
 * vrrp_no_swap).
 *
 * Promises: sched_apply() moves the process to what the settings ask and
 * logs each change; a setting the kernel refuses (no CAP_SYS_NICE or
 * RLIMIT_RTPRIO, systemd's RestrictRealtime=, no CAP_IPC_LOCK) is a
 * warning naming the setting and the errno, never fatal, and the process
 * keeps running as it was. The policy always carries SCHED_RESET_ON_FORK,
 * so that scripts and notify commands start as ordinary processes (no
 * real-time priority, no negative nice). While real-time, RLIMIT_RTTIME's
 * hard limit is rlimit_rttime_us and its soft limit half of it: the kernel
 * sends SIGXCPU at the soft limit (the daemon logs it) and kills the
 * process at the hard one, so a runaway loop at real-time priority cannot
 * take a CPU for ever. sched_auto_next() and sched_rttime_soft() are pure. */
#ifndef VRRPD_SCHED_H
#define VRRPD_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct sched_cfg {
	int rt_priority;	    /* SCHED_RR priority 1..99; 0 = SCHED_OTHER */
	int max_auto_priority;	    /* raise up to this when timers run late; <= 0 = never */
	uint32_t min_auto_delay_us; /* how late counts */
	uint32_t rlimit_rttime_us;  /* RLIMIT_RTTIME hard limit while real-time; >= 2 */
	int nice;		    /* -20..19 */
	bool no_swap;		    /* mlockall(MCL_CURRENT | MCL_FUTURE) */
};

/* What the process runs with now (as far as sched_apply set it). */
struct sched_state {
	int rt_priority; /* 0 = SCHED_OTHER */
	int nice;
	bool locked;
};

/* Applies CFG to this process; ST says what is in force before and after. */
void sched_apply(const struct sched_cfg *cfg, struct sched_state *st);
/* Real-time off (SCHED_OTHER, keeping nice) while the process does long
 * work without blocking (a reload), so that RLIMIT_RTTIME cannot kill it;
 * sched_apply() puts it back. */
void sched_pause(struct sched_state *st);

/* max_auto_priority: a timer ran LATE_US late; moves to SCHED_RR at PRIO
 * (from sched_auto_next), with RLIMIT_RTTIME RLIMIT_US; logged. */
void sched_raise(struct sched_state *st, int prio, uint32_t rlimit_us, uint64_t late_us);

/* max_auto_priority: the real-time priority to move to after a timer ran
 * LATE_US late, from CUR (0 = not real-time): 1 first, then one more each
 * time, up to MAX; CUR when not late enough or already at MAX. */
int sched_auto_next(int cur, int max, uint64_t late_us, uint32_t min_delay_us);
/* The RLIMIT_RTTIME soft limit for a hard limit (half; at least 1). */
uint64_t sched_rttime_soft(uint32_t hard_us);

#endif
