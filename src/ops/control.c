/* control: the unix control socket. One request line per connection, a
 * buffered answer, then close. Everything is non-blocking and bounded: a
 * client is a few hundred bytes of state, a read of at most one request
 * line, and writes only as far as its socket takes them; a timer drops a
 * client that stalls. The formatting lives in ctl_buf.c, ctl_format.c
 * (status and stats), ctl_metrics.c (Prometheus) and ctl_files.c (the
 * SIGUSR1/SIGUSR2 files). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/ratelimit.h"
#include "io/log.h"
#include "io/loop.h"
#include "ops/control.h"

#define CTL_REQ_MAX	    256	  /* bytes of a request line, newline excluded */
#define CTL_ACCEPT_BUDGET   16	  /* connections accepted per wakeup */
#define CTL_RELOAD_MSG	    16384 /* room for the reload's messages */
#define CTL_STALL_LOG_EVERY (10 * VTIME_SEC)
/* A reader that keeps taking a few bytes gets another CTL_CLIENT_TIMEOUT_MS
 * after each, but never more than this in all. */
#define CTL_CLIENT_MAX_LIFE (10 * CTL_CLIENT_TIMEOUT_MS * VTIME_MSEC)

struct ctl_client {
	struct ctl_server *srv;
	int fd;
	struct loop_fd lfd;
	struct timer t;
	vtime_t born;
	char req[CTL_REQ_MAX + 2];
	size_t req_len;
	struct ctl_buf out;
	size_t out_off;
	bool replying; /* the answer is built; now writing it */
	bool expired;  /* timed out: its own callback frees it (see ctl_client_timeout) */
	struct ctl_client *prev, *next;
};

struct ctl_server {
	struct loop *l;
	int fd;
	struct loop_fd lfd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t dev;
	ino_t ino;
	const struct ctl_ops *ops;
	void *arg;
	struct ctl_client *clients;
	size_t n_clients;
	struct ratelimit stall_log; /* "dropped a client that stalled" */
};

/* ------------------------------------------------------------- clients */

