/* claim: the BPF filter and the parser of ARP claims (see core/claim.h). */
#include "core/claim.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

/* Classic BPF opcodes (linux/filter.h; spelt out to keep the core free of
 * kernel headers). */
#define BPF_LDH_ABS 0x28 /* BPF_LD | BPF_H | BPF_ABS */
#define BPF_LDW_ABS 0x20 /* BPF_LD | BPF_W | BPF_ABS */
#define BPF_LDB_ABS 0x30 /* BPF_LD | BPF_B | BPF_ABS */
#define BPF_JEQ_K   0x15 /* BPF_JMP | BPF_JEQ | BPF_K */
#define BPF_RET_K   0x06 /* BPF_RET | BPF_K */

static struct claim_insn insn(uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	return (struct claim_insn){.code = code, .jt = jt, .jf = jf, .k = k};
}

size_t claim_filter(struct claim_insn *p, size_t cap, const struct vaddr *addrs, size_t n)
{
	size_t v4 = 0, i = 0;

	for (size_t k = 0; k < n; k++)
		v4 += addrs[k].family == AF_INET;
	bool any = v4 > CLAIM_FILTER_MAX_ADDRS;
	size_t need = 9 + (any ? 0 : v4) + 1;
	if (cap < need)
		return 0;
	p[i++] = insn(BPF_LDH_ABS, 0, 0, 12);	/* ethertype */
	p[i++] = insn(BPF_JEQ_K, 1, 0, 0x0806); /* ARP: on */
	p[i++] = insn(BPF_RET_K, 0, 0, 0);	/* else drop */
	p[i++] = insn(BPF_LDH_ABS, 0, 0, 20);	/* operation */
	p[i++] = insn(BPF_JEQ_K, 2, 0, 1);	/* request: on */
	p[i++] = insn(BPF_JEQ_K, 1, 0, 2);	/* reply: on */
	p[i++] = insn(BPF_RET_K, 0, 0, 0);	/* else drop */
	p[i++] = insn(BPF_LDW_ABS, 0, 0, 28);	/* sender protocol address */
	if (!any) {
		size_t left = v4;
		for (size_t k = 0; k < n; k++) {
			if (addrs[k].family != AF_INET)
				continue;
			left--; /* the tests after this one, then the drop */
			p[i++] =
			    insn(BPF_JEQ_K, (uint8_t)(left + 1), 0, ntohl(addrs[k].u.v4.s_addr));
		}
		p[i++] = insn(BPF_RET_K, 0, 0, 0); /* none of ours: drop */
	}
	p[i++] = insn(BPF_RET_K, 0, 0, 0xffff); /* accept */
	return i;
}

bool claim_parse(const uint8_t *f, size_t len, uint8_t mac[6], struct vaddr *ip)
{
	static const uint8_t arp_ip4[6] = {0x00, 0x01, 0x08, 0x00, 6, 4};

	if (len < CLAIM_ARP_LEN || f[12] != 0x08 || f[13] != 0x06 || memcmp(f + 14, arp_ip4, 6))
		return false;
	if (f[20] != 0 || (f[21] != 1 && f[21] != 2))
		return false;
	memcpy(mac, f + 22, 6);
	memset(ip, 0, sizeof(*ip));
	ip->family = AF_INET;
	memcpy(&ip->u.v4, f + 28, 4);
	return true;
}

/* One IPv6 address test: 8 instructions; its last jumps JT on a match. */
static size_t filter6_addr(struct claim_insn *p, const struct vaddr *a, uint8_t jt)
{
	size_t i = 0;

	for (int w = 0; w < 4; w++) {
		uint32_t k = (uint32_t)a->u.b[4 * w] << 24 | (uint32_t)a->u.b[4 * w + 1] << 16 |
			     (uint32_t)a->u.b[4 * w + 2] << 8 | a->u.b[4 * w + 3];
		p[i++] = insn(BPF_LDW_ABS, 0, 0, 62 + 4 * (uint32_t)w); /* the NA's target */
		/* a word differs: on to the next address (past this one's rest) */
		p[i++] = insn(BPF_JEQ_K, w == 3 ? jt : 0, w == 3 ? 0 : (uint8_t)(6 - 2 * w), k);
	}
	return i;
}

size_t claim_filter6(struct claim_insn *p, size_t cap, const struct vaddr *addrs, size_t n)
{
	size_t v6 = 0, i = 0;

	for (size_t k = 0; k < n; k++)
		v6 += addrs[k].family == AF_INET6;
	bool any = v6 > CLAIM_FILTER6_MAX_ADDRS;
	size_t need = 10 + (any ? 0 : 8 * v6 + 1);
	if (cap < need)
		return 0;
	p[i++] = insn(BPF_LDH_ABS, 0, 0, 12); /* ethertype */
	p[i++] = insn(BPF_JEQ_K, 1, 0, 0x86dd);
	p[i++] = insn(BPF_RET_K, 0, 0, 0);
	p[i++] = insn(BPF_LDB_ABS, 0, 0, 20); /* next header */
	p[i++] = insn(BPF_JEQ_K, 1, 0, 58);   /* ICMPv6 */
	p[i++] = insn(BPF_RET_K, 0, 0, 0);
	p[i++] = insn(BPF_LDB_ABS, 0, 0, 54); /* ICMPv6 type */
	p[i++] = insn(BPF_JEQ_K, 1, 0, 136);  /* Neighbour Advertisement */
	p[i++] = insn(BPF_RET_K, 0, 0, 0);
	if (!any) {
		size_t left = v6;
		for (size_t k = 0; k < n; k++) {
			if (addrs[k].family != AF_INET6)
				continue;
			left--; /* the address tests after this one, then the drop */
			i += filter6_addr(p + i, &addrs[k], (uint8_t)(8 * left + 1));
		}
		p[i++] = insn(BPF_RET_K, 0, 0, 0);
	}
	p[i++] = insn(BPF_RET_K, 0, 0, 0xffff);
	return i;
}

bool claim_parse6(const uint8_t *f, size_t len, uint8_t mac[6], struct vaddr *ip)
{
	if (len < CLAIM_NA_LEN || f[12] != 0x86 || f[13] != 0xdd || f[20] != 58 || f[54] != 136)
		return false;
	/* option 2 (Target Link-Layer Address), 8 bytes, right after the NA */
	if (len >= CLAIM_NA_LEN + 8 && f[78] == 2 && f[79] == 1)
		memcpy(mac, f + 80, 6);
	else
		memcpy(mac, f + 6, 6);
	memset(ip, 0, sizeof(*ip));
	ip->family = AF_INET6;
	memcpy(&ip->u.v6, f + 62, 16);
	return true;
}
