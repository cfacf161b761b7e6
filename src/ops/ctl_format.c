/* ctl_format: the pure half of the control module. Status tables, JSON,
 * Prometheus metrics and keepalived-style data/stats files, all built from a
 * struct ctl_snapshot into a growable buffer. No clock is read: every time
 * shown is relative to the snapshot's `now`. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ops/control.h"

/* ------------------------------------------------------------ buffer */

void ctl_buf_printf(struct ctl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (int round = 0; round < 2; round++) {
		size_t room = b->cap - b->len;
		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->len <= (size_t)n)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
}

void ctl_buf_free(struct ctl_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* Appends n bytes (kept NUL-terminated, as after ctl_buf_printf). */
static void ctl_buf_append(struct ctl_buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->cap - b->len <= n) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap - b->len <= n)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void ctl_buf_puts(struct ctl_buf *b, const char *s)
{
	ctl_buf_append(b, s, strlen(s));
}

/* -------------------------------------------------------------- helpers */

static const char *const ctl_states[] = {"INIT", "BACKUP", "MASTER", "FAULT"};
#define CTL_N_STATES (sizeof(ctl_states) / sizeof(ctl_states[0]))

static const char *ctl_state(const struct ctl_instance *in)
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
static void ctl_json_str(struct ctl_buf *b, const char *s)
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

/* A Prometheus label value: backslash, double quote and newline escaped. */
static void ctl_prom_label(struct ctl_buf *b, const char *s)
{
	while (*s) {
		size_t run = strcspn(s, "\\\"\n");
		ctl_buf_append(b, s, run);
		s += run;
		if (!*s)
			break;
		ctl_buf_puts(b, *s == '\\' ? "\\\\" : *s == '"' ? "\\\"" : "\\n");
		s++;
	}
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

/* -------------------------------------------------------------- status */

#define ST_COLS 8

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
		snprintf(row[3], CTL_CELL, "%s", ctl_state(in));
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
}

static void ctl_status_json_inst(struct ctl_buf *b, const struct ctl_instance *in, double now)
{
	ctl_buf_puts(b, "{\"name\":");
	ctl_json_str(b, in->name);
	ctl_buf_puts(b, ",\"interface\":");
	ctl_json_str(b, in->ifname);
	ctl_buf_printf(b, ",\"vrid\":%u,\"version\":%u,\"family\":\"%s\",\"state\":", in->vrid,
		       in->version, ctl_family_str(in->family));
	ctl_json_str(b, ctl_state(in));
	ctl_buf_printf(b,
		       ",\"priority\":%u,\"effective_priority\":%u,\"advert_int_cs\":%u,"
		       "\"master_adver_int_cs\":%" PRIu32 ",\"primary\":",
		       in->priority, in->effective_priority, in->advert_int_cs,
		       in->master_adver_int_cs);
	ctl_json_addr(b, &in->primary);
	ctl_buf_puts(b, ",\"master\":");
	ctl_json_addr(b, &in->master);
	ctl_buf_printf(b, ",\"master_priority\":%u,\"since\":", in->master_priority);
	ctl_json_time(b, in->since);
	if (in->since > 0)
		ctl_buf_printf(b, ",\"since_seconds_ago\":%.3f",
			       now > in->since ? now - in->since : 0.0);
	else
		ctl_buf_puts(b, ",\"since_seconds_ago\":null");
	ctl_buf_puts(b, ",\"reason\":");
	ctl_json_str(b, in->reason);
	ctl_buf_printf(b,
		       ",\"n_vips\":%zu,\"vips_installed\":%s,\"adverts_sent\":%" PRIu64
		       ",\"adverts_received\":%" PRIu64 ",\"transitions\":%" PRIu64
		       ",\"addr_mismatch\":%" PRIu64 ",\"drops\":",
		       in->n_vips, in->vips_installed ? "true" : "false", in->adverts_sent,
		       in->adverts_received, in->transitions, in->addr_mismatch);
	ctl_json_drops(b, in->drops);
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

#define SS_COLS 8

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
	ctl_buf_puts(b, "}");
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
	ctl_buf_puts(b, "]}\n");
}

