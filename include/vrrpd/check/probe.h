/* probe: one run of a built-in check (vrrp_check) in the event loop — a
 * TCP connect, an HTTP GET, an ICMP echo, a MySQL login and query — with
 * no process.
 *
 * Promises: never blocks (non-blocking sockets watched by epoll, the
 * timeout a loop timer); the outcome comes to DONE exactly once, always
 * from a loop callback (never from inside probe_start), unless the probe is
 * freed first; DONE may free the probe. The check C must outlive the probe.
 * Each kind lives in its own file (check_tcp.c, check_http.c,
 * check_https.c, check_icmp.c, check_mysql.c) behind the ops below; probe.c holds what
 * they share. */
#ifndef VRRPD_PROBE_H
#define VRRPD_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "conf/conf.h"
#include "io/loop.h"

typedef void probe_done_fn(void *arg, bool ok, const char *why);

struct probe {
	struct loop *l;
	const struct conf_check *c;
	struct loop_fd h;   /* the socket; h.fd -1 when none */
	struct timer t_out; /* the timeout, or at once for an early verdict */
	uint32_t timeout_ms;
	probe_done_fn *done;
	void *arg;
	int early_err;	   /* an errno known at start, reported from t_out */
	const char *stage; /* what a timeout did not see, e.g. "TLS handshake"; NULL: an answer */
	/* http: the request, how much of it went out, the response so far */
	char req[HCHECK_PATH_MAX + CONF_TLS_NAME_MAX + 128];
	size_t req_len, req_sent;
	char *rsp; /* HCHECK_HTTP_MAX bytes, allocated when connected */
	size_t rsp_len;
	/* https: the TLS connection (check_https.c), its step, the events watched */
	struct ssl_st *ssl;
	int tls_step;
	uint32_t ev;
	/* icmp */
	bool raw; /* a raw socket (no datagram ICMP socket allowed) */
	uint16_t id, seq;
	/* A kind's own state (mysql: the client library's connection, whose
	 * socket h watches but does not own) and what frees it; CLEANUP runs
	 * first when the probe closes, and leaves h.fd -1 when the socket is
	 * not the probe's to close. */
	void *priv;
	void (*cleanup)(struct probe *p);
};

/* Starts a run of C that times out after TIMEOUT_MS. NULL (ERR says why)
 * when no socket could be had; nothing is left open then. */
struct probe *probe_start(struct loop *l, const struct conf_check *c, uint32_t timeout_ms,
			  probe_done_fn *done, void *arg, char *err, size_t errlen);
/* How many runs probe_start() has begun since the daemon started. */
uint64_t probe_runs(void);
/* Closes the socket and cancels the timer; no outcome comes after. */
void probe_free(struct probe *p);

/* For the kinds' files: the verdict (closes the socket, cancels the timer,
 * then calls DONE, which may free P). */
void probe_finish(struct probe *p, bool ok, const char *why);
/* A non-blocking TCP connect to ADDR:PORT into p->h (watched for
 * EPOLLOUT with CB); an immediate refusal goes to early_err. -1 with
 * errno when no socket. */
/* ADDR and PORT as a socket address in SS; its length. */
socklen_t probe_sockaddr(const struct vaddr *addr, uint16_t port, struct sockaddr_storage *ss);
/* Watches FD (the probe's own) for EVENTS with CB; on failure FD is
 * closed and -1 returned, errno kept. */
int probe_watch(struct probe *p, int fd, void (*cb)(void *arg, uint32_t events), uint32_t events);
int probe_tcp_connect(struct probe *p, const struct vaddr *addr, uint16_t port,
		      void (*cb)(void *arg, uint32_t events));
/* The connect's outcome once the socket is writable: 0, or the errno. */
int probe_tcp_result(struct probe *p);

int probe_tcp_start(struct probe *p);	 /* check_tcp.c */
int probe_http_start(struct probe *p);	 /* check_http.c */
int probe_icmp_start(struct probe *p);	 /* check_icmp.c */
int probe_mysql_start(struct probe *p);	 /* check_mysql.c */
int probe_https_start(struct probe *p);	 /* check_https.c */
void probe_https_close(struct probe *p); /* frees p->ssl, before the socket closes */

#endif
