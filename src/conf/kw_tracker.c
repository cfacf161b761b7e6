/* conf_kw_tracker: keepalived's vrrp_track_process and track_file blocks
 * (what instances and sync groups list in track_process { } and
 * track_file { }, kw_track.c).
 *
 * How: each block fills one struct conf_track_process / conf_track_file
 * and the positions conf_finalize_trackers (check_track.c) needs; names
 * are checked for duplicates there. Values follow keepalived's ranges. */
#include <stdlib.h>
#include <string.h>

#include "conf/kw.h"
#include "conf/values.h"

/* "weight N [reverse]" of a block (-254..254). */
static bool block_weight(struct conf_parser *p, const struct conf_stmt *s, int *weight,
			 bool *reverse)
{
	long w;

	if (!conf_parse_int(s->arg[0].text, -CONF_TRACK_WEIGHT_MAX, CONF_TRACK_WEIGHT_MAX, &w)) {
		conf_perr(p, &s->arg[0], "weight must be a number from %d to %d, got '%s'",
			  -CONF_TRACK_WEIGHT_MAX, CONF_TRACK_WEIGHT_MAX, s->arg[0].text);
		return false;
	}
	if (s->nargs > 1 && strcmp(s->arg[1].text, "reverse") != 0) {
		conf_perr(p, &s->arg[1], "unexpected '%s' after 'weight %s' (expected 'reverse')",
			  s->arg[1].text, s->arg[0].text);
		return false;
	}
	*weight = (int)w;
	*reverse = s->nargs > 1;
	return true;
}

/* ---- vrrp_track_process NAME { ... } ---- */

struct tproc_ctx {
	struct conf_track_process *tp;
	struct conf_tracker_meta *meta;
};

/* process NAME [PARAM...] */
static void tp_process(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct tproc_ctx *ctx = vctx;
	struct conf_track_process *tp = ctx->tp;
	size_t len = 0;

	if (!s->arg[0].text[0]) {
		conf_perr(p, &s->arg[0], "process name must not be empty");
		return;
	}
	conf_xfree(tp->process);
	conf_xfree(tp->params);
	tp->params = NULL;
	tp->params_len = 0;
	tp->process = conf_xstrdup(s->arg[0].text);
	for (size_t k = 1; k < s->nargs; k++)
		len += strlen(s->arg[k].text) + 1;
	if (len) {
		char *q = tp->params = conf_xcalloc(len, 1);
		for (size_t k = 1; k < s->nargs; k++) {
			size_t l = strlen(s->arg[k].text) + 1;
			memcpy(q, s->arg[k].text, l);
			q += l;
		}
		tp->params_len = len;
		if (tp->match == TPROC_MATCH_NONE)
			tp->match = TPROC_MATCH_EXACT;
		tp->full_command = true;
	}
	ctx->meta->what = &s->arg[0];
}

/* param_match [initial|partial] */
static void tp_param_match(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_track_process *tp = ((struct tproc_ctx *)vctx)->tp;

	if (s->nargs == 0)
		tp->match = TPROC_MATCH_EXACT;
	else if (!strcmp(s->arg[0].text, "initial"))
		tp->match = TPROC_MATCH_INITIAL;
	else if (!strcmp(s->arg[0].text, "partial"))
		tp->match = TPROC_MATCH_PARTIAL;
	else {
		conf_perr(p, &s->arg[0],
			  "param_match must be 'initial', 'partial' or nothing, got '%s'",
			  s->arg[0].text);
		return;
	}
	tp->full_command = true;
}

static void tp_weight(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_track_process *tp = ((struct tproc_ctx *)vctx)->tp;

	block_weight(p, s, &tp->weight, &tp->weight_reverse);
}

/* quorum N (arg 0), quorum_max N (arg 1) */
static void tp_quorum(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct tproc_ctx *ctx = vctx;
	unsigned long u;

	if (!conf_val_uint(p, s, s->def->arg ? 0 : 1, 65535, &u))
		return;
	if (s->def->arg) {
		ctx->tp->quorum_max = (uint32_t)u;
		ctx->meta->quorum_max = s->kw;
	} else {
		ctx->tp->quorum = (uint32_t)u;
		ctx->meta->quorum = s->kw;
	}
}

/* delay (arg 0), fork_delay (1), terminate_delay (2): seconds, to the µs */
static void tp_delay(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_track_process *tp = ((struct tproc_ctx *)vctx)->tp;
	uint64_t us;

	if (!conf_val_secs(p, s, 6, 3600, &us))
		return;
	if (s->def->arg != 2)
		tp->fork_delay_us = (uint32_t)us;
	if (s->def->arg != 1)
		tp->terminate_delay_us = (uint32_t)us;
}

static void tp_full_command(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	(void)p;
	(void)s;
	((struct tproc_ctx *)vctx)->tp->full_command = true;
}

