/* Unit tests for the state machine (src/vrrp.c) with a fake clock.
 * Rule numbers refer to docs/conformance.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/vrrp.h"

#define US(cs) ((vtime_t)(cs)*10000ULL)
#define T0     ((vtime_t)1000000000ULL) /* an arbitrary monotonic "now" */

static struct vaddr ip(const char *s)
{
	struct vaddr a;
	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static void setup_vi(struct vrrp_instance *vi, uint8_t version, uint8_t prio, uint16_t int_cs)
{
	struct vrrp_params p = {.version = version,
				.vrid = 51,
				.priority = prio,
				.adver_int_cs = int_cs,
				.preempt = true};
	vrrp_init(vi, &p);
	vi->primary = ip("192.0.2.2");
}

static struct pkt_advert adv(uint8_t version, uint8_t prio, uint16_t interval)
{
	struct pkt_advert a = {.version = version,
			       .vrid = 51,
			       .priority = prio,
			       .naddr = 1,
			       .adver_int = interval,
			       .family = AF_INET};
	return a;
}

/* Asserts the action kinds, in order. */
static void assert_acts(const struct vrrp_actions *acts, unsigned n, ...)
{
	va_list ap;
	assert_int_equal(acts->n, n);
	va_start(ap, n);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(acts->a[i].kind, va_arg(ap, int));
	va_end(ap);
}

/* Brings an instance up as Master through a Master_Down_Timer expiry. */
static void make_master(struct vrrp_instance *vi, vtime_t *now)
{
	struct vrrp_actions acts = {0};
	vrrp_startup(vi, *now, &acts);
	*now = vi->timer_at;
	acts.n = 0;
	vrrp_timer(vi, *now, &acts);
	assert_int_equal(vi->state, VRRP_STATE_MASTER);
}

static void test_skew_v3_table(void **state) /* 27, 29 */
{
	(void)state;
	struct vrrp_instance vi;
	static const struct {
		uint8_t prio;
		uint16_t cs;
		vtime_t skew_us;
	} rows[] = {
	    {100, 100, 609375}, /* (156 * 1 s) / 256 */
	    {254, 10, 781},	/* about 0.8 ms, never 0 */
	    {1, 4095, 40790039}, {255, 100, 3906}, {150, 20, 82812},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		setup_vi(&vi, 3, rows[i].prio, rows[i].cs);
		assert_int_equal(vrrp_skew_time(&vi), rows[i].skew_us);
		assert_int_equal(vrrp_master_down_interval(&vi),
				 3 * US(rows[i].cs) + rows[i].skew_us);
	}
}

static void test_skew_v2_fractional(void **state) /* 28: not integer seconds */
{
	(void)state;
	struct vrrp_instance vi;
	setup_vi(&vi, 2, 100, 300); /* 3 s interval: skew must not scale with it */
	assert_int_equal(vrrp_skew_time(&vi), 609375);
	assert_int_equal(vrrp_master_down_interval(&vi), 9000000 + 609375);
	setup_vi(&vi, 2, 254, 100);
	assert_int_equal(vrrp_skew_time(&vi), 7812);
}

static void test_startup_owner_becomes_master(void **state) /* 35 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	setup_vi(&vi, 3, 255, 100);
	vrrp_startup(&vi, T0, &acts);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_acts(&acts, 4, VRRP_ACT_SEND_ADVERT, VRRP_ACT_ADD_VIPS, VRRP_ACT_GARP,
		    VRRP_ACT_STATE);
	assert_int_equal(acts.a[0].priority, 255);
	assert_int_equal(acts.a[3].from, VRRP_STATE_INIT);
	assert_int_equal(vi.timer_at, T0 + US(100));
}

static void test_startup_backup(void **state) /* 30, 36 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	setup_vi(&vi, 3, 100, 20);
	vi.master_adver_int_cs = 999; /* must be reset to Advertisement_Interval */
	vrrp_startup(&vi, T0, &acts);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_acts(&acts, 1, VRRP_ACT_STATE);
	assert_int_equal(vi.master_adver_int_cs, 20);
	assert_int_equal(vi.timer_at, T0 + 3 * US(20) + (156 * US(20)) / 256);
}

