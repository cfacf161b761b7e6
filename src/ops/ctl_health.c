/* ctl_health: the daemon's health in `vrrpctl stats` (a text section and
 * the JSON member "health") and in `vrrpctl metrics`: the event loop's
 * longest turn, the lateness histogram of the adverts sent by their
 * timers, the netlink batches, the reloads. Pure, like the other formats. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ops/control.h"

/* "0.123 ms" from µs. */
static double ctl_ms(uint64_t us)
{
	return (double)us / 1000.0;
}

static double ctl_avg(uint64_t sum, uint64_t n)
{
	return n ? (double)sum / (double)n : 0.0;
}

/* A bucket's bound as the text shows it: "<=50us", "<=1.6ms", ">12.8ms". */
static void ctl_bucket_name(char *out, size_t len, unsigned i)
{
	uint64_t le = health_bucket_le(i);

	if (le == UINT64_MAX)
		snprintf(out, len, ">%gms", (double)health_bucket_le(i - 1) / 1000.0);
	else if (le < 1000)
		snprintf(out, len, "<=%" PRIu64 "us", le);
	else
		snprintf(out, len, "<=%gms", (double)le / 1000.0);
}

/* The histogram as two aligned rows: the bounds, then the counts. */
static void ctl_hist_text(struct ctl_buf *b, const struct health_hist *h)
{
	char name[HEALTH_BUCKETS][48], num[HEALTH_BUCKETS][24];
	int w[HEALTH_BUCKETS];

	for (unsigned i = 0; i < HEALTH_BUCKETS; i++) {
		ctl_bucket_name(name[i], sizeof(name[i]), i);
		int a = snprintf(num[i], sizeof(num[i]), "%" PRIu64, h->n[i]);
		int c = (int)strlen(name[i]);
		w[i] = a > c ? a : c;
	}
	for (int row = 0; row < 2; row++) {
		for (unsigned i = 0; i < HEALTH_BUCKETS; i++)
			ctl_buf_printf(b, "  %-*s", i + 1 < HEALTH_BUCKETS ? w[i] : 0,
				       row ? num[i] : name[i]);
		ctl_buf_puts(b, "\n");
	}
}

void ctl_health_text(struct ctl_buf *b, const struct ctl_snapshot *s)
{
	const struct ctl_health *h = &s->health;
	double up = s->now > s->started ? s->now - s->started : 0.0;

	ctl_buf_printf(b,
		       "\nLOOP: %" PRIu64 " turns, busy %.3f s (%.3f %% of %.0f s up); longest "
		       "turn %.3f ms since start, %.3f ms in the last minute\n",
		       h->turns, (double)h->busy_us / 1e6,
		       up > 0 ? (double)h->busy_us / 1e4 / up : 0.0, up, ctl_ms(h->turn_max_us),
		       ctl_ms(h->turn_max_1m_us));
	ctl_buf_printf(
	    b,
	    "ADVERT LATENESS: %" PRIu64 " adverts sent by their timer, avg %.3f ms, max %.3f ms\n",
	    h->late.count, ctl_avg(h->late.sum_us, h->late.count) / 1000.0, ctl_ms(h->late.max_us));
	ctl_hist_text(b, &h->late);
	ctl_buf_printf(b,
		       "NETLINK: %" PRIu64 " batches, messages avg %.1f max %" PRIu64
		       ", send to last ack avg %.3f ms max %.3f ms\n",
		       h->nl_msgs.count, ctl_avg(h->nl_msgs.sum, h->nl_msgs.count), h->nl_msgs.max,
		       ctl_avg(h->nl_us.sum, h->nl_us.count) / 1000.0, ctl_ms(h->nl_us.max));
	const struct health_reload *r = &h->reload;
	ctl_buf_printf(b, "RELOAD: %" PRIu64 " (%" PRIu64 " rejected)", r->count, r->rejected);
	if (r->count)
		ctl_buf_printf(b,
			       "; last %s in %.3f ms (parse %.3f, diff %.3f, apply %.3f ms; "
			       "longest loop turn %.3f ms); longest %.3f ms",
			       r->last_rejected ? "rejected" : "applied", ctl_ms(r->last_us),
			       ctl_ms(r->parse_us), ctl_ms(r->diff_us), ctl_ms(r->apply_us),
			       ctl_ms(r->turn_max_us), ctl_ms(r->max_us));
	ctl_buf_puts(b, "\n");
	ctl_buf_printf(b,
		       "PROCESSES: %" PRIu64
		       " started (scripts, notify, mail); built-in checks: %" PRIu64
		       " runs, no process\n",
		       h->procs_started, h->checks_run);
}

