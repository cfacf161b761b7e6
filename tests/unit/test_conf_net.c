/* Unit tests for the configuration of the network side of instances
 * (src/conf/kw_route.c, kw_addr.c, check_net.c and their keywords in
 * kw_instance.c / kw_global.c / kw_top.c, dump.c): virtual MACs,
 * Accept_Mode and strict mode, multicast groups, gna_interval, virtual and
 * static routes, rules and addresses. Files are loaded from memory
 * (conf_load_buffer), named n.conf; every message is asserted whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/conf.h"

/* ---- helpers ---- */

static void print_msgs(const struct conf_msgs *m)
{
	for (size_t k = 0; k < m->n; k++)
		fprintf(stderr, "    msg[%zu] = %s\n", k, m->v[k]);
}

static struct config *load(const char *text, struct conf_msgs *m)
{
	return conf_load_buffer("n.conf", text, strlen(text), m);
}

/* Loads TEXT, expecting no error and exactly the messages WANT (warnings),
 * NULL-terminated. */
static struct config *load_ok(const char *text, const char *const *want)
{
	struct conf_msgs m;
	struct config *c = load(text, &m);
	size_t n = 0;

	while (want && want[n])
		n++;
	if (!c || m.n != n)
		print_msgs(&m);
	assert_non_null(c);
	assert_int_equal(m.errors, 0);
	assert_int_equal(m.n, n);
	for (size_t k = 0; k < n; k++)
		assert_string_equal(m.v[k], want[k]);
	conf_msgs_free(&m);
	return c;
}

static void assert_addr(const struct vaddr *a, const char *s)
{
	char buf[ADDR_STRLEN];

	assert_string_equal(addr_str(a, buf), s);
}

/* An instance: line 1 "vrrp_instance VI_1 {", the VIP at line 5, and the
 * caller's lines from line 7. */
#define HEAD                                                                                       \
	"vrrp_instance VI_1 {\n"                                                                   \
	"  interface eth0\n"                                                                       \
	"  virtual_router_id 51\n"                                                                 \
	"  virtual_ipaddress {\n"                                                                  \
	"    192.0.2.1\n"                                                                          \
	"  }\n"
#define HEAD6                                                                                      \
	"vrrp_instance VI_6 {\n"                                                                   \
	"  interface eth0\n"                                                                       \
	"  virtual_router_id 51\n"                                                                 \
	"  virtual_ipaddress {\n"                                                                  \
	"    fe80::51\n"                                                                           \
	"  }\n"
/* One route (rule) line at line 8, column 5. */
#define ROUTE(l) HEAD "  virtual_routes {\n    " l "\n  }\n}\n"
#define RULE(l)	 HEAD "  virtual_rules {\n    " l "\n  }\n}\n"

/* An instance with use_vmac, unicast peers and vmac_xmit_base: fine. */
#define INST_UNICAST_OK                                                                            \
	"vrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 52\n"                         \
	"  virtual_ipaddress {\n    192.0.2.2\n  }\n  use_vmac\n  vmac_xmit_base\n"                \
	"  unicast_peer {\n    192.0.2.3\n  }\n}\n"

/* ---- bad files ---- */

struct bad_case {
	const char *name;
	const char *text;
	int errors;
	const char *msgs[10]; /* every message, in order */
};

