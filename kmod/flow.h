/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow table: one entry per flow, both directions, caching the verdict
 * and the policy generation it was made under. An established packet costs
 * one hash lookup; a generation mismatch sends the flow back to the policy.
 *
 * Entries live in an rhashtable keyed by the flow's endpoints in canonical
 * order (lower address/port first), so both directions find one entry.
 * Readers are the packet path under RCU; entries are freed after a grace
 * period by whoever removes them from the table (the garbage collector, an
 * expired lookup, reset): rhashtable_remove_fast() succeeds for one only.
 */
#ifndef SGW_FLOW_H
#define SGW_FLOW_H

#include <linux/atomic.h>
#include <linux/rhashtable.h>
#include <linux/workqueue.h>
#include "stats.h"

struct sgw_tuple;
struct sgw_hold;
struct sgw_l7_result;
struct sgw_decision;
struct sk_buff;

enum sgw_flow_limit {
	SGW_FLOW_MAX_DEFAULT	= 1U << 18,
	SGW_FLOW_MAX_LIMIT	= 1U << 24,
	SGW_FLOW_GC_INTERVAL	= 1,		/* seconds */
	/* Idle timeouts, seconds. */
	SGW_FLOW_TCP_OPENING	= 30,
	SGW_FLOW_TCP_ESTABLISHED = 3600,
	SGW_FLOW_CLOSING	= 10,		/* FIN, RST, revoked */
	SGW_FLOW_UDP_OPEN	= 30,
	SGW_FLOW_UDP_ESTABLISHED = 120,
	SGW_FLOW_ICMP		= 30,
	SGW_FLOW_OTHER		= 60,
};

struct sgw_flow_key {
	u8	addr[2][16];
	__be16	port[2];
	u8	proto;
	u8	family;
	u8	pad[2];
};

/* Side 0 is key->addr[0]. Direction of a packet: the side it comes from. */
struct sgw_flow {
	struct rhash_head	node;
	struct sgw_flow_key	key;
	u8			init_side;	/* side that opened the flow */
	u8			state;		/* SGW_FLOW_S_* */
	u8			fin;		/* bit per side: FIN seen */
	u8			l7_each;	/* check every client datagram */
	u16			src_seg;
	u16			dst_seg;
	u32			rule_id;
	u32			rule_line;
	u32			generation;
	/*
	 * The low 32 bits of jiffies: ages compared here stay far below
	 * 2^31 ticks (the collector looks every second), and 16 bytes less
	 * per flow is what keeps an entry under 0.6 of a conntrack entry.
	 */
	u32			first_seen;
	u32			last_seen;
	atomic64_t		packets[2];	/* by side of origin */
	atomic64_t		bytes[2];
	/* A pending flow's held packets and client bytes (hold.c). */
	struct sgw_hold		*hold;
	/* How a flow decided on its application was classified. */
	struct sgw_l7_result	*l7;
	struct rcu_head		rcu;
};

struct sgw_net;

struct sgw_flow_table {
	struct sgw_net			*sn;
	struct rhashtable		ht;
	atomic_t			count;
	u32				max;
	struct sgw_stats __percpu	*stats;
	struct delayed_work		gc;
};

int sgw_flow_init(void);
void sgw_flow_uninit(void);

int sgw_flow_table_init(struct sgw_flow_table *t, struct sgw_net *sn,
			struct sgw_stats __percpu *stats);
void sgw_flow_table_uninit(struct sgw_flow_table *t);
void sgw_flow_table_flush(struct sgw_flow_table *t);

/* Canonical key for @t; *side is the side @t's source is on. */
void sgw_flow_key_make(struct sgw_flow_key *k, const struct sgw_tuple *t,
		       u8 *side);
/* @t oriented from the flow's opener, pointing into @f's key. */
void sgw_flow_tuple(const struct sgw_flow *f, struct sgw_tuple *t);

/* A live (not expired) flow, or NULL. Caller holds the RCU read lock. */
struct sgw_flow *sgw_flow_lookup(struct sgw_flow_table *t,
				 const struct sgw_flow_key *k);
/*
 * Insert a new flow opened from @side. Returns the flow, the one another
 * CPU inserted first, or an ERR_PTR: -ENOSPC when the table is full,
 * -ENOMEM.
 */
struct sgw_flow *sgw_flow_create(struct sgw_flow_table *t,
				 const struct sgw_flow_key *k, u8 side,
				 const struct sgw_decision *d, u32 generation);
/* End @f; @reason (SGW_R_*) goes into its end event. */
void sgw_flow_remove(struct sgw_flow_table *t, struct sgw_flow *f, u8 reason);

static inline u32 sgw_jiffies32(void)
{
	return (u32)jiffies;
}

/* Milliseconds since @since (sgw_jiffies32()). */
static inline u64 sgw_flow_age_ms(u32 since)
{
	s32 ticks = sgw_jiffies32() - since;

	return ticks > 0 ? jiffies_to_msecs(ticks) : 0;
}

static inline void sgw_flow_account(struct sgw_flow *f, u8 side,
				    unsigned int len)
{
	u32 now = sgw_jiffies32();

	atomic64_inc(&f->packets[side]);
	atomic64_add(len, &f->bytes[side]);
	if (READ_ONCE(f->last_seen) != now)
		WRITE_ONCE(f->last_seen, now);
}

/* One flow as SGW_A_FLOW, for dumps. */
int sgw_flow_fill(struct sk_buff *skb, const struct sgw_flow *f);

#endif /* SGW_FLOW_H */