static void ctl_client_free(struct ctl_client *c)
{
	struct ctl_server *s = c->srv;

	loop_timer_cancel(s->l, &c->t);
	loop_del_fd(s->l, &c->lfd);
	close(c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->n_clients--;
	ctl_buf_free(&c->out);
	free(c);
}

/* The answer is out: discard what the client sent beyond its request line
 * (bounded), since closing a unix socket with unread data makes the peer's
 * read fail with ECONNRESET before it sees the answer; then close. */
static void ctl_client_done(struct ctl_client *c)
{
	char sink[4096];

	for (int i = 0; i < 16; i++) {
		ssize_t r = recv(c->fd, sink, sizeof(sink), MSG_DONTWAIT);
		if (r > 0)
			continue;
		if (r < 0 && errno == EINTR)
			continue;
		break;
	}
	ctl_client_free(c);
}

static void ctl_client_timeout(void *arg, vtime_t now)
{
	struct ctl_client *c = arg;
	struct ctl_server *s = c->srv;
	uint64_t more = 0;

	if (ratelimit_ok(&s->stall_log, now, CTL_STALL_LOG_EVERY, &more)) {
		if (more)
			log_warnx("control: dropped a client that stalled (and %" PRIu64
				  " more since the last report)",
				  more);
		else
			log_warnx("control: dropped a client that stalled");
	}
	/* Not freed here: the loop may hold an event for this client's fd from
	 * the same epoll_wait, to be dispatched after the timers. Shutting the
	 * socket down makes it report EPOLLHUP, so its own callback runs (this
	 * turn or the next) and frees it; the client sees end of file now. */
	c->expired = true;
	shutdown(c->fd, SHUT_RDWR);
}

static void ctl_client_deadline(struct ctl_client *c)
{
	vtime_t at = loop_now() + CTL_CLIENT_TIMEOUT_MS * VTIME_MSEC;

	if (at > c->born + CTL_CLIENT_MAX_LIFE)
		at = c->born + CTL_CLIENT_MAX_LIFE;
	loop_timer_arm(c->srv->l, &c->t, at);
}

/* The client's word, printable for an error message. */
static void ctl_sanitize(char *w)
{
	for (; *w; w++)
		if ((unsigned char)*w < 0x20 || (unsigned char)*w == 0x7f)
			*w = '?';
}

static void ctl_snapshot(struct ctl_server *s, struct ctl_snapshot *snap)
{
	memset(snap, 0, sizeof(*snap));
	snap->router_id = "";
	if (s->ops && s->ops->snapshot)
		s->ops->snapshot(s->arg, snap);
}

void ctl_reload_answer(struct ctl_buf *out, int rc, char *msg, size_t len)
{
	msg[len - 1] = '\0';
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	if (rc < 0)
		ctl_buf_printf(out,
			       "error: reload rejected; the running configuration is unchanged\n");
	else if (!n)
		ctl_buf_printf(out, "reloaded\n");
	if (n)
		ctl_buf_printf(out, "%s\n", msg);
}

/* vrrpctl reload: when the daemon takes the connection (the reload runs
 * on while the loop turns), this answer stays empty and the daemon answers
 * on its duplicate of fd when the reload is done. */
static void ctl_reload(struct ctl_server *s, int fd, struct ctl_buf *out)
{
	char *msg;
	int rc;

	if (!s->ops || !s->ops->reload) {
		ctl_buf_printf(out, "error: this daemon does not support reload\n");
		return;
	}
	msg = calloc(1, CTL_RELOAD_MSG);
	if (!msg) {
		ctl_buf_printf(out, "error: out of memory\n");
		return;
	}
	rc = s->ops->reload(s->arg, fd, msg, CTL_RELOAD_MSG);
	if (rc <= 0)
		ctl_reload_answer(out, rc, msg, CTL_RELOAD_MSG);
	free(msg);
}

/* The words after the command, W[1..N-1], as "[INSTANCE] [--json]": false
 * after an error in OUT (USAGE is the request's form). */
static bool ctl_name_args(char **w, size_t n, const char *usage, const char **name, bool *json,
			  struct ctl_buf *out)
{
	*name = NULL;
	*json = false;
	for (size_t i = 1; i < n; i++) {
		if (strcmp(w[i], "--json") == 0) {
			*json = true;
		} else if (w[i][0] == '-' || *name) {
			ctl_sanitize(w[i]);
			ctl_buf_printf(out, "error: unexpected '%s' (usage: %s)\n", w[i], usage);
			return false;
		} else {
			*name = w[i];
		}
	}
	return true;
}

/* "why INSTANCE [--json]": the instance's ring of reasons. */
static void ctl_why(struct ctl_server *s, char **w, size_t n, struct ctl_buf *out)
{
	const char *name;
	bool json;

	if (!ctl_name_args(w, n, "why INSTANCE [--json]", &name, &json, out))
		return;
	if (!name) {
		ctl_buf_printf(out, "error: which instance? (usage: why INSTANCE [--json])\n");
		return;
	}
	struct ctl_why why;
	memset(&why, 0, sizeof(why));
	if (!s->ops || !s->ops->why || s->ops->why(s->arg, name, &why) < 0) {
		char bad[CONF_NAME_MAX + 1];
		snprintf(bad, sizeof(bad), "%s", name);
		ctl_sanitize(bad);
		ctl_buf_printf(out, "error: no instance %s\n", bad);
		return;
	}
	ctl_format_why(out, &why, json);
}

/* vrrpctl restart: when the daemon takes the connection, this answer
 * stays empty and the daemon answers on its duplicate of fd. */
static void ctl_restart(struct ctl_server *s, int fd, struct ctl_buf *out)
{
	char msg[512] = "";

	if (!s->ops || !s->ops->restart) {
		ctl_buf_printf(out, "error: this daemon does not support restart\n");
		return;
	}
	if (s->ops->restart(s->arg, fd, msg, sizeof(msg)) < 0)
		ctl_buf_printf(out, "error: %s\n", msg[0] ? msg : "restart refused");
}

/* "status|stats [INSTANCE] [--json]" */
static void ctl_status_stats(struct ctl_server *s, char **w, size_t n, struct ctl_buf *out)
{
	bool is_status = strcmp(w[0], "status") == 0;
	const char *name;
	bool json;

	if (!ctl_name_args(w, n,
			   is_status ? "status [INSTANCE] [--json]" : "stats [INSTANCE] [--json]",
			   &name, &json, out))
		return;
	struct ctl_snapshot snap;
	struct ctl_buf b = {0};
	ctl_snapshot(s, &snap);
	int rc = is_status ? ctl_format_status(&b, &snap, name, json)
			   : ctl_format_stats(&b, &snap, name, json);
	if (rc < 0) {
		while (b.p && b.len && b.p[b.len - 1] == '\n')
			b.p[--b.len] = '\0';
		if (b.p)
			ctl_sanitize(b.p);
		ctl_buf_printf(out, "error: %s\n", b.p ? b.p : "failed");
		ctl_buf_free(&b);
	} else {
		ctl_buf_free(out);
		*out = b;
	}
}

/* Runs one request line; the answer goes to out. */
static void ctl_dispatch(struct ctl_server *s, int fd, char *line, struct ctl_buf *out)
{
	char *w[4], *save = NULL, *tok;
	size_t n = 0;

	for (tok = strtok_r(line, " \t\r", &save); tok; tok = strtok_r(NULL, " \t\r", &save)) {
		if (n == sizeof(w) / sizeof(w[0])) {
			ctl_buf_printf(out, "error: too many words in the request\n");
			return;
		}
		w[n++] = tok;
	}
	if (!n) {
		ctl_buf_printf(out, "error: empty request (try: status, stats, why, metrics, "
				    "reload, restart)\n");
		return;
	}
	if (strcmp(w[0], "status") == 0 || strcmp(w[0], "stats") == 0) {
		ctl_status_stats(s, w, n, out);
		return;
	}
	if (strcmp(w[0], "why") == 0) {
		ctl_why(s, w, n, out);
		return;
	}
	if (strcmp(w[0], "restart") == 0) {
		if (n > 1)
			ctl_buf_printf(out, "error: 'restart' takes no arguments\n");
		else
			ctl_restart(s, fd, out);
		return;
	}
	if (strcmp(w[0], "metrics") == 0 || strcmp(w[0], "reload") == 0) {
		if (n > 1) {
			ctl_buf_printf(out, "error: '%s' takes no arguments\n", w[0]);
			return;
		}
		if (w[0][0] == 'r') {
			ctl_reload(s, fd, out);
		} else {
			struct ctl_snapshot snap;
			ctl_snapshot(s, &snap);
			ctl_format_metrics(out, &snap);
		}
		return;
	}
	ctl_sanitize(w[0]);
	ctl_buf_printf(
	    out,
	    "error: unknown command '%s' (try: status, stats, why, metrics, reload, restart)\n",
	    w[0]);
}

/* Writes what the socket takes. Returns 1 when all is written, 0 when more
 * is left, -1 on error. */
static int ctl_client_flush(struct ctl_client *c)
{
	while (c->out_off < c->out.len) {
		ssize_t w = send(c->fd, c->out.p + c->out_off, c->out.len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (w <= 0)
			return -1;
		c->out_off += (size_t)w;
	}
	return 1;
}

static void ctl_client_cb(void *arg, uint32_t events);

/* The request is complete: answer it. */
static void ctl_client_answer(struct ctl_client *c, bool too_long)
{
	struct ctl_server *s = c->srv;

	if (too_long) {
		ctl_buf_printf(&c->out, "error: request longer than %d bytes\n", CTL_REQ_MAX);
	} else {
		c->req[c->req_len] = '\0';
		ctl_dispatch(s, c->fd, c->req, &c->out);
	}
	if (c->out.oom) {
		ctl_buf_free(&c->out);
		ctl_buf_printf(&c->out, "error: out of memory\n");
	}
	c->replying = true;
	int rc = ctl_client_flush(c);
	if (rc != 0) {
		if (rc > 0)
			ctl_client_done(c);
		else
			ctl_client_free(c);
		return;
	}
	/* The rest goes out as the socket drains. */
	loop_del_fd(s->l, &c->lfd);
	if (loop_add_fd(s->l, &c->lfd, EPOLLOUT) < 0) {
		ctl_client_free(c);
		return;
	}
	ctl_client_deadline(c);
}

static void ctl_client_read(struct ctl_client *c)
{
	for (;;) {
		size_t room = sizeof(c->req) - 1 - c->req_len;
		ssize_t r = read(c->fd, c->req + c->req_len, room);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (r < 0) {
			ctl_client_free(c);
			return;
		}
		if (r == 0) {
			/* End of file: an unterminated line is still a request. */
			if (c->req_len)
				ctl_client_answer(c, false);
			else
				ctl_client_free(c);
			return;
		}
		char *nl = memchr(c->req + c->req_len, '\n', (size_t)r);
		c->req_len += (size_t)r;
		if (nl) {
			c->req_len = (size_t)(nl - c->req);
			ctl_client_answer(c, c->req_len > CTL_REQ_MAX);
			return;
		}
		if (c->req_len > CTL_REQ_MAX) {
			ctl_client_answer(c, true);
			return;
		}
	}
}

static void ctl_client_cb(void *arg, uint32_t events)
{
	struct ctl_client *c = arg;

	if (c->expired) {
		ctl_client_free(c);
		return;
	}
	if (!c->replying) {
		ctl_client_read(c);
		return;
	}
	if (events & (EPOLLERR | EPOLLHUP)) {
		ctl_client_free(c);
		return;
	}
	size_t before = c->out_off;
	int rc = ctl_client_flush(c);
	if (rc > 0)
		ctl_client_done(c);
	else if (rc < 0)
		ctl_client_free(c);
	else if (c->out_off != before)
		ctl_client_deadline(c); /* progress: the reader gets another period */
}

/* ------------------------------------------------------------ listener */

static void ctl_accept_cb(void *arg, uint32_t events)
{
	struct ctl_server *s = arg;

	(void)events;
	for (int i = 0; i < CTL_ACCEPT_BUDGET; i++) {
		int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("control: accept");
			return;
		}
		if (s->n_clients >= CTL_MAX_CLIENTS) {
			close(fd); /* busy: the client sees an empty answer */
			continue;
		}
		struct ctl_client *c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->srv = s;
		c->fd = fd;
		c->born = loop_now();
		c->lfd = (struct loop_fd){.fd = fd, .cb = ctl_client_cb, .arg = c};
		timer_init(&c->t, ctl_client_timeout, c);
		if (loop_add_fd(s->l, &c->lfd, EPOLLIN) < 0) {
			close(fd);
			free(c);
			continue;
		}
		c->next = s->clients;
		if (s->clients)
			s->clients->prev = c;
		s->clients = c;
		s->n_clients++;
		ctl_client_deadline(c);
	}
}

/* mkdir -p of path's parent directory, mode 0755. */
static int ctl_mkdir_parent(const char *path)
{
	char dir[PATH_MAX];
	int n = snprintf(dir, sizeof(dir), "%s", path);
	char *slash;

	if (n < 0 || (size_t)n >= sizeof(dir))
		return -1;
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Whether a live server answers on the socket file at addr. */
static int ctl_probe(const struct sockaddr_un *addr, bool *live)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	*live = false;
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) == 0 || errno == EAGAIN ||
	    errno == EINPROGRESS) {
		*live = true;
	} else if (errno != ECONNREFUSED && errno != ENOENT) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

