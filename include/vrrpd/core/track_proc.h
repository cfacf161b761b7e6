/* track_proc: what keepalived's vrrp_track_process decides (pure).
 *
 * Promises:
 *  - tproc_match() says whether a process is one a tracker counts, as
 *    keepalived matches: by default its name (/proc/PID/comm, which the
 *    kernel cuts to 15 characters) equals the configured name; with
 *    full_command (implied by parameters or param_match) argv[0] of its
 *    command line equals the name and, under param_match, the parameters
 *    compare: exact (all, and no more), partial (the configured ones come
 *    first, more may follow), initial (as partial, and the last configured
 *    one may be the start of a longer word).
 *  - a pidset is the set of processes a tracker counts.
 *  - tproc_update() / tproc_due() turn the count into the quorum verdict
 *    (quorum <= count <= quorum_max), with keepalived's delays: a gain
 *    through a fork waits fork_delay, a loss through an exit waits
 *    terminate_delay, and a count that comes back before the delay ends
 *    cancels the change. Other causes (exec, a name change, the start-up
 *    scan) apply at once. */
#ifndef VRRPD_TRACK_PROC_H
#define VRRPD_TRACK_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/timer.h"

#define TPROC_COMM_MAX 15 /* the kernel's TASK_COMM_LEN - 1 */

enum tproc_match { TPROC_MATCH_NONE, TPROC_MATCH_EXACT, TPROC_MATCH_PARTIAL, TPROC_MATCH_INITIAL };

struct tproc_spec {
	const char *name;   /* the process name, or argv[0] with full_command */
	const char *params; /* the parameters, each followed by a NUL; NULL = none */
	size_t params_len;  /* bytes of params, the NULs included */
	enum tproc_match match;
	bool full_command; /* match the command line, not the name */
};

/* COMM: the process's name (no newline); CMDLINE: /proc/PID/cmdline as
 * read (NUL-separated, CMDLINE_LEN bytes), may be NULL when the spec does
 * not need it. */
bool tproc_match(const struct tproc_spec *s, const char *comm, const char *cmdline,
		 size_t cmdline_len);

/* A set of process ids, sorted. */
struct pidset {
	int32_t *v;
	size_t n, cap;
};
/* 1: added, 0: already there, -1: out of memory. */
int pidset_add(struct pidset *s, int32_t pid);
/* True when PID was there. */
bool pidset_del(struct pidset *s, int32_t pid);
bool pidset_has(const struct pidset *s, int32_t pid);
void pidset_free(struct pidset *s);

struct tproc_quorum {
	uint32_t min, max; /* quorum (default 1), quorum_max (default UINT32_MAX) */
	vtime_t fork_delay, terminate_delay;
};

enum tproc_cause { TPROC_CAUSE_NOW, TPROC_CAUSE_FORK, TPROC_CAUSE_EXIT };

struct tproc_state {
	uint32_t n;  /* processes counted */
	bool up;     /* the verdict: the quorum is met */
	vtime_t due; /* a delayed change is due then; 0 = none */
};

bool tproc_quorum_ok(const struct tproc_quorum *q, uint32_t n);
/* S->n changed because of CAUSE at NOW. Returns true when S->up changed;
 * a change CAUSE delays sets S->due instead (call tproc_due() then). */
bool tproc_update(struct tproc_state *s, const struct tproc_quorum *q, enum tproc_cause cause,
		  vtime_t now);
/* At or after S->due: returns true when S->up changed. */
bool tproc_due(struct tproc_state *s, const struct tproc_quorum *q, vtime_t now);

#endif