static const struct bad_case bad_cases[] = {
    /* routes */
    {"route_mixed_families",
     ROUTE("192.0.2.0/24 via 2001:db8::1"),
     1,
     {"n.conf:8:22: '2001:db8::1' is IPv6 but this route is IPv4 (from '192.0.2.0/24' at 8:5); "
      "a route cannot mix address families"}},
    {"route_inet6_keyword",
     ROUTE("192.0.2.0/24 inet6"),
     1,
     {"n.conf:8:18: 'inet6' is IPv6 but this route is IPv4 (from '192.0.2.0/24' at 8:5); a "
      "route cannot mix address families"}},
    {"route_host_bits",
     ROUTE("192.0.2.1/24 dev eth0"),
     1,
     {"n.conf:8:5: route destination 192.0.2.1/24 has host bits set (the network is "
      "192.0.2.0/24)"}},
    {"route_nexthop",
     ROUTE("192.0.2.0/24 nexthop via 192.0.2.254"),
     1,
     {"n.conf:8:18: 'nexthop' is not implemented by vrrpd (a multipath route); without it the "
      "route would not do what it says, so it is refused"}},
    {"route_tos",
     ROUTE("192.0.2.0/24 tos 0x10 via 192.0.2.254"),
     1,
     {"n.conf:8:18: 'tos' is not implemented by vrrpd (a route for one TOS value only); "
      "without it the route would not do what it says, so it is refused"}},
    {"route_from",
     ROUTE("2001:db8::/32 from 2001:db8:1::/48 dev eth0"),
     1,
     {"n.conf:8:19: 'from' is not implemented by vrrpd (a source-specific route, only for "
      "packets from that prefix); without it the route would not do what it says, so it is "
      "refused"}},
    {"route_typo",
     ROUTE("192.0.2.0/24 via 192.0.2.254 metirc 5"),
     1,
     {"n.conf:8:34: unexpected 'metirc' in route (did you mean 'metric'?)"}},
    {"route_unknown_word",
     ROUTE("192.0.2.0/24 bananas"),
     1,
     {"n.conf:8:18: unexpected 'bananas' in route (expected [to] PREFIX, via, dev, table, "
      "metric, scope, src or onlink)"}},
    {"route_no_destination",
     ROUTE("via 192.0.2.254"),
     1,
     {"n.conf:8:5: route has no destination (expected [to] PREFIX or default)"}},
    {"route_two_destinations",
     ROUTE("192.0.2.0/24 198.51.100.0/24"),
     1,
     {"n.conf:8:18: route has two destinations, '192.0.2.0/24' (at 8:5) and "
      "'198.51.100.0/24'"}},
    {"route_blackhole_via",
     ROUTE("blackhole 192.0.2.0/24 via 192.0.2.254"),
     1,
     {"n.conf:8:28: a blackhole route has no gateway and no device; remove 'via'"}},
    {"route_prohibit_dev",
     ROUTE("prohibit 192.0.2.0/24 dev eth0"),
     1,
     {"n.conf:8:27: a prohibit route has no gateway and no device; remove 'dev'"}},
    {"route_type_throw",
     ROUTE("throw 192.0.2.0/24"),
     1,
     {"n.conf:8:5: route type 'throw' is not implemented by vrrpd (unicast, blackhole, "
      "unreachable and prohibit are)"}},
    {"route_bad_values",
     HEAD "  virtual_routes {\n"
	  "    192.0.2.0/24 table foo\n"
	  "    192.0.2.0/24 metric -1\n"
	  "    192.0.2.0/24 scope galaxy\n"
	  "    192.0.2.0/24 src 192.0.2.300\n"
	  "    192.0.2.0/24 dev a/b\n"
	  "    192.0.2.0/24 via\n"
	  "    192.0.2.0/24 track_group G\n"
	  "    192.0.2.0/24 mtu\n"
	  "    192.0.2.0/33\n"
	  "  }\n}\n",
     9,
     {"n.conf:8:24: table must be main, default, local or a number from 0 to 4294967295, got "
      "'foo' (vrrpd does not read the names in /etc/iproute2/rt_tables)",
      "n.conf:9:25: metric must be a number from 0 to 4294967295, got '-1'",
      "n.conf:10:24: scope must be global, site, link, host, nowhere or a number from 0 to 255, "
      "got 'galaxy'",
      "n.conf:11:22: route src must be an IPv4 or IPv6 address, got '192.0.2.300'",
      "n.conf:12:22: 'a/b' is not a valid interface name",
      "n.conf:13:18: expected an address after 'via'",
      "n.conf:14:18: 'track_group' is only allowed in static_routes",
      "n.conf:15:18: warning: 'mtu' is not implemented by vrrpd yet; ignored",
      "n.conf:15:18: expected a value after 'mtu'",
      "n.conf:16:5: prefix length of 192.0.2.0 must be a number from 0 to 32, got '33'"}},
    {"route_clash",
     HEAD "  virtual_routes {\n"
	  "    192.0.2.0/24 via 192.0.2.254\n"
	  "    to 192.0.2.0/24 via 192.0.2.253 metric 0\n"
	  "    192.0.2.0/24 via 192.0.2.253 metric 1\n"
	  "  }\n}\n",
     1,
     {"n.conf:9:5: route 192.0.2.0/24 has the destination, table and metric of the route at "
      "8:5; the kernel keeps only one of them"}},
    {"static_route_needs_dev",
     "static_routes {\n  192.0.2.0/24\n  192.0.2.0/25 dev eth0\n}\n",
     1,
     {"n.conf:2:3: static route 192.0.2.0/24 needs 'dev' or 'via' (there is no instance "
      "interface to send it to)"}},
    {"static_and_virtual_route",
     "static_routes {\n  198.51.100.0/24 via 192.0.2.254\n}\n" HEAD
     "  virtual_routes {\n    198.51.100.0/24 via 192.0.2.253\n  }\n}\n",
     1,
     {"n.conf:11:5: route 198.51.100.0/24 of vrrp_instance VI_1 has the destination, table and "
      "metric of the static route at 2:3; it would replace it, and remove it when the instance "
      "stops being master"}},
    /* rules */
    {"rule_no_action",
     RULE("from 192.0.2.0/24 priority 1"),
     1,
     {"n.conf:8:5: rule has no action (expected table N, blackhole, unreachable or prohibit)"}},
    {"rule_two_actions",
     RULE("from 192.0.2.0/24 table 100 blackhole priority 1"),
     1,
     {"n.conf:8:33: a rule has one action, and this one already has 'table' (at 8:23)"}},
    {"rule_mixed_families",
     RULE("from 192.0.2.0/24 to 2001:db8::/32 table 1 priority 1"),
     1,
     {"n.conf:8:26: '2001:db8::/32' is IPv6 but this rule is IPv4 (from '192.0.2.0/24' at "
      "8:10); a rule cannot mix address families"}},
    {"rule_table_zero",
     RULE("from 192.0.2.0/24 table 0 priority 1"),
     1,
     {"n.conf:8:29: table 0 is not valid for a rule"}},
    {"rule_fwmark_mask_zero",
     RULE("fwmark 0x10/0 table 1 priority 1"),
     1,
     {"n.conf:8:12: fwmark mask 0 matches every packet; write no fwmark instead"}},
    {"rule_fwmark_bad",
     RULE("fwmark 1x table 1 priority 1"),
     1,
     {"n.conf:8:12: fwmark must be MARK or MARK/MASK, numbers from 0 to 0xffffffff, got "
      "'1x'"}},
    {"rule_not",
     RULE("not from 192.0.2.0/24 table 1 priority 1"),
     1,
     {"n.conf:8:5: 'not' is not implemented by vrrpd (a rule for the packets its selector "
      "does not match); without it the rule would not do what it says, so it is refused"}},
    {"rule_suppress_prefixlength",
     RULE("from all lookup main suppress_prefixlength 0 priority 1"),
     1,
     {"n.conf:8:26: 'suppress_prefixlength' is not implemented by vrrpd (a lookup result "
      "suppressed by prefix length); without it the rule would not do what it says, so it is "
      "refused"}},
    {"rule_typo",
     RULE("from 192.0.2.0/24 tabel 1"),
     1,
     {"n.conf:8:23: unexpected 'tabel' in rule (did you mean 'table'?)"}},
    {"rule_type_throw",
     RULE("from 192.0.2.0/24 type throw priority 1"),
     1,
     {"n.conf:8:28: rule type must be blackhole, unreachable or prohibit, got 'throw'"}},
    {"rule_iif_missing",
     RULE("from 192.0.2.0/24 table 1 iif"),
     1,
     {"n.conf:8:31: expected an interface name after 'iif'"}},
    {"rule_duplicate",
     "static_rules {\n  from 192.0.2.0/24 table 1 priority 5\n"
     "  from 192.0.2.0/24 lookup 1 pref 5\n}\n",
     1,
     {"n.conf:3:3: duplicate rule (first at 2:3)"}},
    /* static addresses */
    {"static_address_needs_dev",
     "static_ipaddress {\n  203.0.113.1/24\n}\n",
     1,
     {"n.conf:2:3: static address 203.0.113.1/24 needs 'dev' (there is no instance interface "
      "to put it on)"}},
    {"static_address_twice_and_vip",
     "static_ipaddress {\n  192.0.2.1/24 dev eth0\n  192.0.2.1/25 dev eth1\n}\n" HEAD "}\n",
     2,
     {"n.conf:3:3: duplicate static address 192.0.2.1 (first at 2:3)",
      "n.conf:9:5: 192.0.2.1 is a static address (at 2:3) and a virtual address of "
      "vrrp_instance VI_1; it would be removed whenever the instance is not master"}},
    /* virtual MAC */
    {"vmac_bad_names",
     HEAD "  use_vmac a/b\n}\n"
	  "vrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 52\n"
	  "  virtual_ipaddress {\n    192.0.2.2\n  }\n  use_vmac x y\n}\n"
	  "vrrp_instance VI_3 {\n  interface eth0\n  virtual_router_id 53\n"
	  "  virtual_ipaddress {\n    192.0.2.3\n  }\n  use_vmac name\n}\n"
	  "vrrp_instance VI_4 {\n  interface eth0\n  virtual_router_id 54\n"
	  "  virtual_ipaddress {\n    192.0.2.4\n  }\n  use_vmac 0123456789abcdef\n}\n",
     4,
     {"n.conf:7:12: 'a/b' is not a valid interface name for use_vmac (1 to 15 characters, no "
      "'/', ':' or blanks, not '.' or '..')",
      "n.conf:15:14: use_vmac has two names, 'x' (at 15:12) and 'y'",
      "n.conf:23:12: expected an interface name after 'name'",
      "n.conf:31:12: '0123456789abcdef' is not a valid interface name for use_vmac (1 to 15 "
      "characters, no '/', ':' or blanks, not '.' or '..')"}},
    {"vmac_name_clashes",
     HEAD "  use_vmac eth1\n}\n"
	  "vrrp_instance VI_2 {\n  interface eth1\n  virtual_router_id 52\n"
	  "  virtual_ipaddress {\n    192.0.2.2\n  }\n  use_vmac v1\n}\n"
	  "vrrp_instance VI_3 {\n  interface eth0\n  virtual_router_id 53\n"
	  "  virtual_ipaddress {\n    192.0.2.3\n  }\n  use_vmac name v1\n}\n",
     2,
     {"n.conf:7:12: use_vmac name 'eth1' is the interface of vrrp_instance VI_2; a virtual MAC "
      "interface needs a name of its own",
      "n.conf:23:17: use_vmac name 'v1' is already the virtual MAC interface of vrrp_instance "
      "VI_2 (at 15:12)"}},
    {"vmac_unicast_needs_xmit_base",
     HEAD "  use_vmac\n  unicast_peer {\n    192.0.2.2\n  }\n}\n" INST_UNICAST_OK,
     1,
     {"n.conf:7:3: use_vmac with unicast_peer needs vmac_xmit_base (unicast adverts go out of "
      "and come in on eth0, not the virtual MAC interface)"}},
    {"vmac_prefix_bad",
     "global_defs {\n  vmac_prefix toolongpfx\n}\n" HEAD "  use_vmac\n}\n",
     1,
     {"n.conf:2:15: vmac_prefix must be 1 to 9 characters of an interface name (no '/', ':', "
      "'.' or blanks), got 'toolongpfx'"}},
    /* strict mode */
    {"strict_refusals",
     "global_defs {\n  vrrp_strict\n}\n"
     "vrrp_instance VI_1 {\n"
     "  interface eth0\n"
     "  virtual_router_id 51\n"
     "  state MASTER\n"
     "  priority 100\n"
     "  preempt_delay 5\n"
     "  lower_prio_no_advert false\n"
     "  use_vmac\n"
     "  vmac_xmit_base\n"
     "  accept\n"
     "  authentication {\n    auth_type PASS\n    auth_pass secret\n  }\n"
     "  unicast_peer {\n    192.0.2.2\n  }\n"
     "  virtual_ipaddress {\n    192.0.2.1\n  }\n"
     "}\n",
     7,
     {"n.conf:15:15: authentication is not allowed in strict mode (vrrp_strict at 2:3)",
      "n.conf:19:5: unicast_peer is not allowed in strict mode (vrrp_strict at 2:3): adverts go "
      "to the multicast group",
      "n.conf:7:3: state MASTER is only for the address owner (priority 255) in strict mode "
      "(vrrp_strict at 2:3); vrrp_instance VI_1 has priority 100",
      "n.conf:9:3: preempt_delay is not allowed in strict mode (vrrp_strict at 2:3)",
      "n.conf:10:3: lower_prio_no_advert false is not allowed in strict mode (vrrp_strict at "
      "2:3)",
      "n.conf:12:3: vmac_xmit_base is not allowed in strict mode (vrrp_strict at 2:3)",
      "n.conf:13:3: accept is not allowed in strict mode (vrrp_strict at 2:3) with VRRP "
      "version 2 (RFC 3768 has no Accept_Mode)"}},
    {"strict_owner_and_ipv6",
     "vrrp_instance VI_1 {\n"
     "  interface eth0\n"
     "  virtual_router_id 51\n"
     "  strict_mode\n"
     "  priority 255\n"
     "  state BACKUP\n"
     "  virtual_ipaddress {\n    2001:db8::1\n    fe80::1\n  }\n"
     "}\n"
     "global_defs {\n  vrrp_strict maybe\n}\n",
     3,
     {"n.conf:13:15: vrrp_strict takes true or false (or yes/no, on/off, 1/0), got 'maybe'",
      "n.conf:6:3: the address owner (priority 255) must have state MASTER in strict mode "
      "(strict_mode at 4:3)",
      "n.conf:8:5: the first IPv6 virtual address must be link-local (RFC 5798 5.2.9) in strict "
      "mode (strict_mode at 4:3); 2001:db8::1 is not"}},
    /* multicast */
    {"mcast_groups_bad",
     "global_defs {\n"
     "  vrrp_mcast_group4 10.0.0.1\n"
     "  vrrp_mcast_group4 ff02::12\n"
     "  vrrp_mcast_group6 224.0.0.18\n"
     "  vrrp_mcast_group6 ff05::12\n"
     "}\n" HEAD "}\n",
     3,
     {"n.conf:2:21: vrrp_mcast_group4 must be an IPv4 multicast address (224.0.0.0/4), got "
      "'10.0.0.1'",
      "n.conf:3:3: warning: 'vrrp_mcast_group4' given again in global_defs (first at 2:3); the "
      "last one wins",
      "n.conf:3:21: vrrp_mcast_group4 must be an IPv4 multicast address (224.0.0.0/4), got "
      "'ff02::12'",
      "n.conf:4:21: vrrp_mcast_group6 must be an IPv6 multicast address (ff00::/8), got "
      "'224.0.0.18'",
      "n.conf:5:3: warning: 'vrrp_mcast_group6' given again in global_defs (first at 4:3); the "
      "last one wins",
      "n.conf:5:21: warning: vrrp_mcast_group6 ff05::12 is not a link-local group (ff02::/16); "
      "adverts are meant for the link"}},
    {"mcast_dst_bad",
     HEAD "  mcast_dst_ip 10.0.0.1\n}\n"
	  "vrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 52\n"
	  "  virtual_ipaddress {\n    192.0.2.2\n  }\n  mcast_dst_ip ff05::1\n}\n"
	  "vrrp_instance VI_3 {\n  interface eth0\n  virtual_router_id 53\n"
	  "  virtual_ipaddress {\n    192.0.2.3\n  }\n  mcast_dst_ip ff02::1:2\n}\n"
	  "vrrp_instance VI_4 {\n  interface eth0\n  virtual_router_id 54\n"
	  "  virtual_ipaddress {\n    192.0.2.4\n  }\n  mcast_dst_ip 224.0.0.19\n"
	  "  unicast_peer {\n    192.0.2.9\n  }\n}\n",
     4,
     {"n.conf:7:16: mcast_dst_ip must be an IPv4 multicast address (224.0.0.0/4) or an IPv6 "
      "link-local multicast address (ff02::/16), got '10.0.0.1'",
      "n.conf:15:16: mcast_dst_ip must be an IPv4 multicast address (224.0.0.0/4) or an IPv6 "
      "link-local multicast address (ff02::/16), got 'ff05::1'",
      "n.conf:23:16: mcast_dst_ip ff02::1:2 is IPv6 but vrrp_instance VI_3 is IPv4",
      "n.conf:31:16: mcast_dst_ip is for multicast adverts, but vrrp_instance VI_4 has "
      "unicast_peer"}},
    {"gna_interval_bad",
     "global_defs {\n  vrrp_gna_interval x\n}\n" HEAD "  gna_interval 11\n}\n",
     2,
     {"n.conf:2:21: vrrp_gna_interval must be a number of seconds from 0 to 10, got 'x'",
      "n.conf:10:16: gna_interval must be a number of seconds from 0 to 10, got '11'"}},
};

