/* Unit tests for conf/index (src/conf/index.c): positions come back under
 * their hash, in the order they were added, also when hashes collide or
 * the probe sequence wraps around the end of the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "conf/index.h"

/* Collects the positions under H into OUT; returns their count. */
static size_t walk(const struct conf_index *ix, uint64_t h, size_t *out, size_t max)
{
	size_t it = 0, pos, n = 0;

	while (conf_index_next(ix, h, &it, &pos)) {
		assert_true(n < max);
		out[n++] = pos;
	}
	return n;
}

static void test_empty(void **state)
{
	struct conf_index ix;
	size_t got[4];

	(void)state;
	assert_int_equal(conf_index_init(&ix, 0), 0);
	assert_int_equal(walk(&ix, 42, got, 4), 0);
	conf_index_free(&ix);
	/* A freed (or never made) index finds nothing. */
	assert_int_equal(walk(&ix, 42, got, 4), 0);
}

static void test_same_hash_in_order(void **state)
{
	struct conf_index ix;
	size_t got[8];

	(void)state;
	conf_index_xinit(&ix, 8);
	conf_index_add(&ix, 7, 3);
	conf_index_add(&ix, 9, 4);
	conf_index_add(&ix, 7, 1);
	conf_index_add(&ix, 7, 5);
	assert_int_equal(walk(&ix, 7, got, 8), 3);
	assert_int_equal(got[0], 3);
	assert_int_equal(got[1], 1);
	assert_int_equal(got[2], 5);
	assert_int_equal(walk(&ix, 9, got, 8), 1);
	assert_int_equal(got[0], 4);
	assert_int_equal(walk(&ix, 8, got, 8), 0);
	conf_index_free(&ix);
}

/* Hashes whose home slot is the last one wrap around to slot 0. */
static void test_wraps_around(void **state)
{
	struct conf_index ix;
	size_t got[8];
	uint64_t last;

	(void)state;
	conf_index_xinit(&ix, 4); /* 8 slots */
	last = ix.mask;
	conf_index_add(&ix, last, 10);
	conf_index_add(&ix, last, 11);
	conf_index_add(&ix, last + ix.mask + 1, 12); /* same home slot, other hash */
	conf_index_add(&ix, 0, 13);		     /* home slot 0, already taken */
	assert_int_equal(walk(&ix, last, got, 8), 2);
	assert_int_equal(got[0], 10);
	assert_int_equal(got[1], 11);
	assert_int_equal(walk(&ix, last + ix.mask + 1, got, 8), 1);
	assert_int_equal(got[0], 12);
	assert_int_equal(walk(&ix, 0, got, 8), 1);
	assert_int_equal(got[0], 13);
	conf_index_free(&ix);
}

static void test_many_names(void **state)
{
	enum { N = 100000 };
	struct conf_index ix;
	char name[32];

	(void)state;
	conf_index_xinit(&ix, N);
	for (size_t k = 0; k < N; k++) {
		snprintf(name, sizeof(name), "VI_%zu", k);
		conf_index_add(&ix, conf_hash_str(name), k);
	}
	for (size_t k = 0; k < N; k += 997) {
		size_t it = 0, pos, hits = 0;
		bool found = false;

		snprintf(name, sizeof(name), "VI_%zu", k);
		while (conf_index_next(&ix, conf_hash_str(name), &it, &pos)) {
			found |= pos == k;
			hits++;
		}
		assert_true(found);
		assert_int_equal(hits, 1); /* no two of these names share a 64-bit hash */
	}
	conf_index_free(&ix);
}

static void test_hash(void **state)
{
	const char a[] = "eth0";
	uint8_t vrid = 51;

	(void)state;
	assert_true(conf_hash_str("VI_1") == conf_hash("VI_1", 4, CONF_HASH_SEED));
	assert_true(conf_hash_str("VI_1") != conf_hash_str("VI_2"));
	assert_true(conf_hash_str("") != conf_hash_str("a"));
	/* Chained fields: the seed carries the first into the second. */
	assert_true(conf_hash(&vrid, 1, conf_hash(a, 4, CONF_HASH_SEED)) !=
		    conf_hash(&vrid, 1, conf_hash("eth1", 4, CONF_HASH_SEED)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),	 cmocka_unit_test(test_same_hash_in_order),
	    cmocka_unit_test(test_wraps_around), cmocka_unit_test(test_many_names),
	    cmocka_unit_test(test_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
