// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Longest-prefix match (kmod/core/lpm.c): hand-made tables checked at the
 * edges of every prefix, then random tables checked against a linear
 * search over the same prefixes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "lpm.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct sgw_lpm_prefix pfx(int af, const char *addr, u8 len, u16 value)
{
	struct sgw_lpm_prefix p = { .len = len, .value = value };

	assert_int_equal(inet_pton(af, addr, p.addr), 1);
	return p;
}

static struct sgw_lpm_prefix v4(const char *addr, u8 len, u16 value)
{
	return pfx(AF_INET, addr, len, value);
}

static struct sgw_lpm_prefix v6(const char *addr, u8 len, u16 value)
{
	return pfx(AF_INET6, addr, len, value);
}

static struct sgw_lpm *build(unsigned int bytes,
			     const struct sgw_lpm_prefix *p, size_t n)
{
	struct sgw_lpm *t;
	int err = 1;

	t = sgw_lpm_build(bytes, p, n, &err);
	assert_int_equal(err, 0);
	assert_non_null(t);
	return t;
}

static int build_err(unsigned int bytes, const struct sgw_lpm_prefix *p,
		     size_t n)
{
	struct sgw_lpm *t;
	int err = 0;

	t = sgw_lpm_build(bytes, p, n, &err);
	assert_null(t);
	return err;
}

/* Lookup by text, so failures name the address. */
static u16 look(const struct sgw_lpm *t, const char *addr)
{
	u8 a[16] = { 0 };
	int af = strchr(addr, ':') ? AF_INET6 : AF_INET;

	assert_int_equal(inet_pton(af, addr, a), 1);
	return sgw_lpm_lookup(t, a);
}

#define check(t, addr, want) do {					\
	u16 got_ = look(t, addr);					\
	if (got_ != (want))						\
		fail_msg("%s: got %u, want %u", addr, got_, (unsigned)(want)); \
} while (0)

static void test_empty(void **state)
{
	struct sgw_lpm *t4 = build(4, NULL, 0), *t6 = build(16, NULL, 0);
	u8 a[16];
	unsigned int i, j;

	(void)state;
	check(t4, "0.0.0.0", 0);
	check(t4, "255.255.255.255", 0);
	check(t6, "::", 0);
	check(t6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0);
	for (i = 0; i < 1000; i++) {
		for (j = 0; j < 16; j++)
			a[j] = (u8)(i * 37 + j * 101);
		assert_int_equal(sgw_lpm_lookup(t4, a), 0);
		assert_int_equal(sgw_lpm_lookup(t6, a), 0);
	}
	/* The root stride alone, no chunk. */
	assert_true(sgw_lpm_memory(t4) >= 65536 * 4);
	assert_true(sgw_lpm_memory(t4) < 65536 * 4 + 1024);
	sgw_lpm_free(t4);
	sgw_lpm_free(t6);
	sgw_lpm_free(NULL);
}

static void test_default_route(void **state)
{
	struct sgw_lpm_prefix p4[] = { v4("0.0.0.0", 0, 7) };
	struct sgw_lpm_prefix p6[] = { v6("::", 0, 9) };
	struct sgw_lpm *t4 = build(4, p4, 1), *t6 = build(16, p6, 1);

	(void)state;
	check(t4, "0.0.0.0", 7);
	check(t4, "128.0.0.1", 7);
	check(t4, "255.255.255.255", 7);
	check(t6, "::", 9);
	check(t6, "2001:db8::1", 9);
	check(t6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 9);
	sgw_lpm_free(t4);
	sgw_lpm_free(t6);
}

/* Nested prefixes, each probed at its first and last address and just
 * outside them.
 */
