/* Unit tests for vrrp_check (src/conf/kw_check.c, kw_check_mysql.c): the
 * four kinds and their values, the timing keywords shared with vrrp_script, tracking by
 * track_script, errors, the dump and reload equality. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"

#define INST(body)                                                                                 \
	"vrrp_instance VI_1 {\n"                                                                   \
	"  interface eth0\n"                                                                       \
	"  virtual_router_id 51\n"                                                                 \
	"  virtual_ipaddress { 192.0.2.1 }\n"                                                      \
	"  priority 100\n" body "}\n"

static void print_msgs(const struct conf_msgs *m)
{
	for (size_t k = 0; k < m->n; k++)
		fprintf(stderr, "    msg[%zu] = %s\n", k, m->v[k]);
}

/* Loads TEXT expecting no error (warnings about the script user aside). */
static struct config *load_ok(const char *text)
{
	struct conf_msgs m;
	struct config *c = conf_load_buffer("t.conf", text, strlen(text), &m);

	if (!c || m.errors)
		print_msgs(&m);
	assert_non_null(c);
	conf_msgs_free(&m);
	return c;
}

/* Loads TEXT expecting it refused with WANT among the messages, and only
 * NERR errors. */
static void load_bad(const char *text, const char *want, int nerr)
{
	struct conf_msgs m;
	struct config *c = conf_load_buffer("t.conf", text, strlen(text), &m);
	bool found = false;

	for (size_t k = 0; k < m.n; k++)
		found |= !strcmp(m.v[k], want);
	if (c || !found || m.errors != nerr) {
		fprintf(stderr, "  want: %s\n", want);
		print_msgs(&m);
	}
	assert_null(c);
	assert_true(found);
	assert_int_equal(m.errors, nerr);
	conf_msgs_free(&m);
}

static char *dump(const struct config *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	conf_dump(c, f);
	fclose(f);
	return text;
}

static void test_kinds(void **state)
{
	(void)state;
	struct config *c = load_ok(
	    "vrrp_check db {\n  tcp 192.0.2.10 3306\n  interval 0.5\n  fall 3\n  rise 2\n"
	    "  weight -30 reverse\n}\n"
	    "vrrp_check web {\n  http http://[2001:db8::10]:8080/hc status 204 body \"up ok\"\n"
	    "  timeout 0.2\n  init_fail\n}\n"
	    "vrrp_check gw {\n  icmp 198.51.100.1\n}\n"
	    "vrrp_script s {\n  script /bin/true\n}\n" INST(
		"  track_script {\n    db\n    web weight 10\n    gw\n    s\n  }\n"));
	assert_int_equal(c->n_scripts, 4);
	const struct conf_script *db = conf_find_script(c, "db");
	assert_non_null(db);
	assert_int_equal(db->check.kind, CONF_CHECK_TCP);
	assert_int_equal(db->check.addr.family, AF_INET);
	assert_int_equal(db->check.port, 3306);
	assert_int_equal(db->interval_ms, 500);
	assert_int_equal(db->timeout_ms, 500); /* default: the interval, as for vrrp_script */
	assert_int_equal(db->rise, 2);
	assert_int_equal(db->fall, 3);
	assert_int_equal(db->weight, -30);
	assert_true(db->weight_reverse);
	assert_null(db->cmd.line);
	const struct conf_script *web = conf_find_script(c, "web");
	assert_int_equal(web->check.kind, CONF_CHECK_HTTP);
	assert_int_equal(web->check.url.port, 8080);
	assert_string_equal(web->check.url.path, "/hc");
	assert_int_equal(web->check.status, 204);
	assert_string_equal(web->check.body, "up ok");
	assert_int_equal(web->timeout_ms, 200);
	assert_true(web->init_fail);
	const struct conf_script *gw = conf_find_script(c, "gw");
	assert_int_equal(gw->check.kind, CONF_CHECK_ICMP);
	assert_int_equal(gw->interval_ms, 1000);
	assert_int_equal(conf_find_script(c, "s")->check.kind, CONF_CHECK_NONE);
	/* tracked like scripts: the entry's weight, else the check's */
	const struct conf_instance *in = &c->inst[0];
	assert_int_equal(in->n_track_scripts, 4);
	assert_int_equal(in->track_scripts[0].weight, -30);
	assert_true(in->track_scripts[0].reverse);
	assert_int_equal(in->track_scripts[1].weight, 10);
	assert_ptr_equal(&c->scripts[in->track_scripts[2].script], gw);

	char *t = dump(c);
	assert_non_null(strstr(t,
			       "vrrp_check db {\t# t.conf:1; runs in the event loop, no process\n"
			       "\ttcp 192.0.2.10 3306\n\tinterval 0.5\n\ttimeout 0.5\n"
			       "\tweight -30 reverse\n\trise 2\n\tfall 3\n}\n"));
	assert_non_null(strstr(t, "\thttp http://[2001:db8::10]:8080/hc status 204 body \"up ok\"\n"
				  "\tinterval 1\n\ttimeout 0.2\n"));
	assert_non_null(strstr(t, "\tfall 1\n\tinit_fail\n}\n"));
	assert_non_null(strstr(t, "vrrp_check gw {\t# t.conf:13; runs in the event loop, no "
				  "process\n\ticmp 198.51.100.1\n"));
	free(t);
	/* vrrpd -t's summary counts scripts and checks apart */
	size_t len = 0;
	FILE *f = open_memstream(&t, &len);
	conf_summary(c, f);
	fclose(f);
	assert_non_null(strstr(t, ", 1 vrrp_script(s), 4 tracked script(s), "));
	assert_non_null(strstr(t, ", 3 vrrp_check(s)\n"));
	free(t);
	conf_free(c);
}

