// SPDX-License-Identifier: GPL-2.0
/*
 * Flow events. The packet path copies an event into a per-namespace ring
 * under a spinlock (events come at flow rate, not packet rate) and kicks
 * a work item; the work item drains the ring into as few netlink messages
 * as fit and multicasts them. The work waits a tick for company unless a
 * batch is already queued: a message per event would cost the listener a
 * read, and its socket buffer an skb, for every event. Sequence numbers
 * are given when an event is generated, so a listener sees a gap for
 * every event lost anywhere: in the ring (counted here), or in its own
 * socket buffer.
 *
 * With no listener, an event is numbered and counted but not queued: it
 * is not lost, nobody was there to receive it.
 */
#include <linux/in.h>
#include <linux/jhash.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include "core/l7/l7.h"
#include "event.h"
#include "flow.h"
#include "netlink.h"
#include "netns.h"
#include "policy.h"
#include "uapi/linux/sgw.h"

enum sgw_event_limit {
	SGW_EVENT_RING		= 4096,	/* events queued per namespace */
	SGW_EVENT_BATCH		= 64,	/* queued events sent without delay */
	SGW_EVENT_FIELD_MAX	= 255,	/* bytes kept of an L7 field */
	/* Sources whose denies are being aggregated, and for how long. */
	SGW_EVENT_AGG_SLOTS	= 256,
	SGW_EVENT_AGG_MS	= 1000,
};

/* L7 fields an event carries, copied out of the classifier's result. */
enum { EV_HOST, EV_METHOD, EV_PATH, EV_SNI, EV_ALPN, EV_QNAME, EV_FIELDS };

static const u16 field_attr[EV_FIELDS] = {
	[EV_HOST]	= SGW_EV_A_HOST,
	[EV_METHOD]	= SGW_EV_A_METHOD,
	[EV_PATH]	= SGW_EV_A_PATH,
	[EV_SNI]	= SGW_EV_A_SNI,
	[EV_ALPN]	= SGW_EV_A_ALPN,
	[EV_QNAME]	= SGW_EV_A_QNAME,
};

struct sgw_event_rec {
	u64	seq;
	u64	time_ns;
	u64	packets[2];	/* orig, reply */
	u64	bytes[2];
	u64	duration_ms;
	u32	rule_id;
	u32	line;
	u32	generation;
	u16	src_seg;
	u16	dst_seg;
	__be16	sport;
	__be16	dport;
	u8	type;
	u8	reason;
	u8	family;
	u8	proto;
	u8	app;
	u8	has_counters;
	u32	count;		/* denies this event stands for */
	u8	saddr[16];
	u8	daddr[16];
	/* Only for classified flows: allocated beside the ring slot. */
	u8	*fields[EV_FIELDS];
	u8	field_len[EV_FIELDS];
};

/*
 * Denies from one source within an interval: the first is sent at once,
 * the rest are counted into one event sent when the interval ends, so a
 * scan costs the log one line per source per second and loses no count.
 */
struct sgw_deny_agg {
	bool			used;
	unsigned long		start;		/* jiffies */
	struct sgw_event_rec	last;		/* the latest deny, count set */
};

struct sgw_events {
	struct net		*net;
	spinlock_t		lock;		/* ring, seq, counts */
	u64			seq;		/* last sequence number given */
	u64			generated;
	u64			lost;
	u64			sent;		/* events in messages */
	u64			msgs;
	unsigned int		head;		/* next slot to drain */
	unsigned int		count;		/* slots in use */
	struct sgw_event_rec	ring[SGW_EVENT_RING];
	struct sgw_deny_agg	agg[SGW_EVENT_AGG_SLOTS];
	struct delayed_work	work;
	struct delayed_work	agg_work;
};

static struct workqueue_struct *event_wq;

static void fill_rec(struct sgw_event_rec *r, const struct sgw_event_info *ev)
{
	const struct sgw_tuple *t = ev->tuple;
	unsigned int alen = t->family == AF_INET ? 4 : 16;

	r->time_ns = ktime_get_real_ns();
	r->type = ev->type;
	r->reason = ev->reason;
	r->src_seg = ev->src_seg;
	r->dst_seg = ev->dst_seg;
	r->rule_id = ev->rule_id;
	r->line = ev->line;
	r->generation = ev->generation;
	r->family = t->family;
	r->proto = t->proto;
	r->sport = t->sport;
	r->dport = t->dport;
	memcpy(r->saddr, t->saddr, alen);
	memcpy(r->daddr, t->daddr, alen);
	r->has_counters = !!ev->flow;
	if (ev->flow) {
		const struct sgw_flow *f = ev->flow;
		u8 s = f->init_side;

		r->packets[0] = atomic64_read(&f->packets[s]);
		r->bytes[0] = atomic64_read(&f->bytes[s]);
		r->packets[1] = atomic64_read(&f->packets[!s]);
		r->bytes[1] = atomic64_read(&f->bytes[!s]);
		r->duration_ms = sgw_flow_age_ms(READ_ONCE(f->first_seen));
	}
}

