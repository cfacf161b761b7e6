/* Unit tests for the keyword tables (src/conf/kw_*.c), the engine's
 * lookups and suggestions (src/conf/parse.c) and the pure value parsers
 * (src/conf/values.c). The tables are data: these tests hold them to what
 * the engine assumes (sorted, no duplicates, complete entries), route and
 * rule options included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "conf/kw.h"
#include "conf/values.h"

static void assert_table_sorted(const char *sec, const struct conf_kw_table *t)
{
	for (size_t k = 1; k < t->n; k++) {
		if (strcmp(t->v[k - 1].name, t->v[k].name) >= 0)
			fprintf(stderr, "  %s: '%s' before '%s'\n", sec, t->v[k - 1].name,
				t->v[k].name);
		assert_true(strcmp(t->v[k - 1].name, t->v[k].name) < 0);
	}
}

static void assert_entry_complete(const char *sec, const struct conf_kw *kw)
{
	if (kw->flags & CONF_KW_UNIMPL) {
		assert_null(kw->fn); /* nothing to run: it is skipped */
		/* exactly one of the two classes, and what it does */
		assert_true(kw->flags == CONF_KW_NO_EFFECT || kw->flags == CONF_KW_CHANGES);
		assert_non_null(kw->why);
		return;
	}
	if (!kw->fn)
		fprintf(stderr, "  %s: '%s' has no handler\n", sec, kw->name);
	assert_non_null(kw->fn);
	if (kw->flags & (CONF_KW_BLOCK | CONF_KW_RAW))
		return;
	/* The engine checks the argument count and names the arguments. */
	assert_non_null(kw->what);
	assert_true(kw->min <= kw->max);
	if (kw->flags & CONF_KW_ONE_CMD)
		assert_true(kw->max >= 1);
}

static void test_tables_sorted_unique(void **state)
{
	(void)state;
	assert_true(conf_n_sections >= 6);
	for (size_t s = 0; s < conf_n_sections; s++) {
		const struct conf_section *sec = conf_sections[s];

		assert_non_null(sec->name);
		assert_true(sec->own.n > 0);
		assert_table_sorted(sec->name, &sec->own);
		if (sec->shared)
			assert_table_sorted(sec->name, sec->shared);
		/* A name is in one of a section's tables only. */
		for (size_t k = 0; sec->shared && k < sec->shared->n; k++)
			assert_null(conf_kw_find(&sec->own, sec->shared->v[k].name));
		assert_true(conf_section_slots(sec) <= CONF_SECTION_SLOTS_MAX);
	}
	assert_table_sorted("shared", &conf_kw_shared);
}

static void test_entries_complete(void **state)
{
	(void)state;
	for (size_t s = 0; s < conf_n_sections; s++) {
		const struct conf_section *sec = conf_sections[s];

		for (size_t k = 0; k < sec->own.n; k++) {
			const struct conf_kw *kw = &sec->own.v[k];

			assert_entry_complete(sec->name, kw);
			if (kw->alias) {
				/* An alias shares an implemented keyword's slot. */
				const struct conf_kw *to = conf_kw_find(&sec->own, kw->alias);

				assert_non_null(to);
				assert_null(to->alias);
				assert_false(to->flags & CONF_KW_UNIMPL);
			}
		}
		for (size_t k = 0; sec->shared && k < sec->shared->n; k++) {
			assert_entry_complete(sec->name, &sec->shared->v[k]);
			assert_false(sec->shared->v[k].flags & CONF_KW_UNIMPL);
		}
	}
}

