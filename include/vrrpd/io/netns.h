/* netns: enter a named network namespace (keepalived's net_namespace).
 *
 * Promises:
 *  - netns_enter() moves the calling process into /run/netns/NAME (else
 *    /var/run/netns/NAME), the file `ip netns add NAME` makes, with
 *    setns(CLONE_NEWNET). Call it before opening any socket: sockets keep
 *    the namespace they were made in. It changes nothing else (mounts,
 *    /sys, the hostname stay). Returns 0, or -1 with the reason in ERR. */
#ifndef VRRPD_NETNS_H
#define VRRPD_NETNS_H

#include <stddef.h>

int netns_enter(const char *name, char *err, size_t errlen);

#endif
