// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * HTTP/1.x request head classifier: real curl requests, every prefix of
 * them, and the malformed shapes that smuggle or confuse.
 */
#include "l7_test_util.h"
#include "l7_samples.h"

static struct sgw_l7_http h;

static enum sgw_l7_status parse_n(const void *p, size_t n)
{
	u8 *d = dup_exact(p, n);
	enum sgw_l7_status st = sgw_l7_http_parse(d, n, &h);

	free(d);
	return st;
}

static enum sgw_l7_status parse(const char *s)
{
	return parse_n(s, strlen(s));
}

static size_t head_len(const u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i + 4 <= n; i++)
		if (!memcmp(p + i, "\r\n\r\n", 4))
			return i + 4;
	fail_msg("no end of head");
	return 0;
}

/* Every strict prefix of the head is NEED_MORE; from the head on, MATCH. */
static void check_prefixes(const u8 *p, size_t n)
{
	size_t head = head_len(p, n), i;

	for (i = 0; i <= n; i++) {
		enum sgw_l7_status st = parse_n(p, i);

		if (st != (i < head ? SGW_L7_NEED_MORE : SGW_L7_MATCH))
			fail_msg("prefix %zu of %zu: status %d", i, n, st);
	}
}

static void test_curl_get(void **state)
{
	(void)state;
	assert_int_equal(parse_n(sample_http_curl_get,
				 sizeof(sample_http_curl_get)), SGW_L7_MATCH);
	assert_string_equal(h.method, "GET");
	assert_int_equal(h.method_len, 3);
	assert_string_equal(h.path, "/api/items");
	assert_int_equal(h.path_len, 10);
	assert_string_equal(h.host, "shop.example.com");
	assert_int_equal(h.host_len, 16);
	assert_int_equal(h.port, 18080);
	assert_int_equal(h.version, 11);
	assert_int_equal(h.form, SGW_L7_HTTP_ORIGIN);
	assert_int_equal(h.flags, SGW_L7_HTTP_F_HOST | SGW_L7_HTTP_F_PORT |
			 SGW_L7_HTTP_F_QUERY);
	check_prefixes(sample_http_curl_get, sizeof(sample_http_curl_get));
}

static void test_curl_post(void **state)
{
	(void)state;
	assert_int_equal(parse_n(sample_http_curl_post,
				 sizeof(sample_http_curl_post)), SGW_L7_MATCH);
	assert_string_equal(h.method, "POST");
	assert_string_equal(h.path, "/api/orders");
	assert_string_equal(h.host, "shop.example.com");
	assert_false(h.flags & SGW_L7_HTTP_F_QUERY);
	/* The body follows the head and is not looked at. */
	check_prefixes(sample_http_curl_post, sizeof(sample_http_curl_post));
}

static void test_curl_proxy_absolute_form(void **state)
{
	(void)state;
	assert_int_equal(parse_n(sample_http_curl_proxy,
				 sizeof(sample_http_curl_proxy)), SGW_L7_MATCH);
	assert_int_equal(h.form, SGW_L7_HTTP_ABSOLUTE);
	assert_string_equal(h.host, "shop.example.com");
	assert_string_equal(h.path, "/index.html");
	assert_int_equal(h.flags, SGW_L7_HTTP_F_HOST |
			 SGW_L7_HTTP_F_HOST_FROM_TARGET);
	check_prefixes(sample_http_curl_proxy, sizeof(sample_http_curl_proxy));
}

static void test_absolute_form_target_wins(void **state)
{
	(void)state;
	assert_int_equal(parse("GET http://a.example:8080 HTTP/1.1\r\n"
			       "Host: b.example\r\n\r\n"), SGW_L7_MATCH);
	assert_string_equal(h.host, "a.example");
	assert_int_equal(h.port, 8080);
	assert_string_equal(h.path, "/");
	assert_int_equal(parse("GET HTTPS://a.example?x HTTP/1.1\r\n\r\n"),
			 SGW_L7_MATCH);
	assert_string_equal(h.path, "/");
	assert_true(h.flags & SGW_L7_HTTP_F_QUERY);
	/* An invalid Host is refused even when the target's is used. */
	assert_int_equal(parse("GET http://a.example/ HTTP/1.1\r\n"
			       "Host: b@c\r\n\r\n"), SGW_L7_MALFORMED);
	/* userinfo: "shop.example.com@evil.example" is evil.example. */
	assert_int_equal(parse("GET http://shop.example.com@evil.example/ "
			       "HTTP/1.1\r\nHost: shop.example.com\r\n\r\n"),
			 SGW_L7_MALFORMED);
	assert_int_equal(parse("GET http:///x HTTP/1.1\r\n\r\n"),
			 SGW_L7_MALFORMED);
	assert_int_equal(parse("GET 1http://a/ HTTP/1.1\r\n\r\n"),
			 SGW_L7_MALFORMED);
	assert_int_equal(parse("GET a.example/x HTTP/1.1\r\n\r\n"),
			 SGW_L7_MALFORMED);
}

