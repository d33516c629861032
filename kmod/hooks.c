// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: netfilter hooks that decide every packet from the flow
 * table, or from the policy for a packet that opens a flow.
 *
 * Runs under RCU (netfilter holds the read lock around hooks); reads the
 * live policy once per packet, so one packet is decided by one generation.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>
#include "flow.h"
#include "hooks.h"
#include "l7.h"
#include "verdict.h"

enum { SGW_HOOK_PRIORITY = NF_IP_PRI_FILTER };

void sgw_send_reset(struct sgw_net *sn, struct sk_buff *skb,
		    const struct nf_hook_state *state,
		    const struct sgw_pkt *pkt)
{
	if (pkt->t.proto != IPPROTO_TCP || (pkt->tcp_flags & SGW_TCP_RST))
		return;
	if (pkt->t.family == AF_INET)
		nf_send_reset(state->net, state->sk, skb, state->hook);
	else
		nf_send_reset6(state->net, state->sk, skb, state->hook);
	sgw_stats_inc(sn->stats, SGW_CNT_RESETS_SENT);
}

void sgw_track_state(struct sgw_flow *f, u8 side, const struct sgw_pkt *pkt)
{
	u8 state = READ_ONCE(f->state);

	/*
	 * A flow waiting for its application, or denied on it, keeps that
	 * state whatever flags it sends: a client must not end the wait by
	 * sending a reset the server would ignore.
	 */
	if (state == SGW_FLOW_S_PENDING || state == SGW_FLOW_S_DENIED)
		return;
	if (state == SGW_FLOW_S_OPEN && side != f->init_side)
		WRITE_ONCE(f->state, SGW_FLOW_S_ESTABLISHED);
	if (pkt->t.proto != IPPROTO_TCP)
		return;
	if (pkt->tcp_flags & SGW_TCP_FIN) {
		u8 fin = READ_ONCE(f->fin) | (1 << side);

		WRITE_ONCE(f->fin, fin);
		if (fin == 3)
			WRITE_ONCE(f->state, SGW_FLOW_S_CLOSING);
	}
	if (pkt->tcp_flags & SGW_TCP_RST)
		WRITE_ONCE(f->state, SGW_FLOW_S_CLOSING);
}

/*
 * Zero trust: a verdict cached under an older generation is checked again
 * against the live policy before the packet passes. A flow allowed by an
 * application rule is checked against the application data it was
 * classified with. Returns false if the flow is no longer allowed.
 */
static bool reverify(const struct sgw_policy *p, struct sgw_flow *f)
{
	struct sgw_decision d;
	struct sgw_tuple t;

	sgw_flow_tuple(f, &t);
	sgw_policy_decide(p, &t, &d);
	if (d.need_l7 && f->l7)
		sgw_policy_decide_l7(p, &t, f->l7, &d);
	if (d.rule < 0)
		return false;
	WRITE_ONCE(f->src_seg, d.src_seg);
	WRITE_ONCE(f->dst_seg, d.dst_seg);
	WRITE_ONCE(f->rule_id, d.rule_id);
	WRITE_ONCE(f->rule_line, d.line);
	WRITE_ONCE(f->generation, p->generation);
	return true;
}

static void flow_decision(const struct sgw_flow *f, struct sgw_decision *d)
{
	d->src_seg = READ_ONCE(f->src_seg);
	d->dst_seg = READ_ONCE(f->dst_seg);
	d->rule_id = READ_ONCE(f->rule_id);
	d->line = READ_ONCE(f->rule_line);
}

static unsigned int revoke(struct sgw_net *sn, const struct sgw_policy *p,
			   struct sgw_flow *f, struct sk_buff *skb,
			   const struct nf_hook_state *state,
			   const struct sgw_pkt *pkt)
{
	u8 old = READ_ONCE(f->state);

	/* Count and log the revocation once, however many CPUs see it. */
	if (old != SGW_FLOW_S_REVOKED &&
	    cmpxchg(&f->state, old, SGW_FLOW_S_REVOKED) == old) {
		struct sgw_decision d;
		struct sgw_tuple t;

		flow_decision(f, &d);
		sgw_stats_inc(sn->stats, SGW_CNT_FLOWS_REVOKED);
		sgw_flow_tuple(f, &t);
		sgw_emit(sn, SGW_EV_REVOKE, SGW_R_REVOKED, p, &t, &d, f, f->l7);
	}
	WRITE_ONCE(f->generation, p->generation);
	WRITE_ONCE(f->last_seen, sgw_jiffies32());
	sgw_send_reset(sn, skb, state, pkt);
	return sgw_drop(sn, SGW_CNT_DROP_REVOKED);
}

/* A flow denied on its application data: everything it sends is cut. */
static unsigned int denied(struct sgw_net *sn, const struct sgw_policy *p,
			   struct sgw_flow *f, struct sk_buff *skb,
			   const struct nf_hook_state *state,
			   const struct sgw_pkt *pkt)
{
	WRITE_ONCE(f->last_seen, sgw_jiffies32());
	if (!(p->flags & SGW_POLICY_F_L7_DROP))
		sgw_send_reset(sn, skb, state, pkt);
	return sgw_drop(sn, SGW_CNT_DROP_L7);
}

