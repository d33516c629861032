// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Application rules (kmod/core/l7/rule.c): building one refuses what the
 * module must refuse and normalises names; deciding matches real clients'
 * bytes run through the classifier the kernel calls, for every app, every
 * field, the TLS flags, and the unclassified contract of rule.h.
 */
#include "l7_test_util.h"
#include "l7_samples.h"
#include "l7/rule.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct sgw_l7_result res;

/* Classify a sample as the kernel would, whole; the status it got. */
static enum sgw_l7_status classify(const void *p, size_t n, u8 l4, u16 port)
{
	u8 *d = dup_exact(p, n);
	enum sgw_l7_status st = sgw_l7_classify(d, n, l4, port, &res);

	free(d);
	return st;
}

#define CLASSIFY(sample, l4, port) \
	classify(sample, sizeof(sample), l4, port)

static struct sgw_l7_rule *rule(u8 app, u32 flags)
{
	struct sgw_l7_rule *r = sgw_l7_rule_alloc(app, flags);

	assert_non_null(r);
	return r;
}

/* Add @pat from an exact-size copy, so a read past @len is caught. */
static int add_len(struct sgw_l7_rule *r, enum sgw_l7_field f,
		   const char *pat, size_t len)
{
	char *copy = (char *)dup_exact(pat, len);
	int ret = sgw_l7_rule_add(r, f, copy, len);

	free(copy);
	return ret;
}

static int add(struct sgw_l7_rule *r, enum sgw_l7_field f, const char *pat)
{
	return add_len(r, f, pat, strlen(pat));
}

/* Add comma-free patterns that must be accepted. */
static void add_ok(struct sgw_l7_rule *r, enum sgw_l7_field f, ...)
{
	const char *pat;
	va_list ap;

	va_start(ap, f);
	while ((pat = va_arg(ap, const char *)))
		if (add(r, f, pat))
			fail_msg("pattern \"%s\" refused", pat);
	va_end(ap);
}

#define ADD(r, f, ...) add_ok(r, f, __VA_ARGS__, (const char *)NULL)

static void test_check(void **state)
{
	static const u8 apps[] = { SGW_APP_HTTP, SGW_APP_TLS, SGW_APP_DNS,
				   SGW_APP_SSH, SGW_APP_UNCLASSIFIED };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(apps); i++)
		assert_int_equal(sgw_l7_rule_check(apps[i], 0), 0);
	assert_int_equal(sgw_l7_rule_check(SGW_APP_NONE, 0), -EINVAL);
	assert_int_equal(sgw_l7_rule_check(5, 0), -EINVAL);
	assert_int_equal(sgw_l7_rule_check(254, 0), -EINVAL);
	assert_int_equal(sgw_l7_rule_check(SGW_APP_TLS, __SGW_L7_F_ALL), 0);
	assert_int_equal(sgw_l7_rule_check(SGW_APP_TLS, SGW_L7_F_ECH), 0);
	/* Flags belong to tls; unknown bits are -EOPNOTSUPP whatever app. */
	assert_int_equal(sgw_l7_rule_check(SGW_APP_HTTP, SGW_L7_F_NO_SNI),
			 -EINVAL);
	assert_int_equal(sgw_l7_rule_check(SGW_APP_UNCLASSIFIED, SGW_L7_F_ECH),
			 -EINVAL);
	assert_int_equal(sgw_l7_rule_check(SGW_APP_TLS, 1U << 2), -EOPNOTSUPP);
	assert_int_equal(sgw_l7_rule_check(SGW_APP_HTTP, 1U << 31),
			 -EOPNOTSUPP);
	assert_null(sgw_l7_rule_alloc(SGW_APP_NONE, 0));
	assert_null(sgw_l7_rule_alloc(SGW_APP_DNS, SGW_L7_F_NO_SNI));
	assert_null(sgw_l7_rule_alloc(SGW_APP_TLS, 1U << 7));
	sgw_l7_rule_free(NULL);
}

/*
 * Generations share a rule: each reference keeps it whole, the last one
 * frees it (ASan reports a use after free or a leak otherwise).
 */
