/* ctl_why: the answer of `vrrpctl why INSTANCE`, one instance's ring of
 * reasons (core/why) as text lines or a JSON array. Pure: no clock is
 * read; an entry's wall-clock time is the snapshot's wall clock moved back
 * by the entry's age on the ring's monotonic clock. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ops/control.h"

static double ctl_why_wall(const struct ctl_why *w, vtime_t t)
{
	return w->wall_now - ((double)w->mono_now - (double)t) / 1e6;
}

/* "12:00:03.215", or "2024-05-01 12:00:03.215" when not today. */
static void ctl_why_stamp(char *out, size_t len, double wall, double now)
{
	time_t t = (time_t)wall, tn = (time_t)now;
	struct tm tm, tmn;
	char s[32];

	if (wall <= 0 || !localtime_r(&t, &tm) || !localtime_r(&tn, &tmn)) {
		snprintf(out, len, "-");
		return;
	}
	if (tm.tm_year == tmn.tm_year && tm.tm_yday == tmn.tm_yday)
		strftime(s, sizeof(s), "%H:%M:%S", &tm);
	else
		strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm);
	int ms = (int)((wall - (double)t) * 1000);
	snprintf(out, len, "%s.%03d", s, ms < 0 ? 0 : ms > 999 ? 999 : ms);
}

static void ctl_why_text(struct ctl_buf *b, const struct ctl_why *w)
{
	uint32_t n = w->ring ? why_count(w->ring) : 0;
	char at[40], last[40];

	ctl_buf_printf(b, "%s: %s; %u entr%s, newest last\n", w->name, w->state ? w->state : "INIT",
		       n, n == 1 ? "y" : "ies");
	for (uint32_t i = 0; i < n; i++) {
		const struct why_entry *e = why_get(w->ring, i);
		ctl_why_stamp(at, sizeof(at), ctl_why_wall(w, e->time), w->wall_now);
		ctl_buf_printf(b, "%-12s  %-10s  %s", at, why_kind_name((enum why_kind)e->kind),
			       e->text);
		if (e->count > 1) {
			ctl_why_stamp(last, sizeof(last), ctl_why_wall(w, e->last), w->wall_now);
			ctl_buf_printf(b, " (x%u, last %s)", e->count, last);
		}
		ctl_buf_puts(b, "\n");
	}
}

static void ctl_why_json(struct ctl_buf *b, const struct ctl_why *w)
{
	uint32_t n = w->ring ? why_count(w->ring) : 0;

	ctl_buf_puts(b, "[");
	for (uint32_t i = 0; i < n; i++) {
		const struct why_entry *e = why_get(w->ring, i);
		ctl_buf_printf(b, "%s{\"time\":%.3f,\"last\":%.3f,\"kind\":", i ? "," : "",
			       ctl_why_wall(w, e->time), ctl_why_wall(w, e->last));
		ctl_json_str(b, why_kind_name((enum why_kind)e->kind));
		ctl_buf_puts(b, ",\"text\":");
		ctl_json_str(b, e->text);
		ctl_buf_printf(b, ",\"count\":%u}", e->count);
	}
	ctl_buf_puts(b, "]\n");
}

void ctl_format_why(struct ctl_buf *b, const struct ctl_why *w, bool json)
{
	if (json)
		ctl_why_json(b, w);
	else
		ctl_why_text(b, w);
}
