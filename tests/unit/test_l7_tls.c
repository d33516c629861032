// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * TLS ClientHello classifier: real hellos from openssl and curl (one over
 * three records, one larger than an MTU), synthetic ML-KEM/ECH ones, every
 * prefix, every re-fragmentation, and lying lengths.
 */
#include "l7_test_util.h"
#include "l7_samples.h"

static struct sgw_l7_tls t;
static struct build msg, rec;

static enum sgw_l7_status parse_n(const void *p, size_t n)
{
	u8 *d = dup_exact(p, n);
	enum sgw_l7_status st = sgw_l7_tls_parse(d, n, &t);

	free(d);
	return st;
}

static void check_prefixes(const u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		enum sgw_l7_status st = parse_n(p, i);

		if (st != SGW_L7_NEED_MORE)
			fail_msg("prefix %zu of %zu: status %d", i, n, st);
	}
	assert_int_equal(parse_n(p, n), SGW_L7_MATCH);
}

/* @m as TLS records of at most @frag bytes each, into rec. */
static void wrap(const u8 *m, size_t n, size_t frag)
{
	size_t i, k;

	b_init(&rec);
	for (i = 0; i < n; i += k) {
		k = n - i < frag ? n - i : frag;
		b_u8(&rec, 22);
		b_u16(&rec, 0x0301);
		b_u16(&rec, k);
		b_bytes(&rec, m + i, k);
	}
}

/* The handshake message of a single-record sample. */
static void unwrap(const u8 *p, size_t n)
{
	b_init(&msg);
	assert_int_equal(((size_t)p[3] << 8 | p[4]) + 5, n);
	b_bytes(&msg, p + 5, n - 5);
}

/* A ClientHello with a few usual extensions, then ext_* before end. */
static void hello_begin(void)
{
	b_init(&msg);
	b_u8(&msg, 1);
	b_open(&msg, 3);
	b_u16(&msg, 0x0303);
	b_fill(&msg, 0x5a, 32);
	b_open(&msg, 1);
	b_fill(&msg, 0x11, 32);
	b_close(&msg);
	b_open(&msg, 2);
	b_u16(&msg, 0x1301);
	b_u16(&msg, 0xc02f);
	b_close(&msg);
	b_u8(&msg, 1);
	b_u8(&msg, 0);
	b_open(&msg, 2);
	b_u16(&msg, 23);		/* extended_master_secret */
	b_u16(&msg, 0);
}

static void hello_end(void)
{
	b_close(&msg);
	b_close(&msg);
}

static void ext_sni(const void *name, size_t n)
{
	b_u16(&msg, 0);
	b_open(&msg, 2);
	b_open(&msg, 2);
	b_u8(&msg, 0);
	b_u16(&msg, n);
	b_bytes(&msg, name, n);
	b_close(&msg);
	b_close(&msg);
}

static void ext_alpn(const char *const *ids, size_t n)
{
	size_t i;

	b_u16(&msg, 16);
	b_open(&msg, 2);
	b_open(&msg, 2);
	for (i = 0; i < n; i++) {
		b_u8(&msg, strlen(ids[i]));
		b_str(&msg, ids[i]);
	}
	b_close(&msg);
	b_close(&msg);
}

static void ext_raw(unsigned int type, const void *p, size_t n)
{
	b_u16(&msg, type);
	b_u16(&msg, n);
	b_bytes(&msg, p, n);
}

static enum sgw_l7_status parse_msg(void)
{
	wrap(msg.d, msg.n, 16384);
	return parse_n(rec.d, rec.n);
}

static void assert_alpn(unsigned int i, const char *id)
{
	assert_int_equal(t.alpn_len[i], strlen(id));
	assert_memory_equal(t.alpn[i], id, strlen(id));
}

static void test_openssl_sni_alpn(void **state)
{
	(void)state;
	check_prefixes(sample_tls_openssl_sni_alpn,
		       sizeof(sample_tls_openssl_sni_alpn));
	assert_string_equal(t.sni, "shop.example.com");
	assert_int_equal(t.sni_len, 16);
	assert_int_equal(t.alpn_count, 2);
	assert_alpn(0, "h2");
	assert_alpn(1, "http/1.1");
	assert_int_equal(t.legacy_version, 0x0303);
	assert_int_equal(t.max_version, 0x0304);
	assert_int_equal(t.flags, SGW_L7_TLS_F_SNI | SGW_L7_TLS_F_ALPN |
			 SGW_L7_TLS_F_TLS13);
}

