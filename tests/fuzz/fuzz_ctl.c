/* libFuzzer harness: the control socket's request reader and parser
 * (src/ops/control.c: ctl_client_read, ctl_dispatch and the formatters
 * they call), driven the way the event loop drives them, over a real unix
 * socket pair. control.c is #included to reach its static functions.
 *
 * Input: a first byte choosing how the rest is delivered (bits 0-5: bytes
 * per write, 1..64; bit 6: the reload the request may ask for fails), then
 * the bytes a client sends. They are written in pieces, the client's
 * callback running after each as epoll would call it; then the client
 * shuts its side down (end of file) and reads the answer.
 *
 * Invariants: the server ends every connection by itself once the client
 * has sent its bytes and closed its side (no client is left behind); a
 * client that sent anything gets an answer; a request line over
 * CTL_REQ_MAX bytes gets "error: request longer than ..."; no answer holds
 * a control character other than newline and tab (the client's words are
 * sanitized before they are echoed); nothing leaks. */
#include "../../src/ops/control.c"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct loop lp;
static struct ctl_server srv;
static struct ctl_instance insts[2];
static struct ctl_iface ifaces[1];
static bool reload_fails;

static void fake_snapshot(void *arg, struct ctl_snapshot *out)
{
	(void)arg;
	*out = (struct ctl_snapshot){.router_id = "lb-1",
				     .started = 1700000000.0,
				     .now = 1700003600.5,
				     .inst = insts,
				     .n_inst = 2,
				     .ifaces = ifaces,
				     .n_ifaces = 1};
}

static int fake_reload(void *arg, int fd, char *msg, size_t len)
{
	(void)arg, (void)fd;
	if (reload_fails) {
		snprintf(msg, len,
			 "/etc/vrrpd/vrrpd.conf:3:5: unknown keyword 'prority'\n"
			 "/etc/vrrpd/vrrpd.conf:9:1: missing '}'\n\n");
		return -1;
	}
	snprintf(msg, len, "%s", "");
	return 0;
}

static const struct ctl_ops ops = {.snapshot = fake_snapshot, .reload = fake_reload};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (loop_init(&lp, NULL, NULL, NULL) < 0)
		abort();
	srv.l = &lp;
	srv.fd = -1;
	srv.ops = &ops;

	struct ctl_instance *a = &insts[0];
	snprintf(a->name, sizeof(a->name), "VI_1");
	snprintf(a->ifname, sizeof(a->ifname), "eth0");
	a->vrid = 51;
	a->version = 3;
	a->family = AF_INET;
	a->state = "MASTER";
	a->priority = 150;
	a->effective_priority = 140;
	a->advert_int_cs = 100;
	a->master_adver_int_cs = 100;
	addr_parse("192.0.2.1", &a->primary);
	a->master = a->primary;
	a->master_priority = 140;
	a->since = 1700003400.0;
	snprintf(a->reason, sizeof(a->reason), "master down: no advert for 3.61 s");
	a->n_vips = 2;
	a->vips_installed = true;
	a->adverts_sent = 1234;
	a->drops[PKT_DROP_TTL] = 3;

	struct ctl_instance *b = &insts[1];
	snprintf(b->name, sizeof(b->name), "V6");
	snprintf(b->ifname, sizeof(b->ifname), "eth1");
	b->vrid = 7;
	b->version = 3;
	b->family = AF_INET6;
	b->state = "BACKUP";
	b->priority = 100;
	b->effective_priority = 100;
	b->advert_int_cs = 50;
	addr_parse("2001:db8::2", &b->primary);
	addr_parse("2001:db8::1", &b->master);
	b->master_priority = 150;
	snprintf(b->reason, sizeof(b->reason), "higher priority master 2001:db8::1 (150)");

	snprintf(ifaces[0].ifname, sizeof(ifaces[0].ifname), "eth0");
	ifaces[0].drops[PKT_DROP_VRID] = 12;
	return 0;
}

/* A new client on FD, as ctl_accept_cb makes it. */
static struct ctl_client *new_client(int fd)
{
	struct ctl_client *c = calloc(1, sizeof(*c));

	if (!c)
		abort();
	c->srv = &srv;
	c->fd = fd;
	c->born = loop_now();
	c->lfd = (struct loop_fd){.fd = fd, .cb = ctl_client_cb, .arg = c};
	timer_init(&c->t, ctl_client_timeout, c);
	if (loop_add_fd(&lp, &c->lfd, EPOLLIN) < 0)
		abort();
	c->next = srv.clients;
	if (srv.clients)
		srv.clients->prev = c;
	srv.clients = c;
	srv.n_clients++;
	ctl_client_deadline(c);
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char ans[1 << 16];
	size_t alen = 0, chunk, off = 0;
	int sv[2];

	if (size < 1)
		return 0;
	chunk = (size_t)(data[0] & 0x3f) + 1;
	reload_fails = data[0] & 0x40;
	data++;
	size--;
	/* What the server reads is bounded: it answers (or gives up) after
	 * CTL_REQ_MAX + 1 bytes; more would only fill the socket. */
	if (size > 4096)
		size = 4096;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	struct ctl_client *c = new_client(sv[0]);

	while (off < size && srv.n_clients) {
		size_t n = size - off < chunk ? size - off : chunk;
		ssize_t w = write(sv[1], data + off, n);
		if (w <= 0)
			break; /* the server closed its side, or the socket is full */
		off += (size_t)w;
		ctl_client_cb(c, EPOLLIN);
	}
	shutdown(sv[1], SHUT_WR);
	/* End of file, then (while an answer is being written) room to write. */
	for (int i = 0; i < 8 && srv.n_clients; i++) {
		ctl_client_cb(c, c->replying ? EPOLLOUT : EPOLLIN);
		ssize_t r = read(sv[1], ans + alen, sizeof(ans) - 1 - alen);
		if (r > 0)
			alen += (size_t)r;
	}
	if (srv.n_clients) {
		fprintf(stderr, "fuzz_ctl: the client is still open after end of file\n");
		abort();
	}
	for (;;) {
		ssize_t r = read(sv[1], ans + alen, sizeof(ans) - 1 - alen);
		if (r <= 0)
			break;
		alen += (size_t)r;
	}
	close(sv[1]);
	ans[alen] = '\0';

	const uint8_t *nl = memchr(data, '\n', size);
	size_t line = nl ? (size_t)(nl - data) : size;
	if (size && !alen) {
		fprintf(stderr, "fuzz_ctl: no answer\n");
		abort();
	}
	if (line > CTL_REQ_MAX && strncmp(ans, "error: request longer than", 26) != 0) {
		fprintf(stderr, "fuzz_ctl: a %zu-byte request got: %.80s\n", line, ans);
		abort();
	}
	for (size_t k = 0; k < alen; k++) {
		unsigned char ch = (unsigned char)ans[k];
		if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f) {
			fprintf(stderr, "fuzz_ctl: control character 0x%02x at %zu in: %s\n", ch, k,
				ans);
			abort();
		}
	}
	return 0;
}
