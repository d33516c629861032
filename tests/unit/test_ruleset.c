// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Allow tables (kmod/core/ruleset.c): hand-made policies probed at their
 * edges, validation, candidate order, and random policies checked against
 * a linear first-match over the same rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "ruleset.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum { ICMP = 1, TCP = 6, UDP = 17, GRE = 47, ESP = 50, ICMPV6 = 58,
       SCTP = 132 };
#define ANY	SGW_SEG_ANY
#define WORLD	SGW_SEG_WORLD

/* Spec fields from literal lists: SRC(1, 2), PORTS(R(80, 80)). */
#define SRC(...) .srcs = (const u16[]){ __VA_ARGS__ },			\
	.nsrcs = sizeof((u16[]){ __VA_ARGS__ }) / sizeof(u16)
#define DST(...) .dsts = (const u16[]){ __VA_ARGS__ },			\
	.ndsts = sizeof((u16[]){ __VA_ARGS__ }) / sizeof(u16)
#define PORTS(...) .ports = (const struct sgw_port_range[]){ __VA_ARGS__ }, \
	.nports = sizeof((struct sgw_port_range[]){ __VA_ARGS__ }) /	\
		  sizeof(struct sgw_port_range)
#define R(lo, hi) { lo, hi }

/* Any non-NULL pointer will do: the ruleset never looks inside. */
static const int l7_cookie;
#define L7 .l7 = &l7_cookie

static struct sgw_ruleset *build(const struct sgw_rule_spec *r, size_t n)
{
	struct sgw_ruleset *rs;
	int err = 1;

	rs = sgw_ruleset_build(r, n, &err);
	if (err)
		fail_msg("build: %d", err);
	assert_non_null(rs);
	assert_int_equal(sgw_ruleset_count(rs), n);
	return rs;
}

static int build_err(const struct sgw_rule_spec *r, size_t n)
{
	struct sgw_ruleset *rs;
	int err = 0;

	rs = sgw_ruleset_build(r, n, &err);
	assert_null(rs);
	return err;
}

static s32 look(const struct sgw_ruleset *rs, u16 src, u16 dst, u8 proto,
		u16 dport)
{
	struct sgw_match_key k = {
		.src_seg = src, .dst_seg = dst, .proto = proto, .dport = dport,
	};

	return sgw_ruleset_lookup(rs, &k);
}

#define check(rs, src, dst, proto, dport, want) do {			\
	s32 got_ = look(rs, src, dst, proto, dport);			\
	if (got_ != (want))						\
		fail_msg("%u->%u proto %u port %u: got %d, want %d",	\
			 src, dst, proto, dport, got_, want);		\
} while (0)

/* The merged candidates for a key, -1 terminated, into @out. */
static unsigned int cands(const struct sgw_ruleset *rs, u16 src, u16 dst,
			  u8 proto, u16 dport, s32 *out, unsigned int max)
{
	struct sgw_match_key k = {
		.src_seg = src, .dst_seg = dst, .proto = proto, .dport = dport,
	};
	struct sgw_candidates c;
	unsigned int n = 0;
	s32 r;

	memset(&c, 0xa5, sizeof(c));
	sgw_ruleset_candidates(rs, &k, &c);
	assert_true(c.nlists <= SGW_CANDIDATE_LISTS);
	while ((r = sgw_candidates_next(&c)) >= 0) {
		assert_true(n < max);
		out[n++] = r;
	}
	/* Exhausted stays exhausted. */
	assert_int_equal(sgw_candidates_next(&c), -1);
	return n;
}

#define check_cands(rs, src, dst, proto, dport, ...) do {		\
	const s32 want_[] = { __VA_ARGS__ };				\
	s32 got_[64];							\
	unsigned int n_ = cands(rs, src, dst, proto, dport, got_, 64);	\
	unsigned int i_;						\
	if (n_ != ARRAY_SIZE(want_))					\
		fail_msg("%u->%u port %u: %u candidates, want %zu",	\
			 src, dst, dport, n_, ARRAY_SIZE(want_));	\
	for (i_ = 0; i_ < n_; i_++)					\
		if (got_[i_] != want_[i_])				\
			fail_msg("%u->%u port %u: candidate %u is %d, want %d", \
				 src, dst, dport, i_, got_[i_], want_[i_]); \
} while (0)

static void check_no_cands(const struct sgw_ruleset *rs, u16 src, u16 dst,
			   u8 proto, u16 dport)
{
	s32 got[8];

	assert_int_equal(cands(rs, src, dst, proto, dport, got, 8), 0);
}