static void test_curl(void **state)
{
	(void)state;
	check_prefixes(sample_tls_curl, sizeof(sample_tls_curl));
	assert_string_equal(t.sni, "shop.example.com");
	assert_int_equal(t.alpn_count, 2);
	assert_alpn(0, "h2");
	assert_alpn(1, "http/1.1");
	assert_true(t.flags & SGW_L7_TLS_F_TLS13);
}

static void test_no_sni(void **state)
{
	(void)state;
	check_prefixes(sample_tls_openssl_nosni,
		       sizeof(sample_tls_openssl_nosni));
	assert_false(t.flags & SGW_L7_TLS_F_SNI);
	assert_int_equal(t.sni_len, 0);
	assert_string_equal(t.sni, "");
	assert_false(t.flags & SGW_L7_TLS_F_ALPN);
	assert_int_equal(t.alpn_count, 0);
}

static void test_big_hello(void **state)
{
	char want[16];
	unsigned int i;

	(void)state;
	assert_true(sizeof(sample_tls_openssl_big) > 1500);
	check_prefixes(sample_tls_openssl_big, sizeof(sample_tls_openssl_big));
	assert_string_equal(t.sni, "big.shop.example.com");
	assert_int_equal(t.alpn_count, 42);
	assert_true(t.flags & SGW_L7_TLS_F_ALPN_TRUNC);
	assert_alpn(0, "h2");
	assert_alpn(1, "http/1.1");
	for (i = 2; i < SGW_L7_TLS_ALPN_MAX; i++) {
		snprintf(want, sizeof(want), "x-proto-%03u", i - 2);
		assert_alpn(i, want);
	}
}

static void test_real_fragmented(void **state)
{
	(void)state;
	check_prefixes(sample_tls_openssl_frag, sizeof(sample_tls_openssl_frag));
	assert_string_equal(t.sni, "frag.shop.example.com");
	assert_true(t.flags & SGW_L7_TLS_F_FRAGMENTED);
	assert_int_equal(t.alpn_count, 2);
	assert_alpn(1, "http/1.1");
}

static void check_synth(void)
{
	assert_string_equal(t.sni, "shop.example.com");
	assert_int_equal(t.alpn_count, 2);
	assert_alpn(0, "h2");
	assert_alpn(1, "http/1.1");
	/* GREASE 0x7a7a is not a version. */
	assert_int_equal(t.max_version, 0x0304);
	assert_true(t.flags & SGW_L7_TLS_F_TLS13);
	assert_true(t.flags & SGW_L7_TLS_F_ECH);
}

static void test_synth_pq_ech(void **state)
{
	(void)state;
	assert_true(sizeof(sample_tls_synth_pq_ech) > 1500);
	check_prefixes(sample_tls_synth_pq_ech, sizeof(sample_tls_synth_pq_ech));
	check_synth();
	assert_false(t.flags & SGW_L7_TLS_F_FRAGMENTED);
	check_prefixes(sample_tls_synth_split, sizeof(sample_tls_synth_split));
	check_synth();
	assert_true(t.flags & SGW_L7_TLS_F_FRAGMENTED);
}

/* Every real hello, re-cut into records of k bytes, parses the same. */
static void test_refragment(void **state)
{
	static const struct { const u8 *p; size_t n; } s[] = {
		{ sample_tls_openssl_sni_alpn,
		  sizeof(sample_tls_openssl_sni_alpn) },
		{ sample_tls_curl, sizeof(sample_tls_curl) },
		{ sample_tls_openssl_big, sizeof(sample_tls_openssl_big) },
		{ sample_tls_synth_pq_ech, sizeof(sample_tls_synth_pq_ech) },
	};
	struct sgw_l7_tls whole;
	size_t i, k, j;

	(void)state;
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		assert_int_equal(parse_n(s[i].p, s[i].n), SGW_L7_MATCH);
		whole = t;
		unwrap(s[i].p, s[i].n);
		for (k = 1; k <= msg.n; k += k < 40 ? 1 : 97) {
			size_t records = (msg.n + k - 1) / k;
			enum sgw_l7_status st;

			wrap(msg.d, msg.n, k);
			st = parse_n(rec.d, rec.n);
			if (records > SGW_L7_TLS_RECORDS_MAX) {
				assert_int_equal(st, SGW_L7_MALFORMED);
				assert_int_equal(t.reason, SGW_L7_R_LIMIT);
				continue;
			}
			if (st != SGW_L7_MATCH)
				fail_msg("sample %zu in %zu-byte records: %d",
					 i, k, st);
			assert_int_equal(t.flags & ~SGW_L7_TLS_F_FRAGMENTED,
					 whole.flags);
			assert_int_equal(!!(t.flags & SGW_L7_TLS_F_FRAGMENTED),
					 records > 1);
			assert_string_equal(t.sni, whole.sni);
			assert_int_equal(t.alpn_count, whole.alpn_count);
			assert_memory_equal(t.alpn_len, whole.alpn_len,
					    sizeof(t.alpn_len));
			for (j = 0; j < whole.alpn_count &&
			     j < SGW_L7_TLS_ALPN_MAX; j++)
				assert_memory_equal(t.alpn[j], whole.alpn[j],
						    whole.alpn_len[j]);
			/* Byte by byte: every prefix of the records waits. */
			if (k == 7 || k == 300)
				check_prefixes(rec.d, rec.n);
		}
	}
}

