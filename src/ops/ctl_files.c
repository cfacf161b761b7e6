/* ctl_files: keepalived-style dumps for old scripts, the files keepalived
 * writes on SIGUSR1 (/tmp/keepalived.data) and SIGUSR2
 * (/tmp/keepalived.stats), and their atomic write. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ops/control.h"

static void ctl_ctime(char *out, size_t len, double t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || !localtime_r(&tt, &tm) || !strftime(out, len, "%a %b %e %H:%M:%S %Y", &tm))
		snprintf(out, len, "never");
}

static void ctl_format_data(struct ctl_buf *b, const struct ctl_snapshot *s)
{
	char tbuf[64], a[ADDR_STRLEN];

	ctl_buf_puts(b, "------< Global definitions >------\n");
	ctl_buf_printf(b, " Router ID = %s\n", s->router_id ? s->router_id : "");
	ctl_ctime(tbuf, sizeof(tbuf), s->started);
	ctl_buf_printf(b, " Started = %.6f (%s)\n", s->started, tbuf);
	ctl_buf_puts(b, "------< VRRP Topology >------\n");
	for (size_t i = 0; i < s->n_inst; i++) {
		const struct ctl_instance *in = &s->inst[i];
		unsigned adv = in->advert_int_cs;

		ctl_buf_printf(b, " VRRP Instance = %s\n", in->name);
		ctl_buf_printf(b, "   VRRP Version = %u\n", in->version);
		ctl_buf_printf(b, "   State = %s\n", ctl_state_name(in));
		if (in->master.family) {
			ctl_buf_printf(b, "   Master router = %s\n", addr_str(&in->master, a));
			ctl_buf_printf(b, "   Master priority = %u\n", in->master_priority);
		}
		ctl_ctime(tbuf, sizeof(tbuf), in->since);
		ctl_buf_printf(b, "   Last transition = %.6f (%s)\n",
			       in->since > 0 ? in->since : 0.0, tbuf);
		if (in->reason[0])
			ctl_buf_printf(b, "   Last transition reason = %s\n", in->reason);
		ctl_buf_printf(b, "   Interface = %s\n", in->ifname);
		if (in->primary.family)
			ctl_buf_printf(b, "   Using src_ip = %s\n", addr_str(&in->primary, a));
		ctl_buf_printf(b, "   Virtual Router ID = %u\n", in->vrid);
		ctl_buf_printf(b, "   Priority = %u\n", in->priority);
		ctl_buf_printf(b, "   Effective priority = %u\n", in->effective_priority);
		if (adv % 100 == 0)
			ctl_buf_printf(b, "   Advert interval = %u sec\n", adv / 100);
		else
			ctl_buf_printf(b, "   Advert interval = %u.%02u sec\n", adv / 100,
				       adv % 100);
		ctl_buf_printf(b, "   Virtual IP = %zu\n", in->n_vips);
		ctl_buf_printf(b, "   Virtual IPs installed = %s\n",
			       in->vips_installed ? "yes" : "no");
	}
}

static void ctl_format_kstats(struct ctl_buf *b, const struct ctl_snapshot *s)
{
	for (size_t i = 0; i < s->n_inst; i++) {
		const struct ctl_instance *in = &s->inst[i];

		ctl_buf_printf(b, "VRRP Instance: %s\n", in->name);
		ctl_buf_printf(
		    b, "  Advertisements:\n    Received: %" PRIu64 "\n    Sent: %" PRIu64 "\n",
		    in->adverts_received, in->adverts_sent);
		ctl_buf_printf(b, "  Transitions: %" PRIu64 "\n", in->transitions);
		ctl_buf_puts(b, "  Packet Errors:\n");
		ctl_buf_printf(b, "    Address List: %" PRIu64 "\n", in->addr_mismatch);
		for (int r = 1; r < PKT_DROP__MAX; r++)
			ctl_buf_printf(b, "    %s: %" PRIu64 "\n", pkt_drop_str((enum pkt_drop)r),
				       in->drops[r]);
	}
	for (size_t i = 0; i < s->n_ifaces; i++) {
		ctl_buf_printf(b, "Interface: %s\n", s->ifaces[i].ifname);
		ctl_buf_puts(b, "  Packet Errors:\n");
		for (int r = 1; r < PKT_DROP__MAX; r++)
			ctl_buf_printf(b, "    %s: %" PRIu64 "\n", pkt_drop_str((enum pkt_drop)r),
				       s->ifaces[i].drops[r]);
	}
}

/* Writes b to path atomically (temporary file in the same directory, then
 * rename), mode 0644. */
static int ctl_write_atomic(const char *path, const struct ctl_buf *b)
{
	char tmp[4096];
	int fd, n;

	if (b->oom) {
		errno = ENOMEM;
		return -1;
	}
	n = snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < b->len) {
		ssize_t w = write(fd, b->p + off, b->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}

int ctl_write_files(const struct ctl_snapshot *s, const char *data_path, const char *stats_path)
{
	int rc = 0;

	if (data_path) {
		struct ctl_buf b = {0};
		ctl_format_data(&b, s);
		if (ctl_write_atomic(data_path, &b) < 0)
			rc = -1;
		ctl_buf_free(&b);
	}
	if (stats_path) {
		struct ctl_buf b = {0};
		int e = errno;
		ctl_format_kstats(&b, s);
		if (ctl_write_atomic(stats_path, &b) < 0)
			rc = -1;
		else if (rc < 0)
			errno = e;
		ctl_buf_free(&b);
	}
	return rc;
}
