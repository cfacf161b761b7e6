/* ctl_format: the answers of `vrrpctl status` and `vrrpctl stats`, as
 * aligned text tables or as JSON, built from a struct ctl_snapshot. Pure: no
 * clock is read, every time shown is relative to the snapshot's `now`. The
 * other formats are ctl_metrics.c (Prometheus) and ctl_files.c
 * (keepalived-style data/stats files). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ops/control.h"

/* -------------------------------------------------------------- helpers */

const char *ctl_state_name(const struct ctl_instance *in)
{
	return in->state ? in->state : "INIT";
}

static const char *ctl_family_str(uint8_t family)
{
	return family == AF_INET6 ? "inet6" : family == AF_INET ? "inet" : "unknown";
}

/* A matching instance, or -1 (and the message) when a name was given and
 * none has it. Returns the index of the first match, or -2 for "all". */
static long ctl_select(struct ctl_buf *b, const struct ctl_snapshot *s, const char *instance)
{
	if (!instance || !*instance)
		return -2;
	for (size_t i = 0; i < s->n_inst; i++)
		if (strcmp(s->inst[i].name, instance) == 0)
			return (long)i;
	ctl_buf_printf(b, "no instance %s\n", instance);
	return -1;
}

static bool ctl_selected(long sel, size_t i)
{
	return sel == -2 || (size_t)sel == i;
}

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0. */
static size_t ctl_utf8_len(const unsigned char *p, size_t n)
{
	size_t len;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* A JSON string: quotes, backslashes and control characters escaped;
 * invalid UTF-8 bytes become U+FFFD so the document always parses. */
void ctl_json_str(struct ctl_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);

	ctl_buf_puts(b, "\"");
	while (n) {
		size_t run = 0;
		/* copy plain runs at once */
		while (run < n && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '"' &&
		       p[run] != '\\')
			run++;
		if (run) {
			ctl_buf_append(b, (const char *)p, run);
			p += run;
			n -= run;
			continue;
		}
		unsigned char c = *p;
		size_t len = 1;
		switch (c) {
		case '"':
			ctl_buf_puts(b, "\\\"");
			break;
		case '\\':
			ctl_buf_puts(b, "\\\\");
			break;
		case '\n':
			ctl_buf_puts(b, "\\n");
			break;
		case '\r':
			ctl_buf_puts(b, "\\r");
			break;
		case '\t':
			ctl_buf_puts(b, "\\t");
			break;
		case '\b':
			ctl_buf_puts(b, "\\b");
			break;
		case '\f':
			ctl_buf_puts(b, "\\f");
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				ctl_buf_printf(b, "\\u%04x", c);
			} else {
				len = ctl_utf8_len(p, n);
				if (len)
					ctl_buf_append(b, (const char *)p, len);
				else {
					ctl_buf_puts(b, "\\ufffd");
					len = 1;
				}
			}
		}
		p += len;
		n -= len;
	}
	ctl_buf_puts(b, "\"");
}

/* "3m05s" style age of a duration in seconds. */
static void ctl_age(char *out, size_t len, double secs)
{
	unsigned long long d = secs > 0 ? (unsigned long long)secs : 0;

	if (d < 60)
		snprintf(out, len, "%llus", d);
	else if (d < 3600)
		snprintf(out, len, "%llum%02llus", d / 60, d % 60);
	else if (d < 86400)
		snprintf(out, len, "%lluh%02llum", d / 3600, d % 3600 / 60);
	else
		snprintf(out, len, "%llud%02lluh", d / 86400, d % 86400 / 3600);
}

/* "12:03:04 (3m12s ago)"; the date is added when it is not today's. */
static void ctl_since(char *out, size_t len, double since, double now)
{
	time_t t = (time_t)since, tn = (time_t)now;
	struct tm tm, tmn;
	char stamp[32], age[32];

	if (since <= 0 || !localtime_r(&t, &tm) || !localtime_r(&tn, &tmn)) {
		snprintf(out, len, "-");
		return;
	}
	if (tm.tm_year == tmn.tm_year && tm.tm_yday == tmn.tm_yday)
		strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
	else
		strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
	ctl_age(age, sizeof(age), now - since);
	snprintf(out, len, "%s (%s ago)", stamp, age);
}

/* A left-aligned table: cells[row * ncol + col], row 0 the header; columns
 * separated by two spaces, the last one not padded. */
