/* check_mysql: vrrp_check's "mysql { }" — a login to a MySQL or MariaDB
 * server, its query (default SELECT 1) and, with max_replication_lag, the
 * replica's status, through libmariadb's non-blocking API.
 *
 * How: every library call that may wait is a _start() / _cont() pair; when
 * one returns the events it waits for, the connection's socket goes into
 * the loop for them (and a timer when the library wants a timeout of its
 * own), and the next callback continues the call. Steps: connect (TCP or a
 * unix socket; the host is an address literal, so no name is resolved),
 * query and store its result, then SHOW REPLICA STATUS (SHOW SLAVE STATUS
 * on a server that does not know the first) and store that. The first
 * step starts from a timer at once, so no outcome is told from inside
 * probe_start. One connection per run, closed after it: a run proves that
 * a client can log in now (a held connection would pass while new ones are
 * refused: max_connections, a broken grant); it costs a login: 86 µs of
 * the daemon's CPU a run (tests/bench/b_check_cpu.sh; a forked mariadb
 * client: 5.5 ms), where a query on a held connection would cost about
 * 21 µs (the client library's blocking calls, measured apart). A run
 * that the timeout ends is abandoned (mariadb_cancel() then mysql_close(),
 * which the library allows in the middle of a call). The library's socket
 * is its own: the probe watches it and never closes it. */
#include <errno.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/probe.h"
#include "conf/mysql_dl.h"

enum db_step { DB_CONNECT, DB_QUERY, DB_STORE, DB_LAG, DB_LAG_STORE, DB_DONE };

struct db {
	MYSQL *m;
	MYSQL *ret;
	MYSQL_RES *res;
	int err;
	enum db_step step;
	bool replica_old;   /* SHOW SLAVE STATUS: the server refused SHOW REPLICA STATUS */
	bool started;	    /* the first step was started (from t_lib) */
	struct timer t_lib; /* the first step; the library's own timeouts */
	char host[ADDR_STRLEN];
};

static void db_cleanup(struct probe *p)
{
	struct db *d = p->priv;

	if (p->h.fd >= 0)
		loop_del_fd(p->l, &p->h);
	p->h.fd = -1; /* the library's: mysql_close() closes it */
	loop_timer_cancel(p->l, &d->t_lib);
	if (d->res)
		mysql_free_result(d->res);
	if (d->step != DB_DONE && mysql_get_socket(d->m) >= 0)
		mariadb_cancel(d->m); /* abandoned: nothing more is sent or read */
	mysql_close(d->m);
	free(d);
	p->priv = NULL;
}

/* The failure of STEP, with the library's (or the server's) error. */
static void db_fail(struct probe *p, const char *what)
{
	struct db *d = p->priv;
	char why[320];

	snprintf(why, sizeof(why), "%s: %s (error %u)", what, mysql_error(d->m), mysql_errno(d->m));
	d->step = DB_DONE;
	probe_finish(p, false, why);
}

static void db_ok(struct probe *p, const char *why)
{
	((struct db *)p->priv)->step = DB_DONE;
	probe_finish(p, true, why);
}

/* Starts (EV < 0) or continues the current step's call: 0 when done, else
 * the events it waits for. */
static int db_call(struct probe *p, int ev)
{
	struct db *d = p->priv;
	const struct conf_check *c = p->c;
	const char *q;

	switch (d->step) {
	case DB_CONNECT:
		if (ev >= 0)
			return mysql_real_connect_cont(&d->ret, d->m, ev);
		return mysql_real_connect_start(
		    &d->ret, d->m, c->my.socket[0] ? NULL : d->host, c->my.user, c->my.password,
		    c->my.database[0] ? c->my.database : NULL, c->my.socket[0] ? 0 : c->port,
		    c->my.socket[0] ? c->my.socket : NULL, 0);
	case DB_QUERY:
	case DB_LAG:
		if (ev >= 0)
			return mysql_real_query_cont(&d->err, d->m, ev);
		q = d->step == DB_QUERY ? c->my.query
		    : d->replica_old	? "SHOW SLAVE STATUS"
					: "SHOW REPLICA STATUS";
		return mysql_real_query_start(&d->err, d->m, q, strlen(q));
	case DB_STORE:
	case DB_LAG_STORE:
		if (ev >= 0)
			return mysql_store_result_cont(&d->res, d->m, ev);
		return mysql_store_result_start(&d->res, d->m);
	default:
		return 0;
	}
}

/* The query's result: its first value judged by core/hcheck. */
static bool db_judge_query(struct probe *p, char *why, size_t len)
{
	struct db *d = p->priv;
	MYSQL_ROW row = d->res ? mysql_fetch_row(d->res) : NULL;

	return hcheck_mysql_value_ok(d->res != NULL, row != NULL,
				     row && mysql_num_fields(d->res) ? row[0] : NULL, why, len);
}

/* The replica's status row, judged by core/hcheck. */
static bool db_judge_lag(struct probe *p, char *why, size_t len)
{
	struct db *d = p->priv;
	if (!d->res) /* no result set at all: nothing to judge */
		return hcheck_mysql_lag_ok(NULL, NULL, 0, false, p->c->my.max_lag, why, len);
	unsigned n = mysql_num_fields(d->res);
	MYSQL_FIELD *f = mysql_fetch_fields(d->res);
	MYSQL_ROW row = mysql_fetch_row(d->res);
	const char **names = calloc(n ? n : 1, sizeof(*names));
	bool ok;

	if (!names) {
		snprintf(why, len, "out of memory");
		return false;
	}
	for (unsigned k = 0; k < n; k++)
		names[k] = f[k].name;
	ok = hcheck_mysql_lag_ok(names, (const char *const *)row, row ? n : 0, row != NULL,
				 p->c->my.max_lag, why, len);
	free(names);
	return ok;
}