static void test_shared(void **state)
{
	struct sgw_l7_rule *r = sgw_l7_rule_alloc(SGW_APP_HTTP, 0);
	unsigned int n;

	(void)state;
	assert_non_null(r);
	ADD(r, SGW_L7_FIELD_HOST, "shop.example.com");
	assert_ptr_equal(sgw_l7_rule_get(r), r);
	sgw_l7_rule_free(r);
	assert_int_equal(sgw_l7_rule_app(r), SGW_APP_HTTP);
	assert_string_equal(sgw_l7_rule_patterns(r, SGW_L7_FIELD_HOST, &n)[0].str,
			    "shop.example.com");
	assert_int_equal(n, 1);
	sgw_l7_rule_free(r);
}

static void test_attr_fields(void **state)
{
	unsigned int t;

	(void)state;
	assert_int_equal(sgw_l7_field_of_attr(SGW_L7_A_HOST), SGW_L7_FIELD_HOST);
	assert_int_equal(sgw_l7_field_of_attr(SGW_L7_A_METHOD),
			 SGW_L7_FIELD_METHOD);
	assert_int_equal(sgw_l7_field_of_attr(SGW_L7_A_PATH), SGW_L7_FIELD_PATH);
	assert_int_equal(sgw_l7_field_of_attr(SGW_L7_A_SNI), SGW_L7_FIELD_SNI);
	assert_int_equal(sgw_l7_field_of_attr(SGW_L7_A_ALPN), SGW_L7_FIELD_ALPN);
	assert_int_equal(sgw_l7_field_of_attr(SGW_L7_A_QNAME),
			 SGW_L7_FIELD_QNAME);
	assert_int_equal(sgw_l7_field_of_attr(SGW_L7_A_APP), -1);
	assert_int_equal(sgw_l7_field_of_attr(SGW_L7_A_FLAGS), -1);
	assert_int_equal(sgw_l7_field_of_attr(SGW_L7_A_UNSPEC), -1);
	assert_int_equal(sgw_l7_field_of_attr(__SGW_L7_A_MAX), -1);
	for (t = SGW_L7_A_HOST; t <= SGW_L7_A_QNAME; t++)
		assert_int_equal(sgw_l7_attr_of_field(sgw_l7_field_of_attr(t)),
				 t);
}

static void test_fields_of_apps(void **state)
{
	static const struct {
		u8			app;
		enum sgw_l7_field	field;
		const char		*pat;
	} ok[] = {
		{ SGW_APP_HTTP, SGW_L7_FIELD_HOST, "a.example" },
		{ SGW_APP_HTTP, SGW_L7_FIELD_METHOD, "GET" },
		{ SGW_APP_HTTP, SGW_L7_FIELD_PATH, "/" },
		{ SGW_APP_TLS, SGW_L7_FIELD_SNI, "a.example" },
		{ SGW_APP_TLS, SGW_L7_FIELD_ALPN, "h2" },
		{ SGW_APP_DNS, SGW_L7_FIELD_QNAME, "a.example" },
	};
	static const u8 apps[] = { SGW_APP_HTTP, SGW_APP_TLS, SGW_APP_DNS,
				   SGW_APP_SSH, SGW_APP_UNCLASSIFIED };
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		for (j = 0; j < ARRAY_SIZE(apps); j++) {
			struct sgw_l7_rule *r = rule(apps[j], 0);
			bool valid = apps[j] == ok[i].app;

			assert_int_equal(sgw_l7_field_valid(apps[j],
							    ok[i].field), valid);
			assert_int_equal(add(r, ok[i].field, ok[i].pat),
					 valid ? 0 : -EINVAL);
			sgw_l7_rule_free(r);
		}
	}
	assert_false(sgw_l7_field_valid(SGW_APP_HTTP, __SGW_L7_FIELD_MAX));
}

