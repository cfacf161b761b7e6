/* conf_kw_instance: the vrrp_instance section, its authentication block,
 * and its lists (virtual_ipaddress, virtual_ipaddress_excluded,
 * unicast_peer, virtual_routes, virtual_rules; their lines are parsed by
 * kw_addr.c and kw_route.c).
 *
 * How: an instance is parsed into a local struct conf_instance (with the
 * built-in defaults) and its conf_inst_meta, and appended to the config at
 * the end of its block; an instance without a usable name is parsed for
 * its messages and dropped. The keywords it shares with sync groups come
 * from conf_kw_shared (kw_track.c). Which keywords were written at all is
 * read from the block's "given again" slots when it ends. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "conf/kw.h"
#include "conf/model.h"
#include "conf/values.h"

/* ---- simple settings ---- */

static void ik_state(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_instance *in = ((struct inst_ctx *)vctx)->in;

	if (!strcasecmp(s->arg[0].text, "MASTER"))
		in->state = CONF_STATE_MASTER;
	else if (!strcasecmp(s->arg[0].text, "BACKUP"))
		in->state = CONF_STATE_BACKUP;
	else
		conf_perr(p, &s->arg[0], "state must be MASTER or BACKUP, got '%s'",
			  s->arg[0].text);
}

static void ik_interface(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_instance *in = ((struct inst_ctx *)vctx)->in;

	if (conf_check_ifname(p, &s->arg[0], "interface name"))
		strcpy(in->ifname, s->arg[0].text);
}

static void ik_vrid(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_instance *in = ((struct inst_ctx *)vctx)->in;
	unsigned long u;

	if (conf_val_uint(p, s, 1, 255, &u))
		in->vrid = (uint8_t)u;
}

static void ik_priority(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_instance *in = ((struct inst_ctx *)vctx)->in;
	unsigned long u;

	if (conf_val_uint(p, s, 1, 255, &u))
		in->priority = (uint8_t)u;
}

/* Centiseconds here; what the version allows is checked by conf_finalize. */
static void ik_advert_int(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	const struct conf_tok *t = &s->arg[0];
	uint64_t v = 0;
	int rc = conf_parse_fixed(t->text, 2, 25500, &v);

	if (rc == CONF_FIX_OK && v > 0) {
		ctx->in->advert_int_cs = (uint32_t)v;
		ctx->meta->advert_int = t;
	} else if (rc == CONF_FIX_PRECISION) {
		conf_perr(p, t, "advert_int has a resolution of 0.01 seconds, got '%s'", t->text);
	} else {
		conf_perr(p, t, "advert_int must be a number of seconds from 0.01 to 255, got '%s'",
			  t->text);
	}
}

static void ik_version(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	unsigned long u;

	if (!conf_parse_uint(s->arg[0].text, 2, 3, &u)) {
		conf_perr(p, &s->arg[0], "version must be 2 or 3, got '%s'", s->arg[0].text);
		return;
	}
	ctx->in->version = (uint8_t)u;
	ctx->meta->version = &s->arg[0];
}

/* nopreempt (arg 1) and preempt (arg 0): one setting. */
static void ik_preempt(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	conf_val_flag(p, s);
	((struct inst_ctx *)vctx)->in->nopreempt = s->def->arg;
}

static void ik_preempt_delay(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	uint64_t v;

	if (conf_val_secs(p, s, 3, 1000, &v))
		((struct inst_ctx *)vctx)->in->preempt_delay_ms = (uint32_t)v;
}

/* An address where keepalived ignores a prefix (unicast_peer, unicast_src_ip):
 * the prefix is dropped with a warning. */
bool conf_addr_no_prefix(struct conf_parser *p, const struct conf_tok *t, struct vaddr *a)
{
	char buf[128];
	const char *slash = strchr(t->text, '/');
	size_t n = slash ? (size_t)(slash - t->text) : strlen(t->text);

	if (n >= sizeof(buf) || (memcpy(buf, t->text, n), buf[n] = '\0', addr_parse(buf, a) < 0)) {
		conf_perr(p, t, "'%s' is not an IPv4 or IPv6 address", t->text);
		return false;
	}
	if (slash)
		conf_pwarn(p, t, "the prefix of '%s' is ignored (keepalived ignores it too): %s",
			   t->text, buf);
	return true;
}

