/* conf_kw_heartbeat: an instance's heartbeat_path { } block (vrrpd's own;
 * keepalived has no second path for its adverts).
 *
 *	heartbeat_path {
 *		interface eth1			# multicast adverts on eth1 too
 *		unicast_peer { 198.51.100.2 }	# or: to these peers instead
 *		unicast_src_ip 198.51.100.1	# optional source
 *	}
 *
 * How: the block's keywords are a section of their own whose handlers get
 * the instance's struct inst_ctx; what needs the instance's family and
 * interface is checked by conf_finalize (check_hb.c). */
#include <string.h>

#include "conf/kw.h"
#include "conf/model.h"
#include "conf/values.h"

static void hb_interface(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;

	if (!conf_check_ifname(p, &s->arg[0], "interface name"))
		return;
	strcpy(ctx->in->hb_ifname, s->arg[0].text);
	ctx->meta->hb_if = &s->arg[0];
}

static void hb_src(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	struct conf_instance *in = ctx->in;

	in->hb_has_src = conf_addr_no_prefix(p, &s->arg[0], &in->hb_src);
	ctx->meta->hb_src = in->hb_has_src ? &s->arg[0] : NULL;
}

static void hb_peer_item(struct conf_parser *p, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	struct conf_instance *in = ctx->in;
	struct conf_stmt s;
	struct vaddr a;

	conf_read_item(p, &s);
	if (!conf_addr_no_prefix(p, s.kw, &a))
		return;
	if (s.nargs) {
		conf_perr(p, &s.arg[0], "unexpected '%s' after heartbeat peer %s", s.arg[0].text,
			  s.kw->text);
		return;
	}
	in->hb_peers = conf_xgrow(in->hb_peers, in->n_hb_peers, sizeof(*in->hb_peers));
	ctx->meta->hb_peer =
	    conf_xgrow(ctx->meta->hb_peer, in->n_hb_peers, sizeof(*ctx->meta->hb_peer));
	in->hb_peers[in->n_hb_peers] = a;
	ctx->meta->hb_peer[in->n_hb_peers++] = s.kw;
}

static void hb_peers(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	conf_parse_list(p, s->kw, hb_peer_item, vctx);
}

static const struct conf_kw hb_kw[] = {
    CONF_KW_ARGS("interface", 1, 1, "an interface name", hb_interface, 0),
    {.name = "mcast_src_ip",
     .min = 1,
     .max = 1,
     .what = "an address",
     .alias = "unicast_src_ip",
     .fn = hb_src},
    CONF_KW_BLOCK_OF("unicast_peer", CONF_KW_MULTI, hb_peers, 0),
    CONF_KW_ARGS("unicast_src_ip", 1, 1, "an address", hb_src, 0),
};

const struct conf_section conf_sec_hb = {"heartbeat_path", CONF_KW_TABLE(hb_kw), NULL, NULL};

void conf_kw_heartbeat_path(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct inst_ctx *ctx = vctx;
	const struct conf_tok *seen[CONF_SECTION_SLOTS_MAX] = {0};

	if (ctx->meta->hb)
		conf_perr(p, s->kw,
			  "heartbeat_path given again: an instance has one second path (the "
			  "first is its interface)");
	else
		ctx->meta->hb = s->kw;
	ctx->in->has_hb = true;
	conf_parse_section(p, s->kw, &conf_sec_hb, ctx, seen);
}
