/* conf_kw_route: route and rule lines (virtual_routes, virtual_rules,
 * static_routes, static_rules) and the top level's static_routes and
 * static_rules blocks.
 *
 * How: a line is a list of words walked once. A word found in the line's
 * sorted option table (conf_route_opts, conf_rule_opts) is run as its
 * entry says: parsed, skipped with a warning, or refused; any other word
 * is the destination of a route ("[to] [TYPE] PREFIX") or an error. The
 * address family comes from the first address (or inet / inet6) and every
 * later address must agree with it; "default", "any" and "all" have no
 * family of their own, and a line without any address is IPv4, as in
 * keepalived. What needs the whole line (a destination, an action, host
 * bits) is checked at its end. */
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/kw.h"
#include "conf/model.h"
#include "conf/values.h"

struct conf_rt_parse {
	struct conf_parser *p;
	const struct conf_tok *w; /* the line's words */
	size_t n;
	bool is_static;
	const char *what; /* "route" or "rule" */
	uint8_t family;	  /* 0 until an address or inet / inet6 tells */
	const struct conf_tok *fam_tok;
	struct vroute *r; /* the route being parsed, or NULL */
	struct vrule *u;  /* the rule being parsed, or NULL */
	const struct conf_tok *dst_tok, *type_tok, *via_tok, *dev_tok, *action_tok;
	bool has_dst;
};

/* ---- words ---- */

/* The word after the option at I, or NULL after reporting that it is
 * missing (WHAT names it). */
static const struct conf_tok *rt_value(struct conf_rt_parse *rp, size_t i, const char *what)
{
	if (i + 1 < rp->n)
		return &rp->w[i + 1];
	conf_perr(rp->p, &rp->w[i], "expected %s after '%s'", what, rp->w[i].text);
	return NULL;
}

/* The line's family is FAMILY, as token T says; false (reported) when an
 * earlier word said the other one. */
static bool rt_family(struct conf_rt_parse *rp, const struct conf_tok *t, uint8_t family)
{
	char w[300];

	if (!rp->family) {
		rp->family = family;
		rp->fam_tok = t;
		return true;
	}
	if (rp->family == family)
		return true;
	conf_perr(rp->p, t,
		  "'%s' is %s but this %s is %s (from '%s' at %s); a %s cannot mix address "
		  "families",
		  t->text, conf_family_name(family), rp->what, conf_family_name(rp->family),
		  rp->fam_tok->text, conf_where(rp->fam_tok, t, w, sizeof(w)), rp->what);
	return false;
}

/* A bare address, the value V of option O. */
static bool rt_addr(struct conf_rt_parse *rp, const struct conf_tok *o, const struct conf_tok *v,
		    struct vaddr *a)
{
	if (addr_parse(v->text, a) < 0) {
		conf_perr(rp->p, v, "%s %s must be an IPv4 or IPv6 address, got '%s'", rp->what,
			  o->text, v->text);
		return false;
	}
	return rt_family(rp, v, a->family);
}

static bool is_any(const char *s)
{
	return !strcmp(s, "default") || !strcmp(s, "any") || !strcmp(s, "all");
}

/* PREFIX, or default / any / all (*HAS false: every address). */
static bool rt_prefix(struct conf_rt_parse *rp, const struct conf_tok *t, bool *has,
		      struct vaddr *a, uint8_t *len)
{
	memset(a, 0, sizeof(*a));
	*len = 0;
	*has = false;
	if (is_any(t->text))
		return true;
	if (!conf_parse_addr_prefix(rp->p, t, a, len))
		return false;
	*has = true;
	return rt_family(rp, t, a->family);
}

/* Whether T could be meant as an address (for the message when it is not
 * one): a digit first, or a ':' or '/' in it. */
static bool looks_like_addr(const char *t)
{
	return (*t >= '0' && *t <= '9') || strchr(t, ':') || strchr(t, '/');
}

static int opt_cmp(const void *key, const void *entry)
{
	return strcmp(key, ((const struct conf_rt_opt *)entry)->name);
}

