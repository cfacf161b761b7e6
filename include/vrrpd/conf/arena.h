/* arena: where src/conf allocates.
 *
 * Every allocation src/conf makes for a struct config (and for its
 * messages) goes through conf_xcalloc / conf_xrealloc / conf_xstrdup /
 * conf_xfree (conf/lex.h). By default those are malloc and free. With an
 * arena in use (conf_arena_use), they take memory from one mapping instead:
 * a reload parses in a forked child into a MAP_SHARED arena the parent
 * mapped before the fork, at the same address in both processes, so every
 * pointer of the child's config is valid in the parent, which frees the
 * whole config with one munmap.
 *
 * Promises:
 *  - conf_arena_new() maps CAP bytes of address space (MAP_NORESERVE:
 *    only the pages written cost memory, even under mlockall); NULL
 *    (errno) when it cannot. Only the header can be accessed until
 *    conf_arena_open() (conf_arena_use() opens it): the reload child
 *    opens it to write, the parent to read what the child wrote.
 *  - Blocks are 16-byte aligned and zeroed. An arena never grows: an
 *    allocation that does not fit aborts the process, as malloc's
 *    exhaustion does in src/conf (in the reload child, that is the child).
 *  - conf_xfree() of an arena block is a no-op, except that the arena's
 *    last block is given back (so do realloc of it and its growth in place);
 *    conf_xfree() of any other pointer is free().
 *  - The header (struct conf_arena) lives at the start of the mapping, so
 *    what the child writes in it (result, msgs, used) the parent reads. */
#ifndef VRRPD_CONF_ARENA_H
#define VRRPD_CONF_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;
struct conf_diff;

/* Allocation that never returns NULL (aborts on exhaustion), in malloc's
 * heap or in the arena in use (conf/arena.h); conf_xfree frees either. */
void *conf_xcalloc(size_t n, size_t size);
void conf_xfree(void *p);
void *conf_xrealloc(void *p, size_t n, size_t size);
char *conf_xstrdup(const char *s);
/* As conf_xcalloc, but NULL when out of memory (or when the arena in use
 * is full) instead of aborting: for what must not abort the daemon (the
 * reload's diff). conf_xfree frees it. */
void *conf_tcalloc(size_t n, size_t size);
/* Makes room for element N of an array that only ever grows through this
 * function, one element at a time (its capacity is N rounded up to a power
 * of two, so appending N elements costs O(N)). */
void *conf_xgrow(void *p, size_t n, size_t size);

struct conf_arena {
	uint64_t magic;
	size_t cap;  /* bytes mapped, this header included */
	size_t used; /* bytes handed out, this header included */
	size_t last; /* offset of the last block's header; 0 = none */
	/* Written by the reload child for the parent: */
	struct config *result; /* NULL when the file was rejected */
	int errors, warnings;
	char **msgs; /* n_msgs lines, in the arena */
	size_t n_msgs;
	/* The child's diff of the running config (BASE, as the fork left it)
	 * with result, in the arena; NULL when it did not diff. */
	struct conf_diff *plan;
	const struct config *base;
};

/* Maps an arena of CAP bytes. */
struct conf_arena *conf_arena_new(size_t cap);
/* Makes all of A accessible in this process. 0, or -1 (errno). */
int conf_arena_open(struct conf_arena *a);
/* Unmaps it (everything allocated in it goes). NULL is fine. */
void conf_arena_free(struct conf_arena *a);
/* From now on src/conf allocates in A (NULL: malloc again). Returns the
 * arena used before. */
struct conf_arena *conf_arena_use(struct conf_arena *a);
/* True when P is a block of A. */
bool conf_arena_owns(const struct conf_arena *a, const void *p);
/* A block of N zeroed bytes; NULL when it does not fit. */
void *conf_arena_alloc(struct conf_arena *a, size_t n);

/* Maps into this process's page tables the next N bytes (from *AT, 0 at
 * first) of what A's writer wrote, so that reading them later costs no
 * page fault each (1 MiB: about 0.08 ms). Returns true when all of it is
 * (or when A is NULL, or the kernel cannot: then the faults come later). */
bool conf_arena_prefault(struct conf_arena *a, size_t *at, size_t n);
/* The arena src/conf allocates in (NULL: malloc). */
struct conf_arena *conf_arena_cur(void);

/* Loads PATH (as conf_load_id) into A: the config, its messages, their
 * counts, all in A's header (result is NULL when the file has errors).
 * Returns 0 when loaded, -1 when rejected. */
int conf_arena_load(struct conf_arena *a, const char *path, const char *config_id);

#endif