/* The step that just finished: true when the next one is to start. */
static bool db_next(struct probe *p)
{
	struct db *d = p->priv;
	char why[200];

	switch (d->step) {
	case DB_CONNECT:
		if (!d->ret) {
			db_fail(p, "cannot log in");
			return false;
		}
		d->step = p->c->my.query[0] ? DB_QUERY : DB_LAG;
		return true;
	case DB_QUERY:
	case DB_LAG:
		if (d->step == DB_LAG && d->err && !d->replica_old &&
		    mysql_errno(d->m) == ER_PARSE_ERROR) {
			d->replica_old = true; /* an older server: ask again, its way */
			return true;
		}
		if (d->err) {
			db_fail(p,
				d->step == DB_QUERY ? "the query failed" : "SHOW REPLICA STATUS");
			return false;
		}
		d->step++;
		return true;
	case DB_STORE:
	case DB_LAG_STORE:
		if (!d->res && mysql_field_count(d->m)) {
			db_fail(p, "cannot read the result");
			return false;
		}
		if (!(d->step == DB_STORE ? db_judge_query(p, why, sizeof(why))
					  : db_judge_lag(p, why, sizeof(why)))) {
			d->step = DB_DONE;
			probe_finish(p, false, why);
			return false;
		}
		if (d->res)
			mysql_free_result(d->res);
		d->res = NULL;
		if (d->step == DB_STORE && p->c->my.lag) {
			d->step = DB_LAG;
			return true;
		}
		db_ok(p, why);
		return false;
	default:
		return false;
	}
}

static void db_event(void *arg, uint32_t events);

/* Waits for what the library asked: the socket's events, a timeout. */
static void db_wait(struct probe *p, int st)
{
	struct db *d = p->priv;
	int fd = mysql_get_socket(d->m);
	uint32_t ev = (st & MYSQL_WAIT_READ ? EPOLLIN : 0) |
		      (st & MYSQL_WAIT_WRITE ? EPOLLOUT : 0) |
		      (st & MYSQL_WAIT_EXCEPT ? EPOLLPRI : 0);

	if (p->h.fd >= 0 && p->h.fd != fd) {
		loop_del_fd(p->l, &p->h);
		p->h.fd = -1;
	}
	if (p->h.fd < 0 && fd >= 0) {
		p->h = (struct loop_fd){.fd = fd, .cb = db_event, .arg = p};
		if (loop_add_fd(p->l, &p->h, ev) < 0) {
			p->h.fd = -1;
			probe_finish(p, false, strerror(errno));
			return;
		}
	} else if (fd >= 0 && loop_mod_fd(p->l, &p->h, ev) < 0) {
		probe_finish(p, false, strerror(errno));
		return;
	}
	if (st & MYSQL_WAIT_TIMEOUT)
		loop_timer_arm(p->l, &d->t_lib,
			       loop_now() + (vtime_t)mysql_get_timeout_value_ms(d->m) * VTIME_MSEC);
	else
		loop_timer_cancel(p->l, &d->t_lib);
}

/* Runs steps until one has to wait, or the run is decided. EV: the events
 * that came for the step in progress; -1 to start the current step. */
static void db_run(struct probe *p, int ev)
{
	for (;;) {
		int st = db_call(p, ev);
		if (st) {
			db_wait(p, st);
			return;
		}
		if (!db_next(p))
			return; /* decided: P may be freed */
		ev = -1;
	}
}

static void db_event(void *arg, uint32_t events)
{
	struct probe *p = arg;
	int ev = 0;

	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		ev |= MYSQL_WAIT_READ;
	if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR))
		ev |= MYSQL_WAIT_WRITE;
	if (events & EPOLLPRI)
		ev |= MYSQL_WAIT_EXCEPT;
	db_run(p, ev);
}

static void db_timer(void *arg, vtime_t now)
{
	struct probe *p = arg;
	struct db *d = p->priv;

	(void)now;
	if (!d->started) { /* the first step */
		d->started = true;
		db_run(p, -1);
		return;
	}
	db_run(p, MYSQL_WAIT_TIMEOUT); /* the library's own timeout */
}

int probe_mysql_start(struct probe *p)
{
	struct db *d = calloc(1, sizeof(*d));
	unsigned proto = p->c->my.socket[0] ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP;
	unsigned no = 0;
	char why[256];

	/* loaded when the configuration was read, unless a reload's child read it */
	if (!conf_mysql_load(why, sizeof(why))) {
		free(d);
		errno = ELIBACC;
		return -1;
	}
	if (!d)
		return -1;
	d->m = mysql_init(NULL);
	if (!d->m) {
		free(d);
		errno = ENOMEM;
		return -1;
	}
	/* no option file is read; the defaults would not block anyway */
	if (mysql_options(d->m, MYSQL_OPT_NONBLOCK, 0) ||
	    mysql_options(d->m, MYSQL_OPT_PROTOCOL, &proto) ||
	    mysql_options(d->m, MYSQL_OPT_LOCAL_INFILE, &no)) {
		mysql_close(d->m);
		free(d);
		errno = ENOMEM;
		return -1;
	}
	mysql_optionsv(d->m, MYSQL_OPT_CONNECT_ATTR_ADD, "program_name", "vrrpd");
	addr_str(&p->c->addr, d->host);
	timer_init(&d->t_lib, db_timer, p);
	p->priv = d;
	p->cleanup = db_cleanup;
	loop_timer_arm(p->l, &d->t_lib, loop_now());
	return 0;
}
