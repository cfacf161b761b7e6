/* libFuzzer harness: the configuration loader (lexer with includes, parser,
 * checks) through its public API only, conf_load() on whole files.
 *
 * Input: the main file, optionally followed by more files, each introduced
 * by a line "#FILE NAME" (a comment to the loader when it is seen alone).
 * The files are written into a scratch directory (NAME may name a
 * subdirectory, "conf.d/a.conf"; names with "..", a leading "/" or other
 * characters than [A-Za-z0-9._/-] are dropped), then conf_load() reads
 * SCRATCH/vrrpd.conf, where "include conf.d/a.conf" (or a pattern) finds them.
 *
 * Includes never leave the scratch directory: this harness is linked with
 * -Wl,--wrap for the calls that open, stat or glob a path (see
 * FUZZ_CONF_WRAP in the Makefile) and, while conf_load() runs, maps every
 * path the loader asks for into SCRATCH as if it were the root directory
 * (".." stops at it; "/etc/x" is SCRATCH/etc/x). A glob pattern that could
 * climb out (".." or a name starting with "." matched by a wildcard) is
 * treated as matching nothing.
 *
 * Invariants: conf_load() returns a configuration exactly when it reported
 * no error; every message (error or warning) is "FILE:LINE:COL: TEXT" with
 * FILE one of the files written, 1 <= LINE <= its lines + 1 and
 * 1 <= COL <= that line's length + 1 (a position in it, or just after);
 * a loaded configuration's dump (vrrpd -t) is a configuration too: it
 * loads without an error and dumps again the same, comments aside; nothing
 * leaks (LSan).
 *
 * And a main file with a NUL byte outside a comment is refused.
 *
 * FUZZ_VERBOSE=1 in the environment prints what the loader said about each
 * input (paths relative to the scratch directory). */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "conf/conf.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FILES 8
#define NAME_MAX_ 48

static char scratch[PATH_MAX];
static size_t scratch_len;
static bool in_load; /* the jail is on */
static bool verbose; /* FUZZ_VERBOSE=1: print what the loader said */

/* The loader bounds one load at CONF_INCLUDE_FILES_MAX files (finding C4,
 * fixed; test_conf covers the bound). A fan-out of includes up to that
 * bound is legal but slow, so the harness fails every open after
 * MAX_OPENS in one load with EMFILE, to keep each run short. */
#define MAX_OPENS 256
static unsigned opens;

static bool fz_too_many_opens(void)
{
	if (!in_load || ++opens <= MAX_OPENS)
		return false;
	errno = EMFILE;
	return true;
}

struct file {
	char path[PATH_MAX]; /* SCRATCH/NAME */
	const char *text;
	size_t len;
	size_t *starts; /* see fz_file_lines() */
	size_t n_lines;
};
static struct file files[MAX_FILES + 1]; /* + the dump (fz_roundtrip) */
static size_t n_files;
static char dirs[MAX_FILES * 4][PATH_MAX]; /* made this run, removed after it */
static size_t n_dirs;

/* ---- the jail ---- */

/* Normalizes PATH (relative ones against the working directory) without
 * looking at the file system, and roots it in SCRATCH unless it is inside
 * already. Returns OUT. */
