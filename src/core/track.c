/* track: weight arithmetic and rise/fall hysteresis. */
#include "core/track.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void track_file_effect(long long value, int weight, bool reverse, bool *fault, int *delta)
{
	*delta = 0;
	if (weight == 0) {
		*fault = (value != 0) != reverse;
		return;
	}
	long long x = value * weight * (reverse ? -1 : 1);
	*fault = x <= -254;
	if (!*fault)
		*delta = x > 253 ? 253 : (int)x;
}

bool track_file_parse(const char *buf, size_t len, long long *value)
{
	char tmp[64];
	char *end;

	if (len >= sizeof(tmp))
		len = sizeof(tmp) - 1;
	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	errno = 0;
	long long v = strtoll(tmp, &end, 0);
	if (errno || v < -2147483648LL || v > 2147483648LL)
		return false;
	*value = v;
	return true;
}

/* The reason an item puts the instance in FAULT. */
static void track_why(const struct track_item *t, char *why, size_t len)
{
	switch (t->kind) {
	case TRACK_INTERFACE:
		snprintf(why, len, "%s%s", t->name,
			 t->reverse ? " is up (tracked reversed)" : " is down");
		break;
	case TRACK_SCRIPT:
		snprintf(why, len, "script %s %s", t->name,
			 t->reverse ? "succeeded (tracked reversed)" : "failed");
		break;
	case TRACK_PROCESS:
		snprintf(why, len, "process %s %s", t->name,
			 t->reverse ? "has its quorum (tracked reversed)" : "lost its quorum");
		break;
	case TRACK_FILE:
		snprintf(why, len, "track_file %s holds %lld", t->name, t->value);
		break;
	}
}

/* Appends one item that moves the priority by DELTA to r->prio_why. */
static void track_explain(struct track_result *r, const struct track_item *t, bool up, int delta)
{
	size_t len = strlen(r->prio_why), cap = sizeof(r->prio_why);
	char what[96];
	int n;

	if (len + 4 >= cap)
		return;
	switch (t->kind) {
	case TRACK_INTERFACE:
		snprintf(what, sizeof(what), "track_interface %s %s", t->name, up ? "up" : "down");
		break;
	case TRACK_SCRIPT:
		snprintf(what, sizeof(what), "track_script %s %s", t->name,
			 up ? "succeeding" : "failed");
		break;
	case TRACK_PROCESS:
		snprintf(what, sizeof(what), "track_process %s %s", t->name,
			 up ? "has its quorum" : "lost its quorum");
		break;
	case TRACK_FILE:
		snprintf(what, sizeof(what), "track_file %s holds %lld", t->name, t->value);
		break;
	}
	n = snprintf(r->prio_why + len, cap - len, "%s%s%s (%s %+d)", len ? ", " : "", what,
		     t->reverse ? ", tracked reversed" : "",
		     t->kind == TRACK_FILE ? "moves it" : "weight", delta);
	if (n >= 0 && (size_t)n >= cap - len)
		memcpy(r->prio_why + cap - 4, "...", 4);
}

/* FAULT when there are gateway items and none of them is up. */
static void track_gateways(const struct track_item *items, size_t n, struct track_result *r)
{
	size_t total = 0, len;

	for (size_t i = 0; i < n; i++) {
		if (!items[i].gateway)
			continue;
		if (items[i].up)
			return;
		total++;
	}
	if (!total || r->fault)
		return;
	r->fault = true;
	len = (size_t)snprintf(r->why, sizeof(r->why), "%s tracked gateway%s down:",
			       total == 1   ? "the"
			       : total == 2 ? "both"
					    : "all",
			       total == 1 ? " is" : "s are");
	for (size_t i = 0, k = 0; i < n && len < sizeof(r->why); i++)
		if (items[i].gateway)
			len += (size_t)snprintf(r->why + len, sizeof(r->why) - len, "%s%s",
						k++ ? ", " : " ", items[i].name);
	if (len >= sizeof(r->why))
		memcpy(r->why + sizeof(r->why) - 4, "...", 4);
}

void track_eval(uint8_t base, const struct track_item *items, size_t n, struct track_result *r)
{
	int prio = base;

	r->fault = false;
	r->why[0] = '\0';
	r->prio_why[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct track_item *t = &items[i];
		bool up = t->up != t->reverse, fault = false;
		int delta = 0;

		if (t->gateway)
			continue;
		if (t->kind == TRACK_FILE)
			track_file_effect(t->value, t->weight, t->reverse, &fault, &delta);
		else if (t->weight == 0)
			fault = !up;
		else if (t->weight > 0 ? up : !up)
			delta = t->weight;
		if (fault && !r->fault) {
			r->fault = true;
			track_why(t, r->why, sizeof(r->why));
		}
		if (delta)
			track_explain(r, t, t->up, delta);
		prio += delta;
	}
	track_gateways(items, n, r);
	if (base == 255)
		prio = 255;
	else if (prio < 1)
		prio = 1;
	else if (prio > 254)
		prio = 254;
	r->prio = (uint8_t)prio;
}

bool track_feed(struct track_hyst *h, bool success, uint32_t rise, uint32_t fall)
{
	if (success == h->up) {
		h->streak = 0;
		return h->up;
	}
	h->streak++;
	if (h->streak >= (h->up ? fall : rise)) {
		h->up = success;
		h->streak = 0;
	}
	return h->up;
}