/* "unexpected WORD in route (did you mean ...? / expected EXPECTED)". */
static long rt_unexpected(struct conf_rt_parse *rp, const struct conf_tok *t,
			  const struct conf_rt_opt *tab, size_t n_tab, const char *expected)
{
	struct conf_dym y;
	char dym[128];

	conf_dym_init(&y, t->text);
	for (size_t k = 0; k < n_tab; k++)
		conf_dym_offer(&y, tab[k].name);
	conf_dym_text(&y, dym, sizeof(dym));
	if (dym[0])
		conf_perr(rp->p, t, "unexpected '%s' in %s%s", t->text, rp->what, dym);
	else
		conf_perr(rp->p, t, "unexpected '%s' in %s (expected %s)", t->text, rp->what,
			  expected);
	return -1;
}

/* Runs the option O at word I as its kind says. */
static long rt_opt_run(struct conf_rt_parse *rp, const struct conf_rt_opt *o, size_t i)
{
	const struct conf_tok *t = &rp->w[i];

	switch (o->kind) {
	case CONF_RT_SET:
		return o->fn(rp, i);
	case CONF_RT_REFUSE:
		conf_perr(rp->p, t,
			  "'%s' is not implemented by vrrpd (%s); without it the %s would not do "
			  "what it says, so it is refused",
			  t->text, o->why, rp->what);
		return -1;
	case CONF_RT_STATIC:
		if (!rp->is_static) {
			conf_perr(rp->p, t, "'%s' is only allowed in static_%ss", t->text,
				  rp->what);
			return -1;
		}
		break;
	default:
		break;
	}
	conf_pwarn(rp->p, t, "'%s' is not implemented by vrrpd yet; ignored", t->text);
	i++;
	if (o->lock && i < rp->n && !strcmp(rp->w[i].text, strcmp(o->name, "as") ? "lock" : "to"))
		i++;
	for (unsigned k = 0; k < o->nval; k++, i++) {
		if (i >= rp->n) {
			conf_perr(rp->p, t, "expected a value after '%s'", t->text);
			return -1;
		}
	}
	return (long)i;
}

/* Walks the line: options from TAB, anything else through WORD. */
static bool rt_run(struct conf_rt_parse *rp, const struct conf_rt_opt *tab, size_t n_tab,
		   long (*word)(struct conf_rt_parse *rp, size_t i))
{
	for (size_t i = 0; i < rp->n;) {
		const struct conf_rt_opt *o =
		    bsearch(rp->w[i].text, tab, n_tab, sizeof(*tab), opt_cmp);
		long next = o ? rt_opt_run(rp, o, i) : word(rp, i);

		if (next < 0)
			return false;
		i = (size_t)next;
	}
	return true;
}

/* inet / inet6 (routes and rules) */
static long rt_inet(struct conf_rt_parse *rp, size_t i)
{
	return rt_family(rp, &rp->w[i], strcmp(rp->w[i].text, "inet") ? AF_INET6 : AF_INET)
		   ? (long)i + 1
		   : -1;
}

/* An interface name after option I into DEV (IFNAMSIZ bytes). */
static long rt_ifname(struct conf_rt_parse *rp, size_t i, char *dev)
{
	const struct conf_tok *v = rt_value(rp, i, "an interface name");

	if (!v || !conf_check_ifname(rp->p, v, "interface name"))
		return -1;
	strcpy(dev, v->text);
	return (long)i + 2;
}

/* A number 0..UINT32_MAX after option I. */
static long rt_u32(struct conf_rt_parse *rp, size_t i, uint32_t *out)
{
	const struct conf_tok *v = rt_value(rp, i, "a number");
	unsigned long u;

	if (!v)
		return -1;
	if (!conf_parse_uint(v->text, 0, UINT32_MAX, &u)) {
		conf_perr(rp->p, v, "%s must be a number from 0 to 4294967295, got '%s'",
			  rp->w[i].text, v->text);
		return -1;
	}
	*out = (uint32_t)u;
	return (long)i + 2;
}

