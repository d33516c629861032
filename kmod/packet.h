/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the hooks need to know about a packet, read with
 * skb_header_pointer() so that nothing past the packet's end is touched.
 */
#ifndef SGW_PACKET_H
#define SGW_PACKET_H

#include <linux/types.h>
#include "policy.h"

struct sk_buff;

enum sgw_pkt_kind {
	SGW_PKT_FLOW,		/* belongs to a flow: t is its tuple */
	SGW_PKT_ICMP_ERROR,	/* t is the tuple of the packet it quotes */
	SGW_PKT_LOCAL_CONTROL,	/* IPv6 neighbour discovery, MLD */
	SGW_PKT_MALFORMED,
	SGW_PKT_FRAGMENT,
};

enum sgw_tcp_flag {
	SGW_TCP_FIN = 0x01,
	SGW_TCP_SYN = 0x02,
	SGW_TCP_RST = 0x04,
	SGW_TCP_ACK = 0x10,
};

struct sgw_pkt {
	struct sgw_tuple	t;
	u8			saddr[16];
	u8			daddr[16];
	u8			tcp_flags;
	u32			tcp_seq;
	/* From the network header: transport header, payload, its size. */
	u16			l4_off;
	u16			payload_off;
	u32			payload_len;
};

enum sgw_pkt_kind sgw_packet_parse(const struct sk_buff *skb, u8 family,
				   struct sgw_pkt *p);

#endif /* SGW_PACKET_H */
