/* Unit tests for src/io/nl_addr.c's ack reader, nl_addr_acks(): the
 * NLMSG_ERROR answers to a batch are mapped back to their message by
 * sequence number, and a read that holds a malformed message is handled
 * without reading outside the buffer (found by tests/fuzz/fuzz_nlack.c).
 *
 * nl_addr.c is compiled into this test directly to reach the static
 * function; no netlink socket is opened. Every buffer is malloc'd at its
 * exact size, so that ASan sees a read past its end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <limits.h>

#include "../../src/io/nl_addr.c"

#define PORT  4242u
#define FIRST 1000u

static struct vip vip;
static struct nl_addr_op ops[4];
static struct nl_addr_sock sock;
static int failed_ops;

static int setup(void **state)
{
	(void)state;
	memset(&vip, 0, sizeof(vip));
	addr_parse("192.0.2.10", &vip.addr);
	vip.prefix = 24;
	for (size_t k = 0; k < 4; k++)
		ops[k] = (struct nl_addr_op){.kind = NL_OP_ADDR,
					     .vip = &vip,
					     .ifindex = 1,
					     .add = true,
					     .who = "VI_1",
					     .failed = &failed_ops};
	memset(&sock, 0, sizeof(sock));
	sock.portid = PORT;
	sock.ops = ops;
	failed_ops = 0;
	return 0;
}

/* Appends a netlink message of TYPE and sequence SEQ to B at *LEN: a header
 * claiming NLMSG_LEN bytes, then PAYLOAD_LEN bytes of PAYLOAD. */
static void put_msg(uint8_t *b, size_t *len, uint32_t nlmsg_len, uint16_t type, uint32_t seq,
		    const void *payload, size_t payload_len)
{
	struct nlmsghdr h = {
	    .nlmsg_len = nlmsg_len, .nlmsg_type = type, .nlmsg_seq = seq, .nlmsg_pid = PORT};

	memcpy(b + *len, &h, sizeof(h));
	memcpy(b + *len + sizeof(h), payload, payload_len);
	*len += MNL_ALIGN(sizeof(h) + payload_len);
}

/* A well-formed ack (NETLINK_CAP_ACK: the request's header only). */
static void put_ack(uint8_t *b, size_t *len, uint32_t seq, int error)
{
	struct nlmsgerr e = {.error = error};

	e.msg.nlmsg_seq = seq;
	e.msg.nlmsg_pid = PORT;
	put_msg(b, len, (uint32_t)(sizeof(struct nlmsghdr) + sizeof(e)), NLMSG_ERROR, seq, &e,
		sizeof(e));
}

/* LEN bytes of SRC in a buffer of exactly that size. */
static void *exact(const uint8_t *src, size_t len)
{
	void *p = malloc(len);

	assert_non_null(p);
	memcpy(p, src, len);
	return p;
}

static void acks_map_to_their_messages(void **state)
{
	uint8_t b[512];
	size_t len = 0;
	int failed = 0;

	(void)state;
	put_ack(b, &len, FIRST, 0);
	put_ack(b, &len, FIRST + 1, -EEXIST); /* an address that exists: a failure */
	put_ack(b, &len, FIRST + 9, -EPERM);  /* not of this batch: ignored */
	put_ack(b, &len, FIRST + 3, 0);
	void *p = exact(b, len);
	assert_int_equal(nl_addr_acks(&sock, p, len, FIRST, 4, &failed), 3);
	assert_int_equal(failed, 1);
	assert_int_equal(failed_ops, 1);
	free(p);
}

/* libmnl's mnl_nlmsg_ok() compares (int)nlmsg_len with what is left, so a
 * length of 2^31 or more passes it and mnl_nlmsg_next() then jumps far
 * outside the buffer: the loop must check the length itself. */
static void a_length_beyond_the_read_stops_the_loop(void **state)
{
	uint8_t b[512];
	size_t len = 0;
	int failed = 0;

	(void)state;
	put_ack(b, &len, FIRST, 0);
	put_msg(b, &len, 0xe9010000u, NLMSG_ERROR, FIRST + 1, "\0\0\0\0", 4);
	put_ack(b, &len, FIRST + 2, 0);
	void *p = exact(b, len);
	assert_int_equal(nl_addr_acks(&sock, p, len, FIRST, 4, &failed), 1);
	assert_int_equal(failed, 0);
	free(p);
}

/* An NLMSG_ERROR too short to hold a struct nlmsgerr, last in the read:
 * its error code is not there to be read. It still answers its message,
 * as a failure, so that the commit does not wait for another ack. */
static void a_short_ack_is_not_read_past_its_end(void **state)
{
	uint8_t b[512];
	size_t len = 0;
	int failed = 0;

	(void)state;
	put_ack(b, &len, FIRST, 0);
	put_msg(b, &len, sizeof(struct nlmsghdr), NLMSG_ERROR, FIRST + 1, "", 0);
	void *p = exact(b, len);
	assert_int_equal(nl_addr_acks(&sock, p, len, FIRST, 4, &failed), 2);
	assert_int_equal(failed, 1);
	free(p);
}

/* The error field is the sender's word: INT_MIN cannot be negated, and a
 * positive value is no errno either. Both answer their message as a
 * failure (EPROTO). */
static void an_error_code_that_is_no_errno_is_a_failure(void **state)
{
	uint8_t b[512];
	size_t len = 0;
	int failed = 0;

	(void)state;
	put_ack(b, &len, FIRST, INT_MIN);
	put_ack(b, &len, FIRST + 1, 5);
	put_ack(b, &len, FIRST + 2, -ENOBUFS);
	void *p = exact(b, len);
	assert_int_equal(nl_addr_acks(&sock, p, len, FIRST, 4, &failed), 3);
	assert_int_equal(failed, 3);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(acks_map_to_their_messages, setup),
	    cmocka_unit_test_setup(a_length_beyond_the_read_stops_the_loop, setup),
	    cmocka_unit_test_setup(a_short_ack_is_not_read_past_its_end, setup),
	    cmocka_unit_test_setup(an_error_code_that_is_no_errno_is_a_failure, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