/* unicast_src_ip (also spelt mcast_src_ip) */
static void ik_unicast_src(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	struct conf_instance *in = ctx->in;

	if (!conf_addr_no_prefix(p, &s->arg[0], &in->unicast_src)) {
		memset(&in->unicast_src, 0, sizeof(in->unicast_src));
		in->has_unicast_src = false;
		return;
	}
	in->has_unicast_src = true;
	ctx->meta->unicast_src = &s->arg[0];
}

static void ik_garp(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	struct conf_inst_meta *meta = ctx->meta;
	bool *set[] = {&meta->garp_delay_set,	    &meta->garp_repeat_set,
		       &meta->garp_refresh_set,	    &meta->garp_refresh_repeat_set,
		       &meta->garp_interval_set,    &meta->gna_interval_set,
		       &meta->garp_lower_delay_set, &meta->garp_lower_repeat_set};
	enum conf_garp_kw k = (enum conf_garp_kw)s->def->arg;

	if (!conf_val_garp(p, s, k, &ctx->in->garp))
		return;
	*set[k] = true;
	if (k == CONF_GARP_LOWER_REPEAT)
		meta->lower_rep = &s->arg[0];
}

/* ---- unicast: check_unicast_src, unicast_ttl, unicast_fault_no_peer ---- */

/* check_unicast_src: always on in vrrpd (a stranger must not take part in
 * a unicast instance's election); written, it changes nothing. keepalived
 * takes no argument and has no way to turn it off. */
static void ik_check_unicast_src(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	bool b = true;

	(void)vctx;
	if (s->nargs && conf_val_bool(p, s, &b) && !b)
		conf_pwarn(p, &s->arg[0],
			   "check_unicast_src cannot be turned off: vrrpd always drops an advert "
			   "from an address that is not a unicast_peer (keepalived ignores the "
			   "argument too)");
}

static void ik_unicast_ttl(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_instance *in = ((struct inst_ctx *)vctx)->in;
	unsigned long u;

	if (!conf_val_uint(p, s, 0, 255, &u))
		return;
	if (u == 0) {
		conf_pwarn(p, &s->arg[0],
			   "unicast_ttl 0 cannot be sent (the kernel refuses a TTL of 0); using 1");
		u = 1;
	}
	in->unicast_ttl = (uint8_t)u;
}

enum {
	IK_CSUM_AS_V2,
	IK_LOWER_PRIO_NO_ADVERT,
	IK_PRIO_CHANGES,
	IK_DONT_TRACK_PRIMARY,
	IK_HPSA,
	IK_FAULT_NO_PEER
};

static void ik_bool(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	struct conf_instance *in = ctx->in;
	bool b;

	if (!conf_val_bool(p, s, &b))
		return;
	if (s->def->arg == IK_CSUM_AS_V2) {
		in->v3_checksum_as_v2 = b;
	} else if (s->def->arg == IK_PRIO_CHANGES) {
		in->notify.priority_changes = b;
		ctx->meta->priority_changes_set = true;
	} else if (s->def->arg == IK_DONT_TRACK_PRIMARY) {
		in->dont_track_primary = b;
	} else if (s->def->arg == IK_HPSA) {
		in->higher_prio_send_advert = b;
		ctx->meta->hpsa = s->kw;
	} else if (s->def->arg == IK_FAULT_NO_PEER) {
		in->unicast_fault_no_peer = b;
	} else {
		in->lower_prio_no_advert = b;
		ctx->meta->lower_prio_no_advert = s->kw;
	}
}

/* linkbeat_use_polling: keepalived polls the carrier with ethtool/MII
 * ioctls; vrrpd's netlink link events carry the same carrier state at once,
 * so there is nothing to change. */
static void ik_linkbeat(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	(void)p;
	(void)s;
	(void)vctx;
}

/* strict_mode [BOOL] */
static void ik_strict_mode(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;

	if (conf_val_bool(p, s, &ctx->in->strict_mode))
		ctx->meta->strict_mode = s->kw;
}