static void test_backup_down_timer_becomes_master(void **state) /* 37 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	setup_vi(&vi, 3, 100, 100);
	vrrp_startup(&vi, T0, &acts);
	vtime_t due = vi.timer_at;
	acts.n = 0;
	vrrp_timer(&vi, due - 1, &acts); /* not yet */
	assert_int_equal(acts.n, 0);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	vrrp_timer(&vi, due, &acts);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_acts(&acts, 4, VRRP_ACT_SEND_ADVERT, VRRP_ACT_ADD_VIPS, VRRP_ACT_GARP,
		    VRRP_ACT_STATE);
	assert_int_equal(acts.a[0].priority, 100);
	assert_int_equal(vi.timer_at, due + US(100));
	assert_non_null(strstr(vi.reason, "no master heard"));
}

static void test_backup_prio0_waits_skew(void **state) /* 38 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.1");
	setup_vi(&vi, 3, 100, 100);
	vrrp_startup(&vi, T0, &acts);
	struct pkt_advert a = adv(3, 150, 100);
	assert_int_equal(vrrp_recv(&vi, T0 + 100, &a, &m, &acts), PKT_OK);
	a.priority = 0;
	acts.n = 0;
	assert_int_equal(vrrp_recv(&vi, T0 + 200, &a, &m, &acts), PKT_OK);
	assert_int_equal(acts.n, 0);
	assert_int_equal(vi.timer_at, T0 + 200 + vrrp_skew_time(&vi));
	vrrp_timer(&vi, vi.timer_at, &acts);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_non_null(strstr(vi.reason, "stepped down"));
}

static void test_backup_higher_or_equal_resets_and_learns(void **state) /* 31, 39 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.9"); /* higher address but equal priority: no preempt */
	setup_vi(&vi, 3, 100, 100);
	vrrp_startup(&vi, T0, &acts);
	struct pkt_advert a = adv(3, 100, 50);
	acts.n = 0;
	assert_int_equal(vrrp_recv(&vi, T0 + 1000, &a, &m, &acts), PKT_OK);
	assert_int_equal(acts.n, 0);
	assert_int_equal(vi.master_adver_int_cs, 50);
	assert_int_equal(vi.timer_at, T0 + 1000 + 3 * US(50) + (156 * US(50)) / 256);
	assert_true(addr_eq(&vi.master, &m));
	/* The skew uses the local priority, not the master's (33). */
	a.priority = 200;
	vrrp_recv(&vi, T0 + 2000, &a, &m, &acts);
	assert_int_equal(vi.timer_at, T0 + 2000 + 3 * US(50) + (156 * US(50)) / 256);
}

static void test_backup_lower_discarded_then_preempts(void **state) /* 40 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.1");
	setup_vi(&vi, 3, 100, 100);
	vrrp_startup(&vi, T0, &acts);
	vtime_t due = vi.timer_at;
	struct pkt_advert a = adv(3, 50, 100);
	assert_int_equal(vrrp_recv(&vi, T0 + 500000, &a, &m, &acts), PKT_OK);
	assert_int_equal(vi.timer_at, due); /* not reset */
	acts.n = 0;
	vrrp_timer(&vi, due, &acts);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_non_null(strstr(vi.reason, "preempting master 192.0.2.1 (priority 50 < 100)"));
}

static void test_nopreempt_obeys_lower(void **state) /* 39 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.1");
	setup_vi(&vi, 3, 100, 100);
	vi.p.preempt = false;
	vrrp_startup(&vi, T0, &acts);
	struct pkt_advert a = adv(3, 50, 100);
	vrrp_recv(&vi, T0 + 500000, &a, &m, &acts);
	assert_int_equal(vi.timer_at, T0 + 500000 + vrrp_master_down_interval(&vi));
	/* Keeps obeying as long as adverts come. */
	for (int i = 1; i <= 10; i++) {
		vtime_t t = T0 + 500000 + (vtime_t)i * US(100);
		vrrp_timer(&vi, t, &acts);
		vrrp_recv(&vi, t, &a, &m, &acts);
		assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	}
}

static void test_owner_always_preempts(void **state) /* 41 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.9");
	setup_vi(&vi, 3, 255, 100);
	vi.p.preempt = false;
	vrrp_startup(&vi, T0, &acts);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	/* An owner that lost a tie-break to another owner, then hears a lower
	 * master, preempts even with nopreempt. */
	struct pkt_advert a = adv(3, 255, 100);
	vrrp_recv(&vi, T0 + 10, &a, &m, &acts);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	vtime_t due = vi.timer_at;
	a.priority = 100;
	vrrp_recv(&vi, T0 + 20, &a, &m, &acts);
	assert_int_equal(vi.timer_at, due);
}

