/* restart: vrrpctl restart — the daemon re-executes its file on disk in
 * place (same PID, so a service manager keeps tracking it) and hands its
 * masters across, so that an upgrade is not a failover.
 *
 * The old process: every master advertises once more (the new one then
 * has a whole Advertisement_Interval to take over), its state goes into
 * a versioned, checksummed record (core/handover) in a memfd, every other
 * descriptor is marked close-on-exec, $VRRPD_HANDOVER names the memfd and
 * the client's connection, and it execve()s. When that fails it logs,
 * answers the client and carries on as before: nothing was stopped, so
 * no VIP is held by nobody.
 *
 * The new process reads the record before it starts its instances; each
 * master whose identity and configuration fingerprint are unchanged and
 * whose last advert is less than one interval old resumes as master (its
 * VIPs are not cleared as stale, no priority-0 advert, its next advert on
 * the old schedule); every other instance starts normally. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "daemon/internal.h"
#include "io/closer.h"
#include "io/frame_tx.h"
#include "io/log.h"
#include "io/sdnotify.h"

#define HANDOVER_READ_MAX (1u << 20)
#define RESTART_CS_US(cs) ((vtime_t)(cs)*10000u)

static void daemon_restart_exec_cb(void *arg, vtime_t now);

/* Writes msg to the client's connection and closes it. */
static void restart_answer(int fd, const char *msg)
{
	size_t n = strlen(msg), off = 0;

	for (int tries = 0; off < n && tries < 100; tries++) {
		ssize_t w = send(fd, msg + off, n - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w > 0)
			off += (size_t)w;
		else if (w < 0 && errno != EINTR && errno != EAGAIN)
			break;
	}
	close(fd);
}

int daemon_restart_request(void *arg, int fd, char *msg, size_t len)
{
	struct daemon *d = arg;
	struct conf_msgs m = {0};

	if (!d->exe || !d->argv) {
		snprintf(msg, len, "this daemon does not know its own file; restart it instead");
		return -1;
	}
	if (d->restart_fd >= 0) {
		snprintf(msg, len, "a restart is already under way");
		return -1;
	}
	if (access(d->exe, X_OK) < 0) {
		snprintf(msg, len, "cannot execute %s: %s; still running", d->exe, strerror(errno));
		return -1;
	}
	/* The new process would refuse the file and exit holding the VIPs. */
	struct config *c = conf_load_id(d->conf_path, d->config_id, &m);
	if (!c) {
		snprintf(msg, len, "%s has %d error(s) (vrrpd -t shows them); not restarting",
			 d->conf_path, m.errors);
		conf_msgs_free(&m);
		return -1;
	}
	conf_free(c);
	conf_msgs_free(&m);
	d->restart_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (d->restart_fd < 0) {
		snprintf(msg, len, "cannot keep the connection: %s", strerror(errno));
		return -1;
	}
	log_info("control: restart requested; re-executing %s", d->exe);
	/* From the loop, once the control server is done with this request. */
	timer_init(&d->t_restart, daemon_restart_exec_cb, d);
	loop_timer_arm(&d->loop, &d->t_restart, loop_now());
	return 0;
}

/* ---- the old process ---- */

/* Every master advertises now (so that the new process has a whole
 * interval), and its state goes into h. */
static void restart_collect(struct daemon *d, struct handover *h)
{
	h->n = 0;
	for (struct vr *v = d->vrs; v && h->n < HANDOVER_MAX_INST; v = v->next) {
		struct handover_inst *e = &h->inst[h->n++];
		const struct conf_instance *ci = v->ci;
		memset(e, 0, sizeof(*e));
		snprintf(e->name, sizeof(e->name), "%s", ci->name);
		snprintf(e->ifname, sizeof(e->ifname), "%s", ci->ifname);
		e->vrid = ci->vrid;
		e->family = (uint8_t)ci->family;
		e->since = v->vi.since;
		e->conf_hash = conf_instance_fingerprint(d->conf, ci);
		bool master =
		    v->started && v->vi.state == VRRP_STATE_MASTER && v->vips_on && v->vips_want;
		e->state = master ? VRRP_STATE_MASTER : (uint8_t)v->vi.state;
		if (master) {
			struct vrrp_actions acts = {0};
			vrrp_advertise_now(&v->vi, loop_now(), &acts);
			vr_do(v, &acts);
			e->last_advert = loop_now();
		}
	}
	/* This runs in a timer, whose adverts wait for the end of the run
	 * (txq.c): the exec comes before that, so they go now. */
	vr_txq_flush(d);
}

