/* dump_int: what conf_dump's files share (dump.c, dump_route.c); not an
 * API, the rest of vrrpd calls conf_dump() (conf.h). */
#ifndef VRRPD_DUMP_INT_H
#define VRRPD_DUMP_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "conf/conf.h"

/* S as one word of the language: quoted when the lexer would split or
 * read it otherwise. */
void conf_dump_word(FILE *out, const char *s);
/* An address scope's name (ip-address(8)), else its number in BUF. */
const char *conf_dump_scope(uint8_t s, char *buf, size_t len);
/* A block KW { ... } of routes (IN: the instance whose VIPs a "src" may
 * name, or NULL) / of rules, INDENT before each line; nothing when N is 0. */
void conf_dump_routes(FILE *out, const char *indent, const char *kw, const struct conf_instance *in,
		      const struct vroute *v, size_t n);
void conf_dump_rules(FILE *out, const char *indent, const char *kw, const struct vrule *v,
		     size_t n);

#endif
