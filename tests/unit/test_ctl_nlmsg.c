// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl's netlink messages (ctl/nlmsg.c), without a socket: what the packer
 * encodes is decoded again with libmnl and checked attribute by attribute;
 * segments split at the size limit; every message maps back to its policy
 * line; replies, errors with extack, acks and interrupted dumps are read
 * as the kernel sends them.
 *
 * Links ctl/nlmsg.c, kmod/core/l7 (application rules) and libmnl.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "nlmsg.h"
#include "l7/rule.h"

enum { FAMILY = 0x1d, PORTID = 4242 };

/* A policy built by hand: the tests do not depend on the parser. */
struct test_policy {
	struct policy p;
};

static struct sgw_prefix v4(uint32_t i, uint8_t len)
{
	struct sgw_prefix pf = { .family = AF_INET, .len = len };
	uint32_t a = htonl(0x0a000000 | i);

	memcpy(pf.addr, &a, 4);
	return pf;
}

static struct sgw_prefix v6(uint8_t last, uint8_t len)
{
	struct sgw_prefix pf = { .family = AF_INET6, .len = len };

	pf.addr[0] = 0xfd;
	pf.addr[15] = last;
	return pf;
}

static void add_segment(struct policy *p, const char *name, unsigned int line,
			size_t nprefixes)
{
	struct policy_segment *s;
	size_t i;

	p->segments = realloc(p->segments, (p->nsegments + 1) * sizeof(*s));
	assert_non_null(p->segments);
	s = &p->segments[p->nsegments];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->id = ++p->nsegments;
	s->line = line;
	s->nprefixes = nprefixes;
	s->prefixes = calloc(nprefixes ? nprefixes : 1, sizeof(*s->prefixes));
	assert_non_null(s->prefixes);
	for (i = 0; i < nprefixes; i++)
		s->prefixes[i] = i % 3 == 2 ? v6(i, 64 + i % 64) : v4(i, 32);
}

static void add_rule(struct policy *p, uint32_t id, unsigned int line,
		     const uint16_t *srcs, size_t nsrcs,
		     const uint16_t *dsts, size_t ndsts, uint8_t proto,
		     const struct sgw_port_range *ports, size_t nports)
{
	struct policy_rule *r;

	p->rules = realloc(p->rules, (p->nrules + 1) * sizeof(*r));
	assert_non_null(p->rules);
	r = &p->rules[p->nrules++];
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->line = line;
	r->proto = proto;
	r->srcs = malloc(nsrcs * sizeof(*srcs) + 1);
	r->dsts = malloc(ndsts * sizeof(*dsts) + 1);
	memcpy(r->srcs, srcs, nsrcs * sizeof(*srcs));
	memcpy(r->dsts, dsts, ndsts * sizeof(*dsts));
	r->nsrcs = nsrcs;
	r->ndsts = ndsts;
	if (nports) {
		r->ports = malloc(nports * sizeof(*ports));
		memcpy(r->ports, ports, nports * sizeof(*ports));
		r->nports = nports;
	}
}

static void free_policy(struct policy *p)
{
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
	memset(p, 0, sizeof(*p));
}

static const struct nlmsghdr *msg_at(const struct nlmsg_txn *txn, size_t i)
{
	return (const void *)(txn->buf.data + txn->origins[i].offset);
}

static size_t msg_len(const struct nlmsg_txn *txn, size_t i)
{
	size_t end = i + 1 < txn->norigins ? txn->origins[i + 1].offset
					   : txn->buf.len;
	return end - txn->origins[i].offset;
}

static uint8_t genl_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	assert_int_equal(g->version, SGW_GENL_VERSION);
	return g->cmd;
}

/* Top-level attributes of a genl message, each type at most once. */
static void top_attrs(const struct nlmsghdr *nlh, const struct nlattr **tb,
		      unsigned int max)
{
	const struct nlattr *a;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		assert_true(mnl_attr_get_type(a) <= max);
		assert_null(tb[mnl_attr_get_type(a)]);
		tb[mnl_attr_get_type(a)] = a;
	}
}

static void nested_attrs(const struct nlattr *nest, const struct nlattr **tb,
			 unsigned int max)
{
	const struct nlattr *a;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_for_each_nested(a, nest) {
		assert_true(mnl_attr_get_type(a) <= max);
		assert_null(tb[mnl_attr_get_type(a)]);
		tb[mnl_attr_get_type(a)] = a;
	}
}

/* The whole buffer is a run of well-formed messages, one per origin. */
static void check_framing(const struct nlmsg_txn *txn, uint32_t seq0)
{
	const struct nlmsghdr *nlh = (const void *)txn->buf.data;
	int rem = txn->buf.len;
	size_t i = 0;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem), i++) {
		assert_true(i < txn->norigins);
		assert_ptr_equal(nlh, msg_at(txn, i));
		assert_int_equal(nlh->nlmsg_type, FAMILY);
		assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST);
		assert_int_equal(nlh->nlmsg_seq, (uint32_t)(seq0 + i));
		assert_int_equal(txn->origins[i].seq, nlh->nlmsg_seq);
		assert_int_equal(MNL_ALIGN(nlh->nlmsg_len), msg_len(txn, i));
	}
	assert_int_equal(rem, 0);
	assert_int_equal(i, txn->norigins);
}

static void test_begin(void **state)
{
	struct policy p = { .hooks = SGW_HOOK_F_FORWARD | SGW_HOOK_F_INPUT,
			    .flow_max = 5000 };
	const struct nlattr *tb[SGW_A_MAX + 1];
	struct nlmsg_txn txn;

	(void)state;
	assert_int_equal(nlmsg_pack_policy(&txn, FAMILY, 100, &p,
					   NLMSG_SGW_MAX, NULL), 0);
	assert_int_equal(txn.norigins, 1);
	check_framing(&txn, 100);
	assert_int_equal(genl_cmd(msg_at(&txn, 0)), SGW_CMD_TXN_BEGIN);
	assert_int_equal(txn.origins[0].kind, NLMSG_ORIGIN_BEGIN);
	top_attrs(msg_at(&txn, 0), tb, SGW_A_MAX);
	assert_int_equal(mnl_attr_validate(tb[SGW_A_HOOKS], MNL_TYPE_U32), 0);
	assert_int_equal(mnl_attr_get_u32(tb[SGW_A_HOOKS]),
			 SGW_HOOK_F_FORWARD | SGW_HOOK_F_INPUT);
	assert_int_equal(mnl_attr_validate(tb[SGW_A_FLOW_MAX], MNL_TYPE_U32), 0);
	assert_int_equal(mnl_attr_get_u32(tb[SGW_A_FLOW_MAX]), 5000);
	assert_null(tb[SGW_A_GENERATION]);
	assert_null(tb[SGW_A_TXN_FLAGS]);
	nlmsg_txn_free(&txn);

	/* No flow limit in the policy: the module's default stays. */
	p.flow_max = 0;
	assert_int_equal(nlmsg_pack_policy(&txn, FAMILY, 1, &p,
					   NLMSG_SGW_MAX, NULL), 0);
	top_attrs(msg_at(&txn, 0), tb, SGW_A_MAX);
	assert_non_null(tb[SGW_A_HOOKS]);
	assert_null(tb[SGW_A_FLOW_MAX]);
	/* set l7-deny reset, the default: no flags sent. */
	assert_null(tb[SGW_A_POLICY_FLAGS]);
	nlmsg_txn_free(&txn);

	p.flags = SGW_POLICY_F_L7_DROP;
	assert_int_equal(nlmsg_pack_policy(&txn, FAMILY, 1, &p,
					   NLMSG_SGW_MAX, NULL), 0);
	check_framing(&txn, 1);
	top_attrs(msg_at(&txn, 0), tb, SGW_A_MAX);
	assert_int_equal(mnl_attr_validate(tb[SGW_A_POLICY_FLAGS],
					   MNL_TYPE_U32), 0);
	assert_int_equal(mnl_attr_get_u32(tb[SGW_A_POLICY_FLAGS]),
			 SGW_POLICY_F_L7_DROP);
	nlmsg_txn_free(&txn);
}

