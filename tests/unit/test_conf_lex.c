/* Unit tests for the lexer's quoting and keepalived's preprocessor
 * (src/conf/lex.c, src/conf/preproc.c, src/conf/preproc_seq.c): @ID lines,
 * $NAME definitions and substitution, multi-line definitions, ~SEQ, their
 * bounds and every error, each message asserted whole. Files are written
 * into a mkdtemp() directory, the working directory while the tests run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "conf/conf.h"
#include "conf/lex.h"
#include "conf/preproc.h"

static char tmpdir[PATH_MAX];
static char origdir[PATH_MAX];

/* The tokens of TEXT lexed for ID, one output line per source line start:
 * words joined by ' ', braces as they are, a '\n' before each token that
 * is first on its line. Messages in *M. Returns a static buffer. */
static const char *lex(const char *text, const char *id, struct conf_msgs *m)
{
	static char out[16384];
	struct conf_toks t;
	size_t o = 0;

	memset(m, 0, sizeof(*m));
	conf_lex_buffer("t.conf", id, text, strlen(text), &t, m);
	out[0] = '\0';
	for (size_t k = 0; k + 1 < t.n && o + 2 < sizeof(out); k++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s",
				      k == 0	   ? ""
				      : t.v[k].bol ? "\n"
						   : " ",
				      t.v[k].text);
	assert_int_equal(t.v[t.n - 1].type, CONF_TOK_EOF);
	conf_toks_free(&t);
	return out;
}

static void print_msgs(const struct conf_msgs *m)
{
	for (size_t k = 0; k < m->n; k++)
		fprintf(stderr, "    msg[%zu] = %s\n", k, m->v[k]);
}

/* Lexes and expects no message. */
static void lex_ok(const char *text, const char *id, const char *want)
{
	struct conf_msgs m;
	const char *got = lex(text, id, &m);

	if (m.n)
		print_msgs(&m);
	assert_int_equal(m.n, 0);
	assert_string_equal(got, want);
	conf_msgs_free(&m);
}

/* Lexes and expects exactly the one message MSG (error or warning). */
static void lex_msg(const char *text, const char *want, const char *msg)
{
	struct conf_msgs m;
	const char *got = lex(text, "r1", &m);

	if (m.n != 1)
		print_msgs(&m);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.v[0], msg);
	if (want)
		assert_string_equal(got, want);
	conf_msgs_free(&m);
}

