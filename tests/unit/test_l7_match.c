// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Matchers: name wildcards at label boundaries, paths, and the rule-level
 * helpers on fields parsed from the real samples.
 */
#include "l7_test_util.h"
#include "l7/match.h"
#include "l7_samples.h"

#define P(s) { s, sizeof(s) - 1 }
#define N(set) (sizeof(set) / sizeof((set)[0]))

static bool name(const char *pat, const char *n)
{
	return sgw_l7_name_match(pat, strlen(pat), n, strlen(n));
}

static void test_names(void **state)
{
	(void)state;
	assert_true(name("shop.example.com", "shop.example.com"));
	assert_true(name("shop.example.com", "SHOP.Example.Com"));
	assert_true(name("Shop.Example.com", "shop.example.com"));
	assert_true(name("shop.example.com", "shop.example.com."));
	assert_true(name("shop.example.com.", "shop.example.com"));
	assert_false(name("shop.example.com", "shop.example.co"));
	assert_false(name("shop.example.com", "xshop.example.com"));
	assert_false(name("shop.example.com", "a.shop.example.com"));
	assert_false(name("shop.example.com", "shop.example.com.."));
	assert_false(name("shop.example.com", ""));
	assert_false(name("", ""));

	/* Wildcards: any depth below, never the bare name, labels only. */
	assert_true(name("*.example.com", "a.example.com"));
	assert_true(name("*.example.com", "a.b.example.com"));
	assert_true(name("*.example.com", "x.y.z.EXAMPLE.COM."));
	assert_true(name("*.shop.example.com", "api.shop.example.com"));
	assert_false(name("*.example.com", "example.com"));
	assert_false(name("*.example.com", "example.com."));
	assert_false(name("*.example.com", ".example.com"));
	assert_false(name("*.example.com", "badexample.com"));
	assert_false(name("*.example.com", "a.badexample.com"));
	assert_false(name("*.example.com", "a..example.com"));
	assert_false(name("*.example.com", "a.example.com.evil"));
	assert_false(name("*.corp.example", "x\\.corp.example"));
	assert_false(name("x\\.corp.example", "x\\.corp.example"));
	assert_false(name("*.example.com", "."));
}

static void test_patterns_valid(void **state)
{
	static const char *const good[] = {
		"example.com", "*.example.com", "a", "example.com.",
		"_ldap._tcp.corp.example", "xn--caf-dma.example",
	};
	static const char *const bad[] = {
		"", ".", "*.", "*", "a..b", ".a", "*a.b", "a.*.b", "a b",
		"a\\.b", "caf\xc3\xa9", "a.b..", "**.a", "a:80",
	};
	char longlabel[80], longname[300];
	size_t i;

	(void)state;
	for (i = 0; i < N(good); i++)
		if (!sgw_l7_name_pattern_valid(good[i], strlen(good[i])))
			fail_msg("\"%s\" refused", good[i]);
	for (i = 0; i < N(bad); i++)
		if (sgw_l7_name_pattern_valid(bad[i], strlen(bad[i])))
			fail_msg("\"%s\" accepted", bad[i]);
	memset(longlabel, 'a', sizeof(longlabel));
	assert_true(sgw_l7_name_pattern_valid(longlabel, 63));
	assert_false(sgw_l7_name_pattern_valid(longlabel, 64));
	for (i = 0; i < sizeof(longname); i++)
		longname[i] = i % 2 ? '.' : 'a';
	assert_true(sgw_l7_name_pattern_valid(longname, 253));
	assert_false(sgw_l7_name_pattern_valid(longname, 255));

	assert_true(sgw_l7_path_pattern_valid("/api/*", 6));
	assert_true(sgw_l7_path_pattern_valid("/", 1));
	assert_false(sgw_l7_path_pattern_valid("api/*", 5));
	assert_false(sgw_l7_path_pattern_valid("/a*b", 4));
	assert_false(sgw_l7_path_pattern_valid("/a b", 4));
	assert_false(sgw_l7_path_pattern_valid("/a?b", 4));
	assert_false(sgw_l7_path_pattern_valid("", 0));
}

