/* conf_kw_check_mysql: vrrp_check NAME { mysql { ... } } (mariadb { } is
 * the same) — where the server is, who logs in, what is asked.
 *
 * How: one struct conf_mysql in the check, filled keyword by keyword; what
 * needs the whole block (host or socket, a user, password or
 * password_file) is checked at its end, at the `mysql` keyword. A
 * password_file is read here, at load (and again at every reload), so the
 * secret stays out of the main file and the event loop never reads a file:
 * its first line, without the newline. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/kw.h"
#include "conf/dl.h"
#include "conf/values.h"

struct mysql_ctx {
	struct conf_check *c;
	const struct conf_tok *host, *socket, *user, *password, *password_file;
};

static void my_host(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct mysql_ctx *ctx = vctx;

	if (addr_parse(s->arg[0].text, &ctx->c->addr) < 0) {
		conf_perr(p, &s->arg[0],
			  "expected an IPv4 or IPv6 address, got '%s' (names are not resolved)",
			  s->arg[0].text);
		return;
	}
	ctx->host = s->kw;
}

static void my_port(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct mysql_ctx *ctx = vctx;
	unsigned long port;

	if (!conf_parse_uint(s->arg[0].text, 1, 65535, &port)) {
		conf_perr(p, &s->arg[0], "the port must be a number from 1 to 65535, got '%s'",
			  s->arg[0].text);
		return;
	}
	ctx->c->port = (uint16_t)port;
}

static void my_socket(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct mysql_ctx *ctx = vctx;
	const char *v = s->arg[0].text;

	if (v[0] != '/' || strlen(v) >= sizeof(ctx->c->my.socket)) {
		conf_perr(p, &s->arg[0], "the socket must be an absolute path of at most %zu bytes",
			  sizeof(ctx->c->my.socket) - 1);
		return;
	}
	strcpy(ctx->c->my.socket, v);
	ctx->socket = s->kw;
}

/* Copies the value of S into BUF (LEN bytes); EMPTY: "" is allowed. */
static bool my_copy(struct conf_parser *p, const struct conf_stmt *s, char *buf, size_t len,
		    bool empty)
{
	const char *v = s->arg[0].text;

	if ((!v[0] && !empty) || strlen(v) >= len) {
		conf_perr(p, &s->arg[0], "%s must be %d to %zu bytes long", s->kw->text, !empty,
			  len - 1);
		return false;
	}
	strcpy(buf, v);
	return true;
}

enum { MY_USER, MY_PASSWORD, MY_DATABASE, MY_QUERY };

static void my_string(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct mysql_ctx *ctx = vctx;
	struct conf_mysql *m = &ctx->c->my;

	switch (s->def->arg) {
	case MY_USER:
		if (my_copy(p, s, m->user, sizeof(m->user), false))
			ctx->user = s->kw;
		break;
	case MY_PASSWORD:
		if (my_copy(p, s, m->password, sizeof(m->password), true)) {
			ctx->password = s->kw;
			m->password_file[0] = '\0';
		}
		break;
	case MY_DATABASE:
		my_copy(p, s, m->database, sizeof(m->database), false);
		break;
	default:
		my_copy(p, s, m->query, sizeof(m->query), false);
		break;
	}
}

/* The first line of PATH (without its newline) into BUF; false with an
 * error at T. A file others may read is a warning. */
static bool my_read_secret(struct conf_parser *p, const struct conf_tok *t, const char *path,
			   char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	struct stat st;
	char line[HCHECK_MYSQL_PASS_MAX + 2];

	if (!f) {
		conf_perr(p, t, "cannot read the password file '%s': %s", path, strerror(errno));
		return false;
	}
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & S_IROTH))
		conf_pwarn(p, t, "the password file '%s' is readable by every user", path);
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	if (strlen(line) >= len) {
		conf_perr(p, t, "the password in '%s' is longer than %zu bytes", path, len - 1);
		return false;
	}
	strcpy(buf, line);
	return true;
}

