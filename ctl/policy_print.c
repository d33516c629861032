// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A policy as canonical text: hook, flow limit, segments, rules, in model
 * order, one statement each, lists wrapped after a "," so that no line
 * comes near POLICY_LINE_MAX however long a segment or rule is.
 * policy_parse() reads it back to an equal policy.
 *
 * A line may only continue after a ",", so a rule cannot wrap at "->" or
 * before its protocol: list lines keep within WRAP columns, and the line
 * where a rule's sources meet its destinations and protocol within
 * WRAP + 52 (" -> ", a 31-byte name, " icmpv6 " or " tcp ", "65535-65535,").
 * An app clause starts on that line (" app unclassified" adds 17); a
 * field or flag that would not fit there starts a line of its own, which
 * the parser reads as continuing the clause: such a line is within WRAP
 * unless a field's first pattern is longer (at most INDENT + 6 + 255 + 2).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include "policy.h"
#include "policy_lex.h"
#include "../kmod/core/l7/rule.h"

enum {
	WRAP	= 80,	/* columns a wrapped list stays within */
	INDENT	= 8,	/* of continuation lines */
};

struct out {
	FILE	*f;
	size_t	col;
};

static void put(struct out *o, const char *s)
{
	fputs(s, o->f);
	o->col += strlen(s);
}

static void end_line(struct out *o)
{
	fputc('\n', o->f);
	o->col = 0;
}

/* Item @i of a list: after ", ", or after "," on a new line. */
static void item(struct out *o, size_t i, const char *s)
{
	if (i) {
		/* Room for ", ", the item and the "," that may follow. */
		if (o->col + 2 + strlen(s) + 1 > WRAP) {
			fprintf(o->f, ",\n%*s", INDENT, "");
			o->col = INDENT;
		} else {
			put(o, ", ");
		}
	}
	put(o, s);
}

static const char *proto_name(uint8_t proto)
{
	size_t i;

	for (i = 0; i < POLICY_NPROTOS; i++)
		if (policy_protos[i].value == proto)
			return policy_protos[i].name;
	return NULL;
}

static int prefix_ok(const struct sgw_prefix *pf)
{
	return (pf->family == AF_INET && pf->len <= 32) ||
	       (pf->family == AF_INET6 && pf->len <= 128);
}

static bool is_name(enum sgw_l7_field f)
{
	return f == SGW_L7_FIELD_HOST || f == SGW_L7_FIELD_SNI ||
	       f == SGW_L7_FIELD_QNAME;
}

/*
 * A name that is a keyword of the app clause ("nosni") is written with its
 * trailing dot, which the parser takes and drops again.
 */
static bool needs_dot(enum sgw_l7_field f, const struct sgw_l7_pattern *pat)
{
	return is_name(f) && policy_l7_keyword(pat->str, pat->len);
}

/* The parser must read each pattern back as it is, and only once. */
static int l7_check(const struct policy_rule *r)
{
	const struct sgw_l7_rule *l7 = r->l7;
	uint8_t app = sgw_l7_rule_app(l7);
	const struct sgw_l7_pattern *set;
	unsigned int f, i, j, n;

	if (!policy_word_name(policy_apps, POLICY_NAPPS, app) ||
	    sgw_l7_rule_check(app, sgw_l7_rule_flags(l7)) ||
	    !policy_app_proto_ok(app, r->proto))
		return -1;
	for (f = 0; f < __SGW_L7_FIELD_MAX; f++) {
		set = sgw_l7_rule_patterns(l7, f, &n);
		if (n && !sgw_l7_field_valid(app, f))
			return -1;
		for (i = 0; i < n; i++) {
			if (!policy_lex_is_word(set[i].str, set[i].len,
						f == SGW_L7_FIELD_PATH) ||
			    (policy_l7_keyword(set[i].str, set[i].len) &&
			     !is_name(f)))
				return -1;
			for (j = 0; j < i; j++)
				if (set[j].len == set[i].len &&
				    !memcmp(set[j].str, set[i].str, set[i].len))
					return -1;
		}
	}
	return 0;
}

/* Refuse what the language cannot say before writing anything. */
static int check(const struct policy *p)
{
	size_t i, j;

	if (p->hooks & ~(uint32_t)__SGW_HOOK_F_ALL ||
	    p->flow_max > POLICY_FLOW_LIMIT_MAX ||
	    p->flags & ~(uint32_t)__SGW_POLICY_F_ALL)
		return -1;
	for (i = 0; i < p->nsegments; i++) {
		const struct policy_segment *s = &p->segments[i];

		if (!memchr(s->name, 0, sizeof(s->name)) || !s->name[0] ||
		    !s->nprefixes)
			return -1;
		for (j = 0; j < s->nprefixes; j++)
			if (!prefix_ok(&s->prefixes[j]))
				return -1;
	}
	for (i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (!r->nsrcs || !r->ndsts || !proto_name(r->proto) ||
		    (r->nports && r->proto != IPPROTO_TCP &&
		     r->proto != IPPROTO_UDP))
			return -1;
		for (j = 0; j < r->nsrcs; j++)
			if (!policy_segment_name(p, r->srcs[j]))
				return -1;
		for (j = 0; j < r->ndsts; j++)
			if (!policy_segment_name(p, r->dsts[j]))
				return -1;
		if (r->l7 && l7_check(r))
			return -1;
	}
	return 0;
}

