/* vrrpctl: the command-line client of vrrpd's control socket.
 *
 * Sends one request line, prints the answer. Exit status: 0 success; 1 the
 * daemon answered with an error (printed to stderr), e.g. a rejected reload
 * or an unknown instance; 2 usage error; 3 no daemon to talk to (cannot
 * connect, no answer within the time limit, or the connection closed
 * without an answer). */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ops/control.h"

#define VRRPCTL_TIMEOUT_MS 5000
/* reload waits for the daemon's parser, which it kills after 10 s, and
 * perhaps for the reload before it: the answer comes when it is done */
#define VRRPCTL_RELOAD_TIMEOUT_MS 25000
static int vrrpctl_timeout_ms = VRRPCTL_TIMEOUT_MS;
#define VRRPCTL_MAX_ANSWER (64u << 20) /* a sanity bound, far above any real answer */

enum { VRRPCTL_OK = 0, VRRPCTL_ERR = 1, VRRPCTL_USAGE = 2, VRRPCTL_NOCONN = 3 };

static void vrrpctl_usage(FILE *f)
{
	fprintf(f,
		"usage: vrrpctl [-s SOCKET] [--json] COMMAND [ARGS]\n"
		"\n"
		"commands:\n"
		"  status [INSTANCE]   state of every instance (or one): interface, VRID, state,\n"
		"                      priority/effective priority, master, since when, why\n"
		"  stats [INSTANCE]    adverts sent/received, transitions, drops by reason\n"
		"  why INSTANCE        the instance's last transitions and decisions with their\n"
		"                      reasons, newest last (repeats counted, not repeated)\n"
		"  metrics             Prometheus text exposition format\n"
		"  reload              re-read the configuration (as SIGHUP); errors are shown\n"
		"  restart             re-execute vrrpd from its file on disk, same PID (the way\n"
		"                      to upgrade): masters whose configuration is unchanged\n"
		"                      keep their VIPs and adverts, with no failover\n"
		"\n"
		"options:\n"
		"  -s, --socket PATH   control socket (default $VRRPCTL_SOCKET, else %s)\n"
		"  -j, --json          JSON output (status, stats, why)\n"
		"  -h, --help          this help\n"
		"\n"
		"exit status: 0 ok, 1 the daemon answered with an error, 2 usage error,\n"
		"3 cannot reach the daemon\n",
		CTL_DEFAULT_PATH);
}

static long long vrrpctl_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for events on fd until the deadline. Returns >0 ready, 0 timeout, -1 error. */
static int vrrpctl_wait(int fd, short events, long long deadline)
{
	for (;;) {
		long long left = deadline - vrrpctl_ms();
		if (left <= 0)
			return 0;
		struct pollfd p = {.fd = fd, .events = events};
		int n = poll(&p, 1, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		return n;
	}
}

/* Connects (bounded by the deadline). Returns the fd or -1 with errno. */
static int vrrpctl_connect(const char *path, long long deadline)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* A unix socket whose backlog is full says EAGAIN: try again, bounded. */
	for (;;) {
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0)
			return fd;
		if (errno != EAGAIN && errno != EINTR)
			break;
		if (vrrpctl_ms() >= deadline) {
			errno = ETIMEDOUT;
			break;
		}
		usleep(10000);
	}
	int e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* Sends req whole, then half-closes the socket: the server answers after
 * the line. Returns 0, or -1 with a message printed. */
static int vrrpctl_send(int fd, const char *path, const char *req, long long deadline)
{
	size_t len = strlen(req), off = 0;

	while (off < len) {
		ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);
		if (w > 0) {
			off += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			int r = vrrpctl_wait(fd, POLLOUT, deadline);
			if (r > 0)
				continue;
			if (r == 0) {
				fprintf(stderr, "vrrpctl: %s: no answer within %d s\n", path,
					vrrpctl_timeout_ms / 1000);
				return -1;
			}
		}
		fprintf(stderr, "vrrpctl: sending to %s: %s\n", path, strerror(errno));
		return -1;
	}
	shutdown(fd, SHUT_WR);
	return 0;
}

