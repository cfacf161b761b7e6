/* filter: vrrpd's nftables table for Accept_Mode. */
#include "io/filter.h"

#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/log.h"

#define FILTER_TABLE "inet vrrpd"

struct filter {
	struct nft_ctx *nft;
	char *cmd; /* the queued transaction */
	size_t len, cap;
	unsigned n;
};

static int filter_run(struct filter *f, const char *cmd, bool quiet)
{
	if (nft_run_cmd_from_buffer(f->nft, cmd) == 0)
		return 0;
	if (!quiet) {
		const char *e = nft_ctx_get_error_buffer(f->nft);
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
	out = nft_ctx_get_output_buffer(f->nft);
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

	if (!f || !(f->nft = nft_ctx_new(NFT_CTX_DEFAULT))) {
		log_errx("nftables: cannot start libnftables");
		free(f);
		return NULL;
	}
	nft_ctx_buffer_output(f->nft);
	nft_ctx_buffer_error(f->nft);
	filter_remove_stale(f);
	if (filter_run(f, table, false) < 0) {
		nft_ctx_free(f->nft);
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
	nft_ctx_free(f->nft);
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

	if (!(f.nft = nft_ctx_new(NFT_CTX_DEFAULT)))
		return;
	nft_ctx_buffer_output(f.nft);
	nft_ctx_buffer_error(f.nft);
	filter_remove_stale(&f);
	nft_ctx_free(f.nft);
}
