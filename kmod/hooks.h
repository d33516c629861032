/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SGW_HOOKS_H
#define SGW_HOOKS_H

#include <linux/types.h>

struct sgw_net;
struct sgw_flow;
struct sgw_pkt;
struct sk_buff;
struct nf_hook_state;

/* The hook function itself: a released packet resumes after it. */
unsigned int sgw_hook(void *priv, struct sk_buff *skb,
		      const struct nf_hook_state *state);

/* Follow a packet's effect on its flow's state. */
void sgw_track_state(struct sgw_flow *f, u8 side, const struct sgw_pkt *pkt);

/*
 * Register and unregister hook points so that exactly @mask
 * (SGW_HOOK_F_*) is registered. Caller holds sn->lock. Unregistering
 * never fails; on a registration error nothing new stays registered.
 */
int sgw_hooks_set(struct sgw_net *sn, u32 mask);

#endif /* SGW_HOOKS_H */