static void test_records(void **state)
{
	u8 bad[8];

	(void)state;
	/* Not TLS on the first record header. */
	assert_int_equal(parse_n("\x17\x03\x01\x00\x05", 5), SGW_L7_NOT_THIS);
	assert_int_equal(parse_n("\x16\x02", 2), SGW_L7_NOT_THIS);
	assert_int_equal(parse_n("\x16\x03\x05", 3), SGW_L7_NOT_THIS);
	assert_int_equal(parse_n("GET / HTTP/1.1\r\n", 16), SGW_L7_NOT_THIS);
	assert_int_equal(parse_n("", 0), SGW_L7_NEED_MORE);
	assert_int_equal(parse_n("\x16\x03\x04\x00", 4), SGW_L7_NEED_MORE);
	/* Record lengths: 0 and past 2^14. */
	assert_int_equal(parse_n("\x16\x03\x01\x00\x00", 5), SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_LENGTH);
	assert_int_equal(parse_n("\x16\x03\x01\x40\x01", 5), SGW_L7_MALFORMED);
	assert_int_equal(parse_n("\x16\x03\x01\x40\x00", 5), SGW_L7_NEED_MORE);
	/* A ServerHello, a Certificate as the first handshake message. */
	assert_int_equal(parse_n("\x16\x03\x03\x00\x04\x02\x00\x00\x30", 9),
			 SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_DIRECTION);
	assert_int_equal(parse_n("\x16\x03\x03\x00\x04\x0b\x00\x00\x30", 9),
			 SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_SYNTAX);
	/* Handshake header split over two records. */
	assert_int_equal(parse_n("\x16\x03\x01\x00\x01\x01"
				 "\x16\x03\x01\x00\x03\x00\x00\x30", 14),
			 SGW_L7_NEED_MORE);
	/* Lengths past the limit and below the minimum. */
	memcpy(bad, "\x16\x03\x01\x00\x04\x01\x00\x20", 8);
	bad[7] = 0x01;	/* 0x002001 = 8193 */
	assert_int_equal(parse_n(bad, 8), SGW_L7_NEED_MORE);
	assert_int_equal(parse_n("\x16\x03\x01\x00\x04\x01\x00\x20\x01", 9),
			 SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_LIMIT);
	assert_int_equal(parse_n("\x16\x03\x01\x00\x04\x01\x00\x00\x20", 9),
			 SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_LENGTH);

	/* Another content type between two fragments of the hello. */
	unwrap(sample_tls_curl, sizeof(sample_tls_curl));
	wrap(msg.d, msg.n, 100);
	rec.d[105] = 21;	/* the second record becomes an alert */
	assert_int_equal(parse_n(rec.d, rec.n), SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_SYNTAX);
	wrap(msg.d, msg.n, 100);
	rec.d[106] = 2;		/* bad version on a later record */
	assert_int_equal(parse_n(rec.d, rec.n), SGW_L7_MALFORMED);
}