static const char *fz_jail(const char *path, char *out, size_t cap)
{
	char abs[2 * PATH_MAX], norm[2 * PATH_MAX];
	size_t n = 0;

	if (path[0] == '/') {
		snprintf(abs, sizeof(abs), "%s", path);
	} else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof(cwd)))
			snprintf(cwd, sizeof(cwd), "/");
		snprintf(abs, sizeof(abs), "%s/%s", cwd, path);
	}
	/* Component by component: "." and "" vanish, ".." pops. */
	norm[0] = '\0';
	for (char *save = NULL, *c = strtok_r(abs, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			while (n > 0 && norm[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			norm[n] = '\0';
			continue;
		}
		int k = snprintf(norm + n, sizeof(norm) - n, "/%s", c);
		if (k < 0 || (size_t)k >= sizeof(norm) - n)
			break;
		n += (size_t)k;
	}
	if (n == 0)
		snprintf(norm, sizeof(norm), "/");
	bool inside = !strncmp(norm, scratch, scratch_len) &&
		      (norm[scratch_len] == '/' || norm[scratch_len] == '\0');
	if (inside)
		snprintf(out, cap, "%s", norm);
	else
		snprintf(out, cap, "%s%s", scratch, norm);
	return out;
}

#define JAIL(p) (in_load && (p) ? fz_jail((p), jbuf, sizeof(jbuf)) : (p))

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...);
int __real_open64(const char *path, int flags, ...);
int __wrap_open64(const char *path, int flags, ...);
int __real_openat(int dirfd, const char *path, int flags, ...);
int __wrap_openat(int dirfd, const char *path, int flags, ...);
FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);
FILE *__real_fopen64(const char *path, const char *mode);
FILE *__wrap_fopen64(const char *path, const char *mode);
int __real_stat(const char *path, struct stat *st);
int __wrap_stat(const char *path, struct stat *st);
int __real_lstat(const char *path, struct stat *st);
int __wrap_lstat(const char *path, struct stat *st);
int __real_access(const char *path, int mode);
int __wrap_access(const char *path, int mode);
int __real_glob(const char *pat, int flags, int (*errfunc)(const char *, int), glob_t *g);
int __wrap_glob(const char *pat, int flags, int (*errfunc)(const char *, int), glob_t *g);
int __real_glob64(const char *pat, int flags, int (*errfunc)(const char *, int), glob_t *g);
int __wrap_glob64(const char *pat, int flags, int (*errfunc)(const char *, int), glob_t *g);

static mode_t fz_mode_arg(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

int __wrap_open(const char *path, int flags, ...)
{
	char jbuf[2 * PATH_MAX];
	va_list ap;

	va_start(ap, flags);
	mode_t m = fz_mode_arg(flags, ap);
	va_end(ap);
	if (fz_too_many_opens())
		return -1;
	int fd = __real_open(JAIL(path), flags, m);
	return fd;
}

int __wrap_open64(const char *path, int flags, ...)
{
	char jbuf[2 * PATH_MAX];
	va_list ap;

	va_start(ap, flags);
	mode_t m = fz_mode_arg(flags, ap);
	va_end(ap);
	if (fz_too_many_opens())
		return -1;
	int fd = __real_open64(JAIL(path), flags, m);
	return fd;
}

int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
	char jbuf[2 * PATH_MAX];
	va_list ap;

	va_start(ap, flags);
	mode_t m = fz_mode_arg(flags, ap);
	va_end(ap);
	if (in_load && path && path[0] != '/' && dirfd != AT_FDCWD) {
		errno = EACCES; /* relative to a directory we cannot vouch for */
		return -1;
	}
	if (fz_too_many_opens())
		return -1;
	int fd = __real_openat(dirfd, JAIL(path), flags, m);
	return fd;
}

FILE *__wrap_fopen(const char *path, const char *mode)
{
	char jbuf[2 * PATH_MAX];

	if (fz_too_many_opens())
		return NULL;
	FILE *f = __real_fopen(JAIL(path), mode);
	return f;
}

FILE *__wrap_fopen64(const char *path, const char *mode)
{
	char jbuf[2 * PATH_MAX];

	if (fz_too_many_opens())
		return NULL;
	FILE *f = __real_fopen64(JAIL(path), mode);
	return f;
}

int __wrap_stat(const char *path, struct stat *st)
{
	char jbuf[2 * PATH_MAX];

	return __real_stat(JAIL(path), st);
}

int __wrap_lstat(const char *path, struct stat *st)
{
	char jbuf[2 * PATH_MAX];

	return __real_lstat(JAIL(path), st);
}

int __wrap_access(const char *path, int mode)
{
	char jbuf[2 * PATH_MAX];

	return __real_access(JAIL(path), mode);
}

static bool fz_climbs(const char *pat)
{
	return strstr(pat, "..") || strstr(pat, "/.*") || strstr(pat, "/.?") ||
	       strstr(pat, "/.[") || strstr(pat, "{.") || strstr(pat, ",.");
}

int __wrap_glob(const char *pat, int flags, int (*errfunc)(const char *, int), glob_t *g)
{
	char jbuf[2 * PATH_MAX];

	if (in_load && pat && fz_climbs(pat)) {
		memset(g, 0, sizeof(*g));
		return GLOB_NOMATCH;
	}
	return __real_glob(JAIL(pat), flags, errfunc, g);
}

