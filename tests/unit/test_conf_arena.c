/* Unit tests for src/conf/arena.c: the arena allocator itself, and a
 * configuration loaded into an arena by a forked child (as a reload does)
 * being the same, read from the parent, as one loaded with malloc. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf/arena.h"
#include "conf/conf.h"
#include "conf/diff.h"

#define CORPUS "tests/conf"

/* ---- the allocator ---- */

static void test_alloc(void **state)
{
	(void)state;
	struct conf_arena *a = conf_arena_new(1 << 16);
	assert_non_null(a);
	assert_int_equal(a->cap, 1 << 16);
	assert_int_equal(conf_arena_open(a), 0);
	unsigned char *p = conf_arena_alloc(a, 3), *q = conf_arena_alloc(a, 100);
	assert_non_null(p);
	assert_non_null(q);
	assert_int_equal((uintptr_t)p % 16, 0);
	assert_int_equal((uintptr_t)q % 16, 0);
	assert_true(q >= p + 3);
	for (int i = 0; i < 100; i++)
		assert_int_equal(q[i], 0);
	assert_true(conf_arena_owns(a, p));
	assert_true(conf_arena_owns(a, q + 99));
	assert_false(conf_arena_owns(a, a));			  /* the header is no block */
	assert_false(conf_arena_owns(a, (char *)a + a->cap - 1)); /* not handed out */
	int on_stack;
	assert_false(conf_arena_owns(a, &on_stack));
	assert_false(conf_arena_owns(NULL, p));
	/* it never grows: what does not fit is NULL, and the arena is intact */
	size_t used = a->used;
	assert_null(conf_arena_alloc(a, 1 << 16));
	assert_null(conf_arena_alloc(a, SIZE_MAX - 8));
	assert_int_equal(a->used, used);
	conf_arena_free(a);
}

/* Whether the kernel can read P (write(2) says EFAULT when not). */
static bool readable(const void *p)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	bool ok = write(fds[1], p, 1) == 1;
	close(fds[0]);
	close(fds[1]);
	return ok;
}

/* Until opened, only the header can be touched. */
static void test_closed(void **state)
{
	(void)state;
	struct conf_arena *a = conf_arena_new(1 << 20);
	assert_non_null(a);
	a->errors = 7; /* the header: writable */
	assert_true(readable(a));
	assert_false(readable((char *)a + a->cap / 2));
	assert_int_equal(conf_arena_open(a), 0);
	assert_true(readable((char *)a + a->cap / 2));
	assert_int_equal(a->errors, 7);
	conf_arena_free(a);
}

static long rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

/* Under mlockall (vrrp_no_swap), a 256 MiB arena costs only what is
 * written in it: mapping, opening and writing a page stay far below. */
static void test_locked(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
			_exit(77);
		long before = rss_kb();
		struct conf_arena *a = conf_arena_new(256u << 20);
		if (!a || conf_arena_open(a) < 0)
			_exit(2);
		*(char *)conf_arena_alloc(a, 100) = 1;
		long after = rss_kb();
		_exit(before > 0 && after - before < 4096 ? 0 : 3);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77) {
		fprintf(stderr,
			"    (mlockall not allowed here: the locked case is not checked)\n");
		return;
	}
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_x_functions(void **state)
{
	(void)state;
	struct conf_arena *a = conf_arena_new(1 << 20);
	assert_non_null(a);
	assert_null(conf_arena_use(a));
	char *s = conf_xstrdup("hello");
	assert_true(conf_arena_owns(a, s));
	assert_string_equal(s, "hello");
	/* the last block grows in place, and the new bytes are zero */
	int *v = conf_xcalloc(4, sizeof(*v));
	for (int i = 0; i < 4; i++)
		v[i] = i + 1;
	int *w = conf_xrealloc(v, 1000, sizeof(*v));
	assert_ptr_equal(w, v);
	for (int i = 0; i < 4; i++)
		assert_int_equal(w[i], i + 1);
	for (int i = 4; i < 1000; i++)
		assert_int_equal(w[i], 0);
	/* a block that is not the last moves, with its contents */
	char *t = conf_xstrdup("x");
	int *m = conf_xrealloc(w, 2000, sizeof(*w));
	assert_ptr_not_equal(m, w);
	assert_true(conf_arena_owns(a, m));
	for (int i = 0; i < 4; i++)
		assert_int_equal(m[i], i + 1);
	assert_int_equal(m[999], 0);
	assert_string_equal(t, "x");
	/* freeing the last block gives it back, zeroed; an earlier one stays */
	size_t used = a->used;
	char *last = conf_xcalloc(64, 1);
	memset(last, 0xab, 64);
	conf_xfree(last);
	assert_int_equal(a->used, used);
	char *again = conf_xcalloc(64, 1);
	assert_ptr_equal(again, last);
	for (int i = 0; i < 64; i++)
		assert_int_equal(again[i], 0);
	conf_xfree(s);
	assert_string_equal(s, "hello");
	/* a malloc'd block given to realloc with the arena in use moves in */
	conf_arena_use(NULL);
	char *h = conf_xstrdup("from the heap");
	assert_false(conf_arena_owns(a, h));
	conf_arena_use(a);
	char *moved = conf_xrealloc(h, 64, 1);
	assert_true(conf_arena_owns(a, moved));
	assert_string_equal(moved, "from the heap");
	assert_ptr_equal(conf_arena_use(NULL), a);
	/* without an arena: malloc and free */
	char *plain = conf_xstrdup("plain");
	assert_false(conf_arena_owns(a, plain));
	conf_xfree(plain);
	conf_arena_free(a);
}