/* Lengths that lie: each changed by one either way. */
static void test_lying_lengths(void **state)
{
	/* Offsets in the handshake message of sample_tls_curl. */
	const size_t hs_len = 1, sid = 38;
	size_t cs, ext_total;

	(void)state;
	unwrap(sample_tls_curl, sizeof(sample_tls_curl));
	cs = sid + 1 + msg.d[sid];
	ext_total = cs + 2 + (msg.d[cs] << 8 | msg.d[cs + 1]);
	ext_total += 1 + msg.d[ext_total];

	/* Handshake length one short: extensions overrun the message. */
	msg.d[hs_len + 2]--;
	wrap(msg.d, msg.n, 16384);
	assert_int_equal(parse_n(rec.d, rec.n), SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_LENGTH);
	/* One long: the hello is not complete. */
	msg.d[hs_len + 2] += 2;
	wrap(msg.d, msg.n, 16384);
	assert_int_equal(parse_n(rec.d, rec.n), SGW_L7_NEED_MORE);
	msg.d[hs_len + 2]--;

	msg.d[sid] = 33;
	wrap(msg.d, msg.n, 16384);
	assert_int_equal(parse_n(rec.d, rec.n), SGW_L7_MALFORMED);
	msg.d[sid] = 32;

	msg.d[cs + 1] ^= 1;	/* odd cipher_suites length */
	wrap(msg.d, msg.n, 16384);
	assert_int_equal(parse_n(rec.d, rec.n), SGW_L7_MALFORMED);
	msg.d[cs + 1] ^= 1;

	msg.d[ext_total + 1]++;
	wrap(msg.d, msg.n, 16384);
	assert_int_equal(parse_n(rec.d, rec.n), SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_LENGTH);
	msg.d[ext_total + 1] -= 2;
	wrap(msg.d, msg.n, 16384);
	assert_int_equal(parse_n(rec.d, rec.n), SGW_L7_MALFORMED);
	msg.d[ext_total + 1]++;

	wrap(msg.d, msg.n, 16384);
	assert_int_equal(parse_n(rec.d, rec.n), SGW_L7_MATCH);
}

static void test_built_hellos(void **state)
{
	static const char *const two[] = { "h2", "http/1.1" };
	static const char *const empty[] = { "h2", "" };
	char name[301];

	(void)state;
	/* Baseline: SNI and ALPN as built. */
	hello_begin();
	ext_sni("Shop.Example.COM", 16);
	ext_alpn(two, 2);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MATCH);
	assert_string_equal(t.sni, "shop.example.com");
	assert_int_equal(t.max_version, 0x0303);
	assert_false(t.flags & SGW_L7_TLS_F_TLS13);

	/* No extensions at all (TLS 1.2 and before). */
	hello_begin();
	msg.n -= 6;	/* drop the extensions vector and its one entry */
	msg.depth--;
	b_close(&msg);
	assert_int_equal(parse_msg(), SGW_L7_MATCH);
	assert_false(t.flags & SGW_L7_TLS_F_SNI);

	/* NUL, space, high byte, backslash in the name. */
	hello_begin();
	ext_sni("shop\0.example.com", 17);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_SYNTAX);
	hello_begin();
	ext_sni("a b", 3);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	hello_begin();
	ext_sni("a\xff", 2);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	hello_begin();
	ext_sni("a\\.b", 4);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);

	/* An over-long name is kept truncated. */
	memset(name, 'a', 300);
	hello_begin();
	ext_sni(name, 300);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MATCH);
	assert_int_equal(t.sni_len, SGW_L7_NAME_MAX);
	assert_int_equal(strlen(t.sni), SGW_L7_NAME_MAX);
	assert_true(t.flags & SGW_L7_TLS_F_SNI_TRUNC);

	/* Two server_name extensions; two host_names in one. */
	hello_begin();
	ext_sni("a", 1);
	ext_sni("b", 1);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_DUPLICATE);
	hello_begin();
	ext_raw(0, "\x00\x08\x00\x00\x01" "a\x00\x00\x01" "b", 10);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_DUPLICATE);
	/* Another name type is skipped; host_name after it counts. */
	hello_begin();
	ext_raw(0, "\x00\x08\x07\x00\x01" "z\x00\x00\x01" "b", 10);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MATCH);
	assert_string_equal(t.sni, "b");
	/* Empty server_name (the server's form), empty list, empty name. */
	hello_begin();
	ext_raw(0, "", 0);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	hello_begin();
	ext_raw(0, "\x00\x00", 2);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	hello_begin();
	ext_raw(0, "\x00\x03\x00\x00\x00", 5);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	/* Name length past its list, list past its extension. */
	hello_begin();
	ext_raw(0, "\x00\x04\x00\x00\x02" "a", 6);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_LENGTH);
	hello_begin();
	ext_raw(0, "\x00\x05\x00\x00\x01" "a", 6);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);

	/* ALPN: an empty id, an empty list, a long id, a duplicate. */
	hello_begin();
	ext_alpn(empty, 2);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	hello_begin();
	ext_raw(16, "\x00\x00", 2);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	{
		static const char *const longid[] = {
			"h2", "0123456789abcdef0123456789abcdef0123456789",
		};

		hello_begin();
		ext_alpn(longid, 2);
		hello_end();
		assert_int_equal(parse_msg(), SGW_L7_MATCH);
		assert_int_equal(t.alpn_count, 2);
		assert_int_equal(t.alpn_len[1], 42);
		assert_memory_equal(t.alpn[1], longid[1],
				    SGW_L7_TLS_ALPN_LEN_MAX);
		assert_true(t.flags & SGW_L7_TLS_F_ALPN_TRUNC);
	}
	hello_begin();
	ext_alpn(two, 2);
	ext_alpn(two, 2);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_DUPLICATE);

	/* supported_versions: odd, empty, GREASE only; ECH twice. */
	hello_begin();
	ext_raw(43, "\x03\x03\x04\x03", 4);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	hello_begin();
	ext_raw(43, "\x00", 1);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	hello_begin();
	ext_raw(43, "\x02\x1a\x1a", 3);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MATCH);
	assert_int_equal(t.max_version, 0x0303);
	hello_begin();
	ext_raw(0xfe0d, "\x00", 1);
	ext_raw(0xffce, "\x00", 1);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_DUPLICATE);

	/* An extension longer than what is left. */
	hello_begin();
	b_u16(&msg, 99);
	b_u16(&msg, 10);
	b_u16(&msg, 0);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_LENGTH);
}

