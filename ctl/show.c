// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl show [--json]: the live policy, read back from the module. As text
 * it is policy text that "sgctl load" accepts again, each rule's counters
 * in a comment line above it; as JSON, one object for scripts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "policy_audit.h"
#include "subcommands.h"
#include "../kmod/core/l7/rule.h"

static const char *const hook_names[] = { "forward", "input", "output" };

/* Where each rule starts in printed policy text: 0 when unknown. */
struct placed_rule {
	unsigned int	line;
	size_t		index;
};

static int by_line(const void *a, const void *b)
{
	const struct placed_rule *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

static void counters_comment(const struct sgw_dump *d, size_t i,
			     const char *indent, int indent_len)
{
	const struct policy_rule *r = &d->policy.rules[i];
	const struct sgw_counters *c = &d->counters[i];
	char when[32];

	if (r->line)
		printf("%.*s# rule 0x%08x, loaded from line %u", indent_len,
		       indent, r->id, r->line);
	else
		printf("%.*s# rule 0x%08x, added by \"sgctl rule add\"",
		       indent_len, indent, r->id);
	if (c->present)
		printf(": packets %llu bytes %llu flows %llu",
		       (unsigned long long)c->packets,
		       (unsigned long long)c->bytes,
		       (unsigned long long)c->flows);
	if (c->present && c->first_hit)
		printf(" first_hit %s", hit_time_str(c->first_hit, when));
	if (c->present && c->last_hit)
		printf(" last_hit %s", hit_time_str(c->last_hit, when));
	putchar('\n');
}

/*
 * Which printed line each rule starts on: parse the printed text back (it
 * is the parser's own output) and match rules by their stable ids.
 */
static int place_rules(const struct sgw_dump *d, const char *text, size_t len,
		       struct placed_rule *placed)
{
	struct policy_error perr;
	struct policy back;
	size_t i, j;

	if (policy_parse(text, len, &back, &perr))
		return -1;
	for (i = 0; i < d->policy.nrules; i++) {
		placed[i].index = i;
		placed[i].line = 0;
		/* Same order both ways, so usually j == i. */
		if (i < back.nrules && back.rules[i].id == d->policy.rules[i].id) {
			placed[i].line = back.rules[i].line;
			continue;
		}
		for (j = 0; j < back.nrules; j++)
			if (back.rules[j].id == d->policy.rules[i].id)
				placed[i].line = back.rules[j].line;
	}
	policy_free(&back);
	qsort(placed, d->policy.nrules, sizeof(*placed), by_line);
	return 0;
}

static int print_text(const struct sgw_dump *d)
{
	struct placed_rule *placed;
	size_t len = 0, next = 0, i;
	unsigned int lineno = 1;
	char *text = NULL;
	const char *line;
	FILE *m;
	int ret;

	m = open_memstream(&text, &len);
	if (!m)
		return -errno;
	ret = policy_print(m, &d->policy);
	if (ret)
		ret = -(errno ?: EINVAL);
	if (fclose(m) && !ret)
		ret = -errno;
	placed = calloc(d->policy.nrules + 1, sizeof(*placed));
	if (!ret && !placed)
		ret = -ENOMEM;
	if (ret) {
		complain("cannot print the loaded policy as policy text: %s",
			 strerror(-ret));
		free(placed);
		free(text);
		return ret;
	}

	printf("# sgw policy, generation %u\n", d->status.generation);
	if (place_rules(d, text, len, placed)) {
		/* Cannot happen with a sound parser; keep the counters. */
		fputs(text, stdout);
		for (i = 0; i < d->policy.nrules; i++)
			counters_comment(d, i, "", 0);
		goto out;
	}
	/* Rules the text does not show (placed at line 0) go first. */
	for (line = text; *line; lineno++) {
		const char *eol = strchr(line, '\n');
		size_t n = eol ? (size_t)(eol - line) + 1 : strlen(line);
		int indent = strspn(line, " \t");

		while (next < d->policy.nrules && placed[next].line <= lineno)
			counters_comment(d, placed[next++].index, line, indent);
		fwrite(line, 1, n, stdout);
		line += n;
	}
	while (next < d->policy.nrules)
		counters_comment(d, placed[next++].index, "", 0);
out:
	free(placed);
	free(text);
	return 0;
}

static struct json_object *segment_names(const struct policy *p,
					 const uint16_t *ids, size_t n)
{
	struct json_object *a = json_object_new_array();
	char buf[16];
	size_t i;

	for (i = 0; a && i < n; i++) {
		if (json_push(a, json_object_new_string(
				segment_label(p, ids[i], buf)))) {
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

static struct json_object *hooks_json(uint32_t hooks)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; a && i < sizeof(hook_names) / sizeof(hook_names[0]); i++) {
		if (!(hooks & (1U << i)))
			continue;
		if (json_push(a, json_object_new_string(hook_names[i]))) {
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

static struct json_object *segment_json(const struct policy_segment *s)
{
	struct json_object *o = json_object_new_object();
	struct json_object *prefixes = json_object_new_array();
	char buf[64];
	size_t i;
	int ret = o && prefixes ? 0 : -1;

	for (i = 0; !ret && i < s->nprefixes; i++)
		ret = json_push(prefixes, json_object_new_string(
					prefix_str(&s->prefixes[i], buf)));
	if (!ret)
		ret = json_add(o, "name", json_object_new_string(s->name)) ?:
		      json_add(o, "id", json_object_new_int(s->id)) ?:
		      json_add(o, "prefixes", prefixes);
	else
		json_object_put(prefixes);
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* JSON names of the fields, in enum sgw_l7_field order. */
static const char *const l7_field_names[__SGW_L7_FIELD_MAX] = {
	"host", "method", "path", "sni", "alpn", "qname",
};

static const char *app_name(uint8_t app)
{
	switch (app) {
	case SGW_APP_HTTP:
		return "http";
	case SGW_APP_TLS:
		return "tls";
	case SGW_APP_DNS:
		return "dns";
	case SGW_APP_SSH:
		return "ssh";
	case SGW_APP_UNCLASSIFIED:
		return "unclassified";
	default:
		return "?";
	}
}

static struct json_object *patterns_json(const struct sgw_l7_rule *l7,
					 enum sgw_l7_field f)
{
	struct json_object *a = json_object_new_array();
	const struct sgw_l7_pattern *set;
	unsigned int i, n;

	set = sgw_l7_rule_patterns(l7, f, &n);
	for (i = 0; a && i < n; i++) {
		if (json_push(a, json_object_new_string_len(set[i].str,
							    (int)set[i].len))) {
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

/* JSON null is NULL to json-c, which json_add() takes for out of memory. */
static int add_null(struct json_object *o, const char *key)
{
	return json_object_object_add(o, key, NULL) ? -1 : 0;
}

/*
 * "app": null for an L4 rule; else the app's name, an array for each
 * field the app has (empty when the rule does not ask it) and, for tls,
 * the flags as booleans "nosni" and "ech".
 */
static int app_json(struct json_object *o, const struct sgw_l7_rule *l7)
{
	uint8_t app;
	unsigned int f;
	int ret;

	if (!l7)
		return add_null(o, "app");
	app = sgw_l7_rule_app(l7);
	ret = json_add(o, "app", json_object_new_string(app_name(app)));
	for (f = 0; !ret && f < __SGW_L7_FIELD_MAX; f++)
		if (sgw_l7_field_valid(app, f))
			ret = json_add(o, l7_field_names[f],
				       patterns_json(l7, f));
	if (!ret && app == SGW_APP_TLS) {
		uint32_t flags = sgw_l7_rule_flags(l7);

		ret = json_add(o, "nosni", json_object_new_boolean(
				       flags & SGW_L7_F_NO_SNI)) ?:
		      json_add(o, "ech", json_object_new_boolean(
				       flags & SGW_L7_F_ECH));
	}
	return ret;
}

static struct json_object *rule_json(const struct sgw_dump *d, size_t i)
{
	const struct policy_rule *r = &d->policy.rules[i];
	const struct sgw_counters *c = &d->counters[i];
	struct json_object *o = json_object_new_object();
	struct json_object *ports = json_object_new_array();
	struct json_object *counters = NULL;
	char buf[8], when[32];
	size_t j;
	int ret = o && ports ? 0 : -1;

	for (j = 0; !ret && j < r->nports; j++) {
		struct json_object *range = json_object_new_object();

		ret = range ? 0 : -1;
		if (!ret)
			ret = json_add(range, "lo",
				       json_object_new_int(r->ports[j].lo)) ?:
			      json_add(range, "hi",
				       json_object_new_int(r->ports[j].hi)) ?:
			      json_push(ports, range);
		else
			json_object_put(range);
	}
	if (!ret && c->present) {
		counters = json_object_new_object();
		ret = counters ? 0 : -1;
		if (!ret)
			ret = json_add(counters, "packets",
				       json_object_new_uint64(c->packets)) ?:
			      json_add(counters, "bytes",
				       json_object_new_uint64(c->bytes)) ?:
			      json_add(counters, "flows",
				       json_object_new_uint64(c->flows));
		/* Absent when never hit, as the module sends them. */
		if (!ret && c->first_hit)
			ret = json_add(counters, "first_hit",
				       json_object_new_string(
					       hit_time_str(c->first_hit, when)));
		if (!ret && c->last_hit)
			ret = json_add(counters, "last_hit",
				       json_object_new_string(
					       hit_time_str(c->last_hit, when)));
	}
	if (!ret) {
		ret = json_add(o, "id", json_object_new_int64(r->id)) ?:
		      json_add(o, "line", json_object_new_int64(r->line)) ?:
		      json_add(o, "src", segment_names(&d->policy, r->srcs,
						       r->nsrcs)) ?:
		      json_add(o, "dst", segment_names(&d->policy, r->dsts,
						       r->ndsts)) ?:
		      json_add(o, "proto", json_object_new_string(
					proto_name(r->proto, buf)));
		if (!ret) {
			/* json_add takes the value, added or not. */
			ret = json_add(o, "ports", ports);
			ports = NULL;
		}
		if (!ret)
			ret = app_json(o, r->l7);
		if (!ret && counters) {
			ret = json_add(o, "counters", counters);
			counters = NULL;
		}
	}
	json_object_put(ports);
	json_object_put(counters);
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int print_json(const struct sgw_dump *d)
{
	struct json_object *o = json_object_new_object();
	struct json_object *segments = json_object_new_array();
	struct json_object *rules = json_object_new_array();
	int ret = o && segments && rules ? 0 : -1;
	size_t i;

	for (i = 0; !ret && i < d->policy.nsegments; i++)
		ret = json_push(segments, segment_json(&d->policy.segments[i]));
	for (i = 0; !ret && i < d->policy.nrules; i++)
		ret = json_push(rules, rule_json(d, i));
	if (!ret) {
		ret = json_add(o, "loaded",
			       json_object_new_boolean(d->status.loaded)) ?:
		      json_add(o, "generation",
			       json_object_new_int64(d->status.generation)) ?:
		      json_add(o, "hooks", hooks_json(d->status.hooks)) ?:
		      json_add(o, "flow_max",
			       json_object_new_int64(d->status.flow_max)) ?:
		      (!d->status.has_policy_flags ? add_null(o, "l7_deny") :
		       json_add(o, "l7_deny", json_object_new_string(
				d->status.policy_flags & SGW_POLICY_F_L7_DROP ?
				"drop" : "reset")));
	}
	if (!ret) {
		ret = json_add(o, "segments", segments);
		segments = NULL;
	}
	if (!ret) {
		ret = json_add(o, "rules", rules);
		rules = NULL;
	}
	json_object_put(segments);
	json_object_put(rules);
	if (ret || json_print(o)) {
		if (ret)
			json_object_put(o);
		complain("cannot write the policy as JSON");
		return -1;
	}
	return 0;
}

int show_main(int argc, const char *argv[])
{
	struct sgw_dump d;
	struct sgw_nl *nl;
	bool json;
	int ret;

	if (wants_help(argc, argv))
		return 0;
	if (parse_json_flag(argc, argv, &json))
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
	sgw_nl_close(nl);
	d.policy.hooks = d.status.hooks;
	d.policy.flow_max = d.status.flow_max;
	d.policy.flags = d.status.policy_flags;
	if (json)
		ret = print_json(&d);
	else if (!d.status.loaded)
		printf("no policy loaded\n");
	else
		ret = print_text(&d);
	nlmsg_dump_free(&d);
	return ret ? 1 : 0;
}
