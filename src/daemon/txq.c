/* txq: the adverts that the timers of one loop run send, queued and sent
 * with one sendmmsg(2) per socket when the run ends.
 *
 * Many instances with one advert_int fall due in the same turn (they start
 * together and keep their phase). One sendmsg each meant one syscall, and
 * on a busy host one wake-up preemption of the sender, per advert; one
 * sendmmsg per socket sends the turn's adverts in a burst. The queue is
 * open only while the loop runs due timers (loop_set_timer_hooks): every
 * other advert (a takeover or preemption in answer to a packet, the
 * priority-0 advert of a shutdown) goes out at once, as before. An entry's
 * lateness is read on the clock after its batch went out. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/internal.h"
#include "io/log.h"
#include "io/sock.h"

#define TXQ_MAX	  64	  /* adverts per batch */
#define TXQ_BYTES (16384) /* their payloads */

struct txq_ent {
	struct vr *v;
	vtime_t due; /* the timer's due time, for the lateness count; 0 = none */
	int fd;
	struct vaddr dst;
	struct ratelimit *rl; /* a failure's log; NULL = every time */
};

struct vr_txq {
	bool open;
	unsigned n;
	size_t used;
	struct txq_ent e[TXQ_MAX];
	struct sock_msg m[TXQ_MAX];
	struct mmsghdr mh[TXQ_MAX];
	_Alignas(8) uint8_t buf[TXQ_BYTES];
};

static void txq_begin(void *arg)
{
	struct daemon *d = arg;

	if (!d->txq)
		d->txq = calloc(1, sizeof(*d->txq)); /* NULL: adverts go one by one */
	if (d->txq)
		d->txq->open = true;
}

static void txq_end(void *arg)
{
	struct daemon *d = arg;

	vr_txq_flush(d);
	if (d->txq)
		d->txq->open = false;
}

void vr_txq_init(struct daemon *d)
{
	loop_set_timer_hooks(&d->loop, txq_begin, txq_end, d);
}

void vr_txq_free(struct daemon *d)
{
	vr_txq_flush(d);
	free(d->txq);
	d->txq = NULL;
}

void vr_txq_due(struct vr *v, vtime_t due)
{
	v->d->tx_due = due;
	v->d->tx_due_vr = due ? v : NULL;
}

/* The due time that v's advert, being sent, is counted late against: the
 * first advert of the timer's own instance only (another instance's advert
 * that its callback caused, or a second peer's copy, is not). */
static vtime_t txq_take_due(struct vr *v)
{
	struct daemon *d = v->d;

	if (d->tx_due_vr != v)
		return 0;
	vtime_t due = d->tx_due;
	d->tx_due = 0;
	d->tx_due_vr = NULL;
	return due;
}

/* Sends the entries of q on FD, from FIRST on (the earlier ones are on
 * other sockets), in order, and counts them. */
static void txq_send_fd(struct vr_txq *q, unsigned first, int fd)
{
	struct mmsghdr mv[TXQ_MAX];
	unsigned idx[TXQ_MAX], k = 0;
	bool ok[TXQ_MAX];

	for (unsigned i = first; i < q->n; i++)
		if (q->e[i].fd == fd) {
			idx[k] = i;
			mv[k++] = q->mh[i];
			q->e[i].fd = -1; /* done */
		}
	sock_send_batch(fd, mv, k, ok);
	int err = errno;
	vtime_t sent = loop_now();
	for (unsigned j = 0; j < k; j++) {
		struct txq_ent *e = &q->e[idx[j]];
		char a[ADDR_STRLEN];
		if (!ok[j]) {
			errno = err;
			if (!e->rl || ratelimit_ok(e->rl, sent, LOG_EVERY, NULL))
				log_warn("%s: advert to %s failed", e->v->ci->name,
					 addr_str(&e->dst, a));
			continue;
		}
		e->v->tx++;
		if (e->due)
			vr_count_late(e->v, e->due, sent);
	}
}

void vr_txq_flush(struct daemon *d)
{
	struct vr_txq *q = d->txq;

	if (!q || !q->n)
		return;
	for (unsigned i = 0; i < q->n; i++)
		if (q->e[i].fd >= 0)
			txq_send_fd(q, i, q->e[i].fd);
	q->n = 0;
	q->used = 0;
}

int vr_tx(struct vr *v, int fd, int ifindex, const struct vaddr *src, const struct vaddr *dst,
	  const void *msg, size_t len, int ttl, struct ratelimit *rl)
{
	struct vr_txq *q = v->d->txq;

	if (!q || !q->open || len > sizeof(q->buf)) { /* at once, as before */
		int rc = dst->family == AF_INET
			     ? sock_send_ip4(fd, ifindex, src, dst, msg, len, ttl)
			     : sock_send6(fd, ifindex, src, dst, msg, len, ttl);
		if (rc == 0) {
			v->tx++;
			vtime_t due = txq_take_due(v);
			if (due)
				vr_count_late(v, due, loop_now());
		}
		return rc;
	}
	if (q->n == TXQ_MAX || q->used + len > sizeof(q->buf))
		vr_txq_flush(v->d);
	unsigned i = q->n++;
	uint8_t *p = q->buf + q->used;
	q->used += (len + 7) & ~(size_t)7;
	memcpy(p, msg, len);
	q->e[i] = (struct txq_ent){.v = v, .due = txq_take_due(v), .fd = fd, .dst = *dst, .rl = rl};
	sock_msg_fill(&q->m[i], &q->mh[i].msg_hdr, ifindex, src, dst, p, len, ttl);
	return 1;
}