#define N_BAD (sizeof(bad_cases) / sizeof(bad_cases[0]))

static void test_bad(void **state)
{
	const struct bad_case *bc = *state;
	struct conf_msgs m;
	struct config *c = load(bc->text, &m);
	size_t n = 0;

	while (n < 10 && bc->msgs[n])
		n++;
	if (c || m.errors != bc->errors || m.n != n) {
		fprintf(stderr, "  case %s:\n", bc->name);
		print_msgs(&m);
	}
	assert_null(c);
	assert_int_equal(m.errors, bc->errors);
	assert_int_equal(m.n, n);
	for (size_t k = 0; k < n; k++)
		assert_string_equal(m.v[k], bc->msgs[k]);
	conf_msgs_free(&m);
}

/* ---- routes ---- */

static void test_routes(void **state)
{
	static const char *const warn[] = {
	    "n.conf:9:36: warning: 'mtu' is not implemented by vrrpd yet; ignored",
	    "n.conf:9:50: warning: 'protocol' is not implemented by vrrpd yet; ignored",
	    "n.conf:9:64: warning: 'no_track' is not implemented by vrrpd yet; ignored",
	    "n.conf:13:5: warning: 'default6' is deprecated; write 'inet6 default'", NULL};
	struct config *c =
	    load_ok(HEAD "  virtual_routes {\n"
			 "    to 198.51.100.0/24 gw 192.0.2.254 table 100 metric 10 "
			 "scope global onlink\n"
			 "    192.0.2.128/25 via 192.0.2.254 mtu lock 1400 protocol bird "
			 "no_track\n"
			 "    default via 192.0.2.254 dev eth1 table local\n"
			 "    inet6 default via fe80::1 dev eth0 preference 7\n"
			 "    unreachable 2001:db8:1::/48 table default\n"
			 "    default6 via fe80::2 dev eth0 table 253 priority 9\n"
			 "    src 192.0.2.1 prohibit 203.0.113.0/24 table 254\n"
			 "    192.0.2.64/26\n"
			 "    unicast to 192.0.2.32/27 via 192.0.2.254\n"
			 "  }\n}\n",
		    warn);
	const struct conf_instance *in = &c->inst[0];
	const struct vroute *r = in->vroutes;

	(void)state;
	assert_int_equal(in->n_vroutes, 9);
	assert_int_equal(r[0].family, AF_INET);
	assert_int_equal(r[0].type, VROUTE_UNICAST);
	assert_addr(&r[0].dst, "198.51.100.0");
	assert_int_equal(r[0].dst_len, 24);
	assert_true(r[0].has_via);
	assert_addr(&r[0].via, "192.0.2.254");
	assert_int_equal(r[0].table, 100);
	assert_true(r[0].has_metric);
	assert_int_equal(r[0].metric, 10);
	assert_true(r[0].has_scope);
	assert_int_equal(r[0].scope, RT_SCOPE_UNIVERSE);
	assert_true(r[0].onlink);
	assert_string_equal(r[0].dev, "");
	assert_false(r[1].has_metric);
	assert_false(r[1].has_scope);
	assert_int_equal(r[1].table, 0); /* main */
	assert_addr(&r[2].dst, "0.0.0.0");
	assert_int_equal(r[2].dst_len, 0);
	assert_int_equal(r[2].family, AF_INET);
	assert_string_equal(r[2].dev, "eth1");
	assert_int_equal(r[2].table, RT_TABLE_LOCAL);
	/* A route's family may differ from the instance's. */
	assert_int_equal(r[3].family, AF_INET6);
	assert_addr(&r[3].dst, "::");
	assert_int_equal(r[3].dst_len, 0);
	assert_addr(&r[3].via, "fe80::1");
	assert_int_equal(r[3].metric, 7);
	assert_int_equal(r[4].type, VROUTE_UNREACHABLE);
	assert_int_equal(r[4].family, AF_INET6);
	assert_int_equal(r[4].table, RT_TABLE_DEFAULT);
	assert_int_equal(r[5].family, AF_INET6);
	assert_int_equal(r[5].dst.family, AF_INET6);
	assert_int_equal(r[5].metric, 9);
	assert_int_equal(r[6].type, VROUTE_PROHIBIT);
	assert_true(r[6].has_src);
	assert_addr(&r[6].src, "192.0.2.1");
	assert_int_equal(r[6].table, 0); /* 254 is main */
	assert_false(r[7].has_via);	 /* a device route on the instance's interface */
	assert_string_equal(r[7].dev, "");
	assert_int_equal(r[8].type, VROUTE_UNICAST);
	assert_addr(&r[8].dst, "192.0.2.32");
	conf_free(c);
}