/* A table after option I. */
static long rt_table(struct conf_rt_parse *rp, size_t i, uint32_t *out)
{
	const struct conf_tok *v = rt_value(rp, i, "a table");

	if (!v)
		return -1;
	if (!conf_parse_table(v->text, out)) {
		conf_perr(rp->p, v,
			  "table must be main, default, local or a number from 0 to 4294967295, "
			  "got '%s' (vrrpd does not read the names in /etc/iproute2/rt_tables)",
			  v->text);
		return -1;
	}
	return (long)i + 2;
}

/* ---- routes ---- */

static long ro_src(struct conf_rt_parse *rp, size_t i)
{
	const struct conf_tok *v = rt_value(rp, i, "an address");

	if (!v || !rt_addr(rp, &rp->w[i], v, &rp->r->src))
		return -1;
	rp->r->has_src = true;
	return (long)i + 2;
}

/* via|gw [inet|inet6] ADDR */
static long ro_via(struct conf_rt_parse *rp, size_t i)
{
	const struct conf_tok *o = &rp->w[i], *v = rt_value(rp, i, "an address");
	size_t at = i + 1;

	if (v && (!strcmp(v->text, "inet") || !strcmp(v->text, "inet6"))) {
		if (!rt_family(rp, v, strcmp(v->text, "inet") ? AF_INET6 : AF_INET))
			return -1;
		v = rt_value(rp, at++, "an address");
	}
	if (!v || !rt_addr(rp, o, v, &rp->r->via))
		return -1;
	rp->r->has_via = true;
	rp->via_tok = o;
	return (long)at + 1;
}

static long ro_dev(struct conf_rt_parse *rp, size_t i)
{
	rp->dev_tok = &rp->w[i];
	return rt_ifname(rp, i, rp->r->dev);
}

static long ro_table(struct conf_rt_parse *rp, size_t i)
{
	return rt_table(rp, i, &rp->r->table);
}

static long ro_metric(struct conf_rt_parse *rp, size_t i)
{
	long next = rt_u32(rp, i, &rp->r->metric);

	rp->r->has_metric = next > 0;
	return next;
}

static long ro_scope(struct conf_rt_parse *rp, size_t i)
{
	const struct conf_tok *v = rt_value(rp, i, "a scope");

	if (!v)
		return -1;
	if (!conf_parse_scope(v->text, &rp->r->scope)) {
		conf_perr(rp->p, v,
			  "scope must be global, site, link, host, nowhere or a number from 0 to "
			  "255, got '%s'",
			  v->text);
		return -1;
	}
	rp->r->has_scope = true;
	return (long)i + 2;
}

static long ro_onlink(struct conf_rt_parse *rp, size_t i)
{
	rp->r->onlink = true;
	return (long)i + 1;
}

/* clang-format off */
#define SET(n, f)	  {.name = (n), .kind = CONF_RT_SET, .fn = (f)}
#define SKIP(n, v)	  {.name = (n), .kind = CONF_RT_SKIP, .nval = (v)}
#define SKIP_LOCK(n)	  {.name = (n), .kind = CONF_RT_SKIP, .nval = 1, .lock = true}
#define REFUSE(n, w)	  {.name = (n), .kind = CONF_RT_REFUSE, .why = (w)}
#define STATIC_ONLY(n, v) {.name = (n), .kind = CONF_RT_STATIC, .nval = (v)}
/* clang-format on */

