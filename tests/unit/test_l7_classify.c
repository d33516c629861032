// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The dispatcher the kernel calls: every real sample, fed a byte at a time
 * as the kernel would re-offer a growing prefix, ends in its app; junk and
 * other transports do not; a full prefix is always decided.
 */
#include "l7_test_util.h"
#include "l7_samples.h"

static struct sgw_l7_result r;

static enum sgw_l7_status classify(const void *p, size_t n, u8 l4, u16 port)
{
	u8 *d = dup_exact(p, n);
	enum sgw_l7_status st = sgw_l7_classify(d, n, l4, port, &r);

	free(d);
	assert_int_equal(r.status, st);
	return st;
}

struct sample {
	const char	*name;
	const u8	*p;
	size_t		n;
	u8		l4;
	u16		port;
	u8		app;
	size_t		decided;	/* bytes needed; 0: all */
};

#define S(x, l4, port, app, dec) \
	{ #x, sample_##x, sizeof(sample_##x), l4, port, app, dec }

static const struct sample samples[] = {
	S(http_curl_get, SGW_L7_TCP, 80, SGW_APP_HTTP, 0),
	S(http_curl_post, SGW_L7_TCP, 8080, SGW_APP_HTTP, 166),
	S(http_curl_proxy, SGW_L7_TCP, 3128, SGW_APP_HTTP, 0),
	S(tls_openssl_sni_alpn, SGW_L7_TCP, 443, SGW_APP_TLS, 0),
	S(tls_curl, SGW_L7_TCP, 443, SGW_APP_TLS, 0),
	S(tls_openssl_nosni, SGW_L7_TCP, 8443, SGW_APP_TLS, 0),
	S(tls_openssl_big, SGW_L7_TCP, 443, SGW_APP_TLS, 0),
	S(tls_openssl_frag, SGW_L7_TCP, 443, SGW_APP_TLS, 0),
	S(tls_synth_pq_ech, SGW_L7_TCP, 443, SGW_APP_TLS, 0),
	S(tls_synth_split, SGW_L7_TCP, 443, SGW_APP_TLS, 0),
	S(ssh_openssh, SGW_L7_TCP, 22, SGW_APP_SSH, 0),
	S(dns_dig_a, SGW_L7_UDP, 53, SGW_APP_DNS, 0),
	S(dns_dig_noedns, SGW_L7_UDP, 53, SGW_APP_DNS, 0),
	S(dns_dig_srv, SGW_L7_UDP, 5353, SGW_APP_DNS, 0),
	S(dns_synth_two_q, SGW_L7_UDP, 53, SGW_APP_DNS, 0),
};

static void test_samples_grow(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const struct sample *s = &samples[i];
		size_t dec = s->decided ? s->decided : s->n;

		if (s->l4 == SGW_L7_TCP) {
			for (k = 0; k < dec; k++)
				if (classify(s->p, k, s->l4, s->port) !=
				    SGW_L7_NEED_MORE)
					fail_msg("%s: %zu bytes: %d app %d",
						 s->name, k, r.status, r.app);
		}
		for (k = dec; k <= s->n; k++) {
			if (classify(s->p, k, s->l4, s->port) != SGW_L7_MATCH ||
			    r.app != s->app)
				fail_msg("%s: %zu bytes: %d app %d", s->name,
					 k, r.status, r.app);
		}
	}
}

static void test_fields_through_dispatch(void **state)
{
	(void)state;
	assert_int_equal(classify(sample_tls_curl, sizeof(sample_tls_curl),
				  SGW_L7_TCP, 443), SGW_L7_MATCH);
	assert_string_equal(r.tls.sni, "shop.example.com");
	assert_int_equal(classify(sample_http_curl_get,
				  sizeof(sample_http_curl_get), SGW_L7_TCP, 80),
			 SGW_L7_MATCH);
	assert_string_equal(r.http.host, "shop.example.com");
	assert_int_equal(classify(sample_ssh_openssh,
				  sizeof(sample_ssh_openssh), SGW_L7_TCP, 22),
			 SGW_L7_MATCH);
	assert_string_equal(r.ssh.software, "OpenSSH_9.2p1");
	assert_int_equal(classify(sample_dns_dig_a, sizeof(sample_dns_dig_a),
				  SGW_L7_UDP, 53), SGW_L7_MATCH);
	assert_string_equal(r.dns.q[0].name, "www.debian.org");
	assert_string_equal(sgw_l7_app_name(r.app), "dns");
}

static void test_dns_over_tcp(void **state)
{
	u8 f[2 + sizeof(sample_dns_dig_a)];
	size_t k;

	(void)state;
	f[0] = 0;
	f[1] = sizeof(sample_dns_dig_a);
	memcpy(f + 2, sample_dns_dig_a, sizeof(sample_dns_dig_a));
	for (k = 0; k < sizeof(f); k++)
		assert_int_equal(classify(f, k, SGW_L7_TCP, 53),
				 SGW_L7_NEED_MORE);
	assert_int_equal(classify(f, sizeof(f), SGW_L7_TCP, 53), SGW_L7_MATCH);
	assert_int_equal(r.app, SGW_APP_DNS);
	/* Not on another port: no signature to know it by. */
	assert_int_equal(classify(f, sizeof(f), SGW_L7_TCP, 853),
			 SGW_L7_NOT_THIS);
	/* HTTP to TCP 53 is still HTTP. */
	assert_int_equal(classify(sample_http_curl_get,
				  sizeof(sample_http_curl_get), SGW_L7_TCP, 53),
			 SGW_L7_MATCH);
	assert_int_equal(r.app, SGW_APP_HTTP);
}