/* accept (arg 1) and no_accept (arg 0): one setting. */
static void ik_accept(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;

	conf_val_flag(p, s);
	ctx->in->accept_mode = s->def->arg;
	ctx->meta->accept = s->kw;
}

static void ik_vmac_xmit_base(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	conf_val_flag(p, s);
	((struct inst_ctx *)vctx)->in->vmac_xmit_base = true;
}

/* no_virtual_ipaddress: an instance without addresses on purpose (read
 * from the block's slots when it ends). */
static void ik_no_vips(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	(void)vctx;
	conf_val_flag(p, s);
}

/* mcast_dst_ip ADDR: IPv4 multicast, or IPv6 link-local multicast. */
static void ik_mcast_dst(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	const struct conf_tok *t = &s->arg[0];
	struct vaddr a;

	if (addr_parse(t->text, &a) < 0 ||
	    (a.family == AF_INET && !IN_MULTICAST(ntohl(a.u.v4.s_addr))) ||
	    (a.family == AF_INET6 && !IN6_IS_ADDR_MC_LINKLOCAL(&a.u.v6))) {
		conf_perr(p, t,
			  "mcast_dst_ip must be an IPv4 multicast address (224.0.0.0/4) or an IPv6 "
			  "link-local multicast address (ff02::/16), got '%s'",
			  t->text);
		return;
	}
	ctx->in->has_mcast_dst = true;
	ctx->in->mcast_dst = a;
	ctx->meta->mcast_dst = t;
}

/* ---- use_vmac [[name] NAME] [MAC] [netlink_notify_msg] [group GROUP] ---- */

/* The word of use_vmac at K (and its value); returns the index of the
 * next. Bad words are reported; the others still count. */
static size_t vmac_word(struct conf_parser *p, const struct conf_stmt *s, size_t k,
			struct inst_ctx *ctx)
{
	const struct conf_tok *t = &s->arg[k];
	char w[300];

	if (strchr(t->text, ':')) { /* a MAC address: names cannot have a ':' */
		conf_pwarn(p, t,
			   "use_vmac MAC address '%s' is not implemented by vrrpd yet; ignored "
			   "(the virtual MAC is RFC 5798's 00:00:5e:00:01:VRID, IPv6 "
			   "00:00:5e:00:02:VRID)",
			   t->text);
		return k + 1;
	}
	if (!strcmp(t->text, "netlink_notify_msg") || !strcmp(t->text, "group")) {
		bool group = t->text[0] == 'g';

		conf_pwarn(p, t, "use_vmac '%s' is not implemented by vrrpd yet; ignored", t->text);
		if (group && k + 1 >= s->nargs)
			conf_perr(p, t, "expected a group after 'group'");
		return k + 1 + group;
	}
	if (!strcmp(t->text, "name")) {
		if (k + 1 >= s->nargs) {
			conf_perr(p, t, "expected an interface name after 'name'");
			return k + 1;
		}
		t = &s->arg[++k];
	}
	if (ctx->meta->vmac_name) {
		conf_perr(p, t, "use_vmac has two names, '%s' (at %s) and '%s'",
			  ctx->meta->vmac_name->text,
			  conf_where(ctx->meta->vmac_name, t, w, sizeof(w)), t->text);
	} else if (!conf_ifname_valid(t->text)) {
		conf_perr(p, t,
			  "'%s' is not a valid interface name for use_vmac (1 to %d characters, "
			  "no '/', ':' or blanks, not '.' or '..')",
			  t->text, IFNAMSIZ - 1);
	} else {
		strcpy(ctx->in->vmac_name, t->text);
		ctx->meta->vmac_name = t;
	}
	return k + 1;
}

static void ik_use_vmac(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;

	ctx->in->use_vmac = true;
	ctx->in->vmac_name[0] = '\0';
	ctx->meta->use_vmac = s->kw;
	ctx->meta->vmac_name = NULL;
	for (size_t k = 0; k < s->nargs;)
		k = vmac_word(p, s, k, ctx);
}

/* ---- authentication { auth_type PASS  auth_pass SECRET } ---- */