const struct conf_rt_opt conf_route_opts[] = {
    SKIP("add", 0),
    SKIP_LOCK("advmss"),
    SKIP("append", 0),
    SKIP_LOCK("as"), /* as [to] ADDR: MPLS only; keepalived ignores it too */
    SKIP_LOCK("congctl"),
    SKIP_LOCK("cwnd"),
    SET("dev", ro_dev),
    REFUSE("dsfield", "a route for one TOS value only"),
    REFUSE("encap", "lightweight tunnel encapsulation"),
    SKIP("expires", 1),
    SKIP("fastopen_no_cookie", 1),
    SKIP("features", 1),
    REFUSE("from", "a source-specific route, only for packets from that prefix"),
    SET("gw", ro_via),
    SKIP("hoplimit", 1),
    SET("inet", rt_inet),
    SET("inet6", rt_inet),
    SKIP_LOCK("initcwnd"),
    SKIP_LOCK("initrwnd"),
    SET("metric", ro_metric),
    SKIP_LOCK("mtu"),
    REFUSE("nexthop", "a multipath route"),
    SKIP("no_track", 0),
    SET("oif", ro_dev),
    SET("onlink", ro_onlink),
    REFUSE("or", "a second gateway, that is a multipath route"),
    SKIP("pref", 1),
    SET("preference", ro_metric),
    SKIP("prepend", 0),
    SET("priority", ro_metric),
    SKIP("protocol", 1),
    SKIP("quickack", 1),
    SKIP("realms", 1),
    SKIP_LOCK("reordering"),
    SKIP_LOCK("rto_min"),
    SKIP_LOCK("rtt"),
    SKIP_LOCK("rttvar"),
    SET("scope", ro_scope),
    SET("src", ro_src),
    SKIP_LOCK("ssthresh"),
    SET("table", ro_table),
    REFUSE("tos", "a route for one TOS value only"),
    STATIC_ONLY("track_group", 1),
    SKIP("ttl-propagate", 1),
    SET("via", ro_via),
    REFUSE("vrf", "a route in a VRF's table"),
    SKIP_LOCK("window"),
};
const size_t conf_n_route_opts = sizeof(conf_route_opts) / sizeof(conf_route_opts[0]);

/* A route type word: its type, or -1 when T is none. Types vrrpd cannot
 * install are an error (-2). */
static int route_type(struct conf_rt_parse *rp, const struct conf_tok *t)
{
	static const char *const ok[] = {"unicast", "blackhole", "unreachable", "prohibit"};
	static const char *const refused[] = {"local",	   "broadcast", "anycast",
					      "multicast", "throw",	"nat"};

	for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++)
		if (!strcmp(t->text, ok[k]))
			return (int)k; /* the order of enum vroute_type */
	for (size_t k = 0; k < sizeof(refused) / sizeof(refused[0]); k++) {
		if (!strcmp(t->text, refused[k])) {
			conf_perr(
			    rp->p, t,
			    "route type '%s' is not implemented by vrrpd (unicast, blackhole, "
			    "unreachable and prohibit are)",
			    t->text);
			return -2;
		}
	}
	return -1;
}

/* [to] [TYPE [to]] PREFIX|default|any|all|default6 */
static long route_word(struct conf_rt_parse *rp, size_t i)
{
	const struct conf_tok *t = &rp->w[i];
	int type;
	char w[300];

	if (!strcmp(t->text, "to") && !(t = rt_value(rp, i++, "a destination")))
		return -1;
	if ((type = route_type(rp, t)) == -2)
		return -1;
	if (type >= 0) {
		rp->r->type = (enum vroute_type)type;
		rp->type_tok = t;
		if (!(t = rt_value(rp, i++, "a destination")))
			return -1;
		if (!strcmp(t->text, "to") && !(t = rt_value(rp, i++, "a destination")))
			return -1;
	}
	if (!looks_like_addr(t->text) && !is_any(t->text) && strcmp(t->text, "default6"))
		return rt_unexpected(rp, t, conf_route_opts, conf_n_route_opts,
				     "[to] PREFIX, via, dev, table, metric, scope, src or onlink");
	if (rp->dst_tok) {
		conf_perr(rp->p, t, "route has two destinations, '%s' (at %s) and '%s'",
			  rp->dst_tok->text, conf_where(rp->dst_tok, t, w, sizeof(w)), t->text);
		return -1;
	}
	rp->dst_tok = t;
	if (!strcmp(t->text, "default6")) {
		conf_pwarn(rp->p, t, "'default6' is deprecated; write 'inet6 default'");
		return rt_family(rp, t, AF_INET6) ? (long)i + 1 : -1;
	}
	return rt_prefix(rp, t, &rp->has_dst, &rp->r->dst, &rp->r->dst_len) ? (long)i + 1 : -1;
}

