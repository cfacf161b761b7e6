/* Unit tests for src/ops/notify.c: the FIFO line and mail body, and the
 * whole module through a real event loop in this process: notify commands
 * (real /bin/sh children, their order, their arguments, the log of a failure
 * with its output, the kill at the command timeout, the wait and the kill in
 * notify_free), the FIFO (created with
 * its mode, written, no reader, full pipe, reader gone and back) and SMTP
 * alerts against a scripted server on a loopback TCP socket (one mail, a
 * refused connection).
 *
 * notify.c is compiled into this test directly (its static helpers are
 * tested too); the event loop and the rest come from the sanitized
 * library like every other test's. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/ops/notify.c"

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

/* ---- pure parts ---- */

static void test_fifo_line(void **state)
{
	(void)state;
	char buf[128];

	assert_int_equal(notify_fifo_line(buf, sizeof(buf), "INSTANCE", "VI_1", "MASTER", 100),
			 strlen("INSTANCE \"VI_1\" MASTER 100\n"));
	assert_string_equal(buf, "INSTANCE \"VI_1\" MASTER 100\n");
	notify_fifo_line(buf, sizeof(buf), "GROUP", "G1", "BACKUP", 0);
	assert_string_equal(buf, "GROUP \"G1\" BACKUP 0\n");
}

static void test_mail_body(void **state)
{
	(void)state;
	char buf[1024];

	setenv("TZ", "UTC", 1);
	tzset();
	notify_mail_body(buf, sizeof(buf), "r1", "INSTANCE", "VI_1", "MASTER", 150, 1763786606);
	assert_string_equal(buf, "Instance VI_1 is now MASTER.\n"
				 "\n"
				 "Instance: VI_1\n"
				 "State: MASTER\n"
				 "Priority: 150\n"
				 "Time: 2025-11-22 04:43:26 +0000\n"
				 "Router: r1\n");
	notify_mail_body(buf, sizeof(buf), "r1", "GROUP", "G1", "FAULT", 0, 1763786606);
	assert_non_null(strstr(buf, "Sync group G1 is now FAULT.\n"));
	assert_non_null(strstr(buf, "Sync group: G1\n"));
}

/* ---- commands ---- */

static void test_commands(void **state)
{
	(void)state;
	struct loop l;
	struct config c;
	struct conf_notify cfg;
	struct notify *n;
	char out[PATH_MAX], master[PATH_MAX * 2], any[PATH_MAX * 2];
	const char *log;

	path_in(out, sizeof(out), "calls");
	unlink(out);
	/* Direct exec (no shell metacharacter outside '...'): sh's $0 is the
	 * word after the script, the extra arguments follow. */
	snprintf(master, sizeof(master), "/bin/sh -c 'echo master \"$@\" >>%s' sh", out);
	snprintf(any, sizeof(any), "/bin/sh -c 'echo notify \"$@\" >>%s' sh", out);
	conf_init(&c);
	memset(&cfg, 0, sizeof(cfg));
	cmd_set(&cfg.master, master);
	cmd_set(&cfg.any, any);
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	n = notify_new(&l, &c);
	assert_non_null(n);

	log_capture();
	notify_state(n, "INSTANCE", "VI_1", &cfg, "MASTER", 150);
	/* Both started at once, the state's own command first. */
	assert_non_null(n->jobs);
	assert_non_null(n->jobs->next);
	assert_non_null(strstr(n->jobs->next->what, "notify_master"));
	assert_non_null(strstr(n->jobs->what, ": notify"));
	assert_true(run_until(&l, no_work, n, 5000));
	log = log_release();
	assert_non_null(strstr(log, "INSTANCE VI_1 MASTER: notify_master started"));
	assert_null(strstr(log, "exited")); /* success is not worth a warning */
	assert_true(file_has_lines(out));
	log = slurp(out);
	assert_non_null(strstr(log, "master\n"));
	assert_non_null(strstr(log, "notify INSTANCE VI_1 MASTER 150\n"));

	/* BACKUP has no command of its own here: only `notify` runs. */
	unlink(out);
	notify_state(n, "GROUP", "G1", &cfg, "BACKUP", 0);
	assert_non_null(n->jobs);
	assert_null(n->jobs->next);
	assert_true(run_until(&l, no_work, n, 5000));
	assert_string_equal(slurp(out), "notify GROUP G1 BACKUP 0\n");

	notify_free(n, 0);
	loop_free(&l);
	cfg_free(&cfg);
}

