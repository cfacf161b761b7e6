/* track_proc: process matching, pid sets and the quorum verdict. */
#include "core/track_proc.h"

#include <stdlib.h>
#include <string.h>

static bool params_match(const struct tproc_spec *s, const char *p, size_t len)
{
	if (s->match == TPROC_MATCH_NONE)
		return true;
	if (!s->params)
		return s->match != TPROC_MATCH_EXACT || len == 0;
	if (len < s->params_len)
		return false;
	switch (s->match) {
	case TPROC_MATCH_EXACT:
		return len == s->params_len && !memcmp(p, s->params, len);
	case TPROC_MATCH_PARTIAL:
		return !memcmp(p, s->params, s->params_len);
	default: /* initial: the last configured word may be cut short */
		return !memcmp(p, s->params, s->params_len - 1);
	}
}

bool tproc_match(const struct tproc_spec *s, const char *comm, const char *cmdline,
		 size_t cmdline_len)
{
	size_t nl = strlen(s->name);

	if (!s->full_command) {
		if (!comm)
			return false;
		if (nl <= TPROC_COMM_MAX)
			return !strcmp(comm, s->name);
		return strlen(comm) == TPROC_COMM_MAX && !strncmp(comm, s->name, TPROC_COMM_MAX);
	}
	if (!cmdline || cmdline_len == 0)
		return false;
	/* argv[0], which a process that rewrote its command line may have
	 * left without its NUL */
	size_t a0 = strnlen(cmdline, cmdline_len);
	if (a0 != nl || memcmp(cmdline, s->name, nl))
		return false;
	size_t rest = a0 < cmdline_len ? cmdline_len - a0 - 1 : 0;
	return params_match(s, cmdline + cmdline_len - rest, rest);
}

static size_t pidset_find(const struct pidset *s, int32_t pid)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int pidset_add(struct pidset *s, int32_t pid)
{
	size_t i = pidset_find(s, pid);

	if (i < s->n && s->v[i] == pid)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		int32_t *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
	s->v[i] = pid;
	s->n++;
	return 1;
}

bool pidset_del(struct pidset *s, int32_t pid)
{
	size_t i = pidset_find(s, pid);

	if (i == s->n || s->v[i] != pid)
		return false;
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(*s->v));
	s->n--;
	return true;
}

bool pidset_has(const struct pidset *s, int32_t pid)
{
	size_t i = pidset_find(s, pid);

	return i < s->n && s->v[i] == pid;
}

void pidset_free(struct pidset *s)
{
	free(s->v);
	*s = (struct pidset){0};
}

bool tproc_quorum_ok(const struct tproc_quorum *q, uint32_t n)
{
	return n >= q->min && n <= q->max;
}

bool tproc_update(struct tproc_state *s, const struct tproc_quorum *q, enum tproc_cause cause,
		  vtime_t now)
{
	bool want = tproc_quorum_ok(q, s->n);
	vtime_t delay = 0;

	if (want == s->up) {
		s->due = 0; /* back where it was: a pending change is cancelled */
		return false;
	}
	if (want && cause == TPROC_CAUSE_FORK)
		delay = q->fork_delay;
	else if (!want && cause == TPROC_CAUSE_EXIT)
		delay = q->terminate_delay;
	if (delay) {
		if (!s->due)
			s->due = now + delay;
		return false;
	}
	s->due = 0;
	s->up = want;
	return true;
}

bool tproc_due(struct tproc_state *s, const struct tproc_quorum *q, vtime_t now)
{
	if (!s->due || now < s->due)
		return false;
	s->due = 0;
	bool want = tproc_quorum_ok(q, s->n);
	if (want == s->up)
		return false;
	s->up = want;
	return true;
}
