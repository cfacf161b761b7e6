/* tls_fixture: a self-signed certificate and its key, made with OpenSSL's
 * API (no openssl command: a unit test starts no process), in a scratch
 * directory; for the tests of the https check's options and runs. */
#ifndef VRRPD_TEST_TLS_FIXTURE_H
#define VRRPD_TEST_TLS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/* Writes DIR/NAME.crt, a certificate for DNS name CN and address IP valid
 * for a day, and DIR/NAME.key, its key (unencrypted PEM). */
static void tls_fixture(const char *dir, const char *name, const char *cn, const char *ip)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	char path[512], san[160];
	X509V3_CTX v;
	FILE *f;

	assert_non_null(k);
	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, k);
	X509_NAME *n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, n);
	X509V3_set_ctx_nodb(&v);
	X509V3_set_ctx(&v, x, x, NULL, NULL, 0);
	snprintf(san, sizeof(san), "DNS:%s,IP:%s", cn, ip);
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &v, NID_subject_alt_name, san);
	assert_non_null(e);
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	e = X509V3_EXT_conf_nid(NULL, &v, NID_basic_constraints, "critical,CA:TRUE");
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	snprintf(path, sizeof(path), "%s/%s.crt", dir, name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(PEM_write_X509(f, x), 1);
	fclose(f);
	snprintf(path, sizeof(path), "%s/%s.key", dir, name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL), 1);
	fclose(f);
	X509_free(x);
	EVP_PKEY_free(k);
}

/* A scratch directory (removed by tls_fixture_rm). */
static char *tls_fixture_dir(void)
{
	static char dir[] = "/tmp/vrrpd-tls-XXXXXX";

	assert_non_null(mkdtemp(dir));
	return dir;
}

/* Removes the files NAMES (NULL-terminated, basenames) and DIR. */
static void tls_fixture_rm(const char *dir, const char *const *names)
{
	char path[512];

	for (; *names; names++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *names);
		unlink(path);
	}
	rmdir(dir);
}

#endif