static void test_rules(void **state)
{
	static const char *const warn[] = {
	    "n.conf:11:52: warning: 'realms' is not implemented by vrrpd yet; ignored",
	    ("n.conf:12:5: warning: rule has no priority: the kernel gives it one less than its "
	     "second rule's (32765 with only the default rules); write 'priority N' to choose"),
	    NULL};
	struct config *c =
	    load_ok(HEAD "  virtual_rules {\n"
			 "    from all fwmark 0x10/0xff lookup main priority 10\n"
			 "    to 198.51.100.0/24 iif eth1 oif eth2 pref 20 unreachable\n"
			 "    inet6 from all priority 30 type prohibit\n"
			 "    from 2001:db8::/32 dev eth1 order 40 table 200 realms 3\n"
			 "    from 192.0.2.0/24 blackhole\n"
			 "    fwmark 7 table 5 preference 0\n"
			 "  }\n}\n",
		    warn);
	const struct vrule *u = c->inst[0].vrules;

	(void)state;
	assert_int_equal(c->inst[0].n_vrules, 6);
	assert_int_equal(u[0].family, AF_INET);
	assert_false(u[0].has_from);
	assert_true(u[0].has_fwmark);
	assert_int_equal(u[0].fwmark, 0x10);
	assert_int_equal(u[0].fwmask, 0xff);
	assert_int_equal(u[0].action, VRULE_TABLE);
	assert_int_equal(u[0].table, 0);
	assert_int_equal(u[0].priority, 10);
	assert_true(u[1].has_to);
	assert_addr(&u[1].to, "198.51.100.0");
	assert_int_equal(u[1].to_len, 24);
	assert_string_equal(u[1].iif, "eth1");
	assert_string_equal(u[1].oif, "eth2");
	assert_int_equal(u[1].action, VRULE_UNREACHABLE);
	assert_int_equal(u[2].family, AF_INET6);
	assert_int_equal(u[2].action, VRULE_PROHIBIT);
	assert_int_equal(u[3].family, AF_INET6);
	assert_int_equal(u[3].from_len, 32);
	assert_string_equal(u[3].iif, "eth1");
	assert_int_equal(u[3].table, 200);
	assert_int_equal(u[3].priority, 40);
	assert_int_equal(u[4].action, VRULE_BLACKHOLE);
	assert_false(u[4].has_priority);
	assert_int_equal(u[5].fwmark, 7);
	assert_int_equal(u[5].fwmask, 0); /* not written */
	assert_true(u[5].has_priority);
	assert_int_equal(u[5].priority, 0);
	conf_free(c);
}