static void put_field(struct sgw_event_rec *r, unsigned int i,
		      const char *s, size_t len)
{
	len = min_t(size_t, len, SGW_EVENT_FIELD_MAX);
	if (!len)
		return;
	r->fields[i] = kmemdup(s, len, GFP_ATOMIC);
	if (r->fields[i])
		r->field_len[i] = len;
}

static void fill_l7(struct sgw_event_rec *r, const struct sgw_l7_result *l7)
{
	r->app = l7->app;
	if (l7->status != SGW_L7_MATCH)
		return;
	switch (l7->app) {
	case SGW_APP_HTTP:
		put_field(r, EV_HOST, l7->http.host, l7->http.host_len);
		put_field(r, EV_METHOD, l7->http.method, l7->http.method_len);
		put_field(r, EV_PATH, l7->http.path, l7->http.path_len);
		break;
	case SGW_APP_TLS:
		put_field(r, EV_SNI, l7->tls.sni, l7->tls.sni_len);
		if (l7->tls.alpn_count)
			put_field(r, EV_ALPN, l7->tls.alpn[0],
				  min_t(size_t, l7->tls.alpn_len[0],
					SGW_L7_TLS_ALPN_LEN_MAX));
		break;
	case SGW_APP_DNS:
		if (l7->dns.qdcount)
			put_field(r, EV_QNAME, l7->dns.q[0].name,
				  l7->dns.q[0].name_len);
		break;
	}
}

/*
 * Send what is queued: at once when a batch is there, else after a tick,
 * so that the events of that tick share messages. Called without e->lock.
 */
static void kick(struct sgw_events *e, unsigned int queued)
{
	if (queued == SGW_EVENT_BATCH)
		mod_delayed_work(event_wq, &e->work, 0);
	else
		queue_delayed_work(event_wq, &e->work, 1);
}

/* Number @src and queue it, or count it lost. Called with e->lock held. */
static void queue_rec(struct sgw_events *e, const struct sgw_event_rec *src,
		      bool listening)
{
	struct sgw_event_rec *r;

	e->seq++;
	e->generated++;
	if (!listening)
		return;
	if (e->count == SGW_EVENT_RING) {
		e->lost++;
		return;
	}
	r = &e->ring[(e->head + e->count) % SGW_EVENT_RING];
	*r = *src;
	r->seq = e->seq;
	e->count++;
}

static u32 agg_slot(const struct sgw_event_rec *r)
{
	return jhash(r->saddr, r->family == AF_INET ? 4 : 16, r->family) %
	       SGW_EVENT_AGG_SLOTS;
}

static bool same_source(const struct sgw_event_rec *a,
			const struct sgw_event_rec *b)
{
	return a->family == b->family &&
	       !memcmp(a->saddr, b->saddr, a->family == AF_INET ? 4 : 16);
}

/* Send what slot @a aggregated, if anything. Called with e->lock held. */
static void agg_flush(struct sgw_events *e, struct sgw_deny_agg *a,
		      bool listening)
{
	if (a->used && a->last.count)
		queue_rec(e, &a->last, listening);
	a->used = false;
}

/*
 * Returns true if @r was folded into its source's aggregate (nothing to
 * send now). Called with e->lock held.
 */
static bool aggregate(struct sgw_events *e, struct sgw_event_rec *r,
		      bool listening)
{
	struct sgw_deny_agg *a = &e->agg[agg_slot(r)];

	if (a->used && same_source(&a->last, r) &&
	    time_before(jiffies, a->start +
			msecs_to_jiffies(SGW_EVENT_AGG_MS))) {
		u32 count = a->last.count + 1;

		a->last = *r;
		a->last.count = count;
		return true;
	}
	agg_flush(e, a, listening);
	a->used = true;
	a->start = jiffies;
	a->last = *r;
	a->last.count = 0;
	return false;
}

