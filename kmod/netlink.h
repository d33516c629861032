/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SGW_NETLINK_H
#define SGW_NETLINK_H

struct net;
struct sk_buff;

enum { SGW_MCGRP_EVENTS_ID };

/* Start an SGW_CMD_EVENT message in @skb; NULL if it does not fit. */
void *sgw_netlink_event_put(struct sk_buff *skb);
bool sgw_netlink_event_listeners(struct net *net);
/* Multicast @skb (consumed) to the namespace's event listeners. */
int sgw_netlink_event_send(struct net *net, struct sk_buff *skb);

int sgw_netlink_init(void);
void sgw_netlink_uninit(void);

#endif /* SGW_NETLINK_H */
