/* ctl_metrics: `vrrpctl metrics`, the Prometheus text exposition format
 * (for node_exporter's textfile collector or a scrape through vrrpctl).
 * Pure, like the other formats. */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "ops/control.h"

static const char *const ctl_states[] = {"INIT", "BACKUP", "MASTER", "FAULT"};
#define CTL_N_STATES (sizeof(ctl_states) / sizeof(ctl_states[0]))

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
		const char *cur = ctl_state_name(in);
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

static void ctl_prom_conflicts(struct ctl_buf *b, const struct ctl_snapshot *s)
{
	ctl_prom_head(b, "vrrpd_conflicts_total", "counter",
		      "Split-brain conflicts that started, by kind (lower_master, mismatch, "
		      "address).");
	for (size_t i = 0; i < s->n_inst; i++) {
		for (int k = 0; k < CONFLICT__N; k++) {
			ctl_buf_puts(b, "vrrpd_conflicts_total");
			ctl_prom_inst_labels(b, &s->inst[i]);
			ctl_buf_printf(b, ",kind=\"%s\"} %" PRIu64 "\n",
				       conflict_kind_name((enum conflict_kind)k),
				       s->inst[i].conflicts[k]);
		}
	}
	ctl_prom_head(b, "vrrpd_conflict_active", "gauge",
		      "1 while the instance has a split-brain conflict, else 0.");
	for (size_t i = 0; i < s->n_inst; i++) {
		ctl_buf_puts(b, "vrrpd_conflict_active");
		ctl_prom_inst_labels(b, &s->inst[i]);
		ctl_buf_printf(b, "} %d\n", s->inst[i].conflict_active ? 1 : 0);
	}
}

/* heartbeat_path: each path's health and adverts (instances with one;
 * nothing at all when none has). */
static void ctl_prom_paths(struct ctl_buf *b, const struct ctl_snapshot *s)
{
	bool any = false;

	for (size_t i = 0; i < s->n_inst; i++)
		any |= s->inst[i].n_paths > 0;
	if (!any) /* no family without samples */
		return;
	ctl_prom_head(b, "vrrpd_path_up", "gauge",
		      "1 while the master's adverts come by this path of the instance "
		      "(heartbeat_path), 0 when it is down or idle.");
	for (size_t i = 0; i < s->n_inst; i++)
		for (unsigned k = 0; k < s->inst[i].n_paths; k++) {
			const struct ctl_path *p = &s->inst[i].paths[k];
			ctl_buf_puts(b, "vrrpd_path_up");
			ctl_prom_inst_labels(b, &s->inst[i]);
			ctl_buf_printf(b, ",path=\"%u\",path_interface=\"", k + 1);
			ctl_prom_label(b, p->ifname);
			ctl_buf_printf(b, "\"} %d\n", strcmp(p->state, "up") == 0);
		}
	ctl_prom_head(b, "vrrpd_path_adverts_received_total", "counter",
		      "Adverts accepted from this path of the instance (heartbeat_path).");
	for (size_t i = 0; i < s->n_inst; i++)
		for (unsigned k = 0; k < s->inst[i].n_paths; k++) {
			const struct ctl_path *p = &s->inst[i].paths[k];
			ctl_buf_puts(b, "vrrpd_path_adverts_received_total");
			ctl_prom_inst_labels(b, &s->inst[i]);
			ctl_buf_printf(b, ",path=\"%u\",path_interface=\"", k + 1);
			ctl_prom_label(b, p->ifname);
			ctl_buf_printf(b, "\"} %" PRIu64 "\n", p->adverts);
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
	ctl_prom_conflicts(b, s);
	ctl_prom_paths(b, s);
	ctl_prom_head(b, "vrrpd_packets_dropped_total", "counter",
		      "Packets dropped, by instance or by interface (before an instance was "
		      "known), and reason.");
	for (size_t i = 0; i < s->n_inst; i++)
		ctl_prom_drops_of(b, "instance", s->inst[i].name, s->inst[i].drops);
	for (size_t i = 0; i < s->n_ifaces; i++)
		ctl_prom_drops_of(b, "interface", s->ifaces[i].ifname, s->ifaces[i].drops);
	ctl_prom_head(b, "vrrpd_instance_advert_lateness_max_seconds", "gauge",
		      "The latest an advertisement sent by the instance's timer went out, since "
		      "start (instances that sent one).");
	for (size_t i = 0; i < s->n_inst; i++) {
		const struct ctl_instance *in = &s->inst[i];
		if (!in->late_n)
			continue;
		ctl_buf_puts(b, "vrrpd_instance_advert_lateness_max_seconds");
		ctl_prom_inst_labels(b, in);
		ctl_buf_printf(b, "} %" PRIu64 ".%06" PRIu64 "\n", in->late_max_us / 1000000,
			       in->late_max_us % 1000000);
	}
	ctl_health_metrics(b, s);
}
