/* The harness of the notify tests (test_notify.c, test_notify_dns.c):
 * the log caught in a file, a configuration, the loop run until a
 * condition holds, a scripted SMTP server on 127.0.0.1 in the same loop,
 * a temporary directory. Included after src/ops/notify.c. */
#ifndef VRRPD_NOTIFY_HARNESS_H
#define VRRPD_NOTIFY_HARNESS_H

#pragma GCC diagnostic ignored "-Wunused-function"

static char tmpdir[PATH_MAX / 2];

/* ---- helpers ---- */

static void path_in(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

static char *slurp(const char *path)
{
	static char buf[65536];
	int fd = open(path, O_RDONLY);
	ssize_t r = 0, t = 0;

	buf[0] = '\0';
	if (fd < 0)
		return buf;
	while (t < (ssize_t)sizeof(buf) - 1 &&
	       (r = read(fd, buf + t, sizeof(buf) - 1 - (size_t)t)) > 0)
		t += r;
	buf[t] = '\0';
	close(fd);
	return buf;
}

/* The daemon's log goes to stderr: catch it in a file. */
static int saved_stderr = -1;
static char logpath[PATH_MAX];

static void log_capture(void)
{
	int fd;

	path_in(logpath, sizeof(logpath), "log");
	fflush(stderr);
	fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
}

static const char *log_release(void)
{
	fflush(stderr);
	if (saved_stderr >= 0) {
		dup2(saved_stderr, 2);
		close(saved_stderr);
		saved_stderr = -1;
	}
	return slurp(logpath);
}

static void conf_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->global.router_id, sizeof(c->global.router_id), "r1");
	snprintf(c->global.email_from, sizeof(c->global.email_from), "vrrpd@r1.example.com");
	snprintf(c->global.smtp_helo_name, sizeof(c->global.smtp_helo_name), "r1.example.com");
	c->global.smtp_connect_timeout_ms = 5000;
}

/* As the configuration holds a command: its line, parsed once. */
static void cmd_set(struct conf_cmd *c, const char *line)
{
	char err[128] = "";

	script_cmd_free(&c->sc);
	c->line = (char *)line;
	if (script_parse(line, &c->sc, err, sizeof(err)) < 0)
		fprintf(stderr, "    script_parse(%s): %s\n", line, err);
	assert_int_equal(err[0], '\0');
	c->user.uid = getuid();
	c->user.gid = getgid();
}

static void cfg_free(struct conf_notify *cfg)
{
	script_cmd_free(&cfg->master.sc);
	script_cmd_free(&cfg->backup.sc);
	script_cmd_free(&cfg->fault.sc);
	script_cmd_free(&cfg->stop.sc);
	script_cmd_free(&cfg->any.sc);
	script_cmd_free(&cfg->del.sc);
}

/* Runs the loop until COND(ARG) holds, at most MS milliseconds. */
struct until {
	struct loop *l;
	bool (*cond)(void *arg);
	void *arg;
	vtime_t end;
	struct timer t;
	bool met;
};

static void until_tick(void *arg, vtime_t now)
{
	struct until *u = arg;

	if (u->cond(u->arg)) {
		u->met = true;
		loop_stop(u->l);
		return;
	}
	if (now >= u->end) {
		loop_stop(u->l);
		return;
	}
	loop_timer_arm(u->l, &u->t, now + 5 * VTIME_MSEC);
}

static bool run_until(struct loop *l, bool (*cond)(void *), void *arg, unsigned ms)
{
	struct until u = {.l = l, .cond = cond, .arg = arg};

	u.end = loop_now() + (vtime_t)ms * VTIME_MSEC;
	timer_init(&u.t, until_tick, &u);
	loop_timer_arm(l, &u.t, loop_now());
	l->stop = false;
	loop_run(l);
	loop_timer_cancel(l, &u.t);
	return u.met;
}

