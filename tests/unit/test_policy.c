// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The policy parser and printer (ctl/policy*.c): every statement, the exact
 * position and text of errors, round trips through the printer, and the
 * stability of rule ids.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "policy.h"
#include "l7/rule.h"
#include "l7_samples.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Parse a string the test knows is good; a failure prints the error. */
static void parse_ok(const char *text, struct policy *p)
{
	struct policy_error err;

	if (policy_parse(text, strlen(text), p, &err))
		fail_msg("%u:%u: %s\nin:\n%s", err.line, err.col, err.msg,
			 text);
}

/* Parse @len bytes expected to fail at @line:@col with @msg. */
static void parse_bad_len(const char *text, size_t len, unsigned int line,
			  unsigned int col, const char *msg)
{
	struct policy_error err;
	struct policy p;

	/* A copy of exactly @len bytes: ASan catches any read past it. */
	char *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, text, len);
	if (!policy_parse(copy, len, &p, &err))
		fail_msg("parsed, expected %u:%u: %s", line, col, msg);
	free(copy);
	if (err.line != line || err.col != col || strcmp(err.msg, msg))
		fail_msg("got      %u:%u: %s\nexpected %u:%u: %s\nin:\n%.200s",
			 err.line, err.col, err.msg, line, col, msg, text);
	/* The policy is left empty. */
	assert_int_equal(p.nsegments, 0);
	assert_int_equal(p.nrules, 0);
	assert_null(p.segments);
	assert_null(p.rules);
}

static void parse_bad(const char *text, unsigned int line, unsigned int col,
		      const char *msg)
{
	parse_bad_len(text, strlen(text), line, col, msg);
}

/* Text of @p as policy_print writes it; free() it. */
static char *print(const struct policy *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(policy_print(f, p), 0);
	fclose(f);
	return buf;
}

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static void assert_prefix(const struct sgw_prefix *pf, const char *addr,
			  unsigned int len)
{
	uint8_t want[16] = { 0 };
	int family = strchr(addr, ':') ? AF_INET6 : AF_INET;

	assert_int_equal(inet_pton(family, addr, want), 1);
	assert_int_equal(pf->family, family);
	assert_int_equal(pf->len, len);
	assert_memory_equal(pf->addr, want, sizeof(want));
	assert_int_equal(pf->pad[0], 0);
	assert_int_equal(pf->pad[1], 0);
}

static void assert_ids(const uint16_t *ids, size_t n, const uint16_t *want,
		       size_t nwant)
{
	size_t i;

	assert_int_equal(n, nwant);
	for (i = 0; i < n; i++)
		assert_int_equal(ids[i], want[i]);
}

#define IDS(...) (const uint16_t[]){ __VA_ARGS__ }, \
	sizeof((const uint16_t[]){ __VA_ARGS__ }) / sizeof(uint16_t)

static void assert_ports(const struct policy_rule *r,
			 const struct sgw_port_range *want, size_t n)
{
	size_t i;

	assert_int_equal(r->nports, n);
	if (!n) {
		assert_null(r->ports);
		return;
	}
	for (i = 0; i < n; i++) {
		assert_int_equal(r->ports[i].lo, want[i].lo);
		assert_int_equal(r->ports[i].hi, want[i].hi);
	}
}

#define PORTS(...) (const struct sgw_port_range[]){ __VA_ARGS__ }, \
	sizeof((const struct sgw_port_range[]){ __VA_ARGS__ }) / \
	sizeof(struct sgw_port_range)

/* The example from the issue, verbatim. */
static const char example[] =
	"# comments start with '#'\n"
	"hook forward                      # forward (default), input, output; comma-separated\n"
	"segment web  10.10.1.0/24, fd00:1::/64\n"
	"segment db   10.10.2.0/24, fd00:2::/64\n"
	"segment ops  10.10.9.5            # a host is a /32 or /128\n"
	"allow web -> db tcp 5432\n"
	"allow ops -> web, db tcp 22\n"
	"allow any -> web tcp 80, 443\n"
	"allow ops -> any icmp\n"
	"allow web -> world udp 53\n"
	"allow web -> db tcp 8000-8080\n";

static void test_example(void **state)
{
	struct policy p;
	size_t i;

	(void)state;
	parse_ok(example, &p);
	assert_int_equal(p.hooks, SGW_HOOK_F_FORWARD);
	assert_int_equal(p.flow_max, 0);

	assert_int_equal(p.nsegments, 3);
	assert_string_equal(p.segments[0].name, "web");
	assert_int_equal(p.segments[0].id, 1);
	assert_int_equal(p.segments[0].line, 3);
	assert_int_equal(p.segments[0].nprefixes, 2);
	assert_prefix(&p.segments[0].prefixes[0], "10.10.1.0", 24);
	assert_prefix(&p.segments[0].prefixes[1], "fd00:1::", 64);
	assert_string_equal(p.segments[1].name, "db");
	assert_int_equal(p.segments[1].id, 2);
	assert_prefix(&p.segments[1].prefixes[0], "10.10.2.0", 24);
	assert_prefix(&p.segments[1].prefixes[1], "fd00:2::", 64);
	assert_string_equal(p.segments[2].name, "ops");
	assert_int_equal(p.segments[2].id, 3);
	assert_int_equal(p.segments[2].line, 5);
	assert_int_equal(p.segments[2].nprefixes, 1);
	assert_prefix(&p.segments[2].prefixes[0], "10.10.9.5", 32);

	assert_int_equal(p.nrules, 6);
	for (i = 0; i < p.nrules; i++) {
		assert_int_equal(p.rules[i].line, 6 + i);
		assert_int_not_equal(p.rules[i].id, 0);
	}
	assert_ids(p.rules[0].srcs, p.rules[0].nsrcs, IDS(1));
	assert_ids(p.rules[0].dsts, p.rules[0].ndsts, IDS(2));
	assert_int_equal(p.rules[0].proto, IPPROTO_TCP);
	assert_ports(&p.rules[0], PORTS({ 5432, 5432 }));

	assert_ids(p.rules[1].srcs, p.rules[1].nsrcs, IDS(3));
	assert_ids(p.rules[1].dsts, p.rules[1].ndsts, IDS(1, 2));
	assert_ports(&p.rules[1], PORTS({ 22, 22 }));

	assert_ids(p.rules[2].srcs, p.rules[2].nsrcs, IDS(SGW_SEG_ANY));
	assert_ids(p.rules[2].dsts, p.rules[2].ndsts, IDS(1));
	assert_ports(&p.rules[2], PORTS({ 80, 80 }, { 443, 443 }));

	assert_ids(p.rules[3].srcs, p.rules[3].nsrcs, IDS(3));
	assert_ids(p.rules[3].dsts, p.rules[3].ndsts, IDS(SGW_SEG_ANY));
	assert_int_equal(p.rules[3].proto, IPPROTO_ICMP);
	assert_ports(&p.rules[3], NULL, 0);

	assert_ids(p.rules[4].dsts, p.rules[4].ndsts, IDS(SGW_SEG_WORLD));
	assert_int_equal(p.rules[4].proto, IPPROTO_UDP);
	assert_ports(&p.rules[4], PORTS({ 53, 53 }));

	assert_int_equal(p.rules[5].proto, IPPROTO_TCP);
	assert_ports(&p.rules[5], PORTS({ 8000, 8080 }));
	policy_free(&p);
	assert_int_equal(p.nrules, 0);
	assert_null(p.rules);
}

static void test_empty(void **state)
{
	static const char *const texts[] = {
		"", "\n", "# only a comment", "  \t \n\n# c\r\n", "\r\n",
	};
	struct policy p;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		parse_ok(texts[i], &p);
		assert_int_equal(p.hooks, SGW_HOOK_F_FORWARD);
		assert_int_equal(p.nsegments, 0);
		assert_int_equal(p.nrules, 0);
		policy_free(&p);
	}
	/* No text at all, not even a buffer. */
	assert_int_equal(policy_parse(NULL, 0, &p, NULL), 0);
	policy_free(&p);
}

static void test_hooks(void **state)
{
	static const struct {
		const char	*text;
		uint32_t	hooks;
	} cases[] = {
		{ "", SGW_HOOK_F_FORWARD },
		{ "hook forward\n", SGW_HOOK_F_FORWARD },
		{ "hook input\n", SGW_HOOK_F_INPUT },
		{ "hook input, output\n", SGW_HOOK_F_INPUT | SGW_HOOK_F_OUTPUT },
		{ "hook output,input", SGW_HOOK_F_INPUT | SGW_HOOK_F_OUTPUT },
		{ "hook output,\n  forward,\n  input\n", __SGW_HOOK_F_ALL },
		{ "segment a 10.0.0.0/8\nhook output\n", SGW_HOOK_F_OUTPUT },
	};
	struct policy p;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		parse_ok(cases[i].text, &p);
		assert_int_equal(p.hooks, cases[i].hooks);
		policy_free(&p);
	}
}

static void test_flow_limit(void **state)
{
	struct policy p;

	(void)state;
	parse_ok("set flow-limit 1\n", &p);
	assert_int_equal(p.flow_max, 1);
	policy_free(&p);
	parse_ok("set flow-limit 16777216", &p);
	assert_int_equal(p.flow_max, 16777216);
	policy_free(&p);
	parse_ok("set   flow-limit\t000250000  # leading zeros are fine\n", &p);
	assert_int_equal(p.flow_max, 250000);
	policy_free(&p);
}

static void test_protocols(void **state)
{
	static const struct {
		const char	*rule;
		uint8_t		proto;
	} cases[] = {
		{ "allow a -> b", SGW_PROTO_ANY },
		{ "allow a -> b any", SGW_PROTO_ANY },
		{ "allow a -> b tcp", IPPROTO_TCP },
		{ "allow a -> b udp", IPPROTO_UDP },
		{ "allow a -> b icmp", IPPROTO_ICMP },
		{ "allow a -> b icmpv6", IPPROTO_ICMPV6 },
	};
	char text[128];
	struct policy p;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(text, sizeof(text),
			 "segment a 10.0.0.0/8\nsegment b 11.0.0.0/8\n%s\n",
			 cases[i].rule);
		parse_ok(text, &p);
		assert_int_equal(p.rules[0].proto, cases[i].proto);
		assert_ports(&p.rules[0], NULL, 0);
		policy_free(&p);
	}
}

static void test_ports(void **state)
{
	struct policy p;

	(void)state;
	parse_ok("segment a 10.0.0.0/8\n"
		 "allow a -> a tcp 22, 80-89, 443,0,65535, 1024-2047\n"
		 "allow a -> a udp 0-65535\n"
		 "allow a -> a udp 7-7\n", &p);
	assert_ports(&p.rules[0], PORTS({ 22, 22 }, { 80, 89 }, { 443, 443 },
					 { 0, 0 }, { 65535, 65535 },
					 { 1024, 2047 }));
	assert_ports(&p.rules[1], PORTS({ 0, 65535 }));
	assert_ports(&p.rules[2], PORTS({ 7, 7 }));
	policy_free(&p);
}

static void test_continuation(void **state)
{
	struct policy p;

	(void)state;
	parse_ok("segment big 10.0.0.0/24,\n"
		 "            10.0.1.0/24,   # a comment after the comma\n"
		 "\n"
		 "    # a comment line in the middle\n"
		 "\t10.0.2.0/24\n"
		 "allow big,\n"
		 "      world -> big,\n"
		 "  world tcp 1,\n"
		 "  2-3\n", &p);
	assert_int_equal(p.segments[0].nprefixes, 3);
	assert_prefix(&p.segments[0].prefixes[2], "10.0.2.0", 24);
	assert_int_equal(p.nrules, 1);
	assert_int_equal(p.rules[0].line, 6);
	assert_ids(p.rules[0].srcs, p.rules[0].nsrcs, IDS(1, SGW_SEG_WORLD));
	assert_ids(p.rules[0].dsts, p.rules[0].ndsts, IDS(1, SGW_SEG_WORLD));
	assert_ports(&p.rules[0], PORTS({ 1, 1 }, { 2, 3 }));
	policy_free(&p);
}

