/* daemon: the running daemon. Owns the event loop, the interfaces and the
 * runtime instances; turns packets, timers, netlink events and signals into
 * state machine events, and executes the actions it returns.
 *
 * Promises: never leaves a VIP behind — configured VIPs found on start are
 * removed before electing, and every VIP is removed on SIGTERM/SIGINT after
 * a priority-0 advert. SIGHUP re-reads the configuration: a bad file changes
 * nothing; unchanged instances keep their state and timers; changed ones are
 * restarted. vrrpctl restart re-executes the daemon in place (same PID):
 * masters whose configuration did not change resume without a priority-0
 * advert or a VIP removed; when the execve fails the daemon carries on. */
#ifndef VRRPD_DAEMON_H
#define VRRPD_DAEMON_H

#include "conf/conf.h"

#include <stdint.h>
#include <sys/types.h>

struct daemon_opts {
	const char *conf_path;
	const char *config_id;	/* -i: chooses the @ID lines, on every reload too; NULL =
				   the host name's */
	const char *ctl_path;	/* control socket; NULL = none */
	gid_t ctl_gid;		/* group of the control socket; (gid_t)-1 = leave */
	void (*on_ready)(void); /* once the sockets are open and instances started */
	/* vrrpctl restart: the file to execute and the argument vector to
	 * give it (NULL: restart is refused). */
	const char *exe;
	char *const *argv;
	/* The value of $VRRPD_HANDOVER ("STATEFD:REPLYFD") when this process
	 * was exec'd by vrrpctl restart; NULL otherwise. */
	const char *handover;
	/* When the process started (loop_now's clock, taken first thing in
	 * main): the instances' Startup event, so that the Master_Down_Timer
	 * of a backup counts the time spent reading the file and opening
	 * sockets (about 15 ms with 1000 instances). 0 = when they start. */
	uint64_t started_at;
};

/* The environment variable through which vrrpctl restart tells the new
 * process where the handed-over state and the client's connection are. */
#define DAEMON_HANDOVER_ENV "VRRPD_HANDOVER"

/* Runs until SIGTERM or SIGINT. Takes ownership of conf. Returns an exit
 * status. Tells a service manager READY/RELOADING/STOPPING (sdnotify). */
int daemon_run(const struct daemon_opts *opts, struct config *conf);

#endif