/* The network of A/LEN into NET; true when A has host bits set. */
static bool host_bits(const struct vaddr *a, unsigned len, struct vaddr *net)
{
	*net = *a;
	for (size_t k = 0; k < addr_len(a); k++) {
		unsigned bits = len > 8 * k ? len - 8 * (unsigned)k : 0;

		if (bits < 8)
			net->u.b[k] &= (uint8_t)(0xff00u >> bits);
	}
	return !addr_eq(a, net);
}

static const char *const route_types[] = {"unicast", "blackhole", "unreachable", "prohibit"};

/* What needs the whole route line. */
static bool route_end(struct conf_rt_parse *rp)
{
	struct vroute *r = rp->r;
	struct vaddr net;
	char a[ADDR_STRLEN];

	if (!rp->dst_tok) {
		conf_perr(rp->p, &rp->w[0],
			  "route has no destination (expected [to] PREFIX or "
			  "default)");
		return false;
	}
	r->family = rp->family ? rp->family : AF_INET;
	if (!rp->has_dst)
		r->dst.family = r->family;
	if (rp->has_dst && host_bits(&r->dst, r->dst_len, &net)) {
		conf_perr(rp->p, rp->dst_tok,
			  "route destination %s has host bits set (the network is %s/%u)",
			  rp->dst_tok->text, addr_str(&net, a), r->dst_len);
		return false;
	}
	if (r->type != VROUTE_UNICAST && (rp->via_tok || rp->dev_tok)) {
		const struct conf_tok *t = rp->via_tok ? rp->via_tok : rp->dev_tok;

		conf_perr(rp->p, t, "a %s route has no gateway and no device; remove '%s'",
			  route_types[r->type], t->text);
		return false;
	}
	if (rp->is_static && r->type == VROUTE_UNICAST && !r->has_via && !r->dev[0]) {
		conf_perr(rp->p, &rp->w[0],
			  "static route %s needs 'dev' or 'via' (there is no instance interface "
			  "to send it to)",
			  rp->dst_tok->text);
		return false;
	}
	return true;
}

bool conf_route_line(struct conf_parser *p, const struct conf_stmt *s, bool is_static,
		     struct vroute *r)
{
	struct conf_rt_parse rp = {
	    .p = p, .w = s->kw, .n = s->nargs + 1, .is_static = is_static, .what = "route", .r = r};

	memset(r, 0, sizeof(*r));
	r->type = VROUTE_UNICAST;
	return rt_run(&rp, conf_route_opts, conf_n_route_opts, route_word) && route_end(&rp);
}

/* ---- rules ---- */

static long ru_from_to(struct conf_rt_parse *rp, size_t i)
{
	const struct conf_tok *v = rt_value(rp, i, "a prefix or 'all'");
	struct vrule *u = rp->u;
	bool from = !strcmp(rp->w[i].text, "from");

	if (!v || !rt_prefix(rp, v, from ? &u->has_from : &u->has_to, from ? &u->from : &u->to,
			     from ? &u->from_len : &u->to_len))
		return -1;
	return (long)i + 2;
}

static bool rule_action(struct conf_rt_parse *rp, const struct conf_tok *t, enum vrule_action a)
{
	char w[300];

	if (rp->action_tok) {
		conf_perr(rp->p, t, "a rule has one action, and this one already has '%s' (at %s)",
			  rp->action_tok->text, conf_where(rp->action_tok, t, w, sizeof(w)));
		return false;
	}
	rp->action_tok = t;
	rp->u->action = a;
	return true;
}

