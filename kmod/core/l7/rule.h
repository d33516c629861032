/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The application part of a rule ("app http host shop.example.com"): the
 * app it requires, its TLS flags and a list of patterns per field, and the
 * decision whether a classified flow satisfies it.
 *
 * The same object is built by the module from SGW_RULE_A_L7 and by sgctl's
 * parser from policy text, so both refuse and normalise patterns alike.
 * A rule is built in process context (sgw_zalloc() may sleep in the
 * kernel) by sgw_l7_rule_alloc() and sgw_l7_rule_add(), and is immutable
 * after that: sgw_l7_rule_match() only reads it and may run concurrently
 * on any number of CPUs, under whatever keeps the rule alive (RCU in the
 * module). Policy generations share it: sgw_l7_rule_get() takes a
 * reference, sgw_l7_rule_free() drops one and frees the rule and every
 * pattern with the last.
 *
 * Matching. The kernel classifies a flow's first client bytes with
 * sgw_l7_classify() (l7.h) and asks each candidate rule in turn:
 *
 *  - status MATCH: the rule matches if its app is the classified app and
 *    every field it gives matches (a field matches if any of its patterns
 *    does; see match.h for names, paths, methods and ALPN ids). A rule
 *    with no fields needs only the app. "app unclassified" does not match.
 *  - status NOT_THIS or MALFORMED: the application was not recognised
 *    (MALFORMED counts as not recognised, whatever app claimed it). Only
 *    an "app unclassified" rule matches.
 *  - status NEED_MORE: not a verdict. sgw_l7_rule_match() answers false
 *    for every rule; the kernel keeps holding the flow and classifies
 *    again when more bytes come. When it stops waiting without a verdict
 *    (the client stopped sending, the hold timed out or its limits were
 *    reached: whatever the module defines as "not recognised in time"), it
 *    asks sgw_l7_rule_match_unclassified() instead, which is true exactly
 *    for "app unclassified" rules. sgw_l7_classify() never answers
 *    NEED_MORE to SGW_L7_PREFIX_MAX bytes, so a full buffer always has a
 *    verdict of its own.
 *
 * TLS: a ClientHello with encrypted_client_hello matches only a rule with
 * SGW_L7_F_ECH (its server_name is then the outer, public name, which the
 * sni patterns are matched against); one without server_name matches only
 * a rule with SGW_L7_F_NO_SNI, and then the rule's sni patterns are not
 * asked. A rule without these flags wants a plaintext SNI and no ECH, even
 * with no sni patterns.
 *
 * DNS: every question of the query must match a qname pattern, and the
 * opcode must be QUERY (sgw_l7_dns_qname_match()).
 */
#ifndef SGW_CORE_L7_RULE_H
#define SGW_CORE_L7_RULE_H

#include "../compat.h"
#include "../../../include/uapi/linux/sgw.h"
#include "l7.h"
#include "match.h"

/*
 * The pattern fields, in the order of their attributes SGW_L7_A_HOST ..
 * SGW_L7_A_QNAME: sgw_l7_field_of_attr() and sgw_l7_attr_of_field()
 * convert.
 */
enum sgw_l7_field {
	SGW_L7_FIELD_HOST,	/* HTTP Host: name pattern, app http */
	SGW_L7_FIELD_METHOD,	/* HTTP method: token, exact, app http */
	SGW_L7_FIELD_PATH,	/* HTTP path: path pattern, app http */
	SGW_L7_FIELD_SNI,	/* TLS server name: name pattern, app tls */
	SGW_L7_FIELD_ALPN,	/* TLS ALPN protocol id: exact, app tls */
	SGW_L7_FIELD_QNAME,	/* DNS question name: name pattern, app dns */
	__SGW_L7_FIELD_MAX
};

/* -1 if @type is no pattern attribute. */
static inline int sgw_l7_field_of_attr(unsigned int type)
{
	if (type < SGW_L7_A_HOST || type > SGW_L7_A_QNAME)
		return -1;
	return type - SGW_L7_A_HOST;
}

