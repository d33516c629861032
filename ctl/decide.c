// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Offline decisions with the module's own tables and classifiers: see
 * decide.h. build_lpm() and decider_build() follow kmod/txn.c, the two
 * decide functions kmod/policy.c, classify_stream() the hold of
 * kmod/l7.c; keep them in step.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "../kmod/core/lpm.h"
#include "../kmod/core/ruleset.h"
#include "../kmod/core/l7/rule.h"
#include "decide.h"
#include "event.h"

struct decider {
	const struct policy	*p;
	struct sgw_lpm		*lpm4;
	struct sgw_lpm		*lpm6;
	struct sgw_ruleset	*rules;
};

/* kmod/txn.c build_lpm(): every prefix of @family, valued by segment id. */
static int build_lpm(const struct policy *p, uint8_t family,
		     struct sgw_lpm **out)
{
	unsigned int alen = family == AF_INET ? 4 : 16;
	struct sgw_lpm_prefix *arr;
	size_t n = 0, i, j;
	int err = 0;

	*out = NULL;
	for (i = 0; i < p->nsegments; i++)
		for (j = 0; j < p->segments[i].nprefixes; j++)
			n += p->segments[i].prefixes[j].family == family;
	if (!n)
		return 0;	/* no table: every address is in world */
	arr = calloc(n, sizeof(*arr));
	if (!arr)
		return -ENOMEM;
	n = 0;
	for (i = 0; i < p->nsegments; i++) {
		for (j = 0; j < p->segments[i].nprefixes; j++) {
			const struct sgw_prefix *pf =
				&p->segments[i].prefixes[j];

			if (pf->family != family)
				continue;
			memcpy(arr[n].addr, pf->addr, sizeof(arr[n].addr));
			arr[n].len = pf->len;
			arr[n].value = p->segments[i].id;
			n++;
		}
	}
	*out = sgw_lpm_build(alen, arr, n, &err);
	free(arr);
	return *out ? 0 : (err ? err : -ENOMEM);
}

/* The rules as sgctl load sends them and the module reads them back. */
static struct sgw_rule_spec *rule_specs(const struct policy *p)
{
	struct sgw_rule_spec *specs = calloc(p->nrules, sizeof(*specs));
	size_t i;

	if (!specs)
		return NULL;
	for (i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		specs[i].id = r->id;
		specs[i].line = r->line;
		specs[i].srcs = r->srcs;
		specs[i].nsrcs = r->nsrcs;
		specs[i].dsts = r->dsts;
		specs[i].ndsts = r->ndsts;
		specs[i].proto = r->proto;
		specs[i].ports = r->nports ? r->ports : NULL;
		specs[i].nports = r->nports;
		specs[i].flags = 0;
		specs[i].l7 = r->l7;
	}
	return specs;
}

int decider_build(const struct policy *p, struct decider **out)
{
	struct decider *d = calloc(1, sizeof(*d));
	struct sgw_rule_spec *specs;
	int err;

	*out = NULL;
	if (!d)
		return -ENOMEM;
	d->p = p;
	err = build_lpm(p, AF_INET, &d->lpm4);
	if (!err)
		err = build_lpm(p, AF_INET6, &d->lpm6);
	if (!err && p->nrules) {
		specs = rule_specs(p);
		if (!specs) {
			err = -ENOMEM;
		} else {
			/* The ruleset copies the specs but not their ->l7:
			 * those stay the policy's.
			 */
			d->rules = sgw_ruleset_build(specs, p->nrules, &err);
			if (!d->rules && !err)
				err = -ENOMEM;
			free(specs);
		}
	}
	if (err) {
		decider_free(d);
		return err;
	}
	*out = d;
	return 0;
}

void decider_free(struct decider *d)
{
	if (!d)
		return;
	if (d->lpm4)
		sgw_lpm_free(d->lpm4);
	if (d->lpm6)
		sgw_lpm_free(d->lpm6);
	if (d->rules)
		sgw_ruleset_free(d->rules);
	free(d);
}

/* kmod/policy.c match_key(). */
static void match_key(const struct decider *d, const struct replay_tuple *t,
		      struct replay_decision *out, struct sgw_match_key *k)
{
	const struct sgw_lpm *lpm = t->family == AF_INET ? d->lpm4 : d->lpm6;

