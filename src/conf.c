/* conf: the configuration model — defaults, validation across statements,
 * loading, dumping, comparing.
 *
 * How: conf_lex turns the file into tokens, conf_parse fills a struct config
 * with what was written (remembering where), and conf_finalize() here fills
 * in what was not written (global_defs, then built-in defaults) and checks
 * what needs more than one statement: families, version rules, duplicates. */
#include "vrrpd/conf_lex.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void conf_global_defaults(struct conf_global *g)
{
	char host[256];

	memset(g, 0, sizeof(*g));
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(g->router_id) - 1] = '\0'; /* truncate to fit */
		memcpy(g->router_id, host, sizeof(g->router_id));
	}
	if (!g->router_id[0])
		strcpy(g->router_id, "vrrpd");
	g->vrrp_version = 2;
	g->garp.master_delay_ms = 5000;
	g->garp.master_repeat = 5;
	g->garp.master_refresh_ms = 0;
	g->garp.master_refresh_repeat = 1;
	g->garp.interval_us = 0;
}

void conf_instance_defaults(struct conf_instance *in)
{
	memset(in, 0, sizeof(*in));
	in->state = CONF_STATE_BACKUP;
	in->priority = 100;
	in->advert_int_cs = 100;
	in->version = 2;
	in->family = AF_INET;
	in->auth_type = CONF_AUTH_NONE;
	in->garp.master_delay_ms = 5000;
	in->garp.master_repeat = 5;
	in->garp.master_refresh_repeat = 1;
}

static const char *fam_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

