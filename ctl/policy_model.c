// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The policy model's lifetime and questions about it: freeing, segment
 * names by id, equality. Models come from policy_parse() or are built by
 * hand (from a kernel dump, say), so nothing here assumes parser order.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "policy.h"
#include "../kmod/core/l7/rule.h"

void policy_free(struct policy *p)
{
	size_t i;

	for (i = 0; i < p->nsegments; i++)
		free(p->segments[i].prefixes);
	for (i = 0; i < p->nrules; i++) {
		free(p->rules[i].srcs);
		free(p->rules[i].dsts);
		free(p->rules[i].ports);
		sgw_l7_rule_free(p->rules[i].l7);
	}
	free(p->segments);
	free(p->rules);
	memset(p, 0, sizeof(*p));
}

const char *policy_segment_name(const struct policy *p, uint16_t id)
{
	size_t i;

	if (id == SGW_SEG_WORLD)
		return "world";
	if (id == SGW_SEG_ANY)
		return "any";
	/* Parsed policies number segments in order; others are searched. */
	if (id <= p->nsegments && p->segments[id - 1].id == id)
		return p->segments[id - 1].name;
	for (i = 0; i < p->nsegments; i++)
		if (p->segments[i].id == id)
			return p->segments[i].name;
	return NULL;
}

static bool array_equal(const void *a, const void *b, size_t n, size_t size)
{
	return !n || !memcmp(a, b, n * size);
}

static bool segment_equal(const struct policy_segment *a,
			  const struct policy_segment *b)
{
	return !strcmp(a->name, b->name) && a->id == b->id &&
	       a->nprefixes == b->nprefixes &&
	       array_equal(a->prefixes, b->prefixes, a->nprefixes,
			   sizeof(*a->prefixes));
}

static bool l7_equal(const struct sgw_l7_rule *a, const struct sgw_l7_rule *b)
{
	const struct sgw_l7_pattern *x, *y;
	unsigned int f, i, nx, ny;

	if (!a || !b)
		return a == b;
	if (sgw_l7_rule_app(a) != sgw_l7_rule_app(b) ||
	    sgw_l7_rule_flags(a) != sgw_l7_rule_flags(b))
		return false;
	for (f = 0; f < __SGW_L7_FIELD_MAX; f++) {
		x = sgw_l7_rule_patterns(a, f, &nx);
		y = sgw_l7_rule_patterns(b, f, &ny);
		if (nx != ny)
			return false;
		for (i = 0; i < nx; i++)
			if (x[i].len != y[i].len ||
			    memcmp(x[i].str, y[i].str, x[i].len))
				return false;
	}
	return true;
}

static bool rule_equal(const struct policy_rule *a, const struct policy_rule *b)
{
	return a->id == b->id && a->proto == b->proto &&
	       l7_equal(a->l7, b->l7) &&
	       a->nsrcs == b->nsrcs && a->ndsts == b->ndsts &&
	       a->nports == b->nports &&
	       array_equal(a->srcs, b->srcs, a->nsrcs, sizeof(*a->srcs)) &&
	       array_equal(a->dsts, b->dsts, a->ndsts, sizeof(*a->dsts)) &&
	       array_equal(a->ports, b->ports, a->nports, sizeof(*a->ports));
}

int policy_equal(const struct policy *a, const struct policy *b)
{
	size_t i;

	if (a->hooks != b->hooks || a->flow_max != b->flow_max ||
	    a->flags != b->flags ||
	    a->nsegments != b->nsegments || a->nrules != b->nrules)
		return 0;
	for (i = 0; i < a->nsegments; i++)
		if (!segment_equal(&a->segments[i], &b->segments[i]))
			return 0;
	for (i = 0; i < a->nrules; i++)
		if (!rule_equal(&a->rules[i], &b->rules[i]))
			return 0;
	return 1;
}