static void wfile(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

/* ---- quoting ---- */

static void test_single_quotes(void **state)
{
	(void)state;
	lex_ok("script '/usr/bin/killall -0 haproxy'\n", "r1",
	       "script /usr/bin/killall -0 haproxy");
	lex_ok("a 'b \"c\" d' \"it's\" 'x # y ! { }'\n", "r1", "a b \"c\" d it's x # y ! { }");
	lex_ok("a'b c'd 'it\\'s' 'a\\\\b' 'a\\b'\n", "r1", "ab cd it's a\\b a\\b");
	lex_ok("''\n", "r1", "");
	lex_msg("router_id O'Brien x\n", "router_id OBrien x",
		"t.conf:1:12: unterminated quoted string (missing ''' before the end of the line)");
	lex_msg("a \"b\nc\n", "a b\nc",
		"t.conf:1:3: unterminated quoted string (missing '\"' before the end of the line)");
}

static void test_quote_positions(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct conf_toks t;
	static const char text[] = "  x 'a b'{y}\n";

	memset(&m, 0, sizeof(m));
	conf_lex_buffer("p.conf", "r1", text, strlen(text), &t, &m);
	assert_int_equal(m.n, 0);
	assert_int_equal(t.n, 6);
	assert_string_equal(t.v[1].text, "a b");
	assert_true(t.v[1].quoted);
	assert_int_equal(t.v[1].col, 5);
	assert_int_equal(t.v[2].col, 10);
	assert_int_equal(t.v[3].col, 11);
	assert_int_equal(t.v[5].line, 2);
	assert_int_equal(t.v[5].col, 1);
	conf_toks_free(&t);
	conf_msgs_free(&m);
}

/* ---- @ID ---- */

static void test_conditional(void **state)
{
	(void)state;
	static const char text[] = "@r1 a 1\n"
				   "\t@r2   a 2 # comment\n"
				   "@^r1 b 3\n"
				   "@r10 c 4\n"
				   "d 5\n";

	lex_ok(text, "r1", "a 1\nd 5");
	lex_ok(text, "r2", "a 2\nb 3\nd 5");
	lex_ok(text, "r10", "b 3\nc 4\nd 5");
	lex_ok(text, "x", "b 3\nd 5");
	/* one test per line, as in keepalived */
	lex_ok("@r1 @^r2 a\n", "r1", "@^r2 a");
	lex_msg("@ a\n", "",
		"t.conf:1:1: expected a configuration id right after '@' (as in '@ID keyword "
		"...')");
	lex_msg("  @^ a\n", "",
		"t.conf:1:3: expected a configuration id right after '@^' (as in '@^ID keyword "
		"...')");
	lex_msg("@r1\nx\n", "x", "t.conf:1:1: warning: nothing after '@r1': the line is ignored");
}

static void test_default_id(void **state)
{
	(void)state;
	struct utsname u;
	char id[CONF_PP_ID_MAX], want[CONF_PP_ID_MAX], text[4 * CONF_PP_ID_MAX];
	struct conf_msgs m;

	assert_int_equal(uname(&u), 0);
	snprintf(want, sizeof(want), "%.*s", (int)strcspn(u.nodename, "."), u.nodename);
	conf_pp_default_id(id, sizeof(id));
	assert_string_equal(id, want);
	snprintf(text, sizeof(text), "@%s mine ${_INSTANCE}\n@^%s theirs\n", id, id);
	assert_string_equal(lex(text, NULL, &m),
			    (snprintf(text, sizeof(text), "mine %s", id), text));
	assert_int_equal(m.n, 0);
	conf_msgs_free(&m);
}

/* ---- definitions ---- */

static void test_define_and_substitute(void **state)
{
	(void)state;
	lex_ok("$A=1\n$B=two words\nv $A ${A}x $A, ($A) $B\n", "r1", "v 1 1x 1, (1) two words");
	/* no terminator after the name: no reference; undefined: left alone */
	lex_ok("$A=1\nv $Ax $A.b $UNDEF \"${UNDEF}\" $1 \"$A\" \"${A}\" \"$A b\"\n", "r1",
	       "v $Ax $A.b $UNDEF ${UNDEF} $1 $A 1 1 b");
	/* empty value; redefinition; leading blanks of the value go */
	lex_ok("$E=\n$V=   x\nv [${E}] $V\n$V=y\nv $V\n", "r1", "v [] x\nv y");
	/* keepalived's man page: substitution at use time */
	lex_ok("$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n$ADDRESS_BASE_SUB=0\n"
	       "${ADDRESS_BASE}.100/32\n$ADDRESS_BASE_SUB=10\n${ADDRESS_BASE}.100/32\n",
	       "r1", "10.2.0.100/32\n10.2.10.100/32");
	/* with @ on either side */
	lex_ok("@main $PRIORITY=240\n@backup $PRIORITY=200\npriority $PRIORITY\n", "backup",
	       "priority 200");
	lex_ok("$IF_MAIN=@main\n$IF_MAIN priority 240\n", "main", "priority 240");
	lex_ok("$IF_MAIN=@main\n$IF_MAIN priority 240\nx\n", "other", "x");
	/* a value may hold a quote, braces and a comment is gone */
	lex_ok("$S=\"/bin/check -a\" # c\n$O={\nscript $S\nblock $O }\n", "r1",
	       "script /bin/check -a\nblock { }");
	/* predefined names */
	lex_ok("a ${_INSTANCE} \"${_HASH}1${_BANG}\" ${_HASH} gone\n", "me", "a me #1!");
	lex_ok("n ${_RANDOM 7 7} ${_RANDOM 0 0}\n", "r1", "n 7 0");
	lex_ok("$_INSTANCE=mine\nv ${_INSTANCE}\n", "r1", "v mine");
}

static void test_substitution_positions(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct conf_toks t;
	static const char text[] = "$V=a b\n  x  ${V} y\n";

	memset(&m, 0, sizeof(m));
	conf_lex_buffer("p.conf", "r1", text, strlen(text), &t, &m);
	assert_int_equal(m.n, 0);
	assert_int_equal(t.n, 5);
	assert_int_equal(t.v[0].line, 2);
	assert_int_equal(t.v[0].col, 3);
	/* both words of the value are where its '$' is */
	assert_int_equal(t.v[1].col, 6);
	assert_int_equal(t.v[2].col, 6);
	assert_int_equal(t.v[3].col, 11);
	conf_toks_free(&t);
	conf_msgs_free(&m);
	/* an error in a substituted value points at the reference */
	lex_msg("$Q=\"x\nv 1 $Q\n", "v 1 x",
		"t.conf:2:5: unterminated quoted string (missing '\"' before the end of the line)");
}

static void test_define_errors(void **state)
{
	(void)state;
	lex_msg("$A =1\nv\n", "v",
		"t.conf:1:3: no blank may stand between '$A' and '=' in a definition");
	/* not a definition at all: a word like any other */
	lex_ok("$1A=1\n", "r1", "$1A=1");
	lex_msg("$A=${A}\nv $A\n", "",
		"t.conf:2:3: substitution goes on after 32 rounds (a definition that uses "
		"itself?)");
	lex_msg("$A=${A}${A}\nv $A\n", "",
		"t.conf:2:3: the line is longer than 65536 bytes after substituting '$A'");
	lex_msg("n ${_RANDOM 9 3}\n", "",
		"t.conf:1:3: ${_RANDOM MIN MAX} wants MIN <= MAX <= 1000000000");
}

/* ---- multi-line definitions ---- */

static void test_multiline(void **state)
{
	(void)state;
	/* keepalived's man page example, shortened */
	static const char text[] = "$INSTANCE= \\\n"
				   "vrrp_instance VI_${NUM} { \\\n"
				   "    interface eth0.${NUM} \\\n"
				   "    @high priority 130 \\\n"
				   "    @low priority 120 \\\n"
				   "\t \\\n"
				   "    # a comment line \\\n"
				   "}\n"
				   "$NUM=0\n"
				   "$INSTANCE\n"
				   "$NUM=1\n"
				   "@low $INSTANCE\n";

	lex_ok(text, "low",
	       "vrrp_instance VI_0 {\ninterface eth0.0\npriority 120\n}\n"
	       "vrrp_instance VI_1 {\ninterface eth0.1\npriority 120\n}");
	lex_ok(text, "high", "vrrp_instance VI_0 {\ninterface eth0.0\npriority 130\n}");
	/* first line on the definition line; an empty line ends it */
	lex_ok("$M=a 1 \\\nb 2\\\n\nc 3\n$M\n", "r1", "c 3\na 1\nb 2");
	/* nested: a definition made while expanding another */
	lex_ok("$RS= \\\nrs ${R}\n$VS= \\\nvs { \\\n$R=1 \\\n$RS \\\n$R=2 \\\n$RS \\\n}\n$VS\n",
	       "r1", "vs {\nrs 1\nrs 2\n}");
}

static void test_multiline_positions(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct conf_toks t;
	static const char text[] = "$M= \\\n  a 1 \\\n   b\nx\n$M\n";

	memset(&m, 0, sizeof(m));
	conf_lex_buffer("p.conf", "r1", text, strlen(text), &t, &m);
	assert_int_equal(m.n, 0);
	assert_int_equal(t.n, 5);
	/* where they were written, not where $M is */
	assert_int_equal(t.v[1].line, 2);
	assert_int_equal(t.v[1].col, 3);
	assert_int_equal(t.v[3].line, 3);
	assert_int_equal(t.v[3].col, 4);
	assert_true(t.v[3].bol);
	conf_toks_free(&t);
	conf_msgs_free(&m);
}

static void test_multiline_errors(void **state)
{
	(void)state;
	lex_msg("x\n  $M=a \\\nb \\\n", "x",
		"t.conf:2:3: the multi-line definition '$M' goes on to the end of the file (its "
		"last line ends with '\\')");
	lex_msg("$M=a \\\nb\nv $M\n", "",
		"t.conf:3:3: '$M' is a multi-line definition: it must stand alone on its line");
	lex_msg("$M= \\\n$M\n\n$M\n", "",
		"t.conf:2:1: definitions and ~SEQ expanded inside each other more than 16 deep (a "
		"definition that uses itself?); the rest of the configuration is not read");
	lex_msg("~SEQ(i, 1) $X=a \\\n", "",
		"t.conf:1:17: a multi-line definition ('\\' at the end) cannot start inside an "
		"expansion");
}

/* ---- ~SEQ ---- */

static void test_seq(void **state)
{
	(void)state;
	lex_ok(
	    "~SEQ(SUBNET, 0, 3) ip_address 10.0.${SUBNET}.1\n", "r1",
	    "ip_address 10.0.0.1\nip_address 10.0.1.1\nip_address 10.0.2.1\nip_address 10.0.3.1");
	lex_ok("~SEQ(i,1,2,6) $i\n", "r1", "1\n3\n5");
	lex_ok("~SEQ(i, 3) $i\n~SEQ(j, -2) $j\n~SEQ(k, 0) $k\n", "r1", "1\n2\n3\n-1\n-2\n1\n0");
	lex_ok("~SEQ(i, 3, 1) $i\n~SEQ(i, 5, -2, 1) $i\n", "r1", "3\n2\n1\n5\n3\n1");
	lex_ok("~SEQx(S, 144, 16, 192) fe80::20:${S}:1\n", "r1",
	       "fe80::20:90:1\nfe80::20:a0:1\nfe80::20:b0:1\nfe80::20:c0:1");
	lex_ok("~SEQx(S, 0x90, 0x10, 0xa0) ${S}\n", "r1", "90\na0");
	/* nested, with a definition in the numbers, and $var left defined */
	lex_ok("$N=2\n~SEQ ( a , $N ) ~SEQ(b, ${a}) ${a}${b}\nlast $a $b\n", "r1",
	       "11\n21\n22\nlast 2 2");
	/* conditional inside, and a multi-line body per value */
	lex_ok("$B= \\\nx $i \\\n@r1 y $i\n~SEQ(i, 2) $B\n", "r1", "x 1\ny 1\nx 2\ny 2");
}

static void test_seq_errors(void **state)
{
	(void)state;
	lex_msg("~SEQ i, 3) x\n", "", "t.conf:1:6: expected '(' after '~SEQ'");
	lex_msg("~SEQx i\n", "", "t.conf:1:7: expected '(' after '~SEQx'");
	lex_msg("~SEQ(, 3) x\n", "",
		"t.conf:1:6: expected a variable name (letters, digits and '_', not starting "
		"with a digit) after '~SEQ('");
	lex_msg("~SEQ(1i, 3) x\n", "",
		"t.conf:1:6: expected a variable name (letters, digits and '_', not starting "
		"with a digit) after '~SEQ('");
	lex_msg("~SEQ(i 3) x\n", "", "t.conf:1:8: expected ',' after '~SEQ(i'");
	lex_msg("~SEQ(i, 3 x\n", "", "t.conf:1:1: missing ')' after '~SEQ(i,'");
	lex_msg("~SEQ(i, a) x\n", "", "t.conf:1:9: expected a number in ~SEQ(...)");
	lex_msg("~SEQ(i, 1,, 3) x\n", "", "t.conf:1:11: expected a number in ~SEQ(...)");
	lex_msg("~SEQ(i, 1 2) x\n", "", "t.conf:1:11: expected ',' or ')' after a ~SEQ number");
	lex_msg("~SEQ(i, 1, 2, 3, 4) x\n", "",
		"t.conf:1:16: ~SEQ takes at most three numbers (START, STEP, END)");
	lex_msg("~SEQ(i, 2000000000000) x\n", "", "t.conf:1:9: a ~SEQ number is beyond +-10^12");
	lex_msg("~SEQ(i, 1, 0, 3) x\n", "", "t.conf:1:1: ~SEQ(i, 1, 0, 3) never reaches its end");
	lex_msg("~SEQ(i, 1, -1, 3) x\n", "", "t.conf:1:1: ~SEQ(i, 1, -1, 3) never reaches its end");
	lex_msg("~SEQx(i, -3, 1, 3) x\n", "", "t.conf:1:1: ~SEQx counts only 0 and up");
	lex_msg("~SEQ(i, 0, 10000) x\n", "",
		"t.conf:1:1: ~SEQ(i, 0, 1, 10000) has 10001 values, more than 10000");
	lex_msg("~SEQ(i, 3)\n", "",
		"t.conf:1:1: warning: nothing after ~SEQ(...): it yields nothing");
	lex_msg("$M= \\\na\n~SEQ(i, $M) x\n", "",
		"t.conf:3:9: '$M' is a multi-line definition: it must stand alone on its line");
	/* not a ~SEQ: a word like any other */
	lex_ok("~LST(a, 1) x\n", "r1", "~LST(a, 1) x");
}

/* Nested loops that would yield 10^8 lines stop at the work bound, once,
 * without hanging. */
static void test_bounds(void **state)
{
	(void)state;
	lex_msg("~SEQ(a, 10000) ~SEQ(b, 10000) x\n", NULL,
		"t.conf:1:31: more than 500000 lines to preprocess (a ~SEQ too long?); the rest "
		"of the configuration is not read");
	/* definitions that double: the line bound stops them */
	lex_msg(
	    "$A=aaaaaaaaaaaaaaaa\n$B=${A}${A}${A}${A}\n$C=${B}${B}${B}${B}\n"
	    "$D=${C}${C}${C}${C}\n$E=${D}${D}${D}${D}\n$F=${E}${E}${E}${E}\n$G=${F}${F}${F}${F}\n"
	    "v $G\n",
	    "", "t.conf:8:3: the line is longer than 65536 bytes after substituting '$A'");
}

/* ---- files ---- */

static void test_nul_in_dropped_line(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct conf_toks t;
	static const char text[] = "@other a\0b\n# c\0d\nx\n";

	memset(&m, 0, sizeof(m));
	conf_lex_buffer("n.conf", "r1", text, sizeof(text) - 1, &t, &m);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.v[0], "n.conf:1:9: unexpected NUL byte");
	conf_toks_free(&t);
	conf_msgs_free(&m);
}

