/* handover: the restart's state record and the resume decision (see
 * handover.h). */
#include "core/handover.h"

#include <stdio.h>
#include <string.h>

static const uint8_t handover_magic[8] = {'V', 'R', 'R', 'P', 'D', 'H', 'O', '\n'};
#define HDR_LEN	  24 /* magic 8, version 4, body length 4, checksum 8 */
#define ENTRY_FIX (3 + 3 * 8)

uint64_t handover_hash(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

size_t handover_size(const struct handover *h)
{
	size_t n = HDR_LEN + 8 + 4;

	for (size_t i = 0; i < h->n; i++)
		n += 2 + strnlen(h->inst[i].name, HANDOVER_NAME_MAX - 1) +
		     strnlen(h->inst[i].ifname, HANDOVER_IF_MAX - 1) + ENTRY_FIX;
	return n;
}

static uint8_t *put_str(uint8_t *p, const char *s, size_t max)
{
	size_t n = strnlen(s, max - 1);

	*p++ = (uint8_t)n;
	memcpy(p, s, n);
	return p + n;
}

size_t handover_encode(const struct handover *h, uint8_t *buf, size_t cap)
{
	size_t len = handover_size(h);

	if (len > cap || h->n > HANDOVER_MAX_INST)
		return 0;
	uint8_t *p = buf + HDR_LEN;
	put_le(p, h->written_at, 8);
	put_le(p + 8, h->n, 4);
	p += 12;
	for (size_t i = 0; i < h->n; i++) {
		const struct handover_inst *e = &h->inst[i];
		p = put_str(p, e->name, HANDOVER_NAME_MAX);
		p = put_str(p, e->ifname, HANDOVER_IF_MAX);
		p[0] = e->vrid;
		p[1] = e->family;
		p[2] = e->state;
		put_le(p + 3, e->since, 8);
		put_le(p + 11, e->last_advert, 8);
		put_le(p + 19, e->conf_hash, 8);
		p += ENTRY_FIX;
	}
	memcpy(buf, handover_magic, sizeof(handover_magic));
	put_le(buf + 8, HANDOVER_VERSION, 4);
	put_le(buf + 12, len - HDR_LEN, 4);
	put_le(buf + 16, handover_hash(HANDOVER_HASH_INIT, buf + HDR_LEN, len - HDR_LEN), 8);
	return len;
}

/* Reads a length-prefixed string of at most max - 1 bytes at *p (end: the
 * body's end). Returns -1 when it runs past end or is too long. */
static int get_str(const uint8_t **p, const uint8_t *end, char *out, size_t max)
{
	if (*p >= end)
		return -1;
	size_t n = **p;
	if (n >= max || (size_t)(end - *p - 1) < n)
		return -1;
	memcpy(out, *p + 1, n);
	out[n] = '\0';
	*p += 1 + n;
	return 0;
}

static enum handover_err handover_body(const uint8_t *p, const uint8_t *end, struct handover *h)
{
	if (end - p < 12)
		return HANDOVER_ERR_FORMAT;
	h->written_at = get_le(p, 8);
	uint64_t n = get_le(p + 8, 4);
	if (n > HANDOVER_MAX_INST)
		return HANDOVER_ERR_FORMAT;
	p += 12;
	for (size_t i = 0; i < n; i++) {
		struct handover_inst *e = &h->inst[i];
		if (get_str(&p, end, e->name, sizeof(e->name)) < 0 ||
		    get_str(&p, end, e->ifname, sizeof(e->ifname)) < 0 || end - p < ENTRY_FIX)
			return HANDOVER_ERR_FORMAT;
		e->vrid = p[0];
		e->family = p[1];
		e->state = p[2];
		e->since = get_le(p + 3, 8);
		e->last_advert = get_le(p + 11, 8);
		e->conf_hash = get_le(p + 19, 8);
		p += ENTRY_FIX;
	}
	if (p != end)
		return HANDOVER_ERR_FORMAT;
	h->n = (size_t)n;
	return HANDOVER_OK;
}

enum handover_err handover_decode(const uint8_t *buf, size_t len, struct handover *h)
{
	h->n = 0;
	h->written_at = 0;
	if (len < HDR_LEN)
		return len >= 8 && memcmp(buf, handover_magic, 8) ? HANDOVER_ERR_MAGIC
								  : HANDOVER_ERR_SHORT;
	if (memcmp(buf, handover_magic, sizeof(handover_magic)))
		return HANDOVER_ERR_MAGIC;
	if (get_le(buf + 8, 4) != HANDOVER_VERSION)
		return HANDOVER_ERR_VERSION;
	uint64_t body = get_le(buf + 12, 4);
	if (body > len - HDR_LEN)
		return HANDOVER_ERR_SHORT;
	if (body < len - HDR_LEN)
		return HANDOVER_ERR_FORMAT;
	if (handover_hash(HANDOVER_HASH_INIT, buf + HDR_LEN, body) != get_le(buf + 16, 8))
		return HANDOVER_ERR_CHECKSUM;
	enum handover_err e = handover_body(buf + HDR_LEN, buf + len, h);
	if (e != HANDOVER_OK)
		h->n = 0;
	return e;
}

const char *handover_err_str(enum handover_err e)
{
	switch (e) {
	case HANDOVER_OK:
		return "ok";
	case HANDOVER_ERR_SHORT:
		return "truncated";
	case HANDOVER_ERR_MAGIC:
		return "not a handover record";
	case HANDOVER_ERR_VERSION:
		return "another format version";
	case HANDOVER_ERR_CHECKSUM:
		return "checksum mismatch";
	case HANDOVER_ERR_FORMAT:
		return "malformed";
	}
	return "?";
}

const struct handover_inst *handover_find(const struct handover *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->inst[i].name, name) == 0)
			return &h->inst[i];
	return NULL;
}

int handover_decide(const struct handover_inst *rec, const struct handover_key *k, vtime_t now,
		    char *why, size_t len)
{
	if (!rec) {
		snprintf(why, len, "not in the handed-over state");
		return 0;
	}
	if (rec->state != 2) {
		snprintf(why, len, "was not master");
		return 0;
	}
	if (rec->vrid != k->vrid || rec->family != k->family || strcmp(rec->ifname, k->ifname)) {
		snprintf(why, len, "its interface, VRID or family changed");
		return 0;
	}
	if (rec->conf_hash != k->conf_hash) {
		snprintf(why, len, "its configuration changed");
		return 0;
	}
	if (!rec->last_advert || now < rec->last_advert) {
		snprintf(why, len, "no usable time of its last advert");
		return 0;
	}
	vtime_t gap = now - rec->last_advert;
	if (gap >= k->adver_int) {
		snprintf(why, len,
			 "%.1f ms since its last advert, not less than advert_int %.1f ms",
			 gap / 1e3, k->adver_int / 1e3);
		return 0;
	}
	snprintf(why, len, "resumed after restart");
	return 1;
}