	out->src_seg = lpm ? sgw_lpm_lookup(lpm, t->saddr) : SGW_SEG_WORLD;
	out->dst_seg = lpm ? sgw_lpm_lookup(lpm, t->daddr) : SGW_SEG_WORLD;
	out->rule = -1;
	out->rule_id = 0;
	out->line = 0;
	out->need_l7 = false;
	out->reason = SGW_R_DEFAULT_DENY;
	memset(k, 0, sizeof(*k));
	k->src_seg = out->src_seg;
	k->dst_seg = out->dst_seg;
	k->proto = t->proto;
	k->dport = t->dport;
}

static void allow(const struct decider *d, int32_t i,
		  struct replay_decision *out)
{
	const struct sgw_rule_spec *r = sgw_ruleset_rule(d->rules, i);

	out->rule = i;
	out->rule_id = r->id;
	out->line = r->line;
	out->need_l7 = false;
	out->reason = SGW_R_ALLOW;
}

void decider_decide(const struct decider *d, const struct replay_tuple *t,
		    struct replay_decision *out)
{
	struct sgw_candidates c;
	struct sgw_match_key k;
	int32_t i;

	match_key(d, t, out, &k);
	if (!d->rules)
		return;
	i = sgw_ruleset_lookup(d->rules, &k);
	if (i >= 0) {
		allow(d, i, out);
		return;
	}
	/* No rule allows it on L4 alone; does an application rule? */
	sgw_ruleset_candidates(d->rules, &k, &c);
	while ((i = sgw_candidates_next(&c)) >= 0) {
		if (sgw_ruleset_rule(d->rules, i)->l7) {
			out->need_l7 = true;
			return;
		}
	}
}

void decider_decide_l7(const struct decider *d,
		       const struct replay_tuple *t,
		       const struct sgw_l7_result *res,
		       struct replay_decision *out)
{
	struct sgw_candidates c;
	struct sgw_match_key k;
	int32_t i;

	match_key(d, t, out, &k);
	if (!d->rules)
		return;
	/* The first rule, in policy order, that this flow satisfies. */
	sgw_ruleset_candidates(d->rules, &k, &c);
	while ((i = sgw_candidates_next(&c)) >= 0) {
		const struct sgw_rule_spec *r = sgw_ruleset_rule(d->rules, i);

		if (!r->l7 ||
		    (res->status == SGW_L7_NEED_MORE ?
		     sgw_l7_rule_match_unclassified(r->l7) :
		     sgw_l7_rule_match(r->l7, res))) {
			allow(d, i, out);
			return;
		}
	}
	out->reason = res->status == SGW_L7_MATCH ? SGW_R_L7_MISMATCH :
						    SGW_R_UNCLASSIFIED;
}

void classify_stream(const uint8_t *buf, const uint32_t *piece_end,
		     uint32_t npieces, uint16_t dport,
		     struct sgw_l7_result *res, uint32_t *bytes,
		     uint32_t *packets)
{
	uint32_t i;

	memset(res, 0, sizeof(*res));
	res->status = SGW_L7_NEED_MORE;	/* nothing to hold: no verdict */
	*bytes = 0;
	*packets = 0;
	for (i = 0; i < npieces; i++) {
		uint32_t len = piece_end[i] < PF_PREFIX_MAX ? piece_end[i] :
							      PF_PREFIX_MAX;

		sgw_l7_classify(buf, len, SGW_L7_TCP, dport, res);
		*bytes = len;
		*packets = i + 1;
		if (res->status != SGW_L7_NEED_MORE ||
		    len >= PF_PREFIX_MAX || i + 1 >= DECIDE_HOLD_PACKETS)
			break;
	}
}

/* kmod/l7.c classify_datagram(): UDP's first 2048 bytes; nothing else. */
static void classify_datagram(const struct pf_flow *f,
			      const struct pf_datagram *dg,
			      struct sgw_l7_result *res)
{
	memset(res, 0, sizeof(*res));
	res->status = SGW_L7_NOT_THIS;
	if (f->proto == IPPROTO_UDP)
		sgw_l7_classify(dg->data, dg->kept, SGW_L7_UDP, f->port[1],
				res);
}

static void flow_tuple(const struct pf_flow *f, struct replay_tuple *t)
{
	t->family = f->family;
	t->proto = f->proto;
	t->saddr = f->addr[0];
	t->daddr = f->addr[1];
	t->sport = f->port[0];
	t->dport = f->port[1];
}