static void test_static(void **state)
{
	static const char *const warn[] = {
	    "n.conf:3:27: warning: 'track_group' is not implemented by vrrpd yet; ignored",
	    "n.conf:6:37: warning: 'track_group' is not implemented by vrrpd yet; ignored", NULL};
	struct config *c = load_ok("static_ipaddress {\n"
				   "  203.0.113.1/24 dev eth1 label eth1:s\n"
				   "  2001:db8::5/64 dev eth1 track_group G\n"
				   "}\n"
				   "static_routes {\n"
				   "  198.51.100.0/24 via 203.0.113.254 track_group G\n"
				   "  blackhole 10.0.0.0/8\n"
				   "}\n"
				   "static_routes {\n  192.0.2.0/24 dev eth1\n}\n"
				   "static_rules {\n  from 203.0.113.0/24 table 7 priority 7\n}\n",
				   warn);
	const struct conf_global *g = &c->global;

	(void)state;
	assert_int_equal(c->n_inst, 0);
	assert_int_equal(g->n_static_addrs, 2);
	assert_addr(&g->static_addrs[0].addr, "203.0.113.1");
	assert_string_equal(g->static_addrs[0].dev, "eth1");
	assert_string_equal(g->static_addrs[0].label, "eth1:s");
	assert_int_equal(g->static_addrs[1].addr.family, AF_INET6);
	assert_int_equal(g->n_static_routes, 3); /* blocks add up */
	assert_int_equal(g->static_routes[1].type, VROUTE_BLACKHOLE);
	assert_string_equal(g->static_routes[2].dev, "eth1");
	assert_int_equal(g->n_static_rules, 1);
	assert_int_equal(g->static_rules[0].table, 7);
	conf_free(c);
}

