// SPDX-License-Identifier: GPL-2.0
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/tcp.h>
#include "core/l7/l7.h"
#include "flow.h"
#include "hold.h"
#include "hooks.h"
#include "l7.h"
#include "verdict.h"

enum { SGW_L7_DATAGRAM_MAX = 2048 };	/* bytes of a datagram classified */

unsigned int sgw_l7_drop_counter(u8 reason)
{
	switch (reason) {
	case SGW_R_UNCLASSIFIED:
		return SGW_CNT_DROP_UNCLASSIFIED;
	case SGW_R_HOLD_FULL:
		return SGW_CNT_DROP_HOLD_FULL;
	default:
		return SGW_CNT_DROP_L7;
	}
}

static struct sgw_l7_result *classify_datagram(struct sgw_net *sn,
					       struct sk_buff *skb,
					       const struct sgw_pkt *pkt)
{
	unsigned int len = min_t(u32, pkt->payload_len, SGW_L7_DATAGRAM_MAX);
	struct sgw_l7_result *res;
	const u8 *data;
	u8 *buf;

	res = kzalloc(sizeof(*res), GFP_ATOMIC);
	buf = kmalloc(SGW_L7_DATAGRAM_MAX, GFP_ATOMIC);
	if (!res || !buf) {
		kfree(res);
		kfree(buf);
		return NULL;
	}
	/* Only UDP has a payload the classifiers know; the rest is none. */
	res->status = SGW_L7_NOT_THIS;
	if (pkt->t.proto == IPPROTO_UDP) {
		data = skb_header_pointer(skb, skb_network_offset(skb) +
					  pkt->payload_off, len, buf);
		if (data)
			sgw_l7_classify(data, len, IPPROTO_UDP,
					ntohs(pkt->t.dport), res);
	}
	kfree(buf);
	sgw_stats_inc(sn->stats, SGW_CNT_L7_CLASSIFIED);
	return res;
}

struct sgw_l7_result *sgw_l7_decide_datagram(struct sgw_net *sn,
					     const struct sgw_policy *p,
					     struct sk_buff *skb,
					     const struct sgw_pkt *pkt,
					     struct sgw_decision *d)
{
	struct sgw_l7_result *res = classify_datagram(sn, skb, pkt);

	if (!res) {
		d->rule = -1;
		d->reason = SGW_R_HOLD_FULL;
		sgw_emit(sn, SGW_EV_DENY, d->reason, p, &pkt->t, d, NULL, NULL);
		sgw_stats_inc(sn->stats, SGW_CNT_DROP_NOMEM);
		return NULL;
	}
	sgw_policy_decide_l7(p, &pkt->t, res, d);
	if (d->rule >= 0)
		return res;
	sgw_emit(sn, SGW_EV_DENY, d->reason, p, &pkt->t, d, NULL, res);
	sgw_stats_inc(sn->stats, sgw_l7_drop_counter(d->reason));
	kfree(res);
	return NULL;
}

bool sgw_l7_check_datagram(struct sgw_net *sn, const struct sgw_policy *p,
			   struct sgw_flow *f, struct sk_buff *skb,
			   const struct sgw_pkt *pkt)
{
	struct sgw_l7_result *res = classify_datagram(sn, skb, pkt);
	struct sgw_decision d;
	bool ok;

	if (!res)
		return false;
	sgw_policy_decide_l7(p, &pkt->t, res, &d);
	ok = d.rule >= 0;
	if (!ok)
		sgw_emit(sn, SGW_EV_DENY, d.reason, p, &pkt->t, &d, f, res);
	kfree(res);
	return ok;
}

/* The verdict on a pending flow, with its hold already detached. */
static void allow_flow(struct sgw_net *sn, const struct sgw_policy *p,
		       struct sgw_flow *f, struct sgw_hold *h,
		       const struct sgw_decision *d,
		       struct sgw_l7_result *res)
{
	struct sgw_tuple t;

	WRITE_ONCE(f->src_seg, d->src_seg);
	WRITE_ONCE(f->dst_seg, d->dst_seg);
	WRITE_ONCE(f->rule_id, d->rule_id);
	WRITE_ONCE(f->rule_line, d->line);
	WRITE_ONCE(f->generation, p->generation);
	if (cmpxchg(&f->l7, NULL, res))
		kfree(res);
	WRITE_ONCE(f->state, SGW_FLOW_S_OPEN);
	sgw_counters_hit(&p->counters, d->rule);
	sgw_flow_tuple(f, &t);
	sgw_emit(sn, SGW_EV_ALLOW, SGW_R_ALLOW, p, &t, d, NULL, f->l7);
	sgw_hold_end(sn, h, true);
}

