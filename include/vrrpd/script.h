/* script: run a program without blocking the event loop.
 *
 * Promises:
 *  - script_parse() is pure. It splits a command line with keepalived's
 *    rules: words are separated by blanks; '...' and "..." quote (the
 *    quotes are removed and may join parts of one word, as in a'b c'd);
 *    a backslash escapes the next character everywhere, also inside
 *    quotes, and \a \b \E \f \n \r \t \v \xHH \NNN (octal) \cX stand for
 *    the usual control characters.
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
 *    positional parameters $1 $2 ... ($0 is "sh").
 *  - script_start() never waits for the program: it forks, and the child
 *    sets up (new session, so the program leads its own process group;
 *    default signal dispositions and an empty signal mask; stdin from
 *    /dev/null; stdout and stderr to a pipe or /dev/null; every other file
 *    descriptor closed; group and user switched when asked) and execs. The
 *    parent only waits for the exec itself to succeed or fail (a CLOEXEC
 *    pipe), so "cannot execute" is reported at once instead of as exit
 *    status 127.
 *  - The child is watched through a pidfd (kernel >= 5.3), which becomes
 *    readable when it exits: put script_run.pidfd in the event loop, and on
 *    EPOLLIN call script_reap(), which collects the status without blocking
 *    (waitid(P_PIDFD, ..., WEXITED | WNOHANG)). No SIGCHLD handler and no
 *    waitpid(-1) are needed, and the daemon must neither reap children
 *    elsewhere nor set SIGCHLD to SIG_IGN (which would reap them first).
 *  - script_kill() sends SIGKILL to the whole process group, so a timed-out
 *    shell pipeline dies with its children.
 *  - script_check_security() refuses a program that a non-root user could
 *    replace or modify. */
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
			 script_check_security() looks at); NULL-terminated; owned */
	size_t nwords;
};

/* Splits CMDLINE into OUT. Returns 0, or -1 with a message in ERR ("missing
 * closing '"'", "empty command", ...); OUT is then empty. */
int script_parse(const char *cmdline, struct script_cmd *out, char *err, size_t errlen);
void script_cmd_free(struct script_cmd *c);
/* True when CMDLINE needs a shell (see above). */
bool script_needs_shell(const char *cmdline);

/* Finds the file NAME runs: NAME itself when it contains a '/', else the
 * first executable regular file NAME in $PATH (default
 * /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin). Returns 0,
 * or -1 with errno ENOENT. */
int script_which(const char *name, char *out, size_t outlen);

/* With script security on: refuses (-1 and a message in ERR) a program
 * that someone other than root or the user running it could change. It
 * looks at the program of C (argv[0] found with script_which(); for a shell
 * command /bin/sh and also the first word of the line when it names a file
 * or is found in $PATH) and at every directory above it, both as written and
 * after resolving symbolic links. A file or directory is unsafe when it is
 * owned by a user other than root and UID (an owner can always chmod), or
 * is writable by its group or by others. A directory writable by group or
 * others but with the sticky bit (as /tmp) is accepted, because then only
 * root and an entry's owner can replace that entry, and the entry is
 * checked in turn. Also refuses a program that UID/GID cannot execute.
 * Returns 0 when safe. Reads the file system; no other side effect. */
int script_check_security(const struct script_cmd *c, uid_t uid, gid_t gid, char *err,
			  size_t errlen);

/* Who runs the program. When set is false the child keeps the daemon's
 * credentials; otherwise it switches to GID (also as the only
 * supplementary group, when the daemon is root) and then UID. */
struct script_cred {
	bool set;
	uid_t uid;
	gid_t gid;
};

/* One running program. */
struct script_run {
	pid_t pid;   /* 0 when none */
	int pidfd;   /* readable when the program has exited; -1 when none */
	int outfd;   /* read end of its stdout+stderr when asked for, else -1 (non-blocking) */
	bool killed; /* script_kill() was called */
	bool reaped; /* script_reap() collected the status */
};

/* Starts C with EXTRA (NULL-terminated, may be NULL) appended as described
 * above. CAPTURE: give the program's stdout+stderr to r->outfd (the caller
 * reads and closes it; the program gets EPIPE/SIGPIPE once it is closed),
 * else they go to /dev/null. Returns 0, or -1 with a message in ERR
 * ("/x/y: Permission denied", "setuid(65534): ..."); nothing is left
 * running then. Blocks only until the child has called exec. */
int script_start(struct script_run *r, const struct script_cmd *c, const struct script_cred *cred,
		 const char *const *extra, bool capture, char *err, size_t errlen);
/* Collects the exit status if the program has exited. Returns 1 and sets
 * *STATUS (a wait status: use WIFEXITED / WEXITSTATUS / WIFSIGNALED /
 * WTERMSIG) and closes the pidfd; 0 when it is still running; -1 on error
 * (errno). Never blocks. */
int script_reap(struct script_run *r, int *status);
/* SIGKILL to the program's process group (for a timeout). The status is
 * still collected by script_reap() when the pidfd becomes readable. */
void script_kill(struct script_run *r);
/* Forgets R: kills the group and reaps the child (waiting for it: SIGKILL
 * cannot be blocked, so this is immediate) if it was not reaped yet, and
 * closes the descriptors. For shutdown and reload. */
void script_run_close(struct script_run *r);

/* "exited with status 3", "killed by signal 9 (timeout after 2 s)",
 * "killed by signal 11 (core dumped)". TIMEOUT_MS is only shown when
 * KILLED_BY_US. Returns BUF. */
const char *script_status_str(int status, bool killed_by_us, uint32_t timeout_ms, char *buf,
			      size_t len);

#endif