bool decide_datagram(const struct decider *d, const struct pf_flow *f,
		     const struct flow_verdict *v, size_t i,
		     struct dgram_verdict *dv)
{
	struct replay_tuple t;

	memset(dv, 0, sizeof(*dv));
	if (i >= f->ndgrams)
		return false;
	dv->index = i + 1;
	dv->time_ns = f->dgrams[i].time_ns;
	classify_datagram(f, &f->dgrams[i], &dv->res);
	/* The module checks each one only in a flow decided on its app. */
	if (v->by_l7) {
		flow_tuple(f, &t);
		dv->decided = true;
		decider_decide_l7(d, &t, &dv->res, &dv->d);
	}
	return dv->res.status == SGW_L7_MATCH ||
	       (dv->decided && dv->d.rule < 0);
}

void decide_flow(const struct decider *d, const struct pf_flow *f,
		 struct flow_verdict *v)
{
	struct dgram_verdict dv;
	size_t i;

	struct replay_tuple t;

	memset(v, 0, sizeof(*v));
	flow_tuple(f, &t);
	if (d) {
		v->decided = true;
		decider_decide(d, &t, &v->d);
	}
	switch (f->proto) {
	case IPPROTO_TCP:
		v->classified = true;
		classify_stream(f->prefix, f->piece_end, f->npieces,
				f->port[1], &v->res, &v->l7_bytes,
				&v->l7_packets);
		break;
	case IPPROTO_UDP:
		if (!f->ndgrams)
			break;
		v->classified = true;
		classify_datagram(f, &f->dgrams[0], &v->res);
		break;
	default:
		/* The module classifies nothing else: not recognised. */
		v->res.status = SGW_L7_NOT_THIS;
		break;
	}
	if (d && v->d.need_l7) {
		v->by_l7 = true;
		decider_decide_l7(d, &t, &v->res, &v->d);
		if (v->d.rule < 0 && f->proto == IPPROTO_UDP)
			v->dgrams_denied++;
	}
	for (i = 1; i < f->ndgrams; i++) {
		if (decide_datagram(d, f, v, i, &dv))
			v->dgrams_listed++;
		if (dv.decided && dv.d.rule < 0)
			v->dgrams_denied++;
	}
}

/* Records. */

void replay_record_begin(struct record *r, const char *name)
{
	record_reset(r, 0);
	record_str(r, "record", name);
}

static void decision_fields(struct record *r, const struct replay_decision *d)
{
	char buf[16];

	record_str(r, "verdict", d->rule >= 0 ? "allow" : "deny");
	record_printf(r, "reason", "%s", event_reason_name(d->reason, buf));
	if (d->rule >= 0) {
		record_hex32(r, "rule", d->rule_id);
		record_u64(r, "line", d->line);
	}
}

static const char *status_name(uint8_t status)
{
	switch (status) {
	case SGW_L7_MATCH:	return "match";
	case SGW_L7_NEED_MORE:	return "need-more";
	case SGW_L7_MALFORMED:	return "malformed";
	default:		return "not-this";
	}
}

static const char *l7_reason_name(uint8_t reason)
{
	switch (reason) {
	case SGW_L7_R_LENGTH:		return "length";
	case SGW_L7_R_SYNTAX:		return "syntax";
	case SGW_L7_R_LIMIT:		return "limit";
	case SGW_L7_R_DUPLICATE:	return "duplicate";
	case SGW_L7_R_POINTER:		return "pointer";
	case SGW_L7_R_DIRECTION:	return "direction";
	default:			return "none";
	}
}