/* A socket file left at PATH by a daemon that is gone is removed; a live
 * one, or a file that is not a socket, is left alone (-1). */
static int ctl_clear_stale(const char *path, const struct sockaddr_un *addr)
{
	struct stat st;
	bool live;

	if (lstat(path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		log_errx("control: %s exists and is not a socket; not replacing it", path);
		return -1;
	}
	if (ctl_probe(addr, &live) < 0) {
		log_err("control: cannot check %s", path);
		return -1;
	}
	if (live) {
		log_errx("control: another daemon answers on %s; not replacing its socket "
			 "(use -S to choose another path)",
			 path);
		return -1;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		log_err("control: cannot remove the stale socket %s", path);
		return -1;
	}
	log_info("control: replaced a stale socket file %s", path);
	return 0;
}

struct ctl_server *ctl_open(struct loop *l, const char *path, gid_t gid, const struct ctl_ops *ops,
			    void *arg)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	struct ctl_server *s;
	struct stat st;

	if (!path || !*path || strlen(path) >= sizeof(addr.sun_path)) {
		log_errx("control: socket path '%s' is empty or longer than %zu bytes",
			 path ? path : "", sizeof(addr.sun_path) - 1);
		return NULL;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	if (ctl_mkdir_parent(path) < 0) {
		log_err("control: cannot create the directory of %s", path);
		return NULL;
	}
	if (ctl_clear_stale(path, &addr) < 0)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		log_errx("control: out of memory");
		return NULL;
	}
	s->l = l;
	s->ops = ops;
	s->arg = arg;
	memcpy(s->path, path, strlen(path) + 1);
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		log_err("control: socket");
		free(s);
		return NULL;
	}
	/* No window in which the socket has a wider mode than asked. */
	mode_t old = umask(0177);
	int rc = bind(s->fd, (struct sockaddr *)&addr, sizeof(addr));
	int e = errno;
	umask(old);
	if (rc < 0) {
		errno = e;
		log_err("control: cannot bind %s", path);
		goto fail_close;
	}
	if (gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) < 0) {
		log_err("control: cannot give %s to group %u", path, (unsigned)gid);
		goto fail_unlink;
	}
	if (chmod(path, 0660) < 0 || stat(path, &st) < 0) {
		log_err("control: cannot set the mode of %s", path);
		goto fail_unlink;
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	if (listen(s->fd, CTL_MAX_CLIENTS) < 0) {
		log_err("control: listen on %s", path);
		goto fail_unlink;
	}
	s->lfd = (struct loop_fd){.fd = s->fd, .cb = ctl_accept_cb, .arg = s};
	if (loop_add_fd(l, &s->lfd, EPOLLIN) < 0) {
		log_err("control: cannot watch %s", path);
		goto fail_unlink;
	}
	log_info("control: listening on %s", path);
	return s;
fail_unlink:
	unlink(path);
fail_close:
	close(s->fd);
	free(s);
	return NULL;
}

void ctl_close(struct ctl_server *s)
{
	struct stat st;

	if (!s)
		return;
	while (s->clients)
		ctl_client_free(s->clients);
	loop_del_fd(s->l, &s->lfd);
	close(s->fd);
	/* Only our own socket file: another daemon may have taken the path. */
	if (stat(s->path, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino)
		unlink(s->path);
	free(s);
}
