// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgw netlink messages on buffers: no socket here (see nlmsg.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "nlmsg.h"
#include "../kmod/core/l7/rule.h"

/* Room in *arr for element n, for arrays grown one element at a time: the
 * capacity doubles at each power of two, so it is never stored.
 */
static int grow(void **arr, size_t n, size_t size)
{
	size_t cap;
	void *p;

	if (n >= 8 && (n & (n - 1)))
		return 0;
	cap = n < 8 ? 8 : 2 * n;
	p = reallocarray(*arr, cap, size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	return 0;
}

void nlmsg_buf_free(struct nlmsg_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static int reserve(struct nlmsg_buf *b, size_t room)
{
	size_t cap = b->cap ? b->cap : 4096;
	char *p;

	if (b->len + room <= b->cap)
		return 0;
	while (cap < b->len + room)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

struct nlmsghdr *nlmsg_put_request(struct nlmsg_buf *b, uint16_t family,
				   uint8_t cmd, uint16_t flags, uint32_t seq,
				   size_t room)
{
	size_t size = MNL_NLMSG_HDRLEN + MNL_ALIGN(GENL_HDRLEN) +
		      MNL_ALIGN(room);
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	if (reserve(b, size))
		return NULL;
	memset(b->data + b->len, 0, size);
	nlh = mnl_nlmsg_put_header(b->data + b->len);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = SGW_GENL_VERSION;
	return nlh;
}

/* The message at the end of the buffer is complete: keep it. */
static void end_request(struct nlmsg_buf *b, const struct nlmsghdr *nlh)
{
	b->len += MNL_ALIGN(nlh->nlmsg_len);
}

static int add_origin(struct nlmsg_txn *txn, const struct nlmsghdr *nlh,
		      enum nlmsg_origin_kind kind, size_t index,
		      unsigned int line)
{
	struct nlmsg_origin *o;

	if (grow((void **)&txn->origins, txn->norigins, sizeof(*o)))
		return -ENOMEM;
	o = &txn->origins[txn->norigins++];
	o->seq = nlh->nlmsg_seq;
	o->kind = kind;
	o->index = index;
	o->line = line;
	o->offset = (const char *)nlh - txn->buf.data;
	return 0;
}

/* Put a finished message in and remember where it came from. */
static int finish(struct nlmsg_txn *txn, struct nlmsghdr *nlh,
		  enum nlmsg_origin_kind kind, size_t index, unsigned int line)
{
	int ret = add_origin(txn, nlh, kind, index, line);

	if (!ret)
		end_request(&txn->buf, nlh);
	return ret;
}

static int pack_begin(struct nlmsg_txn *txn, uint16_t family, uint32_t seq,
		      const struct policy *p)
{
	struct nlmsghdr *nlh;

	nlh = nlmsg_put_request(&txn->buf, family, SGW_CMD_TXN_BEGIN, 0, seq,
				3 * MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(uint32_t)));
	if (!nlh)
		return -ENOMEM;
	mnl_attr_put_u32(nlh, SGW_A_HOOKS, p->hooks);
	if (p->flow_max)
		mnl_attr_put_u32(nlh, SGW_A_FLOW_MAX, p->flow_max);
	/* Absent is 0, the default: a module without L7 is not bothered. */
	if (p->flags)
		mnl_attr_put_u32(nlh, SGW_A_POLICY_FLAGS, p->flags);
	return finish(txn, nlh, NLMSG_ORIGIN_BEGIN, 0, 0);
}

/*
 * A segment goes out as one message per run of prefixes that fits in
 * @msg_max; each message repeats the id and name, and the kernel appends
 * the prefixes of every message after the first to the same segment.
 */
static int pack_segment(struct nlmsg_txn *txn, uint16_t family,
			uint32_t *seq, const struct policy_segment *s,
			size_t index, size_t msg_max)
{
	size_t namelen = strnlen(s->name, SGW_SEG_NAME_MAX - 1);
	size_t per_prefix = MNL_ALIGN(MNL_ATTR_HDRLEN +
				      sizeof(struct sgw_prefix));
	size_t nest = MNL_ATTR_HDRLEN +				/* SEGMENT */
		      MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(uint16_t)) +
		      MNL_ALIGN(MNL_ATTR_HDRLEN + namelen + 1) +
		      MNL_ATTR_HDRLEN;				/* PREFIXES */
	size_t fixed = MNL_NLMSG_HDRLEN + MNL_ALIGN(GENL_HDRLEN) + nest;
	size_t per_msg = msg_max > fixed ? (msg_max - fixed) / per_prefix : 0;
	size_t most = (UINT16_MAX - nest) / per_prefix;	/* nest length */
	size_t done = 0;
	char name[SGW_SEG_NAME_MAX];

	memcpy(name, s->name, namelen);
	name[namelen] = '\0';
	if (per_msg > most)
		per_msg = most;
	if (!per_msg)
		per_msg = 1;
	do {
		size_t n = s->nprefixes - done < per_msg ?
			   s->nprefixes - done : per_msg;
		struct nlattr *seg, *prefixes;
		struct nlmsghdr *nlh;
		size_t i;

		nlh = nlmsg_put_request(&txn->buf, family,
					SGW_CMD_TXN_ADD_SEGMENT, 0, (*seq)++,
					nest + n * per_prefix);
		if (!nlh)
			return -ENOMEM;
		seg = mnl_attr_nest_start(nlh, SGW_A_SEGMENT);
		mnl_attr_put_u16(nlh, SGW_SEG_A_ID, s->id);
		mnl_attr_put_strz(nlh, SGW_SEG_A_NAME, name);
		prefixes = mnl_attr_nest_start(nlh, SGW_SEG_A_PREFIXES);
		for (i = 0; i < n; i++)
			mnl_attr_put(nlh, SGW_SEG_A_PREFIX,
				     sizeof(struct sgw_prefix),
				     &s->prefixes[done + i]);
		mnl_attr_nest_end(nlh, prefixes);
		mnl_attr_nest_end(nlh, seg);
		if (finish(txn, nlh, NLMSG_ORIGIN_SEGMENT, index, s->line))
			return -ENOMEM;
		done += n;
	} while (done < s->nprefixes);
	return 0;
}

/* SGW_RULE_A_L7: app, flags, then each field's patterns in order. */
static size_t l7_nest_size(const struct sgw_l7_rule *l7)
{
	size_t size = MNL_ATTR_HDRLEN +
		      MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(uint8_t)) +
		      MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(uint32_t));
	const struct sgw_l7_pattern *set;
	unsigned int f, i, n;

	for (f = 0; f < __SGW_L7_FIELD_MAX; f++) {
		set = sgw_l7_rule_patterns(l7, f, &n);
		for (i = 0; i < n; i++)
			size += MNL_ALIGN(MNL_ATTR_HDRLEN + set[i].len + 1);
	}
	return size;
}

