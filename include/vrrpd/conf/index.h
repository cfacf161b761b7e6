/* conf_index: a hash index from keys to positions in an array, so that the
 * loader's duplicate checks and the reload plan stay linear in the number
 * of instances. Private to src/conf/ and its tests.
 *
 * Promises: the index stores no keys, only (hash, position) pairs: the
 * caller hashes its key (conf_hash*), adds positions, and on lookup walks
 * the positions added under the same hash and compares the candidates
 * itself. Capacity is fixed when the index is made; adding and walking are
 * O(1) on average. No global state. */
#ifndef VRRPD_CONF_INDEX_H
#define VRRPD_CONF_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conf_index_slot {
	uint64_t hash;
	size_t pos1; /* position + 1; 0 = empty */
};

struct conf_index {
	struct conf_index_slot *slot;
	size_t mask; /* slot count - 1 (a power of two) */
	size_t n, max;
};

/* Makes an index for up to MAX positions. Returns 0, or -1 when out of
 * memory (IX is then empty and may be freed). */
int conf_index_init(struct conf_index *ix, size_t max);
/* The same, aborting when out of memory (as the loader's allocations). */
void conf_index_xinit(struct conf_index *ix, size_t max);
void conf_index_free(struct conf_index *ix);
/* Adds POS under HASH. At most MAX positions (an assertion). */
void conf_index_add(struct conf_index *ix, uint64_t hash, size_t pos);

/* Walks the positions added under HASH, in the order they were added:
 *	size_t it = 0, pos;
 *	while (conf_index_next(ix, h, &it, &pos)) ...
 * Returns false when there are no more. */
bool conf_index_next(const struct conf_index *ix, uint64_t hash, size_t *it, size_t *pos);

/* Names: arrays whose elements start with their name (instances, scripts,
 * groups, trackers), N names at BASE, STRIDE bytes apart, indexed by
 * conf_hash_str(name). conf_index_find returns the position of the first
 * indexed name equal to NAME, or -1; conf_index_add_name adds element K
 * unless an earlier one of its name is there, and returns that earlier
 * one's position, or -1 when K was added. */
long conf_index_find(const struct conf_index *ix, const void *base, size_t stride,
		     const char *name);
long conf_index_add_name(struct conf_index *ix, const void *base, size_t stride, size_t k);

/* 64-bit hashes (FNV-1a, then mixed so that every bit counts). Chain
 * conf_hash() calls through SEED to hash several fields. */
#define CONF_HASH_SEED 0xcbf29ce484222325ull
uint64_t conf_hash(const void *p, size_t n, uint64_t seed);
uint64_t conf_hash_str(const char *s);

#endif