static void test_crlf(void **state)
{
	struct policy p;

	(void)state;
	parse_ok("hook input, \r\n output\r\n"
		 "segment a 10.0.0.0/8 # c\r\n"
		 "allow a -> a tcp 22\r\n"
		 "allow a -> a udp 53\r", &p);
	assert_int_equal(p.hooks, SGW_HOOK_F_INPUT | SGW_HOOK_F_OUTPUT);
	assert_int_equal(p.nrules, 2);
	assert_int_equal(p.rules[1].line, 5);
	policy_free(&p);
}

/* A rule may name a segment declared further down. */
static void test_forward_reference(void **state)
{
	struct policy p;

	(void)state;
	parse_ok("allow web -> db tcp 5432\n"
		 "segment db 10.10.2.0/24\n"
		 "segment web 10.10.1.0/24\n", &p);
	assert_string_equal(p.segments[0].name, "db");
	assert_ids(p.rules[0].srcs, p.rules[0].nsrcs, IDS(2));
	assert_ids(p.rules[0].dsts, p.rules[0].ndsts, IDS(1));
	policy_free(&p);
}

static void test_names(void **state)
{
	struct policy p;

	(void)state;
	parse_ok("segment _x 10.0.0.1\n"
		 "segment Web-1.prod_2 10.0.0.2\n"
		 "segment a234567890123456789012345678901 10.0.0.3\n"
		 "segment world-wide 10.0.0.4\n"
		 "segment anything 10.0.0.5\n"
		 "allow _x->Web-1.prod_2,a234567890123456789012345678901\n"
		 "allow world-wide -> anything\n", &p);
	assert_int_equal(p.nsegments, 5);
	assert_string_equal(p.segments[2].name,
			    "a234567890123456789012345678901");
	assert_ids(p.rules[0].srcs, p.rules[0].nsrcs, IDS(1));
	assert_ids(p.rules[0].dsts, p.rules[0].ndsts, IDS(2, 3));
	assert_ids(p.rules[1].srcs, p.rules[1].nsrcs, IDS(4));
	assert_ids(p.rules[1].dsts, p.rules[1].ndsts, IDS(5));
	policy_free(&p);
}

static void test_prefixes(void **state)
{
	struct policy p;

	(void)state;
	parse_ok("segment a 10.9.9.5, fd00:9::5, 0.0.0.0/0\n"
		 "segment b ::/0, 10.0.0.0/8, 10.1.0.0/16, 10.1.2.3/32\n"
		 "segment c 2001:db8::/32, 2001:db8:1::/48, ::1\n"
		 "segment d 255.255.255.255, 192.168.0.0/16\n"
		 "segment e ::/80\n", &p);
	assert_prefix(&p.segments[0].prefixes[0], "10.9.9.5", 32);
	assert_prefix(&p.segments[0].prefixes[1], "fd00:9::5", 128);
	assert_prefix(&p.segments[0].prefixes[2], "0.0.0.0", 0);
	assert_prefix(&p.segments[1].prefixes[0], "::", 0);
	/* Overlapping prefixes in different segments: longest match. */
	assert_prefix(&p.segments[1].prefixes[2], "10.1.0.0", 16);
	assert_prefix(&p.segments[2].prefixes[2], "::1", 128);
	assert_prefix(&p.segments[3].prefixes[0], "255.255.255.255", 32);
	/* Covering ::ffff:0:0/96 and more: not refused as IPv4-mapped. */
	assert_prefix(&p.segments[4].prefixes[0], "::", 80);
	policy_free(&p);
}

static void test_world_any(void **state)
{
	struct policy p;

	(void)state;
	parse_ok("segment a 10.0.0.0/8\n"
		 "allow world -> world\n"
		 "allow any -> any\n"
		 "allow a, world -> any udp 53\n", &p);
	assert_ids(p.rules[0].srcs, p.rules[0].nsrcs, IDS(SGW_SEG_WORLD));
	assert_ids(p.rules[1].dsts, p.rules[1].ndsts, IDS(SGW_SEG_ANY));
	assert_ids(p.rules[2].srcs, p.rules[2].nsrcs, IDS(1, SGW_SEG_WORLD));
	assert_string_equal(policy_segment_name(&p, SGW_SEG_WORLD), "world");
	assert_string_equal(policy_segment_name(&p, SGW_SEG_ANY), "any");
	assert_string_equal(policy_segment_name(&p, 1), "a");
	assert_null(policy_segment_name(&p, 2));
	policy_free(&p);
}

struct bad {
	const char	*text;
	unsigned int	line;
	unsigned int	col;
	const char	*msg;
};

#define SEG "segment a 10.0.0.0/8\n"