static void test_empty(void **state)
{
	struct sgw_ruleset *rs = build(NULL, 0);

	(void)state;
	check(rs, 1, 2, TCP, 80, -1);
	check(rs, ANY, ANY, 0, 0, -1);
	check_no_cands(rs, 0, 0, UDP, 53);
	assert_null(sgw_ruleset_rule(rs, 0));
	assert_true(sgw_ruleset_memory(rs) > 0);
	sgw_ruleset_free(rs);
	sgw_ruleset_free(NULL);
}

static void test_ports(void **state)
{
	const struct sgw_rule_spec r[] = {
		{ .id = 10, SRC(1), DST(2), .proto = TCP, PORTS(R(80, 80)) },
		{ .id = 11, SRC(1), DST(2), .proto = TCP,
		  PORTS(R(443, 443), R(22, 22), R(8000, 8080)) },
		{ .id = 12, SRC(1), DST(2), .proto = UDP, PORTS(R(53, 53)) },
	};
	struct sgw_ruleset *rs = build(r, ARRAY_SIZE(r));

	(void)state;
	check(rs, 1, 2, TCP, 80, 0);
	check(rs, 1, 2, TCP, 79, -1);
	check(rs, 1, 2, TCP, 81, -1);
	check(rs, 1, 2, TCP, 22, 1);
	check(rs, 1, 2, TCP, 21, -1);
	check(rs, 1, 2, TCP, 23, -1);
	check(rs, 1, 2, TCP, 443, 1);
	check(rs, 1, 2, TCP, 7999, -1);
	check(rs, 1, 2, TCP, 8000, 1);
	check(rs, 1, 2, TCP, 8040, 1);
	check(rs, 1, 2, TCP, 8080, 1);
	check(rs, 1, 2, TCP, 8081, -1);
	check(rs, 1, 2, TCP, 53, -1);
	check(rs, 1, 2, UDP, 53, 2);
	check(rs, 1, 2, UDP, 80, -1);
	check(rs, 1, 2, ICMP, 0, -1);
	/* Direction matters, and other segments get nothing. */
	check(rs, 2, 1, TCP, 80, -1);
	check(rs, 3, 2, TCP, 80, -1);
	check(rs, 1, 3, TCP, 80, -1);
	check(rs, 1, 2, TCP, 0, -1);
	check(rs, 1, 2, TCP, 65535, -1);
	sgw_ruleset_free(rs);
}

/* Overlapping ranges from several rules: the first rule owns the overlap. */
static void test_overlap(void **state)
{
	const struct sgw_rule_spec r[] = {
		{ .id = 1, SRC(1), DST(2), .proto = TCP, PORTS(R(100, 200)) },
		{ .id = 2, SRC(1), DST(2), .proto = TCP, PORTS(R(150, 300)) },
		{ .id = 3, SRC(1), DST(2), .proto = TCP, PORTS(R(120, 130)) },
		{ .id = 4, SRC(1), DST(2), .proto = TCP },
	};
	struct sgw_ruleset *rs = build(r, ARRAY_SIZE(r));

	(void)state;
	check(rs, 1, 2, TCP, 0, 3);
	check(rs, 1, 2, TCP, 99, 3);
	check(rs, 1, 2, TCP, 100, 0);
	check(rs, 1, 2, TCP, 125, 0);
	check(rs, 1, 2, TCP, 149, 0);
	check(rs, 1, 2, TCP, 150, 0);
	check(rs, 1, 2, TCP, 200, 0);
	check(rs, 1, 2, TCP, 201, 1);
	check(rs, 1, 2, TCP, 300, 1);
	check(rs, 1, 2, TCP, 301, 3);
	check(rs, 1, 2, TCP, 65535, 3);
	check(rs, 1, 2, UDP, 150, -1);
	sgw_ruleset_free(rs);
}

/*
 * With every rule deciding after L4 (->l7 set), the candidates are all the
 * rules covering the key, in rule order, each once: here merged from four
 * pairs and two protocol slots.
 */