/* A reload keeps a check's verdict only when nothing of it changed. */
static void test_equal(void **state)
{
	(void)state;
	struct config *a = load_ok("vrrp_check w {\n  http http://192.0.2.9/ body ok\n}\n");
	struct config *b = load_ok("vrrp_check w {\n  http http://192.0.2.9/ body ok\n}\n");
	struct config *d = load_ok("vrrp_check w {\n  http http://192.0.2.9/ body ko\n}\n");
	struct config *e = load_ok("vrrp_check w {\n  http http://192.0.2.9/x body ok\n}\n");
	struct config *f = load_ok("vrrp_check w {\n  tcp 192.0.2.9 80\n}\n");
	struct config *g = load_ok("vrrp_check w {\n  tcp 192.0.2.9 81\n}\n");

	assert_true(conf_script_equal(&a->scripts[0], &b->scripts[0]));
	assert_false(conf_script_equal(&a->scripts[0], &d->scripts[0]));
	assert_false(conf_script_equal(&a->scripts[0], &e->scripts[0]));
	assert_false(conf_script_equal(&a->scripts[0], &f->scripts[0]));
	assert_false(conf_script_equal(&f->scripts[0], &g->scripts[0]));
	conf_free(a);
	conf_free(b);
	conf_free(d);
	conf_free(e);
	conf_free(f);
	conf_free(g);
}

