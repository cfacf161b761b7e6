/* log: syslog or stderr logging with levels.
 *
 * Promises: never blocks the event loop for long (syslog(3) on a datagram
 * socket, or a line to stderr); safe to call before log_init (goes to
 * stderr). Messages are single lines; no trailing newline needed. */
#ifndef VRRPD_LOG_H
#define VRRPD_LOG_H

#include <stdbool.h>
#include <syslog.h>

void log_init(const char *ident, bool to_console, bool detail);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool log_detail_enabled(void);

#define log_err(...)   log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
