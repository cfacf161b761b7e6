/* Unit tests for core/handover.c (the restart's state record and the
 * resume decision) and vrrp_resume_master. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/handover.h"
#include "core/vrrp.h"

static struct handover *two(void)
{
	struct handover *h = calloc(1, sizeof(*h));

	h->written_at = 5 * VTIME_SEC;
	h->n = 2;
	strcpy(h->inst[0].name, "VI_1");
	strcpy(h->inst[0].ifname, "eth0");
	h->inst[0].vrid = 51;
	h->inst[0].family = AF_INET;
	h->inst[0].state = 2;
	h->inst[0].since = VTIME_SEC;
	h->inst[0].last_advert = 5 * VTIME_SEC - 10;
	h->inst[0].conf_hash = 0x1122334455667788ULL;
	strcpy(h->inst[1].name, "VI_6");
	strcpy(h->inst[1].ifname, "eth1");
	h->inst[1].vrid = 7;
	h->inst[1].family = AF_INET6;
	h->inst[1].state = 1;
	return h;
}

static size_t encode(const struct handover *h, uint8_t **buf)
{
	size_t cap = handover_size(h);

	*buf = malloc(cap);
	size_t len = handover_encode(h, *buf, cap);
	assert_int_equal(len, cap);
	return len;
}

static void round_trip(void **state)
{
	struct handover *h = two(), *g = calloc(1, sizeof(*g));
	uint8_t *buf;
	size_t len = encode(h, &buf);

	(void)state;
	assert_int_equal(handover_decode(buf, len, g), HANDOVER_OK);
	assert_int_equal(g->n, 2);
	assert_int_equal(g->written_at, h->written_at);
	assert_memory_equal(&g->inst[0], &h->inst[0], sizeof(h->inst[0]));
	assert_memory_equal(&g->inst[1], &h->inst[1], sizeof(h->inst[1]));
	assert_ptr_equal(handover_find(g, "VI_6"), &g->inst[1]);
	assert_null(handover_find(g, "VI_2"));
	assert_int_equal(handover_encode(h, buf, len - 1), 0); /* does not fit */
	free(buf);
	free(h);
	free(g);
}

static void every_truncation_is_refused(void **state)
{
	struct handover *h = two(), *g = calloc(1, sizeof(*g));
	uint8_t *buf;
	size_t len = encode(h, &buf);

	(void)state;
	for (size_t n = 0; n < len; n++) {
		enum handover_err e = handover_decode(buf, n, g);
		assert_int_not_equal(e, HANDOVER_OK);
		assert_int_equal(g->n, 0);
	}
	free(buf);
	free(h);
	free(g);
}

static void every_flipped_byte_is_refused(void **state)
{
	struct handover *h = two(), *g = calloc(1, sizeof(*g));
	uint8_t *buf;
	size_t len = encode(h, &buf);

	(void)state;
	for (size_t i = 0; i < len; i++) {
		buf[i] ^= 0x5a;
		assert_int_not_equal(handover_decode(buf, len, g), HANDOVER_OK);
		buf[i] ^= 0x5a;
	}
	buf[40] ^= 1; /* in the body: the checksum says so */
	assert_int_equal(handover_decode(buf, len, g), HANDOVER_ERR_CHECKSUM);
	buf[40] ^= 1;
	buf[0] = 'X';
	assert_int_equal(handover_decode(buf, len, g), HANDOVER_ERR_MAGIC);
	free(buf);
	free(h);
	free(g);
}

static void another_version_is_refused(void **state)
{
	struct handover *h = two(), *g = calloc(1, sizeof(*g));
	uint8_t *buf;
	size_t len = encode(h, &buf);

	(void)state;
	buf[8] = HANDOVER_VERSION + 1;
	assert_int_equal(handover_decode(buf, len, g), HANDOVER_ERR_VERSION);
	assert_int_equal(g->n, 0);
	assert_string_equal(handover_err_str(HANDOVER_ERR_VERSION), "another format version");
	free(buf);
	free(h);
	free(g);
}

