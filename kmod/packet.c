// SPDX-License-Identifier: GPL-2.0
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include "packet.h"

/* Where the payload starts and how long it is, for classification. */
static bool read_payload(const struct sk_buff *skb, unsigned int off,
			 unsigned int hdrlen, struct sgw_pkt *p)
{
	unsigned int net = skb_network_offset(skb);

	if (off + hdrlen > skb->len || off - net + hdrlen > U16_MAX)
		return false;
	p->l4_off = off - net;
	p->payload_off = off - net + hdrlen;
	p->payload_len = skb->len - off - hdrlen;
	return true;
}

static bool read_tcp(const struct sk_buff *skb, unsigned int off,
		     struct sgw_pkt *p)
{
	struct tcphdr th, *thp;

	thp = skb_header_pointer(skb, off, sizeof(th), &th);
	if (!thp || thp->doff < 5)
		return false;
	p->t.sport = thp->source;
	p->t.dport = thp->dest;
	p->tcp_flags = ((u8 *)thp)[13];
	p->tcp_seq = ntohl(thp->seq);
	return read_payload(skb, off, thp->doff * 4, p);
}

/* Ports, or the ICMP echo identifier in both, at @off of protocol @proto. */
static bool read_ports(const struct sk_buff *skb, unsigned int off,
		       struct sgw_pkt *p, bool quoted)
{
	switch (p->t.proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP: {
		__be16 ports[2], *pp;

		/* A quoted header may be cut at 8 bytes. */
		if (p->t.proto == IPPROTO_TCP && !quoted)
			return read_tcp(skb, off, p);
		pp = skb_header_pointer(skb, off, sizeof(ports), ports);
		if (!pp)
			return false;
		p->t.sport = pp[0];
		p->t.dport = pp[1];
		if (p->t.proto == IPPROTO_UDP && !quoted)
			return read_payload(skb, off, sizeof(struct udphdr), p);
		return true;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		struct icmphdr ih, *ihp;

		/* icmphdr and icmp6hdr share the echo layout. */
		ihp = skb_header_pointer(skb, off, sizeof(ih), &ih);
		if (!ihp)
			return false;
		if ((p->t.proto == IPPROTO_ICMP &&
		     (ihp->type == ICMP_ECHO || ihp->type == ICMP_ECHOREPLY)) ||
		    (p->t.proto == IPPROTO_ICMPV6 &&
		     (ihp->type == ICMPV6_ECHO_REQUEST ||
		      ihp->type == ICMPV6_ECHO_REPLY))) {
			p->t.sport = ihp->un.echo.id;
			p->t.dport = ihp->un.echo.id;
		}
		return true;
	}
	default:
		return true;
	}
}

static bool icmp4_is_error(u8 type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_TIME_EXCEEDED ||
	       type == ICMP_PARAMETERPROB || type == ICMP_SOURCE_QUENCH;
}

static enum sgw_pkt_kind parse_ipv4(const struct sk_buff *skb,
				    unsigned int off, struct sgw_pkt *p,
				    bool quoted)
{
	struct iphdr ih, *iph;
	unsigned int ihl;

	iph = skb_header_pointer(skb, off, sizeof(ih), &ih);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return SGW_PKT_MALFORMED;
	if (!quoted && ip_is_fragment(iph))
		return SGW_PKT_FRAGMENT;
	ihl = iph->ihl * 4;
	memcpy(p->saddr, &iph->saddr, 4);
	memcpy(p->daddr, &iph->daddr, 4);
	p->t.proto = iph->protocol;
	/* A quoted fragment other than the first carries no ports. */
	if (quoted && (ntohs(iph->frag_off) & IP_OFFSET))
		return SGW_PKT_MALFORMED;
	if (!quoted && iph->protocol == IPPROTO_ICMP) {
		struct icmphdr icmp, *icmpp;

		icmpp = skb_header_pointer(skb, off + ihl, sizeof(icmp), &icmp);
		if (!icmpp)
			return SGW_PKT_MALFORMED;
		if (icmp4_is_error(icmpp->type)) {
			if (parse_ipv4(skb, off + ihl + sizeof(icmp), p, true) !=
			    SGW_PKT_FLOW)
				return SGW_PKT_MALFORMED;
			return SGW_PKT_ICMP_ERROR;
		}
	}
	return read_ports(skb, off + ihl, p, quoted) ? SGW_PKT_FLOW :
						       SGW_PKT_MALFORMED;
}

static bool icmp6_is_local_control(u8 type)
{
	switch (type) {
	case ICMPV6_MGM_QUERY:
	case ICMPV6_MGM_REPORT:
	case ICMPV6_MGM_REDUCTION:
	case NDISC_ROUTER_SOLICITATION:
	case NDISC_ROUTER_ADVERTISEMENT:
	case NDISC_NEIGHBOUR_SOLICITATION:
	case NDISC_NEIGHBOUR_ADVERTISEMENT:
	case NDISC_REDIRECT:
	case ICMPV6_MLD2_REPORT:
		return true;
	}
	return false;
}

static enum sgw_pkt_kind parse_ipv6(const struct sk_buff *skb,
				    unsigned int off, struct sgw_pkt *p,
				    bool quoted)
{
	struct ipv6hdr ih, *ip6h;
	__be16 frag_off = 0;
	u8 nexthdr;
	int l4;

	ip6h = skb_header_pointer(skb, off, sizeof(ih), &ih);
	if (!ip6h || ip6h->version != 6)
		return SGW_PKT_MALFORMED;
	memcpy(p->saddr, &ip6h->saddr, 16);
	memcpy(p->daddr, &ip6h->daddr, 16);
	nexthdr = ip6h->nexthdr;
	l4 = ipv6_skip_exthdr(skb, off + sizeof(ih), &nexthdr, &frag_off);
	if (l4 < 0)
		return SGW_PKT_MALFORMED;
	if (frag_off)
		return quoted ? SGW_PKT_MALFORMED : SGW_PKT_FRAGMENT;
	p->t.proto = nexthdr;
	if (!quoted && nexthdr == IPPROTO_ICMPV6) {
		struct icmp6hdr icmp, *icmpp;

		icmpp = skb_header_pointer(skb, l4, sizeof(icmp), &icmp);
		if (!icmpp)
			return SGW_PKT_MALFORMED;
		if (icmp6_is_local_control(icmpp->icmp6_type))
			return SGW_PKT_LOCAL_CONTROL;
		if (icmpp->icmp6_type < 128) {
			if (parse_ipv6(skb, l4 + sizeof(icmp), p, true) !=
			    SGW_PKT_FLOW)
				return SGW_PKT_MALFORMED;
			return SGW_PKT_ICMP_ERROR;
		}
	}
	return read_ports(skb, l4, p, quoted) ? SGW_PKT_FLOW :
						SGW_PKT_MALFORMED;
}

enum sgw_pkt_kind sgw_packet_parse(const struct sk_buff *skb, u8 family,
				   struct sgw_pkt *p)
{
	enum sgw_pkt_kind kind;

	memset(p, 0, sizeof(*p));
	p->t.family = family;
	p->t.saddr = p->saddr;
	p->t.daddr = p->daddr;
	if (family == AF_INET)
		kind = parse_ipv4(skb, skb_network_offset(skb), p, false);
	else
		kind = parse_ipv6(skb, skb_network_offset(skb), p, false);
	return kind;
}
