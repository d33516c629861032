/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * DNS query (RFC 1035 4.1): the header and the question section. The other
 * sections (an EDNS OPT record, say) are not looked at.
 *
 * Over UDP the datagram is the whole message: one that ends inside its
 * header or questions is MALFORMED. Over TCP the message follows a two-byte
 * length (RFC 7766): NEED_MORE until it is all in, and only the first
 * message is classified.
 *
 * MALFORMED: QR set (a response in the client direction: DIRECTION), more
 * than SGW_L7_DNS_QUESTIONS_MAX questions, a label of the reserved types
 * 0x40/0x80, a name longer than 255 bytes on the wire, and a compression
 * pointer that does not point strictly before the name (or the part of it)
 * it is found in, points into the header, or is the
 * SGW_L7_DNS_POINTER_HOPS + 1st of one name: pointers can only go back, so
 * no loop is possible and the work is bounded.
 *
 * A name is kept as dotted text in lowercase, without the trailing dot; the
 * root is ".". Label bytes outside 0x21..0x7e are written \DDD (decimal) and
 * '.' and '\' as "\." and "\\" (the master file escapes of RFC 1035 5.1),
 * and SGW_L7_DNS_F_ESCAPED is set: such a name can never match a name
 * pattern, since patterns are host names and hold no '\'. Escaped text past
 * SGW_L7_NAME_MAX is cut and flagged; a name that needs no escape always
 * fits.
 */
#ifndef SGW_CORE_L7_DNS_H
#define SGW_CORE_L7_DNS_H

#include "base.h"

enum sgw_l7_dns_flag {
	SGW_L7_DNS_F_ESCAPED	= 1 << 0,
	SGW_L7_DNS_F_TRUNC	= 1 << 1,
};

struct sgw_l7_dns_question {
	u16	qtype;
	u16	qclass;
	u8	flags;		/* SGW_L7_DNS_F_* */
	u8	name_len;
	char	name[SGW_L7_NAME_MAX + 1];	/* NUL-terminated */
};

/* Filled on MATCH; on other results the fields are unspecified. */
struct sgw_l7_dns {
	u16	id;
	u16	hflags;		/* header flags word: QR, opcode, RD, ... */
	u8	opcode;		/* 0 QUERY; policy on names should want 0 */
	u8	qdcount;	/* questions, all kept */
	u8	reason;		/* enum sgw_l7_reason, on MALFORMED */
	struct sgw_l7_dns_question q[SGW_L7_DNS_QUESTIONS_MAX];
};

/* @data is one whole message: a UDP datagram's payload. */
enum sgw_l7_status sgw_l7_dns_parse(const u8 *data, size_t len,
				    struct sgw_l7_dns *d);
/* @data is a TCP stream: a two-byte length, then the message. */
enum sgw_l7_status sgw_l7_dns_parse_tcp(const u8 *data, size_t len,
					struct sgw_l7_dns *d);

#endif /* SGW_CORE_L7_DNS_H */