static void ctl_stats_text(struct ctl_buf *b, const struct ctl_snapshot *s, long sel)
{
	static const char *const head[SS_COLS] = {"INSTANCE",	   "IFACE",    "VRID",
						  "SENT",	   "RECEIVED", "TRANSITIONS",
						  "ADDR-MISMATCH", "DROPS"};
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
		ctl_drops_str(row[7], CTL_CELL, in->drops);
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
	return 0;
}

/* ------------------------------------------------------------- metrics */

static void ctl_prom_head(struct ctl_buf *b, const char *name, const char *type, const char *help)
{
	ctl_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* {instance="…",interface="…",vrid="…" — left open for more labels. */
static void ctl_prom_inst_labels(struct ctl_buf *b, const struct ctl_instance *in)
{
	ctl_buf_puts(b, "{instance=\"");
	ctl_prom_label(b, in->name);
	ctl_buf_puts(b, "\",interface=\"");
	ctl_prom_label(b, in->ifname);
	ctl_buf_printf(b, "\",vrid=\"%u\"", in->vrid);
}

enum ctl_counter { CTL_C_SENT, CTL_C_RECEIVED, CTL_C_TRANSITIONS, CTL_C_MISMATCH, CTL_C__MAX };

static uint64_t ctl_counter(const struct ctl_instance *in, enum ctl_counter c)
{
	switch (c) {
	case CTL_C_SENT:
		return in->adverts_sent;
	case CTL_C_RECEIVED:
		return in->adverts_received;
	case CTL_C_TRANSITIONS:
		return in->transitions;
	default:
		return in->addr_mismatch;
	}
}

/* One sample per known state, 1 for the current one; a state that is none
 * of them is reported as itself, with 1. */
static void ctl_prom_states(struct ctl_buf *b, const struct ctl_snapshot *s)
{
	ctl_prom_head(b, "vrrpd_instance_state", "gauge",
		      "1 for the current state of the instance, 0 for the others.");
	for (size_t i = 0; i < s->n_inst; i++) {
		const struct ctl_instance *in = &s->inst[i];
		const char *cur = ctl_state(in);
		bool known = false;

		for (size_t k = 0; k < CTL_N_STATES; k++) {
			bool on = strcmp(cur, ctl_states[k]) == 0;
			known |= on;
			ctl_buf_puts(b, "vrrpd_instance_state");
			ctl_prom_inst_labels(b, in);
			ctl_buf_printf(b, ",state=\"%s\"} %d\n", ctl_states[k], on ? 1 : 0);
		}
		if (!known) {
			ctl_buf_puts(b, "vrrpd_instance_state");
			ctl_prom_inst_labels(b, in);
			ctl_buf_puts(b, ",state=\"");
			ctl_prom_label(b, cur);
			ctl_buf_puts(b, "\"} 1\n");
		}
	}
}

static void ctl_prom_priorities(struct ctl_buf *b, const struct ctl_snapshot *s)
{
	ctl_prom_head(b, "vrrpd_instance_priority", "gauge", "Configured priority.");
	for (size_t i = 0; i < s->n_inst; i++) {
		ctl_buf_puts(b, "vrrpd_instance_priority");
		ctl_prom_inst_labels(b, &s->inst[i]);
		ctl_buf_printf(b, "} %u\n", s->inst[i].priority);
	}
	ctl_prom_head(b, "vrrpd_instance_effective_priority", "gauge",
		      "Priority after tracking (interfaces, scripts, checks).");
	for (size_t i = 0; i < s->n_inst; i++) {
		ctl_buf_puts(b, "vrrpd_instance_effective_priority");
		ctl_prom_inst_labels(b, &s->inst[i]);
		ctl_buf_printf(b, "} %u\n", s->inst[i].effective_priority);
	}
}

static void ctl_prom_counters(struct ctl_buf *b, const struct ctl_snapshot *s)
{
	static const struct {
		const char *name, *help;
	} counters[CTL_C__MAX] = {
	    [CTL_C_SENT] = {"vrrpd_adverts_sent_total", "VRRP advertisements sent."},
	    [CTL_C_RECEIVED] = {"vrrpd_adverts_received_total",
				"VRRP advertisements received and accepted."},
	    [CTL_C_TRANSITIONS] = {"vrrpd_transitions_total", "State transitions."},
	    [CTL_C_MISMATCH] = {"vrrpd_address_list_mismatch_total",
				"Advertisements whose address list differs from ours."},
	};

	for (int c = 0; c < CTL_C__MAX; c++) {
		ctl_prom_head(b, counters[c].name, "counter", counters[c].help);
		for (size_t i = 0; i < s->n_inst; i++) {
			ctl_buf_puts(b, counters[c].name);
			ctl_prom_inst_labels(b, &s->inst[i]);
			ctl_buf_printf(b, "} %" PRIu64 "\n",
				       ctl_counter(&s->inst[i], (enum ctl_counter)c));
		}
	}
}

/* The samples of one instance's or interface's drops (label name "instance"
 * or "interface"), the reasons that are not zero only. */
static void ctl_prom_drops_of(struct ctl_buf *b, const char *label, const char *value,
			      const uint64_t *drops)
{
	for (int r = 1; r < PKT_DROP__MAX; r++) {
		if (!drops[r])
			continue;
		ctl_buf_printf(b, "vrrpd_packets_dropped_total{%s=\"", label);
		ctl_prom_label(b, value);
		ctl_buf_printf(b, "\",reason=\"%s\"} %" PRIu64 "\n", pkt_drop_str((enum pkt_drop)r),
			       drops[r]);
	}
}

void ctl_format_metrics(struct ctl_buf *b, const struct ctl_snapshot *s)
{
	ctl_prom_head(b, "vrrpd_up", "gauge", "Whether vrrpd is running (always 1).");
	ctl_buf_puts(b, "vrrpd_up 1\n");
	ctl_prom_head(b, "vrrpd_start_time_seconds", "gauge",
		      "Start time of the daemon since the Unix epoch in seconds.");
	ctl_buf_printf(b, "vrrpd_start_time_seconds %.3f\n", s->started);
	ctl_prom_states(b, s);
	ctl_prom_priorities(b, s);
	ctl_prom_counters(b, s);
	ctl_prom_head(b, "vrrpd_packets_dropped_total", "counter",
		      "Packets dropped, by instance or by interface (before an instance was "
		      "known), and reason.");
	for (size_t i = 0; i < s->n_inst; i++)
		ctl_prom_drops_of(b, "instance", s->inst[i].name, s->inst[i].drops);
	for (size_t i = 0; i < s->n_ifaces; i++)
		ctl_prom_drops_of(b, "interface", s->ifaces[i].ifname, s->ifaces[i].drops);
}

/* ------------------------------------------- keepalived-style data/stats */

static void ctl_ctime(char *out, size_t len, double t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || !localtime_r(&tt, &tm) || !strftime(out, len, "%a %b %e %H:%M:%S %Y", &tm))
		snprintf(out, len, "never");
}

static void ctl_format_data(struct ctl_buf *b, const struct ctl_snapshot *s)
{
	char tbuf[64], a[ADDR_STRLEN];

	ctl_buf_puts(b, "------< Global definitions >------\n");
	ctl_buf_printf(b, " Router ID = %s\n", s->router_id ? s->router_id : "");
	ctl_ctime(tbuf, sizeof(tbuf), s->started);
	ctl_buf_printf(b, " Started = %.6f (%s)\n", s->started, tbuf);
	ctl_buf_puts(b, "------< VRRP Topology >------\n");
	for (size_t i = 0; i < s->n_inst; i++) {
		const struct ctl_instance *in = &s->inst[i];
		unsigned adv = in->advert_int_cs;

		ctl_buf_printf(b, " VRRP Instance = %s\n", in->name);
		ctl_buf_printf(b, "   VRRP Version = %u\n", in->version);
		ctl_buf_printf(b, "   State = %s\n", ctl_state(in));
		if (in->master.family) {
			ctl_buf_printf(b, "   Master router = %s\n", addr_str(&in->master, a));
			ctl_buf_printf(b, "   Master priority = %u\n", in->master_priority);
		}
		ctl_ctime(tbuf, sizeof(tbuf), in->since);
		ctl_buf_printf(b, "   Last transition = %.6f (%s)\n",
			       in->since > 0 ? in->since : 0.0, tbuf);
		if (in->reason[0])
			ctl_buf_printf(b, "   Last transition reason = %s\n", in->reason);
		ctl_buf_printf(b, "   Interface = %s\n", in->ifname);
		if (in->primary.family)
			ctl_buf_printf(b, "   Using src_ip = %s\n", addr_str(&in->primary, a));
		ctl_buf_printf(b, "   Virtual Router ID = %u\n", in->vrid);
		ctl_buf_printf(b, "   Priority = %u\n", in->priority);
		ctl_buf_printf(b, "   Effective priority = %u\n", in->effective_priority);
		if (adv % 100 == 0)
			ctl_buf_printf(b, "   Advert interval = %u sec\n", adv / 100);
		else
			ctl_buf_printf(b, "   Advert interval = %u.%02u sec\n", adv / 100,
				       adv % 100);
		ctl_buf_printf(b, "   Virtual IP = %zu\n", in->n_vips);
		ctl_buf_printf(b, "   Virtual IPs installed = %s\n",
			       in->vips_installed ? "yes" : "no");
	}
}

static void ctl_format_kstats(struct ctl_buf *b, const struct ctl_snapshot *s)
{
	for (size_t i = 0; i < s->n_inst; i++) {
		const struct ctl_instance *in = &s->inst[i];

		ctl_buf_printf(b, "VRRP Instance: %s\n", in->name);
		ctl_buf_printf(
		    b, "  Advertisements:\n    Received: %" PRIu64 "\n    Sent: %" PRIu64 "\n",
		    in->adverts_received, in->adverts_sent);
		ctl_buf_printf(b, "  Transitions: %" PRIu64 "\n", in->transitions);
		ctl_buf_puts(b, "  Packet Errors:\n");
		ctl_buf_printf(b, "    Address List: %" PRIu64 "\n", in->addr_mismatch);
		for (int r = 1; r < PKT_DROP__MAX; r++)
			ctl_buf_printf(b, "    %s: %" PRIu64 "\n", pkt_drop_str((enum pkt_drop)r),
				       in->drops[r]);
	}
	for (size_t i = 0; i < s->n_ifaces; i++) {
		ctl_buf_printf(b, "Interface: %s\n", s->ifaces[i].ifname);
		ctl_buf_puts(b, "  Packet Errors:\n");
		for (int r = 1; r < PKT_DROP__MAX; r++)
			ctl_buf_printf(b, "    %s: %" PRIu64 "\n", pkt_drop_str((enum pkt_drop)r),
				       s->ifaces[i].drops[r]);
	}
}

/* Writes b to path atomically (temporary file in the same directory, then
 * rename), mode 0644. */
static int ctl_write_atomic(const char *path, const struct ctl_buf *b)
{
	char tmp[4096];
	int fd, n;

	if (b->oom) {
		errno = ENOMEM;
		return -1;
	}
	n = snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < b->len) {
		ssize_t w = write(fd, b->p + off, b->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}

int ctl_write_files(const struct ctl_snapshot *s, const char *data_path, const char *stats_path)
{
	int rc = 0;

	if (data_path) {
		struct ctl_buf b = {0};
		ctl_format_data(&b, s);
		if (ctl_write_atomic(data_path, &b) < 0)
			rc = -1;
		ctl_buf_free(&b);
	}
	if (stats_path) {
		struct ctl_buf b = {0};
		int e = errno;
		ctl_format_kstats(&b, s);
		if (ctl_write_atomic(stats_path, &b) < 0)
			rc = -1;
		else if (rc < 0)
			errno = e;
		ctl_buf_free(&b);
	}
	return rc;
}
