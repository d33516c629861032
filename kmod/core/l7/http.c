// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * HTTP/1.x request head classifier. One pass over the bytes: each line is
 * validated as it is scanned, and the scan stops at the empty line ending
 * the header section or at SGW_L7_HTTP_HEAD_MAX.
 */
#include "http.h"

/* What follows "PRI * HTTP/2.0\r\n" in the HTTP/2 connection preface. */
static const u8 h2_preface_tail[8] = "\r\nSM\r\n\r\n";

static enum sgw_l7_status malformed(struct sgw_l7_http *h,
				    enum sgw_l7_reason why)
{
	h->reason = why;
	return SGW_L7_MALFORMED;
}

static bool ci_equal(const u8 *p, const char *lower, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sgw_l7_lower(p[i]) != (u8)lower[i])
			return false;
	return true;
}

/*
 * uri-host [ ":" port ] from a Host value or a target's authority, into
 * h->host and h->port if @store. Returns false if it is not a host we
 * accept.
 */
static bool parse_authority(const u8 *p, size_t n, struct sgw_l7_http *h,
			    bool store)
{
	size_t i = 0, hlen, keep;
	u32 port = 0;

	if (n && p[0] == '[') {
		for (i = 1; i < n && p[i] != ']'; i++)
			if (!sgw_l7_is(p[i], SGW_L7_C_HEX) && p[i] != ':' &&
			    p[i] != '.')
				return false;
		if (i == n || i == 1)
			return false;
		i++;
	} else {
		while (i < n && sgw_l7_is(p[i], SGW_L7_C_HOST))
			i++;
	}
	hlen = i;
	if (i < n) {
		size_t digits;

		if (p[i] != ':')
			return false;
		for (i++, digits = 0; i < n; i++, digits++) {
			if (p[i] < '0' || p[i] > '9' || digits == 5)
				return false;
			port = port * 10 + (p[i] - '0');
		}
		if (port > 65535)
			return false;
	}
	if (!store)
		return true;

	/* "host:" with an empty port means the default one. */
	h->port = port;
	if (n - hlen > 1)
		h->flags |= SGW_L7_HTTP_F_PORT;
	else
		h->flags &= ~SGW_L7_HTTP_F_PORT;
	keep = hlen;
	h->flags &= ~SGW_L7_HTTP_F_HOST_TRUNC;
	if (keep > SGW_L7_NAME_MAX) {
		keep = SGW_L7_NAME_MAX;
		h->flags |= SGW_L7_HTTP_F_HOST_TRUNC;
	}
	for (i = 0; i < keep; i++)
		h->host[i] = sgw_l7_lower(p[i]);
	h->host[keep] = '\0';
	h->host_len = keep;
	h->flags |= SGW_L7_HTTP_F_HOST;
	return true;
}

static bool is_dot_segment(const u8 *s, size_t n)
{
	size_t i;

	/* Some servers drop ";params" before resolving "..;" as "..". */
	for (i = 0; i < n && s[i] != ';'; i++)
		;
	return (i == 1 && s[0] == '.') ||
	       (i == 2 && s[0] == '.' && s[1] == '.');
}

