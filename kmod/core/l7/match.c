// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Name, path and token matchers. Each comparison is one pass over at most
 * the shorter of pattern and field.
 */
#include "match.h"

static bool ci_equal(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sgw_l7_lower(a[i]) != sgw_l7_lower(b[i]))
			return false;
	return true;
}

static size_t drop_root_dot(const char *s, size_t n)
{
	return n > 1 && s[n - 1] == '.' ? n - 1 : n;
}

bool sgw_l7_name_match(const char *pat, size_t plen,
		       const char *name, size_t nlen)
{
	size_t i, slen;

	plen = drop_root_dot(pat, plen);
	nlen = drop_root_dot(name, nlen);
	if (!plen || !nlen || name[0] == '.')
		return false;
	for (i = 0; i < nlen; i++)
		if (name[i] == '\\')
			return false;

	if (plen < 2 || pat[0] != '*' || pat[1] != '.')
		return plen == nlen && ci_equal(pat, name, nlen);

	/* "*.suffix": a non-empty label, then ".suffix" at a label edge. */
	slen = plen - 1;
	return nlen > slen && name[nlen - slen - 1] != '.' &&
	       ci_equal(pat + 1, name + nlen - slen, slen);
}

bool sgw_l7_path_match(const char *pat, size_t plen,
		       const char *path, size_t len, bool truncated)
{
	if (plen && pat[plen - 1] == '*')
		return len >= plen - 1 && !memcmp(pat, path, plen - 1);
	return !truncated && len == plen && !memcmp(pat, path, len);
}

bool sgw_l7_exact_match(const char *pat, size_t plen,
			const char *s, size_t len)
{
	return plen == len && !memcmp(pat, s, len);
}

bool sgw_l7_name_pattern_valid(const char *pat, size_t plen)
{
	size_t i, label = 0;

	if (plen >= 2 && pat[0] == '*' && pat[1] == '.') {
		pat += 2;
		plen -= 2;
	}
	if (plen > 1 && pat[plen - 1] == '.')
		plen--;
	if (!plen || plen > 253)
		return false;
	for (i = 0; i < plen; i++) {
		u8 c = pat[i];

		if (c == '.') {
			if (!label)
				return false;
			label = 0;
		} else if (sgw_l7_is(c, SGW_L7_C_HOST) && c != '~') {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label;
}

bool sgw_l7_path_pattern_valid(const char *pat, size_t plen)
{
	size_t i;

	if (!plen || pat[0] != '/')
		return false;
	for (i = 0; i < plen; i++)
		if (!sgw_l7_is(pat[i], SGW_L7_C_VCHAR) ||
		    (pat[i] == '*' && i != plen - 1) ||
		    pat[i] == '?' || pat[i] == '#')
			return false;
	return true;
}

static bool name_in(const struct sgw_l7_pattern *set, unsigned int n,
		    const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (sgw_l7_name_match(set[i].str, set[i].len, name, len))
			return true;
	return false;
}

static bool exact_in(const struct sgw_l7_pattern *set, unsigned int n,
		     const char *s, size_t len)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (sgw_l7_exact_match(set[i].str, set[i].len, s, len))
			return true;
	return false;
}

bool sgw_l7_http_host_match(const struct sgw_l7_http *h,
			    const struct sgw_l7_pattern *set, unsigned int n)
{
	if (!(h->flags & SGW_L7_HTTP_F_HOST) ||
	    h->flags & SGW_L7_HTTP_F_HOST_TRUNC)
		return false;
	return name_in(set, n, h->host, h->host_len);
}

bool sgw_l7_http_method_match(const struct sgw_l7_http *h,
			      const struct sgw_l7_pattern *set,
			      unsigned int n)
{
	return exact_in(set, n, h->method, h->method_len);
}

bool sgw_l7_http_path_match(const struct sgw_l7_http *h,
			    const struct sgw_l7_pattern *set, unsigned int n)
{
	bool trunc = h->flags & SGW_L7_HTTP_F_PATH_TRUNC;
	unsigned int i;

	if (h->flags & SGW_L7_HTTP_F_PATH_AMBIGUOUS || !h->path_len)
		return false;
	for (i = 0; i < n; i++)
		if (sgw_l7_path_match(set[i].str, set[i].len, h->path,
				      h->path_len, trunc))
			return true;
	return false;
}

bool sgw_l7_tls_sni_match(const struct sgw_l7_tls *t,
			  const struct sgw_l7_pattern *set, unsigned int n)
{
	if (!(t->flags & SGW_L7_TLS_F_SNI) ||
	    t->flags & SGW_L7_TLS_F_SNI_TRUNC)
		return false;
	return name_in(set, n, t->sni, t->sni_len);
}

bool sgw_l7_tls_alpn_match(const struct sgw_l7_tls *t,
			   const struct sgw_l7_pattern *set, unsigned int n)
{
	unsigned int i;

	if (!t->alpn_count || t->flags & SGW_L7_TLS_F_ALPN_TRUNC)
		return false;
	for (i = 0; i < t->alpn_count; i++)
		if (!exact_in(set, n, t->alpn[i], t->alpn_len[i]))
			return false;
	return true;
}

bool sgw_l7_dns_qname_match(const struct sgw_l7_dns *d,
			    const struct sgw_l7_pattern *set, unsigned int n)
{
	unsigned int i;

	if (!d->qdcount || d->opcode != 0)
		return false;
	for (i = 0; i < d->qdcount && i < SGW_L7_DNS_QUESTIONS_MAX; i++) {
		const struct sgw_l7_dns_question *q = &d->q[i];

		if (q->flags & (SGW_L7_DNS_F_ESCAPED | SGW_L7_DNS_F_TRUNC) ||
		    !name_in(set, n, q->name, q->name_len))
			return false;
	}
	return true;
}