static void au_type(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;

	if (!strcasecmp(s->arg[0].text, "AH")) {
		conf_perr(p, &s->arg[0], "auth_type AH is not supported (RFC 3768 removed it)");
		return;
	}
	if (strcasecmp(s->arg[0].text, "PASS") != 0) {
		conf_perr(p, &s->arg[0], "auth_type must be PASS, got '%s'", s->arg[0].text);
		return;
	}
	ctx->in->auth_type = CONF_AUTH_PASS;
	ctx->meta->auth_type = &s->arg[0];
}

static void au_pass(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	const struct conf_tok *t = &s->arg[0];

	if (!t->text[0]) {
		conf_perr(p, t, "auth_pass must not be empty");
		return;
	}
	if (strlen(t->text) > 8)
		conf_pwarn(p, t,
			   "auth_pass is longer than 8 characters; only the first 8 are used");
	memset(ctx->in->auth_pass, 0, sizeof(ctx->in->auth_pass));
	strncpy(ctx->in->auth_pass, t->text, 8);
	ctx->meta->auth_pass = t;
}

static const struct conf_kw auth_kw[] = {
    CONF_KW_ARGS("auth_pass", 1, 1, "a password", au_pass, 0),
    CONF_KW_ARGS("auth_type", 1, 1, "PASS", au_type, 0),
};

const struct conf_section conf_sec_auth = {"authentication", CONF_KW_TABLE(auth_kw), NULL, NULL};

static void ik_authentication(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	const struct conf_tok *seen[CONF_SECTION_SLOTS_MAX] = {0};

	conf_parse_section(p, s->kw, &conf_sec_auth, ctx, seen);
	if (conf_seen(&conf_sec_auth, seen, "auth_type"))
		ctx->meta->auth_type_seen = true; /* written, valid or not */
}

/* ---- virtual_ipaddress { ADDR[/PREFIX] [OPTION VALUE]... } ---- */

static void vip_item(struct conf_parser *p, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	struct conf_instance *in = ctx->in;
	struct conf_inst_meta *meta = ctx->meta;
	struct conf_stmt s;
	struct vip v;

	conf_read_item(p, &s);
	if (!ctx->excluded)
		meta->vip_lines = true;
	if (!conf_vip_line(p, &s, &v))
		return;
	v.excluded = ctx->excluded;
	in->vips = conf_xgrow(in->vips, in->n_vips, sizeof(*in->vips));
	meta->vip = conf_xgrow(meta->vip, in->n_vips, sizeof(*meta->vip));
	in->vips[in->n_vips] = v;
	meta->vip[in->n_vips] = s.kw;
	in->n_vips++;
}

/* virtual_ipaddress (arg 0), virtual_ipaddress_excluded (arg 1) */
static void ik_vips(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;

	ctx->excluded = s->def->arg;
	conf_parse_list(p, s->kw, vip_item, ctx);
	ctx->excluded = false;
}

/* ---- unicast_peer { ADDR [min_ttl N] [max_ttl N] } ---- */

static void peer_item(struct conf_parser *p, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	struct conf_instance *in = ctx->in;
	struct conf_stmt s;
	struct vaddr a;
	unsigned long u;

	conf_read_item(p, &s);
	if (!conf_addr_no_prefix(p, s.kw, &a))
		return;
	for (size_t k = 0; k < s.nargs; k++) {
		const struct conf_tok *o = &s.arg[k];

		if (strcmp(o->text, "min_ttl") != 0 && strcmp(o->text, "max_ttl") != 0) {
			conf_perr(p, o,
				  "unexpected '%s' after unicast peer %s (expected min_ttl or "
				  "max_ttl)",
				  o->text, s.kw->text);
			return;
		}
		if (k + 1 >= s.nargs) {
			conf_perr(p, o, "expected a number after '%s'", o->text);
			return;
		}
		if (!conf_parse_uint(s.arg[k + 1].text, 0, 255, &u)) {
			conf_perr(p, &s.arg[k + 1], "%s must be a number from 0 to 255, got '%s'",
				  o->text, s.arg[k + 1].text);
			return;
		}
		conf_pwarn(p, o, "'%s' is not implemented by vrrpd yet; ignored", o->text);
		k++;
	}
	in->peers = conf_xgrow(in->peers, in->n_peers, sizeof(*in->peers));
	ctx->meta->peer = conf_xgrow(ctx->meta->peer, in->n_peers, sizeof(*ctx->meta->peer));
	in->peers[in->n_peers] = a;
	ctx->meta->peer[in->n_peers] = s.kw;
	in->n_peers++;
}

