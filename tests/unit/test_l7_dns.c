// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * DNS query classifier: real dig queries, every truncation of them, TCP
 * framing, compression pointers (backwards, forwards, loops, hop limit),
 * name limits and escaping.
 */
#include "l7_test_util.h"
#include "l7_samples.h"

static struct sgw_l7_dns d;
static struct build m;

static enum sgw_l7_status parse_n(const void *p, size_t n)
{
	u8 *c = dup_exact(p, n);
	enum sgw_l7_status st = sgw_l7_dns_parse(c, n, &d);

	free(c);
	return st;
}

static enum sgw_l7_status parse_tcp_n(const void *p, size_t n)
{
	u8 *c = dup_exact(p, n);
	enum sgw_l7_status st = sgw_l7_dns_parse_tcp(c, n, &d);

	free(c);
	return st;
}

static void header(unsigned int flags, unsigned int qd)
{
	b_init(&m);
	b_u16(&m, 0xbeef);
	b_u16(&m, flags);
	b_u16(&m, qd);
	b_u16(&m, 0);
	b_u16(&m, 0);
	b_u16(&m, 0);
}

/* Every truncation of a datagram is MALFORMED; the whole, MATCH. */
static void check_truncations(const u8 *p, size_t n, size_t questions_end)
{
	size_t i;

	for (i = 0; i < questions_end; i++) {
		if (parse_n(p, i) != SGW_L7_MALFORMED)
			fail_msg("truncated to %zu of %zu not malformed", i, n);
		assert_int_equal(d.reason, SGW_L7_R_LENGTH);
	}
	for (; i <= n; i++)
		assert_int_equal(parse_n(p, i), SGW_L7_MATCH);
}

static void check_tcp(const u8 *p, size_t n)
{
	u8 *f = malloc(n + 2);
	size_t i;

	assert_non_null(f);
	f[0] = n >> 8;
	f[1] = n;
	memcpy(f + 2, p, n);
	for (i = 0; i < n + 2; i++)
		assert_int_equal(parse_tcp_n(f, i), SGW_L7_NEED_MORE);
	assert_int_equal(parse_tcp_n(f, n + 2), SGW_L7_MATCH);
	free(f);
}

static void test_dig_a(void **state)
{
	const u8 *p = sample_dns_dig_a;

	(void)state;
	assert_int_equal(parse_n(p, sizeof(sample_dns_dig_a)), SGW_L7_MATCH);
	assert_int_equal(d.id, p[0] << 8 | p[1]);
	assert_int_equal(d.opcode, 0);
	assert_int_equal(d.qdcount, 1);
	assert_string_equal(d.q[0].name, "www.debian.org");
	assert_int_equal(d.q[0].name_len, 14);
	assert_int_equal(d.q[0].qtype, 1);
	assert_int_equal(d.q[0].qclass, 1);
	assert_int_equal(d.q[0].flags, 0);
	/* 12 header + 16 name + 4: the OPT record after is not needed. */
	check_truncations(p, sizeof(sample_dns_dig_a), 32);
	check_tcp(p, sizeof(sample_dns_dig_a));
}

static void test_dig_noedns_srv(void **state)
{
	(void)state;
	assert_int_equal(parse_n(sample_dns_dig_noedns,
				 sizeof(sample_dns_dig_noedns)), SGW_L7_MATCH);
	assert_string_equal(d.q[0].name, "mail.corp.example");
	assert_int_equal(d.q[0].qtype, 28);
	check_truncations(sample_dns_dig_noedns, sizeof(sample_dns_dig_noedns),
			  sizeof(sample_dns_dig_noedns));
	assert_int_equal(parse_n(sample_dns_dig_srv,
				 sizeof(sample_dns_dig_srv)), SGW_L7_MATCH);
	assert_string_equal(d.q[0].name, "_ldap._tcp.corp.example");
	assert_int_equal(d.q[0].qtype, 33);
	check_tcp(sample_dns_dig_srv, sizeof(sample_dns_dig_srv));
}

static void test_two_questions_compressed(void **state)
{
	(void)state;
	assert_int_equal(parse_n(sample_dns_synth_two_q,
				 sizeof(sample_dns_synth_two_q)), SGW_L7_MATCH);
	assert_int_equal(d.qdcount, 2);
	assert_string_equal(d.q[0].name, "www.corp.example");
	assert_string_equal(d.q[1].name, "mail.corp.example");
	assert_int_equal(d.q[1].qtype, 28);
	check_truncations(sample_dns_synth_two_q,
			  sizeof(sample_dns_synth_two_q),
			  sizeof(sample_dns_synth_two_q));
}