/* table|lookup N */
static long ru_table(struct conf_rt_parse *rp, size_t i)
{
	const struct conf_tok *v = rt_value(rp, i, "a table");
	unsigned long zero;

	if (!v)
		return -1;
	if (conf_parse_uint(v->text, 0, 0, &zero)) {
		conf_perr(rp->p, v, "table 0 is not valid for a rule");
		return -1;
	}
	if (rt_table(rp, i, &rp->u->table) < 0 || !rule_action(rp, &rp->w[i], VRULE_TABLE))
		return -1;
	return (long)i + 2;
}

/* [type] blackhole|unreachable|prohibit */
static long ru_type(struct conf_rt_parse *rp, size_t i)
{
	static const char *const names[] = {"blackhole", "unreachable", "prohibit"};
	static const enum vrule_action acts[] = {VRULE_BLACKHOLE, VRULE_UNREACHABLE,
						 VRULE_PROHIBIT};
	const struct conf_tok *t = &rp->w[i];

	if (!strcmp(t->text, "type") && !(t = rt_value(rp, i++,
						       "blackhole, unreachable or "
						       "prohibit")))
		return -1;
	for (size_t k = 0; k < 3; k++)
		if (!strcmp(t->text, names[k]))
			return rule_action(rp, t, acts[k]) ? (long)i + 1 : -1;
	conf_perr(rp->p, t, "rule type must be blackhole, unreachable or prohibit, got '%s'",
		  t->text);
	return -1;
}

static long ru_priority(struct conf_rt_parse *rp, size_t i)
{
	long next = rt_u32(rp, i, &rp->u->priority);

	rp->u->has_priority = next > 0;
	return next;
}

/* fwmark MARK[/MASK] */
static long ru_fwmark(struct conf_rt_parse *rp, size_t i)
{
	const struct conf_tok *v = rt_value(rp, i, "a mark");
	char buf[64], *slash;
	struct vrule *u = rp->u;

	if (!v)
		return -1;
	snprintf(buf, sizeof(buf), "%s", v->text);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (strlen(v->text) >= sizeof(buf) || !conf_parse_u32_base0(buf, &u->fwmark) ||
	    (slash && !conf_parse_u32_base0(slash, &u->fwmask))) {
		conf_perr(rp->p, v,
			  "fwmark must be MARK or MARK/MASK, numbers from 0 to 0xffffffff, got "
			  "'%s'",
			  v->text);
		return -1;
	}
	if (slash && !u->fwmask) {
		conf_perr(rp->p, v, "fwmark mask 0 matches every packet; write no fwmark instead");
		return -1;
	}
	u->has_fwmark = true;
	return (long)i + 2;
}

static long ru_iif(struct conf_rt_parse *rp, size_t i)
{
	return rt_ifname(rp, i, rp->u->iif);
}

static long ru_oif(struct conf_rt_parse *rp, size_t i)
{
	return rt_ifname(rp, i, rp->u->oif);
}

const struct conf_rt_opt conf_rule_opts[] = {
    SET("blackhole", ru_type),
    SET("dev", ru_iif),
    REFUSE("dport", "a destination port selector"),
    REFUSE("dsfield", "a TOS selector"),
    SET("from", ru_from_to),
    SET("fwmark", ru_fwmark),
    REFUSE("goto", "a jump to another rule"),
    SET("iif", ru_iif),
    SET("inet", rt_inet),
    SET("inet6", rt_inet),
    REFUSE("ipproto", "an IP protocol selector"),
    REFUSE("l3mdev", "a lookup in the VRF's table"),
    SET("lookup", ru_table),
    SKIP("no_track", 0),
    REFUSE("nop", "a rule without an action"),
    REFUSE("not", "a rule for the packets its selector does not match"),
    SET("oif", ru_oif),
    SET("order", ru_priority),
    SET("pref", ru_priority),
    SET("preference", ru_priority),
    SET("priority", ru_priority),
    SET("prohibit", ru_type),
    SKIP("protocol", 1),
    SKIP("realms", 1),
    REFUSE("sport", "a source port selector"),
    REFUSE("sup_group", "a lookup result suppressed by interface group"),
    REFUSE("sup_pl", "a lookup result suppressed by prefix length"),
    REFUSE("suppress_ifgroup", "a lookup result suppressed by interface group"),
    REFUSE("suppress_prefixlength", "a lookup result suppressed by prefix length"),
    SET("table", ru_table),
    SET("to", ru_from_to),
    REFUSE("tos", "a TOS selector"),
    STATIC_ONLY("track_group", 1),
    REFUSE("tunnel-id", "a tunnel ID selector"),
    SET("type", ru_type),
    REFUSE("uidrange", "a user ID selector"),
    SET("unreachable", ru_type),
};
const size_t conf_n_rule_opts = sizeof(conf_rule_opts) / sizeof(conf_rule_opts[0]);

