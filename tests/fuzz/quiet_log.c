/* io/log.h for the fuzz harnesses: every message is formatted (so a bad
 * format argument still shows under ASan) and then dropped, so that a
 * harness whose code under test logs does not flood the fuzzer's output.
 * Linked before the library archive, which then never pulls in io/log.o. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "io/log.h"

static void quiet(const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
}

void log_init(const char *ident, bool to_console, bool detail)
{
	(void)ident;
	(void)to_console;
	(void)detail;
}

bool log_detail_enabled(void)
{
	return true;
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	(void)prio;
	va_start(ap, fmt);
	quiet(fmt, ap);
	va_end(ap);
}

void log_msg_errno(int prio, const char *fmt, ...)
{
	va_list ap;

	(void)prio;
	va_start(ap, fmt);
	quiet(fmt, ap);
	va_end(ap);
}

/* Reaching fatal() from parsing input is a finding: abort so the fuzzer
 * reports it with a stack. */
void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
