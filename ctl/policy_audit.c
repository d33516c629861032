// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The rules of a live policy worth a second look (policy_audit.h). Only
 * what the module lets us observe is judged: counters that live as long as
 * the rule, and the flows in the flow table now. Ports a rule's ended
 * flows used are gone with them, so "fewer ports than allowed" is a
 * statement about the flows still in the table, and says so.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy_audit.h"
#include "policy_lex.h"
#include "../kmod/core/l7/rule.h"

/* Administrative services: remote shells and desktops, container and
 * cluster control planes. TCP; in increasing order, as printed.
 */
static const uint16_t admin_ports[] = {
	22,	/* ssh */
	23,	/* telnet */
	2375,	/* docker, plain */
	3389,	/* rdp */
	5900,	/* vnc */
	6443,	/* kubernetes api */
	10250,	/* kubelet */
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const kind_names[__AUDIT_KIND_MAX] = {
	[AUDIT_NEVER_HIT]	= "never-hit",
	[AUDIT_STALE]		= "stale",
	[AUDIT_BROAD]		= "broad",
	[AUDIT_UNUSED_PORTS]	= "unused-ports",
	[AUDIT_ADMIN_PORT]	= "admin-port",
};

const char *audit_kind_name(enum audit_kind kind)
{
	return (unsigned int)kind < __AUDIT_KIND_MAX ? kind_names[kind] : "?";
}

const char *hit_time_str(uint64_t secs, char buf[32])
{
	time_t t = (time_t)secs;
	struct tm tm;

	if (t < 0 || (uint64_t)t != secs || !gmtime_r(&t, &tm) ||
	    snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec) >= 32)
		snprintf(buf, 32, "?");
	return buf;
}

/* A string built with stdio: open, print, close. */
struct text {
	FILE	*f;
	char	*s;
	size_t	len;
};

static int text_open(struct text *t)
{
	t->s = NULL;
	t->len = 0;
	t->f = open_memstream(&t->s, &t->len);
	return t->f ? 0 : -ENOMEM;
}

/* The string, or NULL when anything failed (out of memory). */
static char *text_close(struct text *t)
{
	bool bad = ferror(t->f);

	if (fclose(t->f) || bad) {
		free(t->s);
		return NULL;
	}
	return t->s;
}

static void put_side(FILE *f, const struct policy *p, const uint16_t *ids,
		     size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *name = policy_segment_name(p, ids[i]);

		fputs(i ? ", " : "", f);
		if (name)
			fputs(name, f);
		else
			fprintf(f, "#%u", ids[i]);
	}
}

static void put_ports(FILE *f, const struct sgw_port_range *ports, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		fputs(i ? ", " : "", f);
		if (ports[i].lo == ports[i].hi)
			fprintf(f, "%u", ports[i].lo);
		else
			fprintf(f, "%u-%u", ports[i].lo, ports[i].hi);
	}
}

static bool is_name_field(unsigned int f)
{
	return f == SGW_L7_FIELD_HOST || f == SGW_L7_FIELD_SNI ||
	       f == SGW_L7_FIELD_QNAME;
}

/* " app NAME FIELD P, P ... FLAG", as policy_print writes it, unwrapped. */
static void put_app(FILE *f, const struct sgw_l7_rule *l7)
{
	const char *app = policy_word_name(policy_apps, POLICY_NAPPS,
					   sgw_l7_rule_app(l7));
	const struct sgw_l7_pattern *set;
	unsigned int i, j, n;

	fprintf(f, " app %s", app ? app : "?");
	for (i = 0; i < POLICY_NL7_FIELDS; i++) {
		unsigned int field = policy_l7_fields[i].value;

		set = sgw_l7_rule_patterns(l7, field, &n);
		if (!n)
			continue;
		fprintf(f, " %s ", policy_l7_fields[i].name);
		for (j = 0; j < n; j++)
			/* A name that is a keyword ("nosni") keeps the
			 * trailing dot the parser drops again.
			 */
			fprintf(f, "%s%.*s%s", j ? ", " : "",
				(int)set[j].len, set[j].str,
				is_name_field(field) &&
				policy_l7_keyword(set[j].str, set[j].len) ?
				"." : "");
	}
	for (i = 0; i < POLICY_NL7_FLAGS; i++)
		if (sgw_l7_rule_flags(l7) & policy_l7_flags[i].value)
			fprintf(f, " %s", policy_l7_flags[i].name);
}

