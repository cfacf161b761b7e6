/* handover: the state record `vrrpctl restart` hands from the old vrrpd
 * to the new one across execve, and the decision "resume or start
 * normally" for each instance.
 *
 * Promises: pure (no I/O, no clock). The record is a small byte string:
 * a magic, a format version, the body's length and an FNV-1a 64 checksum
 * of the body, then the body (the time it was written and one entry per
 * instance), every integer little-endian. handover_decode() refuses
 * (HANDOVER_ERR_*) anything truncated, of another version, whose checksum
 * does not match, or whose body is malformed: a refused record means every
 * instance starts normally. Times are µs on CLOCK_MONOTONIC, which the old
 * and the new process share (execve keeps the boot's clock). */
#ifndef VRRPD_HANDOVER_H
#define VRRPD_HANDOVER_H

#include <stddef.h>
#include <stdint.h>

#include "core/timer.h"

#define HANDOVER_VERSION  1
#define HANDOVER_MAX_INST 4096
#define HANDOVER_NAME_MAX 64 /* including the NUL */
#define HANDOVER_IF_MAX	  16 /* IFNAMSIZ */

struct handover_inst {
	char name[HANDOVER_NAME_MAX];
	char ifname[HANDOVER_IF_MAX];
	uint8_t vrid;
	uint8_t family;	     /* AF_INET or AF_INET6 */
	uint8_t state;	     /* enum vrrp_state */
	vtime_t since;	     /* when it entered that state */
	vtime_t last_advert; /* when it last sent an advert (0 = never) */
	uint64_t conf_hash;  /* the fingerprint of its configuration */
};

struct handover {
	vtime_t written_at; /* just before execve */
	size_t n;
	struct handover_inst inst[HANDOVER_MAX_INST];
};

enum handover_err {
	HANDOVER_OK = 0,
	HANDOVER_ERR_SHORT,    /* truncated */
	HANDOVER_ERR_MAGIC,    /* not a handover record */
	HANDOVER_ERR_VERSION,  /* another format version */
	HANDOVER_ERR_CHECKSUM, /* corrupt */
	HANDOVER_ERR_FORMAT,   /* checksum right, body malformed */
};

/* FNV-1a 64 of n bytes, continuing from h (start with HANDOVER_HASH_INIT). */
#define HANDOVER_HASH_INIT 0xcbf29ce484222325ULL
uint64_t handover_hash(uint64_t h, const void *p, size_t n);

/* The size of h's record (for the buffer handover_encode needs). */
size_t handover_size(const struct handover *h);
/* Writes h's record into buf. Returns its length, or 0 when it does not
 * fit in cap. */
size_t handover_encode(const struct handover *h, uint8_t *buf, size_t cap);
/* Reads a record of len bytes into *h (every field set). */
enum handover_err handover_decode(const uint8_t *buf, size_t len, struct handover *h);
const char *handover_err_str(enum handover_err e);

/* The entry of h named name, or NULL. */
const struct handover_inst *handover_find(const struct handover *h, const char *name);

/* What the new process knows of an instance: its identity, its
 * configuration's fingerprint and its Advertisement_Interval (µs). */
struct handover_key {
	const char *name, *ifname;
	uint8_t vrid, family;
	uint64_t conf_hash;
	vtime_t adver_int;
};

/* May the instance described by k resume as master at now from rec (NULL:
 * the record has none)? Only when rec was master (state 2), its identity
 * and fingerprint are k's, and its last advert is less than one
 * Advertisement_Interval old (so that the next one can go out on time).
 * Returns 1 to resume, 0 to start normally, with why filled either way. */
int handover_decide(const struct handover_inst *rec, const struct handover_key *k, vtime_t now,
		    char *why, size_t len);

#endif
