// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A capture read into flows: see pcapflow.h. The IP headers are read as
 * kmod/packet.c reads them, flows keyed and aged as kmod/flow.c does, and
 * each side of a TCP flow keeps the segments that can make up the first
 * PF_PREFIX_MAX bytes of its stream, put in sequence order once the whole
 * capture is read (segments may come out of order or twice).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <pcap/pcap.h>

#include "../include/uapi/linux/sgw.h"
#include "pcapflow.h"

enum {
	TCP_FIN		= 0x01,
	TCP_SYN		= 0x02,
	TCP_RST		= 0x04,
	TCP_ACK		= 0x10,

	/* Idle timeouts of kmod/flow.h (enum sgw_flow_limit), seconds. */
	TIMEOUT_TCP_OPENING	= 30,
	TIMEOUT_TCP_ESTABLISHED	= 3600,
	TIMEOUT_CLOSING		= 10,
	TIMEOUT_UDP_OPEN	= 30,
	TIMEOUT_UDP_ESTABLISHED	= 120,
	TIMEOUT_ICMP		= 30,
	TIMEOUT_OTHER		= 60,

	ETH_P_IP	= 0x0800,
	ETH_P_IPV6	= 0x86dd,
	ETH_P_8021Q	= 0x8100,
	ETH_P_8021AD	= 0x88a8,
	ETH_P_QINQ	= 0x9100,
};

/* A packet's flow fields, read as kmod/packet.c reads them. */
struct pkt {
	uint8_t		family;
	uint8_t		proto;
	uint8_t		saddr[16];
	uint8_t		daddr[16];
	uint16_t	sport;		/* host order */
	uint16_t	dport;
	uint8_t		tcp_flags;
	uint32_t	tcp_seq;
	const uint8_t	*payload;
	uint32_t	payload_len;	/* as sent */
	uint32_t	payload_kept;	/* of them in the capture */
	uint32_t	ip_len;
};

/* What a packet is, as enum sgw_pkt_kind, or why it is none. */
enum kind {
	K_FLOW,
	K_ICMP_ERROR,
	K_LOCAL_CONTROL,
	K_MALFORMED,
	K_FRAGMENT,
};

struct pf_seg {
	uint32_t	seq;
	uint32_t	len;
	uint8_t		*data;
};

/* One side of a TCP flow. */
struct pf_stream {
	bool		syn;		/* its SYN was seen: isn is valid */
	uint32_t	isn;
	bool		ref_set;
	uint32_t	ref;		/* the sequence number segments are
					 * kept relative to
					 */
	struct pf_seg	*segs;
	size_t		nsegs;
	size_t		cap;
	uint64_t	payload;
	uint32_t	ignored;
};