/* ---- a config loaded in a child ---- */

static char *dump(const struct config *c, const struct conf_msgs *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	fprintf(f, "errors %d warnings %d\n", m->errors, m->warnings);
	for (size_t k = 0; k < m->n; k++)
		fprintf(f, "msg %s\n", m->v[k]);
	if (c) {
		conf_dump(c, f);
		conf_summary(c, f);
	}
	fclose(f);
	return text;
}

/* The parsed form of a command line: what dump does not show. */
static void same_cmd(const struct conf_cmd *x, const struct conf_cmd *y)
{
	assert_int_equal(!x->line, !y->line);
	if (!x->line)
		return;
	assert_string_equal(x->line, y->line);
	assert_int_equal(x->sc.argc, y->sc.argc);
	assert_int_equal(x->sc.nwords, y->sc.nwords);
	assert_int_equal(x->sc.shell, y->sc.shell);
	for (size_t k = 0; k < x->sc.argc; k++)
		assert_string_equal(x->sc.argv[k], y->sc.argv[k]);
	assert_null(y->sc.argv[y->sc.argc]);
	for (size_t k = 0; k < x->sc.nwords; k++)
		assert_string_equal(x->sc.words[k], y->sc.words[k]);
}

static void same_notify(const struct conf_notify *x, const struct conf_notify *y)
{
	same_cmd(&x->master, &y->master);
	same_cmd(&x->backup, &y->backup);
	same_cmd(&x->fault, &y->fault);
	same_cmd(&x->stop, &y->stop);
	same_cmd(&x->any, &y->any);
	same_cmd(&x->master_rx_lower, &y->master_rx_lower);
	same_cmd(&x->conflict, &y->conflict);
	same_cmd(&x->fence, &y->fence);
	same_cmd(&x->del, &y->del);
}

/* Loads PATH with malloc here, and into an arena in a child; compares
 * what the parent reads of the child's config with its own. Returns
 * whether the file was good. */
