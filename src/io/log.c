/* log: syslog or stderr. */
#include "io/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool log_detail;
static bool log_syslog;

void log_init(const char *ident, bool to_console, bool detail)
{
	log_detail = detail;
	log_syslog = !to_console;
	if (log_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

bool log_detail_enabled(void)
{
	return log_detail;
}

/* One line; ERR >= 0 appends its strerror. */
static void log_v(int prio, int err, const char *fmt, va_list ap)
{
	char line[1024];
	int saved = errno;

	if (prio == LOG_DEBUG && !log_detail)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	const char *sep = err >= 0 ? ": " : "", *why = err >= 0 ? strerror(err) : "";
	if (log_syslog) {
		syslog(prio, "%s%s%s", line, sep, why);
	} else {
		struct timespec ts;
		struct tm tm;
		char stamp[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
		fprintf(stderr, "%s.%06ld %s%s%s\n", stamp, ts.tv_nsec / 1000, line, sep, why);
	}
	errno = saved;
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(prio, -1, fmt, ap);
	va_end(ap);
}

void log_msg_errno(int prio, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	log_v(prio, err, fmt, ap);
	va_end(ap);
}

void fatal(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	log_v(LOG_CRIT, err, fmt, ap);
	va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(LOG_CRIT, -1, fmt, ap);
	va_end(ap);
	exit(1);
}
