/* Unit tests for `vrrpctl why`: the formatter (src/ops/ctl_why.c) and the
 * control socket's request (ctl_dispatch in src/ops/control.c, reached by
 * including the file) with a fake daemon. Times are shown in UTC here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../src/ops/control.c"

#define S VTIME_SEC
/* 2024-05-01 12:00:00 UTC, the wall clock at mono 100 s */
#define WALL0 1714564800.0

static struct why_ring ring;

static int fake_why(void *arg, const char *name, struct ctl_why *out)
{
	(void)arg;
	if (strcmp(name, "VI_1") != 0)
		return -1;
	snprintf(out->name, sizeof(out->name), "%s", name);
	out->state = "MASTER";
	out->ring = &ring;
	out->mono_now = 100 * S;
	out->wall_now = WALL0;
	return 0;
}

static const struct ctl_ops ops = {.why = fake_why};

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	why_free(&ring); /* the previous test's */
	why_add(&ring, 90 * S, WHY_TRANSITION, 1, "INIT -> BACKUP: startup");
	why_add(&ring, 96 * S + 500000, WHY_TRANSITION, 2,
		"BACKUP -> MASTER: master 192.0.2.1 down: no advert for 0.36 s");
	for (int i = 0; i < 5; i++)
		why_add(&ring, 97 * S + (vtime_t)i * 100000, WHY_DROP, 3,
			"advert from 192.0.2.9 dropped: %s", "auth-mismatch");
	why_add(&ring, 98 * S, WHY_DECISION, 4, "say \"hi\"\\");
	return 0;
}

/* The request line through the server's dispatcher. */
static char *ask(const char *req, struct ctl_buf *out)
{
	struct ctl_server srv = {.ops = &ops};
	char line[256];

	memset(out, 0, sizeof(*out));
	snprintf(line, sizeof(line), "%s", req);
	ctl_dispatch(&srv, -1, line, out);
	return out->p ? out->p : "";
}

static void text_lists_entries_newest_last(void **state)
{
	struct ctl_buf b;

	(void)state;
	assert_string_equal(
	    ask("why VI_1", &b),
	    "VI_1: MASTER; 4 entries, newest last\n"
	    "11:59:50.000  transition  INIT -> BACKUP: startup\n"
	    "11:59:56.500  transition  BACKUP -> MASTER: master 192.0.2.1 down: no advert for "
	    "0.36 s\n"
	    "11:59:57.000  drop        advert from 192.0.2.9 dropped: auth-mismatch (x5, last "
	    "11:59:57.400)\n"
	    "11:59:58.000  decision    say \"hi\"\\\n");
	ctl_buf_free(&b);
}

static void json_is_an_array_of_entries(void **state)
{
	struct ctl_buf b;

	(void)state;
	assert_string_equal(
	    ask("why VI_1 --json", &b),
	    "[{\"time\":1714564790.000,\"last\":1714564790.000,\"kind\":\"transition\","
	    "\"text\":\"INIT -> BACKUP: startup\",\"count\":1},"
	    "{\"time\":1714564796.500,\"last\":1714564796.500,\"kind\":\"transition\","
	    "\"text\":\"BACKUP -> MASTER: master 192.0.2.1 down: no advert for 0.36 s\","
	    "\"count\":1},"
	    "{\"time\":1714564797.000,\"last\":1714564797.400,\"kind\":\"drop\","
	    "\"text\":\"advert from 192.0.2.9 dropped: auth-mismatch\",\"count\":5},"
	    "{\"time\":1714564798.000,\"last\":1714564798.000,\"kind\":\"decision\","
	    "\"text\":\"say \\\"hi\\\"\\\\\",\"count\":1}]\n");
	ctl_buf_free(&b);
}

/* An entry of another day carries its date; an empty ring says so. */
static void dates_and_empty_ring(void **state)
{
	struct ctl_buf b = {0};
	static struct why_ring old;
	struct ctl_why w = {.name = "VI_9",
			    .state = "BACKUP",
			    .ring = &old,
			    .mono_now = 100000 * S,
			    .wall_now = WALL0};

	(void)state;
	ctl_format_why(&b, &w, false);
	assert_string_equal(b.p, "VI_9: BACKUP; 0 entries, newest last\n");
	ctl_buf_free(&b);
	ctl_format_why(&b, &w, true);
	assert_string_equal(b.p, "[]\n");
	ctl_buf_free(&b);
	why_add(&old, 100000 * S - 86400 * S, WHY_PRIORITY, 1, "priority 100 -> 80: x");
	ctl_format_why(&b, &w, false);
	assert_string_equal(b.p, "VI_9: BACKUP; 1 entry, newest last\n"
				 "2024-04-30 12:00:00.000  priority    priority 100 -> 80: x\n");
	ctl_buf_free(&b);
}

static void errors_are_clear(void **state)
{
	struct ctl_buf b;

	(void)state;
	assert_string_equal(ask("why VI_2", &b), "error: no instance VI_2\n");
	ctl_buf_free(&b);
	assert_string_equal(ask("why", &b),
			    "error: which instance? (usage: why INSTANCE [--json])\n");
	ctl_buf_free(&b);
	assert_string_equal(ask("why VI_1 VI_2", &b),
			    "error: unexpected 'VI_2' (usage: why INSTANCE [--json])\n");
	ctl_buf_free(&b);
	assert_string_equal(ask("why --yaml", &b),
			    "error: unexpected '--yaml' (usage: why INSTANCE [--json])\n");
	ctl_buf_free(&b);
	/* a daemon without the request */
	struct ctl_server srv = {.ops = NULL};
	char line[] = "why VI_1";
	memset(&b, 0, sizeof(b));
	ctl_dispatch(&srv, -1, line, &b);
	assert_string_equal(b.p, "error: no instance VI_1\n");
	ctl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(text_lists_entries_newest_last, setup),
	    cmocka_unit_test_setup(json_is_an_array_of_entries, setup),
	    cmocka_unit_test_setup(dates_and_empty_ring, setup),
	    cmocka_unit_test_setup(errors_are_clear, setup),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	why_free(&ring);
	return rc;
}