/* A host is printed as its address alone. */
static void format_prefix(char *buf, size_t size, const struct sgw_prefix *pf)
{
	unsigned int max = pf->family == AF_INET ? 32 : 128;
	size_t n;

	inet_ntop(pf->family, pf->addr, buf, (socklen_t)size);
	n = strlen(buf);
	if (pf->len != max)
		snprintf(buf + n, size - n, "/%u", pf->len);
}

static void print_segment(struct out *o, const struct policy_segment *s)
{
	char buf[INET6_ADDRSTRLEN + 8];
	size_t i;

	put(o, "segment ");
	put(o, s->name);
	put(o, " ");
	for (i = 0; i < s->nprefixes; i++) {
		format_prefix(buf, sizeof(buf), &s->prefixes[i]);
		item(o, i, buf);
	}
	end_line(o);
}

static void print_side(struct out *o, const struct policy *p,
		       const uint16_t *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		item(o, i, policy_segment_name(p, ids[i]));
}

/*
 * " @word @first" (@first may be ""), on a new line if it would not fit:
 * a line that starts with a field or flag name continues an app clause.
 */
static void clause_word(struct out *o, const char *word, const char *first)
{
	/* Room for the "," that may follow the first pattern. */
	if (o->col + 1 + strlen(word) + 1 + strlen(first) + 1 > WRAP) {
		fprintf(o->f, "\n%*s", INDENT, "");
		o->col = INDENT;
	} else {
		put(o, " ");
	}
	put(o, word);
}

static void format_pattern(char *buf, size_t size, enum sgw_l7_field f,
			   const struct sgw_l7_pattern *pat)
{
	snprintf(buf, size, "%.*s%s", (int)pat->len, pat->str,
		 needs_dot(f, pat) ? "." : "");
}

/* " app NAME FIELD P, P ... FLAG", in the order of the key. */
static void print_app(struct out *o, const struct sgw_l7_rule *l7)
{
	char buf[SGW_L7_PATTERN_MAX + 1];
	const struct sgw_l7_pattern *set;
	unsigned int i, j, n;

	put(o, " app ");
	put(o, policy_word_name(policy_apps, POLICY_NAPPS,
				sgw_l7_rule_app(l7)));
	for (i = 0; i < POLICY_NL7_FIELDS; i++) {
		enum sgw_l7_field f = policy_l7_fields[i].value;

		set = sgw_l7_rule_patterns(l7, f, &n);
		if (!n)
			continue;
		format_pattern(buf, sizeof(buf), f, &set[0]);
		clause_word(o, policy_l7_fields[i].name, buf);
		put(o, " ");
		for (j = 0; j < n; j++) {
			format_pattern(buf, sizeof(buf), f, &set[j]);
			item(o, j, buf);
		}
	}
	for (i = 0; i < POLICY_NL7_FLAGS; i++)
		if (sgw_l7_rule_flags(l7) & policy_l7_flags[i].value)
			clause_word(o, policy_l7_flags[i].name, "");
}

static void print_rule(struct out *o, const struct policy *p,
		       const struct policy_rule *r)
{
	char buf[16];
	size_t i;

	put(o, "allow ");
	print_side(o, p, r->srcs, r->nsrcs);
	put(o, " -> ");
	print_side(o, p, r->dsts, r->ndsts);
	if (r->proto != SGW_PROTO_ANY) {
		put(o, " ");
		put(o, proto_name(r->proto));
	}
	if (r->nports)
		put(o, " ");
	for (i = 0; i < r->nports; i++) {
		if (r->ports[i].lo == r->ports[i].hi)
			snprintf(buf, sizeof(buf), "%u", r->ports[i].lo);
		else
			snprintf(buf, sizeof(buf), "%u-%u", r->ports[i].lo,
				 r->ports[i].hi);
		item(o, i, buf);
	}
	if (r->l7)
		print_app(o, r->l7);
	end_line(o);
}

int policy_print(FILE *f, const struct policy *p)
{
	struct out o = { .f = f };
	size_t i, n = 0;

	if (check(p)) {
		errno = EINVAL;
		return -1;
	}
	if (p->hooks) {
		put(&o, "hook ");
		for (i = 0; i < POLICY_NHOOKS; i++)
			if (p->hooks & policy_hooks[i].value)
				item(&o, n++, policy_hooks[i].name);
		end_line(&o);
	}
	if (p->flow_max)
		fprintf(f, "set flow-limit %u\n", p->flow_max);
	if (p->flags & SGW_POLICY_F_L7_DROP)
		fputs("set l7-deny drop\n", f);
	if (p->nsegments && (p->hooks || p->flow_max || p->flags))
		end_line(&o);
	for (i = 0; i < p->nsegments; i++)
		print_segment(&o, &p->segments[i]);
	if (p->nrules && (p->hooks || p->flow_max || p->flags ||
			  p->nsegments))
		end_line(&o);
	for (i = 0; i < p->nrules; i++)
		print_rule(&o, p, &p->rules[i]);
	if (fflush(f) || ferror(f))
		return -1;
	return 0;
}
