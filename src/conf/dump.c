/* conf_dump: the loaded configuration in its own language (vrrpd -t).
 *
 * How: every section is written with every parameter at its effective
 * value, defaults included, and comments for what is implied (users,
 * shells, the multicast group, timers); the output loads again. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/conf.h"
#include "conf/dump_int.h"
#include "conf/lex.h"
#include "conf/model.h"
#include "core/handover.h"
#include "core/script.h"

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

/* A '$' the preprocessor could take for a reference ($NAME, ${NAME}). */
static bool ref_at(const char *s)
{
	return s[0] == '$' && (s[1] == '{' || s[1] == '_' || isalpha((unsigned char)s[1]));
}

/* A word that reads back as one: quoted when it holds anything the lexer
 * stops a word at or the preprocessor acts on (a line starting with '@' or
 * '~', a reference). */
static bool word_needs_quotes(const char *s)
{
	if (!*s || *s == '@' || *s == '~')
		return true;
	for (; *s; s++)
		if (conf_is_blank(*s) || strchr("\n{}#!\"'\\", *s) || ref_at(s))
			return true;
	return false;
}

/* Writes a word, quoted when the grammar needs it. A reference's '$' is
 * followed by "" (the quotes close and open again), so that no name follows
 * it and the preprocessor leaves it alone. */
