/* conf_kw_failover: the keywords that change who becomes master and when
 * without being part of the RFC's election: down_timer_adverts and
 * owner_ignore_adverts of an instance, and their global_defs defaults
 * vrrp_down_timer_adverts and vrrp_owner_ignore_adverts; track_src_ip.
 *
 * How: each handler stores the value and remembers its token in the
 * instance's or global meta; conf_finalize applies the global defaults,
 * keepalived's owner rule and strict mode (check.c, check_net.c). */
#include <stdio.h>
#include <string.h>

#include "conf/kw.h"
#include "conf/model.h"
#include "conf/values.h"

/* down_timer_adverts N: 1..100 as keepalived. */
void conf_kw_down_timer_adverts(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	unsigned long u;

	if (!conf_val_uint(p, s, 1, 100, &u))
		return;
	ctx->in->down_timer_adverts = (uint8_t)u;
	ctx->meta->down_timer = s->kw;
}

/* owner_ignore_adverts [BOOL] */
void conf_kw_owner_ignore(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;

	if (conf_val_bool(p, s, &ctx->in->owner_ignore_adverts))
		ctx->meta->owner_ignore = s->kw;
}

/* track_src_ip: a flag, as keepalived's (any argument is ignored). */
void conf_kw_track_src_ip(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;

	conf_val_flag(p, s);
	ctx->in->track_src_ip = true;
	ctx->meta->track_src_ip = s->kw;
}

/* timer_expired_backup [PRIO] (arg 0), thread_timer_expired [PRIO] (arg
 * 1: its old name, which keepalived asks to replace). */
void conf_kw_expired_backup(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	unsigned long u = 254;

	if (s->nargs && !conf_val_uint(p, s, 1, 254, &u))
		return;
	if (s->def->arg)
		conf_pwarn(p, s->kw,
			   "thread_timer_expired: keepalived's old name; write "
			   "timer_expired_backup");
	ctx->in->expired_backup_prio = (uint8_t)u;
	ctx->meta->expired_backup = s->kw;
}

/* native_ipv6: keepalived's deprecated way to make an instance IPv6 (check.c) */
void conf_kw_native_ipv6(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	conf_val_flag(p, s);
	((struct inst_ctx *)vctx)->meta->native_ipv6 = s->kw;
}

/* old_unicast_checksum [never] */
void conf_kw_old_unicast_csum(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;

	if (!s->nargs) {
		ctx->in->old_csum = CONF_OLD_CSUM_OLD;
		return;
	}
	if (strcmp(s->arg[0].text, "never")) {
		conf_perr(p, &s->arg[0],
			  "old_unicast_checksum: expected nothing or 'never', got '%s'",
			  s->arg[0].text);
		return;
	}
	ctx->in->old_csum = CONF_OLD_CSUM_NEVER;
}

void conf_kw_vrrp_down_timer_adverts(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	unsigned long u;

	(void)ctx;
	if (!conf_val_uint(p, s, 1, 100, &u))
		return;
	p->r->cfg->global.down_timer_adverts = (uint8_t)u;
	p->r->gmeta.down_timer = s->kw;
}

void conf_kw_vrrp_owner_ignore(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	(void)ctx;
	if (conf_val_bool(p, s, &p->r->cfg->global.owner_ignore_adverts))
		p->r->gmeta.owner_ignore = s->kw;
}

/* ---- interface_up_down_delays { IFNAME DOWN [UP] } ---- */

/* Seconds, microsecond resolution, 0..255 (keepalived's read_timer). */
static bool delay_us(struct conf_parser *p, const struct conf_tok *t, const char *what,
		     uint32_t *out)
{
	uint64_t v;

	if (conf_parse_fixed(t->text, 6, 255000000, &v) != CONF_FIX_OK) {
		conf_perr(p, t,
			  "interface_up_down_delays: the %s delay must be 0 to 255 seconds "
			  "(microseconds at most), got '%s'",
			  what, t->text);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

static void if_delay_item(struct conf_parser *p, void *ctx)
{
	struct conf_global *g = &p->r->cfg->global;
	struct conf_global_meta *gm = &p->r->gmeta;
	struct conf_if_delay d = {0};
	struct conf_stmt s;
	size_t k;

	(void)ctx;
	conf_read_item(p, &s);
	if (!conf_check_ifname(p, s.kw, "interface_up_down_delays"))
		return;
	if (s.nargs == 0) {
		conf_pwarn(p, s.kw,
			   "interface_up_down_delays: no delays for %s; ignored, as keepalived "
			   "does",
			   s.kw->text);
		return;
	}
	if (s.nargs > 2)
		conf_pwarn(p, &s.arg[2],
			   "interface_up_down_delays: only a down and an up delay; '%s' "
			   "and what follows ignored, as keepalived does",
			   s.arg[2].text);
	if (!delay_us(p, &s.arg[0], "down", &d.down_us) ||
	    (s.nargs > 1 && !delay_us(p, &s.arg[1], "up", &d.up_us)))
		return;
	snprintf(d.ifname, sizeof(d.ifname), "%s", s.kw->text);
	for (k = 0; k < g->n_if_delays && strcmp(g->if_delays[k].ifname, d.ifname); k++)
		;
	if (k == g->n_if_delays) { /* a second line for an interface replaces the first */
		g->if_delays = conf_xgrow(g->if_delays, g->n_if_delays, sizeof(*g->if_delays));
		gm->if_delay = conf_xgrow(gm->if_delay, g->n_if_delays++, sizeof(*gm->if_delay));
	}
	g->if_delays[k] = d;
	gm->if_delay[k] = s.kw;
}

void conf_kw_if_delays(struct conf_parser *p, const struct conf_stmt *s, void *ctx)
{
	conf_parse_list(p, s->kw, if_delay_item, ctx);
}
