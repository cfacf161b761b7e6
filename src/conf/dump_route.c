/* conf_dump's virtual_routes / virtual_rules and their static_ forms, in
 * ip-route(8) / ip-rule(8) words, as kw_route.c reads them. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/conf.h"
#include "conf/dump_int.h"

static const char *table_name(uint32_t t, char *buf, size_t len)
{
	if (!t)
		return "main";
	snprintf(buf, len, "%u", (unsigned)t);
	return buf;
}

/* One line of virtual_routes / static_routes; IN is the instance (NULL for
 * a static route), for the defaults shown in a comment. */
static void dump_route(FILE *out, const struct conf_instance *in, const struct vroute *r)
{
	static const char *const types[] = {"", "blackhole ", "unreachable ", "prohibit "};
	char a[ADDR_STRLEN], b[16];
	const char *sep = "\t# defaults: ";

	fprintf(out, "%s%s/%u", types[r->type], addr_str(&r->dst, a), r->dst_len);
	if (r->has_src)
		fprintf(out, " src %s", addr_str(&r->src, a));
	if (r->has_via)
		fprintf(out, " via %s", addr_str(&r->via, a));
	if (r->dev[0]) {
		fputs(" dev ", out);
		conf_dump_word(out, r->dev);
	}
	fprintf(out, " table %s", table_name(r->table, b, sizeof(b)));
	if (r->has_metric)
		fprintf(out, " metric %u", (unsigned)r->metric);
	if (r->has_scope)
		fprintf(out, " scope %s", conf_dump_scope(r->scope, b, sizeof(b)));
	if (r->onlink)
		fputs(" onlink", out);
	if (in && !r->dev[0] && !r->has_via && r->type == VROUTE_UNICAST) {
		fprintf(out, "%sdev ", sep);
		conf_dump_word(out, in->ifname);
		sep = ", ";
	}
	if (!r->has_metric) {
		fprintf(out, "%smetric %u", sep, r->family == AF_INET6 ? 1024u : 0u);
		sep = ", ";
	}
	if (!r->has_scope)
		fprintf(out, "%sscope %s", sep,
			r->type == VROUTE_UNICAST && !r->has_via ? "link" : "global");
	fputc('\n', out);
}

static void dump_rule(FILE *out, const struct vrule *u)
{
	static const char *const actions[] = {"table", "blackhole", "unreachable", "prohibit"};
	char a[ADDR_STRLEN], b[16];

	if (u->family == AF_INET6 && !u->has_from && !u->has_to)
		fputs("inet6 ", out);
	if (u->has_from)
		fprintf(out, "from %s/%u", addr_str(&u->from, a), u->from_len);
	else
		fputs("from all", out);
	if (u->has_to)
		fprintf(out, " to %s/%u", addr_str(&u->to, a), u->to_len);
	if (u->iif[0]) {
		fputs(" iif ", out);
		conf_dump_word(out, u->iif);
	}
	if (u->oif[0]) {
		fputs(" oif ", out);
		conf_dump_word(out, u->oif);
	}
	if (u->has_fwmark)
		fprintf(out, u->fwmask ? " fwmark 0x%x/0x%x" : " fwmark 0x%x", (unsigned)u->fwmark,
			(unsigned)u->fwmask);
	if (u->has_priority)
		fprintf(out, " priority %u", (unsigned)u->priority);
	fprintf(out, " %s", actions[u->action]);
	if (u->action == VRULE_TABLE)
		fprintf(out, " %s", table_name(u->table, b, sizeof(b)));
	if (!u->has_priority)
		fputs("\t# priority: the kernel's choice", out);
	fputc('\n', out);
}

void conf_dump_routes(FILE *out, const char *indent, const char *kw, const struct conf_instance *in,
		      const struct vroute *v, size_t n)
{
	if (!n)
		return;
	fprintf(out, "%s%s {\n", indent, kw);
	for (size_t k = 0; k < n; k++) {
		fprintf(out, "%s\t", indent);
		dump_route(out, in, &v[k]);
	}
	fprintf(out, "%s}\n", indent);
}

void conf_dump_rules(FILE *out, const char *indent, const char *kw, const struct vrule *v, size_t n)
{
	if (!n)
		return;
	fprintf(out, "%s%s {\n", indent, kw);
	for (size_t k = 0; k < n; k++) {
		fprintf(out, "%s\t", indent);
		dump_rule(out, &v[k]);
	}
	fprintf(out, "%s}\n", indent);
}