/* Checks one ADD_SEGMENT message; returns its prefixes in *out. */
static size_t decode_segment(const struct nlmsghdr *nlh, uint16_t id,
			     const char *name, struct sgw_prefix *out)
{
	const struct nlattr *top[SGW_A_MAX + 1], *tb[SGW_SEG_A_MAX + 1];
	const struct nlattr *a;
	size_t n = 0;

	assert_int_equal(genl_cmd(nlh), SGW_CMD_TXN_ADD_SEGMENT);
	top_attrs(nlh, top, SGW_A_MAX);
	assert_non_null(top[SGW_A_SEGMENT]);
	assert_int_equal(mnl_attr_validate(top[SGW_A_SEGMENT],
					   MNL_TYPE_NESTED), 0);
	nested_attrs(top[SGW_A_SEGMENT], tb, SGW_SEG_A_MAX);
	assert_int_equal(mnl_attr_validate(tb[SGW_SEG_A_ID], MNL_TYPE_U16), 0);
	assert_int_equal(mnl_attr_get_u16(tb[SGW_SEG_A_ID]), id);
	assert_int_equal(mnl_attr_validate(tb[SGW_SEG_A_NAME],
					   MNL_TYPE_NUL_STRING), 0);
	assert_string_equal(mnl_attr_get_str(tb[SGW_SEG_A_NAME]), name);
	assert_non_null(tb[SGW_SEG_A_PREFIXES]);
	assert_null(tb[SGW_SEG_A_PREFIX]);
	mnl_attr_for_each_nested(a, tb[SGW_SEG_A_PREFIXES]) {
		assert_int_equal(mnl_attr_get_type(a), SGW_SEG_A_PREFIX);
		assert_int_equal(mnl_attr_get_payload_len(a),
				 sizeof(struct sgw_prefix));
		memcpy(&out[n++], mnl_attr_get_payload(a), sizeof(*out));
	}
	return n;
}

/* Header and fixed attributes of a segment message named @name. */
static size_t segment_overhead(const char *name)
{
	return MNL_NLMSG_HDRLEN + GENL_HDRLEN + MNL_ATTR_HDRLEN +
	       MNL_ALIGN(MNL_ATTR_HDRLEN + 2) +
	       MNL_ALIGN(MNL_ATTR_HDRLEN + strlen(name) + 1) + MNL_ATTR_HDRLEN;
}

enum { PREFIX_ATTR = MNL_ATTR_HDRLEN + sizeof(struct sgw_prefix) };

/* A limit that fits exactly @k prefixes per message: split at k, 2k... */
static void check_split(size_t k, size_t nprefixes)
{
	size_t msg_max = segment_overhead("db") + k * PREFIX_ATTR;
	size_t expect_msgs = nprefixes ? (nprefixes + k - 1) / k : 1;
	struct policy p = { .hooks = SGW_HOOK_F_FORWARD };
	struct sgw_prefix *got = calloc(nprefixes + 1, sizeof(*got));
	struct nlmsg_txn txn;
	size_t i, n = 0;

	add_segment(&p, "db", 7, nprefixes);
	assert_int_equal(nlmsg_pack_policy(&txn, FAMILY, 1, &p, msg_max,
					   NULL), 0);
	check_framing(&txn, 1);
	assert_int_equal(txn.norigins, 1 + expect_msgs);
	for (i = 1; i < txn.norigins; i++) {
		size_t got_here;

		assert_true(msg_at(&txn, i)->nlmsg_len <= msg_max);
		got_here = decode_segment(msg_at(&txn, i), 1, "db", got + n);
		/* Every message but the last is full. */
		if (i + 1 < txn.norigins)
			assert_int_equal(got_here, k);
		n += got_here;
		assert_int_equal(txn.origins[i].kind, NLMSG_ORIGIN_SEGMENT);
		assert_int_equal(txn.origins[i].index, 0);
		assert_int_equal(txn.origins[i].line, 7);
	}
	assert_int_equal(n, nprefixes);
	if (nprefixes)
		assert_memory_equal(got, p.segments[0].prefixes,
				    nprefixes * sizeof(*got));
	nlmsg_txn_free(&txn);
	free(got);
	free_policy(&p);
}

static void test_segment_split(void **state)
{
	(void)state;
	check_split(10, 0);	/* an empty segment still goes out */
	check_split(10, 1);
	check_split(10, 10);	/* exactly full: one message */
	check_split(10, 11);	/* one over: two */
	check_split(10, 20);
	check_split(10, 21);
	check_split(1, 5);
}

/* The real limit: a big segment stays within 32 KiB a message. */
static void test_segment_real_limit(void **state)
{
	struct policy p = { .hooks = SGW_HOOK_F_FORWARD };
	struct nlmsg_txn txn;
	size_t i, per = (NLMSG_SGW_MAX - segment_overhead("frontend")) /
			PREFIX_ATTR;
	struct sgw_prefix *got = calloc(5000, sizeof(*got));
	size_t n = 0;

	(void)state;
	add_segment(&p, "frontend", 3, 5000);
	assert_int_equal(nlmsg_pack_policy(&txn, FAMILY, 9, &p, NLMSG_SGW_MAX,
					   NULL), 0);
	check_framing(&txn, 9);
	assert_int_equal(txn.norigins, 1 + (5000 + per - 1) / per);
	for (i = 1; i < txn.norigins; i++) {
		assert_true(msg_at(&txn, i)->nlmsg_len <= NLMSG_SGW_MAX);
		n += decode_segment(msg_at(&txn, i), 1, "frontend", got + n);
	}
	assert_int_equal(n, 5000);
	assert_memory_equal(got, p.segments[0].prefixes, 5000 * sizeof(*got));
	nlmsg_txn_free(&txn);
	free(got);
	free_policy(&p);
}

static void check_rule(const struct nlmsghdr *nlh, const struct policy_rule *r)
{
	const struct nlattr *top[SGW_A_MAX + 1], *tb[SGW_RULE_A_MAX + 1];

	assert_int_equal(genl_cmd(nlh), SGW_CMD_TXN_ADD_RULE);
	top_attrs(nlh, top, SGW_A_MAX);
	assert_int_equal(mnl_attr_validate(top[SGW_A_RULE], MNL_TYPE_NESTED), 0);
	nested_attrs(top[SGW_A_RULE], tb, SGW_RULE_A_MAX);
	assert_int_equal(mnl_attr_validate(tb[SGW_RULE_A_ID], MNL_TYPE_U32), 0);
	assert_int_equal(mnl_attr_get_u32(tb[SGW_RULE_A_ID]), r->id);
	assert_int_equal(mnl_attr_validate(tb[SGW_RULE_A_LINE], MNL_TYPE_U32), 0);
	assert_int_equal(mnl_attr_get_u32(tb[SGW_RULE_A_LINE]), r->line);
	assert_int_equal(mnl_attr_get_payload_len(tb[SGW_RULE_A_SRCS]),
			 r->nsrcs * sizeof(uint16_t));
	assert_memory_equal(mnl_attr_get_payload(tb[SGW_RULE_A_SRCS]), r->srcs,
			    r->nsrcs * sizeof(uint16_t));
	assert_int_equal(mnl_attr_get_payload_len(tb[SGW_RULE_A_DSTS]),
			 r->ndsts * sizeof(uint16_t));
	assert_memory_equal(mnl_attr_get_payload(tb[SGW_RULE_A_DSTS]), r->dsts,
			    r->ndsts * sizeof(uint16_t));
	assert_int_equal(mnl_attr_validate(tb[SGW_RULE_A_PROTO], MNL_TYPE_U8), 0);
	assert_int_equal(mnl_attr_get_u8(tb[SGW_RULE_A_PROTO]), r->proto);
	if (r->nports) {
		assert_int_equal(mnl_attr_get_payload_len(tb[SGW_RULE_A_PORTS]),
				 r->nports * sizeof(struct sgw_port_range));
		assert_memory_equal(mnl_attr_get_payload(tb[SGW_RULE_A_PORTS]),
				    r->ports,
				    r->nports * sizeof(struct sgw_port_range));
	} else {
		assert_null(tb[SGW_RULE_A_PORTS]);
	}
	assert_int_equal(mnl_attr_validate(tb[SGW_RULE_A_FLAGS], MNL_TYPE_U32), 0);
	assert_int_equal(mnl_attr_get_u32(tb[SGW_RULE_A_FLAGS]), 0);
	assert_null(tb[SGW_RULE_A_COUNTERS]);
	if (!r->l7)
		assert_null(tb[SGW_RULE_A_L7]);
}

/*
 * The L7 nest of a rule message: app, flags, then every pattern of each
 * field in field order and list order, each a NUL-terminated string.
 */
