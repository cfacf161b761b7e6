/* Unit tests for the https vrrp_check's options (src/conf/kw_tls.c and the
 * https line of src/conf/kw_check.c): defaults, every option, the context
 * built at load, errors at file:line:col (an unreadable CA file, a key
 * that does not match), options on a check that is not https, the dump
 * and reload equality. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "tls_fixture.h"

static const char *dir;
static const char *const files[] = {"a.crt", "a.key", "b.crt", "b.key", "junk.pem", "ab.pem", NULL};

static int setup(void **state)
{
	(void)state;
	dir = tls_fixture_dir();
	tls_fixture(dir, "a", "api.example", "192.0.2.10");
	tls_fixture(dir, "b", "other.example", "192.0.2.11");
	char path[512];
	snprintf(path, sizeof(path), "%s/junk.pem", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("not a certificate\n", f);
	fclose(f);
	/* a certificate and its key in one file */
	snprintf(path, sizeof(path), "%s/ab.pem", dir);
	FILE *out = fopen(path, "w");
	assert_non_null(out);
	for (int k = 0; k < 2; k++) {
		char in[512], buf[4096];
		snprintf(in, sizeof(in), "%s/a.%s", dir, k ? "key" : "crt");
		assert_non_null(f = fopen(in, "r"));
		size_t n = fread(buf, 1, sizeof(buf), f);
		fwrite(buf, 1, n, out);
		fclose(f);
	}
	fclose(out);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tls_fixture_rm(dir, files);
	return 0;
}

static void print_msgs(const struct conf_msgs *m)
{
	for (size_t k = 0; k < m->n; k++)
		fprintf(stderr, "    msg[%zu] = %s\n", k, m->v[k]);
}

/* A vrrp_check block of BODY, with DIR for every "@" of BODY. */
static char *block(const char *body)
{
	static char text[4096];
	size_t o = (size_t)snprintf(text, sizeof(text), "vrrp_check c {\n");

	for (const char *s = body; *s && o < sizeof(text) - 600; s++)
		o += *s == '@' ? (size_t)snprintf(text + o, sizeof(text) - o, "%s", dir)
			       : (size_t)snprintf(text + o, sizeof(text) - o, "%c", *s);
	snprintf(text + o, sizeof(text) - o, "}\n");
	return text;
}

static struct config *load_ok(const char *body)
{
	struct conf_msgs m;
	const char *text = block(body);
	struct config *c = conf_load_buffer("t.conf", text, strlen(text), &m);

	if (!c || m.errors)
		print_msgs(&m);
	assert_non_null(c);
	assert_int_equal(m.errors, 0);
	conf_msgs_free(&m);
	return c;
}

/* Loads the block expecting it refused, one error, WANT in it (with DIR
 * for "@"). */
