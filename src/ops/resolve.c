/* resolve: getent ahosts as an io/job, its answer cached (core/hostres).
 *
 * How: one job at most. Its completion parses the captured output, stores
 * the addresses or the failure in the cache, frees the job and then calls
 * on_done, which may call resolve_get() again (for a name that changed
 * meanwhile, a new job starts then). */
#include "ops/resolve.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/script.h"
#include "io/job.h"
#include "io/log.h"
#include "io/loop.h"

struct resolve {
	struct loop *l;
	struct job *job;		 /* the running resolver, or NULL */
	char name[HOSTRES_NAME_MAX + 1]; /* what it resolves */
	uint32_t timeout_ms;
	struct hostres_cache cache;
	void (*on_done)(void *arg, const struct hostres_cache *res);
	void *arg;
};

struct resolve *resolve_new(struct loop *l,
			    void (*on_done)(void *arg, const struct hostres_cache *res), void *arg)
{
	struct resolve *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->l = l;
	r->on_done = on_done;
	r->arg = arg;
	return r;
}

/* The reason of a failed resolver, from its status. */
static void resolve_why(const struct resolve *r, const struct job_result *res, char *why,
			size_t len)
{
	char st[96];

	if (res->timed_out) {
		snprintf(why, len, "getent timed out after %g s", r->timeout_ms / 1000.0);
	} else if (WIFEXITED(res->status) && WEXITSTATUS(res->status) == 2) {
		/* getent's "key not found": NXDOMAIN, or no answer at all */
		snprintf(why, len, "no address found (getent ahosts: not found)");
	} else if (WIFEXITED(res->status) && WEXITSTATUS(res->status) == 0) {
		snprintf(why, len, "no address in getent's answer");
	} else {
		script_status_str(res->status, res->killed, r->timeout_ms, st, sizeof(st));
		snprintf(why, len, "getent %s", st);
	}
}

static void resolve_done(void *arg, struct job *j, const struct job_result *res)
{
	struct resolve *r = arg;
	struct vaddr a[HOSTRES_ADDRS_MAX];
	size_t n = 0;
	char why[HOSTRES_WHY_MAX];

	(void)j;
	if (!res->killed && WIFEXITED(res->status) && WEXITSTATUS(res->status) == 0)
		n = hostres_parse_getent(res->out, res->out_len, a, HOSTRES_ADDRS_MAX);
	if (n) {
		hostres_cache_put(&r->cache, r->name, a, n, loop_now());
	} else {
		resolve_why(r, res, why, sizeof(why));
		hostres_cache_fail(&r->cache, r->name, why, loop_now());
	}
	job_free(r->job);
	r->job = NULL;
	r->on_done(r->arg, &r->cache);
}

/* Starts the resolver for NAME. Returns 0, or -1 with the failure cached. */
static int resolve_start(struct resolve *r, const char *name, uint32_t timeout_ms,
			 const struct proc_cred *cred)
{
	char *argv[] = {RESOLVE_PROGRAM, "ahosts", "--", (char *)name, NULL};
	struct script_cmd cmd = {.argv = argv, .argc = 4, .words = argv, .nwords = 4};
	char err[256], why[HOSTRES_WHY_MAX], jname[JOB_NAME_MAX];

	snprintf(r->name, sizeof(r->name), "%s", name);
	r->timeout_ms = timeout_ms;
	snprintf(jname, sizeof(jname), "resolve %s", name);
	struct job_spec spec = {.name = jname,
				.cmd = &cmd,
				.cred = cred,
				.timeout_ms = timeout_ms,
				.capture = RESOLVE_OUT_MAX,
				.on_done = resolve_done,
				.arg = r};
	r->job = job_start(r->l, &spec, err, sizeof(err));
	if (r->job) {
		log_debug("resolve: %s: getent started (pid %d)", name, (int)job_pid(r->job));
		return 0;
	}
	snprintf(why, sizeof(why), "cannot run %s: %.120s", RESOLVE_PROGRAM, err);
	hostres_cache_fail(&r->cache, name, why, loop_now());
	return -1;
}

const struct hostres_cache *resolve_get(struct resolve *r, const char *name, uint32_t timeout_ms,
					const struct proc_cred *cred)
{
	if (hostres_cache_get(&r->cache, name, loop_now()) != HOSTRES_MISS)
		return &r->cache;
	if (r->job)
		return NULL;
	if (resolve_start(r, name, timeout_ms, cred) < 0)
		return &r->cache;
	return NULL;
}

bool resolve_busy(const struct resolve *r)
{
	return r && r->job;
}

int resolve_move(struct resolve *r, struct loop *to)
{
	if (!r->job) {
		r->l = to;
		return 0;
	}
	if (job_move(r->job, to) == 0) {
		r->l = to;
		return 0;
	}
	int e = errno;

	job_free(r->job);
	r->job = NULL;
	r->l = to;
	hostres_cache_fail(&r->cache, r->name, "the resolver was lost at shutdown", loop_now());
	r->on_done(r->arg, &r->cache);
	errno = e;
	return -1;
}

void resolve_free(struct resolve *r)
{
	if (!r)
		return;
	job_free(r->job);
	free(r);
}