static void test_outcomes(void **state)
{
	static const u8 junk[] = { 0x00, 0x01, 0x02, 0x03, 0xff, 0xfe };

	(void)state;
	assert_int_equal(classify("", 0, SGW_L7_TCP, 80), SGW_L7_NEED_MORE);
	assert_int_equal(r.app, SGW_APP_NONE);
	assert_int_equal(classify("S", 1, SGW_L7_TCP, 22), SGW_L7_NEED_MORE);
	assert_int_equal(classify(junk, sizeof(junk), SGW_L7_TCP, 80),
			 SGW_L7_NOT_THIS);
	assert_int_equal(r.app, SGW_APP_NONE);
	/* SSH-1.5 is SSH, malformed, once HTTP has given up on it too. */
	assert_int_equal(classify("SSH-1.5-x", 9, SGW_L7_TCP, 22),
			 SGW_L7_NEED_MORE);
	assert_int_equal(classify("SSH-1.5-x\r\n", 11, SGW_L7_TCP, 22),
			 SGW_L7_MALFORMED);
	assert_int_equal(r.app, SGW_APP_SSH);
	assert_int_equal(r.reason, SGW_L7_R_SYNTAX);
	/* A method starting with S is still HTTP. */
	assert_int_equal(classify("SEARCH / HTTP/1.1\r\nHost: a\r\n\r\n", 30,
				  SGW_L7_TCP, 80), SGW_L7_MATCH);
	assert_int_equal(r.app, SGW_APP_HTTP);
	assert_int_equal(classify("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
				  35, SGW_L7_TCP, 80), SGW_L7_MALFORMED);
	assert_int_equal(r.app, SGW_APP_HTTP);
	assert_int_equal(r.reason, SGW_L7_R_DUPLICATE);
	assert_int_equal(classify("\x16\x03\x01\x00\x00", 5, SGW_L7_TCP, 443),
			 SGW_L7_MALFORMED);
	assert_int_equal(r.app, SGW_APP_TLS);

	/* UDP: DNS; junk is malformed DNS on 53, nothing elsewhere. */
	assert_int_equal(classify(junk, sizeof(junk), SGW_L7_UDP, 53),
			 SGW_L7_MALFORMED);
	assert_int_equal(r.app, SGW_APP_DNS);
	assert_int_equal(classify(junk, sizeof(junk), SGW_L7_UDP, 443),
			 SGW_L7_NOT_THIS);
	assert_int_equal(r.app, SGW_APP_NONE);
	assert_int_equal(classify("", 0, SGW_L7_UDP, 53), SGW_L7_MALFORMED);
	/* Another transport. */
	assert_int_equal(classify(sample_dns_dig_a, sizeof(sample_dns_dig_a),
				  132, 53), SGW_L7_NOT_THIS);
	assert_string_equal(sgw_l7_app_name(SGW_APP_SSH + 1), "?");
	assert_string_equal(sgw_l7_app_name(SGW_APP_UNCLASSIFIED), "unclassified");
}

/* SGW_L7_PREFIX_MAX bytes always get an answer other than NEED_MORE. */
static void test_prefix_max_decides(void **state)
{
	static const char *const starts[] = {
		"", "S", "SSH-2.0-", "GET ", "GET /", "GET / HTTP/1.1\r\n",
		"GET / HTTP/1.1\r\nX: ", "\x16", "\x16\x03\x01\x40\x00\x01\x00",
		"\x16\x03\x01\x00\x01\x01", "PRI * HTTP/2.0\r\n\r\n",
	};
	static const u8 fills[] = { 'a', ' ', 0x16, 0x00, 0x01, '\r' };
	u16 ports[] = { 80, 53 };
	size_t i, j, p;
	u8 *d;

	(void)state;
	d = malloc(SGW_L7_PREFIX_MAX);
	assert_non_null(d);
	for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		for (j = 0; j < sizeof(fills); j++) {
			size_t n = strlen(starts[i]);

			memset(d, fills[j], SGW_L7_PREFIX_MAX);
			memcpy(d, starts[i], n);
			if (n == 6 && d[0] == 0x16) {
				/* One-byte records from here on. */
				size_t o;

				for (o = n; o + 6 <= SGW_L7_PREFIX_MAX; o += 6)
					memcpy(d + o, "\x16\x03\x01\x00\x01\x00",
					       6);
			}
			for (p = 0; p < 2; p++) {
				enum sgw_l7_status st;

				st = sgw_l7_classify(d, SGW_L7_PREFIX_MAX,
						     SGW_L7_TCP, ports[p], &r);
				if (st == SGW_L7_NEED_MORE)
					fail_msg("start %zu fill %zu port %u",
						 i, j, ports[p]);
			}
		}
	}
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples_grow),
		cmocka_unit_test(test_fields_through_dispatch),
		cmocka_unit_test(test_dns_over_tcp),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_prefix_max_decides),
	};

	return cmocka_run_group_tests_name("l7_classify", tests, NULL, NULL);
}
