/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Allow tables: which rules may decide a new flow, found by hashing, never
 * by walking the rule list.
 *
 * Rules are grouped by (source segment, destination segment), SGW_SEG_ANY
 * included as a segment of its own. Within a pair, each protocol has the
 * port space 0..65535 cut into disjoint intervals, and each interval holds
 * the indices of the rules covering it, in rule order (rule order is
 * priority: the first rule in the policy that allows a flow is the one it
 * is attributed to). A list stops at its first rule without ->l7: no rule
 * after that one can be the first to allow a flow, and cutting there keeps
 * lists short where many rules overlap. A lookup probes at most four pairs
 * (s,d) (s,any) (any,d) (any,any), two protocol slots each (the packet's
 * and "any"), with a binary search over intervals in each: its cost
 * depends on the log of the intervals in one pair, not on the number of
 * rules.
 *
 * Immutable after sgw_ruleset_build(), like the LPM tables.
 */
#ifndef SGW_CORE_RULESET_H
#define SGW_CORE_RULESET_H

#include "compat.h"
#include "../../include/uapi/linux/sgw.h"

enum sgw_ruleset_limit {
	SGW_RULES_MAX		= 1U << 20,
	SGW_RULE_SEGS_MAX	= 4096,	/* segments on one side of a rule */
	SGW_RULE_PORTS_MAX	= 4096,	/* port ranges in one rule */
	/* Probed lists: 4 segment pairs x 2 protocol slots. */
	SGW_CANDIDATE_LISTS	= 8,
	/* A rule lands in every (src, dst) pair it names, once per port
	 * range: 4096 x 4096 x 4096 for one rule at the limits above. These
	 * bound what a policy may expand to, and so the build's memory and
	 * time: (pair, rule, port range) triples, and rule indices stored
	 * over all intervals.
	 */
	SGW_RULESET_EXPAND_MAX	= 1U << 22,
	SGW_RULESET_POOL_MAX	= 1U << 24,
};

struct sgw_rule_spec {
	u32				id;	/* stable id, nonzero */
	u32				line;
	const u16			*srcs;	/* segment ids or SGW_SEG_ANY */
	u32				nsrcs;
	const u16			*dsts;
	u32				ndsts;
	u8				proto;	/* IPPROTO_*, SGW_PROTO_ANY */
	const struct sgw_port_range	*ports;	/* NULL/0: every port */
	u32				nports;
	u32				flags;	/* SGW_RULE_F_* */
	/* Further match conditions decided after L4 (application layer);
	 * NULL when the rule decides on L4 alone. Opaque here.
	 */
	const void			*l7;
};

struct sgw_match_key {
	u16	src_seg;
	u16	dst_seg;
	u8	proto;
	u16	dport;		/* host byte order; 0 without ports */
};

/*
 * The candidate rules for one key: up to SGW_CANDIDATE_LISTS sorted lists
 * of rule indices, merged in rule order by sgw_candidates_next(). Every
 * rule covering the key, up to the first one without ->l7, comes out once,
 * in rule order; some covering rules after that one may follow (each list
 * is cut on its own), and are no use to a first-match caller.
 */
struct sgw_candidates {
	const u32	*list[SGW_CANDIDATE_LISTS];
	u32		len[SGW_CANDIDATE_LISTS];
	u32		pos[SGW_CANDIDATE_LISTS];
	unsigned int	nlists;
};

struct sgw_ruleset;

/*
 * Build from @n rules; rule i has priority i. The specs are copied, except
 * ->l7, whose pointee must outlive the ruleset. Returns NULL with *err:
 * -EINVAL (bad segment, proto, port range, zero or duplicate id),
 * -EOPNOTSUPP (unknown flag), -ENOMEM, -E2BIG past the limits above.
 */
struct sgw_ruleset *sgw_ruleset_build(const struct sgw_rule_spec *rules,
				      size_t n, int *err);
void sgw_ruleset_free(struct sgw_ruleset *rs);

/* Rules in the set, and rule @i as given to build (spec arrays copied). */
size_t sgw_ruleset_count(const struct sgw_ruleset *rs);
const struct sgw_rule_spec *sgw_ruleset_rule(const struct sgw_ruleset *rs,
					     size_t i);

/* Collect the candidate lists for @k into @c. */
void sgw_ruleset_candidates(const struct sgw_ruleset *rs,
			    const struct sgw_match_key *k,
			    struct sgw_candidates *c);

/* Next candidate rule index in rule order, or -1 when exhausted. */
s32 sgw_candidates_next(struct sgw_candidates *c);

/*
 * The first rule allowing @k on L4 alone, ignoring rules with ->l7, or -1.
 */
s32 sgw_ruleset_lookup(const struct sgw_ruleset *rs,
		       const struct sgw_match_key *k);

size_t sgw_ruleset_memory(const struct sgw_ruleset *rs);

#endif /* SGW_CORE_RULESET_H */