void sgw_event_emit(struct sgw_net *sn, const struct sgw_event_info *ev)
{
	struct sgw_events *e = READ_ONCE(sn->events);
	bool listening = sgw_netlink_event_listeners(sn->net);
	struct sgw_event_rec r;
	bool folded = false;
	unsigned int queued;

	if (!e)
		return;
	if (!listening) {
		/* Numbered and counted, nothing to build or send. */
		spin_lock_bh(&e->lock);
		e->seq++;
		e->generated++;
		spin_unlock_bh(&e->lock);
		return;
	}
	memset(&r, 0, sizeof(r));
	fill_rec(&r, ev);
	r.count = 1;
	spin_lock_bh(&e->lock);
	if (ev->type == SGW_EV_DENY && !ev->l7)
		folded = aggregate(e, &r, listening);
	if (!folded) {
		/* L7 fields only for what is queued: nothing to free else. */
		if (ev->l7 && listening && e->count < SGW_EVENT_RING)
			fill_l7(&r, ev->l7);
		queue_rec(e, &r, listening);
	}
	queued = e->count;
	spin_unlock_bh(&e->lock);
	if (folded)
		mod_delayed_work(event_wq, &e->agg_work,
				 msecs_to_jiffies(SGW_EVENT_AGG_MS));
	else
		kick(e, queued);
}

static void agg_work(struct work_struct *work)
{
	struct sgw_events *e = container_of(to_delayed_work(work),
					    struct sgw_events, agg_work);
	bool listening = sgw_netlink_event_listeners(e->net);
	unsigned int i;

	spin_lock_bh(&e->lock);
	for (i = 0; i < SGW_EVENT_AGG_SLOTS; i++)
		if (e->agg[i].used &&
		    time_after_eq(jiffies, e->agg[i].start +
				  msecs_to_jiffies(SGW_EVENT_AGG_MS)))
			agg_flush(e, &e->agg[i], listening);
	spin_unlock_bh(&e->lock);
	queue_delayed_work(event_wq, &e->work, 0);
}

static int put_addr(struct sk_buff *skb, int attr, u8 family, const u8 *a)
{
	return nla_put(skb, attr, family == AF_INET ? 4 : 16, a);
}

static int fill_event(struct sk_buff *skb, const struct sgw_event_rec *r)
{
	struct nlattr *nest = nla_nest_start(skb, SGW_A_EVENT);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, SGW_EV_A_SEQ, r->seq, SGW_EV_A_PAD) ||
	    nla_put_u64_64bit(skb, SGW_EV_A_TIME_NS, r->time_ns,
			      SGW_EV_A_PAD) ||
	    nla_put_u8(skb, SGW_EV_A_TYPE, r->type) ||
	    nla_put_u8(skb, SGW_EV_A_REASON, r->reason) ||
	    nla_put_u8(skb, SGW_EV_A_FAMILY, r->family) ||
	    nla_put_u8(skb, SGW_EV_A_PROTO, r->proto) ||
	    put_addr(skb, SGW_EV_A_SRC, r->family, r->saddr) ||
	    put_addr(skb, SGW_EV_A_DST, r->family, r->daddr) ||
	    nla_put_u16(skb, SGW_EV_A_SPORT, ntohs(r->sport)) ||
	    nla_put_u16(skb, SGW_EV_A_DPORT, ntohs(r->dport)) ||
	    nla_put_u16(skb, SGW_EV_A_SRC_SEG, r->src_seg) ||
	    nla_put_u16(skb, SGW_EV_A_DST_SEG, r->dst_seg) ||
	    nla_put_u32(skb, SGW_EV_A_GENERATION, r->generation))
		goto cancel;
	if (r->rule_id && (nla_put_u32(skb, SGW_EV_A_RULE, r->rule_id) ||
			   nla_put_u32(skb, SGW_EV_A_LINE, r->line)))
		goto cancel;
	if (r->has_counters &&
	    (nla_put_u64_64bit(skb, SGW_EV_A_PACKETS_ORIG, r->packets[0],
			       SGW_EV_A_PAD) ||
	     nla_put_u64_64bit(skb, SGW_EV_A_BYTES_ORIG, r->bytes[0],
			       SGW_EV_A_PAD) ||
	     nla_put_u64_64bit(skb, SGW_EV_A_PACKETS_REPLY, r->packets[1],
			       SGW_EV_A_PAD) ||
	     nla_put_u64_64bit(skb, SGW_EV_A_BYTES_REPLY, r->bytes[1],
			       SGW_EV_A_PAD) ||
	     nla_put_u64_64bit(skb, SGW_EV_A_DURATION_MS, r->duration_ms,
			       SGW_EV_A_PAD)))
		goto cancel;
	if (r->app && nla_put_u8(skb, SGW_EV_A_APP, r->app))
		goto cancel;
	if (r->type == SGW_EV_DENY &&
	    nla_put_u32(skb, SGW_EV_A_COUNT, r->count))
		goto cancel;
	for (i = 0; i < EV_FIELDS; i++)
		if (r->fields[i] && nla_put(skb, field_attr[i],
					    r->field_len[i], r->fields[i]))
			goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static void free_fields(struct sgw_event_rec *r)
{
	unsigned int i;

	for (i = 0; i < EV_FIELDS; i++) {
		kfree(r->fields[i]);
		r->fields[i] = NULL;
	}
}

