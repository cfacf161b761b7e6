/* Unit tests for what loads libraries: src/conf/dl.c (libssl and
 * libmariadb are loaded only by a configuration with an https or a mysql
 * check, and one that cannot load its library is refused at the check,
 * with dlopen's reason) and the default script user's lookup in
 * src/conf/check.c (the name service's modules: only when something runs
 * as it). The tests run in order: the library names point nowhere first
 * (a library, once loaded, stays). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/wait.h>
#include <unistd.h>

#include "conf/arena.h"
#include "conf/conf.h"
#include "conf/dl.h"
#include "conf/model.h"

#define INST(body)                                                                                 \
	"vrrp_instance VI_1 {\n"                                                                   \
	"  interface eth0\n"                                                                       \
	"  virtual_router_id 51\n"                                                                 \
	"  virtual_ipaddress { 192.0.2.1 }\n"                                                      \
	"  priority 100\n" body "}\n"

#define HTTPS	 "vrrp_check web {\n  https https://192.0.2.10/hc\n  verify off\n}\n"
#define MYSQL	 "vrrp_check db {\n  mysql {\n    host 192.0.2.10\n    user mon\n  }\n}\n"
#define TRACK(n) INST("  track_script {\n    " n "\n  }\n")

/* Loads TEXT: the configuration or NULL, and the number of messages that
 * begin with WANT (when not NULL) in *FOUND. */
static struct config *load(const char *text, const char *want, int *found)
{
	struct conf_msgs m;
	struct config *c = conf_load_buffer("t.conf", text, strlen(text), &m);

	*found = 0;
	for (size_t k = 0; k < m.n; k++) {
		if (want && !strncmp(m.v[k], want, strlen(want)))
			++*found;
		fprintf(stderr, "    msg[%zu] = %s\n", k, m.v[k]);
	}
	conf_msgs_free(&m);
	return c;
}

/* No check that needs a library: none is loaded. */
static void test_none_needed(void **state)
{
	int found;
	struct config *c =
	    load("vrrp_check gw {\n  icmp 198.51.100.1\n}\n" TRACK("gw"), NULL, &found);

	(void)state;
	assert_non_null(c);
	conf_free(c);
	assert_false(conf_ssl_loaded());
	assert_false(conf_mysql_loaded());
}

/* A library that cannot be loaded: the configuration is refused at the
 * check, "https needs LIB: dlerror's reason". */
static void test_missing(void **state)
{
	int found;

	(void)state;
	conf_ssl_lib = "libvrrpd-absent.so.0";
	conf_mysql_lib = "libvrrpd-absent.so.1";
	assert_null(
	    load(HTTPS TRACK("web"),
		 "t.conf:2:9: https needs libvrrpd-absent.so.0: libvrrpd-absent.so.0: ", &found));
	assert_int_equal(found, 1);
	assert_null(
	    load(MYSQL TRACK("db"),
		 "t.conf:2:3: mysql needs libvrrpd-absent.so.1: libvrrpd-absent.so.1: ", &found));
	assert_int_equal(found, 1);
	assert_false(conf_ssl_loaded());
	assert_false(conf_mysql_loaded());
}

/* A reload: the child parses (and loads libssl, in itself); the daemon
 * has not loaded it, and conf_tls_adopt loads it to build the contexts. */
static void test_adopt_after_child(void **state)
{
	char path[] = "/tmp/test_conf_dl.XXXXXX";
	int fd = mkstemp(path);
	const char *text = HTTPS TRACK("web");

	(void)state;
	conf_ssl_lib = "libssl.so.3";
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	struct conf_arena *a = conf_arena_new(16u << 20);
	assert_non_null(a);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(conf_arena_load(a, path, NULL) == 0 ? 0 : 1);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	unlink(path);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(conf_arena_open(a), 0);
	struct config *c = a->result;
	assert_non_null(c);
	assert_false(conf_ssl_loaded()); /* the child's load is the child's */
	conf_tls_adopt(c, false);
	assert_true(conf_ssl_loaded());
	assert_non_null(c->scripts[0].check.tls.ctx);
	c->arena = a; /* conf_free releases the context and unmaps the arena */
	conf_free(c);
}

/* The real libraries: loaded by the check that needs each, and only it. */
static void test_loaded(void **state)
{
	int found;
	struct config *c;

	(void)state;
	conf_ssl_lib = "libssl.so.3";
	conf_mysql_lib = "libmariadb.so.3";
	c = load(HTTPS TRACK("web"), NULL, &found);
	assert_non_null(c);
	assert_true(conf_ssl_loaded());
	assert_false(conf_mysql_loaded());
	conf_free(c);
	c = load(MYSQL TRACK("db"), NULL, &found);
	assert_non_null(c);
	assert_true(conf_mysql_loaded());
	conf_free(c);
}

static char *dump(const struct config *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	conf_dump(c, f);
	fclose(f);
	return text;
}

/* Nothing runs as the default script user: it is not looked up (and is
 * 65534, never root, all the same); a command without a user of its own,
 * or a mail server's name to resolve, looks it up. */
static void test_script_user_lookup(void **state)
{
	int found;
	struct config *c = load(INST(""), NULL, &found);
	char *d;

	(void)state;
	assert_non_null(c);
	assert_true(c->global.script_user_unused);
	assert_int_equal(c->global.script_user.uid, 65534);
	d = dump(c);
	assert_non_null(strstr(d, "\t# script_user: not looked up, nothing runs as it\n"));
	free(d);
	conf_free(c);
	/* every command with its own user: still nothing runs as the default */
	c = load(INST("  notify_master \"/bin/true\" root\n"), NULL, &found);
	assert_non_null(c);
	assert_true(c->global.script_user_unused);
	conf_free(c);
	c = load(INST("  notify_master /bin/true\n"), NULL, &found);
	assert_non_null(c);
	assert_false(c->global.script_user_unused);
	assert_int_not_equal(c->global.script_user.uid, 0);
	assert_int_equal(c->inst[0].notify.master.user.uid, c->global.script_user.uid);
	conf_free(c);
	c = load("global_defs {\n  smtp_server mail.example.com\n}\n" INST(""), NULL, &found);
	assert_non_null(c);
	assert_false(c->global.script_user_unused);
	conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_none_needed),	       cmocka_unit_test(test_missing),
	    cmocka_unit_test(test_adopt_after_child),  cmocka_unit_test(test_loaded),
	    cmocka_unit_test(test_script_user_lookup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