static void check_l7(const struct nlmsghdr *nlh, const struct sgw_l7_rule *l7)
{
	const struct nlattr *top[SGW_A_MAX + 1], *tb[SGW_RULE_A_MAX + 1];
	const struct sgw_l7_pattern *set;
	const struct nlattr *a;
	unsigned int f = 0, i = 0, n = 0, k = 0;

	top_attrs(nlh, top, SGW_A_MAX);
	nested_attrs(top[SGW_A_RULE], tb, SGW_RULE_A_MAX);
	assert_int_equal(mnl_attr_validate(tb[SGW_RULE_A_L7], MNL_TYPE_NESTED),
			 0);
	set = sgw_l7_rule_patterns(l7, f, &n);
	mnl_attr_for_each_nested(a, tb[SGW_RULE_A_L7]) {
		uint16_t type = mnl_attr_get_type(a);

		if (k == 0) {
			assert_int_equal(type, SGW_L7_A_APP);
			assert_int_equal(mnl_attr_validate(a, MNL_TYPE_U8), 0);
			assert_int_equal(mnl_attr_get_u8(a), sgw_l7_rule_app(l7));
		} else if (k == 1) {
			assert_int_equal(type, SGW_L7_A_FLAGS);
			assert_int_equal(mnl_attr_validate(a, MNL_TYPE_U32), 0);
			assert_int_equal(mnl_attr_get_u32(a),
					 sgw_l7_rule_flags(l7));
		} else {
			while (i == n) {
				assert_true(++f < __SGW_L7_FIELD_MAX);
				set = sgw_l7_rule_patterns(l7, f, &n);
				i = 0;
			}
			assert_int_equal(type, sgw_l7_attr_of_field(f));
			assert_int_equal(mnl_attr_validate(a, MNL_TYPE_NUL_STRING),
					 0);
			assert_int_equal(mnl_attr_get_payload_len(a),
					 set[i].len + 1);
			assert_string_equal(mnl_attr_get_str(a), set[i].str);
			i++;
		}
		k++;
	}
	/* Every pattern went out, once. */
	for (f = 0, n = 0; f < __SGW_L7_FIELD_MAX; f++) {
		sgw_l7_rule_patterns(l7, f, &i);
		n += i;
	}
	assert_int_equal(k, 2 + n);
}

static struct sgw_l7_rule *l7_rule(uint8_t app, uint32_t flags, ...)
{
	struct sgw_l7_rule *l7 = sgw_l7_rule_alloc(app, flags);
	const char *pat;
	va_list ap;
	int f;

	assert_non_null(l7);
	va_start(ap, flags);
	while ((f = va_arg(ap, int)) >= 0) {
		pat = va_arg(ap, const char *);
		assert_int_equal(sgw_l7_rule_add(l7, f, pat, strlen(pat)), 0);
	}
	va_end(ap);
	return l7;
}

/* The rules of issue 3, built by hand: L7 rules 3 .. 7 of the policy. */
static void add_l7_rules(struct policy *p)
{
	static const uint16_t web[] = { 1 }, db[] = { 2 };
	static const uint16_t any[] = { SGW_SEG_ANY }, world[] = { SGW_SEG_WORLD };
	static const struct sgw_port_range http[] = { { 80, 80 } };
	static const struct sgw_port_range https[] = { { 443, 443 } };
	static const struct sgw_port_range dns[] = { { 53, 53 } };
	static const struct sgw_port_range ssh[] = { { 22, 22 } };

	add_rule(p, 0x5551, 20, any, 1, web, 1, IPPROTO_TCP, http, 1);
	p->rules[p->nrules - 1].l7 = l7_rule(SGW_APP_HTTP, 0,
		SGW_L7_FIELD_HOST, "shop.example.com",
		SGW_L7_FIELD_HOST, "*.shop.example.com",
		SGW_L7_FIELD_METHOD, "GET", SGW_L7_FIELD_METHOD, "POST",
		SGW_L7_FIELD_PATH, "/api/*", -1);
	add_rule(p, 0x5552, 21, any, 1, web, 1, IPPROTO_TCP, https, 1);
	p->rules[p->nrules - 1].l7 = l7_rule(SGW_APP_TLS,
		SGW_L7_F_NO_SNI | SGW_L7_F_ECH,
		SGW_L7_FIELD_SNI, "shop.example.com",
		SGW_L7_FIELD_ALPN, "h2", SGW_L7_FIELD_ALPN, "http/1.1", -1);
	add_rule(p, 0x5553, 22, web, 1, world, 1, IPPROTO_UDP, dns, 1);
	p->rules[p->nrules - 1].l7 = l7_rule(SGW_APP_DNS, 0,
		SGW_L7_FIELD_QNAME, "*.corp.example",
		SGW_L7_FIELD_QNAME, "*.debian.org", -1);
	add_rule(p, 0x5554, 23, web, 1, db, 1, IPPROTO_TCP, ssh, 1);
	p->rules[p->nrules - 1].l7 = l7_rule(SGW_APP_SSH, 0, -1);
	add_rule(p, 0x5555, 24, web, 1, db, 1, IPPROTO_UDP, NULL, 0);
	p->rules[p->nrules - 1].l7 = l7_rule(SGW_APP_UNCLASSIFIED, 0, -1);
}

static void assert_l7_equal(const struct sgw_l7_rule *a,
			    const struct sgw_l7_rule *b)
{
	const struct sgw_l7_pattern *x, *y;
	unsigned int f, i, nx, ny;

	if (!a) {
		assert_null(b);
		return;
	}
	assert_non_null(b);
	assert_int_equal(sgw_l7_rule_app(a), sgw_l7_rule_app(b));
	assert_int_equal(sgw_l7_rule_flags(a), sgw_l7_rule_flags(b));
	for (f = 0; f < __SGW_L7_FIELD_MAX; f++) {
		x = sgw_l7_rule_patterns(a, f, &nx);
		y = sgw_l7_rule_patterns(b, f, &ny);
		assert_int_equal(nx, ny);
		for (i = 0; i < nx; i++) {
			assert_int_equal(x[i].len, y[i].len);
			assert_string_equal(x[i].str, y[i].str);
		}
	}
}

/* Two segments (one split), three rules: a small whole policy. */
static void sample_policy(struct policy *p)
{
	static const uint16_t web[] = { 1 }, db[] = { 2 };
	static const uint16_t any[] = { SGW_SEG_ANY }, world[] = { SGW_SEG_WORLD };
	static const uint16_t both[] = { 1, 2, SGW_SEG_WORLD };
	static const struct sgw_port_range pg[] = { { 5432, 5432 } };
	static const struct sgw_port_range many[] = { { 80, 80 }, { 443, 443 },
						      { 8000, 8099 } };

	memset(p, 0, sizeof(*p));
	p->hooks = SGW_HOOK_F_FORWARD;
	add_segment(p, "web", 3, 4);
	add_segment(p, "db", 4, 25);
	add_rule(p, 0x1111, 10, web, 1, db, 1, IPPROTO_TCP, pg, 1);
	add_rule(p, 0x2222, 12, any, 1, world, 1, IPPROTO_ICMP, NULL, 0);
	add_rule(p, 0x3333, 15, both, 3, web, 1, IPPROTO_TCP, many, 3);
}

/* An update: BEGIN with the flag and generation, deletions, then rules. */
static void test_update(void **state)
{
	const struct nlattr *tb[SGW_A_MAX + 1], *rt[SGW_RULE_A_MAX + 1];
	static const uint32_t dels[] = { 0xdead, 0xbeef };
	struct nlmsg_txn txn;
	struct policy p;
	size_t i;

	(void)state;
	sample_policy(&p);
	assert_int_equal(nlmsg_pack_update(&txn, FAMILY, 40, 7, dels, 2, &p,
					   NULL), 0);
	assert_int_equal(txn.norigins, 1 + 2 + p.nrules);
	check_framing(&txn, 40);
	assert_int_equal(genl_cmd(msg_at(&txn, 0)), SGW_CMD_TXN_BEGIN);
	top_attrs(msg_at(&txn, 0), tb, SGW_A_MAX);
	assert_int_equal(mnl_attr_get_u32(tb[SGW_A_TXN_FLAGS]),
			 SGW_TXN_F_UPDATE);
	assert_int_equal(mnl_attr_get_u32(tb[SGW_A_GENERATION]), 7);
	/* The module refuses an update that names hooks or limits. */
	assert_null(tb[SGW_A_HOOKS]);
	assert_null(tb[SGW_A_FLOW_MAX]);
	assert_null(tb[SGW_A_POLICY_FLAGS]);
	for (i = 0; i < 2; i++) {
		const struct nlmsghdr *nlh = msg_at(&txn, 1 + i);

		assert_int_equal(genl_cmd(nlh), SGW_CMD_TXN_DEL_RULE);
		assert_int_equal(txn.origins[1 + i].kind, NLMSG_ORIGIN_DELETE);
		assert_int_equal(txn.origins[1 + i].index, i);
		top_attrs(nlh, tb, SGW_A_MAX);
		nested_attrs(tb[SGW_A_RULE], rt, SGW_RULE_A_MAX);
		assert_int_equal(mnl_attr_get_u32(rt[SGW_RULE_A_ID]), dels[i]);
		assert_null(rt[SGW_RULE_A_SRCS]);
	}
	/* No segment goes out: the live policy's stay. */
	for (i = 0; i < p.nrules; i++) {
		assert_int_equal(txn.origins[3 + i].kind, NLMSG_ORIGIN_RULE);
		check_rule(msg_at(&txn, 3 + i), &p.rules[i]);
	}
	nlmsg_txn_free(&txn);

	/* Only deletions. */
	assert_int_equal(nlmsg_pack_update(&txn, FAMILY, 1, 7, dels, 1, NULL,
					   NULL), 0);
	assert_int_equal(txn.norigins, 2);
	check_framing(&txn, 1);
	nlmsg_txn_free(&txn);
	free_policy(&p);
}

