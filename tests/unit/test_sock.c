/* Unit tests for src/io/sock.c: the message that one advert is sent as
 * (sock_msg_fill: destination, source and TTL control data) and the batch
 * sender (sock_send_batch), on a datagram socket pair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io/sock.h"

static struct vaddr addr(const char *s)
{
	struct vaddr a = {0};

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

/* IPv4, the default TTL: the destination, and one IP_PKTINFO with the
 * source and the interface. */
static void ip4_message_carries_source_and_interface(void **state)
{
	struct vaddr src = addr("192.0.2.1"), dst = addr("224.0.0.18");
	struct sock_msg m;
	struct msghdr mh;
	uint8_t payload[8] = {0x31};

	(void)state;
	sock_msg_fill(&m, &mh, 7, &src, &dst, payload, sizeof(payload), 0);
	assert_ptr_equal(mh.msg_name, &m.to);
	assert_int_equal(mh.msg_namelen, sizeof(struct sockaddr_in));
	assert_int_equal(m.to.v4.sin_family, AF_INET);
	assert_memory_equal(&m.to.v4.sin_addr, &dst.u.v4, 4);
	assert_ptr_equal(mh.msg_iov[0].iov_base, payload);
	assert_int_equal(mh.msg_iov[0].iov_len, sizeof(payload));
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	assert_non_null(cm);
	assert_int_equal(cm->cmsg_level, IPPROTO_IP);
	assert_int_equal(cm->cmsg_type, IP_PKTINFO);
	struct in_pktinfo pi;
	memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
	assert_int_equal(pi.ipi_ifindex, 7);
	assert_memory_equal(&pi.ipi_spec_dst, &src.u.v4, 4);
	assert_null(CMSG_NXTHDR(&mh, cm));
}

/* A TTL other than 255 (unicast_ttl) is a second control message; IPv6 to
 * a multicast group is scoped to the interface. */
static void ttl_and_ipv6_scope(void **state)
{
	struct vaddr src = addr("192.0.2.1"), dst = addr("198.51.100.2");
	struct vaddr src6 = addr("fe80::1"), dst6 = addr("ff02::12");
	struct sock_msg m;
	struct msghdr mh;
	uint8_t payload[8] = {0};
	int v;

	(void)state;
	sock_msg_fill(&m, &mh, 3, &src, &dst, payload, sizeof(payload), 9);
	struct cmsghdr *cm = CMSG_NXTHDR(&mh, CMSG_FIRSTHDR(&mh));
	assert_non_null(cm);
	assert_int_equal(cm->cmsg_type, IP_TTL);
	memcpy(&v, CMSG_DATA(cm), sizeof(v));
	assert_int_equal(v, 9);

	sock_msg_fill(&m, &mh, 3, &src6, &dst6, payload, sizeof(payload), 0);
	assert_int_equal(mh.msg_namelen, sizeof(struct sockaddr_in6));
	assert_int_equal(m.to.v6.sin6_scope_id, 3);
	cm = CMSG_FIRSTHDR(&mh);
	assert_int_equal(cm->cmsg_level, IPPROTO_IPV6);
	assert_int_equal(cm->cmsg_type, IPV6_PKTINFO);
	assert_null(CMSG_NXTHDR(&mh, cm));
}

/* A batch on a datagram pair: every message arrives, in order, each
 * marked sent; once the peer is gone, each is marked failed and the ones
 * after a failure are still tried. */
static void batch_sends_all_and_reports_each(void **state)
{
	int sv[2];
	char data[5][4] = {"m0", "m1", "m2", "m3", "m4"};
	struct iovec iov[5];
	struct mmsghdr mv[5];
	bool ok[5];
	char got[8];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	memset(mv, 0, sizeof(mv));
	for (int i = 0; i < 5; i++) {
		iov[i] = (struct iovec){.iov_base = data[i], .iov_len = 3};
		mv[i].msg_hdr.msg_iov = &iov[i];
		mv[i].msg_hdr.msg_iovlen = 1;
	}
	sock_send_batch(sv[0], mv, 5, ok);
	for (int i = 0; i < 5; i++) {
		assert_true(ok[i]);
		assert_int_equal(recv(sv[1], got, sizeof(got), MSG_DONTWAIT), 3);
		assert_string_equal(got, data[i]);
	}
	close(sv[1]);
	memset(ok, 1, sizeof(ok));
	sock_send_batch(sv[0], mv, 5, ok);
	for (int i = 0; i < 5; i++)
		assert_false(ok[i]);
	close(sv[0]);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ip4_message_carries_source_and_interface),
	    cmocka_unit_test(ttl_and_ipv6_scope),
	    cmocka_unit_test(batch_sends_all_and_reports_each),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