/* Doubles *buf's capacity, up to VRRPCTL_MAX_ANSWER. Returns 0, or -1 with a
 * message printed (*buf is left to the caller). */
static int vrrpctl_grow(char **buf, size_t *cap, const char *path)
{
	if (*cap >= VRRPCTL_MAX_ANSWER) {
		fprintf(stderr, "vrrpctl: the answer from %s is too long\n", path);
		return -1;
	}
	char *p = realloc(*buf, *cap * 2);
	if (!p) {
		fprintf(stderr, "vrrpctl: out of memory\n");
		return -1;
	}
	*buf = p;
	*cap *= 2;
	return 0;
}

/* Reads the answer until the server closes (a reset counts as a close) into
 * *out (NUL-terminated). Returns 0, or -1 with a message printed. */
static int vrrpctl_recv(int fd, const char *path, char **out, size_t *outlen, long long deadline)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	if (!buf) {
		fprintf(stderr, "vrrpctl: out of memory\n");
		return -1;
	}
	for (;;) {
		if (cap - n < 2 && vrrpctl_grow(&buf, &cap, path) < 0) {
			free(buf);
			return -1;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r > 0) {
			n += (size_t)r;
			continue;
		}
		if (r == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			int w = vrrpctl_wait(fd, POLLIN, deadline);
			if (w > 0)
				continue;
			if (w == 0) {
				fprintf(stderr, "vrrpctl: %s: no answer within %d s\n", path,
					vrrpctl_timeout_ms / 1000);
				free(buf);
				return -1;
			}
		}
		if (errno == ECONNRESET)
			break;
		fprintf(stderr, "vrrpctl: reading from %s: %s\n", path, strerror(errno));
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return 0;
}

/* An instance name can be sent as one word of the request line. */
static bool vrrpctl_word_ok(const char *s)
{
	if (!*s || strlen(s) > CONF_NAME_MAX)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s == 0x7f)
			return false;
	return true;
}

/* Reads the options into *path and *json; the command is argv[optind] then.
 * Returns -1 to go on, or the exit status when there is nothing more to do
 * (--help, a usage error reported). */
