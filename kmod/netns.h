/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state. A namespace with no policy is untouched:
 * no hooks, no defrag, nothing on its packet path.
 *
 * Locking: @lock serialises every writer (netlink commands, socket
 * release, namespace exit); @policy is read under RCU on the packet path
 * and replaced whole under @lock.
 */
#ifndef SGW_NETNS_H
#define SGW_NETNS_H

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include "flow.h"
#include "stats.h"

struct net;
struct sgw_policy;
struct sgw_txn;
struct sgw_events;
struct netlink_ext_ack;

struct sgw_net {
	struct net			*net;
	struct mutex			lock;
	struct sgw_policy __rcu		*policy;
	u32				hooks;		/* registered */
	bool				defrag;
	u32				generation;	/* last committed */
	struct sgw_txn			*txn;
	struct sgw_stats __percpu	*stats;
	struct sgw_flow_table		flows;
	struct sgw_events		*events;	/* event.c */
	atomic_t			held_bytes;	/* hold.c */
};

struct sgw_net *sgw_net(const struct net *net);

/* Swap in @p (consumed, even on error). Caller holds sn->lock. */
int sgw_net_install(struct sgw_net *sn, struct sgw_policy *p,
		    struct netlink_ext_ack *extack);
/* Back to untouched: no policy, no hooks, no flows. Holds sn->lock. */
void sgw_net_reset(struct sgw_net *sn);

static inline struct sgw_policy *sgw_net_policy(struct sgw_net *sn)
{
	return rcu_dereference_protected(sn->policy,
					 lockdep_is_held(&sn->lock));
}

int sgw_netns_init(void);
void sgw_netns_uninit(void);

#endif /* SGW_NETNS_H */
