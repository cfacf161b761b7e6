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

#include "vrrpd/conf.h"

/* Runs until SIGTERM or SIGINT. Takes ownership of conf. Returns an exit
 * status. on_ready is called once the sockets are open and instances started. */
int daemon_run(const char *conf_path, struct config *conf, void (*on_ready)(void));

#endif
