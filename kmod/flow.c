// SPDX-License-Identifier: GPL-2.0
#include <linux/in.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <net/netlink.h>
#include "event.h"
#include "flow.h"
#include "hold.h"
#include "netns.h"
#include "policy.h"
#include "uapi/linux/sgw.h"

static struct kmem_cache *flow_cache;
static struct workqueue_struct *gc_wq;

static const struct rhashtable_params flow_params = {
	.key_len		= sizeof(struct sgw_flow_key),
	.key_offset		= offsetof(struct sgw_flow, key),
	.head_offset		= offsetof(struct sgw_flow, node),
	.automatic_shrinking	= true,
	.min_size		= 256,
};

static unsigned int addr_len(u8 family)
{
	return family == AF_INET ? 4 : 16;
}

void sgw_flow_key_make(struct sgw_flow_key *k, const struct sgw_tuple *t,
		       u8 *side)
{
	unsigned int alen = addr_len(t->family);
	int c;

	memset(k, 0, sizeof(*k));
	k->proto = t->proto;
	k->family = t->family;
	c = memcmp(t->saddr, t->daddr, alen);
	if (!c)
		c = (__force u16)t->sport - (__force u16)t->dport;
	*side = c > 0;
	memcpy(k->addr[*side], t->saddr, alen);
	memcpy(k->addr[!*side], t->daddr, alen);
	k->port[*side] = t->sport;
	k->port[!*side] = t->dport;
}

void sgw_flow_tuple(const struct sgw_flow *f, struct sgw_tuple *t)
{
	u8 s = f->init_side;

	t->family = f->key.family;
	t->proto = f->key.proto;
	t->saddr = f->key.addr[s];
	t->daddr = f->key.addr[!s];
	t->sport = f->key.port[s];
	t->dport = f->key.port[!s];
}

static u32 flow_timeout(const struct sgw_flow *f)
{
	u8 state = READ_ONCE(f->state);
	unsigned int secs;

	if (state == SGW_FLOW_S_CLOSING || state == SGW_FLOW_S_REVOKED)
		secs = SGW_FLOW_CLOSING;
	else if (f->key.proto == IPPROTO_TCP)
		secs = state == SGW_FLOW_S_ESTABLISHED ?
		       SGW_FLOW_TCP_ESTABLISHED : SGW_FLOW_TCP_OPENING;
	else if (f->key.proto == IPPROTO_UDP)
		secs = state == SGW_FLOW_S_ESTABLISHED ?
		       SGW_FLOW_UDP_ESTABLISHED : SGW_FLOW_UDP_OPEN;
	else if (f->key.proto == IPPROTO_ICMP ||
		 f->key.proto == IPPROTO_ICMPV6)
		secs = SGW_FLOW_ICMP;
	else
		secs = SGW_FLOW_OTHER;
	return secs * HZ;
}

/*
 * The benchmark compares this object with an nf_conntrack entry (248 bytes
 * on Debian's 6.1 and 6.12): keep it at 144, under 0.6 of that.
 */
static_assert(!IS_ENABLED(CONFIG_64BIT) || sizeof(struct sgw_flow) <= 144);

static bool flow_expired(const struct sgw_flow *f, u32 now)
{
	return time_after32(now, READ_ONCE(f->last_seen) + flow_timeout(f));
}

static void flow_free(struct sgw_flow *f)
{
	kfree(f->l7);
	kmem_cache_free(flow_cache, f);
}

static void flow_free_rcu(struct rcu_head *rcu)
{
	flow_free(container_of(rcu, struct sgw_flow, rcu));
}

static void emit_end(struct sgw_flow_table *t, const struct sgw_flow *f,
		     u8 reason)
{
	struct sgw_event_info ev = {
		.type		= SGW_EV_END,
		.reason		= reason,
		.src_seg	= READ_ONCE(f->src_seg),
		.dst_seg	= READ_ONCE(f->dst_seg),
		.rule_id	= READ_ONCE(f->rule_id),
		.line		= READ_ONCE(f->rule_line),
		.generation	= READ_ONCE(f->generation),
		.flow		= f,
	};
	struct sgw_tuple tuple;

	sgw_flow_tuple(f, &tuple);
	ev.tuple = &tuple;
	sgw_event_emit(t->sn, &ev);
}