static void test_bad_patterns(void **state)
{
	static const struct {
		enum sgw_l7_field	field;
		const char		*pat;
	} bad[] = {
		{ SGW_L7_FIELD_HOST, "" },
		{ SGW_L7_FIELD_HOST, "*" },
		{ SGW_L7_FIELD_HOST, "*." },
		{ SGW_L7_FIELD_HOST, "*example.com" },
		{ SGW_L7_FIELD_HOST, "a.*.example.com" },
		{ SGW_L7_FIELD_HOST, "example.*" },
		{ SGW_L7_FIELD_HOST, "a..example" },
		{ SGW_L7_FIELD_HOST, ".example" },
		{ SGW_L7_FIELD_HOST, "a.example.." },
		{ SGW_L7_FIELD_HOST, "a/b" },
		{ SGW_L7_FIELD_HOST, "a:80" },
		{ SGW_L7_FIELD_HOST, "[::1]" },
		{ SGW_L7_FIELD_HOST, "caf\xc3\xa9.example" },
		{ SGW_L7_FIELD_SNI, "a b" },
		{ SGW_L7_FIELD_SNI, "**.example" },
		{ SGW_L7_FIELD_QNAME, "a~b.example" },
		{ SGW_L7_FIELD_QNAME, "." },
		{ SGW_L7_FIELD_PATH, "" },
		{ SGW_L7_FIELD_PATH, "api/*" },
		{ SGW_L7_FIELD_PATH, "*" },
		{ SGW_L7_FIELD_PATH, "/api/*/items" },
		{ SGW_L7_FIELD_PATH, "/a**" },
		{ SGW_L7_FIELD_PATH, "/a?b=1" },
		{ SGW_L7_FIELD_PATH, "/a#frag" },
		{ SGW_L7_FIELD_PATH, "/a b" },
		/* Could never match: such requests match no path pattern. */
		{ SGW_L7_FIELD_PATH, "/a/../b" },
		{ SGW_L7_FIELD_PATH, "/a/./*" },
		{ SGW_L7_FIELD_PATH, "/a/.." },
		{ SGW_L7_FIELD_PATH, "/." },
		{ SGW_L7_FIELD_PATH, "/a/..;x/b" },
		{ SGW_L7_FIELD_PATH, "/a%2eb" },
		{ SGW_L7_FIELD_PATH, "/a%2F*" },
		{ SGW_L7_FIELD_PATH, "/a%25" },
		{ SGW_L7_FIELD_PATH, "/a%5c" },
		{ SGW_L7_FIELD_PATH, "/a\\b" },
		{ SGW_L7_FIELD_METHOD, "" },
		{ SGW_L7_FIELD_METHOD, "GE T" },
		{ SGW_L7_FIELD_METHOD, "GET/1" },
		{ SGW_L7_FIELD_METHOD, "ABCDEFGHIJKLMNOPQRSTUVWXY" },	/* 25 */
		{ SGW_L7_FIELD_ALPN, "" },
		{ SGW_L7_FIELD_ALPN, "h 2" },
		{ SGW_L7_FIELD_ALPN, "\x0a\x0a" },
		{ SGW_L7_FIELD_ALPN, "abcdefghijklmnopqrstuvwxyz0123456" }, /* 33 */
	};
	char big[SGW_L7_PATTERN_MAX + 1];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		u8 app = bad[i].field <= SGW_L7_FIELD_PATH ? SGW_APP_HTTP :
			 bad[i].field <= SGW_L7_FIELD_ALPN ? SGW_APP_TLS :
			 SGW_APP_DNS;
		struct sgw_l7_rule *r = rule(app, 0);
		unsigned int n;

		if (add(r, bad[i].field, bad[i].pat) != -EINVAL)
			fail_msg("pattern %zu \"%s\" accepted", i, bad[i].pat);
		sgw_l7_rule_patterns(r, bad[i].field, &n);
		assert_int_equal(n, 0);
		sgw_l7_rule_free(r);
	}

	/* A NUL inside the length is no pattern of any field. */
	{
		struct sgw_l7_rule *r = rule(SGW_APP_HTTP, 0);

		assert_int_equal(add_len(r, SGW_L7_FIELD_PATH, "/a\0b", 4),
				 -EINVAL);
		assert_int_equal(add_len(r, SGW_L7_FIELD_METHOD, "GET\0", 4),
				 -EINVAL);
		assert_int_equal(add_len(r, SGW_L7_FIELD_HOST, "a\0", 2),
				 -EINVAL);
		sgw_l7_rule_free(r);
	}

	/* Paths up to SGW_L7_PATTERN_MAX - 1 bytes, not one more. */
	{
		struct sgw_l7_rule *r = rule(SGW_APP_HTTP, 0);

		memset(big, 'a', sizeof(big));
		big[0] = '/';
		assert_int_equal(add_len(r, SGW_L7_FIELD_PATH, big,
					 SGW_L7_PATTERN_MAX), -EINVAL);
		assert_int_equal(add_len(r, SGW_L7_FIELD_PATH, big,
					 SGW_L7_PATTERN_MAX - 1), 0);
		sgw_l7_rule_free(r);
	}
}