static int count(const char *hay, const char *needle)
{
	int k = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		k++;
	return k;
}

static bool no_work(void *arg)
{
	struct notify *n = arg;

	return !n->jobs && !n->mails;
}

static bool file_has_lines(void *arg)
{
	const char *path = arg;
	const char *s = slurp(path);
	int lines = 0;

	for (; *s; s++)
		lines += *s == '\n';
	return lines >= 2;
}

/* ---- SMTP ---- */

/* A scripted SMTP server on 127.0.0.1 in the same loop. */
struct server {
	struct loop *l;
	int lfd, cfd;
	struct loop_fd lh, ch;
	char in[8192];
	size_t in_len;
	bool data;
	int mails;
	char message[8192];
};

static void srv_say(struct server *s, const char *line)
{
	ssize_t w = write(s->cfd, line, strlen(line));

	assert_int_equal(w, (ssize_t)strlen(line));
}

static void srv_on_client(void *arg, uint32_t events)
{
	struct server *s = arg;
	ssize_t r;
	char *e;

	(void)events;
	r = read(s->cfd, s->in + s->in_len, sizeof(s->in) - 1 - s->in_len);
	if (r <= 0) {
		loop_del_fd(s->l, &s->ch);
		close(s->cfd);
		s->cfd = -1;
		return;
	}
	s->in_len += (size_t)r;
	s->in[s->in_len] = '\0';
	for (;;) {
		if (s->data) {
			e = strstr(s->in, "\r\n.\r\n");
			if (!e)
				return;
			snprintf(s->message, sizeof(s->message), "%.*s", (int)(e - s->in + 2),
				 s->in);
			e += 5;
			s->data = false;
			s->mails++;
			srv_say(s, "250 queued\r\n");
		} else {
			e = strstr(s->in, "\r\n");
			if (!e)
				return;
			if (!strncmp(s->in, "DATA", 4)) {
				s->data = true;
				srv_say(s, "354 go on\r\n");
			} else if (!strncmp(s->in, "QUIT", 4)) {
				srv_say(s, "221 bye\r\n");
			} else {
				srv_say(s, "250 ok\r\n");
			}
			e += 2;
		}
		memmove(s->in, e, s->in_len - (size_t)(e - s->in) + 1);
		s->in_len -= (size_t)(e - s->in);
	}
}

static void srv_on_accept(void *arg, uint32_t events)
{
	struct server *s = arg;

	(void)events;
	s->cfd = accept(s->lfd, NULL, NULL);
	assert_true(s->cfd >= 0);
	s->ch = (struct loop_fd){.fd = s->cfd, .cb = srv_on_client, .arg = s};
	assert_int_equal(loop_add_fd(s->l, &s->ch, EPOLLIN), 0);
	srv_say(s, "220 test ESMTP\r\n");
}

static uint16_t srv_listen(struct server *s, struct loop *l)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sin);

	memset(s, 0, sizeof(*s));
	s->l = l;
	s->cfd = -1;
	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(s->lfd >= 0);
	assert_int_equal(bind(s->lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(s->lfd, 4), 0);
	assert_int_equal(getsockname(s->lfd, (struct sockaddr *)&sin, &sl), 0);
	s->lh = (struct loop_fd){.fd = s->lfd, .cb = srv_on_accept, .arg = s};
	assert_int_equal(loop_add_fd(l, &s->lh, EPOLLIN), 0);
	return ntohs(sin.sin_port);
}

static void srv_close(struct server *s)
{
	loop_del_fd(s->l, &s->lh);
	close(s->lfd);
	if (s->cfd >= 0) {
		loop_del_fd(s->l, &s->ch);
		close(s->cfd);
	}
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/vrrpd-test-notify.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	signal(SIGPIPE, SIG_IGN); /* as the daemon does */
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (getenv("KEEP_TMP"))
		return 0;
	return system(cmd) == 0 ? 0 : -1;
}

#endif
