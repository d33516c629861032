/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Holding a flow's first client packets while its application is
 * classified: no payload byte reaches the server before the verdict.
 *
 * A held packet is stolen from netfilter with a copy of its hook state;
 * released, it resumes at the hook after sgw's, exactly as if sgw had
 * accepted it then. Everything held is bounded per flow (packets, bytes)
 * and per namespace (bytes), and counted.
 */
#ifndef SGW_HOLD_H
#define SGW_HOLD_H

#include <linux/netfilter.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct sk_buff;
struct sgw_net;

enum sgw_hold_limit {
	SGW_HOLD_PACKETS	= 32,		/* per flow */
	SGW_HOLD_NS_BYTES	= 16U << 20,	/* per namespace */
	SGW_HOLD_BUF_START	= 2048,
};

struct sgw_held_pkt {
	struct sk_buff		*skb;
	struct nf_hook_state	state;
};

struct sgw_hold {
	spinlock_t		lock;
	bool			dead;		/* detached from its flow */
	bool			seq_set;
	u32			next_seq;	/* next client byte expected */
	u32			first_seq;	/* first client payload byte */
	u32			held_bytes;
	unsigned int		npkts;
	struct sgw_held_pkt	pkts[SGW_HOLD_PACKETS];
	/* The client's stream from its first payload byte. */
	u8			*buf;
	u32			len;
	u32			cap;
	struct rcu_head		rcu;
};

struct sgw_hold *sgw_hold_alloc(void);
/*
 * Mark @h dead (a reader that takes its lock afterwards must check),
 * drop or release what it holds, and free it after a grace period: the
 * packet path may still be about to lock it.
 */
void sgw_hold_end(struct sgw_net *sn, struct sgw_hold *h, bool release);

/*
 * Append @len bytes of @skb's payload at @off to the stream (up to
 * @max bytes in all) and keep @skb. Called with h->lock held. Returns 0,
 * -ENOSPC when a limit is reached (nothing kept), -ENOMEM.
 */
int sgw_hold_add(struct sgw_net *sn, struct sgw_hold *h, struct sk_buff *skb,
		 const struct nf_hook_state *state, unsigned int off,
		 unsigned int len, unsigned int max);


/*
 * Resume @skb after sgw's hook: the remaining hooks of its hook point,
 * then the stack's continuation.
 */
void sgw_hold_resume(struct sk_buff *skb, struct nf_hook_state *state);

/*
 * Reset the server end of a TCP flow: turn a copy of the client packet
 * @skb, TCP header at @thoff, into a RST at sequence @seq and send it on.
 */
void sgw_hold_reset_server(struct sk_buff *skb,
			   const struct nf_hook_state *state,
			   unsigned int thoff, u32 seq);

#endif /* SGW_HOLD_H */