static void finalize_instance(struct conf_parse_result *r, size_t idx, struct conf_msgs *m)
{
	struct config *c = r->cfg;
	struct conf_instance *in = &c->inst[idx];
	struct conf_inst_meta *meta = &r->meta[idx];
	const struct conf_tok *fam_tok = NULL, *v6_tok = NULL;
	char a[ADDR_STRLEN], b[ADDR_STRLEN], w[300];
	bool has_vip = false;

	if (!meta->interface)
		conf_msg_tok(m, false, meta->name, "vrrp_instance %s has no 'interface'", in->name);
	if (!meta->vrid)
		conf_msg_tok(m, false, meta->name, "vrrp_instance %s has no 'virtual_router_id'",
			     in->name);

	/* The family comes from the advertised VIPs; excluded ones may differ. */
	in->family = 0;
	for (size_t k = 0; k < in->n_vips; k++) {
		const struct conf_vip *v = &in->vips[k];

		if (v->excluded)
			continue;
		has_vip = true;
		if (!in->family) {
			in->family = v->addr.family;
			fam_tok = meta->vip[k];
		} else if (v->addr.family != in->family) {
			conf_msg_tok(m, false, meta->vip[k],
				     "virtual address %s is %s but vrrp_instance %s is %s (from %s "
				     "at %s); one instance cannot mix address families",
				     addr_str(&v->addr, a), fam_name(v->addr.family), in->name,
				     fam_name(in->family), fam_tok->text,
				     conf_where(fam_tok, meta->vip[k], w, sizeof(w)));
		}
		if (v->addr.family == AF_INET6 && !v6_tok)
			v6_tok = meta->vip[k];
	}
	if (!has_vip && !meta->vip_lines)
		conf_msg_tok(m, false, meta->name,
			     "vrrp_instance %s has no virtual_ipaddress (at least one address is "
			     "needed)",
			     in->name);
	if (!in->family)
		in->family = AF_INET;

	/* Version: the instance's, else global_defs', else 2 (3 for IPv6). */
	if (meta->version)
		; /* set by the parser */
	else if (r->gmeta.version_set)
		in->version = c->global.vrrp_version;
	else
		in->version = in->family == AF_INET6 ? 3 : 2;

	if (in->family == AF_INET6 && in->version == 2 && v6_tok)
		conf_msg_tok(
		    m, false, v6_tok,
		    "IPv6 virtual addresses need VRRP version 3, but vrrp_instance %s uses "
		    "version 2",
		    in->name);

	if (meta->advert_int) {
		if (in->version == 2 && in->advert_int_cs % 100 != 0)
			conf_msg_tok(m, false, meta->advert_int,
				     "advert_int must be a whole number of seconds from 1 to 255 "
				     "for VRRP version 2, got '%s'",
				     meta->advert_int->text);
		else if (in->version == 3 && in->advert_int_cs > 4095)
			conf_msg_tok(m, false, meta->advert_int,
				     "advert_int must be from 0.01 to 40.95 seconds for VRRP "
				     "version 3, got '%s'",
				     meta->advert_int->text);
	}

	if (meta->auth_type && in->version == 3)
		conf_msg_tok(m, false, meta->auth_type,
			     "authentication is not supported by VRRP version 3 (RFC 5798 removed "
			     "it)");
	else if (meta->auth_type && !meta->auth_pass)
		conf_msg_tok(m, false, meta->auth_type, "auth_type PASS needs an auth_pass");
	else if (meta->auth_pass && !meta->auth_type_seen)
		conf_msg_tok(m, false, meta->auth_pass, "auth_pass needs 'auth_type PASS'");

	for (size_t k = 0; k < in->n_vips; k++) {
		for (size_t j = 0; j < k; j++) {
			if (addr_eq(&in->vips[j].addr, &in->vips[k].addr)) {
				conf_msg_tok(m, false, meta->vip[k],
					     "duplicate virtual address %s in vrrp_instance %s "
					     "(first at %s)",
					     addr_str(&in->vips[k].addr, a), in->name,
					     conf_where(meta->vip[j], meta->vip[k], w, sizeof(w)));
				break;
			}
		}
	}

	if (in->has_unicast_src && has_vip && in->unicast_src.family != in->family)
		conf_msg_tok(m, false, meta->unicast_src,
			     "unicast_src_ip %s is %s but vrrp_instance %s is %s",
			     addr_str(&in->unicast_src, a), fam_name(in->unicast_src.family),
			     in->name, fam_name(in->family));
	for (size_t k = 0; k < in->n_peers; k++) {
		if (has_vip && in->peers[k].family != in->family) {
			conf_msg_tok(m, false, meta->peer[k],
				     "unicast peer %s is %s but vrrp_instance %s is %s",
				     addr_str(&in->peers[k], a), fam_name(in->peers[k].family),
				     in->name, fam_name(in->family));
			continue;
		}
		for (size_t j = 0; j < k; j++) {
			if (addr_eq(&in->peers[j], &in->peers[k])) {
				conf_msg_tok(
				    m, false, meta->peer[k],
				    "duplicate unicast peer %s in vrrp_instance %s (first "
				    "at %s)",
				    addr_str(&in->peers[k], b), in->name,
				    conf_where(meta->peer[j], meta->peer[k], w, sizeof(w)));
				break;
			}
		}
	}

	if (!meta->garp_delay_set)
		in->garp.master_delay_ms = c->global.garp.master_delay_ms;
	if (!meta->garp_repeat_set)
		in->garp.master_repeat = c->global.garp.master_repeat;
	if (!meta->garp_refresh_set)
		in->garp.master_refresh_ms = c->global.garp.master_refresh_ms;
	if (!meta->garp_refresh_repeat_set)
		in->garp.master_refresh_repeat = c->global.garp.master_refresh_repeat;
	if (!meta->garp_interval_set)
		in->garp.interval_us = c->global.garp.interval_us;
}

int conf_finalize(struct conf_parse_result *r, struct conf_msgs *m)
{
	struct config *c = r->cfg;
	int before = m->errors;
	char w[300];

	for (size_t k = 0; k < c->n_inst; k++)
		finalize_instance(r, k, m);

	for (size_t k = 0; k < c->n_inst; k++) {
		const struct conf_instance *in = &c->inst[k];
		const struct conf_inst_meta *mk = &r->meta[k];

		for (size_t j = 0; j < k; j++) {
			const struct conf_instance *o = &c->inst[j];
			const struct conf_inst_meta *mj = &r->meta[j];

			if (!strcmp(in->name, o->name)) {
				conf_msg_tok(m, false, mk->name,
					     "duplicate vrrp_instance '%s' (first defined at %s)",
					     in->name,
					     conf_where(mj->name, mk->name, w, sizeof(w)));
				break;
			}
			if (mk->interface && mj->interface && mk->vrid && mj->vrid && in->vrid &&
			    in->vrid == o->vrid && !strcmp(in->ifname, o->ifname) &&
			    in->family == o->family) {
				conf_msg_tok(
				    m, false, mk->name,
				    "vrrp_instance %s uses the same interface, "
				    "virtual_router_id and address family as vrrp_instance "
				    "%s at %s (%s, %u, %s)",
				    in->name, o->name, conf_where(mj->name, mk->name, w, sizeof(w)),
				    in->ifname, in->vrid, fam_name(in->family));
				break;
			}
		}
	}
	return m->errors - before;
}