static unsigned int new_flow(struct sgw_net *sn, const struct sgw_policy *p,
			     const struct sgw_flow_key *key, u8 side,
			     struct sk_buff *skb,
			     const struct nf_hook_state *state,
			     const struct sgw_pkt *pkt)
{
	struct sgw_l7_result *l7 = NULL;
	struct sgw_decision d;
	struct sgw_flow *f;

	sgw_policy_decide(p, &pkt->t, &d);
	if (d.rule < 0 && !d.need_l7) {
		sgw_emit(sn, SGW_EV_DENY, d.reason, p, &pkt->t, &d, NULL, NULL);
		return sgw_drop(sn, SGW_CNT_DROP_DEFAULT);
	}
	/* A reset opens nothing: no entry to cache. */
	if (pkt->t.proto == IPPROTO_TCP && (pkt->tcp_flags & SGW_TCP_RST))
		return sgw_pass(sn);
	/*
	 * Data on the packet that opens a TCP flow (in the SYN, or a flow
	 * picked up mid-stream) would reach the server before a verdict.
	 */
	if (d.need_l7 && pkt->t.proto == IPPROTO_TCP && pkt->payload_len) {
		d.reason = SGW_R_UNCLASSIFIED;
		sgw_emit(sn, SGW_EV_DENY, d.reason, p, &pkt->t, &d, NULL, NULL);
		return sgw_drop(sn, SGW_CNT_DROP_UNCLASSIFIED);
	}
	/* A datagram carries its own application data: decide it now. */
	if (d.need_l7 && pkt->t.proto != IPPROTO_TCP) {
		l7 = sgw_l7_decide_datagram(sn, p, skb, pkt, &d);
		if (!l7)
			return sgw_drop(sn, SGW_CNT_DROP_L7);
	}
	f = sgw_flow_create(&sn->flows, key, side, &d, p->generation);
	if (IS_ERR(f)) {
		d.rule_id = 0;
		sgw_emit(sn, SGW_EV_DENY, SGW_R_TABLE_FULL, p, &pkt->t, &d,
			 NULL, l7);
		kfree(l7);
		return sgw_drop(sn, PTR_ERR(f) == -ENOSPC ?
				SGW_CNT_DROP_TABLE_FULL : SGW_CNT_DROP_NOMEM);
	}
	if (d.need_l7) {
		/* TCP: the handshake passes, payload waits for a verdict. */
		WRITE_ONCE(f->state, SGW_FLOW_S_PENDING);
	} else {
		sgw_counters_hit(&p->counters, d.rule);
		/* Every later datagram of an application flow is checked. */
		if (l7 && cmpxchg(&f->l7, NULL, l7) == NULL)
			f->l7_each = pkt->t.proto == IPPROTO_UDP;
		else
			kfree(l7);
		sgw_emit(sn, SGW_EV_ALLOW, SGW_R_ALLOW, p, &pkt->t, &d, NULL,
			 f->l7);
	}
	sgw_flow_account(f, side, skb->len);
	sgw_track_state(f, side, pkt);
	return sgw_pass(sn);
}

static bool is_new_syn(const struct sgw_pkt *pkt)
{
	return pkt->t.proto == IPPROTO_TCP &&
	       (pkt->tcp_flags & (SGW_TCP_SYN | SGW_TCP_ACK)) == SGW_TCP_SYN;
}

static unsigned int flow_verdict(struct sgw_net *sn,
				 const struct sgw_policy *p,
				 struct sk_buff *skb,
				 const struct nf_hook_state *state,
				 const struct sgw_pkt *pkt)
{
	struct sgw_flow_key key;
	struct sgw_flow *f;
	u8 side, fstate;

	sgw_flow_key_make(&key, &pkt->t, &side);
	f = sgw_flow_lookup(&sn->flows, &key);
	/* A closed connection's ports reused: a new flow, a new decision. */
	if (f && READ_ONCE(f->state) == SGW_FLOW_S_CLOSING &&
	    is_new_syn(pkt)) {
		sgw_flow_remove(&sn->flows, f, SGW_R_CLOSED);
		f = NULL;
	}
	if (!f)
		return new_flow(sn, p, &key, side, skb, state, pkt);
	fstate = READ_ONCE(f->state);
	if (fstate == SGW_FLOW_S_DENIED)
		return denied(sn, p, f, skb, state, pkt);
	if (fstate == SGW_FLOW_S_PENDING) {
		/* The server's side and bare TCP control pass meanwhile. */
		if (side == f->init_side && pkt->payload_len)
			return sgw_l7_hold(sn, p, f, skb, state, pkt);
	} else if (fstate == SGW_FLOW_S_REVOKED ||
		   (READ_ONCE(f->generation) != p->generation &&
		    !reverify(p, f))) {
		return revoke(sn, p, f, skb, state, pkt);
	} else if (f->l7_each && side == f->init_side &&
		   !sgw_l7_check_datagram(sn, p, f, skb, pkt)) {
		return sgw_drop(sn, SGW_CNT_DROP_L7);
	}
	sgw_flow_account(f, side, skb->len);
	sgw_track_state(f, side, pkt);
	return sgw_pass(sn);
}