static void ctl_table(struct ctl_buf *b, size_t ncol, char *const *cells, size_t nrows)
{
	size_t w[16] = {0};

	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < ncol && c < 16; c++) {
			size_t l = strlen(cells[r * ncol + c]);
			if (l > w[c])
				w[c] = l;
		}
	for (size_t r = 0; r < nrows; r++) {
		for (size_t c = 0; c < ncol; c++) {
			const char *cell = cells[r * ncol + c];
			if (c + 1 == ncol)
				ctl_buf_printf(b, "%s\n", cell);
			else
				ctl_buf_printf(b, "%-*s  ", (int)w[c], cell);
		}
	}
}

/* Table storage: nrows × ncol cells of up to CTL_CELL bytes. */
#define CTL_CELL 192
struct ctl_cells {
	char (*text)[CTL_CELL];
	char **ptr;
};

static int ctl_cells_alloc(struct ctl_cells *t, size_t nrows, size_t ncol)
{
	t->text = calloc(nrows * ncol, sizeof(*t->text));
	t->ptr = calloc(nrows * ncol, sizeof(*t->ptr));
	if (!t->text || !t->ptr) {
		free(t->text);
		free(t->ptr);
		return -1;
	}
	for (size_t i = 0; i < nrows * ncol; i++)
		t->ptr[i] = t->text[i];
	return 0;
}

static void ctl_cells_free(struct ctl_cells *t)
{
	free(t->text);
	free(t->ptr);
}

/* "bad-ttl=3 bad-checksum=1", or "-" when all are zero. */
static void ctl_drops_str(char *out, size_t len, const uint64_t *drops)
{
	size_t used = 0;

	out[0] = '\0';
	for (int r = 1; r < PKT_DROP__MAX; r++) {
		if (!drops[r] || used >= len)
			continue;
		int n = snprintf(out + used, len - used, "%s%s=%" PRIu64, used ? " " : "",
				 pkt_drop_str((enum pkt_drop)r), drops[r]);
		if (n > 0)
			used += (size_t)n;
	}
	if (!used)
		snprintf(out, len, "-");
}

static void ctl_json_drops(struct ctl_buf *b, const uint64_t *drops)
{
	ctl_buf_puts(b, "{");
	for (int r = 1; r < PKT_DROP__MAX; r++)
		ctl_buf_printf(b, "%s\"%s\":%" PRIu64, r > 1 ? "," : "",
			       pkt_drop_str((enum pkt_drop)r), drops[r]);
	ctl_buf_puts(b, "}");
}

static void ctl_json_addr(struct ctl_buf *b, const struct vaddr *a)
{
	char s[ADDR_STRLEN];

	if (!a->family) {
		ctl_buf_puts(b, "null");
		return;
	}
	ctl_json_str(b, addr_str(a, s));
}

static void ctl_json_time(struct ctl_buf *b, double t)
{
	if (t > 0)
		ctl_buf_printf(b, "%.3f", t);
	else
		ctl_buf_puts(b, "null");
}

/* ,"KEY":T,"KEY_seconds_ago":NOW-T (both null when T is unknown) */
static void ctl_json_time_ago(struct ctl_buf *b, const char *key, double t, double now)
{
	ctl_buf_printf(b, ",\"%s\":", key);
	ctl_json_time(b, t);
	if (t > 0)
		ctl_buf_printf(b, ",\"%s_seconds_ago\":%.3f", key, now > t ? now - t : 0.0);
	else
		ctl_buf_printf(b, ",\"%s_seconds_ago\":null", key);
}

/* -------------------------------------------------------------- status */

#define ST_COLS 8

/* Below the table, a line for each instance that has had a conflict. */
static void ctl_conflicts_text(struct ctl_buf *b, const struct ctl_snapshot *s, long sel)
{
	for (size_t i = 0; i < s->n_inst; i++) {
		const struct ctl_instance *in = &s->inst[i];
		uint64_t n = 0;
		char since[64];

		for (int k = 0; k < CONFLICT__N; k++)
			n += in->conflicts[k];
		if (!ctl_selected(sel, i) || !n)
			continue;
		if (!in->conflict_active) {
			ctl_buf_printf(b, "%s: %" PRIu64 " conflict(s), none now\n", in->name, n);
			continue;
		}
		ctl_since(since, sizeof(since), in->conflict_since, s->now);
		ctl_buf_printf(b, "%s: CONFLICT (%s) since %s: %s; %" PRIu64 " so far\n", in->name,
			       conflict_kind_name(in->conflict_kind), since, in->conflict_detail,
			       n);
	}
}