const char *pcapflow_skip_name(enum pf_skip why)
{
	static const char *const names[__PF_SKIP_MAX] = {
		[PF_SKIP_TRUNCATED]	= "truncated",
		[PF_SKIP_MALFORMED]	= "malformed",
		[PF_SKIP_FRAGMENT]	= "fragment",
		[PF_SKIP_NOT_IP]	= "not_ip",
		[PF_SKIP_ICMP_ERROR]	= "icmp_error",
		[PF_SKIP_LOCAL_CONTROL]	= "local_control",
	};

	return (unsigned int)why < __PF_SKIP_MAX ? names[why] : "?";
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Headers. @d holds the IP datagram, @len bytes of it. */

static bool read_payload(struct pkt *p, const uint8_t *d, size_t len,
			 size_t off, size_t hdrlen)
{
	if (off + hdrlen > len)
		return false;
	p->payload = d + off + hdrlen;
	p->payload_len = len - off - hdrlen;
	return true;
}

static bool read_ports(struct pkt *p, const uint8_t *d, size_t len,
		       size_t off, bool quoted)
{
	switch (p->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		/* A quoted header may be cut at 8 bytes. */
		if (p->proto == IPPROTO_TCP && !quoted) {
			unsigned int doff;

			if (off + 20 > len)
				return false;
			doff = d[off + 12] >> 4;
			if (doff < 5)
				return false;
			p->sport = get16(d + off);
			p->dport = get16(d + off + 2);
			p->tcp_seq = get32(d + off + 4);
			p->tcp_flags = d[off + 13];
			return read_payload(p, d, len, off, doff * 4);
		}
		if (off + 4 > len)
			return false;
		p->sport = get16(d + off);
		p->dport = get16(d + off + 2);
		if (p->proto == IPPROTO_UDP && !quoted)
			return read_payload(p, d, len, off, 8);
		return true;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (off + 8 > len)
			return false;
		/* Echo request and reply: the identifier in both ports. */
		if ((p->proto == IPPROTO_ICMP &&
		     (d[off] == 8 || d[off] == 0)) ||
		    (p->proto == IPPROTO_ICMPV6 &&
		     (d[off] == 128 || d[off] == 129))) {
			p->sport = get16(d + off + 4);
			p->dport = p->sport;
		}
		return true;
	default:
		return true;
	}
}

static bool icmp4_is_error(uint8_t type)
{
	/* Destination unreachable, source quench, time exceeded, parameter
	 * problem.
	 */
	return type == 3 || type == 4 || type == 11 || type == 12;
}

static enum kind parse_ipv4(struct pkt *p, const uint8_t *d, size_t len,
			    size_t off, bool quoted)
{
	unsigned int ihl;
	uint16_t frag;

	if (off + 20 > len || d[off] >> 4 != 4 || (d[off] & 0xf) < 5)
		return K_MALFORMED;
	frag = get16(d + off + 6);
	/* More fragments, or an offset. */
	if (!quoted && (frag & 0x3fff))
		return K_FRAGMENT;
	ihl = (d[off] & 0xf) * 4;
	memcpy(p->saddr, d + off + 12, 4);
	memcpy(p->daddr, d + off + 16, 4);
	p->proto = d[off + 9];
	/* A quoted fragment other than the first carries no ports. */
	if (quoted && (frag & 0x1fff))
		return K_MALFORMED;
	if (!quoted && p->proto == IPPROTO_ICMP) {
		if (off + ihl + 8 > len)
			return K_MALFORMED;
		if (icmp4_is_error(d[off + ihl])) {
			struct pkt q = { .family = AF_INET };

			if (parse_ipv4(&q, d, len, off + ihl + 8, true) !=
			    K_FLOW)
				return K_MALFORMED;
			return K_ICMP_ERROR;
		}
	}
	return read_ports(p, d, len, off + ihl, quoted) ? K_FLOW : K_MALFORMED;
}

static bool icmp6_is_local_control(uint8_t type)
{
	switch (type) {
	case 130:	/* MLD query */
	case 131:	/* MLD report */
	case 132:	/* MLD done */
	case 133:	/* router solicitation */
	case 134:	/* router advertisement */
	case 135:	/* neighbour solicitation */
	case 136:	/* neighbour advertisement */
	case 137:	/* redirect */
	case 143:	/* MLDv2 report */
		return true;
	}
	return false;
}

/*
 * ipv6_skip_exthdr(): the transport header's offset, or -1. *frag_off is
 * the last fragment header's offset and flags word (0: no fragment).
 */
static long skip_exthdr(const uint8_t *d, size_t len, size_t start,
			uint8_t *nexthdr, uint16_t *frag_off)
{
	uint8_t nh = *nexthdr;

	*frag_off = 0;
	for (;;) {
		size_t hdrlen;

		switch (nh) {
		case 0:		/* hop-by-hop */
		case 43:	/* routing */
		case 44:	/* fragment */
		case 51:	/* authentication */
		case 60:	/* destination options */
			break;
		case 59:	/* no next header */
			return -1;
		default:
			*nexthdr = nh;
			return start;
		}
		if (start + 2 > len)
			return -1;
		if (nh == 44) {
			if (start + 4 > len)
				return -1;
			*frag_off = get16(d + start + 2);
			if (*frag_off & ~0x7) {
				*nexthdr = nh;
				return start;
			}
			hdrlen = 8;
		} else if (nh == 51) {
			hdrlen = ((size_t)d[start + 1] + 2) << 2;
		} else {
			hdrlen = ((size_t)d[start + 1] + 1) << 3;
		}
		nh = d[start];
		start += hdrlen;
	}
}

static enum kind parse_ipv6(struct pkt *p, const uint8_t *d, size_t len,
			    size_t off, bool quoted)
{
	uint16_t frag_off;
	uint8_t nexthdr;
	long l4;

	if (off + 40 > len || d[off] >> 4 != 6)
		return K_MALFORMED;
	memcpy(p->saddr, d + off + 8, 16);
	memcpy(p->daddr, d + off + 24, 16);
	nexthdr = d[off + 6];
	l4 = skip_exthdr(d, len, off + 40, &nexthdr, &frag_off);
	if (l4 < 0)
		return K_MALFORMED;
	if (frag_off)
		return quoted ? K_MALFORMED : K_FRAGMENT;
	p->proto = nexthdr;
	if (!quoted && nexthdr == IPPROTO_ICMPV6) {
		if ((size_t)l4 + 8 > len)
			return K_MALFORMED;
		if (icmp6_is_local_control(d[l4]))
			return K_LOCAL_CONTROL;
		if (d[l4] < 128) {
			struct pkt q = { .family = AF_INET6 };

			if (parse_ipv6(&q, d, len, l4 + 8, true) != K_FLOW)
				return K_MALFORMED;
			return K_ICMP_ERROR;
		}
	}
	return read_ports(p, d, len, l4, quoted) ? K_FLOW : K_MALFORMED;
}

/*
 * The IP datagram of a frame: its length from the IP header (*@len),
 * checked against the @avail bytes captured of it. 0 or a skip reason + 1.
 * A datagram longer than @avail is malformed (a frame shorter than its IP
 * header says: the stack drops it) unless the capture cut the frame
 * (@snapped): then it is "cut", and read as far as it goes.
 */
static int ip_datagram(const uint8_t *ip, size_t avail, bool snapped,
		       uint8_t *family, size_t *len)
{
	size_t want;

	if (avail < 1)
		return PF_SKIP_TRUNCATED + 1;
	switch (ip[0] >> 4) {
	case 4:
		if (avail < 20)
			return PF_SKIP_TRUNCATED + 1;
		*family = AF_INET;
		want = get16(ip + 2);
		/* 0: a segmentation offload's super-packet, as captured. */
		if (!want)
			want = avail;
		if (want < (size_t)(ip[0] & 0xf) * 4)
			return PF_SKIP_MALFORMED + 1;
		break;
	case 6:
		if (avail < 40)
			return PF_SKIP_TRUNCATED + 1;
		*family = AF_INET6;
		want = get16(ip + 4);
		want = want ? want + 40 : avail;	/* jumbogram, offload */
		break;
	default:
		return PF_SKIP_MALFORMED + 1;
	}
	if (want > avail && !snapped)
		return PF_SKIP_MALFORMED + 1;
	*len = want;	/* link-layer padding after it is not the packet's */
	return 0;
}

/* Where the IP datagram starts in a frame of link type @dlt. */
static int link_payload(int dlt, const uint8_t *d, size_t caplen,
			size_t *off)
{
	uint32_t af;
	uint16_t type;
	size_t o;

	switch (dlt) {
	case DLT_EN10MB:
		if (caplen < 14)
			return PF_SKIP_TRUNCATED + 1;
		o = 12;
		type = get16(d + o);
		/* VLAN tags, stacked. */
		while (type == ETH_P_8021Q || type == ETH_P_8021AD ||
		       type == ETH_P_QINQ) {
			o += 4;
			if (o + 2 > caplen)
				return PF_SKIP_TRUNCATED + 1;
			type = get16(d + o);
		}
		o += 2;
		break;
	case DLT_LINUX_SLL:
		if (caplen < 16)
			return PF_SKIP_TRUNCATED + 1;
		type = get16(d + 14);
		o = 16;
		break;
	case DLT_LINUX_SLL2:
		if (caplen < 20)
			return PF_SKIP_TRUNCATED + 1;
		type = get16(d);
		o = 20;
		break;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		*off = 0;
		return 0;
	case DLT_NULL:
	case DLT_LOOP:
		if (caplen < 4)
			return PF_SKIP_TRUNCATED + 1;
		/* The sender's AF_ value: host order (NULL), network (LOOP). */
		memcpy(&af, d, 4);
		if (dlt == DLT_LOOP)
			af = ntohl(af);
		else if (af > 0xffff)
			af = __builtin_bswap32(af);
		/* AF_INET6 of Linux, the BSDs and Darwin. */
		if (af == 2 || af == 10 || af == 24 || af == 28 || af == 30) {
			*off = 4;
			return 0;
		}
		return PF_SKIP_NOT_IP + 1;
	default:
		return PF_SKIP_NOT_IP + 1;
	}
	if (type != ETH_P_IP && type != ETH_P_IPV6)
		return PF_SKIP_NOT_IP + 1;
	*off = o;
	return 0;
}

static bool linktype_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
		return true;
	}
	return false;
}

