// SPDX-License-Identifier: GPL-2.0
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/netfilter/nf_queue.h>
#include <net/sock.h>
#include <net/tcp.h>
#include "hold.h"
#include "hooks.h"
#include "netns.h"

struct sgw_hold *sgw_hold_alloc(void)
{
	struct sgw_hold *h = kzalloc(sizeof(*h), GFP_ATOMIC);

	if (h)
		spin_lock_init(&h->lock);
	return h;
}

/* A held packet keeps its devices and socket as netfilter's queue does. */
static void state_get(struct nf_hook_state *s)
{
	dev_hold(s->in);
	dev_hold(s->out);
	if (s->sk)
		sock_hold(s->sk);
}

static void state_put(struct nf_hook_state *s)
{
	dev_put(s->in);
	dev_put(s->out);
	if (s->sk)
		sock_put(s->sk);
}

static void hold_free_rcu(struct rcu_head *rcu)
{
	struct sgw_hold *h = container_of(rcu, struct sgw_hold, rcu);

	kfree(h->buf);
	kfree(h);
}

static int grow(struct sgw_hold *h, u32 want, u32 max)
{
	u32 cap = h->cap ? h->cap : SGW_HOLD_BUF_START;
	u8 *buf;

	if (want <= h->cap)
		return 0;
	while (cap < want)
		cap *= 2;
	cap = min(cap, max);
	buf = krealloc(h->buf, cap, GFP_ATOMIC);
	if (!buf)
		return -ENOMEM;
	h->buf = buf;
	h->cap = cap;
	return 0;
}

int sgw_hold_add(struct sgw_net *sn, struct sgw_hold *h, struct sk_buff *skb,
		 const struct nf_hook_state *state, unsigned int off,
		 unsigned int len, unsigned int max)
{
	unsigned int copy = min_t(unsigned int, len, max - h->len);
	struct sgw_held_pkt *p;

	if (h->npkts == SGW_HOLD_PACKETS)
		return -ENOSPC;
	if (atomic_add_return(skb->truesize, &sn->held_bytes) >
	    SGW_HOLD_NS_BYTES) {
		atomic_sub(skb->truesize, &sn->held_bytes);
		return -ENOSPC;
	}
	if (grow(h, h->len + copy, max) ||
	    skb_copy_bits(skb, off, h->buf + h->len, copy)) {
		atomic_sub(skb->truesize, &sn->held_bytes);
		return -ENOMEM;
	}
	h->len += copy;
	h->held_bytes += skb->truesize;
	p = &h->pkts[h->npkts++];
	p->skb = skb;
	p->state = *state;
	state_get(&p->state);
	return 0;
}


static const struct nf_hook_entries *hook_entries(const struct nf_hook_state *s)
{
	const struct netns_nf *nf = &s->net->nf;

	if (s->pf == NFPROTO_IPV4)
		return rcu_dereference(nf->hooks_ipv4[s->hook]);
	return rcu_dereference(nf->hooks_ipv6[s->hook]);
}

void sgw_hold_resume(struct sk_buff *skb, struct nf_hook_state *state)
{
	const struct nf_hook_entries *e;
	unsigned int i = 0, verdict;
	int ret;

	rcu_read_lock();
	e = hook_entries(state);
	/* Where sgw sits now; if it is gone, the rest of the chain runs. */
	while (e && i < e->num_hook_entries && e->hooks[i].hook != sgw_hook)
		i++;
	for (i++; e && i < e->num_hook_entries; i++) {
		verdict = nf_hook_entry_hookfn(&e->hooks[i], skb, state);
		switch (verdict & NF_VERDICT_MASK) {
		case NF_ACCEPT:
			continue;
		case NF_DROP:
			kfree_skb(skb);
			goto out;
		case NF_QUEUE:
			ret = nf_queue(skb, state, i, verdict);
			if (ret == 1)
				continue;
			goto out;
		default:
			/* Stolen by a later hook. */
			goto out;
		}
	}
	state->okfn(state->net, state->sk, skb);
out:
	rcu_read_unlock();
}

void sgw_hold_end(struct sgw_net *sn, struct sgw_hold *h, bool release)
{
	unsigned int i, n;

	if (!h)
		return;
	spin_lock_bh(&h->lock);
	h->dead = true;
	n = h->npkts;
	h->npkts = 0;
	atomic_sub(h->held_bytes, &sn->held_bytes);
	h->held_bytes = 0;
	spin_unlock_bh(&h->lock);
	/*
	 * Outside the lock: a released packet may come back through sgw's
	 * own hooks (a local server's reply on output) and lock a hold.
	 * In order: they are the client's stream.
	 */
	local_bh_disable();
	for (i = 0; i < n; i++) {
		if (release)
			sgw_hold_resume(h->pkts[i].skb, &h->pkts[i].state);
		else
			kfree_skb(h->pkts[i].skb);
		state_put(&h->pkts[i].state);
	}
	local_bh_enable();
	call_rcu(&h->rcu, hold_free_rcu);
}

/* Make @skb, a copy of a client TCP packet, a bare RST at @seq. */
static int make_rst(struct sk_buff *skb, u8 family, unsigned int thoff,
		    u32 seq)
{
	unsigned int tcplen;
	struct tcphdr *th;

	if (skb_linearize(skb))
		return -ENOMEM;
	if (thoff + sizeof(*th) > skb->len)
		return -EINVAL;
	th = (struct tcphdr *)(skb->data + thoff);
	tcplen = th->doff * 4;
	if (tcplen < sizeof(*th) || thoff + tcplen > skb->len)
		return -EINVAL;
	skb_trim(skb, thoff + tcplen);
	tcp_flag_word(th) &= ~(TCP_FLAG_PSH | TCP_FLAG_SYN | TCP_FLAG_FIN |
			       TCP_FLAG_URG);
	tcp_flag_word(th) |= TCP_FLAG_RST;
	th->seq = htonl(seq);
	th->check = 0;
	skb->ip_summed = CHECKSUM_NONE;
	if (family == NFPROTO_IPV4) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
		th->check = tcp_v4_check(tcplen, iph->saddr, iph->daddr,
					 csum_partial(th, tcplen, 0));
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
		th->check = tcp_v6_check(tcplen, &ip6h->saddr, &ip6h->daddr,
					 csum_partial(th, tcplen, 0));
	}
	return 0;
}

void sgw_hold_reset_server(struct sk_buff *skb,
			   const struct nf_hook_state *state,
			   unsigned int thoff, u32 seq)
{
	struct nf_hook_state st = *state;
	struct sk_buff *rst = skb_copy(skb, GFP_ATOMIC);

	if (!rst)
		return;
	/* @thoff is from the network header, which skb_copy() keeps. */
	thoff += skb_network_offset(rst);
	if (make_rst(rst, state->pf, thoff, seq)) {
		kfree_skb(rst);
		return;
	}
	local_bh_disable();
	sgw_hold_resume(rst, &st);
	local_bh_enable();
}
