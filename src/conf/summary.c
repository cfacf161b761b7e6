/* conf_summary: the closing lines of vrrpd -t, for someone moving a
 * keepalived file over: what was loaded, and each keyword that was
 * accepted but not applied, grouped by what skipping it means (the
 * classification is the keyword tables' flag, see conf/parse.h). */
#include <stdio.h>

#include "conf/conf.h"

static size_t count_vips(const struct config *c, size_t *excluded)
{
	size_t n = 0;

	*excluded = 0;
	for (size_t k = 0; k < c->n_inst; k++)
		for (size_t i = 0; i < c->inst[k].n_vips; i++)
			*(c->inst[k].vips[i].excluded ? excluded : &n) += 1;
	return n;
}

static void trackers(const struct config *c, size_t *ts, size_t *ti)
{
	*ts = *ti = 0;
	for (size_t k = 0; k < c->n_inst; k++) {
		*ts += c->inst[k].n_track_scripts;
		*ti += c->inst[k].n_track_ifs;
	}
	for (size_t k = 0; k < c->n_groups; k++) {
		*ts += c->groups[k].n_track_scripts;
		*ti += c->groups[k].n_track_ifs;
	}
}

static size_t list_group(const struct config *c, FILE *out, bool changes, const char *label)
{
	size_t n = 0;

	for (size_t k = 0; k < c->n_ignored; k++) {
		const struct conf_ignored *g = &c->ignored[k];

		if (g->changes != changes)
			continue;
		fprintf(out, "%s: %s %s at %s", label, g->section, g->name, g->where);
		if (g->count > 1)
			fprintf(out, " (and %u more)", g->count - 1);
		fprintf(out, "%s%s%s\n", g->why ? ": " : "", g->why ? g->why : "", "");
		n++;
	}
	return n;
}

void conf_summary(const struct config *c, FILE *out)
{
	size_t excl, vips = count_vips(c, &excl), ts, ti, ne, ch, nchk = 0;

	trackers(c, &ts, &ti);
	for (size_t k = 0; k < c->n_scripts; k++)
		nchk += c->scripts[k].check.kind != CONF_CHECK_NONE;
	fprintf(out,
		"summary: %zu instance(s), %zu virtual address(es) (+%zu excluded), %zu sync "
		"group(s), %zu vrrp_script(s), %zu tracked script(s), %zu tracked interface(s)",
		c->n_inst, vips, excl, c->n_groups, c->n_scripts - nchk, ts, ti);
	/* the process and file trackers only when there are some, so that the
	 * line of a file without them stays as it was */
	if (c->n_procs || c->n_tfiles)
		fprintf(out, ", %zu vrrp_track_process(es), %zu track_file(s)", c->n_procs,
			c->n_tfiles);
	if (nchk) /* likewise: only when there are some */
		fprintf(out, ", %zu vrrp_check(s)", nchk);
	fputc('\n', out);
	ne = list_group(c, out, false, "not applied, no effect");
	ch = list_group(c, out, true, "not applied, changes behaviour");
	fprintf(out,
		"summary: %zu keyword(s) accepted but not applied: %zu with no effect, %zu that "
		"change behaviour%s\n",
		ne + ch, ne, ch,
		ch ? " (keepalived would act on them; check each before switching)" : "");
}