/* Marks every descriptor but 0-2, keep1 and keep2 close-on-exec, and
 * those two not. Returns -1 when /proc/self/fd cannot be read. */
static int restart_fds(int keep1, int keep2)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *de;

	if (!dir)
		return -1;
	int self = dirfd(dir);
	while ((de = readdir(dir))) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);
		if (*end || end == de->d_name || fd < 3 || fd == self || fd == keep1 || fd == keep2)
			continue;
		int fl = fcntl((int)fd, F_GETFD);
		if (fl >= 0 && !(fl & FD_CLOEXEC))
			fcntl((int)fd, F_SETFD, fl | FD_CLOEXEC);
	}
	closedir(dir);
	fcntl(keep1, F_SETFD, 0);
	fcntl(keep2, F_SETFD, 0);
	return 0;
}

/* The record in a memfd (close-on-exec until restart_fds). Returns it, or -1. */
static int restart_memfd(const struct handover *h)
{
	size_t len = handover_size(h);
	uint8_t *buf = malloc(len);
	int fd = memfd_create("vrrpd-handover", MFD_CLOEXEC);

	if (!buf || fd < 0 || handover_encode(h, buf, len) != len ||
	    write(fd, buf, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0) {
		log_err("restart: cannot write the handover record");
		if (fd >= 0)
			close(fd);
		free(buf);
		return -1;
	}
	free(buf);
	return fd;
}

static void restart_failed(struct daemon *d, const char *why)
{
	char msg[512];

	unsetenv(DAEMON_HANDOVER_ENV);
	log_errx("restart failed: %s; still running, nothing changed", why);
	snprintf(msg, sizeof(msg), "error: restart failed: %s; still running, nothing changed\n",
		 why);
	restart_answer(d->restart_fd, msg);
	d->restart_fd = -1;
	daemon_status_notify(d, "READY=1\n");
}

static void daemon_restart_exec_cb(void *arg, vtime_t now)
{
	struct daemon *d = arg;
	struct handover *h = calloc(1, sizeof(*h));
	char env[64], why[300];

	daemon_reload_stop(d); /* the new process reads the file anyway */
	sdnotify_printf("RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=restarting: executing %s",
			(unsigned long long)now, d->exe);
	if (!h) {
		restart_failed(d, "out of memory");
		return;
	}
	daemon_flush(d, true); /* pending VIP changes first: the record says what is */
	restart_collect(d, h);
	h->written_at = loop_now();
	int mfd = restart_memfd(h);
	free(h);
	if (mfd < 0) {
		restart_failed(d, "cannot write the handover record");
		return;
	}
	snprintf(env, sizeof(env), "%d:%d", mfd, d->restart_fd);
	if (setenv(DAEMON_HANDOVER_ENV, env, 1) < 0 || restart_fds(mfd, d->restart_fd) < 0) {
		close(mfd);
		restart_failed(d, "cannot prepare the descriptors");
		return;
	}
	log_info("restart: executing %s", d->exe);
	/* The packet sockets now, together (io/closer): execve would close
	 * them one grace period after another. */
	for (struct iface *ifp = d->ifaces; ifp; ifp = ifp->next)
		iface_claims_close(ifp);
	closer_close(d->garp_fd);
	d->garp_fd = -1;
	execv(d->exe, d->argv);
	snprintf(why, sizeof(why), "cannot execute %s: %s", d->exe, strerror(errno));
	close(mfd);
	d->garp_fd = frame_tx_open();
	daemon_claims_refresh(d);
	restart_failed(d, why);
}

/* ---- the new process ---- */

void daemon_handover_read(struct daemon *d, const char *env)
{
	int sfd = -1, cfd = -1;

	if (!env)
		return;
	if (sscanf(env, "%d:%d", &sfd, &cfd) != 2 || sfd < 3 || cfd < 3) {
		log_warnx("restart: $%s is '%s', not STATEFD:REPLYFD; starting normally",
			  DAEMON_HANDOVER_ENV, env);
		return;
	}
	fcntl(cfd, F_SETFD, FD_CLOEXEC);
	d->restart_fd = cfd; /* answered by daemon_handover_done */
	uint8_t *buf = malloc(HANDOVER_READ_MAX);
	struct handover *h = calloc(1, sizeof(*h));
	ssize_t n = buf && h ? pread(sfd, buf, HANDOVER_READ_MAX, 0) : -1;
	close(sfd);
	d->ho_read_at = loop_now();
	enum handover_err e = n < 0 ? HANDOVER_ERR_SHORT : handover_decode(buf, (size_t)n, h);
	free(buf);
	if (e != HANDOVER_OK) {
		log_warnx("restart: the handed-over state is unusable (%s); every instance starts "
			  "normally",
			  n < 0 ? strerror(errno) : handover_err_str(e));
		free(h);
		return;
	}
	d->ho = h;
}

void daemon_resume_decide(struct daemon *d, struct vr *v, vtime_t now)
{
	const struct conf_instance *ci = v->ci;
	const struct handover_inst *rec = d->ho ? handover_find(d->ho, ci->name) : NULL;
	char why[160];

	v->resume_from = NULL;
	if (!rec || rec->state != VRRP_STATE_MASTER)
		return;
	struct handover_key k = {.name = ci->name,
				 .ifname = ci->ifname,
				 .vrid = ci->vrid,
				 .family = (uint8_t)ci->family,
				 .conf_hash = conf_instance_fingerprint(d->conf, ci),
				 .adver_int = RESTART_CS_US(ci->advert_int_cs)};
	int ok = handover_decide(rec, &k, now, why, sizeof(why));
	/* Not (yet) handed over: a virtual MAC interface is made anew by
	 * vr_create, a sync group moves together. */
	if (ok && ci->use_vmac) {
		ok = 0;
		snprintf(why, sizeof(why), "use_vmac (its interface is made anew)");
	} else if (ok && ci->sync_group[0]) {
		ok = 0;
		snprintf(why, sizeof(why), "in vrrp_sync_group %s", ci->sync_group);
	}
	if (ok)
		v->resume_from = rec;
	else
		log_info("%s was master before the restart; starting normally: %s", ci->name, why);
}

bool daemon_resume(struct daemon *d, struct vr *v, vtime_t now)
{
	const struct conf_instance *ci = v->ci;
	const struct handover_inst *rec = v->resume_from;

	if (!rec)
		return false;
	v->resume_from = NULL;
	const struct vaddr *src = ci->has_unicast_src ? &ci->unicast_src
				  : v->ifp	      ? iface_source(v->ifp, ci->family)
						      : NULL;
	if (!v->ifp || !v->sock || !src || !src->family) {
		log_info("%s was master before the restart; starting normally: %s has no socket or "
			 "source address yet",
			 ci->name, ci->ifname);
		return false;
	}
	vrrp_set_primary(&v->vi, src);
	vrrp_resume_master(&v->vi, now, rec->since,
			   rec->last_advert + RESTART_CS_US(ci->advert_int_cs),
			   "resumed after restart");
	v->started = true;
	/* The VIPs are in place; the flush queues them again (an existing
	 * address is replaced, not removed) and puts back Accept_Mode's drop
	 * rules, which the new filter table lacks. No GARP: nothing moved. */
	v->vips_want = true;
	v->vips_on = false;
	vr_mark_dirty(v);
	loop_timer_arm(&d->loop, &v->t, v->vi.timer_at);
	d->n_resumed++;
	log_info("resumed %s as master (handover %.1f ms)", ci->name,
		 (double)(now - d->ho->written_at) / 1e3);
	vr_track_update(v, now);
	return true;
}

void daemon_handover_done(struct daemon *d)
{
	char msg[256];

	if (d->restart_fd < 0)
		return;
	size_t masters = 0;
	for (size_t i = 0; d->ho && i < d->ho->n; i++)
		masters += d->ho->inst[i].state == VRRP_STATE_MASTER;
	snprintf(msg, sizeof(msg),
		 "restarted (pid %ld): %u of %zu master(s) resumed, handover %.1f ms\n",
		 (long)getpid(), d->n_resumed, masters,
		 d->ho ? (double)(d->ho_read_at - d->ho->written_at) / 1e3 : 0.0);
	restart_answer(d->restart_fd, msg);
	d->restart_fd = -1;
	free(d->ho);
	d->ho = NULL;
}