static void test_header(void **state)
{
	(void)state;
	/* A response in the client direction. */
	header(0x8180, 1);
	b_bytes(&m, "\x01" "a\x00\x00\x01\x00\x01", 7);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_DIRECTION);
	/* No question (a cookie-only query): DNS, but no name. */
	header(0x0100, 0);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MATCH);
	assert_int_equal(d.qdcount, 0);
	/* Opcode kept. */
	header(0x2800, 1);
	b_bytes(&m, "\x01" "a\x00\x00\x06\x00\x01", 7);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MATCH);
	assert_int_equal(d.opcode, 5);
	/* Four questions fit, five do not. */
	header(0x0100, 4);
	b_bytes(&m, "\x01" "a\x00\x00\x01\x00\x01", 7);
	b_bytes(&m, "\x01" "b\x00\x00\x01\x00\x01", 7);
	b_bytes(&m, "\x01" "c\xc0\x0e\x00\x01\x00\x01", 8);
	b_bytes(&m, "\x00\x00\x02\x00\x01", 5);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MATCH);
	assert_int_equal(d.qdcount, 4);
	assert_string_equal(d.q[2].name, "c");
	assert_string_equal(d.q[3].name, ".");
	assert_int_equal(d.q[3].qtype, 2);
	m.d[5] = 5;
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_LIMIT);
	m.d[4] = 0xff;
	m.d[5] = 0xff;
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MALFORMED);
}

static void test_pointers(void **state)
{
	(void)state;
	/* To itself: a loop. */
	header(0x0100, 1);
	b_bytes(&m, "\xc0\x0c\x00\x01\x00\x01", 6);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_POINTER);
	/* After a label, back to the label: a loop. */
	header(0x0100, 1);
	b_bytes(&m, "\x01" "a\xc0\x0c\x00\x01\x00\x01", 8);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_POINTER);
	/* Forwards. */
	header(0x0100, 1);
	b_bytes(&m, "\x01" "a\xc0\x14\x00\x01\x00\x01\x01" "b\x00", 11);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_POINTER);
	/* Into the header. */
	header(0x0100, 2);
	b_bytes(&m, "\x01" "a\x00\x00\x01\x00\x01", 7);
	b_bytes(&m, "\xc0\x02\x00\x01\x00\x01", 6);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_POINTER);
	/* A second question pointing at its own pointer: a loop. */
	header(0x0100, 2);
	b_bytes(&m, "\x01" "a\x00\x00\x01\x00\x01", 7);
	b_bytes(&m, "\x01" "b\xc0\x15\x00\x01\x00\x01", 8);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_POINTER);
	/* ... and back into the first one's label: fine. */
	m.d[22] = 0x0c;
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MATCH);
	assert_string_equal(d.q[1].name, "b.a");
	/* A pointer cut in half. */
	header(0x0100, 1);
	b_bytes(&m, "\x01" "a\xc0", 3);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_LENGTH);
	/* Reserved label types 0x40 and 0x80. */
	header(0x0100, 1);
	b_bytes(&m, "\x41" "a\x00\x00\x01\x00\x01", 7);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_SYNTAX);
	m.d[12] = 0x81;
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_SYNTAX);
}

/*
 * A chain of @k pointers, each one back to the one before, inside the one
 * label of the first question; the second question enters it at its end,
 * so its name takes k + 1 hops.
 */
static void chain(unsigned int k)
{
	unsigned int j;

	header(0x0100, 2);
	b_u8(&m, 2 * k);
	for (j = 0; j < k; j++) {
		b_u8(&m, 0xc0);
		b_u8(&m, j ? 13 + 2 * (j - 1) : 12);
	}
	b_bytes(&m, "\x00\x00\x01\x00\x01", 5);
	b_u8(&m, 0xc0);
	b_u8(&m, 13 + 2 * (k - 1));
	b_bytes(&m, "\x00\x01\x00\x01", 4);
}

static void test_pointer_hops(void **state)
{
	(void)state;
	chain(SGW_L7_DNS_POINTER_HOPS - 1);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MATCH);
	assert_true(d.q[1].flags & SGW_L7_DNS_F_ESCAPED);
	assert_string_equal(d.q[0].name, d.q[1].name);
	chain(SGW_L7_DNS_POINTER_HOPS);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_POINTER);
}

