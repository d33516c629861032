// SPDX-License-Identifier: GPL-2.0
#include <linux/netlink.h>
#include <linux/bsearch.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/socket.h>
#include "core/l7/rule.h"
#include "core/lpm.h"
#include "flow.h"
#include "netns.h"
#include "policy.h"
#include "txn.h"

struct sgw_txn {
	struct sgw_txn_begin	b;
	struct sgw_segment	*segs;		/* ascending ids */
	u32			nsegs;
	u32			segs_cap;
	u64			nprefixes;
	struct sgw_rule_spec	*rules;
	u32			nrules;
	u32			rules_cap;
	u32			*dels;		/* rule ids, updates only */
	u32			ndels;
	u32			dels_cap;
};

static bool is_update(const struct sgw_txn *txn)
{
	return txn->b.txn_flags & SGW_TXN_F_UPDATE;
}

/* Grow @*arr of @size-byte elements to hold at least @want. */
static int grow(void **arr, u32 *cap, size_t size, u32 want)
{
	u32 ncap = max_t(u32, *cap ? *cap : 8, 8);
	void *n;

	if (want <= *cap)
		return 0;
	while (ncap < want)
		ncap = ncap > U32_MAX / 2 ? want : ncap * 2;
	n = kvmalloc_array(ncap, size, GFP_KERNEL | __GFP_ZERO);
	if (!n)
		return -ENOMEM;
	if (*arr)
		memcpy(n, *arr, (size_t)*cap * size);
	kvfree(*arr);
	*arr = n;
	*cap = ncap;
	return 0;
}

static void free_rule(struct sgw_rule_spec *r)
{
	sgw_l7_rule_free((struct sgw_l7_rule *)r->l7);
	kfree(r->srcs);
	kfree(r->dsts);
	kfree(r->ports);
}

void sgw_txn_free(struct sgw_txn *txn)
{
	u32 i;

	if (!txn)
		return;
	for (i = 0; i < txn->nsegs; i++)
		kvfree(txn->segs[i].prefixes);
	kvfree(txn->segs);
	for (i = 0; i < txn->nrules; i++)
		free_rule(&txn->rules[i]);
	kvfree(txn->rules);
	kvfree(txn->dels);
	kfree(txn);
}

static struct sgw_txn *owned_txn(struct sgw_net *sn, u32 portid,
				 struct netlink_ext_ack *extack)
{
	if (!sn->txn || sn->txn->b.portid != portid) {
		NL_SET_ERR_MSG(extack, "no transaction open on this socket");
		return NULL;
	}
	return sn->txn;
}

int sgw_txn_begin(struct sgw_net *sn, const struct sgw_txn_begin *b,
		  struct netlink_ext_ack *extack)
{
	struct sgw_txn *txn;

	lockdep_assert_held(&sn->lock);
	if (sn->txn && sn->txn->b.portid != b->portid) {
		NL_SET_ERR_MSG(extack,
			       "another transaction is open in this namespace");
		return -EBUSY;
	}
	if (b->has_expect_gen && b->expect_gen != sn->generation) {
		NL_SET_ERR_MSG(extack, "the policy changed since it was read");
		return -ESTALE;
	}
	/* An allow rule added to nothing would deny everything else. */
	if ((b->txn_flags & SGW_TXN_F_UPDATE) && !sgw_net_policy(sn)) {
		NL_SET_ERR_MSG(extack, "no policy is loaded to update");
		return -ENOENT;
	}
	txn = kzalloc(sizeof(*txn), GFP_KERNEL);
	if (!txn)
		return -ENOMEM;
	txn->b = *b;
	if (!txn->b.hooks)
		txn->b.hooks = SGW_HOOK_F_FORWARD;
	/* An update applies to the generation it began on, or to none. */
	if (is_update(txn) && !txn->b.has_expect_gen) {
		txn->b.expect_gen = sn->generation;
		txn->b.has_expect_gen = true;
	}
	/* Beginning again on the same socket drops what it staged so far. */
	sgw_txn_free(sn->txn);
	sn->txn = txn;
	return 0;
}

static struct sgw_segment *find_seg(struct sgw_txn *txn, u16 id)
{
	return (struct sgw_segment *)sgw_segment_find(txn->segs, txn->nsegs,
						      id);
}

