/* sdnotify: tell the service manager how the daemon is doing, via the
 * datagram socket named by $NOTIFY_SOCKET (systemd Type=notify).
 *
 * Promises: does nothing when $NOTIFY_SOCKET is unset; never blocks; needs
 * no library (the protocol is one datagram of NAME=VALUE lines). */
#ifndef VRRPD_SDNOTIFY_H
#define VRRPD_SDNOTIFY_H

/* Sends state, e.g. "READY=1\nSTATUS=2 instances: 1 MASTER, 1 BACKUP".
 * Returns 1 when sent, 0 when there is no service manager, -1 on error. */
int sdnotify_send(const char *state);
/* printf-style variant. */
int sdnotify_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
