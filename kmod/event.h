/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flow events: what the gateway decided, multicast to listeners of the
 * "events" group of the namespace, in batches, with a sequence number per
 * event and an exact count of what could not be sent.
 *
 * sgw_event_emit() runs on the packet path: it never blocks and never
 * waits for a listener; an event that finds no room is counted as lost.
 */
#ifndef SGW_EVENT_H
#define SGW_EVENT_H

#include <linux/types.h>

struct sgw_net;
struct sgw_flow;
struct sgw_tuple;
struct sgw_l7_result;
struct sk_buff;

struct sgw_event_info {
	u8				type;		/* SGW_EV_* */
	u8				reason;		/* SGW_R_* */
	u16				src_seg;
	u16				dst_seg;
	u32				rule_id;	/* 0: no rule */
	u32				line;
	u32				generation;
	/* Oriented from the flow's opener. */
	const struct sgw_tuple		*tuple;
	/* For end and revoke events: counters and duration. */
	const struct sgw_flow		*flow;
	/* Application fields, when the flow was classified. */
	const struct sgw_l7_result	*l7;
};

void sgw_event_emit(struct sgw_net *sn, const struct sgw_event_info *ev);

/* Made with the first policy (under sn->lock), gone with the namespace. */
int sgw_event_net_init(struct sgw_net *sn);
void sgw_event_net_uninit(struct sgw_net *sn);

struct sgw_event_counts {
	u64	generated;
	u64	lost;		/* generated but never queued or sent */
	u64	sent;		/* put in a multicast message */
	u64	msgs;		/* multicast messages */
};

void sgw_event_counts(struct sgw_net *sn, struct sgw_event_counts *c);

int sgw_event_init(void);
void sgw_event_uninit(void);

#endif /* SGW_EVENT_H */