static void ik_peers(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	conf_parse_list(p, s->kw, peer_item, vctx);
}

/* ---- virtual_routes { ROUTE... }, virtual_rules { RULE... } ---- */

static void vroute_item(struct conf_parser *p, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	struct conf_instance *in = ctx->in;
	struct conf_stmt s;
	struct vroute r;

	conf_read_item(p, &s);
	if (!conf_route_line(p, &s, false, &r))
		return;
	in->vroutes = conf_xgrow(in->vroutes, in->n_vroutes, sizeof(*in->vroutes));
	ctx->meta->vroute =
	    conf_xgrow(ctx->meta->vroute, in->n_vroutes, sizeof(*ctx->meta->vroute));
	in->vroutes[in->n_vroutes] = r;
	ctx->meta->vroute[in->n_vroutes++] = s.kw;
}

static void vrule_item(struct conf_parser *p, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	struct conf_instance *in = ctx->in;
	struct conf_stmt s;
	struct vrule u;

	conf_read_item(p, &s);
	if (!conf_rule_line(p, &s, false, &u))
		return;
	in->vrules = conf_xgrow(in->vrules, in->n_vrules, sizeof(*in->vrules));
	ctx->meta->vrule = conf_xgrow(ctx->meta->vrule, in->n_vrules, sizeof(*ctx->meta->vrule));
	in->vrules[in->n_vrules] = u;
	ctx->meta->vrule[in->n_vrules++] = s.kw;
}

/* virtual_routes (arg 0), virtual_rules (arg 1) */
static void ik_routes(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	conf_parse_list(p, s->kw, s->def->arg ? vrule_item : vroute_item, vctx);
}

/* ---- the section ---- */