static int vrrpctl_options(int argc, char **argv, const char **path, bool *json)
{
	static const struct option opts[] = {
	    {"socket", required_argument, NULL, 's'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	*path = getenv("VRRPCTL_SOCKET");
	if (!*path || !**path)
		*path = CTL_DEFAULT_PATH;
	while ((c = getopt_long(argc, argv, "s:jh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			*path = optarg;
			break;
		case 'j':
			*json = true;
			break;
		case 'h':
			vrrpctl_usage(stdout);
			return VRRPCTL_OK;
		default:
			vrrpctl_usage(stderr);
			return VRRPCTL_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "vrrpctl: no command given\n");
		vrrpctl_usage(stderr);
		return VRRPCTL_USAGE;
	}
	return -1;
}

/* The request line for the command cmd and its nargs arguments args, into
 * req. Returns -1 when there is one to send, or the exit status when there is
 * not (the help command, a usage error reported). */
static int vrrpctl_request(const char *cmd, int nargs, char **args, bool json, char *req,
			   size_t len)
{
	if (strcmp(cmd, "status") == 0 || strcmp(cmd, "stats") == 0) {
		if (nargs > 1) {
			fprintf(stderr, "vrrpctl: usage: vrrpctl %s [INSTANCE]\n", cmd);
			return VRRPCTL_USAGE;
		}
		if (nargs == 1 && !vrrpctl_word_ok(args[0])) {
			fprintf(stderr, "vrrpctl: '%s' is not an instance name\n", args[0]);
			return VRRPCTL_USAGE;
		}
		snprintf(req, len, "%s%s%s%s\n", cmd, nargs ? " " : "", nargs ? args[0] : "",
			 json ? " --json" : "");
	} else if (strcmp(cmd, "why") == 0) {
		if (nargs != 1) {
			fprintf(stderr, "vrrpctl: usage: vrrpctl why INSTANCE\n");
			return VRRPCTL_USAGE;
		}
		if (!vrrpctl_word_ok(args[0])) {
			fprintf(stderr, "vrrpctl: '%s' is not an instance name\n", args[0]);
			return VRRPCTL_USAGE;
		}
		snprintf(req, len, "why %s%s\n", args[0], json ? " --json" : "");
	} else if (strcmp(cmd, "metrics") == 0 || strcmp(cmd, "reload") == 0 ||
		   strcmp(cmd, "restart") == 0) {
		if (nargs) {
			fprintf(stderr, "vrrpctl: %s takes no arguments\n", cmd);
			return VRRPCTL_USAGE;
		}
		if (json) {
			fprintf(stderr, "vrrpctl: --json applies to status, stats and why only\n");
			return VRRPCTL_USAGE;
		}
		snprintf(req, len, "%s\n", cmd);
	} else if (strcmp(cmd, "help") == 0) {
		vrrpctl_usage(stdout);
		return VRRPCTL_OK;
	} else {
		fprintf(stderr,
			"vrrpctl: unknown command '%s' (try: status, stats, why, metrics, reload, "
			"restart)\n",
			cmd);
		return VRRPCTL_USAGE;
	}
	return -1;
}

/* Prints the daemon's answer: to stderr when it is an error, to stdout
 * otherwise, ending with a newline. Returns the exit status. */
static int vrrpctl_print(const char *ans, size_t len)
{
	bool err = strncmp(ans, "error:", 6) == 0;
	FILE *f = err ? stderr : stdout;

	fwrite(ans, 1, len, f);
	if (ans[len - 1] != '\n')
		fputc('\n', f);
	if (fflush(stdout) != 0) {
		perror("vrrpctl: writing the answer");
		return VRRPCTL_ERR;
	}
	return err ? VRRPCTL_ERR : VRRPCTL_OK;
}

/* Sends req to the daemon at path and prints its answer, all within
 * VRRPCTL_TIMEOUT_MS (reload: VRRPCTL_RELOAD_TIMEOUT_MS). Returns the exit
 * status. */
static int vrrpctl_ask(const char *path, const char *req)
{
	if (!strcmp(req, "reload\n") || !strcmp(req, "reload"))
		vrrpctl_timeout_ms = VRRPCTL_RELOAD_TIMEOUT_MS;
	long long deadline = vrrpctl_ms() + vrrpctl_timeout_ms;
	int fd = vrrpctl_connect(path, deadline);
	if (fd < 0) {
		int e = errno;
		fprintf(stderr, "vrrpctl: cannot connect to %s: %s (%s)\n", path, strerror(e),
			e == EACCES ? "root or the socket's group may connect"
				    : "is vrrpd running?");
		return VRRPCTL_NOCONN;
	}
	char *ans = NULL;
	size_t len = 0;
	int rc = vrrpctl_send(fd, path, req, deadline);
	if (rc == 0)
		rc = vrrpctl_recv(fd, path, &ans, &len, deadline);
	close(fd);
	if (rc < 0)
		return VRRPCTL_NOCONN;
	if (!len) {
		fprintf(stderr, "vrrpctl: %s closed the connection without an answer (busy?)\n",
			path);
		free(ans);
		return VRRPCTL_NOCONN;
	}
	rc = vrrpctl_print(ans, len);
	free(ans);
	return rc;
}

int main(int argc, char **argv)
{
	const char *path;
	bool json = false;
	char req[CONF_NAME_MAX + 64];

	int rc = vrrpctl_options(argc, argv, &path, &json);
	if (rc >= 0)
		return rc;
	rc = vrrpctl_request(argv[optind], argc - optind - 1, argv + optind + 1, json, req,
			     sizeof(req));
	if (rc >= 0)
		return rc;
	return vrrpctl_ask(path, req);
}
