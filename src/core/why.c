/* why: the per-instance ring of reasons, with repeats merged. */
#include "core/why.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
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

const struct why_entry *why_get(const struct why_ring *r, uint32_t i)
{
	if (i >= r->n)
		return NULL;
	return &r->e[(r->head + WHY_RING - r->n + i) % WHY_RING];
}

/* The entry a repeat of (kind, key) merges into, or NULL. Entries are in
 * time order, so the newest one of that key is the only candidate. */
static struct why_entry *why_find(struct why_ring *r, vtime_t now, enum why_kind kind, uint32_t key)
{
	for (uint32_t i = r->n; i-- > 0;) {
		struct why_entry *e = &r->e[(r->head + WHY_RING - r->n + i) % WHY_RING];
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
	e = &r->e[r->head];
	r->head = (r->head + 1) % WHY_RING;
	if (r->n < WHY_RING)
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