static void test_other_forms(void **state)
{
	(void)state;
	assert_int_equal(parse("CONNECT shop.example.com:443 HTTP/1.1\r\n"
			       "Host: shop.example.com:443\r\n\r\n"),
			 SGW_L7_MATCH);
	assert_int_equal(h.form, SGW_L7_HTTP_AUTHORITY);
	assert_string_equal(h.host, "shop.example.com");
	assert_int_equal(h.port, 443);
	assert_int_equal(h.path_len, 0);
	assert_int_equal(parse("CONNECT shop.example.com HTTP/1.1\r\n\r\n"),
			 SGW_L7_MALFORMED);
	assert_int_equal(parse("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"),
			 SGW_L7_MATCH);
	assert_int_equal(h.form, SGW_L7_HTTP_ASTERISK);
	assert_string_equal(h.path, "*");
	assert_int_equal(parse("GET * HTTP/1.1\r\nHost: a\r\n\r\n"),
			 SGW_L7_MALFORMED);
}

static void test_host_forms(void **state)
{
	(void)state;
	assert_int_equal(parse("GET / HTTP/1.1\r\nHOST:\t Shop.Example.COM."
			       " \t\r\n\r\n"), SGW_L7_MATCH);
	assert_string_equal(h.host, "shop.example.com.");
	assert_false(h.flags & SGW_L7_HTTP_F_PORT);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"),
			 SGW_L7_MATCH);
	assert_string_equal(h.host, "[::1]");
	assert_int_equal(h.port, 8080);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a.example:\r\n\r\n"),
			 SGW_L7_MATCH);
	assert_false(h.flags & SGW_L7_HTTP_F_PORT);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a:65535\r\n\r\n"),
			 SGW_L7_MATCH);
	assert_int_equal(h.port, 65535);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a:0\r\n\r\n"),
			 SGW_L7_MATCH);
	assert_true(h.flags & SGW_L7_HTTP_F_PORT);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost:\r\n\r\n"),
			 SGW_L7_MATCH);
	assert_int_equal(h.host_len, 0);
	assert_int_equal(parse("GET / HTTP/1.0\r\nAccept: */*\r\n\r\n"),
			 SGW_L7_MATCH);
	assert_int_equal(h.version, 10);
	assert_false(h.flags & SGW_L7_HTTP_F_HOST);
	assert_int_equal(parse("GET / HTTP/1.9\r\nHost: a\r\n\r\n"),
			 SGW_L7_MATCH);
	assert_int_equal(h.version, 19);
}

static void test_host_truncated(void **state)
{
	char req[1024];
	char name[301];

	(void)state;
	memset(name, 'a', 300);
	name[300] = '\0';
	snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: %s:81\r\n\r\n",
		 name);
	assert_int_equal(parse(req), SGW_L7_MATCH);
	assert_int_equal(h.host_len, SGW_L7_NAME_MAX);
	assert_int_equal(strlen(h.host), SGW_L7_NAME_MAX);
	assert_true(h.flags & SGW_L7_HTTP_F_HOST_TRUNC);
	assert_int_equal(h.port, 81);
}

static void test_path(void **state)
{
	static const char *const ambiguous[] = {
		"/api/../admin", "/api/./x", "/api/..", "/api/..;/admin",
		"/api/.;x/y", "/api/%2e%2e/admin", "/api/%2E./x",
		"/api%2fadmin", "/api/%5cadmin", "/api/%25", "/api\\admin",
		"/..",
	};
	static const char *const clear[] = {
		"/api/items", "/api/a.b/..c/.d", "/api/%41", "/", "/api/...",
		"/api/x?a=/../", "/a%2",
	};
	char req[2048];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ambiguous) / sizeof(ambiguous[0]); i++) {
		snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: a\r\n\r\n",
			 ambiguous[i]);
		assert_int_equal(parse(req), SGW_L7_MATCH);
		if (!(h.flags & SGW_L7_HTTP_F_PATH_AMBIGUOUS))
			fail_msg("%s not flagged", ambiguous[i]);
	}
	for (i = 0; i < sizeof(clear) / sizeof(clear[0]); i++) {
		snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: a\r\n\r\n",
			 clear[i]);
		assert_int_equal(parse(req), SGW_L7_MATCH);
		if (h.flags & SGW_L7_HTTP_F_PATH_AMBIGUOUS)
			fail_msg("%s flagged", clear[i]);
	}

	/* A long path is kept truncated. */
	memset(req, 0, sizeof(req));
	memcpy(req, "GET /", 5);
	memset(req + 5, 'p', 700);
	strcat(req, " HTTP/1.1\r\nHost: a\r\n\r\n");
	assert_int_equal(parse(req), SGW_L7_MATCH);
	assert_int_equal(h.path_len, SGW_L7_HTTP_PATH_MAX);
	assert_int_equal(strlen(h.path), SGW_L7_HTTP_PATH_MAX);
	assert_true(h.flags & SGW_L7_HTTP_F_PATH_TRUNC);
}