/* notify_deleted: a removed instance is DELETED; its own command runs,
 * then `notify` with DELETED, and the FIFO gets the line. */
static void test_deleted(void **state)
{
	(void)state;
	struct loop l;
	struct config c;
	struct conf_notify cfg;
	struct notify *n;
	char out[PATH_MAX], fifo[PATH_MAX], del[PATH_MAX * 2], any[PATH_MAX * 2], buf[256];
	ssize_t r;

	path_in(out, sizeof(out), "calls");
	path_in(fifo, sizeof(fifo), "del.fifo");
	unlink(out);
	unlink(fifo);
	snprintf(del, sizeof(del), "/bin/sh -c 'echo deleted \"$@\" >>%s' sh", out);
	snprintf(any, sizeof(any), "/bin/sh -c 'echo notify \"$@\" >>%s' sh", out);
	conf_init(&c);
	c.global.notify_fifo = fifo;
	memset(&cfg, 0, sizeof(cfg));
	cfg.deleted = true;
	cmd_set(&cfg.del, del);
	cmd_set(&cfg.any, any);
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	log_capture();
	n = notify_new(&l, &c);
	int rd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	notify_state(n, "INSTANCE", "VI_1", &cfg, "DELETED", 100);
	assert_non_null(n->jobs);
	assert_non_null(n->jobs->next);
	assert_non_null(strstr(n->jobs->next->what, "notify_deleted"));
	assert_true(run_until(&l, no_work, n, 5000));
	log_release();
	assert_true(file_has_lines(out));
	assert_non_null(strstr(slurp(out), "deleted\n"));
	assert_non_null(strstr(slurp(out), "notify INSTANCE VI_1 DELETED 100\n"));
	r = read(rd, buf, sizeof(buf) - 1);
	assert_true(r > 0);
	buf[r] = '\0';
	assert_string_equal(buf, "INSTANCE \"VI_1\" DELETED 100\n");
	close(rd);
	notify_free(n, 0);
	loop_free(&l);
	cfg_free(&cfg);
	unlink(fifo);
}

/* The FIFO-only lines: priority changes and the states written again after
 * a reload; no command runs for them. */
static void test_fifo_only_lines(void **state)
{
	(void)state;
	struct loop l;
	struct config c;
	struct notify *n;
	char fifo[PATH_MAX], buf[256];
	ssize_t r;

	path_in(fifo, sizeof(fifo), "prio.fifo");
	unlink(fifo);
	conf_init(&c);
	c.global.notify_fifo = fifo;
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	log_capture();
	n = notify_new(&l, &c);
	log_release();
	int rd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	notify_priority(n, "VI_1", true, 90);
	notify_priority(n, "VI_1", false, 80);
	notify_fifo_only(n, "INSTANCE", "VI_2", "BACKUP", 100);
	notify_fifo_only(n, "GROUP", "G1", "MASTER", 0);
	assert_null(n->jobs);
	r = read(rd, buf, sizeof(buf) - 1);
	assert_true(r > 0);
	buf[r] = '\0';
	assert_string_equal(buf, "INSTANCE \"VI_1\" MASTER_PRIORITY 90\n"
				 "INSTANCE \"VI_1\" BACKUP_PRIORITY 80\n"
				 "INSTANCE \"VI_2\" BACKUP 100\n"
				 "GROUP \"G1\" MASTER 0\n");
	close(rd);
	notify_free(n, 0);
	loop_free(&l);
	unlink(fifo);
}

