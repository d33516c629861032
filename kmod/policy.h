/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A policy generation: segments, their LPM tables and the allow tables,
 * immutable once built. The packet path reads the live one under RCU; a
 * load builds a whole new one and swaps the pointer, so no packet ever
 * sees half a policy.
 */
#ifndef SGW_POLICY_H
#define SGW_POLICY_H

#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include "counters.h"
#include "uapi/linux/sgw.h"

struct sgw_lpm;
struct sgw_ruleset;

struct sgw_segment {
	u16			id;
	char			name[SGW_SEG_NAME_MAX];
	u32			nprefixes;
	u32			prefixes_cap;	/* allocated, while staged */
	struct sgw_prefix	*prefixes;
};

/*
 * The segments and their prefix tables. An update that changes only rules
 * shares them with the generation it started from: building the LPM of a
 * large policy costs seconds, and a one-rule change must not.
 */
struct sgw_segtab {
	refcount_t		ref;
	struct sgw_lpm		*lpm4;
	struct sgw_lpm		*lpm6;
	/* Kept for dumps, sorted by id. */
	struct sgw_segment	*segments;
	u32			nsegments;
};

struct sgw_policy {
	u32			generation;
	u32			hooks;		/* SGW_HOOK_F_* */
	u32			flags;		/* SGW_POLICY_F_* */
	u32			flow_max;
	struct sgw_segtab	*segs;		/* NULL: no segments */
	struct sgw_ruleset	*rules;
	struct sgw_counters	counters;
	struct rcu_work		free_work;
};

/* A flow as the policy sees it: oriented from the side that opened it. */
struct sgw_tuple {
	u8	family;
	u8	proto;
	__be16	sport;
	__be16	dport;
	const u8 *saddr;
	const u8 *daddr;
};

struct sgw_decision {
	u16	src_seg;
	u16	dst_seg;
	s32	rule;		/* index in the ruleset, -1: denied */
	u32	rule_id;	/* stable id, 0 when denied */
	u32	line;		/* the rule's policy line */
	bool	need_l7;	/* denied on L4, but an application rule may
				 * allow it: classify first
				 */
	u8	reason;		/* SGW_R_* */
};

struct sgw_l7_result;

/* Decide a new flow on L3/L4. */
void sgw_policy_decide(const struct sgw_policy *p, const struct sgw_tuple *t,
		       struct sgw_decision *d);
/* Decide a flow that needed L7, from its classification @res. */
void sgw_policy_decide_l7(const struct sgw_policy *p,
			  const struct sgw_tuple *t,
			  const struct sgw_l7_result *res,
			  struct sgw_decision *d);

/* The segment with id @id in @segs (@n, sorted by id), or NULL. */
const struct sgw_segment *sgw_segment_find(const struct sgw_segment *segs,
					   u32 n, u16 id);
void sgw_segtab_put(struct sgw_segtab *t);

/* Free now (no reader can hold it) or after a grace period. */
void sgw_policy_free(struct sgw_policy *p);
void sgw_policy_free_rcu(struct sgw_policy *p);

int sgw_policy_init(void);
void sgw_policy_uninit(void);

#endif /* SGW_POLICY_H */
