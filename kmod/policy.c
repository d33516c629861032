// SPDX-License-Identifier: GPL-2.0
#include <linux/in.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/workqueue.h>
#include "core/lpm.h"
#include "core/ruleset.h"
#include "core/l7/rule.h"
#include "policy.h"

/* Old generations are freed in process context: the tables are vmalloc'd. */
static struct workqueue_struct *free_wq;

static void match_key(const struct sgw_policy *p, const struct sgw_tuple *t,
		      struct sgw_decision *d, struct sgw_match_key *k)
{
	const struct sgw_lpm *lpm = NULL;

	if (p->segs)
		lpm = t->family == AF_INET ? p->segs->lpm4 : p->segs->lpm6;

	d->src_seg = lpm ? sgw_lpm_lookup(lpm, t->saddr) : SGW_SEG_WORLD;
	d->dst_seg = lpm ? sgw_lpm_lookup(lpm, t->daddr) : SGW_SEG_WORLD;
	d->rule = -1;
	d->rule_id = 0;
	d->line = 0;
	d->need_l7 = false;
	d->reason = SGW_R_DEFAULT_DENY;
	k->src_seg = d->src_seg;
	k->dst_seg = d->dst_seg;
	k->proto = t->proto;
	k->dport = ntohs(t->dport);
}

static void allow(const struct sgw_policy *p, s32 i, struct sgw_decision *d)
{
	const struct sgw_rule_spec *r = sgw_ruleset_rule(p->rules, i);

	d->rule = i;
	d->rule_id = r->id;
	d->line = r->line;
	d->need_l7 = false;
	d->reason = SGW_R_ALLOW;
}

void sgw_policy_decide(const struct sgw_policy *p, const struct sgw_tuple *t,
		       struct sgw_decision *d)
{
	struct sgw_candidates c;
	struct sgw_match_key k;
	s32 i;

	match_key(p, t, d, &k);
	if (!p->rules)
		return;
	i = sgw_ruleset_lookup(p->rules, &k);
	if (i >= 0) {
		allow(p, i, d);
		return;
	}
	/* No rule allows it on L4 alone; does an application rule? */
	sgw_ruleset_candidates(p->rules, &k, &c);
	while ((i = sgw_candidates_next(&c)) >= 0) {
		if (sgw_ruleset_rule(p->rules, i)->l7) {
			d->need_l7 = true;
			return;
		}
	}
}

void sgw_policy_decide_l7(const struct sgw_policy *p,
			  const struct sgw_tuple *t,
			  const struct sgw_l7_result *res,
			  struct sgw_decision *d)
{
	struct sgw_candidates c;
	struct sgw_match_key k;
	s32 i;

	match_key(p, t, d, &k);
	if (!p->rules)
		return;
	/* The first rule, in policy order, that this flow satisfies. */
	sgw_ruleset_candidates(p->rules, &k, &c);
	while ((i = sgw_candidates_next(&c)) >= 0) {
		const struct sgw_rule_spec *r = sgw_ruleset_rule(p->rules, i);

		if (!r->l7 ||
		    (res->status == SGW_L7_NEED_MORE ?
		     sgw_l7_rule_match_unclassified(r->l7) :
		     sgw_l7_rule_match(r->l7, res))) {
			allow(p, i, d);
			return;
		}
	}
	d->reason = res->status == SGW_L7_MATCH ? SGW_R_L7_MISMATCH :
						  SGW_R_UNCLASSIFIED;
}

const struct sgw_segment *sgw_segment_find(const struct sgw_segment *segs,
					   u32 n, u16 id)
{
	u32 lo = 0, hi = n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (segs[mid].id == id)
			return &segs[mid];
		if (segs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void sgw_segtab_put(struct sgw_segtab *t)
{
	u32 i;

	if (!t || !refcount_dec_and_test(&t->ref))
		return;
	if (t->lpm4)
		sgw_lpm_free(t->lpm4);
	if (t->lpm6)
		sgw_lpm_free(t->lpm6);
	for (i = 0; i < t->nsegments; i++)
		kvfree(t->segments[i].prefixes);
	kvfree(t->segments);
	kfree(t);
}

void sgw_policy_free(struct sgw_policy *p)
{
	if (!p)
		return;
	sgw_segtab_put(p->segs);
	if (p->rules) {
		size_t i, n = sgw_ruleset_count(p->rules);

		/* The policy holds a reference on its rules' application
		 * parts.
		 */
		for (i = 0; i < n; i++)
			sgw_l7_rule_free((struct sgw_l7_rule *)
					 sgw_ruleset_rule(p->rules, i)->l7);
		sgw_ruleset_free(p->rules);
	}
	sgw_counters_free(&p->counters);
	kfree(p);
}

static void free_work_fn(struct work_struct *work)
{
	struct sgw_policy *p = container_of(to_rcu_work(work),
					    struct sgw_policy, free_work);

	sgw_policy_free(p);
}

void sgw_policy_free_rcu(struct sgw_policy *p)
{
	if (!p)
		return;
	INIT_RCU_WORK(&p->free_work, free_work_fn);
	queue_rcu_work(free_wq, &p->free_work);
}

int sgw_policy_init(void)
{
	free_wq = alloc_workqueue("sgw_policy_free", 0, 0);
	return free_wq ? 0 : -ENOMEM;
}

void sgw_policy_uninit(void)
{
	/* Every queued free waits for a grace period, then runs on free_wq. */
	rcu_barrier();
	destroy_workqueue(free_wq);
}