char *policy_rule_text(const struct policy *p, const struct policy_rule *r)
{
	struct text t;

	if (text_open(&t))
		return NULL;
	fputs("allow ", t.f);
	put_side(t.f, p, r->srcs, r->nsrcs);
	fputs(" -> ", t.f);
	put_side(t.f, p, r->dsts, r->ndsts);
	if (r->proto != SGW_PROTO_ANY) {
		const char *name = policy_word_name(policy_protos,
						    POLICY_NPROTOS, r->proto);

		if (name)
			fprintf(t.f, " %s", name);
		else
			fprintf(t.f, " proto-%u", r->proto);
	}
	if (r->nports) {
		fputc(' ', t.f);
		put_ports(t.f, r->ports, r->nports);
	}
	if (r->l7)
		put_app(t.f, r->l7);
	return text_close(&t);
}

/* A port a flow of a rule used, and how many flows used it. */
struct port_use {
	uint32_t	rule;
	uint16_t	port;
	uint32_t	flows;
};

static int by_rule_port(const void *a, const void *b)
{
	const struct port_use *x = a, *y = b;

	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return x->port < y->port ? -1 : x->port > y->port;
}

/*
 * Flows the rule allowed, still in the table. Pending flows are not
 * allowed yet, denied ones never were; a revoked flow was allowed and
 * carried traffic until it was cut.
 */
static bool counts(const struct sgw_flow *f)
{
	switch (f->state) {
	case SGW_FLOW_S_OPEN:
	case SGW_FLOW_S_ESTABLISHED:
	case SGW_FLOW_S_CLOSING:
	case SGW_FLOW_S_REVOKED:
		return true;
	default:
		return false;
	}
}

static bool has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP;
}

/*
 * The (rule, destination port) pairs of the flows, sorted, each once with
 * its count of flows; flows without ports (ICMP) count under port 0, so
 * that every rule with a flow in the table has an entry.
 */
static int port_uses(const struct sgw_flow *flows, size_t nflows,
		     struct port_use **out, size_t *nout)
{
	struct port_use *u;
	size_t i, n = 0;

	*out = NULL;
	*nout = 0;
	if (!nflows)
		return 0;
	u = calloc(nflows, sizeof(*u));
	if (!u)
		return -ENOMEM;
	for (i = 0; i < nflows; i++) {
		if (!counts(&flows[i]))
			continue;
		u[n].rule = flows[i].rule;
		u[n].port = has_ports(flows[i].proto) ? flows[i].dport : 0;
		u[n].flows = 1;
		n++;
	}
	qsort(u, n, sizeof(*u), by_rule_port);
	for (i = 0, *nout = 0; i < n; i++) {
		if (*nout && u[*nout - 1].rule == u[i].rule &&
		    u[*nout - 1].port == u[i].port)
			u[*nout - 1].flows++;
		else
			u[(*nout)++] = u[i];
	}
	*out = u;
	return 0;
}

/* The entries of rule @id: *@count of them from the returned one. */
static const struct port_use *uses_of(const struct port_use *u, size_t n,
				      uint32_t id, size_t *count)
{
	size_t lo = 0, hi = n, end;

	*count = 0;
	if (!n)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (u[mid].rule < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < n && u[end].rule == id; end++)
		;
	*count = end - lo;
	return u + lo;
}

/* Ports the rule allows, 65536 for all; ranges do not overlap. */
static uint32_t port_count(const struct policy_rule *r)
{
	uint32_t n = 0;
	size_t i;

	if (!r->nports)
		return 65536;
	for (i = 0; i < r->nports; i++)
		if (r->ports[i].hi >= r->ports[i].lo)
			n += r->ports[i].hi - r->ports[i].lo + 1;
	return n;
}