/* ---- virtual MAC ---- */

#define INST(name, ifname, vrid, vip, extra)                                                       \
	"vrrp_instance " name " {\n  interface " ifname "\n  virtual_router_id " vrid              \
	"\n  virtual_ipaddress {\n    " vip "\n  }\n" extra "}\n"

static void test_vmac(void **state)
{
	static const char *const warn[] = {
	    ("n.conf:47:17: warning: use_vmac MAC address '00:11:22:33:44' is not implemented by "
	     "vrrpd yet; ignored (the virtual MAC is RFC 5798's 00:00:5e:00:01:VRID, IPv6 "
	     "00:00:5e:00:02:VRID)"),
	    "n.conf:47:32: warning: use_vmac 'netlink_notify_msg' is not implemented by vrrpd yet; "
	    "ignored",
	    "n.conf:47:51: warning: use_vmac 'group' is not implemented by vrrpd yet; ignored",
	    NULL};
	struct config *c = load_ok(
	    INST("A4", "eth0", "51", "192.0.2.1", "  use_vmac\n")
		INST("A6", "eth0", "51", "fe80::1", "  use_vmac\n")
		    INST("B4", "eth1", "51", "192.0.2.2", "  use_vmac\n")
			INST("C4", "eth2", "51", "192.0.2.3", "  use_vmac vrrp1.51\n")
			    INST("D", "eth0", "60", "192.0.2.4", "  use_vmac name group\n")
				INST("E", "eth0", "61", "192.0.2.5",
				     "  use_vmac vm61 00:11:22:33:44 netlink_notify_msg group 2\n"
				     "  vmac_xmit_base\n") INST("F", "eth0", "62", "192.0.2.6", ""),
	    warn);

	(void)state;
	/* Written names first, then keepalived's defaults in file order. */
	assert_true(c->inst[0].use_vmac);
	assert_string_equal(c->inst[0].vmac_name, "vrrp.51");
	assert_string_equal(c->inst[1].vmac_name, "vrrp6.51");
	assert_string_equal(c->inst[2].vmac_name, "vrrp2.51"); /* vrrp1.51 is C4's */
	assert_string_equal(c->inst[3].vmac_name, "vrrp1.51");
	assert_string_equal(c->inst[4].vmac_name, "group");
	assert_string_equal(c->inst[5].vmac_name, "vm61");
	assert_true(c->inst[5].vmac_xmit_base);
	assert_false(c->inst[0].vmac_xmit_base);
	assert_false(c->inst[6].use_vmac);
	assert_string_equal(c->inst[6].vmac_name, "");
	conf_free(c);
	/* vmac_prefix */
	c = load_ok("global_defs {\n  vmac_prefix kv\n}\n" INST("A", "eth0", "7", "fe80::1",
								"  use_vmac\n"),
		    NULL);
	assert_string_equal(c->inst[0].vmac_name, "kv.7");
	conf_free(c);
}

/* ---- Accept_Mode and strict mode ---- */

static void test_accept_and_strict(void **state)
{
	static const char *const again[] = {
	    "n.conf:23:3: warning: 'accept' given again in vrrp_instance (first at 22:3); the last "
	    "one wins",
	    NULL};
	struct config *c =
	    load_ok(INST("D", "eth0", "1", "192.0.2.1", "")
			INST("N", "eth0", "2", "192.0.2.2", "  no_accept\n")
			    INST("A", "eth0", "3", "192.0.2.3", "  no_accept\n  accept\n"),
		    again);

	(void)state;
	assert_true(c->inst[0].accept_mode); /* keepalived's default */
	assert_false(c->inst[0].strict_mode);
	assert_false(c->inst[1].accept_mode);
	assert_true(c->inst[2].accept_mode);
	assert_false(c->global.vrrp_strict);
	conf_free(c);

	c = load_ok("global_defs {\n  vrrp_strict\n}\n" INST("S", "eth0", "1", "192.0.2.1", "")
			INST("O", "eth0", "2", "192.0.2.2", "  priority 255\n  state MASTER\n")
			    INST("V3", "eth0", "3", "192.0.2.3", "  version 3\n  accept\n")
				INST("L", "eth0", "4", "192.0.2.4", "  strict_mode off\n")
				    INST("W", "eth0", "5", "fe80::5", "  lower_prio_no_advert\n")
					INST("P", "eth0", "6", "192.0.2.6", "  priority 255\n"),
		    NULL);
	assert_true(c->global.vrrp_strict);
	assert_true(c->inst[0].strict_mode);
	assert_false(c->inst[0].accept_mode);	      /* no_accept unless "accept" */
	assert_true(c->inst[0].lower_prio_no_advert); /* strict's default */
	assert_false(c->inst[1].accept_mode);	      /* stored; the owner accepts anyway */
	assert_true(c->inst[2].accept_mode);
	assert_false(c->inst[3].strict_mode);
	assert_true(c->inst[3].accept_mode);
	assert_false(c->inst[3].lower_prio_no_advert);
	assert_true(c->inst[4].strict_mode);
	/* keepalived's initial state: MASTER exactly for the owner. */
	assert_int_equal(c->inst[0].state, CONF_STATE_BACKUP);
	assert_int_equal(c->inst[5].state, CONF_STATE_MASTER);
	conf_free(c);

	c = load_ok(INST("I", "eth0", "1", "192.0.2.1", "  strict_mode\n"), NULL);
	assert_true(c->inst[0].strict_mode);
	assert_false(c->inst[0].accept_mode);
	conf_free(c);
}