static const struct bad bad[] = {
	/* Statements. */
	{ "segmnet web 10.0.0.0/8\n", 1, 1,
	  "unknown statement \"segmnet\" (expected hook, set, segment or allow)" },
	{ "\n  deny a -> b\n", 2, 3,
	  "unknown statement \"deny\" (expected hook, set, segment or allow)" },
	{ ", a\n", 1, 1,
	  "expected a statement (hook, set, segment or allow), found \",\"" },
	{ "  -> a\n", 1, 3,
	  "expected a statement (hook, set, segment or allow), found \"->\"" },

	/* Bytes. */
	{ "segment a 10.0.0.0/8;\n", 1, 21, "unexpected character \";\"" },
	{ "segment a \"10.0.0.0/8\"\n", 1, 11, "unexpected character '\"'" },
	{ "segment a 10.0.0.0/8 >\n", 1, 22, "unexpected character \">\"" },
	{ "segment a fe80::1%eth0\n", 1, 18, "unexpected character \"%\"" },
	{ "segment a\xc3\xa9 10.0.0.0/8\n", 1, 10,
	  "non-ASCII byte 0xc3 outside a comment" },
	{ SEG "allow a -> a\x07\n", 2, 13, "control character 0x07" },
	{ SEG "\x7f", 2, 1, "control character 0x7f" },
	{ "segment a 10.0.0.0/8\rallow a -> a\n", 1, 21,
	  "carriage return not followed by a line feed" },

	/* Segments and prefixes. */
	{ "segment\n", 1, 8,
	  "expected a segment name after \"segment\", found end of line" },
	{ "segment a", 1, 10,
	  "expected an address after segment name \"a\", found end of file" },
	{ "segment a ,10.0.0.0/8\n", 1, 11,
	  "expected an address after segment name \"a\", found \",\"" },
	{ "segment web 10.0.0.300\n", 1, 13, "invalid address \"10.0.0.300\"" },
	{ "segment web 10.0.0\n", 1, 13, "invalid address \"10.0.0\"" },
	{ "segment web 010.0.0.0/8\n", 1, 13,
	  "invalid address \"010.0.0.0/8\"" },
	{ "segment web fd00::1::2\n", 1, 13, "invalid address \"fd00::1::2\"" },
	{ "segment web db\n", 1, 13, "invalid address \"db\"" },
	{ "segment web 10.0.0.0/x\n", 1, 13, "invalid address \"10.0.0.0/x\"" },
	{ "segment web 10.0.0.0/\n", 1, 13, "invalid address \"10.0.0.0/\"" },
	{ "segment web 10.0.0.0/-1\n", 1, 13,
	  "invalid address \"10.0.0.0/-1\"" },
	{ "segment web 10.0.0.0/8/8\n", 1, 13,
	  "invalid address \"10.0.0.0/8/8\"" },
	{ "segment web /8\n", 1, 13, "invalid address \"/8\"" },
	{ "segment web 1111:2222:3333:4444:5555:6666:7777:8888:9999\n", 1, 13,
	  "invalid address \"1111:2222:3333:4444:5555:6666:7777:8888:9999\"" },
	{ "segment web 10.0.0.0/33\n", 1, 22,
	  "prefix length 33 out of range 0-32" },
	{ "segment web fd00::/129\n", 1, 20,
	  "prefix length 129 out of range 0-128" },
	{ "segment web 10.0.0.0/99999999999999999999\n", 1, 22,
	  "prefix length 99999999999999999999 out of range 0-32" },
	{ "segment web 10.1.1.1/24\n", 1, 13,
	  "prefix \"10.1.1.1/24\" has host bits set: write 10.1.1.0/24 for the network, or 10.1.1.1 for one host" },
	{ "segment web 0.0.0.0/0, 10.0.0.1/0\n", 1, 24,
	  "prefix \"10.0.0.1/0\" has host bits set: write 0.0.0.0/0 for the network, or 10.0.0.1 for one host" },
	{ "segment web fd00:1::1/64\n", 1, 13,
	  "prefix \"fd00:1::1/64\" has host bits set: write fd00:1::/64 for the network, or fd00:1::1 for one host" },
	{ "segment web ::ffff:10.1.0.0/112\n", 1, 13,
	  "IPv4-mapped prefix \"::ffff:10.1.0.0/112\" never matches, as sgw sees IPv4 traffic as IPv4: write 10.1.0.0/16" },
	{ "segment web ::ffff:10.1.2.3\n", 1, 13,
	  "IPv4-mapped address \"::ffff:10.1.2.3\" never matches, as sgw sees IPv4 traffic as IPv4: write 10.1.2.3" },
	{ "segment a 10.0.0.0/8 11.0.0.0/8\n", 1, 22,
	  "expected \",\" between addresses, found \"11.0.0.0/8\"" },
	{ "segment a 10.0.0.0/8,,\n", 1, 22,
	  "expected an address after \",\", found \",\"" },
	{ SEG "segment b 11.0.0.0/8, 10.0.0.0/8\n", 2, 23,
	  "prefix \"10.0.0.0/8\" is already in segment \"a\" (line 1)" },
	{ "segment a fd00:1::/64, fd00:1:0::/64\n", 1, 24,
	  "prefix \"fd00:1:0::/64\" is listed twice in segment \"a\"" },
	{ "segment a 10.9.9.5\nsegment b 10.9.9.5/32\n", 2, 11,
	  "prefix \"10.9.9.5/32\" is already in segment \"a\" (line 1)" },
	{ SEG "\nsegment a 11.0.0.0/8\n", 3, 9,
	  "duplicate segment \"a\", first declared at line 1" },
	{ "segment any 10.0.0.0/8\n", 1, 9,
	  "\"any\" is reserved and cannot name a segment" },
	{ "segment world 10.0.0.0/8\n", 1, 9,
	  "\"world\" is reserved and cannot name a segment" },
	{ "segment tcp 10.0.0.0/8\n", 1, 9,
	  "\"tcp\" is reserved and cannot name a segment" },
	{ "segment allow 10.0.0.0/8\n", 1, 9,
	  "\"allow\" is reserved and cannot name a segment" },
	{ "segment a23456789012345678901234567890123 10.0.0.0/8\n", 1, 9,
	  "segment name \"a23456789012345678901234567890123\" is longer than 31 bytes" },
	{ "segment a2345678901234567890123456789012 10.0.0.0/8\n", 1, 9,
	  "segment name \"a2345678901234567890123456789012\" is longer than 31 bytes" },
	{ "segment 1a 10.0.0.0/8\n", 1, 9,
	  "invalid segment name \"1a\": a name is a letter or \"_\" followed by letters, digits, \"_\", \".\" or \"-\"" },
	{ "segment a:b 10.0.0.0/8\n", 1, 9,
	  "invalid segment name \"a:b\": a name is a letter or \"_\" followed by letters, digits, \"_\", \".\" or \"-\"" },

	/* Lists across lines. */
	{ "segment a 10.0.0.0/8,", 1, 21, "list ends with \",\" at end of file" },
	{ "segment a 10.0.0.0/8,\n\n# more later\n", 1, 21,
	  "list ends with \",\" at end of file" },
	{ "segment a 10.0.0.0/8,\nallow a -> a\n", 1, 21,
	  "list ends with \",\" but line 2 starts a new \"allow\" statement" },
	{ "segment a 10.0.0.0/8,\n\n  segment b 11.0.0.0/8\n", 1, 21,
	  "list ends with \",\" but line 3 starts a new \"segment\" statement" },
	{ SEG "allow a -> a tcp 1,\n", 2, 19,
	  "list ends with \",\" at end of file" },
	{ SEG "allow a,\nhook input\n", 2, 8,
	  "list ends with \",\" but line 3 starts a new \"hook\" statement" },

	/* Rules. */
	{ SEG "allow\n", 2, 6,
	  "expected a segment name after \"allow\", found end of line" },
	{ SEG "allow a db tcp 22\n", 2, 9,
	  "expected \"->\" after source segments, found \"db\"" },
	{ SEG "allow a\n", 2, 8,
	  "expected \"->\" after source segments, found end of line" },
	{ SEG "allow a ->\n", 2, 11,
	  "expected a segment name after \"->\", found end of line" },
	{ SEG "allow a -> tcp 22\n", 2, 12,
	  "expected a segment name after \"->\", found \"tcp\"" },
	{ SEG "allow a, -> a\n", 2, 10,
	  "expected a segment name after \",\", found \"->\"" },
	{ SEG "allow a -> a -> a\n", 2, 14,
	  "expected a protocol after destination segments, found \"->\"" },
	{ SEG "allow 10.0.0.1 -> a\n", 2, 7,
	  "invalid segment name \"10.0.0.1\": a name is a letter or \"_\" followed by letters, digits, \"_\", \".\" or \"-\"" },
	{ SEG "allow a -> b\n", 2, 12, "unknown segment \"b\"" },
	{ SEG "allow a -> a\nallow a -> dbb tcp 5432\nallow dbb -> a\n", 3, 12,
	  "unknown segment \"dbb\"" },
	/* The first undeclared use in the text, whatever its name. */
	{ "allow a -> zz\nallow b -> a\n" SEG, 1, 12, "unknown segment \"zz\"" },
	{ SEG "allow a, a -> a\n", 2, 10, "segment \"a\" is listed twice" },
	{ SEG "allow a -> world, a, world\n", 2, 22,
	  "segment \"world\" is listed twice" },
	{ SEG "allow any, a -> a\n", 2, 12,
	  "\"any\" cannot be combined with other segments, found \"a\"" },
	{ SEG "allow a -> a, any\n", 2, 15,
	  "\"any\" cannot be combined with other segments, found \"any\"" },
	{ SEG "allow a -> a a\n", 2, 14, "expected \",\" before segment \"a\"" },
	{ SEG "allow a -> a sctp\n", 2, 14,
	  "unknown protocol \"sctp\" (expected tcp, udp, icmp, icmpv6 or any)" },
	{ SEG "allow a -> a tcp udp\n", 2, 18, "invalid port \"udp\"" },
	{ SEG "allow a -> a icmp tcp\n", 2, 19,
	  "unexpected \"tcp\" at the end of a rule statement" },

	/* Ports. */
	{ SEG "allow a -> a tcp 70000\n", 2, 18,
	  "port 70000 out of range 0-65535" },
	{ SEG "allow a -> a tcp 1, 65536\n", 2, 21,
	  "port 65536 out of range 0-65535" },
	{ SEG "allow a -> a udp 80-70000\n", 2, 21,
	  "port 70000 out of range 0-65535" },
	{ SEG "allow a -> a tcp 8080-8000\n", 2, 18,
	  "port range 8080-8000 is reversed: write 8000-8080" },
	{ SEG "allow a -> a tcp http\n", 2, 18, "invalid port \"http\"" },
	{ SEG "allow a -> a tcp -5\n", 2, 18, "invalid port \"-5\"" },
	{ SEG "allow a -> a tcp 5-\n", 2, 18, "invalid port \"5-\"" },
	{ SEG "allow a -> a tcp 1-2-3\n", 2, 18, "invalid port \"1-2-3\"" },
	{ SEG "allow a -> a tcp 22 23\n", 2, 21,
	  "expected \",\" between ports, found \"23\"" },
	{ SEG "allow a -> a tcp 22,,23\n", 2, 21,
	  "expected a port after \",\", found \",\"" },
	{ SEG "allow a -> a tcp 80, 443, 80\n", 2, 27,
	  "port 80 is listed twice" },
	{ SEG "allow a -> a tcp 80, 70-90\n", 2, 22, "port 70-90 overlaps 80" },
	{ SEG "allow a -> a tcp 1000-2000, 3000, 1500-1600, 1999-3000\n", 2,
	  35, "port 1500-1600 overlaps 1000-2000" },
	{ SEG "allow a -> a icmp 8\n", 2, 19,
	  "port \"8\" needs tcp or udp, not icmp" },
	{ SEG "allow a -> a any 80\n", 2, 18,
	  "port \"80\" needs tcp or udp, not any" },
	{ SEG "allow a -> a 22\n", 2, 14,
	  "port \"22\" needs a protocol, tcp or udp, before it" },

	/* Duplicate rules: the same meaning however written. */
	{ SEG "allow a -> a\nallow a -> a\n", 3, 1,
	  "duplicate rule, first at line 2" },
	{ SEG "segment b 11.0.0.0/8\nallow a, b -> a tcp 80, 443\n\n"
	  "  allow b,a->a tcp 443,80\n", 5, 3,
	  "duplicate rule, first at line 3" },
	{ SEG "allow a -> a tcp 80-89, 90-99\nallow a -> a tcp 80-99\n", 3, 1,
	  "duplicate rule, first at line 2" },
	{ SEG "allow a -> a tcp 0-65535\nallow a -> a tcp\n", 3, 1,
	  "duplicate rule, first at line 2" },
	{ SEG "allow a -> a any\nallow a -> a\n", 3, 1,
	  "duplicate rule, first at line 2" },

	/* Application rules. */
#define WEB "segment web 10.0.0.0/8\n"
	{ WEB "allow any -> web app http\n", 2, 22,
	  "app \"http\" needs tcp before it" },
	{ WEB "allow any -> web app dns\n", 2, 22,
	  "app \"dns\" needs tcp or udp before it" },
	{ WEB "allow any -> web udp 80 app http\n", 2, 29,
	  "app \"http\" needs tcp, not udp" },
	{ WEB "allow any -> web udp app tls\n", 2, 26,
	  "app \"tls\" needs tcp, not udp" },
	{ WEB "allow any -> web udp 22 app ssh\n", 2, 29,
	  "app \"ssh\" needs tcp, not udp" },
	{ WEB "allow any -> web icmp app dns\n", 2, 27,
	  "app \"dns\" needs tcp or udp, not icmp" },
	{ WEB "allow any -> web any app unclassified\n", 2, 26,
	  "app \"unclassified\" needs tcp or udp, not any" },
	{ WEB "segment app 11.0.0.0/8\nallow any -> web app http\n", 3, 18,
	  "expected \",\" before segment \"app\"" },
	{ WEB "allow any -> web tcp app ftp\n", 2, 26,
	  "unknown app \"ftp\" (expected http, tls, dns, ssh or unclassified)" },
	{ WEB "allow any -> web tcp app HTTP\n", 2, 26,
	  "unknown app \"HTTP\" (expected http, tls, dns, ssh or unclassified)" },
	{ WEB "allow any -> web tcp app\n", 2, 25,
	  "expected an app (http, tls, dns, ssh or unclassified) after \"app\", found end of line" },
	{ WEB "allow any -> web tcp 80 app http sni a.example\n", 2, 34,
	  "\"sni\" is not a field of app http (expected host, method or path)" },
	{ WEB "allow any -> web tcp 443 app tls host a.example\n", 2, 34,
	  "\"host\" is not a field of app tls (expected sni, alpn, nosni or ech)" },
	{ WEB "allow any -> web udp 53 app dns path /\n", 2, 33,
	  "\"path\" is not a field of app dns (expected qname)" },
	{ WEB "allow any -> web tcp 22 app ssh host a\n", 2, 33,
	  "app ssh takes no fields, found \"host\"" },
	{ WEB "allow any -> web tcp app unclassified qname a\n", 2, 39,
	  "app unclassified takes no fields, found \"qname\"" },
	{ WEB "allow any -> web tcp 22 app ssh OpenSSH\n", 2, 33,
	  "app ssh takes no fields, found \"OpenSSH\"" },
	{ WEB "allow any -> web tcp 80 app http nosni\n", 2, 34,
	  "\"nosni\" is a flag of app tls, not of app http" },
	{ WEB "allow any -> web udp app dns ech\n", 2, 30,
	  "\"ech\" is a flag of app tls, not of app dns" },
	{ WEB "allow any -> web tcp 80 app http hots a\n", 2, 34,
	  "unknown field \"hots\" for app http (expected host, method or path)" },
	{ WEB "allow any -> web tcp 80 app http host a, b host c\n", 2, 44,
	  "field \"host\" is given twice: list all its patterns after one \"host\"" },
	{ WEB "allow any -> web tcp app tls nosni sni a nosni\n", 2, 42,
	  "flag \"nosni\" is given twice" },
	{ WEB "allow any -> web tcp 80 app http host\n", 2, 38,
	  "expected a host pattern after \"host\", found end of line" },
	{ WEB "allow any -> web tcp 80 app http method , GET\n", 2, 41,
	  "expected a method after \"method\", found \",\"" },
	{ WEB "allow any -> web tcp 80 app http host method GET\n", 2, 39,
	  "expected a host pattern after \"host\", found \"method\"" },
	{ WEB "allow any -> web tcp app tls alpn h2,,h3\n", 2, 38,
	  "expected an ALPN id after \",\", found \",\"" },
	{ WEB "allow any -> web tcp app tls sni a.example, nosni\n", 2, 45,
	  "\"nosni\" is a keyword, not an SNI pattern: remove the \",\" before it" },
	{ WEB "allow any -> web tcp 80 app http host a,\n", 2, 40,
	  "list ends with \",\" at end of file" },
	{ WEB "allow any -> web tcp 80 app http path /a,\nallow any -> web\n",
	  2, 41,
	  "list ends with \",\" but line 3 starts a new \"allow\" statement" },
	{ WEB "allow any -> web tcp 80 app http host a b\n", 2, 41,
	  "unknown field \"b\" for app http (expected host, method or path)" },
	/* Continuation lines. */
	{ WEB "allow any -> web tcp 80\n  host a.example\n", 3, 3,
	  "unknown statement \"host\" (expected hook, set, segment or allow)" },
	{ WEB "allow any -> web tcp 22 app ssh\n\n  host a.example\n", 4, 3,
	  "app ssh takes no fields, found \"host\"" },
	{ WEB "allow any -> web tcp 80 app http host a\n  host b\n", 3, 3,
	  "field \"host\" is given twice: list all its patterns after one \"host\"" },
	{ WEB "allow any -> web tcp 80 app http host a\n  hosts b\n", 3, 3,
	  "unknown statement \"hosts\" (expected hook, set, segment or allow)" },
	{ WEB "allow any -> web tcp 80 app http host a\n\x01\n", 3, 1,
	  "control character 0x01" },
	{ WEB "allow any -> web tcp 80 app http host a\n"
	  "allow any -> web tcp 80 app http host a\n\x01\n", 3, 1,
	  "duplicate rule, first at line 2" },
	{ WEB "allow any -> web tcp 80 app http host a\n  , b\n", 3, 3,
	  "expected a statement (hook, set, segment or allow), found \",\"" },
	{ WEB "allow any -> web tcp 80 app http host a -> b\n", 2, 41,
	  "unexpected \"->\" at the end of a rule statement" },
	{ WEB "allow any -> web tcp 80, app http\n", 2, 26,
	  "invalid port \"app\"" },
	{ WEB "allow any -> web tcp 80 443 app http\n", 2, 25,
	  "expected \",\" between ports, found \"443\"" },

	/* Patterns. */
	{ WEB "allow any -> web tcp app http host a.*.example\n", 2, 36,
	  "\"*\" may only start a host pattern, as in \"*.example.com\": found \"a.*.example\"" },
	{ WEB "allow any -> web tcp app http host *\n", 2, 36,
	  "\"*\" may only start a host pattern, as in \"*.example.com\": found \"*\"" },
	{ WEB "allow any -> web tcp app http host *example.com\n", 2, 36,
	  "\"*\" may only start a host pattern, as in \"*.example.com\": found \"*example.com\"" },
	{ WEB "allow any -> web tcp app tls sni *.*.example\n", 2, 34,
	  "\"*\" may only start an SNI pattern, as in \"*.example.com\": found \"*.*.example\"" },
	{ WEB "allow any -> web udp app dns qname a..example\n", 2, 36,
	  "invalid qname pattern \"a..example\": a name is labels of letters, digits, \"-\" and \"_\" (63 bytes at most, 253 in all) joined by \".\", optionally after \"*.\"" },
	{ WEB "allow any -> web tcp app http host a:8080\n", 2, 36,
	  "invalid host pattern \"a:8080\": a name is labels of letters, digits, \"-\" and \"_\" (63 bytes at most, 253 in all) joined by \".\", optionally after \"*.\"" },
	{ WEB "allow any -> web tcp app http host *.\n", 2, 36,
	  "invalid host pattern \"*.\": a name is labels of letters, digits, \"-\" and \"_\" (63 bytes at most, 253 in all) joined by \".\", optionally after \"*.\"" },
	{ WEB "allow any -> web tcp app http host a~b\n", 2, 37,
	  "unexpected character \"~\"" },
	{ WEB "allow any -> web tcp app http path api/*\n", 2, 36,
	  "path pattern \"api/*\" must start with \"/\"" },
	{ WEB "allow any -> web tcp app http path /api/*/items\n", 2, 36,
	  "\"*\" may only end a path pattern, as in \"/api/*\": found \"/api/*/items\"" },
	{ WEB "allow any -> web tcp app http path /a**\n", 2, 36,
	  "\"*\" may only end a path pattern, as in \"/api/*\": found \"/a**\"" },
	{ WEB "allow any -> web tcp app http path /search?q=1\n", 2, 36,
	  "path pattern \"/search?q=1\" holds a query: paths are matched without the \"?\" and what follows" },
	{ WEB "allow any -> web tcp app http path /a/../admin\n", 2, 36,
	  "path pattern \"/a/../admin\" can never match: no path with a \".\" or \"..\" segment or an encoded \".\", \"/\", \"\\\" or \"%\" matches a path rule" },
	{ WEB "allow any -> web tcp app http path /a, /b/%2e%2e/*\n", 2, 40,
	  "path pattern \"/b/%2e%2e/*\" can never match: no path with a \".\" or \"..\" segment or an encoded \".\", \"/\", \"\\\" or \"%\" matches a path rule" },
	{ WEB "allow any -> web tcp app http path /.well-known/*, /a/..*\n",
	  0, 0, NULL },
	{ WEB "allow any -> web tcp app http path /a\"b\n", 2, 38,
	  "unexpected character '\"'" },
	/* "#" starts a comment, in a pattern too: this is "path /a". */
	{ WEB "allow any -> web tcp app http path /a#b, /c\n", 0, 0, NULL },
	{ WEB "allow any -> web tcp app http method GET/1\n", 2, 38,
	  "invalid method \"GET/1\": a method is an HTTP token, such as GET or M-SEARCH" },
	{ WEB "allow any -> web tcp app http method ABCDEFGHIJKLMNOPQRSTUVWXY\n",
	  2, 38, "method \"ABCDEFGHIJKLMNOPQRSTUVWXY\" is longer than 24 bytes" },
	{ WEB "allow any -> web tcp app tls alpn abcdefghijklmnopqrstuvwxyz0123456\n",
	  2, 35,
	  "ALPN id \"abcdefghijklmnopqrstuvwxyz0123456\" is longer than 32 bytes, the most sgw compares" },
	{ WEB "allow any -> web tcp app http host a.example, A.EXAMPLE.\n", 2,
	  47, "host pattern \"A.EXAMPLE.\" is listed twice" },
	{ WEB "allow any -> web tcp app http method GET, POST, GET\n", 2, 49,
	  "method \"GET\" is listed twice" },
	{ WEB "allow any -> web tcp app http method GET, get\n", 2, 1,
	  NULL },	/* methods are case-sensitive: not a duplicate */

	/* Duplicates: the same meaning, however written. */
	{ WEB "allow any -> web tcp 80 app http host B, a\n"
	  "allow any -> web tcp 80 app http host A., b\n", 3, 1,
	  "duplicate rule, first at line 2" },
	{ WEB "allow any -> web tcp 443 app tls ech sni a alpn h2\n"
	  "allow any -> web tcp 443 app tls alpn h2 sni a ech\n", 3, 1,
	  "duplicate rule, first at line 2" },

	/* Settings. */
	{ "set l7-deny\n", 1, 12,
	  "expected reset or drop after \"l7-deny\", found end of line" },
	{ "set l7-deny silently\n", 1, 13,
	  "unknown l7-deny \"silently\" (expected reset or drop)" },
	{ "set l7-deny drop\nset l7-deny reset\n", 2, 1,
	  "l7-deny already set at line 1" },
	{ "set l7-deny drop reset\n", 1, 18,
	  "unexpected \"reset\" at the end of a set statement" },
	{ "segment a* 10.0.0.0/8\n", 1, 9,
	  "invalid segment name \"a*\": a name is a letter or \"_\" followed by letters, digits, \"_\", \".\" or \"-\"" },

	/* Hooks. */
	{ "hook forward\nhook input\n", 2, 1, "hook already set at line 1" },
	{ "hook forward, forward\n", 1, 15,
	  "hook \"forward\" is listed twice" },
	{ "hook prerouting\n", 1, 6,
	  "unknown hook \"prerouting\" (expected forward, input or output)" },
	{ "hook input output\n", 1, 12,
	  "expected \",\" between hooks, found \"output\"" },
	{ "hook\n", 1, 5,
	  "expected a hook (forward, input or output) after \"hook\", found end of line" },
	{ "hook input,\n", 1, 11, "list ends with \",\" at end of file" },

	/* Settings. */
	{ "set flow-limit 0\n", 1, 16, "flow-limit 0 out of range 1-16777216" },
	{ "set flow-limit 16777217\n", 1, 16,
	  "flow-limit 16777217 out of range 1-16777216" },
	{ "set flow-limit 123456789012345678901234567890123456789012345678901234567890\n",
	  1, 16,
	  "flow-limit 1234567890123456789012345678901234567890123456789012345678... out of range 1-16777216" },
	{ "set flow-limit -1\n", 1, 16, "invalid flow-limit \"-1\"" },
	{ "set flow-limit 1k\n", 1, 16, "invalid flow-limit \"1k\"" },
	{ "set flow-limit\n", 1, 15,
	  "expected a number after \"flow-limit\", found end of line" },
	{ "set flow-limit 5 6\n", 1, 18,
	  "unexpected \"6\" at the end of a set statement" },
	{ "set flow_limit 5\n", 1, 5,
	  "unknown setting \"flow_limit\" (expected flow-limit or l7-deny)" },
	{ "set\n", 1, 4, "expected a setting after \"set\", found end of line" },
	{ "set flow-limit 5\n# x\nset flow-limit 5\n", 3, 1,
	  "flow-limit already set at line 1" },
};

