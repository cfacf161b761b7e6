/* conf/dl: the checks' client libraries, loaded with dlopen when a
 * configuration needs them (conf/dl.c): libssl for an https check,
 * libmariadb for a mysql check. The tables of their functions are in
 * conf/ssl_dl.h and conf/mysql_dl.h (which need the libraries' headers);
 * this header is what a caller that only loads needs. */
#ifndef VRRPD_CONF_DL_H
#define VRRPD_CONF_DL_H

#include <stdbool.h>
#include <stddef.h>

/* The libraries' file names: libssl.so.3 and libmariadb.so.3 (a unit test
 * may point them elsewhere, before the first load). */
extern const char *conf_ssl_lib;
extern const char *conf_mysql_lib;

/* Each loads its library with all the functions vrrpd calls, once (it is
 * never unloaded); false with the reason (dlerror's) in ERR. */
bool conf_ssl_load(char *err, size_t len);
bool conf_mysql_load(char *err, size_t len);
bool conf_ssl_loaded(void);
bool conf_mysql_loaded(void);

#endif