static void put_l7(struct nlmsghdr *nlh, const struct sgw_l7_rule *l7)
{
	const struct sgw_l7_pattern *set;
	unsigned int f, i, n;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, SGW_RULE_A_L7);
	mnl_attr_put_u8(nlh, SGW_L7_A_APP, sgw_l7_rule_app(l7));
	mnl_attr_put_u32(nlh, SGW_L7_A_FLAGS, sgw_l7_rule_flags(l7));
	for (f = 0; f < __SGW_L7_FIELD_MAX; f++) {
		set = sgw_l7_rule_patterns(l7, f, &n);
		for (i = 0; i < n; i++)
			mnl_attr_put(nlh, sgw_l7_attr_of_field(f),
				     set[i].len + 1, set[i].str);
	}
	mnl_attr_nest_end(nlh, nest);
}

static size_t rule_nest_size(const struct policy_rule *r)
{
	size_t u32 = MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(uint32_t));
	size_t size = MNL_ATTR_HDRLEN +
		      3 * u32 +					/* ID LINE FLAGS */
		      MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(uint8_t)) +	/* PROTO */
		      MNL_ALIGN(MNL_ATTR_HDRLEN + r->nsrcs * sizeof(uint16_t)) +
		      MNL_ALIGN(MNL_ATTR_HDRLEN + r->ndsts * sizeof(uint16_t));

	if (r->nports)
		size += MNL_ALIGN(MNL_ATTR_HDRLEN +
				  r->nports * sizeof(struct sgw_port_range));
	if (r->l7)
		size += l7_nest_size(r->l7);
	return size;
}

