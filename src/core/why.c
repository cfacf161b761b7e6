/* why: the per-instance ring of reasons, with repeats merged. */
#include "core/why.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *why_kind_name(enum why_kind k)
{
	switch (k) {
	case WHY_TRANSITION:
		return "transition";
	case WHY_DECISION:
		return "decision";
	case WHY_PRIORITY:
		return "priority";
	case WHY_DROP:
		return "drop";
	case WHY__KINDS:
		break;
	}
	return "?";
}

uint32_t why_key(uint32_t a, uint64_t b)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < 4; i++)
		h = (h ^ ((a >> (8 * i)) & 0xff)) * 16777619u;
	for (int i = 0; i < 8; i++)
		h = (h ^ (uint32_t)((b >> (8 * i)) & 0xff)) * 16777619u;
	return h;
}

uint32_t why_count(const struct why_ring *r)
{
	return r->n;
}

void why_free(struct why_ring *r)
{
	free(r->e);
	memset(r, 0, sizeof(*r));
}

/* The I-th entry held, oldest first. Until the ring first wraps (it only
 * grows while it has not wrapped), the entries are e[0..n). */
static struct why_entry *why_at(const struct why_ring *r, uint32_t i)
{
	return &r->e[(r->head + r->cap - r->n + i) % r->cap];
}

const struct why_entry *why_get(const struct why_ring *r, uint32_t i)
{
	if (i >= r->n)
		return NULL;
	return why_at(r, i);
}

/* Room for one more entry: doubles the records while fewer than WHY_RING
 * are allocated and all are in use (head is then 0: nothing has wrapped).
 * False when there is no record at all. */
static bool why_room(struct why_ring *r)
{
	if (r->n < r->cap || r->cap == WHY_RING)
		return r->cap > 0;
	uint32_t cap = r->cap ? r->cap * 2 : 2;
	if (cap > WHY_RING)
		cap = WHY_RING;
	struct why_entry *e = realloc(r->e, cap * sizeof(*e));
	if (!e)
		return r->cap > 0; /* stays at its size: the oldest goes */
	r->e = e;
	r->head = r->n;
	r->cap = cap;
	return true;
}

/* The entry a repeat of (kind, key) merges into, or NULL. Entries are in
 * time order, so the newest one of that key is the only candidate. */
static struct why_entry *why_find(struct why_ring *r, vtime_t now, enum why_kind kind, uint32_t key)
{
	for (uint32_t i = r->n; i-- > 0;) {
		struct why_entry *e = why_at(r, i);
		if (e->kind != kind || e->key != key)
			continue;
		bool young = now >= e->time && now - e->time < WHY_REPEAT;
		bool no_move_since = e->seq >= r->moved;
		return young || no_move_since ? e : NULL;
	}
	return NULL;
}

char *why_note(struct why_ring *r, vtime_t now, enum why_kind kind, uint32_t key)
{
	struct why_entry *e = why_find(r, now, kind, key);

	if (e) {
		if (e->count < UINT32_MAX)
			e->count++;
		if (now > e->last)
			e->last = now;
		if (kind == WHY_TRANSITION) /* what came before is before a move now */
			r->moved = ++r->seq;
		return NULL;
	}
	if (!why_room(r))
		return NULL;
	e = &r->e[r->head];
	r->head = (r->head + 1) % r->cap;
	if (r->n < r->cap)
		r->n++;
	*e = (struct why_entry){.time = now,
				.last = now,
				.key = key,
				.count = 1,
				.seq = ++r->seq,
				.kind = (uint8_t)kind};
	if (kind == WHY_TRANSITION)
		r->moved = e->seq;
	return e->text;
}

void why_add(struct why_ring *r, vtime_t now, enum why_kind kind, uint32_t key, const char *fmt,
	     ...)
{
	char *text = why_note(r, now, kind, key);
	va_list ap;

	if (!text)
		return;
	va_start(ap, fmt);
	vsnprintf(text, WHY_TEXT, fmt, ap);
	va_end(ap);
}
