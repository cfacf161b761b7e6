/* closer: packet sockets closed by short-lived threads; see closer.h. */
#include "io/closer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

static atomic_uint closer_inflight;

static void *closer_run(void *arg)
{
	close((int)(intptr_t)arg);
	atomic_fetch_sub(&closer_inflight, 1);
	return NULL;
}

void closer_close(int fd)
{
	pthread_attr_t a;
	pthread_t t;
	int ok = -1;

	if (fd < 0)
		return;
	atomic_fetch_add(&closer_inflight, 1);
	if (pthread_attr_init(&a) == 0) {
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
		pthread_attr_setstacksize(&a, 64 * 1024); /* it only calls close(2) */
		ok = pthread_create(&t, &a, closer_run, (void *)(intptr_t)fd);
		pthread_attr_destroy(&a);
	}
	if (ok != 0)
		closer_run((void *)(intptr_t)fd);
}

void closer_drain(unsigned max_ms)
{
	const struct timespec ms = {0, 1000000};

	for (unsigned i = 0; i < max_ms && atomic_load(&closer_inflight); i++)
		nanosleep(&ms, NULL);
}