/* An ICMP error passes if it quotes a packet of a live flow. */
static unsigned int icmp_error_verdict(struct sgw_net *sn,
				       const struct sgw_pkt *pkt)
{
	struct sgw_flow_key key;
	struct sgw_flow *f;
	u8 side;

	sgw_flow_key_make(&key, &pkt->t, &side);
	f = sgw_flow_lookup(&sn->flows, &key);
	if (!f || READ_ONCE(f->state) == SGW_FLOW_S_REVOKED)
		return sgw_drop(sn, SGW_CNT_DROP_DEFAULT);
	return sgw_pass(sn);
}

static bool is_loopback(const struct nf_hook_state *state)
{
	const struct net_device *dev = state->in ? state->in : state->out;

	return dev && (dev->flags & IFF_LOOPBACK);
}

unsigned int sgw_hook(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	struct sgw_net *sn = sgw_net(state->net);
	u32 hook = (unsigned long)priv;
	const struct sgw_policy *p;
	struct sgw_pkt pkt;

	p = rcu_dereference(sn->policy);
	if (!p || !(p->hooks & hook))
		return NF_ACCEPT;
	sgw_stats_inc(sn->stats, SGW_CNT_PACKETS);
	if (hook != SGW_HOOK_F_FORWARD && is_loopback(state)) {
		sgw_stats_inc(sn->stats, SGW_CNT_PASSED_LOCAL);
		return NF_ACCEPT;
	}
	switch (sgw_packet_parse(skb, state->pf == NFPROTO_IPV4 ?
				 AF_INET : AF_INET6, &pkt)) {
	case SGW_PKT_FLOW:
		return flow_verdict(sn, p, skb, state, &pkt);
	case SGW_PKT_ICMP_ERROR:
		return icmp_error_verdict(sn, &pkt);
	case SGW_PKT_LOCAL_CONTROL:
		if (hook == SGW_HOOK_F_FORWARD)
			return sgw_drop(sn, SGW_CNT_DROP_DEFAULT);
		sgw_stats_inc(sn->stats, SGW_CNT_PASSED_LOCAL);
		return NF_ACCEPT;
	case SGW_PKT_FRAGMENT:
		return sgw_drop(sn, SGW_CNT_DROP_FRAGMENT);
	case SGW_PKT_MALFORMED:
	default:
		return sgw_drop(sn, SGW_CNT_DROP_MALFORMED);
	}
}

#define SGW_HOOK_OPS(_pf, _hooknum, _bit) {			\
	.hook		= sgw_hook,				\
	.pf		= _pf,					\
	.hooknum	= _hooknum,				\
	.priority	= SGW_HOOK_PRIORITY,			\
	.priv		= (void *)(unsigned long)(_bit),	\
}

/* Per hook point, IPv4 and IPv6: registered and unregistered together. */
static const struct nf_hook_ops hook_ops[][2] = {
	{ SGW_HOOK_OPS(NFPROTO_IPV4, NF_INET_FORWARD, SGW_HOOK_F_FORWARD),
	  SGW_HOOK_OPS(NFPROTO_IPV6, NF_INET_FORWARD, SGW_HOOK_F_FORWARD) },
	{ SGW_HOOK_OPS(NFPROTO_IPV4, NF_INET_LOCAL_IN, SGW_HOOK_F_INPUT),
	  SGW_HOOK_OPS(NFPROTO_IPV6, NF_INET_LOCAL_IN, SGW_HOOK_F_INPUT) },
	{ SGW_HOOK_OPS(NFPROTO_IPV4, NF_INET_LOCAL_OUT, SGW_HOOK_F_OUTPUT),
	  SGW_HOOK_OPS(NFPROTO_IPV6, NF_INET_LOCAL_OUT, SGW_HOOK_F_OUTPUT) },
};

int sgw_hooks_set(struct sgw_net *sn, u32 mask)
{
	u32 added = 0;
	unsigned int i;
	int ret;

	lockdep_assert_held(&sn->lock);
	for (i = 0; i < ARRAY_SIZE(hook_ops); i++) {
		u32 bit = 1U << i;

		if ((mask & bit) && !(sn->hooks & bit)) {
			ret = nf_register_net_hooks(sn->net, hook_ops[i], 2);
			if (ret)
				goto err;
			added |= bit;
			sn->hooks |= bit;
		} else if (!(mask & bit) && (sn->hooks & bit)) {
			nf_unregister_net_hooks(sn->net, hook_ops[i], 2);
			sn->hooks &= ~bit;
		}
	}
	return 0;
err:
	for (i = 0; i < ARRAY_SIZE(hook_ops); i++) {
		if (added & (1U << i)) {
			nf_unregister_net_hooks(sn->net, hook_ops[i], 2);
			sn->hooks &= ~(1U << i);
		}
	}
	return ret;
}