static int pack_rule(struct nlmsg_txn *txn, uint16_t family, uint32_t seq,
		     const struct policy_rule *r, size_t index)
{
	size_t size = rule_nest_size(r);
	struct nlmsghdr *nlh;
	struct nlattr *rule;

	if (size > UINT16_MAX)
		return -E2BIG;
	nlh = nlmsg_put_request(&txn->buf, family, SGW_CMD_TXN_ADD_RULE, 0, seq,
				size);
	if (!nlh)
		return -ENOMEM;
	rule = mnl_attr_nest_start(nlh, SGW_A_RULE);
	mnl_attr_put_u32(nlh, SGW_RULE_A_ID, r->id);
	mnl_attr_put_u32(nlh, SGW_RULE_A_LINE, r->line);
	mnl_attr_put(nlh, SGW_RULE_A_SRCS, r->nsrcs * sizeof(uint16_t), r->srcs);
	mnl_attr_put(nlh, SGW_RULE_A_DSTS, r->ndsts * sizeof(uint16_t), r->dsts);
	mnl_attr_put_u8(nlh, SGW_RULE_A_PROTO, r->proto);
	if (r->nports)
		mnl_attr_put(nlh, SGW_RULE_A_PORTS,
			     r->nports * sizeof(struct sgw_port_range),
			     r->ports);
	mnl_attr_put_u32(nlh, SGW_RULE_A_FLAGS, 0);
	if (r->l7)
		put_l7(nlh, r->l7);
	mnl_attr_nest_end(nlh, rule);
	return finish(txn, nlh, NLMSG_ORIGIN_RULE, index, r->line);
}

int nlmsg_pack_policy(struct nlmsg_txn *txn, uint16_t family, uint32_t seq,
		      const struct policy *p, size_t msg_max, size_t *bad_rule)
{
	size_t i;
	int ret;

	memset(txn, 0, sizeof(*txn));
	ret = pack_begin(txn, family, seq++, p);
	for (i = 0; !ret && i < p->nsegments; i++)
		ret = pack_segment(txn, family, &seq, &p->segments[i], i,
				   msg_max);
	for (i = 0; !ret && i < p->nrules; i++) {
		ret = pack_rule(txn, family, seq++, &p->rules[i], i);
		if (ret == -E2BIG && bad_rule)
			*bad_rule = i;
	}
	if (ret)
		nlmsg_txn_free(txn);
	return ret;
}

static int pack_update_begin(struct nlmsg_txn *txn, uint16_t family,
			     uint32_t seq, uint32_t gen)
{
	struct nlmsghdr *nlh;

	nlh = nlmsg_put_request(&txn->buf, family, SGW_CMD_TXN_BEGIN, 0, seq,
				2 * MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(uint32_t)));
	if (!nlh)
		return -ENOMEM;
	mnl_attr_put_u32(nlh, SGW_A_TXN_FLAGS, SGW_TXN_F_UPDATE);
	mnl_attr_put_u32(nlh, SGW_A_GENERATION, gen);
	return finish(txn, nlh, NLMSG_ORIGIN_BEGIN, 0, 0);
}

static int pack_delete(struct nlmsg_txn *txn, uint16_t family, uint32_t seq,
		       uint32_t id, size_t index)
{
	struct nlmsghdr *nlh;
	struct nlattr *rule;

	nlh = nlmsg_put_request(&txn->buf, family, SGW_CMD_TXN_DEL_RULE, 0, seq,
				MNL_ATTR_HDRLEN +
				MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(uint32_t)));
	if (!nlh)
		return -ENOMEM;
	rule = mnl_attr_nest_start(nlh, SGW_A_RULE);
	mnl_attr_put_u32(nlh, SGW_RULE_A_ID, id);
	mnl_attr_nest_end(nlh, rule);
	return finish(txn, nlh, NLMSG_ORIGIN_DELETE, index, 0);
}