static void test_errors(void **state)
{
	(void)state;
	load_bad("vrrp_check c {\n  interval 2\n}\n",
		 "t.conf:1:12: vrrp_check c has no check (tcp, http, https, icmp or mysql)", 1);
	/* a bad value is one error, not two */
	load_bad("vrrp_check c {\n  tcp 192.0.2.1 0\n}\n",
		 "t.conf:2:17: the port must be a number from 1 to 65535, got '0'", 1);
	load_bad("vrrp_check c {\n  tcp db.example 3306\n}\n",
		 "t.conf:2:7: expected an IPv4 or IPv6 address, got 'db.example' (names are not "
		 "resolved)",
		 1);
	load_bad("vrrp_check c {\n  icmp 192.0.2.1\n  tcp 192.0.2.1 22\n}\n",
		 "t.conf:3:3: vrrp_check c already has a 'icmp' check; write one check per "
		 "vrrp_check",
		 1);
	load_bad("vrrp_check c {\n  http ftp://192.0.2.1/\n}\n",
		 "t.conf:2:8: bad URL 'ftp://192.0.2.1/': the URL must start with http:// or "
		 "https://",
		 1);
	load_bad("vrrp_check c {\n  http http://192.0.2.1/ status 99\n}\n",
		 "t.conf:2:33: the status must be a number from 100 to 599, got '99'", 1);
	load_bad("vrrp_check c {\n  http http://192.0.2.1/ body\n}\n",
		 "t.conf:2:26: expected a value after 'body'", 1);
	load_bad("vrrp_check c {\n  http http://192.0.2.1/ colour red\n}\n",
		 "t.conf:2:26: unexpected 'colour' after the URL (expected 'status N' or 'body "
		 "STRING')",
		 1);
	/* vrrp_script's own keywords are not a check's */
	load_bad("vrrp_check c {\n  icmp 192.0.2.1\n  script /bin/true\n}\n",
		 "t.conf:3:3: unknown keyword 'script' in vrrp_check", 1);
	/* a typo is offered the shared keywords */
	load_bad("vrrp_check c {\n  icmp 192.0.2.1\n  intervl 1\n}\n",
		 "t.conf:3:3: unknown keyword 'intervl' in vrrp_check (did you mean 'interval'?)",
		 1);
	/* tracked under a name that does not exist */
	struct conf_msgs m;
	const char *text =
	    "vrrp_check gw {\n  icmp 192.0.2.254\n}\n" INST("  track_script {\n    gx\n  }\n");
	struct config *c = conf_load_buffer("t.conf", text, strlen(text), &m);
	bool found = false;
	for (size_t k = 0; k < m.n; k++)
		found |= strstr(m.v[k], "'gx'") && strstr(m.v[k], "did you mean 'gw'");
	if (!found)
		print_msgs(&m);
	assert_true(found);
	conf_free(c);
	conf_msgs_free(&m);
}

/* script_user that does not exist disables vrrp_scripts, not checks:
 * nothing runs as a user. */
static void test_no_user_needed(void **state)
{
	(void)state;
	struct config *c = load_ok(
	    "global_defs {\n  script_user no_such_user_vrrpd\n}\n"
	    "vrrp_check gw {\n  icmp 192.0.2.254\n}\n" INST("  track_script {\n    gw\n  }\n"));
	assert_int_equal(c->n_scripts, 1);
	conf_free(c);
}

/* mysql { } and its alias mariadb { }: the values, the defaults, the
 * password read from its file, the dump that never shows a password. */