static void test_command_failure_logged(void **state)
{
	(void)state;
	struct loop l;
	struct config c;
	struct conf_notify cfg;
	struct notify *n;
	const char *log;

	conf_init(&c);
	memset(&cfg, 0, sizeof(cfg));
	/* Through the shell (';'), 7 lines of output, exit 3. */
	cmd_set(&cfg.fault, "echo one; echo 'two  words'; printf 'x\\033y\\n'; echo 4; echo 5; "
			    "echo 6; echo seven; exit 3");
	cmd_set(&cfg.stop, "/nonexistent/notify-stop");
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	n = notify_new(&l, &c);
	log_capture();
	notify_state(n, "INSTANCE", "VI_1", &cfg, "FAULT", 0);
	assert_true(run_until(&l, no_work, n, 5000));
	notify_state(n, "INSTANCE", "VI_1", &cfg, "STOP", 0);
	notify_free(n, 0);
	log = log_release();
	assert_non_null(strstr(log, "INSTANCE VI_1 FAULT: notify_fault (pid "));
	assert_non_null(strstr(log, ") exited with status 3"));
	assert_non_null(strstr(log, "notify_fault output: one\n"));
	assert_non_null(strstr(log, "notify_fault output: two  words\n"));
	assert_non_null(strstr(log, "notify_fault output: x?y\n"));
	assert_non_null(strstr(log, "notify_fault output: 5\n"));
	assert_null(strstr(log, "output: 6"));
	assert_non_null(strstr(log, "notify_fault output: (8 more bytes not shown)"));
	assert_non_null(strstr(log, "INSTANCE VI_1 STOP: notify_stop cannot run: "
				    "/nonexistent/notify-stop: No such file or directory"));
	loop_free(&l);
	cfg_free(&cfg);
}

/* A command still running at the command timeout (NOTIFY_TIMEOUT_MS, made
 * short here) is killed with its group; the kill and its output are logged. */
static void test_command_timeout(void **state)
{
	(void)state;
	struct loop l;
	struct config c;
	struct conf_notify cfg;
	struct notify *n;
	const char *log;
	vtime_t t0;

	conf_init(&c);
	memset(&cfg, 0, sizeof(cfg));
	cmd_set(&cfg.master, "echo waiting; sleep 30");
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	n = notify_new(&l, &c);
	assert_int_equal(n->cmd_timeout_ms, NOTIFY_TIMEOUT_MS);
	n->cmd_timeout_ms = 300;
	log_capture();
	t0 = loop_now();
	notify_state(n, "INSTANCE", "VI_1", &cfg, "MASTER", 100);
	assert_true(run_until(&l, no_work, n, 5000));
	log = log_release();
	assert_true(loop_now() - t0 >= 290 * VTIME_MSEC);
	assert_true(loop_now() - t0 < 3 * VTIME_SEC);
	assert_non_null(strstr(log, "INSTANCE VI_1 MASTER: notify_master (pid "));
	assert_non_null(strstr(log, ") still running after 0.3 s; killing it"));
	assert_non_null(strstr(log, ") killed by signal 9 (timeout after 0.3 s)"));
	assert_non_null(strstr(log, "notify_master output: waiting\n"));
	assert_true(strstr(log, "still running after") < strstr(log, "killed by signal 9"));
	notify_free(n, 0);
	loop_free(&l);
	cfg_free(&cfg);
}

static void test_free_waits_then_kills(void **state)
{
	(void)state;
	struct loop l;
	struct config c;
	struct conf_notify cfg;
	struct notify *n;
	char out[PATH_MAX], cmd[PATH_MAX * 2];
	const char *log;
	vtime_t t0;

	path_in(out, sizeof(out), "stopped");
	unlink(out);
	snprintf(cmd, sizeof(cmd), "sleep 0.2; echo stopped >%s", out);
	conf_init(&c);
	memset(&cfg, 0, sizeof(cfg));
	cmd_set(&cfg.stop, cmd);
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);

	/* A short notify_stop finishes before notify_free returns. */
	n = notify_new(&l, &c);
	notify_state(n, "INSTANCE", "VI_1", &cfg, "STOP", 100);
	t0 = loop_now();
	notify_free(n, 5000);
	assert_true(loop_now() - t0 < 3 * VTIME_SEC);
	assert_string_equal(slurp(out), "stopped\n");

	/* One that hangs is killed when the time is up. */
	cmd_set(&cfg.stop, "sleep 30");
	n = notify_new(&l, &c);
	log_capture();
	notify_state(n, "INSTANCE", "VI_1", &cfg, "STOP", 100);
	t0 = loop_now();
	notify_free(n, 200);
	log = log_release();
	assert_true(loop_now() - t0 >= 190 * VTIME_MSEC);
	assert_true(loop_now() - t0 < 2 * VTIME_SEC);
	assert_non_null(strstr(log, "notify_stop (pid "));
	assert_non_null(strstr(log, "still running as vrrpd stops; killing it"));
	loop_free(&l);
	cfg_free(&cfg);
}

