// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl replay FILE [--policy POLICY] [--json]: the flows of a capture,
 * classified, and decided by a policy as the module would decide them,
 * before that policy is loaded. No module and no privileges needed.
 * pcapflow.c reads the capture, decide.c decides and describes each flow;
 * here are the options, the order of the records and the exit status.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "decide.h"
#include "output.h"
#include "pcapflow.h"
#include "subcommands.h"

struct replay_totals {
	uint64_t	allowed;
	uint64_t	denied;
	uint64_t	dgrams_denied;
};

static int emit(const struct record *r, bool json)
{
	struct json_object *o;
	const char *s;
	char *text;
	int ret = 0;

	if (json) {
		o = record_json(r);
		s = o ? json_object_to_json_string_ext(o,
				JSON_C_TO_STRING_PLAIN |
				JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;
		if (!s || printf("%s\n", s) < 0)
			ret = -1;
		json_object_put(o);
		return ret;
	}
	text = record_text(r);
	if (!text || printf("%s\n", text) < 0)
		ret = -1;
	free(text);
	return ret;
}

static int replay_flows(const struct pf_capture *c, const struct decider *d,
			const struct policy *p, bool json,
			struct replay_totals *tot)
{
	struct dgram_verdict dv;
	struct flow_verdict v;
	struct record r;
	size_t i, j;
	int ret = 0;

	for (i = 0; i < c->nflows && !ret; i++) {
		const struct pf_flow *f = c->flows[i];

		decide_flow(d, f, &v);
		if (v.decided && v.d.rule >= 0)
			tot->allowed++;
		else if (v.decided)
			tot->denied++;
		tot->dgrams_denied += v.dgrams_denied;
		flow_record(&r, f, &v, p);
		ret = emit(&r, json);
		for (j = 1; j < f->ndgrams && !ret; j++) {
			if (!decide_datagram(d, f, &v, j, &dv))
				continue;
			datagram_record(&r, f, &dv);
			ret = emit(&r, json);
		}
	}
	if (ret)
		complain("cannot write the output: %s", strerror(errno));
	return ret;
}

static const char *const skip_keys[__PF_SKIP_MAX] = {
	[PF_SKIP_TRUNCATED]	= "skipped_truncated",
	[PF_SKIP_MALFORMED]	= "skipped_malformed",
	[PF_SKIP_FRAGMENT]	= "skipped_fragment",
	[PF_SKIP_NOT_IP]	= "skipped_not_ip",
	[PF_SKIP_ICMP_ERROR]	= "skipped_icmp_error",
	[PF_SKIP_LOCAL_CONTROL]	= "skipped_local_control",
};

static int summary(const struct pf_capture *c, bool decided,
		   const struct replay_totals *tot, bool json)
{
	uint64_t skipped = 0;
	struct record r;
	int i;

	for (i = 0; i < __PF_SKIP_MAX; i++)
		skipped += c->skipped[i];
	replay_record_begin(&r, "summary");
	record_str(&r, "linktype", c->linktype_name);
	record_u64(&r, "packets", c->packets);
	record_u64(&r, "flows", c->nflows);
	if (decided) {
		record_u64(&r, "allowed", tot->allowed);
		record_u64(&r, "denied", tot->denied);
		record_u64(&r, "datagrams_denied", tot->dgrams_denied);
	}
	record_u64(&r, "skipped", skipped);
	for (i = 0; i < __PF_SKIP_MAX; i++)
		record_u64(&r, skip_keys[i], c->skipped[i]);
	record_str(&r, "capture", c->incomplete ? "incomplete" : "complete");
	if (emit(&r, json)) {
		complain("cannot write the output: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static const char *decider_error(int err)
{
	switch (err) {
	case -EEXIST:
		return "the same prefix is in two segments";
	case -E2BIG:
		return "the policy's tables would be larger than the module allows";
	case -ENOMEM:
		return "out of memory";
	default:
		return strerror(-err);
	}
}

int replay_main(int argc, const char *argv[])
{
	const char *capture = NULL, *policy_path = NULL;
	struct replay_totals tot = { 0 };
	struct decider *d = NULL;
	struct pf_capture c;
	struct policy p;
	bool json = false;
	int i, ret = 1;

	if (wants_help(argc, argv))
		return 0;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--policy") && i + 1 < argc &&
			   !policy_path) {
			policy_path = argv[++i];
		} else if ((argv[i][0] != '-' || !strcmp(argv[i], "-")) &&
			   !capture) {
			capture = argv[i];
		} else {
			show_usage(argv[0]);
			return 1;
		}
	}
	if (!capture || (policy_path && !strcmp(policy_path, "-") &&
			 !strcmp(capture, "-"))) {
		show_usage(argv[0]);
		return 1;
	}
	memset(&p, 0, sizeof(p));
	if (policy_path) {
		if (read_policy(policy_path, &p))
			return 1;
		ret = decider_build(&p, &d);
		if (ret) {
			complain("%s: cannot build its tables: %s",
				 policy_path_name(policy_path),
				 decider_error(ret));
			policy_free(&p);
			return 1;
		}
	}
	if (pcapflow_read_file(capture, &c)) {
		complain("cannot read the capture \"%s\": %s",
			 strcmp(capture, "-") ? capture : "<stdin>", c.error);
		ret = 1;
		goto out;
	}
	ret = 1;
	if (replay_flows(&c, d, &p, json, &tot) ||
	    summary(&c, d != NULL, &tot, json) || fflush(stdout))
		goto out_capture;
	if (c.incomplete) {
		complain("%s: the capture ends inside a packet after %llu packets (%s): the flows above are what came before",
			 strcmp(capture, "-") ? capture : "<stdin>",
			 (unsigned long long)c.packets, c.error);
		goto out_capture;
	}
	ret = 0;
out_capture:
	pcapflow_free(&c);
out:
	decider_free(d);
	policy_free(&p);
	return ret;
}