static void test_v4_nested(void **state)
{
	struct sgw_lpm_prefix p[] = {
		v4("10.1.2.128", 25, 6),
		v4("10.1.0.0", 16, 3),
		v4("0.0.0.0", 0, 1),
		v4("10.1.2.0", 24, 4),
		v4("10.0.0.0", 8, 2),
		v4("10.1.2.3", 32, 5),
		v4("10.1.128.0", 17, 7),
		v4("192.168.0.0", 15, 8),
		v4("192.168.1.0", 24, 9),
	};
	struct sgw_lpm *t = build(4, p, ARRAY_SIZE(p));

	(void)state;
	check(t, "9.255.255.255", 1);
	check(t, "10.0.0.0", 2);
	check(t, "10.0.255.255", 2);
	check(t, "10.1.0.0", 3);
	check(t, "10.1.2.0", 4);
	check(t, "10.1.2.2", 4);
	check(t, "10.1.2.3", 5);
	check(t, "10.1.2.4", 4);
	check(t, "10.1.2.127", 4);
	check(t, "10.1.2.128", 6);
	check(t, "10.1.2.255", 6);
	check(t, "10.1.3.0", 3);
	check(t, "10.1.1.255", 3);
	check(t, "10.1.127.255", 3);
	check(t, "10.1.128.0", 7);
	check(t, "10.1.255.255", 7);
	check(t, "10.2.0.0", 2);
	check(t, "10.255.255.255", 2);
	check(t, "11.0.0.0", 1);
	check(t, "192.167.255.255", 1);
	check(t, "192.168.0.0", 8);
	check(t, "192.168.0.255", 8);
	check(t, "192.168.1.0", 9);
	check(t, "192.168.1.255", 9);
	check(t, "192.168.2.0", 8);
	check(t, "192.169.255.255", 8);
	check(t, "192.170.0.0", 1);
	check(t, "255.255.255.255", 1);
	check(t, "0.0.0.0", 1);
	sgw_lpm_free(t);
}

/* Without a default, the gaps between prefixes must stay 0. */
static void test_v4_no_default(void **state)
{
	struct sgw_lpm_prefix p[] = {
		v4("172.16.0.0", 12, 1),
		v4("172.16.5.5", 32, 2),
		v4("0.0.0.0", 32, 3),
		v4("255.255.255.255", 32, 4),
	};
	struct sgw_lpm *t = build(4, p, ARRAY_SIZE(p));

	(void)state;
	check(t, "172.15.255.255", 0);
	check(t, "172.16.0.0", 1);
	check(t, "172.16.5.4", 1);
	check(t, "172.16.5.5", 2);
	check(t, "172.16.5.6", 1);
	check(t, "172.31.255.255", 1);
	check(t, "172.32.0.0", 0);
	check(t, "0.0.0.0", 3);
	check(t, "0.0.0.1", 0);
	check(t, "255.255.255.255", 4);
	check(t, "255.255.255.254", 0);
	sgw_lpm_free(t);
}

