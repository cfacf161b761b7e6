/* daemon: the running daemon. Owns the event loop, the interfaces and the
 * runtime instances; turns packets, timers, netlink events and signals into
 * state machine events, and executes the actions it returns.
 *
 * Promises: never leaves a VIP behind — configured VIPs found on start are
 * removed before electing, and every VIP is removed on SIGTERM/SIGINT after
 * a priority-0 advert. SIGHUP re-reads the configuration: a bad file changes
 * nothing; unchanged instances keep their state and timers; changed ones are
 * restarted. */
#ifndef VRRPD_DAEMON_H
#define VRRPD_DAEMON_H

#include "conf/conf.h"

#include <stdbool.h>
#include <sys/types.h>

struct daemon_opts {
	const char *conf_path;
	const char *ctl_path;	/* control socket; NULL = none */
	gid_t ctl_gid;		/* group of the control socket; (gid_t)-1 = leave */
	void (*on_ready)(void); /* once the sockets are open and instances started */
};

/* Runs until SIGTERM or SIGINT. Takes ownership of conf. Returns an exit
 * status. Tells a service manager READY/RELOADING/STOPPING (sdnotify). */
int daemon_run(const struct daemon_opts *opts, struct config *conf);

/* Whether this daemon runs instances of that address family (AF_INET,
 * AF_INET6). The grammar accepts both; `vrrpd -t` and the instance start
 * ask this one function, so that they cannot disagree. */
bool daemon_runs_family(int family);

#endif
