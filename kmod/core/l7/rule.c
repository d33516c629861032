// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Application rules: building one from patterns, and deciding whether a
 * classified flow satisfies it (see rule.h for the contract).
 */
#include "rule.h"

enum {
	/* Pattern slots a field starts with; it doubles from there. */
	FIELD_CAP_MIN	= 4,
};

int sgw_l7_rule_check(u8 app, u32 flags)
{
	if (flags & ~(u32)__SGW_L7_F_ALL)
		return -EOPNOTSUPP;
	switch (app) {
	case SGW_APP_TLS:
		return 0;
	case SGW_APP_HTTP:
	case SGW_APP_DNS:
	case SGW_APP_SSH:
	case SGW_APP_UNCLASSIFIED:
		return flags ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

struct sgw_l7_rule *sgw_l7_rule_alloc(u8 app, u32 flags)
{
	struct sgw_l7_rule *r;

	if (sgw_l7_rule_check(app, flags))
		return NULL;
	r = sgw_zalloc(sizeof(*r));
	if (!r)
		return NULL;
	sgw_ref_init(&r->ref);
	r->app = app;
	r->flags = flags;
	return r;
}

struct sgw_l7_rule *sgw_l7_rule_get(struct sgw_l7_rule *r)
{
	sgw_ref_get(&r->ref);
	return r;
}

void sgw_l7_rule_free(struct sgw_l7_rule *r)
{
	unsigned int f, i;

	if (!r || !sgw_ref_put(&r->ref))
		return;
	for (f = 0; f < __SGW_L7_FIELD_MAX; f++) {
		for (i = 0; i < r->field[f].n; i++)
			sgw_free(r->field[f].set[i].str);
		sgw_free(r->field[f].set);
	}
	sgw_free(r);
}

int sgw_l7_rule_set_flags(struct sgw_l7_rule *r, u32 flags)
{
	int ret = sgw_l7_rule_check(r->app, flags);

	if (!ret)
		r->flags = flags;
	return ret;
}

bool sgw_l7_field_valid(u8 app, enum sgw_l7_field field)
{
	switch (field) {
	case SGW_L7_FIELD_HOST:
	case SGW_L7_FIELD_METHOD:
	case SGW_L7_FIELD_PATH:
		return app == SGW_APP_HTTP;
	case SGW_L7_FIELD_SNI:
	case SGW_L7_FIELD_ALPN:
		return app == SGW_APP_TLS;
	case SGW_L7_FIELD_QNAME:
		return app == SGW_APP_DNS;
	default:
		return false;
	}
}

static bool all_of(const char *s, size_t len, unsigned int class)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!sgw_l7_is(s[i], class))
			return false;
	return true;
}

static bool is_name_field(enum sgw_l7_field field)
{
	return field == SGW_L7_FIELD_HOST || field == SGW_L7_FIELD_SNI ||
	       field == SGW_L7_FIELD_QNAME;
}

static bool dot_segment(const char *s, size_t n)
{
	size_t i;

	/* As http.c reads them: ";params" do not hide a "..". */
	for (i = 0; i < n && s[i] != ';'; i++)
		;
	return (i == 1 && s[0] == '.') ||
	       (i == 2 && s[0] == '.' && s[1] == '.');
}