static void test_candidates_order(void **state)
{
	const struct sgw_rule_spec r[] = {
		{ .id = 1, SRC(ANY), DST(ANY), .proto = TCP,
		  PORTS(R(20, 30)), L7 },
		{ .id = 2, SRC(1), DST(ANY), .proto = 0, L7 },
		{ .id = 3, SRC(ANY), DST(2), .proto = TCP,
		  PORTS(R(22, 22)), L7 },
		{ .id = 4, SRC(1), DST(2), .proto = TCP, PORTS(R(1, 100)), L7 },
		{ .id = 5, SRC(ANY), DST(ANY), .proto = 0, L7 },
		{ .id = 6, SRC(1, ANY), DST(2, ANY), .proto = TCP,
		  PORTS(R(22, 23), R(22, 22)), L7 },
		{ .id = 7, SRC(1), DST(2), .proto = 0, L7 },
		{ .id = 8, SRC(ANY), DST(2), .proto = 0, L7 },
		{ .id = 9, SRC(1), DST(2), .proto = TCP, PORTS(R(22, 22)) },
		{ .id = 10, SRC(1), DST(2), .proto = TCP, PORTS(R(22, 22)),
		  L7 },
	};
	struct sgw_ruleset *rs = build(r, ARRAY_SIZE(r));

	(void)state;
	/* Rule 6 sits in four probed pairs: it must come out once. Each list
	 * ends at rule 9, which decides on L4 alone.
	 */
	check_cands(rs, 1, 2, TCP, 22, 0, 1, 2, 3, 4, 5, 6, 7, 8);
	check(rs, 1, 2, TCP, 22, 8);
	check_cands(rs, 1, 2, TCP, 23, 0, 1, 3, 4, 5, 6, 7);
	check(rs, 1, 2, TCP, 23, -1);
	check_cands(rs, 1, 2, TCP, 31, 1, 3, 4, 6, 7);
	check_cands(rs, 1, 2, UDP, 22, 1, 4, 6, 7);
	check_cands(rs, 3, 2, TCP, 22, 0, 2, 4, 5, 7);
	check_cands(rs, 1, 3, TCP, 22, 0, 1, 4, 5);
	check_cands(rs, 3, 3, TCP, 22, 0, 4, 5);
	check_cands(rs, 3, 3, TCP, 19, 4);
	check_cands(rs, 3, 3, GRE, 0, 4);
	/* A key naming "any" itself probes each pair once. */
	check_cands(rs, ANY, ANY, TCP, 22, 0, 4, 5);
	check_cands(rs, ANY, 2, TCP, 22, 0, 2, 4, 5, 7);
	sgw_ruleset_free(rs);
}

static void test_any_priority(void **state)
{
	const struct sgw_rule_spec r[] = {
		{ .id = 1, SRC(ANY), DST(ANY), .proto = TCP, PORTS(R(23, 23)) },
		{ .id = 2, SRC(1), DST(ANY), .proto = TCP, PORTS(R(22, 23)) },
		{ .id = 3, SRC(ANY), DST(2), .proto = TCP,
		  PORTS(R(22, 22), R(24, 24)) },
		{ .id = 4, SRC(1), DST(2), .proto = TCP, PORTS(R(22, 25)) },
	};
	struct sgw_ruleset *rs = build(r, ARRAY_SIZE(r));

	(void)state;
	check(rs, 1, 2, TCP, 22, 1);
	check(rs, 1, 2, TCP, 23, 0);
	check(rs, 1, 2, TCP, 24, 2);
	check(rs, 1, 2, TCP, 25, 3);
	check(rs, 1, 2, TCP, 26, -1);
	check(rs, 3, 2, TCP, 22, 2);
	check(rs, 3, 2, TCP, 25, -1);
	check(rs, 1, 3, TCP, 22, 1);
	check(rs, 1, 3, TCP, 24, -1);
	check(rs, 3, 3, TCP, 23, 0);
	check(rs, 3, 3, TCP, 22, -1);
	check(rs, WORLD, WORLD, TCP, 23, 0);
	check(rs, 1, 2, UDP, 22, -1);
	/* Each pair's list stops at its own first L4 rule. */
	check_cands(rs, 1, 2, TCP, 22, 1, 2, 3);
	check_cands(rs, 1, 2, TCP, 23, 0, 1, 3);
	sgw_ruleset_free(rs);
}

static void test_world(void **state)
{
	const struct sgw_rule_spec r[] = {
		{ .id = 1, SRC(WORLD), DST(1), .proto = TCP, PORTS(R(443, 443)) },
		{ .id = 2, SRC(1), DST(WORLD), .proto = 0 },
		{ .id = 3, SRC(ANY), DST(5), .proto = UDP },
		{ .id = 4, SRC(SGW_SEG_ID_MAX), DST(WORLD), .proto = UDP },
	};
	struct sgw_ruleset *rs = build(r, ARRAY_SIZE(r));

	(void)state;
	check(rs, WORLD, 1, TCP, 443, 0);
	check(rs, 2, 1, TCP, 443, -1);
	check(rs, WORLD, 2, TCP, 443, -1);
	check(rs, 1, WORLD, UDP, 9, 1);
	check(rs, 1, 2, UDP, 9, -1);
	/* "any" includes world. */
	check(rs, WORLD, 5, UDP, 1, 2);
	check(rs, 7, 5, UDP, 1, 2);
	check(rs, SGW_SEG_ID_MAX, WORLD, UDP, 1, 3);
	check(rs, SGW_SEG_ID_MAX, 1, UDP, 1, -1);
	sgw_ruleset_free(rs);
}