static void test_backup_shutdown(void **state) /* 42 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	setup_vi(&vi, 3, 100, 100);
	vrrp_startup(&vi, T0, &acts);
	acts.n = 0;
	vrrp_shutdown(&vi, T0 + 1, &acts);
	assert_int_equal(vi.state, VRRP_STATE_INIT);
	assert_int_equal(vi.timer_at, 0);
	assert_acts(&acts, 1, VRRP_ACT_STATE);
}

static void test_master_adver_timer_own_interval(void **state) /* 32, 43 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	vtime_t now = T0;
	setup_vi(&vi, 3, 100, 100);
	vi.master_adver_int_cs = 7; /* a learned value must not pace a Master */
	make_master(&vi, &now);
	for (int i = 0; i < 5; i++) {
		now = vi.timer_at;
		acts.n = 0;
		vrrp_timer(&vi, now, &acts);
		assert_acts(&acts, 1, VRRP_ACT_SEND_ADVERT);
		assert_int_equal(acts.a[0].priority, 100);
		assert_int_equal(vi.timer_at, now + US(100));
	}
}

static void test_master_hears_prio0_reasserts(void **state) /* 43 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.9");
	vtime_t now = T0;
	setup_vi(&vi, 3, 100, 100);
	make_master(&vi, &now);
	struct pkt_advert a = adv(3, 0, 100);
	acts.n = 0;
	vrrp_recv(&vi, now + 5, &a, &m, &acts);
	assert_acts(&acts, 1, VRRP_ACT_SEND_ADVERT);
	assert_int_equal(vi.timer_at, now + 5 + US(100));
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
}

static void test_master_yields_to_higher(void **state) /* 44 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.1");
	vtime_t now = T0;
	setup_vi(&vi, 3, 100, 100);
	make_master(&vi, &now);
	struct pkt_advert a = adv(3, 150, 25);
	acts.n = 0;
	vrrp_recv(&vi, now + 5, &a, &m, &acts);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_acts(&acts, 2, VRRP_ACT_DEL_VIPS, VRRP_ACT_STATE);
	assert_int_equal(acts.a[1].from, VRRP_STATE_MASTER);
	assert_int_equal(vi.master_adver_int_cs, 25); /* v3 learns it */
	assert_int_equal(vi.timer_at, now + 5 + 3 * US(25) + (156 * US(25)) / 256);
	assert_non_null(strstr(vi.reason, "higher priority master 192.0.2.1 (priority 150 > 100)"));
}

static void test_tiebreak_by_address(void **state) /* 44, 45 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	vtime_t now = T0;
	struct pkt_advert a = adv(3, 100, 100);

	/* .10 > .9 as unsigned network-order bytes (a string compare says otherwise). */
	setup_vi(&vi, 3, 100, 100);
	vi.primary = ip("192.0.2.9");
	make_master(&vi, &now);
	struct vaddr hi = ip("192.0.2.10");
	vrrp_recv(&vi, now + 1, &a, &hi, &acts);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);

	/* Equal priority, lower address: we stay and reassert (46). */
	setup_vi(&vi, 3, 100, 100);
	vi.primary = ip("192.0.2.10");
	now = T0;
	make_master(&vi, &now);
	struct vaddr lo = ip("192.0.2.9");
	acts.n = 0;
	vrrp_recv(&vi, now + 1, &a, &lo, &acts);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_acts(&acts, 1, VRRP_ACT_SEND_ADVERT);

	/* IPv6 link-local: fe80::2 beats fe80::1. */
	setup_vi(&vi, 3, 100, 100);
	vi.primary = ip("fe80::1");
	now = T0;
	make_master(&vi, &now);
	struct vaddr v6 = ip("fe80::2");
	a.family = AF_INET6;
	vrrp_recv(&vi, now + 1, &a, &v6, &acts);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_non_null(strstr(vi.reason, "equal priority"));
}

static void test_master_lower_reasserts_unless_configured(void **state) /* 46 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.1");
	vtime_t now = T0;
	setup_vi(&vi, 3, 100, 100);
	vi.p.lower_prio_no_advert = true;
	make_master(&vi, &now);
	vtime_t due = vi.timer_at;
	struct pkt_advert a = adv(3, 50, 100);
	acts.n = 0;
	vrrp_recv(&vi, now + 1, &a, &m, &acts);
	assert_int_equal(acts.n, 0);
	assert_int_equal(vi.timer_at, due);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
}

/* A lower master is answered at once without moving our own pace, and a
 * flood of lower adverts is answered at most once per quarter interval. */