static void test_normal_form(void **state)
{
	struct sgw_l7_rule *r = rule(SGW_APP_HTTP, 0);
	const struct sgw_l7_pattern *p;
	unsigned int n;

	(void)state;
	ADD(r, SGW_L7_FIELD_HOST, "Shop.Example.COM", "*.Shop.example.com.",
	    "x.", "_Srv.example");
	ADD(r, SGW_L7_FIELD_METHOD, "GET", "get", "M-SEARCH");
	ADD(r, SGW_L7_FIELD_PATH, "/API/*", "/a.", "/");
	/* Paths that some request can match. */
	ADD(r, SGW_L7_FIELD_PATH, "/a/.*", "/a/..*", "/.well-known/*",
	    "/a%20b", "/a%2*", "/a..b", "/...", "/a%2");

	p = sgw_l7_rule_patterns(r, SGW_L7_FIELD_HOST, &n);
	assert_int_equal(n, 4);
	assert_string_equal(p[0].str, "shop.example.com");
	assert_int_equal(p[0].len, 16);
	assert_string_equal(p[1].str, "*.shop.example.com");
	assert_int_equal(p[1].len, 18);
	assert_string_equal(p[2].str, "x");
	assert_int_equal(p[2].len, 1);
	assert_string_equal(p[3].str, "_srv.example");
	/* Methods and paths are case-sensitive: kept as given. */
	p = sgw_l7_rule_patterns(r, SGW_L7_FIELD_METHOD, &n);
	assert_int_equal(n, 3);
	assert_string_equal(p[0].str, "GET");
	assert_string_equal(p[1].str, "get");
	assert_string_equal(p[2].str, "M-SEARCH");
	p = sgw_l7_rule_patterns(r, SGW_L7_FIELD_PATH, &n);
	assert_int_equal(n, 11);
	assert_string_equal(p[0].str, "/API/*");
	assert_string_equal(p[1].str, "/a.");
	assert_string_equal(p[2].str, "/");
	assert_null(sgw_l7_rule_patterns(r, SGW_L7_FIELD_SNI, &n));
	assert_int_equal(n, 0);
	assert_int_equal(sgw_l7_rule_app(r), SGW_APP_HTTP);
	assert_int_equal(sgw_l7_rule_flags(r), 0);
	sgw_l7_rule_free(r);

	r = rule(SGW_APP_TLS, SGW_L7_F_NO_SNI | SGW_L7_F_ECH);
	ADD(r, SGW_L7_FIELD_ALPN, "HTTP/1.1", "h2", "acme-tls/1");
	p = sgw_l7_rule_patterns(r, SGW_L7_FIELD_ALPN, &n);
	assert_int_equal(n, 3);
	assert_string_equal(p[0].str, "HTTP/1.1");
	assert_int_equal(sgw_l7_rule_app(r), SGW_APP_TLS);
	assert_int_equal(sgw_l7_rule_flags(r), SGW_L7_F_NO_SNI | SGW_L7_F_ECH);
	sgw_l7_rule_free(r);
}

/* SGW_L7_PATTERNS_MAX per field, each field on its own. */
static void test_limits(void **state)
{
	struct sgw_l7_rule *r = rule(SGW_APP_HTTP, 0);
	const struct sgw_l7_pattern *p;
	char name[32];
	unsigned int i, n;

	(void)state;
	for (i = 0; i < SGW_L7_PATTERNS_MAX; i++) {
		snprintf(name, sizeof(name), "h%u.example", i);
		assert_int_equal(add(r, SGW_L7_FIELD_HOST, name), 0);
	}
	assert_int_equal(add(r, SGW_L7_FIELD_HOST, "one.more"), -E2BIG);
	/* Invalid is said before full. */
	assert_int_equal(add(r, SGW_L7_FIELD_HOST, "bad..name"), -EINVAL);
	assert_int_equal(add(r, SGW_L7_FIELD_PATH, "/still/room"), 0);
	p = sgw_l7_rule_patterns(r, SGW_L7_FIELD_HOST, &n);
	assert_int_equal(n, SGW_L7_PATTERNS_MAX);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "h%u.example", i);
		assert_string_equal(p[i].str, name);
	}
	sgw_l7_rule_free(r);
}

