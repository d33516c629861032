// SPDX-License-Identifier: GPL-2.0
#include <net/netlink.h>
#include "stats.h"
#include "uapi/linux/sgw.h"

struct sgw_stats __percpu *sgw_stats_alloc(void)
{
	return alloc_percpu(struct sgw_stats);
}

void sgw_stats_free(struct sgw_stats __percpu *s)
{
	free_percpu(s);
}

void sgw_stats_sum(struct sgw_stats __percpu *s, struct sgw_stats *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct sgw_stats *p = per_cpu_ptr(s, cpu);

		for (i = 0; i < __SGW_CNT_MAX; i++)
			sum->cnt[i] += READ_ONCE(p->cnt[i]);
	}
}

/* Counter index to netlink attribute: the ABI numbering is its own. */
static const u16 stat_attr[__SGW_CNT_MAX] = {
	[SGW_CNT_PACKETS]		= SGW_STAT_A_PACKETS,
	[SGW_CNT_PASSED]		= SGW_STAT_A_PASSED,
	[SGW_CNT_DROP_DEFAULT]		= SGW_STAT_A_DROP_DEFAULT,
	[SGW_CNT_DROP_REVOKED]		= SGW_STAT_A_DROP_REVOKED,
	[SGW_CNT_DROP_TABLE_FULL]	= SGW_STAT_A_DROP_TABLE_FULL,
	[SGW_CNT_DROP_MALFORMED]	= SGW_STAT_A_DROP_MALFORMED,
	[SGW_CNT_DROP_FRAGMENT]		= SGW_STAT_A_DROP_FRAGMENT,
	[SGW_CNT_DROP_NOMEM]		= SGW_STAT_A_DROP_NOMEM,
	[SGW_CNT_FLOWS_CREATED]		= SGW_STAT_A_FLOWS_CREATED,
	[SGW_CNT_FLOWS_ENDED]		= SGW_STAT_A_FLOWS_ENDED,
	[SGW_CNT_FLOWS_REVOKED]		= SGW_STAT_A_FLOWS_REVOKED,
	[SGW_CNT_PASSED_LOCAL]		= SGW_STAT_A_PASSED_LOCAL,
	[SGW_CNT_RESETS_SENT]		= SGW_STAT_A_RESETS_SENT,
	[SGW_CNT_DROP_L7]		= SGW_STAT_A_DROP_L7,
	[SGW_CNT_DROP_UNCLASSIFIED]	= SGW_STAT_A_DROP_UNCLASSIFIED,
	[SGW_CNT_DROP_HOLD_FULL]	= SGW_STAT_A_DROP_HOLD_FULL,
	[SGW_CNT_HELD_PACKETS]		= SGW_STAT_A_HELD_PACKETS,
	[SGW_CNT_L7_CLASSIFIED]		= SGW_STAT_A_L7_CLASSIFIED,
};

int sgw_stats_fill(struct sk_buff *skb, struct sgw_stats __percpu *s,
		   const struct sgw_stats_extra *x)
{
	struct sgw_stats sum;
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, SGW_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (s) {
		sgw_stats_sum(s, &sum);
		for (i = 0; i < __SGW_CNT_MAX; i++)
			if (nla_put_u64_64bit(skb, stat_attr[i], sum.cnt[i],
					      SGW_STAT_A_PAD))
				goto cancel;
	}
	if (nla_put_u64_64bit(skb, SGW_STAT_A_FLOWS_ACTIVE, x->flows_active,
			      SGW_STAT_A_PAD) ||
	    nla_put_u64_64bit(skb, SGW_STAT_A_FLOW_MAX, x->flow_max,
			      SGW_STAT_A_PAD) ||
	    nla_put_u64_64bit(skb, SGW_STAT_A_EVENTS, x->events,
			      SGW_STAT_A_PAD) ||
	    nla_put_u64_64bit(skb, SGW_STAT_A_EVENTS_LOST, x->events_lost,
			      SGW_STAT_A_PAD) ||
	    nla_put_u64_64bit(skb, SGW_STAT_A_EVENTS_SENT, x->events_sent,
			      SGW_STAT_A_PAD) ||
	    nla_put_u64_64bit(skb, SGW_STAT_A_EVENT_MSGS, x->event_msgs,
			      SGW_STAT_A_PAD) ||
	    nla_put_u64_64bit(skb, SGW_STAT_A_HELD_NOW, x->held_now,
			      SGW_STAT_A_PAD))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}
