/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Deciding flows offline as the module decides them live, for "sgctl
 * replay":
 *
 *  - the tables: a policy's LPM tables and allow tables, built from a
 *    struct policy with the module's own code (kmod/core/lpm.c,
 *    ruleset.c) as kmod/txn.c builds them on commit;
 *  - the decision: decider_decide() and decider_decide_l7() are
 *    sgw_policy_decide() and sgw_policy_decide_l7() of kmod/policy.c, with
 *    the same candidate order and the L7 contract of kmod/core/l7/rule.h;
 *  - classification as kmod/l7.c runs it: a TCP client stream one
 *    segment at a time until the classifier answers or the hold limits
 *    (16 KiB, 32 packets) are reached; each UDP datagram on its own (its
 *    first 2048 bytes);
 *  - a flow: decided on L4 first; only if no L4 rule allows it and an
 *    application rule could, on its classification (decide_flow()). A
 *    client stream that ends, or reaches the limits, while the classifier
 *    still needs more is "not recognised in time": only an "app
 *    unclassified" rule allows it. Every later client datagram of a UDP
 *    flow decided on its application is decided again on its own.
 *
 * And the records "sgctl replay" prints: key=value fields, rendered as one
 * text line or one JSON object, every string escaped (escape.h).
 */
#ifndef SGCTL_DECIDE_H
#define SGCTL_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "../kmod/core/l7/l7.h"
#include "pcapflow.h"
#include "policy.h"
#include "record.h"

enum decide_limit {
	/* kmod/hold.h SGW_HOLD_PACKETS: client packets held at most. */
	DECIDE_HOLD_PACKETS	= 32,
};

struct decider;

/*
 * Build the tables of @p, which must outlive the decider (the rules'
 * application parts are used in place). Returns 0, or -errno as the
 * module's commit would fail: -EEXIST (a prefix twice), -E2BIG (past the
 * LPM or ruleset limits), -EINVAL, -ENOMEM.
 */
int decider_build(const struct policy *p, struct decider **out);
void decider_free(struct decider *d);

/* A flow as the policy sees it: from the side that opened it. */
struct replay_tuple {
	uint8_t		family;
	uint8_t		proto;
	uint16_t	sport;		/* host order */
	uint16_t	dport;
	const uint8_t	*saddr;
	const uint8_t	*daddr;
};

/* struct sgw_decision of kmod/policy.h. */
struct replay_decision {
	uint16_t	src_seg;
	uint16_t	dst_seg;
	int32_t		rule;		/* index in the policy, -1: denied */
	uint32_t	rule_id;
	uint32_t	line;
	bool		need_l7;
	uint8_t		reason;		/* SGW_R_* */
};

void decider_decide(const struct decider *d, const struct replay_tuple *t,
		    struct replay_decision *out);
void decider_decide_l7(const struct decider *d,
		       const struct replay_tuple *t,
		       const struct sgw_l7_result *res,
		       struct replay_decision *out);

/*
 * Classify a TCP client stream as the hold does: @buf's first
 * @piece_end[i] bytes after its i-th segment, until an answer other than
 * NEED_MORE, PF_PREFIX_MAX bytes or DECIDE_HOLD_PACKETS segments. No
 * segment: NEED_MORE. *@bytes and *@packets: what the last call read.
 */
void classify_stream(const uint8_t *buf, const uint32_t *piece_end,
		     uint32_t npieces, uint16_t dport,
		     struct sgw_l7_result *res, uint32_t *bytes,
		     uint32_t *packets);

/* One client datagram of a UDP flow. */
struct dgram_verdict {
	size_t			index;	/* 1: the flow's first datagram */
	uint64_t		time_ns;
	struct sgw_l7_result	res;
	bool			decided;	/* on its own, by the policy */
	struct replay_decision	d;
};

struct flow_verdict {
	bool			decided;	/* a policy was given */
	bool			by_l7;		/* on its application */
	struct replay_decision	d;
	/* TCP and UDP: the classification of the client stream, or of the
	 * first datagram. Shown for every such flow, even one decided on
	 * L4 (which the module does not classify).
	 */
	bool			classified;
	struct sgw_l7_result	res;
	uint32_t		l7_bytes;	/* TCP: what was classified */
	uint32_t		l7_packets;
	/* UDP: the client's datagrams denied, the first included, and the
	 * later ones worth a record of their own (decide_datagram()).
	 */
	size_t			dgrams_denied;
	size_t			dgrams_listed;
};

/* Decide @f under @d, or only classify it when @d is NULL. */
void decide_flow(const struct decider *d, const struct pf_flow *f,
		 struct flow_verdict *v);
/*
 * The client datagram @i of @f (0 is the first, which decide_flow() put
 * in @v): classified, and decided on its own when @v was decided on the
 * application. Returns whether it is worth a record: recognised as an
 * application, or denied.
 */
bool decide_datagram(const struct decider *d, const struct pf_flow *f,
		     const struct flow_verdict *v, size_t i,
		     struct dgram_verdict *dv);

/* "record=NAME", the first field of every replay record (record.h). */
void replay_record_begin(struct record *r, const char *name);

/*
 * record=flow: the flow, its segments and verdict (with a policy @p),
 * its application and fields, its traffic. See docs/replay.md.
 */
void flow_record(struct record *r, const struct pf_flow *f,
		 const struct flow_verdict *v, const struct policy *p);
/* record=datagram: one from decide_datagram(). */
void datagram_record(struct record *r, const struct pf_flow *f,
		     const struct dgram_verdict *dv);

#endif /* SGCTL_DECIDE_H */