/* ---- the FIFO ---- */

/* notify_event (notify_master_rx_lower_pri): the FIFO line, and the
 * command without arguments; none configured is fine. */
static void test_event(void **state)
{
	(void)state;
	struct loop l;
	struct config c;
	struct conf_cmd cmd;
	struct notify *n;
	char path[PATH_MAX], out[PATH_MAX], line[PATH_MAX * 2], buf[256];
	int rd;
	ssize_t r;
	const char *log;

	path_in(path, sizeof(path), "event.fifo");
	path_in(out, sizeof(out), "event.calls");
	unlink(path);
	unlink(out);
	snprintf(line, sizeof(line), "/bin/sh -c 'echo lower \"$#\" >>%s'", out);
	conf_init(&c);
	c.global.notify_fifo = path;
	memset(&cmd, 0, sizeof(cmd));
	cmd_set(&cmd, line);
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	n = notify_new(&l, &c);
	assert_non_null(n);
	rd = open(path, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);

	log_capture();
	notify_event(n, "INSTANCE", "VI_1", &cmd, "notify_master_rx_lower_pri",
		     "MASTER_RX_LOWER_PRI", 150);
	assert_non_null(n->jobs);
	assert_non_null(strstr(n->jobs->what, "notify_master_rx_lower_pri"));
	assert_true(run_until(&l, no_work, n, 5000));
	log = log_release();
	assert_non_null(
	    strstr(log, "INSTANCE VI_1 MASTER_RX_LOWER_PRI: notify_master_rx_lower_pri started"));
	assert_string_equal(slurp(out), "lower 0\n");
	r = read(rd, buf, sizeof(buf) - 1);
	assert_true(r > 0);
	buf[r] = '\0';
	assert_string_equal(buf, "INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 150\n");

	/* No command: the FIFO line only. */
	struct conf_cmd none = {0};
	notify_event(n, "INSTANCE", "VI_1", &none, "notify_master_rx_lower_pri",
		     "MASTER_RX_LOWER_PRI", 100);
	notify_event(n, "INSTANCE", "VI_1", NULL, "x", "MASTER_RX_LOWER_PRI", 99);
	assert_null(n->jobs);
	r = read(rd, buf, sizeof(buf) - 1);
	assert_true(r > 0);
	buf[r] = '\0';
	assert_string_equal(buf, "INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 100\n"
				 "INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 99\n");
	notify_event(NULL, "INSTANCE", "VI_1", &cmd, "x", "y", 1); /* no notify object */
	close(rd);
	notify_free(n, 0);
	loop_free(&l);
	script_cmd_free(&cmd.sc);
	unlink(path);
}