static void test_name_limits(void **state)
{
	char label[64];
	unsigned int i;

	(void)state;
	memset(label, 'x', 63);
	/* 3 x 64 + 61 + 1 + root = 255 on the wire: the most allowed. */
	header(0x0100, 1);
	for (i = 0; i < 3; i++) {
		b_u8(&m, 63);
		b_bytes(&m, label, 63);
	}
	b_u8(&m, 61);
	b_bytes(&m, label, 61);
	b_bytes(&m, "\x00\x00\x01\x00\x01", 5);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MATCH);
	assert_int_equal(d.q[0].name_len, 253);
	assert_false(d.q[0].flags & SGW_L7_DNS_F_TRUNC);
	/* One more byte is too long. */
	header(0x0100, 1);
	for (i = 0; i < 3; i++) {
		b_u8(&m, 63);
		b_bytes(&m, label, 63);
	}
	b_u8(&m, 62);
	b_bytes(&m, label, 62);
	b_bytes(&m, "\x00\x00\x01\x00\x01", 5);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_LIMIT);
	/* A label running past the end. */
	header(0x0100, 1);
	b_bytes(&m, "\x3f" "abc", 4);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_LENGTH);
	/* Short header. */
	assert_int_equal(parse_n("\x00\x01\x01\x00", 4), SGW_L7_MALFORMED);
	assert_int_equal(parse_n("", 0), SGW_L7_MALFORMED);
}

static void test_escaping(void **state)
{
	(void)state;
	header(0x0100, 1);
	b_bytes(&m, "\x07" "A.B\\\0\xff ", 8);
	b_bytes(&m, "\x04" "Corp\x00\x00\x01\x00\x01", 10);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MATCH);
	assert_string_equal(d.q[0].name, "a\\.b\\\\\\000\\255\\032.corp");
	assert_int_equal(d.q[0].name_len, strlen(d.q[0].name));
	assert_true(d.q[0].flags & SGW_L7_DNS_F_ESCAPED);
	assert_false(d.q[0].flags & SGW_L7_DNS_F_TRUNC);

	/* Three labels of 63 NULs escape to 3 x 252 bytes: cut. */
	header(0x0100, 1);
	b_u8(&m, 63);
	b_fill(&m, 0, 63);
	b_u8(&m, 63);
	b_fill(&m, 0, 63);
	b_bytes(&m, "\x00\x00\x01\x00\x01", 5);
	assert_int_equal(parse_n(m.d, m.n), SGW_L7_MATCH);
	assert_int_equal(d.q[0].name_len, SGW_L7_NAME_MAX);
	assert_int_equal(strlen(d.q[0].name), SGW_L7_NAME_MAX);
	assert_true(d.q[0].flags & SGW_L7_DNS_F_TRUNC);
}

static void test_tcp(void **state)
{
	u8 *big;

	(void)state;
	assert_int_equal(parse_tcp_n("", 0), SGW_L7_NEED_MORE);
	assert_int_equal(parse_tcp_n("\x00", 1), SGW_L7_NEED_MORE);
	assert_int_equal(parse_tcp_n("\x00\x0b", 2), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_LENGTH);
	assert_int_equal(parse_tcp_n("\x10\x01", 2), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_LIMIT);
	assert_int_equal(parse_tcp_n("\x10\x00", 2), SGW_L7_NEED_MORE);
	/* The message ends where its length says, not at the buffer's end. */
	big = calloc(1, 64);
	assert_non_null(big);
	big[1] = 13;
	big[2 + 5] = 1;	/* qdcount 1, the name cut by the length */
	big[2 + 12] = 1;
	assert_int_equal(sgw_l7_dns_parse_tcp(big, 64, &d), SGW_L7_MALFORMED);
	assert_int_equal(d.reason, SGW_L7_R_LENGTH);
	free(big);
}

static void test_mutations(void **state)
{
	static const struct { const u8 *p; size_t n; } s[] = {
		{ sample_dns_dig_a, sizeof(sample_dns_dig_a) },
		{ sample_dns_dig_srv, sizeof(sample_dns_dig_srv) },
		{ sample_dns_synth_two_q, sizeof(sample_dns_synth_two_q) },
	};
	size_t i, j, q;
	unsigned int v;

	(void)state;
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		for (j = 0; j < s[i].n; j++) {
			for (v = 0; v < 256; v += 7) {
				u8 *c = dup_exact(s[i].p, s[i].n);
				enum sgw_l7_status st;

				c[j] = v;
				st = sgw_l7_dns_parse(c, s[i].n, &d);
				assert_true(st == SGW_L7_MATCH ||
					    st == SGW_L7_MALFORMED);
				for (q = 0; st == SGW_L7_MATCH &&
				     q < d.qdcount; q++)
					assert_int_equal(strlen(d.q[q].name),
							 d.q[q].name_len);
				free(c);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dig_a),
		cmocka_unit_test(test_dig_noedns_srv),
		cmocka_unit_test(test_two_questions_compressed),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_pointer_hops),
		cmocka_unit_test(test_name_limits),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests_name("l7_dns", tests, NULL, NULL);
}