static void test_include_shares_definitions(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct conf_toks t;
	char want[PATH_MAX + 64];
	char got[4096] = "";

	mkdir("inc", 0755);
	wfile("inc/main.conf", "$A=1\ninclude sub.conf\nafter $A $B\n");
	wfile("inc/sub.conf", "in $A ${_PWD}\n$B=2\n");
	memset(&m, 0, sizeof(m));
	assert_int_equal(conf_lex_file("inc/main.conf", "r1", &t, &m), 0);
	assert_int_equal(m.n, 0);
	for (size_t k = 0; k + 1 < t.n; k++) {
		strcat(got, k ? " " : "");
		strcat(got, t.v[k].text);
	}
	snprintf(want, sizeof(want), "in 1 %s/inc after 1 2", tmpdir);
	assert_string_equal(got, want);
	assert_string_equal(t.v[0].file, "inc/sub.conf");
	conf_toks_free(&t);
	conf_msgs_free(&m);
}

/* A whole configuration, loaded for two ids. */
static void test_load_id(void **state)
{
	(void)state;
	static const char text[] = "@r1 $P=150\n@^r1 $P=100\n"
				   "vrrp_instance VI_1 {\n"
				   "  interface lo\n  virtual_router_id 7\n  priority $P\n"
				   "  virtual_ipaddress {\n    ~SEQ(h, 1, 2) 192.0.2.${h}/24\n  }\n"
				   "}\n";
	struct conf_msgs m;
	struct config *c = conf_load_buffer_id("l.conf", "r1", text, strlen(text), &m);

	if (!c)
		print_msgs(&m);
	assert_non_null(c);
	assert_int_equal(c->inst[0].priority, 150);
	assert_int_equal(c->inst[0].n_vips, 2);
	conf_free(c);
	conf_msgs_free(&m);
	c = conf_load_buffer_id("l.conf", "r2", text, strlen(text), &m);
	assert_non_null(c);
	assert_int_equal(c->inst[0].priority, 100);
	conf_free(c);
	conf_msgs_free(&m);
}