int nlmsg_pack_update(struct nlmsg_txn *txn, uint16_t family, uint32_t seq,
		      uint32_t gen, const uint32_t *dels, size_t ndels,
		      const struct policy *adds, size_t *bad_rule)
{
	size_t i;
	int ret;

	memset(txn, 0, sizeof(*txn));
	ret = pack_update_begin(txn, family, seq++, gen);
	for (i = 0; !ret && i < ndels; i++)
		ret = pack_delete(txn, family, seq++, dels[i], i);
	for (i = 0; !ret && adds && i < adds->nrules; i++) {
		ret = pack_rule(txn, family, seq++, &adds->rules[i], i);
		if (ret == -E2BIG && bad_rule)
			*bad_rule = i;
	}
	if (ret)
		nlmsg_txn_free(txn);
	return ret;
}

void nlmsg_txn_free(struct nlmsg_txn *txn)
{
	nlmsg_buf_free(&txn->buf);
	free(txn->origins);
	txn->origins = NULL;
	txn->norigins = 0;
}

const struct nlmsg_origin *nlmsg_txn_origin(const struct nlmsg_txn *txn,
					    uint32_t seq)
{
	size_t i;

	if (!txn->norigins)
		return NULL;
	/* Sequence numbers are consecutive, wrapping included. */
	i = (uint32_t)(seq - txn->origins[0].seq);
	if (i >= txn->norigins || txn->origins[i].seq != seq)
		return NULL;
	return &txn->origins[i];
}

static size_t msg_end(const struct nlmsg_txn *txn, size_t i)
{
	return i + 1 < txn->norigins ? txn->origins[i + 1].offset
				     : txn->buf.len;
}

size_t nlmsg_txn_chunk(const struct nlmsg_txn *txn, size_t first, size_t max)
{
	size_t start, i;

	if (first >= txn->norigins)
		return txn->norigins;
	start = txn->origins[first].offset;
	for (i = first + 1; i < txn->norigins; i++)
		if (msg_end(txn, i) - start > max)
			break;
	return i;
}

void nlmsg_exchange_init(struct nlmsg_exchange *x, uint32_t portid,
			 uint32_t seq_first, uint32_t seq_last, bool dump,
			 int (*cb)(const struct nlmsghdr *, void *),
			 void *data)
{
	memset(x, 0, sizeof(*x));
	x->portid = portid;
	x->seq_first = seq_first;
	x->seq_last = seq_last;
	x->dump = dump;
	x->cb = cb;
	x->data = data;
}

static void record_error(struct nlmsg_exchange *x, const struct nlmsghdr *nlh)
{
	struct nlmsg_error e;

	if (nlmsg_parse_error(nlh, &e) < 0) {
		memset(&e, 0, sizeof(e));
		e.err = -EBADMSG;
		e.seq = nlh->nlmsg_seq;
	}
	if (e.err && !x->error.err)
		x->error = e;
}

int nlmsg_exchange_feed(struct nlmsg_exchange *x, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int rem = len;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		uint32_t seq = nlh->nlmsg_seq;
		int ret;

		if (x->done)
			break;
		if (!mnl_nlmsg_portid_ok(nlh, x->portid))
			continue;
		if ((uint32_t)(seq - x->seq_first) >
		    (uint32_t)(x->seq_last - x->seq_first))
			continue;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			x->intr = true;

		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			break;
		case NLMSG_ERROR:
			/* An error for any message, or the ack of the last
			 * one, which comes after everything it answers.
			 */
			record_error(x, nlh);
			if (seq == x->seq_last)
				x->done = true;
			break;
		case NLMSG_DONE:
			if (x->dump) {
				record_error(x, nlh);
				x->done = true;
			}
			break;
		case NLMSG_OVERRUN:
			if (!x->error.err) {
				x->error.err = -EOVERFLOW;
				x->error.seq = seq;
			}
			break;
		default:
			if (!x->cb || x->cb_err)
				break;
			ret = x->cb(nlh, x->data);
			if (ret < 0)
				x->cb_err = ret;
		}
	}
	return rem > 0 && !x->done ? -EBADMSG : 0;
}

static void copy_extack(const void *tlvs, size_t len, struct nlmsg_error *e)
{
	const struct nlattr *attr;

	mnl_attr_for_each_payload(tlvs, len) {
		if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG ||
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			continue;
		snprintf(e->msg, sizeof(e->msg), "%s",
			 mnl_attr_get_str(attr));
	}
}