static void test_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct policy p;

		if (bad[i].msg) {
			parse_bad(bad[i].text, bad[i].line, bad[i].col,
				  bad[i].msg);
			continue;
		}
		/* A near miss that must parse. */
		parse_ok(bad[i].text, &p);
		policy_free(&p);
	}
}

/* The error struct itself is optional. */
static void test_error_optional(void **state)
{
	struct policy p;

	(void)state;
	assert_int_equal(policy_parse("bogus", 5, &p, NULL), -1);
	assert_int_equal(p.nsegments, 0);
}

static void test_nul(void **state)
{
	static const char in_stmt[] = "segment a 10.0.0.0/8\nallow a\0 -> a\n";
	static const char in_comment[] = "segment a 10.0.0.0/8 # a\0b\n";
	static const char at_start[] = "\0segment a 10.0.0.0/8\n";

	(void)state;
	parse_bad_len(in_stmt, sizeof(in_stmt) - 1, 2, 8,
		      "NUL byte in policy text");
	parse_bad_len(in_comment, sizeof(in_comment) - 1, 1, 25,
		      "NUL byte in policy text");
	parse_bad_len(at_start, sizeof(at_start) - 1, 1, 1,
		      "NUL byte in policy text");
}

/* Comments may hold any byte but NUL, so UTF-8 prose is fine there. */
static void test_comment_bytes(void **state)
{
	struct policy p;

	(void)state;
	parse_ok("# caf\xc3\xa9 \x01\x7f\xff\r\n"
		 "segment a 10.0.0.0/8 # \xe2\x86\x92 db\n", &p);
	assert_int_equal(p.nsegments, 1);
	policy_free(&p);
}

/* Text that is not NUL-terminated and ends inside a token. */
static void test_no_terminator(void **state)
{
	static const char *const texts[] = {
		"segment a 10.0.0.0/8",
		"segment a 10.0.0.0/8\nallow a -> a tcp 8000-8080",
		"segment a 10.0.0.0/8\nallow a->a",
		"segment a 10.0.0.0/8\nallow a -",
		"hook input,output",
		"set flow-limit 12",
		"# comment",
		"segment a fd00::/16\r",
	};
	struct policy_error err;
	struct policy p;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		size_t len = strlen(texts[i]);
		char *copy = malloc(len);
		int ret;

		assert_non_null(copy);
		memcpy(copy, texts[i], len);
		ret = policy_parse(copy, len, &p, &err);
		free(copy);
		if (i == 3) {	/* "-" at the very end is no "->" */
			assert_int_equal(ret, -1);
			assert_int_equal(err.line, 2);
			assert_int_equal(err.col, 9);
			assert_string_equal(err.msg,
					    "expected \"->\" after source segments, found \"-\"");
			continue;
		}
		assert_int_equal(ret, 0);
		policy_free(&p);
	}
}

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = 0;
	return s;
}

static void test_line_length(void **state)
{
	char *fill = repeat(' ', POLICY_LINE_MAX);
	char *text = malloc(POLICY_LINE_MAX * 2 + 64);
	struct policy p;

	(void)state;
	assert_non_null(text);
	/* Exactly POLICY_LINE_MAX bytes, then CRLF: fine. */
	memcpy(fill, "# ", 2);
	sprintf(text, "%s\r\nsegment a 10.0.0.0/8\n", fill);
	parse_ok(text, &p);
	policy_free(&p);

	/* One byte more, in a comment, in blanks, in a word. */
	sprintf(text, "%s.\nsegment a 10.0.0.0/8\n", fill);
	parse_bad(text, 1, POLICY_LINE_MAX + 1, "line is longer than 65536 bytes");
	memcpy(fill, "  ", 2);
	sprintf(text, "segment a 10.0.0.0/8\n%s \n", fill);
	parse_bad(text, 2, POLICY_LINE_MAX + 1, "line is longer than 65536 bytes");
	sprintf(text, "%s", fill);
	memcpy(text + POLICY_LINE_MAX - 4, "hook input\n", 12);
	parse_bad(text, 1, POLICY_LINE_MAX + 1, "line is longer than 65536 bytes");
	free(fill);
	free(text);
}