static void test_master_lower_keeps_pace(void **state) /* 46 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.1");
	vtime_t now = T0;
	setup_vi(&vi, 3, 100, 100);
	make_master(&vi, &now);
	vtime_t due = vi.timer_at;
	struct pkt_advert a = adv(3, 50, 100);
	unsigned sent = 0;
	for (vtime_t t = now + 1; t < due; t += 1000) { /* 1000 adverts a second */
		acts.n = 0;
		vrrp_recv(&vi, t, &a, &m, &acts);
		sent += acts.n;
		assert_int_equal(vi.timer_at, due);
	}
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_true(sent >= 1 && sent <= 4);
	acts.n = 0;
	vrrp_timer(&vi, due, &acts); /* the timer still fires on time */
	assert_acts(&acts, 1, VRRP_ACT_SEND_ADVERT);
}

/* higher_prio_send_advert (keepalived): a Master that yields sends one
 * advert with its own priority first, then steps down as before. */
static void test_master_higher_prio_send_advert(void **state) /* 44 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.1"), hi = ip("192.0.2.9");
	vtime_t now = T0;
	setup_vi(&vi, 3, 100, 100);
	vi.p.higher_prio_send_advert = true;
	make_master(&vi, &now);
	struct pkt_advert a = adv(3, 150, 25);
	acts.n = 0;
	vrrp_recv(&vi, now + 5, &a, &m, &acts);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_acts(&acts, 3, VRRP_ACT_SEND_ADVERT, VRRP_ACT_DEL_VIPS, VRRP_ACT_STATE);
	assert_int_equal(acts.a[0].priority, 100);
	assert_int_equal(vi.timer_at, now + 5 + 3 * US(25) + (156 * US(25)) / 256);

	/* Equal priority from a higher address: the same. */
	setup_vi(&vi, 3, 100, 100);
	vi.p.higher_prio_send_advert = true;
	now = T0;
	make_master(&vi, &now);
	a = adv(3, 100, 100);
	acts.n = 0;
	vrrp_recv(&vi, now + 5, &a, &hi, &acts);
	assert_acts(&acts, 3, VRRP_ACT_SEND_ADVERT, VRRP_ACT_DEL_VIPS, VRRP_ACT_STATE);
	assert_int_equal(acts.a[0].priority, 100);

	/* A Backup hearing a higher advert sends nothing. */
	acts.n = 0;
	a = adv(3, 150, 100);
	vrrp_recv(&vi, now + 10, &a, &m, &acts);
	assert_int_equal(acts.n, 0);
	/* Nor does a Master hearing a lower one advertise twice for it. */
	setup_vi(&vi, 3, 100, 100);
	vi.p.higher_prio_send_advert = true;
	now = T0;
	make_master(&vi, &now);
	a = adv(3, 50, 100);
	acts.n = 0;
	vrrp_recv(&vi, now + 5, &a, &m, &acts);
	assert_acts(&acts, 1, VRRP_ACT_SEND_ADVERT);
}

/* rx_lower_event: a Master that hears a lower advert (or an equal one from
 * a lower address) says so after its answer, at most once per half
 * interval; it is not said for higher or priority-0 adverts, nor by a
 * Backup, and becoming Master again starts afresh. */