static void test_proto_any(void **state)
{
	const struct sgw_rule_spec r[] = {
		{ .id = 1, SRC(1), DST(2), .proto = UDP, PORTS(R(53, 53)) },
		{ .id = 2, SRC(1), DST(2), .proto = 0 },
		{ .id = 3, SRC(1), DST(2), .proto = TCP, PORTS(R(80, 80)) },
		{ .id = 4, SRC(3), DST(2), .proto = TCP },
		{ .id = 5, SRC(3), DST(2), .proto = 0 },
	};
	struct sgw_ruleset *rs = build(r, ARRAY_SIZE(r));

	(void)state;
	check(rs, 1, 2, UDP, 53, 0);
	check(rs, 1, 2, UDP, 54, 1);
	check(rs, 1, 2, TCP, 80, 1);
	check(rs, 1, 2, TCP, 0, 1);
	check(rs, 1, 2, TCP, 65535, 1);
	check(rs, 1, 2, ICMP, 0, 1);
	check(rs, 1, 2, GRE, 0, 1);
	check(rs, 1, 2, 255, 0, 1);
	check(rs, 1, 2, 0, 0, 1);
	check(rs, 3, 2, TCP, 1, 3);
	check(rs, 3, 2, UDP, 1, 4);
	check(rs, 3, 2, 0, 0, 4);
	check(rs, 2, 1, TCP, 80, -1);
	sgw_ruleset_free(rs);
}

/* Protocols without ports cover every dport the key may carry. */
static void test_portless_protocols(void **state)
{
	const struct sgw_rule_spec r[] = {
		{ .id = 1, SRC(1), DST(2), .proto = ICMP },
		{ .id = 2, SRC(1), DST(2), .proto = ICMPV6 },
		{ .id = 3, SRC(1), DST(2), .proto = GRE },
		{ .id = 4, SRC(1), DST(2), .proto = SCTP },
		{ .id = 5, SRC(1), DST(2), .proto = 255 },
		{ .id = 6, SRC(1), DST(2), .proto = 2 },
	};
	struct sgw_ruleset *rs = build(r, ARRAY_SIZE(r));

	(void)state;
	check(rs, 1, 2, ICMP, 0, 0);
	check(rs, 1, 2, ICMP, 65535, 0);
	check(rs, 1, 2, ICMPV6, 0, 1);
	check(rs, 1, 2, GRE, 0, 2);
	check(rs, 1, 2, SCTP, 5060, 3);
	check(rs, 1, 2, 255, 0, 4);
	check(rs, 1, 2, 2, 0, 5);
	check(rs, 1, 2, ESP, 0, -1);
	check(rs, 1, 2, TCP, 0, -1);
	check(rs, 1, 2, UDP, 0, -1);
	check(rs, 1, 2, 3, 0, -1);
	check(rs, 1, 2, 254, 0, -1);
	check(rs, 2, 1, ICMP, 0, -1);
	sgw_ruleset_free(rs);
}

static void test_several_segments(void **state)
{
	const struct sgw_rule_spec r[] = {
		{ .id = 1, SRC(3, 1, 2, 1), DST(5, 4, 5), .proto = TCP,
		  PORTS(R(80, 90), R(85, 100), R(101, 101), R(80, 80)) },
		{ .id = 2, SRC(1), DST(4), .proto = TCP, PORTS(R(80, 80)) },
	};
	struct sgw_ruleset *rs = build(r, ARRAY_SIZE(r));
	u16 s, d;

	(void)state;
	for (s = 1; s <= 3; s++)
		for (d = 4; d <= 5; d++) {
			check(rs, s, d, TCP, 79, -1);
			check(rs, s, d, TCP, 80, 0);
			check(rs, s, d, TCP, 95, 0);
			check(rs, s, d, TCP, 101, 0);
			check(rs, s, d, TCP, 102, -1);
			check(rs, s, d, UDP, 80, -1);
		}
	check(rs, 1, 1, TCP, 80, -1);
	check(rs, 4, 1, TCP, 80, -1);
	check(rs, 4, 5, TCP, 80, -1);
	check(rs, 6, 5, TCP, 80, -1);
	/* Repeated segments and overlapping ranges still list it once. */
	check_cands(rs, 1, 5, TCP, 85, 0);
	check_cands(rs, 1, 4, TCP, 80, 0);
	sgw_ruleset_free(rs);
}