/* What an ended flow carried goes to its rule's counters. */
static void fold(struct sgw_flow_table *t, const struct sgw_flow *f)
{
	const struct sgw_policy *p;

	rcu_read_lock();
	p = rcu_dereference(t->sn->policy);
	if (p && READ_ONCE(f->rule_id))
		sgw_counters_fold(&p->counters, READ_ONCE(f->rule_id),
				  atomic64_read(&f->packets[0]) +
				  atomic64_read(&f->packets[1]),
				  atomic64_read(&f->bytes[0]) +
				  atomic64_read(&f->bytes[1]));
	rcu_read_unlock();
}

void sgw_flow_remove(struct sgw_flow_table *t, struct sgw_flow *f, u8 reason)
{
	/* Whoever wins the removal owns the entry and frees it. */
	if (rhashtable_remove_fast(&t->ht, &f->node, flow_params))
		return;
	atomic_dec(&t->count);
	sgw_stats_inc(t->stats, SGW_CNT_FLOWS_ENDED);
	sgw_hold_end(t->sn, xchg(&f->hold, NULL), false);
	fold(t, f);
	emit_end(t, f, reason);
	call_rcu(&f->rcu, flow_free_rcu);
}

/* Why an idle entry ends: its connection closed, or it went quiet. */
static u8 end_reason(const struct sgw_flow *f)
{
	u8 state = READ_ONCE(f->state);

	if (state == SGW_FLOW_S_CLOSING)
		return SGW_R_CLOSED;
	if (state == SGW_FLOW_S_REVOKED)
		return SGW_R_REVOKED;
	return SGW_R_TIMEOUT;
}

struct sgw_flow *sgw_flow_lookup(struct sgw_flow_table *t,
				 const struct sgw_flow_key *k)
{
	struct sgw_flow *f = rhashtable_lookup(&t->ht, k, flow_params);

	/* An idle flow is over even before the collector has seen it. */
	if (f && unlikely(flow_expired(f, sgw_jiffies32()))) {
		sgw_flow_remove(t, f, end_reason(f));
		return NULL;
	}
	return f;
}

struct sgw_flow *sgw_flow_create(struct sgw_flow_table *t,
				 const struct sgw_flow_key *k, u8 side,
				 const struct sgw_decision *d, u32 generation)
{
	struct sgw_flow *f, *old;

	if (atomic_inc_return(&t->count) > READ_ONCE(t->max)) {
		atomic_dec(&t->count);
		return ERR_PTR(-ENOSPC);
	}
	f = kmem_cache_zalloc(flow_cache, GFP_ATOMIC);
	if (!f) {
		atomic_dec(&t->count);
		return ERR_PTR(-ENOMEM);
	}
	f->key = *k;
	f->init_side = side;
	f->state = SGW_FLOW_S_OPEN;
	f->src_seg = d->src_seg;
	f->dst_seg = d->dst_seg;
	f->rule_id = d->rule_id;
	f->rule_line = d->line;
	f->generation = generation;
	f->first_seen = sgw_jiffies32();
	f->last_seen = f->first_seen;

	old = rhashtable_lookup_get_insert_fast(&t->ht, &f->node, flow_params);
	if (likely(!old)) {
		sgw_stats_inc(t->stats, SGW_CNT_FLOWS_CREATED);
		return f;
	}
	/* Another CPU inserted this flow first (use it), or insertion
	 * failed (rhashtable's ERR_PTR).
	 */
	atomic_dec(&t->count);
	kmem_cache_free(flow_cache, f);
	return old;
}

/*
 * Walk the table and remove idle flows. The walk drops out of RCU every so
 * often so that a huge table does not hold off grace periods.
 */