static void test_master_rx_lower_event(void **state) /* 46 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.1");
	vtime_t now = T0;
	setup_vi(&vi, 3, 100, 100);
	vi.p.rx_lower_event = true;
	make_master(&vi, &now);
	struct pkt_advert a = adv(3, 50, 100);
	acts.n = 0;
	vrrp_recv(&vi, now + 1, &a, &m, &acts);
	assert_acts(&acts, 2, VRRP_ACT_SEND_ADVERT, VRRP_ACT_RX_LOWER);
	unsigned events = 0;
	for (vtime_t t = now + 2; t < now + 1 + US(100); t += 1000) { /* a flood for 1 s */
		acts.n = 0;
		vrrp_recv(&vi, t, &a, &m, &acts);
		for (unsigned k = 0; k < acts.n; k++)
			events += acts.a[k].kind == VRRP_ACT_RX_LOWER;
		assert_int_equal(vi.state, VRRP_STATE_MASTER);
	}
	assert_int_equal(events, 1); /* at +0.5 s; the next is due at +1 s */
	acts.n = 0;
	vrrp_recv(&vi, now + 2 + US(100), &a, &m, &acts);
	assert_true(acts.n >= 1);
	assert_int_equal(acts.a[acts.n - 1].kind, VRRP_ACT_RX_LOWER);

	/* lower_prio_no_advert: the event alone. Equal priority, lower address. */
	setup_vi(&vi, 3, 100, 100);
	vi.p.rx_lower_event = true;
	vi.p.lower_prio_no_advert = true;
	now = T0;
	make_master(&vi, &now);
	a = adv(3, 100, 100);
	acts.n = 0;
	vrrp_recv(&vi, now + 1, &a, &m, &acts); /* .1 < our .2 */
	assert_acts(&acts, 1, VRRP_ACT_RX_LOWER);

	/* Priority 0 and higher adverts: no event. */
	a = adv(3, 0, 100);
	acts.n = 0;
	vrrp_recv(&vi, now + US(100), &a, &m, &acts);
	assert_acts(&acts, 1, VRRP_ACT_SEND_ADVERT);
	a = adv(3, 150, 100);
	acts.n = 0;
	vrrp_recv(&vi, now + US(200), &a, &m, &acts);
	assert_acts(&acts, 2, VRRP_ACT_DEL_VIPS, VRRP_ACT_STATE);
	/* A Backup hears lower adverts silently. */
	a = adv(3, 50, 100);
	acts.n = 0;
	vrrp_recv(&vi, now + US(201), &a, &m, &acts);
	assert_int_equal(acts.n, 0);
	/* Master again: the first lower advert is reported at once. */
	vtime_t t = vi.timer_at;
	acts.n = 0;
	vrrp_timer(&vi, t, &acts);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	acts.n = 0;
	vrrp_recv(&vi, t + 1, &a, &m, &acts);
	assert_acts(&acts, 1, VRRP_ACT_RX_LOWER);
}

static void test_master_shutdown_sends_prio0(void **state) /* 47 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	vtime_t now = T0;
	setup_vi(&vi, 3, 100, 100);
	make_master(&vi, &now);
	acts.n = 0;
	vrrp_shutdown(&vi, now + 1, &acts);
	assert_acts(&acts, 3, VRRP_ACT_SEND_ADVERT, VRRP_ACT_DEL_VIPS, VRRP_ACT_STATE);
	assert_int_equal(acts.a[0].priority, 0);
	assert_int_equal(vi.state, VRRP_STATE_INIT);
	assert_int_equal(vi.timer_at, 0);
}

static void test_validate_drops(void **state) /* 15, 17, 22, 23 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.1");
	struct pkt_advert a;

	setup_vi(&vi, 2, 100, 100);
	vi.p.auth_type = 1;
	memcpy(vi.p.auth_data, "secret1\0", 8);
	vrrp_startup(&vi, T0, &acts);
	vtime_t due = vi.timer_at;

	a = adv(3, 150, 100); /* version */
	assert_int_equal(vrrp_recv(&vi, T0 + 1, &a, &m, &acts), PKT_DROP_VERSION_MISMATCH);
	a = adv(2, 150, 1);
	a.auth_type = 0; /* auth type */
	assert_int_equal(vrrp_recv(&vi, T0 + 1, &a, &m, &acts), PKT_DROP_AUTH);
	a.auth_type = 1;
	memcpy(a.auth_data, "secret2\0", 8); /* password */
	assert_int_equal(vrrp_recv(&vi, T0 + 1, &a, &m, &acts), PKT_DROP_AUTH);
	memcpy(a.auth_data, "secret1\0", 8);
	a.adver_int = 2; /* v2 interval mismatch is a drop */
	assert_int_equal(vrrp_recv(&vi, T0 + 1, &a, &m, &acts), PKT_DROP_ADVER_INT);
	a.adver_int = 1;
	struct vaddr own = vi.primary;
	assert_int_equal(vrrp_recv(&vi, T0 + 1, &a, &own, &acts), PKT_DROP_OWN);
	assert_int_equal(vi.timer_at, due); /* nothing dropped touched the timer */
	assert_int_equal(vrrp_recv(&vi, T0 + 1, &a, &m, &acts), PKT_OK);
	assert_int_not_equal(vi.timer_at, due);

	/* v3 does not drop on an interval mismatch: it learns (23, 31). */
	setup_vi(&vi, 3, 100, 100);
	vrrp_startup(&vi, T0, &acts);
	a = adv(3, 150, 300);
	assert_int_equal(vrrp_recv(&vi, T0 + 1, &a, &m, &acts), PKT_OK);
	assert_int_equal(vi.master_adver_int_cs, 300);
}