static void test_port_edges(void **state)
{
	const struct sgw_rule_spec r[] = {
		{ .id = 1, SRC(1), DST(2), .proto = TCP, PORTS(R(0, 0)) },
		{ .id = 2, SRC(1), DST(2), .proto = TCP,
		  PORTS(R(65535, 65535)) },
		{ .id = 3, SRC(1), DST(2), .proto = TCP,
		  PORTS(R(65534, 65535)) },
		{ .id = 4, SRC(1), DST(2), .proto = UDP, PORTS(R(0, 65535)) },
		{ .id = 5, SRC(3), DST(2), .proto = UDP,
		  PORTS(R(0, 1), R(65534, 65535)) },
		{ .id = 6, SRC(3), DST(2), .proto = UDP, PORTS(R(1, 65534)) },
	};
	struct sgw_ruleset *rs = build(r, ARRAY_SIZE(r));

	(void)state;
	check(rs, 1, 2, TCP, 0, 0);
	check(rs, 1, 2, TCP, 1, -1);
	check(rs, 1, 2, TCP, 65533, -1);
	check(rs, 1, 2, TCP, 65534, 2);
	check(rs, 1, 2, TCP, 65535, 1);
	check(rs, 1, 2, UDP, 0, 3);
	check(rs, 1, 2, UDP, 32768, 3);
	check(rs, 1, 2, UDP, 65535, 3);
	check(rs, 3, 2, UDP, 0, 4);
	check(rs, 3, 2, UDP, 1, 4);
	check(rs, 3, 2, UDP, 2, 5);
	check(rs, 3, 2, UDP, 65533, 5);
	check(rs, 3, 2, UDP, 65534, 4);
	check(rs, 3, 2, UDP, 65535, 4);
	sgw_ruleset_free(rs);
}

static void test_l7_skipped_by_lookup(void **state)
{
	const struct sgw_rule_spec r[] = {
		{ .id = 1, SRC(1), DST(2), .proto = TCP, PORTS(R(443, 443)),
		  L7 },
		{ .id = 2, SRC(1), DST(ANY), .proto = TCP, PORTS(R(1, 1000)),
		  L7 },
		{ .id = 3, SRC(ANY), DST(2), .proto = TCP, PORTS(R(400, 500)) },
		{ .id = 4, SRC(1), DST(2), .proto = TCP, L7 },
	};
	struct sgw_ruleset *rs = build(r, ARRAY_SIZE(r));

	(void)state;
	check(rs, 1, 2, TCP, 443, 2);
	/* Rule 3 comes after the deciding rule 2, from another pair. */
	check_cands(rs, 1, 2, TCP, 443, 0, 1, 2, 3);
	check(rs, 1, 2, TCP, 80, -1);
	check_cands(rs, 1, 2, TCP, 80, 1, 3);
	check(rs, 1, 2, TCP, 2000, -1);
	check_cands(rs, 1, 2, TCP, 2000, 3);
	check_cands(rs, 5, 2, TCP, 450, 2);
	sgw_ruleset_free(rs);
}

static void test_invalid(void **state)
{
	static u16 many[SGW_RULE_SEGS_MAX + 1];
	static struct sgw_port_range wide[SGW_RULE_PORTS_MAX + 1];
	const struct sgw_rule_spec ok = { .id = 1, SRC(1), DST(2),
					  .proto = TCP };
	struct sgw_rule_spec r[2];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(wide); i++)
		wide[i] = (struct sgw_port_range){ (u16)i, (u16)i };

#define expect(err, ...) do {						\
	r[0] = ok;							\
	r[1] = ok;							\
	r[1].id = 2;							\
	__VA_ARGS__;							\
	assert_int_equal(build_err(r, 2), err);				\
} while (0)
	expect(-EINVAL, r[1].id = 0);
	expect(-EINVAL, r[1].id = 1);
	expect(-EINVAL, r[0].nsrcs = 0);
	expect(-EINVAL, r[1].srcs = NULL);
	expect(-EINVAL, r[1].ndsts = 0);
	expect(-EINVAL, r[0].dsts = NULL);
	expect(-EINVAL, r[1].ports = NULL; r[1].nports = 1);
	expect(-EINVAL, r[1].ports = &(struct sgw_port_range){ 81, 80 };
	       r[1].nports = 1);
	expect(-EINVAL, r[1].proto = ICMP;
	       r[1].ports = &(struct sgw_port_range){ 0, 0 }; r[1].nports = 1);
	expect(-EINVAL, r[1].proto = ICMPV6;
	       r[1].ports = &(struct sgw_port_range){ 1, 1 }; r[1].nports = 1);
	expect(-EINVAL, r[1].proto = 0;
	       r[1].ports = &(struct sgw_port_range){ 80, 80 };
	       r[1].nports = 1);
	expect(-EINVAL, r[1].proto = SCTP;
	       r[1].ports = &(struct sgw_port_range){ 80, 80 };
	       r[1].nports = 1);
	expect(-EOPNOTSUPP, r[1].flags = 1);
	expect(-EOPNOTSUPP, r[0].flags = 0x80000000);
	expect(-E2BIG, r[1].srcs = many; r[1].nsrcs = ARRAY_SIZE(many));
	expect(-E2BIG, r[1].dsts = many; r[1].ndsts = ARRAY_SIZE(many));
	expect(-E2BIG, r[1].ports = wide; r[1].nports = ARRAY_SIZE(wide));
