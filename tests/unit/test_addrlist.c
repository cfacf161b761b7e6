/* Unit tests for core/addrlist.c (conformance 24). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>

#include "core/addrlist.h"

static void advert_of(struct pkt_advert *adv, uint8_t *buf, const char *const *a, size_t n)
{
	memset(adv, 0, sizeof(*adv));
	adv->family = AF_INET;
	adv->naddr = (uint8_t)n;
	for (size_t i = 0; i < n; i++) {
		struct vaddr v;
		assert_int_equal(addr_parse(a[i], &v), 0);
		memcpy(buf + 4 * i, v.u.b, 4);
	}
	adv->addrs = buf;
}

static void ours_of(struct vaddr *v, const char *const *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(addr_parse(a[i], &v[i]), 0);
}

static void same_set_in_any_order(void **state)
{
	const char *const theirs[] = {"192.0.2.11", "192.0.2.10"};
	const char *const mine[] = {"192.0.2.10", "192.0.2.11"};
	struct pkt_advert adv;
	uint8_t buf[64];
	struct vaddr ours[2];

	(void)state;
	advert_of(&adv, buf, theirs, 2);
	ours_of(ours, mine, 2);
	assert_true(addrlist_same(&adv, ours, 2));
}

static void count_or_member_differs(void **state)
{
	const char *const theirs[] = {"192.0.2.10", "192.0.2.12"};
	const char *const mine[] = {"192.0.2.10", "192.0.2.11", "192.0.2.12"};
	struct pkt_advert adv;
	uint8_t buf[64];
	struct vaddr ours[3];

	(void)state;
	advert_of(&adv, buf, theirs, 2);
	ours_of(ours, mine, 3);
	assert_false(addrlist_same(&adv, ours, 3)); /* fewer */
	assert_false(addrlist_same(&adv, ours, 2)); /* .12 is not among our first two */
	ours[1] = ours[2];
	assert_true(addrlist_same(&adv, ours, 2));
}

static void other_family_never_matches(void **state)
{
	const char *const theirs[] = {"192.0.2.10"};
	struct pkt_advert adv;
	uint8_t buf[64];
	struct vaddr ours[1];

	(void)state;
	advert_of(&adv, buf, theirs, 1);
	assert_int_equal(addr_parse("2001:db8::1", &ours[0]), 0);
	assert_false(addrlist_same(&adv, ours, 1));
}

/* check_unicast_src: is an advert's source one of the unicast peers? */
static void has_peer(void **state)
{
	const char *const peers[] = {"192.0.2.2", "2001:db8::2", "192.0.2.3"};
	struct vaddr list[3], a;

	(void)state;
	ours_of(list, peers, 3);
	assert_int_equal(addr_parse("192.0.2.3", &a), 0);
	assert_true(addrlist_has(list, 3, &a));
	assert_int_equal(addr_parse("2001:db8::2", &a), 0);
	assert_true(addrlist_has(list, 3, &a));
	assert_int_equal(addr_parse("192.0.2.66", &a), 0);
	assert_false(addrlist_has(list, 3, &a));
	assert_int_equal(addr_parse("2001:db8::3", &a), 0);
	assert_false(addrlist_has(list, 3, &a));
	assert_false(addrlist_has(list, 0, &a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(has_peer),
	    cmocka_unit_test(same_set_in_any_order),
	    cmocka_unit_test(count_or_member_differs),
	    cmocka_unit_test(other_family_never_matches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