static void test_preempt_delay(void **state)
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.1");
	struct pkt_advert a = adv(3, 50, 10);
	setup_vi(&vi, 3, 100, 10);
	vi.p.preempt_delay = 1000000; /* 1 s */
	vrrp_startup(&vi, T0, &acts);
	/* A lower master adverts every 100 ms: obeyed for the first second. */
	vtime_t t = T0;
	int i;
	for (i = 0; i < 50 && vi.state == VRRP_STATE_BACKUP; i++) {
		t += US(10);
		vrrp_timer(&vi, t, &acts);
		if (vi.state != VRRP_STATE_BACKUP)
			break;
		vrrp_recv(&vi, t, &a, &m, &acts);
	}
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	/* First lower advert at T0+0.1 s, delay 1 s, then Master_Down_Interval. */
	vtime_t became = vi.since;
	assert_true(became >= T0 + US(10) + 1000000);
	assert_true(became <= T0 + US(10) + 1000000 + vrrp_master_down_interval(&vi) + US(10));
	/* A higher master in between cancels the delay. */
	setup_vi(&vi, 3, 100, 10);
	vi.p.preempt_delay = 1000000;
	vrrp_startup(&vi, T0, &acts);
	vrrp_recv(&vi, T0 + 1, &a, &m, &acts);
	assert_int_not_equal(vi.preempt_at, 0);
	struct pkt_advert hi = adv(3, 200, 10);
	vrrp_recv(&vi, T0 + 2, &hi, &m, &acts);
	assert_int_equal(vi.preempt_at, 0);
}

static void test_reconfigure_master_priority(void **state)
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	vtime_t now = T0;
	setup_vi(&vi, 3, 100, 100);
	make_master(&vi, &now);
	struct vrrp_params p = vi.p;
	p.priority = 120;
	acts.n = 0;
	vrrp_reconfigure(&vi, &p, now + 7, &acts);
	assert_acts(&acts, 1, VRRP_ACT_SEND_ADVERT);
	assert_int_equal(acts.a[0].priority, 120);
	assert_int_equal(vi.timer_at, now + 7 + US(100));
	/* Unchanged parameters: nothing happens, the timer is untouched. */
	acts.n = 0;
	vtime_t due = vi.timer_at;
	vrrp_reconfigure(&vi, &p, now + 8, &acts);
	assert_int_equal(acts.n, 0);
	assert_int_equal(vi.timer_at, due);
}

static void test_fault_from_master_and_back(void **state)
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.1");
	vtime_t now = T0;
	setup_vi(&vi, 3, 100, 100);
	make_master(&vi, &now);
	acts.n = 0;
	vrrp_set_fault(&vi, now + 1, "eth0 is down", &acts);
	assert_acts(&acts, 3, VRRP_ACT_SEND_ADVERT, VRRP_ACT_DEL_VIPS, VRRP_ACT_STATE);
	assert_int_equal(acts.a[0].priority, 0);
	assert_int_equal(vi.state, VRRP_STATE_FAULT);
	assert_int_equal(vi.timer_at, 0);
	assert_string_equal(vi.reason, "eth0 is down");
	/* Deaf and silent in FAULT; a second fault is a no-op. */
	acts.n = 0;
	struct pkt_advert a = adv(3, 50, 100);
	assert_int_equal(vrrp_recv(&vi, now + 2, &a, &m, &acts), PKT_OK);
	vrrp_set_fault(&vi, now + 3, "again", &acts);
	vrrp_timer(&vi, now + 10 * US(100), &acts);
	assert_int_equal(acts.n, 0);
	/* Cleared: Backup with a fresh Master_Down_Timer. */
	vrrp_clear_fault(&vi, now + 4, "eth0 is up", &acts);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_acts(&acts, 1, VRRP_ACT_STATE);
	assert_int_equal(acts.a[0].from, VRRP_STATE_FAULT);
	assert_int_equal(vi.timer_at, now + 4 + vrrp_master_down_interval(&vi));
}

static void test_fault_owner_returns_to_master(void **state)
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	setup_vi(&vi, 3, 255, 100);
	vrrp_startup(&vi, T0, &acts);
	vrrp_set_fault(&vi, T0 + 1, "down", &acts);
	acts.n = 0;
	vrrp_clear_fault(&vi, T0 + 2, "up", &acts);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_acts(&acts, 4, VRRP_ACT_SEND_ADVERT, VRRP_ACT_ADD_VIPS, VRRP_ACT_GARP,
		    VRRP_ACT_STATE);
}