/* vrrpd -t prints a word the preprocessor would change quoted, so that its
 * output reads back the same. */
static void test_dump_protects_words(void **state)
{
	(void)state;
	static const char text[] = "global_defs {\n  router_id \"$\"\"{_PWD}'\"\n}\n"
				   "vrrp_instance VI_1 {\n  interface lo\n  virtual_router_id 7\n"
				   "  virtual_ipaddress {\n    192.0.2.1/24\n  }\n"
				   "  notify_master \"/bin/echo '$\"\"_INSTANCE' $1\" root\n}\n";
	struct conf_msgs m;
	struct config *c = conf_load_buffer_id("d.conf", "r1", text, strlen(text), &m), *c2;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	if (!c)
		print_msgs(&m);
	assert_non_null(c);
	conf_msgs_free(&m);
	f = open_memstream(&out, &len);
	conf_dump(c, f);
	fclose(f);
	assert_non_null(strstr(out, "router_id \"$\"\"{_PWD}'\"\n"));
	assert_non_null(strstr(out, "\"/bin/echo '$\"\"_INSTANCE' $1\""));
	c2 = conf_load_buffer_id("d2.conf", "r1", out, len, &m);
	if (!c2)
		print_msgs(&m);
	assert_non_null(c2);
	assert_string_equal(c2->inst[0].notify.master.line, "/bin/echo '$_INSTANCE' $1");
	conf_free(c);
	conf_free(c2);
	conf_msgs_free(&m);
	free(out);
}

/* ---- fixture ---- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_conf_lex.XXXXXX");
	if (!mkdtemp(tmpdir) || !getcwd(origdir, sizeof(origdir)) || chdir(tmpdir) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (chdir(origdir) < 0)
		return -1;
	return nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_single_quotes),
	    cmocka_unit_test(test_quote_positions),
	    cmocka_unit_test(test_conditional),
	    cmocka_unit_test(test_default_id),
	    cmocka_unit_test(test_define_and_substitute),
	    cmocka_unit_test(test_substitution_positions),
	    cmocka_unit_test(test_define_errors),
	    cmocka_unit_test(test_multiline),
	    cmocka_unit_test(test_multiline_positions),
	    cmocka_unit_test(test_multiline_errors),
	    cmocka_unit_test(test_seq),
	    cmocka_unit_test(test_seq_errors),
	    cmocka_unit_test(test_bounds),
	    cmocka_unit_test(test_nul_in_dropped_line),
	    cmocka_unit_test(test_include_shares_definitions),
	    cmocka_unit_test(test_load_id),
	    cmocka_unit_test(test_dump_protects_words),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