static void test_mysql(void **state)
{
	char dir[] = "/tmp/vrrpd-test-XXXXXX", pw[64], text[1024];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(pw, sizeof(pw), "%s/pw", dir);
	FILE *f = fopen(pw, "w");
	assert_non_null(f);
	fputs("s3cret word\n", f);
	fclose(f);
	chmod(pw, 0600);
	snprintf(text, sizeof(text),
		 "vrrp_check db {\n  mysql {\n    host 192.0.2.10\n    user vrrpd\n"
		 "    password_file %s\n    database app\n  }\n  interval 0.5\n  weight -100\n}\n"
		 "vrrp_check rep {\n  mariadb {\n    host 2001:db8::10\n    port 3307\n"
		 "    user mon\n    password \"p w\"\n    max_replication_lag 30\n  }\n}\n"
		 "vrrp_check sock {\n  mysql {\n    socket /run/mysqld/mysqld.sock\n    user root\n"
		 "    query \"SELECT @@read_only = 0\"\n    max_replication_lag 0\n  }\n}\n" INST(
		     "  track_script {\n    db\n    rep\n    sock\n  }\n"),
		 pw);
	struct config *c = load_ok(text);
	const struct conf_script *db = conf_find_script(c, "db");
	assert_int_equal(db->check.kind, CONF_CHECK_MYSQL);
	assert_int_equal(db->check.addr.family, AF_INET);
	assert_int_equal(db->check.port, 3306); /* the default */
	assert_string_equal(db->check.my.user, "vrrpd");
	assert_string_equal(db->check.my.password, "s3cret word"); /* the line, no newline */
	assert_string_equal(db->check.my.password_file, pw);
	assert_string_equal(db->check.my.database, "app");
	assert_string_equal(db->check.my.query, "SELECT 1"); /* the default */
	assert_false(db->check.my.lag);
	assert_int_equal(db->weight, -100);
	const struct conf_script *rep = conf_find_script(c, "rep");
	assert_int_equal(rep->check.kind, CONF_CHECK_MYSQL);
	assert_int_equal(rep->check.addr.family, AF_INET6);
	assert_int_equal(rep->check.port, 3307);
	assert_string_equal(rep->check.my.password, "p w");
	assert_true(rep->check.my.lag);
	assert_int_equal(rep->check.my.max_lag, 30);
	assert_string_equal(rep->check.my.query, ""); /* the lag query alone */
	const struct conf_script *so = conf_find_script(c, "sock");
	assert_string_equal(so->check.my.socket, "/run/mysqld/mysqld.sock");
	assert_string_equal(so->check.my.query, "SELECT @@read_only = 0"); /* written: kept */
	assert_true(so->check.my.lag);
	assert_int_equal(so->check.my.max_lag, 0);

	char *t = dump(c);
	assert_non_null(strstr(t, "\tmysql {\n\t\thost 192.0.2.10\n\t\tport 3306\n\t\tuser vrrpd\n"
				  "\t\tpassword_file "));
	assert_non_null(
	    strstr(t, "\t\tdatabase app\n\t\tquery \"SELECT 1\"\n\t}\n\tinterval 0.5\n"));
	assert_non_null(
	    strstr(t, "\t\tpassword \"<hidden>\"\t# set, not shown\n\t\tmax_replication_lag 30\n"));
	assert_non_null(strstr(t, "\t\tsocket /run/mysqld/mysqld.sock\n\t\tuser root\n"));
	assert_null(strstr(t, "s3cret"));
	assert_null(strstr(t, "p w"));
	free(t);
	conf_free(c);

	/* a file others may read: a warning, not an error */
	chmod(pw, 0644);
	struct conf_msgs m;
	c = conf_load_buffer("t.conf", text, strlen(text), &m);
	assert_non_null(c);
	bool warned = false;
	for (size_t k = 0; k < m.n; k++)
		warned |= strstr(m.v[k], "t.conf:5:19: warning: the password file '") &&
			  strstr(m.v[k], "' is readable by every user");
	if (!warned)
		print_msgs(&m);
	assert_true(warned);
	conf_msgs_free(&m);
	conf_free(c);
	unlink(pw);
	rmdir(dir);
}

/* A reload keeps a MySQL check's verdict only when nothing of it changed,
 * its password included. */
static void test_mysql_equal(void **state)
{
	(void)state;
	const char *base = "vrrp_check w {\n  mysql {\n    host 192.0.2.9\n    user u\n%s  }\n}\n";
	const char *var[] = {"",
			     "",
			     "    password x\n",
			     "    port 3307\n",
			     "    database d\n",
			     "    query \"SELECT 2\"\n",
			     "    max_replication_lag 5\n"};
	struct config *c[7];
	char text[256];

	for (size_t k = 0; k < 7; k++) {
		snprintf(text, sizeof(text), base, var[k]);
		c[k] = load_ok(text);
	}
	assert_true(conf_script_equal(&c[0]->scripts[0], &c[1]->scripts[0]));
	for (size_t k = 2; k < 7; k++)
		assert_false(conf_script_equal(&c[0]->scripts[0], &c[k]->scripts[0]));
	for (size_t k = 0; k < 7; k++)
		conf_free(c[k]);
}