/* A rule that must decide @want on the last classified result. */
static void expect(const struct sgw_l7_rule *r, bool want, const char *what)
{
	if (sgw_l7_rule_match(r, &res) != want)
		fail_msg("%s: expected %s", what, want ? "match" : "no match");
}

static void test_http(void **state)
{
	static const struct {
		const char	*host;
		const char	*method;
		const char	*path;
		bool		match;
	} cases[] = {
		/* curl: GET /api/items?id=7, Host shop.example.com:18080 */
		{ NULL, NULL, NULL, true },
		{ "shop.example.com", NULL, NULL, true },
		{ "SHOP.EXAMPLE.COM.", NULL, NULL, true },
		{ "*.example.com", NULL, NULL, true },
		{ "*.shop.example.com", NULL, NULL, false },
		{ "example.com", NULL, NULL, false },
		{ "shop.example.co", NULL, NULL, false },
		{ NULL, "GET", NULL, true },
		{ NULL, "get", NULL, false },
		{ NULL, "POST", NULL, false },
		{ NULL, NULL, "/api/items", true },
		{ NULL, NULL, "/api/*", true },
		{ NULL, NULL, "/api/items*", true },
		{ NULL, NULL, "/*", true },
		{ NULL, NULL, "/api", false },
		{ NULL, NULL, "/API/*", false },
		{ NULL, NULL, "/api/items/*", false },
		{ "shop.example.com", "GET", "/api/*", true },
		{ "shop.example.com", "POST", "/api/*", false },
		{ "other.example", "GET", "/api/*", false },
		{ "shop.example.com", "GET", "/static/*", false },
	};
	size_t i;

	(void)state;
	assert_int_equal(CLASSIFY(sample_http_curl_get, SGW_L7_TCP, 80),
			 SGW_L7_MATCH);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sgw_l7_rule *r = rule(SGW_APP_HTTP, 0);
		char what[32];

		if (cases[i].host)
			ADD(r, SGW_L7_FIELD_HOST, cases[i].host);
		if (cases[i].method)
			ADD(r, SGW_L7_FIELD_METHOD, cases[i].method);
		if (cases[i].path)
			ADD(r, SGW_L7_FIELD_PATH, cases[i].path);
		snprintf(what, sizeof(what), "case %zu", i);
		expect(r, cases[i].match, what);
		sgw_l7_rule_free(r);
	}

	/* A field matches if any of its patterns does. */
	{
		struct sgw_l7_rule *r = rule(SGW_APP_HTTP, 0);

		ADD(r, SGW_L7_FIELD_HOST, "a.example", "shop.example.com");
		ADD(r, SGW_L7_FIELD_METHOD, "POST", "GET");
		ADD(r, SGW_L7_FIELD_PATH, "/x", "/api/*");
		expect(r, true, "any of each");
		assert_int_equal(CLASSIFY(sample_http_curl_post, SGW_L7_TCP,
					  8080), SGW_L7_MATCH);
		expect(r, true, "post");
		/* Through a proxy: the host is the target's. */
		assert_int_equal(CLASSIFY(sample_http_curl_proxy, SGW_L7_TCP,
					  3128), SGW_L7_MATCH);
		expect(r, false, "proxy path /index.html");
		sgw_l7_rule_free(r);
	}

	/* Other apps' rules never match an HTTP request. */
	{
		struct sgw_l7_rule *tls = rule(SGW_APP_TLS, __SGW_L7_F_ALL);
		struct sgw_l7_rule *ssh = rule(SGW_APP_SSH, 0);
		struct sgw_l7_rule *dns = rule(SGW_APP_DNS, 0);
		struct sgw_l7_rule *unc = rule(SGW_APP_UNCLASSIFIED, 0);

		expect(tls, false, "tls rule");
		expect(ssh, false, "ssh rule");
		expect(dns, false, "dns rule");
		expect(unc, false, "unclassified rule");
		sgw_l7_rule_free(tls);
		sgw_l7_rule_free(ssh);
		sgw_l7_rule_free(dns);
		sgw_l7_rule_free(unc);
	}
}