/* app, its classification and the fields a rule may ask about. */
static void l7_fields(struct record *r, const struct sgw_l7_result *res)
{
	unsigned int i;

	if (res->status != SGW_L7_MATCH) {
		record_str(r, "app", "unclassified");
		record_str(r, "l7", status_name(res->status));
		if (res->status == SGW_L7_MALFORMED) {
			record_str(r, "l7_app", sgw_l7_app_name(res->app));
			record_str(r, "l7_reason", l7_reason_name(res->reason));
		}
		return;
	}
	record_str(r, "app", sgw_l7_app_name(res->app));
	record_str(r, "l7", "match");
	switch (res->app) {
	case SGW_APP_HTTP:
		if (res->http.flags & SGW_L7_HTTP_F_HOST)
			record_bytes(r, "host", res->http.host,
				     res->http.host_len);
		record_bytes(r, "method", res->http.method,
			     res->http.method_len);
		record_bytes(r, "path", res->http.path, res->http.path_len);
		if (res->http.flags & SGW_L7_HTTP_F_PATH_AMBIGUOUS)
			record_u64(r, "path_ambiguous", 1);
		break;
	case SGW_APP_TLS:
		if (res->tls.flags & SGW_L7_TLS_F_SNI)
			record_bytes(r, "sni", res->tls.sni, res->tls.sni_len);
		for (i = 0; i < res->tls.alpn_count && i < SGW_L7_TLS_ALPN_MAX;
		     i++)
			record_list(r, "alpn", res->tls.alpn[i],
				    res->tls.alpn_len[i] < SGW_L7_TLS_ALPN_LEN_MAX ?
				    res->tls.alpn_len[i] :
				    SGW_L7_TLS_ALPN_LEN_MAX);
		if (res->tls.flags & SGW_L7_TLS_F_ALPN_TRUNC)
			record_u64(r, "alpn_count", res->tls.alpn_count);
		if (res->tls.flags & SGW_L7_TLS_F_ECH)
			record_u64(r, "ech", 1);
		break;
	case SGW_APP_DNS:
		for (i = 0; i < res->dns.qdcount &&
			    i < SGW_L7_DNS_QUESTIONS_MAX; i++)
			record_list(r, "qname", res->dns.q[i].name,
				    res->dns.q[i].name_len);
		if (res->dns.opcode)
			record_u64(r, "opcode", res->dns.opcode);
		break;
	case SGW_APP_SSH:
		record_bytes(r, "software", res->ssh.software,
			     res->ssh.software_len);
		if (res->ssh.comments_len)
			record_bytes(r, "comments", res->ssh.comments,
				     res->ssh.comments_len);
		break;
	}
}

void flow_record(struct record *r, const struct pf_flow *f,
		 const struct flow_verdict *v, const struct policy *p)
{
	char t[32];

	replay_record_begin(r, "flow");
	record_u64(r, "flow", f->index);
	record_printf(r, "time", "%s", time_str(f->first_ns, t));
	record_proto(r, f->proto);
	record_addr(r, "src", f->family, f->addr[0]);
	record_u64(r, "sport", f->port[0]);
	record_addr(r, "dst", f->family, f->addr[1]);
	record_u64(r, "dport", f->port[1]);
	if (v->decided) {
		record_segment(r, "src_seg", p, v->d.src_seg);
		record_segment(r, "dst_seg", p, v->d.dst_seg);
		decision_fields(r, &v->d);
		record_str(r, "decided", v->by_l7 ? "l7" : "l4");
	}
	if (v->classified)
		l7_fields(r, &v->res);
	else
		record_str(r, "app", "none");
	if (f->proto == IPPROTO_TCP) {
		record_u64(r, "l7_bytes", v->l7_bytes);
		record_u64(r, "l7_pkts", v->l7_packets);
		if (f->gap)
			record_u64(r, "stream_gap", 1);
		if (f->segs_ignored)
			record_u64(r, "segs_ignored", f->segs_ignored);
	}
	if (f->proto == IPPROTO_UDP) {
		record_u64(r, "datagrams", f->ndgrams);
		if (v->by_l7)
			record_u64(r, "datagrams_denied", v->dgrams_denied);
	}
	record_u64(r, "client_bytes", f->client_payload);
	if (f->pkts_cut)
		record_u64(r, "pkts_cut", f->pkts_cut);
	record_u64(r, "pkts_orig", f->packets[0]);
	record_u64(r, "bytes_orig", f->bytes[0]);
	record_u64(r, "pkts_reply", f->packets[1]);
	record_u64(r, "bytes_reply", f->bytes[1]);
	record_u64(r, "duration_ms", (f->last_ns - f->first_ns) / 1000000);
}

void datagram_record(struct record *r, const struct pf_flow *f,
		     const struct dgram_verdict *dv)
{
	char t[32];

	replay_record_begin(r, "datagram");
	record_u64(r, "flow", f->index);
	record_u64(r, "datagram", dv->index);
	record_printf(r, "time", "%s", time_str(dv->time_ns, t));
	if (dv->decided) {
		decision_fields(r, &dv->d);
		record_str(r, "decided", "l7");
	}
	l7_fields(r, &dv->res);
	record_u64(r, "bytes", f->dgrams[dv->index - 1].len);
}
