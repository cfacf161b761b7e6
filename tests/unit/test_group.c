/* Unit tests for core/group.c: keepalived's sync-group rules, on real
 * state machines driven with a fake clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "core/group.h"

static void backup_at(struct vrrp_instance *vi, uint8_t vrid, vtime_t now)
{
	struct vrrp_params p = {
	    .version = 3, .vrid = vrid, .priority = 100, .adver_int_cs = 100, .preempt = true};
	struct vrrp_actions acts = {0};

	vrrp_init(vi, &p);
	addr_parse("192.0.2.1", &vi->primary);
	vrrp_startup(vi, now, &acts);
	assert_int_equal(vi->state, VRRP_STATE_BACKUP);
}

/* One member's master went quiet while the other still hears its own:
 * wait for the other (keepalived). */
static void hold_while_another_member_hears_its_master(void **state)
{
	struct vrrp_instance a, b, c;
	vtime_t until = 0;

	(void)state;
	backup_at(&a, 1, 0);
	backup_at(&b, 2, 500000);
	backup_at(&c, 3, 200000);
	struct group_member m[] = {{&a, false}, {&b, false}, {&c, false}};
	vtime_t now = a.timer_at;
	assert_true(vrrp_master_down_due(&a, now));
	assert_true(group_hold(m, 3, 0, now, &until));
	assert_int_equal(until, c.timer_at); /* the earliest of the others */
	vrrp_hold(&a, until, now);
	assert_int_equal(a.timer_at, c.timer_at);
	assert_false(vrrp_master_down_due(&a, now));
}

static void no_hold_when_others_are_due_or_not_running(void **state)
{
	struct vrrp_instance a, b;
	vtime_t until = 0;

	(void)state;
	backup_at(&a, 1, 0);
	backup_at(&b, 2, 0);
	struct group_member m[] = {{&a, false}, {&b, false}, {NULL, false}};
	assert_false(group_hold(m, 3, 0, a.timer_at, &until)); /* b is due at the same time */
	m[1].vi = NULL;
	assert_false(group_hold(m, 3, 0, a.timer_at - 1, &until));
}

static void fault_of_any_other_member(void **state)
{
	struct vrrp_instance a, b, c;

	(void)state;
	backup_at(&a, 1, 0);
	backup_at(&b, 2, 0);
	backup_at(&c, 3, 0);
	struct group_member m[] = {{&a, true}, {&b, false}, {&c, true}};
	assert_int_equal(group_fault(m, 3, 0), 2); /* self's own verdict is the caller's */
	assert_int_equal(group_fault(m, 3, 1), 0);
	m[2].vi = NULL; /* not running: its tracking does not count */
	assert_int_equal(group_fault(m, 3, 0), -1);
}

static void follow_master_and_backup_only(void **state)
{
	(void)state;
	assert_int_equal(group_follow(VRRP_STATE_BACKUP, VRRP_STATE_MASTER), VRRP_STATE_MASTER);
	assert_int_equal(group_follow(VRRP_STATE_MASTER, VRRP_STATE_BACKUP), VRRP_STATE_BACKUP);
	assert_int_equal(group_follow(VRRP_STATE_FAULT, VRRP_STATE_BACKUP), VRRP_STATE_BACKUP);
	assert_int_equal(group_follow(VRRP_STATE_INIT, VRRP_STATE_MASTER), VRRP_STATE_MASTER);
	assert_int_equal(group_follow(VRRP_STATE_INIT, VRRP_STATE_BACKUP), VRRP_STATE_INIT);
	assert_int_equal(group_follow(VRRP_STATE_MASTER, VRRP_STATE_FAULT), VRRP_STATE_INIT);
	assert_int_equal(group_follow(VRRP_STATE_MASTER, VRRP_STATE_INIT), VRRP_STATE_INIT);
}

static void notify_once_per_group_state(void **state)
{
	enum vrrp_state g = VRRP_STATE_INIT;

	(void)state;
	assert_true(group_notify(&g, VRRP_STATE_BACKUP));
	assert_false(group_notify(&g, VRRP_STATE_BACKUP));
	assert_true(group_notify(&g, VRRP_STATE_MASTER));
	assert_false(group_notify(&g, VRRP_STATE_MASTER));
	assert_true(group_notify(&g, VRRP_STATE_INIT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hold_while_another_member_hears_its_master),
	    cmocka_unit_test(no_hold_when_others_are_due_or_not_running),
	    cmocka_unit_test(fault_of_any_other_member),
	    cmocka_unit_test(follow_master_and_backup_only),
	    cmocka_unit_test(notify_once_per_group_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
