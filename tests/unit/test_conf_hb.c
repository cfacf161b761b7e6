/* Unit tests for heartbeat_path (src/conf/kw_heartbeat.c, check_hb.c and
 * its parts of model.c and dump.c): the second path of an instance's
 * adverts. Files are loaded from memory (conf_load_buffer), named h.conf;
 * every message is asserted whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/conf.h"

static void print_msgs(const struct conf_msgs *m)
{
	for (size_t k = 0; k < m->n; k++)
		fprintf(stderr, "    msg[%zu] = %s\n", k, m->v[k]);
}

/* Loads TEXT; its messages must be exactly WANT (NULL-terminated), with
 * ERRORS of them errors. Returns the config (NULL when ERRORS). */
static struct config *load_want(const char *text, int errors, const char *const *want)
{
	struct conf_msgs m;
	struct config *c = conf_load_buffer("h.conf", text, strlen(text), &m);
	size_t n = 0;

	while (want[n])
		n++;
	if (m.n != n || m.errors != errors)
		print_msgs(&m);
	assert_int_equal(m.errors, errors);
	assert_int_equal(m.n, n);
	for (size_t k = 0; k < n; k++)
		assert_string_equal(m.v[k], want[k]);
	conf_msgs_free(&m);
	if (errors)
		assert_null(c);
	else
		assert_non_null(c);
	return c;
}

static void assert_addr(const struct vaddr *a, const char *s)
{
	char buf[ADDR_STRLEN];

	assert_string_equal(addr_str(a, buf), s);
}

/* Line 1 "vrrp_instance VI_1 {" on eth0, VRID 51, the VIP at line 5; the
 * caller's lines from line 7. */
#define HEAD                                                                                       \
	"vrrp_instance VI_1 {\n"                                                                   \
	"  interface eth0\n"                                                                       \
	"  virtual_router_id 51\n"                                                                 \
	"  virtual_ipaddress {\n"                                                                  \
	"    192.0.2.1\n"                                                                          \
	"  }\n"

static void test_multicast_path(void **state)
{
	static const char *const none[] = {NULL};
	struct config *c =
	    load_want(HEAD "  heartbeat_path {\n"
			   "    interface eth1\n"
			   "    unicast_src_ip 198.51.100.1/24\n"
			   "  }\n"
			   "}\n",
		      0,
		      (const char *const[]){"h.conf:9:20: warning: the prefix of "
					    "'198.51.100.1/24' is ignored (keepalived "
					    "ignores it too): 198.51.100.1",
					    NULL});
	const struct conf_instance *in = &c->inst[0];

	(void)state;
	assert_true(in->has_hb);
	assert_string_equal(in->hb_ifname, "eth1");
	assert_true(in->hb_has_src);
	assert_addr(&in->hb_src, "198.51.100.1");
	assert_int_equal(in->n_hb_peers, 0);
	conf_free(c);
	/* no heartbeat_path: nothing of it */
	c = load_want(HEAD "}\n", 0, none);
	assert_false(c->inst[0].has_hb);
	assert_string_equal(c->inst[0].hb_ifname, "");
	conf_free(c);
}

static void test_unicast_path(void **state)
{
	static const char *const none[] = {NULL};
	/* peers over the main interface, which itself is unicast */
	struct config *c = load_want(HEAD "  unicast_peer {\n"
					  "    192.0.2.2\n"
					  "  }\n"
					  "  heartbeat_path {\n"
					  "    unicast_peer {\n"
					  "      198.51.100.2\n"
					  "      198.51.100.3\n"
					  "    }\n"
					  "  }\n"
					  "}\n",
				     0, none);
	const struct conf_instance *in = &c->inst[0];

	(void)state;
	assert_true(in->has_hb);
	assert_string_equal(in->hb_ifname, "");
	assert_false(in->hb_has_src);
	assert_int_equal(in->n_hb_peers, 2);
	assert_addr(&in->hb_peers[0], "198.51.100.2");
	assert_addr(&in->hb_peers[1], "198.51.100.3");
	conf_free(c);
	/* peers on another interface, IPv6 */
	c = load_want("vrrp_instance VI_6 {\n"
		      "  interface eth0\n"
		      "  virtual_router_id 51\n"
		      "  virtual_ipaddress {\n"
		      "    2001:db8::51\n"
		      "  }\n"
		      "  heartbeat_path {\n"
		      "    interface eth1\n"
		      "    unicast_peer {\n"
		      "      2001:db8:1::2\n"
		      "    }\n"
		      "  }\n"
		      "}\n",
		      0, none);
	assert_int_equal(c->inst[0].family, AF_INET6);
	assert_addr(&c->inst[0].hb_peers[0], "2001:db8:1::2");
	conf_free(c);
}