static void hash_is_fnv1a(void **state)
{
	(void)state;
	assert_int_equal(handover_hash(HANDOVER_HASH_INIT, "", 0), 0xcbf29ce484222325ULL);
	assert_int_equal(handover_hash(HANDOVER_HASH_INIT, "a", 1), 0xaf63dc4c8601ec8cULL);
}

static void decide(void **state)
{
	struct handover *h = two();
	struct handover_key k = {.name = "VI_1",
				 .ifname = "eth0",
				 .vrid = 51,
				 .family = AF_INET,
				 .conf_hash = 0x1122334455667788ULL,
				 .adver_int = 100 * VTIME_MSEC};
	vtime_t last = h->inst[0].last_advert;
	char why[128];

	(void)state;
	assert_int_equal(handover_decide(&h->inst[0], &k, last + 3 * VTIME_MSEC, why, sizeof(why)),
			 1);
	/* the handover took longer than one advert interval */
	assert_int_equal(handover_decide(&h->inst[0], &k, last + k.adver_int, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "since its last advert"));
	assert_int_equal(handover_decide(&h->inst[0], &k, last - 1, why, sizeof(why)), 0);
	assert_int_equal(handover_decide(NULL, &k, last, why, sizeof(why)), 0);
	assert_int_equal(handover_decide(&h->inst[1], &k, last, why, sizeof(why)), 0);
	assert_string_equal(why, "was not master");
	k.conf_hash ^= 1; /* e.g. its priority changed */
	assert_int_equal(handover_decide(&h->inst[0], &k, last + 1, why, sizeof(why)), 0);
	assert_string_equal(why, "its configuration changed");
	k.conf_hash ^= 1;
	k.vrid = 52;
	assert_int_equal(handover_decide(&h->inst[0], &k, last + 1, why, sizeof(why)), 0);
	k.vrid = 51;
	k.ifname = "eth1";
	assert_int_equal(handover_decide(&h->inst[0], &k, last + 1, why, sizeof(why)), 0);
	h->inst[0].last_advert = 0;
	k.ifname = "eth0";
	assert_int_equal(handover_decide(&h->inst[0], &k, last + 1, why, sizeof(why)), 0);
	free(h);
}

static void resume_master_keeps_the_schedule(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_params p = {.version = 3, .vrid = 1, .priority = 150, .adver_int_cs = 10};
	struct vrrp_actions acts = {0};
	vtime_t now = 10 * VTIME_SEC;

	(void)state;
	vrrp_init(&vi, &p);
	vrrp_resume_master(&vi, now, VTIME_SEC, now + 40 * VTIME_MSEC, "resumed after restart");
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_int_equal(vi.since, VTIME_SEC);
	assert_int_equal(vi.timer_at, now + 40 * VTIME_MSEC);
	assert_int_equal(vi.master_prio, 150);
	vrrp_timer(&vi, vi.timer_at, &acts); /* the next advert, at its own priority */
	assert_int_equal(acts.n, 1);
	assert_int_equal(acts.a[0].kind, VRRP_ACT_SEND_ADVERT);
	assert_int_equal(acts.a[0].priority, 150);
	/* a second resume (not from INIT) changes nothing */
	vtime_t t = vi.timer_at;
	vrrp_resume_master(&vi, now, now, now, "again");
	assert_int_equal(vi.timer_at, t);
	/* an overdue advert goes now */
	vrrp_init(&vi, &p);
	vrrp_resume_master(&vi, now, now + 1, now - 1, "late");
	assert_int_equal(vi.timer_at, now);
	assert_int_equal(vi.since, now);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(every_truncation_is_refused),
	    cmocka_unit_test(every_flipped_byte_is_refused),
	    cmocka_unit_test(another_version_is_refused),
	    cmocka_unit_test(hash_is_fnv1a),
	    cmocka_unit_test(decide),
	    cmocka_unit_test(resume_master_keeps_the_schedule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