/* The printer's canonical form of the issue's example. */
static void test_print(void **state)
{
	static const char want[] =
		"hook forward\n"
		"\n"
		"segment web 10.10.1.0/24, fd00:1::/64\n"
		"segment db 10.10.2.0/24, fd00:2::/64\n"
		"segment ops 10.10.9.5\n"
		"\n"
		"allow web -> db tcp 5432\n"
		"allow ops -> web, db tcp 22\n"
		"allow any -> web tcp 80, 443\n"
		"allow ops -> any icmp\n"
		"allow web -> world udp 53\n"
		"allow web -> db tcp 8000-8080\n";
	struct policy p;
	char *text;

	(void)state;
	parse_ok(example, &p);
	text = print(&p);
	assert_string_equal(text, want);
	free(text);
	policy_free(&p);

	parse_ok("hook output, input\nset flow-limit 4096\n"
		 "allow world -> world icmpv6\n", &p);
	text = print(&p);
	assert_string_equal(text, "hook input, output\nset flow-limit 4096\n"
			    "\nallow world -> world icmpv6\n");
	free(text);
	policy_free(&p);
}

/* Parse @text, print it, parse that: the same policy, rule ids included. */
static void round_trip(const char *text, size_t max_line)
{
	struct policy a, b;
	struct policy_error err;
	char *out, *line;
	size_t longest = 0;

	parse_ok(text, &a);
	out = print(&a);
	if (policy_parse(out, strlen(out), &b, &err))
		fail_msg("reparse: %u:%u: %s\n%s", err.line, err.col, err.msg,
			 out);
	assert_true(policy_equal(&a, &b));
	for (line = out; *line;) {
		size_t n = strcspn(line, "\n");

		if (n > longest)
			longest = n;
		line += n + (line[n] == '\n');
	}
	assert_true(longest <= max_line);
	free(out);
	policy_free(&a);
	policy_free(&b);
}

static void test_round_trip(void **state)
{
	size_t n = 0, cap = 1 << 20, i;
	char *text = malloc(cap);

	(void)state;
	round_trip(example, 80);
	round_trip("", 80);
	round_trip("hook input,output\nset flow-limit 77\n"
		   "allow b, world -> a udp 1-2,3,65535\n"
		   "segment a 1.2.3.4, ::/0\nsegment b 0.0.0.0/0\n"
		   "allow any->any\n", 80);

	/* Long lists: 2000 prefixes, 300 segments a side, 1000 ports. */
	assert_non_null(text);
	n += (size_t)sprintf(text + n, "segment big ");
	for (i = 0; i < 2000; i++)
		n += (size_t)sprintf(text + n, "%s10.%zu.%zu.0/24, fd00:%zx::/64",
				     i ? ", " : "", i / 256, i % 256, i);
	n += (size_t)sprintf(text + n, "\nallow ");
	for (i = 0; i < 300; i++)
		n += (size_t)sprintf(text + n,
				     "%sa_rather_long_segment_name_%04zu",
				     i ? ", " : "", i);
	n += (size_t)sprintf(text + n, " -> any tcp ");
	for (i = 0; i < 1000; i++)
		n += (size_t)sprintf(text + n, "%s%zu", i ? "," : "", i * 60);
	n += (size_t)sprintf(text + n, "\n");
	for (i = 0; i < 300; i++)
		n += (size_t)sprintf(text + n,
				     "segment a_rather_long_segment_name_%04zu 11.%zu.%zu.%zu\n",
				     i, i / 65536, i / 256 % 256, i % 256);
	assert_true(n < cap);
	/* See policy_print.c for the bound on a rule's joint line. */
	round_trip(text, 132);
	free(text);
}

static void test_equal(void **state)
{
	struct policy a, b;

	(void)state;
	parse_ok(example, &a);
	parse_ok(example, &b);
	assert_true(policy_equal(&a, &b));
	b.rules[2].ports[1].hi = 444;
	assert_false(policy_equal(&a, &b));
	b.rules[2].ports[1].hi = 443;
	b.segments[1].prefixes[0].addr[2] = 3;
	assert_false(policy_equal(&a, &b));
	b.segments[1].prefixes[0].addr[2] = 2;
	b.rules[0].id++;
	assert_false(policy_equal(&a, &b));
	b.rules[0].id--;
	b.hooks = SGW_HOOK_F_INPUT;
	assert_false(policy_equal(&a, &b));
	b.hooks = a.hooks;
	b.rules[1].dsts[1] = 3;
	assert_false(policy_equal(&a, &b));
	b.rules[1].dsts[1] = 2;
	assert_true(policy_equal(&a, &b));
	policy_free(&a);
	policy_free(&b);
}

static void test_print_invalid(void **state)
{
	struct policy p;
	FILE *f = fopen("/dev/null", "w");

	(void)state;
	assert_non_null(f);
	parse_ok(example, &p);
	p.rules[3].proto = 47;		/* GRE: no word for it */
	errno = 0;
	assert_int_equal(policy_print(f, &p), -1);
	assert_int_equal(errno, EINVAL);
	p.rules[3].proto = IPPROTO_ICMP;
	p.rules[3].srcs[0] = 9;		/* no such segment */
	assert_int_equal(policy_print(f, &p), -1);
	p.rules[3].srcs[0] = 3;
	assert_int_equal(policy_print(f, &p), 0);
	fclose(f);
	policy_free(&p);
}

/* Rule @i's id in @text. */
static uint32_t rule_id(const char *text, size_t i)
{
	struct policy p;
	uint32_t id;

	parse_ok(text, &p);
	assert_true(i < p.nrules);
	id = p.rules[i].id;
	policy_free(&p);
	return id;
}

static void test_ids(void **state)
{
	uint32_t id;

	(void)state;
	/* The documented formula: FNV-1a 32 of the canonical meaning. */
	id = rule_id("segment web 10.0.0.0/8\nsegment db 11.0.0.0/8\n"
		     "allow web -> db tcp 5432\n", 0);
	assert_int_equal(id, fnv1a("web>db|6|5432-5432"));
	id = rule_id("segment web 10.0.0.0/8\nsegment db 11.0.0.0/8\n"
		     "allow web, db -> world, db icmpv6\n", 0);
	assert_int_equal(id, fnv1a("db,web>db,world|58"));
	id = rule_id("allow any -> world\n", 0);
	assert_int_equal(id, fnv1a("any>world|0"));
}

/*
 * The id does not depend on line, column, whitespace, comments, the order
 * of the rules or segments, or the order of names and ports in a list.
 */
static void test_ids_stable(void **state)
{
	static const char a[] =
		"segment web 10.10.1.0/24\nsegment db 10.10.2.0/24\n"
		"segment ops 10.10.9.0/24\n"
		"allow web -> db tcp 5432\n"
		"allow ops -> web, db tcp 22, 80-89, 90-99\n";
	static const char b[] =
		"# reordered and reformatted\n"
		"segment ops 10.10.9.0/24\n\n"
		"allow ops->db,\n   web   tcp 90-99,22,80-89   # comment\r\n"
		"segment db 10.10.2.0/24\n"
		"\tallow\tweb\t->\tdb\ttcp\t5432\n"
		"segment web 10.10.1.0/24\n";
	static const char c[] =
		"segment web 10.10.1.0/24\nsegment db 10.10.2.0/24\n"
		"segment ops 10.10.9.0/24\n"
		"allow web -> db tcp 5432\n"
		"allow ops -> web, db tcp 22, 80-99\n";

	(void)state;
	assert_int_equal(rule_id(a, 0), rule_id(b, 1));
	assert_int_equal(rule_id(a, 1), rule_id(b, 0));
	/* 80-89, 90-99 is 80-99. */
	assert_int_equal(rule_id(a, 1), rule_id(c, 1));
	assert_int_equal(rule_id(a, 1),
			 fnv1a("ops>db,web|6|22-22,80-99"));
}

/* Rules that differ in any one part have different ids. */
static void test_ids_differ(void **state)
{
	static const char *const rules[] = {
		"allow a -> b",
		"allow b -> a",
		"allow a -> a",
		"allow a -> b, c",
		"allow a, c -> b",
		"allow a -> world",
		"allow a -> any",
		"allow any -> b",
		"allow world -> b",
		"allow a -> b tcp",
		"allow a -> b udp",
		"allow a -> b icmp",
		"allow a -> b icmpv6",
		"allow a -> b tcp 80",
		"allow a -> b tcp 81",
		"allow a -> b tcp 80-81",
		"allow a -> b tcp 80, 82",
		"allow a -> b udp 80",
		"allow a -> b tcp 0",
		"allow a -> b tcp 0-65534",
	};
	char text[2048];
	struct policy p;
	size_t n, i, j;

	(void)state;
	n = (size_t)snprintf(text, sizeof(text),
			     "segment a 10.0.0.0/8\nsegment b 11.0.0.0/8\n"
			     "segment c 12.0.0.0/8\n");
	for (i = 0; i < ARRAY_SIZE(rules); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\n",
				      rules[i]);
	parse_ok(text, &p);
	assert_int_equal(p.nrules, ARRAY_SIZE(rules));
	for (i = 0; i < p.nrules; i++) {
		assert_int_not_equal(p.rules[i].id, 0);
		for (j = 0; j < i; j++)
			assert_int_not_equal(p.rules[i].id, p.rules[j].id);
	}
	policy_free(&p);
}

/*
 * "spbxlsrq>d|0" and "spvsqkkf>d|0" have the same FNV-1a 32 (0x57b6bcb6):
 * the key that sorts first keeps it, the other takes FNV-1a of "key#1",
 * whatever order the rules are in.
 */
static void test_id_collision(void **state)
{
	static const char segs[] =
		"segment spbxlsrq 10.0.0.0/8\nsegment spvsqkkf 11.0.0.0/8\n"
		"segment d 12.0.0.0/8\n";
	char text[512];
	struct policy p;

	(void)state;
	assert_int_equal(fnv1a("spbxlsrq>d|0"), 0x57b6bcb6);
	assert_int_equal(fnv1a("spvsqkkf>d|0"), 0x57b6bcb6);

	snprintf(text, sizeof(text), "%sallow spbxlsrq -> d\n"
		 "allow spvsqkkf -> d\n", segs);
	parse_ok(text, &p);
	assert_int_equal(p.rules[0].id, 0x57b6bcb6);
	assert_int_equal(p.rules[1].id, fnv1a("spvsqkkf>d|0#1"));
	policy_free(&p);

	snprintf(text, sizeof(text), "%sallow spvsqkkf -> d\n"
		 "allow spbxlsrq -> d\n", segs);
	parse_ok(text, &p);
	assert_int_equal(p.rules[0].id, fnv1a("spvsqkkf>d|0#1"));
	assert_int_equal(p.rules[1].id, 0x57b6bcb6);
	policy_free(&p);
}