static void test_lookup(void **state)
{
	size_t slot, slot2;
	const struct conf_kw *kw;

	(void)state;
	for (size_t s = 0; s < conf_n_sections; s++) {
		const struct conf_section *sec = conf_sections[s];

		for (size_t k = 0; k < sec->own.n; k++)
			assert_ptr_equal(conf_kw_find(&sec->own, sec->own.v[k].name),
					 &sec->own.v[k]);
		assert_null(conf_kw_find(&sec->own, ""));
		assert_null(conf_kw_find(&sec->own, "~~~"));
		assert_null(conf_kw_find(&sec->own, "\x01"));
	}
	/* Shared keywords are found through the section, after its own. */
	kw = conf_section_find(&conf_sec_instance, "notify_master", &slot);
	assert_non_null(kw);
	assert_string_equal(kw->name, "notify_master");
	assert_true(slot >= conf_sec_instance.own.n);
	assert_non_null(conf_section_find(&conf_sec_group, "track_script", &slot));
	assert_null(conf_section_find(&conf_sec_script, "notify_master", &slot));
	/* Aliases share the slot of the keyword they stand for. */
	assert_non_null(conf_section_find(&conf_sec_instance, "mcast_src_ip", &slot));
	assert_non_null(conf_section_find(&conf_sec_instance, "unicast_src_ip", &slot2));
	assert_int_equal(slot, slot2);
	assert_non_null(conf_section_find(&conf_sec_instance, "preempt", &slot));
	assert_non_null(conf_section_find(&conf_sec_instance, "nopreempt", &slot2));
	assert_int_equal(slot, slot2);
	assert_non_null(conf_section_find(&conf_sec_global, "vrrp_notify_fifo", &slot));
	assert_non_null(conf_section_find(&conf_sec_global, "notify_fifo", &slot2));
	assert_int_equal(slot, slot2);
	/* Unimplemented keywords are in the tables, flagged. */
	kw = conf_section_find(&conf_sec_instance, "use_ipvlan", &slot);
	assert_non_null(kw);
	assert_true(kw->flags & CONF_KW_UNIMPL);
	kw = conf_section_find(&conf_sec_top, "virtual_server", &slot);
	assert_non_null(kw);
	assert_true(kw->flags & CONF_KW_UNIMPL);
}

static void test_suggest(void **state)
{
	char b[128];

	(void)state;
	assert_string_equal(conf_section_suggest(&conf_sec_instance, "priorty", b, sizeof(b)),
			    " (did you mean 'priority'?)");
	/* The shared table is offered too. */
	assert_string_equal(conf_section_suggest(&conf_sec_instance, "notify_mastr", b, sizeof(b)),
			    " (did you mean 'notify_master'?)");
	assert_string_equal(conf_section_suggest(&conf_sec_group, "gruop", b, sizeof(b)),
			    " (did you mean 'group'?)");
	/* Unimplemented keywords too: a typo of one is still a typo. */
	assert_string_equal(conf_section_suggest(&conf_sec_instance, "use_vmak", b, sizeof(b)),
			    " (did you mean 'use_vmac'?)");
	assert_string_equal(conf_section_suggest(&conf_sec_top, "vrrp_instanse", b, sizeof(b)),
			    " (did you mean 'vrrp_instance'?)");
	/* Too far, or too short to guess. */
	assert_string_equal(conf_section_suggest(&conf_sec_instance, "bananas", b, sizeof(b)), "");
	assert_string_equal(conf_section_suggest(&conf_sec_script, "ab", b, sizeof(b)), "");
}

static void test_vip_options_sorted(void **state)
{
	(void)state;
	assert_true(conf_n_vip_opts > 0);
	for (size_t k = 0; k < conf_n_vip_opts; k++) {
		const struct conf_vip_opt *o = &conf_vip_opts[k];

		if (k)
			assert_true(strcmp(conf_vip_opts[k - 1].name, o->name) < 0);
		if (o->unimpl) {
			assert_null(o->fn);
		} else {
			assert_non_null(o->fn);
			assert_non_null(o->what);
			assert_true(o->value);
		}
	}
}

static void assert_rt_opts(const struct conf_rt_opt *v, size_t n)
{
	assert_true(n > 0);
	for (size_t k = 0; k < n; k++) {
		const struct conf_rt_opt *o = &v[k];

		if (k && strcmp(v[k - 1].name, o->name) >= 0)
			fprintf(stderr, "  '%s' before '%s'\n", v[k - 1].name, o->name);
		if (k)
			assert_true(strcmp(v[k - 1].name, o->name) < 0);
		assert_true(o->kind <= CONF_RT_STATIC);
		/* Only what vrrpd implements has a parser; only refusals say why. */
		assert_true((o->fn != NULL) == (o->kind == CONF_RT_SET));
		assert_true((o->why != NULL) == (o->kind == CONF_RT_REFUSE));
		if (o->kind == CONF_RT_SET || o->kind == CONF_RT_REFUSE)
			assert_true(o->nval == 0 && !o->lock);
		if (o->lock)
			assert_int_equal(o->nval, 1);
	}
}

static void test_route_rule_options(void **state)
{
	(void)state;
	assert_rt_opts(conf_route_opts, conf_n_route_opts);
	assert_rt_opts(conf_rule_opts, conf_n_rule_opts);
}

