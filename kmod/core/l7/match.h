/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Matching classified fields against a rule's patterns.
 *
 * Names (HTTP host, TLS SNI, DNS qname) compare case-insensitively, after
 * dropping one trailing dot from name and pattern alike. "*.example.com"
 * matches every name below example.com at any depth (a.example.com,
 * a.b.example.com) but not example.com itself, and only at a label boundary
 * (never badexample.com); write both patterns to allow both. A name holding
 * '\' (an escaped DNS name), an empty name and a truncated name never match.
 *
 * Paths compare case-sensitively: a pattern ending in '*' is a prefix (the
 * rest of it, '*' excluded), any other must equal the path. The path is the
 * request-target's before '?', so "/api/items" matches "/api/items?id=7".
 * Methods and ALPN ids compare exactly and case-sensitively.
 *
 * The rule-level helpers take a set of patterns (the values of one field
 * of one rule, "a, b, c") and decide whether the classified message
 * satisfies it; each says how a list in the message is treated.
 */
#ifndef SGW_CORE_L7_MATCH_H
#define SGW_CORE_L7_MATCH_H

#include "base.h"
#include "http.h"
#include "tls.h"
#include "dns.h"

struct sgw_l7_pattern {
	const char	*str;
	u16		len;
};

bool sgw_l7_name_match(const char *pat, size_t plen,
		       const char *name, size_t nlen);
bool sgw_l7_path_match(const char *pat, size_t plen,
		       const char *path, size_t len, bool truncated);
bool sgw_l7_exact_match(const char *pat, size_t plen,
			const char *s, size_t len);

/*
 * Patterns a policy may hold. A name pattern is a host name of labels of
 * ALPHA DIGIT - _ (1..63 bytes, at most 253 in all), optionally after
 * "*." and with one trailing dot; a path pattern starts with '/' and is
 * visible ASCII, '*' only as its last byte.
 */
bool sgw_l7_name_pattern_valid(const char *pat, size_t plen);
bool sgw_l7_path_pattern_valid(const char *pat, size_t plen);

/* Host matches one of @set; a request without a host matches nothing. */
bool sgw_l7_http_host_match(const struct sgw_l7_http *h,
			    const struct sgw_l7_pattern *set, unsigned int n);
bool sgw_l7_http_method_match(const struct sgw_l7_http *h,
			      const struct sgw_l7_pattern *set,
			      unsigned int n);
/* Path matches one of @set; an ambiguous path matches nothing. */
bool sgw_l7_http_path_match(const struct sgw_l7_http *h,
			    const struct sgw_l7_pattern *set, unsigned int n);
/* SNI matches one of @set; without SNI nothing matches. */
bool sgw_l7_tls_sni_match(const struct sgw_l7_tls *t,
			  const struct sgw_l7_pattern *set, unsigned int n);
/*
 * Every ALPN id the client offers is in @set (the server may pick any of
 * them): no ALPN, or more ids than were kept, matches nothing.
 */
bool sgw_l7_tls_alpn_match(const struct sgw_l7_tls *t,
			   const struct sgw_l7_pattern *set, unsigned int n);
/*
 * Every question's name matches one of @set, and the opcode is QUERY: no
 * question matches nothing.
 */
bool sgw_l7_dns_qname_match(const struct sgw_l7_dns *d,
			    const struct sgw_l7_pattern *set, unsigned int n);

#endif /* SGW_CORE_L7_MATCH_H */
