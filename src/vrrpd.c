/* main: command line, config check, pid file, daemonizing. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "daemon/daemon.h"
#include "io/log.h"
#include "io/loop.h"
#include "ops/control.h"

#ifndef VRRPD_VERSION
#define VRRPD_VERSION "0.1.0"
#endif
#define DEFAULT_PIDFILE "/run/vrrpd.pid"

static int ready_fd = -1; /* write end of the pipe the parent waits on */

/* vrrpctl restart executes the file at the path we were started from, as
 * it is on disk then: an upgrade that replaced the file (a new inode
 * renamed over the old one) runs the new binary, and a symbolic link
 * moved to another version is followed. Not /proc/self/exe, which keeps
 * pointing at the old, deleted inode. argv[0] as given when it names a
 * path (made absolute here: the daemon changes to / when it forks), else
 * (found through $PATH) what /proc/self/exe resolves to now. */
static char self_exe[4096];

static const char *self_path(const char *argv0)
{
	if (strchr(argv0, '/')) {
		char cwd[2048];
		if (argv0[0] == '/')
			snprintf(self_exe, sizeof(self_exe), "%s", argv0);
		else if (getcwd(cwd, sizeof(cwd)))
			snprintf(self_exe, sizeof(self_exe), "%s/%s", cwd, argv0);
		else
			return NULL;
		return self_exe;
	}
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n <= 0)
		return NULL;
	self_exe[n] = '\0';
	return self_exe;
}

static void usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: vrrpd [-f FILE] [-i ID] [-n] [-l] [-D] [-p PIDFILE] [-S SOCKET] [-G GROUP]\n"
	    "             [-t] [-v]\n"
	    "  -f, --use-file FILE   configuration file (default %s)\n"
	    "  -i, --config-id ID    configuration id: chooses the file's @ID lines\n"
	    "                        (default: the host name up to its first '.')\n"
	    "  -n, --dont-fork       stay in the foreground\n"
	    "  -l, --log-console     log to stderr instead of syslog\n"
	    "  -D, --log-detail      detailed (debug) logging\n"
	    "  -p, --pid PIDFILE     pid file (default %s)\n"
	    "  -S, --control SOCKET  control socket for vrrpctl (default %s)\n"
	    "  -G, --control-group GROUP\n"
	    "                        group that may use the control socket (mode 0660)\n"
	    "  -t, --config-test     check the configuration, print it, and exit\n"
	    "                        (0 when valid, 2 when it has errors)\n"
	    "  -v, --version         print the version\n",
	    CONF_DEFAULT_PATH, DEFAULT_PIDFILE, CTL_DEFAULT_PATH);
}

/* Takes the pid file's lock; a second daemon with the same file is refused. */
static int pidfile_take(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	char buf[32];

	if (fd < 0) {
		fprintf(stderr, "vrrpd: cannot open pid file %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		fprintf(stderr, "vrrpd: another vrrpd is running (pid %s, pid file %s)\n",
			buf[0] ? buf : "?", path);
		close(fd);
		return -1;
	}
	return fd;
}

static void pidfile_write(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n)
		log_warn("cannot write the pid file");
}

static void on_ready(void)
{
	if (ready_fd >= 0) {
		char c = 0;
		if (write(ready_fd, &c, 1) < 0)
			log_debug("ready pipe: %s", strerror(errno));
		close(ready_fd);
		ready_fd = -1;
	}
}

/* Forks; the parent exits once the child is up (or failed), so an init
 * system sees a started daemon, not a promise of one. */
static int daemonize(void)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		char c;
		close(p[1]);
		exit(read(p[0], &c, 1) == 1 ? 0 : 1);
	}
	close(p[0]);
	ready_fd = p[1];
	if (setsid() < 0)
		return -1;
	if (chdir("/") < 0)
		return -1;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	return 0;
}

/* What the command line asks for. */
struct vrrpd_args {
	const char *conf_path, *pidfile, *ctl_path;
	const char *config_id; /* -i; NULL: the host name's first label */
	gid_t ctl_gid;	       /* -G; (gid_t)-1: the socket keeps the group it was created with */
	bool foreground, console, detail, test;
};

/* -G GROUP: the group's id. Returns 0, or -1 with a message. */
static int control_group(const char *name, gid_t *gid)
{
	struct group *gr = getgrnam(name);

	if (!gr) {
		fprintf(stderr, "vrrpd: --control-group: no group named '%s'\n", name);
		return -1;
	}
	*gid = gr->gr_gid;
	return 0;
}

/* Fills *a from the command line. Returns -1 to go on, or the exit status
 * when there is nothing more to do: 0 after --help or --version, 2 after a
 * usage error (reported). */
