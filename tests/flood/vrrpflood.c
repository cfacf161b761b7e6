/* vrrpflood: a bounded generator of VRRP packets, good and bad, for the
 * flood tests (tests/netns/t_flood.sh; issue 10, item 3). Test tool, not
 * part of the daemon.
 *
 * It writes whole Ethernet frames (AF_PACKET) on one interface, cycling
 * through the kinds asked for, at a fixed rate, for a bounded time:
 *
 *   csum     VRRPv3, the instance's VRID, priority --prio, checksum wrong
 *   ttl      VRRPv3, well formed, TTL 64 instead of 255
 *   short    VRRPv3 header that announces one address and carries none
 *   vrid     VRRPv3, well formed, a VRID nobody configured (--bad-vrid)
 *   version  version 7
 *   v2       VRRPv2, well formed (v2 checksum), to the v3 instance's VRID
 *   auth     VRRPv2 to the v2 instance (--vrid2), password --bad-pass
 *   lower    VRRPv3, well formed, from a stranger, priority --prio
 *   higher   the same with priority --high-prio
 *
 * Safety: it refuses to run outside a network namespace made by
 * `ip netns add` (so never in the host's), sends only from and to documentation addresses (192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24) or the VRRP group 224.0.0.18, at most
 * 200 000 packets/s for at most 30 s (6 000 000 packets), and says on
 * standard output how many it sent of each kind:
 *   vrrpflood: sent KIND N
 *   vrrpflood: total N in S s = R pps
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_RATE 200000L
#define MAX_SECONDS 30.0
#define BATCH 50
#define FRAME_MAX 128

enum kind { K_CSUM, K_TTL, K_SHORT, K_VRID, K_VERSION, K_V2, K_AUTH, K_LOWER, K_HIGHER, K__N };
static const char *const kind_name[K__N] = {"csum", "ttl",  "short", "vrid",  "version",
					    "v2",   "auth", "lower", "higher"};

struct opts {
	const char *ifname;
	uint8_t dst_mac[6];
	struct in_addr src, dst, vip;
	int vrid, vrid2, bad_vrid, prio, high_prio;
	char bad_pass[8];
	long rate;
	double seconds;
	int kinds[K__N];
	int n_kinds;
};

static void die(const char *msg)
{
	fprintf(stderr, "vrrpflood: %s\n", msg);
	exit(2);
}

static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)(p[n - 1] << 8);
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Documentation addresses only, or the VRRP group. */
static int lab_addr(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return (h >> 8) == 0xc00002 || (h >> 8) == 0xc63364 || (h >> 8) == 0xcb0071 ||
	       h == 0xe0000012;
}

/* Only inside a lab: the process's network namespace must be one that
 * `ip netns add` made (bind-mounted under /run/netns), and not PID 1's
 * when that can be seen. */
static int in_lab_netns(void)
{
	struct stat self, st;
	char path[512];
	struct dirent *e;
	int found = 0;

	if (stat("/proc/self/ns/net", &self) < 0)
		return 0;
	if (stat("/proc/1/ns/net", &st) == 0 && st.st_ino == self.st_ino && st.st_dev == self.st_dev)
		return 0;
	DIR *d = opendir("/run/netns");
	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", e->d_name);
		found = stat(path, &st) == 0 && st.st_ino == self.st_ino && st.st_dev == self.st_dev;
	}
	closedir(d);
	return found;
}

static int parse_mac(const char *s, uint8_t m[6])
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (v[i] > 255)
			return -1;
		m[i] = (uint8_t)v[i];
	}
	return 0;
}

