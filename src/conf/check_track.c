/* conf_check_track: vrrp_track_process and track_file blocks, and the
 * track_process { } / track_file { } lists that name them.
 *
 * How: called once from conf_finalize after instances and groups are
 * done; names go through conf/index as elsewhere in the checks. An entry
 * naming no block is an error (keepalived only warns and drops it; vrrpd
 * refuses to run with tracking that silently does nothing), as for
 * track_script. */
#include <stdio.h>
#include <string.h>

#include "conf/check.h"
#include "conf/index.h"

#define NAME_AT(base, stride, k) ((const char *)(base) + (k) * (stride))

/* Indexes N blocks named at BASE; a later block of an earlier name is an
 * error at its name (WHAT: "vrrp_track_process"). */
static void index_blocks(struct conf_index *ix, const void *base, size_t stride, size_t n,
			 const struct conf_tracker_meta *meta, const char *what,
			 struct conf_msgs *m)
{
	char w[300];

	conf_index_xinit(ix, n);
	for (size_t k = 0; k < n; k++) {
		const char *name = NAME_AT(base, stride, k);
		long first = conf_index_add_name(ix, base, stride, k);

		if (first >= 0)
			conf_msg_tok(m, false, meta[k].name,
				     "duplicate %s '%s' (first defined at %s)", what, name,
				     conf_where(meta[first].name, meta[k].name, w, sizeof(w)));
	}
}

static void check_procs(struct conf_parse_result *r, struct conf_msgs *m)
{
	struct config *c = r->cfg;

	for (size_t k = 0; k < c->n_procs; k++) {
		const struct conf_track_process *tp = &c->procs[k];
		const struct conf_tracker_meta *mk = &r->pmeta[k];

		if (!tp->process) {
			conf_msg_tok(m, false, mk->name, "vrrp_track_process %s has no 'process'",
				     tp->name);
			continue;
		}
		if (tp->quorum > tp->quorum_max)
			conf_msg_tok(m, false, mk->quorum ? mk->quorum : mk->quorum_max,
				     "vrrp_track_process %s: quorum %u is more than quorum_max %u",
				     tp->name, tp->quorum, tp->quorum_max);
		if (!tp->full_command && strlen(tp->process) > TPROC_COMM_MAX)
			conf_msg_tok(
			    m, true, mk->what,
			    "vrrp_track_process %s: a process name has at most %d "
			    "characters (the kernel cuts it); '%s' is compared by its first "
			    "%d (use full_command to match the command line)",
			    tp->name, TPROC_COMM_MAX, tp->process, TPROC_COMM_MAX);
	}
}

static void check_files(struct conf_parse_result *r, struct conf_msgs *m)
{
	struct config *c = r->cfg;

	for (size_t k = 0; k < c->n_tfiles; k++)
		if (!c->tfiles[k].path)
			conf_msg_tok(m, false, r->fmeta[k].name, "track_file %s has no 'file'",
				     c->tfiles[k].name);
}

/* What the lists of one instance or group refer to. */
struct tracker_refs {
	const struct conf_index *ix;
	const void *base;
	size_t stride, n;
	const char *list, *what; /* "track_process", "vrrp_track_process" */
};

/* Resolves N entries of a list of OWNER; the block's weight is the
 * default, as for track_script. */
static void resolve(const struct tracker_refs *t, struct conf_track_script *ts, size_t n,
		    const struct conf_tok **tok, const char *owner, const struct config *c,
		    struct conf_msgs *m)
{
	for (size_t k = 0; k < n; k++) {
		long j = conf_index_find(t->ix, t->base, t->stride, ts[k].name);

		if (j < 0) {
			struct conf_dym y;
			char dym[128];

			conf_dym_init(&y, ts[k].name);
			for (size_t i = 0; i < t->n; i++)
				conf_dym_offer(&y, NAME_AT(t->base, t->stride, i));
			conf_msg_tok(m, false, tok[k], "%s '%s' in %s: no %s of that name%s",
				     t->list, ts[k].name, owner, t->what,
				     conf_dym_text(&y, dym, sizeof(dym)));
			continue;
		}
		ts[k].script = (size_t)j;
		if (ts[k].weight_set)
			continue;
		if (t->base == (const void *)c->procs) {
			ts[k].weight = c->procs[j].weight;
			ts[k].reverse = c->procs[j].weight_reverse;
		} else {
			ts[k].weight = c->tfiles[j].weight;
			ts[k].reverse = c->tfiles[j].weight_reverse;
		}
	}
}

void conf_finalize_trackers(struct conf_parse_result *r, struct conf_msgs *m)
{
	struct config *c = r->cfg;
	struct conf_index pix, fix;
	char owner[CONF_NAME_MAX + 20];

	index_blocks(&pix, c->procs, sizeof(*c->procs), c->n_procs, r->pmeta, "vrrp_track_process",
		     m);
	index_blocks(&fix, c->tfiles, sizeof(*c->tfiles), c->n_tfiles, r->fmeta, "track_file", m);
	check_procs(r, m);
	check_files(r, m);
	struct tracker_refs tp = {&pix,	      c->procs,	       sizeof(*c->procs),
				  c->n_procs, "track_process", "vrrp_track_process"};
	struct tracker_refs tf = {&fix,	       c->tfiles,    sizeof(*c->tfiles),
				  c->n_tfiles, "track_file", "track_file"};
	for (size_t k = 0; k < c->n_inst; k++) {
		struct conf_instance *in = &c->inst[k];
		const struct conf_inst_meta *mk = &r->meta[k];

		snprintf(owner, sizeof(owner), "vrrp_instance %s", in->name);
		resolve(&tp, in->track_procs, in->n_track_procs, mk->track_proc, owner, c, m);
		resolve(&tf, in->track_files, in->n_track_files, mk->track_file, owner, c, m);
	}
	for (size_t k = 0; k < c->n_groups; k++) {
		struct conf_sync_group *g = &c->groups[k];
		const struct conf_group_meta *mk = &r->grmeta[k];

		snprintf(owner, sizeof(owner), "vrrp_sync_group %s", g->name);
		resolve(&tp, g->track_procs, g->n_track_procs, mk->track_proc, owner, c, m);
		resolve(&tf, g->track_files, g->n_track_files, mk->track_file, owner, c, m);
	}
	conf_index_free(&pix);
	conf_index_free(&fix);
}