static void test_v6_nested(void **state)
{
	struct sgw_lpm_prefix p[] = {
		v6("2001:db8::", 32, 1),
		v6("2001:db8:1::", 48, 2),
		v6("2001:db8:1:2::", 64, 3),
		v6("2001:db8:1:2::1", 128, 4),
		v6("2001:db8:1:2:8000::", 65, 5),
		v6("fe80::", 10, 6),
		v6("2001:db8:1:2::ff", 121, 7),
	};
	struct sgw_lpm *t = build(16, p, ARRAY_SIZE(p));

	(void)state;
	check(t, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", 0);
	check(t, "2001:db8::", 1);
	check(t, "2001:db8:0:ffff:ffff:ffff:ffff:ffff", 1);
	check(t, "2001:db8:1::", 2);
	check(t, "2001:db8:1:1:ffff:ffff:ffff:ffff", 2);
	check(t, "2001:db8:1:2::", 3);
	check(t, "2001:db8:1:2::1", 4);
	check(t, "2001:db8:1:2::2", 3);
	check(t, "2001:db8:1:2::7f", 3);
	check(t, "2001:db8:1:2::80", 7);
	check(t, "2001:db8:1:2::ff", 7);
	check(t, "2001:db8:1:2::100", 3);
	check(t, "2001:db8:1:2:7fff:ffff:ffff:ffff", 3);
	check(t, "2001:db8:1:2:8000::", 5);
	check(t, "2001:db8:1:2:ffff:ffff:ffff:ffff", 5);
	check(t, "2001:db8:1:3::", 2);
	check(t, "2001:db8:1:ffff:ffff:ffff:ffff:ffff", 2);
	check(t, "2001:db8:2::", 1);
	check(t, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 1);
	check(t, "2001:db9::", 0);
	check(t, "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0);
	check(t, "fe80::", 6);
	check(t, "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 6);
	check(t, "fec0::", 0);
	sgw_lpm_free(t);
}

static void flip_bit(u8 *a, unsigned int bit)
{
	a[bit / 8] ^= (u8)(0x80 >> (bit % 8));
}

/*
 * One prefix of every length over the same address: an address agreeing
 * with it on exactly L bits must get the /L, whatever the stride layout.
 */
static void every_length(unsigned int bytes, const u8 *base)
{
	struct sgw_lpm_prefix p[129];
	unsigned int bits = bytes * 8, l;
	struct sgw_lpm *t;
	u8 a[16];

	for (l = 0; l <= bits; l++) {
		memset(&p[l], 0, sizeof(p[l]));
		memcpy(p[l].addr, base, bytes);
		p[l].len = (u8)l;
		p[l].value = (u16)(l + 1);
	}
	t = build(bytes, p, bits + 1);
	for (l = 0; l < bits; l++) {
		memcpy(a, base, 16);
		flip_bit(a, l);
		if (sgw_lpm_lookup(t, a) != l + 1)
			fail_msg("/%u of %u bits: got %u", l, bits,
				 sgw_lpm_lookup(t, a));
		/* Host bits past the mismatch change nothing. */
		memset(a + l / 8 + 1, 0x5a, 15 - l / 8);
		assert_int_equal(sgw_lpm_lookup(t, a), l + 1);
	}
	assert_int_equal(sgw_lpm_lookup(t, base), bits + 1);
	sgw_lpm_free(t);
}

static void test_every_length(void **state)
{
	static const u8 b1[16] = { 0xc6, 0x33, 0x64, 0x17, 0x20, 0x01, 0x0d,
				   0xb8, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00,
				   0x12, 0x34 };
	static const u8 b0[16] = { 0 };
	static const u8 bf[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				   0xff, 0xff };

	(void)state;
	every_length(4, b1);
	every_length(4, b0);
	every_length(4, bf);
	every_length(16, b1);
	every_length(16, b0);
	every_length(16, bf);
}

/* Host routes side by side, and a host route next to a short prefix. */
static void test_host_routes(void **state)
{
	struct sgw_lpm_prefix p4[] = {
		v4("10.0.0.1", 32, 1),
		v4("10.0.0.2", 32, 2),
		v4("10.0.1.1", 32, 3),
		v4("10.0.0.0", 31, 4),
	};
	struct sgw_lpm_prefix p6[] = {
		v6("2001:db8::1", 128, 1),
		v6("2001:db8::2", 128, 2),
		v6("2001:db8::", 127, 4),
		v6("2001:db8:0:0:1::1", 128, 3),
	};
	struct sgw_lpm *t4 = build(4, p4, ARRAY_SIZE(p4));
	struct sgw_lpm *t6 = build(16, p6, ARRAY_SIZE(p6));
	struct sgw_lpm *t0;

	(void)state;
	check(t4, "10.0.0.0", 4);
	check(t4, "10.0.0.1", 1);
	check(t4, "10.0.0.2", 2);
	check(t4, "10.0.0.3", 0);
	check(t4, "10.0.1.0", 0);
	check(t4, "10.0.1.1", 3);
	check(t4, "10.0.1.2", 0);
	check(t4, "10.1.0.1", 0);
	check(t6, "2001:db8::", 4);
	check(t6, "2001:db8::1", 1);
	check(t6, "2001:db8::2", 2);
	check(t6, "2001:db8::3", 0);
	check(t6, "2001:db8::1:0:0:1", 3);
	check(t6, "2001:db8::1:0:0:0", 0);
	check(t6, "2001:db8::1:0:0:2", 0);
	check(t6, "2001:db8:0:1::1", 0);
	/* 10.0 and 10.0.0 shared by three prefixes, 10.0.1 by one. */
	t0 = build(4, NULL, 0);
	assert_int_equal(sgw_lpm_memory(t4) - sgw_lpm_memory(t0), 3 * 1024);
	sgw_lpm_free(t0);
	sgw_lpm_free(t4);
	sgw_lpm_free(t6);
}

static void test_host_bits_ignored(void **state)
{
	struct sgw_lpm_prefix p[] = {
		v4("10.99.99.99", 8, 1),
		v4("10.1.2.255", 23, 2),
	};
	struct sgw_lpm_prefix q[] = { v6("2001:db8:7fff::1", 33, 3) };
	struct sgw_lpm *t = build(4, p, ARRAY_SIZE(p));
	struct sgw_lpm *t6 = build(16, q, 1);
	struct sgw_lpm_prefix junk = v4("1.2.3.4", 16, 5);
	struct sgw_lpm *tj;

	(void)state;
	check(t, "10.0.0.0", 1);
	check(t, "10.255.255.255", 1);
	check(t, "10.1.1.255", 1);
	check(t, "10.1.2.0", 2);
	check(t, "10.1.3.255", 2);
	check(t, "10.1.4.0", 1);
	check(t, "11.0.0.0", 0);
	check(t6, "2001:db8::", 3);
	check(t6, "2001:db8:7fff:ffff:ffff:ffff:ffff:ffff", 3);
	check(t6, "2001:db8:8000::", 0);
	/* IPv4: bytes past the fourth are not part of the prefix. */
	memset(junk.addr + 4, 0xee, 12);
	tj = build(4, &junk, 1);
	check(tj, "1.2.0.0", 5);
	check(tj, "1.2.255.255", 5);
	check(tj, "1.3.0.0", 0);
	sgw_lpm_free(t);
	sgw_lpm_free(t6);
	sgw_lpm_free(tj);
}

static void test_duplicates(void **state)
{
	struct sgw_lpm_prefix same[] = {
		v4("10.0.0.0", 8, 1), v4("192.168.0.0", 16, 2),
		v4("10.0.0.0", 8, 1),
	};
	struct sgw_lpm_prefix host_bits[] = {
		v4("10.0.0.0", 8, 1), v4("10.9.9.9", 8, 2),
	};
	struct sgw_lpm_prefix defaults[] = {
		v4("1.2.3.4", 0, 1), v4("0.0.0.0", 0, 2),
	};
	struct sgw_lpm_prefix six[] = {
		v6("2001:db8::1", 128, 1), v6("2001:db8::", 64, 2),
		v6("2001:db8::1", 128, 3),
	};
	struct sgw_lpm_prefix not_dup[] = {
		v4("10.0.0.0", 8, 1), v4("10.0.0.0", 9, 2),
		v4("10.128.0.0", 9, 3),
	};
	struct sgw_lpm *t;

	(void)state;
	assert_int_equal(build_err(4, same, ARRAY_SIZE(same)), -EEXIST);
	assert_int_equal(build_err(4, host_bits, ARRAY_SIZE(host_bits)),
			 -EEXIST);
	assert_int_equal(build_err(4, defaults, ARRAY_SIZE(defaults)),
			 -EEXIST);
	assert_int_equal(build_err(16, six, ARRAY_SIZE(six)), -EEXIST);
	/* Same address, other length: not a duplicate. */
	t = build(4, not_dup, ARRAY_SIZE(not_dup));
	check(t, "10.0.0.0", 2);
	check(t, "10.127.255.255", 2);
	check(t, "10.128.0.0", 3);
	sgw_lpm_free(t);
}

static void test_invalid(void **state)
{
	struct sgw_lpm_prefix p33 = v4("10.0.0.0", 33, 1);
	struct sgw_lpm_prefix p129 = v6("::", 128, 1);
	struct sgw_lpm_prefix p0 = v4("10.0.0.0", 8, 0);
	struct sgw_lpm_prefix ok = v4("10.0.0.0", 8, 1);
	struct sgw_lpm_prefix p255 = v4("10.0.0.0", 255, 1);

	(void)state;
	p129.len = 129;
	assert_int_equal(build_err(4, &p33, 1), -EINVAL);
	assert_int_equal(build_err(16, &p129, 1), -EINVAL);
	assert_int_equal(build_err(4, &p255, 1), -EINVAL);
	assert_int_equal(build_err(4, &p0, 1), -EINVAL);
	assert_int_equal(build_err(0, &ok, 1), -EINVAL);
	assert_int_equal(build_err(6, &ok, 1), -EINVAL);
	assert_int_equal(build_err(8, NULL, 0), -EINVAL);
	assert_int_equal(build_err(4, NULL, 3), -EINVAL);
	/* A 33-bit IPv4 prefix is fine as IPv6. */
	sgw_lpm_free(build(16, &p33, 1));
}

static void test_memory_grows(void **state)
{
	struct sgw_lpm_prefix p[] = {
		v4("10.0.0.0", 24, 1), v4("10.0.1.0", 24, 2),
		v4("10.1.0.0", 24, 3), v4("10.1.0.0", 16, 4),
	};
	struct sgw_lpm *t0 = build(4, NULL, 0), *t = build(4, p, ARRAY_SIZE(p));

	(void)state;
	/* Two /16s refined: exactly two chunks past the empty table. */
	assert_int_equal(sgw_lpm_memory(t) - sgw_lpm_memory(t0), 2 * 1024);
	check(t, "10.1.0.255", 3);
	check(t, "10.1.1.0", 4);
	sgw_lpm_free(t0);
	sgw_lpm_free(t);
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

static bool in_prefix(const struct sgw_lpm_prefix *p, const u8 *a)
{
	unsigned int full = p->len / 8, rest = p->len % 8;

	if (memcmp(p->addr, a, full))
		return false;
	if (!rest)
		return true;
	return !((p->addr[full] ^ a[full]) & (0xff00 >> rest));
}

static u16 linear_lpm(const struct sgw_lpm_prefix *p, size_t n,
		      const u8 *a)
{
	int best = -1;
	u16 v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if ((int)p[i].len > best && in_prefix(&p[i], a)) {
			best = p[i].len;
			v = p[i].value;
		}
	return v;
}

static void mask(u8 *a, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (len >= 8 * (i + 1))
			continue;
		a[i] = len <= 8 * i ? 0 : a[i] & (u8)(0xff00 >> (len - 8 * i));
	}
}

/*
 * Random prefixes drawn near a few base addresses, so they nest and touch;
 * lookups at random addresses, at prefix edges and just past them.
 */
static void random_cross_check(unsigned int bytes, u64 seed, size_t want,
			       size_t lookups)
{
	unsigned int bits = bytes * 8;
	struct sgw_lpm_prefix *p = calloc(want, sizeof(*p));
	u8 bases[8][16];
	size_t n = 0, i, j, tries;
	struct sgw_lpm *t;

	assert_non_null(p);
	rng_state = seed;
	for (i = 0; i < 8; i++)
		for (j = 0; j < 16; j++)
			bases[i][j] = (u8)rnd();
	for (tries = 0; n < want && tries < 10 * want; tries++) {
		struct sgw_lpm_prefix q = { 0 };
		const u8 *base = bases[rnd() % 8];
		unsigned int len;

		/* Mostly long prefixes, so the lower strides fill up. */
		len = rnd() % 4 ? bits / 2 + rnd() % (bits / 2 + 1)
				: rnd() % (bits + 1);
		memcpy(q.addr, base, bytes);
		for (j = rnd() % bytes; j < bytes; j++)
			if (rnd() % 3 == 0)
				q.addr[j] = (u8)rnd();
		q.len = (u8)len;
		q.value = (u16)(1 + rnd() % 0xfffe);
		mask(q.addr, len);
		for (j = 0; j < n; j++) {
			u8 other[16];

			memcpy(other, p[j].addr, 16);
			mask(other, p[j].len);
			if (p[j].len == q.len && !memcmp(other, q.addr, 16))
				break;
		}
		if (j < n)
			continue;
		/* Host bits are the table's to ignore: hand some in. */
		if (len < bits && rnd() % 2)
			q.addr[bytes - 1] |= 1;
		p[n++] = q;
	}
	assert_true(n > want / 2);

	t = build(bytes, p, n);
	for (i = 0; i < lookups; i++) {
		u8 a[16] = { 0 };
		const struct sgw_lpm_prefix *q = &p[rnd() % n];
		u16 got, exp;

		switch (rnd() % 4) {
		case 0:		/* anywhere */
			for (j = 0; j < bytes; j++)
				a[j] = (u8)rnd();
			break;
		case 1:		/* inside a prefix */
			for (j = 0; j < bytes; j++)
				a[j] = (u8)rnd();
			for (j = 0; j < q->len; j++)
				if ((q->addr[j / 8] ^ a[j / 8]) &
				    (0x80 >> (j % 8)))
					flip_bit(a, j);
			break;
		case 2:		/* first address, or one before it */
			memcpy(a, q->addr, bytes);
			mask(a, q->len);
			if (rnd() % 2)
				for (j = bytes; j-- > 0 && a[j]-- == 0;)
					;
			break;
		default:	/* last address, or one past it */
			memcpy(a, q->addr, bytes);
			for (j = q->len; j < bits; j++)
				a[j / 8] |= (u8)(0x80 >> (j % 8));
			if (rnd() % 2)
				for (j = bytes; j-- > 0 && ++a[j] == 0;)
					;
			break;
		}
		got = sgw_lpm_lookup(t, a);
		exp = linear_lpm(p, n, a);
		if (got != exp)
			fail_msg("seed %llu lookup %zu: got %u, want %u",
				 (unsigned long long)seed, i, got, exp);
	}
	sgw_lpm_free(t);
	free(p);
}

static void test_random_v4(void **state)
{
	(void)state;
	random_cross_check(4, 0x5eed0001, 3000, 20000);
	random_cross_check(4, 0x5eed0002, 200, 5000);
}

static void test_random_v6(void **state)
{
	(void)state;
	random_cross_check(16, 0x5eed0003, 3000, 20000);
	random_cross_check(16, 0x5eed0004, 200, 5000);
}

/* Dense IPv4: every /24 of a /16 with its own value, under a /12. */
static void test_dense(void **state)
{
	struct sgw_lpm_prefix p[257];
	struct sgw_lpm *t;
	unsigned int i;
	u8 a[4] = { 10, 16, 0, 0 };

	(void)state;
	for (i = 0; i < 256; i++) {
		memset(&p[i], 0, sizeof(p[i]));
		p[i].addr[0] = 10;
		p[i].addr[1] = 17;
		p[i].addr[2] = (u8)i;
		p[i].len = 24;
		p[i].value = (u16)(100 + i);
	}
	p[256] = v4("10.16.0.0", 12, 1);
	t = build(4, p, 257);
	for (i = 0; i < 256; i++) {
		a[1] = 17;
		a[2] = (u8)i;
		a[3] = (u8)(i * 7);
		assert_int_equal(sgw_lpm_lookup(t, a), 100 + i);
		a[1] = 16;
		assert_int_equal(sgw_lpm_lookup(t, a), 1);
		a[1] = 31;
		assert_int_equal(sgw_lpm_lookup(t, a), 1);
		a[1] = 32;
		assert_int_equal(sgw_lpm_lookup(t, a), 0);
	}
	sgw_lpm_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_default_route),
		cmocka_unit_test(test_v4_nested),
		cmocka_unit_test(test_v4_no_default),
		cmocka_unit_test(test_v6_nested),
		cmocka_unit_test(test_every_length),
		cmocka_unit_test(test_host_routes),
		cmocka_unit_test(test_host_bits_ignored),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_memory_grows),
		cmocka_unit_test(test_dense),
		cmocka_unit_test(test_random_v4),
		cmocka_unit_test(test_random_v6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