/* A names-only segment dump: no prefixes, ascending ids, no search. */
static void test_parse_segment_names(void **state)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct sgw_dump d = { 0 };
	struct nlattr *seg;
	struct nlmsghdr *nlh;
	uint16_t id;
	char name[16];

	(void)state;
	for (id = 1; id <= 300; id++) {
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = FAMILY;
		mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
		seg = mnl_attr_nest_start(nlh, SGW_A_SEGMENT);
		mnl_attr_put_u16(nlh, SGW_SEG_A_ID, id);
		snprintf(name, sizeof(name), "s%u", id);
		mnl_attr_put_strz(nlh, SGW_SEG_A_NAME, name);
		mnl_attr_nest_end(nlh, seg);
		assert_int_equal(nlmsg_parse_segment(nlh, &d), 0);
	}
	assert_int_equal(d.policy.nsegments, 300);
	assert_string_equal(d.policy.segments[299].name, "s300");
	assert_int_equal(d.policy.segments[299].nprefixes, 0);
	assert_null(d.policy.segments[299].prefixes);
	assert_string_equal(policy_segment_name(&d.policy, 123), "s123");
	nlmsg_dump_free(&d);
}

static void test_rules(void **state)
{
	struct policy p;
	struct nlmsg_txn txn;
	size_t i;

	(void)state;
	sample_policy(&p);
	assert_int_equal(nlmsg_pack_policy(&txn, FAMILY, 50, &p, NLMSG_SGW_MAX,
					   NULL), 0);
	check_framing(&txn, 50);
	/* begin, web, db, three rules */
	assert_int_equal(txn.norigins, 6);
	for (i = 0; i < 3; i++) {
		check_rule(msg_at(&txn, 3 + i), &p.rules[i]);
		assert_int_equal(txn.origins[3 + i].kind, NLMSG_ORIGIN_RULE);
		assert_int_equal(txn.origins[3 + i].index, i);
		assert_int_equal(txn.origins[3 + i].line, p.rules[i].line);
	}
	nlmsg_txn_free(&txn);
	free_policy(&p);
}

static void test_l7_rules(void **state)
{
	struct nlmsg_txn txn;
	struct policy p;
	size_t i;

	(void)state;
	sample_policy(&p);
	add_l7_rules(&p);
	assert_int_equal(nlmsg_pack_policy(&txn, FAMILY, 50, &p, NLMSG_SGW_MAX,
					   NULL), 0);
	check_framing(&txn, 50);
	assert_int_equal(txn.norigins, 3 + p.nrules);
	for (i = 0; i < p.nrules; i++) {
		check_rule(msg_at(&txn, 3 + i), &p.rules[i]);
		if (p.rules[i].l7)
			check_l7(msg_at(&txn, 3 + i), p.rules[i].l7);
		assert_int_equal(txn.origins[3 + i].line, p.rules[i].line);
	}
	nlmsg_txn_free(&txn);
	free_policy(&p);
}

/* Patterns count towards a rule's size: too many is -E2BIG, not a
 * truncated rule.
 */
static void test_l7_rule_too_big(void **state)
{
	static const uint16_t one[] = { 1 };
	struct sgw_l7_rule *l7;
	struct nlmsg_txn txn;
	char name[256];
	struct policy p;
	size_t bad = 99;
	unsigned int i;

	(void)state;
	sample_policy(&p);
	add_rule(&p, 0x4444, 20, one, 1, one, 1, IPPROTO_TCP, NULL, 0);
	l7 = sgw_l7_rule_alloc(SGW_APP_HTTP, 0);
	assert_non_null(l7);
	p.rules[3].l7 = l7;
	/* 256 hosts of 197 bytes fit; 256 paths of 250 more do not. */
	for (i = 0; i < SGW_L7_PATTERNS_MAX; i++) {
		/* "hNNN." and three labels of 63: 197 bytes. */
		snprintf(name, sizeof(name), "h%03u.%063u.%063u.%063u", i, 0,
			 0, 0);
		assert_int_equal(sgw_l7_rule_add(l7, SGW_L7_FIELD_HOST, name,
						 strlen(name)), 0);
	}
	assert_int_equal(nlmsg_pack_policy(&txn, FAMILY, 1, &p, NLMSG_SGW_MAX,
					   &bad), 0);
	assert_int_equal(bad, 99);
	assert_true(msg_at(&txn, 6)->nlmsg_len > NLMSG_SGW_MAX);
	assert_true(msg_at(&txn, 6)->nlmsg_len < UINT16_MAX);
	check_l7(msg_at(&txn, 6), l7);
	nlmsg_txn_free(&txn);
	for (i = 0; i < SGW_L7_PATTERNS_MAX; i++) {
		snprintf(name, sizeof(name), "/%03u/%0245u", i, 0);
		assert_int_equal(sgw_l7_rule_add(l7, SGW_L7_FIELD_PATH, name,
						 strlen(name)), 0);
	}
	assert_int_equal(nlmsg_pack_policy(&txn, FAMILY, 1, &p, NLMSG_SGW_MAX,
					   &bad), -E2BIG);
	assert_int_equal(bad, 3);
	assert_null(txn.buf.data);
	assert_int_equal(txn.norigins, 0);
	free_policy(&p);
}

static void test_rule_too_big(void **state)
{
	uint16_t *srcs = calloc(40000, sizeof(*srcs));
	static const uint16_t one[] = { 1 };
	struct nlmsg_txn txn;
	struct policy p;
	size_t bad = 99;

	(void)state;
	sample_policy(&p);
	add_rule(&p, 0x4444, 20, srcs, 40000, one, 1, 0, NULL, 0);
	assert_int_equal(nlmsg_pack_policy(&txn, FAMILY, 1, &p, NLMSG_SGW_MAX,
					   &bad), -E2BIG);
	assert_int_equal(bad, 3);
	assert_null(txn.buf.data);
	assert_int_equal(txn.norigins, 0);
	free(srcs);
	free_policy(&p);
}

/* Every sequence number leads back to the line it came from, across the
 * wrap of the 32-bit counter too.
 */
static void test_origins(void **state)
{
	static const struct {
		enum nlmsg_origin_kind kind;
		size_t index;
		unsigned int line;
	} want[] = {
		{ NLMSG_ORIGIN_BEGIN, 0, 0 },
		{ NLMSG_ORIGIN_SEGMENT, 0, 3 },
		{ NLMSG_ORIGIN_SEGMENT, 1, 4 },
		{ NLMSG_ORIGIN_SEGMENT, 1, 4 },
		{ NLMSG_ORIGIN_SEGMENT, 1, 4 },
		{ NLMSG_ORIGIN_RULE, 0, 10 },
		{ NLMSG_ORIGIN_RULE, 1, 12 },
		{ NLMSG_ORIGIN_RULE, 2, 15 },
	};
	uint32_t seq0 = UINT32_MAX - 3;
	const struct nlmsg_origin *o;
	struct nlmsg_txn txn;
	struct policy p;
	size_t i;

	(void)state;
	sample_policy(&p);
	/* db (25 prefixes) goes out as 10 + 10 + 5. */
	assert_int_equal(nlmsg_pack_policy(&txn, FAMILY, seq0, &p,
					   segment_overhead("db") +
					   10 * PREFIX_ATTR, NULL), 0);
	check_framing(&txn, seq0);
	assert_int_equal(txn.norigins, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < txn.norigins; i++) {
		o = nlmsg_txn_origin(&txn, seq0 + i);
		assert_non_null(o);
		assert_ptr_equal(o, &txn.origins[i]);
		assert_int_equal(o->kind, want[i].kind);
		assert_int_equal(o->index, want[i].index);
		assert_int_equal(o->line, want[i].line);
	}
	assert_null(nlmsg_txn_origin(&txn, seq0 - 1));
	assert_null(nlmsg_txn_origin(&txn, seq0 + txn.norigins));
	assert_null(nlmsg_txn_origin(&txn, 12345));
	nlmsg_txn_free(&txn);
	free_policy(&p);
}