static void test_errors(void **state)
{
	(void)state;
	load_want(HEAD "  heartbeat_path {\n"
		       "  }\n"
		       "}\n",
		  1,
		  (const char *const[]){"h.conf:7:3: heartbeat_path of vrrp_instance VI_1 needs an "
					"interface or a unicast_peer block: the second path goes "
					"somewhere",
					NULL});
	load_want(HEAD "  heartbeat_path {\n"
		       "    interface eth0\n"
		       "  }\n"
		       "}\n",
		  1,
		  (const char *const[]){"h.conf:8:15: heartbeat_path interface eth0 is "
					"vrrp_instance VI_1's own interface; the second path must "
					"be another one (for a second set of peers on eth0, leave "
					"the interface out)",
					NULL});
	load_want(HEAD "  heartbeat_path {\n"
		       "    interface eth1\n"
		       "    unicast_src_ip 2001:db8::1\n"
		       "    unicast_peer {\n"
		       "      2001:db8::2\n"
		       "      198.51.100.2\n"
		       "      198.51.100.2\n"
		       "    }\n"
		       "  }\n"
		       "}\n",
		  3,
		  (const char *const[]){
		      "h.conf:9:20: heartbeat_path unicast_src_ip 2001:db8::1 is IPv6 but "
		      "vrrp_instance VI_1 is IPv4",
		      "h.conf:11:7: heartbeat_path peer 2001:db8::2 is IPv6 but vrrp_instance VI_1 "
		      "is IPv4",
		      "h.conf:13:7: duplicate heartbeat_path peer 198.51.100.2 (first at 12:7)",
		      NULL});
	load_want(HEAD "  unicast_peer {\n"
		       "    192.0.2.2\n"
		       "  }\n"
		       "  heartbeat_path {\n"
		       "    unicast_peer {\n"
		       "      192.0.2.2\n"
		       "    }\n"
		       "  }\n"
		       "}\n",
		  1,
		  (const char *const[]){"h.conf:12:7: heartbeat_path peer 192.0.2.2 is also a "
					"unicast_peer of vrrp_instance VI_1: the second path needs "
					"peers of its own (or an interface)",
					NULL});
	load_want(
	    HEAD "  heartbeat_path {\n"
		 "    interface eth1\n"
		 "    unicast_peer {\n"
		 "      198.51.100.2 min_ttl 3\n"
		 "    }\n"
		 "    mcast_dst_ip 224.0.0.19\n"
		 "  }\n"
		 "  heartbeat_path {\n"
		 "    interface eth2\n"
		 "  }\n"
		 "}\n",
	    3,
	    (const char *const[]){
		"h.conf:10:20: unexpected 'min_ttl' after heartbeat peer 198.51.100.2",
		"h.conf:12:5: unknown keyword 'mcast_dst_ip' in heartbeat_path",
		"h.conf:14:3: heartbeat_path given again: an instance has one second path (the "
		"first is its interface)",
		NULL});
}

/* Strict mode refuses unicast on the second path as on the first; a
 * multicast second path is fine there. */
static void test_strict(void **state)
{
	static const char *const none[] = {NULL};

	(void)state;
	load_want(
	    "global_defs {\n"
	    "  vrrp_strict\n"
	    "}\n"
	    "vrrp_instance VI_1 {\n"
	    "  interface eth0\n"
	    "  virtual_router_id 51\n"
	    "  virtual_ipaddress {\n"
	    "    192.0.2.1\n"
	    "  }\n"
	    "  heartbeat_path {\n"
	    "    interface eth1\n"
	    "    unicast_peer {\n"
	    "      198.51.100.2\n"
	    "    }\n"
	    "  }\n"
	    "}\n",
	    1,
	    (const char *const[]){"h.conf:13:7: heartbeat_path unicast_peer is not allowed in "
				  "strict mode (as unicast_peer is not): adverts go to the "
				  "multicast group",
				  NULL});
	conf_free(load_want("global_defs {\n"
			    "  vrrp_strict\n"
			    "}\n"
			    "vrrp_instance VI_1 {\n"
			    "  interface eth0\n"
			    "  virtual_router_id 51\n"
			    "  virtual_ipaddress {\n"
			    "    192.0.2.1\n"
			    "  }\n"
			    "  heartbeat_path {\n"
			    "    interface eth1\n"
			    "  }\n"
			    "}\n",
			    0, none));
}

