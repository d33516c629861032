// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Rule ids. An unchanged rule keeps its id across reloads however the file
 * around it moves, so counters and flows attributed to it (by the module,
 * by id) stay meaningful to the user.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "policy_hash.h"
#include "policy_id.h"
#include "policy_lex.h"
#include "../kmod/core/l7/rule.h"

static int add(struct policy_keybuf *kb, const char *s, size_t len)
{
	char *n;

	if (!len)
		return 0;
	n = policy_grow(kb->buf, &kb->cap, kb->len + len, 1);
	if (!n)
		return -1;
	kb->buf = n;
	memcpy(kb->buf + kb->len, s, len);
	kb->len += len;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int add_names(struct policy_keybuf *kb, const char **names, size_t n)
{
	size_t i;

	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++)
		if ((i && add(kb, ",", 1)) ||
		    add(kb, names[i], strlen(names[i])))
			return -1;
	return 0;
}

static int cmp_ranges(const void *a, const void *b)
{
	const struct sgw_port_range *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return (x->hi > y->hi) - (x->hi < y->hi);
}

static int add_ports(struct policy_keybuf *kb,
		     const struct sgw_port_range *ports, size_t nports)
{
	struct sgw_port_range *r;
	size_t i, n = 0;
	char num[16];
	int ret = 0;

	if (!nports)
		return 0;
	r = malloc(nports * sizeof(*r));
	if (!r)
		return -1;
	memcpy(r, ports, nports * sizeof(*r));
	qsort(r, nports, sizeof(*r), cmp_ranges);
	for (i = 1; i < nports; i++) {
		if ((uint32_t)r[i].lo <= (uint32_t)r[n].hi + 1) {
			if (r[i].hi > r[n].hi)
				r[n].hi = r[i].hi;
		} else {
			r[++n] = r[i];
		}
	}
	n++;
	if (n == 1 && r[0].lo == 0 && r[0].hi == 65535)
		goto out;
	for (i = 0; i < n && !ret; i++) {
		int len = snprintf(num, sizeof(num), "%c%u-%u",
				   i ? ',' : '|', r[i].lo, r[i].hi);

		ret = add(kb, num, (size_t)len);
	}
out:
	free(r);
	return ret;
}

