/* addr: IPv4/IPv6 address values. */
#include "core/addr.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

size_t addr_len(const struct vaddr *a)
{
	return a->family == AF_INET ? 4 : a->family == AF_INET6 ? 16 : 0;
}

int addr_cmp(const struct vaddr *a, const struct vaddr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->u.b, b->u.b, addr_len(a));
}

bool addr_eq(const struct vaddr *a, const struct vaddr *b)
{
	return addr_cmp(a, b) == 0;
}

int addr_parse(const char *s, struct vaddr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, &out->u.v4) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &out->u.v6) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	return -1;
}

const char *addr_str(const struct vaddr *a, char *buf)
{
	if (!a->family || !inet_ntop(a->family, a->u.b, buf, ADDR_STRLEN))
		strcpy(buf, "-");
	return buf;
}

void addr_from_v4(struct vaddr *a, const struct in_addr *in)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->u.v4 = *in;
}
