/* log: syslog or stderr. */
#include "vrrpd/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static bool log_console = true;
static bool log_detail;
static bool log_syslog;

void log_init(const char *ident, bool to_console, bool detail)
{
	log_console = to_console;
	log_detail = detail;
	log_syslog = !to_console;
	if (log_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

bool log_detail_enabled(void)
{
	return log_detail;
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio == LOG_DEBUG && !log_detail)
		return;
	va_start(ap, fmt);
	if (log_syslog) {
		vsyslog(prio, fmt, ap);
	} else {
		struct timespec ts;
		struct tm tm;
		char stamp[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
		fprintf(stderr, "%s.%06ld ", stamp, ts.tv_nsec / 1000);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
