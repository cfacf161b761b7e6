/* Unit tests for keepalived's knobs on the state machine (src/core/vrrp.c)
 * that change who becomes master and when: down_timer_adverts,
 * owner_ignore_adverts and timer_expired_backup. Fake clock; rule numbers refer to
 * docs/conformance.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/vrrp.h"

#define US(cs) ((vtime_t)(cs)*10000ULL)
#define T0     ((vtime_t)1000000000ULL)

static struct vaddr ip(const char *s)
{
	struct vaddr a;
	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static void setup(struct vrrp_instance *vi, uint8_t version, uint8_t prio, uint8_t down,
		  bool ignore)
{
	struct vrrp_params p = {.version = version,
				.vrid = 51,
				.priority = prio,
				.adver_int_cs = 100,
				.preempt = true,
				.down_timer_adverts = down,
				.owner_ignore_adverts = ignore};
	vrrp_init(vi, &p);
	vi->primary = ip("192.0.2.2");
}

static struct pkt_advert adv(uint8_t version, uint8_t prio, uint16_t interval)
{
	return (struct pkt_advert){.version = version,
				   .vrid = 51,
				   .priority = prio,
				   .naddr = 1,
				   .adver_int = interval,
				   .family = AF_INET};
}

/* Master_Down_Interval = N x Master_Adver_Interval + Skew_Time (29), N = 3
 * when unset, as the RFC says. */
static void down_interval(void **state)
{
	(void)state;
	struct vrrp_instance vi;
	static const uint8_t ns[] = {0, 1, 3, 5, 100};

	for (size_t k = 0; k < sizeof(ns); k++) {
		vtime_t n = ns[k] ? ns[k] : 3;
		setup(&vi, 3, 100, ns[k], false);
		assert_int_equal(vrrp_master_down_interval(&vi), n * US(100) + 609375);
		setup(&vi, 2, 100, ns[k], false);
		assert_int_equal(vrrp_master_down_interval(&vi), n * 1000000 + 609375);
	}
}

/* A Backup with down_timer_adverts 5 takes over 5 intervals + skew after
 * the last advert, at the learned (v3) interval, not before. */
static void backup_waits_n(void **state)
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct pkt_advert a = adv(3, 200, 50); /* the master advertises every 0.5 s */
	struct vaddr m = ip("192.0.2.9");

	setup(&vi, 3, 100, 5, false);
	vrrp_startup(&vi, T0, &acts);
	assert_int_equal(vi.timer_at, T0 + 5 * US(100) + 609375); /* from startup */
	assert_int_equal(vrrp_recv(&vi, T0 + 1000, &a, &m, &acts), PKT_OK);
	vtime_t due = T0 + 1000 + 5 * US(50) + (156 * US(50)) / 256;
	assert_int_equal(vi.timer_at, due);
	acts.n = 0;
	vrrp_timer(&vi, due - 1, &acts);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_int_equal(acts.n, 0);
	vrrp_timer(&vi, due, &acts);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
}

/* An owner with owner_ignore_adverts drops every advert, so that it never
 * yields, even to another 255 with a higher address (45); without it, it
 * yields as the RFC says. A non-owner is not affected. */
static void owner_ignores(void **state)
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct pkt_advert a = adv(3, 255, 100);
	struct vaddr hi = ip("192.0.2.200");

	setup(&vi, 3, 255, 0, true);
	vrrp_startup(&vi, T0, &acts);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	vtime_t next = vi.timer_at;
	acts.n = 0;
	assert_int_equal(vrrp_recv(&vi, T0 + 10, &a, &hi, &acts), PKT_DROP_OWNER_IGNORES);
	assert_int_equal(acts.n, 0);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_int_equal(vi.timer_at, next);
	a.priority = 0; /* not even a stepping-down master is answered */
	assert_int_equal(vrrp_recv(&vi, T0 + 20, &a, &hi, &acts), PKT_DROP_OWNER_IGNORES);
	assert_int_equal(acts.n, 0);
	/* our own adverts are still "own" first */
	assert_int_equal(vrrp_recv(&vi, T0 + 30, &a, &vi.primary, &acts), PKT_DROP_OWN);

	a.priority = 255;
	setup(&vi, 3, 255, 0, false);
	vrrp_startup(&vi, T0, &acts);
	acts.n = 0;
	assert_int_equal(vrrp_recv(&vi, T0 + 10, &a, &hi, &acts), PKT_OK);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);

	setup(&vi, 3, 200, 0, true); /* the flag means nothing below 255 */
	vrrp_startup(&vi, T0, &acts);
	assert_int_equal(vrrp_recv(&vi, T0 + 10, &a, &hi, &acts), PKT_OK);
	assert_int_equal(vi.master_prio, 255);
}

/* timer_expired_backup 200: a Master whose Adver_Timer fires 3 intervals
 * + Skew_Time(200) after its last advert goes to Backup (no advert, VIPs
 * removed); a little less late, it advertises as usual. */
static void expired_backup(void **state)
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vrrp_params p = {.version = 3,
				.vrid = 51,
				.priority = 100,
				.adver_int_cs = 100,
				.expired_backup_prio = 200};

	vrrp_init(&vi, &p);
	vi.primary = ip("192.0.2.2");
	vrrp_startup(&vi, T0, &acts);
	vrrp_timer(&vi, vi.timer_at, &acts);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	vtime_t sent = vi.timer_at - US(100);
	vtime_t limit = 3 * US(100) + (56 * US(100)) / 256; /* 3.21875 s */
	acts.n = 0;
	vrrp_timer(&vi, sent + limit - 1, &acts); /* late, but not that late */
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_int_equal(acts.n, 1);
	assert_int_equal(acts.a[0].kind, VRRP_ACT_SEND_ADVERT);
	sent = vi.timer_at - US(100);
	acts.n = 0;
	vrrp_timer(&vi, sent + limit, &acts);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_int_equal(acts.n, 2);
	assert_int_equal(acts.a[0].kind, VRRP_ACT_DEL_VIPS);
	assert_int_equal(acts.a[1].kind, VRRP_ACT_STATE);
	assert_non_null(strstr(vi.reason, "timer_expired_backup"));
	/* off: advertises however late */
	p.expired_backup_prio = 0;
	vrrp_init(&vi, &p);
	vrrp_startup(&vi, T0, &acts);
	vrrp_timer(&vi, vi.timer_at, &acts);
	acts.n = 0;
	vrrp_timer(&vi, vi.timer_at + 100 * US(100), &acts);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(down_interval),
	    cmocka_unit_test(backup_waits_n),
	    cmocka_unit_test(owner_ignores),
	    cmocka_unit_test(expired_backup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