static void gc_work(struct work_struct *work)
{
	struct sgw_flow_table *t = container_of(to_delayed_work(work),
						struct sgw_flow_table, gc);
	u32 now = sgw_jiffies32();
	struct rhashtable_iter iter;
	struct sgw_flow *f;
	unsigned int n = 0;

	rhashtable_walk_enter(&t->ht, &iter);
	rhashtable_walk_start(&iter);
	while ((f = rhashtable_walk_next(&iter))) {
		if (IS_ERR(f)) {
			if (PTR_ERR(f) == -EAGAIN)
				continue;
			break;
		}
		if (flow_expired(f, now))
			sgw_flow_remove(t, f, end_reason(f));
		if (++n % 1024 == 0) {
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	queue_delayed_work(gc_wq, &t->gc, SGW_FLOW_GC_INTERVAL * HZ);
}

int sgw_flow_table_init(struct sgw_flow_table *t, struct sgw_net *sn,
			struct sgw_stats __percpu *stats)
{
	int ret;

	ret = rhashtable_init(&t->ht, &flow_params);
	if (ret)
		return ret;
	atomic_set(&t->count, 0);
	t->max = SGW_FLOW_MAX_DEFAULT;
	t->sn = sn;
	t->stats = stats;
	INIT_DELAYED_WORK(&t->gc, gc_work);
	queue_delayed_work(gc_wq, &t->gc, SGW_FLOW_GC_INTERVAL * HZ);
	return 0;
}

static void flow_free_now(void *ptr, void *arg)
{
	struct sgw_flow *f = ptr;
	struct sgw_flow_table *t = arg;

	sgw_hold_end(t->sn, f->hold, false);
	flow_free(f);
}

/* Caller guarantees no packet path can reach the table any more. */
void sgw_flow_table_uninit(struct sgw_flow_table *t)
{
	cancel_delayed_work_sync(&t->gc);
	rhashtable_free_and_destroy(&t->ht, flow_free_now, t);
}

/* Remove every flow; the packet path may still be running. */
void sgw_flow_table_flush(struct sgw_flow_table *t)
{
	struct rhashtable_iter iter;
	struct sgw_flow *f;

	rhashtable_walk_enter(&t->ht, &iter);
	rhashtable_walk_start(&iter);
	while ((f = rhashtable_walk_next(&iter))) {
		if (IS_ERR(f))
			continue;
		sgw_flow_remove(t, f, SGW_R_FLUSH);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}


int sgw_flow_fill(struct sk_buff *skb, const struct sgw_flow *f)
{
	unsigned int alen = addr_len(f->key.family);
	u8 s = f->init_side;
	struct nlattr *nest;

	nest = nla_nest_start(skb, SGW_A_FLOW);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, SGW_FLOW_A_FAMILY, f->key.family) ||
	    nla_put_u8(skb, SGW_FLOW_A_PROTO, f->key.proto) ||
	    nla_put(skb, SGW_FLOW_A_SRC, alen, f->key.addr[s]) ||
	    nla_put(skb, SGW_FLOW_A_DST, alen, f->key.addr[!s]) ||
	    nla_put_u16(skb, SGW_FLOW_A_SPORT, ntohs(f->key.port[s])) ||
	    nla_put_u16(skb, SGW_FLOW_A_DPORT, ntohs(f->key.port[!s])) ||
	    nla_put_u16(skb, SGW_FLOW_A_SRC_SEG, READ_ONCE(f->src_seg)) ||
	    nla_put_u16(skb, SGW_FLOW_A_DST_SEG, READ_ONCE(f->dst_seg)) ||
	    nla_put_u32(skb, SGW_FLOW_A_RULE, READ_ONCE(f->rule_id)) ||
	    nla_put_u32(skb, SGW_FLOW_A_GENERATION,
			READ_ONCE(f->generation)) ||
	    nla_put_u8(skb, SGW_FLOW_A_STATE, READ_ONCE(f->state)) ||
	    nla_put_u64_64bit(skb, SGW_FLOW_A_AGE_MS,
			      sgw_flow_age_ms(f->first_seen), SGW_FLOW_A_PAD) ||
	    nla_put_u64_64bit(skb, SGW_FLOW_A_IDLE_MS,
			      sgw_flow_age_ms(READ_ONCE(f->last_seen)),
			      SGW_FLOW_A_PAD) ||
	    nla_put_u64_64bit(skb, SGW_FLOW_A_PACKETS_ORIG,
			      atomic64_read(&f->packets[s]), SGW_FLOW_A_PAD) ||
	    nla_put_u64_64bit(skb, SGW_FLOW_A_BYTES_ORIG,
			      atomic64_read(&f->bytes[s]), SGW_FLOW_A_PAD) ||
	    nla_put_u64_64bit(skb, SGW_FLOW_A_PACKETS_REPLY,
			      atomic64_read(&f->packets[!s]), SGW_FLOW_A_PAD) ||
	    nla_put_u64_64bit(skb, SGW_FLOW_A_BYTES_REPLY,
			      atomic64_read(&f->bytes[!s]), SGW_FLOW_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int sgw_flow_init(void)
{
	flow_cache = KMEM_CACHE(sgw_flow, 0);
	if (!flow_cache)
		return -ENOMEM;
	gc_wq = alloc_workqueue("sgw_flow_gc", WQ_UNBOUND, 0);
	if (!gc_wq) {
		kmem_cache_destroy(flow_cache);
		return -ENOMEM;
	}
	return 0;
}

void sgw_flow_uninit(void)
{
	/* Entries removed under RCU are freed by callbacks: wait for them. */
	rcu_barrier();
	destroy_workqueue(gc_wq);
	kmem_cache_destroy(flow_cache);
}
