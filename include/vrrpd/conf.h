/* conf: the configuration model, loaded from keepalived's grammar.
 *
 * Promises: conf_load() parses a file (with its includes) into an immutable
 * struct config, applying defaults and validating values. Every problem is
 * reported as "FILE:LINE:COL: MESSAGE" (errors) or
 * "FILE:LINE:COL: warning: MESSAGE" (keywords vrrpd does not implement, which
 * are skipped with their blocks). A file with any error yields no config.
 * Pure apart from reading the files; no global state. */
#ifndef VRRPD_CONF_H
#define VRRPD_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vrrpd/addr.h"

#define CONF_DEFAULT_PATH "/etc/vrrpd/vrrpd.conf"
#define CONF_NAME_MAX 64

enum conf_state { CONF_STATE_BACKUP = 0, CONF_STATE_MASTER = 1 };
enum conf_auth { CONF_AUTH_NONE = 0, CONF_AUTH_PASS = 1 };

struct conf_vip {
	struct vaddr addr;
	uint8_t prefix;     /* default 32 (IPv4) / 128 (IPv6) */
	bool has_brd;
	struct vaddr brd;   /* "brd X" */
	char dev[IFNAMSIZ]; /* "dev IF"; empty = the instance's interface */
	uint8_t scope;      /* RT_SCOPE_*; "scope global|host|link|site|NUM", default global (0) */
	char label[IFNAMSIZ]; /* "label L"; empty = none */
	bool excluded;      /* from virtual_ipaddress_excluded: installed but not advertised */
};

/* Gratuitous ARP timing (keepalived's garp_* keywords). */
struct conf_garp {
	uint32_t master_delay_ms;   /* garp_master_delay SECS: second burst after becoming master; default 5 s, 0 = none */
	uint32_t master_repeat;     /* garp_master_repeat N: GARPs per burst; default 5 */
	uint32_t master_refresh_ms; /* garp_master_refresh SECS: periodic burst while master; default 0 = off */
	uint32_t master_refresh_repeat; /* garp_master_refresh_repeat N; default 1 */
	uint32_t interval_us;       /* garp_interval SECS (fractional): gap between GARPs of a burst; default 0 */
};

struct conf_instance {
	char name[CONF_NAME_MAX];
	const char *file; /* where the block starts, for messages; points into config's string pool */
	int line;

	enum conf_state state; /* initial-state hint; default BACKUP */
	char ifname[IFNAMSIZ]; /* required */
	uint8_t vrid;          /* required, 1..255 */
	uint8_t priority;      /* 1..255, default 100; 255 = address owner */
	uint32_t advert_int_cs; /* centiseconds; default 100. v2: whole seconds only (multiple of 100), v3: 1..4095 */
	uint8_t version;       /* 2 or 3; default global vrrp_version, else 2 */
	uint8_t family;        /* AF_INET or AF_INET6, from the VIPs (all must agree) */
	bool nopreempt;
	uint32_t preempt_delay_ms; /* 0..1000 s */
	enum conf_auth auth_type;  /* v2 only */
	char auth_pass[9];         /* up to 8 chars, NUL-terminated */
	bool v3_checksum_as_v2;    /* v3 over IPv4: checksum without pseudo-header (RFC 9568 form) */
	bool lower_prio_no_advert; /* don't re-advertise at once on hearing a lower priority */

	struct conf_vip *vips; /* virtual_ipaddress, then virtual_ipaddress_excluded */
	size_t n_vips;

	bool has_unicast_src;
	struct vaddr unicast_src;
	struct vaddr *peers; /* unicast_peer { }; empty = multicast */
	size_t n_peers;

	struct conf_garp garp;
};

struct conf_global {
	char router_id[CONF_NAME_MAX]; /* default: hostname */
	uint8_t vrrp_version;          /* default 2 */
	struct conf_garp garp;         /* vrrp_garp_* defaults for instances */
};

struct config {
	struct conf_global global;
	struct conf_instance *inst;
	size_t n_inst;
	char *strings; /* pool holding file names referenced by instances */
	size_t strings_len;
};

/* Messages produced while loading; each a full line without newline. */
struct conf_msgs {
	char **v;
	size_t n;
	int errors;
	int warnings;
};

/* Loads PATH. Returns a config, or NULL when there was any error (msgs says
 * which). msgs may be NULL. */
struct config *conf_load(const char *path, struct conf_msgs *msgs);
void conf_free(struct config *c);
void conf_msgs_free(struct conf_msgs *m);
/* Prints the loaded configuration, every parameter with its effective value
 * (used by vrrpd -t). */
void conf_dump(const struct config *c, FILE *out);
/* Finds an instance by name, or NULL. */
const struct conf_instance *conf_find(const struct config *c, const char *name);
/* True when two instances are the same as far as the protocol is concerned
 * (everything but file/line). Used by reload. */
bool conf_instance_equal(const struct conf_instance *a, const struct conf_instance *b);
/* True when VIP a of instance ia and VIP b of instance ib are the same
 * address with the same options on the same device. */
bool conf_vip_equal(const struct conf_instance *ia, const struct conf_vip *a,
		    const struct conf_instance *ib, const struct conf_vip *b);

#endif