/* Rules alone, as "sgctl rule" gives them: names become segments. */
static void test_parse_rules(void **state)
{
	static const char rules[] = "allow web, db -> any tcp 80\n"
				    "allow ops -> web udp 53\n";
	static const uint16_t web_db[] = { 1, 2 }, any[] = { SGW_SEG_ANY };
	static const uint16_t ops[] = { 3 }, web[] = { 1 };
	struct policy_error err;
	struct policy p, full;
	char text[512];

	(void)state;
	assert_int_equal(policy_parse_rules(rules, strlen(rules), &p, &err), 0);
	assert_int_equal(p.nsegments, 3);
	assert_string_equal(p.segments[0].name, "web");
	assert_string_equal(p.segments[1].name, "db");
	assert_string_equal(p.segments[2].name, "ops");
	assert_int_equal(p.segments[2].id, 3);
	assert_int_equal(p.segments[2].line, 2);
	assert_int_equal(p.segments[0].nprefixes, 0);
	assert_int_equal(p.nrules, 2);
	assert_ids(p.rules[0].srcs, p.rules[0].nsrcs, web_db, 2);
	assert_ids(p.rules[0].dsts, p.rules[0].ndsts, any, 1);
	assert_ids(p.rules[1].srcs, p.rules[1].nsrcs, ops, 1);
	assert_ids(p.rules[1].dsts, p.rules[1].ndsts, web, 1);

	/* Ids as a whole policy gives the same rules, whatever its ids. */
	snprintf(text, sizeof(text), "segment ops 10.0.0.0/8\n"
		 "segment db 11.0.0.0/8\nsegment web 12.0.0.0/8\n%s", rules);
	parse_ok(text, &full);
	assert_int_equal(p.rules[0].id, full.rules[0].id);
	assert_int_equal(p.rules[1].id, full.rules[1].id);
	assert_int_equal(policy_rule_same(&p, &p.rules[0], &full,
					  &full.rules[0]), 1);
	assert_int_equal(policy_rule_same(&p, &p.rules[0], &full,
					  &full.rules[1]), 0);
	policy_free(&full);
	policy_free(&p);

	/* Nothing but rules; nothing at all is no rule. */
	assert_int_equal(policy_parse_rules("segment x 10.0.0.0/8", 20, &p,
					    &err), -1);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 1);
	assert_non_null(strstr(err.msg, "expected a rule"));
	assert_null(p.segments);
	assert_int_equal(policy_parse_rules("allow a -> b\nhook input", 23, &p,
					    &err), -1);
	assert_int_equal(err.line, 2);
	assert_int_equal(policy_parse_rules("allow a -> b tcp 70000", 22, &p,
					    &err), -1);
	assert_int_equal(err.col, 18);
	assert_int_equal(policy_parse_rules("", 0, &p, &err), 0);
	assert_int_equal(p.nrules, 0);
	policy_free(&p);
}

/* Same meaning, told apart from the text: order, merged ports, apps. */
static void test_rule_same(void **state)
{
	static const char a[] = "allow a, b -> c tcp 80-89, 90-99\n"
				"allow a, b -> c tcp 80-98\n"
				"allow a, b -> c tcp 80-99 app http\n";
	static const char b[] = "segment c 10.0.0.0/8\nsegment b 11.0.0.0/8\n"
				"segment a 12.0.0.0/8\n"
				"allow b, a -> c tcp 80-99\n";
	struct policy pa, pb;

	(void)state;
	assert_int_equal(policy_parse_rules(a, strlen(a), &pa, NULL), 0);
	parse_ok(b, &pb);
	assert_int_equal(policy_rule_same(&pa, &pa.rules[0], &pb,
					  &pb.rules[0]), 1);
	assert_int_equal(policy_rule_same(&pa, &pa.rules[1], &pb,
					  &pb.rules[0]), 0);
	assert_int_equal(policy_rule_same(&pa, &pa.rules[2], &pb,
					  &pb.rules[0]), 0);
	/* A segment id @pb does not name matches nothing. */
	pb.rules[0].srcs[0] = 77;
	assert_int_equal(policy_rule_same(&pa, &pa.rules[0], &pb,
					  &pb.rules[0]), 0);
	policy_free(&pa);
	policy_free(&pb);
}

/* An id taken by another rule: the next in policy_assign_ids()' order. */
static void test_rule_free_id(void **state)
{
	static const char two[] = "allow spbxlsrq -> d\nallow spvsqkkf -> d\n";
	uint32_t taken[2] = { 0x57b6bcb6, 0 };
	struct policy p;

	(void)state;
	assert_int_equal(policy_parse_rules(two, strlen(two), &p, NULL), 0);
	/* Colliding keys: the same hash, not the same rule. */
	assert_int_equal(policy_rule_same(&p, &p.rules[0], &p, &p.rules[1]), 0);
	assert_int_equal(policy_rule_free_id(&p, &p.rules[1], NULL, 0),
			 0x57b6bcb6);
	assert_int_equal(policy_rule_free_id(&p, &p.rules[1], taken, 1),
			 fnv1a("spvsqkkf>d|0#1"));
	assert_int_equal(policy_rule_free_id(&p, &p.rules[1], taken, 1),
			 p.rules[1].id);
	taken[1] = fnv1a("spvsqkkf>d|0#1");
	assert_int_equal(policy_rule_free_id(&p, &p.rules[1], taken, 2),
			 fnv1a("spvsqkkf>d|0#2"));
	policy_free(&p);
}

/* "zsinnjde>yiuxqvjz|0" hashes to 0; ids are never 0, so it gets 1. */
static void test_id_zero(void **state)
{
	(void)state;
	assert_int_equal(fnv1a("zsinnjde>yiuxqvjz|0"), 0);
	assert_int_equal(rule_id("segment zsinnjde 10.0.0.0/8\n"
				 "segment yiuxqvjz 11.0.0.0/8\n"
				 "allow zsinnjde -> yiuxqvjz\n", 0), 1);
}

static void test_limits(void **state)
{
	size_t cap = 4 << 20, n = 0, i;
	char *text = malloc(cap);
	struct policy p;

	(void)state;
	assert_non_null(text);

	/* 4096 segments on one side is the most, 4097 too many. */
	n = (size_t)sprintf(text, "segment a 10.0.0.0/8\nallow a -> a");
	for (i = 1; i < POLICY_RULE_SEGS_MAX; i++)
		n += (size_t)sprintf(text + n, ",\n  s%zu", i);
	n += (size_t)sprintf(text + n, "\n");
	for (i = 1; i < POLICY_RULE_SEGS_MAX; i++)
		n += (size_t)sprintf(text + n, "segment s%zu 11.%zu.%zu.0/24\n",
				     i, i / 256, i % 256);
	parse_ok(text, &p);
	assert_int_equal(p.rules[0].ndsts, POLICY_RULE_SEGS_MAX);
	policy_free(&p);
	n = (size_t)sprintf(text, "segment a 10.0.0.0/8\nallow a -> a");
	for (i = 1; i <= POLICY_RULE_SEGS_MAX; i++)
		n += (size_t)sprintf(text + n, ",\n  s%zu", i);
	parse_bad(text, POLICY_RULE_SEGS_MAX + 2, 3,
		  "more than 4096 segments on one side of a rule");

	/* 4096 port ranges is the most. */
	n = (size_t)sprintf(text, "segment a 10.0.0.0/8\nallow a -> a udp 0");
	for (i = 1; i < POLICY_RULE_PORTS_MAX; i++)
		n += (size_t)sprintf(text + n, ",%zu", i * 2);
	parse_ok(text, &p);
	assert_int_equal(p.rules[0].nports, POLICY_RULE_PORTS_MAX);
	policy_free(&p);
	n += (size_t)sprintf(text + n, ",\n9999");
	parse_bad(text, 3, 1, "more than 4096 port ranges in one rule");

	/* SGW_SEG_ID_MAX segments. */
	n = 0;
	for (i = 0; i <= SGW_SEG_ID_MAX; i++)
		n += (size_t)sprintf(text + n, "segment s%zu 10.%zu.%zu.0/24\n",
				     i, i / 256, i % 256);
	assert_true(n < cap);
	parse_bad(text, SGW_SEG_ID_MAX + 1, 9, "more than 65534 segments");
	free(text);

	/* POLICY_PREFIXES_MAX prefixes in all, 1024 hosts a line. */
	cap = 20 << 20;
	text = malloc(cap);
	assert_non_null(text);
	n = (size_t)sprintf(text, "segment a 10.0.0.0/8\nsegment b ");
	for (i = 0; i < POLICY_PREFIXES_MAX - 1; i++)
		n += (size_t)sprintf(text + n, "%s11.%zu.%zu.%zu",
				     !i ? "" : i % 1024 ? ", " : ",\n",
				     i >> 16, i >> 8 & 255, i & 255);
	assert_true(n < cap - 64);
	parse_ok(text, &p);
	assert_int_equal(p.segments[1].nprefixes, POLICY_PREFIXES_MAX - 1);
	policy_free(&p);
	sprintf(text + n, ", 12.0.0.0/8");
	/* The extra prefix's column: after the last line's text and ", ". */
	parse_bad(text, 2 + (POLICY_PREFIXES_MAX - 2) / 1024,
		  (unsigned int)(n - (size_t)(strrchr(text, '\n') - text)) + 2,
		  "more than 1048576 prefixes");
	free(text);
}

/* The application rules of the issue, and the TLS flags. */
static const char l7_example[] =
	"segment web 10.10.1.0/24\n"
	"segment db 10.10.2.0/24\n"
	"segment ops 10.10.9.0/24\n"
	"allow any -> web tcp 80\n"
	"allow any -> web tcp 80 app http host shop.example.com, *.shop.example.com method GET, POST path /api/*\n"
	"allow any -> web tcp 443 app tls sni shop.example.com alpn h2, http/1.1\n"
	"allow web -> world udp 53 app dns qname *.corp.example, *.debian.org\n"
	"allow ops -> db tcp 22 app ssh\n"
	"allow any -> web tcp 443 app tls sni Legacy.Example.COM. nosni ech\n"
	"allow ops -> db tcp app unclassified\n";

static void assert_patterns(const struct sgw_l7_rule *l7,
			    enum sgw_l7_field f, const char *const *want,
			    size_t nwant)
{
	const struct sgw_l7_pattern *set;
	unsigned int n, i;

	set = sgw_l7_rule_patterns(l7, f, &n);
	assert_int_equal(n, nwant);
	for (i = 0; i < n; i++) {
		assert_int_equal(set[i].len, strlen(want[i]));
		assert_string_equal(set[i].str, want[i]);
	}
}

#define PATS(...) (const char *const[]){ __VA_ARGS__ }, \
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)
#define NONE NULL, 0

static void assert_app(const struct policy_rule *r, uint8_t app,
		       uint32_t flags)
{
	assert_non_null(r->l7);
	assert_int_equal(sgw_l7_rule_app(r->l7), app);
	assert_int_equal(sgw_l7_rule_flags(r->l7), flags);
}

static void test_l7_rules(void **state)
{
	const struct policy_rule *r;
	struct policy p;

	(void)state;
	parse_ok(l7_example, &p);
	assert_int_equal(p.nrules, 7);
	assert_int_equal(p.flags, 0);
	assert_null(p.rules[0].l7);

	r = &p.rules[1];
	assert_int_equal(r->proto, IPPROTO_TCP);
	assert_ports(r, PORTS({ 80, 80 }));
	assert_app(r, SGW_APP_HTTP, 0);
	assert_patterns(r->l7, SGW_L7_FIELD_HOST,
			PATS("shop.example.com", "*.shop.example.com"));
	assert_patterns(r->l7, SGW_L7_FIELD_METHOD, PATS("GET", "POST"));
	assert_patterns(r->l7, SGW_L7_FIELD_PATH, PATS("/api/*"));
	assert_patterns(r->l7, SGW_L7_FIELD_SNI, NONE);

	r = &p.rules[2];
	assert_app(r, SGW_APP_TLS, 0);
	assert_patterns(r->l7, SGW_L7_FIELD_SNI, PATS("shop.example.com"));
	assert_patterns(r->l7, SGW_L7_FIELD_ALPN, PATS("h2", "http/1.1"));
	assert_patterns(r->l7, SGW_L7_FIELD_HOST, NONE);

	r = &p.rules[3];
	assert_int_equal(r->proto, IPPROTO_UDP);
	assert_ids(r->dsts, r->ndsts, IDS(SGW_SEG_WORLD));
	assert_app(r, SGW_APP_DNS, 0);
	assert_patterns(r->l7, SGW_L7_FIELD_QNAME,
			PATS("*.corp.example", "*.debian.org"));

	r = &p.rules[4];
	assert_app(r, SGW_APP_SSH, 0);
	assert_ports(r, PORTS({ 22, 22 }));

	/* Names in normal form: lowercase, no trailing dot. */
	r = &p.rules[5];
	assert_app(r, SGW_APP_TLS, SGW_L7_F_NO_SNI | SGW_L7_F_ECH);
	assert_patterns(r->l7, SGW_L7_FIELD_SNI, PATS("legacy.example.com"));
	assert_patterns(r->l7, SGW_L7_FIELD_ALPN, NONE);

	r = &p.rules[6];
	assert_app(r, SGW_APP_UNCLASSIFIED, 0);
	assert_ports(r, PORTS());
	policy_free(&p);
}