/* Batches for sendmsg: whole messages, within the limit, covering all. */
static void test_chunks(void **state)
{
	struct nlmsg_txn txn;
	struct policy p;
	size_t first, end, max, n, total;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.hooks = SGW_HOOK_F_FORWARD;
	add_segment(&p, "big", 1, 4000);
	add_segment(&p, "small", 2, 3);
	assert_int_equal(nlmsg_pack_policy(&txn, FAMILY, 1, &p, NLMSG_SGW_MAX,
					   NULL), 0);
	for (max = 100; max <= 3 * NLMSG_BATCH_MAX; max = max * 3 + 7) {
		total = 0;
		n = 0;
		for (first = 0; first < txn.norigins; first = end) {
			size_t from = txn.origins[first].offset, to;

			end = nlmsg_txn_chunk(&txn, first, max);
			assert_true(end > first);
			to = end < txn.norigins ? txn.origins[end].offset
						: txn.buf.len;
			/* Over the limit only when one message is. */
			if (to - from > max)
				assert_int_equal(end, first + 1);
			/* Greedy: the next message would not have fit. */
			if (end < txn.norigins)
				assert_true(to - from + msg_len(&txn, end) > max);
			total += to - from;
			n++;
		}
		assert_int_equal(total, txn.buf.len);
		assert_true(n >= 1);
	}
	assert_int_equal(nlmsg_txn_chunk(&txn, txn.norigins, 100),
			 txn.norigins);
	nlmsg_txn_free(&txn);
	free_policy(&p);
}

/*
 * Decode what was encoded: the packed segment and rule nests are the same
 * as the module's dumps, so the dump parsers rebuild the policy.
 */
static void test_pack_parse_round_trip(void **state)
{
	struct sgw_dump d = { 0 };
	struct nlmsg_txn txn;
	struct policy p;
	size_t i;

	(void)state;
	sample_policy(&p);
	add_l7_rules(&p);
	assert_int_equal(nlmsg_pack_policy(&txn, FAMILY, 1, &p,
					   segment_overhead("db") +
					   7 * PREFIX_ATTR, NULL), 0);
	for (i = 0; i < txn.norigins; i++) {
		const struct nlmsghdr *nlh = msg_at(&txn, i);

		if (txn.origins[i].kind == NLMSG_ORIGIN_SEGMENT)
			assert_int_equal(nlmsg_parse_segment(nlh, &d), 0);
		else if (txn.origins[i].kind == NLMSG_ORIGIN_RULE)
			assert_int_equal(nlmsg_parse_rule(nlh, &d), 0);
	}
	assert_int_equal(d.policy.nsegments, p.nsegments);
	for (i = 0; i < p.nsegments; i++) {
		const struct policy_segment *a = &p.segments[i];
		const struct policy_segment *b = &d.policy.segments[i];

		assert_string_equal(a->name, b->name);
		assert_int_equal(a->id, b->id);
		assert_int_equal(a->nprefixes, b->nprefixes);
		assert_memory_equal(a->prefixes, b->prefixes,
				    a->nprefixes * sizeof(*a->prefixes));
	}
	assert_int_equal(d.policy.nrules, p.nrules);
	for (i = 0; i < p.nrules; i++) {
		const struct policy_rule *a = &p.rules[i];
		const struct policy_rule *b = &d.policy.rules[i];

		assert_int_equal(a->id, b->id);
		assert_int_equal(a->line, b->line);
		assert_int_equal(a->proto, b->proto);
		assert_int_equal(a->nsrcs, b->nsrcs);
		assert_memory_equal(a->srcs, b->srcs, a->nsrcs * 2);
		assert_int_equal(a->ndsts, b->ndsts);
		assert_memory_equal(a->dsts, b->dsts, a->ndsts * 2);
		assert_int_equal(a->nports, b->nports);
		if (a->nports)
			assert_memory_equal(a->ports, b->ports, a->nports * 4);
		else
			assert_null(b->ports);
		assert_l7_equal(a->l7, b->l7);
		assert_false(d.counters[i].present);
	}
	nlmsg_dump_free(&d);
	nlmsg_txn_free(&txn);
	free_policy(&p);
}

/* Replies as the kernel builds them. */
static struct nlmsghdr *reply(char *buf, uint16_t type, uint16_t flags,
			      uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = PORTID;
	if (type >= NLMSG_MIN_TYPE) {
		struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh,
								  sizeof(*g));
		g->cmd = SGW_CMD_GET_STATUS;
		g->version = SGW_GENL_VERSION;
	}
	return nlh;
}

/*
 * An NLMSG_ERROR for @req: capped (NETLINK_CAP_ACK) or echoing the whole
 * request, with an extack message when @msg.
 */
static struct nlmsghdr *error_reply(char *buf, const struct nlmsghdr *req,
				    int err, const char *msg, bool capped)
{
	struct nlmsghdr *nlh = reply(buf, NLMSG_ERROR, 0, req->nlmsg_seq);
	size_t echo = capped ? sizeof(*req) : req->nlmsg_len;
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(int) +
							echo);

	e->error = err;
	memcpy(&e->msg, req, echo);
	if (capped)
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	}
	return nlh;
}

static void test_parse_error(void **state)
{
	char req_buf[256], buf[1024];
	struct nlmsghdr *req = reply(req_buf, FAMILY, NLM_F_REQUEST, 77);
	struct nlmsg_error e;

	(void)state;
	mnl_attr_put_u32(req, SGW_A_HOOKS, 1);
	mnl_attr_put_u32(req, SGW_A_FLOW_MAX, 9);

	nlmsg_parse_error(error_reply(buf, req, -EINVAL, "unknown segment",
				      true), &e);
	assert_int_equal(e.err, -EINVAL);
	assert_int_equal(e.seq, 77);
	assert_string_equal(e.msg, "unknown segment");

	/* Not capped: the extack comes after the echoed request. */
	nlmsg_parse_error(error_reply(buf, req, -ERANGE, "port range reversed",
				      false), &e);
	assert_int_equal(e.err, -ERANGE);
	assert_string_equal(e.msg, "port range reversed");

	nlmsg_parse_error(error_reply(buf, req, -EPERM, NULL, true), &e);
	assert_int_equal(e.err, -EPERM);
	assert_string_equal(e.msg, "");

	nlmsg_parse_error(error_reply(buf, req, 0, NULL, true), &e);
	assert_int_equal(e.err, 0);
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	++*(int *)data;
	return 0;
}

/* Appends @nlh's bytes to @out at *len. */
static void append(char *out, size_t *len, const struct nlmsghdr *nlh)
{
	memcpy(out + *len, nlh, nlh->nlmsg_len);
	*len += MNL_ALIGN(nlh->nlmsg_len);
}

/*
 * A batch of messages 10..14, the last with NLM_F_ACK: errors come for 11
 * and 13, then the ack of 14. The first error is the one reported, with
 * its extack and sequence number; leftovers of another exchange and other
 * sockets are skipped.
 */
static void test_exchange_batch(void **state)
{
	char req_buf[256], tmp[1024], out[8192];
	struct nlmsghdr *req = reply(req_buf, FAMILY, NLM_F_REQUEST, 0);
	struct nlmsg_exchange x;
	struct nlmsghdr *nlh;
	size_t len = 0;
	int calls = 0;

	(void)state;
	nlmsg_exchange_init(&x, PORTID, 10, 14, false, count_cb, &calls);

	req->nlmsg_seq = 9;	/* stale, from before */
	append(out, &len, error_reply(tmp, req, -EBUSY, "old", true));
	req->nlmsg_seq = 11;
	nlh = error_reply(tmp, req, -EINVAL, "segment 9 does not exist", true);
	nlh->nlmsg_pid = PORTID + 1;	/* someone else's */
	append(out, &len, nlh);
	append(out, &len, error_reply(tmp, req, -ENOENT,
				      "segment 9 does not exist", true));
	assert_int_equal(nlmsg_exchange_feed(&x, out, len), 0);
	assert_false(x.done);
	assert_int_equal(x.error.err, -ENOENT);
	assert_int_equal(x.error.seq, 11);

	/* A second recv(): a later error does not replace the first. */
	len = 0;
	req->nlmsg_seq = 13;
	append(out, &len, error_reply(tmp, req, -EINVAL, "later", true));
	req->nlmsg_seq = 14;
	append(out, &len, error_reply(tmp, req, 0, NULL, true));
	req->nlmsg_seq = 15;	/* after the end: not ours */
	append(out, &len, error_reply(tmp, req, -EIO, NULL, true));
	assert_int_equal(nlmsg_exchange_feed(&x, out, len), 0);
	assert_true(x.done);
	assert_int_equal(x.error.err, -ENOENT);
	assert_int_equal(x.error.seq, 11);
	assert_string_equal(x.error.msg, "segment 9 does not exist");
	assert_int_equal(calls, 0);
	assert_false(x.intr);
}

