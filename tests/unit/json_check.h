/* json_check: a tiny JSON validator for the unit tests of the control
 * formats (test_control.c, test_ctl_health.c): json_valid(s) is true when
 * s is one JSON value and nothing else. Included, not linked: each test
 * gets its own static copy. */
#ifndef VRRPD_TEST_JSON_CHECK_H
#define VRRPD_TEST_JSON_CHECK_H

#include <stdbool.h>
#include <string.h>

struct jp {
	const char *p;
	int depth;
};

static void ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r')
		j->p++;
}

static int jvalue(struct jp *j);

static int jstring(struct jp *j)
{
	if (*j->p != '"')
		return -1;
	j->p++;
	for (;;) {
		unsigned char ch = (unsigned char)*j->p;
		if (ch == '"') {
			j->p++;
			return 0;
		}
		if (ch < 0x20) /* raw control characters (and the end) are invalid */
			return -1;
		if (ch == '\\') {
			j->p++;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i])
						return -1;
				j->p += 5;
			} else if (*j->p && strchr("\"\\/bfnrt", *j->p)) {
				j->p++;
			} else {
				return -1;
			}
			continue;
		}
		if (ch >= 0x80) { /* valid UTF-8 only (no overlong forms checked here) */
			int n = ch >= 0xf0 ? 3 : ch >= 0xe0 ? 2 : ch >= 0xc2 ? 1 : -1;
			if (n < 0 || ch > 0xf4)
				return -1;
			for (int i = 1; i <= n; i++)
				if (((unsigned char)j->p[i] & 0xc0) != 0x80)
					return -1;
			j->p += n + 1;
			continue;
		}
		j->p++;
	}
}

static int jnumber(struct jp *j)
{
	const char *s = j->p;
	if (*j->p == '-')
		j->p++;
	if (*j->p == '0')
		j->p++;
	else if (*j->p >= '1' && *j->p <= '9')
		while (*j->p >= '0' && *j->p <= '9')
			j->p++;
	else
		return -1;
	if (*j->p == '.') {
		j->p++;
		if (!(*j->p >= '0' && *j->p <= '9'))
			return -1;
		while (*j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	return j->p > s ? 0 : -1;
}

static int jvalue(struct jp *j)
{
	ws(j);
	if (++j->depth > 32)
		return -1;
	int rc = 0;
	if (*j->p == '{') {
		j->p++;
		ws(j);
		if (*j->p == '}') {
			j->p++;
		} else {
			for (;;) {
				ws(j);
				if (jstring(j) < 0)
					return -1;
				ws(j);
				if (*j->p++ != ':' || jvalue(j) < 0)
					return -1;
				ws(j);
				if (*j->p == ',') {
					j->p++;
					continue;
				}
				if (*j->p++ != '}')
					return -1;
				break;
			}
		}
	} else if (*j->p == '[') {
		j->p++;
		ws(j);
		if (*j->p == ']') {
			j->p++;
		} else {
			for (;;) {
				if (jvalue(j) < 0)
					return -1;
				ws(j);
				if (*j->p == ',') {
					j->p++;
					continue;
				}
				if (*j->p++ != ']')
					return -1;
				break;
			}
		}
	} else if (*j->p == '"') {
		rc = jstring(j);
	} else if (!strncmp(j->p, "true", 4) || !strncmp(j->p, "null", 4)) {
		j->p += 4;
	} else if (!strncmp(j->p, "false", 5)) {
		j->p += 5;
	} else {
		rc = jnumber(j);
	}
	j->depth--;
	return rc;
}

static bool json_valid(const char *s)
{
	struct jp j = {.p = s};
	if (jvalue(&j) < 0)
		return false;
	ws(&j);
	return *j.p == '\0';
}

#endif
