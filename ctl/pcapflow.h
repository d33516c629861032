/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A capture file read into flows as the module keys them, each with what
 * its client sent first: the TCP stream in sequence order, or the UDP
 * datagrams. "sgctl replay" decides these flows offline (decide.h).
 *
 * Packets are read with libpcap (pcap and pcapng; Ethernet with VLAN
 * tags, Linux cooked SLL and SLL2, raw IP, BSD loopback) and their IPv4
 * and IPv6 headers as kmod/packet.c reads them: a packet the module would
 * drop as malformed, a fragment, an ICMP error (decided by the flow it
 * quotes) and IPv6 neighbour discovery or MLD (never a flow) are counted
 * and left out, and so is a packet whose headers the capture cut (a
 * snapshot length). A packet cut in its payload is in its flow, with the
 * bytes that were captured (pf_flow.pkts_cut).
 *
 * Flows are keyed as the module keys them: both directions of a 5-tuple
 * are one flow (ICMP echo by its identifier), opened by the side of its
 * first packet, except that a TCP flow is opened by the side that sent
 * its SYN (or received its SYN-ACK) when the capture holds one. A flow
 * ends as in the module: idle past the module's timeout for its state, or
 * a TCP flow closed (FIN both ways, RST) that sees a new SYN; the next
 * packet with that 5-tuple opens a new flow.
 *
 * Nothing is decided here and nothing is printed.
 */
#ifndef SGCTL_PCAPFLOW_H
#define SGCTL_PCAPFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../kmod/core/l7/base.h"

enum pcapflow_limit {
	/* Client stream bytes kept: what the module holds at most. */
	PF_PREFIX_MAX		= SGW_L7_PREFIX_MAX,
	/* Bytes of a datagram kept: what the module classifies. */
	PF_DATAGRAM_MAX		= 2048,
	/* Distinct TCP segments kept of one side of a flow; more are
	 * counted in pf_flow.segs_ignored. A segment is kept only for its
	 * bytes in the first PF_PREFIX_MAX of the stream.
	 */
	PF_SEGS_MAX		= 4096,
};

/* Why a packet is in no flow. */
enum pf_skip {
	PF_SKIP_TRUNCATED,	/* the capture cut its headers */
	PF_SKIP_MALFORMED,	/* headers the module drops as malformed, or
				 * a frame shorter than its IP header says
				 */
	PF_SKIP_FRAGMENT,	/* an IP fragment: not reassembled here */
	PF_SKIP_NOT_IP,		/* ARP, LLDP...: not IPv4 or IPv6 */
	PF_SKIP_ICMP_ERROR,	/* decided by the flow it quotes */
	PF_SKIP_LOCAL_CONTROL,	/* IPv6 neighbour discovery, MLD */
	__PF_SKIP_MAX
};

/* "truncated", "malformed", "fragment", "not_ip", "icmp_error",
 * "local_control"
 */
const char *pcapflow_skip_name(enum pf_skip why);

struct pf_datagram {
	uint64_t	time_ns;
	uint32_t	len;		/* payload bytes sent */
	uint32_t	kept;		/* of them in data: <= PF_DATAGRAM_MAX */
	uint8_t		*data;
};

struct pf_stream;

struct pf_flow {
	size_t		index;		/* 1, 2, ...: order of first packets */
	uint8_t		family;		/* AF_INET, AF_INET6 */
	uint8_t		proto;
	/* Side 0 is the client (the side that opened the flow), 1 the
	 * server. Ports in host order; ICMP echo: the identifier in both;
	 * 0 for protocols without ports.
	 */
	uint8_t		addr[2][16];
	uint16_t	port[2];
	uint64_t	first_ns;
	uint64_t	last_ns;
	uint64_t	packets[2];	/* by side that sent them */
	uint64_t	bytes[2];	/* IP datagram bytes */

	/* TCP: the client's stream from its first byte (after its SYN, or
	 * the lowest sequence number seen without one), in sequence order,
	 * up to PF_PREFIX_MAX bytes. piece_end[i] is where the i-th segment
	 * that brought new bytes ends, in arrival order of the stream:
	 * what the module appends to its hold one packet at a time.
	 * Retransmitted bytes are taken once, the first copy seen.
	 */
	uint8_t		*prefix;
	uint32_t	prefix_len;
	uint32_t	*piece_end;
	uint32_t	npieces;
	/* The stream stops at a hole: bytes after it are in the capture but
	 * the ones before them are not.
	 */
	bool		gap;
	uint64_t	client_payload;	/* payload bytes the client sent,
					 * retransmissions included
					 */
	uint32_t	segs_ignored;	/* past PF_SEGS_MAX */
	/* Packets whose payload the capture cut (snapshot length): a hole
	 * in a TCP stream, a datagram classified on what was kept.
	 */
	uint64_t	pkts_cut;

	/* UDP: the client's datagrams in order. */
	struct pf_datagram *dgrams;
	size_t		ndgrams;

	/* While reading. */
	struct pf_stream *stream[2];	/* TCP, by key side */
	uint8_t		key_side0;	/* key side of side 0 until finished */
	uint8_t		state;		/* SGW_FLOW_S_OPEN, ESTABLISHED,
					 * CLOSING
					 */
	uint8_t		fin;		/* bit per key side */
	uint8_t		syn_from;	/* 0: no SYN seen; 1: syn_side from a
					 * SYN-ACK; 2: from a SYN
					 */
	uint8_t		syn_side;	/* key side that sent the SYN */
	uint8_t		key_addr[2][16];
	uint16_t	key_port[2];
};

struct pf_capture {
	int		linktype;	/* DLT_* */
	char		linktype_name[32];
	uint64_t	packets;	/* records read from the file */
	uint64_t	skipped[__PF_SKIP_MAX];
	/* The file ended inside a record, or libpcap could not read on:
	 * the flows hold what came before, error says what happened.
	 */
	bool		incomplete;
	char		error[256];
	struct pf_flow	**flows;
	size_t		nflows;

	/* While reading: the live flow of each key. */
	uint32_t	*table;		/* flow index + 1, 0: empty */
	size_t		table_size;
	size_t		table_used;
	size_t		flows_cap;
};

/*
 * Read the capture at @path ("-": standard input), or the stream @f (which
 * is then closed), into @c. Returns 0; or -1 when nothing could be read
 * (not a capture, a link type not listed above, out of memory), with
 * c->error set and @c empty. A file that ends inside a record returns 0
 * with c->incomplete and c->error set, and the flows read so far.
 * pcapflow_free() @c in every case.
 */
int pcapflow_read_file(const char *path, struct pf_capture *c);
int pcapflow_read_stream(FILE *f, struct pf_capture *c);
void pcapflow_free(struct pf_capture *c);

#endif /* SGCTL_PCAPFLOW_H */