static long rule_word(struct conf_rt_parse *rp, size_t i)
{
	return rt_unexpected(rp, &rp->w[i], conf_rule_opts, conf_n_rule_opts,
			     "from, to, table, priority, fwmark, iif, oif, blackhole, unreachable "
			     "or prohibit");
}

static bool rule_end(struct conf_rt_parse *rp)
{
	struct vrule *u = rp->u;

	if (!rp->action_tok) {
		conf_perr(rp->p, &rp->w[0],
			  "rule has no action (expected table N, blackhole, unreachable or "
			  "prohibit)");
		return false;
	}
	u->family = rp->family ? rp->family : AF_INET;
	if (!u->has_priority)
		conf_pwarn(rp->p, &rp->w[0],
			   "rule has no priority: the kernel gives it one less than its second "
			   "rule's (32765 with only the default rules); write 'priority N' to "
			   "choose");
	return true;
}

bool conf_rule_line(struct conf_parser *p, const struct conf_stmt *s, bool is_static,
		    struct vrule *u)
{
	struct conf_rt_parse rp = {
	    .p = p, .w = s->kw, .n = s->nargs + 1, .is_static = is_static, .what = "rule", .u = u};

	memset(u, 0, sizeof(*u));
	return rt_run(&rp, conf_rule_opts, conf_n_rule_opts, rule_word) && rule_end(&rp);
}

/* ---- static_routes { ... }, static_rules { ... } ---- */

static void static_route_item(struct conf_parser *p, void *ctx)
{
	struct conf_global *g = &p->r->cfg->global;
	struct conf_global_meta *gm = &p->r->gmeta;
	struct conf_stmt s;
	struct vroute r;

	(void)ctx;
	conf_read_item(p, &s);
	if (!conf_route_line(p, &s, true, &r))
		return;
	g->static_routes =
	    conf_xgrow(g->static_routes, g->n_static_routes, sizeof(*g->static_routes));
	gm->static_route =
	    conf_xgrow(gm->static_route, g->n_static_routes, sizeof(*gm->static_route));
	g->static_routes[g->n_static_routes] = r;
	gm->static_route[g->n_static_routes++] = s.kw;
}

static void static_rule_item(struct conf_parser *p, void *ctx)
{
	struct conf_global *g = &p->r->cfg->global;
	struct conf_global_meta *gm = &p->r->gmeta;
	struct conf_stmt s;
	struct vrule u;

	(void)ctx;
	conf_read_item(p, &s);
	if (!conf_rule_line(p, &s, true, &u))
		return;
	g->static_rules = conf_xgrow(g->static_rules, g->n_static_rules, sizeof(*g->static_rules));
	gm->static_rule = conf_xgrow(gm->static_rule, g->n_static_rules, sizeof(*gm->static_rule));
	g->static_rules[g->n_static_rules] = u;
	gm->static_rule[g->n_static_rules++] = s.kw;
}

void conf_kw_static_routes(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	conf_parse_list(p, s->kw, static_route_item, ctx);
}

void conf_kw_static_rules(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	conf_parse_list(p, s->kw, static_rule_item, ctx);
}
