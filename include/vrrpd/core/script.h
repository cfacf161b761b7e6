/* script: command lines, as keepalived splits them (pure).
 *
 * Promises:
 *  - script_parse() splits a command line with keepalived's rules: words are
 *    separated by blanks; '...' and "..." quote (the quotes are removed and
 *    may join parts of one word, as in a'b c'd); a backslash escapes the
 *    next character everywhere, also inside quotes, and \a \b \E \f \n \r
 *    \t \v \xHH \NNN (octal) \cX stand for the usual control characters.
 *  - A command line goes through "/bin/sh -c" exactly when it contains a
 *    shell metacharacter: one of  | & ; < > ( ) $ ` * ? [ ] ~  or a newline
 *    outside quotes and not escaped by a backslash, a $ or ` inside "...",
 *    a # starting a word, or a first word of the form NAME=VALUE. Inside
 *    '...' nothing is special. Such a line is passed to the shell
 *    unchanged (the shell's quoting rules then apply, not the ones above).
 *    Every other line is split as above and executed directly, without a
 *    shell.
 *  - Extra arguments (notify's TYPE NAME STATE PRIORITY) are appended to a
 *    direct command's argv; for a shell command they become the shell's
 *    positional parameters $1 $2 ... ($0 is "sh"). Running one is
 *    io/proc.h's job. */
#ifndef VRRPD_SCRIPT_H
#define VRRPD_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SCRIPT_SHELL "/bin/sh"

struct script_cmd {
	char **argv;  /* NULL-terminated, what is executed; owned */
	size_t argc;  /* words in argv */
	bool shell;   /* argv is {"/bin/sh", "-c", LINE, "sh"} */
	char **words; /* the line split by the rules above, also for a shell
			 command (best effort: its first word names the program
			 proc_check_security() looks at); NULL-terminated; owned */
	size_t nwords;
};

/* Splits CMDLINE into OUT. Returns 0, or -1 with a message in ERR ("missing
 * closing '"'", "empty command", ...); OUT is then empty. */
int script_parse(const char *cmdline, struct script_cmd *out, char *err, size_t errlen);
void script_cmd_free(struct script_cmd *c);
/* True when CMDLINE needs a shell (see above). */
bool script_needs_shell(const char *cmdline);

/* Formats into ERR (may be NULL), as snprintf. For this module and
 * io/proc.c, which report their failures the same way. */
void script_seterr(char *err, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "exited with status 3", "killed by signal 9 (timeout after 2 s)",
 * "killed by signal 11 (core dumped)". TIMEOUT_MS is only shown when
 * KILLED_BY_US. Returns BUF. */
const char *script_status_str(int status, bool killed_by_us, uint32_t timeout_ms, char *buf,
			      size_t len);

#endif