static inline unsigned int sgw_l7_attr_of_field(enum sgw_l7_field field)
{
	return SGW_L7_A_HOST + field;
}

struct sgw_l7_patterns {
	struct sgw_l7_pattern	*set;	/* n patterns, NUL-terminated */
	u16			n;
	u16			cap;
};

struct sgw_l7_rule {
	sgw_ref_t		ref;
	u8			app;	/* enum sgw_app, never SGW_APP_NONE */
	u32			flags;	/* SGW_L7_F_*, tls only */
	struct sgw_l7_patterns	field[__SGW_L7_FIELD_MAX];
};

/*
 * 0 if a rule may require @app with @flags. -EINVAL for an app that is not
 * http, tls, dns, ssh or unclassified, or for flags on an app other than
 * tls; -EOPNOTSUPP for flag bits outside __SGW_L7_F_ALL.
 */
int sgw_l7_rule_check(u8 app, u32 flags);

/*
 * A rule requiring @app (enum sgw_app) with @flags and no patterns yet.
 * NULL when sgw_l7_rule_check() refuses them (call it first to know why)
 * or out of memory.
 */
struct sgw_l7_rule *sgw_l7_rule_alloc(u8 app, u32 flags);
void sgw_l7_rule_free(struct sgw_l7_rule *r);
struct sgw_l7_rule *sgw_l7_rule_get(struct sgw_l7_rule *r);

/*
 * Replace the flags of @r while it is built (a parser meets them after the
 * patterns): returns sgw_l7_rule_check() of @r's app and @flags, and sets
 * them only if that is 0.
 */
int sgw_l7_rule_set_flags(struct sgw_l7_rule *r, u32 flags);

/* Whether @field belongs to @app: host, method and path to http, etc. */
bool sgw_l7_field_valid(u8 app, enum sgw_l7_field field);

/*
 * Append pattern @pat (@len bytes, no NUL needed) to @field of @r, in its
 * normal form: names (host, sni, qname) lowercased and without a trailing
 * dot, which changes nothing they match. Returns
 *
 *  -EINVAL  @field is not one of @r's app, or the pattern is not valid for
 *           it: a name pattern (sgw_l7_name_pattern_valid()), a path
 *           pattern (sgw_l7_path_pattern_valid()) that could match some
 *           request (it holds no whole "." or ".." segment, no '\\' and
 *           no encoded '.', '/', '\\' or '%', which make a request's path
 *           match no pattern: see http.h), a method (an RFC 9110
 *           token of 1 to SGW_L7_HTTP_METHOD_MAX bytes) or an ALPN id (1 to
 *           SGW_L7_TLS_ALPN_LEN_MAX visible ASCII bytes: longer ids are
 *           never kept whole by the classifier, so could never match).
 *           Every pattern is shorter than SGW_L7_PATTERN_MAX.
 *  -E2BIG   @field already holds SGW_L7_PATTERNS_MAX patterns.
 *  -ENOMEM
 *
 * The same pattern may be added twice; it changes nothing.
 */
int sgw_l7_rule_add(struct sgw_l7_rule *r, enum sgw_l7_field field,
		    const char *pat, size_t len);

static inline u8 sgw_l7_rule_app(const struct sgw_l7_rule *r)
{
	return r->app;
}

static inline u32 sgw_l7_rule_flags(const struct sgw_l7_rule *r)
{
	return r->flags;
}

/*
 * The patterns of @field, in the order they were added, in normal form and
 * NUL-terminated; *@n of them (0: the field is not asked).
 */
static inline const struct sgw_l7_pattern *
sgw_l7_rule_patterns(const struct sgw_l7_rule *r, enum sgw_l7_field field,
		     unsigned int *n)
{
	*n = r->field[field].n;
	return r->field[field].set;
}

/* See the top of this file. */
bool sgw_l7_rule_match(const struct sgw_l7_rule *r,
		       const struct sgw_l7_result *res);
bool sgw_l7_rule_match_unclassified(const struct sgw_l7_rule *r);

#endif /* SGW_CORE_L7_RULE_H */
