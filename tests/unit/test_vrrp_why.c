/* Unit tests for the state machine's decisions (vi->decision, for
 * `vrrpctl why`): what vrrp_recv decided about an advert that moved no
 * state. Rule numbers refer to docs/conformance.md. */
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

static void setup_vi(struct vrrp_instance *vi, uint8_t prio, bool preempt, vtime_t delay)
{
	struct vrrp_params p = {.version = 3,
				.vrid = 51,
				.priority = prio,
				.adver_int_cs = 100,
				.preempt = preempt,
				.preempt_delay = delay};
	vrrp_init(vi, &p);
	vi->primary = ip("192.0.2.2");
}

static enum vrrp_decision recv_from(struct vrrp_instance *vi, vtime_t now, uint8_t prio,
				    const char *src, uint8_t version)
{
	struct pkt_advert a = {.version = version,
			       .vrid = 51,
			       .priority = prio,
			       .naddr = 1,
			       .adver_int = 100,
			       .family = AF_INET};
	struct vaddr s = ip(src);
	struct vrrp_actions acts = {0};
	vrrp_recv(vi, now, &a, &s, &acts);
	return vi->decision;
}

static void start(struct vrrp_instance *vi)
{
	struct vrrp_actions acts = {0};
	vrrp_startup(vi, T0, &acts);
	assert_int_equal(vi->state, VRRP_STATE_BACKUP);
}

static void make_master(struct vrrp_instance *vi, vtime_t *now)
{
	struct vrrp_actions acts = {0};
	start(vi);
	*now = vi->timer_at;
	vrrp_timer(vi, *now, &acts);
	assert_int_equal(vi->state, VRRP_STATE_MASTER);
}

static void backup_obeying_higher_or_equal_decides_nothing(void **state) /* 39 */
{
	struct vrrp_instance vi;

	(void)state;
	setup_vi(&vi, 100, true, 0);
	start(&vi);
	assert_int_equal(recv_from(&vi, T0 + 10, 150, "192.0.2.1", 3), VRRP_DEC_NONE);
	assert_int_equal(recv_from(&vi, T0 + 20, 100, "192.0.2.1", 3), VRRP_DEC_NONE);
}

static void backup_without_preemption_says_nopreempt(void **state) /* 39 */
{
	struct vrrp_instance vi;

	(void)state;
	setup_vi(&vi, 150, false, 0);
	start(&vi);
	assert_int_equal(recv_from(&vi, T0 + 10, 100, "192.0.2.1", 3), VRRP_DEC_NOPREEMPT);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
	assert_false(vi.lower_seen);
	/* a higher one afterwards is plain obedience again */
	assert_int_equal(recv_from(&vi, T0 + 20, 200, "192.0.2.1", 3), VRRP_DEC_NONE);
}

static void backup_preempting_says_so(void **state) /* 40 */
{
	struct vrrp_instance vi;

	(void)state;
	setup_vi(&vi, 150, true, 0);
	start(&vi);
	assert_int_equal(recv_from(&vi, T0 + 10, 100, "192.0.2.1", 3), VRRP_DEC_PREEMPTING);
	assert_true(vi.lower_seen);
}

static void backup_in_preempt_delay_then_preempting(void **state)
{
	struct vrrp_instance vi;

	(void)state;
	setup_vi(&vi, 150, true, 2 * VTIME_SEC);
	start(&vi);
	assert_int_equal(recv_from(&vi, T0 + 10, 100, "192.0.2.1", 3), VRRP_DEC_PREEMPT_DELAY);
	assert_int_equal(vi.preempt_at, T0 + 10 + 2 * VTIME_SEC);
	assert_int_equal(recv_from(&vi, T0 + VTIME_SEC, 100, "192.0.2.1", 3),
			 VRRP_DEC_PREEMPT_DELAY);
	assert_int_equal(recv_from(&vi, T0 + 10 + 2 * VTIME_SEC, 100, "192.0.2.1", 3),
			 VRRP_DEC_PREEMPTING);
}

static void backup_hearing_priority_zero_says_stepdown(void **state) /* 38 */
{
	struct vrrp_instance vi;

	(void)state;
	setup_vi(&vi, 100, true, 0);
	start(&vi);
	assert_int_equal(recv_from(&vi, T0 + 10, 0, "192.0.2.1", 3), VRRP_DEC_STEPDOWN);
	assert_int_equal(vi.timer_at, T0 + 10 + vrrp_skew_time(&vi));
}

static void master_discarding_lower_says_so(void **state) /* 46 */
{
	struct vrrp_instance vi;
	vtime_t now = T0;

	(void)state;
	setup_vi(&vi, 100, true, 0);
	make_master(&vi, &now);
	assert_int_equal(recv_from(&vi, now + 10, 90, "192.0.2.1", 3), VRRP_DEC_LOWER);
	/* equal priority, lower address: also discarded (45) */
	assert_int_equal(recv_from(&vi, now + 20, 100, "192.0.2.1", 3), VRRP_DEC_LOWER);
	assert_int_equal(vi.state, VRRP_STATE_MASTER);
	assert_int_equal(recv_from(&vi, now + 30, 0, "192.0.2.1", 3), VRRP_DEC_OTHER_STOP);
	/* a higher one moves us: the reason is the transition's */
	assert_int_equal(recv_from(&vi, now + 40, 200, "192.0.2.1", 3), VRRP_DEC_NONE);
	assert_int_equal(vi.state, VRRP_STATE_BACKUP);
}

/* A dropped advert leaves no decision of an earlier one behind. */
static void a_drop_clears_the_decision(void **state)
{
	struct vrrp_instance vi;

	(void)state;
	setup_vi(&vi, 150, false, 0);
	start(&vi);
	assert_int_equal(recv_from(&vi, T0 + 10, 100, "192.0.2.1", 3), VRRP_DEC_NOPREEMPT);
	assert_int_equal(recv_from(&vi, T0 + 20, 100, "192.0.2.1", 2), VRRP_DEC_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(backup_obeying_higher_or_equal_decides_nothing),
	    cmocka_unit_test(backup_without_preemption_says_nopreempt),
	    cmocka_unit_test(backup_preempting_says_so),
	    cmocka_unit_test(backup_in_preempt_delay_then_preempting),
	    cmocka_unit_test(backup_hearing_priority_zero_says_stepdown),
	    cmocka_unit_test(master_discarding_lower_says_so),
	    cmocka_unit_test(a_drop_clears_the_decision),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
