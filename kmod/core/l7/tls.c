// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * TLS ClientHello classifier, in two passes over at most the ClientHello:
 * the first walks the record headers until the whole handshake message is
 * in, the second reads the message through a cursor that steps over record
 * headers, so a message split over records is read in place, never copied.
 */
#include "tls.h"

enum {
	CONTENT_HANDSHAKE	= 22,
	HS_CLIENT_HELLO		= 1,
	HS_SERVER_HELLO		= 2,
	RECORD_HEADER		= 5,
	RECORD_MAX		= 1 << 14,	/* TLSPlaintext.length */
	/* version, random, session_id<0..32>, cipher_suites<2..>, comp<1..> */
	HELLO_MIN		= 2 + 32 + 1 + 2 + 2 + 1 + 1,

	EXT_SERVER_NAME		= 0,
	EXT_ALPN		= 16,
	EXT_SUPPORTED_VERSIONS	= 43,
	EXT_ECH			= 0xfe0d,
	EXT_ESNI		= 0xffce,
	SNI_HOST_NAME		= 0,
	TLS13			= 0x0304,
};

/*
 * A cursor over the handshake bytes: the payloads of consecutive records.
 * @left bounds what it may read; the records under it were checked to be
 * all there by the first pass.
 */
struct cursor {
	const u8	*data;
	size_t		len;
	size_t		pos;		/* next byte */
	size_t		rec_end;	/* end of the current record payload */
	u32		left;
};

static u16 be16(const u8 *p)
{
	return p[0] << 8 | p[1];
}

static enum sgw_l7_status malformed(struct sgw_l7_tls *t,
				    enum sgw_l7_reason why)
{
	t->reason = why;
	return SGW_L7_MALFORMED;
}

/* Up to @want contiguous bytes at the cursor, consumed; 0 at the end. */
static u32 span(struct cursor *c, const u8 **p, u32 want)
{
	size_t n;

	if (want > c->left)
		want = c->left;
	if (!want)
		return 0;
	if (c->pos == c->rec_end) {
		if (c->len - c->pos < RECORD_HEADER)
			return 0;
		c->pos += RECORD_HEADER;
		c->rec_end = c->pos + be16(c->data + c->pos - 2);
		if (c->rec_end > c->len)
			c->rec_end = c->len;
	}
	n = c->rec_end - c->pos;
	if (n > want)
		n = want;
	*p = c->data + c->pos;
	c->pos += n;
	c->left -= n;
	return n;
}

/*
 * Reads and skips: an inline fast path for bytes within the current record
 * (nearly always), and an out-of-line one that crosses record headers.
 */
static inline u32 contiguous(const struct cursor *c)
{
	size_t n = c->rec_end - c->pos;

	return n < c->left ? n : c->left;
}

static bool skip_across(struct cursor *c, u32 n)
{
	const u8 *p;
	u32 got;

	if (n > c->left)
		return false;
	while (n) {
		got = span(c, &p, n);
		if (!got)
			return false;
		n -= got;
	}
	return true;
}

static inline bool skip(struct cursor *c, u32 n)
{
	if (likely(contiguous(c) >= n)) {
		c->pos += n;
		c->left -= n;
		return true;
	}
	return skip_across(c, n);
}

static bool get_across(struct cursor *c, u8 *v, unsigned int n)
{
	const u8 *p;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!span(c, &p, 1))
			return false;
		v[i] = *p;
	}
	return true;
}

static inline bool get_u8(struct cursor *c, u8 *v)
{
	if (likely(contiguous(c))) {
		*v = c->data[c->pos++];
		c->left--;
		return true;
	}
	return get_across(c, v, 1);
}

static inline bool get_u16(struct cursor *c, u16 *v)
{
	u8 b[2];

	if (likely(contiguous(c) >= 2)) {
		*v = be16(c->data + c->pos);
		c->pos += 2;
		c->left -= 2;
		return true;
	}
	if (!get_across(c, b, 2))
		return false;
	*v = be16(b);
	return true;
}

/* The next @n bytes as a cursor of their own; @c moves past them. */
static bool sub(struct cursor *c, u32 n, struct cursor *inner)
{
	*inner = *c;
	inner->left = n;
	return skip(c, n);
}

/*
 * First pass: walk the records until the ClientHello is complete, checking
 * each header. On MATCH *@records is how many records hold it.
 */