static bool compare_one(const char *path)
{
	struct conf_msgs m;
	struct config *c = conf_load(path, &m);
	char *want = dump(c, &m);
	struct conf_arena *a = conf_arena_new(64u << 20);
	assert_non_null(a);

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(conf_arena_load(a, path, NULL) == 0 ? 0 : 1);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), c ? 0 : 1);
	assert_int_equal(conf_arena_open(a), 0); /* as the parent does */
	struct conf_msgs am = {
	    .v = a->msgs, .n = a->n_msgs, .errors = a->errors, .warnings = a->warnings};
	struct config *ac = a->result;
	char *got = dump(ac, &am);
	if (strcmp(want, got))
		fprintf(stderr, "    %s differs:\n--- malloc\n%s\n--- arena\n%s\n", path, want,
			got);
	assert_string_equal(want, got);
	for (size_t k = 0; k < am.n; k++)
		assert_true(conf_arena_owns(a, am.v[k]));
	if (c) {
		assert_non_null(ac);
		assert_true(conf_arena_owns(a, ac));
		assert_int_equal(c->n_inst, ac->n_inst);
		for (size_t i = 0; i < c->n_inst; i++)
			same_notify(&c->inst[i].notify, &ac->inst[i].notify);
		for (size_t i = 0; i < c->n_groups; i++)
			same_notify(&c->groups[i].notify, &ac->groups[i].notify);
		for (size_t i = 0; i < c->n_scripts; i++)
			same_cmd(&c->scripts[i].cmd, &ac->scripts[i].cmd);
		/* as a reload would: nothing changed */
		struct conf_diff plan;
		assert_int_equal(conf_diff(c, ac, &plan), 0);
		for (size_t i = 0; i < plan.n; i++)
			assert_int_equal(plan.v[i].op, CONF_DIFF_KEEP);
		conf_diff_free(&plan);
		ac->arena = a; /* conf_free unmaps it */
		conf_free(ac);
	} else {
		assert_null(ac);
		conf_arena_free(a);
	}
	free(want);
	free(got);
	conf_free(c);
	conf_msgs_free(&m);
	return c != NULL;
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Every file of the conf corpus (good and bad ones). */
static void test_corpus(void **state)
{
	(void)state;
	DIR *dir = opendir(CORPUS);
	if (!dir)
		fail_msg("cannot open %s (run from the repository's root)", CORPUS);
	char *names[512];
	size_t n = 0;
	for (struct dirent *e; (e = readdir(dir)) && n < 512;) {
		size_t l = strlen(e->d_name);
		if (l > 5 && !strcmp(e->d_name + l - 5, ".conf"))
			names[n++] = strdup(e->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), by_name);
	unsigned good = 0, bad = 0;
	for (size_t k = 0; k < n; k++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", CORPUS, names[k]);
		if (compare_one(path))
			good++;
		else
			bad++;
		free(names[k]);
	}
	/* the corpus has both kinds: both paths were compared */
	assert_true(good >= 10);
	assert_true(bad >= 10);
}

/* A file with what the corpus may lack: scripts with arguments, notify
 * commands, a tracked process with parameters, a sync group, statics. */
