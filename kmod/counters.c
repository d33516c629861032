// SPDX-License-Identifier: GPL-2.0
#include <linux/bsearch.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/netlink.h>
#include "core/ruleset.h"
#include "counters.h"

struct sgw_counter_id {
	u32	id;
	u32	rule;
};

static int cmp_id(const void *a, const void *b)
{
	u32 x = ((const struct sgw_counter_id *)a)->id;
	u32 y = ((const struct sgw_counter_id *)b)->id;

	return x < y ? -1 : x > y;
}

s32 sgw_counters_index(const struct sgw_counters *c, u32 id)
{
	struct sgw_counter_id key = { .id = id };
	const struct sgw_counter_id *hit;

	if (!c->n)
		return -1;
	hit = bsearch(&key, c->by_id, c->n, sizeof(key), cmp_id);
	return hit ? hit->rule : -1;
}

static void put(struct sgw_rule_counter *rc)
{
	if (rc && refcount_dec_and_test(&rc->ref))
		kfree(rc);
}

void sgw_counters_free(struct sgw_counters *c)
{
	u32 i;

	for (i = 0; c->by_rule && i < c->n; i++)
		put(c->by_rule[i]);
	kvfree(c->by_rule);
	kvfree(c->by_id);
	memset(c, 0, sizeof(*c));
}

int sgw_counters_build(struct sgw_counters *c, const struct sgw_ruleset *rs,
		       const struct sgw_counters *old)
{
	u32 i, n = rs ? sgw_ruleset_count(rs) : 0;

	memset(c, 0, sizeof(*c));
	if (!n)
		return 0;
	c->by_rule = kvcalloc(n, sizeof(*c->by_rule), GFP_KERNEL);
	c->by_id = kvcalloc(n, sizeof(*c->by_id), GFP_KERNEL);
	if (!c->by_rule || !c->by_id)
		goto nomem;
	c->n = n;
	for (i = 0; i < n; i++) {
		u32 id = sgw_ruleset_rule(rs, i)->id;
		s32 j = old ? sgw_counters_index(old, id) : -1;
		struct sgw_rule_counter *rc;

		if (j >= 0) {
			rc = old->by_rule[j];
			refcount_inc(&rc->ref);
		} else {
			rc = kzalloc(sizeof(*rc), GFP_KERNEL);
			if (!rc)
				goto nomem;
			refcount_set(&rc->ref, 1);
			rc->id = id;
		}
		c->by_rule[i] = rc;
		c->by_id[i].id = id;
		c->by_id[i].rule = i;
	}
	sort(c->by_id, n, sizeof(*c->by_id), cmp_id, NULL);
	return 0;
nomem:
	sgw_counters_free(c);
	return -ENOMEM;
}

static void touch(struct sgw_rule_counter *rc)
{
	u64 now = ktime_get_real_seconds();

	/* Racing CPUs write nearly the same second: either is right. */
	if (!READ_ONCE(rc->first_hit))
		WRITE_ONCE(rc->first_hit, now);
	WRITE_ONCE(rc->last_hit, now);
}

void sgw_counters_hit(const struct sgw_counters *c, s32 i)
{
	if (i < 0 || i >= c->n)
		return;
	atomic64_inc(&c->by_rule[i]->flows);
	touch(c->by_rule[i]);
}

void sgw_counters_fold(const struct sgw_counters *c, u32 id, u64 packets,
		       u64 bytes)
{
	s32 i = sgw_counters_index(c, id);

	if (i < 0)
		return;
	atomic64_add(packets, &c->by_rule[i]->packets);
	atomic64_add(bytes, &c->by_rule[i]->bytes);
	touch(c->by_rule[i]);
}

int sgw_counters_fill(struct sk_buff *skb, const struct sgw_counters *c,
		      s32 i, u64 live_packets, u64 live_bytes)
{
	const struct sgw_rule_counter *rc;
	struct nlattr *nest;

	if (i < 0 || i >= c->n)
		return 0;
	rc = c->by_rule[i];
	nest = nla_nest_start(skb, SGW_RULE_A_COUNTERS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, SGW_CNT_A_PACKETS,
			      atomic64_read(&rc->packets) + live_packets,
			      SGW_CNT_A_PAD) ||
	    nla_put_u64_64bit(skb, SGW_CNT_A_BYTES,
			      atomic64_read(&rc->bytes) + live_bytes,
			      SGW_CNT_A_PAD) ||
	    nla_put_u64_64bit(skb, SGW_CNT_A_FLOWS, atomic64_read(&rc->flows),
			      SGW_CNT_A_PAD) ||
	    (READ_ONCE(rc->first_hit) &&
	     (nla_put_u64_64bit(skb, SGW_CNT_A_FIRST_HIT,
				READ_ONCE(rc->first_hit), SGW_CNT_A_PAD) ||
	      nla_put_u64_64bit(skb, SGW_CNT_A_LAST_HIT,
				READ_ONCE(rc->last_hit), SGW_CNT_A_PAD)))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