static void load_bad(const char *body, const char *want)
{
	struct conf_msgs m;
	const char *text = block(body);
	struct config *c = conf_load_buffer("t.conf", text, strlen(text), &m);
	char w[1024];
	size_t o = 0;
	bool found = false;

	for (const char *s = want; *s && o < sizeof(w) - 300; s++)
		o += *s == '@' ? (size_t)snprintf(w + o, sizeof(w) - o, "%s", dir)
			       : (size_t)snprintf(w + o, sizeof(w) - o, "%c", *s);
	for (size_t k = 0; k < m.n; k++)
		found |= !strcmp(m.v[k], w);
	if (c || !found || m.errors != 1) {
		fprintf(stderr, "  want: %s\n", w);
		print_msgs(&m);
	}
	assert_null(c);
	assert_true(found);
	assert_int_equal(m.errors, 1);
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

static void test_defaults(void **state)
{
	(void)state;
	struct config *c = load_ok("  https https://192.0.2.10:6443/readyz\n");
	const struct conf_check *k = &c->scripts[0].check;
	assert_int_equal(k->kind, CONF_CHECK_HTTPS);
	assert_true(k->url.tls);
	assert_int_equal(k->url.port, 6443);
	assert_int_equal(k->status, 200);
	assert_true(k->tls.verify); /* on by default, the system's CA store */
	assert_null(k->tls.ca_file);
	assert_string_equal(k->tls.sni, "");
	assert_non_null(k->tls.ctx); /* built at load */
	char *d = dump(c);
	assert_non_null(strstr(d, "\thttps https://192.0.2.10:6443/readyz status 200\n"
				  "\tverify on\t# the system's CA store\n"));
	free(d);
	conf_free(c);
	c = load_ok("  https https://[2001:db8::1]/healthz\n");
	assert_int_equal(c->scripts[0].check.url.port, 443);
	conf_free(c);
}

static void test_options(void **state)
{
	(void)state;
	/* options before and after the https line */
	struct config *c = load_ok("  sni api.example\n"
				   "  https https://192.0.2.10/healthz status 204 body ok\n"
				   "  ca_file @/a.crt\n  cert_file @/b.crt\n  key_file @/b.key\n");
	const struct conf_tls *t = &c->scripts[0].check.tls;
	assert_true(t->verify);
	assert_non_null(t->ca_file);
	assert_non_null(strstr(t->ca_file, "/a.crt"));
	assert_non_null(strstr(t->cert_file, "/b.crt"));
	assert_non_null(strstr(t->key_file, "/b.key"));
	assert_string_equal(t->sni, "api.example");
	assert_non_null(t->ctx);
	char *d = dump(c);
	assert_non_null(strstr(d, "\tsni api.example\n"));
	assert_non_null(strstr(d, "/b.key\n"));
	free(d);
	conf_free(c);
	/* the key in the certificate's file */
	c = load_ok("  https https://192.0.2.10/\n  cert_file @/ab.pem\n");
	assert_non_null(c->scripts[0].check.tls.ctx);
	assert_null(c->scripts[0].check.tls.key_file);
	conf_free(c);
	/* verify off: no CA store loaded */
	c = load_ok("  https https://192.0.2.10/\n  verify off\n");
	assert_false(c->scripts[0].check.tls.verify);
	d = dump(c);
	assert_non_null(strstr(d, "\tverify off\n"));
	free(d);
	conf_free(c);
}

static void test_errors(void **state)
{
	(void)state;
	load_bad("  https https://192.0.2.10/\n  verify maybe\n",
		 "t.conf:3:10: expected 'on' or 'off' after 'verify', got 'maybe'");
	load_bad("  https https://192.0.2.10/\n  sni api_example\n",
		 "t.conf:3:7: expected a DNS name after 'sni' (letters, digits, '-' and '.', at "
		 "most 253 characters), got 'api_example'");
	load_bad("  https https://192.0.2.10/\n  ca_file @/none.crt\n",
		 "t.conf:3:11: cannot load the CA file '@/none.crt': No such file or directory");
	load_bad(
	    "  https https://192.0.2.10/\n  ca_file @/junk.pem\n",
	    "t.conf:3:11: cannot load the CA file '@/junk.pem': no usable certificate in it (PEM "
	    "expected)");
	load_bad("  https https://192.0.2.10/\n  key_file @/a.key\n",
		 "t.conf:3:12: key_file without cert_file: write the certificate too");
	load_bad("  https https://192.0.2.10/\n  cert_file @/a.crt\n  key_file @/b.key\n",
		 "t.conf:4:12: the private key '@/b.key' does not match the certificate '@/a.crt'");
	load_bad("  https https://192.0.2.10/\n  cert_file @/a.crt\n",
		 "t.conf:3:13: cannot load the private key '@/a.crt': no usable private key in it "
		 "(PEM expected); a key with a pass phrase cannot be used");
	load_bad("  tcp 192.0.2.10 443\n  verify off\n",
		 "t.conf:3:3: 'verify' is a TLS option: only an https check has it");
	load_bad("  ca_file @/a.crt\n  http http://192.0.2.10/\n",
		 "t.conf:2:3: 'ca_file' is a TLS option: only an https check has it");
	load_bad("  http https://192.0.2.10/\n",
		 "t.conf:2:8: an https:// URL is checked by 'https https://192.0.2.10/'");
	load_bad("  https http://192.0.2.10/\n",
		 "t.conf:2:9: an https check needs an https:// URL, got 'http://192.0.2.10/'");
	load_bad("  https https://api.example/\n",
		 "t.conf:2:9: bad URL 'https://api.example/': the host must be an IPv4 address or "
		 "an IPv6 one in brackets (a name would need a resolver that blocks)");
}

/* ca_file with verify off: used for nothing, said so. */
static void test_warning(void **state)
{
	(void)state;
	struct conf_msgs m;
	const char *text = block("  https https://192.0.2.10/\n  verify off\n  ca_file @/a.crt\n");
	struct config *c = conf_load_buffer("t.conf", text, strlen(text), &m);
	bool found = false;

	assert_non_null(c);
	for (size_t k = 0; k < m.n; k++)
		found |= strstr(m.v[k],
				"t.conf:4:11: warning: ca_file is not used: verify is off") != NULL;
	if (!found)
		print_msgs(&m);
	assert_true(found);
	conf_msgs_free(&m);
	conf_free(c);
}

/* A reload keeps a check's state only when its TLS options are the same. */
static void test_equal(void **state)
{
	(void)state;
	struct config *a = load_ok("  https https://192.0.2.10/\n  ca_file @/a.crt\n");
	struct config *b = load_ok("  https https://192.0.2.10/\n  ca_file @/a.crt\n");
	struct config *d = load_ok("  https https://192.0.2.10/\n  ca_file @/b.crt\n");
	struct config *e = load_ok("  https https://192.0.2.10/\n  verify off\n");
	struct config *f =
	    load_ok("  https https://192.0.2.10/\n  ca_file @/a.crt\n  sni x.example\n");

	assert_true(conf_script_equal(&a->scripts[0], &b->scripts[0]));
	assert_true(a->scripts[0].check.tls.ctx != b->scripts[0].check.tls.ctx); /* one each */
	assert_false(conf_script_equal(&a->scripts[0], &d->scripts[0]));
	assert_false(conf_script_equal(&a->scripts[0], &e->scripts[0]));
	assert_false(conf_script_equal(&a->scripts[0], &f->scripts[0]));
	conf_free(a);
	conf_free(b);
	conf_free(d);
	conf_free(e);
	conf_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults), cmocka_unit_test(test_options),
	    cmocka_unit_test(test_errors),   cmocka_unit_test(test_warning),
	    cmocka_unit_test(test_equal),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