static bool allows_port(const struct policy_rule *r, uint16_t port)
{
	size_t i;

	if (!r->nports)
		return true;
	for (i = 0; i < r->nports; i++)
		if (r->ports[i].lo <= port && port <= r->ports[i].hi)
			return true;
	return false;
}

static bool has_seg(const uint16_t *ids, size_t n, uint16_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static bool is_named(uint16_t id)
{
	return id != SGW_SEG_WORLD && id <= SGW_SEG_ID_MAX;
}

struct auditor {
	const struct policy		*p;
	const struct audit_options	*opt;
	struct audit_report		*report;
	size_t				cap;
};

/* Add the finding @t holds for rule @i; @t is closed either way. */
static int add(struct auditor *a, size_t i, enum audit_kind kind,
	       struct text *t)
{
	struct audit_report *rep = a->report;
	char *s = text_close(t);

	if (!s)
		return -ENOMEM;
	if (rep->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		void *grown = reallocarray(rep->findings, cap,
					   sizeof(*rep->findings));

		if (!grown) {
			free(s);
			return -ENOMEM;
		}
		rep->findings = grown;
		a->cap = cap;
	}
	rep->findings[rep->n++] = (struct audit_finding){
		.rule = i, .kind = kind, .text = s,
	};
	return 0;
}

static int audit_use(struct auditor *a, size_t i, const struct sgw_counters *c,
		     size_t nlive)
{
	uint64_t age, limit = (uint64_t)a->opt->days * AUDIT_SECONDS_PER_DAY;
	char when[32];
	struct text t;

	if (!c || !c->present)
		return 0;	/* nothing known of its use */
	if (!c->flows) {
		if (text_open(&t))
			return -ENOMEM;
		fputs("never hit since it was loaded", t.f);
		return add(a, i, AUDIT_NEVER_HIT, &t);
	}
	/*
	 * The last hit is when the rule last allowed a flow or saw one end:
	 * a flow open for longer than --days leaves it old, so a rule with a
	 * flow in the table is in use whatever it says.
	 */
	if (!a->opt->days || !c->last_hit || nlive ||
	    a->opt->now <= c->last_hit)
		return 0;
	age = a->opt->now - c->last_hit;
	if (age <= limit)
		return 0;
	if (text_open(&t))
		return -ENOMEM;
	fprintf(t.f, "not hit for %llu days (last hit %s)",
		(unsigned long long)(age / AUDIT_SECONDS_PER_DAY),
		hit_time_str(c->last_hit, when));
	return add(a, i, AUDIT_STALE, &t);
}

/*
 * Every protocol, or every port of tcp or udp with no app clause: the
 * rule does not narrow what may pass. ICMP rules are as narrow as the
 * language goes.
 */
static const char *unrestricted(const struct policy_rule *r)
{
	if (r->proto == SGW_PROTO_ANY)
		return "every protocol";
	if (r->l7 || port_count(r) < 65536)
		return NULL;
	if (r->proto == IPPROTO_TCP)
		return "every tcp port";
	if (r->proto == IPPROTO_UDP)
		return "every udp port";
	return NULL;
}

static int audit_broad(struct auditor *a, size_t i)
{
	const struct policy_rule *r = &a->p->rules[i];
	const char *scope = unrestricted(r);
	bool src_any = has_seg(r->srcs, r->nsrcs, SGW_SEG_ANY);
	bool dst_any = has_seg(r->dsts, r->ndsts, SGW_SEG_ANY);
	bool world_in = !src_any && has_seg(r->srcs, r->nsrcs, SGW_SEG_WORLD);
	size_t j, named = 0;
	struct text t;

	for (j = 0; world_in && j < r->ndsts; j++)
		named += is_named(r->dsts[j]);
	if (!scope || (!src_any && !dst_any && !named))
		return 0;
	if (text_open(&t))
		return -ENOMEM;
	fputs("allows ", t.f);
	if (src_any && dst_any) {
		fputs("any source to any destination", t.f);
	} else if (src_any) {
		fputs("any source", t.f);
	} else if (dst_any) {
		fputs("any destination", t.f);
	} else {
		fprintf(t.f, "world to internal segment%s ",
			named > 1 ? "s" : "");
		for (j = 0, named = 0; j < r->ndsts; j++) {
			const char *name;

			if (!is_named(r->dsts[j]))
				continue;
			name = policy_segment_name(a->p, r->dsts[j]);
			fputs(named++ ? ", " : "", t.f);
			if (name)
				fputs(name, t.f);
			else
				fprintf(t.f, "#%u", r->dsts[j]);
		}
	}
	fprintf(t.f, " on %s", scope);
	return add(a, i, AUDIT_BROAD, &t);
}

/* "carried traffic on ports 5432 only, allows 5000-6000 (...)" */
static int audit_ports(struct auditor *a, size_t i,
		       const struct port_use *use, size_t nuse)
{
	const struct policy_rule *r = &a->p->rules[i];
	uint32_t flows = 0;
	struct text t;
	size_t j;

	if (!has_ports(r->proto) || !nuse || nuse > AUDIT_FEW_PORTS ||
	    nuse >= port_count(r))
		return 0;
	if (text_open(&t))
		return -ENOMEM;
	fputs("carried traffic on ports ", t.f);
	for (j = 0; j < nuse; j++) {
		fprintf(t.f, "%s%u", j ? ", " : "", use[j].port);
		flows += use[j].flows;
	}
	fputs(" only, allows ", t.f);
	if (r->nports)
		put_ports(t.f, r->ports, r->nports);
	else
		fputs("every port", t.f);
	fprintf(t.f, " (%u flow%s in the flow table)", flows,
		flows == 1 ? "" : "s");
	return add(a, i, AUDIT_UNUSED_PORTS, &t);
}

static int audit_admin(struct auditor *a, size_t i)
{
	const struct policy_rule *r = &a->p->rules[i];
	size_t j, n = 0;
	struct text t;

	if (r->proto != IPPROTO_TCP && r->proto != SGW_PROTO_ANY)
		return 0;
	for (j = 0; j < ARRAY_SIZE(admin_ports); j++)
		n += allows_port(r, admin_ports[j]);
	if (!n)
		return 0;
	if (text_open(&t))
		return -ENOMEM;
	fprintf(t.f, "allows administrative port%s ", n > 1 ? "s" : "");
	for (j = 0, n = 0; j < ARRAY_SIZE(admin_ports); j++)
		if (allows_port(r, admin_ports[j]))
			fprintf(t.f, "%s%u", n++ ? ", " : "", admin_ports[j]);
	/* There is no expiry in the language yet: every grant is forever. */
	fputs("; grants without expiry are permanent", t.f);
	return add(a, i, AUDIT_ADMIN_PORT, &t);
}

int audit_policy(const struct policy *p, const struct sgw_counters *counters,
		 const struct sgw_flow *flows, size_t nflows,
		 const struct audit_options *opt, struct audit_report *report)
{
	struct auditor a = { .p = p, .opt = opt, .report = report };
	struct port_use *uses;
	size_t nuses, i;
	int ret;

	memset(report, 0, sizeof(*report));
	ret = port_uses(flows, nflows, &uses, &nuses);
	for (i = 0; !ret && i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];
		size_t nuse;
		const struct port_use *use = uses_of(uses, nuses, r->id, &nuse);

		ret = audit_use(&a, i, counters ? &counters[i] : NULL, nuse) ?:
		      audit_broad(&a, i) ?:
		      audit_ports(&a, i, use, nuse) ?:
		      audit_admin(&a, i);
	}
	free(uses);
	if (ret)
		audit_report_free(report);
	return ret;
}

void audit_report_free(struct audit_report *report)
{
	size_t i;

	for (i = 0; i < report->n; i++)
		free(report->findings[i].text);
	free(report->findings);
	memset(report, 0, sizeof(*report));
}