static const struct conf_kw inst_kw[] = {
    {.name = "accept",
     .max = 1,
     .what = "nothing",
     .alias = "no_accept",
     .fn = ik_accept,
     .arg = 1},
    CONF_KW_ARGS("advert_int", 1, 1, "a number of seconds", ik_advert_int, 0),
    CONF_KW_CHANGES_OF("auth_hmac",
		       "CHANGES WHO IS MASTER: keepalived 2.4 signs adverts with HMAC and drops "
		       "unsigned ones; vrrpd sends them unsigned and checks nothing, so a "
		       "keepalived peer with auth_hmac ignores vrrpd (two masters)"),
    CONF_KW_BLOCK_OF("authentication", 0, ik_authentication, 0),
    CONF_KW_ARGS("check_unicast_src", 0, 1, "nothing", ik_check_unicast_src, 0),
    CONF_KW_NO_EFFECT_OF("debug", "a debug level"),
    CONF_KW_ARGS("dont_track_primary", 0, 1, "true or false", ik_bool, IK_DONT_TRACK_PRIMARY),
    CONF_KW_ARGS("down_timer_adverts", 1, 1, "a number", conf_kw_down_timer_adverts, 0),
    CONF_KW_ARGS("fence_script", 1, 3, "a command", conf_kw_notify, 7),
    CONF_KW_CHANGES_OF("garp_extra_if", "GARPs on the parent interface of a VMAC"),
    CONF_KW_ARGS("garp_interval", 1, 1, "a number of seconds", ik_garp, CONF_GARP_INTERVAL),
    CONF_KW_ARGS("garp_lower_prio_delay", 1, 1, "a number of seconds", ik_garp,
		 CONF_GARP_LOWER_DELAY),
    CONF_KW_ARGS("garp_lower_prio_repeat", 1, 1, "a number", ik_garp, CONF_GARP_LOWER_REPEAT),
    CONF_KW_ARGS("garp_master_delay", 1, 1, "a number of seconds", ik_garp, CONF_GARP_DELAY),
    CONF_KW_ARGS("garp_master_refresh", 1, 1, "a number of seconds", ik_garp, CONF_GARP_REFRESH),
    CONF_KW_ARGS("garp_master_refresh_repeat", 1, 1, "a number", ik_garp, CONF_GARP_REFRESH_REPEAT),
    CONF_KW_ARGS("garp_master_repeat", 1, 1, "a number", ik_garp, CONF_GARP_REPEAT),
    CONF_KW_ARGS("gna_interval", 1, 1, "a number of seconds", ik_garp, CONF_GARP_NA_INTERVAL),
    CONF_KW_BLOCK_OF("heartbeat_path", CONF_KW_MULTI, conf_kw_heartbeat_path, 0),
    CONF_KW_ARGS("higher_prio_send_advert", 0, 1, "true or false", ik_bool, IK_HPSA),
    CONF_KW_ARGS("interface", 1, 1, "an interface name", ik_interface, 0),
    CONF_KW_NO_EFFECT_OF("kernel_rx_buf_size", "socket buffer size"),
    CONF_KW_ARGS("linkbeat_use_polling", 0, 0, "nothing", ik_linkbeat, 0),
    CONF_KW_ARGS("lower_prio_no_advert", 0, 1, "true or false", ik_bool, IK_LOWER_PRIO_NO_ADVERT),
    CONF_KW_NO_EFFECT_OF("lvs_sync_daemon_interface", "LVS"),
    CONF_KW_ARGS("mcast_dst_ip", 1, 1, "a multicast address", ik_mcast_dst, 0),
    {.name = "mcast_src_ip",
     .min = 1,
     .max = 1,
     .what = "an address",
     .alias = "unicast_src_ip",
     .fn = ik_unicast_src},
    CONF_KW_ARGS("native_ipv6", 0, 1, "nothing", conf_kw_native_ipv6, 0),
    CONF_KW_ARGS("no_accept", 0, 1, "nothing", ik_accept, 0),
    CONF_KW_ARGS("no_virtual_ipaddress", 0, 1, "nothing", ik_no_vips, 0),
    CONF_KW_ARGS("nopreempt", 0, 1, "nothing", ik_preempt, 1),
    CONF_KW_ARGS("notify_conflict", 1, 3, "a command", conf_kw_notify, 6),
    CONF_KW_ARGS("notify_deleted", 0, 3, "a command", conf_kw_notify_deleted, 0),
    CONF_KW_ARGS("notify_master_rx_lower_pri", 1, 3, "a command", conf_kw_notify, 5),
    CONF_KW_ARGS("notify_priority_changes", 0, 1, "true or false", ik_bool, IK_PRIO_CHANGES),
    CONF_KW_ARGS("old_unicast_checksum", 0, 1, "nothing or 'never'", conf_kw_old_unicast_csum, 0),
    CONF_KW_ARGS("owner_ignore_adverts", 0, 1, "true or false", conf_kw_owner_ignore, 0),
    {.name = "preempt",
     .max = 1,
     .what = "nothing",
     .alias = "nopreempt",
     .fn = ik_preempt,
     .arg = 0},
    CONF_KW_ARGS("preempt_delay", 1, 1, "a number of seconds", ik_preempt_delay, 0),
    CONF_KW_ARGS("priority", 1, 1, "a number", ik_priority, 0),
    CONF_KW_CHANGES_OF("promote_secondaries",
		       "keepalived sets promote_secondaries on the interface, so that removing "
		       "an address keeps the others of its subnet: set "
		       "net.ipv4.conf.IF.promote_secondaries=1 yourself"),
    CONF_KW_NO_EFFECT_OF(
	"skip_check_adv_addr",
	"accepts adverts whose address list differs; vrrpd always does (and logs)"),
    CONF_KW_ARGS("state", 1, 1, "MASTER or BACKUP", ik_state, 0),
    CONF_KW_ARGS("strict_mode", 0, 1, "true or false", ik_strict_mode, 0),
    CONF_KW_NO_EFFECT_OF("sync_group_tracking_weight",
			 "a vrrp_sync_group keyword; keepalived ignores it in an instance"),
    CONF_KW_ARGS("thread_timer_expired", 0, 1, "a priority", conf_kw_expired_backup, 1),
    CONF_KW_ARGS("timer_expired_backup", 0, 1, "a priority", conf_kw_expired_backup, 0),
    CONF_KW_CHANGES_OF("track_bfd",
		       "CHANGES WHO IS MASTER: keepalived's BFD process puts the instance in "
		       "FAULT (or lowers its priority) when the session goes down; vrrpd has no "
		       "BFD and keeps the instance up"),
    CONF_KW_ARGS("track_src_ip", 0, 1, "nothing", conf_kw_track_src_ip, 0),
    CONF_KW_ARGS("unicast_fault_no_peer", 0, 1, "true or false", ik_bool, IK_FAULT_NO_PEER),
    CONF_KW_BLOCK_OF("unicast_peer", CONF_KW_MULTI, ik_peers, 0),
    CONF_KW_ARGS("unicast_src_ip", 1, 1, "an address", ik_unicast_src, 0),
    CONF_KW_ARGS("unicast_ttl", 1, 1, "a number", ik_unicast_ttl, 0),
    CONF_KW_CHANGES_OF("use_ipvlan",
		       "keepalived puts the VIPs on an ipvlan interface; vrrpd puts them on the "
		       "interface itself"),
    CONF_KW_ARGS("use_vmac", 0, 7, "an interface name", ik_use_vmac, 0),
    CONF_KW_CHANGES_OF("use_vmac_addr",
		       "keepalived gives the interface itself the virtual MAC; vrrpd keeps its "
		       "MAC (use_vmac makes a macvlan)"),
    CONF_KW_ARGS("v3_checksum_as_v2", 0, 1, "true or false", ik_bool, IK_CSUM_AS_V2),
    CONF_KW_ARGS("version", 1, 1, "2 or 3", ik_version, 0),
    CONF_KW_BLOCK_OF("virtual_ipaddress", CONF_KW_MULTI, ik_vips, 0),
    CONF_KW_BLOCK_OF("virtual_ipaddress_excluded", CONF_KW_MULTI, ik_vips, 1),
    CONF_KW_ARGS("virtual_router_id", 1, 1, "a number", ik_vrid, 0),
    CONF_KW_BLOCK_OF("virtual_routes", CONF_KW_MULTI, ik_routes, 0),
    CONF_KW_BLOCK_OF("virtual_rules", CONF_KW_MULTI, ik_routes, 1),
    CONF_KW_CHANGES_OF("vmac_garp_intvl", "GARPs on the parent interface of a VMAC"),
    CONF_KW_ARGS("vmac_xmit_base", 0, 1, "nothing", ik_vmac_xmit_base, 0),
    CONF_KW_CHANGES_OF("vrf",
		       "CHANGES WHO IS MASTER: keepalived binds the instance to that VRF; vrrpd "
		       "does not, so unicast peers and the source address are looked up in the "
		       "main table"),
};