/* Ambiguous paths match no path pattern, however broad. */
static void test_http_ambiguous(void **state)
{
	static const char req[] =
		"GET /api/../admin HTTP/1.1\r\nHost: shop.example.com\r\n\r\n";
	struct sgw_l7_rule *r = rule(SGW_APP_HTTP, 0);

	(void)state;
	assert_int_equal(classify(req, sizeof(req) - 1, SGW_L7_TCP, 80),
			 SGW_L7_MATCH);
	expect(r, true, "no path asked");
	ADD(r, SGW_L7_FIELD_PATH, "/*");
	expect(r, false, "dot-segment");
	sgw_l7_rule_free(r);

	/* A prefix pattern whose last segment starts with dots still
	 * matches names that only start so.
	 */
	r = rule(SGW_APP_HTTP, 0);
	ADD(r, SGW_L7_FIELD_PATH, "/.*");
	assert_int_equal(classify("GET /.well-known/x HTTP/1.1\r\nHost: a\r\n\r\n",
				  40, SGW_L7_TCP, 80), SGW_L7_MATCH);
	expect(r, true, "/.well-known");
	sgw_l7_rule_free(r);
}

static void test_tls(void **state)
{
	struct sgw_l7_rule *r;

	(void)state;
	assert_int_equal(CLASSIFY(sample_tls_openssl_sni_alpn, SGW_L7_TCP, 443),
			 SGW_L7_MATCH);
	r = rule(SGW_APP_TLS, 0);
	expect(r, true, "bare tls");
	ADD(r, SGW_L7_FIELD_SNI, "*.example.com");
	expect(r, true, "sni wildcard");
	sgw_l7_rule_free(r);

	r = rule(SGW_APP_TLS, 0);
	ADD(r, SGW_L7_FIELD_SNI, "example.com", "a.shop.example.com");
	expect(r, false, "sni mismatch");
	sgw_l7_rule_free(r);

	/* Every ALPN id offered (h2, http/1.1) must be allowed. */
	r = rule(SGW_APP_TLS, 0);
	ADD(r, SGW_L7_FIELD_ALPN, "h2");
	expect(r, false, "h2 only");
	ADD(r, SGW_L7_FIELD_ALPN, "http/1.1");
	expect(r, true, "h2, http/1.1");
	ADD(r, SGW_L7_FIELD_SNI, "SHOP.example.com");
	expect(r, true, "sni and alpn");
	sgw_l7_rule_free(r);

	/* The flags only widen: a hello with SNI, no ECH, still matches. */
	r = rule(SGW_APP_TLS, SGW_L7_F_NO_SNI | SGW_L7_F_ECH);
	expect(r, true, "flags on a plain hello");
	ADD(r, SGW_L7_FIELD_SNI, "other.example");
	expect(r, false, "flags do not excuse a wrong SNI");
	sgw_l7_rule_free(r);
}

static void test_tls_no_sni(void **state)
{
	struct sgw_l7_rule *r;

	(void)state;
	assert_int_equal(CLASSIFY(sample_tls_openssl_nosni, SGW_L7_TCP, 8443),
			 SGW_L7_MATCH);
	assert_false(res.tls.flags & SGW_L7_TLS_F_SNI);

	r = rule(SGW_APP_TLS, 0);
	expect(r, false, "bare tls wants an SNI");
	sgw_l7_rule_free(r);
	r = rule(SGW_APP_TLS, SGW_L7_F_ECH);
	expect(r, false, "ech is not nosni");
	sgw_l7_rule_free(r);

	r = rule(SGW_APP_TLS, SGW_L7_F_NO_SNI);
	expect(r, true, "nosni");
	/* sni patterns are not asked of a hello without SNI... */
	ADD(r, SGW_L7_FIELD_SNI, "shop.example.com");
	expect(r, true, "nosni with sni patterns");
	/* ...but other fields are: this hello offers no ALPN. */
	ADD(r, SGW_L7_FIELD_ALPN, "h2");
	expect(r, false, "nosni, alpn asked, none offered");
	sgw_l7_rule_free(r);
}

