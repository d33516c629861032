// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DNS query classifier: the header and at most SGW_L7_DNS_QUESTIONS_MAX
 * questions, each name read once, pointers followed only backwards.
 */
#include "dns.h"

enum {
	HEADER		= 12,
	FLAG_QR		= 0x8000,
	NAME_WIRE_MAX	= 255,
	LABEL_MAX	= 63,
	LABEL_POINTER	= 0xc0,
};

static u16 be16(const u8 *p)
{
	return p[0] << 8 | p[1];
}

static enum sgw_l7_status malformed(struct sgw_l7_dns *d,
				    enum sgw_l7_reason why)
{
	d->reason = why;
	return SGW_L7_MALFORMED;
}

static void put(struct sgw_l7_dns_question *q, char c)
{
	if (q->name_len < SGW_L7_NAME_MAX)
		q->name[q->name_len++] = c;
	else
		q->flags |= SGW_L7_DNS_F_TRUNC;
}

static void put_label(struct sgw_l7_dns_question *q, const u8 *p, u8 n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		u8 c = sgw_l7_lower(p[i]);

		if (c == '.' || c == '\\') {
			q->flags |= SGW_L7_DNS_F_ESCAPED;
			put(q, '\\');
			put(q, c);
		} else if (c < 0x21 || c > 0x7e) {
			q->flags |= SGW_L7_DNS_F_ESCAPED;
			put(q, '\\');
			put(q, '0' + c / 100);
			put(q, '0' + c / 10 % 10);
			put(q, '0' + c % 10);
		} else {
			put(q, c);
		}
	}
}

/*
 * The name at *@pos into @q; *@pos moves past it as it sits in the
 * question (up to its first pointer, if any).
 */
static enum sgw_l7_status read_name(const u8 *m, size_t len, size_t *pos,
				    struct sgw_l7_dns_question *q,
				    struct sgw_l7_dns *d)
{
	size_t p = *pos, floor = *pos, wire = 1;
	unsigned int hops = 0;
	bool jumped = false;

	for (;;) {
		u8 c;

		if (p >= len)
			return malformed(d, SGW_L7_R_LENGTH);
		c = m[p];
		if ((c & LABEL_POINTER) == LABEL_POINTER) {
			size_t to;

			if (len - p < 2)
				return malformed(d, SGW_L7_R_LENGTH);
			to = (c & ~LABEL_POINTER) << 8 | m[p + 1];
			if (!jumped)
				*pos = p + 2;
			jumped = true;
			if (++hops > SGW_L7_DNS_POINTER_HOPS || to < HEADER ||
			    to >= floor)
				return malformed(d, SGW_L7_R_POINTER);
			p = floor = to;
			continue;
		}
		if (c & LABEL_POINTER)
			return malformed(d, SGW_L7_R_SYNTAX);
		if (!c)
			break;
		wire += 1 + c;
		if (wire > NAME_WIRE_MAX)
			return malformed(d, SGW_L7_R_LIMIT);
		if (len - p - 1 < c)
			return malformed(d, SGW_L7_R_LENGTH);
		if (q->name_len || q->flags & SGW_L7_DNS_F_TRUNC)
			put(q, '.');
		put_label(q, m + p + 1, c);
		p += 1 + c;
	}
	if (!jumped)
		*pos = p + 1;
	if (wire == 1)
		put(q, '.');
	q->name[q->name_len] = '\0';
	return SGW_L7_MATCH;
}

enum sgw_l7_status sgw_l7_dns_parse(const u8 *data, size_t len,
				    struct sgw_l7_dns *d)
{
	enum sgw_l7_status st;
	size_t pos = HEADER;
	u16 qd;
	u8 i;

	d->reason = SGW_L7_R_NONE;
	d->qdcount = 0;
	if (len < HEADER)
		return malformed(d, SGW_L7_R_LENGTH);
	d->id = be16(data);
	d->hflags = be16(data + 2);
	d->opcode = d->hflags >> 11 & 0xf;
	if (d->hflags & FLAG_QR)
		return malformed(d, SGW_L7_R_DIRECTION);
	qd = be16(data + 4);
	if (qd > SGW_L7_DNS_QUESTIONS_MAX)
		return malformed(d, SGW_L7_R_LIMIT);

	for (i = 0; i < qd; i++) {
		struct sgw_l7_dns_question *q = &d->q[i];

		q->flags = 0;
		q->name_len = 0;
		st = read_name(data, len, &pos, q, d);
		if (st != SGW_L7_MATCH)
			return st;
		if (len - pos < 4)
			return malformed(d, SGW_L7_R_LENGTH);
		q->qtype = be16(data + pos);
		q->qclass = be16(data + pos + 2);
		pos += 4;
	}
	d->qdcount = qd;
	return SGW_L7_MATCH;
}

enum sgw_l7_status sgw_l7_dns_parse_tcp(const u8 *data, size_t len,
					struct sgw_l7_dns *d)
{
	size_t n;

	d->reason = SGW_L7_R_NONE;
	d->qdcount = 0;
	if (len < 2)
		return SGW_L7_NEED_MORE;
	n = be16(data);
	if (n < HEADER)
		return malformed(d, SGW_L7_R_LENGTH);
	if (n > SGW_L7_DNS_TCP_QUERY_MAX)
		return malformed(d, SGW_L7_R_LIMIT);
	if (len - 2 < n)
		return SGW_L7_NEED_MORE;
	return sgw_l7_dns_parse(data + 2, n, d);
}
