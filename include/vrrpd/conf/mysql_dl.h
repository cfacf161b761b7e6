/* conf/mysql_dl: libmariadb loaded with dlopen, when a configuration has a
 * mysql check (conf/dl.c); as conf/ssl_dl.h does for OpenSSL: a file that
 * calls the library includes this header after <mysql.h>, and its calls go
 * through the table that conf_mysql_load() fills. Once loaded it stays. */
#ifndef VRRPD_CONF_MYSQL_DL_H
#define VRRPD_CONF_MYSQL_DL_H

#include <mysql.h>
#include "conf/dl.h"

/* Every libmariadb function vrrpd calls. */
#define CONF_MYSQL_FNS(X)                                                                          \
	X(mariadb_cancel)                                                                          \
	X(mysql_close)                                                                             \
	X(mysql_errno)                                                                             \
	X(mysql_error)                                                                             \
	X(mysql_fetch_fields)                                                                      \
	X(mysql_fetch_row)                                                                         \
	X(mysql_field_count)                                                                       \
	X(mysql_free_result)                                                                       \
	X(mysql_get_socket)                                                                        \
	X(mysql_get_timeout_value_ms)                                                              \
	X(mysql_init)                                                                              \
	X(mysql_num_fields)                                                                        \
	X(mysql_options)                                                                           \
	X(mysql_optionsv)                                                                          \
	X(mysql_real_connect_cont)                                                                 \
	X(mysql_real_connect_start)                                                                \
	X(mysql_real_query_cont)                                                                   \
	X(mysql_real_query_start)                                                                  \
	X(mysql_store_result_cont)                                                                 \
	X(mysql_store_result_start)

#define CONF_DL_MY_PTR(f) __typeof__(f) *f;
struct conf_mysql_fns {
	CONF_MYSQL_FNS(CONF_DL_MY_PTR)
};
extern struct conf_mysql_fns conf_mysql;

#ifndef CONF_DL_NO_REDIRECT
#define mariadb_cancel		   (conf_mysql.mariadb_cancel)
#define mysql_close		   (conf_mysql.mysql_close)
#define mysql_errno		   (conf_mysql.mysql_errno)
#define mysql_error		   (conf_mysql.mysql_error)
#define mysql_fetch_fields	   (conf_mysql.mysql_fetch_fields)
#define mysql_fetch_row		   (conf_mysql.mysql_fetch_row)
#define mysql_field_count	   (conf_mysql.mysql_field_count)
#define mysql_free_result	   (conf_mysql.mysql_free_result)
#define mysql_get_socket	   (conf_mysql.mysql_get_socket)
#define mysql_get_timeout_value_ms (conf_mysql.mysql_get_timeout_value_ms)
#define mysql_init		   (conf_mysql.mysql_init)
#define mysql_num_fields	   (conf_mysql.mysql_num_fields)
#define mysql_options		   (conf_mysql.mysql_options)
#define mysql_optionsv		   (conf_mysql.mysql_optionsv)
#define mysql_real_connect_cont	   (conf_mysql.mysql_real_connect_cont)
#define mysql_real_connect_start   (conf_mysql.mysql_real_connect_start)
#define mysql_real_query_cont	   (conf_mysql.mysql_real_query_cont)
#define mysql_real_query_start	   (conf_mysql.mysql_real_query_start)
#define mysql_store_result_cont	   (conf_mysql.mysql_store_result_cont)
#define mysql_store_result_start   (conf_mysql.mysql_store_result_start)
#endif

#endif