static void test_tls_ech(void **state)
{
	struct sgw_l7_rule *r;

	(void)state;
	assert_int_equal(CLASSIFY(sample_tls_synth_pq_ech, SGW_L7_TCP, 443),
			 SGW_L7_MATCH);
	assert_true(res.tls.flags & SGW_L7_TLS_F_ECH);

	r = rule(SGW_APP_TLS, 0);
	expect(r, false, "bare tls refuses ECH");
	sgw_l7_rule_free(r);
	r = rule(SGW_APP_TLS, SGW_L7_F_NO_SNI);
	expect(r, false, "nosni is not ech");
	sgw_l7_rule_free(r);

	r = rule(SGW_APP_TLS, SGW_L7_F_ECH);
	expect(r, true, "ech");
	/* The SNI seen is the outer name, and is what sni patterns ask. */
	ADD(r, SGW_L7_FIELD_SNI, "shop.example.com");
	expect(r, true, "ech, outer name");
	sgw_l7_rule_free(r);
	r = rule(SGW_APP_TLS, SGW_L7_F_ECH);
	ADD(r, SGW_L7_FIELD_SNI, "hidden.example");
	expect(r, false, "ech, other name");
	sgw_l7_rule_free(r);
}

static void test_dns(void **state)
{
	struct sgw_l7_rule *r;
	u8 tcp[2 + sizeof(sample_dns_dig_a)];

	(void)state;
	assert_int_equal(CLASSIFY(sample_dns_dig_a, SGW_L7_UDP, 53),
			 SGW_L7_MATCH);	/* www.debian.org */
	r = rule(SGW_APP_DNS, 0);
	expect(r, true, "bare dns");
	ADD(r, SGW_L7_FIELD_QNAME, "*.corp.example");
	expect(r, false, "other domain");
	ADD(r, SGW_L7_FIELD_QNAME, "*.DEBIAN.org");
	expect(r, true, "second pattern");

	/* Over TCP (port 53), the same rule. */
	tcp[0] = 0;
	tcp[1] = sizeof(sample_dns_dig_a);
	memcpy(tcp + 2, sample_dns_dig_a, sizeof(sample_dns_dig_a));
	assert_int_equal(CLASSIFY(tcp, SGW_L7_TCP, 53), SGW_L7_MATCH);
	expect(r, true, "dns over tcp");
	sgw_l7_rule_free(r);

	/* Two questions, www. and mail.corp.example: both must match. */
	assert_int_equal(CLASSIFY(sample_dns_synth_two_q, SGW_L7_UDP, 53),
			 SGW_L7_MATCH);
	assert_int_equal(res.dns.qdcount, 2);
	r = rule(SGW_APP_DNS, 0);
	ADD(r, SGW_L7_FIELD_QNAME, "www.corp.example");
	expect(r, false, "one question of two");
	ADD(r, SGW_L7_FIELD_QNAME, "mail.corp.example");
	expect(r, true, "both questions");
	sgw_l7_rule_free(r);
	r = rule(SGW_APP_DNS, 0);
	ADD(r, SGW_L7_FIELD_QNAME, "*.corp.example");
	expect(r, true, "one pattern for both");
	sgw_l7_rule_free(r);
	r = rule(SGW_APP_DNS, 0);
	ADD(r, SGW_L7_FIELD_QNAME, "corp.example");
	expect(r, false, "*. is needed for subdomains");
	sgw_l7_rule_free(r);
}

static void test_ssh(void **state)
{
	struct sgw_l7_rule *ssh = rule(SGW_APP_SSH, 0);
	struct sgw_l7_rule *http = rule(SGW_APP_HTTP, 0);

	(void)state;
	assert_int_equal(CLASSIFY(sample_ssh_openssh, SGW_L7_TCP, 22),
			 SGW_L7_MATCH);
	expect(ssh, true, "ssh");
	expect(http, false, "http rule on ssh");
	assert_int_equal(CLASSIFY(sample_http_curl_get, SGW_L7_TCP, 22),
			 SGW_L7_MATCH);
	expect(ssh, false, "ssh rule on http to port 22");
	expect(http, true, "http to port 22");
	sgw_l7_rule_free(ssh);
	sgw_l7_rule_free(http);
}

