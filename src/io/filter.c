/* filter: vrrpd's nftables table for Accept_Mode.
 *
 * libnftables is loaded with dlopen when a filter is needed and unloaded
 * when it is no longer: with its libraries (libnftnl, libxtables,
 * libjansson, libgmp) it is over 1 MB of every vrrpd's resident memory,
 * and only Accept_Mode off (no_accept, vrrp_strict) uses it. */
#include "io/filter.h"

#include <dlfcn.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/log.h"

#define FILTER_TABLE "inet vrrpd"
#define FILTER_LIB   "libnftables.so.1"

/* The libnftables functions we call, from the loaded library. */
static struct {
	void *h;
	unsigned users; /* filters (and filter_clear_stale) holding it */
	__typeof__(nft_ctx_new) *ctx_new;
	__typeof__(nft_ctx_free) *ctx_free;
	__typeof__(nft_ctx_buffer_output) *buffer_output;
	__typeof__(nft_ctx_buffer_error) *buffer_error;
	__typeof__(nft_ctx_get_output_buffer) *get_output;
	__typeof__(nft_ctx_get_error_buffer) *get_error;
	__typeof__(nft_run_cmd_from_buffer) *run;
} nft;

static void *filter_sym(const char *name, bool *ok)
{
	void *p = dlsym(nft.h, name);

	if (!p)
		*ok = false;
	return p;
}

/* Loads libnftables (once for all users); false when it cannot be. */
static bool filter_lib_get(void)
{
	bool ok = true;

	if (nft.users) {
		nft.users++;
		return true;
	}
	if (!(nft.h = dlopen(FILTER_LIB, RTLD_NOW | RTLD_LOCAL))) {
		log_errx("nftables: cannot load %s: %s", FILTER_LIB, dlerror());
		return false;
	}
	nft.ctx_new = (__typeof__(nft.ctx_new))filter_sym("nft_ctx_new", &ok);
	nft.ctx_free = (__typeof__(nft.ctx_free))filter_sym("nft_ctx_free", &ok);
	nft.buffer_output = (__typeof__(nft.buffer_output))filter_sym("nft_ctx_buffer_output", &ok);
	nft.buffer_error = (__typeof__(nft.buffer_error))filter_sym("nft_ctx_buffer_error", &ok);
	nft.get_output = (__typeof__(nft.get_output))filter_sym("nft_ctx_get_output_buffer", &ok);
	nft.get_error = (__typeof__(nft.get_error))filter_sym("nft_ctx_get_error_buffer", &ok);
	nft.run = (__typeof__(nft.run))filter_sym("nft_run_cmd_from_buffer", &ok);
	if (!ok) {
		log_errx("nftables: %s lacks a function vrrpd calls", FILTER_LIB);
		dlclose(nft.h);
		nft.h = NULL;
		return false;
	}
	nft.users = 1;
	return true;
}

static void filter_lib_put(void)
{
	if (nft.users && !--nft.users) {
		dlclose(nft.h);
		nft.h = NULL;
	}
}

/* A libnftables context with buffered output and errors, or NULL (the
 * library is then not held). */
static struct nft_ctx *filter_ctx_new(void)
{
	struct nft_ctx *c;

	if (!filter_lib_get())
		return NULL;
	if (!(c = nft.ctx_new(NFT_CTX_DEFAULT))) {
		filter_lib_put();
		return NULL;
	}
	nft.buffer_output(c);
	nft.buffer_error(c);
	return c;
}

static void filter_ctx_free(struct nft_ctx *c)
{
	nft.ctx_free(c);
	filter_lib_put();
}

struct filter {
	struct nft_ctx *nft;
	char *cmd; /* the queued transaction */
	size_t len, cap;
	unsigned n;
};

static int filter_run(struct filter *f, const char *cmd, bool quiet)
{
	if (nft.run(f->nft, cmd) == 0)
		return 0;
	if (!quiet) {
		const char *e = nft.get_error(f->nft);
		char line[256];
		snprintf(line, sizeof(line), "%s", e ? e : "?");
		line[strcspn(line, "\n")] = '\0';
		log_errx("nftables: %s", line);
	}
	return -1;
}

/* Is our table there? Listing the tables is cheap; deleting a table that
 * is not there costs libnftables 10-20 ms. */
static bool filter_exists(struct filter *f)
{
	const char *out;

	if (filter_run(f, "list tables inet", true) < 0)
		return false;
	out = nft.get_output(f->nft);
	return out && strstr(out, "table " FILTER_TABLE "\n");
}

static void filter_remove_stale(struct filter *f)
{
	if (filter_exists(f) && filter_run(f, "delete table " FILTER_TABLE, false) == 0)
		log_warnx("nftables: removed table %s left by an earlier run", FILTER_TABLE);
}

struct filter *filter_open(void)
{
	static const char table[] =
	    "add table " FILTER_TABLE "\n"
	    "add set " FILTER_TABLE " vips4 { type ipv4_addr; }\n"
	    "add set " FILTER_TABLE " vips6 { type ipv6_addr; }\n"
	    "add chain " FILTER_TABLE
	    " in { type filter hook input priority -10; policy accept; }\n"
	    "add rule " FILTER_TABLE " in ip daddr @vips4 counter drop\n"
	    "add rule " FILTER_TABLE " in ip6 daddr @vips6 icmpv6 type { nd-neighbor-solicit, "
	    "nd-neighbor-advert } accept\n"
	    "add rule " FILTER_TABLE " in ip6 daddr @vips6 counter drop\n";
	struct filter *f = calloc(1, sizeof(*f));

	if (!f || !(f->nft = filter_ctx_new())) {
		log_errx("nftables: cannot start libnftables");
		free(f);
		return NULL;
	}
	filter_remove_stale(f);
	if (filter_run(f, table, false) < 0) {
		filter_ctx_free(f->nft);
		free(f);
		return NULL;
	}
	return f;
}

void filter_close(struct filter *f)
{
	if (!f)
		return;
	filter_run(f, "delete table " FILTER_TABLE, false);
	filter_ctx_free(f->nft);
	free(f->cmd);
	free(f);
}

int filter_queue(struct filter *f, bool add, const struct vaddr *vip)
{
	char a[ADDR_STRLEN], line[128];
	int n = snprintf(line, sizeof(line), "%s element " FILTER_TABLE " %s { %s }\n",
			 add ? "add" : "delete", vip->family == AF_INET ? "vips4" : "vips6",
			 addr_str(vip, a));

	if (n < 0 || (size_t)n >= sizeof(line))
		return -1;
	if (f->len + (size_t)n + 1 > f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 4096;
		while (cap < f->len + (size_t)n + 1)
			cap *= 2;
		char *p = realloc(f->cmd, cap);
		if (!p)
			return -1;
		f->cmd = p;
		f->cap = cap;
	}
	memcpy(f->cmd + f->len, line, (size_t)n + 1);
	f->len += (size_t)n;
	f->n++;
	return 0;
}

int filter_commit(struct filter *f)
{
	int rc = 0;

	if (!f->n)
		return 0;
	rc = filter_run(f, f->cmd, false);
	f->len = 0;
	f->n = 0;
	return rc;
}

void filter_clear_stale(void)
{
	struct filter f = {0};

	if (!(f.nft = filter_ctx_new()))
		return;
	filter_remove_stale(&f);
	filter_ctx_free(f.nft);
}