/* A doit: its reply goes to the callback, the ack ends it. */
static void test_exchange_doit(void **state)
{
	char req_buf[256], tmp[1024], out[4096];
	struct nlmsghdr *req = reply(req_buf, FAMILY, NLM_F_REQUEST, 5);
	struct nlmsg_exchange x;
	struct nlmsghdr *nlh;
	size_t len = 0;
	int calls = 0;

	(void)state;
	nlmsg_exchange_init(&x, PORTID, 5, 5, false, count_cb, &calls);
	nlh = reply(tmp, FAMILY, 0, 5);
	mnl_attr_put_u32(nlh, SGW_A_GENERATION, 3);
	append(out, &len, nlh);
	append(out, &len, error_reply(tmp, req, 0, NULL, true));
	assert_int_equal(nlmsg_exchange_feed(&x, out, len), 0);
	assert_true(x.done);
	assert_int_equal(x.error.err, 0);
	assert_int_equal(calls, 1);
}

/* A dump: multi-part messages, one flagged interrupted, then DONE. */
static void test_exchange_dump(void **state)
{
	char tmp[1024], out[4096];
	struct nlmsg_exchange x;
	struct nlmsghdr *nlh;
	size_t len = 0;
	int calls = 0, zero = 0;

	(void)state;
	nlmsg_exchange_init(&x, PORTID, 8, 8, true, count_cb, &calls);
	append(out, &len, reply(tmp, FAMILY, NLM_F_MULTI, 8));
	append(out, &len, reply(tmp, FAMILY, NLM_F_MULTI | NLM_F_DUMP_INTR, 8));
	assert_int_equal(nlmsg_exchange_feed(&x, out, len), 0);
	assert_false(x.done);
	assert_true(x.intr);
	len = 0;
	nlh = reply(tmp, NLMSG_DONE, NLM_F_MULTI, 8);
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(int)), &zero,
	       sizeof(zero));
	append(out, &len, nlh);
	assert_int_equal(nlmsg_exchange_feed(&x, out, len), 0);
	assert_true(x.done);
	assert_int_equal(x.error.err, 0);
	assert_int_equal(calls, 2);
}

/* A dump refused at its end: DONE carries -errno and extack. */
static void test_exchange_dump_error(void **state)
{
	char tmp[1024];
	struct nlmsg_exchange x;
	struct nlmsghdr *nlh;
	int err = -EPERM;

	(void)state;
	nlmsg_exchange_init(&x, PORTID, 8, 8, true, NULL, NULL);
	nlh = reply(tmp, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, 8);
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(int)), &err,
	       sizeof(err));
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "not allowed");
	assert_int_equal(nlmsg_exchange_feed(&x, tmp, nlh->nlmsg_len), 0);
	assert_true(x.done);
	assert_int_equal(x.error.err, -EPERM);
	assert_string_equal(x.error.msg, "not allowed");
}

static struct nlmsghdr *segment_reply(char *buf, uint16_t id,
				      const char *name, uint32_t first,
				      size_t n)
{
	struct nlmsghdr *nlh = reply(buf, FAMILY, NLM_F_MULTI, 1);
	struct nlattr *seg, *pfx;
	size_t i;

	seg = mnl_attr_nest_start(nlh, SGW_A_SEGMENT);
	mnl_attr_put_u16(nlh, SGW_SEG_A_ID, id);
	mnl_attr_put_strz(nlh, SGW_SEG_A_NAME, name);
	pfx = mnl_attr_nest_start(nlh, SGW_SEG_A_PREFIXES);
	for (i = 0; i < n; i++) {
		struct sgw_prefix p = v4(first + i, 24);

		mnl_attr_put(nlh, SGW_SEG_A_PREFIX, sizeof(p), &p);
	}
	mnl_attr_nest_end(nlh, pfx);
	mnl_attr_nest_end(nlh, seg);
	return nlh;
}

static void test_parse_segments(void **state)
{
	char buf[4096];
	struct sgw_dump d = { 0 };
	struct sgw_prefix want;
	struct nlmsghdr *nlh;

	(void)state;
	/* "web" split over two messages, then "db". */
	assert_int_equal(nlmsg_parse_segment(segment_reply(buf, 1, "web", 0, 3),
					     &d), 0);
	assert_int_equal(nlmsg_parse_segment(segment_reply(buf, 1, "web", 3, 2),
					     &d), 0);
	assert_int_equal(nlmsg_parse_segment(segment_reply(buf, 2, "db", 100, 1),
					     &d), 0);
	assert_int_equal(d.policy.nsegments, 2);
	assert_string_equal(d.policy.segments[0].name, "web");
	assert_int_equal(d.policy.segments[0].id, 1);
	assert_int_equal(d.policy.segments[0].nprefixes, 5);
	want = v4(4, 24);
	assert_memory_equal(&d.policy.segments[0].prefixes[4], &want,
			    sizeof(want));
	assert_string_equal(d.policy.segments[1].name, "db");
	assert_int_equal(d.policy.segments[1].nprefixes, 1);

	/* A prefix of the wrong size is refused. */
	nlh = reply(buf, FAMILY, NLM_F_MULTI, 1);
	{
		struct nlattr *seg = mnl_attr_nest_start(nlh, SGW_A_SEGMENT);
		struct nlattr *pfx;

		mnl_attr_put_u16(nlh, SGW_SEG_A_ID, 3);
		pfx = mnl_attr_nest_start(nlh, SGW_SEG_A_PREFIXES);
		mnl_attr_put(nlh, SGW_SEG_A_PREFIX, 8, "12345678");
		mnl_attr_nest_end(nlh, pfx);
		mnl_attr_nest_end(nlh, seg);
	}
	assert_int_equal(nlmsg_parse_segment(nlh, &d), -EBADMSG);
	assert_int_equal(d.policy.nsegments, 2);
	nlmsg_dump_free(&d);
}

static void test_parse_rule_counters(void **state)
{
	static const uint16_t srcs[] = { 1, 2 }, dsts[] = { SGW_SEG_ANY };
	char buf[1024];
	struct sgw_dump d = { 0 };
	struct nlmsghdr *nlh = reply(buf, FAMILY, NLM_F_MULTI, 1);
	struct nlattr *rule, *cnt;

	(void)state;
	rule = mnl_attr_nest_start(nlh, SGW_A_RULE);
	mnl_attr_put_u32(nlh, SGW_RULE_A_ID, 0xdeadbeef);
	mnl_attr_put_u32(nlh, SGW_RULE_A_LINE, 42);
	mnl_attr_put(nlh, SGW_RULE_A_SRCS, sizeof(srcs), srcs);
	mnl_attr_put(nlh, SGW_RULE_A_DSTS, sizeof(dsts), dsts);
	mnl_attr_put_u8(nlh, SGW_RULE_A_PROTO, IPPROTO_UDP);
	mnl_attr_put_u32(nlh, SGW_RULE_A_FLAGS, 0);
	cnt = mnl_attr_nest_start(nlh, SGW_RULE_A_COUNTERS);
	mnl_attr_put_u64(nlh, SGW_CNT_A_PACKETS, 1ULL << 40);
	mnl_attr_put_u64(nlh, SGW_CNT_A_BYTES, 123456789012ULL);
	mnl_attr_put_u64(nlh, SGW_CNT_A_FLOWS, 7);
	mnl_attr_nest_end(nlh, cnt);
	mnl_attr_nest_end(nlh, rule);

	assert_int_equal(nlmsg_parse_rule(nlh, &d), 0);
	assert_int_equal(d.policy.nrules, 1);
	assert_int_equal(d.policy.rules[0].id, 0xdeadbeef);
	assert_int_equal(d.policy.rules[0].line, 42);
	assert_int_equal(d.policy.rules[0].nsrcs, 2);
	assert_int_equal(d.policy.rules[0].srcs[1], 2);
	assert_int_equal(d.policy.rules[0].ndsts, 1);
	assert_int_equal(d.policy.rules[0].dsts[0], SGW_SEG_ANY);
	assert_int_equal(d.policy.rules[0].proto, IPPROTO_UDP);
	assert_int_equal(d.policy.rules[0].nports, 0);
	assert_true(d.counters[0].present);
	assert_int_equal(d.counters[0].packets, 1ULL << 40);
	assert_int_equal(d.counters[0].bytes, 123456789012ULL);
	assert_int_equal(d.counters[0].flows, 7);
	/* Never hit: the module sends no hit times. */
	assert_int_equal(d.counters[0].first_hit, 0);
	assert_int_equal(d.counters[0].last_hit, 0);
	nlmsg_dump_free(&d);
}

/* A rule message whose counters nest @put writes. */
static struct nlmsghdr *counters_reply(char *buf, uint32_t id,
				       void (*put)(struct nlmsghdr *nlh))
{
	static const uint16_t one[] = { 1 };
	struct nlmsghdr *nlh = reply(buf, FAMILY, NLM_F_MULTI, 1);
	struct nlattr *rule, *cnt;

	rule = mnl_attr_nest_start(nlh, SGW_A_RULE);
	mnl_attr_put_u32(nlh, SGW_RULE_A_ID, id);
	mnl_attr_put(nlh, SGW_RULE_A_SRCS, sizeof(one), one);
	mnl_attr_put(nlh, SGW_RULE_A_DSTS, sizeof(one), one);
	mnl_attr_put_u8(nlh, SGW_RULE_A_PROTO, IPPROTO_TCP);
	cnt = mnl_attr_nest_start(nlh, SGW_RULE_A_COUNTERS);
	put(nlh);
	mnl_attr_nest_end(nlh, cnt);
	mnl_attr_nest_end(nlh, rule);
	return nlh;
}