static enum sgw_l7_status walk_records(const u8 *d, size_t len,
				       struct sgw_l7_tls *t, u32 *hello_len,
				       unsigned int *records)
{
	size_t off = 0, have = 0, need = 0, i;
	unsigned int n = 0;
	u8 hs[4];

	while (off < len) {
		size_t rlen, avail;
		bool bad;

		bad = d[off] != CONTENT_HANDSHAKE ||
		      (len - off > 1 && d[off + 1] != 3) ||
		      (len - off > 2 && d[off + 2] > 4);
		if (bad)
			return n ? malformed(t, SGW_L7_R_SYNTAX) : SGW_L7_NOT_THIS;
		if (len - off < RECORD_HEADER)
			return SGW_L7_NEED_MORE;
		rlen = be16(d + off + 3);
		if (rlen == 0 || rlen > RECORD_MAX)
			return malformed(t, SGW_L7_R_LENGTH);
		if (n == SGW_L7_TLS_RECORDS_MAX)
			return malformed(t, SGW_L7_R_LIMIT);
		n++;

		avail = len - off - RECORD_HEADER;
		if (avail > rlen)
			avail = rlen;
		/* The handshake header itself may straddle records. */
		for (i = 0; have + i < 4 && i < avail; i++)
			hs[have + i] = d[off + RECORD_HEADER + i];
		if (have < 4 && have + avail >= 4) {
			if (hs[0] != HS_CLIENT_HELLO)
				return malformed(t, hs[0] == HS_SERVER_HELLO ?
						 SGW_L7_R_DIRECTION :
						 SGW_L7_R_SYNTAX);
			need = hs[1] << 16 | hs[2] << 8 | hs[3];
			if (need > SGW_L7_TLS_HELLO_MAX)
				return malformed(t, SGW_L7_R_LIMIT);
			if (need < HELLO_MIN)
				return malformed(t, SGW_L7_R_LENGTH);
			need += 4;
		}
		have += avail;
		if (need && have >= need) {
			*hello_len = need - 4;
			*records = n;
			return SGW_L7_MATCH;
		}
		off += RECORD_HEADER + rlen;
	}
	return SGW_L7_NEED_MORE;
}

static enum sgw_l7_status server_name(struct cursor *c, struct sgw_l7_tls *t)
{
	struct cursor name;
	u16 list, nlen;
	u8 type;

	if (!get_u16(c, &list) || list != c->left || !list)
		return malformed(t, SGW_L7_R_LENGTH);
	while (c->left) {
		const u8 *p;
		u32 got, i;

		if (!get_u8(c, &type) || !get_u16(c, &nlen) || !nlen ||
		    !sub(c, nlen, &name))
			return malformed(t, SGW_L7_R_LENGTH);
		/* Other name types may be defined: skip them. */
		if (type != SNI_HOST_NAME)
			continue;
		if (t->flags & SGW_L7_TLS_F_SNI)
			return malformed(t, SGW_L7_R_DUPLICATE);
		t->flags |= SGW_L7_TLS_F_SNI;
		while ((got = span(&name, &p, name.left))) {
			for (i = 0; i < got; i++) {
				if (!sgw_l7_is(p[i], SGW_L7_C_HOST))
					return malformed(t, SGW_L7_R_SYNTAX);
				if (t->sni_len == SGW_L7_NAME_MAX) {
					t->flags |= SGW_L7_TLS_F_SNI_TRUNC;
					continue;
				}
				t->sni[t->sni_len++] = sgw_l7_lower(p[i]);
			}
		}
		if (name.left)
			return malformed(t, SGW_L7_R_LENGTH);
		t->sni[t->sni_len] = '\0';
	}
	return SGW_L7_MATCH;
}

static enum sgw_l7_status alpn(struct cursor *c, struct sgw_l7_tls *t)
{
	struct cursor id;
	u16 list;
	u8 n;

	if (!get_u16(c, &list) || list != c->left || list < 2)
		return malformed(t, SGW_L7_R_LENGTH);
	t->flags |= SGW_L7_TLS_F_ALPN;
	while (c->left) {
		unsigned int k = t->alpn_count;
		const u8 *p;
		u32 got, at = 0;

		if (!get_u8(c, &n) || !n || !sub(c, n, &id))
			return malformed(t, SGW_L7_R_LENGTH);
		t->alpn_count++;
		if (k >= SGW_L7_TLS_ALPN_MAX) {
			t->flags |= SGW_L7_TLS_F_ALPN_TRUNC;
			continue;
		}
		t->alpn_len[k] = n;
		if (n > SGW_L7_TLS_ALPN_LEN_MAX) {
			t->flags |= SGW_L7_TLS_F_ALPN_TRUNC;
			id.left = SGW_L7_TLS_ALPN_LEN_MAX;
		}
		while ((got = span(&id, &p, id.left))) {
			memcpy(t->alpn[k] + at, p, got);
			at += got;
		}
		if (id.left)
			return malformed(t, SGW_L7_R_LENGTH);
	}
	return SGW_L7_MATCH;
}

static enum sgw_l7_status versions(struct cursor *c, struct sgw_l7_tls *t)
{
	u16 v;
	u8 n;

