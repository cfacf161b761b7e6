/* check_tcp: vrrp_check's "tcp ADDRESS PORT" — up when a connect
 * completes (SO_ERROR 0 once the socket is writable), within the timeout. */
#include <string.h>

#include "check/probe.h"

static void tcp_writable(void *arg, uint32_t events)
{
	struct probe *p = arg;
	int e = probe_tcp_result(p);

	(void)events;
	if (e)
		probe_finish(p, false, strerror(e));
	else
		probe_finish(p, true, "connected");
}

int probe_tcp_start(struct probe *p)
{
	return probe_tcp_connect(p, &p->c->addr, p->c->port, tcp_writable);
}