void conf_dump_word(FILE *out, const char *s)
{
	if (!word_needs_quotes(s)) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if (ref_at(s))
			fputs("$\"\"", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

const char *conf_dump_scope(uint8_t s, char *buf, size_t len)
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

static void dump_vip(FILE *out, const char *indent, const struct conf_instance *in,
		     const struct vip *v)
{
	char a[ADDR_STRLEN], sb[8];

	fprintf(out, "%s%s/%u", indent, addr_str(&v->addr, a), v->prefix);
	if (v->has_brd)
		fprintf(out, " brd %s", addr_str(&v->brd, a));
	fputs(" dev ", out);
	conf_dump_word(out, conf_vip_dev(in, v));
	fprintf(out, " scope %s", conf_dump_scope(v->scope, sb, sizeof(sb)));
	if (v->label[0]) {
		fputs(" label ", out);
		conf_dump_word(out, v->label);
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
	fprintf(out, "\t%sgna_interval %s\n", prefix, fixed(g->na_interval_us, 6, b, sizeof(b)));
	fprintf(out, "\t%sgarp_lower_prio_delay %s\n", prefix,
		fixed(g->lower_delay_ms, 3, b, sizeof(b)));
	fprintf(out, "\t%sgarp_lower_prio_repeat %u%s\n", prefix, g->lower_repeat,
		g->lower_repeat ? "" : "\t# off");
}

/* Writes "[KW ]NAME[ GROUP]". */
static void dump_user(FILE *out, const char *kw, const struct conf_user *u)
{
	if (*kw)
		fprintf(out, "%s ", kw);
	conf_dump_word(out, u->name);
	if (u->group[0]) {
		fputc(' ', out);
		conf_dump_word(out, u->group);
	}
}

static void dump_cmd(FILE *out, const char *indent, const char *kw, const struct conf_cmd *c)
{
	if (!c->line)
		return;
	fprintf(out, "%s%s ", indent, kw);
	conf_dump_word(out, c->line);
	if (c->has_user) {
		fputc(' ', out);
		dump_user(out, "", &c->user);
		if (script_needs_shell(c->line))
			fputs("\t# through /bin/sh -c", out);
	} else {
		fprintf(out, "\t# as %s (uid %u, gid %u)%s", c->user.name, (unsigned)c->user.uid,
			(unsigned)c->user.gid,
			script_needs_shell(c->line) ? ", through /bin/sh -c" : "");
	}
	fputc('\n', out);
}

static void dump_weight(FILE *out, int weight, bool reverse)
{
	fprintf(out, " weight %d%s", weight, reverse ? " reverse" : "");
}

/* track_script / track_process / track_file { } entries; WHOSE: "the
 * script's" when the weight is the block's. */
/* The entries of TS whose gateway flag is GW (track_gateway: names only). */
static void dump_refs_of(FILE *out, const char *list, const struct conf_track_script *ts, size_t n,
			 const char *whose, bool gw)
{
	size_t any = 0;

	for (size_t k = 0; k < n; k++)
		any += ts[k].gateway == gw;
	if (!any)
		return;
	fprintf(out, "\t%s {\n", list);
	for (size_t k = 0; k < n; k++) {
		if (ts[k].gateway != gw)
			continue;
		fputs("\t\t", out);
		conf_dump_word(out, ts[k].name);
		if (gw)
			fputs("\t# counts only when every gateway is down", out);
		else if (ts[k].weight_set)
			dump_weight(out, ts[k].weight, ts[k].reverse);
		else
			fprintf(out, "\t# weight %d%s (%s)", ts[k].weight,
				ts[k].reverse ? " reverse" : "", whose);
		fputc('\n', out);
	}
	fputs("\t}\n", out);
}

static void dump_refs(FILE *out, const char *list, const struct conf_track_script *ts, size_t n,
		      const char *whose)
{
	dump_refs_of(out, list, ts, n, whose, false);
}

static void dump_tracking(FILE *out, const struct config *c, const struct conf_track_script *ts,
			  size_t n_ts, const struct conf_track_if *ti, size_t n_ti,
			  const struct conf_notify *n)
{
	dump_refs(out, "track_script", ts, n_ts, "the script's");
	dump_refs_of(out, "track_gateway", ts, n_ts, NULL, true);
	if (n_ti) {
		fputs("\ttrack_interface {\n", out);
		for (size_t k = 0; k < n_ti; k++) {
			fputs("\t\t", out);
			conf_dump_word(out, ti[k].ifname);
			dump_weight(out, ti[k].weight, ti[k].reverse);
			fputc('\n', out);
		}
		fputs("\t}\n", out);
	}
	dump_cmd(out, "\t", "notify_master", &n->master);
	dump_cmd(out, "\t", "notify_backup", &n->backup);
	dump_cmd(out, "\t", "notify_fault", &n->fault);
	dump_cmd(out, "\t", "notify_stop", &n->stop);
	dump_cmd(out, "\t", "notify_master_rx_lower_pri", &n->master_rx_lower);
	dump_cmd(out, "\t", "notify_conflict", &n->conflict);
	dump_cmd(out, "\t", "fence_script", &n->fence);
	dump_cmd(out, "\t", "notify", &n->any);
	fprintf(out, "\tsmtp_alert %s\n", n->smtp_alert ? "true" : "false");
	(void)c;
}

static void dump_tproc(FILE *out, const struct conf_track_process *tp)
{
	static const char *const match[] = {"", "", " partial", " initial"};
	char b[32];

	fputs("vrrp_track_process ", out);
	conf_dump_word(out, tp->name);
	fprintf(out, " {\t# %s:%d\n\tprocess ", tp->file ? tp->file : "-", tp->line);
	conf_dump_word(out, tp->process ? tp->process : "");
	for (size_t o = 0; o < tp->params_len; o += strlen(tp->params + o) + 1) {
		fputc(' ', out);
		conf_dump_word(out, tp->params + o);
	}
	fputc('\n', out);
	if (tp->match != TPROC_MATCH_NONE)
		fprintf(out, "\tparam_match%s\n", match[tp->match]);
	if (tp->full_command)
		fputs("\tfull_command\t# the command line is compared, not the name\n", out);
	fprintf(out, "\tweight %d%s\n", tp->weight, tp->weight_reverse ? " reverse" : "");
	fprintf(out, "\tquorum %u\n", tp->quorum);
	if (tp->quorum_max != UINT32_MAX)
		fprintf(out, "\tquorum_max %u\n", tp->quorum_max);
	else
		fputs("\t# quorum_max: none\n", out);
	fprintf(out, "\tfork_delay %s\n", fixed(tp->fork_delay_us, 6, b, sizeof(b)));
	fprintf(out, "\tterminate_delay %s\n}\n", fixed(tp->terminate_delay_us, 6, b, sizeof(b)));
}

static void dump_tfile(FILE *out, const struct conf_track_file *tf)
{
	fputs("track_file ", out);
	conf_dump_word(out, tf->name);
	fprintf(out, " {\t# %s:%d\n\tfile ", tf->file ? tf->file : "-", tf->line);
	conf_dump_word(out, tf->path ? tf->path : "");
	fprintf(out, "\n\tweight %d%s\n", tf->weight, tf->weight_reverse ? " reverse" : "");
	if (tf->init)
		fprintf(out, "\tinit_file %lld%s\n", tf->init_value,
			tf->init_overwrite ? " overwrite" : "");
	fputs("}\n", out);
}

/* The timing and weight lines vrrp_script and vrrp_check share. */
static void dump_script_timing(FILE *out, const struct conf_script *sc)
{
	char b[32];

	fprintf(out, "\tinterval %s\n", fixed(sc->interval_ms, 3, b, sizeof(b)));
	fprintf(out, "\ttimeout %s\n", fixed(sc->timeout_ms, 3, b, sizeof(b)));
	fprintf(out, "\tweight %d%s\n", sc->weight, sc->weight_reverse ? " reverse" : "");
	fprintf(out, "\trise %u\n\tfall %u\n", sc->rise, sc->fall);
}

/* mysql { }: the password itself is never printed (a placeholder is). */
static void dump_mysql(FILE *out, const struct conf_check *c)
{
	const struct conf_mysql *m = &c->my;
	char a[ADDR_STRLEN];

	fputs("\tmysql {\n", out);
	if (m->socket[0]) {
		fputs("\t\tsocket ", out);
		conf_dump_word(out, m->socket);
		fputc('\n', out);
	} else {
		fprintf(out, "\t\thost %s\n\t\tport %u\n", addr_str(&c->addr, a),
			(unsigned)c->port);
	}
	fputs("\t\tuser ", out);
	conf_dump_word(out, m->user);
	fputc('\n', out);
	if (m->password_file[0]) {
		fputs("\t\tpassword_file ", out);
		conf_dump_word(out, m->password_file);
		fputc('\n', out);
	} else if (m->password[0]) {
		/* never shown; a placeholder, so that the dump reads back the same */
		fputs("\t\tpassword \"<hidden>\"\t# set, not shown\n", out);
	}
	if (m->database[0]) {
		fputs("\t\tdatabase ", out);
		conf_dump_word(out, m->database);
		fputc('\n', out);
	}
	if (m->query[0]) {
		fputs("\t\tquery ", out);
		conf_dump_word(out, m->query);
		fputc('\n', out);
	}
	if (m->lag)
		fprintf(out, "\t\tmax_replication_lag %u\n", (unsigned)m->max_lag);
	fputs("\t}\n", out);
}

static void dump_check(FILE *out, const struct conf_script *sc)
{
	const struct conf_check *c = &sc->check;
	char a[ADDR_STRLEN];

	fputs("vrrp_check ", out);
	conf_dump_word(out, sc->name);
	fprintf(out, " {\t# %s:%d; runs in the event loop, no process\n", sc->file ? sc->file : "-",
		sc->line);
	if (c->kind == CONF_CHECK_TCP) {
		fprintf(out, "\ttcp %s %u\n", addr_str(&c->addr, a), (unsigned)c->port);
	} else if (c->kind == CONF_CHECK_ICMP) {
		fprintf(out, "\ticmp %s\n", addr_str(&c->addr, a));
	} else if (c->kind == CONF_CHECK_HTTP || c->kind == CONF_CHECK_HTTPS) {
		bool tls = c->kind == CONF_CHECK_HTTPS;
		fprintf(out, "\t%s %s://%s%s status %u", tls ? "https" : "http",
			tls ? "https" : "http", c->url.host, c->url.path, c->status);
		if (c->body[0]) {
			fputs(" body ", out);
			conf_dump_word(out, c->body);
		}
		fputc('\n', out);
		if (tls)
			conf_tls_dump(out, &c->tls);
	} else if (c->kind == CONF_CHECK_MYSQL) {
		dump_mysql(out, c);
	}
	dump_script_timing(out, sc);
	if (sc->init_fail)
		fputs("\tinit_fail\n", out);
	fputs("}\n", out);
}

static void dump_script(FILE *out, const struct conf_script *sc)
{
	if (sc->check.kind != CONF_CHECK_NONE) {
		dump_check(out, sc);
		return;
	}
	fputs("vrrp_script ", out);
	conf_dump_word(out, sc->name);
	fprintf(out, " {\t# %s:%d\n", sc->file ? sc->file : "-", sc->line);
	fputs("\tscript ", out);
	conf_dump_word(out, sc->cmd.line ? sc->cmd.line : "");
	if (sc->cmd.line && script_needs_shell(sc->cmd.line))
		fputs("\t# through /bin/sh -c", out);
	fputc('\n', out);
	dump_script_timing(out, sc);
	if (sc->cmd.has_user) {
		fputc('\t', out);
		dump_user(out, "user", &sc->cmd.user);
		fputc('\n', out);
	} else {
		fprintf(out, "\t# runs as %s (uid %u, gid %u)\n", sc->cmd.user.name,
			(unsigned)sc->cmd.user.uid, (unsigned)sc->cmd.user.gid);
	}
	if (sc->init_fail)
		fputs("\tinit_fail\n", out);
	fputs("}\n", out);
}

static void dump_group(FILE *out, const struct config *c, const struct conf_sync_group *g)
{
	fputs("vrrp_sync_group ", out);
	conf_dump_word(out, g->name);
	fprintf(out, " {\t# %s:%d\n\tgroup {\n", g->file ? g->file : "-", g->line);
	for (size_t k = 0; k < g->n_members; k++) {
		fputs("\t\t", out);
		conf_dump_word(out, c->inst[g->members[k]].name);
		fputc('\n', out);
	}
	fputs("\t}\n", out);
	if (g->tracking_weight)
		fputs("\tsync_group_tracking_weight\n", out);
	dump_refs(out, "track_process", g->track_procs, g->n_track_procs, "the block's");
	dump_refs(out, "track_file", g->track_files, g->n_track_files, "the block's");
	dump_tracking(out, c, g->track_scripts, g->n_track_scripts, g->track_ifs, g->n_track_ifs,
		      &g->notify);
	fputs("}\n", out);
}

/* heartbeat_path { }, when there is one. */
static void dump_hb(FILE *out, const struct conf_instance *in)
{
	char a[ADDR_STRLEN];

	if (!in->has_hb)
		return;
	fputs("\theartbeat_path {\t# vrrpd's own: the adverts' second path\n", out);
	if (in->hb_ifname[0])
		fprintf(out, "\t\tinterface %s\n", in->hb_ifname);
	else
		fprintf(out, "\t\t# interface: %s, the instance's\n", in->ifname);
	if (in->hb_has_src)
		fprintf(out, "\t\tunicast_src_ip %s\n", addr_str(&in->hb_src, a));
	if (in->n_hb_peers) {
		fputs("\t\tunicast_peer {\n", out);
		for (size_t k = 0; k < in->n_hb_peers; k++)
			fprintf(out, "\t\t\t%s\n", addr_str(&in->hb_peers[k], a));
		fputs("\t\t}\n", out);
	}
	fputs("\t}\n", out);
}

/* The instance's addresses: VIPs, excluded VIPs, unicast source and peers
 * or the multicast group (G: the global groups). */
static void dump_addresses(FILE *out, const struct conf_global *g, const struct conf_instance *in)
{
	char a[ADDR_STRLEN];
	bool any_excluded = false;

	fputs("\tvirtual_ipaddress {\n", out);
	for (size_t k = 0; k < in->n_vips; k++) {
		if (in->vips[k].excluded)
			any_excluded = true;
		else
			dump_vip(out, "\t\t", in, &in->vips[k]);
	}
	fputs("\t}\n", out);
	if (any_excluded) {
		fputs("\tvirtual_ipaddress_excluded {\n", out);
		for (size_t k = 0; k < in->n_vips; k++)
			if (in->vips[k].excluded)
				dump_vip(out, "\t\t", in, &in->vips[k]);
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
		fputs("\tcheck_unicast_src\t# always on: adverts from others are dropped\n", out);
		fprintf(out, "\tunicast_ttl %u%s\n", in->unicast_ttl,
			in->unicast_ttl < 255 ? "\t# peers' adverts accepted with any TTL" : "");
	} else if (in->unicast_fault_no_peer) {
		fputs("\tunicast_fault_no_peer\t# no unicast_peer: FAULT\n", out);
	} else if (in->has_mcast_dst) {
		const struct vaddr *gg =
		    in->family == AF_INET6 ? &g->mcast_group6 : &g->mcast_group4;

		fprintf(
		    out, "\tmcast_dst_ip %s\t# adverts to and from this group%s\n",
		    addr_str(&in->mcast_dst, a),
		    addr_eq(gg, &in->mcast_dst)
			? (in->family == AF_INET6 ? " (vrrp_mcast_group6)" : " (vrrp_mcast_group4)")
			: "");
	} else {
		fprintf(out, "\t# multicast to %s (no unicast_peer)\n",
			in->family == AF_INET6 ? "ff02::12" : "224.0.0.18");
	}
}

/* Virtual MAC, Accept_Mode, strict mode, routes and rules. */
static void dump_net(FILE *out, const struct conf_instance *in)
{
	if (in->use_vmac) {
		fputs("\tuse_vmac ", out);
		conf_dump_word(out, in->vmac_name);
		fprintf(out, "\t# MAC 00:00:5e:00:%02x:%02x on %s\n",
			in->family == AF_INET6 ? 2 : 1, in->vrid, in->ifname);
		if (in->vmac_xmit_base)
			fputs("\tvmac_xmit_base\n", out);
	} else {
		fputs("\t# use_vmac: off (addresses on the interface, with its own MAC)\n", out);
	}
	fprintf(out, "\t%s%s\n", in->accept_mode ? "accept" : "no_accept",
		in->priority == 255 && !in->accept_mode ? "\t# (the address owner accepts anyway)"
							: "");
	fprintf(out, "\tstrict_mode %s\n", in->strict_mode ? "true" : "false");
	conf_dump_routes(out, "\t", "virtual_routes", in, in->vroutes, in->n_vroutes);
	conf_dump_rules(out, "\t", "virtual_rules", in->vrules, in->n_vrules);
}

/* What follows from the settings: checksum form and the RFC timers. */
static void dump_timers(FILE *out, const struct conf_instance *in)
{
	uint64_t adv_us = (uint64_t)in->advert_int_cs * 10000, skew_us;
	char b[32];

	if (in->version == 3)
		skew_us = (256 - (uint64_t)in->priority) * adv_us / 256;
	else
		skew_us = (256 - (uint64_t)in->priority) * 1000000 / 256;
	fprintf(out, "\t# family %s, checksum %s, skew_time %s s, master_down_interval ",
		conf_family_name(in->family),
		in->version == 2				   ? "v2 (no pseudo-header)"
		: in->family == AF_INET6 || !in->v3_checksum_as_v2 ? "v3 (with pseudo-header)"
								   : "v3 as v2 (no pseudo-header)",
		fixed(skew_us / 1000, 3, b, sizeof(b)));
	fprintf(out, "%s s\n",
		fixed((in->down_timer_adverts * adv_us + skew_us) / 1000, 3, b, sizeof(b)));
}

static void dump_instance(FILE *out, const struct config *c, const struct conf_instance *in)
{
	char b[32];

	fputs("vrrp_instance ", out);
	conf_dump_word(out, in->name);
	fprintf(out, " {\t# %s:%d\n", in->file ? in->file : "-", in->line);
	fprintf(out, "\tstate %s\n", in->state == CONF_STATE_MASTER ? "MASTER" : "BACKUP");
	fputs("\tinterface ", out);
	conf_dump_word(out, in->ifname);
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
		conf_dump_word(out, in->auth_pass);
		fputs("\n\t}\n", out);
	} else {
		fputs("\t# authentication: none\n", out);
	}
	dump_addresses(out, &c->global, in);
	dump_hb(out, in);
	dump_net(out, in);
	dump_garp(out, "", &in->garp);
	fprintf(out, "\tv3_checksum_as_v2 %s\n", in->v3_checksum_as_v2 ? "true" : "false");
	fprintf(out, "\tlower_prio_no_advert %s\n", in->lower_prio_no_advert ? "true" : "false");
	if (in->dont_track_primary)
		fputs("\tdont_track_primary\n", out);
	dump_refs(out, "track_process", in->track_procs, in->n_track_procs, "the block's");
	dump_refs(out, "track_file", in->track_files, in->n_track_files, "the block's");
	fprintf(out, "\thigher_prio_send_advert %s\n",
		in->higher_prio_send_advert ? "true" : "false");
	fprintf(out, "\tdown_timer_adverts %u\n", in->down_timer_adverts);
	if (in->track_src_ip)
		fputs("\ttrack_src_ip\n", out);
	if (in->expired_backup_prio)
		fprintf(out, "\ttimer_expired_backup %u\n", in->expired_backup_prio);
	if (in->old_csum == CONF_OLD_CSUM_OLD)
		fputs("\told_unicast_checksum\n", out);
	else if (in->old_csum == CONF_OLD_CSUM_NEVER)
		fputs("\told_unicast_checksum never\n", out);
	if (in->priority == 255)
		fprintf(out, "\towner_ignore_adverts %s\n",
			in->owner_ignore_adverts ? "true" : "false");
	dump_tracking(out, c, in->track_scripts, in->n_track_scripts, in->track_ifs,
		      in->n_track_ifs, &in->notify);
	if (in->notify.deleted && in->notify.del.line)
		dump_cmd(out, "\t", "notify_deleted", &in->notify.del);
	else if (in->notify.deleted)
		fputs("\tnotify_deleted\n", out);
	else
		fputs("\t# notify_deleted: no (a removed instance is notified as FAULT)\n", out);
	fprintf(out, "\tnotify_priority_changes %s\n",
		in->notify.priority_changes ? "true" : "false");
	if (in->sync_group[0])
		fprintf(out, "\t# in vrrp_sync_group %s\n", in->sync_group);
	dump_timers(out, in);
	fputs("}\n", out);
}

uint64_t conf_instance_fingerprint(const struct config *c, const struct conf_instance *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return 0;
	dump_instance(f, c, in);
	if (fclose(f) != 0 || !buf) {
		free(buf);
		return 0;
	}
	const char *body = memchr(buf, '\n', len);
	body = body ? body + 1 : buf;
	uint64_t h = handover_hash(HANDOVER_HASH_INIT, body, len - (size_t)(body - buf));
	free(buf);
	return h;
}

static void dump_global_notify(FILE *out, const struct conf_global *g)
{
	char a[ADDR_STRLEN];

	if (g->script_user_set) {
		fputc('\t', out);
		dump_user(out, "script_user", &g->script_user);
		fputc('\n', out);
	} else if (g->script_user_unused) {
		fputs("\t# script_user: not looked up, nothing runs as it\n", out);
	} else if (!g->script_user.name[0]) {
		fputs("\t# script_user: a user that does not exist on this host; what would "
		      "run as it is left out\n",
		      out);
	} else {
		fprintf(out, "\t# script_user: %s (uid %u, gid %u), the default\n",
			g->script_user.name, (unsigned)g->script_user.uid,
			(unsigned)g->script_user.gid);
	}
	if (g->script_security)
		fputs("\tenable_script_security\n", out);
	if (g->n_notification_email) {
		fputs("\tnotification_email {\n", out);
		for (size_t k = 0; k < g->n_notification_email; k++) {
			fputs("\t\t", out);
			conf_dump_word(out, g->notification_email[k]);
			fputc('\n', out);
		}
		fputs("\t}\n", out);
	}
	fputs("\tnotification_email_from ", out);
	conf_dump_word(out, g->email_from);
	fputc('\n', out);
	if (g->has_smtp_server && g->smtp_server_name[0]) {
		fputs("\tsmtp_server ", out);
		conf_dump_word(out, g->smtp_server_name);
		fprintf(out, " %u\n", (unsigned)g->smtp_port);
	} else if (g->has_smtp_server) {
		fprintf(out, "\tsmtp_server %s %u\n", addr_str(&g->smtp_server, a),
			(unsigned)g->smtp_port);
	} else
		fputs("\t# smtp_server: none (no mail)\n", out);
	fprintf(out, "\tsmtp_connect_timeout %u\n", (unsigned)(g->smtp_connect_timeout_ms / 1000));
	fputs("\tsmtp_helo_name ", out);
	conf_dump_word(out, g->smtp_helo_name);
	fputc('\n', out);
	if (g->notify_fifo) {
		fputs("\tnotify_fifo ", out);
		conf_dump_word(out, g->notify_fifo);
		if (g->notify_fifo_has_user) {
			fputc(' ', out);
			dump_user(out, "", &g->notify_fifo_user);
		}
		fputc('\n', out);
	}
}

/* Startup, the notify FIFO's extras and how the process is scheduled. */
static void dump_global_process(FILE *out, const struct conf_global *g)
{
	const struct conf_sched *sc = &g->sched;
	char b[32];

	fprintf(out, "\tvrrp_startup_delay %s\n", fixed(g->startup_delay_ms, 3, b, sizeof(b)));
	if (g->delay_after_boot_ms)
		fprintf(out, "\tvrrp_delay_after_boot %s\n",
			fixed(g->delay_after_boot_ms, 3, b, sizeof(b)));
	fprintf(out, "\tvrrp_min_garp %s\n", g->min_garp ? "true" : "false");
	fprintf(out, "\tvrrp_notify_priority_changes %s\n",
		g->notify_priority_changes ? "true" : "false");
	fprintf(out, "\tfifo_write_vrrp_states_on_reload %s\n",
		g->fifo_states_on_reload ? "true" : "false");
	if (sc->rt_priority)
		fprintf(out, "\tvrrp_rt_priority %d\n", sc->rt_priority);
	else
		fputs("\t# vrrp_rt_priority: none (SCHED_OTHER)\n", out);
	fprintf(out, "\tmax_auto_priority %d\n", sc->max_auto_priority);
	fprintf(out, "\tmin_auto_priority_delay %u\n", (unsigned)sc->min_auto_delay_us);
	fprintf(out, "\tvrrp_rlimit_rttime %u\n", (unsigned)sc->rlimit_rttime_us);
	fprintf(out, "\tvrrp_priority %d\n", sc->nice);
	fprintf(out, "\tvrrp_no_swap %s\n", sc->no_swap ? "true" : "false");
}

/* vrrp_strict and the multicast groups. */
static void dump_global_net(FILE *out, const struct conf_global *g)
{
	char a[ADDR_STRLEN];

	fprintf(out, "\tvrrp_strict %s\n", g->vrrp_strict ? "true" : "false");
	fprintf(out, "\tvrrp_higher_prio_send_advert %s\n",
		g->higher_prio_send_advert ? "true" : "false");
	fprintf(out, "\tvrrp_down_timer_adverts %u\n", g->down_timer_adverts);
	fprintf(out, "\tvrrp_owner_ignore_adverts %s\n",
		g->owner_ignore_adverts ? "true" : "false");
	if (g->has_mcast_group4)
		fprintf(out, "\tvrrp_mcast_group4 %s\n", addr_str(&g->mcast_group4, a));
	else
		fputs("\t# vrrp_mcast_group4 224.0.0.18 (the default)\n", out);
	if (g->has_mcast_group6)
		fprintf(out, "\tvrrp_mcast_group6 %s\n", addr_str(&g->mcast_group6, a));
	else
		fputs("\t# vrrp_mcast_group6 ff02::12 (the default)\n", out);
}

/* static_ipaddress, static_routes, static_rules */
static void dump_static(FILE *out, const struct conf_global *g)
{
	static const struct conf_instance none;

	if (g->n_static_addrs) {
		fputs("\nstatic_ipaddress {\n", out);
		for (size_t k = 0; k < g->n_static_addrs; k++)
			dump_vip(out, "\t", &none, &g->static_addrs[k]);
		fputs("}\n", out);
	}
	if (g->n_static_routes) {
		fputc('\n', out);
		conf_dump_routes(out, "", "static_routes", NULL, g->static_routes,
				 g->n_static_routes);
	}
	if (g->n_static_rules) {
		fputc('\n', out);
		conf_dump_rules(out, "", "static_rules", g->static_rules, g->n_static_rules);
	}
}

void conf_dump(const struct config *c, FILE *out)
{
	fputs("global_defs {\n\trouter_id ", out);
	conf_dump_word(out, c->global.router_id);
	fprintf(out, "\n\tvrrp_version %u\n", c->global.vrrp_version);
	if (c->global.net_namespace[0]) {
		fputs("\tnet_namespace ", out);
		conf_dump_word(out, c->global.net_namespace);
		fputs("\t# entered at start, before any socket\n", out);
	}
	dump_garp(out, "vrrp_", &c->global.garp);
	dump_global_net(out, &c->global);
	dump_global_notify(out, &c->global);
	dump_global_process(out, &c->global);
	fputs("}\n", out);
	dump_static(out, &c->global);
	if (c->global.n_if_delays)
		fputs("\ninterface_up_down_delays {\n", out);
	for (size_t k = 0; k < c->global.n_if_delays; k++) {
		const struct conf_if_delay *d = &c->global.if_delays[k];
		char a[32], b[32];
		fprintf(out, "\t%s %s %s\n", d->ifname, fixed(d->down_us, 6, a, sizeof(a)),
			fixed(d->up_us, 6, b, sizeof(b)));
	}
	if (c->global.n_if_delays)
		fputs("}\n", out);
	for (size_t k = 0; k < c->n_scripts; k++) {
		fputc('\n', out);
		dump_script(out, &c->scripts[k]);
	}
	for (size_t k = 0; k < c->n_procs; k++) {
		fputc('\n', out);
		dump_tproc(out, &c->procs[k]);
	}
	for (size_t k = 0; k < c->n_tfiles; k++) {
		fputc('\n', out);
		dump_tfile(out, &c->tfiles[k]);
	}
	for (size_t k = 0; k < c->n_inst; k++) {
		fputc('\n', out);
		dump_instance(out, c, &c->inst[k]);
	}
	for (size_t k = 0; k < c->n_groups; k++) {
		fputc('\n', out);
		dump_group(out, c, &c->groups[k]);
	}
}