int nlmsg_parse_error(const struct nlmsghdr *nlh, struct nlmsg_error *e)
{
	const char *payload = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	size_t tlvs;
	int err;

	memset(e, 0, sizeof(*e));
	e->seq = nlh->nlmsg_seq;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* A dump's end: an int, 0 or -errno, then extack. */
		if (len < sizeof(int))
			return 0;
		memcpy(&err, payload, sizeof(err));
		tlvs = MNL_ALIGN(sizeof(int));
	} else if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *ne = (const void *)payload;

		if (len < sizeof(*ne))
			return -EBADMSG;
		err = ne->error;
		/* The request comes back whole unless capped. */
		tlvs = sizeof(*ne);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    ne->msg.nlmsg_len > sizeof(struct nlmsghdr))
			tlvs += ne->msg.nlmsg_len - sizeof(struct nlmsghdr);
		tlvs = MNL_ALIGN(tlvs);
	} else {
		return -EINVAL;
	}
	e->err = err > 0 ? -err : err;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && tlvs < len)
		copy_extack(payload + tlvs, len - tlvs, e);
	return 0;
}

/* The attributes of a nest (or of a genl message's payload) by type; the
 * last of a repeated type wins. Types above @max are skipped: newer
 * modules may send more.
 */
static void nest_table(const struct nlattr *nest, const struct nlattr **tb,
		       unsigned int max)
{
	const struct nlattr *attr;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_for_each_nested(attr, nest)
		if (mnl_attr_get_type(attr) <= max)
			tb[mnl_attr_get_type(attr)] = attr;
}

static void msg_table(const struct nlmsghdr *nlh, const struct nlattr **tb,
		      unsigned int max)
{
	const struct nlattr *attr;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) <= max)
			tb[mnl_attr_get_type(attr)] = attr;
}

/* Attribute values, checked for length first: -EBADMSG otherwise. */
static int get_u8(const struct nlattr *a, uint8_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u8(a);
	return 0;
}

static int get_u16(const struct nlattr *a, uint16_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u16(a);
	return 0;
}

static int get_u32(const struct nlattr *a, uint32_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u32(a);
	return 0;
}

static int get_u64(const struct nlattr *a, uint64_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u64(a);
	return 0;
}

static int get_str(const struct nlattr *a, char *s, size_t size)
{
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 ||
	    mnl_attr_get_payload_len(a) > size)
		return -EBADMSG;
	memcpy(s, mnl_attr_get_str(a), mnl_attr_get_payload_len(a));
	return 0;
}

/* Each optional: absent leaves *v alone. */
#define OPT(fn, a, ...) ((a) ? fn((a), __VA_ARGS__) : 0)

int nlmsg_parse_family(const struct nlmsghdr *nlh, uint16_t *family)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];

	msg_table(nlh, tb, CTRL_ATTR_MAX);
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return -EBADMSG;
	return get_u16(tb[CTRL_ATTR_FAMILY_ID], family);
}

int nlmsg_parse_status(const struct nlmsghdr *nlh, struct sgw_status *st)
{
	const struct nlattr *tb[SGW_A_MAX + 1];
	uint8_t loaded = 0;
	int ret;

	memset(st, 0, sizeof(*st));
	msg_table(nlh, tb, SGW_A_MAX);
	ret = OPT(get_str, tb[SGW_A_VERSION], st->version, sizeof(st->version)) ?:
	      OPT(get_u32, tb[SGW_A_GENERATION], &st->generation) ?:
	      OPT(get_u32, tb[SGW_A_HOOKS], &st->hooks) ?:
	      OPT(get_u32, tb[SGW_A_FLOW_MAX], &st->flow_max) ?:
	      OPT(get_u8, tb[SGW_A_LOADED], &loaded) ?:
	      OPT(get_u32, tb[SGW_A_POLICY_FLAGS], &st->policy_flags);
	st->loaded = loaded;
	st->has_policy_flags = tb[SGW_A_POLICY_FLAGS];
	return ret;
}

int nlmsg_parse_generation(const struct nlmsghdr *nlh, uint32_t *gen)
{
	const struct nlattr *tb[SGW_A_MAX + 1];

	msg_table(nlh, tb, SGW_A_MAX);
	if (!tb[SGW_A_GENERATION])
		return -EBADMSG;
	return get_u32(tb[SGW_A_GENERATION], gen);
}