static void put_hit_times(struct nlmsghdr *nlh)
{
	mnl_attr_put_u64(nlh, SGW_CNT_A_PACKETS, 10);
	mnl_attr_put_u64(nlh, SGW_CNT_A_BYTES, 840);
	mnl_attr_put_u64(nlh, SGW_CNT_A_FLOWS, 2);
	mnl_attr_put_u64(nlh, SGW_CNT_A_FIRST_HIT, 1767608523);
	mnl_attr_put_u64(nlh, SGW_CNT_A_LAST_HIT, 1767612123);
}

/* A hit time as a u32: the module's are u64, anything else is refused. */
static void put_short_hit_time(struct nlmsghdr *nlh)
{
	mnl_attr_put_u64(nlh, SGW_CNT_A_FLOWS, 1);
	mnl_attr_put_u32(nlh, SGW_CNT_A_LAST_HIT, 1767612123);
}

/* Counters of a module newer than sgctl: unknown attributes are skipped. */
static void put_newer_counter(struct nlmsghdr *nlh)
{
	mnl_attr_put_u64(nlh, SGW_CNT_A_FLOWS, 3);
	mnl_attr_put_u64(nlh, SGW_CNT_A_LAST_HIT, 1767612123);
	mnl_attr_put_u64(nlh, SGW_CNT_A_MAX + 1, 99);
}

static void test_parse_rule_hit_times(void **state)
{
	char buf[1024];
	struct sgw_dump d = { 0 };

	(void)state;
	assert_int_equal(nlmsg_parse_rule(counters_reply(buf, 0x10,
							 put_hit_times), &d),
			 0);
	assert_int_equal(d.policy.nrules, 1);
	assert_true(d.counters[0].present);
	assert_int_equal(d.counters[0].packets, 10);
	assert_int_equal(d.counters[0].bytes, 840);
	assert_int_equal(d.counters[0].flows, 2);
	assert_int_equal(d.counters[0].first_hit, 1767608523);
	assert_int_equal(d.counters[0].last_hit, 1767612123);

	assert_int_equal(nlmsg_parse_rule(counters_reply(buf, 0x11,
							 put_short_hit_time),
					  &d),
			 -EBADMSG);
	assert_int_equal(d.policy.nrules, 1);

	assert_int_equal(nlmsg_parse_rule(counters_reply(buf, 0x12,
							 put_newer_counter),
					  &d),
			 0);
	assert_int_equal(d.policy.nrules, 2);
	assert_int_equal(d.policy.rules[1].id, 0x12);
	assert_int_equal(d.counters[1].flows, 3);
	assert_int_equal(d.counters[1].first_hit, 0);
	assert_int_equal(d.counters[1].last_hit, 1767612123);
	/* The first rule's counters are where they were. */
	assert_int_equal(d.counters[0].last_hit, 1767612123);
	assert_int_equal(d.counters[0].first_hit, 1767608523);
	nlmsg_dump_free(&d);
}

/* A rule message with an L7 nest whose attributes @put writes. */
static struct nlmsghdr *l7_reply(char *buf,
				 void (*put)(struct nlmsghdr *nlh))
{
	static const uint16_t one[] = { 1 };
	struct nlmsghdr *nlh = reply(buf, FAMILY, NLM_F_MULTI, 1);
	struct nlattr *rule, *l7;

	rule = mnl_attr_nest_start(nlh, SGW_A_RULE);
	mnl_attr_put_u32(nlh, SGW_RULE_A_ID, 0x77);
	mnl_attr_put(nlh, SGW_RULE_A_SRCS, sizeof(one), one);
	mnl_attr_put(nlh, SGW_RULE_A_DSTS, sizeof(one), one);
	mnl_attr_put_u8(nlh, SGW_RULE_A_PROTO, IPPROTO_TCP);
	l7 = mnl_attr_nest_start(nlh, SGW_RULE_A_L7);
	put(nlh);
	mnl_attr_nest_end(nlh, l7);
	mnl_attr_nest_end(nlh, rule);
	return nlh;
}

static void l7_good(struct nlmsghdr *nlh)
{
	/* Patterns before the app: order within the nest is free. */
	mnl_attr_put_strz(nlh, SGW_L7_A_SNI, "a.example");
	mnl_attr_put_u8(nlh, SGW_L7_A_APP, SGW_APP_TLS);
	mnl_attr_put_strz(nlh, SGW_L7_A_ALPN, "h2");
	mnl_attr_put_u32(nlh, SGW_L7_A_FLAGS, SGW_L7_F_ECH);
	mnl_attr_put_strz(nlh, SGW_L7_A_SNI, "*.b.example");
}

static void l7_no_flags(struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, SGW_L7_A_APP, SGW_APP_SSH);
}

static void l7_no_app(struct nlmsghdr *nlh)
{
	mnl_attr_put_strz(nlh, SGW_L7_A_HOST, "a.example");
}

static void l7_unknown_app(struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, SGW_L7_A_APP, 9);
}

static void l7_unknown_attr(struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, SGW_L7_A_APP, SGW_APP_HTTP);
	mnl_attr_put_strz(nlh, __SGW_L7_A_MAX, "condition");
}

static void l7_unknown_flag(struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, SGW_L7_A_APP, SGW_APP_TLS);
	mnl_attr_put_u32(nlh, SGW_L7_A_FLAGS, 1U << 9);
}

static void l7_flag_of_tls(struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, SGW_L7_A_APP, SGW_APP_HTTP);
	mnl_attr_put_u32(nlh, SGW_L7_A_FLAGS, SGW_L7_F_NO_SNI);
}

static void l7_field_of_other(struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, SGW_L7_A_APP, SGW_APP_HTTP);
	mnl_attr_put_strz(nlh, SGW_L7_A_HOST, "a.example");
	mnl_attr_put_strz(nlh, SGW_L7_A_QNAME, "a.example");
}

static void l7_bad_pattern(struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, SGW_L7_A_APP, SGW_APP_HTTP);
	mnl_attr_put_strz(nlh, SGW_L7_A_PATH, "no-slash");
}

static void l7_inner_nul(struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, SGW_L7_A_APP, SGW_APP_HTTP);
	mnl_attr_put(nlh, SGW_L7_A_HOST, 6, "a\0b.c");
}

static void l7_no_nul(struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, SGW_L7_A_APP, SGW_APP_HTTP);
	mnl_attr_put(nlh, SGW_L7_A_HOST, 3, "a.b");
}

static void l7_wide_app(struct nlmsghdr *nlh)
{
	mnl_attr_put_u32(nlh, SGW_L7_A_APP, SGW_APP_HTTP);
}