static struct sgw_segment *new_seg(struct sgw_txn *txn, u16 id,
				   const char *name,
				   struct netlink_ext_ack *extack)
{
	struct sgw_segment *s;

	if (!name || !name[0]) {
		NL_SET_ERR_MSG(extack, "a new segment needs a name");
		return ERR_PTR(-EINVAL);
	}
	if (txn->nsegs && txn->segs[txn->nsegs - 1].id > id) {
		NL_SET_ERR_MSG(extack,
			       "new segments must come in ascending id order");
		return ERR_PTR(-EINVAL);
	}
	/* Names are checked unique at commit: here it would cost n^2. */
	if (grow((void **)&txn->segs, &txn->segs_cap, sizeof(*txn->segs),
		 txn->nsegs + 1))
		return ERR_PTR(-ENOMEM);
	s = &txn->segs[txn->nsegs++];
	s->id = id;
	strscpy(s->name, name, sizeof(s->name));
	return s;
}

int sgw_txn_add_segment(struct sgw_net *sn, u32 portid, u16 id,
			const char *name, const struct sgw_prefix *prefixes,
			u32 n, struct netlink_ext_ack *extack)
{
	struct sgw_txn *txn = owned_txn(sn, portid, extack);
	struct sgw_segment *s;
	u32 i;
	int ret;

	if (!txn)
		return -ENOENT;
	if (is_update(txn)) {
		NL_SET_ERR_MSG(extack,
			       "an update keeps the live segments: load the whole policy to change them");
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		const struct sgw_prefix *pf = &prefixes[i];

		if (!((pf->family == AF_INET && pf->len <= 32) ||
		      (pf->family == AF_INET6 && pf->len <= 128)) ||
		    pf->pad[0] || pf->pad[1]) {
			NL_SET_ERR_MSG(extack, "bad prefix family or length");
			return -EINVAL;
		}
	}
	if (txn->nprefixes + n > SGW_TXN_MAX_PREFIXES) {
		NL_SET_ERR_MSG(extack, "too many prefixes in one policy");
		return -E2BIG;
	}
	s = find_seg(txn, id);
	if (s && name && strcmp(name, s->name)) {
		NL_SET_ERR_MSG(extack, "segment id sent again with another name");
		return -EINVAL;
	}
	if (!s) {
		s = new_seg(txn, id, name, extack);
		if (IS_ERR(s))
			return PTR_ERR(s);
	}
	ret = grow((void **)&s->prefixes, &s->prefixes_cap,
		   sizeof(*s->prefixes), s->nprefixes + n);
	if (ret)
		return ret;
	memcpy(&s->prefixes[s->nprefixes], prefixes, n * sizeof(*prefixes));
	s->nprefixes += n;
	txn->nprefixes += n;
	return 0;
}

int sgw_txn_add_rule(struct sgw_net *sn, u32 portid,
		     const struct sgw_rule_spec *r,
		     struct netlink_ext_ack *extack)
{
	struct sgw_txn *txn = owned_txn(sn, portid, extack);
	struct sgw_rule_spec *dst;

	if (!txn) {
		sgw_l7_rule_free((struct sgw_l7_rule *)r->l7);
		return -ENOENT;
	}
	if (txn->nrules >= SGW_RULES_MAX) {
		sgw_l7_rule_free((struct sgw_l7_rule *)r->l7);
		NL_SET_ERR_MSG(extack, "too many rules in one policy");
		return -E2BIG;
	}
	if (grow((void **)&txn->rules, &txn->rules_cap, sizeof(*txn->rules),
		 txn->nrules + 1)) {
		sgw_l7_rule_free((struct sgw_l7_rule *)r->l7);
		return -ENOMEM;
	}
	dst = &txn->rules[txn->nrules];
	*dst = *r;
	dst->srcs = kmemdup(r->srcs, r->nsrcs * sizeof(u16), GFP_KERNEL);
	dst->dsts = kmemdup(r->dsts, r->ndsts * sizeof(u16), GFP_KERNEL);
	dst->ports = r->nports ?
		     kmemdup(r->ports, r->nports * sizeof(*r->ports),
			     GFP_KERNEL) : NULL;
	if (!dst->srcs || !dst->dsts || (r->nports && !dst->ports)) {
		free_rule(dst);
		memset(dst, 0, sizeof(*dst));
		return -ENOMEM;
	}
	txn->nrules++;
	return 0;
}

