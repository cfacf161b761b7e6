/* arena: src/conf's allocator, malloc or one shared mapping (see
 * conf/arena.h). Each arena block has a 16-byte header holding its size,
 * so that realloc knows what to copy; free gives back only the last block
 * (a bump allocator: a reload's config is freed as a whole). */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf/arena.h"
#include "conf/lex.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14 */
#endif
#define ARENA_MAGIC 0x7672727061726e61ULL /* "vrrparna" */
#define ARENA_ALIGN 16
#define ARENA_HDR   16 /* block header: its size, padded to the alignment */

static struct conf_arena *cur; /* where src/conf allocates; NULL = malloc */

static void oom(void)
{
	fputs("vrrpd: out of memory\n", stderr);
	abort();
}

static size_t round_up(size_t n)
{
	return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

/* Mapped without access but for the header's page: under mlockall
 * (vrrp_no_swap: MCL_FUTURE) a mapping that can be accessed is populated
 * and locked at once, all CAP bytes of it; one that cannot is not, and
 * mprotect() of a shared mapping populates nothing either. So only the
 * pages written ever cost memory, locked or not. */
struct conf_arena *conf_arena_new(size_t cap)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	cap = (cap + page - 1) / page * page;
	if (cap < 2 * page)
		cap = 2 * page;
	void *m = mmap(NULL, cap, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	if (mprotect(m, page, PROT_READ | PROT_WRITE) < 0) {
		munmap(m, cap);
		return NULL;
	}
	struct conf_arena *a = m;
	a->magic = ARENA_MAGIC;
	a->cap = cap;
	a->used = round_up(sizeof(*a));
	return a;
}

int conf_arena_open(struct conf_arena *a)
{
	return mprotect(a, a->cap, PROT_READ | PROT_WRITE);
}

void conf_arena_free(struct conf_arena *a)
{
	if (!a)
		return;
	if (cur == a)
		cur = NULL;
	munmap(a, a->cap);
}

struct conf_arena *conf_arena_use(struct conf_arena *a)
{
	struct conf_arena *was = cur;

	if (a && a != cur && conf_arena_open(a) < 0)
		oom();
	cur = a;
	return was;
}

bool conf_arena_owns(const struct conf_arena *a, const void *p)
{
	uintptr_t b = (uintptr_t)a, q = (uintptr_t)p;

	return a && q >= b + round_up(sizeof(*a)) && q < b + a->used;
}

static size_t *block_size(void *p)
{
	return (size_t *)((char *)p - ARENA_HDR);
}

void *conf_arena_alloc(struct conf_arena *a, size_t n)
{
	size_t need = ARENA_HDR + round_up(n ? n : 1);

	if (need < n || need > a->cap - a->used)
		return NULL;
	char *blk = (char *)a + a->used;
	a->last = a->used;
	a->used += need;
	*(size_t *)blk = n; /* the memory is fresh: mmap zeroed it, or a free cleared it */
	return blk + ARENA_HDR;
}

/* Gives back P when it is A's last block, zeroing it for the next. */
static void arena_release(struct conf_arena *a, void *p)
{
	size_t off = (size_t)((char *)p - (char *)a) - ARENA_HDR;

	if (off != a->last)
		return;
	memset((char *)a + off, 0, a->used - off);
	a->used = off;
	a->last = 0; /* the one before is not known: only one step back */
}

/* Grows or shrinks A's last block P to N bytes in place; false when it
 * cannot. Past a->used the arena is all zeroes, and stays so. */
static bool arena_resize_last(struct conf_arena *a, void *p, size_t n)
{
	size_t off = (size_t)((char *)p - (char *)a) - ARENA_HDR;
	size_t end = off + ARENA_HDR + round_up(n ? n : 1);

	if (off != a->last || end < n || end > a->cap)
		return false;
	if (end < a->used)
		memset((char *)a + end, 0, a->used - end);
	if (n < *block_size(p))
		memset((char *)p + n, 0, round_up(n ? n : 1) - n);
	a->used = end;
	*block_size(p) = n;
	return true;
}

void *conf_xcalloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	void *p = cur ? conf_arena_alloc(cur, n * size) : calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *conf_tcalloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return cur ? conf_arena_alloc(cur, n * size) : calloc(n ? n : 1, size ? size : 1);
}

bool conf_arena_prefault(struct conf_arena *a, size_t *at, size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (!a)
		return true;
	size_t end = (a->used + page - 1) / page * page;
	size_t len = (n + page - 1) / page * page;
	if (*at >= end)
		return true;
	len = len > end - *at ? end - *at : len;
	if (madvise((char *)a + *at, len, MADV_POPULATE_READ) < 0)
		return true; /* before Linux 5.14: the faults come as it is read */
	*at += len;
	return *at >= end;
}

struct conf_arena *conf_arena_cur(void)
{
	return cur;
}

void *conf_xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	size_t bytes = n * size > 0 ? n * size : 1;
	if (!cur) {
		if (!(p = realloc(p, bytes)))
			oom();
		return p;
	}
	if (p && conf_arena_owns(cur, p) && arena_resize_last(cur, p, bytes))
		return p;
	void *q = conf_arena_alloc(cur, bytes);
	if (!q)
		oom();
	if (p) {
		size_t old = conf_arena_owns(cur, p) ? *block_size(p) : malloc_usable_size(p);
		memcpy(q, p, old < bytes ? old : bytes);
		conf_xfree(p);
	}
	return q;
}

void *conf_xgrow(void *p, size_t n, size_t size)
{
	if (n & (n - 1))
		return p; /* not a power of two: there is room */
	return conf_xrealloc(p, n ? 2 * n : 1, size);
}

char *conf_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = conf_xcalloc(n, 1);

	memcpy(d, s, n);
	return d;
}

void conf_xfree(void *p)
{
	if (!p)
		return;
	if (cur && conf_arena_owns(cur, p))
		arena_release(cur, p);
	else
		free(p);
}