/* The contract of rule.h for results that are not MATCH. */
static void test_unclassified(void **state)
{
	static const u8 junk[] = { 0x00, 0x01, 0x02, 0x03, 0xff, 0xfe };
	struct sgw_l7_rule *rules[6];
	size_t i;

	(void)state;
	rules[0] = rule(SGW_APP_UNCLASSIFIED, 0);
	rules[1] = rule(SGW_APP_HTTP, 0);
	rules[2] = rule(SGW_APP_TLS, __SGW_L7_F_ALL);
	rules[3] = rule(SGW_APP_DNS, 0);
	rules[4] = rule(SGW_APP_SSH, 0);
	rules[5] = rule(SGW_APP_TLS, 0);

	/* NOT_THIS: only unclassified. */
	assert_int_equal(CLASSIFY(junk, SGW_L7_TCP, 80), SGW_L7_NOT_THIS);
	for (i = 0; i < ARRAY_SIZE(rules); i++)
		expect(rules[i], i == 0, "not this");
	/* MALFORMED counts as not recognised, whoever claimed it. */
	assert_int_equal(classify("SSH-1.5-x\r\n", 11, SGW_L7_TCP, 22),
			 SGW_L7_MALFORMED);
	assert_int_equal(res.app, SGW_APP_SSH);
	for (i = 0; i < ARRAY_SIZE(rules); i++)
		expect(rules[i], i == 0, "malformed ssh");
	assert_int_equal(classify("\x16\x03\x01\x00\x00", 5, SGW_L7_TCP, 443),
			 SGW_L7_MALFORMED);
	for (i = 0; i < ARRAY_SIZE(rules); i++)
		expect(rules[i], i == 0, "malformed tls");
	assert_int_equal(CLASSIFY(junk, SGW_L7_UDP, 53), SGW_L7_MALFORMED);
	for (i = 0; i < ARRAY_SIZE(rules); i++)
		expect(rules[i], i == 0, "malformed dns");

	/* NEED_MORE is no verdict: nothing matches, unclassified neither. */
	assert_int_equal(classify("GET / HTTP/1.1\r\n", 16, SGW_L7_TCP, 80),
			 SGW_L7_NEED_MORE);
	for (i = 0; i < ARRAY_SIZE(rules); i++)
		expect(rules[i], false, "need more");
	assert_int_equal(classify("", 0, SGW_L7_TCP, 80), SGW_L7_NEED_MORE);
	for (i = 0; i < ARRAY_SIZE(rules); i++)
		expect(rules[i], false, "nothing yet");
	/* The kernel gives up waiting: then only unclassified matches. */
	for (i = 0; i < ARRAY_SIZE(rules); i++)
		assert_int_equal(sgw_l7_rule_match_unclassified(rules[i]),
				 i == 0);

	/* A recognised flow is not unclassified. */
	assert_int_equal(CLASSIFY(sample_tls_curl, SGW_L7_TCP, 443),
			 SGW_L7_MATCH);
	expect(rules[0], false, "classified tls");
	expect(rules[2], true, "tls with flags");
	for (i = 0; i < ARRAY_SIZE(rules); i++)
		sgw_l7_rule_free(rules[i]);
}

/* Every sample, growing byte by byte as the kernel re-offers it. */
static void test_growing(void **state)
{
	struct sgw_l7_rule *r = rule(SGW_APP_TLS, 0);
	size_t k;

	(void)state;
	ADD(r, SGW_L7_FIELD_SNI, "shop.example.com");
	ADD(r, SGW_L7_FIELD_ALPN, "h2", "http/1.1");
	for (k = 0; k < sizeof(sample_tls_openssl_sni_alpn); k++) {
		assert_int_equal(classify(sample_tls_openssl_sni_alpn, k,
					  SGW_L7_TCP, 443), SGW_L7_NEED_MORE);
		expect(r, false, "partial hello");
	}
	assert_int_equal(CLASSIFY(sample_tls_openssl_sni_alpn, SGW_L7_TCP, 443),
			 SGW_L7_MATCH);
	expect(r, true, "whole hello");
	sgw_l7_rule_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_shared),
		cmocka_unit_test(test_attr_fields),
		cmocka_unit_test(test_fields_of_apps),
		cmocka_unit_test(test_bad_patterns),
		cmocka_unit_test(test_normal_form),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_http_ambiguous),
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_tls_no_sni),
		cmocka_unit_test(test_tls_ech),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_ssh),
		cmocka_unit_test(test_unclassified),
		cmocka_unit_test(test_growing),
	};

	return cmocka_run_group_tests_name("l7_rule", tests, NULL, NULL);
}