static int parse_args(int argc, char **argv, struct vrrpd_args *a)
{
	/* clang-format off */
	static const struct option opts[] = {
		{"use-file", required_argument, NULL, 'f'},
		{"config-id", required_argument, NULL, 'i'},
		{"dont-fork", no_argument, NULL, 'n'},
		{"log-console", no_argument, NULL, 'l'},
		{"log-detail", no_argument, NULL, 'D'},
		{"pid", required_argument, NULL, 'p'},
		{"control", required_argument, NULL, 'S'},
		{"control-group", required_argument, NULL, 'G'},
		{"config-test", no_argument, NULL, 't'},
		{"version", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	/* clang-format on */
	int c;

	*a = (struct vrrpd_args){.conf_path = CONF_DEFAULT_PATH,
				 .pidfile = DEFAULT_PIDFILE,
				 .ctl_path = CTL_DEFAULT_PATH,
				 .ctl_gid = (gid_t)-1};
	while ((c = getopt_long(argc, argv, "f:i:nlDp:S:G:tvh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			a->conf_path = optarg;
			break;
		case 'i':
			if (!optarg[0] || strlen(optarg) > CONF_CONFIG_ID_MAX ||
			    strpbrk(optarg, " \t\n")) {
				fprintf(stderr,
					"vrrpd: --config-id: '%s' is not an id (1 to %d "
					"characters, no blank)\n",
					optarg, CONF_CONFIG_ID_MAX);
				return 2;
			}
			a->config_id = optarg;
			break;
		case 'n':
			a->foreground = true;
			break;
		case 'l':
			a->console = true;
			break;
		case 'D':
			a->detail = true;
			break;
		case 'p':
			a->pidfile = optarg;
			break;
		case 'S':
			a->ctl_path = optarg;
			break;
		case 'G':
			if (control_group(optarg, &a->ctl_gid) < 0)
				return 2;
			break;
		case 't':
			a->test = true;
			break;
		case 'v':
			printf("vrrpd %s\n", VRRPD_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return -1;
}

/* Loads the configuration file and prints its messages. With -t, prints the
 * configuration as understood (or the error count) and returns the exit
 * status: 0 valid, 2 errors. Otherwise returns 2 when the file has errors,
 * or -1 with the configuration in *out. */
static int load_config(const struct vrrpd_args *a, struct config **out)
{
	struct conf_msgs msgs = {0};
	struct config *conf = conf_load_id(a->conf_path, a->config_id, &msgs);

	for (size_t i = 0; i < msgs.n; i++)
		fprintf(stderr, "%s\n", msgs.v[i]);
	if (a->test) {
		int rc = conf ? 0 : 2;
		if (conf) {
			conf_dump(conf, stdout);
			conf_summary(conf, stdout);
			printf("%s: configuration OK (%d warning(s))\n", a->conf_path,
			       msgs.warnings);
		} else {
			fprintf(stderr, "%s: %d error(s), %d warning(s)\n", a->conf_path,
				msgs.errors, msgs.warnings);
		}
		conf_msgs_free(&msgs);
		conf_free(conf);
		return rc;
	}
	if (!conf) {
		fprintf(stderr, "vrrpd: %s has %d error(s); not starting\n", a->conf_path,
			msgs.errors);
		conf_msgs_free(&msgs);
		return 2;
	}
	conf_msgs_free(&msgs);
	*out = conf;
	return -1;
}

/* Takes the pid file, leaves the foreground unless -n, and runs the daemon
 * on conf until it stops. Returns the exit status. */
static int run(const struct vrrpd_args *a, struct config *conf, char **argv, uint64_t t0)
{
	/* Exec'd by vrrpctl restart: already daemonized, same PID. */
	const char *ho = getenv(DAEMON_HANDOVER_ENV);
	char handover[64];
	if (ho) {
		snprintf(handover, sizeof(handover), "%s", ho);
		unsetenv(DAEMON_HANDOVER_ENV); /* not for our children */
	}
	int pfd = pidfile_take(a->pidfile);
	if (pfd < 0) {
		conf_free(conf);
		return 1;
	}
	if (!a->foreground && !ho && daemonize() < 0) {
		fprintf(stderr, "vrrpd: cannot daemonize: %s\n", strerror(errno));
		return 1;
	}
	log_init("vrrpd", a->console, a->detail);
	pidfile_write(pfd);
	log_info("vrrpd %s starting (pid %ld%s)", VRRPD_VERSION, (long)getpid(),
		 ho ? ", re-executed by vrrpctl restart" : "");
	struct daemon_opts dopts = {.conf_path = a->conf_path,
				    .config_id = a->config_id,
				    .ctl_path = a->ctl_path,
				    .ctl_gid = a->ctl_gid,
				    .on_ready = on_ready,
				    .exe = self_path(argv[0]),
				    .argv = argv,
				    .handover = ho ? handover : NULL,
				    .started_at = t0};
	int rc = daemon_run(&dopts, conf);
	unlink(a->pidfile);
	close(pfd);
	return rc;
}

int main(int argc, char **argv)
{
	uint64_t t0 = loop_now(); /* the instances' Startup event (daemon_opts) */
	struct vrrpd_args a;
	struct config *conf = NULL;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	if ((rc = load_config(&a, &conf)) >= 0)
		return rc;
	return run(&a, conf, argv, t0);
}