static const struct conf_kw tproc_kw[] = {
    CONF_KW_ARGS("delay", 1, 1, "a number of seconds", tp_delay, 0),
    CONF_KW_ARGS("fork_delay", 1, 1, "a number of seconds", tp_delay, 1),
    CONF_KW_ARGS("full_command", 0, 0, "nothing", tp_full_command, 0),
    CONF_KW_ARGS("param_match", 0, 1, "initial or partial", tp_param_match, 0),
    CONF_KW_ARGS("process", 1, 255, "a process name and its parameters", tp_process, 0),
    CONF_KW_ARGS("quorum", 1, 1, "a number", tp_quorum, 0),
    CONF_KW_ARGS("quorum_max", 1, 1, "a number", tp_quorum, 1),
    CONF_KW_ARGS("terminate_delay", 1, 1, "a number of seconds", tp_delay, 2),
    CONF_KW_ARGS("weight", 1, 2, "a number", tp_weight, 0),
};

const struct conf_section conf_sec_tproc = {"vrrp_track_process", CONF_KW_TABLE(tproc_kw), NULL,
					    NULL};

void conf_kw_track_process(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_parse_result *r = p->r;
	struct config *c = r->cfg;
	const struct conf_tok *seen[CONF_SECTION_SLOTS_MAX] = {0};
	struct conf_track_process tp = {.quorum = 1, .quorum_max = UINT32_MAX};
	struct conf_tracker_meta meta = {0};
	struct tproc_ctx ctx = {.tp = &tp, .meta = &meta};

	(void)vctx;
	if (!conf_want_named_block(p, s, s->kw->text))
		return;
	strcpy(tp.name, s->arg[0].text);
	tp.file = s->kw->file;
	tp.line = s->kw->line;
	meta.name = &s->arg[0];
	conf_parse_section(p, s->kw, &conf_sec_tproc, &ctx, seen);
	/* keepalived: quorum_max 0 (and no quorum) means "none may run" */
	if (tp.quorum_max == 0 && !meta.quorum)
		tp.quorum = 0;
	c->procs = conf_xgrow(c->procs, c->n_procs, sizeof(*c->procs));
	r->pmeta = conf_xgrow(r->pmeta, c->n_procs, sizeof(*r->pmeta));
	c->procs[c->n_procs] = tp;
	r->pmeta[c->n_procs] = meta;
	c->n_procs++;
}

/* ---- track_file NAME { ... } ---- */

struct tfile_ctx {
	struct conf_track_file *tf;
	struct conf_tracker_meta *meta;
};

static void tf_file(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_tracker_meta *meta = ((struct tfile_ctx *)vctx)->meta;
	struct conf_track_file *tf = ((struct tfile_ctx *)vctx)->tf;

	if (!s->arg[0].text[0]) {
		conf_perr(p, &s->arg[0], "file must be a path");
		return;
	}
	conf_xfree(tf->path);
	tf->path = conf_xstrdup(s->arg[0].text);
	meta->what = &s->arg[0];
}

static void tf_weight(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_track_file *tf = ((struct tfile_ctx *)vctx)->tf;

	block_weight(p, s, &tf->weight, &tf->weight_reverse);
}

/* init_file [VALUE] [overwrite] */
static void tf_init(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_track_file *tf = ((struct tfile_ctx *)vctx)->tf;
	long long v = 0;
	bool overwrite = false;

	for (size_t k = 0; k < s->nargs; k++) {
		const char *w = s->arg[k].text;
		long l;

		if (!strcmp(w, "overwrite")) {
			overwrite = true;
		} else if (conf_parse_int(w, -2147483647L - 1, 2147483647L, &l)) {
			v = l;
		} else {
			conf_perr(p, &s->arg[k],
				  "init_file takes a number and 'overwrite', got '%s'", w);
			return;
		}
	}
	tf->init = true;
	tf->init_value = v;
	tf->init_overwrite = overwrite;
}

static const struct conf_kw tfile_kw[] = {
    CONF_KW_ARGS("file", 1, 1, "a path", tf_file, 0),
    CONF_KW_ARGS("init_file", 0, 2, "a number and 'overwrite'", tf_init, 0),
    CONF_KW_ARGS("weight", 1, 2, "a number", tf_weight, 0),
};

const struct conf_section conf_sec_tfile = {"track_file", CONF_KW_TABLE(tfile_kw), NULL, NULL};

void conf_kw_track_file(struct conf_parser *p, const struct conf_stmt *s, void *vctx)
{
	struct conf_parse_result *r = p->r;
	struct config *c = r->cfg;
	const struct conf_tok *seen[CONF_SECTION_SLOTS_MAX] = {0};
	struct conf_track_file tf = {.weight = 1};
	struct conf_tracker_meta meta = {0};
	struct tfile_ctx ctx = {.tf = &tf, .meta = &meta};

	(void)vctx;
	if (!conf_want_named_block(p, s, s->kw->text))
		return;
	strcpy(tf.name, s->arg[0].text);
	tf.file = s->kw->file;
	tf.line = s->kw->line;
	meta.name = &s->arg[0];
	conf_parse_section(p, s->kw, &conf_sec_tfile, &ctx, seen);
	c->tfiles = conf_xgrow(c->tfiles, c->n_tfiles, sizeof(*c->tfiles));
	r->fmeta = conf_xgrow(r->fmeta, c->n_tfiles, sizeof(*r->fmeta));
	c->tfiles[c->n_tfiles] = tf;
	r->fmeta[c->n_tfiles] = meta;
	c->n_tfiles++;
}