/* Field order, lists across lines, flags anywhere, path characters. */
static void test_l7_syntax(void **state)
{
	struct policy p;

	(void)state;
	parse_ok("segment web 10.0.0.0/8\n"
		 "allow any -> web tcp 80, 8080 app http path /~u/a+b;c=d,\n"
		 "    /x/(y)/$z!*,   # comment\n"
		 "\n"
		 "    /@me'/  method M-SEARCH host a-b_c.example\n"
		 "allow any->web tcp app tls ech alpn h2 nosni sni *.Example\n"
		 "allow any -> web udp app unclassified\n"
		 "allow any -> web tcp 53 app dns\n"
		 "allow any -> web udp 5353 app dns qname nosni., host.\n", &p);
	assert_app(&p.rules[0], SGW_APP_HTTP, 0);
	assert_patterns(p.rules[0].l7, SGW_L7_FIELD_PATH,
			PATS("/~u/a+b;c=d", "/x/(y)/$z!*", "/@me'/"));
	assert_patterns(p.rules[0].l7, SGW_L7_FIELD_METHOD, PATS("M-SEARCH"));
	assert_patterns(p.rules[0].l7, SGW_L7_FIELD_HOST, PATS("a-b_c.example"));
	assert_app(&p.rules[1], SGW_APP_TLS, SGW_L7_F_NO_SNI | SGW_L7_F_ECH);
	assert_patterns(p.rules[1].l7, SGW_L7_FIELD_SNI, PATS("*.example"));
	assert_app(&p.rules[2], SGW_APP_UNCLASSIFIED, 0);
	assert_int_equal(p.rules[2].proto, IPPROTO_UDP);
	assert_app(&p.rules[3], SGW_APP_DNS, 0);
	/* A keyword written with its trailing dot is a name. */
	assert_patterns(p.rules[4].l7, SGW_L7_FIELD_QNAME,
			PATS("nosni", "host"));
	policy_free(&p);

	/* A line that starts with a field or flag continues the clause. */
	parse_ok("segment web 10.0.0.0/8\n"
		 "allow any -> web tcp 80 app http host a.example,\n"
		 "        b.example\n"
		 "    # the methods\n"
		 "\n"
		 "        method GET   # and a comment\n"
		 "        path /x\n"
		 "allow any -> web tcp 443 app tls\n"
		 "  nosni\r\n"
		 "  sni c.example\n"
		 "allow any -> web tcp 22 app ssh\n"
		 "segment db 11.0.0.0/8\n", &p);
	assert_int_equal(p.nrules, 3);
	assert_int_equal(p.nsegments, 2);
	assert_patterns(p.rules[0].l7, SGW_L7_FIELD_HOST,
			PATS("a.example", "b.example"));
	assert_patterns(p.rules[0].l7, SGW_L7_FIELD_METHOD, PATS("GET"));
	assert_patterns(p.rules[0].l7, SGW_L7_FIELD_PATH, PATS("/x"));
	assert_app(&p.rules[1], SGW_APP_TLS, SGW_L7_F_NO_SNI);
	assert_patterns(p.rules[1].l7, SGW_L7_FIELD_SNI, PATS("c.example"));
	assert_int_equal(p.rules[2].line, 11);
	policy_free(&p);

	/* "app" is no reserved word: a segment may still be called so. */
	parse_ok("segment app 10.0.0.0/8\nallow app -> app tcp app http\n",
		 &p);
	assert_app(&p.rules[0], SGW_APP_HTTP, 0);
	policy_free(&p);
}

static void test_l7_deny(void **state)
{
	struct policy p;
	char *text;

	(void)state;
	parse_ok("set l7-deny drop\n", &p);
	assert_int_equal(p.flags, SGW_POLICY_F_L7_DROP);
	text = print(&p);
	assert_string_equal(text, "hook forward\nset l7-deny drop\n");
	free(text);
	policy_free(&p);

	/* reset is the default, and is not printed. */
	parse_ok("set l7-deny reset\nset flow-limit 9\n", &p);
	assert_int_equal(p.flags, 0);
	text = print(&p);
	assert_string_equal(text, "hook forward\nset flow-limit 9\n");
	free(text);
	policy_free(&p);
	parse_ok("set flow-limit 9\n", &p);
	assert_int_equal(p.flags, 0);
	policy_free(&p);
}

static void test_l7_print(void **state)
{
	static const char want[] =
		"hook forward\n"
		"\n"
		"segment web 10.10.1.0/24\n"
		"segment db 10.10.2.0/24\n"
		"segment ops 10.10.9.0/24\n"
		"\n"
		"allow any -> web tcp 80\n"
		"allow any -> web tcp 80 app http host shop.example.com, *.shop.example.com\n"
		"        method GET, POST path /api/*\n"
		"allow any -> web tcp 443 app tls sni shop.example.com alpn h2, http/1.1\n"
		"allow web -> world udp 53 app dns qname *.corp.example, *.debian.org\n"
		"allow ops -> db tcp 22 app ssh\n"
		"allow any -> web tcp 443 app tls sni legacy.example.com nosni ech\n"
		"allow ops -> db tcp app unclassified\n";
	struct policy p;
	char *text;

	(void)state;
	parse_ok(l7_example, &p);
	text = print(&p);
	assert_string_equal(text, want);
	free(text);
	policy_free(&p);

	/* Fields in the order host, method, path; names that are keywords
	 * keep their dot.
	 */
	parse_ok("allow any -> any tcp app http path /b, /a method GET "
		 "host Sni., ech., x\n", &p);
	text = print(&p);
	assert_string_equal(text,
			    "hook forward\n\nallow any -> any tcp app http "
			    "host sni., ech., x method GET path /b, /a\n");
	free(text);
	policy_free(&p);
}

static void test_l7_round_trip(void **state)
{
	size_t cap = 1 << 20, n = 0, i;
	char *text = malloc(cap);

	(void)state;
	assert_non_null(text);
	round_trip(l7_example, 132);
	round_trip("set l7-deny drop\nallow any -> any tcp app tls nosni\n",
		   80);
	round_trip("allow any -> any udp 53 app dns qname qname., alpn.,\n"
		   " path., method., nosni.\n", 80);

	/* The most patterns, the longest patterns. */
	n += (size_t)sprintf(text + n, "allow any -> any tcp 80 app http host ");
	for (i = 0; i < POLICY_L7_PATTERNS_MAX; i++)
		n += (size_t)sprintf(text + n, "%s*.h%zu.example", i ? ", " : "",
				     i);
	n += (size_t)sprintf(text + n, " path /");
	for (i = 1; i < POLICY_L7_PATTERN_LEN_MAX; i++)
		text[n++] = 'a' + i % 26;
	n += (size_t)sprintf(text + n, ", /b method ");
	for (i = 0; i < POLICY_L7_PATTERNS_MAX; i++)
		n += (size_t)sprintf(text + n, "%sM%zu", i ? ", " : "", i);
	n += (size_t)sprintf(text + n, "\nallow any -> any tcp app tls sni ");
	for (i = 0; i < 4; i++) {		/* 253 bytes, the most */
		memset(text + n, 'a' + i, i < 3 ? 63 : 61);
		n += i < 3 ? 63 : 61;
		text[n++] = i < 3 ? '.' : '\n';
	}
	assert_true(n < cap);
	text[n] = 0;
	/* A field's name and first pattern cannot be wrapped apart. */
	round_trip(text, 80 + POLICY_L7_PATTERN_LEN_MAX + 16);
	free(text);
}

static uint32_t id_of(const char *rule)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "segment web 10.0.0.0/8\nsegment ops 11.0.0.0/8\n%s\n", rule);
	return rule_id(text, 0);
}

static void test_l7_ids(void **state)
{
	(void)state;
	assert_int_equal(id_of("allow any -> web tcp 80 app http host shop.example.com, *.shop.example.com method GET, POST path /api/*"),
			 fnv1a("any>web|6|80-80|http host=*.shop.example.com,shop.example.com method=GET,POST path=/api/*"));
	assert_int_equal(id_of("allow any -> web tcp 443 app tls sni Legacy.Example.COM. nosni ech"),
			 fnv1a("any>web|6|443-443|tls sni=legacy.example.com nosni ech"));
	assert_int_equal(id_of("allow web -> world udp 53 app dns qname *.debian.org, *.corp.example"),
			 fnv1a("web>world|17|53-53|dns qname=*.corp.example,*.debian.org"));
	assert_int_equal(id_of("allow ops -> web tcp 22 app ssh"),
			 fnv1a("ops>web|6|22-22|ssh"));
	assert_int_equal(id_of("allow ops -> web udp app unclassified"),
			 fnv1a("ops>web|17|unclassified"));
	/* An L4 rule keeps the id it always had. */
	assert_int_equal(id_of("allow ops -> web tcp 22"),
			 fnv1a("ops>web|6|22-22"));

	/* Same meaning: patterns in any order, names in any case, with or
	 * without the trailing dot, fields and flags in any order.
	 */
	assert_int_equal(id_of("allow any -> web tcp 443 app tls ech sni B.example, a.example alpn http/1.1, h2 nosni"),
			 id_of("allow any -> web tcp 443 app tls nosni alpn h2, http/1.1 sni a.EXAMPLE., b.example ech"));
}

/* Every rule here differs from every other: all ids differ. */
static void test_l7_ids_differ(void **state)
{
	static const char *const rules[] = {
		"allow any -> web tcp 80",
		"allow any -> web tcp 80 app http",
		"allow any -> web tcp 80 app tls",
		"allow any -> web tcp 80 app ssh",
		"allow any -> web tcp 80 app dns",
		"allow any -> web tcp 80 app unclassified",
		"allow any -> web tcp 80 app http host a.example",
		"allow any -> web tcp 80 app http host b.example",
		"allow any -> web tcp 80 app http host a.example, b.example",
		"allow any -> web tcp 80 app http host *.a.example",
		"allow any -> web tcp 80 app http method GET",
		"allow any -> web tcp 80 app http method get",
		"allow any -> web tcp 80 app http path /a",
		"allow any -> web tcp 80 app http path /A",
		"allow any -> web tcp 80 app http path /a*",
		"allow any -> web tcp 80 app http host a.example method GET",
		"allow any -> web tcp 80 app tls sni a.example",
		"allow any -> web tcp 80 app tls nosni",
		"allow any -> web tcp 80 app tls ech",
		"allow any -> web tcp 80 app tls nosni ech",
		"allow any -> web tcp 80 app tls sni a.example nosni",
		"allow any -> web tcp 80 app tls alpn h2",
		"allow any -> web tcp 80 app tls alpn h2, http/1.1",
		"allow any -> web udp 80 app dns",
		"allow any -> web udp 80 app dns qname a.example",
		"allow any -> web tcp 81 app http",
		"allow ops -> web tcp 80 app http",
	};
	char text[4096];
	struct policy p;
	size_t n, i, j;

	(void)state;
	n = (size_t)snprintf(text, sizeof(text),
			     "segment web 10.0.0.0/8\nsegment ops 11.0.0.0/8\n");
	for (i = 0; i < ARRAY_SIZE(rules); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\n",
				      rules[i]);
	assert_true(n < sizeof(text));
	parse_ok(text, &p);
	assert_int_equal(p.nrules, ARRAY_SIZE(rules));
	for (i = 0; i < p.nrules; i++)
		for (j = 0; j < i; j++)
			if (p.rules[i].id == p.rules[j].id)
				fail_msg("same id: \"%s\" and \"%s\"", rules[i],
					 rules[j]);
	policy_free(&p);
}

