/* conf_dl: the checks' client libraries, libssl and libmariadb, loaded
 * with dlopen when a configuration has an https or a mysql check
 * (conf/ssl_dl.h, conf/mysql_dl.h say why and how they are called).
 *
 * How: the configuration loader asks for the library at the check that
 * needs it (an error there when it cannot be loaded); the daemon asks again
 * where it uses a configuration it did not parse itself (a reload's child
 * parsed it). A library is loaded once, with all its functions or not at
 * all, and never unloaded. */
#define CONF_DL_NO_REDIRECT
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "conf/dl.h"
#include "conf/mysql_dl.h"
#include "conf/ssl_dl.h"

struct conf_ssl_fns conf_ssl;
struct conf_mysql_fns conf_mysql;
const char *conf_ssl_lib = "libssl.so.3";
const char *conf_mysql_lib = "libmariadb.so.3";

static void *dl_sym(void *h, const char *name, const char **missing)
{
	void *f = dlsym(h, name);

	if (!f && !*missing)
		*missing = name;
	return f;
}

/* The handle of LIB, or NULL with the reason in ERR. */
static void *dl_open(const char *lib, char *err, size_t len)
{
	void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);

	if (!h)
		snprintf(err, len, "%s", dlerror());
	return h;
}

/* After the symbols were looked up: true when none is missing, else the
 * library is closed again and the table (of SIZE bytes at T) cleared. */
static bool dl_done(void **h, const char *lib, const char *missing, void *t, size_t size, char *err,
		    size_t len)
{
	if (!missing)
		return true;
	snprintf(err, len, "%s has no function %s", lib, missing);
	dlclose(*h);
	*h = NULL;
	memset(t, 0, size);
	return false;
}

static void *ssl_h, *mysql_h;

bool conf_ssl_load(char *err, size_t len)
{
	const char *missing = NULL;

	if (ssl_h)
		return true;
	if (!(ssl_h = dl_open(conf_ssl_lib, err, len)))
		return false;
#define DL_SSL(f) conf_ssl.f = (__typeof__(conf_ssl.f))dl_sym(ssl_h, #f, &missing);
	CONF_SSL_FNS(DL_SSL)
	return dl_done(&ssl_h, conf_ssl_lib, missing, &conf_ssl, sizeof(conf_ssl), err, len);
}

bool conf_ssl_loaded(void)
{
	return ssl_h != NULL;
}

bool conf_mysql_loaded(void)
{
	return mysql_h != NULL;
}

bool conf_mysql_load(char *err, size_t len)
{
	const char *missing = NULL;

	if (mysql_h)
		return true;
	if (!(mysql_h = dl_open(conf_mysql_lib, err, len)))
		return false;
#define DL_MYSQL(f) conf_mysql.f = (__typeof__(conf_mysql.f))dl_sym(mysql_h, #f, &missing);
	CONF_MYSQL_FNS(DL_MYSQL)
	return dl_done(&mysql_h, conf_mysql_lib, missing, &conf_mysql, sizeof(conf_mysql), err,
		       len);
}