/* One frame of kind k into f; returns its length. */
static size_t build(const struct opts *o, const uint8_t src_mac[6], enum kind k, uint8_t *f)
{
	uint8_t *ip = f + 14, *v = ip + 20;
	size_t vlen;
	int version = 3, vrid = o->vrid, prio = o->prio, ttl = 255;

	memset(f, 0, FRAME_MAX);
	memcpy(f, o->dst_mac, 6);
	memcpy(f + 6, src_mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;

	switch (k) {
	case K_TTL: ttl = 64; break;
	case K_VRID: vrid = o->bad_vrid; break;
	case K_VERSION: version = 7; break;
	case K_V2: version = 2; break;
	case K_AUTH: version = 2; vrid = o->vrid2; break;
	case K_HIGHER: prio = o->high_prio; break;
	default: break;
	}
	v[0] = (uint8_t)(version << 4 | 1);
	v[1] = (uint8_t)vrid;
	v[2] = (uint8_t)prio;
	v[3] = 1; /* one address */
	if (version == 2) {
		v[4] = k == K_AUTH ? 1 : 0; /* auth type: simple password for the v2 instance */
		v[5] = 1;		    /* advert_int 1 s, as the v2 instance */
		memcpy(v + 8, &o->vip, 4);
		if (k == K_AUTH)
			memcpy(v + 12, o->bad_pass, 8);
		vlen = 20;
	} else {
		v[4] = 0;
		v[5] = 10; /* 10 cs */
		memcpy(v + 8, &o->vip, 4);
		vlen = 12;
	}
	if (k == K_SHORT)
		vlen = 8; /* says one address, carries none */

	/* IPv4 header */
	size_t tot = 20 + vlen;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(tot >> 8);
	ip[3] = (uint8_t)tot;
	ip[8] = (uint8_t)ttl;
	ip[9] = 112;
	memcpy(ip + 12, &o->src, 4);
	memcpy(ip + 16, &o->dst, 4);
	uint16_t ic = fold(sum16(0, ip, 20));
	ip[10] = (uint8_t)(ic >> 8);
	ip[11] = (uint8_t)ic;

	/* VRRP checksum: v3 with the IPv4 pseudo-header, v2 over the message */
	uint32_t s = 0;
	if (version == 3 || version == 7) {
		s = sum16(s, ip + 12, 8);
		s += 112 + (uint32_t)vlen;
	}
	uint16_t c = fold(sum16(s, v, vlen));
	if (k == K_CSUM)
		c ^= 0x5a5a;
	v[6] = (uint8_t)(c >> 8);
	v[7] = (uint8_t)c;
	return 14 + tot < 60 ? 60 : 14 + tot; /* Ethernet minimum, zero padded */
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vrrpflood -i IFACE -S SRC -D DST -m DST-MAC -a VIP -v VRID [-w VRID2]\n"
		"                 [-b BAD-VRID] [-p PRIO] [-P HIGH-PRIO] [-x BAD-PASS]\n"
		"                 [-r PPS] [-t SECONDS] -k KIND[,KIND...]\n"
		"kinds: csum ttl short vrid version v2 auth lower higher\n");
	exit(2);
}