static void test_priority_change(void **state) /* 33 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct vaddr m = ip("192.0.2.1");
	vtime_t now = T0;
	/* A master whose priority drops advertises it at once. */
	setup_vi(&vi, 3, 100, 100);
	make_master(&vi, &now);
	acts.n = 0;
	vrrp_set_priority(&vi, 80, now + 5, &acts);
	assert_acts(&acts, 1, VRRP_ACT_SEND_ADVERT);
	assert_int_equal(acts.a[0].priority, 80);
	assert_int_equal(vi.timer_at, now + 5 + US(100));
	acts.n = 0;
	vrrp_set_priority(&vi, 80, now + 6, &acts); /* unchanged: nothing */
	assert_int_equal(acts.n, 0);
	/* A backup whose priority rises above the master's preempts it. */
	setup_vi(&vi, 3, 100, 100);
	vrrp_startup(&vi, T0, &acts);
	struct pkt_advert a = adv(3, 120, 100);
	vrrp_recv(&vi, T0 + 1, &a, &m, &acts);
	vtime_t due = vi.timer_at;
	acts.n = 0;
	vrrp_set_priority(&vi, 130, T0 + 2, &acts);
	assert_int_equal(acts.n, 0);
	assert_int_equal(vrrp_skew_time(&vi), (126 * US(100)) / 256);
	vrrp_recv(&vi, T0 + 3, &a, &m, &acts); /* 120 < 130: discarded */
	assert_int_equal(vi.timer_at, due);
	/* An owner stays 255 whatever tracking says. */
	setup_vi(&vi, 3, 255, 100);
	vrrp_startup(&vi, T0, &acts);
	acts.n = 0;
	vrrp_set_priority(&vi, 200, T0 + 1, &acts);
	assert_int_equal(vi.prio, 255);
	assert_int_equal(acts.n, 0);
}

static void test_force_state_for_sync_groups(void **state)
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	vtime_t now = T0;
	setup_vi(&vi, 3, 100, 100);
	vrrp_startup(&vi, now, &acts);
	acts.n = 0;
	vrrp_force_state(&vi, VRRP_STATE_MASTER, now + 1, "sync group G: VI_2 is MASTER", &acts);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_acts(&acts, 4, VRRP_ACT_SEND_ADVERT, VRRP_ACT_ADD_VIPS, VRRP_ACT_GARP,
		    VRRP_ACT_STATE);
	assert_string_equal(vi.reason, "sync group G: VI_2 is MASTER");
	acts.n = 0;
	vrrp_force_state(&vi, VRRP_STATE_MASTER, now + 2, "again", &acts);
	assert_int_equal(acts.n, 0);
	vrrp_force_state(&vi, VRRP_STATE_BACKUP, now + 3, "sync group G: VI_2 is BACKUP", &acts);
	assert_acts(&acts, 2, VRRP_ACT_DEL_VIPS, VRRP_ACT_STATE);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	/* Never out of FAULT by force. */
	vrrp_set_fault(&vi, now + 4, "down", &acts);
	acts.n = 0;
	vrrp_force_state(&vi, VRRP_STATE_MASTER, now + 5, "x", &acts);
	assert_int_equal(acts.n, 0);
	assert_int_equal(vi.state, VRRP_STATE_FAULT);
}

static void test_advertise_now(void **state)
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	vtime_t now = T0;
	setup_vi(&vi, 3, 100, 10);
	vrrp_startup(&vi, now, &acts);
	acts.n = 0;
	vrrp_advertise_now(&vi, now + 1, &acts); /* a Backup does nothing */
	assert_int_equal(acts.n, 0);
	make_master(&vi, &now);
	acts.n = 0;
	vrrp_advertise_now(&vi, now + 30000, &acts);
	assert_acts(&acts, 1, VRRP_ACT_SEND_ADVERT);
	assert_int_equal(acts.a[0].priority, 100);
	assert_int_equal(vi.timer_at, now + 30000 + US(10));
}

