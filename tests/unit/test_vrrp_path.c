/* The state machine with a second heartbeat path (vrrp_recv_via): a
 * master heard on either path is alive, duplicate copies only restart the
 * Master_Down_Timer, the master keeps the name the first path gave it, and
 * on the second path our own packet and the equal-priority tie-break are
 * judged against our source there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/vrrp.h"

#define T0 ((vtime_t)1000000000ULL)
#define MS VTIME_MSEC

static struct vaddr ip(const char *s)
{
	struct vaddr a;
	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static struct pkt_advert advert(uint8_t prio)
{
	return (struct pkt_advert){.version = 3,
				   .vrid = 51,
				   .priority = prio,
				   .naddr = 1,
				   .adver_int = 10, /* 0.1 s */
				   .family = AF_INET};
}

/* Priority PRIO at advert_int 0.1 s, our primary 192.0.2.2, started. */
static void start(struct vrrp_instance *vi, uint8_t prio)
{
	struct vrrp_params p = {
	    .version = 3, .vrid = 51, .priority = prio, .adver_int_cs = 10, .preempt = true};
	struct vrrp_actions acts = {0};

	vrrp_init(vi, &p);
	vi->primary = ip("192.0.2.2");
	vrrp_startup(vi, T0, &acts);
	assert_int_equal(vi->state, VRRP_STATE_BACKUP);
}

static void become_master(struct vrrp_instance *vi)
{
	struct vrrp_actions acts = {0};

	vrrp_timer(vi, vi->timer_at, &acts);
	assert_int_equal(vi->state, VRRP_STATE_MASTER);
}

/* A master (priority 150) heard alternately by the first path (as
 * 192.0.2.1) and the second (as 198.51.100.1): no transition, and the
 * master is named by its first path's address. */
static void either_path_keeps_the_master_alive(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct pkt_advert a = advert(150);
	struct vaddr m1 = ip("192.0.2.1"), m2 = ip("198.51.100.1"), self2 = ip("198.51.100.2");
	char buf[ADDR_STRLEN];
	vtime_t t = T0;

	(void)state;
	start(&vi, 100);
	vtime_t mdi = vrrp_master_down_interval(&vi);
	assert_int_equal(vrrp_recv(&vi, t, &a, &m1, &acts), PKT_OK);
	/* both copies of each advert, then the second path only */
	for (int k = 1; k <= 50; k++) {
		t += 100 * MS;
		if (k < 20)
			assert_int_equal(vrrp_recv(&vi, t, &a, &m1, &acts), PKT_OK);
		assert_int_equal(vrrp_recv_via(&vi, t + 50, &a, &m2, &self2, &acts), PKT_OK);
		assert_int_equal(vi.state, VRRP_STATE_BACKUP);
		assert_int_equal(vi.timer_at, t + 50 + mdi);
		assert_string_equal(addr_str(&vi.master, buf), "192.0.2.1");
	}
	assert_int_equal(acts.n, 0);
	/* silent on both: Master at the last advert + Master_Down_Interval */
	assert_false(vrrp_master_down_due(&vi, t + 50 + mdi - 1));
	assert_true(vrrp_master_down_due(&vi, t + 50 + mdi));
	become_master(&vi);
}

/* A master heard only on the second path is named by its address there;
 * when the first path comes back, by the first path's. */
static void second_path_only_names_its_source(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct pkt_advert a = advert(150);
	struct vaddr m1 = ip("192.0.2.1"), m2 = ip("198.51.100.1"), self2 = ip("198.51.100.2");
	char buf[ADDR_STRLEN];

	(void)state;
	start(&vi, 100);
	assert_int_equal(vrrp_recv_via(&vi, T0 + MS, &a, &m2, &self2, &acts), PKT_OK);
	assert_string_equal(addr_str(&vi.master, buf), "198.51.100.1");
	assert_int_equal(vrrp_recv(&vi, T0 + 2 * MS, &a, &m1, &acts), PKT_OK);
	assert_string_equal(addr_str(&vi.master, buf), "192.0.2.1");
	/* another priority on the second path: a new master, named there */
	a.priority = 200;
	assert_int_equal(vrrp_recv_via(&vi, T0 + 3 * MS, &a, &m2, &self2, &acts), PKT_OK);
	assert_string_equal(addr_str(&vi.master, buf), "198.51.100.1");
	assert_int_equal(vi.master_prio, 200);
}

/* Equal priorities as Master: on the second path the tie-break compares
 * the sender's source there with ours there, never with our first path's
 * primary address. */
static void second_path_tie_break_uses_its_own_addresses(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct pkt_advert a = advert(100);
	/* Our primary 192.0.2.2 is below 198.51.100.x: a comparison with it
	 * would always yield. */
	struct vaddr self2 = ip("198.51.100.5");
	struct vaddr lower = ip("198.51.100.3"), higher = ip("198.51.100.9");

	(void)state;
	start(&vi, 100);
	become_master(&vi);
	acts.n = 0;
	assert_int_equal(vrrp_recv_via(&vi, vi.since + MS, &a, &lower, &self2, &acts), PKT_OK);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_int_equal(vi.decision, VRRP_DEC_LOWER);
	assert_int_equal(vrrp_recv_via(&vi, vi.since + 2 * MS, &a, &higher, &self2, &acts), PKT_OK);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_non_null(strstr(vi.reason, "equal priority 100 and a higher address"));
	/* and on the first path, against the primary, as before */
	start(&vi, 100);
	become_master(&vi);
	struct vaddr m1 = ip("192.0.2.1");
	assert_int_equal(vrrp_recv(&vi, vi.since + MS, &a, &m1, &acts), PKT_OK);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
}

/* Our own advert seen on the second path is ours there, not a peer's. */
static void own_packet_on_the_second_path(void **state)
{
	struct vrrp_instance vi;
	struct vrrp_actions acts = {0};
	struct pkt_advert a = advert(100);
	struct vaddr self2 = ip("198.51.100.5"), primary = ip("192.0.2.2");

	(void)state;
	start(&vi, 100);
	assert_int_equal(vrrp_recv_via(&vi, T0 + MS, &a, &self2, &self2, &acts), PKT_DROP_OWN);
	/* our first path's address on the second path is a stranger's there */
	assert_int_equal(vrrp_recv_via(&vi, T0 + MS, &a, &primary, &self2, &acts), PKT_OK);
	assert_int_equal(vrrp_recv(&vi, T0 + MS, &a, &primary, &acts), PKT_DROP_OWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(either_path_keeps_the_master_alive),
	    cmocka_unit_test(second_path_only_names_its_source),
	    cmocka_unit_test(second_path_tie_break_uses_its_own_addresses),
	    cmocka_unit_test(own_packet_on_the_second_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