/* heartbeat_path: one line per instance that has one. */
static void ctl_paths_text(struct ctl_buf *b, const struct ctl_snapshot *s, long sel)
{
	for (size_t i = 0; i < s->n_inst; i++) {
		const struct ctl_instance *in = &s->inst[i];
		char heard[64];

		if (!ctl_selected(sel, i) || !in->n_paths)
			continue;
		ctl_buf_printf(b, "%s: paths:", in->name);
		for (unsigned k = 0; k < in->n_paths; k++) {
			const struct ctl_path *p = &in->paths[k];
			ctl_since(heard, sizeof(heard), p->heard, s->now);
			ctl_buf_printf(b, "%s %u %s %s (heard %s, %" PRIu64 " adverts)",
				       k ? ";" : "", k + 1, p->ifname, p->state, heard, p->adverts);
		}
		ctl_buf_puts(b, "\n");
	}
}

static void ctl_status_text(struct ctl_buf *b, const struct ctl_snapshot *s, long sel)
{
	static const char *const head[ST_COLS] = {"INSTANCE", "IFACE",	"VRID",	 "STATE",
						  "PRIO",     "MASTER", "SINCE", "REASON"};
	size_t nrows = 1 + (sel == -2 ? s->n_inst : 1);
	struct ctl_cells t;

	if (ctl_cells_alloc(&t, nrows, ST_COLS) < 0) {
		b->oom = true;
		return;
	}
	for (size_t c = 0; c < ST_COLS; c++)
		snprintf(t.text[c], CTL_CELL, "%s", head[c]);
	size_t r = 1;
	for (size_t i = 0; i < s->n_inst; i++) {
		const struct ctl_instance *in = &s->inst[i];
		char(*row)[CTL_CELL] = &t.text[r * ST_COLS];
		char a[ADDR_STRLEN];

		if (!ctl_selected(sel, i))
			continue;
		snprintf(row[0], CTL_CELL, "%s", in->name);
		snprintf(row[1], CTL_CELL, "%s", in->ifname);
		snprintf(row[2], CTL_CELL, "%u", in->vrid);
		snprintf(row[3], CTL_CELL, "%s", ctl_state_name(in));
		if (in->effective_priority != in->priority)
			snprintf(row[4], CTL_CELL, "%u/%u", in->priority, in->effective_priority);
		else
			snprintf(row[4], CTL_CELL, "%u", in->priority);
		snprintf(row[5], CTL_CELL, "%s",
			 in->master.family ? addr_str(&in->master, a) : "-");
		ctl_since(row[6], CTL_CELL, in->since, s->now);
		snprintf(row[7], CTL_CELL, "%s", in->reason[0] ? in->reason : "-");
		/* a table cell is one line */
		for (char *p = row[7]; *p; p++)
			if (*p == '\n' || *p == '\t' || *p == '\r')
				*p = ' ';
		r++;
	}
	ctl_table(b, ST_COLS, t.ptr, r);
	ctl_cells_free(&t);
	ctl_paths_text(b, s, sel);
	ctl_conflicts_text(b, s, sel);
}

/* "paths":[{"path":1,"interface","state","heard","heard_seconds_ago","adverts"}] */
static void ctl_status_json_paths(struct ctl_buf *b, const struct ctl_instance *in, double now)
{
	ctl_buf_puts(b, ",\"paths\":[");
	for (unsigned k = 0; k < in->n_paths; k++) {
		const struct ctl_path *p = &in->paths[k];
		ctl_buf_printf(b, "%s{\"path\":%u,\"interface\":", k ? "," : "", k + 1);
		ctl_json_str(b, p->ifname);
		ctl_buf_puts(b, ",\"state\":");
		ctl_json_str(b, p->state);
		ctl_json_time_ago(b, "heard", p->heard, now);
		ctl_buf_printf(b, ",\"adverts\":%" PRIu64 "}", p->adverts);
	}
	ctl_buf_puts(b, "]");
}

/* "conflict":{"count":N,"by_kind":{...},"current":{"kind","peer","since","detail"} or null} */
static void ctl_status_json_conflict(struct ctl_buf *b, const struct ctl_instance *in)
{
	uint64_t n = 0;

	for (int k = 0; k < CONFLICT__N; k++)
		n += in->conflicts[k];
	ctl_buf_printf(b, ",\"conflict\":{\"count\":%" PRIu64 ",\"by_kind\":{", n);
	for (int k = 0; k < CONFLICT__N; k++)
		ctl_buf_printf(b, "%s\"%s\":%" PRIu64, k ? "," : "",
			       conflict_kind_name((enum conflict_kind)k), in->conflicts[k]);
	ctl_buf_puts(b, "},\"current\":");
	if (!in->conflict_active) {
		ctl_buf_puts(b, "null}");
		return;
	}
	ctl_buf_puts(b, "{\"kind\":");
	ctl_json_str(b, conflict_kind_name(in->conflict_kind));
	ctl_buf_puts(b, ",\"peer\":");
	ctl_json_str(b, in->conflict_peer);
	ctl_buf_puts(b, ",\"since\":");
	ctl_json_time(b, in->conflict_since);
	ctl_buf_puts(b, ",\"detail\":");
	ctl_json_str(b, in->conflict_detail);
	ctl_buf_puts(b, "}}");
}

