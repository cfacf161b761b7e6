/* conf_load: file -> tokens -> parsed config -> checked config.
 *
 * How: conf_lex reads the file and its includes, conf_parse fills a config
 * with what was written, conf_finalize (check.c) completes and checks it;
 * only a config without errors is kept, with its file names moved into one
 * pool and every command line parsed once for run time. */
#include <stdlib.h>
#include <string.h>

#include "conf/arena.h"
#include "conf/check.h"
#include "conf/index.h"
#include "conf/lex.h"
#include "conf/parse.h"
#include "core/script.h"

/* Moves the file names instances, scripts and groups point at into the
 * config's own pool. */
static void build_pool(struct config *c)
{
	size_t n = c->n_inst + c->n_scripts + c->n_groups + c->n_procs + c->n_tfiles, total = 0,
	       o = 0, k = 0;
	const char ***slot = conf_xcalloc(n ? n : 1, sizeof(*slot));
	struct conf_index pooled; /* positions in slot[] whose name is in the pool */

	for (size_t i = 0; i < c->n_inst; i++)
		slot[k++] = &c->inst[i].file;
	for (size_t i = 0; i < c->n_scripts; i++)
		slot[k++] = &c->scripts[i].file;
	for (size_t i = 0; i < c->n_groups; i++)
		slot[k++] = &c->groups[i].file;
	for (size_t i = 0; i < c->n_procs; i++)
		slot[k++] = &c->procs[i].file;
	for (size_t i = 0; i < c->n_tfiles; i++)
		slot[k++] = &c->tfiles[i].file;
	for (k = 0; k < n; k++)
		total += strlen(*slot[k]) + 1;
	c->strings = conf_xcalloc(total ? total : 1, 1);
	conf_index_xinit(&pooled, n);
	for (k = 0; k < n; k++) {
		const char *f = *slot[k], *found = NULL;
		uint64_t h = conf_hash_str(f);
		size_t it = 0, j;

		while (!found && conf_index_next(&pooled, h, &it, &j))
			if (!strcmp(*slot[j], f))
				found = *slot[j];
		if (!found) {
			size_t l = strlen(f) + 1;
			memcpy(c->strings + o, f, l);
			found = c->strings + o;
			o += l;
			conf_index_add(&pooled, h, k);
		}
		*slot[k] = found;
	}
	conf_index_free(&pooled);
	c->strings_len = o;
	conf_xfree(slot);
}

/* A copy of the N words of V made by conf_xcalloc (NULL-terminated). */
static char **copy_words(char *const *v, size_t n)
{
	if (!v)
		return NULL;
	char **c = conf_xcalloc(n + 1, sizeof(*c));
	for (size_t k = 0; k < n; k++)
		c[k] = conf_xstrdup(v[k]);
	return c;
}

/* Every command line was checked while parsing; keep its parsed form so
 * that nothing parses it again at run time. script_parse allocates with
 * malloc: its words are copied through the conf allocator, so that a
 * config loaded into an arena holds no pointer out of it. */
static void parse_cmd(struct conf_cmd *cmd)
{
	struct script_cmd sc;

	memset(&cmd->sc, 0, sizeof(cmd->sc));
	if (!cmd->line || script_parse(cmd->line, &sc, NULL, 0) < 0)
		return; /* cannot fail: parse checked it */
	cmd->sc = sc;
	cmd->sc.argv = copy_words(sc.argv, sc.argc);
	cmd->sc.words = copy_words(sc.words, sc.nwords);
	script_cmd_free(&sc);
}

static void parse_notify_cmds(struct conf_notify *n)
{
	parse_cmd(&n->master);
	parse_cmd(&n->backup);
	parse_cmd(&n->fault);
	parse_cmd(&n->stop);
	parse_cmd(&n->master_rx_lower);
	parse_cmd(&n->conflict);
	parse_cmd(&n->fence);
	parse_cmd(&n->any);
	parse_cmd(&n->del);
}

static void parse_cmds(struct config *c)
{
	for (size_t k = 0; k < c->n_inst; k++)
		parse_notify_cmds(&c->inst[k].notify);
	for (size_t k = 0; k < c->n_groups; k++)
		parse_notify_cmds(&c->groups[k].notify);
	for (size_t k = 0; k < c->n_scripts; k++)
		parse_cmd(&c->scripts[k].cmd);
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
	parse_cmds(c);
	conf_parse_result_free_meta(&r);
	return c;
}

struct config *conf_load(const char *path, struct conf_msgs *msgs)
{
	return conf_load_id(path, NULL, msgs);
}

struct config *conf_load_buffer(const char *name, const char *buf, size_t len,
				struct conf_msgs *msgs)
{
	return conf_load_buffer_id(name, NULL, buf, len, msgs);
}

struct config *conf_load_id(const char *path, const char *config_id, struct conf_msgs *msgs)
{
	struct conf_msgs local;
	struct conf_msgs *m = msgs ? msgs : &local;
	struct conf_toks toks;
	struct config *c = NULL;

	memset(m, 0, sizeof(*m));
	/* The tokens are gone when this returns: malloc'd even with an arena */
	struct conf_arena *a = conf_arena_use(NULL);
	int lexed = conf_lex_file(path, config_id, &toks, m);
	conf_arena_use(a);
	if (lexed == 0)
		c = load_toks(&toks, m);
	conf_toks_free(&toks);
	if (!msgs)
		conf_msgs_free(&local);
	return c;
}

struct config *conf_load_buffer_id(const char *name, const char *config_id, const char *buf,
				   size_t len, struct conf_msgs *msgs)
{
	struct conf_msgs local;
	struct conf_msgs *m = msgs ? msgs : &local;
	struct conf_toks toks;
	struct config *c;

	memset(m, 0, sizeof(*m));
	conf_lex_buffer(name, config_id, buf, len, &toks, m);
	c = load_toks(&toks, m);
	conf_toks_free(&toks);
	if (!msgs)
		conf_msgs_free(&local);
	return c;
}

int conf_arena_load(struct conf_arena *a, const char *path, const char *config_id)
{
	struct conf_msgs m;
	struct conf_arena *was = conf_arena_use(a);

	a->result = conf_load_id(path, config_id, &m);
	a->errors = m.errors;
	a->warnings = m.warnings;
	a->n_msgs = m.n;
	a->msgs = m.n ? conf_xcalloc(m.n, sizeof(*a->msgs)) : NULL;
	for (size_t k = 0; k < m.n; k++)
		a->msgs[k] = conf_xstrdup(m.v[k]);
	conf_msgs_free(&m); /* before switching back: some are the arena's */
	conf_arena_use(was);
	return a->result ? 0 : -1;
}
