/* Unit tests for the configuration module as a whole (src/conf/: lexer,
 * parser, checks, loader, dump, model). Every input file is written by the test into a mkdtemp()
 * directory, which is also the working directory while the tests run, so
 * messages carry short relative file names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <linux/rtnetlink.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "conf/lex.h"
#include "conf/parse.h"

static char tmpdir[PATH_MAX];
static char origdir[PATH_MAX];

/* ---- helpers ---- */

static void wfile(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static void mkdir_p(const char *name)
{
	if (mkdir(name, 0755) < 0)
		assert_int_equal(errno, EEXIST);
}

static void print_msgs(const struct conf_msgs *m)
{
	for (size_t k = 0; k < m->n; k++)
		fprintf(stderr, "    msg[%zu] = %s\n", k, m->v[k]);
}

/* Loads NAME and expects success with exactly WARNINGS warnings. */
static struct config *load_ok(const char *name, int warnings, struct conf_msgs *m)
{
	struct config *c = conf_load(name, m);

	if (!c || m->errors || m->warnings != warnings)
		print_msgs(m);
	assert_non_null(c);
	assert_int_equal(m->errors, 0);
	assert_int_equal(m->warnings, warnings);
	return c;
}

static struct config *load_text_ok(const char *text, int warnings, struct conf_msgs *m)
{
	wfile("good.conf", text);
	return load_ok("good.conf", warnings, m);
}

static void assert_addr(const struct vaddr *a, const char *s)
{
	char buf[ADDR_STRLEN];

	assert_string_equal(addr_str(a, buf), s);
}

/* ---- bad files: each with its exact messages ---- */

struct bad_case {
	const char *name;
	const char *text;
	int errors;
	const char *msgs[8]; /* every message, in order; NULL-terminated */
};

#define I_HEAD "vrrp_instance VI_1 {\n"
#define I_BODY                                                                                     \
	"  interface eth0\n"                                                                       \
	"  virtual_router_id 51\n"                                                                 \
	"  virtual_ipaddress {\n"                                                                  \
	"    192.0.2.1\n"                                                                          \
	"  }\n"

/* So that scripts do not warn about the default user. */
#define SU "global_defs {\n  script_user root\n}\n"

static const struct bad_case bad_cases[] = {
    {"vrid_zero",
     I_HEAD "  interface eth0\n  virtual_router_id 0\n  virtual_ipaddress {\n    192.0.2.1\n  "
	    "}\n}\n",
     1,
     {"bad.conf:3:21: virtual_router_id must be a number from 1 to 255, got '0'"}},
    {"vrid_256",
     I_HEAD "  interface eth0\n  virtual_router_id 256\n  virtual_ipaddress {\n    192.0.2.1\n  "
	    "}\n}\n",
     1,
     {"bad.conf:3:21: virtual_router_id must be a number from 1 to 255, got '256'"}},
    {"vrid_not_number",
     I_HEAD "  interface eth0\n  virtual_router_id 5x\n  virtual_ipaddress {\n    192.0.2.1\n  "
	    "}\n}\n",
     1,
     {"bad.conf:3:21: virtual_router_id must be a number from 1 to 255, got '5x'"}},
    {"priority_zero",
     I_HEAD I_BODY "  priority 0\n}\n",
     1,
     {"bad.conf:7:12: priority must be a number from 1 to 255, got '0'"}},
    {"priority_256",
     I_HEAD I_BODY "  priority 256\n}\n",
     1,
     {"bad.conf:7:12: priority must be a number from 1 to 255, got '256'"}},
    {"priority_negative",
     I_HEAD I_BODY "  priority -1\n}\n",
     1,
     {"bad.conf:7:12: priority must be a number from 1 to 255, got '-1'"}},
    {"priority_missing_value",
     I_HEAD I_BODY "  priority\n}\n",
     1,
     {"bad.conf:7:3: expected a number after 'priority'"}},
    {"priority_extra_value",
     I_HEAD I_BODY "  priority 100 200\n}\n",
     1,
     {"bad.conf:7:16: unexpected '200' after 'priority 100'"}},
    {"simple_keyword_with_block",
     I_HEAD I_BODY "  priority 100 {\n    x\n  }\n}\n",
     1,
     {"bad.conf:7:16: unexpected '{' after 'priority 100'"}},
    {"missing_open_brace",
     "vrrp_instance VI_1\n\nvrrp_instance VI_2 {\n" I_BODY "}\n",
     1,
     {"bad.conf:3:1: expected '{' after 'vrrp_instance VI_1'"}},
    {"missing_close_brace",
     I_HEAD I_BODY "  priority 100\n\n\n\n",
     1,
     {"bad.conf:11:1: unexpected end of file: missing '}' for 'vrrp_instance' opened at 1:1"}},
    {"missing_close_brace_nested",
     I_HEAD "  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    192.0.2.1\n",
     1,
     {"bad.conf:6:1: unexpected end of file: missing '}' for 'virtual_ipaddress' opened at "
      "4:3"}},
    {"stray_close_brace",
     I_HEAD I_BODY "}\n}\n",
     1,
     {"bad.conf:8:1: unexpected '}' (no block is open)"}},
    {"instance_without_name",
     "vrrp_instance {\n" I_BODY "}\n",
     1,
     {"bad.conf:1:1: expected a name after 'vrrp_instance'"}},
    {"instance_name_with_space",
     "vrrp_instance VI 1 {\n" I_BODY "}\n",
     1,
     {"bad.conf:1:18: expected '{' after 'vrrp_instance VI', got '1'"}},
    {"typo_in_instance",
     I_HEAD I_BODY "  priorty 100\n}\n",
     1,
     {"bad.conf:7:3: unknown keyword 'priorty' in vrrp_instance (did you mean 'priority'?)"}},
    {"unknown_in_instance",
     I_HEAD I_BODY "  frobnicate yes\n}\n",
     1,
     {"bad.conf:7:3: unknown keyword 'frobnicate' in vrrp_instance"}},
    {"unknown_block_in_instance",
     I_HEAD I_BODY "  virtual_ipadress {\n    192.0.2.2\n  }\n}\n",
     1,
     {"bad.conf:7:3: unknown keyword 'virtual_ipadress' in vrrp_instance (did you mean "
      "'virtual_ipaddress'?)"}},
    {"typo_at_top_level",
     "vrrp_instanse VI_1 {\n" I_BODY "}\n",
     1,
     {"bad.conf:1:1: unknown keyword 'vrrp_instanse' at top level (did you mean "
      "'vrrp_instance'?)"}},
    {"instance_keyword_at_top_level",
     "priority 100\n",
     1,
     {"bad.conf:1:1: unknown keyword 'priority' at top level ('priority' belongs inside a "
      "vrrp_instance block)"}},
    {"typo_in_global_defs",
     "global_defs {\n  router_idd r1\n}\n",
     1,
     {"bad.conf:2:3: unknown keyword 'router_idd' in global_defs (did you mean "
      "'router_id'?)"}},
    {"global_vrrp_version_4",
     "global_defs {\n  vrrp_version 4\n}\n",
     1,
     {"bad.conf:2:16: vrrp_version must be 2 or 3, got '4'"}},
    {"missing_interface",
     I_HEAD "  virtual_router_id 51\n  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n",
     1,
     {"bad.conf:1:15: vrrp_instance VI_1 has no 'interface'"}},
    {"missing_vrid",
     I_HEAD "  interface eth0\n  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n",
     1,
     {"bad.conf:1:15: vrrp_instance VI_1 has no 'virtual_router_id'"}},
    {"missing_everything",
     I_HEAD "}\n",
     2,
     {"bad.conf:1:15: vrrp_instance VI_1 has no 'interface'",
      "bad.conf:1:15: vrrp_instance VI_1 has no 'virtual_router_id'",
      "bad.conf:1:15: warning: vrrp_instance VI_1 has no virtual_ipaddress: it elects a master "
      "and runs its notify commands, with no address to move (write no_virtual_ipaddress to "
      "say so)"}},
    {"interface_name_too_long",
     I_HEAD "  interface eth0123456789abcdef\n  virtual_router_id 51\n  virtual_ipaddress {\n    "
	    "192.0.2.1\n  }\n}\n",
     1,
     {"bad.conf:2:13: interface name must be 1 to 15 characters long, got "
      "'eth0123456789abcdef'"}},
    {"state_bogus",
     I_HEAD I_BODY "  state PRIMARY\n}\n",
     1,
     {"bad.conf:7:9: state must be MASTER or BACKUP, got 'PRIMARY'"}},
    {"version_4",
     I_HEAD I_BODY "  version 4\n}\n",
     1,
     {"bad.conf:7:11: version must be 2 or 3, got '4'"}},
    {"advert_int_fraction_v2",
     I_HEAD I_BODY "  advert_int 0.5\n}\n",
     1,
     {"bad.conf:7:14: advert_int must be a whole number of seconds from 1 to 255 for VRRP "
      "version 2, got '0.5'"}},
    {"advert_int_too_long_v3",
     I_HEAD I_BODY "  version 3\n  advert_int 41\n}\n",
     1,
     {"bad.conf:8:14: advert_int must be from 0.01 to 40.95 seconds for VRRP version 3, got "
      "'41'"}},
    {"advert_int_4096cs_v3",
     I_HEAD I_BODY "  version 3\n  advert_int 40.96\n}\n",
     1,
     {"bad.conf:8:14: advert_int must be from 0.01 to 40.95 seconds for VRRP version 3, got "
      "'40.96'"}},
    {"advert_int_256_v2",
     I_HEAD I_BODY "  advert_int 256\n}\n",
     1,
     {"bad.conf:7:14: advert_int must be a number of seconds from 0.01 to 255, got '256'"}},
    {"advert_int_zero",
     I_HEAD I_BODY "  version 3\n  advert_int 0\n}\n",
     1,
     {"bad.conf:8:14: advert_int must be a number of seconds from 0.01 to 255, got '0'"}},
    {"advert_int_too_precise",
     I_HEAD I_BODY "  version 3\n  advert_int 0.005\n}\n",
     1,
     {"bad.conf:8:14: advert_int has a resolution of 0.01 seconds, got '0.005'"}},
    {"advert_int_not_number",
     I_HEAD I_BODY "  advert_int 1s\n}\n",
     1,
     {"bad.conf:7:14: advert_int must be a number of seconds from 0.01 to 255, got '1s'"}},
    {"preempt_delay_too_long",
     I_HEAD I_BODY "  preempt_delay 1001\n}\n",
     1,
     {"bad.conf:7:17: preempt_delay must be a number of seconds from 0 to 1000, got '1001'"}},
    {"auth_ah",
     I_HEAD I_BODY "  authentication {\n    auth_type AH\n    auth_pass secret\n  }\n}\n",
     1,
     {"bad.conf:8:15: auth_type AH is not supported (RFC 3768 removed it)"}},
    {"auth_unknown_type",
     I_HEAD I_BODY "  authentication {\n    auth_type MD5\n    auth_pass secret\n  }\n}\n",
     1,
     {"bad.conf:8:15: auth_type must be PASS, got 'MD5'"}},
    {"auth_pass_with_v3",
     I_HEAD I_BODY "  version 3\n  authentication {\n    auth_type PASS\n    auth_pass "
		   "secret\n  }\n}\n",
     1,
     {"bad.conf:9:15: authentication is not supported by VRRP version 3 (RFC 5798 removed "
      "it)"}},
    {"auth_type_without_pass",
     I_HEAD I_BODY "  authentication {\n    auth_type PASS\n  }\n}\n",
     1,
     {"bad.conf:8:15: auth_type PASS needs an auth_pass"}},
    {"auth_unknown_keyword",
     I_HEAD I_BODY "  authentication {\n    auth_typ PASS\n  }\n}\n",
     1,
     {"bad.conf:8:5: unknown keyword 'auth_typ' in authentication (did you mean "
      "'auth_type'?)"}},
    {"vip_bad_address",
     I_HEAD "  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    "
	    "192.0.2.300/24\n  }\n}\n",
     1,
     {"bad.conf:5:5: '192.0.2.300' is not an IPv4 or IPv6 address"}},
    {"vip_bad_prefix",
     I_HEAD "  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    "
	    "192.0.2.1/33\n  }\n}\n",
     1,
     {"bad.conf:5:5: prefix length of 192.0.2.1 must be a number from 0 to 32, got '33'"}},
    {"vip_bad_v6_prefix",
     I_HEAD "  interface eth0\n  virtual_router_id 51\n  version 3\n  virtual_ipaddress {\n  "
	    "  2001:db8::1/129\n  }\n}\n",
     1,
     {"bad.conf:6:5: prefix length of 2001:db8::1 must be a number from 0 to 128, got "
      "'129'"}},
    {"vip_brd_on_v6",
     I_HEAD "  interface eth0\n  virtual_router_id 51\n  version 3\n  virtual_ipaddress {\n  "
	    "  2001:db8::1/64 brd 2001:db8::ff\n  }\n}\n",
     1,
     {"bad.conf:6:20: 'brd' is only valid for IPv4 addresses"}},
    {"vip_label_on_v6",
     I_HEAD "  interface eth0\n  virtual_router_id 51\n  version 3\n  virtual_ipaddress {\n  "
	    "  2001:db8::1/64 label eth0:1\n  }\n}\n",
     1,
     {"bad.conf:6:20: 'label' is only valid for IPv4 addresses"}},
    {"vip_bad_scope",
     I_HEAD "  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    192.0.2.1 "
	    "scope planet\n  }\n}\n",
     1,
     {"bad.conf:5:21: scope must be global, site, link, host, nowhere or a number from 0 to "
      "255, got 'planet'"}},
    {"vip_unknown_option",
     I_HEAD "  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    192.0.2.1 "
	    "device eth1\n  }\n}\n",
     1,
     {"bad.conf:5:15: unexpected 'device' in virtual address (expected brd, dev, scope or "
      "label)"}},
    {"vip_dev_without_value",
     I_HEAD "  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    192.0.2.1 "
	    "dev\n  }\n}\n",
     1,
     {"bad.conf:5:15: expected an interface name after 'dev'"}},
    {"vip_duplicate",
     I_HEAD "  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    "
	    "192.0.2.1/24\n    192.0.2.1/32\n  }\n}\n",
     1,
     {"bad.conf:6:5: duplicate virtual address 192.0.2.1 in vrrp_instance VI_1 (first at "
      "5:5)"}},
    {"vip_mixed_families",
     I_HEAD "  interface eth0\n  virtual_router_id 51\n  version 3\n  virtual_ipaddress {\n  "
	    "  192.0.2.1\n    2001:db8::1\n  }\n}\n",
     1,
     {"bad.conf:7:5: virtual address 2001:db8::1 is IPv6 but vrrp_instance VI_1 is IPv4 (from "
      "192.0.2.1 at 6:5); one instance cannot mix address families"}},
    {"ipv6_with_version_2",
     I_HEAD "  interface eth0\n  virtual_router_id 51\n  version 2\n  virtual_ipaddress {\n  "
	    "  2001:db8::1/64\n  }\n}\n",
     1,
     {"bad.conf:6:5: IPv6 virtual addresses need VRRP version 3, but vrrp_instance VI_1 uses "
      "version 2"}},
    {"ipv6_with_global_version_2",
     "global_defs {\n  vrrp_version 2\n}\n" I_HEAD "  interface eth0\n  virtual_router_id "
     "51\n  virtual_ipaddress {\n    2001:db8::1/64\n  }\n}\n",
     1,
     {"bad.conf:8:5: IPv6 virtual addresses need VRRP version 3, but vrrp_instance VI_1 uses "
      "version 2"}},
    {"unicast_src_bad",
     I_HEAD I_BODY "  unicast_src_ip 192.0.2\n}\n",
     1,
     {"bad.conf:7:18: '192.0.2' is not an IPv4 or IPv6 address"}},
    {"unicast_src_wrong_family",
     I_HEAD I_BODY "  unicast_src_ip 2001:db8::5\n}\n",
     1,
     {"bad.conf:7:18: unicast_src_ip 2001:db8::5 is IPv6 but vrrp_instance VI_1 is IPv4"}},
    {"unicast_peer_bad",
     I_HEAD I_BODY "  unicast_peer {\n    198.51.100.2\n    peer-b\n  }\n}\n",
     1,
     {"bad.conf:9:5: 'peer-b' is not an IPv4 or IPv6 address"}},
    {"unicast_peer_wrong_family",
     I_HEAD I_BODY "  unicast_peer {\n    2001:db8::2\n  }\n}\n",
     1,
     {"bad.conf:8:5: unicast peer 2001:db8::2 is IPv6 but vrrp_instance VI_1 is IPv4"}},
    {"unicast_peer_duplicate",
     I_HEAD I_BODY "  unicast_peer {\n    198.51.100.2\n    198.51.100.2\n  }\n}\n",
     1,
     {"bad.conf:9:5: duplicate unicast peer 198.51.100.2 in vrrp_instance VI_1 (first at "
      "8:5)"}},
    {"unicast_peer_bad_option",
     I_HEAD I_BODY "  unicast_peer {\n    198.51.100.2 ttl 3\n  }\n}\n",
     1,
     {"bad.conf:8:18: unexpected 'ttl' after unicast peer 198.51.100.2 (expected min_ttl or "
      "max_ttl)"}},
    {"garp_repeat_zero",
     I_HEAD I_BODY "  garp_master_repeat 0\n}\n",
     1,
     {"bad.conf:7:22: garp_master_repeat must be a number from 1 to 255, got '0'"}},
    {"garp_interval_too_precise",
     "global_defs {\n  vrrp_garp_interval 0.0000001\n}\n",
     1,
     {"bad.conf:2:22: vrrp_garp_interval has a resolution of 0.000001 seconds, got "
      "'0.0000001'"}},
    {"bool_bogus",
     I_HEAD I_BODY "  v3_checksum_as_v2 maybe\n}\n",
     1,
     {"bad.conf:7:21: v3_checksum_as_v2 takes true or false (or yes/no, on/off, 1/0), got "
      "'maybe'"}},
    {"duplicate_instance_name",
     I_HEAD I_BODY "}\n" I_HEAD "  interface eth1\n  virtual_router_id 52\n  virtual_ipaddress "
		   "{\n    192.0.2.2\n  }\n}\n",
     1,
     {"bad.conf:8:15: duplicate vrrp_instance 'VI_1' (first defined at 1:15)"}},
    {"duplicate_vrid_on_interface",
     I_HEAD I_BODY "}\nvrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 51\n  "
		   "virtual_ipaddress {\n    192.0.2.2\n  }\n}\n",
     1,
     {"bad.conf:8:15: vrrp_instance VI_2 uses the same interface, virtual_router_id and "
      "address family as vrrp_instance VI_1 at 1:15 (eth0, 51, IPv4)"}},
    {"unterminated_quote",
     I_HEAD I_BODY "  state \"MASTER\n  priority \"10\"0\"\n}\n",
     2,
     {"bad.conf:7:9: unterminated quoted string (missing '\"' before the end of the line)",
      "bad.conf:8:17: unterminated quoted string (missing '\"' before the end of the line)"}},
    {"include_missing_file",
     "include nothing-here.conf\n",
     1,
     {"bad.conf:1:9: cannot open include file 'nothing-here.conf': No such file or "
      "directory"}},
    {"include_without_pattern",
     "include\n",
     1,
     {"bad.conf:1:1: expected a file name or pattern after 'include'"}},
    {"include_two_patterns",
     "include a.conf b.conf\n",
     1,
     {"bad.conf:1:16: unexpected 'b.conf' after 'include a.conf' (one pattern per include)"}},
    {"include_self",
     "include bad.conf\n",
     1,
     {"bad.conf:1:9: include loop: 'bad.conf' is already being read"}},
    /* ---- vrrp_script, tracking, notify, sync groups, mail ---- */
    {"track_script_undefined",
     I_HEAD I_BODY "  track_script {\n    chk_x\n  }\n}\n" SU,
     1,
     {"bad.conf:8:5: track_script 'chk_x' in vrrp_instance VI_1: no vrrp_script of that name"}},
    {"track_script_typo",
     "vrrp_script chk_http {\n  script /bin/true\n}\n" I_HEAD I_BODY
     "  track_script {\n    chk_htp weight 2\n  }\n}\n" SU,
     1,
     {"bad.conf:11:5: track_script 'chk_htp' in vrrp_instance VI_1: no vrrp_script of that "
      "name (did you mean 'chk_http'?)"}},
    {"script_weight_range",
     "vrrp_script chk {\n  script /bin/true\n  weight 254\n}\n" SU,
     1,
     {"bad.conf:3:10: weight must be a number from -253 to 253, got '254'"}},
    {"script_weight_bad_reverse",
     "vrrp_script chk {\n  script /bin/true\n  weight -10 revers\n}\n" SU,
     1,
     {"bad.conf:3:14: unexpected 'revers' after 'weight -10' (expected 'reverse')"}},
    {"script_unquoted_arguments",
     "vrrp_script chk {\n  script /usr/bin/check --fast\n}\n" SU,
     1,
     {"bad.conf:2:25: unexpected '--fast' after 'script /usr/bin/check' (a command with "
      "arguments must be quoted: script \"/usr/bin/check --fast\")"}},
    {"script_missing_script",
     "vrrp_script chk {\n  interval 2\n}\n" SU,
     1,
     {"bad.conf:1:13: vrrp_script chk has no 'script'"}},
    {"script_interval_zero",
     "vrrp_script chk {\n  script /bin/true\n  interval 0\n}\n" SU,
     1,
     {"bad.conf:3:12: interval must be a number of seconds from 0.001 to 86400, got '0'"}},
    {"script_timeout_precision",
     "vrrp_script chk {\n  script /bin/true\n  timeout 0.0005\n}\n" SU,
     1,
     {"bad.conf:3:11: timeout has a resolution of 0.001 seconds, got '0.0005'"}},
    {"script_rise_zero",
     "vrrp_script chk {\n  script /bin/true\n  rise 0\n}\n" SU,
     1,
     {"bad.conf:3:8: rise must be a number from 1 to 65535, got '0'"}},
    {"script_unknown_keyword",
     "vrrp_script chk {\n  script /bin/true\n  intervall 2\n}\n" SU,
     1,
     {"bad.conf:3:3: unknown keyword 'intervall' in vrrp_script (did you mean 'interval'?)"}},
    {"script_unterminated_inner_quote",
     "vrrp_script chk {\n  script \"/bin/check 'a b\"\n}\n" SU,
     1,
     {"bad.conf:2:10: invalid command for script: missing closing '"}},
    {"notify_without_command",
     I_HEAD I_BODY "  notify_fault\n}\n" SU,
     1,
     {"bad.conf:7:3: expected a command after 'notify_fault'"}},
    {"notify_too_many_words",
     I_HEAD I_BODY "  notify /bin/n root root extra\n}\n" SU,
     1,
     {"bad.conf:7:27: unexpected 'extra' after 'notify /bin/n root root'"}},
    {"track_interface_weight_range",
     I_HEAD I_BODY "  track_interface {\n    eth1 weight 300\n  }\n}\n",
     1,
     {"bad.conf:8:17: weight must be a number from -254 to 254, got '300'"}},
    {"track_interface_bad_option",
     I_HEAD I_BODY "  track_interface {\n    eth1 wieght 10\n  }\n}\n",
     1,
     {"bad.conf:8:10: unexpected 'wieght' after 'eth1' in track_interface (expected 'weight "
      "N [reverse]')"}},
    {"track_interface_weight_missing",
     I_HEAD I_BODY "  track_interface {\n    eth1 weight\n  }\n}\n",
     1,
     {"bad.conf:8:10: expected a number after 'weight'"}},
    {"track_interface_twice",
     I_HEAD I_BODY "  track_interface {\n    eth1\n  }\n  track_interface {\n    eth1 weight 5\n  "
		   "}\n}\n",
     1,
     {"bad.conf:11:5: 'eth1' is listed twice in track_interface of vrrp_instance VI_1 (first "
      "at 8:5)"}},
    {"track_script_without_block",
     I_HEAD I_BODY "  track_script chk\n}\n",
     1,
     {"bad.conf:7:16: expected '{' after 'track_script', got 'chk'"}},
    {"sync_group_unknown_instance",
     I_HEAD I_BODY "}\nvrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n}\n",
     1,
     {"bad.conf:11:5: vrrp_sync_group G: no vrrp_instance named 'VI_2' (did you mean "
      "'VI_1'?)"}},
    {"sync_group_instance_twice",
     I_HEAD I_BODY "}\nvrrp_sync_group G {\n  group {\n    VI_1 VI_1\n  }\n}\n",
     1,
     {"bad.conf:10:10: vrrp_instance VI_1 is listed twice in vrrp_sync_group G (first at "
      "10:5)"}},
    {"instance_in_two_groups",
     I_HEAD I_BODY "}\nvrrp_sync_group G1 {\n  group {\n    VI_1\n  }\n}\n"
		   "vrrp_sync_group G2 {\n  group {\n    VI_1\n  }\n}\n",
     1,
     {"bad.conf:8:17: warning: vrrp_sync_group G1 has only one member; it has no effect",
      "bad.conf:15:5: vrrp_instance VI_1 is already in vrrp_sync_group G1 (at 10:5); an "
      "instance can be in one group only"}},
    {"sync_group_without_group",
     I_HEAD I_BODY "}\nvrrp_sync_group G {\n  notify_master /bin/true root\n}\n",
     1,
     {"bad.conf:8:17: vrrp_sync_group G has no 'group'"}},
    {"sync_group_typo",
     I_HEAD I_BODY "}\nvrrp_sync_group G {\n  group {\n    VI_1\n  }\n  notify_mastr x\n}\n",
     1,
     {"bad.conf:12:3: unknown keyword 'notify_mastr' in vrrp_sync_group (did you mean "
      "'notify_master'?)",
      "bad.conf:8:17: warning: vrrp_sync_group G has only one member; it has no effect"}},
    {"duplicate_sync_group",
     I_HEAD I_BODY "}\nvrrp_sync_group G {\n  group {\n    VI_1\n  }\n}\n"
		   "vrrp_sync_group G {\n  group {\n  }\n}\n",
     1,
     {"bad.conf:8:17: warning: vrrp_sync_group G has only one member; it has no effect",
      "bad.conf:13:17: duplicate vrrp_sync_group 'G' (first defined at 8:17)"}},
    {"smtp_server_host_name_port_zero",
     "global_defs {\n  smtp_server mail.example.com 0\n}\n",
     1,
     {"bad.conf:2:32: smtp_server port must be a number from 1 to 65535, got '0'"}},
    {"smtp_server_port_zero",
     "global_defs {\n  smtp_server 192.0.2.25 0\n}\n",
     1,
     {"bad.conf:2:26: smtp_server port must be a number from 1 to 65535, got '0'"}},
    {"smtp_connect_timeout_zero",
     "global_defs {\n  smtp_connect_timeout 0\n}\n",
     1,
     {"bad.conf:2:24: smtp_connect_timeout must be a number from 1 to 3600, got '0'"}},
    {"notification_email_not_address",
     "global_defs {\n  notification_email {\n    root\n    ops@example.com x\n  }\n}\n",
     1,
     {"bad.conf:4:21: unexpected 'x' after 'ops@example.com' (one address per line)"}},
    {"notify_fifo_relative",
     "global_defs {\n  notify_fifo vrrpd.fifo\n}\n",
     1,
     {"bad.conf:2:15: notify_fifo must be an absolute path, got 'vrrpd.fifo'"}},
    {"script_user_missing",
     "global_defs {\n  script_user\n}\n",
     1,
     {"bad.conf:2:3: expected a user name after 'script_user'"}},
    {"enable_script_security_arguments",
     "global_defs {\n  enable_script_security yes no\n}\n",
     1,
     {"bad.conf:2:30: unexpected 'no' after 'enable_script_security yes'"}},
    {"many_errors_reported",
     I_HEAD "  interface eth0\n  virtual_router_id 0\n  priority 300\n  advert_int x\n  "
	    "virtual_ipaddress {\n    192.0.2.1\n  }\n}\n",
     3,
     {"bad.conf:3:21: virtual_router_id must be a number from 1 to 255, got '0'",
      "bad.conf:4:12: priority must be a number from 1 to 255, got '300'",
      "bad.conf:5:14: advert_int must be a number of seconds from 0.01 to 255, got 'x'"}},
};

#define N_BAD (sizeof(bad_cases) / sizeof(bad_cases[0]))

static void test_bad(void **state)
{
	const struct bad_case *bc = *state;
	struct conf_msgs m;
	struct config *c;
	size_t n = 0;

	wfile("bad.conf", bc->text);
	c = conf_load("bad.conf", &m);
	while (n < 8 && bc->msgs[n])
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

/* ---- good files ---- */

static const char keepalived_sample[] = "! Configuration File for keepalived\n"
					"\n"
					"global_defs {\n"
					"   notification_email {\n"
					"     acassen@firewall.loc\n"
					"     failover@firewall.loc\n"
					"   }\n"
					"   notification_email_from Alexandre.Cassen@firewall.loc\n"
					"   smtp_server 192.168.200.1\n"
					"   smtp_connect_timeout 30\n"
					"   router_id LVS_DEVEL\n"
					"   vrrp_skip_check_adv_addr\n"
					"   vrrp_garp_interval 0\n"
					"   vrrp_gna_interval 0\n"
					"}\n"
					"\n"
					"vrrp_script chk_haproxy {\n"
					"    script \"killall -0 haproxy\"\n"
					"    interval 2\n"
					"}\n"
					"\n"
					"vrrp_instance VI_1 {\n"
					"    state MASTER\n"
					"    interface eth0\n"
					"    virtual_router_id 51\n"
					"    priority 100\n"
					"    advert_int 1\n"
					"    authentication {\n"
					"        auth_type PASS\n"
					"        auth_pass 1111\n"
					"    }\n"
					"    virtual_ipaddress {\n"
					"        192.168.200.16\n"
					"        192.168.200.17\n"
					"        192.168.200.18\n"
					"    }\n"
					"    track_script {\n"
					"        chk_haproxy\n"
					"    }\n"
					"    notify_master \"/etc/keepalived/master.sh\"\n"
					"}\n"
					"\n"
					"virtual_server 192.168.200.100 443 {\n"
					"    delay_loop 6\n"
					"    lb_algo rr\n"
					"    real_server 192.168.201.100 443 {\n"
					"        weight 1\n"
					"        SSL_GET {\n"
					"            url {\n"
					"              path /\n"
					"            }\n"
					"        }\n"
					"    }\n"
					"}\n";

/* Whether scripts fall back to 'nobody' with a warning on this system. */
static bool default_user_warns(void)
{
	return getpwnam("keepalived_script") == NULL;
}

static void test_keepalived_sample(void **state)
{
	(void)state;
	struct conf_msgs m;
	int nw = default_user_warns() ? 3 : 2;
	struct config *c = load_text_ok(keepalived_sample, nw, &m);
	static const char *const want[] = {
	    ("good.conf:12:4: warning: 'vrrp_skip_check_adv_addr' is not implemented by vrrpd yet; "
	     "ignored"),
	    "good.conf:43:1: warning: 'virtual_server' is not implemented by vrrpd yet; ignored",
	    ("good.conf:18:12: warning: no script_user in global_defs and no user "
	     "'keepalived_script': scripts run as 'nobody' (write 'script_user root' in "
	     "global_defs to run them as root)"),
	};
	const struct conf_instance *in;
	const struct conf_script *sc;
	char a[ADDR_STRLEN];

	assert_int_equal(m.n, (size_t)nw);
	for (size_t k = 0; k < m.n; k++)
		assert_string_equal(m.v[k], want[k]);
	assert_int_equal(c->global.n_notification_email, 2);
	assert_string_equal(c->global.notification_email[0], "acassen@firewall.loc");
	assert_string_equal(c->global.notification_email[1], "failover@firewall.loc");
	assert_string_equal(c->global.email_from, "Alexandre.Cassen@firewall.loc");
	assert_true(c->global.has_smtp_server);
	assert_string_equal(addr_str(&c->global.smtp_server, a), "192.168.200.1");
	assert_int_equal(c->global.smtp_port, 25);
	assert_int_equal(c->global.smtp_connect_timeout_ms, 30000);
	assert_int_equal(c->n_scripts, 1);
	sc = conf_find_script(c, "chk_haproxy");
	assert_non_null(sc);
	assert_string_equal(sc->cmd.line, "killall -0 haproxy");
	assert_false(sc->cmd.has_user);
	assert_int_equal(sc->cmd.user.uid, c->global.script_user.uid);
	assert_int_not_equal(sc->cmd.user.uid, 0);
	assert_int_equal(sc->interval_ms, 2000);
	assert_int_equal(sc->timeout_ms, 2000);
	assert_int_equal(sc->weight, 0);
	assert_int_equal(sc->rise, 1);
	assert_int_equal(sc->fall, 1);
	assert_false(sc->init_fail);
	assert_string_equal(c->global.router_id, "LVS_DEVEL");
	assert_int_equal(c->n_inst, 1);
	in = conf_find(c, "VI_1");
	assert_non_null(in);
	assert_int_equal(in->state, CONF_STATE_MASTER);
	assert_string_equal(in->ifname, "eth0");
	assert_int_equal(in->vrid, 51);
	assert_int_equal(in->priority, 100);
	assert_int_equal(in->advert_int_cs, 100);
	assert_int_equal(in->version, 2);
	assert_int_equal(in->family, AF_INET);
	assert_int_equal(in->auth_type, CONF_AUTH_PASS);
	assert_string_equal(in->auth_pass, "1111");
	assert_int_equal(in->n_vips, 3);
	assert_addr(&in->vips[2].addr, "192.168.200.18");
	assert_int_equal(in->vips[2].prefix, 32);
	assert_string_equal(in->file, "good.conf");
	assert_int_equal(in->line, 22);
	assert_int_equal(in->n_track_scripts, 1);
	assert_string_equal(in->track_scripts[0].name, "chk_haproxy");
	assert_int_equal(in->track_scripts[0].script, 0);
	assert_false(in->track_scripts[0].weight_set);
	assert_string_equal(in->notify.master.line, "/etc/keepalived/master.sh");
	assert_null(in->notify.backup.line);
	assert_false(in->notify.smtp_alert);
	assert_string_equal(in->sync_group, "");
	assert_int_equal(in->sync_group_idx, -1);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_defaults(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct config *c = load_text_ok(I_HEAD I_BODY "}\n", 0, &m);
	const struct conf_instance *in = &c->inst[0];
	char host[256] = "";

	gethostname(host, sizeof(host));
	host[CONF_NAME_MAX - 1] = '\0';
	assert_string_equal(c->global.router_id, host);
	assert_int_equal(c->global.vrrp_version, 2);
	assert_int_equal(in->state, CONF_STATE_BACKUP);
	assert_int_equal(in->priority, 100);
	assert_int_equal(in->advert_int_cs, 100);
	assert_int_equal(in->version, 2);
	assert_int_equal(in->family, AF_INET);
	assert_false(in->nopreempt);
	assert_int_equal(in->preempt_delay_ms, 0);
	assert_int_equal(in->auth_type, CONF_AUTH_NONE);
	assert_false(in->v3_checksum_as_v2);
	assert_false(in->lower_prio_no_advert);
	assert_false(in->has_unicast_src);
	assert_int_equal(in->n_peers, 0);
	assert_int_equal(in->garp.master_delay_ms, 5000);
	assert_int_equal(in->garp.master_repeat, 5);
	assert_int_equal(in->garp.master_refresh_ms, 0);
	assert_int_equal(in->garp.master_refresh_repeat, 1);
	assert_int_equal(in->garp.interval_us, 0);
	assert_int_equal(in->n_vips, 1);
	assert_int_equal(in->vips[0].prefix, 32);
	assert_int_equal(in->vips[0].scope, RT_SCOPE_UNIVERSE);
	assert_string_equal(in->vips[0].dev, "");
	assert_string_equal(in->vips[0].label, "");
	assert_false(in->vips[0].has_brd);
	assert_false(in->vips[0].excluded);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_fractional_advert_int(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct config *c = load_text_ok("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
					" version 3\n advert_int 0.2\n virtual_ipaddress {\n"
					"  192.0.2.1\n }\n}\n"
					"vrrp_instance B {\n interface eth0\n virtual_router_id 2\n"
					" version 3\n advert_int 40.95\n virtual_ipaddress {\n"
					"  192.0.2.2\n }\n}\n"
					"vrrp_instance C {\n interface eth0\n virtual_router_id 3\n"
					" version 3\n advert_int .01\n virtual_ipaddress {\n"
					"  192.0.2.3\n }\n}\n"
					"vrrp_instance D {\n interface eth0\n virtual_router_id 4\n"
					" advert_int 255\n virtual_ipaddress {\n"
					"  192.0.2.4\n }\n}\n"
					"vrrp_instance E {\n interface eth0\n virtual_router_id 5\n"
					" advert_int 3.00\n virtual_ipaddress {\n"
					"  192.0.2.5\n }\n}\n",
					0, &m);

	assert_int_equal(conf_find(c, "A")->advert_int_cs, 20);
	assert_int_equal(conf_find(c, "B")->advert_int_cs, 4095);
	assert_int_equal(conf_find(c, "C")->advert_int_cs, 1);
	assert_int_equal(conf_find(c, "D")->advert_int_cs, 25500);
	assert_int_equal(conf_find(c, "D")->version, 2);
	assert_int_equal(conf_find(c, "E")->advert_int_cs, 300);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_vip_forms(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct config *c =
	    load_text_ok("vrrp_instance V4 {\n"
			 "  interface eth0\n"
			 "  virtual_router_id 7\n"
			 "  virtual_ipaddress {\n"
			 "    192.0.2.10\n"
			 "    192.0.2.11/24\n"
			 "    192.0.2.12/24 brd 192.0.2.255\n"
			 "    192.0.2.13/25 brd + dev eth1\n"
			 "    192.0.2.14/24 dev eth2 scope link label eth2:vip\n"
			 "    192.0.2.15 scope host\n"
			 "    192.0.2.16 scope site\n"
			 "    192.0.2.17 scope nowhere\n"
			 "    192.0.2.18 scope 17\n"
			 "    192.0.2.19/24 label eth0:1 scope global dev eth0 brd 192.0.2.255\n"
			 "  }\n"
			 "  virtual_ipaddress_excluded {\n"
			 "    198.51.100.7/24\n"
			 "    2001:db8::7/64\n"
			 "  }\n"
			 "}\n"
			 "vrrp_instance V6 {\n"
			 "  interface eth0\n"
			 "  virtual_router_id 7\n"
			 "  virtual_ipaddress {\n"
			 "    2001:db8::1\n"
			 "    2001:db8::2/64 dev eth1 scope link\n"
			 "    fe80::1/64\n"
			 "  }\n"
			 "}\n",
			 0, &m);
	const struct conf_instance *a = conf_find(c, "V4"), *b = conf_find(c, "V6");

	assert_int_equal(a->n_vips, 12);
	assert_int_equal(a->family, AF_INET);
	assert_int_equal(a->vips[0].prefix, 32);
	assert_int_equal(a->vips[1].prefix, 24);
	assert_true(a->vips[2].has_brd);
	assert_addr(&a->vips[2].brd, "192.0.2.255");
	assert_true(a->vips[3].has_brd);
	assert_addr(&a->vips[3].brd, "192.0.2.127");
	assert_string_equal(a->vips[3].dev, "eth1");
	assert_string_equal(a->vips[4].dev, "eth2");
	assert_int_equal(a->vips[4].scope, RT_SCOPE_LINK);
	assert_string_equal(a->vips[4].label, "eth2:vip");
	assert_int_equal(a->vips[5].scope, RT_SCOPE_HOST);
	assert_int_equal(a->vips[6].scope, RT_SCOPE_SITE);
	assert_int_equal(a->vips[7].scope, RT_SCOPE_NOWHERE);
	assert_int_equal(a->vips[8].scope, 17);
	assert_string_equal(a->vips[9].label, "eth0:1");
	assert_string_equal(a->vips[9].dev, "eth0");
	assert_true(a->vips[9].has_brd);
	assert_false(a->vips[9].excluded);
	assert_true(a->vips[10].excluded);
	assert_true(a->vips[11].excluded);
	assert_int_equal(a->vips[11].addr.family, AF_INET6);
	assert_int_equal(a->vips[11].prefix, 64);
	assert_int_equal(a->version, 2);
	/* Same interface and VRID as V4 is fine in the other family; an IPv6
	 * instance defaults to version 3. */
	assert_int_equal(b->family, AF_INET6);
	assert_int_equal(b->version, 3);
	assert_int_equal(b->n_vips, 3);
	assert_int_equal(b->vips[0].prefix, 128);
	assert_addr(&b->vips[1].addr, "2001:db8::2");
	assert_int_equal(b->vips[1].scope, RT_SCOPE_LINK);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_versions(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct config *c =
	    load_text_ok("global_defs {\n"
			 "  vrrp_version 3\n"
			 "}\n"
			 "vrrp_instance G {\n interface eth0\n virtual_router_id 1\n"
			 " advert_int 0.5\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n"
			 "vrrp_instance L {\n interface eth0\n virtual_router_id 2\n"
			 " version 2\n authentication {\n  auth_type PASS\n"
			 "  auth_pass abc\n }\n virtual_ipaddress {\n  192.0.2.2\n }\n}\n"
			 "vrrp_instance C {\n interface eth0\n virtual_router_id 3\n"
			 " v3_checksum_as_v2\n lower_prio_no_advert yes\n"
			 " virtual_ipaddress {\n  192.0.2.3\n }\n}\n"
			 "vrrp_instance D {\n interface eth0\n virtual_router_id 4\n"
			 " v3_checksum_as_v2 off\n lower_prio_no_advert On\n"
			 " virtual_ipaddress {\n  192.0.2.4\n }\n}\n",
			 0, &m);

	assert_int_equal(c->global.vrrp_version, 3);
	assert_int_equal(conf_find(c, "G")->version, 3);
	assert_int_equal(conf_find(c, "G")->advert_int_cs, 50);
	assert_int_equal(conf_find(c, "L")->version, 2);
	assert_int_equal(conf_find(c, "L")->auth_type, CONF_AUTH_PASS);
	assert_string_equal(conf_find(c, "L")->auth_pass, "abc");
	assert_true(conf_find(c, "C")->v3_checksum_as_v2);
	assert_true(conf_find(c, "C")->lower_prio_no_advert);
	assert_false(conf_find(c, "D")->v3_checksum_as_v2);
	assert_true(conf_find(c, "D")->lower_prio_no_advert);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_unicast_and_timers(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct config *c = load_text_ok("global_defs {\n"
					"  vrrp_garp_master_delay 10\n"
					"  vrrp_garp_master_repeat 3\n"
					"  vrrp_garp_master_refresh 60\n"
					"  vrrp_garp_master_refresh_repeat 2\n"
					"  vrrp_garp_interval 0.001\n"
					"}\n"
					"vrrp_instance U {\n"
					"  interface eth0\n"
					"  virtual_router_id 10\n"
					"  priority 255\n"
					"  nopreempt\n"
					"  preempt_delay 2.5\n"
					"  unicast_src_ip 198.51.100.11\n"
					"  unicast_peer {\n"
					"    198.51.100.12\n"
					"    198.51.100.13 min_ttl 1 max_ttl 10\n"
					"  }\n"
					"  garp_master_delay 0\n"
					"  garp_interval 0.25\n"
					"  virtual_ipaddress {\n"
					"    198.51.100.10/24\n"
					"  }\n"
					"}\n"
					"vrrp_instance W {\n"
					"  interface eth0\n"
					"  virtual_router_id 11\n"
					"  nopreempt\n"
					"  preempt\n"
					"  mcast_src_ip 198.51.100.11\n"
					"  virtual_ipaddress {\n"
					"    198.51.100.20/24\n"
					"  }\n"
					"}\n",
					3, &m);
	const struct conf_instance *u = conf_find(c, "U"), *w = conf_find(c, "W");

	assert_string_equal(m.v[0], "good.conf:17:19: warning: 'min_ttl' is not implemented by "
				    "vrrpd yet; ignored");
	assert_string_equal(m.v[1], "good.conf:17:29: warning: 'max_ttl' is not implemented by "
				    "vrrpd yet; ignored");
	assert_string_equal(m.v[2], "good.conf:29:3: warning: 'preempt' given again in "
				    "vrrp_instance (first at 28:3); the last one wins");
	assert_int_equal(u->priority, 255);
	assert_true(u->nopreempt);
	assert_int_equal(u->preempt_delay_ms, 2500);
	assert_true(u->has_unicast_src);
	assert_addr(&u->unicast_src, "198.51.100.11");
	assert_int_equal(u->n_peers, 2);
	assert_addr(&u->peers[0], "198.51.100.12");
	assert_addr(&u->peers[1], "198.51.100.13");
	assert_int_equal(u->garp.master_delay_ms, 0);
	assert_int_equal(u->garp.master_repeat, 3);
	assert_int_equal(u->garp.master_refresh_ms, 60000);
	assert_int_equal(u->garp.master_refresh_repeat, 2);
	assert_int_equal(u->garp.interval_us, 250000);
	assert_int_equal(w->garp.master_delay_ms, 10000);
	assert_int_equal(w->garp.interval_us, 1000);
	assert_false(w->nopreempt);
	assert_true(w->has_unicast_src);
	assert_int_equal(w->n_peers, 0);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_includes(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct config *c;

	mkdir_p("inc");
	mkdir_p("inc/conf.d");
	mkdir_p("inc/vips");
	wfile("inc/main.conf", "global_defs {\n"
			       "  include globals.inc\n"
			       "}\n"
			       "include conf.d/*.conf\n"
			       "include conf.d/*.nothing\n"
			       "include \"conf.d/[z]*.conf\"\n");
	wfile("inc/globals.inc", "router_id from-include\n");
	wfile("inc/conf.d/b.conf", "vrrp_instance B {\n"
				   "  interface eth0\n"
				   "  virtual_router_id 2\n"
				   "  virtual_ipaddress {\n"
				   "    include ../vips/b.inc\n"
				   "  }\n"
				   "}\n");
	wfile("inc/conf.d/a.conf", "vrrp_instance A {\n"
				   "  interface eth0\n"
				   "  virtual_router_id 1\n"
				   "  virtual_ipaddress { include ../vips/a*.inc }\n"
				   "  priority 300\n"
				   "}\n");
	wfile("inc/conf.d/z.conf", "vrrp_instance Z {\n"
				   "  interface eth0\n"
				   "  virtual_router_id 3\n"
				   "  virtual_ipaddress {\n    192.0.2.30\n  }\n"
				   "}\n");
	wfile("inc/conf.d/ignored.txt", "this is not read\n");
	wfile("inc/vips/a1.inc", "192.0.2.1\n");
	wfile("inc/vips/a2.inc", "192.0.2.2\n");
	wfile("inc/vips/b.inc", "192.0.2.3\n192.0.2.4\n");

	/* The priority error points into the included file. */
	c = conf_load("inc/main.conf", &m);
	assert_null(c);
	assert_int_equal(m.errors, 2);
	assert_string_equal(m.v[0],
			    "inc/conf.d/a.conf:5:12: priority must be a number from 1 to 255, "
			    "got '300'");
	/* z.conf is included twice (by both patterns): same name. */
	assert_string_equal(m.v[1], "inc/conf.d/z.conf:1:15: duplicate vrrp_instance 'Z' (first "
				    "defined at 1:15)");
	conf_msgs_free(&m);

	wfile("inc/conf.d/a.conf", "vrrp_instance A {\n"
				   "  interface eth0\n"
				   "  virtual_router_id 1\n"
				   "  virtual_ipaddress { include ../vips/a*.inc }\n"
				   "}\n");
	wfile("inc/main.conf", "global_defs {\n"
			       "  include globals.inc\n"
			       "}\n"
			       "include conf.d/*.conf\n"
			       "include conf.d/*.nothing\n");
	c = load_ok("inc/main.conf", 0, &m);
	assert_string_equal(c->global.router_id, "from-include");
	assert_int_equal(c->n_inst, 3);
	assert_string_equal(c->inst[0].name, "A"); /* sorted: a.conf before b.conf */
	assert_string_equal(c->inst[1].name, "B");
	assert_string_equal(c->inst[2].name, "Z");
	assert_string_equal(c->inst[0].file, "inc/conf.d/a.conf");
	assert_int_equal(c->inst[0].n_vips, 2);
	assert_addr(&c->inst[0].vips[0].addr, "192.0.2.1");
	assert_addr(&c->inst[0].vips[1].addr, "192.0.2.2");
	assert_int_equal(c->inst[1].n_vips, 2);
	assert_addr(&c->inst[1].vips[1].addr, "192.0.2.4");
	/* The instances' file names live in the config's own pool. */
	assert_true(c->inst[0].file >= c->strings && c->inst[0].file < c->strings + c->strings_len);
	assert_ptr_equal(c->inst[2].file, c->strings + strlen("inc/conf.d/a.conf") + 1 +
					      strlen("inc/conf.d/b.conf") + 1);
	conf_free(c);
	conf_msgs_free(&m);

	/* An absolute include path. */
	{
		char text[PATH_MAX + 64];

		snprintf(text, sizeof(text), "include %s/inc/conf.d/z.conf\n", tmpdir);
		wfile("abs.conf", text);
		c = load_ok("abs.conf", 0, &m);
		assert_int_equal(c->n_inst, 1);
		conf_free(c);
		conf_msgs_free(&m);
	}
}

static void test_include_loop_and_depth(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct config *c;
	char name[32], text[64];

	mkdir_p("loop");
	wfile("loop/a.conf", "include b.conf\n");
	wfile("loop/b.conf", "\n  include a.conf\n");
	c = conf_load("loop/a.conf", &m);
	assert_null(c);
	assert_int_equal(m.errors, 1);
	assert_string_equal(m.v[0], "loop/b.conf:2:11: include loop: 'loop/a.conf' is already "
				    "being read");
	conf_msgs_free(&m);

	/* d0 includes d1 ... includes d9: nine levels of include. */
	mkdir_p("deep");
	for (int k = 0; k < 10; k++) {
		snprintf(name, sizeof(name), "deep/d%d.conf", k);
		snprintf(text, sizeof(text), "include d%d.conf\n", k + 1);
		wfile(name, k < 9 ? text : "\n");
	}
	c = conf_load("deep/d0.conf", &m);
	assert_null(c);
	assert_int_equal(m.errors, 1);
	assert_string_equal(m.v[0], "deep/d8.conf:1:9: cannot include 'deep/d9.conf': includes "
				    "nested more than 8 levels deep");
	conf_msgs_free(&m);

	/* Eight levels are fine. */
	wfile("deep/d8.conf", "\n");
	c = conf_load("deep/d0.conf", &m);
	assert_int_equal(m.errors, 0);
	/* a file with no instance is a valid (empty) configuration */
	assert_non_null(c);
	assert_int_equal(c->n_inst, 0);
	conf_free(c);
	conf_msgs_free(&m);
}

/* Found by tests/fuzz (FINDINGS.md C4): files included twice side by side
 * are no loop, so eight files of eight includes read the last 8^7 times;
 * one load now reads a bounded number of files, said once at the include
 * that passes the bound. */
static void test_include_fanout_bounded(void **state)
{
	(void)state;
	struct conf_msgs m;
	char name[32], text[256];

	mkdir_p("fan");
	for (int l = 0; l < 7; l++) {
		text[0] = '\0';
		for (int k = 0; k < 8; k++)
			snprintf(text + strlen(text), sizeof(text) - strlen(text),
				 "include l%d.conf\n", l + 1);
		snprintf(name, sizeof(name), "fan/l%d.conf", l);
		wfile(name, text);
	}
	wfile("fan/l7.conf", "\n");
	struct config *c = conf_load("fan/l0.conf", &m);
	assert_null(c);
	assert_int_equal(m.errors, 1);
	assert_non_null(strstr(m.v[0], "this configuration reads more than 4096 files"));
	conf_msgs_free(&m);
}

/* FINDINGS.md C1: a NUL byte inside quotes ended the word's string, so the
 * rest of a quoted script vanished; it is the same error as elsewhere. */
static void test_nul_in_quotes(void **state)
{
	(void)state;
	struct conf_msgs m;
	static const char text[] = "global_defs {\n\trouter_id \"r1\0hidden\"\n}\n";
	struct config *c = conf_load_buffer("nul.conf", text, sizeof(text) - 1, &m);

	assert_null(c);
	assert_int_equal(m.errors, 1);
	assert_string_equal(m.v[0], "nul.conf:2:15: unexpected NUL byte");
	conf_msgs_free(&m);
}

/* FINDINGS.md C2: vrrpd -t must print a word with a form feed or vertical
 * tab quoted, or its own output does not load back. */
static void test_dump_quotes_every_blank(void **state)
{
	(void)state;
	struct conf_msgs m;
	char *out = NULL;
	size_t len = 0;
	struct config *c = load_text_ok("global_defs {\n\trouter_id \"r1\fx\vy\"\n}\n", 0, &m);
	FILE *f = open_memstream(&out, &len);

	conf_dump(c, f);
	fclose(f);
	assert_non_null(strstr(out, "router_id \"r1\fx\vy\"\n"));
	conf_free(c);
	conf_msgs_free(&m);
	struct config *back = load_text_ok(out, 0, &m);
	assert_string_equal(back->global.router_id, "r1\fx\vy");
	conf_free(back);
	conf_msgs_free(&m);
	free(out);
}

/* FINDINGS.md C3: after CONF_SUGGEST_ERRORS_MAX errors no "did you mean"
 * (each costs an edit distance per keyword of the section). */
static void test_no_suggestions_after_many_errors(void **state)
{
	(void)state;
	struct conf_msgs m;
	char *text = calloc(1, 200 * 32);

	assert_non_null(text);
	strcat(text, "global_defs {\n");
	for (int k = 0; k < 150; k++)
		strcat(text, "\trouter_idd x\n");
	strcat(text, "}\n");
	wfile("many.conf", text);
	free(text);
	struct config *c = conf_load("many.conf", &m);
	assert_null(c);
	assert_int_equal(m.errors, 150);
	assert_non_null(strstr(m.v[0], "did you mean 'router_id'"));
	assert_null(strstr(m.v[CONF_SUGGEST_ERRORS_MAX], "did you mean"));
	conf_msgs_free(&m);
}

static void test_lexer_details(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct config *c = load_text_ok("# a comment\n"
					"! another comment\n"
					"vrrp_instance \"VI 1\"{ # brace glued to a quoted word\n"
					"  interface eth0! comment right after a word\n"
					"  virtual_router_id 51#comment\n"
					"  authentication{\n"
					"    auth_type PASS\n"
					"    auth_pass \"a b#c\\\"d!e\"\n"
					"  }\n"
					"  virtual_ipaddress{\r\n"
					"\t192.0.2.1/24}\n"
					"  state MASTER}\n"
					"vrrp_instance Allman\n"
					"{\n"
					"  interface eth1\n"
					"  virtual_router_id 52\n"
					"  virtual_ipaddress\n"
					"  {\n"
					"    192.0.2.2\n"
					"  }\n"
					"}",
					2, &m);
	const struct conf_instance *in = conf_find(c, "VI 1");

	assert_string_equal(m.v[0], "good.conf:8:15: warning: auth_pass is longer than 8 "
				    "characters; only the first 8 are used");
	assert_non_null(in);
	assert_string_equal(in->ifname, "eth0");
	assert_int_equal(in->vrid, 51);
	assert_string_equal(in->auth_pass, "a b#c\"d!");
	assert_int_equal(in->n_vips, 1);
	assert_int_equal(in->vips[0].prefix, 24);
	assert_int_equal(in->state, CONF_STATE_MASTER);
	in = conf_find(c, "Allman");
	assert_non_null(in);
	assert_int_equal(in->vrid, 52);
	assert_int_equal(in->n_vips, 1);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_lexer_tokens(void **state)
{
	(void)state;
	static const char text[] = "a {b}\n  \"c d\" \"e\\\"f\" g\"h i\"j # x\n!y\n}";
	static const struct {
		enum conf_tok_type type;
		const char *text;
		int line, col;
		bool bol, quoted;
	} want[] = {
	    {CONF_TOK_WORD, "a", 1, 1, true, false},
	    {CONF_TOK_LBRACE, "{", 1, 3, false, false},
	    {CONF_TOK_WORD, "b", 1, 4, false, false},
	    {CONF_TOK_RBRACE, "}", 1, 5, false, false},
	    {CONF_TOK_WORD, "c d", 2, 3, true, true},
	    {CONF_TOK_WORD, "e\"f", 2, 9, false, true},
	    {CONF_TOK_WORD, "gh ij", 2, 16, false, true},
	    {CONF_TOK_RBRACE, "}", 4, 1, true, false},
	    {CONF_TOK_EOF, "", 4, 2, false, false},
	};
	struct conf_msgs m = {0};
	struct conf_toks t;

	conf_lex_buffer("buf", "id", text, strlen(text), &t, &m);
	assert_int_equal(m.n, 0);
	assert_int_equal(t.n, sizeof(want) / sizeof(want[0]));
	for (size_t k = 0; k < t.n; k++) {
		assert_int_equal(t.v[k].type, want[k].type);
		assert_string_equal(t.v[k].text, want[k].text);
		assert_string_equal(t.v[k].file, "buf");
		assert_int_equal(t.v[k].line, want[k].line);
		assert_int_equal(t.v[k].col, want[k].col);
		assert_int_equal(t.v[k].bol, want[k].bol);
		assert_int_equal(t.v[k].quoted, want[k].quoted);
	}
	conf_toks_free(&t);
	conf_msgs_free(&m);
}

static void test_unsupported_sections(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct config *c =
	    load_text_ok("vrrp_sync_group G {\n"
			 "  group {\n"
			 "    VI_1\n"
			 "  }\n  sync_group_tracking_weight\n" /* VI_1's weight 10 holds */
			 "}\n"
			 "garp_group {\n"
			 "  interface eth0\n"
			 "}\n"
			 "bfd_instance b { x }\n" I_HEAD I_BODY "  track_interface {\n"
			 "    eth1 weight 10\n"
			 "  }\n"
			 "  use_ipvlan\n"
			 "  notify \"/usr/local/bin/notify x\"\n"
			 "  debug\n"
			 "  track_bfd {\n"
			 "    f weight 1 { x }\n"
			 "  }\n"
			 "  virtual_ipaddress {\n"
			 "    192.0.2.9 no_track\n"
			 "  }\n"
			 "}\n"
			 "linkbeat_interfaces {\n"
			 "  eth0\n"
			 "}\n",
			 default_user_warns() ? 9 : 8, &m);
	static const char *const want[] = {
	    "good.conf:7:1: warning: 'garp_group' is not implemented by vrrpd yet; ignored",
	    "good.conf:10:1: warning: 'bfd_instance' is not implemented by vrrpd yet; ignored",
	    "good.conf:20:3: warning: 'use_ipvlan' is not implemented by vrrpd yet; ignored",
	    "good.conf:22:3: warning: 'debug' is not implemented by vrrpd yet; ignored",
	    "good.conf:23:3: warning: 'track_bfd' is not implemented by vrrpd yet; ignored",
	    "good.conf:27:15: warning: 'no_track' is not implemented by vrrpd yet; ignored",
	    ("good.conf:30:1: warning: 'linkbeat_interfaces' is not implemented by vrrpd yet; "
	     "ignored"),
	};
	size_t k = 0;

	for (; k < 7; k++)
		assert_string_equal(m.v[k], want[k]);
	if (default_user_warns())
		assert_non_null(strstr(m.v[k++], "good.conf:21:10: warning: no script_user"));
	assert_string_equal(m.v[k], "good.conf:1:17: warning: vrrp_sync_group G has only one "
				    "member; it has no effect");
	assert_int_equal(c->n_inst, 1);
	assert_int_equal(c->inst[0].n_vips, 2);
	assert_int_equal(c->inst[0].n_track_ifs, 1);
	assert_string_equal(c->inst[0].track_ifs[0].ifname, "eth1");
	assert_int_equal(c->inst[0].track_ifs[0].weight, 10);
	assert_string_equal(c->inst[0].notify.any.line, "/usr/local/bin/notify x");
	assert_string_equal(c->inst[0].sync_group, "G");
	assert_int_equal(c->inst[0].sync_group_idx, 0);
	assert_int_equal(c->n_groups, 1);
	assert_int_equal(c->groups[0].n_members, 1);
	assert_int_equal(c->groups[0].members[0], 0);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_duplicate_keyword_last_wins(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct config *c = load_text_ok(I_HEAD I_BODY "  priority 50\n  priority 150\n}\n"
						      "global_defs {\n  router_id a\n}\n"
						      "global_defs {\n  router_id b\n}\n",
					2, &m);

	assert_string_equal(m.v[0], "good.conf:8:3: warning: 'priority' given again in "
				    "vrrp_instance (first at 7:3); the last one wins");
	assert_string_equal(m.v[1], "good.conf:14:3: warning: 'router_id' given again in "
				    "global_defs (first at 11:3); the last one wins");
	assert_int_equal(c->inst[0].priority, 150);
	assert_string_equal(c->global.router_id, "b");
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_cannot_open(void **state)
{
	(void)state;
	struct conf_msgs m;

	assert_null(conf_load("no-such-file.conf", &m));
	assert_int_equal(m.errors, 1);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.v[0], "no-such-file.conf: cannot open: No such file or directory");
	conf_msgs_free(&m);
	/* msgs may be NULL */
	assert_null(conf_load("no-such-file.conf", NULL));
	mkdir_p("adir");
	assert_null(conf_load("adir", &m));
	assert_string_equal(m.v[0], "adir: cannot open: Is a directory");
	conf_msgs_free(&m);
}

static void test_empty_file(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct config *c = load_text_ok("", 0, &m);

	assert_int_equal(c->n_inst, 0);
	assert_null(conf_find(c, "x"));
	assert_null(conf_find(NULL, "x"));
	conf_free(c);
	conf_free(NULL);
	conf_msgs_free(&m);
	conf_msgs_free(NULL);
}

static void test_shipped_config(void **state)
{
	(void)state;
	static const char *const files[] = {"conf/vrrpd.conf",
					    "conf/examples/unicast-r1.conf",
					    "conf/examples/unicast-r2.conf",
					    "conf/examples/several-instances.conf",
					    "conf/examples/mysql.conf",
					    "conf/examples/haproxy.conf",
					    "conf/examples/nginx.conf"};
	char path[PATH_MAX * 2];

	for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		struct conf_msgs m;
		struct config *c;

		snprintf(path, sizeof(path), "%s/%s", origdir, files[k]);
		c = load_ok(path, 0, &m);
		assert_true(c->n_inst >= 1);
		if (k == 0) {
			const struct conf_instance *in = conf_find(c, "VI_1");
			assert_non_null(in);
			assert_int_equal(in->vrid, 51);
			assert_int_equal(in->version, 3);
			assert_int_equal(in->advert_int_cs, 20);
			assert_int_equal(in->state, CONF_STATE_BACKUP);
			assert_string_equal(in->ifname, "eth0");
			assert_addr(&in->vips[0].addr, "192.0.2.100");
			assert_int_equal(in->vips[0].prefix, 24);
		}
		conf_free(c);
		conf_msgs_free(&m);
	}
}

static const char equal_text[] =
    "vrrp_instance A {\n"
    "  interface eth0\n"
    "  virtual_router_id 9\n"
    "  priority 255\n"
    "  authentication {\n    auth_type PASS\n    auth_pass s3cret\n  }\n"
    "  unicast_src_ip 192.0.2.5\n"
    "  unicast_peer {\n    192.0.2.6\n  }\n"
    "  virtual_ipaddress {\n"
    "    192.0.2.1/24 dev eth0 label eth0:a\n"
    "    192.0.2.2/24 brd 192.0.2.255 scope link\n"
    "  }\n"
    "  virtual_ipaddress_excluded {\n    2001:db8::1/64\n  }\n"
    "}\n"
    "vrrp_instance \"B b\" {\n"
    "  interface eth1\n"
    "  virtual_router_id 9\n"
    "  version 3\n"
    "  advert_int 0.07\n"
    "  nopreempt\n"
    "  preempt_delay 0.5\n"
    "  v3_checksum_as_v2\n"
    "  garp_interval 0.000123\n"
    "  garp_master_refresh 1.5\n"
    "  virtual_ipaddress {\n    2001:db8::2\n  }\n"
    "}\n";

static void test_instance_equal(void **state)
{
	(void)state;
	struct conf_msgs m1, m2;
	struct config *c1 = load_text_ok(equal_text, 0, &m1);
	struct config *c2;
	struct conf_instance x;
	struct vip vips[3];
	struct vaddr peer;

	wfile("other.conf", "\n\n# shifted down: other file and line\n");
	{
		FILE *f = fopen("other.conf", "a");
		fputs(equal_text, f);
		fclose(f);
	}
	c2 = load_ok("other.conf", 0, &m2);
	for (size_t k = 0; k < c1->n_inst; k++) {
		assert_true(conf_instance_equal(&c1->inst[k], &c2->inst[k]));
		assert_int_not_equal(c1->inst[k].line, c2->inst[k].line);
	}
	assert_false(conf_instance_equal(&c1->inst[0], &c1->inst[1]));

#define MUTATE(stmt)                                                                               \
	do {                                                                                       \
		x = c2->inst[0];                                                                   \
		memcpy(vips, x.vips, sizeof(vips));                                                \
		x.vips = vips;                                                                     \
		peer = x.peers[0];                                                                 \
		x.peers = &peer;                                                                   \
		assert_true(conf_instance_equal(&c1->inst[0], &x));                                \
		stmt;                                                                              \
		assert_false(conf_instance_equal(&c1->inst[0], &x));                               \
		assert_false(conf_instance_equal(&x, &c1->inst[0]));                               \
	} while (0)

	MUTATE(x.name[0] = 'Z');
	MUTATE(x.state = CONF_STATE_MASTER);
	MUTATE(strcpy(x.ifname, "eth9"));
	MUTATE(x.vrid = 10);
	MUTATE(x.priority = 254);
	MUTATE(x.advert_int_cs = 200);
	MUTATE(x.version = 3);
	MUTATE(x.family = AF_INET6);
	MUTATE(x.nopreempt = true);
	MUTATE(x.preempt_delay_ms = 1);
	MUTATE(x.auth_type = CONF_AUTH_NONE);
	MUTATE(x.auth_pass[0] = 'S');
	MUTATE(x.v3_checksum_as_v2 = true);
	MUTATE(x.lower_prio_no_advert = true);
	MUTATE(x.n_vips = 2);
	MUTATE(vips[0].prefix = 25);
	MUTATE(vips[0].addr.u.b[3] = 99);
	MUTATE(strcpy(vips[0].label, "eth0:b"));
	MUTATE(strcpy(vips[0].dev, "eth1"));
	MUTATE(vips[1].scope = 0);
	MUTATE(vips[1].brd.u.b[3] = 1);
	MUTATE(vips[1].has_brd = false);
	MUTATE(vips[2].excluded = false);
	MUTATE(x.has_unicast_src = false);
	MUTATE(x.unicast_src.u.b[3] = 1);
	MUTATE(peer.u.b[3] = 1);
	MUTATE(x.n_peers = 0);
	MUTATE(x.garp.master_delay_ms = 1);
	MUTATE(x.garp.master_repeat = 1);
	MUTATE(x.garp.master_refresh_ms = 1);
	MUTATE(x.garp.master_refresh_repeat = 2);
	MUTATE(x.garp.interval_us = 1);
#undef MUTATE

	/* dev "" means the instance's interface. */
	x = c2->inst[0];
	memcpy(vips, x.vips, sizeof(vips));
	x.vips = vips;
	strcpy(vips[1].dev, "eth0");
	assert_true(conf_instance_equal(&c1->inst[0], &x));

	conf_free(c1);
	conf_free(c2);
	conf_msgs_free(&m1);
	conf_msgs_free(&m2);
}

static void test_dump_round_trip(void **state)
{
	(void)state;
	struct conf_msgs m1, m2;
	struct config *c1 = load_text_ok(equal_text, 0, &m1);
	struct config *c2;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	conf_dump(c1, f);
	fclose(f);
	assert_non_null(strstr(text, "\tpriority 255\t# (address owner)\n"));
	assert_non_null(strstr(text, "\tadvert_int 0.07\n"));
	assert_non_null(strstr(text, "\tpreempt_delay 0.5\n"));
	assert_non_null(strstr(text, "\tnopreempt\n"));
	assert_non_null(strstr(text, "\t\t192.0.2.2/24 brd 192.0.2.255 dev eth0 scope link\n"));
	assert_non_null(strstr(text, "\t\t192.0.2.1/24 dev eth0 scope global label eth0:a\n"));
	assert_non_null(strstr(text, "\tauth_pass s3cret\n"));
	assert_non_null(strstr(text, "\tgarp_interval 0.000123\n"));
	assert_non_null(strstr(text, "\tgarp_master_refresh 1.5\n"));
	assert_non_null(strstr(text, "vrrp_instance \"B b\" {"));
	assert_non_null(strstr(text, "master_down_interval 3.003 s"));
	wfile("dump.conf", text);
	c2 = load_ok("dump.conf", 0, &m2);
	assert_int_equal(c2->n_inst, c1->n_inst);
	for (size_t k = 0; k < c1->n_inst; k++)
		assert_true(conf_instance_equal(&c1->inst[k], &c2->inst[k]));
	assert_string_equal(c1->global.router_id, c2->global.router_id);
	free(text);
	conf_free(c1);
	conf_free(c2);
	conf_msgs_free(&m1);
	conf_msgs_free(&m2);
}

static const char health_text[] = "global_defs {\n"
				  "  router_id r1\n"
				  "  script_user nobody\n"
				  "  enable_script_security\n"
				  "  notification_email {\n"
				  "    ops@example.com\n"
				  "    oncall@example.com\n"
				  "  }\n"
				  "  notification_email_from vrrpd@example.com\n"
				  "  smtp_server 2001:db8::25 2525\n"
				  "  smtp_connect_timeout 5\n"
				  "  smtp_helo_name r1.example.com\n"
				  "  vrrp_notify_fifo /run/vrrpd.fifo root 0\n"
				  "}\n"
				  "vrrp_script chk_mysql {\n"
				  "  script \"/usr/local/bin/check_mysql --quick 'a b'\"\n"
				  "  interval 2.5\n"
				  "  timeout 1\n"
				  "  weight -20 reverse\n"
				  "  rise 3\n"
				  "  fall 2\n"
				  "  user root\n"
				  "  init_fail\n"
				  "}\n"
				  "vrrp_script chk_b {\n"
				  "  script \"pidof haproxy\"\n"
				  "}\n"
				  "vrrp_instance VI_1 {\n"
				  "  interface eth0\n"
				  "  virtual_router_id 51\n"
				  "  virtual_ipaddress {\n    192.0.2.1\n  }\n"
				  "  track_script {\n"
				  "    chk_mysql\n"
				  "    chk_b weight 5 reverse\n"
				  "  }\n"
				  "  track_interface {\n"
				  "    eth1\n"
				  "    eth2 weight -10\n"
				  "    eth3 weight 20 reverse\n"
				  "  }\n"
				  "  notify_master \"/etc/vrrpd/notify.sh master\"\n"
				  "  notify_backup /etc/vrrpd/backup.sh root\n"
				  "  notify_fault /etc/vrrpd/fault.sh nobody nogroup\n"
				  "  notify_stop /bin/stop\n"
				  "  notify /etc/vrrpd/notify-any.sh\n"
				  "  smtp_alert\n"
				  "}\n"
				  "vrrp_instance VI_2 {\n"
				  "  interface eth0\n"
				  "  virtual_router_id 52\n"
				  "  virtual_ipaddress {\n    192.0.2.2\n  }\n"
				  "}\n"
				  "vrrp_sync_group G {\n"
				  "  group {\n"
				  "    VI_2 VI_1\n"
				  "  }\n"
				  "  sync_group_tracking_weight\n" /* the members' weights hold */
				  "  notify_master \"/bin/g master\"\n"
				  "  notify \"echo $1 $2 $3 >> /tmp/log\"\n"
				  "  smtp_alert yes\n"
				  "  track_script {\n    chk_b weight 1\n  }\n"
				  "  track_interface {\n    eth4\n  }\n"
				  "}\n";

static void test_health_config(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct config *c = load_text_ok(health_text, 0, &m);
	const struct conf_global *g = &c->global;
	const struct conf_script *a, *b;
	const struct conf_instance *in;
	const struct conf_sync_group *grp;
	char s[ADDR_STRLEN];

	assert_true(g->script_user_set);
	assert_string_equal(g->script_user.name, "nobody");
	assert_int_equal(g->script_user.uid, 65534);
	assert_int_equal(g->script_user.gid, 65534);
	assert_true(g->script_security);
	assert_int_equal(g->n_notification_email, 2);
	assert_string_equal(g->notification_email[1], "oncall@example.com");
	assert_string_equal(g->email_from, "vrrpd@example.com");
	assert_true(g->has_smtp_server);
	assert_string_equal(addr_str(&g->smtp_server, s), "2001:db8::25");
	assert_int_equal(g->smtp_port, 2525);
	assert_int_equal(g->smtp_connect_timeout_ms, 5000);
	assert_string_equal(g->smtp_helo_name, "r1.example.com");
	assert_string_equal(g->notify_fifo, "/run/vrrpd.fifo");
	assert_true(g->notify_fifo_has_user);
	assert_int_equal(g->notify_fifo_user.uid, 0);
	assert_int_equal(g->notify_fifo_user.gid, 0);

	assert_int_equal(c->n_scripts, 2);
	a = conf_find_script(c, "chk_mysql");
	b = conf_find_script(c, "chk_b");
	assert_non_null(a);
	assert_non_null(b);
	assert_null(conf_find_script(c, "nope"));
	assert_string_equal(a->cmd.line, "/usr/local/bin/check_mysql --quick 'a b'");
	assert_true(a->cmd.has_user);
	assert_int_equal(a->cmd.user.uid, 0);
	assert_int_equal(a->interval_ms, 2500);
	assert_int_equal(a->timeout_ms, 1000);
	assert_int_equal(a->weight, -20);
	assert_true(a->weight_reverse);
	assert_int_equal(a->rise, 3);
	assert_int_equal(a->fall, 2);
	assert_true(a->init_fail);
	assert_string_equal(a->file, "good.conf");
	assert_int_equal(a->line, 15);
	/* Defaults; the user is global_defs' script_user. */
	assert_int_equal(b->interval_ms, 1000);
	assert_int_equal(b->timeout_ms, 1000);
	assert_int_equal(b->weight, 0);
	assert_false(b->weight_reverse);
	assert_int_equal(b->rise, 1);
	assert_int_equal(b->fall, 1);
	assert_false(b->init_fail);
	assert_false(b->cmd.has_user);
	assert_int_equal(b->cmd.user.uid, 65534);

	in = conf_find(c, "VI_1");
	assert_int_equal(in->n_track_scripts, 2);
	assert_string_equal(in->track_scripts[0].name, "chk_mysql");
	assert_int_equal(in->track_scripts[0].script, 0);
	assert_false(in->track_scripts[0].weight_set);
	assert_int_equal(in->track_scripts[0].weight, -20); /* the script's */
	assert_true(in->track_scripts[0].reverse);
	assert_int_equal(in->track_scripts[1].script, 1);
	assert_true(in->track_scripts[1].weight_set);
	assert_int_equal(in->track_scripts[1].weight, 5);
	assert_true(in->track_scripts[1].reverse);
	assert_int_equal(in->n_track_ifs, 3);
	assert_string_equal(in->track_ifs[0].ifname, "eth1");
	assert_int_equal(in->track_ifs[0].weight, 0);
	assert_false(in->track_ifs[0].reverse);
	assert_int_equal(in->track_ifs[1].weight, -10);
	assert_int_equal(in->track_ifs[2].weight, 20);
	assert_true(in->track_ifs[2].reverse);
	assert_string_equal(in->notify.master.line, "/etc/vrrpd/notify.sh master");
	assert_false(in->notify.master.has_user);
	assert_int_equal(in->notify.master.user.uid, 65534);
	assert_string_equal(in->notify.backup.line, "/etc/vrrpd/backup.sh");
	assert_true(in->notify.backup.has_user);
	assert_int_equal(in->notify.backup.user.uid, 0);
	assert_int_equal(in->notify.backup.user.gid, 0);
	assert_int_equal(in->notify.fault.user.uid, 65534);
	assert_int_equal(in->notify.fault.user.gid, 65534);
	assert_string_equal(in->notify.fault.user.group, "nogroup");
	assert_string_equal(in->notify.stop.line, "/bin/stop");
	assert_string_equal(in->notify.any.line, "/etc/vrrpd/notify-any.sh");
	assert_true(in->notify.smtp_alert);
	assert_string_equal(in->sync_group, "G");
	assert_int_equal(in->sync_group_idx, 0);
	assert_false(conf_find(c, "VI_2")->notify.smtp_alert);
	assert_null(conf_find(c, "VI_2")->notify.master.line);

	assert_int_equal(c->n_groups, 1);
	grp = conf_find_group(c, "G");
	assert_non_null(grp);
	assert_null(conf_find_group(c, "H"));
	assert_int_equal(grp->n_members, 2);
	assert_string_equal(c->inst[grp->members[0]].name, "VI_2");
	assert_string_equal(c->inst[grp->members[1]].name, "VI_1");
	assert_string_equal(grp->notify.master.line, "/bin/g master");
	assert_string_equal(grp->notify.any.line, "echo $1 $2 $3 >> /tmp/log");
	assert_true(grp->notify.smtp_alert);
	assert_int_equal(grp->n_track_scripts, 1);
	assert_int_equal(grp->track_scripts[0].weight, 1);
	assert_int_equal(grp->n_track_ifs, 1);
	assert_string_equal(grp->track_ifs[0].ifname, "eth4");
	assert_int_equal(grp->line, 57);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_health_defaults_and_warnings(void **state)
{
	(void)state;
	struct conf_msgs m;
	struct config *c = load_text_ok(I_HEAD I_BODY "  smtp_alert\n}\n", 1, &m);
	char host[256] = "";

	assert_string_equal(m.v[0], "good.conf:7:3: warning: smtp_alert is on but global_defs has "
				    "no smtp_server; no mail will be sent");
	gethostname(host, sizeof(host));
	assert_false(c->global.has_smtp_server);
	assert_int_equal(c->global.smtp_port, 25);
	assert_int_equal(c->global.smtp_connect_timeout_ms, 30000);
	assert_string_equal(c->global.smtp_helo_name, host);
	assert_true(strncmp(c->global.email_from, "vrrpd@", 6) == 0);
	assert_string_equal(c->global.email_from + 6, host);
	assert_int_equal(c->global.n_notification_email, 0);
	assert_false(c->global.script_security);
	assert_null(c->global.notify_fifo);
	/* Never root by default. */
	assert_int_not_equal(c->global.script_user.uid, 0);
	assert_int_equal(c->n_scripts, 0);
	assert_int_equal(c->n_groups, 0);
	conf_free(c);
	conf_msgs_free(&m);

	c = load_text_ok("global_defs {\n  smtp_server 192.0.2.25\n}\n" I_HEAD I_BODY
			 "  smtp_alert on\n}\n",
			 1, &m);
	assert_string_equal(m.v[0], "good.conf:10:3: warning: smtp_alert is on but global_defs "
				    "has no notification_email; no mail will be sent");
	conf_free(c);
	conf_msgs_free(&m);

	/* A later vrrp_script may be tracked; notify_* given twice: last wins. */
	c = load_text_ok(I_HEAD I_BODY "  track_script {\n    late\n  }\n"
				       "  notify_master /a\n  notify_master /b\n}\n"
				       "vrrp_script late {\n  script /bin/true\n  user root\n}\n",
			 default_user_warns() ? 2 : 1, &m);
	assert_string_equal(m.v[0], "good.conf:11:3: warning: 'notify_master' given again in "
				    "vrrp_instance (first at 10:3); the last one wins");
	if (default_user_warns())
		assert_non_null(strstr(m.v[1], "good.conf:10:17: warning: no script_user"));
	assert_string_equal(c->inst[0].notify.master.line, "/b");
	assert_int_equal(c->inst[0].track_scripts[0].script, 0);
	conf_free(c);
	conf_msgs_free(&m);
}

static void test_health_equal_and_dump(void **state)
{
	(void)state;
	struct conf_msgs m1, m2;
	struct config *c1 = load_text_ok(health_text, 0, &m1);
	struct config *c2;
	struct conf_instance x;
	struct conf_track_script ts[2];
	struct conf_track_if ti[3];
	struct conf_script sc;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	conf_dump(c1, f);
	fclose(f);
	assert_non_null(strstr(text, "\tscript_user nobody\n\tenable_script_security\n"));
	assert_non_null(strstr(text, "\tsmtp_server 2001:db8::25 2525\n"));
	assert_non_null(strstr(text, "\tnotify_fifo /run/vrrpd.fifo root 0\n"));
	assert_non_null(strstr(text, "\tscript \"/usr/local/bin/check_mysql --quick 'a b'\"\n"
				     "\tinterval 2.5\n\ttimeout 1\n\tweight -20 reverse\n"
				     "\trise 3\n\tfall 2\n\tuser root\n\tinit_fail\n"));
	assert_non_null(strstr(text, "\t\tchk_b weight 5 reverse\n"));
	assert_non_null(strstr(text, "\t\teth2 weight -10\n"));
	assert_non_null(strstr(text, "\tnotify_backup /etc/vrrpd/backup.sh root\n"));
	assert_non_null(strstr(text, "\tnotify_fault /etc/vrrpd/fault.sh nobody nogroup\n"));
	assert_non_null(strstr(text, "\tsmtp_alert true\n"));
	assert_non_null(strstr(text, "\tnotify \"echo $1 $2 $3 >> /tmp/log\"\t# as nobody (uid "
				     "65534, gid 65534), through /bin/sh -c\n"));
	assert_non_null(strstr(text, "\tnotify_master \"/etc/vrrpd/notify.sh master\"\t# as "
				     "nobody (uid 65534, gid 65534)\n"));
	assert_non_null(strstr(text, "vrrp_sync_group G {"));
	assert_non_null(strstr(text, "\t\tVI_2\n\t\tVI_1\n"));
	wfile("dump.conf", text);
	c2 = load_ok("dump.conf", 0, &m2);
	assert_int_equal(c2->n_inst, c1->n_inst);
	for (size_t k = 0; k < c1->n_inst; k++)
		assert_true(conf_instance_equal(&c1->inst[k], &c2->inst[k]));
	assert_int_equal(c2->n_scripts, c1->n_scripts);
	for (size_t k = 0; k < c1->n_scripts; k++)
		assert_true(conf_script_equal(&c1->scripts[k], &c2->scripts[k]));
	assert_int_equal(c2->n_groups, 1);
	assert_true(conf_group_equal(c1, &c1->groups[0], c2, &c2->groups[0]));
	assert_true(c2->global.script_security);
	assert_int_equal(c2->global.smtp_port, 2525);
	free(text);

#define MUTATE(stmt)                                                                               \
	do {                                                                                       \
		x = c2->inst[0];                                                                   \
		memcpy(ts, x.track_scripts, sizeof(ts));                                           \
		x.track_scripts = ts;                                                              \
		memcpy(ti, x.track_ifs, sizeof(ti));                                               \
		x.track_ifs = ti;                                                                  \
		assert_true(conf_instance_equal(&c1->inst[0], &x));                                \
		stmt;                                                                              \
		assert_false(conf_instance_equal(&c1->inst[0], &x));                               \
		assert_false(conf_instance_equal(&x, &c1->inst[0]));                               \
	} while (0)

	MUTATE(x.n_track_scripts = 1);
	MUTATE(ts[1].name[0] = 'X');
	MUTATE(ts[1].weight = 6);
	MUTATE(ts[1].reverse = false);
	MUTATE(ts[0].weight_set = true);
	MUTATE(x.n_track_ifs = 2);
	MUTATE(ti[0].ifname[0] = 'X');
	MUTATE(ti[1].weight = -11);
	MUTATE(ti[2].reverse = false);
	MUTATE(x.notify.master.line = (char *)"/other");
	MUTATE(x.notify.backup.line = NULL);
	MUTATE(x.notify.backup.user.uid = 5);
	MUTATE(x.notify.fault.has_user = false);
	MUTATE(x.notify.stop.line = (char *)"/bin/stop2");
	MUTATE(x.notify.any.line = NULL);
	MUTATE(x.notify.smtp_alert = false);
	MUTATE(strcpy(x.sync_group, "H"));
#undef MUTATE

	sc = c1->scripts[0];
	assert_true(conf_script_equal(&sc, &c2->scripts[0]));
	sc.interval_ms++;
	assert_false(conf_script_equal(&sc, &c2->scripts[0]));
	sc = c1->scripts[0];
	sc.timeout_ms++;
	assert_false(conf_script_equal(&sc, &c2->scripts[0]));
	sc = c1->scripts[0];
	sc.weight_reverse = false;
	assert_false(conf_script_equal(&sc, &c2->scripts[0]));
	sc = c1->scripts[0];
	sc.init_fail = false;
	assert_false(conf_script_equal(&sc, &c2->scripts[0]));
	sc = c1->scripts[0];
	sc.cmd.user.uid = 1;
	assert_false(conf_script_equal(&sc, &c2->scripts[0]));
	sc = c1->scripts[0];
	sc.cmd.line = (char *)"/x";
	assert_false(conf_script_equal(&sc, &c2->scripts[0]));
	sc = c1->scripts[0];
	sc.rise = 9;
	assert_false(conf_script_equal(&sc, &c2->scripts[0]));
	assert_false(conf_script_equal(&c1->scripts[0], &c2->scripts[1]));
	{
		struct conf_sync_group gg = c1->groups[0];
		size_t members[2] = {gg.members[1], gg.members[0]};

		gg.members = members;
		assert_false(conf_group_equal(c1, &gg, c2, &c2->groups[0]));
		gg = c1->groups[0];
		gg.notify.smtp_alert = false;
		assert_false(conf_group_equal(c1, &gg, c2, &c2->groups[0]));
	}
	conf_free(c1);
	conf_free(c2);
	conf_msgs_free(&m1);
	conf_msgs_free(&m2);
}

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(conf_edit_distance("priorty", "priority"), 1);
	assert_int_equal(conf_edit_distance("", "abc"), 3);
	assert_int_equal(conf_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(conf_edit_distance("same", "same"), 0);
}

static void test_load_buffer(void **state)
{
	(void)state;
	static const char text[] = I_HEAD I_BODY "}\n";
	struct conf_msgs m;
	struct config *c = conf_load_buffer("mem", text, strlen(text), &m);

	assert_non_null(c);
	assert_int_equal(m.n, 0);
	assert_string_equal(c->inst[0].file, "mem");
	conf_free(c);
	conf_msgs_free(&m);
	/* Binary garbage is rejected without crashing. */
	c = conf_load_buffer("mem", "\0{\"\n}}{", 7, &m);
	assert_null(c);
	assert_string_equal(m.v[0], "mem:1:1: unexpected NUL byte");
	conf_msgs_free(&m);
}

/* ---- fixture ---- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int group_setup(void **state)
{
	(void)state;
	if (!getcwd(origdir, sizeof(origdir)))
		return -1;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vrrpd-test-conf.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	return chdir(tmpdir);
}

static int group_teardown(void **state)
{
	(void)state;
	if (chdir(origdir) < 0)
		return -1;
	return nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* More than 255 advertised addresses: all installed, the first 255
 * advertised, a warning at the 256th. */
static void test_more_than_255_vips(void **state)
{
	(void)state;
	struct conf_msgs m = {0};
	char *text = malloc(64 * 1024);
	size_t len = 0;

	assert_non_null(text);
	len += (size_t)sprintf(text + len,
			       "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
			       " virtual_ipaddress {\n");
	for (int i = 1; i <= 254; i++)
		len += (size_t)sprintf(text + len, "  203.0.113.%d/32\n", i);
	for (int i = 1; i <= 10; i++)
		len += (size_t)sprintf(text + len, "  198.51.100.%d/32\n", i);
	sprintf(text + len, " }\n}\n");
	struct config *c = load_text_ok(text, 1, &m);
	assert_int_equal(c->inst[0].n_vips, 264);
	assert_non_null(strstr(m.v[0], ":260:3: warning: an advert lists at most 255 addresses: "
				       "198.51.100.2 and the 8 after it are installed"));
	conf_free(c);
	conf_msgs_free(&m);
	free(text);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_keepalived_sample),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_fractional_advert_int),
	    cmocka_unit_test(test_vip_forms),
	    cmocka_unit_test(test_versions),
	    cmocka_unit_test(test_unicast_and_timers),
	    cmocka_unit_test(test_includes),
	    cmocka_unit_test(test_include_loop_and_depth),
	    cmocka_unit_test(test_include_fanout_bounded),
	    cmocka_unit_test(test_nul_in_quotes),
	    cmocka_unit_test(test_dump_quotes_every_blank),
	    cmocka_unit_test(test_no_suggestions_after_many_errors),
	    cmocka_unit_test(test_lexer_details),
	    cmocka_unit_test(test_lexer_tokens),
	    cmocka_unit_test(test_unsupported_sections),
	    cmocka_unit_test(test_duplicate_keyword_last_wins),
	    cmocka_unit_test(test_cannot_open),
	    cmocka_unit_test(test_empty_file),
	    cmocka_unit_test(test_shipped_config),
	    cmocka_unit_test(test_instance_equal),
	    cmocka_unit_test(test_dump_round_trip),
	    cmocka_unit_test(test_edit_distance),
	    cmocka_unit_test(test_load_buffer),
	    cmocka_unit_test(test_health_config),
	    cmocka_unit_test(test_health_defaults_and_warnings),
	    cmocka_unit_test(test_health_equal_and_dump),
	    cmocka_unit_test(test_more_than_255_vips),
	};
	size_t nf = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *all = calloc(nf + N_BAD, sizeof(*all));
	char names[N_BAD][64];
	int rc;

	if (!all)
		return 1;
	memcpy(all, fixed, sizeof(fixed));
	for (size_t k = 0; k < N_BAD; k++) {
		snprintf(names[k], sizeof(names[k]), "bad_%s", bad_cases[k].name);
		all[nf + k].name = names[k];
		all[nf + k].test_func = test_bad;
		all[nf + k].initial_state = (void *)&bad_cases[k];
	}
	rc = _cmocka_run_group_tests("conf", all, nf + N_BAD, group_setup, group_teardown);
	free(all);
	return rc;
}