const struct conf_section conf_sec_instance = {"vrrp_instance", CONF_KW_TABLE(inst_kw),
					       &conf_kw_shared, NULL};

static void free_instance(struct conf_instance *in, struct conf_inst_meta *meta)
{
	struct conf_notify *n = &in->notify;

	conf_xfree(in->vips);
	conf_xfree(in->peers);
	conf_xfree(in->hb_peers);
	conf_xfree(in->vroutes);
	conf_xfree(in->vrules);
	conf_xfree(in->track_scripts);
	conf_xfree(in->track_ifs);
	conf_xfree(in->track_procs);
	conf_xfree(in->track_files);
	conf_xfree(n->master.line);
	conf_xfree(n->backup.line);
	conf_xfree(n->fault.line);
	conf_xfree(n->stop.line);
	conf_xfree(n->master_rx_lower.line);
	conf_xfree(n->conflict.line);
	conf_xfree(n->fence.line);
	conf_xfree(n->any.line);
	conf_xfree(n->del.line);
	conf_xfree(meta->vip);
	conf_xfree(meta->peer);
	conf_xfree(meta->hb_peer);
	conf_xfree(meta->vroute);
	conf_xfree(meta->vrule);
	conf_xfree(meta->track_script);
	conf_xfree(meta->track_if);
	conf_xfree(meta->track_proc);
	conf_xfree(meta->track_file);
}

