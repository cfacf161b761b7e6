/* Unit tests for io/closer: descriptors handed over are closed, all of
 * them, by the time closer_drain() returns; a negative one is ignored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io/closer.h"

static void test_closes_all(void **state)
{
	(void)state;
	int fds[16];

	for (size_t k = 0; k < 16; k += 2) {
		int sv[2];
		assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
		fds[k] = sv[0];
		fds[k + 1] = sv[1];
	}
	for (size_t k = 0; k < 16; k++)
		closer_close(fds[k]);
	closer_close(-1);
	closer_drain(2000);
	for (size_t k = 0; k < 16; k++) {
		errno = 0;
		assert_int_equal(fcntl(fds[k], F_GETFD), -1);
		assert_int_equal(errno, EBADF);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_closes_all),
	};
	return cmocka_run_group_tests_name("closer", tests, NULL, NULL);
}