void nlmsg_dump_free(struct sgw_dump *d)
{
	struct policy *p = &d->policy;
	size_t i;

	for (i = 0; i < p->nsegments; i++)
		free(p->segments[i].prefixes);
	for (i = 0; i < p->nrules; i++) {
		free(p->rules[i].srcs);
		free(p->rules[i].dsts);
		free(p->rules[i].ports);
		sgw_l7_rule_free(p->rules[i].l7);
	}
	free(p->segments);
	free(p->rules);
	free(d->counters);
	memset(d, 0, sizeof(*d));
}

static struct policy_segment *find_segment(struct policy *p, uint16_t id)
{
	size_t i;

	/* A split segment's messages come one after another, and segments
	 * in ascending ids: only a module breaking that costs a search.
	 */
	if (p->nsegments && p->segments[p->nsegments - 1].id == id)
		return &p->segments[p->nsegments - 1];
	if (!p->nsegments || p->segments[p->nsegments - 1].id < id)
		return NULL;
	for (i = 0; i < p->nsegments; i++)
		if (p->segments[i].id == id)
			return &p->segments[i];
	return NULL;
}

int nlmsg_parse_segment(const struct nlmsghdr *nlh, struct sgw_dump *d)
{
	const struct nlattr *top[SGW_A_MAX + 1], *tb[SGW_SEG_A_MAX + 1];
	struct policy *p = &d->policy;
	struct policy_segment *s;
	const struct nlattr *attr;
	char name[SGW_SEG_NAME_MAX] = "";
	size_t n = 0;
	uint16_t id;
	void *grown;

	msg_table(nlh, top, SGW_A_MAX);
	if (!top[SGW_A_SEGMENT] ||
	    mnl_attr_validate(top[SGW_A_SEGMENT], MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	nest_table(top[SGW_A_SEGMENT], tb, SGW_SEG_A_MAX);
	if (!tb[SGW_SEG_A_ID] || get_u16(tb[SGW_SEG_A_ID], &id) ||
	    OPT(get_str, tb[SGW_SEG_A_NAME], name, sizeof(name)))
		return -EBADMSG;
	if (tb[SGW_SEG_A_PREFIXES]) {
		mnl_attr_for_each_nested(attr, tb[SGW_SEG_A_PREFIXES]) {
			if (mnl_attr_get_type(attr) != SGW_SEG_A_PREFIX)
				continue;
			if (mnl_attr_get_payload_len(attr) !=
			    sizeof(struct sgw_prefix))
				return -EBADMSG;
			n++;
		}
	}

	s = find_segment(p, id);
	if (!s) {
		if (grow((void **)&p->segments, p->nsegments, sizeof(*s)))
			return -ENOMEM;
		s = &p->segments[p->nsegments++];
		memset(s, 0, sizeof(*s));
		s->id = id;
		if (name[0])
			memcpy(s->name, name, sizeof(s->name));
		else
			snprintf(s->name, sizeof(s->name), "segment%u", id);
	}
	if (!n)
		return 0;
	grown = reallocarray(s->prefixes, s->nprefixes + n,
			     sizeof(*s->prefixes));
	if (!grown)
		return -ENOMEM;
	s->prefixes = grown;
	mnl_attr_for_each_nested(attr, tb[SGW_SEG_A_PREFIXES])
		if (mnl_attr_get_type(attr) == SGW_SEG_A_PREFIX)
			memcpy(&s->prefixes[s->nprefixes++],
			       mnl_attr_get_payload(attr),
			       sizeof(struct sgw_prefix));
	return 0;
}

/* A copy of a binary attribute holding an array of @size-byte items. */
static int get_array(const struct nlattr *a, size_t size, void **out,
		     size_t *n)
{
	size_t len;

	*out = NULL;
	*n = 0;
	if (!a)
		return 0;
	len = mnl_attr_get_payload_len(a);
	if (len % size)
		return -EBADMSG;
	if (!len)
		return 0;
	*out = malloc(len);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, mnl_attr_get_payload(a), len);
	*n = len / size;
	return 0;
}

static int parse_counters(const struct nlattr *nest, struct sgw_counters *c)
{
	const struct nlattr *tb[SGW_CNT_A_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (!nest)
		return 0;
	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	nest_table(nest, tb, SGW_CNT_A_MAX);
	c->present = true;
	return OPT(get_u64, tb[SGW_CNT_A_PACKETS], &c->packets) ?:
	       OPT(get_u64, tb[SGW_CNT_A_BYTES], &c->bytes) ?:
	       OPT(get_u64, tb[SGW_CNT_A_FLOWS], &c->flows) ?:
	       OPT(get_u64, tb[SGW_CNT_A_FIRST_HIT], &c->first_hit) ?:
	       OPT(get_u64, tb[SGW_CNT_A_LAST_HIT], &c->last_hit);
}

/* The app and flags of an SGW_RULE_A_L7 nest; any other attribute must
 * be a pattern.
 */
static int l7_head(const struct nlattr *nest, uint8_t *app, uint32_t *flags)
{
	const struct nlattr *attr;
	bool has_app = false;

	*flags = 0;
	mnl_attr_for_each_nested(attr, nest) {
		uint16_t type = mnl_attr_get_type(attr);

		if (type == SGW_L7_A_APP) {
			if (get_u8(attr, app))
				return -EBADMSG;
			has_app = true;
		} else if (type == SGW_L7_A_FLAGS) {
			if (get_u32(attr, flags))
				return -EBADMSG;
		} else if (sgw_l7_field_of_attr(type) < 0) {
			/* A condition of a newer module: not to be lost. */
			return -EBADMSG;
		}
	}
	return has_app && !sgw_l7_rule_check(*app, *flags) ? 0 : -EBADMSG;
}

/* An SGW_RULE_A_L7 nest into a rule built as the module built its own. */
static int parse_l7(const struct nlattr *nest, struct sgw_l7_rule **out)
{
	const struct nlattr *attr;
	struct sgw_l7_rule *l7;
	uint32_t flags;
	uint8_t app;
	int ret;

	*out = NULL;
	if (!nest)
		return 0;
	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0 ||
	    l7_head(nest, &app, &flags))
		return -EBADMSG;
	l7 = sgw_l7_rule_alloc(app, flags);
	if (!l7)
		return -ENOMEM;
	mnl_attr_for_each_nested(attr, nest) {
		int field = sgw_l7_field_of_attr(mnl_attr_get_type(attr));
		const char *s;

		if (field < 0)
			continue;
		s = mnl_attr_get_str(attr);
		/* Exactly one NUL, at the end. */
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0 ||
		    strlen(s) + 1 != mnl_attr_get_payload_len(attr)) {
			ret = -EBADMSG;
			goto err;
		}
		ret = sgw_l7_rule_add(l7, field, s, strlen(s));
		if (ret) {
			if (ret != -ENOMEM)
				ret = -EBADMSG;
			goto err;
		}
	}
	*out = l7;
	return 0;
err:
	sgw_l7_rule_free(l7);
	return ret;
}

