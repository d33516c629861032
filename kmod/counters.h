/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-rule counters: flows a rule allowed, and the packets and bytes they
 * carried, with the first and last time it was hit.
 *
 * Nothing is counted per packet here: a flow's own counters are folded
 * into its rule's when it ends, and a dump adds the live flows. A rule
 * keeps its counters across loads as long as its stable id is unchanged:
 * the new generation takes a reference on the old one's counter.
 */
#ifndef SGW_COUNTERS_H
#define SGW_COUNTERS_H

#include <linux/atomic.h>
#include <linux/refcount.h>
#include <linux/types.h>

struct sgw_ruleset;
struct sk_buff;

struct sgw_rule_counter {
	refcount_t	ref;
	u32		id;
	atomic64_t	packets;
	atomic64_t	bytes;
	atomic64_t	flows;
	u64		first_hit;	/* unix seconds, 0: never */
	u64		last_hit;
};

struct sgw_counters {
	u32			n;
	/* By rule index, and (id, index) sorted by id. */
	struct sgw_rule_counter	**by_rule;
	struct sgw_counter_id	*by_id;
};

/* Counters for every rule of @rs, shared with @old where ids match. */
int sgw_counters_build(struct sgw_counters *c, const struct sgw_ruleset *rs,
		       const struct sgw_counters *old);
void sgw_counters_free(struct sgw_counters *c);

/* Rule index of stable id @id, or -1. */
s32 sgw_counters_index(const struct sgw_counters *c, u32 id);

/* A flow allowed by rule @i. */
void sgw_counters_hit(const struct sgw_counters *c, s32 i);
/* A flow of rule id @id ended having carried @packets and @bytes. */
void sgw_counters_fold(const struct sgw_counters *c, u32 id, u64 packets,
		       u64 bytes);

/* SGW_RULE_A_COUNTERS for rule @i, plus @live_packets/@live_bytes. */
int sgw_counters_fill(struct sk_buff *skb, const struct sgw_counters *c,
		      s32 i, u64 live_packets, u64 live_bytes);

#endif /* SGW_COUNTERS_H */
