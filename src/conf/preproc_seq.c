/* conf_pp's ~SEQ loops (see conf/preproc.h for what they do).
 *
 * How: the arguments are substituted (single-line definitions only), read
 * as one to three numbers (strtoll base 0: 0x.. is hex), checked, and the
 * rest of the line goes through conf_pp_line() once per value, one level
 * deeper, with $VAR set to the value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/lex.h"
#include "conf/preproc_int.h"

#define SEQ_ABS_MAX 1000000000000LL /* |START|, |STEP|, |END| of a ~SEQ */

struct seq {
	char var[CONF_PP_ID_MAX];
	long long start, step, end;
	bool hex;
	size_t body; /* where "rest" starts in the line */
};

/* Reads up to three numbers of A (the substituted text between ',' and
 * ')'). Returns how many, or -1 (reported). */
static int seq_numbers(struct conf_pp *pp, const struct conf_pp_buf *a, const char *file, int line,
		       long long num[3])
{
	size_t k = 0;
	int n = 0;

	for (;;) {
		char *e;
		while (k < a->n && conf_is_blank(a->s[k]))
			k++;
		num[n] = strtoll(a->s + k, &e, 0);
		if (e == a->s + k || num[n] > SEQ_ABS_MAX || num[n] < -SEQ_ABS_MAX) {
			conf_pp_err(pp, false, file, line, conf_pp_col(a, k),
				    e == a->s + k ? "expected a number in ~SEQ(...)"
						  : "a ~SEQ number is beyond +-10^12");
			return -1;
		}
		k = (size_t)(e - a->s);
		while (k < a->n && conf_is_blank(a->s[k]))
			k++;
		n++;
		if (k == a->n)
			return n;
		if (a->s[k] != ',' || n == 3) {
			conf_pp_err(pp, false, file, line, conf_pp_col(a, k),
				    n == 3 ? "~SEQ takes at most three numbers (START, STEP, END)"
					   : "expected ',' or ')' after a ~SEQ number");
			return -1;
		}
		k++;
	}
}

/* Parses "~SEQ(VAR, ...)" at the start of B into Q. False when reported. */
static bool seq_parse(struct conf_pp *pp, const struct conf_pp_buf *b, const char *file, int line,
		      int depth, struct seq *q)
{
	size_t k = 4, v, close;
	long long num[3];
	struct conf_pp_buf a;
	int n, r = 0;

	q->hex = b->s[k] == 'x';
	k += q->hex;
	while (conf_is_blank(b->s[k]))
		k++;
	if (b->s[k] != '(') {
		conf_pp_err(pp, false, file, line, conf_pp_col(b, k), "expected '(' after '~SEQ%s'",
			    q->hex ? "x" : "");
		return false;
	}
	for (k++; conf_is_blank(b->s[k]); k++)
		;
	for (v = k; conf_pp_name_char(b->s[k]); k++)
		;
	if (k == v || !conf_pp_name_start(b->s[v]) || k - v >= sizeof(q->var)) {
		conf_pp_err(
		    pp, false, file, line, conf_pp_col(b, v),
		    "expected a variable name (letters, digits and '_', not starting with a "
		    "digit) after '~SEQ('");
		return false;
	}
	snprintf(q->var, sizeof(q->var), "%.*s", (int)(k - v), b->s + v);
	while (conf_is_blank(b->s[k]))
		k++;
	if (b->s[k] != ',') {
		conf_pp_err(pp, false, file, line, conf_pp_col(b, k),
			    "expected ',' after '~SEQ(%s'", q->var);
		return false;
	}
	for (close = ++k; close < b->n && b->s[close] != ')'; close++)
		;
	if (close == b->n) {
		conf_pp_err(pp, false, file, line, b->col[0], "missing ')' after '~SEQ(%s,'",
			    q->var);
		return false;
	}
	conf_pp_copy(&a, b, k, close);
	for (int pass = 0;
	     pass < CONF_PP_PASSES_MAX && (r = conf_pp_subst(pp, &a, file, line, depth, false)) > 0;
	     pass++)
		;
	n = r < 0 ? -1 : seq_numbers(pp, &a, file, line, num);
	conf_pp_buf_free(&a);
	if (n < 0)
		return false;
	if (n == 1) {
		q->end = num[0];
		q->start = q->end < 0 ? -1 : 1;
		q->step = q->end < 1 ? -1 : 1;
	} else {
		q->start = num[0];
		q->end = num[n - 1];
		q->step = n == 3 ? num[1] : (q->start <= q->end ? 1 : -1);
	}
	for (q->body = close + 1; conf_is_blank(b->s[q->body]); q->body++)
		;
	return true;
}

void conf_pp_seq(struct conf_pp *pp, const struct conf_pp_buf *b, const char *file, int line,
		 int depth)
{
	struct seq q;
	unsigned long long count;
	char val[32];

	if (!seq_parse(pp, b, file, line, depth, &q))
		return;
	if (!q.step || (q.start < q.end && q.step < 0) || (q.start > q.end && q.step > 0)) {
		conf_pp_err(pp, false, file, line, b->col[0],
			    "~SEQ(%s, %lld, %lld, %lld) never reaches its end", q.var, q.start,
			    q.step, q.end);
		return;
	}
	if (q.hex && (q.start < 0 || q.end < 0)) {
		conf_pp_err(pp, false, file, line, b->col[0], "~SEQx counts only 0 and up");
		return;
	}
	count = (unsigned long long)((q.end - q.start) / q.step) + 1;
	if (count > CONF_PP_SEQ_MAX) {
		conf_pp_err(pp, false, file, line, b->col[0],
			    "~SEQ(%s, %lld, %lld, %lld) has %llu values, more than %d", q.var,
			    q.start, q.step, q.end, count, CONF_PP_SEQ_MAX);
		return;
	}
	if (q.body == b->n) {
		conf_pp_err(pp, true, file, line, b->col[0],
			    "nothing after ~SEQ(...): it yields nothing");
		return;
	}
	for (unsigned long long i = 0; i < count && !conf_pp_over(pp); i++) {
		long long x = q.start + (long long)i * q.step;
		struct conf_pp_buf body;
		if (q.hex)
			snprintf(val, sizeof(val), "%llx", (unsigned long long)x);
		else
			snprintf(val, sizeof(val), "%lld", x);
		conf_pp_set_text(pp, q.var, val, file, line, b->col[0]);
		conf_pp_copy(&body, b, q.body, b->n);
		conf_pp_line(pp, &body, file, line, depth + 1, false);
		conf_pp_buf_free(&body);
	}
}
