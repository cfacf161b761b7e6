/* conf_kw_addr: virtual address lines (virtual_ipaddress,
 * virtual_ipaddress_excluded, static_ipaddress) and the top level's
 * static_ipaddress block.
 *
 * How: a line is an address with a prefix, then options from the sorted
 * table conf_vip_opts, each with its value; keepalived's options vrrpd
 * does not implement are skipped with a warning. A static address has no
 * instance to take a device from, so its "dev" is required. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/kw.h"
#include "conf/values.h"

/* ---- ADDR[/PREFIX] [OPTION VALUE]... ---- */

static bool vo_brd(struct conf_parser *p, const struct conf_tok *o, const struct conf_tok *val,
		   struct vip *v)
{
	if (v->addr.family != AF_INET) {
		conf_perr(p, o, "'%s' is only valid for IPv4 addresses", o->text);
		return false;
	}
	if (!strcmp(val->text, "+") || !strcmp(val->text, "-")) {
		uint32_t mask = v->prefix ? 0xffffffffu << (32 - v->prefix) : 0;
		uint32_t a = ntohl(v->addr.u.v4.s_addr);

		v->has_brd = true;
		v->brd.family = AF_INET;
		v->brd.u.v4.s_addr = htonl(val->text[0] == '+' ? (a | ~mask) : (a & mask));
		return true;
	}
	if (addr_parse(val->text, &v->brd) < 0 || v->brd.family != AF_INET) {
		conf_perr(p, val, "'%s' is not an IPv4 address", val->text);
		return false;
	}
	v->has_brd = true;
	return true;
}

static bool vo_dev(struct conf_parser *p, const struct conf_tok *o, const struct conf_tok *val,
		   struct vip *v)
{
	(void)o;
	if (!conf_check_ifname(p, val, "interface name"))
		return false;
	strcpy(v->dev, val->text);
	return true;
}

static bool vo_scope(struct conf_parser *p, const struct conf_tok *o, const struct conf_tok *val,
		     struct vip *v)
{
	(void)o;
	if (conf_parse_scope(val->text, &v->scope))
		return true;
	conf_perr(p, val,
		  "scope must be global, site, link, host, nowhere or a number from 0 to 255, got "
		  "'%s'",
		  val->text);
	return false;
}

static bool vo_label(struct conf_parser *p, const struct conf_tok *o, const struct conf_tok *val,
		     struct vip *v)
{
	(void)o;
	if (v->addr.family != AF_INET) {
		conf_perr(p, o, "'label' is only valid for IPv4 addresses");
		return false;
	}
	if (strlen(val->text) == 0 || strlen(val->text) >= IFNAMSIZ) {
		conf_perr(p, val, "label must be 1 to %d characters long, got '%s'", IFNAMSIZ - 1,
			  val->text);
		return false;
	}
	strcpy(v->label, val->text);
	return true;
}

const struct conf_vip_opt conf_vip_opts[] = {
    {"-nodad", false, true, NULL, NULL},
    {"autojoin", false, true, NULL, NULL},
    {"brd", true, false, "an address", vo_brd},
    {"broadcast", true, false, "an address", vo_brd},
    {"dev", true, false, "an interface name", vo_dev},
    {"home", false, true, NULL, NULL},
    {"label", true, false, "a label", vo_label},
    {"no_track", false, true, NULL, NULL},
    {"nodad", false, true, NULL, NULL},
    {"noprefixroute", false, true, NULL, NULL},
    {"preferred_lft", true, true, NULL, NULL},
    {"scope", true, false, "a scope", vo_scope},
    {"track_group", true, true, NULL, NULL},
    {"use_vmac", false, true, NULL, NULL},
};

const size_t conf_n_vip_opts = sizeof(conf_vip_opts) / sizeof(conf_vip_opts[0]);

static int vip_opt_cmp(const void *key, const void *entry)
{
	return strcmp(key, ((const struct conf_vip_opt *)entry)->name);
}

/* Parses the options after the address; false when the VIP is to be
 * dropped (every bad value is reported, a missing one ends the line). */
static bool vip_options(struct conf_parser *p, const struct conf_stmt *s, struct vip *v)
{
	bool ok = true;

	for (size_t k = 0; k < s->nargs; k++) {
		const struct conf_tok *o = &s->arg[k];
		const struct conf_tok *val = k + 1 < s->nargs ? &s->arg[k + 1] : NULL;
		const struct conf_vip_opt *opt =
		    bsearch(o->text, conf_vip_opts, conf_n_vip_opts, sizeof(*opt), vip_opt_cmp);

		if (!opt) {
			conf_perr(p, o,
				  "unexpected '%s' in virtual address (expected brd, dev, scope or "
				  "label)",
				  o->text);
			return false;
		}
		if (opt->unimpl) {
			conf_pwarn(p, o, "'%s' is not implemented by vrrpd yet; ignored", o->text);
			k += opt->value && val;
			continue;
		}
		if (!val) {
			conf_perr(p, o, "expected %s after '%s'", opt->what, o->text);
			return false;
		}
		k++;
		ok &= opt->fn(p, o, val, v);
	}
	return ok;
}

bool conf_vip_line(struct conf_parser *p, const struct conf_stmt *s, struct vip *v)
{
	memset(v, 0, sizeof(*v));
	return conf_parse_addr_prefix(p, s->kw, &v->addr, &v->prefix) && vip_options(p, s, v);
}

/* ---- static_ipaddress { ADDR[/PREFIX] dev IF [OPTION VALUE]... } ---- */

static void static_addr_item(struct conf_parser *p, void *ctx)
{
	struct conf_global *g = &p->r->cfg->global;
	struct conf_global_meta *gm = &p->r->gmeta;
	struct conf_stmt s;
	struct vip v;

	(void)ctx;
	conf_read_item(p, &s);
	if (!conf_vip_line(p, &s, &v))
		return;
	if (!v.dev[0]) {
		conf_perr(p, s.kw,
			  "static address %s needs 'dev' (there is no instance interface to put it "
			  "on)",
			  s.kw->text);
		return;
	}
	g->static_addrs = conf_xgrow(g->static_addrs, g->n_static_addrs, sizeof(*g->static_addrs));
	gm->static_addr = conf_xgrow(gm->static_addr, g->n_static_addrs, sizeof(*gm->static_addr));
	g->static_addrs[g->n_static_addrs] = v;
	gm->static_addr[g->n_static_addrs++] = s.kw;
}

void conf_kw_static_ipaddress(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	conf_parse_list(p, s->kw, static_addr_item, ctx);
}