struct bad {
	const char	*req;
	size_t		len;	/* 0: strlen */
	int		status;
	int		reason;
};

static void test_malformed(void **state)
{
	static const struct bad cases[] = {
		{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_DUPLICATE },
		{ "GET / HTTP/1.1\r\nhost: a\r\nX: y\r\nHoSt: a\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_DUPLICATE },
		{ "GET / HTTP/1.1\r\nHost: a\r\nX: y\r\n z\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\n: a\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\nHost: a\n\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: a\r\n\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: a\r\n\rX", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n", 27,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: a\r\nX: \0\r\n\r\n", 31,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: a,b\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: a%2eb\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: a:000080\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: []\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nHost: \xc3\xa9.example\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET /#frag HTTP/1.1\r\nHost: a\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "GET / HTTP/11\r\nHost: a\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		{ "PRI * HTTP/2.0\r\n\r\nX", 0,
		  SGW_L7_MALFORMED, SGW_L7_R_SYNTAX },
		/* Not HTTP: nothing claims it before " HTTP/". */
		{ "GET / HTTX/1.1\r\n\r\n", 0, SGW_L7_NOT_THIS, 0 },
		{ "GET  / HTTP/1.1\r\n\r\n", 0, SGW_L7_NOT_THIS, 0 },
		{ "GET /\r\n", 0, SGW_L7_NOT_THIS, 0 },
		{ "GET\t/ HTTP/1.1\r\n", 0, SGW_L7_NOT_THIS, 0 },
		{ " GET / HTTP/1.1\r\n", 0, SGW_L7_NOT_THIS, 0 },
		{ "GET /\x7f HTTP/1.1\r\n", 0, SGW_L7_NOT_THIS, 0 },
		{ "GET /\xff HTTP/1.1\r\n", 0, SGW_L7_NOT_THIS, 0 },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXY / HTTP/1.1\r\n", 0,
		  SGW_L7_NOT_THIS, 0 },
		{ "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n", 0,
		  SGW_L7_NOT_THIS, 0 },
		{ "\x16\x03\x01\x02\x00\x01", 6, SGW_L7_NOT_THIS, 0 },
		/* Still possible. */
		{ "ABCDEFGHIJKLMNOPQRSTUVWX", 0, SGW_L7_NEED_MORE, 0 },
		{ "GET / HTTP/1.1\r\nHost: a\r\n\r", 0, SGW_L7_NEED_MORE, 0 },
		{ "PRI * HTTP/2.0\r\n\r\nSM", 0, SGW_L7_NEED_MORE, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad *c = &cases[i];
		size_t n = c->len ? c->len : strlen(c->req);
		enum sgw_l7_status st = parse_n(c->req, n);

		if ((int)st != c->status ||
		    (st == SGW_L7_MALFORMED && h.reason != c->reason))
			fail_msg("case %zu \"%s\": status %d reason %d", i,
				 c->req, st, h.reason);
	}
}

static void test_h2_preface(void **state)
{
	static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
	size_t i, n = sizeof(preface) - 1;

	(void)state;
	for (i = 0; i < n; i++)
		assert_int_equal(parse_n(preface, i), SGW_L7_NEED_MORE);
	assert_int_equal(parse_n(preface, n), SGW_L7_MATCH);
	assert_int_equal(h.version, 20);
	assert_false(h.flags & SGW_L7_HTTP_F_HOST);
}

/* A header section of exactly @total bytes with @headers fields. */
static char *head_of(size_t headers, size_t pad)
{
	size_t cap = 64 + headers * 16 + pad, i;
	char *s = calloc(1, cap);

	assert_non_null(s);
	strcpy(s, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (i = 1; i < headers; i++)
		strcat(s, "X-A: b\r\n");
	return s;
}

static void test_limits(void **state)
{
	char *s;
	size_t n;

	(void)state;
	s = head_of(SGW_L7_HTTP_HEADERS_MAX, 0);
	strcat(s, "\r\n");
	assert_int_equal(parse(s), SGW_L7_MATCH);
	free(s);
	s = head_of(SGW_L7_HTTP_HEADERS_MAX + 1, 0);
	strcat(s, "\r\n");
	assert_int_equal(parse(s), SGW_L7_MALFORMED);
	assert_int_equal(h.reason, SGW_L7_R_LIMIT);
	free(s);

	/* One header line of exactly LINE_MAX, then one byte longer. */
	s = head_of(1, SGW_L7_HTTP_LINE_MAX + 16);
	n = strlen(s);
	strcat(s, "X: ");
	memset(s + n + 3, 'v', SGW_L7_HTTP_LINE_MAX - 5);
	strcat(s, "\r\n\r\n");
	assert_int_equal(parse(s), SGW_L7_MATCH);
	memset(s + n + 3, 0, SGW_L7_HTTP_LINE_MAX);
	memset(s + n + 3, 'v', SGW_L7_HTTP_LINE_MAX - 4);
	strcat(s, "\r\n\r\n");
	assert_int_equal(parse(s), SGW_L7_MALFORMED);
	assert_int_equal(h.reason, SGW_L7_R_LIMIT);
	/* Cut before its CRLF: already past the limit. */
	assert_int_equal(parse_n(s, n + SGW_L7_HTTP_LINE_MAX), SGW_L7_MALFORMED);
	assert_int_equal(parse_n(s, n + SGW_L7_HTTP_LINE_MAX - 1),
			 SGW_L7_NEED_MORE);
	free(s);

	/* A head that never ends is decided within SGW_L7_PREFIX_MAX. */
	s = calloc(1, SGW_L7_PREFIX_MAX + 64);
	assert_non_null(s);
	strcpy(s, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (n = strlen(s); n + 1000 < SGW_L7_PREFIX_MAX; n += 1000) {
		memcpy(s + n, "X-A: ", 5);
		memset(s + n + 5, 'b', 993);
		memcpy(s + n + 998, "\r\n", 2);
	}
	memset(s + n, 'x', SGW_L7_PREFIX_MAX - n);
	assert_int_equal(parse_n(s, SGW_L7_PREFIX_MAX - 1), SGW_L7_NEED_MORE);
	assert_int_equal(parse_n(s, SGW_L7_PREFIX_MAX), SGW_L7_MALFORMED);
	free(s);

	/* A request line beyond LINE_MAX. */
	s = calloc(1, SGW_L7_HTTP_LINE_MAX + 64);
	assert_non_null(s);
	strcpy(s, "GET /");
	memset(s + 5, 'a', SGW_L7_HTTP_LINE_MAX);
	assert_int_equal(parse(s), SGW_L7_NOT_THIS);
	/* Exactly LINE_MAX with its CRLF, then one byte more. */
	strcpy(s + SGW_L7_HTTP_LINE_MAX - 11, " HTTP/1.0\r\n\r\n");
	assert_int_equal(parse(s), SGW_L7_MATCH);
	memset(s, 'a', SGW_L7_HTTP_LINE_MAX + 5);
	memcpy(s, "GET /", 5);
	strcpy(s + SGW_L7_HTTP_LINE_MAX - 10, " HTTP/1.0\r\n\r\n");
	assert_int_equal(parse(s), SGW_L7_MALFORMED);
	assert_int_equal(h.reason, SGW_L7_R_LIMIT);
	free(s);
}

/* Flip bits all over the real samples: whatever it says, no bad read. */
static void test_mutations(void **state)
{
	static const struct { const u8 *p; size_t n; } s[] = {
		{ sample_http_curl_get, sizeof(sample_http_curl_get) },
		{ sample_http_curl_post, sizeof(sample_http_curl_post) },
		{ sample_http_curl_proxy, sizeof(sample_http_curl_proxy) },
	};
	static const u8 masks[] = { 0x01, 0x20, 0x80, 0xff };
	size_t i, j, k;

	(void)state;
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		for (j = 0; j < s[i].n; j++) {
			for (k = 0; k < sizeof(masks); k++) {
				u8 *d = dup_exact(s[i].p, s[i].n);
				enum sgw_l7_status st;

				d[j] ^= masks[k];
				st = sgw_l7_http_parse(d, s[i].n, &h);
				assert_true(st <= SGW_L7_MALFORMED);
				if (st == SGW_L7_MATCH) {
					assert_true(h.host_len <= SGW_L7_NAME_MAX);
					assert_int_equal(strlen(h.host), h.host_len);
					assert_int_equal(strlen(h.path), h.path_len);
				}
				free(d);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_curl_get),
		cmocka_unit_test(test_curl_post),
		cmocka_unit_test(test_curl_proxy_absolute_form),
		cmocka_unit_test(test_absolute_form_target_wins),
		cmocka_unit_test(test_other_forms),
		cmocka_unit_test(test_host_forms),
		cmocka_unit_test(test_host_truncated),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_h2_preface),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests_name("l7_http", tests, NULL, NULL);
}