static void test_l7_equal(void **state)
{
	struct sgw_l7_rule *saved;
	struct policy a, b;

	(void)state;
	parse_ok(l7_example, &a);
	parse_ok(l7_example, &b);
	assert_true(policy_equal(&a, &b));
	b.flags = SGW_POLICY_F_L7_DROP;
	assert_false(policy_equal(&a, &b));
	b.flags = 0;
	assert_int_equal(sgw_l7_rule_set_flags(b.rules[2].l7, SGW_L7_F_ECH), 0);
	assert_false(policy_equal(&a, &b));
	assert_int_equal(sgw_l7_rule_set_flags(b.rules[2].l7, 0), 0);
	assert_true(policy_equal(&a, &b));
	assert_int_equal(sgw_l7_rule_add(b.rules[1].l7, SGW_L7_FIELD_PATH,
					 "/x", 2), 0);
	assert_false(policy_equal(&a, &b));
	saved = b.rules[4].l7;
	b.rules[4].l7 = NULL;
	assert_false(policy_equal(&a, &b));
	b.rules[4].l7 = saved;
	policy_free(&a);
	policy_free(&b);
}

/* A model the parser would not read back is refused, not printed. */
static void test_l7_print_invalid(void **state)
{
	FILE *f = fopen("/dev/null", "w");
	struct sgw_l7_rule *l7;
	struct policy p;

	(void)state;
	assert_non_null(f);
	parse_ok(l7_example, &p);
	assert_int_equal(policy_print(f, &p), 0);

	p.rules[1].proto = IPPROTO_UDP;		/* app http over udp */
	errno = 0;
	assert_int_equal(policy_print(f, &p), -1);
	assert_int_equal(errno, EINVAL);
	p.rules[1].proto = IPPROTO_TCP;
	p.flags = 1U << 5;
	assert_int_equal(policy_print(f, &p), -1);
	p.flags = 0;
	assert_int_equal(policy_print(f, &p), 0);

	/* Patterns the module takes but the language cannot write. */
	l7 = p.rules[1].l7;
	assert_int_equal(sgw_l7_rule_add(l7, SGW_L7_FIELD_METHOD, "M!", 2), 0);
	assert_int_equal(policy_print(f, &p), -1);
	policy_free(&p);

	parse_ok(l7_example, &p);
	assert_int_equal(sgw_l7_rule_add(p.rules[1].l7, SGW_L7_FIELD_PATH,
					 "/a\"b", 4), 0);
	assert_int_equal(policy_print(f, &p), -1);
	policy_free(&p);

	parse_ok(l7_example, &p);
	assert_int_equal(sgw_l7_rule_add(p.rules[2].l7, SGW_L7_FIELD_ALPN,
					 "ech", 3), 0);
	assert_int_equal(policy_print(f, &p), -1);
	policy_free(&p);

	parse_ok(l7_example, &p);		/* the same pattern twice */
	assert_int_equal(sgw_l7_rule_add(p.rules[3].l7, SGW_L7_FIELD_QNAME,
					 "*.Debian.org.", 13), 0);
	assert_int_equal(policy_print(f, &p), -1);
	policy_free(&p);
	fclose(f);
}

static void test_l7_limits(void **state)
{
	char *text = malloc(64 << 10);
	struct policy p;
	size_t n, i;

	(void)state;
	assert_non_null(text);
	n = (size_t)sprintf(text, "allow any -> any tcp app http method M0");
	for (i = 1; i < POLICY_L7_PATTERNS_MAX; i++)
		n += (size_t)sprintf(text + n, ",%sM%zu", i % 16 ? " " : "\n",
				     i);
	parse_ok(text, &p);
	assert_patterns(p.rules[0].l7, SGW_L7_FIELD_HOST, NONE);
	{
		unsigned int k;

		sgw_l7_rule_patterns(p.rules[0].l7, SGW_L7_FIELD_METHOD, &k);
		assert_int_equal(k, POLICY_L7_PATTERNS_MAX);
	}
	policy_free(&p);
	sprintf(text + n, ", M256\n");
	parse_bad(text, 16, 97, "more than 256 methods in one rule");

	/* 255 bytes a pattern, not 256. */
	n = (size_t)sprintf(text, "allow any -> any tcp app http path /");
	memset(text + n, 'p', POLICY_L7_PATTERN_LEN_MAX - 1);
	n += POLICY_L7_PATTERN_LEN_MAX - 1;
	text[n] = 0;
	parse_ok(text, &p);
	policy_free(&p);
	strcpy(text + n, "q\n");
	parse_bad(text, 1, 36,
		  "path pattern \"/ppppppppppppppppppppppppppppppppppppppppppppppppppppppppp...\" is longer than 255 bytes");
	free(text);
}

static enum sgw_l7_status classify(const void *data, size_t n, uint8_t l4,
				   uint16_t port, struct sgw_l7_result *res)
{
	uint8_t *d = malloc(n);
	enum sgw_l7_status st;

	assert_non_null(d);
	memcpy(d, data, n);
	st = sgw_l7_classify(d, n, l4, port, res);
	free(d);
	return st;
}

/*
 * The rules the parser builds decide real clients' first bytes as the
 * module will: they are the module's own objects.
 */
static void test_l7_decides(void **state)
{
	static struct sgw_l7_result res;
	static const struct {
		const char		*name;
		const unsigned char	*data;
		size_t			len;
		uint8_t			l4;
		uint16_t		port;
		uint8_t			matches;	/* rule mask */
	} flows[] = {
#define F(s, l4, port, mask) { #s, sample_##s, sizeof(sample_##s), l4, port, mask }
		F(http_curl_get, IPPROTO_TCP, 80, 1 << 1),
		F(http_curl_post, IPPROTO_TCP, 80, 1 << 1),
		F(http_curl_proxy, IPPROTO_TCP, 80, 0),	/* /index.html */
		F(tls_openssl_sni_alpn, IPPROTO_TCP, 443, 1 << 2),
		F(tls_curl, IPPROTO_TCP, 443, 1 << 2),
		F(tls_openssl_nosni, IPPROTO_TCP, 443, 1 << 5),
		F(tls_synth_pq_ech, IPPROTO_TCP, 443, 0),
		F(dns_dig_a, IPPROTO_UDP, 53, 1 << 3),
		F(dns_synth_two_q, IPPROTO_UDP, 53, 1 << 3),
		F(dns_dig_srv, IPPROTO_UDP, 53, 1 << 3),
		F(ssh_openssh, IPPROTO_TCP, 22, 1 << 4),
#undef F
	};
	struct policy p;
	size_t i, j;

	(void)state;
	parse_ok(l7_example, &p);
	for (i = 0; i < ARRAY_SIZE(flows); i++) {
		assert_int_equal(classify(flows[i].data, flows[i].len,
					  flows[i].l4, flows[i].port, &res),
				 SGW_L7_MATCH);
		for (j = 1; j < p.nrules; j++)
			if (sgw_l7_rule_match(p.rules[j].l7, &res) !=
			    !!(flows[i].matches & 1U << j))
				fail_msg("%s, rule %zu", flows[i].name, j);
	}
	/* Junk: only "app unclassified" (rule 6). */
	assert_int_equal(classify("\x01\x02\x03", 3, IPPROTO_TCP, 22, &res),
			 SGW_L7_NOT_THIS);
	for (j = 1; j < p.nrules; j++)
		assert_int_equal(sgw_l7_rule_match(p.rules[j].l7, &res), j == 6);
	policy_free(&p);
}

/* The file @name of examples/, read whole; tests run from tests/unit. */
static char *read_example(const char *name, size_t *len)
{
	static const char *const dirs[] = { "../../examples", "examples" };
	char path[256], *buf = NULL;
	FILE *f = NULL;
	size_t i;
	long n;

	for (i = 0; i < ARRAY_SIZE(dirs) && !f; i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		f = fopen(path, "rb");
	}
	if (!f)
		fail_msg("examples/%s not found", name);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void parse_example(const char *name, struct policy *p)
{
	struct policy_error err;
	size_t len;
	char *text = read_example(name, &len);

	if (policy_parse(text, len, p, &err))
		fail_msg("examples/%s:%u:%u: %s", name, err.line, err.col,
			 err.msg);
	free(text);
}

static void test_examples(void **state)
{
	struct policy p;

	(void)state;
	parse_example("three-tier.conf", &p);
	assert_int_equal(p.hooks, SGW_HOOK_F_FORWARD);
	assert_int_equal(p.flow_max, 262144);
	assert_int_equal(p.nsegments, 3);
	assert_int_equal(p.nrules, 8);
	/* "allow any -> web tcp 80, 443" has the id it has in the issue's
	 * example: same meaning, another file, another line.
	 */
	assert_int_equal(p.rules[0].id, rule_id(example, 2));
	policy_free(&p);

	parse_example("workload-host.conf", &p);
	assert_int_equal(p.hooks, SGW_HOOK_F_INPUT | SGW_HOOK_F_OUTPUT);
	assert_int_equal(p.nsegments, 4);
	assert_int_equal(p.nrules, 7);
	policy_free(&p);

	parse_example("l7.conf", &p);
	assert_int_equal(p.hooks, SGW_HOOK_F_FORWARD);
	assert_int_equal(p.flags, 0);
	assert_int_equal(p.nsegments, 3);
	assert_int_equal(p.nrules, 10);
	assert_app(&p.rules[0], SGW_APP_HTTP, 0);
	assert_patterns(p.rules[0].l7, SGW_L7_FIELD_PATH,
			PATS("/api/*", "/.well-known/acme-challenge/*"));
	assert_app(&p.rules[2], SGW_APP_TLS, SGW_L7_F_NO_SNI);
	assert_app(&p.rules[3], SGW_APP_UNCLASSIFIED, 0);
	assert_app(&p.rules[7], SGW_APP_SSH, 0);
	assert_null(p.rules[8].l7);
	assert_null(p.rules[9].l7);
	policy_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_hooks),
		cmocka_unit_test(test_flow_limit),
		cmocka_unit_test(test_protocols),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_forward_reference),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_world_any),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_optional),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_comment_bytes),
		cmocka_unit_test(test_no_terminator),
		cmocka_unit_test(test_line_length),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_print_invalid),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_ids_stable),
		cmocka_unit_test(test_ids_differ),
		cmocka_unit_test(test_id_collision),
		cmocka_unit_test(test_id_zero),
		cmocka_unit_test(test_parse_rules),
		cmocka_unit_test(test_rule_same),
		cmocka_unit_test(test_rule_free_id),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_l7_rules),
		cmocka_unit_test(test_l7_syntax),
		cmocka_unit_test(test_l7_deny),
		cmocka_unit_test(test_l7_print),
		cmocka_unit_test(test_l7_round_trip),
		cmocka_unit_test(test_l7_ids),
		cmocka_unit_test(test_l7_ids_differ),
		cmocka_unit_test(test_l7_equal),
		cmocka_unit_test(test_l7_print_invalid),
		cmocka_unit_test(test_l7_limits),
		cmocka_unit_test(test_l7_decides),
		cmocka_unit_test(test_examples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