static void test_fifo(void **state)
{
	(void)state;
	struct loop l;
	struct config c;
	struct notify *n;
	char path[PATH_MAX], buf[256];
	struct stat st;
	int rd, wr;
	ssize_t r;
	const char *log;

	path_in(path, sizeof(path), "notify.fifo");
	unlink(path);
	conf_init(&c);
	c.global.notify_fifo = path;
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	umask(022);
	log_capture();
	n = notify_new(&l, &c);
	/* Created at once, with its mode whatever the umask. */
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(st.st_mode & 07777, NOTIFY_FIFO_MODE);

	/* No reader: dropped, warned once. */
	notify_state(n, "INSTANCE", "VI_1", NULL, "BACKUP", 100);
	notify_state(n, "INSTANCE", "VI_1", NULL, "MASTER", 100);
	log = log_release();
	assert_int_equal(count(log, "nobody reads it; line dropped"), 1);

	/* A reader: the lines arrive. */
	rd = open(path, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	notify_state(n, "INSTANCE", "VI_1", NULL, "MASTER", 100);
	notify_state(n, "GROUP", "G1", NULL, "MASTER", 0);
	r = read(rd, buf, sizeof(buf) - 1);
	assert_true(r > 0);
	buf[r] = '\0';
	assert_string_equal(buf, "INSTANCE \"VI_1\" MASTER 100\nGROUP \"G1\" MASTER 0\n");

	/* The reader goes away and another comes: we reopen. */
	close(rd);
	rd = open(path, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	notify_state(n, "INSTANCE", "VI_1", NULL, "FAULT", 0);
	r = read(rd, buf, sizeof(buf) - 1);
	assert_true(r > 0);
	buf[r] = '\0';
	assert_string_equal(buf, "INSTANCE \"VI_1\" FAULT 0\n");

	/* A full pipe: the line is dropped, nothing blocks. */
	wr = open(path, O_WRONLY | O_NONBLOCK);
	assert_true(wr >= 0);
	memset(buf, 'z', sizeof(buf));
	while (write(wr, buf, sizeof(buf)) > 0)
		;
	assert_int_equal(errno, EAGAIN);
	log_capture();
	notify_state(n, "INSTANCE", "VI_1", NULL, "BACKUP", 100);
	log = log_release();
	assert_non_null(strstr(log, "full (its reader is slow); line dropped"));
	close(wr);
	close(rd);

	/* A path that is not a FIFO is not written to. */
	notify_free(n, 0);
	unlink(path);
	assert_int_equal(close(open(path, O_WRONLY | O_CREAT, 0600)), 0);
	log_capture();
	n = notify_new(&l, &c);
	notify_state(n, "INSTANCE", "VI_1", NULL, "MASTER", 100);
	log = log_release();
	assert_non_null(strstr(log, "is not a FIFO"));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	notify_free(n, 0);
	unlink(path);
	loop_free(&l);
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

static void test_smtp_alert(void **state)
{
	(void)state;
	struct loop l;
	struct config c;
	struct conf_notify cfg;
	struct notify *n;
	struct server s;
	char *to[] = {"ops@example.com"};
	const char *log;
	uint16_t port;

	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	port = srv_listen(&s, &l);
	conf_init(&c);
	c.global.notification_email = to;
	c.global.n_notification_email = 1;
	c.global.has_smtp_server = true;
	assert_int_equal(addr_parse("127.0.0.1", &c.global.smtp_server), 0);
	c.global.smtp_port = port;
	memset(&cfg, 0, sizeof(cfg));
	cfg.smtp_alert = true;
	n = notify_new(&l, &c);
	log_capture();
	notify_state(n, "INSTANCE", "VI_1", &cfg, "MASTER", 150);
	assert_int_equal(n->n_mails, 1);
	assert_true(run_until(&l, no_work, n, 5000));
	log = log_release();
	assert_int_equal(s.mails, 1);
	assert_non_null(strstr(s.message, "Subject: [r1] VI_1 is now MASTER\r\n"));
	assert_non_null(strstr(s.message, "From: vrrpd@r1.example.com\r\n"));
	assert_non_null(strstr(s.message, "\r\nInstance VI_1 is now MASTER.\r\n"));
	assert_non_null(strstr(s.message, "\r\nPriority: 150\r\n"));
	assert_non_null(strstr(log, "INSTANCE VI_1 MASTER: alert mail sent to 1 recipient(s)"));

	/* No smtp_alert: no mail. */
	cfg.smtp_alert = false;
	notify_state(n, "INSTANCE", "VI_1", &cfg, "BACKUP", 150);
	assert_int_equal(n->n_mails, 0);

	/* The server is gone: the failure is logged, nothing waits for it. */
	srv_close(&s);
	cfg.smtp_alert = true;
	log_capture();
	notify_state(n, "INSTANCE", "VI_1", &cfg, "FAULT", 0);
	assert_true(run_until(&l, no_work, n, 5000));
	log = log_release();
	assert_non_null(strstr(log, "INSTANCE VI_1 FAULT: alert mail not sent: smtp: "));
	assert_non_null(strstr(log, "Connection refused"));
	notify_free(n, 0);
	loop_free(&l);
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
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fifo_line),
	    cmocka_unit_test(test_mail_body),
	    cmocka_unit_test(test_commands),
	    cmocka_unit_test(test_deleted),
	    cmocka_unit_test(test_fifo_only_lines),
	    cmocka_unit_test(test_command_failure_logged),
	    cmocka_unit_test(test_command_timeout),
	    cmocka_unit_test(test_free_waits_then_kills),
	    cmocka_unit_test(test_fifo),
	    cmocka_unit_test(test_event),
	    cmocka_unit_test(test_smtp_alert),
	};

	return cmocka_run_group_tests_name("notify", tests, setup, teardown);
}