/* Moves the file names the instances point at into the config's own pool. */
static void build_pool(struct config *c)
{
	size_t total = 0, o = 0;

	for (size_t k = 0; k < c->n_inst; k++)
		total += strlen(c->inst[k].file) + 1;
	c->strings = conf_xcalloc(total ? total : 1, 1);
	c->strings_len = total;
	for (size_t k = 0; k < c->n_inst; k++) {
		const char *f = c->inst[k].file;
		const char *found = NULL;

		for (size_t j = 0; j < k; j++) {
			if (!strcmp(c->inst[j].file, f)) {
				found = c->inst[j].file;
				break;
			}
		}
		if (!found) {
			size_t l = strlen(f) + 1;
			memcpy(c->strings + o, f, l);
			found = c->strings + o;
			o += l;
		}
		c->inst[k].file = found;
	}
	c->strings_len = o;
}

static struct config *load_toks(struct conf_toks *toks, struct conf_msgs *m)
{
	struct conf_parse_result r;
	struct config *c;

	conf_parse_tokens(toks, m, &r);
	conf_finalize(&r, m);
	c = r.cfg;
	if (m->errors) {
		conf_parse_result_free_meta(&r);
		conf_free(c);
		return NULL;
	}
	build_pool(c);
	conf_parse_result_free_meta(&r);
	return c;
}

struct config *conf_load(const char *path, struct conf_msgs *msgs)
{
	struct conf_msgs local;
	struct conf_msgs *m = msgs ? msgs : &local;
	struct conf_toks toks;
	struct config *c = NULL;

	memset(m, 0, sizeof(*m));
	if (conf_lex_file(path, &toks, m) == 0)
		c = load_toks(&toks, m);
	conf_toks_free(&toks);
	if (!msgs)
		conf_msgs_free(&local);
	return c;
}

struct config *conf_load_buffer(const char *name, const char *buf, size_t len,
				struct conf_msgs *msgs)
{
	struct conf_msgs local;
	struct conf_msgs *m = msgs ? msgs : &local;
	struct conf_toks toks;
	struct config *c;

	memset(m, 0, sizeof(*m));
	conf_lex_buffer(name, buf, len, &toks, m);
	c = load_toks(&toks, m);
	conf_toks_free(&toks);
	if (!msgs)
		conf_msgs_free(&local);
	return c;
}

void conf_free(struct config *c)
{
	if (!c)
		return;
	for (size_t k = 0; k < c->n_inst; k++) {
		free(c->inst[k].vips);
		free(c->inst[k].peers);
	}
	free(c->inst);
	free(c->strings);
	free(c);
}