static void ctl_status_json_inst(struct ctl_buf *b, const struct ctl_instance *in, double now)
{
	ctl_buf_puts(b, "{\"name\":");
	ctl_json_str(b, in->name);
	ctl_buf_puts(b, ",\"interface\":");
	ctl_json_str(b, in->ifname);
	ctl_buf_printf(b, ",\"vrid\":%u,\"version\":%u,\"family\":\"%s\",\"state\":", in->vrid,
		       in->version, ctl_family_str(in->family));
	ctl_json_str(b, ctl_state_name(in));
	ctl_buf_printf(b,
		       ",\"priority\":%u,\"effective_priority\":%u,\"advert_int_cs\":%u,"
		       "\"master_adver_int_cs\":%" PRIu32 ",\"primary\":",
		       in->priority, in->effective_priority, in->advert_int_cs,
		       in->master_adver_int_cs);
	ctl_json_addr(b, &in->primary);
	ctl_buf_puts(b, ",\"master\":");
	ctl_json_addr(b, &in->master);
	ctl_buf_printf(b, ",\"master_priority\":%u", in->master_priority);
	ctl_json_time_ago(b, "since", in->since, now);
	ctl_buf_puts(b, ",\"reason\":");
	ctl_json_str(b, in->reason);
	ctl_buf_printf(b,
		       ",\"n_vips\":%zu,\"vips_installed\":%s,\"adverts_sent\":%" PRIu64
		       ",\"adverts_received\":%" PRIu64 ",\"transitions\":%" PRIu64
		       ",\"addr_mismatch\":%" PRIu64 ",\"drops\":",
		       in->n_vips, in->vips_installed ? "true" : "false", in->adverts_sent,
		       in->adverts_received, in->transitions, in->addr_mismatch);
	ctl_json_drops(b, in->drops);
	ctl_status_json_paths(b, in, now);
	ctl_status_json_conflict(b, in);
	ctl_buf_puts(b, "}");
}

int ctl_format_status(struct ctl_buf *b, const struct ctl_snapshot *s, const char *instance,
		      bool json)
{
	long sel = ctl_select(b, s, instance);

	if (sel == -1)
		return -1;
	if (!json) {
		ctl_status_text(b, s, sel);
		return 0;
	}
	ctl_buf_puts(b, "{\"router_id\":");
	ctl_json_str(b, s->router_id);
	ctl_buf_puts(b, ",\"instances\":[");
	bool first = true;
	for (size_t i = 0; i < s->n_inst; i++) {
		if (!ctl_selected(sel, i))
			continue;
		if (!first)
			ctl_buf_puts(b, ",");
		first = false;
		ctl_status_json_inst(b, &s->inst[i], s->now);
	}
	ctl_buf_puts(b, "]}\n");
	return 0;
}

/* --------------------------------------------------------------- stats */

#define SS_COLS 9

static void ctl_stats_json_inst(struct ctl_buf *b, const struct ctl_instance *in)
{
	ctl_buf_puts(b, "{\"name\":");
	ctl_json_str(b, in->name);
	ctl_buf_puts(b, ",\"interface\":");
	ctl_json_str(b, in->ifname);
	ctl_buf_printf(b,
		       ",\"vrid\":%u,\"adverts_sent\":%" PRIu64 ",\"adverts_received\":%" PRIu64
		       ",\"transitions\":%" PRIu64 ",\"addr_mismatch\":%" PRIu64 ",\"drops\":",
		       in->vrid, in->adverts_sent, in->adverts_received, in->transitions,
		       in->addr_mismatch);
	ctl_json_drops(b, in->drops);
	ctl_buf_printf(b, ",\"adverts_timed\":%" PRIu64 ",\"advert_late_max_us\":", in->late_n);
	if (in->late_n)
		ctl_buf_printf(b, "%" PRIu64 "}", in->late_max_us);
	else
		ctl_buf_puts(b, "null}");
}

