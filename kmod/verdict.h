/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every verdict on the packet path does besides deciding: count it,
 * log it, and for TCP, reset the sender when a flow is cut.
 */
#ifndef SGW_VERDICT_H
#define SGW_VERDICT_H

#include <linux/netfilter.h>
#include "event.h"
#include "netns.h"
#include "packet.h"
#include "policy.h"

struct sgw_flow;

static inline void sgw_emit(struct sgw_net *sn, u8 type, u8 reason,
			    const struct sgw_policy *p,
			    const struct sgw_tuple *t,
			    const struct sgw_decision *d,
			    const struct sgw_flow *f,
			    const struct sgw_l7_result *l7)
{
	struct sgw_event_info ev = {
		.type		= type,
		.reason		= reason,
		.src_seg	= d->src_seg,
		.dst_seg	= d->dst_seg,
		.rule_id	= d->rule_id,
		.line		= d->line,
		.generation	= p->generation,
		.tuple		= t,
		.flow		= f,
		.l7		= l7,
	};

	sgw_event_emit(sn, &ev);
}

static inline unsigned int sgw_drop(struct sgw_net *sn, enum sgw_counter why)
{
	sgw_stats_inc(sn->stats, why);
	return NF_DROP;
}

static inline unsigned int sgw_pass(struct sgw_net *sn)
{
	sgw_stats_inc(sn->stats, SGW_CNT_PASSED);
	return NF_ACCEPT;
}

/* Cut a TCP connection: reset the sender of @skb (never answer a reset). */
void sgw_send_reset(struct sgw_net *sn, struct sk_buff *skb,
		    const struct nf_hook_state *state,
		    const struct sgw_pkt *pkt);

#endif /* SGW_VERDICT_H */