#undef expect

	assert_int_equal(build_err(NULL, 1), -EINVAL);
	/* The count is checked before any rule is read. */
	assert_int_equal(build_err(r, SGW_RULES_MAX + 1), -E2BIG);
}

static void test_limits(void **state)
{
	static u16 segs[SGW_RULE_SEGS_MAX];
	static struct sgw_port_range ports[SGW_RULE_PORTS_MAX];
	struct sgw_rule_spec r[2] = {
		{ .id = 7, .proto = UDP },
		{ .id = 8, .proto = TCP },
	};
	struct sgw_ruleset *rs;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(segs); i++)
		segs[i] = (u16)(i * 16);
	for (i = 0; i < ARRAY_SIZE(ports); i++)
		ports[i] = (struct sgw_port_range){ (u16)(i * 16),
						    (u16)(i * 16 + 1) };
	/* The most of each a rule may name, one at a time. */
	r[0].srcs = segs;
	r[0].nsrcs = SGW_RULE_SEGS_MAX;
	r[0].dsts = segs;
	r[0].ndsts = 1;
	r[1].srcs = segs + 1;
	r[1].nsrcs = 1;
	r[1].dsts = segs + SGW_RULE_SEGS_MAX - 1;
	r[1].ndsts = 1;
	r[1].ports = ports;
	r[1].nports = SGW_RULE_PORTS_MAX;
	rs = build(r, 2);
	check(rs, 16 * 4095, 0, UDP, 9, 0);
	check(rs, 8, 0, UDP, 9, -1);
	check(rs, 16, 16 * 4095, TCP, 16 * 4095 + 1, 1);
	check(rs, 16, 16 * 4095, TCP, 16 * 4095 + 2, -1);
	check(rs, 16, 16 * 4095, TCP, 0, 1);
	check(rs, 16, 8, TCP, 0, -1);
	sgw_ruleset_free(rs);

	/* 4096 x 4096 pairs: past what a policy may expand to. */
	r[0].ndsts = SGW_RULE_SEGS_MAX;
	assert_int_equal(build_err(r, 2), -E2BIG);
}

/* Dumps get the rules back as given, from copies. */
static void test_copies(void **state)
{
	u16 srcs[] = { 5, 1, 5 }, dsts[] = { ANY };
	struct sgw_port_range ports[] = { { 90, 100 }, { 80, 80 } };
	struct sgw_rule_spec r[] = {
		{ .id = 42, .line = 7, .srcs = srcs, .nsrcs = 3, .dsts = dsts,
		  .ndsts = 1, .proto = TCP, .ports = ports, .nports = 2, L7 },
		{ .id = 43, .line = 9, SRC(2), DST(3), .proto = ICMP,
		  .ports = ports, .nports = 0 },
	};
	struct sgw_ruleset *rs = build(r, ARRAY_SIZE(r));
	const struct sgw_rule_spec *c;

	(void)state;
	srcs[0] = 99;
	ports[0].lo = 1;
	c = sgw_ruleset_rule(rs, 0);
	assert_non_null(c);
	assert_int_equal(c->id, 42);
	assert_int_equal(c->line, 7);
	assert_ptr_not_equal(c->srcs, srcs);
	assert_int_equal(c->nsrcs, 3);
	assert_int_equal(c->srcs[0], 5);
	assert_int_equal(c->srcs[1], 1);
	assert_int_equal(c->srcs[2], 5);
	assert_int_equal(c->ndsts, 1);
	assert_int_equal(c->dsts[0], ANY);
	assert_int_equal(c->proto, TCP);
	assert_int_equal(c->nports, 2);
	assert_ptr_not_equal(c->ports, ports);
	assert_int_equal(c->ports[0].lo, 90);
	assert_int_equal(c->ports[0].hi, 100);
	assert_int_equal(c->ports[1].lo, 80);
	assert_ptr_equal(c->l7, &l7_cookie);
	c = sgw_ruleset_rule(rs, 1);
	assert_int_equal(c->id, 43);
	assert_int_equal(c->nports, 0);
	assert_null(c->ports);
	assert_null(c->l7);
	assert_null(sgw_ruleset_rule(rs, 2));
	assert_int_equal(sgw_ruleset_count(rs), 2);
	sgw_ruleset_free(rs);
}