static void test_paths(void **state)
{
	(void)state;
	assert_true(sgw_l7_path_match("/api/*", 6, "/api/x", 6, false));
	assert_true(sgw_l7_path_match("/api/*", 6, "/api/", 5, false));
	assert_false(sgw_l7_path_match("/api/*", 6, "/api", 4, false));
	assert_false(sgw_l7_path_match("/api/*", 6, "/API/x", 6, false));
	assert_true(sgw_l7_path_match("/api", 4, "/api", 4, false));
	assert_false(sgw_l7_path_match("/api", 4, "/api/", 5, false));
	assert_false(sgw_l7_path_match("/api", 4, "/ap", 3, false));
	/* Truncated: a prefix still decides, an exact pattern cannot. */
	assert_true(sgw_l7_path_match("/api/*", 6, "/api/xx", 7, true));
	assert_false(sgw_l7_path_match("/api/xx", 7, "/api/xx", 7, true));
	assert_true(sgw_l7_path_match("/*", 2, "/", 1, false));
	assert_true(sgw_l7_exact_match("GET", 3, "GET", 3));
	assert_false(sgw_l7_exact_match("GET", 3, "get", 3));
	assert_false(sgw_l7_exact_match("GET", 3, "GETX", 4));
}

static void parse_http(const char *req, struct sgw_l7_http *h)
{
	assert_int_equal(sgw_l7_http_parse((const u8 *)req, strlen(req), h),
			 SGW_L7_MATCH);
}

/*
 * The rule "host shop.example.com, *.shop.example.com method GET, POST
 * path /api/<star>" on real and made-up requests.
 */
static void test_http_rule(void **state)
{
	static const struct sgw_l7_pattern hosts[] = {
		P("shop.example.com"), P("*.shop.example.com"),
	};
	static const struct sgw_l7_pattern methods[] = { P("GET"), P("POST") };
	static const struct sgw_l7_pattern paths[] = { P("/api/*") };
	static struct sgw_l7_http h;

	(void)state;
	assert_int_equal(sgw_l7_http_parse(sample_http_curl_get,
					   sizeof(sample_http_curl_get), &h),
			 SGW_L7_MATCH);
	assert_true(sgw_l7_http_host_match(&h, hosts, N(hosts)));
	assert_true(sgw_l7_http_method_match(&h, methods, N(methods)));
	assert_true(sgw_l7_http_path_match(&h, paths, N(paths)));

	assert_int_equal(sgw_l7_http_parse(sample_http_curl_proxy,
					   sizeof(sample_http_curl_proxy), &h),
			 SGW_L7_MATCH);
	assert_true(sgw_l7_http_host_match(&h, hosts, N(hosts)));
	assert_false(sgw_l7_http_path_match(&h, paths, N(paths)));

	parse_http("DELETE /api/x HTTP/1.1\r\nHost: a.b.Shop.example.com\r\n\r\n",
		   &h);
	assert_true(sgw_l7_http_host_match(&h, hosts, N(hosts)));
	assert_false(sgw_l7_http_method_match(&h, methods, N(methods)));
	parse_http("get /api/x HTTP/1.1\r\nHost: shop.example.com\r\n\r\n", &h);
	assert_false(sgw_l7_http_method_match(&h, methods, N(methods)));
	parse_http("GET /api/../admin HTTP/1.1\r\nHost: shop.example.com\r\n\r\n",
		   &h);
	assert_false(sgw_l7_http_path_match(&h, paths, N(paths)));
	parse_http("GET /api/x HTTP/1.1\r\nHost: evilshop.example.com\r\n\r\n",
		   &h);
	assert_false(sgw_l7_http_host_match(&h, hosts, N(hosts)));
	parse_http("GET /api/x HTTP/1.0\r\n\r\n", &h);
	assert_false(sgw_l7_http_host_match(&h, hosts, N(hosts)));
	parse_http("CONNECT shop.example.com:443 HTTP/1.1\r\n\r\n", &h);
	assert_true(sgw_l7_http_host_match(&h, hosts, N(hosts)));
	assert_false(sgw_l7_http_path_match(&h, paths, N(paths)));
}

static void test_host_truncated(void **state)
{
	static const struct sgw_l7_pattern any[] = { P("*.example.com") };
	static struct sgw_l7_http h;
	char req[600];

	(void)state;
	strcpy(req, "GET / HTTP/1.1\r\nHost: ");
	memset(req + strlen(req), 'a', 300);
	strcpy(req + 22 + 300, ".example.com\r\n\r\n");
	parse_http(req, &h);
	assert_true(h.flags & SGW_L7_HTTP_F_HOST_TRUNC);
	assert_false(sgw_l7_http_host_match(&h, any, N(any)));
}