/* ---- multicast groups and gna_interval ---- */

static void test_mcast_and_gna(void **state)
{
	static const char *const none[] = {NULL};
	struct config *c =
	    load_ok("global_defs {\n"
		    "  vrrp_mcast_group4 224.0.0.19\n"
		    "  vrrp_mcast_group6 ff02::1:12\n"
		    "  vrrp_gna_interval 0.001\n"
		    "}\n" INST("G4", "eth0", "1", "192.0.2.1", "")
			INST("G6", "eth0", "1", "fe80::1", "  gna_interval 0.5\n")
			    INST("D4", "eth0", "2", "192.0.2.2", "  mcast_dst_ip 239.1.2.3\n")
				INST("R4", "eth0", "3", "192.0.2.3", "  mcast_dst_ip 224.0.0.18\n")
				    INST("U4", "eth0", "4", "192.0.2.4",
					 "  unicast_peer {\n    192.0.2.9\n  }\n"),
		    none);
	const struct conf_instance *in = c->inst;

	(void)state;
	assert_true(c->global.has_mcast_group4);
	assert_addr(&c->global.mcast_group4, "224.0.0.19");
	assert_true(c->global.has_mcast_group6);
	assert_true(in[0].has_mcast_dst);
	assert_addr(&in[0].mcast_dst, "224.0.0.19");
	assert_true(in[1].has_mcast_dst);
	assert_addr(&in[1].mcast_dst, "ff02::1:12");
	assert_true(in[2].has_mcast_dst);
	assert_addr(&in[2].mcast_dst, "239.1.2.3");
	assert_false(in[3].has_mcast_dst); /* the RFC group is the default */
	assert_false(in[4].has_mcast_dst); /* unicast */
	assert_int_equal(c->global.garp.na_interval_us, 1000);
	assert_int_equal(in[0].garp.na_interval_us, 1000);
	assert_int_equal(in[1].garp.na_interval_us, 500000);
	conf_free(c);

	c = load_ok(INST("P", "eth0", "1", "fe80::1", ""), NULL);
	assert_false(c->inst[0].has_mcast_dst);
	assert_false(c->global.has_mcast_group6);
	assert_int_equal(c->inst[0].garp.na_interval_us, 0);
	conf_free(c);
}

/* ---- vrrpd -t ---- */

static const char dump_text[] =
    "global_defs {\n"
    "  vrrp_mcast_group4 224.0.0.19\n"
    "  vrrp_gna_interval 0.002\n"
    "  vrrp_strict\n"
    "}\n"
    "static_ipaddress {\n  203.0.113.5/24 dev eth1\n}\n"
    "static_routes {\n  198.51.100.0/24 via 203.0.113.1 dev eth1\n  blackhole 10.0.0.0/8\n}\n"
    "static_rules {\n  from 203.0.113.0/24 table 100 priority 100\n"
    "  inet6 fwmark 0x10/0xff lookup 200 priority 5\n}\n" INST(
	"VI_1", "eth0", "51", "192.0.2.1/24",
	"  use_vmac\n  version 3\n  accept\n"
	"  virtual_routes {\n"
	"    src 192.0.2.1 to 0.0.0.0/0 via 192.0.2.254 table 100 metric 3 scope global onlink\n"
	"    192.0.2.128/25 dev eth0 metric 5\n"
	"    198.18.0.0/15\n"
	"    inet6 unreachable 2001:db8:9::/48\n"
	"  }\n"
	"  virtual_rules {\n"
	"    from 192.0.2.0/24 to 198.51.100.0/24 iif eth1 oif eth2 priority 50 table 100\n"
	"    inet6 priority 51 blackhole\n"
	"  }\n") INST("VI_6", "eth0", "51", "fe80::1",
		      "  use_vmac v6\n  vmac_xmit_base\n"
		      "  strict_mode false\n  mcast_dst_ip ff02::1:2\n"
		      "  gna_interval 0.25\n")
	INST("VI_O", "eth1", "7", "192.0.2.7", "  priority 255\n");