int sgw_txn_del_rule(struct sgw_net *sn, u32 portid, u32 id,
		     struct netlink_ext_ack *extack)
{
	struct sgw_txn *txn = owned_txn(sn, portid, extack);

	if (!txn)
		return -ENOENT;
	if (!is_update(txn)) {
		NL_SET_ERR_MSG(extack, "rules are deleted only in an update");
		return -EINVAL;
	}
	if (txn->ndels >= SGW_RULES_MAX) {
		NL_SET_ERR_MSG(extack, "too many rules in one policy");
		return -E2BIG;
	}
	if (grow((void **)&txn->dels, &txn->dels_cap, sizeof(*txn->dels),
		 txn->ndels + 1))
		return -ENOMEM;
	txn->dels[txn->ndels++] = id;
	return 0;
}

static bool seg_known(const struct sgw_segment *segs, u32 n, u16 id)
{
	return id == SGW_SEG_WORLD || id == SGW_SEG_ANY ||
	       sgw_segment_find(segs, n, id);
}

/* The rules staged in @txn may name only the segments @segs. */
static int check_rule_segments(struct sgw_txn *txn,
			       const struct sgw_segment *segs, u32 nsegs,
			       struct netlink_ext_ack *extack)
{
	u32 i, j;

	for (i = 0; i < txn->nrules; i++) {
		const struct sgw_rule_spec *r = &txn->rules[i];

		for (j = 0; j < r->nsrcs; j++)
			if (!seg_known(segs, nsegs, r->srcs[j]))
				goto bad;
		for (j = 0; j < r->ndsts; j++)
			if (!seg_known(segs, nsegs, r->dsts[j]))
				goto bad;
	}
	return 0;
bad:
	NL_SET_ERR_MSG(extack, "a rule names a segment id that was not sent");
	return -EINVAL;
}