/* The second path's interface must not carry the same VRID and family for
 * another instance, as its interface or as its own second path. */
static void test_clashes(void **state)
{
	static const char *const none[] = {NULL};

	(void)state;
	load_want(HEAD "  heartbeat_path {\n"
		       "    interface eth1\n"
		       "  }\n"
		       "}\n"
		       "vrrp_instance VI_2 {\n"
		       "  interface eth1\n"
		       "  virtual_router_id 51\n"
		       "  virtual_ipaddress {\n"
		       "    198.51.100.9\n"
		       "  }\n"
		       "}\n",
		  1,
		  (const char *const[]){"h.conf:11:15: vrrp_instance VI_2 and vrrp_instance VI_1 "
					"both use eth1 with virtual_router_id 51 (IPv4) as "
					"heartbeat_path: their adverts could not be told apart",
					NULL});
	load_want(HEAD "  heartbeat_path {\n"
		       "    interface eth1\n"
		       "  }\n"
		       "}\n"
		       "vrrp_instance VI_2 {\n"
		       "  interface eth2\n"
		       "  virtual_router_id 51\n"
		       "  virtual_ipaddress {\n"
		       "    198.51.100.9\n"
		       "  }\n"
		       "  heartbeat_path {\n"
		       "    interface eth1\n"
		       "  }\n"
		       "}\n",
		  1,
		  (const char *const[]){"h.conf:18:15: vrrp_instance VI_2 and vrrp_instance VI_1 "
					"both use eth1 with virtual_router_id 51 (IPv4) as "
					"heartbeat_path: their adverts could not be told apart",
					NULL});
	/* another VRID, or another family, on the same interface is fine; so
	 * are two instances on one interface with their second paths apart */
	conf_free(load_want(HEAD "  heartbeat_path {\n"
				 "    interface eth1\n"
				 "  }\n"
				 "}\n"
				 "vrrp_instance VI_2 {\n"
				 "  interface eth1\n"
				 "  virtual_router_id 52\n"
				 "  virtual_ipaddress {\n"
				 "    198.51.100.9\n"
				 "  }\n"
				 "}\n"
				 "vrrp_instance VI_6 {\n"
				 "  interface eth1\n"
				 "  virtual_router_id 51\n"
				 "  virtual_ipaddress {\n"
				 "    2001:db8::9\n"
				 "  }\n"
				 "}\n",
			    0, none));
}

static void test_dump_and_equal(void **state)
{
	static const char *const none[] = {NULL};
	struct config *a = load_want(HEAD "  heartbeat_path {\n"
					  "    unicast_src_ip 198.51.100.1\n"
					  "    unicast_peer {\n"
					  "      198.51.100.2\n"
					  "    }\n"
					  "  }\n"
					  "}\n",
				     0, none);
	struct config *b = load_want(HEAD "  heartbeat_path {\n"
					  "    unicast_peer {\n"
					  "      198.51.100.2\n"
					  "    }\n"
					  "  }\n"
					  "}\n",
				     0, none);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	conf_dump(a, f);
	fclose(f);
	assert_non_null(strstr(text, "\theartbeat_path {\t# vrrpd's own: the adverts' second path\n"
				     "\t\t# interface: eth0, the instance's\n"
				     "\t\tunicast_src_ip 198.51.100.1\n"
				     "\t\tunicast_peer {\n"
				     "\t\t\t198.51.100.2\n"
				     "\t\t}\n"
				     "\t}\n"));
	free(text);
	assert_true(conf_hb_equal(&a->inst[0], &a->inst[0]));
	assert_false(conf_hb_equal(&a->inst[0], &b->inst[0]));
	assert_false(conf_instance_equal(&a->inst[0], &b->inst[0]));
	conf_free(a);
	conf_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_multicast_path), cmocka_unit_test(test_unicast_path),
	    cmocka_unit_test(test_errors),	   cmocka_unit_test(test_strict),
	    cmocka_unit_test(test_clashes),	   cmocka_unit_test(test_dump_and_equal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
