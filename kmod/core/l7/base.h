/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What every application-layer classifier shares: the verdict of a parse,
 * the reason for a MALFORMED one, the limits, and the character classes of
 * the text protocols.
 *
 * A classifier is handed the contiguous client->server bytes of a flow seen
 * so far (or one UDP datagram) and answers without allocating, recursing or
 * reading past @len, in work bounded by @len. It is called again from the
 * start when more bytes arrive: it keeps no state between calls.
 */
#ifndef SGW_CORE_L7_BASE_H
#define SGW_CORE_L7_BASE_H

#include "../compat.h"

enum sgw_l7_status {
	/* Could still be this protocol: call again with more bytes. */
	SGW_L7_NEED_MORE,
	/* Parsed: the output fields are filled. */
	SGW_L7_MATCH,
	/* Definitely not this protocol. */
	SGW_L7_NOT_THIS,
	/*
	 * Claims to be this protocol but breaks its format, or one of the
	 * limits below. Policy treats it as NOT_THIS; logs tell them apart.
	 */
	SGW_L7_MALFORMED,
};

/* Why a parse was MALFORMED, for logs. */
enum sgw_l7_reason {
	SGW_L7_R_NONE,
	SGW_L7_R_LENGTH,	/* a length disagrees with its container */
	SGW_L7_R_SYNTAX,	/* a byte or token the format forbids */
	SGW_L7_R_LIMIT,		/* past one of the limits below */
	SGW_L7_R_DUPLICATE,	/* a field that must be unique came twice */
	SGW_L7_R_POINTER,	/* DNS compression pointer: forward, loop, hops */
	SGW_L7_R_DIRECTION,	/* a server's message in the client direction */
};

enum sgw_l7_limit {
	/*
	 * Client bytes the kernel should hold for classification. Every
	 * classifier decides MATCH, NOT_THIS or MALFORMED within this many
	 * bytes: none answers NEED_MORE to a buffer this long.
	 */
	SGW_L7_PREFIX_MAX		= 16384,

	/* Text of a host name, SNI or DNS name (a DNS name is <= 255). */
	SGW_L7_NAME_MAX			= 255,

	/* Longest method accepted: longer is not HTTP (IANA's is 17). */
	SGW_L7_HTTP_METHOD_MAX		= 24,
	/* Path bytes kept; a longer one is kept truncated and flagged. */
	SGW_L7_HTTP_PATH_MAX		= 512,
	/* Request line and each header line, CRLF included. */
	SGW_L7_HTTP_LINE_MAX		= 8192,
	SGW_L7_HTTP_HEADERS_MAX		= 100,
	/* The whole header section, empty line included. */
	SGW_L7_HTTP_HEAD_MAX		= SGW_L7_PREFIX_MAX,

	/* ClientHello body; browsers with ML-KEM shares send ~1.8 KB. */
	SGW_L7_TLS_HELLO_MAX		= 8192,
	/* Records the ClientHello may be fragmented over. */
	SGW_L7_TLS_RECORDS_MAX		= 64,
	SGW_L7_TLS_EXTENSIONS_MAX	= 128,
	/* ALPN protocol ids kept, and bytes kept of each. */
	SGW_L7_TLS_ALPN_MAX		= 8,
	SGW_L7_TLS_ALPN_LEN_MAX		= 32,

	/* Questions in one query; resolvers send one. */
	SGW_L7_DNS_QUESTIONS_MAX	= 4,
	/* Compression pointers followed in one name. */
	SGW_L7_DNS_POINTER_HOPS		= 8,
	/* A query over TCP, length prefix excluded. */
	SGW_L7_DNS_TCP_QUERY_MAX	= 4096,

	/* The SSH identification line, CR LF included (RFC 4253 4.2). */
	SGW_L7_SSH_BANNER_MAX		= 255,
};

/* Character classes, sgw_l7_ctype[byte]. */
enum sgw_l7_ctype {
	SGW_L7_C_TCHAR	= 1 << 0,	/* RFC 9110 token */
	SGW_L7_C_VCHAR	= 1 << 1,	/* visible ASCII 0x21..0x7e */
	SGW_L7_C_HOST	= 1 << 2,	/* ALPHA DIGIT - . _ ~ */
	SGW_L7_C_HEX	= 1 << 3,
	SGW_L7_C_FIELD	= 1 << 4,	/* field value: VCHAR SP HTAB obs-text */
	SGW_L7_C_SCHEME	= 1 << 5,	/* ALPHA DIGIT + - . */
};

extern const u8 sgw_l7_ctype[256];

static inline bool sgw_l7_is(u8 c, unsigned int class)
{
	return sgw_l7_ctype[c] & class;
}

static inline u8 sgw_l7_lower(u8 c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

#endif /* SGW_CORE_L7_BASE_H */
