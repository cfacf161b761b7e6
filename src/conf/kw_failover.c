/* conf_kw_failover: the keywords that change who becomes master and when
 * without being part of the RFC's election: down_timer_adverts and
 * owner_ignore_adverts of an instance, and their global_defs defaults
 * vrrp_down_timer_adverts and vrrp_owner_ignore_adverts; track_src_ip.
 *
 * How: each handler stores the value and remembers its token in the
 * instance's or global meta; conf_finalize applies the global defaults,
 * keepalived's owner rule and strict mode (check.c, check_net.c). */
#include "conf/kw.h"
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