static void test_mysql_errors(void **state)
{
	(void)state;
	load_bad("vrrp_check c {\n  mysql {\n    user u\n  }\n}\n",
		 "t.conf:2:3: vrrp_check c: mysql needs a 'host ADDRESS' or a 'socket PATH'", 1);
	load_bad("vrrp_check c {\n  mariadb {\n    host 192.0.2.1\n  }\n}\n",
		 "t.conf:2:3: vrrp_check c: mariadb needs a 'user'", 1);
	load_bad(
	    "vrrp_check c {\n  mysql {\n    host 192.0.2.1\n    socket /s\n    user u\n  }\n}\n",
	    "t.conf:4:5: vrrp_check c: give 'host' or 'socket', not both", 1);
	load_bad("vrrp_check c {\n  mysql {\n    host db.example\n    user u\n  }\n}\n",
		 "t.conf:3:10: expected an IPv4 or IPv6 address, got 'db.example' (names are not "
		 "resolved)",
		 1);
	load_bad("vrrp_check c {\n  mysql {\n    host 192.0.2.1\n    port 0\n    user u\n  }\n}\n",
		 "t.conf:4:10: the port must be a number from 1 to 65535, got '0'", 1);
	load_bad("vrrp_check c {\n  mysql {\n    socket run/s\n    user u\n  }\n}\n",
		 "t.conf:3:12: the socket must be an absolute path of at most 107 bytes", 1);
	load_bad("vrrp_check c {\n  mysql {\n    host 192.0.2.1\n    user \"\"\n  }\n}\n",
		 "t.conf:4:10: user must be 1 to 127 bytes long", 1);
	load_bad("vrrp_check c {\n  mysql {\n    host 192.0.2.1\n    user u\n"
		 "    max_replication_lag soon\n  }\n}\n",
		 "t.conf:5:25: the lag must be a number of seconds from 0 to 86400, got 'soon'", 1);
	load_bad(
	    "vrrp_check c {\n  mysql {\n    host 192.0.2.1\n    user u\n"
	    "    password_file /nonexistent/vrrpd-pw\n  }\n}\n",
	    "t.conf:5:19: cannot read the password file '/nonexistent/vrrpd-pw': No such file or "
	    "directory",
	    1);
	load_bad("vrrp_check c {\n  mysql {\n    host 192.0.2.1\n    user u\n    password a\n"
		 "    password_file /dev/null\n  }\n}\n",
		 "t.conf:6:5: vrrp_check c: give 'password' or 'password_file', not both", 1);
	load_bad("vrrp_check c {\n  mysql {\n    host 192.0.2.1\n    user u\n    colour red\n"
		 "  }\n}\n",
		 "t.conf:5:5: unknown keyword 'colour' in mysql", 1);
	load_bad("vrrp_check c {\n  mysql {\n    host 192.0.2.1\n    usr u\n  }\n}\n",
		 "t.conf:4:5: unknown keyword 'usr' in mysql (did you mean 'user'?)", 1);
	load_bad(
	    "vrrp_check c {\n  tcp 192.0.2.1 22\n  mysql {\n    host 192.0.2.1\n"
	    "    user u\n  }\n}\n",
	    "t.conf:3:3: vrrp_check c already has a 'tcp' check; write one check per vrrp_check",
	    1);
	load_bad("vrrp_check c {\n  mysql 192.0.2.1\n}\n",
		 "t.conf:2:9: expected '{' after 'mysql', got '192.0.2.1'", 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinds),	 cmocka_unit_test(test_equal),
	    cmocka_unit_test(test_errors),	 cmocka_unit_test(test_no_user_needed),
	    cmocka_unit_test(test_mysql),	 cmocka_unit_test(test_mysql_equal),
	    cmocka_unit_test(test_mysql_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