void ctl_health_json(struct ctl_buf *b, const struct ctl_snapshot *s)
{
	const struct ctl_health *h = &s->health;
	const struct health_reload *r = &h->reload;

	ctl_buf_printf(b,
		       "\"health\":{\"loop\":{\"turns\":%" PRIu64 ",\"busy_us\":%" PRIu64
		       ",\"longest_turn_us\":%" PRIu64 ",\"longest_turn_last_minute_us\":%" PRIu64
		       "},\"advert_lateness\":{\"count\":%" PRIu64 ",\"sum_us\":%" PRIu64
		       ",\"max_us\":%" PRIu64 ",\"buckets\":[",
		       h->turns, h->busy_us, h->turn_max_us, h->turn_max_1m_us, h->late.count,
		       h->late.sum_us, h->late.max_us);
	for (unsigned i = 0; i < HEALTH_BUCKETS; i++) {
		uint64_t le = health_bucket_le(i);
		ctl_buf_puts(b, i ? ",{\"le_us\":" : "{\"le_us\":");
		if (le == UINT64_MAX)
			ctl_buf_puts(b, "null");
		else
			ctl_buf_printf(b, "%" PRIu64, le);
		ctl_buf_printf(b, ",\"count\":%" PRIu64 "}", h->late.n[i]);
	}
	ctl_buf_printf(b,
		       "]},\"netlink\":{\"batches\":%" PRIu64 ",\"messages\":%" PRIu64
		       ",\"messages_max\":%" PRIu64
		       ",\"messages_avg\":%.3f,\"time_us_sum\":%" PRIu64 ",\"time_us_max\":%" PRIu64
		       ",\"time_us_avg\":%.3f,\"last_messages\":%" PRIu64
		       ",\"last_time_us\":%" PRIu64 "},",
		       h->nl_msgs.count, h->nl_msgs.sum, h->nl_msgs.max,
		       ctl_avg(h->nl_msgs.sum, h->nl_msgs.count), h->nl_us.sum, h->nl_us.max,
		       ctl_avg(h->nl_us.sum, h->nl_us.count), h->nl_msgs.last, h->nl_us.last);
	ctl_buf_printf(b,
		       "\"reload\":{\"count\":%" PRIu64 ",\"rejected\":%" PRIu64
		       ",\"longest_us\":%" PRIu64 ",\"last\":",
		       r->count, r->rejected, r->max_us);
	if (r->count)
		ctl_buf_printf(b,
			       "{\"rejected\":%s,\"total_us\":%" PRIu64 ",\"parse_us\":%" PRIu64
			       ",\"diff_us\":%" PRIu64 ",\"apply_us\":%" PRIu64
			       ",\"longest_turn_us\":%" PRIu64 "}}",
			       r->last_rejected ? "true" : "false", r->last_us, r->parse_us,
			       r->diff_us, r->apply_us, r->turn_max_us);
	else
		ctl_buf_puts(b, "null}");
	ctl_buf_printf(b, ",\"processes_started\":%" PRIu64 ",\"checks_run\":%" PRIu64 "}",
		       h->procs_started, h->checks_run);
}

/* ------------------------------------------------------------- metrics */

/* Seconds from µs, in plain decimal (no exponent): "0.000050". */
static void ctl_prom_secs(struct ctl_buf *b, uint64_t us)
{
	ctl_buf_printf(b, "%" PRIu64 ".%06" PRIu64, us / 1000000, us % 1000000);
}

static void ctl_prom_one(struct ctl_buf *b, const char *name, const char *type, const char *help,
			 const char *labels, uint64_t v, bool secs)
{
	ctl_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s%s ", name, help, name, type, name,
		       labels ? labels : "");
	if (secs)
		ctl_prom_secs(b, v);
	else
		ctl_buf_printf(b, "%" PRIu64, v);
	ctl_buf_puts(b, "\n");
}

/* vrrpd_advert_lateness_seconds: a Prometheus histogram (cumulative
 * buckets, le in seconds). */
