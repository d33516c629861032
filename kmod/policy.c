// SPDX-License-Identifier: GPL-2.0
#include <linux/in.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/workqueue.h>
#include "core/lpm.h"
#include "core/ruleset.h"
#include "policy.h"

/* Old generations are freed in process context: the tables are vmalloc'd. */
static struct workqueue_struct *free_wq;

void sgw_policy_decide(const struct sgw_policy *p, const struct sgw_tuple *t,
		       struct sgw_decision *d)
{
	const struct sgw_lpm *lpm = t->family == AF_INET ? p->lpm4 : p->lpm6;
	struct sgw_match_key k;

	d->src_seg = lpm ? sgw_lpm_lookup(lpm, t->saddr) : SGW_SEG_WORLD;
	d->dst_seg = lpm ? sgw_lpm_lookup(lpm, t->daddr) : SGW_SEG_WORLD;
	d->rule = -1;
	d->rule_id = 0;
	if (!p->rules)
		return;

	k.src_seg = d->src_seg;
	k.dst_seg = d->dst_seg;
	k.proto = t->proto;
	k.dport = ntohs(t->dport);
	d->rule = sgw_ruleset_lookup(p->rules, &k);
	if (d->rule >= 0)
		d->rule_id = sgw_ruleset_rule(p->rules, d->rule)->id;
}

void sgw_policy_free(struct sgw_policy *p)
{
	u32 i;

	if (!p)
		return;
	if (p->lpm4)
		sgw_lpm_free(p->lpm4);
	if (p->lpm6)
		sgw_lpm_free(p->lpm6);
	if (p->rules)
		sgw_ruleset_free(p->rules);
	for (i = 0; i < p->nsegments; i++)
		kvfree(p->segments[i].prefixes);
	kvfree(p->segments);
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
