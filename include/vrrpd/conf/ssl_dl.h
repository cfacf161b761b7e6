/* conf/ssl_dl: libssl (with its libcrypto) loaded with dlopen, when a
 * configuration has an https check (conf/dl.c).
 *
 * Why: the two are about 1.7 MB of every vrrpd's resident memory, and only
 * an https check uses them. A file that calls OpenSSL includes this header
 * after <openssl/ssl.h>: the macros at its end turn each call into a call
 * through the table, so the code reads as plain OpenSSL. The table is
 * filled by conf_ssl_load(); once loaded the library stays (OpenSSL is not
 * meant to be unloaded). */
#ifndef VRRPD_CONF_SSL_DL_H
#define VRRPD_CONF_SSL_DL_H

#include "conf/dl.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

/* Every OpenSSL function vrrpd calls (SSL_ctrl: SSL_set_tlsext_host_name). */
#define CONF_SSL_FNS(X)                                                                            \
	X(ERR_clear_error)                                                                         \
	X(ERR_peek_last_error)                                                                     \
	X(ERR_reason_error_string)                                                                 \
	X(SSL_CTX_check_private_key)                                                               \
	X(SSL_CTX_free)                                                                            \
	X(SSL_CTX_get0_param)                                                                      \
	X(SSL_CTX_load_verify_locations)                                                           \
	X(SSL_CTX_new)                                                                             \
	X(SSL_CTX_set_default_passwd_cb)                                                           \
	X(SSL_CTX_set_default_verify_paths)                                                        \
	X(SSL_CTX_set_options)                                                                     \
	X(SSL_CTX_set_verify)                                                                      \
	X(SSL_CTX_use_PrivateKey_file)                                                             \
	X(SSL_CTX_use_certificate_chain_file)                                                      \
	X(SSL_connect)                                                                             \
	X(SSL_ctrl)                                                                                \
	X(SSL_free)                                                                                \
	X(SSL_get_error)                                                                           \
	X(SSL_get_verify_result)                                                                   \
	X(SSL_new)                                                                                 \
	X(SSL_read)                                                                                \
	X(SSL_set_connect_state)                                                                   \
	X(SSL_set_fd)                                                                              \
	X(SSL_write)                                                                               \
	X(TLS_client_method)                                                                       \
	X(X509_VERIFY_PARAM_set1_host)                                                             \
	X(X509_VERIFY_PARAM_set1_ip)                                                               \
	X(X509_verify_cert_error_string)

#define CONF_DL_PTR(f) __typeof__(f) *f;
struct conf_ssl_fns {
	CONF_SSL_FNS(CONF_DL_PTR)
};
extern struct conf_ssl_fns conf_ssl;

#ifndef CONF_DL_NO_REDIRECT
#define ERR_clear_error			   (conf_ssl.ERR_clear_error)
#define ERR_peek_last_error		   (conf_ssl.ERR_peek_last_error)
#define ERR_reason_error_string		   (conf_ssl.ERR_reason_error_string)
#define SSL_CTX_check_private_key	   (conf_ssl.SSL_CTX_check_private_key)
#define SSL_CTX_free			   (conf_ssl.SSL_CTX_free)
#define SSL_CTX_get0_param		   (conf_ssl.SSL_CTX_get0_param)
#define SSL_CTX_load_verify_locations	   (conf_ssl.SSL_CTX_load_verify_locations)
#define SSL_CTX_new			   (conf_ssl.SSL_CTX_new)
#define SSL_CTX_set_default_passwd_cb	   (conf_ssl.SSL_CTX_set_default_passwd_cb)
#define SSL_CTX_set_default_verify_paths   (conf_ssl.SSL_CTX_set_default_verify_paths)
#define SSL_CTX_set_options		   (conf_ssl.SSL_CTX_set_options)
#define SSL_CTX_set_verify		   (conf_ssl.SSL_CTX_set_verify)
#define SSL_CTX_use_PrivateKey_file	   (conf_ssl.SSL_CTX_use_PrivateKey_file)
#define SSL_CTX_use_certificate_chain_file (conf_ssl.SSL_CTX_use_certificate_chain_file)
#define SSL_connect			   (conf_ssl.SSL_connect)
#define SSL_ctrl			   (conf_ssl.SSL_ctrl)
#define SSL_free			   (conf_ssl.SSL_free)
#define SSL_get_error			   (conf_ssl.SSL_get_error)
#define SSL_get_verify_result		   (conf_ssl.SSL_get_verify_result)
#define SSL_new				   (conf_ssl.SSL_new)
#define SSL_read			   (conf_ssl.SSL_read)
#define SSL_set_connect_state		   (conf_ssl.SSL_set_connect_state)
#define SSL_set_fd			   (conf_ssl.SSL_set_fd)
#define SSL_write			   (conf_ssl.SSL_write)
#define TLS_client_method		   (conf_ssl.TLS_client_method)
#define X509_VERIFY_PARAM_set1_host	   (conf_ssl.X509_VERIFY_PARAM_set1_host)
#define X509_VERIFY_PARAM_set1_ip	   (conf_ssl.X509_VERIFY_PARAM_set1_ip)
#define X509_verify_cert_error_string	   (conf_ssl.X509_verify_cert_error_string)
#endif

#endif