/* The interfaces' drops are listed only when every instance is. */
static void ctl_stats_json(struct ctl_buf *b, const struct ctl_snapshot *s, long sel)
{
	ctl_buf_puts(b, "{\"router_id\":");
	ctl_json_str(b, s->router_id);
	ctl_buf_puts(b, ",\"instances\":[");
	bool first = true;
	for (size_t i = 0; i < s->n_inst; i++) {
		if (!ctl_selected(sel, i))
			continue;
		if (!first)
			ctl_buf_puts(b, ",");
		first = false;
		ctl_stats_json_inst(b, &s->inst[i]);
	}
	ctl_buf_puts(b, "],\"interfaces\":[");
	for (size_t i = 0; sel == -2 && i < s->n_ifaces; i++) {
		ctl_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
		ctl_json_str(b, s->ifaces[i].ifname);
		ctl_buf_puts(b, ",\"drops\":");
		ctl_json_drops(b, s->ifaces[i].drops);
		ctl_buf_puts(b, "}");
	}
	ctl_buf_puts(b, "],");
	ctl_health_json(b, s);
	ctl_buf_puts(b, "}\n");
}

static void ctl_stats_text(struct ctl_buf *b, const struct ctl_snapshot *s, long sel)
{
	static const char *const head[SS_COLS] = {"INSTANCE",	   "IFACE",    "VRID",
						  "SENT",	   "RECEIVED", "TRANSITIONS",
						  "ADDR-MISMATCH", "LATE-MAX", "DROPS"};
	size_t nrows = 1 + (sel == -2 ? s->n_inst : 1);
	struct ctl_cells t;

	if (ctl_cells_alloc(&t, nrows, SS_COLS) < 0) {
		b->oom = true;
		return;
	}
	for (size_t c = 0; c < SS_COLS; c++)
		snprintf(t.text[c], CTL_CELL, "%s", head[c]);
	size_t r = 1;
	for (size_t i = 0; i < s->n_inst; i++) {
		const struct ctl_instance *in = &s->inst[i];
		char(*row)[CTL_CELL] = &t.text[r * SS_COLS];

		if (!ctl_selected(sel, i))
			continue;
		snprintf(row[0], CTL_CELL, "%s", in->name);
		snprintf(row[1], CTL_CELL, "%s", in->ifname);
		snprintf(row[2], CTL_CELL, "%u", in->vrid);
		snprintf(row[3], CTL_CELL, "%" PRIu64, in->adverts_sent);
		snprintf(row[4], CTL_CELL, "%" PRIu64, in->adverts_received);
		snprintf(row[5], CTL_CELL, "%" PRIu64, in->transitions);
		snprintf(row[6], CTL_CELL, "%" PRIu64, in->addr_mismatch);
		if (in->late_n)
			snprintf(row[7], CTL_CELL, "%.3fms", (double)in->late_max_us / 1000.0);
		else
			snprintf(row[7], CTL_CELL, "-");
		ctl_drops_str(row[8], CTL_CELL, in->drops);
		r++;
	}
	ctl_table(b, SS_COLS, t.ptr, r);
	ctl_cells_free(&t);
}

/* The second table of `stats`: drops counted before an instance was known,
 * after a blank line. */
static void ctl_iface_drops_text(struct ctl_buf *b, const struct ctl_snapshot *s)
{
	struct ctl_cells t;

	if (ctl_cells_alloc(&t, 1 + s->n_ifaces, 2) < 0) {
		b->oom = true;
		return;
	}
	snprintf(t.text[0], CTL_CELL, "INTERFACE");
	snprintf(t.text[1], CTL_CELL, "DROPS (before an instance was known)");
	for (size_t i = 0; i < s->n_ifaces; i++) {
		snprintf(t.text[2 * (i + 1)], CTL_CELL, "%s", s->ifaces[i].ifname);
		ctl_drops_str(t.text[2 * (i + 1) + 1], CTL_CELL, s->ifaces[i].drops);
	}
	ctl_buf_puts(b, "\n");
	ctl_table(b, 2, t.ptr, 1 + s->n_ifaces);
	ctl_cells_free(&t);
}

int ctl_format_stats(struct ctl_buf *b, const struct ctl_snapshot *s, const char *instance,
		     bool json)
{
	long sel = ctl_select(b, s, instance);

	if (sel == -1)
		return -1;
	if (json) {
		ctl_stats_json(b, s, sel);
		return 0;
	}
	ctl_stats_text(b, s, sel);
	if (sel == -2 && s->n_ifaces)
		ctl_iface_drops_text(b, s);
	if (sel == -2)
		ctl_health_text(b, s);
	return 0;
}
