/* notify: tells the world about a transition — notify scripts, the notify
 * FIFO, SMTP alerts — without ever delaying the event loop.
 *
 * Promises: notify_state starts what the configuration asks for and
 * returns at once (a script's fork/exec, a non-blocking FIFO write, an SMTP
 * connection driven by the loop). For each transition the state-specific
 * command (notify_master/backup/fault/stop) starts before the generic
 * `notify` command, which gets TYPE NAME STATE PRIORITY as arguments; a
 * command's exit status is logged when it is not 0, with its output; the
 * FIFO gets one line `TYPE "NAME" STATE PRIORITY` (keepalived's format),
 * also for priority changes and, after a reload, every state when asked;
 * one mail per transition when smtp_alert is on (an smtp_server name is
 * resolved first, without waiting: ops/resolve.h; its addresses are tried
 * in order while one cannot be connected to). Commands are io/jobs run
 * from the command parsed at load (conf_cmd.sc; nothing is parsed at run
 * time); a notify command still running after NOTIFY_TIMEOUT_MS is killed
 * with its process group (logged). */
#ifndef VRRPD_NOTIFY_H
#define VRRPD_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/conf.h"

#define NOTIFY_TIMEOUT_MS 30000

struct loop;
struct notify; /* private to notify.c */

/* conf must outlive the notify object or be replaced with notify_set_config
 * before it is freed. */
struct notify *notify_new(struct loop *l, const struct config *conf);
void notify_set_config(struct notify *n, const struct config *conf);
/* kind: "INSTANCE" or "GROUP"; state: "MASTER", "BACKUP", "FAULT", "STOP",
 * or "DELETED" (an instance a reload removed, with notify_deleted: runs
 * notify_deleted's command when it has one). */
void notify_state(struct notify *n, const char *kind, const char *name,
		  const struct conf_notify *cfg, const char *state, uint8_t prio);
/* Only the FIFO line `KIND "NAME" STATE PRIO` (fifo_write_vrrp_states_on_reload). */
void notify_fifo_only(struct notify *n, const char *kind, const char *name, const char *state,
		      uint8_t prio);
/* notify_priority_changes: the FIFO line `INSTANCE "NAME" MASTER_PRIORITY
 * PRIO` (BACKUP_PRIORITY when not master), as keepalived writes it. */
void notify_priority(struct notify *n, const char *name, bool master, uint8_t prio);
/* An event that is not a state change (keepalived's send_event_notify, e.g.
 * EVENT "MASTER_RX_LOWER_PRI"): the FIFO gets `KIND "NAME" EVENT PRIO`, and
 * CMD (LABEL in the log; may be NULL or unset) runs without arguments. */
void notify_event(struct notify *n, const char *kind, const char *name, const struct conf_cmd *cmd,
		  const char *label, const char *event, uint8_t prio);
/* A split-brain conflict of instance NAME (core/conflict.h) started
 * (START) or ended: the FIFO gets `INSTANCE "NAME" CONFLICT KIND PEER`
 * (CONFLICT_END at the end), CFG's notify_conflict runs with NAME KIND PEER
 * start|end, with smtp_alert a mail says DETAIL, and at the start CFG's
 * fence_script runs with PEER, its exit status logged whatever it is. */
void notify_conflict(struct notify *n, const char *name, const struct conf_notify *cfg,
		     const char *kind, const char *peer, bool start, const char *detail);
/* Waits at most timeout_ms for running commands and mails to finish (used
 * at shutdown so notify_stop runs), in a private event loop: the daemon's
 * loop is not run again. Then kills what is left and frees. */
void notify_free(struct notify *n, unsigned timeout_ms);

#endif