static void parse(int argc, char **argv, struct opts *o)
{
	int c;
	char *kinds = NULL;

	memset(o, 0, sizeof(*o));
	o->vrid = -1;
	o->vrid2 = 52;
	o->bad_vrid = 200;
	o->prio = 50;
	o->high_prio = 254;
	memcpy(o->bad_pass, "wrong!!!", 8);
	o->rate = 100000;
	o->seconds = 10;
	while ((c = getopt(argc, argv, "i:S:D:m:a:v:w:b:p:P:x:r:t:k:h")) != -1) {
		switch (c) {
		case 'i': o->ifname = optarg; break;
		case 'S': if (inet_pton(AF_INET, optarg, &o->src) != 1) die("bad -S"); break;
		case 'D': if (inet_pton(AF_INET, optarg, &o->dst) != 1) die("bad -D"); break;
		case 'm': if (parse_mac(optarg, o->dst_mac) < 0) die("bad -m"); break;
		case 'a': if (inet_pton(AF_INET, optarg, &o->vip) != 1) die("bad -a"); break;
		case 'v': o->vrid = atoi(optarg); break;
		case 'w': o->vrid2 = atoi(optarg); break;
		case 'b': o->bad_vrid = atoi(optarg); break;
		case 'p': o->prio = atoi(optarg); break;
		case 'P': o->high_prio = atoi(optarg); break;
		case 'x':
			memset(o->bad_pass, 0, sizeof(o->bad_pass));
			memcpy(o->bad_pass, optarg, strnlen(optarg, sizeof(o->bad_pass)));
			break;
		case 'r': o->rate = atol(optarg); break;
		case 't': o->seconds = atof(optarg); break;
		case 'k': kinds = optarg; break;
		default: usage();
		}
	}
	if (!o->ifname || !o->src.s_addr || !o->dst.s_addr || !o->vip.s_addr || o->vrid < 1 ||
	    o->vrid > 255 || !kinds)
		usage();
	if (o->vrid2 < 1 || o->vrid2 > 255 || o->bad_vrid < 1 || o->bad_vrid > 255 || o->prio < 1 ||
	    o->prio > 254 || o->high_prio < 1 || o->high_prio > 254)
		die("VRIDs must be 1-255, priorities 1-254");
	if (o->rate < 1 || o->rate > MAX_RATE)
		die("rate must be 1-200000 packets/s");
	if (!(o->seconds > 0) || o->seconds > MAX_SECONDS)
		die("seconds must be more than 0 and at most 30");
	if (!lab_addr(o->src) || !lab_addr(o->dst) || !lab_addr(o->vip))
		die("addresses must be documentation addresses (192.0.2.0/24, 198.51.100.0/24, "
		    "203.0.113.0/24) or 224.0.0.18");
	for (char *t = strtok(kinds, ","); t; t = strtok(NULL, ",")) {
		int k;
		for (k = 0; k < K__N && strcmp(kind_name[k], t) != 0; k++)
			;
		if (k == K__N)
			die("unknown kind (csum ttl short vrid version v2 auth lower higher)");
		if (o->n_kinds < K__N)
			o->kinds[o->n_kinds++] = k;
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct opts o;
	static uint8_t frames[K__N][FRAME_MAX];
	size_t flen[K__N];
	uint8_t src_mac[6];
	long sent[K__N] = {0};
	struct ifreq ifr;
	struct sockaddr_ll sll;

	parse(argc, argv, &o);
	if (!in_lab_netns())
		die("refusing to run outside a namespace made by `ip netns add` (run it inside a lab)");

	int fd = socket(AF_PACKET, SOCK_RAW, 0); /* protocol 0: receives nothing */
	if (fd < 0)
		die("socket(AF_PACKET): needs root");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", o.ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		die("no such interface");
	memcpy(src_mac, ifr.ifr_hwaddr.sa_data, 6);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)if_nametoindex(o.ifname);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("bind to the interface failed");
	int one = 1;
	(void)setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));

	for (int i = 0; i < o.n_kinds; i++)
		flen[o.kinds[i]] = build(&o, src_mac, o.kinds[i], frames[o.kinds[i]]);

	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	long total = (long)(o.rate * o.seconds), done = 0, errors = 0;
	double t0 = now_s(), gap = (double)BATCH / (double)o.rate;
	int next = 0;
	while (done < total) {
		int n = total - done < BATCH ? (int)(total - done) : BATCH;
		int kind_of[BATCH];
		for (int i = 0; i < n; i++) {
			int k = o.kinds[next];
			next = (next + 1) % o.n_kinds;
			kind_of[i] = k;
			iov[i].iov_base = frames[k];
			iov[i].iov_len = flen[k];
			memset(&msgs[i], 0, sizeof(msgs[i]));
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		int r = sendmmsg(fd, msgs, (unsigned)n, 0);
		if (r < 0) {
			if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
				die("sendmmsg failed");
			r = 0;
			errors++;
		}
		for (int i = 0; i < r; i++)
			sent[kind_of[i]]++;
		done += n; /* a batch the kernel refused is not retried: the rate holds */
		/* pace: the next batch is due at t0 + (done / BATCH) * gap */
		double due = t0 + (double)done / BATCH * gap, t = now_s();
		if (due > t) {
			struct timespec ts = {.tv_sec = (time_t)(due - t),
					      .tv_nsec = (long)((due - t - (double)(time_t)(due - t)) * 1e9)};
			nanosleep(&ts, NULL);
		}
		if (t - t0 > MAX_SECONDS + 5)
			break; /* cannot keep up: stop anyway, bounded in time */
	}
	double el = now_s() - t0;
	long all = 0;
	for (int i = 0; i < o.n_kinds; i++) {
		int k = o.kinds[i], dup = 0;
		for (int j = 0; j < i; j++)
			dup |= o.kinds[j] == k;
		if (dup)
			continue;
		printf("vrrpflood: sent %s %ld\n", kind_name[k], sent[k]);
		all += sent[k];
	}
	printf("vrrpflood: total %ld in %.3f s = %.0f pps (%ld batches refused)\n", all, el,
	       el > 0 ? (double)all / el : 0.0, errors);
	close(fd);
	return 0;
}