static void ctl_prom_lateness(struct ctl_buf *b, const struct health_hist *h)
{
	const char *name = "vrrpd_advert_lateness_seconds";
	uint64_t cum = 0;

	ctl_buf_printf(b,
		       "# HELP %s How late each advertisement sent by its timer went out after "
		       "its due time.\n# TYPE %s histogram\n",
		       name, name);
	for (unsigned i = 0; i < HEALTH_BUCKETS; i++) {
		uint64_t le = health_bucket_le(i);
		cum += h->n[i];
		ctl_buf_printf(b, "%s_bucket{le=\"", name);
		if (le == UINT64_MAX)
			ctl_buf_puts(b, "+Inf");
		else
			ctl_prom_secs(b, le);
		ctl_buf_printf(b, "\"} %" PRIu64 "\n", cum);
	}
	ctl_buf_printf(b, "%s_sum ", name);
	ctl_prom_secs(b, h->sum_us);
	ctl_buf_printf(b, "\n%s_count %" PRIu64 "\n", name, h->count);
}

void ctl_health_metrics(struct ctl_buf *b, const struct ctl_snapshot *s)
{
	const struct ctl_health *h = &s->health;
	const struct health_reload *r = &h->reload;

	ctl_prom_one(b, "vrrpd_loop_turns_total", "counter",
		     "Event loop turns (wakeups from epoll_wait).", NULL, h->turns, false);
	ctl_prom_one(b, "vrrpd_loop_busy_seconds_total", "counter",
		     "Time the event loop spent working, not waiting in epoll_wait.", NULL,
		     h->busy_us, true);
	ctl_buf_puts(b, "# HELP vrrpd_loop_turn_max_seconds The longest event loop turn, since "
			"start or in the last minute (60 to 70 s).\n"
			"# TYPE vrrpd_loop_turn_max_seconds gauge\n"
			"vrrpd_loop_turn_max_seconds{window=\"start\"} ");
	ctl_prom_secs(b, h->turn_max_us);
	ctl_buf_puts(b, "\nvrrpd_loop_turn_max_seconds{window=\"1m\"} ");
	ctl_prom_secs(b, h->turn_max_1m_us);
	ctl_buf_puts(b, "\n");
	ctl_prom_lateness(b, &h->late);
	ctl_prom_one(b, "vrrpd_advert_lateness_max_seconds", "gauge",
		     "The latest any advertisement sent by its timer went out, since start.", NULL,
		     h->late.max_us, true);
	ctl_prom_one(b, "vrrpd_netlink_batches_total", "counter",
		     "Netlink batches of VIP, route and rule changes sent.", NULL, h->nl_msgs.count,
		     false);
	ctl_prom_one(b, "vrrpd_netlink_batch_messages_total", "counter",
		     "Messages in those batches.", NULL, h->nl_msgs.sum, false);
	ctl_prom_one(b, "vrrpd_netlink_batch_messages_max", "gauge",
		     "The most messages in one batch.", NULL, h->nl_msgs.max, false);
	ctl_prom_one(b, "vrrpd_netlink_batch_seconds_total", "counter",
		     "Time from sending each batch to its last ack, summed.", NULL, h->nl_us.sum,
		     true);
	ctl_prom_one(b, "vrrpd_netlink_batch_seconds_max", "gauge",
		     "The longest time from sending a batch to its last ack.", NULL, h->nl_us.max,
		     true);
	ctl_prom_one(b, "vrrpd_reloads_total", "counter", "Reloads (SIGHUP or vrrpctl reload).",
		     NULL, r->count, false);
	ctl_prom_one(b, "vrrpd_reloads_rejected_total", "counter",
		     "Reloads whose file was rejected (the running configuration was kept).", NULL,
		     r->rejected, false);
	ctl_buf_puts(b, "# HELP vrrpd_reload_last_seconds How long the last reload took, "
			"in total and by phase.\n"
			"# TYPE vrrpd_reload_last_seconds gauge\n");
	static const char *const phase[] = {"total", "parse", "diff", "apply"};
	const uint64_t v[] = {r->last_us, r->parse_us, r->diff_us, r->apply_us};
	for (unsigned i = 0; i < 4; i++) {
		ctl_buf_printf(b, "vrrpd_reload_last_seconds{phase=\"%s\"} ", phase[i]);
		ctl_prom_secs(b, v[i]);
		ctl_buf_puts(b, "\n");
	}
	ctl_prom_one(b, "vrrpd_reload_max_seconds", "gauge",
		     "The longest any reload took, since start.", NULL, r->max_us, true);
	ctl_prom_one(b, "vrrpd_processes_started_total", "counter",
		     "Processes started (vrrp_script runs, notify scripts, mail).", NULL,
		     h->procs_started, false);
	ctl_prom_one(b, "vrrpd_check_runs_total", "counter",
		     "Runs of built-in checks (vrrp_check), each in the event loop, no process.",
		     NULL, h->checks_run, false);
}