static u8 hexval(u8 c)
{
	c = sgw_l7_lower(c);
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

/* Keep the path (before any '?') and flag what servers read differently. */
static void set_path(const u8 *p, size_t n, struct sgw_l7_http *h)
{
	size_t i, seg = 0, keep;

	for (i = 0; i < n && p[i] != '?'; i++) {
		if (p[i] == '/') {
			if (is_dot_segment(p + seg, i - seg))
				h->flags |= SGW_L7_HTTP_F_PATH_AMBIGUOUS;
			seg = i + 1;
		} else if (p[i] == '\\') {
			h->flags |= SGW_L7_HTTP_F_PATH_AMBIGUOUS;
		} else if (p[i] == '%' && i + 2 < n &&
			   sgw_l7_is(p[i + 1], SGW_L7_C_HEX) &&
			   sgw_l7_is(p[i + 2], SGW_L7_C_HEX)) {
			u8 c = hexval(p[i + 1]) << 4 | hexval(p[i + 2]);

			if (c == '.' || c == '/' || c == '\\' || c == '%')
				h->flags |= SGW_L7_HTTP_F_PATH_AMBIGUOUS;
		}
	}
	if (is_dot_segment(p + seg, i - seg))
		h->flags |= SGW_L7_HTTP_F_PATH_AMBIGUOUS;
	if (i < n)
		h->flags |= SGW_L7_HTTP_F_QUERY;

	keep = i;
	if (keep > SGW_L7_HTTP_PATH_MAX) {
		keep = SGW_L7_HTTP_PATH_MAX;
		h->flags |= SGW_L7_HTTP_F_PATH_TRUNC;
	}
	memcpy(h->path, p, keep);
	h->path[keep] = '\0';
	h->path_len = keep;
}

/* scheme "://" authority [ path-abempty ] [ "?" query ] */
static bool parse_absolute(const u8 *t, size_t n, struct sgw_l7_http *h)
{
	size_t i = 0, a;

	while (i < n && sgw_l7_is(t[i], SGW_L7_C_SCHEME))
		i++;
	/* A scheme starts with a letter. */
	if (i == 0 || (t[0] | 0x20) < 'a' || (t[0] | 0x20) > 'z' ||
	    n - i < 3 || memcmp(t + i, "://", 3))
		return false;
	i += 3;
	for (a = i; a < n && t[a] != '/' && t[a] != '?'; a++)
		;
	if (a == i || !parse_authority(t + i, a - i, h, true))
		return false;
	if (a < n && t[a] == '/')
		set_path(t + a, n - a, h);
	else
		set_path((const u8 *)"/", 1, h);
	if (a < n && t[a] == '?')
		h->flags |= SGW_L7_HTTP_F_QUERY;
	h->flags |= SGW_L7_HTTP_F_HOST_FROM_TARGET;
	return true;
}

static bool parse_target(const u8 *t, size_t n, struct sgw_l7_http *h)
{
	size_t i;

	/* A fragment is never part of a request-target. */
	for (i = 0; i < n; i++)
		if (t[i] == '#')
			return false;

	if (h->method_len == 7 && !memcmp(h->method, "CONNECT", 7)) {
		h->form = SGW_L7_HTTP_AUTHORITY;
		h->path_len = 0;
		h->path[0] = '\0';
		if (!parse_authority(t, n, h, true) ||
		    !(h->flags & SGW_L7_HTTP_F_PORT))
			return false;
		h->flags |= SGW_L7_HTTP_F_HOST_FROM_TARGET;
		return true;
	}
	if (t[0] == '/') {
		h->form = SGW_L7_HTTP_ORIGIN;
		set_path(t, n, h);
		return true;
	}
	if (n == 1 && t[0] == '*') {
		h->form = SGW_L7_HTTP_ASTERISK;
		set_path(t, n, h);
		return (h->method_len == 7 && !memcmp(h->method, "OPTIONS", 7)) ||
		       (h->method_len == 3 && !memcmp(h->method, "PRI", 3));
	}
	h->form = SGW_L7_HTTP_ABSOLUTE;
	return parse_absolute(t, n, h);
}

/*
 * One header line at @p (not the empty line): name ":" OWS value OWS CRLF.
 * Returns the line length with its CRLF, 0 if more bytes are needed, or
 * -reason if it is malformed.
 */
static long header_line(const u8 *p, size_t avail, const u8 **val,
			size_t *vlen, size_t *nlen)
{
	size_t i = 0, v, e;

	if (avail > SGW_L7_HTTP_LINE_MAX)
		avail = SGW_L7_HTTP_LINE_MAX;
	while (i < avail && sgw_l7_is(p[i], SGW_L7_C_TCHAR))
		i++;
	if (i == avail)
		return avail == SGW_L7_HTTP_LINE_MAX ? -SGW_L7_R_LIMIT : 0;
	/* Folding, a space before the colon, a bad name byte. */
	if (i == 0 || p[i] != ':')
		return -SGW_L7_R_SYNTAX;
	*nlen = i;
	for (i++; i < avail && (p[i] == ' ' || p[i] == '\t'); i++)
		;
	v = i;
	while (i < avail && sgw_l7_is(p[i], SGW_L7_C_FIELD))
		i++;
	if (i == avail)
		return avail == SGW_L7_HTTP_LINE_MAX ? -SGW_L7_R_LIMIT : 0;
	if (p[i] != '\r')
		return -SGW_L7_R_SYNTAX;	/* NUL, bare LF, other CTL */
	if (i + 1 == avail)
		return avail == SGW_L7_HTTP_LINE_MAX ? -SGW_L7_R_LIMIT : 0;
	if (p[i + 1] != '\n')
		return -SGW_L7_R_SYNTAX;
	for (e = i; e > v && (p[e - 1] == ' ' || p[e - 1] == '\t'); e--)
		;
	*val = p + v;
	*vlen = e - v;
	return i + 2;
}

/* The request line's version: "HTTP/" DIGIT "." DIGIT CRLF. */
static enum sgw_l7_status version(const u8 *p, size_t avail, bool preface,
				  struct sgw_l7_http *h)
{
	static const char name[] = "HTTP/";
	size_t i;

	for (i = 0; i < 5; i++) {
		if (i == avail)
			return SGW_L7_NEED_MORE;
		if (p[i] != (u8)name[i])
			return SGW_L7_NOT_THIS;
	}
	/* From here on it claims to be HTTP. */
	if (avail < 10)
		return SGW_L7_NEED_MORE;
	if (p[5] < '0' || p[5] > '9' || p[6] != '.' || p[7] < '0' ||
	    p[7] > '9' || p[8] != '\r' || p[9] != '\n')
		return malformed(h, SGW_L7_R_SYNTAX);
	if (p[5] == '1') {
		h->version = 10 + (p[7] - '0');
	} else if (p[5] == '2' && p[7] == '0' && preface) {
		h->version = 20;
	} else {
		return malformed(h, SGW_L7_R_SYNTAX);
	}
	return SGW_L7_MATCH;
}

enum sgw_l7_status sgw_l7_http_parse(const u8 *data, size_t len,
				     struct sgw_l7_http *h)
{
	size_t i, t, n, pos, end, nheaders;
	bool have_host = false;
	enum sgw_l7_status st;

	h->flags = 0;
	h->port = 0;
	h->version = 0;
	h->form = SGW_L7_HTTP_ORIGIN;
	h->reason = SGW_L7_R_NONE;
	h->method_len = 0;
	h->host_len = 0;
	h->path_len = 0;
	h->method[0] = h->host[0] = h->path[0] = '\0';

	/* method SP: a token no longer than any method in use. */
	for (i = 0; i < len && sgw_l7_is(data[i], SGW_L7_C_TCHAR); i++)
		if (i == SGW_L7_HTTP_METHOD_MAX)
			return SGW_L7_NOT_THIS;
	if (i == len)
		return SGW_L7_NEED_MORE;
	if (i == 0 || data[i] != ' ')
		return SGW_L7_NOT_THIS;
	memcpy(h->method, data, i);
	h->method[i] = '\0';
	h->method_len = i;

	/* request-target SP */
	end = len < SGW_L7_HTTP_LINE_MAX ? len : SGW_L7_HTTP_LINE_MAX;
	for (t = ++i; i < end && sgw_l7_is(data[i], SGW_L7_C_VCHAR); i++)
		;
	if (i == end)
		return end < SGW_L7_HTTP_LINE_MAX ? SGW_L7_NEED_MORE :
		       SGW_L7_NOT_THIS;
	if (i == t || data[i] != ' ')
		return SGW_L7_NOT_THIS;

	st = version(data + i + 1, end - i - 1,
		     h->method_len == 3 && !memcmp(h->method, "PRI", 3) &&
		     i - t == 1 && data[t] == '*', h);
	if (st != SGW_L7_MATCH)
		return st == SGW_L7_NEED_MORE && end == SGW_L7_HTTP_LINE_MAX ?
		       malformed(h, SGW_L7_R_LIMIT) : st;
	if (!parse_target(data + t, i - t, h))
		return malformed(h, SGW_L7_R_SYNTAX);
	pos = i + 1 + 10;

	if (h->version == 20) {
		n = sizeof(h2_preface_tail);
		if (len - pos < n)
			return memcmp(data + pos, h2_preface_tail, len - pos) ?
			       malformed(h, SGW_L7_R_SYNTAX) : SGW_L7_NEED_MORE;
		return memcmp(data + pos, h2_preface_tail, n) ?
		       malformed(h, SGW_L7_R_SYNTAX) : SGW_L7_MATCH;
	}

	end = len < SGW_L7_HTTP_HEAD_MAX ? len : SGW_L7_HTTP_HEAD_MAX;
	for (nheaders = 0;; nheaders++) {
		const u8 *val = NULL;
		size_t vlen = 0, nlen = 0;
		long line;

		if (pos + 2 > end)
			break;
		if (data[pos] == '\r') {
			if (data[pos + 1] != '\n')
				return malformed(h, SGW_L7_R_SYNTAX);
			if (!have_host && h->version >= 11 &&
			    !(h->flags & SGW_L7_HTTP_F_HOST_FROM_TARGET))
				return malformed(h, SGW_L7_R_SYNTAX);
			return SGW_L7_MATCH;
		}
		if (nheaders == SGW_L7_HTTP_HEADERS_MAX)
			return malformed(h, SGW_L7_R_LIMIT);
		line = header_line(data + pos, end - pos, &val, &vlen, &nlen);
		if (line < 0)
			return malformed(h, (enum sgw_l7_reason)-line);
		if (line == 0)
			break;
		if (nlen == 4 && ci_equal(data + pos, "host", 4)) {
			if (have_host)
				return malformed(h, SGW_L7_R_DUPLICATE);
			have_host = true;
			/* The target's authority wins (RFC 9112 3.2.2). */
			if (!parse_authority(val, vlen, h, !(h->flags &
					     SGW_L7_HTTP_F_HOST_FROM_TARGET)))
				return malformed(h, SGW_L7_R_SYNTAX);
		}
		pos += line;
	}
	if (len >= SGW_L7_HTTP_HEAD_MAX)
		return malformed(h, SGW_L7_R_LIMIT);
	/* A lone CR or LF where a line should start is already wrong. */
	if (pos < len && data[pos] == '\n')
		return malformed(h, SGW_L7_R_SYNTAX);
	return SGW_L7_NEED_MORE;
}