static u8 hex_value(u8 c)
{
	c = sgw_l7_lower(c);
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

/*
 * A request whose path has a dot-segment, a '\' or an encoded '.', '/',
 * '\' or '%' matches no path pattern (SGW_L7_HTTP_F_PATH_AMBIGUOUS), so a
 * pattern that holds one whole could never match: a mistake to refuse.
 * The last segment of a prefix pattern is not whole ("/a/.*" matches
 * "/a/.well-known").
 */
static bool path_unmatchable(const char *p, size_t len)
{
	bool prefix = p[len - 1] == '*';
	size_t i, seg = 0, end = prefix ? len - 1 : len;

	for (i = 0; i < end; i++) {
		if (p[i] == '/') {
			if (dot_segment(p + seg, i - seg))
				return true;
			seg = i + 1;
		} else if (p[i] == '\\') {
			return true;
		} else if (p[i] == '%' && i + 2 < end &&
			   sgw_l7_is(p[i + 1], SGW_L7_C_HEX) &&
			   sgw_l7_is(p[i + 2], SGW_L7_C_HEX)) {
			u8 c = hex_value(p[i + 1]) << 4 | hex_value(p[i + 2]);

			if (c == '.' || c == '/' || c == '\\' || c == '%')
				return true;
		}
	}
	return !prefix && dot_segment(p + seg, end - seg);
}

static bool pattern_valid(enum sgw_l7_field field, const char *pat,
			  size_t len)
{
	if (!len || len >= SGW_L7_PATTERN_MAX)
		return false;
	switch (field) {
	case SGW_L7_FIELD_HOST:
	case SGW_L7_FIELD_SNI:
	case SGW_L7_FIELD_QNAME:
		return sgw_l7_name_pattern_valid(pat, len);
	case SGW_L7_FIELD_PATH:
		return sgw_l7_path_pattern_valid(pat, len) &&
		       !path_unmatchable(pat, len);
	case SGW_L7_FIELD_METHOD:
		return len <= SGW_L7_HTTP_METHOD_MAX &&
		       all_of(pat, len, SGW_L7_C_TCHAR);
	case SGW_L7_FIELD_ALPN:
		return len <= SGW_L7_TLS_ALPN_LEN_MAX &&
		       all_of(pat, len, SGW_L7_C_VCHAR);
	default:
		return false;
	}
}

/* Room for one more pattern in @f: the array doubles, up to the limit. */
static int reserve(struct sgw_l7_patterns *f)
{
	struct sgw_l7_pattern *set;
	unsigned int cap;

	if (f->n < f->cap)
		return 0;
	cap = f->cap ? 2 * f->cap : FIELD_CAP_MIN;
	if (cap > SGW_L7_PATTERNS_MAX)
		cap = SGW_L7_PATTERNS_MAX;
	set = sgw_zalloc(cap * sizeof(*set));
	if (!set)
		return -ENOMEM;
	if (f->n)
		memcpy(set, f->set, f->n * sizeof(*set));
	sgw_free(f->set);
	f->set = set;
	f->cap = cap;
	return 0;
}

int sgw_l7_rule_add(struct sgw_l7_rule *r, enum sgw_l7_field field,
		    const char *pat, size_t len)
{
	struct sgw_l7_patterns *f;
	size_t i;
	char *s;

	if ((unsigned int)field >= __SGW_L7_FIELD_MAX ||
	    !sgw_l7_field_valid(r->app, field) ||
	    !pattern_valid(field, pat, len))
		return -EINVAL;
	f = &r->field[field];
	if (f->n >= SGW_L7_PATTERNS_MAX)
		return -E2BIG;
	if (reserve(f))
		return -ENOMEM;

	/* The matchers drop one trailing dot of a name: so does the rule. */
	if (is_name_field(field) && pat[len - 1] == '.')
		len--;
	s = sgw_zalloc(len + 1);
	if (!s)
		return -ENOMEM;
	for (i = 0; i < len; i++)
		s[i] = is_name_field(field) ? sgw_l7_lower(pat[i]) : pat[i];
	f->set[f->n].str = s;
	f->set[f->n].len = len;
	f->n++;
	return 0;
}

static const struct sgw_l7_patterns *get(const struct sgw_l7_rule *r,
					 enum sgw_l7_field field)
{
	return &r->field[field];
}

static bool http_match(const struct sgw_l7_rule *r,
		       const struct sgw_l7_http *h)
{
	const struct sgw_l7_patterns *host = get(r, SGW_L7_FIELD_HOST);
	const struct sgw_l7_patterns *method = get(r, SGW_L7_FIELD_METHOD);
	const struct sgw_l7_patterns *path = get(r, SGW_L7_FIELD_PATH);

	return (!host->n || sgw_l7_http_host_match(h, host->set, host->n)) &&
	       (!method->n ||
		sgw_l7_http_method_match(h, method->set, method->n)) &&
	       (!path->n || sgw_l7_http_path_match(h, path->set, path->n));
}

static bool tls_match(const struct sgw_l7_rule *r, const struct sgw_l7_tls *t)
{
	const struct sgw_l7_patterns *sni = get(r, SGW_L7_FIELD_SNI);
	const struct sgw_l7_patterns *alpn = get(r, SGW_L7_FIELD_ALPN);

	if (t->flags & SGW_L7_TLS_F_ECH && !(r->flags & SGW_L7_F_ECH))
		return false;
	if (!(t->flags & SGW_L7_TLS_F_SNI)) {
		if (!(r->flags & SGW_L7_F_NO_SNI))
			return false;
	} else if (sni->n && !sgw_l7_tls_sni_match(t, sni->set, sni->n)) {
		return false;
	}
	return !alpn->n || sgw_l7_tls_alpn_match(t, alpn->set, alpn->n);
}

static bool dns_match(const struct sgw_l7_rule *r, const struct sgw_l7_dns *d)
{
	const struct sgw_l7_patterns *qname = get(r, SGW_L7_FIELD_QNAME);

	return !qname->n || sgw_l7_dns_qname_match(d, qname->set, qname->n);
}

bool sgw_l7_rule_match(const struct sgw_l7_rule *r,
		       const struct sgw_l7_result *res)
{
	switch (res->status) {
	case SGW_L7_MATCH:
		break;
	case SGW_L7_NOT_THIS:
	case SGW_L7_MALFORMED:
		return r->app == SGW_APP_UNCLASSIFIED;
	default:
		return false;	/* NEED_MORE: no verdict yet */
	}
	if (res->app != r->app)
		return false;
	switch (r->app) {
	case SGW_APP_HTTP:
		return http_match(r, &res->http);
	case SGW_APP_TLS:
		return tls_match(r, &res->tls);
	case SGW_APP_DNS:
		return dns_match(r, &res->dns);
	case SGW_APP_SSH:
		return true;
	default:
		return false;
	}
}

bool sgw_l7_rule_match_unclassified(const struct sgw_l7_rule *r)
{
	return r->app == SGW_APP_UNCLASSIFIED;
}
