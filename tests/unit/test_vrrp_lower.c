/* The state machine's answer to lower-priority adverts as Master
 * (VRRP_ACT_RX_LOWER, garp_lower_prio_*): rate-limited to one per half
 * Advertisement_Interval, and one held back by that limit comes with the
 * next advert, so that the master that stays has the last word on the LAN
 * (found by the chaos lab: the other master's gratuitous ARP came after
 * our first answer, and its yielding advert was held back). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/vrrp.h"

#define T0 ((vtime_t)1000000000ULL)

static struct vaddr ip(const char *s)
{
	struct vaddr a;
	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static unsigned count(const struct vrrp_actions *acts, enum vrrp_action_kind k)
{
	unsigned n = 0;
	for (unsigned i = 0; i < acts->n; i++)
		n += acts->a[i].kind == k;
	return n;
}

/* A Master of VRID 51 at advert_int 1 s, priority 150. */
static void master(struct vrrp_instance *vi, vtime_t *now)
{
	struct vrrp_params p = {.version = 3,
				.vrid = 51,
				.priority = 150,
				.adver_int_cs = 100,
				.preempt = true,
				.rx_lower_event = true};
	struct vrrp_actions acts = {0};

	vrrp_init(vi, &p);
	vi->primary = ip("192.0.2.2");
	vrrp_startup(vi, T0, &acts);
	*now = vi->timer_at;
	acts.n = 0;
	vrrp_timer(vi, *now, &acts);
	assert_int_equal(vi->state, VRRP_STATE_MASTER);
}

static void lower(struct vrrp_instance *vi, vtime_t t, struct vrrp_actions *acts)
{
	struct pkt_advert a = {.version = 3,
			       .vrid = 51,
			       .priority = 50,
			       .naddr = 1,
			       .adver_int = 100,
			       .family = AF_INET};
	struct vaddr s = ip("192.0.2.1");

	acts->n = 0;
	vrrp_recv(vi, t, &a, &s, acts);
	assert_int_equal(vi->state, VRRP_STATE_MASTER);
}

static void held_back_answer_comes_with_the_next_advert(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	vtime_t now;

	(void)state;
	master(&vi, &now);
	lower(&vi, now + 1000, &acts); /* the other master's takeover advert */
	assert_int_equal(count(&acts, VRRP_ACT_RX_LOWER), 1);
	lower(&vi, now + 1200, &acts); /* its yielding advert, 0.2 ms later */
	assert_int_equal(count(&acts, VRRP_ACT_RX_LOWER), 0);
	vtime_t next = vi.timer_at;
	acts.n = 0;
	vrrp_timer(&vi, next, &acts);
	assert_int_equal(acts.n, 2);
	assert_int_equal(acts.a[0].kind, VRRP_ACT_SEND_ADVERT);
	assert_int_equal(acts.a[1].kind, VRRP_ACT_RX_LOWER);
	/* said once: the advert after that is only an advert */
	acts.n = 0;
	vrrp_timer(&vi, vi.timer_at, &acts);
	assert_int_equal(acts.n, 1);
	assert_int_equal(acts.a[0].kind, VRRP_ACT_SEND_ADVERT);
}

static void nothing_held_back_nothing_more(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	vtime_t now;

	(void)state;
	master(&vi, &now);
	lower(&vi, now + 1000, &acts);
	assert_int_equal(count(&acts, VRRP_ACT_RX_LOWER), 1);
	acts.n = 0;
	vrrp_timer(&vi, vi.timer_at, &acts);
	assert_int_equal(acts.n, 1);
	assert_int_equal(acts.a[0].kind, VRRP_ACT_SEND_ADVERT);
}

static void a_flood_is_not_amplified(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	vtime_t now, end;
	unsigned events = 0;

	(void)state;
	master(&vi, &now);
	end = now + 10 * 1000000; /* 10 s of lower adverts, one per ms */
	for (vtime_t t = now + 1; t < end; t += 1000) {
		if (t >= vi.timer_at) {
			acts.n = 0;
			vrrp_timer(&vi, vi.timer_at, &acts);
			events += count(&acts, VRRP_ACT_RX_LOWER);
		}
		lower(&vi, t, &acts);
		events += count(&acts, VRRP_ACT_RX_LOWER);
	}
	/* at most two per advert interval (the half-interval limit, and the
	 * one held back that comes with the advert) */
	assert_true(events >= 10 && events <= 21);
}

static void without_rx_lower_event_nothing_is_held(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	vtime_t now;

	(void)state;
	master(&vi, &now);
	vi.p.rx_lower_event = false;
	lower(&vi, now + 1000, &acts);
	lower(&vi, now + 1200, &acts);
	assert_int_equal(count(&acts, VRRP_ACT_RX_LOWER), 0);
	acts.n = 0;
	vrrp_timer(&vi, vi.timer_at, &acts);
	assert_int_equal(acts.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(held_back_answer_comes_with_the_next_advert),
	    cmocka_unit_test(nothing_held_back_nothing_more),
	    cmocka_unit_test(a_flood_is_not_amplified),
	    cmocka_unit_test(without_rx_lower_event_nothing_is_held),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
