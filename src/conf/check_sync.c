/* conf_check_sync: keepalived's rule on tracking weights in sync groups.
 *
 * A member of a vrrp_sync_group moves with the group, so a weight that would
 * move its priority alone does not fit: unless the group has
 * sync_group_tracking_weight (or its old name global_tracking), keepalived
 * takes a member's weighted track_interface as weight 0 (down = FAULT),
 * drops its weighted track_script, takes a track_file of the default weight
 * (1) as weight 0 and drops one of another weight. The address owner gets
 * the same treatment (its priority stays 255), except that a weighted
 * track_interface is dropped. A sync group with an owner member has the
 * weights of its own tracking cleared. track_process is left alone, as in
 * keepalived. Each change is a warning at the entry.
 *
 * How: one pass after the groups and trackers are resolved (the last pass
 * of conf_finalize, so that the meta token arrays may shrink with the
 * lists). */
#include <string.h>

#include "conf/check.h"
#include "conf/model.h"

/* Removes entry K of a list of N entries of SIZE bytes and its token. */
static void drop(void *list, const struct conf_tok **tok, size_t *n, size_t k, size_t size)
{
	char *b = list;

	memmove(b + k * size, b + (k + 1) * size, (*n - k - 1) * size);
	memmove(&tok[k], &tok[k + 1], (*n - k - 1) * sizeof(*tok));
	(*n)--;
}

static void member_ifs(struct conf_instance *in, struct conf_inst_meta *meta, const char *why,
		       bool owner, struct conf_msgs *m)
{
	for (size_t k = 0; k < in->n_track_ifs;) {
		struct conf_track_if *t = &in->track_ifs[k];
		if (!t->weight) {
			k++;
			continue;
		}
		conf_msg_tok(
		    m, true, meta->track_if[k],
		    "vrrp_instance %s: track_interface %s weight %d %s %s, as keepalived does",
		    in->name, t->ifname, t->weight,
		    owner ? "not tracked:" : "taken as weight 0:", why);
		if (owner) {
			drop(in->track_ifs, meta->track_if, &in->n_track_ifs, k, sizeof(*t));
			continue;
		}
		t->weight = 0;
		k++;
	}
}

static void member_scripts(struct conf_instance *in, struct conf_inst_meta *meta, const char *why,
			   struct conf_msgs *m)
{
	for (size_t k = 0; k < in->n_track_scripts;) {
		struct conf_track_script *t = &in->track_scripts[k];
		if (!t->weight) {
			k++;
			continue;
		}
		conf_msg_tok(m, true, meta->track_script[k],
			     "vrrp_instance %s: track_script %s weight %d not tracked: %s, as "
			     "keepalived does",
			     in->name, t->name, t->weight, why);
		drop(in->track_scripts, meta->track_script, &in->n_track_scripts, k, sizeof(*t));
	}
}

static void member_files(struct conf_instance *in, struct conf_inst_meta *meta, const char *why,
			 struct conf_msgs *m)
{
	for (size_t k = 0; k < in->n_track_files;) {
		struct conf_track_script *t = &in->track_files[k];
		if (!t->weight) {
			k++;
			continue;
		}
		if (t->weight == 1) { /* keepalived's default weight */
			conf_msg_tok(m, true, meta->track_file[k],
				     "vrrp_instance %s: track_file %s taken as weight 0: %s, as "
				     "keepalived does (write weight 0)",
				     in->name, t->name, why);
			t->weight = 0;
			k++;
			continue;
		}
		conf_msg_tok(
		    m, true, meta->track_file[k],
		    "vrrp_instance %s: track_file %s weight %d not tracked: %s, as keepalived "
		    "does",
		    in->name, t->name, t->weight, why);
		drop(in->track_files, meta->track_file, &in->n_track_files, k, sizeof(*t));
	}
}

/* A group with an owner member: its own tracking weights are cleared. */
static void group_owner(struct conf_sync_group *g, struct conf_group_meta *gm, const char *owner,
			struct conf_msgs *m)
{
	static const char fmt[] = "vrrp_sync_group %s: %s %s weight %d taken as weight 0: member "
				  "%s is the address owner (priority 255), as keepalived does";
	struct {
		struct conf_track_script *ts;
		size_t n;
		const struct conf_tok **tok;
		const char *kw;
	} lists[] = {{g->track_scripts, g->n_track_scripts, gm->track_script, "track_script"},
		     {g->track_procs, g->n_track_procs, gm->track_proc, "track_process"},
		     {g->track_files, g->n_track_files, gm->track_file, "track_file"}};

	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++)
		for (size_t k = 0; k < lists[l].n; k++)
			if (lists[l].ts[k].weight) {
				conf_msg_tok(m, true, lists[l].tok[k], fmt, g->name, lists[l].kw,
					     lists[l].ts[k].name, lists[l].ts[k].weight, owner);
				lists[l].ts[k].weight = 0;
			}
	for (size_t k = 0; k < g->n_track_ifs; k++)
		if (g->track_ifs[k].weight) {
			conf_msg_tok(m, true, gm->track_if[k], fmt, g->name, "track_interface",
				     g->track_ifs[k].ifname, g->track_ifs[k].weight, owner);
			g->track_ifs[k].weight = 0;
		}
}

void conf_finalize_sync_weights(struct conf_parse_result *r, struct conf_msgs *m)
{
	struct config *c = r->cfg;
	char why[CONF_NAME_MAX + 120];

	for (size_t i = 0; i < c->n_inst; i++) {
		struct conf_instance *in = &c->inst[i];
		const struct conf_sync_group *g =
		    in->sync_group_idx >= 0 ? &c->groups[in->sync_group_idx] : NULL;
		bool owner = in->priority == 255;
		if (owner)
			snprintf(why, sizeof(why), "it is the address owner (priority 255)");
		else if (g && !g->tracking_weight)
			snprintf(why, sizeof(why),
				 "it is in vrrp_sync_group %s, which has no "
				 "sync_group_tracking_weight",
				 g->name);
		else
			continue;
		member_ifs(in, &r->meta[i], why, owner, m);
		member_scripts(in, &r->meta[i], why, m);
		member_files(in, &r->meta[i], why, m);
		if (g && owner)
			group_owner(&c->groups[in->sync_group_idx], &r->grmeta[in->sync_group_idx],
				    in->name, m);
	}
}