/* "sni shop.example.com alpn h2, http/1.1" */
static void test_tls_rule(void **state)
{
	static const struct sgw_l7_pattern sni[] = { P("shop.example.com") };
	static const struct sgw_l7_pattern alpn[] = { P("h2"), P("http/1.1") };
	static const struct sgw_l7_pattern h2[] = { P("h2") };
	static struct sgw_l7_tls t;

	(void)state;
	assert_int_equal(sgw_l7_tls_parse(sample_tls_curl,
					  sizeof(sample_tls_curl), &t),
			 SGW_L7_MATCH);
	assert_true(sgw_l7_tls_sni_match(&t, sni, N(sni)));
	assert_true(sgw_l7_tls_alpn_match(&t, alpn, N(alpn)));
	/* http/1.1 is offered too, and the server may pick it. */
	assert_false(sgw_l7_tls_alpn_match(&t, h2, N(h2)));

	assert_int_equal(sgw_l7_tls_parse(sample_tls_openssl_nosni,
					  sizeof(sample_tls_openssl_nosni), &t),
			 SGW_L7_MATCH);
	assert_false(sgw_l7_tls_sni_match(&t, sni, N(sni)));
	assert_false(sgw_l7_tls_alpn_match(&t, alpn, N(alpn)));

	/* 42 ids offered, 8 kept: cannot say all are allowed. */
	assert_int_equal(sgw_l7_tls_parse(sample_tls_openssl_big,
					  sizeof(sample_tls_openssl_big), &t),
			 SGW_L7_MATCH);
	assert_false(sgw_l7_tls_sni_match(&t, sni, N(sni)));
	assert_false(sgw_l7_tls_alpn_match(&t, alpn, N(alpn)));

	assert_int_equal(sgw_l7_tls_parse(sample_tls_synth_split,
					  sizeof(sample_tls_synth_split), &t),
			 SGW_L7_MATCH);
	assert_true(sgw_l7_tls_sni_match(&t, sni, N(sni)));
	assert_true(t.flags & SGW_L7_TLS_F_ECH);
}

/* "qname *.corp.example, *.debian.org" */
static void test_dns_rule(void **state)
{
	static const struct sgw_l7_pattern q[] = {
		P("*.corp.example"), P("*.debian.org"),
	};
	static const struct sgw_l7_pattern www[] = { P("www.corp.example") };
	static struct sgw_l7_dns d;

	(void)state;
	assert_int_equal(sgw_l7_dns_parse(sample_dns_dig_a,
					  sizeof(sample_dns_dig_a), &d),
			 SGW_L7_MATCH);
	assert_true(sgw_l7_dns_qname_match(&d, q, N(q)));
	assert_int_equal(sgw_l7_dns_parse(sample_dns_dig_noedns,
					  sizeof(sample_dns_dig_noedns), &d),
			 SGW_L7_MATCH);
	assert_true(sgw_l7_dns_qname_match(&d, q, N(q)));
	assert_int_equal(sgw_l7_dns_parse(sample_dns_dig_srv,
					  sizeof(sample_dns_dig_srv), &d),
			 SGW_L7_MATCH);
	assert_true(sgw_l7_dns_qname_match(&d, q, N(q)));
	/* Both questions must be allowed. */
	assert_int_equal(sgw_l7_dns_parse(sample_dns_synth_two_q,
					  sizeof(sample_dns_synth_two_q), &d),
			 SGW_L7_MATCH);
	assert_true(sgw_l7_dns_qname_match(&d, q, N(q)));
	assert_false(sgw_l7_dns_qname_match(&d, www, N(www)));
	d.opcode = 5;
	assert_false(sgw_l7_dns_qname_match(&d, q, N(q)));
	d.opcode = 0;
	d.q[1].flags |= SGW_L7_DNS_F_ESCAPED;
	assert_false(sgw_l7_dns_qname_match(&d, q, N(q)));
	d.qdcount = 0;
	assert_false(sgw_l7_dns_qname_match(&d, q, N(q)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_patterns_valid),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_http_rule),
		cmocka_unit_test(test_host_truncated),
		cmocka_unit_test(test_tls_rule),
		cmocka_unit_test(test_dns_rule),
	};

	return cmocka_run_group_tests_name("l7_match", tests, NULL, NULL);
}