/* xorshift64*: fixed seeds keep failures reproducible. */
static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static bool seg_in(const u16 *s, u32 n, u16 seg)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (s[i] == seg || s[i] == ANY)
			return true;
	return false;
}

static bool matches(const struct sgw_rule_spec *r,
		    const struct sgw_match_key *k)
{
	u32 i;

	if (!seg_in(r->srcs, r->nsrcs, k->src_seg) ||
	    !seg_in(r->dsts, r->ndsts, k->dst_seg))
		return false;
	if (r->proto != SGW_PROTO_ANY && r->proto != k->proto)
		return false;
	if (!r->nports)
		return true;
	for (i = 0; i < r->nports; i++)
		if (r->ports[i].lo <= k->dport && k->dport <= r->ports[i].hi)
			return true;
	return false;
}

static const u16 seg_pool[] = { WORLD, 1, 2, 3, 4, 5, 1000, SGW_SEG_ID_MAX,
				ANY };
static const u8 proto_pool[] = { 0, TCP, TCP, TCP, UDP, UDP, ICMP, ICMPV6,
				 GRE, SCTP };

static u16 rnd_port(const u16 *hot, unsigned int nhot)
{
	u16 p;

	switch (rnd() % 4) {
	case 0:
		return (u16)rnd();
	case 1:
		return (u16)(rnd() % 128);
	default:	/* at, below or above a rule boundary */
		p = hot[rnd() % nhot];
		return (u16)(p + (int)(rnd() % 3) - 1);
	}
}

/*
 * Random policies against a linear first match: the lookup must give the
 * first matching rule without l7, and the candidates must be exactly the
 * matching rules in order up to it.
 */
static void random_cross_check(u64 seed, size_t n, size_t keys,
			       unsigned int max_ports, unsigned int l7_pct)
{
	struct sgw_rule_spec *r = calloc(n, sizeof(*r));
	u16 *segs = calloc(n * 8, sizeof(*segs));
	struct sgw_port_range *ports = calloc(n * max_ports,
					      sizeof(*ports));
	u16 *hot = calloc(n * max_ports * 2 + 2, sizeof(*hot));
	unsigned int nhot = 0, j;
	struct sgw_ruleset *rs;
	s32 *want = calloc(n, sizeof(*want)), got[SGW_CANDIDATE_LISTS * 64];
	size_t i;

	assert_true(r && segs && ports && hot && want);
	rng_state = seed;
	hot[nhot++] = 0;
	hot[nhot++] = 65535;
	for (i = 0; i < n; i++) {
		u16 *s = &segs[i * 8];
		struct sgw_port_range *p = &ports[i * max_ports];

		r[i].id = (u32)(i * 3 + 1);
		r[i].line = (u32)i;
		r[i].srcs = s;
		r[i].nsrcs = 1 + (rnd() % 8 == 0 ? rnd() % 4 : 0);
		r[i].dsts = s + 4;
		r[i].ndsts = 1 + (rnd() % 8 == 0 ? rnd() % 4 : 0);
		for (j = 0; j < 8; j++)
			s[j] = seg_pool[rnd() % ARRAY_SIZE(seg_pool)];
		r[i].proto = proto_pool[rnd() % ARRAY_SIZE(proto_pool)];
		if ((r[i].proto == TCP || r[i].proto == UDP) && rnd() % 5) {
			r[i].ports = p;
			r[i].nports = 1 + rnd() % max_ports;
			for (j = 0; j < r[i].nports; j++) {
				u16 lo = rnd_port(hot, nhot), hi;

				switch (rnd() % 3) {
				case 0:
					hi = lo;
					break;
				case 1:
					hi = (u16)(lo + rnd() % 64);
					break;
				default:
					hi = (u16)(lo + rnd() % 4096);
				}
				if (hi < lo)
					hi = 65535;
				p[j] = (struct sgw_port_range){ lo, hi };
				hot[nhot++] = lo;
				hot[nhot++] = hi;
			}
		}
		if (rnd() % 100 < l7_pct)
			r[i].l7 = &l7_cookie;
	}

	rs = build(r, n);
	for (i = 0; i < keys; i++) {
		struct sgw_match_key k = {
			.src_seg = seg_pool[rnd() % (ARRAY_SIZE(seg_pool) - 1)],
			.dst_seg = seg_pool[rnd() % (ARRAY_SIZE(seg_pool) - 1)],
			.proto = proto_pool[rnd() % ARRAY_SIZE(proto_pool)],
			.dport = rnd_port(hot, nhot),
		};
		unsigned int nwant = 0, ngot;
		s32 first = -1;
		size_t x;

		if (rnd() % 16 == 0)
			k.proto = (u8)rnd();
		for (x = 0; x < n; x++) {
			if (!matches(&r[x], &k))
				continue;
			want[nwant++] = (s32)x;
			if (!r[x].l7) {
				first = (s32)x;
				break;
			}
		}
		if (sgw_ruleset_lookup(rs, &k) != first)
			fail_msg("seed %llu key %zu (%u->%u %u/%u): got %d, want %d",
				 (unsigned long long)seed, i, k.src_seg,
				 k.dst_seg, k.proto, k.dport,
				 sgw_ruleset_lookup(rs, &k), first);
		/* Exactly the matching rules up to the deciding one; past
		 * it, matching rules in order are allowed.
		 */
		ngot = cands(rs, k.src_seg, k.dst_seg, k.proto, k.dport, got,
			     ARRAY_SIZE(got));
		if (ngot < nwant || memcmp(got, want, nwant * sizeof(*got)))
			fail_msg("seed %llu key %zu: %u candidates, want %u",
				 (unsigned long long)seed, i, ngot, nwant);
		for (j = nwant; j < ngot; j++) {
			assert_true(first >= 0);
			assert_true(got[j] > got[j - 1]);
			assert_true(matches(&r[got[j]], &k));
		}
	}
	sgw_ruleset_free(rs);
	free(r);
	free(segs);
	free(ports);
	free(hot);
	free(want);
}