int nlmsg_parse_rule(const struct nlmsghdr *nlh, struct sgw_dump *d)
{
	const struct nlattr *top[SGW_A_MAX + 1], *tb[SGW_RULE_A_MAX + 1];
	struct policy *p = &d->policy;
	struct policy_rule r = { 0 };
	struct sgw_counters c;
	uint32_t line = 0;
	int ret;

	msg_table(nlh, top, SGW_A_MAX);
	if (!top[SGW_A_RULE] ||
	    mnl_attr_validate(top[SGW_A_RULE], MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	nest_table(top[SGW_A_RULE], tb, SGW_RULE_A_MAX);
	if (!tb[SGW_RULE_A_ID])
		return -EBADMSG;
	ret = get_u32(tb[SGW_RULE_A_ID], &r.id) ?:
	      OPT(get_u32, tb[SGW_RULE_A_LINE], &line) ?:
	      OPT(get_u8, tb[SGW_RULE_A_PROTO], &r.proto) ?:
	      parse_counters(tb[SGW_RULE_A_COUNTERS], &c);
	if (ret)
		return ret;
	r.line = line;
	ret = get_array(tb[SGW_RULE_A_SRCS], sizeof(uint16_t),
			(void **)&r.srcs, &r.nsrcs) ?:
	      get_array(tb[SGW_RULE_A_DSTS], sizeof(uint16_t),
			(void **)&r.dsts, &r.ndsts) ?:
	      get_array(tb[SGW_RULE_A_PORTS], sizeof(struct sgw_port_range),
			(void **)&r.ports, &r.nports) ?:
	      parse_l7(tb[SGW_RULE_A_L7], &r.l7);
	if (!ret &&
	    (grow((void **)&p->rules, p->nrules, sizeof(r)) ||
	     grow((void **)&d->counters, p->nrules, sizeof(c))))
		ret = -ENOMEM;
	if (ret) {
		free(r.srcs);
		free(r.dsts);
		free(r.ports);
		sgw_l7_rule_free(r.l7);
		return ret;
	}
	d->counters[p->nrules] = c;
	p->rules[p->nrules++] = r;
	return 0;
}

static int get_addr(const struct nlattr *a, uint8_t family, uint8_t *addr)
{
	size_t len = family == AF_INET6 ? 16 : 4;

	if (!a || mnl_attr_get_payload_len(a) != len)
		return -EBADMSG;
	memcpy(addr, mnl_attr_get_payload(a), len);
	return 0;
}

int nlmsg_parse_flow(const struct nlmsghdr *nlh, struct sgw_flow *f)
{
	const struct nlattr *top[SGW_A_MAX + 1], *tb[SGW_FLOW_A_MAX + 1];

	memset(f, 0, sizeof(*f));
	msg_table(nlh, top, SGW_A_MAX);
	if (!top[SGW_A_FLOW] ||
	    mnl_attr_validate(top[SGW_A_FLOW], MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	nest_table(top[SGW_A_FLOW], tb, SGW_FLOW_A_MAX);
	if (!tb[SGW_FLOW_A_FAMILY] || get_u8(tb[SGW_FLOW_A_FAMILY], &f->family) ||
	    (f->family != AF_INET && f->family != AF_INET6))
		return -EBADMSG;
	return get_addr(tb[SGW_FLOW_A_SRC], f->family, f->src) ?:
	       get_addr(tb[SGW_FLOW_A_DST], f->family, f->dst) ?:
	       OPT(get_u8, tb[SGW_FLOW_A_PROTO], &f->proto) ?:
	       OPT(get_u16, tb[SGW_FLOW_A_SPORT], &f->sport) ?:
	       OPT(get_u16, tb[SGW_FLOW_A_DPORT], &f->dport) ?:
	       OPT(get_u16, tb[SGW_FLOW_A_SRC_SEG], &f->src_seg) ?:
	       OPT(get_u16, tb[SGW_FLOW_A_DST_SEG], &f->dst_seg) ?:
	       OPT(get_u32, tb[SGW_FLOW_A_RULE], &f->rule) ?:
	       OPT(get_u32, tb[SGW_FLOW_A_GENERATION], &f->generation) ?:
	       OPT(get_u8, tb[SGW_FLOW_A_STATE], &f->state) ?:
	       OPT(get_u64, tb[SGW_FLOW_A_AGE_MS], &f->age_ms) ?:
	       OPT(get_u64, tb[SGW_FLOW_A_IDLE_MS], &f->idle_ms) ?:
	       OPT(get_u64, tb[SGW_FLOW_A_PACKETS_ORIG], &f->packets_orig) ?:
	       OPT(get_u64, tb[SGW_FLOW_A_BYTES_ORIG], &f->bytes_orig) ?:
	       OPT(get_u64, tb[SGW_FLOW_A_PACKETS_REPLY], &f->packets_reply) ?:
	       OPT(get_u64, tb[SGW_FLOW_A_BYTES_REPLY], &f->bytes_reply);
}

int nlmsg_parse_stats(const struct nlmsghdr *nlh, struct sgw_stats *st)
{
	const struct nlattr *tb[SGW_A_MAX + 1];
	const struct nlattr *attr;

	memset(st, 0, sizeof(*st));
	msg_table(nlh, tb, SGW_A_MAX);
	if (!tb[SGW_A_STATS] ||
	    mnl_attr_validate(tb[SGW_A_STATS], MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	mnl_attr_for_each_nested(attr, tb[SGW_A_STATS]) {
		uint16_t type = mnl_attr_get_type(attr);

		if (type == SGW_STAT_A_PAD || type > SGW_STAT_A_MAX)
			continue;
		if (get_u64(attr, &st->value[type]))
			return -EBADMSG;
		st->present[type] = true;
	}
	return 0;
}