	if (!get_u8(c, &n) || n != c->left || !n || n & 1)
		return malformed(t, SGW_L7_R_LENGTH);
	while (c->left) {
		if (!get_u16(c, &v))
			return malformed(t, SGW_L7_R_LENGTH);
		/* GREASE (RFC 8701) values are 0x?a?a. */
		if ((v & 0x0f0f) == 0x0a0a)
			continue;
		if (v == TLS13)
			t->flags |= SGW_L7_TLS_F_TLS13;
		if (v > t->max_version)
			t->max_version = v;
	}
	return SGW_L7_MATCH;
}

/* The extensions parsed here, as bits: each may come only once. */
enum {
	SEEN_SNI	= 1 << 0,
	SEEN_ALPN	= 1 << 1,
	SEEN_VERSIONS	= 1 << 2,
	SEEN_ECH	= 1 << 3,
};

static unsigned int ext_bit(u16 type)
{
	switch (type) {
	case EXT_SERVER_NAME:
		return SEEN_SNI;
	case EXT_ALPN:
		return SEEN_ALPN;
	case EXT_SUPPORTED_VERSIONS:
		return SEEN_VERSIONS;
	case EXT_ECH:
	case EXT_ESNI:
		return SEEN_ECH;
	default:
		return 0;
	}
}

static enum sgw_l7_status extensions(struct cursor *c, struct sgw_l7_tls *t)
{
	unsigned int count, seen = 0, bit;
	enum sgw_l7_status st;
	struct cursor ext;
	u16 total, type, elen;

	if (!get_u16(c, &total) || total != c->left)
		return malformed(t, SGW_L7_R_LENGTH);
	for (count = 0; c->left; count++) {
		if (count == SGW_L7_TLS_EXTENSIONS_MAX)
			return malformed(t, SGW_L7_R_LIMIT);
		if (!get_u16(c, &type) || !get_u16(c, &elen))
			return malformed(t, SGW_L7_R_LENGTH);
		bit = ext_bit(type);
		if (!bit) {
			if (!skip(c, elen))
				return malformed(t, SGW_L7_R_LENGTH);
			continue;
		}
		if (seen & bit)
			return malformed(t, SGW_L7_R_DUPLICATE);
		seen |= bit;
		if (!sub(c, elen, &ext))
			return malformed(t, SGW_L7_R_LENGTH);
		switch (bit) {
		case SEEN_SNI:
			st = server_name(&ext, t);
			break;
		case SEEN_ALPN:
			st = alpn(&ext, t);
			break;
		case SEEN_VERSIONS:
			st = versions(&ext, t);
			break;
		default:
			t->flags |= SGW_L7_TLS_F_ECH;
			st = SGW_L7_MATCH;
			break;
		}
		if (st != SGW_L7_MATCH)
			return st;
	}
	return SGW_L7_MATCH;
}

enum sgw_l7_status sgw_l7_tls_parse(const u8 *data, size_t len,
				    struct sgw_l7_tls *t)
{
	enum sgw_l7_status st;
	unsigned int records;
	struct cursor c;
	u32 hello_len;
	u16 cs;
	u8 n;

	t->flags = 0;
	t->legacy_version = 0;
	t->max_version = 0;
	t->alpn_count = 0;
	t->reason = SGW_L7_R_NONE;
	t->sni_len = 0;
	t->sni[0] = '\0';

	st = walk_records(data, len, t, &hello_len, &records);
	if (st != SGW_L7_MATCH)
		return st;
	if (records > 1)
		t->flags |= SGW_L7_TLS_F_FRAGMENTED;

	/* Start on the first record's payload, past the handshake header. */
	c.data = data;
	c.len = len;
	c.pos = RECORD_HEADER;
	c.rec_end = RECORD_HEADER + be16(data + 3);
	if (c.rec_end > len)
		c.rec_end = len;
	c.left = 4 + hello_len;
	if (!skip(&c, 4))
		return malformed(t, SGW_L7_R_LENGTH);

	if (!get_u16(&c, &t->legacy_version) || t->legacy_version >> 8 != 3)
		return malformed(t, SGW_L7_R_SYNTAX);
	t->max_version = t->legacy_version;
	if (!skip(&c, 32) ||
	    !get_u8(&c, &n) || n > 32 || !skip(&c, n) ||
	    !get_u16(&c, &cs) || cs < 2 || cs & 1 || !skip(&c, cs) ||
	    !get_u8(&c, &n) || !n || !skip(&c, n))
		return malformed(t, SGW_L7_R_LENGTH);
	/* Extensions may be absent before TLS 1.3. */
	if (!c.left)
		return SGW_L7_MATCH;
	return extensions(&c, t);
}