static int cmp_seg_name(const void *a, const void *b)
{
	const struct sgw_segment *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* Sorted, so that 10k segments cost n log n comparisons, not n^2. */
static int check_segment_names(struct sgw_txn *txn,
			       struct netlink_ext_ack *extack)
{
	const struct sgw_segment **by_name;
	int ret = 0;
	u32 i;

	if (txn->nsegs < 2)
		return 0;
	by_name = kvmalloc_array(txn->nsegs, sizeof(*by_name), GFP_KERNEL);
	if (!by_name)
		return -ENOMEM;
	for (i = 0; i < txn->nsegs; i++)
		by_name[i] = &txn->segs[i];
	sort(by_name, txn->nsegs, sizeof(*by_name), cmp_seg_name, NULL);
	for (i = 1; i < txn->nsegs && !ret; i++) {
		if (!strcmp(by_name[i - 1]->name, by_name[i]->name)) {
			NL_SET_ERR_MSG(extack, "segment name already used");
			ret = -EEXIST;
		}
	}
	kvfree(by_name);
	return ret;
}

static struct sgw_lpm *build_lpm(struct sgw_txn *txn, u8 family,
				 struct netlink_ext_ack *extack, int *err)
{
	unsigned int alen = family == AF_INET ? 4 : 16;
	struct sgw_lpm_prefix *arr;
	struct sgw_lpm *lpm;
	size_t n = 0;
	u32 i, j;

	*err = 0;
	for (i = 0; i < txn->nsegs; i++)
		for (j = 0; j < txn->segs[i].nprefixes; j++)
			n += txn->segs[i].prefixes[j].family == family;
	if (!n)
		return NULL;
	arr = kvmalloc_array(n, sizeof(*arr), GFP_KERNEL);
	if (!arr) {
		*err = -ENOMEM;
		return NULL;
	}
	n = 0;
	for (i = 0; i < txn->nsegs; i++) {
		for (j = 0; j < txn->segs[i].nprefixes; j++) {
			const struct sgw_prefix *pf = &txn->segs[i].prefixes[j];

			if (pf->family != family)
				continue;
			memcpy(arr[n].addr, pf->addr, sizeof(arr[n].addr));
			arr[n].len = pf->len;
			arr[n].value = txn->segs[i].id;
			n++;
		}
	}
	lpm = sgw_lpm_build(alen, arr, n, err);
	kvfree(arr);
	if (!lpm && *err == -EEXIST)
		NL_SET_ERR_MSG(extack, "the same prefix is in two segments");
	else if (!lpm && *err == -E2BIG)
		NL_SET_ERR_MSG(extack, "prefix table too large");
	else if (!lpm)
		NL_SET_ERR_MSG(extack, "cannot build the prefix table");
	return lpm;
}

static struct sgw_segtab *build_segtab(struct sgw_txn *txn,
				       struct netlink_ext_ack *extack,
				       int *err)
{
	struct sgw_segtab *t = kzalloc(sizeof(*t), GFP_KERNEL);

	*err = -ENOMEM;
	if (!t)
		return NULL;
	refcount_set(&t->ref, 1);
	t->lpm4 = build_lpm(txn, AF_INET, extack, err);
	if (*err)
		goto err;
	t->lpm6 = build_lpm(txn, AF_INET6, extack, err);
	if (*err)
		goto err;
	/* The table keeps the segments for dumps. */
	t->segments = txn->segs;
	t->nsegments = txn->nsegs;
	txn->segs = NULL;
	txn->nsegs = 0;
	return t;
err:
	sgw_segtab_put(t);
	return NULL;
}

/*
 * The allow tables of @specs, @n of them; on success @p holds a reference
 * on every application part. The last @txn->nrules specs are the staged
 * rules, whose references move from @txn to @p; the others are borrowed
 * from the live policy, which keeps its own.
 */
static int build_rules(struct sgw_policy *p, struct sgw_txn *txn,
		       const struct sgw_rule_spec *specs, u32 n,
		       struct netlink_ext_ack *extack)
{
	int err = 0;
	u32 i;

	if (!n)
		return 0;
	p->rules = sgw_ruleset_build(specs, n, &err);
	if (!p->rules) {
		NL_SET_ERR_MSG(extack, "cannot build the rule tables");
		return err;
	}
	for (i = 0; i < n - txn->nrules; i++)
		if (specs[i].l7)
			sgw_l7_rule_get((struct sgw_l7_rule *)specs[i].l7);
	for (i = 0; i < txn->nrules; i++)
		txn->rules[i].l7 = NULL;
	return 0;
}

static struct sgw_policy *build_policy(struct sgw_txn *txn,
				       const struct sgw_policy *old,
				       struct netlink_ext_ack *extack,
				       int *err)
{
	struct sgw_policy *p;

	*err = check_segment_names(txn, extack) ?:
	       check_rule_segments(txn, txn->segs, txn->nsegs, extack);
	if (*err)
		return NULL;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	p->hooks = txn->b.hooks;
	p->flags = txn->b.flags;
	p->flow_max = txn->b.flow_max ?: SGW_FLOW_MAX_DEFAULT;
	p->segs = build_segtab(txn, extack, err);
	if (!p->segs)
		goto err;
	*err = build_rules(p, txn, txn->rules, txn->nrules, extack) ?:
	       sgw_counters_build(&p->counters, p->rules,
				  old ? &old->counters : NULL);
	if (*err)
		goto err;
	return p;
err:
	sgw_policy_free(p);
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return (x > y) - (x < y);
}

static bool deleted(const struct sgw_txn *txn, u32 id)
{
	return bsearch(&id, txn->dels, txn->ndels, sizeof(*txn->dels),
		       cmp_u32);
}

/* Every id deleted is loaded once; every id added is no longer loaded. */
static int check_update_ids(struct sgw_txn *txn, const struct sgw_policy *old,
			    struct netlink_ext_ack *extack)
{
	u32 i;

	sort(txn->dels, txn->ndels, sizeof(*txn->dels), cmp_u32, NULL);
	for (i = 0; i < txn->ndels; i++) {
		if (i && txn->dels[i] == txn->dels[i - 1]) {
			NL_SET_ERR_MSG(extack, "a rule is deleted twice");
			return -EINVAL;
		}
		if (sgw_counters_index(&old->counters, txn->dels[i]) < 0) {
			NL_SET_ERR_MSG(extack, "no loaded rule has this id");
			return -ENOENT;
		}
	}
	for (i = 0; i < txn->nrules; i++) {
		u32 id = txn->rules[i].id;

		if (sgw_counters_index(&old->counters, id) >= 0 &&
		    !deleted(txn, id)) {
			NL_SET_ERR_MSG(extack,
				       "a loaded rule already has this id");
			return -EEXIST;
		}
	}
	return 0;
}

/* The live rules minus the deleted ones, then the added ones. */
static struct sgw_rule_spec *update_specs(struct sgw_txn *txn,
					  const struct sgw_policy *old,
					  u32 *n)
{
	size_t nold = old->rules ? sgw_ruleset_count(old->rules) : 0;
	struct sgw_rule_spec *specs;
	size_t i;

	specs = kvmalloc_array(nold - txn->ndels + txn->nrules + 1,
			       sizeof(*specs), GFP_KERNEL);
	if (!specs)
		return NULL;
	*n = 0;
	for (i = 0; i < nold; i++) {
		const struct sgw_rule_spec *r = sgw_ruleset_rule(old->rules, i);

		if (!deleted(txn, r->id))
			specs[(*n)++] = *r;
	}
	memcpy(&specs[*n], txn->rules, txn->nrules * sizeof(*specs));
	*n += txn->nrules;
	return specs;
}

/*
 * Only the allow tables are rebuilt: the segments and their prefix tables
 * are shared with the live generation, which an update cannot change.
 */
static struct sgw_policy *build_update(struct sgw_txn *txn,
				       const struct sgw_policy *old,
				       struct netlink_ext_ack *extack,
				       int *err)
{
	const struct sgw_segtab *t;
	struct sgw_rule_spec *specs;
	struct sgw_policy *p;
	u32 n;

	/* A reset since the update began (it keeps the generation). */
	if (!old) {
		NL_SET_ERR_MSG(extack, "no policy is loaded to update");
		*err = -ENOENT;
		return NULL;
	}
	t = old->segs;
	*err = check_update_ids(txn, old, extack) ?:
	       check_rule_segments(txn, t ? t->segments : NULL,
				   t ? t->nsegments : 0, extack);
	if (*err)
		return NULL;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	specs = update_specs(txn, old, &n);
	if (!p || !specs) {
		*err = -ENOMEM;
		goto err;
	}
	p->hooks = old->hooks;
	p->flags = old->flags;
	p->flow_max = old->flow_max;
	if (t) {
		p->segs = old->segs;
		refcount_inc(&p->segs->ref);
	}
	*err = build_rules(p, txn, specs, n, extack) ?:
	       sgw_counters_build(&p->counters, p->rules, &old->counters);
	if (*err)
		goto err;
	kvfree(specs);
	return p;
err:
	kvfree(specs);
	sgw_policy_free(p);
	return NULL;
}

int sgw_txn_commit(struct sgw_net *sn, u32 portid, u32 *generation,
		   struct netlink_ext_ack *extack)
{
	struct sgw_txn *txn = owned_txn(sn, portid, extack);
	struct sgw_policy *old = sgw_net_policy(sn);
	struct sgw_policy *p;
	int ret;

	if (!txn)
		return -ENOENT;
	if (txn->b.has_expect_gen && txn->b.expect_gen != sn->generation) {
		NL_SET_ERR_MSG(extack, "the policy changed since it was read");
		ret = -ESTALE;
		goto out;
	}
	if (is_update(txn))
		p = build_update(txn, old, extack, &ret);
	else
		p = build_policy(txn, old, extack, &ret);
	if (!p)
		goto out;
	ret = sgw_net_install(sn, p, extack);
	if (!ret)
		*generation = sn->generation;
out:
	/* Committed or failed, the transaction is over. */
	sgw_txn_free(txn);
	sn->txn = NULL;
	return ret;
}

int sgw_txn_abort(struct sgw_net *sn, u32 portid)
{
	if (!sn->txn || sn->txn->b.portid != portid)
		return -ENOENT;
	sgw_txn_free(sn->txn);
	sn->txn = NULL;
	return 0;
}

int sgw_txn_flush(struct sgw_net *sn, u32 *generation,
		  struct netlink_ext_ack *extack)
{
	struct sgw_policy *old = sgw_net_policy(sn);
	struct sgw_policy *p;
	int ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->hooks = old ? old->hooks : SGW_HOOK_F_FORWARD;
	p->flags = old ? old->flags : 0;
	p->flow_max = old ? old->flow_max : SGW_FLOW_MAX_DEFAULT;
	ret = sgw_net_install(sn, p, extack);
	if (!ret)
		*generation = sn->generation;
	return ret;
}
