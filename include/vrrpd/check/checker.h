/* checker: runs every vrrp_script on its interval and turns exit statuses
 * into an up/down verdict with rise/fall hysteresis.
 *
 * Promises: never blocks the loop (each run is an io/job: fork and exec,
 * the exit seen through a pidfd); runs the command parsed when the
 * configuration was loaded (conf_cmd.sc), so the configuration must outlive
 * the set; never more than one run of a script at a time; a run that
 * outlives its timeout is killed with its process group and counts as a
 * failure; a script refused by script security, or one that cannot be
 * executed, counts as failing and is logged once. on_change is called only
 * when a verdict changes. */
#ifndef VRRPD_CHECKER_H
#define VRRPD_CHECKER_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"

struct loop;
struct checker_set;

/* Starts one runner per conf->scripts entry that an instance or a sync
 * group tracks (others are not run, as in keepalived). A runner whose script is
 * unchanged in prev (same name, conf_script_equal) keeps its verdict, so a
 * reload does not flap tracking. The first runs start at once. */
struct checker_set *checker_new(struct loop *l, const struct config *conf,
				const struct checker_set *prev,
				void (*on_change)(void *arg, size_t script, bool up), void *arg);
/* The verdict of conf->scripts[script]. */
bool checker_up(const struct checker_set *s, size_t script);
/* Kills running scripts and frees. */
void checker_free(struct checker_set *s);

#endif