static int cmp_patterns(const void *a, const void *b)
{
	const struct sgw_l7_pattern *x = *(const struct sgw_l7_pattern *const *)a;
	const struct sgw_l7_pattern *y = *(const struct sgw_l7_pattern *const *)b;
	int c = memcmp(x->str, y->str, x->len < y->len ? x->len : y->len);

	if (c)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

static int add_word(struct policy_keybuf *kb, const char *sep,
		    const char *word)
{
	return add(kb, sep, strlen(sep)) || add(kb, word, strlen(word));
}

/* " FIELD=P1,P2": the patterns sorted, so their order does not count. */
static int add_field(struct policy_keybuf *kb, const char *name,
		     const struct sgw_l7_pattern *set, unsigned int n)
{
	const struct sgw_l7_pattern **sorted;
	unsigned int i;
	int ret = -1;

	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -1;
	for (i = 0; i < n; i++)
		sorted[i] = &set[i];
	qsort(sorted, n, sizeof(*sorted), cmp_patterns);
	if (add_word(kb, " ", name) || add(kb, "=", 1))
		goto out;
	for (i = 0; i < n; i++)
		if ((i && add(kb, ",", 1)) ||
		    add(kb, sorted[i]->str, sorted[i]->len))
			goto out;
	ret = 0;
out:
	free(sorted);
	return ret;
}

static int add_app(struct policy_keybuf *kb, const struct sgw_l7_rule *l7)
{
	const char *name = policy_word_name(policy_apps, POLICY_NAPPS,
					    sgw_l7_rule_app(l7));
	const struct sgw_l7_pattern *set;
	unsigned int n;
	size_t i;

	if (add_word(kb, "|", name ? name : "?"))
		return -1;
	for (i = 0; i < POLICY_NL7_FIELDS; i++) {
		set = sgw_l7_rule_patterns(l7, policy_l7_fields[i].value, &n);
		if (n && add_field(kb, policy_l7_fields[i].name, set, n))
			return -1;
	}
	for (i = 0; i < POLICY_NL7_FLAGS; i++)
		if (sgw_l7_rule_flags(l7) & policy_l7_flags[i].value &&
		    add_word(kb, " ", policy_l7_flags[i].name))
			return -1;
	return 0;
}

int policy_rule_key(struct policy_keybuf *kb, const char **srcs, size_t nsrcs,
		    const char **dsts, size_t ndsts, uint8_t proto,
		    const struct sgw_port_range *ports, size_t nports,
		    const struct sgw_l7_rule *l7)
{
	char num[8];
	int len = snprintf(num, sizeof(num), "|%u", proto);

	kb->len = 0;
	if (add_names(kb, srcs, nsrcs) || add(kb, ">", 1) ||
	    add_names(kb, dsts, ndsts) || add(kb, num, (size_t)len) ||
	    add_ports(kb, ports, nports) || (l7 && add_app(kb, l7)))
		return -1;
	return 0;
}

struct order {
	const struct policy_key	*key;
	size_t			rule;
};

static int cmp_keys(const void *a, const void *b)
{
	const struct policy_key *x = ((const struct order *)a)->key;
	const struct policy_key *y = ((const struct order *)b)->key;
	int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	if (c)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

static int taken(const struct policy_index *ids, const uint32_t *vals,
		 uint32_t id)
{
	struct policy_slot *s;

	for (s = policy_index_first(ids, id); s->val;
	     s = policy_index_next(ids, s))
		if (vals[s->val - 1] == id)
			return 1;
	return 0;
}

int policy_assign_ids(struct policy_rule *rules, const struct policy_key *keys,
		      size_t n)
{
	struct policy_index ids = { 0 };
	struct order *o = NULL;
	uint32_t *vals = NULL;
	size_t i;
	int ret = -1;

	if (!n)
		return 0;
	o = calloc(n, sizeof(*o));
	vals = calloc(n, sizeof(*vals));
	if (!o || !vals || policy_index_reserve(&ids, n))
		goto out;
	for (i = 0; i < n; i++) {
		o[i].key = &keys[i];
		o[i].rule = i;
	}
	qsort(o, n, sizeof(*o), cmp_keys);

	for (i = 0; i < n; i++) {
		uint32_t base = policy_fnv1a(POLICY_FNV_BASIS, o[i].key->s,
					     o[i].key->len);
		uint32_t id = base, tries = 0;
		struct policy_slot *s;

		for (;;) {
			char sfx[16];
			int len;

			if (!id)
				id = 1;
			if (!taken(&ids, vals, id))
				break;
			len = snprintf(sfx, sizeof(sfx), "#%u", ++tries);
			id = policy_fnv1a(base, sfx, (size_t)len);
		}
		for (s = policy_index_first(&ids, id); s->val;
		     s = policy_index_next(&ids, s))
			;
		vals[i] = id;
		policy_index_put(&ids, s, id, (uint32_t)i);
		rules[o[i].rule].id = id;
	}
	ret = 0;
out:
	policy_index_free(&ids);
	free(vals);
	free(o);
	return ret;
}

/* The key of rule @r, its segment ids named by @p. */
static int key_of(struct policy_keybuf *kb, const struct policy *p,
		  const struct policy_rule *r)
{
	const char **names = calloc(r->nsrcs + r->ndsts + 1, sizeof(*names));
	size_t i;
	int ret;

	if (!names)
		return -1;
	for (i = 0; i < r->nsrcs + r->ndsts; i++) {
		uint16_t id = i < r->nsrcs ? r->srcs[i] : r->dsts[i - r->nsrcs];
		const char *name = policy_segment_name(p, id);

		/* No segment name is empty: an unknown id matches nothing. */
		names[i] = name ? name : "";
	}
	ret = policy_rule_key(kb, names, r->nsrcs, names + r->nsrcs, r->ndsts,
			      r->proto, r->ports, r->nports, r->l7);
	free(names);
	return ret;
}

int policy_rule_same(const struct policy *pa, const struct policy_rule *a,
		     const struct policy *pb, const struct policy_rule *b)
{
	struct policy_keybuf ka = { 0 }, kb = { 0 };
	int ret = -1;

	if (!key_of(&ka, pa, a) && !key_of(&kb, pb, b))
		ret = ka.len == kb.len && !memcmp(ka.buf, kb.buf, ka.len);
	free(ka.buf);
	free(kb.buf);
	return ret;
}

static int in(const uint32_t *ids, size_t n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

uint32_t policy_rule_free_id(const struct policy *p,
			     const struct policy_rule *r,
			     const uint32_t *taken, size_t ntaken)
{
	struct policy_keybuf kb = { 0 };
	uint32_t base, id, tries = 0;

	if (key_of(&kb, p, r)) {
		free(kb.buf);
		return 0;
	}
	base = policy_fnv1a(POLICY_FNV_BASIS, kb.buf, kb.len);
	free(kb.buf);
	/* The same sequence of candidates as policy_assign_ids(). */
	for (id = base;; ) {
		char sfx[16];
		int len;

		if (!id)
			id = 1;
		if (!in(taken, ntaken, id))
			return id;
		len = snprintf(sfx, sizeof(sfx), "#%u", ++tries);
		id = policy_fnv1a(base, sfx, (size_t)len);
	}
}
