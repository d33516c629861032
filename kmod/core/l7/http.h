/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * HTTP/1.x request head: the request line and the Host header (RFC 9112).
 *
 * The parse is stricter than RFC 9112 where leniency lets a server and the
 * gateway read one request two ways: only CRLF ends a line (bare CR or LF is
 * MALFORMED), obsolete line folding is MALFORMED, whitespace between a field
 * name and its colon is MALFORMED, a second Host is MALFORMED, a host holds
 * only ALPHA DIGIT - . _ ~ (no sub-delims, pct-encoding or userinfo) or an
 * IP literal in brackets, and an HTTP/1.1 request without Host is MALFORMED.
 *
 * Until the version token " HTTP/" is seen a mismatch means NOT_THIS; after
 * it a mismatch is MALFORMED. MATCH needs the whole header section (up to
 * the empty line), since a duplicate Host may come last; the body is not
 * looked at. The HTTP/2 prior-knowledge preface is a MATCH with version 20
 * and no host.
 */
#ifndef SGW_CORE_L7_HTTP_H
#define SGW_CORE_L7_HTTP_H

#include "base.h"

enum sgw_l7_http_form {
	SGW_L7_HTTP_ORIGIN,	/* /path?query */
	SGW_L7_HTTP_ABSOLUTE,	/* scheme://authority/path?query (proxies) */
	SGW_L7_HTTP_AUTHORITY,	/* host:port, CONNECT only */
	SGW_L7_HTTP_ASTERISK,	/* *, OPTIONS (and the HTTP/2 preface) */
};

enum sgw_l7_http_flag {
	/* host[] holds the request's host: from the target or Host. */
	SGW_L7_HTTP_F_HOST		= 1 << 0,
	/* port holds the authority's port (absent: the scheme's default). */
	SGW_L7_HTTP_F_PORT		= 1 << 1,
	/* Host came from an absolute- or authority-form target. */
	SGW_L7_HTTP_F_HOST_FROM_TARGET	= 1 << 2,
	SGW_L7_HTTP_F_HOST_TRUNC	= 1 << 3,
	SGW_L7_HTTP_F_PATH_TRUNC	= 1 << 4,
	/* The target had a query; path[] stops before the '?'. */
	SGW_L7_HTTP_F_QUERY		= 1 << 5,
	/*
	 * The path has a dot-segment ("." or "..", also before a ';'), a
	 * backslash, or a pct-encoded '.', '/', '\' or '%': servers resolve
	 * these differently, so path patterns never match it.
	 */
	SGW_L7_HTTP_F_PATH_AMBIGUOUS	= 1 << 6,
};

/* Filled on MATCH; on other results the fields are unspecified. */
struct sgw_l7_http {
	u16	flags;		/* SGW_L7_HTTP_F_* */
	u16	port;		/* with SGW_L7_HTTP_F_PORT */
	u8	version;	/* 10, 11 (1.x with x > 1 kept as 1x), 20 */
	u8	form;		/* enum sgw_l7_http_form */
	u8	reason;		/* enum sgw_l7_reason, on MALFORMED */
	u8	method_len;
	u8	host_len;
	u16	path_len;	/* bytes kept in path[] */
	/* NUL-terminated; host lowercased, IPv6 literals keep brackets. */
	char	method[SGW_L7_HTTP_METHOD_MAX + 1];
	char	host[SGW_L7_NAME_MAX + 1];
	char	path[SGW_L7_HTTP_PATH_MAX + 1];
};

enum sgw_l7_status sgw_l7_http_parse(const u8 *data, size_t len,
				     struct sgw_l7_http *h);

#endif /* SGW_CORE_L7_HTTP_H */
