/* filewatch: inotify on the directories of tracked files (keepalived's
 * track_file), and reading and initialising such a file.
 *
 * Promises: filewatch_open() gives a non-blocking inotify descriptor;
 * filewatch_add_dir() watches a directory for a file written and closed,
 * moved in or out, created or deleted, so that writing a file in place and
 * renaming a new one over it are both seen; filewatch_read() drains the
 * descriptor without blocking. */
#ifndef VRRPD_FILEWATCH_H
#define VRRPD_FILEWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

int filewatch_open(void);
/* Returns the watch descriptor, or -1 (errno). */
int filewatch_add_dir(int fd, const char *dir);
/* Calls CB(arg, wd, name, gone) per event on a file: GONE when it was
 * deleted or moved away. Returns 0, 1 when the kernel's queue overflowed
 * (re-read every file), -1 on error (errno). */
int filewatch_read(int fd, void (*cb)(void *arg, int wd, const char *name, bool gone), void *arg);
/* Reads up to LEN bytes of PATH (without blocking on a FIFO). Returns the
 * length, or -1 (errno; ENOENT when it does not exist). */
ssize_t filewatch_slurp(const char *path, char *buf, size_t len);
/* Writes "VALUE\n" to PATH, unless it exists and OVERWRITE is false.
 * Returns 0, or -1 (errno). */
int filewatch_init_file(const char *path, long long value, bool overwrite);

#endif
