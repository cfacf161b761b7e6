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
#include "../../src/ops/notify_mail.c"
#include "notify_harness.h"

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