static void add_instance(struct conf_parse_result *r, const struct conf_instance *in,
			 const struct conf_inst_meta *meta)
{
	struct config *c = r->cfg;

	c->inst = conf_xgrow(c->inst, c->n_inst, sizeof(*c->inst));
	r->meta = conf_xgrow(r->meta, c->n_inst, sizeof(*r->meta));
	c->inst[c->n_inst] = *in;
	r->meta[c->n_inst] = *meta;
	c->n_inst++;
}

/* "vrrp_instance NAME {": 1 when the instance is to be kept, 0 when its
 * block is to be parsed for messages only, -1 when there is no block. */
static int instance_head(struct conf_parser *p, const struct conf_stmt *s)
{
	if (s->nargs == 0) {
		if (!s->open) {
			conf_perr(p, conf_peek(p), "expected a name and '{' after 'vrrp_instance'");
			return -1;
		}
		conf_perr(p, s->kw, "expected a name after 'vrrp_instance'");
		return 0;
	}
	if (!conf_want_block(p, s, 1))
		return -1;
	if (strlen(s->arg[0].text) == 0 || strlen(s->arg[0].text) >= CONF_NAME_MAX) {
		conf_perr(p, &s->arg[0],
			  "vrrp_instance name must be 1 to %d characters long, got '%s'",
			  CONF_NAME_MAX - 1, s->arg[0].text);
		return 0;
	}
	return 1;
}

void conf_kw_vrrp_instance(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	const struct conf_tok *seen[CONF_SECTION_SLOTS_MAX] = {0};
	struct conf_instance in;
	struct conf_inst_meta meta = {0};
	struct inst_ctx ctx = {.in = &in, .meta = &meta};
	int keep = instance_head(p, s);

	(void)vctx;
	if (keep < 0)
		return;
	conf_instance_defaults(&in);
	if (keep)
		strcpy(in.name, s->arg[0].text);
	in.file = s->kw->file;
	in.line = s->kw->line;
	meta.kw = s->kw;
	meta.name = keep ? &s->arg[0] : s->kw;
	ctx.own = (struct conf_owner){.notify = &in.notify,
				      .smtp_tok = &meta.smtp_alert,
				      .ts = &in.track_scripts,
				      .n_ts = &in.n_track_scripts,
				      .ts_tok = &meta.track_script,
				      .ti = &in.track_ifs,
				      .n_ti = &in.n_track_ifs,
				      .ti_tok = &meta.track_if,
				      .tp = &in.track_procs,
				      .n_tp = &in.n_track_procs,
				      .tp_tok = &meta.track_proc,
				      .tf = &in.track_files,
				      .n_tf = &in.n_track_files,
				      .tf_tok = &meta.track_file};
	snprintf(ctx.own.name, sizeof(ctx.own.name), "vrrp_instance %s", in.name);
	conf_parse_section(p, s->kw, &conf_sec_instance, &ctx, seen);
	/* Written counts, valid or not: a bad value is not also "missing". */
	meta.interface = conf_seen(&conf_sec_instance, seen, "interface");
	meta.vrid = conf_seen(&conf_sec_instance, seen, "virtual_router_id");
	meta.state = conf_seen(&conf_sec_instance, seen, "state");
	meta.preempt_delay = conf_seen(&conf_sec_instance, seen, "preempt_delay");
	meta.vmac_xmit_base = conf_seen(&conf_sec_instance, seen, "vmac_xmit_base");
	meta.priority = conf_seen(&conf_sec_instance, seen, "priority");
	meta.no_vip = conf_seen(&conf_sec_instance, seen, "no_virtual_ipaddress");
	meta.csum_as_v2 = conf_seen(&conf_sec_instance, seen, "v3_checksum_as_v2");
	if (keep)
		add_instance(p->r, &in, &meta);
	else
		free_instance(&in, &meta);
}
