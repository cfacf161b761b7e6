/* conf_index: open addressing with linear probing over (hash, position)
 * slots, at most half full. Nothing is ever removed, so the positions of
 * one hash lie along its probe sequence in the order they were added. */
#include "conf/index.h"

#include "conf/arena.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int conf_index_init(struct conf_index *ix, size_t max)
{
	size_t n = 8;

	memset(ix, 0, sizeof(*ix));
	while (n < 2 * max) {
		if (n > SIZE_MAX / 4 / sizeof(*ix->slot))
			return -1;
		n *= 2;
	}
	ix->slot = conf_tcalloc(n, sizeof(*ix->slot));
	if (!ix->slot)
		return -1;
	ix->mask = n - 1;
	ix->max = max;
	return 0;
}

void conf_index_xinit(struct conf_index *ix, size_t max)
{
	if (conf_index_init(ix, max) < 0) {
		fputs("vrrpd: out of memory\n", stderr);
		abort();
	}
}

void conf_index_free(struct conf_index *ix)
{
	conf_xfree(ix->slot);
	memset(ix, 0, sizeof(*ix));
}

void conf_index_add(struct conf_index *ix, uint64_t hash, size_t pos)
{
	size_t i = (size_t)hash & ix->mask;

	assert(ix->n < ix->max);
	while (ix->slot[i].pos1)
		i = (i + 1) & ix->mask;
	ix->slot[i].hash = hash;
	ix->slot[i].pos1 = pos + 1;
	ix->n++;
}

bool conf_index_next(const struct conf_index *ix, uint64_t hash, size_t *it, size_t *pos)
{
	size_t i;

	if (!ix->slot)
		return false;
	/* *it is 0 before the first call, else the slot after the last hit + 1. */
	i = *it ? *it - 1 : (size_t)hash & ix->mask;
	for (; ix->slot[i].pos1; i = (i + 1) & ix->mask) {
		if (ix->slot[i].hash != hash)
			continue;
		*pos = ix->slot[i].pos1 - 1;
		*it = ((i + 1) & ix->mask) + 1;
		return true;
	}
	return false;
}

/* The finalizer of splitmix64: every input bit reaches the low bits that
 * choose the slot. */
static uint64_t mix(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

uint64_t conf_hash(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *b = p;
	uint64_t h = seed;

	for (size_t k = 0; k < n; k++) {
		h ^= b[k];
		h *= 0x100000001b3ull;
	}
	return mix(h);
}

uint64_t conf_hash_str(const char *s)
{
	return conf_hash(s, strlen(s), CONF_HASH_SEED);
}

#define NAME_AT(base, stride, k) ((const char *)(base) + (k) * (stride))

long conf_index_find(const struct conf_index *ix, const void *base, size_t stride, const char *name)
{
	size_t it = 0, k;

	while (conf_index_next(ix, conf_hash_str(name), &it, &k))
		if (!strcmp(NAME_AT(base, stride, k), name))
			return (long)k;
	return -1;
}

long conf_index_add_name(struct conf_index *ix, const void *base, size_t stride, size_t k)
{
	const char *name = NAME_AT(base, stride, k);
	long first = conf_index_find(ix, base, stride, name);

	if (first < 0)
		conf_index_add(ix, conf_hash_str(name), k);
	return first;
}