/* Flows. */

static size_t addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

/* The canonical key of kmod/flow.c: lower endpoint first. */
static void key_make(const struct pkt *p, struct pf_flow *k, uint8_t *side)
{
	size_t alen = addr_len(p->family);
	int c;

	memset(k->key_addr, 0, sizeof(k->key_addr));
	c = memcmp(p->saddr, p->daddr, alen);
	if (!c)
		c = (int)p->sport - (int)p->dport;
	*side = c > 0;
	memcpy(k->key_addr[*side], p->saddr, alen);
	memcpy(k->key_addr[!*side], p->daddr, alen);
	k->key_port[*side] = p->sport;
	k->key_port[!*side] = p->dport;
	k->proto = p->proto;
	k->family = p->family;
}

static bool key_equal(const struct pf_flow *a, const struct pf_flow *b)
{
	return a->family == b->family && a->proto == b->proto &&
	       !memcmp(a->key_addr, b->key_addr, sizeof(a->key_addr)) &&
	       a->key_port[0] == b->key_port[0] &&
	       a->key_port[1] == b->key_port[1];
}

static uint64_t key_hash(const struct pf_flow *k)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	uint8_t buf[sizeof(k->key_addr) + 6];
	size_t i;

	memcpy(buf, k->key_addr, sizeof(k->key_addr));
	memcpy(buf + sizeof(k->key_addr), k->key_port, 4);
	buf[sizeof(buf) - 2] = k->proto;
	buf[sizeof(buf) - 1] = k->family;
	for (i = 0; i < sizeof(buf); i++) {
		h ^= buf[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The slot of @k in the table: its flow's, or the empty one it would take. */
static size_t table_slot(const struct pf_capture *c, const struct pf_flow *k)
{
	size_t mask = c->table_size - 1;
	size_t i = key_hash(k) & mask;

	while (c->table[i] && !key_equal(c->flows[c->table[i] - 1], k))
		i = (i + 1) & mask;
	return i;
}

static int table_grow(struct pf_capture *c)
{
	size_t size = c->table_size ? c->table_size * 2 : 1024, i;
	uint32_t *old = c->table;
	size_t old_size = c->table_size;

	c->table = calloc(size, sizeof(*c->table));
	if (!c->table) {
		c->table = old;
		return -ENOMEM;
	}
	c->table_size = size;
	for (i = 0; i < old_size; i++)
		if (old[i])
			c->table[table_slot(c, c->flows[old[i] - 1])] = old[i];
	free(old);
	return 0;
}

static uint64_t timeout_ns(const struct pf_flow *f)
{
	uint64_t secs;

	if (f->state == SGW_FLOW_S_CLOSING)
		secs = TIMEOUT_CLOSING;
	else if (f->proto == IPPROTO_TCP)
		secs = f->state == SGW_FLOW_S_ESTABLISHED ?
		       TIMEOUT_TCP_ESTABLISHED : TIMEOUT_TCP_OPENING;
	else if (f->proto == IPPROTO_UDP)
		secs = f->state == SGW_FLOW_S_ESTABLISHED ?
		       TIMEOUT_UDP_ESTABLISHED : TIMEOUT_UDP_OPEN;
	else if (f->proto == IPPROTO_ICMP || f->proto == IPPROTO_ICMPV6)
		secs = TIMEOUT_ICMP;
	else
		secs = TIMEOUT_OTHER;
	return secs * 1000000000ULL;
}

/* sgw_track_state(), with the side that opened the flow as it stands. */
static void track_state(struct pf_flow *f, uint8_t side, const struct pkt *p)
{
	if (f->state == SGW_FLOW_S_OPEN && side != f->key_side0)
		f->state = SGW_FLOW_S_ESTABLISHED;
	if (p->proto != IPPROTO_TCP)
		return;
	if (p->tcp_flags & TCP_FIN) {
		f->fin |= 1 << side;
		if (f->fin == 3)
			f->state = SGW_FLOW_S_CLOSING;
	}
	if (p->tcp_flags & TCP_RST)
		f->state = SGW_FLOW_S_CLOSING;
}

static void stream_free(struct pf_stream *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nsegs; i++)
		free(s->segs[i].data);
	free(s->segs);
	free(s);
}

static void flow_free(struct pf_flow *f)
{
	size_t i;

	if (!f)
		return;
	stream_free(f->stream[0]);
	stream_free(f->stream[1]);
	free(f->prefix);
	free(f->piece_end);
	for (i = 0; i < f->ndgrams; i++)
		free(f->dgrams[i].data);
	free(f->dgrams);
	free(f);
}

static struct pf_flow *flow_new(struct pf_capture *c, const struct pf_flow *k,
				uint8_t side, uint64_t now, size_t slot)
{
	struct pf_flow *f;

	if (c->nflows == c->flows_cap) {
		size_t cap = c->flows_cap ? c->flows_cap * 2 : 64;
		struct pf_flow **n = realloc(c->flows, cap * sizeof(*n));

		if (!n)
			return NULL;
		c->flows = n;
		c->flows_cap = cap;
	}
	if (c->nflows >= UINT32_MAX - 1)
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	memcpy(f->key_addr, k->key_addr, sizeof(f->key_addr));
	memcpy(f->key_port, k->key_port, sizeof(f->key_port));
	f->family = k->family;
	f->proto = k->proto;
	f->key_side0 = side;
	f->state = SGW_FLOW_S_OPEN;
	f->first_ns = now;
	f->last_ns = now;
	if (f->proto == IPPROTO_TCP) {
		f->stream[0] = calloc(1, sizeof(*f->stream[0]));
		f->stream[1] = calloc(1, sizeof(*f->stream[1]));
		if (!f->stream[0] || !f->stream[1]) {
			flow_free(f);
			return NULL;
		}
	}
	c->flows[c->nflows++] = f;
	f->index = c->nflows;
	if (!c->table[slot])
		c->table_used++;
	c->table[slot] = f->index;
	return f;
}

/*
 * Keep the bytes of a segment that can be in the first PF_PREFIX_MAX of
 * the stream: from its start if the SYN was seen, else within that many
 * bytes of the first sequence number seen either way (an earlier segment
 * may come later).
 */
static int stream_add(struct pf_stream *s, uint32_t seq,
		      const uint8_t *data, uint32_t len, uint32_t sent)
{
	int64_t rel, end, lo, hi;
	struct pf_seg *seg;
	size_t i;

	s->payload += sent;
	if (!len)
		return 0;
	if (!s->ref_set) {
		s->ref = s->syn ? s->isn + 1 : seq;
		s->ref_set = true;
	}
	rel = (int32_t)(seq - s->ref);
	end = rel + len;
	lo = s->syn ? 0 : -(int64_t)PF_PREFIX_MAX;
	hi = PF_PREFIX_MAX;
	if (end <= lo || rel >= hi)
		return 0;
	if (rel < lo) {
		data += lo - rel;
		rel = lo;
	}
	if (end > hi)
		end = hi;
	seq = s->ref + (uint32_t)rel;
	len = end - rel;
	for (i = 0; i < s->nsegs; i++)
		if (s->segs[i].seq == seq && s->segs[i].len == len)
			return 0;	/* a retransmission */
	if (s->nsegs == PF_SEGS_MAX) {
		s->ignored++;
		return 0;
	}
	if (s->nsegs == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		struct pf_seg *n = realloc(s->segs, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->segs = n;
		s->cap = cap;
	}
	seg = &s->segs[s->nsegs];
	seg->data = malloc(len);
	if (!seg->data)
		return -ENOMEM;
	memcpy(seg->data, data, len);
	seg->seq = seq;
	seg->len = len;
	s->nsegs++;
	return 0;
}

static int add_datagram(struct pf_flow *f, const struct pkt *p, uint64_t now)
{
	struct pf_datagram *dg, *n;

	/* Room doubles each time the count reaches a power of two. */
	if (!(f->ndgrams & (f->ndgrams - 1))) {
		n = realloc(f->dgrams, (f->ndgrams ? 2 * f->ndgrams : 1) *
				       sizeof(*n));
		if (!n)
			return -ENOMEM;
		f->dgrams = n;
	}
	dg = &f->dgrams[f->ndgrams];
	dg->time_ns = now;
	dg->len = p->payload_len;
	dg->kept = p->payload_kept < PF_DATAGRAM_MAX ? p->payload_kept :
						       PF_DATAGRAM_MAX;
	dg->data = malloc(dg->kept ? dg->kept : 1);
	if (!dg->data)
		return -ENOMEM;
	memcpy(dg->data, p->payload, dg->kept);
	f->ndgrams++;
	return 0;
}

static int flow_packet(struct pf_capture *c, const struct pkt *p,
		       uint64_t now)
{
	struct pf_flow k, *f = NULL;
	bool pure_syn;
	uint8_t side;
	size_t slot;

	if (c->table_used * 2 >= c->table_size && table_grow(c))
		return -ENOMEM;
	key_make(p, &k, &side);
	slot = table_slot(c, &k);
	pure_syn = p->proto == IPPROTO_TCP &&
		   (p->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
	if (c->table[slot]) {
		f = c->flows[c->table[slot] - 1];
		/* Idle too long, or a closed connection's ports reused. */
		if (now > f->last_ns + timeout_ns(f) ||
		    (f->state == SGW_FLOW_S_CLOSING && pure_syn))
			f = NULL;
	}
	if (!f) {
		f = flow_new(c, &k, side, now, slot);
		if (!f)
			return -ENOMEM;
	}
	f->packets[side]++;
	f->bytes[side] += p->ip_len;
	if (p->payload_kept < p->payload_len)
		f->pkts_cut++;
	if (now > f->last_ns)
		f->last_ns = now;
	track_state(f, side, p);

	if (p->proto == IPPROTO_TCP) {
		struct pf_stream *s = f->stream[side];
		uint32_t seq = p->tcp_seq;

		if (p->tcp_flags & TCP_SYN) {
			if (!s->syn) {
				s->syn = true;
				s->isn = seq;
			}
			/* A SYN's sender opened the flow, or a SYN-ACK's
			 * receiver did, if no SYN says otherwise.
			 */
			if (pure_syn && f->syn_from < 2) {
				f->syn_from = 2;
				f->syn_side = side;
			} else if (!pure_syn && !f->syn_from) {
				f->syn_from = 1;
				f->syn_side = !side;
			}
			seq++;	/* the SYN takes one sequence number */
		}
		/* The bytes the capture cut are a hole in the stream. */
		if (p->payload_len)
			return stream_add(s, seq, p->payload, p->payload_kept,
					  p->payload_len);
		return 0;
	}
	if (p->proto == IPPROTO_UDP && side == f->key_side0)
		return add_datagram(f, p, now);
	return 0;
}

struct seg_order {
	int64_t		rel;
	size_t		i;
};

static int seg_cmp(const void *a, const void *b)
{
	const struct seg_order *x = a, *y = b;

	if (x->rel != y->rel)
		return x->rel < y->rel ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * The client's stream in sequence order, up to PF_PREFIX_MAX bytes. Each
 * byte is the first copy of it the capture holds; the pieces are the
 * segments that reach further than those before them, in sequence order.
 */
static int assemble(struct pf_flow *f, const struct pf_stream *s)
{
	uint8_t *have = NULL;
	struct seg_order *order;
	uint32_t base, next = 0, size = 0;
	size_t i;
	int64_t j;

	f->client_payload = s->payload;
	f->segs_ignored = s->ignored;
	if (!s->nsegs)
		return 0;
	if (s->syn) {
		base = s->isn + 1;
	} else {
		int32_t min = INT32_MAX;

		for (i = 0; i < s->nsegs; i++)
			if ((int32_t)(s->segs[i].seq - s->ref) < min)
				min = s->segs[i].seq - s->ref;
		base = s->ref + (uint32_t)min;
	}
	/* Room for the bytes there are, not for the most there could be. */
	for (i = 0; i < s->nsegs; i++) {
		j = (int64_t)(int32_t)(s->segs[i].seq - base) + s->segs[i].len;
		if (j > (int64_t)size)
			size = j < PF_PREFIX_MAX ? j : PF_PREFIX_MAX;
	}
	order = malloc(s->nsegs * sizeof(*order));
	have = calloc(size ? size : 1, 1);
	f->prefix = malloc(size ? size : 1);
	f->piece_end = malloc(s->nsegs * sizeof(*f->piece_end));
	if (!order || !have || !f->prefix || !f->piece_end) {
		free(order);
		free(have);
		return -ENOMEM;
	}
	for (i = 0; i < s->nsegs; i++) {
		const struct pf_seg *seg = &s->segs[i];
		int64_t start = (int32_t)(seg->seq - base);

		order[i].rel = start;
		order[i].i = i;
		for (j = start < 0 ? 0 : start;
		     j < start + seg->len && j < (int64_t)size; j++) {
			if (have[j])
				continue;
			have[j] = 1;
			f->prefix[j] = seg->data[j - start];
		}
	}
	free(have);
	qsort(order, s->nsegs, sizeof(*order), seg_cmp);
	for (i = 0; i < s->nsegs && next < PF_PREFIX_MAX; i++) {
		int64_t start = order[i].rel;
		int64_t end = start + s->segs[order[i].i].len;

		if (end <= next)
			continue;	/* no byte beyond those before it */
		if (start > next) {
			f->gap = true;
			break;
		}
		next = end < PF_PREFIX_MAX ? end : PF_PREFIX_MAX;
		f->piece_end[f->npieces++] = next;
	}
	f->prefix_len = next;
	free(order);
	return 0;
}

/* Orient a flow from its client, and put its stream in order. */
static int flow_finish(struct pf_flow *f)
{
	uint8_t s0 = f->key_side0;
	size_t alen = addr_len(f->family);
	uint64_t v;
	int ret = 0;

	if (f->proto == IPPROTO_TCP && f->syn_from)
		s0 = f->syn_side;
	memset(f->addr, 0, sizeof(f->addr));
	memcpy(f->addr[0], f->key_addr[s0], alen);
	memcpy(f->addr[1], f->key_addr[!s0], alen);
	f->port[0] = f->key_port[s0];
	f->port[1] = f->key_port[!s0];
	if (s0) {
		v = f->packets[0];
		f->packets[0] = f->packets[1];
		f->packets[1] = v;
		v = f->bytes[0];
		f->bytes[0] = f->bytes[1];
		f->bytes[1] = v;
	}
	if (f->proto == IPPROTO_TCP)
		ret = assemble(f, f->stream[s0]);
	if (f->proto == IPPROTO_UDP)
		for (size_t i = 0; i < f->ndgrams; i++)
			f->client_payload += f->dgrams[i].len;
	stream_free(f->stream[0]);
	stream_free(f->stream[1]);
	f->stream[0] = f->stream[1] = NULL;
	f->key_side0 = 0;
	return ret;
}

static int packet(struct pf_capture *c, const struct pcap_pkthdr *h,
		  const uint8_t *data, uint64_t now)
{
	bool snapped = h->caplen < h->len;
	struct pkt p = { 0 };
	size_t off, len, avail;
	enum kind kind;
	int skip;

	skip = link_payload(c->linktype, data, h->caplen, &off);
	if (!skip)
		skip = ip_datagram(data + off, h->caplen - off, snapped,
				   &p.family, &len);
	if (skip) {
		c->skipped[skip - 1]++;
		return 0;
	}
	data += off;
	avail = h->caplen - off < len ? h->caplen - off : len;
	p.ip_len = len;
	/* Headers are read from what was captured: a header the capture
	 * cut is as good as none.
	 */
	kind = p.family == AF_INET ? parse_ipv4(&p, data, avail, 0, false) :
				     parse_ipv6(&p, data, avail, 0, false);
	switch (kind) {
	case K_FLOW:
		if (p.payload) {
			p.payload_kept = p.payload_len;
			p.payload_len += len - avail;
		}
		return flow_packet(c, &p, now);
	case K_ICMP_ERROR:
		c->skipped[PF_SKIP_ICMP_ERROR]++;
		return 0;
	case K_LOCAL_CONTROL:
		c->skipped[PF_SKIP_LOCAL_CONTROL]++;
		return 0;
	case K_FRAGMENT:
		c->skipped[PF_SKIP_FRAGMENT]++;
		return 0;
	case K_MALFORMED:
	default:
		c->skipped[avail < len ? PF_SKIP_TRUNCATED :
					 PF_SKIP_MALFORMED]++;
		return 0;
	}
}

void pcapflow_free(struct pf_capture *c)
{
	size_t i;

	for (i = 0; i < c->nflows; i++)
		flow_free(c->flows[i]);
	free(c->flows);
	free(c->table);
	c->flows = NULL;
	c->nflows = 0;
	c->flows_cap = 0;
	c->table = NULL;
	c->table_size = 0;
	c->table_used = 0;
}

static int read_pcap(pcap_t *pc, struct pf_capture *c)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	const char *name;
	size_t i;
	int r;

	c->linktype = pcap_datalink(pc);
	name = pcap_datalink_val_to_name(c->linktype);
	if (name)
		snprintf(c->linktype_name, sizeof(c->linktype_name), "%s",
			 name);
	else
		snprintf(c->linktype_name, sizeof(c->linktype_name), "%d",
			 c->linktype);
	if (!linktype_supported(c->linktype)) {
		snprintf(c->error, sizeof(c->error),
			 "link type %s is not supported (expected EN10MB, LINUX_SLL, LINUX_SLL2, RAW, IPV4, IPV6, NULL or LOOP)",
			 c->linktype_name);
		return -1;
	}
	if (table_grow(c))
		goto nomem;
	while ((r = pcap_next_ex(pc, &h, &data)) == 1) {
		/* Nanoseconds: the file was opened at that precision. */
		uint64_t now = (uint64_t)h->ts.tv_sec * 1000000000ULL +
			       (uint64_t)h->ts.tv_usec;

		c->packets++;
		if (packet(c, h, data, now))
			goto nomem;
	}
	if (r == PCAP_ERROR) {
		c->incomplete = true;
		snprintf(c->error, sizeof(c->error), "%s", pcap_geterr(pc));
	}
	for (i = 0; i < c->nflows; i++)
		if (flow_finish(c->flows[i]))
			goto nomem;
	free(c->table);
	c->table = NULL;
	c->table_size = 0;
	c->table_used = 0;
	return 0;
nomem:
	snprintf(c->error, sizeof(c->error), "out of memory");
	return -1;
}

static int read_opened(pcap_t *pc, const char *errbuf, struct pf_capture *c)
{
	int ret;

	memset(c, 0, sizeof(*c));
	if (!pc) {
		snprintf(c->error, sizeof(c->error), "%s", errbuf);
		return -1;
	}
	ret = read_pcap(pc, c);
	pcap_close(pc);
	if (ret) {
		char error[sizeof(c->error)];

		memcpy(error, c->error, sizeof(error));
		pcapflow_free(c);
		memset(c, 0, sizeof(*c));
		memcpy(c->error, error, sizeof(error));
	}
	return ret;
}

int pcapflow_read_file(const char *path, struct pf_capture *c)
{
	FILE *f;

	if (!strcmp(path, "-"))
		return pcapflow_read_stream(stdin, c);
	f = fopen(path, "rb");
	if (!f) {
		memset(c, 0, sizeof(*c));
		snprintf(c->error, sizeof(c->error), "%s", strerror(errno));
		return -1;
	}
	return pcapflow_read_stream(f, c);
}

int pcapflow_read_stream(FILE *f, struct pf_capture *c)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pc;

	pc = pcap_fopen_offline_with_tstamp_precision(f,
			PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!pc)
		fclose(f);
	return read_opened(pc, errbuf, c);
}