static void test_parse_rule_l7(void **state)
{
	static void (*const bad[])(struct nlmsghdr *) = {
		l7_no_app, l7_unknown_app, l7_unknown_attr, l7_unknown_flag,
		l7_flag_of_tls, l7_field_of_other, l7_bad_pattern,
		l7_inner_nul, l7_no_nul, l7_wide_app,
	};
	const struct sgw_l7_pattern *set;
	struct sgw_dump d = { 0 };
	char buf[2048];
	unsigned int n;
	size_t i;

	(void)state;
	assert_int_equal(nlmsg_parse_rule(l7_reply(buf, l7_good), &d), 0);
	assert_int_equal(nlmsg_parse_rule(l7_reply(buf, l7_no_flags), &d), 0);
	assert_int_equal(d.policy.nrules, 2);
	assert_int_equal(sgw_l7_rule_app(d.policy.rules[0].l7), SGW_APP_TLS);
	assert_int_equal(sgw_l7_rule_flags(d.policy.rules[0].l7),
			 SGW_L7_F_ECH);
	set = sgw_l7_rule_patterns(d.policy.rules[0].l7, SGW_L7_FIELD_SNI, &n);
	assert_int_equal(n, 2);
	assert_string_equal(set[0].str, "a.example");
	assert_string_equal(set[1].str, "*.b.example");
	set = sgw_l7_rule_patterns(d.policy.rules[0].l7, SGW_L7_FIELD_ALPN, &n);
	assert_int_equal(n, 1);
	assert_string_equal(set[0].str, "h2");
	assert_int_equal(sgw_l7_rule_app(d.policy.rules[1].l7), SGW_APP_SSH);
	assert_int_equal(sgw_l7_rule_flags(d.policy.rules[1].l7), 0);

	/* What sgctl could not print whole is refused, and nothing leaks. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (nlmsg_parse_rule(l7_reply(buf, bad[i]), &d) != -EBADMSG)
			fail_msg("bad L7 nest %zu accepted", i);
		assert_int_equal(d.policy.nrules, 2);
	}
	nlmsg_dump_free(&d);
}

static struct nlmsghdr *flow_reply(char *buf, uint8_t family,
				   const void *src, const void *dst,
				   size_t alen)
{
	struct nlmsghdr *nlh = reply(buf, FAMILY, NLM_F_MULTI, 1);
	struct nlattr *flow = mnl_attr_nest_start(nlh, SGW_A_FLOW);

	mnl_attr_put_u8(nlh, SGW_FLOW_A_FAMILY, family);
	mnl_attr_put_u8(nlh, SGW_FLOW_A_PROTO, IPPROTO_TCP);
	mnl_attr_put(nlh, SGW_FLOW_A_SRC, alen, src);
	mnl_attr_put(nlh, SGW_FLOW_A_DST, alen, dst);
	mnl_attr_put_u16(nlh, SGW_FLOW_A_SPORT, 51234);
	mnl_attr_put_u16(nlh, SGW_FLOW_A_DPORT, 443);
	mnl_attr_put_u16(nlh, SGW_FLOW_A_SRC_SEG, 1);
	mnl_attr_put_u16(nlh, SGW_FLOW_A_DST_SEG, SGW_SEG_WORLD);
	mnl_attr_put_u32(nlh, SGW_FLOW_A_RULE, 0xabcd);
	mnl_attr_put_u32(nlh, SGW_FLOW_A_GENERATION, 9);
	mnl_attr_put_u8(nlh, SGW_FLOW_A_STATE, SGW_FLOW_S_ESTABLISHED);
	mnl_attr_put_u64(nlh, SGW_FLOW_A_AGE_MS, 65000);
	mnl_attr_put_u64(nlh, SGW_FLOW_A_IDLE_MS, 1200);
	mnl_attr_put_u64(nlh, SGW_FLOW_A_PACKETS_ORIG, 10);
	mnl_attr_put_u64(nlh, SGW_FLOW_A_BYTES_ORIG, 1000);
	mnl_attr_put_u64(nlh, SGW_FLOW_A_PACKETS_REPLY, 8);
	mnl_attr_put_u64(nlh, SGW_FLOW_A_BYTES_REPLY, 9000);
	mnl_attr_put_u32(nlh, 200, 1);	/* from a newer module: skipped */
	mnl_attr_nest_end(nlh, flow);
	return nlh;
}

static void test_parse_flow(void **state)
{
	uint8_t s4[4] = { 10, 0, 0, 2 }, d4[4] = { 192, 0, 2, 1 };
	uint8_t s6[16] = { 0xfd, [15] = 2 }, d6[16] = { 0x20, 0x01, [15] = 1 };
	char buf[1024];
	struct sgw_flow f;

	(void)state;
	assert_int_equal(nlmsg_parse_flow(flow_reply(buf, AF_INET, s4, d4, 4),
					  &f), 0);
	assert_int_equal(f.family, AF_INET);
	assert_int_equal(f.proto, IPPROTO_TCP);
	assert_memory_equal(f.src, s4, 4);
	assert_memory_equal(f.dst, d4, 4);
	assert_int_equal(f.sport, 51234);
	assert_int_equal(f.dport, 443);
	assert_int_equal(f.src_seg, 1);
	assert_int_equal(f.dst_seg, SGW_SEG_WORLD);
	assert_int_equal(f.rule, 0xabcd);
	assert_int_equal(f.generation, 9);
	assert_int_equal(f.state, SGW_FLOW_S_ESTABLISHED);
	assert_int_equal(f.age_ms, 65000);
	assert_int_equal(f.idle_ms, 1200);
	assert_int_equal(f.packets_orig, 10);
	assert_int_equal(f.bytes_orig, 1000);
	assert_int_equal(f.packets_reply, 8);
	assert_int_equal(f.bytes_reply, 9000);

	assert_int_equal(nlmsg_parse_flow(flow_reply(buf, AF_INET6, s6, d6, 16),
					  &f), 0);
	assert_int_equal(f.family, AF_INET6);
	assert_memory_equal(f.src, s6, 16);
	assert_memory_equal(f.dst, d6, 16);

	/* An address that does not match its family. */
	assert_int_equal(nlmsg_parse_flow(flow_reply(buf, AF_INET6, s4, d4, 4),
					  &f), -EBADMSG);
	assert_int_equal(nlmsg_parse_flow(flow_reply(buf, 7, s4, d4, 4), &f),
			 -EBADMSG);
}

static void test_parse_status_stats(void **state)
{
	char buf[1024];
	struct nlmsghdr *nlh = reply(buf, FAMILY, 0, 1);
	struct sgw_status st;
	struct sgw_stats stats;
	struct nlattr *nest;
	uint32_t gen = 0;
	int i;

	(void)state;
	mnl_attr_put_strz(nlh, SGW_A_VERSION, "0.1.0");
	mnl_attr_put_u32(nlh, SGW_A_GENERATION, 12);
	mnl_attr_put_u32(nlh, SGW_A_HOOKS, SGW_HOOK_F_FORWARD | SGW_HOOK_F_OUTPUT);
	mnl_attr_put_u32(nlh, SGW_A_FLOW_MAX, 65536);
	mnl_attr_put_u8(nlh, SGW_A_LOADED, 1);
	assert_int_equal(nlmsg_parse_status(nlh, &st), 0);
	assert_string_equal(st.version, "0.1.0");
	assert_int_equal(st.generation, 12);
	assert_int_equal(st.hooks, SGW_HOOK_F_FORWARD | SGW_HOOK_F_OUTPUT);
	assert_int_equal(st.flow_max, 65536);
	assert_true(st.loaded);
	assert_false(st.has_policy_flags);
	assert_int_equal(st.policy_flags, 0);
	assert_int_equal(nlmsg_parse_generation(nlh, &gen), 0);
	assert_int_equal(gen, 12);
	mnl_attr_put_u32(nlh, SGW_A_POLICY_FLAGS, SGW_POLICY_F_L7_DROP);
	assert_int_equal(nlmsg_parse_status(nlh, &st), 0);
	assert_true(st.has_policy_flags);
	assert_int_equal(st.policy_flags, SGW_POLICY_F_L7_DROP);

	nlh = reply(buf, FAMILY, 0, 1);
	nest = mnl_attr_nest_start(nlh, SGW_A_STATS);
	for (i = SGW_STAT_A_PACKETS; i <= SGW_STAT_A_MAX; i++)
		mnl_attr_put_u64(nlh, i, 1000 + i);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(nlmsg_parse_stats(nlh, &stats), 0);
	for (i = SGW_STAT_A_PACKETS; i <= SGW_STAT_A_MAX; i++) {
		assert_true(stats.present[i]);
		assert_int_equal(stats.value[i], 1000 + i);
	}
	assert_false(stats.present[SGW_STAT_A_PAD]);

	/* A counter that is not a u64. */
	nlh = reply(buf, FAMILY, 0, 1);
	nest = mnl_attr_nest_start(nlh, SGW_A_STATS);
	mnl_attr_put_u32(nlh, SGW_STAT_A_PASSED, 1);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(nlmsg_parse_stats(nlh, &stats), -EBADMSG);
}

static void test_parse_family(void **state)
{
	char buf[256];
	struct nlmsghdr *nlh = reply(buf, GENL_ID_CTRL, 0, 1);
	uint16_t id = 0;

	(void)state;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SGW_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x22);
	assert_int_equal(nlmsg_parse_family(nlh, &id), 0);
	assert_int_equal(id, 0x22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_begin),
		cmocka_unit_test(test_segment_split),
		cmocka_unit_test(test_segment_real_limit),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_parse_segment_names),
		cmocka_unit_test(test_rule_too_big),
		cmocka_unit_test(test_l7_rules),
		cmocka_unit_test(test_l7_rule_too_big),
		cmocka_unit_test(test_origins),
		cmocka_unit_test(test_chunks),
		cmocka_unit_test(test_pack_parse_round_trip),
		cmocka_unit_test(test_parse_error),
		cmocka_unit_test(test_exchange_batch),
		cmocka_unit_test(test_exchange_doit),
		cmocka_unit_test(test_exchange_dump),
		cmocka_unit_test(test_exchange_dump_error),
		cmocka_unit_test(test_parse_segments),
		cmocka_unit_test(test_parse_rule_counters),
		cmocka_unit_test(test_parse_rule_hit_times),
		cmocka_unit_test(test_parse_rule_l7),
		cmocka_unit_test(test_parse_flow),
		cmocka_unit_test(test_parse_status_stats),
		cmocka_unit_test(test_parse_family),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
