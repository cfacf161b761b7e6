/* track: what tracked interfaces and scripts do to an instance (pure).
 *
 * Promises: keepalived's weight arithmetic. An item is "up" (interface
 * running, script succeeding); "reverse" inverts it. Weight 0: the item
 * down puts the instance in FAULT. Weight > 0: added to the priority while
 * the item is up. Weight < 0: added (so subtracted) while it is down. The
 * result is clamped to 1..254; an address owner (255) keeps 255 and only
 * FAULT applies to it.
 *
 * A tracked file (keepalived's track_file) is not up or down but holds a
 * number V: with weight 0 a V other than 0 is a FAULT (reverse: a V of 0
 * is); otherwise V * weight (negated with reverse) is added, and a result
 * of -254 or less is a FAULT (keepalived's rule; more than 253 counts as
 * 253).
 *
 * A gateway item (track_gateway) has no weight of its own: the gateways
 * count together, and only when every one of them is down is the instance
 * in FAULT ("all 2 tracked gateways are down: gw_a, gw_b"). One gateway
 * left is enough to keep the priority as it is. */
#ifndef VRRPD_TRACK_H
#define VRRPD_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum track_kind { TRACK_INTERFACE, TRACK_SCRIPT, TRACK_PROCESS, TRACK_FILE };

struct track_item {
	enum track_kind kind;
	const char *name; /* interface or script name, for the reason */
	int weight;
	bool reverse;
	bool up;	 /* interface running / script's last verdict is success / process quorum */
	long long value; /* TRACK_FILE: the number the file holds (up is unused) */
	bool gateway;	 /* TRACK_SCRIPT from track_gateway: weight and reverse unused */
};

/* What a tracked file's VALUE does with WEIGHT and REVERSE: *fault, or
 * *delta to add to the priority. */
void track_file_effect(long long value, int weight, bool reverse, bool *fault, int *delta);
/* A tracked file's contents as keepalived reads them: leading blanks, then
 * a number in C notation (decimal, 0x hex, 0 octal) with an optional sign;
 * an empty file or one without a number holds 0. False (keep the previous
 * value) when the number is outside -2147483648..2147483648. */
bool track_file_parse(const char *buf, size_t len, long long *value);

struct track_result {
	bool fault;
	uint8_t prio;  /* effective priority (meaningless when fault) */
	char why[128]; /* the first item that causes the FAULT, e.g. "eth1 is down" */
	/* The items that move the priority from its base, e.g. "track_script
	 * chk_haproxy failed (weight -20), track_interface eth1 up (weight
	 * +10)"; "" when none does (cut to fit, ending in "..."). */
	char prio_why[160];
};

void track_eval(uint8_t base, const struct track_item *items, size_t n, struct track_result *r);

/* rise/fall hysteresis of a script: feeds one run's outcome; returns the
 * verdict (true = up). A failed script becomes up after `rise` successes in
 * a row; an up one fails after `fall` failures in a row. */
struct track_hyst {
	bool up;
	uint32_t streak; /* consecutive results contradicting `up` */
};
bool track_feed(struct track_hyst *h, bool success, uint32_t rise, uint32_t fall);

#endif