/* The calls the daemon uses instead of writing fields. */
static void test_set_primary_is_the_tiebreak_address(void **state) /* 45 */
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	vtime_t now = T0;
	setup_vi(&vi, 3, 100, 10);
	make_master(&vi, &now);
	struct vaddr lower = ip("192.0.2.1"), higher = ip("192.0.2.9");
	vrrp_set_primary(&vi, &higher);
	assert_true(addr_eq(&vi.primary, &higher));
	struct pkt_advert a = adv(3, 100, 10);
	acts.n = 0;
	/* Equal priority from .5: we are .9 now, so we stay Master. */
	struct vaddr src = ip("192.0.2.5");
	assert_int_equal(vrrp_recv(&vi, now + 1, &a, &src, &acts), PKT_OK);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	vrrp_set_primary(&vi, &lower);
	acts.n = 0;
	assert_int_equal(vrrp_recv(&vi, now + 2, &a, &src, &acts), PKT_OK);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
}

static void test_hold_keeps_a_due_backup_waiting(void **state)
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	setup_vi(&vi, 3, 100, 10);
	vrrp_startup(&vi, T0, &acts);
	vtime_t due = vi.timer_at;
	assert_false(vrrp_master_down_due(&vi, due - 1));
	assert_true(vrrp_master_down_due(&vi, due));
	vrrp_hold(&vi, due - 5, due); /* not later than now: no effect */
	assert_int_equal(vi.timer_at, due);
	vrrp_hold(&vi, due + 5000, due);
	assert_int_equal(vi.timer_at, due + 5000);
	assert_false(vrrp_master_down_due(&vi, due));
	acts.n = 0;
	vrrp_timer(&vi, due, &acts); /* too early now */
	assert_int_equal(acts.n, 0);
	vrrp_timer(&vi, due + 5000, &acts);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	vtime_t at = vi.timer_at;
	vrrp_hold(&vi, at + 99999, at); /* a Master is never held */
	assert_int_equal(vi.timer_at, at);
	assert_false(vrrp_master_down_due(&vi, at));
}

static void test_master_known(void **state)
{
	(void)state;
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	vtime_t now = T0;
	setup_vi(&vi, 3, 100, 10);
	assert_false(vrrp_master_known(&vi));
	vrrp_startup(&vi, now, &acts);
	assert_false(vrrp_master_known(&vi)); /* Backup, nothing heard yet */
	struct pkt_advert a = adv(3, 50, 10);
	struct vaddr src = ip("192.0.2.7");
	acts.n = 0;
	vrrp_recv(&vi, now + 10, &a, &src, &acts); /* lower: discarded, but heard */
	assert_true(vrrp_master_known(&vi));
	setup_vi(&vi, 3, 100, 10);
	make_master(&vi, &now);
	assert_true(vrrp_master_known(&vi));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_skew_v3_table),
	    cmocka_unit_test(test_skew_v2_fractional),
	    cmocka_unit_test(test_startup_owner_becomes_master),
	    cmocka_unit_test(test_startup_backup),
	    cmocka_unit_test(test_backup_down_timer_becomes_master),
	    cmocka_unit_test(test_backup_prio0_waits_skew),
	    cmocka_unit_test(test_backup_higher_or_equal_resets_and_learns),
	    cmocka_unit_test(test_backup_lower_discarded_then_preempts),
	    cmocka_unit_test(test_nopreempt_obeys_lower),
	    cmocka_unit_test(test_owner_always_preempts),
	    cmocka_unit_test(test_backup_shutdown),
	    cmocka_unit_test(test_master_adver_timer_own_interval),
	    cmocka_unit_test(test_master_hears_prio0_reasserts),
	    cmocka_unit_test(test_master_yields_to_higher),
	    cmocka_unit_test(test_tiebreak_by_address),
	    cmocka_unit_test(test_master_lower_reasserts_unless_configured),
	    cmocka_unit_test(test_master_lower_keeps_pace),
	    cmocka_unit_test(test_master_higher_prio_send_advert),
	    cmocka_unit_test(test_master_rx_lower_event),
	    cmocka_unit_test(test_master_shutdown_sends_prio0),
	    cmocka_unit_test(test_validate_drops),
	    cmocka_unit_test(test_preempt_delay),
	    cmocka_unit_test(test_reconfigure_master_priority),
	    cmocka_unit_test(test_fault_from_master_and_back),
	    cmocka_unit_test(test_fault_owner_returns_to_master),
	    cmocka_unit_test(test_priority_change),
	    cmocka_unit_test(test_force_state_for_sync_groups),
	    cmocka_unit_test(test_advertise_now),
	    cmocka_unit_test(test_set_primary_is_the_tiebreak_address),
	    cmocka_unit_test(test_hold_keeps_a_due_backup_waiting),
	    cmocka_unit_test(test_master_known),
	};
	return cmocka_run_group_tests_name("vrrp", tests, NULL, NULL);
}
