/* sysctl: per-interface kernel settings under /proc/sys/net.
 *
 * Promises: sysctl_get() reads /proc/sys/net/FAMILY/conf/IFNAME/KEY as an
 * integer; sysctl_set() writes one and hands back the value it replaced,
 * so that a caller can restore it. FAMILY is "ipv4" or "ipv6". Both return
 * 0, or -1 with errno (no such interface, setting or permission). */
#ifndef VRRPD_SYSCTL_H
#define VRRPD_SYSCTL_H

int sysctl_get(const char *family, const char *ifname, const char *key, int *val);
int sysctl_set(const char *family, const char *ifname, const char *key, int val, int *old);

#endif
