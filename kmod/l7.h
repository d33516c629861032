/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flows whose verdict depends on their application: classification on
 * the packet path with the shared classifiers of core/l7/, holding a TCP
 * flow's client packets until the verdict, and checking every client
 * datagram of a UDP application flow (each DNS query).
 */
#ifndef SGW_L7_H
#define SGW_L7_H

#include <linux/types.h>

struct nf_hook_state;
struct sk_buff;
struct sgw_decision;
struct sgw_flow;
struct sgw_l7_result;
struct sgw_net;
struct sgw_pkt;
struct sgw_policy;

/*
 * Decide a new non-TCP flow that needed L7 on its first datagram.
 * Returns its classification (kmalloc'd, the caller keeps or frees it)
 * with @d allowing, or NULL with @d denying (logged and counted here).
 */
struct sgw_l7_result *sgw_l7_decide_datagram(struct sgw_net *sn,
					     const struct sgw_policy *p,
					     struct sk_buff *skb,
					     const struct sgw_pkt *pkt,
					     struct sgw_decision *d);

/* A later client datagram of an application flow: may it pass? */
bool sgw_l7_check_datagram(struct sgw_net *sn, const struct sgw_policy *p,
			   struct sgw_flow *f, struct sk_buff *skb,
			   const struct sgw_pkt *pkt);

/* A client payload packet of a pending TCP flow: hold, allow or deny. */
unsigned int sgw_l7_hold(struct sgw_net *sn, const struct sgw_policy *p,
			 struct sgw_flow *f, struct sk_buff *skb,
			 const struct nf_hook_state *state,
			 const struct sgw_pkt *pkt);

/* The drop counter for an L7 denial reason (SGW_R_*). */
unsigned int sgw_l7_drop_counter(u8 reason);

#endif /* SGW_L7_H */
