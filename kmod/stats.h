/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Namespace counters. Per-CPU so that the packet path never shares a
 * cache line for counting; summed only when read.
 */
#ifndef SGW_STATS_H
#define SGW_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>

struct sk_buff;

enum sgw_counter {
	SGW_CNT_PACKETS,
	SGW_CNT_PASSED,
	SGW_CNT_DROP_DEFAULT,
	SGW_CNT_DROP_REVOKED,
	SGW_CNT_DROP_TABLE_FULL,
	SGW_CNT_DROP_MALFORMED,
	SGW_CNT_DROP_FRAGMENT,
	SGW_CNT_DROP_NOMEM,
	SGW_CNT_FLOWS_CREATED,
	SGW_CNT_FLOWS_ENDED,
	SGW_CNT_FLOWS_REVOKED,
	SGW_CNT_PASSED_LOCAL,
	SGW_CNT_RESETS_SENT,
	SGW_CNT_DROP_L7,
	SGW_CNT_DROP_UNCLASSIFIED,
	SGW_CNT_DROP_HOLD_FULL,
	SGW_CNT_HELD_PACKETS,
	SGW_CNT_L7_CLASSIFIED,
	__SGW_CNT_MAX
};

struct sgw_stats {
	u64 cnt[__SGW_CNT_MAX];
};

static inline void sgw_stats_inc(struct sgw_stats __percpu *s,
				 enum sgw_counter c)
{
	this_cpu_inc(s->cnt[c]);
}

struct sgw_stats __percpu *sgw_stats_alloc(void);
void sgw_stats_free(struct sgw_stats __percpu *s);
void sgw_stats_sum(struct sgw_stats __percpu *s, struct sgw_stats *sum);
/* Gauges and counters kept elsewhere, reported beside the counters. */
struct sgw_stats_extra {
	u64	flows_active;
	u64	flow_max;
	u64	events;
	u64	events_lost;
	u64	events_sent;
	u64	event_msgs;
	u64	held_now;
};

int sgw_stats_fill(struct sk_buff *skb, struct sgw_stats __percpu *s,
		   const struct sgw_stats_extra *x);

#endif /* SGW_STATS_H */