int __wrap_glob64(const char *pat, int flags, int (*errfunc)(const char *, int), glob_t *g)
{
	char jbuf[2 * PATH_MAX];

	if (in_load && pat && fz_climbs(pat)) {
		memset(g, 0, sizeof(*g));
		return GLOB_NOMATCH;
	}
	return __real_glob64(JAIL(pat), flags, errfunc, g);
}

/* ---- the scratch directory ---- */

static void fz_cleanup(void)
{
	for (size_t k = 0; k < n_files; k++) {
		unlink(files[k].path);
		free(files[k].starts);
		files[k].starts = NULL;
	}
	while (n_dirs > 0)
		rmdir(dirs[--n_dirs]);
	n_files = 0;
}

static void fz_remove_scratch(void)
{
	fz_cleanup();
	rmdir(scratch);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	struct stat st;

	(void)argc;
	(void)argv;
	verbose = getenv("FUZZ_VERBOSE") && atoi(getenv("FUZZ_VERBOSE")) > 0;
	if (!tmp || !*tmp)
		tmp = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
	snprintf(scratch, sizeof(scratch), "%s/vrrpd-fuzz-conf.XXXXXX", tmp);
	if (!mkdtemp(scratch)) {
		perror("fuzz_conf: mkdtemp");
		exit(1);
	}
	/* The jail compares normalized paths: normalize ours too. */
	char real[PATH_MAX];
	if (realpath(scratch, real))
		snprintf(scratch, sizeof(scratch), "%s", real);
	scratch_len = strlen(scratch);
	atexit(fz_remove_scratch);
	return 0;
}

static bool fz_name_ok(const char *n, size_t len)
{
	if (len == 0 || len > NAME_MAX_ || n[0] == '/' || n[len - 1] == '/')
		return false;
	for (size_t k = 0; k < len; k++) {
		char c = n[k];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-' || c == '/'))
			return false;
		if (c == '.' && k + 1 < len && n[k + 1] == '.')
			return false;
		if (c == '/' && k + 1 < len && n[k + 1] == '/')
			return false;
	}
	return true;
}

/* Creates the directories on the way to PATH (inside SCRATCH). */
static void fz_make_dirs(const char *path)
{
	char d[PATH_MAX];

	snprintf(d, sizeof(d), "%s", path);
	for (char *p = d + scratch_len + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(d, 0755) == 0 && n_dirs < sizeof(dirs) / sizeof(dirs[0]))
			snprintf(dirs[n_dirs++], sizeof(dirs[0]), "%s", d);
		*p = '/';
	}
}