static void test_extension_count(void **state)
{
	unsigned int i;

	(void)state;
	hello_begin();
	for (i = 1; i < SGW_L7_TLS_EXTENSIONS_MAX; i++)
		ext_raw(1000 + i, "", 0);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MATCH);
	hello_begin();
	for (i = 0; i < SGW_L7_TLS_EXTENSIONS_MAX; i++)
		ext_raw(1000 + i, "", 0);
	hello_end();
	assert_int_equal(parse_msg(), SGW_L7_MALFORMED);
	assert_int_equal(t.reason, SGW_L7_R_LIMIT);
}

static void test_prefix_max_decides(void **state)
{
	u8 *d;

	(void)state;
	/* A record claiming 16 KiB that holds a hello claiming 8 KiB. */
	d = calloc(1, SGW_L7_PREFIX_MAX);
	assert_non_null(d);
	memcpy(d, "\x16\x03\x01\x40\x00\x01\x00\x20\x00\x03\x03", 11);
	assert_int_equal(sgw_l7_tls_parse(d, SGW_L7_PREFIX_MAX, &t),
			 SGW_L7_MALFORMED);
	free(d);
}

static void test_mutations(void **state)
{
	static const struct { const u8 *p; size_t n; } s[] = {
		{ sample_tls_openssl_sni_alpn,
		  sizeof(sample_tls_openssl_sni_alpn) },
		{ sample_tls_openssl_frag, sizeof(sample_tls_openssl_frag) },
		{ sample_tls_synth_split, sizeof(sample_tls_synth_split) },
	};
	static const u8 masks[] = { 0x01, 0x80, 0xff };
	size_t i, j, k;

	(void)state;
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		for (j = 0; j < s[i].n; j++) {
			for (k = 0; k < sizeof(masks); k++) {
				u8 *d = dup_exact(s[i].p, s[i].n);
				enum sgw_l7_status st;

				d[j] ^= masks[k];
				st = sgw_l7_tls_parse(d, s[i].n, &t);
				assert_true(st <= SGW_L7_MALFORMED);
				if (st == SGW_L7_MATCH)
					assert_int_equal(strlen(t.sni),
							 t.sni_len);
				free(d);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openssl_sni_alpn),
		cmocka_unit_test(test_curl),
		cmocka_unit_test(test_no_sni),
		cmocka_unit_test(test_big_hello),
		cmocka_unit_test(test_real_fragmented),
		cmocka_unit_test(test_synth_pq_ech),
		cmocka_unit_test(test_refragment),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_lying_lengths),
		cmocka_unit_test(test_built_hellos),
		cmocka_unit_test(test_extension_count),
		cmocka_unit_test(test_prefix_max_decides),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests_name("l7_tls", tests, NULL, NULL);
}
