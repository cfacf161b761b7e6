/* resolve: a host name to addresses (smtp_server NAME) without blocking the
 * event loop.
 *
 * Promises:
 *  - resolve_get() answers from a one-name cache (core/hostres.h: an answer
 *    is kept 60 s, a failure 10 s) or starts `getent ahosts -- NAME` as an
 *    io/job and returns at once; the loop keeps running (adverts stay on
 *    time however long the resolver hangs). At most one resolver runs: a
 *    burst of mails waits for the same one. When it ends, the answer (or
 *    the failure, with its reason: "no address found", "timed out after
 *    3 s", "cannot run getent: ...") is cached and on_done is called once.
 *  - The resolver runs with the credentials given (the daemon passes
 *    script_user: a name lookup needs no privilege), in its own process
 *    group, killed with it at the timeout.
 *  - Why a process and not getaddrinfo_a(3): getaddrinfo_a runs the lookup
 *    in a thread glibc creates inside this one-thread daemon (possibly
 *    with its real-time priority and locked memory), with NSS modules
 *    loaded into our address space, and tells of its end by a signal or by
 *    yet another thread; and a lookup that hangs cannot be stopped
 *    (gai_cancel fails once it runs). A child process is killed at its
 *    timeout like any notify command and leaves nothing behind; its cost,
 *    one fork and exec, is paid at most once a minute thanks to the cache. */
#ifndef VRRPD_RESOLVE_H
#define VRRPD_RESOLVE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/hostres.h"
#include "io/proc.h"

#define RESOLVE_PROGRAM "getent"
#define RESOLVE_OUT_MAX 4096 /* bytes of getent's answer read */

struct loop;
struct resolve; /* private to resolve.c */

/* ON_DONE(ARG, RES): a resolution ended; RES is the cache (RES->name was
 * resolved; RES->failed and RES->why, or RES->addr[RES->n]). */
struct resolve *resolve_new(struct loop *l,
			    void (*on_done)(void *arg, const struct hostres_cache *res), void *arg);
/* What is known of NAME: the cache when it holds NAME (OK or FAIL), or NULL
 * when a resolution was started, or one is already under way (for NAME or
 * another name: on_done then comes, and the caller asks again). A
 * resolver that cannot be started is a failure returned at once. */
const struct hostres_cache *resolve_get(struct resolve *r, const char *name, uint32_t timeout_ms,
					const struct proc_cred *cred);
/* A resolver is running. */
bool resolve_busy(const struct resolve *r);
/* Moves a running resolver to loop TO (notify's shutdown loop). Returns 0
 * or -1 (then the resolver was killed and on_done called with a failure). */
int resolve_move(struct resolve *r, struct loop *to);
/* Kills a running resolver (on_done is not called) and frees. NULL is
 * accepted. */
void resolve_free(struct resolve *r);

#endif