static bool fz_write_file(const struct file *f)
{
	int fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	size_t off = 0;

	if (fd < 0)
		return false;
	while (off < f->len) {
		ssize_t w = write(fd, f->text + off, f->len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd);
	return off == f->len;
}

static void fz_add_file(const char *name, size_t name_len, const char *text, size_t len)
{
	struct file *f = &files[n_files];

	if (n_files == MAX_FILES || (n_files > 0 && !fz_name_ok(name, name_len)))
		return;
	char raw[PATH_MAX];
	snprintf(raw, sizeof(raw), "%s/%.*s", scratch, (int)name_len, name);
	fz_jail(raw, f->path, sizeof(f->path)); /* "./a.conf" is a.conf, as messages name it */
	f->text = text;
	f->len = len;
	for (size_t k = 0; k < n_files; k++)
		if (!strcmp(files[k].path, f->path))
			return; /* the first one wins */
	fz_make_dirs(f->path);
	if (fz_write_file(f))
		n_files++;
	else
		unlink(f->path); /* e.g. NAME is a directory made for another file */
}

/* Splits the input at "#FILE NAME" lines. */
static void fz_split(const char *data, size_t size)
{
	static const char mark[] = "#FILE ";
	const size_t ml = sizeof(mark) - 1;
	const char *end = data + size, *from = data, *start = data;
	const char *name = "vrrpd.conf";
	size_t name_len = strlen(name);

	for (;;) {
		const char *m = NULL;
		for (const char *q = from; q < end;) {
			if ((size_t)(end - q) >= ml && !memcmp(q, mark, ml)) {
				m = q;
				break;
			}
			const char *nl = memchr(q, '\n', (size_t)(end - q));
			if (!nl)
				break;
			q = nl + 1;
		}
		fz_add_file(name, name_len, start, (size_t)((m ? m : end) - start));
		if (!m)
			return;
		name = m + ml;
		const char *eol = memchr(name, '\n', (size_t)(end - name));
		name_len = (size_t)((eol ? eol : end) - name);
		start = from = eol ? eol + 1 : end;
	}
}

/* ---- the invariant ---- */

/* Where F's lines start (offsets into F->text; one more for the end),
 * made once per run for the files messages name. */
static void fz_file_lines(struct file *f)
{
	size_t n = 2;

	if (f->starts)
		return;
	for (size_t k = 0; k < f->len; k++)
		n += f->text[k] == '\n';
	f->starts = malloc(n * sizeof(*f->starts));
	if (!f->starts)
		abort();
	f->n_lines = 0;
	f->starts[f->n_lines++] = 0;
	for (size_t k = 0; k < f->len; k++)
		if (f->text[k] == '\n')
			f->starts[f->n_lines++] = k + 1;
	f->starts[f->n_lines] = f->len + 1; /* as if a newline followed */
}

static void fz_check_msg(const char *msg)
{
	char jbuf[2 * PATH_MAX], name[PATH_MAX];
	const char *colon = NULL;

	/* FILE may hold ':' itself only if we wrote one: we never do. */
	colon = strchr(msg, ':');
	if (!colon || colon == msg || (size_t)(colon - msg) >= sizeof(name)) {
		fprintf(stderr, "fuzz_conf: message without a file: %s\n", msg);
		abort();
	}
	memcpy(name, msg, (size_t)(colon - msg));
	name[colon - msg] = '\0';
	char *e1, *e2;
	long line = strtol(colon + 1, &e1, 10);
	if (e1 == colon + 1 || *e1 != ':') {
		fprintf(stderr, "fuzz_conf: message without a line: %s\n", msg);
		abort();
	}
	long col = strtol(e1 + 1, &e2, 10);
	if (e2 == e1 + 1 || e2[0] != ':' || e2[1] != ' ') {
		fprintf(stderr, "fuzz_conf: message without a column: %s\n", msg);
		abort();
	}
	in_load = true;
	fz_jail(name, jbuf, sizeof(jbuf));
	in_load = false;
	struct file *f = NULL;
	for (size_t k = 0; k < n_files && !f; k++)
		if (!strcmp(files[k].path, jbuf))
			f = &files[k];
	if (!f) {
		fprintf(stderr, "fuzz_conf: message names a file not written: %s\n", msg);
		abort();
	}
	fz_file_lines(f);
	long lines = (long)f->n_lines, len = -1;
	if (line >= 1 && line <= lines)
		len = (long)(f->starts[line] - f->starts[line - 1]) - 1;
	if (line < 1 || line > lines || col < 1 || col > len + 1) {
		fprintf(stderr,
			"fuzz_conf: position %ld:%ld outside the file (%ld lines, that one %ld "
			"bytes): %s\n",
			line, col, lines, len, msg);
		abort();
	}
}

/* conf_dump() into a string (malloc'd). */
static char *fz_dump(const struct config *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (!out)
		abort();
	conf_dump(c, out);
	fclose(out);
	return buf;
}

/* TEXT without its comments (from an unquoted '#' or '!' to the end of the
 * line, quotes with \" and \\ escapes as the lexer reads them): they name
 * the files the blocks came from. */
static void fz_strip_comments(char *text)
{
	char *o = text;
	bool inq = false, comment = false;

	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			comment = inq = false;
		} else if (comment) {
			continue;
		} else if (inq && *p == '\\' && (p[1] == '"' || p[1] == '\\')) {
			*o++ = *p++;
		} else if (*p == '"') {
			inq = !inq;
		} else if (!inq && (*p == '#' || *p == '!')) {
			comment = true;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
}

/* The dump is a configuration: it loads without an error, and dumps again
 * the same (comments aside). */
static void fz_roundtrip(const struct config *c)
{
	char *one = fz_dump(c);
	struct file *f = &files[n_files];
	struct conf_msgs m2;

	/* A name no input file can have ('@' is not allowed in them). */
	snprintf(f->path, sizeof(f->path), "%s/@dump.conf", scratch);
	f->text = one;
	f->len = strlen(one);
	f->starts = NULL;
	if (!fz_write_file(f))
		abort();
	n_files++; /* removed by fz_cleanup() */
	in_load = true;
	opens = 0;
	struct config *c2 = conf_load(f->path, &m2);
	in_load = false;
	if (!c2) {
		fprintf(stderr, "fuzz_conf: the dump does not load:\n");
		for (size_t k = 0; k < m2.n; k++)
			fprintf(stderr, "  %s\n", m2.v[k]);
		fprintf(stderr, "the dump:\n%s", one);
		abort();
	}
	char *two = fz_dump(c2);
	fz_strip_comments(one);
	fz_strip_comments(two);
	if (strcmp(one, two) != 0) {
		fprintf(stderr,
			"fuzz_conf: the dump of the dump differs:\n--- first\n%s--- second\n%s",
			one, two);
		abort();
	}
	free(one);
	free(two);
	conf_free(c2);
	conf_msgs_free(&m2);
}

/* Where the main file has a NUL byte the lexer reads (not in a comment):
 * returns 0 for none, 1 when all of them are inside a quoted string, 2
 * when one is outside. Quotes and comments as the lexer has them (the
 * preprocessor removes comments with the same rules, from every line,
 * also those an @ID drops): '"' and '\'' open a quote anywhere outside
 * one, the same character closes it, and inside it a backslash before it
 * or before a backslash escapes; a newline ends a quote; '#' and '!'
 * outside quotes start a comment. */
static int fz_nul_kind(const struct file *f)
{
	bool comment = false;
	char q = 0;
	int kind = 0;

	for (size_t k = 0; k < f->len; k++) {
		char c = f->text[k];
		if (c == '\n') {
			q = 0;
			comment = false;
		} else if (comment) {
			continue;
		} else if (c == '\0') {
			if (!q)
				return 2;
			kind = 1;
		} else if (q && c == '\\' && k + 1 < f->len &&
			   (f->text[k + 1] == q || f->text[k + 1] == '\\')) {
			k++;
		} else if (q && c == q) {
			q = 0;
		} else if (!q && (c == '"' || c == '\'')) {
			q = c;
		} else if (!q && (c == '#' || c == '!')) {
			comment = true;
		}
	}
	return kind;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_msgs m;
	struct config *c;

	fz_split((const char *)data, size);
	if (n_files == 0) {
		fz_cleanup();
		return 0;
	}
	in_load = true;
	opens = 0;
	c = conf_load(files[0].path, &m);
	in_load = false;

	if (verbose) {
		fprintf(stderr, "fuzz_conf: %s, %d errors, %d warnings\n", c ? "loaded" : "refused",
			m.errors, m.warnings);
		for (size_t k = 0; k < m.n; k++)
			fprintf(stderr, "  %s\n",
				strncmp(m.v[k], scratch, scratch_len) ? m.v[k]
								      : m.v[k] + scratch_len + 1);
	}
	if ((c != NULL) != (m.errors == 0)) {
		fprintf(stderr, "fuzz_conf: %s with %d errors\n", c ? "loaded" : "refused",
			m.errors);
		abort();
	}
	if ((size_t)m.errors + (size_t)m.warnings != m.n) {
		fprintf(stderr, "fuzz_conf: %d errors + %d warnings but %zu messages\n", m.errors,
			m.warnings, m.n);
		abort();
	}
	for (size_t k = 0; k < m.n; k++)
		fz_check_msg(m.v[k]);
	/* A NUL byte is an error (lex.c: "unexpected NUL byte"), wherever it
	 * is read. */
	int nul = fz_nul_kind(&files[0]);
	if (c && nul) {
		fprintf(stderr, "fuzz_conf: a file with a NUL byte loaded without an error\n");
		abort();
	}
	if (c) {
		for (size_t k = 0; k < c->n_inst; k++)
			if (conf_find(c, c->inst[k].name) == NULL)
				abort();
		fz_roundtrip(c);
		conf_free(c);
	}
	conf_msgs_free(&m);
	fz_cleanup();
	return 0;
}