void conf_msgs_free(struct conf_msgs *m)
{
	if (!m)
		return;
	for (size_t k = 0; k < m->n; k++)
		free(m->v[k]);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

const struct conf_instance *conf_find(const struct config *c, const char *name)
{
	if (!c || !name)
		return NULL;
	for (size_t k = 0; k < c->n_inst; k++)
		if (!strcmp(c->inst[k].name, name))
			return &c->inst[k];
	return NULL;
}

/* ---- comparing ---- */

static const char *vip_dev(const struct conf_instance *in, const struct conf_vip *v)
{
	return v->dev[0] ? v->dev : in->ifname;
}

bool conf_vip_equal(const struct conf_instance *ia, const struct conf_vip *a,
		    const struct conf_instance *ib, const struct conf_vip *b)
{
	return addr_eq(&a->addr, &b->addr) && a->prefix == b->prefix && a->has_brd == b->has_brd &&
	       (!a->has_brd || addr_eq(&a->brd, &b->brd)) &&
	       !strcmp(vip_dev(ia, a), vip_dev(ib, b)) && a->scope == b->scope &&
	       !strcmp(a->label, b->label) && a->excluded == b->excluded;
}

static bool garp_equal(const struct conf_garp *a, const struct conf_garp *b)
{
	return a->master_delay_ms == b->master_delay_ms && a->master_repeat == b->master_repeat &&
	       a->master_refresh_ms == b->master_refresh_ms &&
	       a->master_refresh_repeat == b->master_refresh_repeat &&
	       a->interval_us == b->interval_us;
}

bool conf_instance_equal(const struct conf_instance *a, const struct conf_instance *b)
{
	if (strcmp(a->name, b->name) || a->state != b->state || strcmp(a->ifname, b->ifname) ||
	    a->vrid != b->vrid || a->priority != b->priority ||
	    a->advert_int_cs != b->advert_int_cs || a->version != b->version ||
	    a->family != b->family || a->nopreempt != b->nopreempt ||
	    a->preempt_delay_ms != b->preempt_delay_ms || a->auth_type != b->auth_type ||
	    strncmp(a->auth_pass, b->auth_pass, sizeof(a->auth_pass)) ||
	    a->v3_checksum_as_v2 != b->v3_checksum_as_v2 ||
	    a->lower_prio_no_advert != b->lower_prio_no_advert || a->n_vips != b->n_vips ||
	    a->has_unicast_src != b->has_unicast_src || a->n_peers != b->n_peers ||
	    !garp_equal(&a->garp, &b->garp))
		return false;
	if (a->has_unicast_src && !addr_eq(&a->unicast_src, &b->unicast_src))
		return false;
	for (size_t k = 0; k < a->n_vips; k++)
		if (!conf_vip_equal(a, &a->vips[k], b, &b->vips[k]))
			return false;
	for (size_t k = 0; k < a->n_peers; k++)
		if (!addr_eq(&a->peers[k], &b->peers[k]))
			return false;
	return true;
}

/* ---- dumping (in the configuration language, so it loads again) ---- */

/* Formats V / 10^SCALE without trailing zeros. */
static const char *fixed(uint64_t v, unsigned scale, char *buf, size_t len)
{
	uint64_t div = 1;
	uint64_t frac;
	int digits = (int)scale;

	for (unsigned k = 0; k < scale; k++)
		div *= 10;
	frac = v % div;
	if (!frac) {
		snprintf(buf, len, "%llu", (unsigned long long)(v / div));
		return buf;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	snprintf(buf, len, "%llu.%0*llu", (unsigned long long)(v / div), digits,
		 (unsigned long long)frac);
	return buf;
}

/* Writes a word, quoted when the grammar needs it. */
static void put_word(FILE *out, const char *s)
{
	if (*s && !strpbrk(s, " \t\r\n{}#!\"\\")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static const char *scope_name(uint8_t s, char *buf, size_t len)
{
	switch (s) {
	case 0:
		return "global";
	case 200:
		return "site";
	case 253:
		return "link";
	case 254:
		return "host";
	case 255:
		return "nowhere";
	default:
		snprintf(buf, len, "%u", s);
		return buf;
	}
}

static void dump_vip(FILE *out, const struct conf_instance *in, const struct conf_vip *v)
{
	char a[ADDR_STRLEN], sb[8];

	fprintf(out, "\t\t%s/%u", addr_str(&v->addr, a), v->prefix);
	if (v->has_brd)
		fprintf(out, " brd %s", addr_str(&v->brd, a));
	fputs(" dev ", out);
	put_word(out, vip_dev(in, v));
	fprintf(out, " scope %s", scope_name(v->scope, sb, sizeof(sb)));
	if (v->label[0]) {
		fputs(" label ", out);
		put_word(out, v->label);
	}
	fputc('\n', out);
}

static void dump_garp(FILE *out, const char *prefix, const struct conf_garp *g)
{
	char b[32];

	fprintf(out, "\t%sgarp_master_delay %s\n", prefix,
		fixed(g->master_delay_ms, 3, b, sizeof(b)));
	fprintf(out, "\t%sgarp_master_repeat %u\n", prefix, g->master_repeat);
	fprintf(out, "\t%sgarp_master_refresh %s%s\n", prefix,
		fixed(g->master_refresh_ms, 3, b, sizeof(b)),
		g->master_refresh_ms ? "" : "\t# off");
	fprintf(out, "\t%sgarp_master_refresh_repeat %u\n", prefix, g->master_refresh_repeat);
	fprintf(out, "\t%sgarp_interval %s\n", prefix, fixed(g->interval_us, 6, b, sizeof(b)));
}

static void dump_instance(FILE *out, const struct conf_instance *in)
{
	char b[32], a[ADDR_STRLEN];
	bool any_excluded = false;
	uint64_t adv_us = (uint64_t)in->advert_int_cs * 10000, skew_us;

	fputs("vrrp_instance ", out);
	put_word(out, in->name);
	fprintf(out, " {\t# %s:%d\n", in->file ? in->file : "-", in->line);
	fprintf(out, "\tstate %s\n", in->state == CONF_STATE_MASTER ? "MASTER" : "BACKUP");
	fputs("\tinterface ", out);
	put_word(out, in->ifname);
	fputc('\n', out);
	fprintf(out, "\tvirtual_router_id %u\n", in->vrid);
	fprintf(out, "\tversion %u\n", in->version);
	fprintf(out, "\tpriority %u%s\n", in->priority,
		in->priority == 255 ? "\t# (address owner)" : "");
	fprintf(out, "\tadvert_int %s\n", fixed(in->advert_int_cs, 2, b, sizeof(b)));
	fprintf(out, "\t%s\n", in->nopreempt ? "nopreempt" : "preempt");
	fprintf(out, "\tpreempt_delay %s\n", fixed(in->preempt_delay_ms, 3, b, sizeof(b)));
	if (in->auth_type == CONF_AUTH_PASS) {
		fputs("\tauthentication {\n\t\tauth_type PASS\n\t\tauth_pass ", out);
		put_word(out, in->auth_pass);
		fputs("\n\t}\n", out);
	} else {
		fputs("\t# authentication: none\n", out);
	}
	fputs("\tvirtual_ipaddress {\n", out);
	for (size_t k = 0; k < in->n_vips; k++) {
		if (in->vips[k].excluded)
			any_excluded = true;
		else
			dump_vip(out, in, &in->vips[k]);
	}
	fputs("\t}\n", out);
	if (any_excluded) {
		fputs("\tvirtual_ipaddress_excluded {\n", out);
		for (size_t k = 0; k < in->n_vips; k++)
			if (in->vips[k].excluded)
				dump_vip(out, in, &in->vips[k]);
		fputs("\t}\n", out);
	}
	if (in->has_unicast_src)
		fprintf(out, "\tunicast_src_ip %s\n", addr_str(&in->unicast_src, a));
	else
		fputs("\t# unicast_src_ip: the interface's primary address\n", out);
	if (in->n_peers) {
		fputs("\tunicast_peer {\n", out);
		for (size_t k = 0; k < in->n_peers; k++)
			fprintf(out, "\t\t%s\n", addr_str(&in->peers[k], a));
		fputs("\t}\n", out);
	} else {
		fprintf(out, "\t# multicast to %s (no unicast_peer)\n",
			in->family == AF_INET6 ? "ff02::12" : "224.0.0.18");
	}
	dump_garp(out, "", &in->garp);
	fprintf(out, "\tv3_checksum_as_v2 %s\n", in->v3_checksum_as_v2 ? "true" : "false");
	fprintf(out, "\tlower_prio_no_advert %s\n", in->lower_prio_no_advert ? "true" : "false");
	if (in->version == 3)
		skew_us = (256 - (uint64_t)in->priority) * adv_us / 256;
	else
		skew_us = (256 - (uint64_t)in->priority) * 1000000 / 256;
	fprintf(out, "\t# family %s, checksum %s, skew_time %s s, master_down_interval ",
		fam_name(in->family),
		in->version == 2				   ? "v2 (no pseudo-header)"
		: in->family == AF_INET6 || !in->v3_checksum_as_v2 ? "v3 (with pseudo-header)"
								   : "v3 as v2 (no pseudo-header)",
		fixed(skew_us / 1000, 3, b, sizeof(b)));
	fprintf(out, "%s s\n", fixed((3 * adv_us + skew_us) / 1000, 3, b, sizeof(b)));
	fputs("}\n", out);
}

void conf_dump(const struct config *c, FILE *out)
{
	fputs("global_defs {\n\trouter_id ", out);
	put_word(out, c->global.router_id);
	fprintf(out, "\n\tvrrp_version %u\n", c->global.vrrp_version);
	dump_garp(out, "vrrp_", &c->global.garp);
	fputs("}\n", out);
	for (size_t k = 0; k < c->n_inst; k++) {
		fputc('\n', out);
		dump_instance(out, &c->inst[k]);
	}
}