static void my_password_file(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct mysql_ctx *ctx = vctx;
	struct conf_mysql *m = &ctx->c->my;
	const char *path = s->arg[0].text;

	if (strlen(path) >= sizeof(m->password_file)) {
		conf_perr(p, &s->arg[0], "the password file's path is longer than %zu bytes",
			  sizeof(m->password_file) - 1);
		return;
	}
	if (!my_read_secret(p, &s->arg[0], path, m->password, sizeof(m->password)))
		return;
	strcpy(m->password_file, path);
	ctx->password_file = s->kw;
}

static void my_lag(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct mysql_ctx *ctx = vctx;
	unsigned long v;

	if (!conf_parse_uint(s->arg[0].text, 0, 86400, &v)) {
		conf_perr(p, &s->arg[0],
			  "the lag must be a number of seconds from 0 to 86400, got '%s'",
			  s->arg[0].text);
		return;
	}
	ctx->c->my.lag = true;
	ctx->c->my.max_lag = (uint32_t)v;
}

static const struct conf_kw mysql_kw[] = {
    CONF_KW_ARGS("database", 1, 1, "a database name", my_string, MY_DATABASE),
    CONF_KW_ARGS("host", 1, 1, "an address", my_host, 0),
    CONF_KW_ARGS("max_replication_lag", 1, 1, "a number of seconds", my_lag, 0),
    CONF_KW_ARGS("password", 1, 1, "a password (\"\" for none)", my_string, MY_PASSWORD),
    CONF_KW_ARGS("password_file", 1, 1, "a file name", my_password_file, 0),
    CONF_KW_ARGS("port", 1, 1, "a port", my_port, 0),
    CONF_KW_ARGS("query", 1, 1, "a query (quoted)", my_string, MY_QUERY),
    CONF_KW_ARGS("socket", 1, 1, "a unix socket's path", my_socket, 0),
    CONF_KW_ARGS("user", 1, 1, "a user name", my_string, MY_USER),
};

const struct conf_section conf_sec_mysql = {"mysql", CONF_KW_TABLE(mysql_kw), NULL, NULL};

/* What the block as a whole needs; false after an error at KW. */
static bool my_complete(struct conf_parser *p, const struct conf_tok *kw,
			const struct mysql_ctx *ctx, const char *name)
{
	if (!ctx->host && !ctx->socket) {
		conf_perr(p, kw, "vrrp_check %s: %s needs a 'host ADDRESS' or a 'socket PATH'",
			  name, kw->text);
		return false;
	}
	if (ctx->host && ctx->socket) {
		const struct conf_tok *later =
		    ctx->host->line > ctx->socket->line ? ctx->host : ctx->socket;
		conf_perr(p, later, "vrrp_check %s: give 'host' or 'socket', not both", name);
		return false;
	}
	if (!ctx->user) {
		conf_perr(p, kw, "vrrp_check %s: %s needs a 'user'", name, kw->text);
		return false;
	}
	if (ctx->password && ctx->password_file) {
		const struct conf_tok *later = ctx->password->line > ctx->password_file->line
						   ? ctx->password
						   : ctx->password_file;
		conf_perr(p, later, "vrrp_check %s: give 'password' or 'password_file', not both",
			  name);
		return false;
	}
	return true;
}

bool conf_kw_check_mysql(struct conf_parser *p, const struct conf_stmt *s, struct conf_check *c,
			 const char *name)
{
	const struct conf_tok *seen[CONF_SECTION_SLOTS_MAX] = {0};
	struct mysql_ctx ctx = {.c = c};
	int errors = p->m->errors;

	*c = (struct conf_check){.kind = CONF_CHECK_MYSQL, .port = 3306};
	strcpy(c->my.query, "SELECT 1");
	conf_parse_section(p, s->kw, &conf_sec_mysql, &ctx, seen);
	if (p->m->errors != errors)
		return false; /* reported; the block is not complete either */
	if (c->my.lag && !conf_seen(&conf_sec_mysql, seen, "query"))
		c->my.query[0] = '\0'; /* the status query is enough */
	if (!my_complete(p, s->kw, &ctx, name))
		return false;
	char why[256];
	if (!conf_mysql_load(why, sizeof(why))) {
		conf_perr(p, s->kw, "%s needs %s: %s", s->kw->text, conf_mysql_lib, why);
		return false;
	}
	return true;
}
