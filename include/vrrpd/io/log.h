/* log: syslog or stderr logging with levels, in the manner of OpenBSD's
 * log.c.
 *
 * Promises: never blocks the event loop for long (syslog(3) on a datagram
 * socket, or a line to stderr); safe to call before log_init (goes to
 * stderr). Messages are single lines; no trailing newline needed.
 * log_warn() and log_err() append ": " and strerror(errno) of the errno at
 * the call; the x forms do not. errno is preserved by every call. fatal()
 * and fatalx() log at LOG_CRIT and exit(1). */
#ifndef VRRPD_LOG_H
#define VRRPD_LOG_H

#include <stdbool.h>
#include <syslog.h>

#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))

void log_init(const char *ident, bool to_console, bool detail);
void log_msg(int prio, const char *fmt, ...) LOG_PRINTF(2, 3);
/* As log_msg, with ": strerror(errno)" appended. */
void log_msg_errno(int prio, const char *fmt, ...) LOG_PRINTF(2, 3);
bool log_detail_enabled(void);
void fatal(const char *fmt, ...) LOG_PRINTF(1, 2) __attribute__((noreturn));
void fatalx(const char *fmt, ...) LOG_PRINTF(1, 2) __attribute__((noreturn));

#define log_err(...)   log_msg_errno(LOG_ERR, __VA_ARGS__)
#define log_errx(...)  log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg_errno(LOG_WARNING, __VA_ARGS__)
#define log_warnx(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