static void deny_flow(struct sgw_net *sn, const struct sgw_policy *p,
		      struct sgw_flow *f, struct sgw_hold *h,
		      const struct sgw_decision *d,
		      const struct sgw_l7_result *res, struct sk_buff *skb,
		      const struct nf_hook_state *state,
		      const struct sgw_pkt *pkt)
{
	struct sgw_tuple t;

	WRITE_ONCE(f->state, SGW_FLOW_S_DENIED);
	sgw_flow_tuple(f, &t);
	sgw_emit(sn, SGW_EV_DENY, d->reason, p, &t, d, f, res);
	sgw_stats_inc(sn->stats, sgw_l7_drop_counter(d->reason));
	if (!(p->flags & SGW_POLICY_F_L7_DROP)) {
		/* The server never saw a payload byte: reset it at the
		 * first one, and the client at what it sent.
		 */
		sgw_hold_reset_server(skb, state, pkt->l4_off, h->first_seq);
		sgw_send_reset(sn, skb, state, pkt);
	}
	sgw_hold_end(sn, h, false);
}

/*
 * Append a client segment in sequence order. Out of order: drop it, the
 * client sends it again; a retransmission of held bytes: drop it, the
 * original is held.
 */
static int take_segment(struct sgw_net *sn, struct sgw_hold *h,
			struct sk_buff *skb,
			const struct nf_hook_state *state,
			const struct sgw_pkt *pkt)
{
	int ret;

	if (!h->seq_set) {
		h->seq_set = true;
		h->first_seq = pkt->tcp_seq;
		h->next_seq = pkt->tcp_seq;
	}
	if (pkt->tcp_seq != h->next_seq)
		return -EAGAIN;
	ret = sgw_hold_add(sn, h, skb, state, pkt->payload_off +
			   skb_network_offset(skb), pkt->payload_len,
			   SGW_L7_PREFIX_MAX);
	if (!ret) {
		h->next_seq += pkt->payload_len;
		sgw_stats_inc(sn->stats, SGW_CNT_HELD_PACKETS);
	}
	return ret;
}

static struct sgw_hold *flow_hold(struct sgw_flow *f)
{
	struct sgw_hold *h = READ_ONCE(f->hold), *old;

	if (h)
		return h;
	h = sgw_hold_alloc();
	if (!h)
		return NULL;
	old = cmpxchg(&f->hold, NULL, h);
	if (old) {
		kfree(h);
		return old;
	}
	return h;
}

unsigned int sgw_l7_hold(struct sgw_net *sn, const struct sgw_policy *p,
			 struct sgw_flow *f, struct sk_buff *skb,
			 const struct nf_hook_state *state,
			 const struct sgw_pkt *pkt)
{
	struct sgw_l7_result *res;
	struct sgw_decision d;
	struct sgw_hold *h;
	struct sgw_tuple t;
	int ret;

	h = flow_hold(f);
	res = kzalloc(sizeof(*res), GFP_ATOMIC);
	if (!h || !res) {
		kfree(res);
		return sgw_drop(sn, SGW_CNT_DROP_NOMEM);
	}
	spin_lock_bh(&h->lock);
	if (h->dead || READ_ONCE(f->state) != SGW_FLOW_S_PENDING) {
		/* Decided by another CPU meanwhile: follow that verdict. */
		spin_unlock_bh(&h->lock);
		kfree(res);
		if (READ_ONCE(f->state) == SGW_FLOW_S_DENIED)
			return sgw_drop(sn, SGW_CNT_DROP_L7);
		sgw_flow_account(f, f->init_side, skb->len);
		sgw_track_state(f, f->init_side, pkt);
		return sgw_pass(sn);
	}
	ret = take_segment(sn, h, skb, state, pkt);
	if (ret == -EAGAIN) {
		spin_unlock_bh(&h->lock);
		kfree(res);
		return sgw_drop(sn, SGW_CNT_DROP_L7);
	}
	sgw_flow_account(f, f->init_side, skb->len);
	if (!ret) {
		sgw_l7_classify(h->buf, h->len, IPPROTO_TCP,
				ntohs(pkt->t.dport), res);
		if (res->status == SGW_L7_NEED_MORE &&
		    h->len < SGW_L7_PREFIX_MAX && h->npkts < SGW_HOLD_PACKETS) {
			spin_unlock_bh(&h->lock);
			kfree(res);
			return NF_STOLEN;
		}
	}
	/* A verdict: the hold leaves the flow under its lock. */
	WRITE_ONCE(f->hold, NULL);
	spin_unlock_bh(&h->lock);
	sgw_stats_inc(sn->stats, SGW_CNT_L7_CLASSIFIED);

	/*
	 * Limits reached before the classifier could tell: not recognised
	 * in time, which only an "app unclassified" rule allows.
	 */
	if (ret)
		res->status = SGW_L7_NEED_MORE;
	sgw_flow_tuple(f, &t);
	sgw_policy_decide_l7(p, &t, res, &d);
	if (ret && d.rule < 0)
		d.reason = SGW_R_HOLD_FULL;
	if (d.rule >= 0) {
		allow_flow(sn, p, f, h, &d, res);
		sgw_stats_inc(sn->stats, SGW_CNT_PASSED);
		/* Held, it went out with the others; if not, it goes now. */
		return ret ? NF_ACCEPT : NF_STOLEN;
	}
	deny_flow(sn, p, f, h, &d, res, skb, state, pkt);
	kfree(res);
	/* @skb was held and is dropped with the rest, or was never held. */
	return ret ? NF_DROP : NF_STOLEN;
}