static void test_random(void **state)
{
	(void)state;
	random_cross_check(0xc0ffee01, 60, 20000, 3, 30);
	random_cross_check(0xc0ffee02, 500, 20000, 4, 20);
	random_cross_check(0xc0ffee03, 3000, 5000, 6, 50);
	random_cross_check(0xc0ffee04, 2000, 5000, 2, 0);
}

/* Many rules in one pair, nested ranges, the innermost first: every list
 * is cut at its first L4 rule, so the build stays small where a full list
 * per interval would be quadratic (some 800 MB here).
 */
static void test_overlap_heavy(void **state)
{
	const size_t n = 20000;
	struct sgw_rule_spec *r = calloc(n, sizeof(*r));
	struct sgw_port_range *p = calloc(n, sizeof(*p));
	const u16 one = 1, two = 2;
	struct sgw_ruleset *rs;
	size_t i;

	(void)state;
	assert_true(r && p);
	for (i = 0; i < n; i++) {
		p[i].lo = (u16)(20000 - i);
		p[i].hi = (u16)(45535 + i);
		r[i] = (struct sgw_rule_spec){
			.id = (u32)i + 1, .srcs = &one, .nsrcs = 1,
			.dsts = &two, .ndsts = 1, .proto = TCP,
			.ports = &p[i], .nports = 1,
		};
	}
	rs = build(r, n);
	check(rs, 1, 2, TCP, 0, -1);
	check(rs, 1, 2, TCP, 1, 19999);
	check(rs, 1, 2, TCP, 500, 19500);
	check(rs, 1, 2, TCP, 19999, 1);
	check(rs, 1, 2, TCP, 20000, 0);
	check(rs, 1, 2, TCP, 32768, 0);
	check(rs, 1, 2, TCP, 45535, 0);
	check(rs, 1, 2, TCP, 45536, 1);
	check(rs, 1, 2, TCP, 65534, 19999);
	check(rs, 1, 2, TCP, 65535, -1);
	check_cands(rs, 1, 2, TCP, 500, 19500);
	assert_true(sgw_ruleset_memory(rs) < 8u << 20);
	sgw_ruleset_free(rs);
	free(r);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_candidates_order),
		cmocka_unit_test(test_any_priority),
		cmocka_unit_test(test_world),
		cmocka_unit_test(test_proto_any),
		cmocka_unit_test(test_portless_protocols),
		cmocka_unit_test(test_several_segments),
		cmocka_unit_test(test_port_edges),
		cmocka_unit_test(test_l7_skipped_by_lookup),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_copies),
		cmocka_unit_test(test_overlap_heavy),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
