// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl audit [--days N] [--json]: the rules of the live policy worth a
 * second look, one finding per line, from the rules' counters and the
 * flows in the flow table. The judging is in policy_audit.c; here the
 * module is read and the findings printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output.h"
#include "policy_audit.h"
#include "subcommands.h"

struct options {
	bool		json;
	unsigned int	days;
};

/* A whole number from 1 to AUDIT_DAYS_MAX, digits only. */
static int parse_days(const char *s, unsigned int *days)
{
	unsigned long n = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (*s - '0');
		if (n > AUDIT_DAYS_MAX)
			return -1;
	}
	if (!n)
		return -1;
	*days = n;
	return 0;
}

static int parse_options(int argc, const char *argv[], struct options *o)
{
	int i;

	*o = (struct options){ 0 };
	for (i = 1; i < argc; i++) {
		const char *opt = argv[i];

		if (!strcmp(opt, "--json")) {
			o->json = true;
		} else if (!strcmp(opt, "--days")) {
			if (i + 1 >= argc) {
				complain("option \"--days\" needs a value");
				goto usage;
			}
			if (parse_days(argv[++i], &o->days)) {
				complain("invalid number of days \"%s\": a whole number from 1 to %u",
					 argv[i], AUDIT_DAYS_MAX);
				goto usage;
			}
		} else {
			if (opt[0] == '-')
				complain("unknown option \"%s\"", opt);
			else
				complain("unexpected argument \"%s\"", opt);
			goto usage;
		}
	}
	return 0;
usage:
	show_usage(argv[0]);
	return -1;
}

/* Each rule's text, made once for all its findings. */
static int rule_texts(const struct policy *p, char ***texts)
{
	size_t i;

	*texts = calloc(p->nrules + 1, sizeof(**texts));
	if (!*texts)
		return -ENOMEM;
	for (i = 0; i < p->nrules; i++) {
		(*texts)[i] = policy_rule_text(p, &p->rules[i]);
		if (!(*texts)[i])
			return -ENOMEM;
	}
	return 0;
}

static void free_texts(char **texts, size_t n)
{
	size_t i;

	for (i = 0; texts && i < n; i++)
		free(texts[i]);
	free(texts);
}

static int print_text(const struct policy *p, const struct audit_report *rep,
		      char **texts)
{
	size_t i;

	if (!rep->n) {
		printf("no findings in %zu rule%s\n", p->nrules,
		       p->nrules == 1 ? "" : "s");
		return 0;
	}
	for (i = 0; i < rep->n; i++) {
		const struct audit_finding *f = &rep->findings[i];
		const struct policy_rule *r = &p->rules[f->rule];

		printf("rule 0x%08x line %u: %s (%s)\n", r->id, r->line,
		       f->text, texts[f->rule]);
	}
	return 0;
}

static struct json_object *finding_json(const struct policy *p,
					const struct audit_finding *f,
					const char *text)
{
	const struct policy_rule *r = &p->rules[f->rule];
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (json_add(o, "id", json_object_new_int64(r->id)) ||
	    json_add(o, "line", json_object_new_int64(r->line)) ||
	    json_add(o, "rule", json_object_new_string(text)) ||
	    json_add(o, "finding", json_object_new_string(f->text)) ||
	    json_add(o, "kind", json_object_new_string(
			     audit_kind_name(f->kind)))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int print_json(const struct policy *p, const struct audit_report *rep,
		      char **texts)
{
	struct json_object *a = json_object_new_array();
	int ret = a ? 0 : -1;
	size_t i;

	for (i = 0; !ret && i < rep->n; i++)
		ret = json_push(a, finding_json(p, &rep->findings[i],
						texts[rep->findings[i].rule]));
	if (ret) {
		json_object_put(a);
		return ret;
	}
	return json_print(a);
}

int audit_main(int argc, const char *argv[])
{
	struct audit_report rep = { 0 };
	struct sgw_flow *flows = NULL;
	struct audit_options opt;
	struct options o;
	struct sgw_dump d;
	struct sgw_nl *nl;
	char **texts = NULL;
	size_t nflows = 0;
	int ret;

	if (wants_help(argc, argv))
		return 0;
	if (parse_options(argc, argv, &o))
		return 1;
	nl = open_module();
	if (!nl)
		return 1;
	ret = sgw_nl_dump_policy(nl, &d);
	if (ret) {
		complain_nl(nl, ret, "reading the policy");
		sgw_nl_close(nl);
		return 1;
	}
	/* Taken after the policy: a flow of a rule since replaced names a
	 * rule id that is not in it, and is left out.
	 */
	ret = sgw_nl_dump_flows(nl, &flows, &nflows);
	if (ret)
		complain_nl(nl, ret, "reading the flows");
	sgw_nl_close(nl);
	if (ret)
		goto out;

	if (!d.status.loaded) {
		if (o.json)
			ret = print_json(&d.policy, &rep, NULL);
		else
			printf("no policy loaded\n");
		if (ret)
			complain("cannot write the findings: out of memory");
		goto out;
	}
	opt = (struct audit_options){ .now = time(NULL), .days = o.days };
	ret = audit_policy(&d.policy, d.counters, flows, nflows, &opt, &rep) ?:
	      rule_texts(&d.policy, &texts);
	if (!ret)
		ret = o.json ? print_json(&d.policy, &rep, texts)
			     : print_text(&d.policy, &rep, texts);
	if (ret)
		complain("cannot write the findings: out of memory");
out:
	free_texts(texts, d.policy.nrules);
	audit_report_free(&rep);
	free(flows);
	nlmsg_dump_free(&d);
	return ret ? 1 : 0;
}