static void test_values(void **state)
{
	unsigned long u;
	long l;
	uint64_t f;
	uint8_t sc;
	bool b;

	(void)state;
	assert_true(conf_parse_uint("255", 1, 255, &u) && u == 255);
	assert_false(conf_parse_uint("256", 1, 255, &u));
	assert_false(conf_parse_uint("", 0, 9, &u));
	assert_false(conf_parse_uint(" 1", 0, 9, &u));
	assert_false(conf_parse_uint("+1", 0, 9, &u));
	assert_false(conf_parse_uint("99999999999999999999999", 0, ULONG_MAX, &u));
	assert_true(conf_parse_int("-254", -254, 254, &l) && l == -254);
	assert_true(conf_parse_int("+7", -254, 254, &l) && l == 7);
	assert_false(conf_parse_int("-255", -254, 254, &l));
	assert_false(conf_parse_int("-", -254, 254, &l));

	assert_int_equal(conf_parse_fixed("1.5", 2, 25500, &f), CONF_FIX_OK);
	assert_int_equal(f, 150);
	assert_int_equal(conf_parse_fixed(".25", 2, 25500, &f), CONF_FIX_OK);
	assert_int_equal(f, 25);
	assert_int_equal(conf_parse_fixed("2.", 3, 86400000, &f), CONF_FIX_OK);
	assert_int_equal(f, 2000);
	assert_int_equal(conf_parse_fixed("0.001", 2, 25500, &f), CONF_FIX_PRECISION);
	assert_int_equal(conf_parse_fixed("1.500", 2, 25500, &f),
			 CONF_FIX_OK); /* zeros are exact */
	assert_int_equal(conf_parse_fixed("256", 2, 25500, &f), CONF_FIX_RANGE);
	assert_int_equal(conf_parse_fixed("1e3", 2, 25500, &f), CONF_FIX_SYNTAX);
	assert_int_equal(conf_parse_fixed(".", 2, 25500, &f), CONF_FIX_SYNTAX);
	assert_int_equal(conf_parse_fixed("99999999999", 2, 25500, &f), CONF_FIX_RANGE);

	assert_true(conf_parse_bool("Yes", &b) && b);
	assert_true(conf_parse_bool("OFF", &b) && !b);
	assert_true(conf_parse_bool("1", &b) && b);
	assert_true(conf_parse_bool("0", &b) && !b);
	assert_false(conf_parse_bool("2", &b));
	assert_false(conf_parse_bool("", &b));
	assert_true(conf_parse_scope("link", &sc) && sc == RT_SCOPE_LINK);
	assert_true(conf_parse_scope("200", &sc) && sc == 200);
	assert_false(conf_parse_scope("galaxy", &sc));
	assert_true(conf_host_name_ok("mail-1.example.org"));
	assert_false(conf_host_name_ok("a b"));
	assert_false(conf_host_name_ok(""));
}

static void test_net_values(void **state)
{
	uint32_t u;

	(void)state;
	assert_true(conf_parse_u32_base0("0x1F", &u) && u == 31);
	assert_true(conf_parse_u32_base0("010", &u) && u == 8);
	assert_true(conf_parse_u32_base0("0", &u) && u == 0);
	assert_true(conf_parse_u32_base0("4294967295", &u) && u == UINT32_MAX);
	assert_false(conf_parse_u32_base0("4294967296", &u));
	assert_false(conf_parse_u32_base0("0x", &u));
	assert_false(conf_parse_u32_base0("09", &u));
	assert_false(conf_parse_u32_base0("-1", &u));
	assert_false(conf_parse_u32_base0("", &u));
	assert_true(conf_parse_table("main", &u) && u == 0);
	assert_true(conf_parse_table("254", &u) && u == 0);
	assert_true(conf_parse_table("0", &u) && u == 0);
	assert_true(conf_parse_table("local", &u) && u == RT_TABLE_LOCAL);
	assert_true(conf_parse_table("default", &u) && u == RT_TABLE_DEFAULT);
	assert_true(conf_parse_table("100000", &u) && u == 100000);
	assert_false(conf_parse_table("dmz", &u));
	assert_false(conf_parse_table("0x10", &u));
	assert_true(conf_ifname_valid("vrrp.51"));
	assert_true(conf_ifname_valid("0123456789abcde"));
	assert_false(conf_ifname_valid("0123456789abcdef"));
	assert_false(conf_ifname_valid(""));
	assert_false(conf_ifname_valid(".."));
	assert_false(conf_ifname_valid("eth0:1"));
	assert_false(conf_ifname_valid("a b"));
	assert_false(conf_ifname_valid("a/b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables_sorted_unique),
	    cmocka_unit_test(test_entries_complete),
	    cmocka_unit_test(test_lookup),
	    cmocka_unit_test(test_suggest),
	    cmocka_unit_test(test_vip_options_sorted),
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_route_rule_options),
	    cmocka_unit_test(test_net_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