/* Take the oldest queued event, or return false. */
static bool take(struct sgw_events *e, struct sgw_event_rec *out, u64 *lost)
{
	bool got = false;

	spin_lock_bh(&e->lock);
	if (e->count) {
		*out = e->ring[e->head];
		e->head = (e->head + 1) % SGW_EVENT_RING;
		e->count--;
		got = true;
	}
	*lost = e->lost;
	spin_unlock_bh(&e->lock);
	return got;
}

/* Put an event back at the head: it did not fit in this message. */
static void untake(struct sgw_events *e, const struct sgw_event_rec *r)
{
	spin_lock_bh(&e->lock);
	e->head = (e->head + SGW_EVENT_RING - 1) % SGW_EVENT_RING;
	e->ring[e->head] = *r;
	e->count++;
	spin_unlock_bh(&e->lock);
}

/* One message: as many events as fit. Returns false when drained. */
static bool send_batch(struct sgw_events *e)
{
	struct sgw_event_rec r;
	struct sk_buff *skb;
	unsigned int n = 0;
	u64 lost;
	void *hdr;

	if (!take(e, &r, &lost))
		return false;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	hdr = skb ? sgw_netlink_event_put(skb) : NULL;
	if (!hdr || nla_put_u64_64bit(skb, SGW_A_EVENTS_LOST, lost, SGW_A_PAD) ||
	    nla_put_u32(skb, SGW_A_NETNS, e->net->ns.inum)) {
		/* Not even one fits: the event is lost, and counted. */
		free_fields(&r);
		spin_lock_bh(&e->lock);
		e->lost++;
		spin_unlock_bh(&e->lock);
		kfree_skb(skb);
		return true;
	}
	do {
		if (fill_event(skb, &r)) {
			if (!n) {
				/* Larger than a whole message: count it. */
				spin_lock_bh(&e->lock);
				e->lost++;
				spin_unlock_bh(&e->lock);
				free_fields(&r);
				continue;
			}
			untake(e, &r);
			break;
		}
		free_fields(&r);
		n++;
	} while (take(e, &r, &lost));
	genlmsg_end(skb, hdr);
	spin_lock_bh(&e->lock);
	e->sent += n;
	e->msgs++;
	spin_unlock_bh(&e->lock);
	/*
	 * Listeners whose buffer is full lose this message; they see the gap
	 * in sequence numbers. Nobody listening any more is not a loss.
	 */
	sgw_netlink_event_send(e->net, skb);
	return true;
}

static void event_work(struct work_struct *work)
{
	struct sgw_events *e = container_of(to_delayed_work(work),
					    struct sgw_events, work);

	while (send_batch(e))
		cond_resched();
}

void sgw_event_counts(struct sgw_net *sn, struct sgw_event_counts *c)
{
	struct sgw_events *e = READ_ONCE(sn->events);

	memset(c, 0, sizeof(*c));
	if (!e)
		return;
	spin_lock_bh(&e->lock);
	c->generated = e->generated;
	c->lost = e->lost;
	c->sent = e->sent;
	c->msgs = e->msgs;
	spin_unlock_bh(&e->lock);
}

/*
 * The ring is some hundreds of KiB: made with a namespace's first policy,
 * so that untouched namespaces cost nothing.
 */
int sgw_event_net_init(struct sgw_net *sn)
{
	struct sgw_events *e;

	if (sn->events)
		return 0;
	e = kvzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->net = sn->net;
	spin_lock_init(&e->lock);
	INIT_DELAYED_WORK(&e->work, event_work);
	INIT_DELAYED_WORK(&e->agg_work, agg_work);
	WRITE_ONCE(sn->events, e);
	return 0;
}

void sgw_event_net_uninit(struct sgw_net *sn)
{
	struct sgw_events *e = sn->events;
	struct sgw_event_rec r;
	u64 lost;

	if (!e)
		return;
	cancel_delayed_work_sync(&e->agg_work);
	cancel_delayed_work_sync(&e->work);
	while (take(e, &r, &lost))
		free_fields(&r);
	kvfree(e);
	sn->events = NULL;
}

int sgw_event_init(void)
{
	event_wq = alloc_workqueue("sgw_event", WQ_UNBOUND, 0);
	return event_wq ? 0 : -ENOMEM;
}

void sgw_event_uninit(void)
{
	destroy_workqueue(event_wq);
}