static void test_dump(void **state)
{
	static const char *const want[] = {
	    "\tvrrp_gna_interval 0.002\n",
	    "\tvrrp_strict true\n",
	    "\tvrrp_mcast_group4 224.0.0.19\n",
	    "\t# vrrp_mcast_group6 ff02::12 (the default)\n",
	    "\nstatic_ipaddress {\n\t203.0.113.5/24 dev eth1 scope global\n}\n",
	    ("\nstatic_routes {\n\t198.51.100.0/24 via 203.0.113.1 dev eth1 table main\t# "
	     "defaults: metric 0, scope global\n"
	     "\tblackhole 10.0.0.0/8 table main\t# defaults: metric 0, scope global\n}\n"),
	    ("\nstatic_rules {\n\tfrom 203.0.113.0/24 priority 100 table 100\n"
	     "\tinet6 from all fwmark 0x10/0xff priority 5 table 200\n}\n"),
	    "\tmcast_dst_ip 224.0.0.19\t# adverts to and from this group (vrrp_mcast_group4)\n",
	    "\tuse_vmac vrrp.51\t# MAC 00:00:5e:00:01:33 on eth0\n",
	    "\taccept\n\tstrict_mode true\n",
	    ("\tvirtual_routes {\n"
	     "\t\t0.0.0.0/0 src 192.0.2.1 via 192.0.2.254 table 100 metric 3 scope global onlink\n"
	     "\t\t192.0.2.128/25 dev eth0 table main metric 5\t# defaults: scope link\n"
	     "\t\t198.18.0.0/15 table main\t# defaults: dev eth0, metric 0, scope link\n"
	     "\t\tunreachable 2001:db8:9::/48 table main\t# defaults: metric 1024, scope global\n"
	     "\t}\n"),
	    ("\tvirtual_rules {\n"
	     "\t\tfrom 192.0.2.0/24 to 198.51.100.0/24 iif eth1 oif eth2 priority 50 table 100\n"
	     "\t\tinet6 from all priority 51 blackhole\n"
	     "\t}\n"),
	    "\tgna_interval 0.002\n",
	    "\tlower_prio_no_advert true\n",
	    "\tmcast_dst_ip ff02::1:2\t# adverts to and from this group\n",
	    ("\tuse_vmac v6\t# MAC 00:00:5e:00:02:33 on eth0\n\tvmac_xmit_base\n\taccept\n"
	     "\tstrict_mode false\n"),
	    "\tgna_interval 0.25\n",
	};
	struct config *c1 = load_ok(dump_text, NULL), *c2;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct conf_msgs m;

	(void)state;
	assert_non_null(f);
	conf_dump(c1, f);
	fclose(f);
	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		if (!strstr(text, want[k]))
			fprintf(stderr, "  missing: %s\n%s", want[k], text);
		assert_non_null(strstr(text, want[k]));
	}
	/* The dump loads again into the same configuration. */
	c2 = load(text, &m);
	if (!c2)
		print_msgs(&m);
	assert_non_null(c2);
	conf_msgs_free(&m);
	assert_int_equal(c2->n_inst, c1->n_inst);
	for (size_t k = 0; k < c1->n_inst; k++)
		assert_true(conf_instance_equal(&c1->inst[k], &c2->inst[k]));
	assert_int_equal(c2->global.n_static_routes, c1->global.n_static_routes);
	for (size_t k = 0; k < c1->global.n_static_routes; k++)
		assert_true(
		    conf_route_equal(&c1->global.static_routes[k], &c2->global.static_routes[k]));
	assert_int_equal(c2->global.n_static_rules, c1->global.n_static_rules);
	for (size_t k = 0; k < c1->global.n_static_rules; k++)
		assert_true(
		    conf_rule_equal(&c1->global.static_rules[k], &c2->global.static_rules[k]));
	assert_int_equal(c2->global.n_static_addrs, 1);
	assert_true(c2->global.vrrp_strict);
	free(text);
	conf_free(c1);
	conf_free(c2);
}

/* ---- equality ---- */

static void test_equal(void **state)
{
	static const char *const variants[] = {
	    "  use_vmac\n",
	    "  use_vmac v1\n",
	    "  use_vmac\n  vmac_xmit_base\n",
	    "  no_accept\n",
	    "  strict_mode\n",
	    "  mcast_dst_ip 224.0.0.19\n",
	    "  gna_interval 1\n",
	    "  virtual_routes {\n    192.0.2.0/25\n  }\n",
	    "  virtual_rules {\n    from all table 1 priority 1\n  }\n",
	};
	struct config *base = load_ok(INST("V", "eth0", "1", "192.0.2.1", ""), NULL);

	(void)state;
	for (size_t k = 0; k < sizeof(variants) / sizeof(variants[0]); k++) {
		char text[512];
		struct config *c, *d;

		snprintf(text, sizeof(text), INST("V", "eth0", "1", "192.0.2.1", "%s"),
			 variants[k]);
		c = load_ok(text, NULL);
		d = load_ok(text, NULL);
		if (conf_instance_equal(&base->inst[0], &c->inst[0]))
			fprintf(stderr, "  variant %zu equals the base\n", k);
		assert_false(conf_instance_equal(&base->inst[0], &c->inst[0]));
		assert_true(conf_instance_equal(&d->inst[0], &c->inst[0]));
		conf_free(c);
		conf_free(d);
	}
	conf_free(base);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_routes),
	    cmocka_unit_test(test_rules),
	    cmocka_unit_test(test_static),
	    cmocka_unit_test(test_vmac),
	    cmocka_unit_test(test_accept_and_strict),
	    cmocka_unit_test(test_mcast_and_gna),
	    cmocka_unit_test(test_dump),
	    cmocka_unit_test(test_equal),
	};
	size_t nf = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest all[sizeof(fixed) / sizeof(fixed[0]) + N_BAD];
	char names[N_BAD][64];

	memcpy(all, fixed, sizeof(fixed));
	for (size_t k = 0; k < N_BAD; k++) {
		snprintf(names[k], sizeof(names[k]), "bad_%s", bad_cases[k].name);
		all[nf + k] = (struct CMUnitTest){.name = names[k],
						  .test_func = test_bad,
						  .initial_state = (void *)&bad_cases[k]};
	}
	return _cmocka_run_group_tests("conf_net", all, nf + N_BAD, NULL, NULL);
}