static void test_rich(void **state)
{
	(void)state;
	char path[] = "/tmp/vrrpd-test-arena-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("global_defs {\n router_id R1\n notification_email {\n  a@example.com\n "
	      "b@example.com\n }\n notify_fifo /tmp/vrrpd-fifo\n}\n"
	      "static_ipaddress {\n 192.0.2.200/24 dev eth0\n}\n"
	      "vrrp_script chk {\n script \"/bin/echo 'one two' three\"\n interval 1\n}\n"
	      "vrrp_track_process proc {\n process sshd -D -x\n}\n"
	      "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 100\n"
	      " notify_master \"/bin/echo master $HOME\"\n notify \"/bin/true\"\n"
	      " track_script {\n  chk\n }\n track_process {\n  proc\n }\n"
	      " virtual_ipaddress {\n  192.0.2.100/24\n  192.0.2.101/24\n }\n}\n"
	      "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 52\n priority 100\n"
	      " virtual_ipaddress {\n  192.0.2.102/24\n }\n}\n"
	      "vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n notify_backup /bin/true\n}\n",
	      f);
	fclose(f);
	assert_true(compare_one(path));
	unlink(path);
}

/* Writes TEXT to a temporary file; its name in PATH (a mkstemp template). */
static void write_conf(char *path, const char *text)
{
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#define INST(name, vrid, prio, vips)                                                               \
	"vrrp_instance " name " {\n interface eth0\n virtual_router_id " vrid "\n priority " prio  \
	"\n virtual_ipaddress {\n" vips " }\n}\n"

/* The reload child's plan: made in the arena from the running config as
 * the fork left it, the same as the parent's own diff, and forgotten (not
 * freed) by conf_diff_free; when the arena is full, no plan. */
static void test_diff_in_child(void **state)
{
	(void)state;
	char po[] = "/tmp/vrrpd-test-arena-XXXXXX", pn[] = "/tmp/vrrpd-test-arena-XXXXXX";
	write_conf(po, INST("VI_1", "1", "100", "  192.0.2.1/24\n")
			   INST("VI_2", "2", "100", "  192.0.2.2/24\n  192.0.2.3/24\n")
			       INST("VI_4", "4", "100", "  192.0.2.4/24\n"));
	write_conf(pn, INST("VI_1", "1", "100", "  192.0.2.1/24\n")
			   INST("VI_2", "2", "150", "  192.0.2.3/24\n  192.0.2.5/24\n")
			       INST("VI_3", "3", "100", "  192.0.2.6/24\n"));
	struct conf_msgs m, m2;
	struct config *old = conf_load(po, &m), *new = conf_load(pn, &m2);
	assert_non_null(old);
	assert_non_null(new);
	struct conf_diff want;
	assert_int_equal(conf_diff(old, new, &want), 0);
	assert_null(want.arena);
	struct conf_arena *a = conf_arena_new(64u << 20);
	assert_non_null(a);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(conf_arena_load(a, pn, NULL) == 0 && conf_diff_arena(a, old) == 0 ? 0 : 1);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(conf_arena_open(a), 0);
	assert_ptr_equal(a->base, old);
	struct conf_diff *got = a->plan;
	assert_non_null(got);
	assert_true(conf_arena_owns(a, got));
	assert_true(conf_arena_owns(a, got->v));
	assert_ptr_equal(got->arena, a);
	assert_int_equal(got->n, want.n);
	assert_memory_equal(got->n_op, want.n_op, sizeof(want.n_op));
	for (size_t i = 0; i < want.n; i++) {
		const struct conf_diff_inst *g = &got->v[i], *w = &want.v[i];
		assert_int_equal(g->op, w->op);
		assert_int_equal(!g->old, !w->old);
		if (g->old) /* into OLD: the same addresses in parent and child */
			assert_ptr_equal(g->old, w->old);
		if (g->new)
			assert_true(conf_arena_owns(a, g->new));
		assert_int_equal(g->n_vip_add, w->n_vip_add);
		assert_int_equal(g->n_vip_del, w->n_vip_del);
		for (size_t k = 0; k < w->n_vip_add; k++)
			assert_int_equal(g->vip_add[k], w->vip_add[k]);
		for (size_t k = 0; k < w->n_vip_del; k++)
			assert_int_equal(g->vip_del[k], w->vip_del[k]);
	}
	assert_int_equal(want.n_op[CONF_DIFF_UPDATE], 1);
	assert_int_equal(want.n_op[CONF_DIFF_ADD], 1);
	assert_int_equal(want.n_op[CONF_DIFF_REMOVE], 1);
	struct conf_diff copy = *got;
	conf_diff_free(&copy); /* the arena's: forgotten, not freed (ASan says so) */
	assert_null(copy.v);
	/* a full arena: no plan, and nothing aborts */
	a->plan = NULL;
	a->base = NULL;
	assert_non_null(conf_arena_alloc(a, a->cap - a->used - 64));
	assert_int_equal(conf_diff_arena(a, old), -1);
	assert_null(a->plan);
	assert_null(a->base);
	assert_null(conf_arena_use(NULL)); /* it switched back */
	a->result->arena = a;
	conf_free(a->result);
	conf_diff_free(&want);
	conf_free(old);
	conf_free(new);
	conf_msgs_free(&m);
	conf_msgs_free(&m2);
	unlink(po);
	unlink(pn);
}

/* conf_free_some: a config freed in shares, malloc'd (ASan's leak check
 * sees anything left) and in an arena (gone from the end, header last). */
static void test_free_some(void **state)
{
	(void)state;
	char path[] = "/tmp/vrrpd-test-arena-XXXXXX";
	write_conf(path, INST("VI_1", "1", "100", "  192.0.2.1/24\n")
			     INST("VI_2", "2", "100", "  192.0.2.2/24\n")
				 INST("VI_3", "3", "100", "  192.0.2.3/24\n"));
	struct conf_msgs m;
	struct config *c = conf_load(path, &m);
	assert_non_null(c);
	conf_msgs_free(&m);
	size_t at = 0, calls = 0;
	while (!conf_free_some(c, &at, 1))
		calls++;
	assert_int_equal(calls, 2); /* one instance each, the rest with the third */
	struct conf_arena *a = conf_arena_new(4u << 20);
	assert_non_null(a);
	assert_int_equal(conf_arena_load(a, path, NULL), 0); /* here: the same */
	c = a->result;
	c->arena = a;
	assert_true(conf_arena_owns(a, c));
	size_t used = a->used;
	char *tail = (char *)a + a->cap - 1, *mid = (char *)a + used - 1;
	at = 0;
	assert_false(conf_free_some(c, &at, 1)); /* TLS, and the untouched tail */
	assert_false(readable(tail));
	assert_true(readable(a));
	calls = 0;
	while (!conf_free_some(c, &at, 1)) {
		assert_true(readable(a)); /* the header goes last */
		calls++;
	}
	assert_true(calls + 1 >= used / (16u << 10));
	assert_false(readable(a));
	assert_false(readable(mid));
	assert_null(conf_arena_use(NULL));
	unlink(path);
}

/* How many pages of [P, P + LEN) are mapped in this process's page tables
 * (/proc/self/pagemap, bit 63), without touching them: a count of faults
 * would also count those of anything else the process does meanwhile
 * (the sanitizers' shadow pages did, on a busy host). -1 when unreadable. */
static long present_pages(const char *p, size_t len)
{
	const long ps = sysconf(_SC_PAGESIZE);
	uint64_t e;
	long n = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	for (uintptr_t v = (uintptr_t)p; v < (uintptr_t)p + len; v += (uintptr_t)ps) {
		if (pread(fd, &e, sizeof(e), (off_t)(v / (uintptr_t)ps * sizeof(e))) != sizeof(e)) {
			close(fd);
			return -1;
		}
		n += (e >> 63) & 1;
	}
	close(fd);
	return n;
}

/* Reads one byte of every page of [P, P + LEN). */
static unsigned touch(const char *p, size_t len)
{
	unsigned sum = 0;

	for (size_t k = 0; k < len; k += 4096)
		sum += ((const volatile char *)p)[k];
	return sum;
}

/* What a child wrote: 64 pages. Read as it is, each page faults; after
 * conf_arena_prefault (in shares), none does. */
static void test_prefault(void **state)
{
	(void)state;
	size_t at = 0;
	assert_true(conf_arena_prefault(NULL, &at, 1));
	for (int pass = 0; pass < 2; pass++) {
		struct conf_arena *a = conf_arena_new(1u << 20);
		assert_non_null(a);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			conf_arena_open(a);
			memset(conf_arena_alloc(a, 64 * 4096), 1, 64 * 4096);
			_exit(0);
		}
		assert_int_equal(waitpid(pid, NULL, 0), pid);
		assert_int_equal(conf_arena_open(a), 0);
		size_t used = a->used, calls = 0;
		at = 0;
		if (pass == 1) {
			while (!conf_arena_prefault(a, &at, 16 * 4096))
				calls++;
			if (at < used) {
				fprintf(stderr, "    (no MADV_POPULATE_READ here: not checked)\n");
				conf_arena_free(a);
				return;
			}
			assert_true(calls >= 3); /* 65 pages, 16 a call */
			assert_true(conf_arena_prefault(a, &at, 16 * 4096)); /* done stays done */
		}
		long present = present_pages((char *)a + 4096, used - 4096);
		if (present < 0) {
			fprintf(stderr, "    (no /proc/self/pagemap here: not checked)\n");
			conf_arena_free(a);
			return;
		}
		if (pass == 0) /* the child wrote them: not in our page tables yet */
			assert_true(present < 64);
		else /* prefaulted: all of them, before any touch */
			assert_int_equal(present, 64);
		assert_int_equal(touch((char *)a + 4096, used - 4096), 64);
		assert_int_equal(present_pages((char *)a + 4096, used - 4096), 64);
		conf_arena_free(a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alloc),	  cmocka_unit_test(test_closed),
	    cmocka_unit_test(test_locked),	  cmocka_unit_test(test_x_functions),
	    cmocka_unit_test(test_rich),	  cmocka_unit_test(test_corpus),
	    cmocka_unit_test(test_diff_in_child), cmocka_unit_test(test_free_some),
	    cmocka_unit_test(test_prefault),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
