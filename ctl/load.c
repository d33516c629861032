// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl load FILE: parse, then send the policy as one transaction. Nothing
 * is sent when the file does not parse; anything the module refuses is
 * reported against the line it came from, and the transaction aborted.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "subcommands.h"

static void report(const char *file, const struct policy *p,
		   const struct sgw_load_error *why)
{
	const struct nlmsg_origin *o = &why->origin;
	const char *reason = strerror(-why->err);
	char detail[NLMSG_EXTACK_MAX + 64];

	if (why->msg[0])
		snprintf(detail, sizeof(detail), "%s (%s)", why->msg, reason);
	else
		snprintf(detail, sizeof(detail), "%s", reason);

	if (why->err == -EPERM || why->err == -EACCES) {
		complain("loading a policy needs CAP_NET_ADMIN in this network namespace (%s)",
			 reason);
		return;
	}
	if (why->err == -E2BIG && why->at_origin && !why->msg[0]) {
		fprintf(stderr, "%s:%u: rule too large to send in one message\n",
			file, o->line);
		return;
	}
	if (why->commit) {
		fprintf(stderr, "%s: kernel refused to commit the policy: %s\n",
			file, detail);
		return;
	}
	if (!why->at_origin) {
		fprintf(stderr, "%s: loading failed: %s\n", file, detail);
		return;
	}
	switch (o->kind) {
	case NLMSG_ORIGIN_BEGIN:
		if (why->err == -EBUSY && !why->msg[0])
			snprintf(detail, sizeof(detail),
				 "another sgctl is loading a policy (%s)",
				 reason);
		fprintf(stderr, "%s: kernel refused to begin the transaction: %s\n",
			file, detail);
		break;
	case NLMSG_ORIGIN_SEGMENT:
		fprintf(stderr, "%s:%u: kernel refused segment \"%s\": %s\n",
			file, o->line, p->segments[o->index].name, detail);
		break;
	case NLMSG_ORIGIN_RULE:
	case NLMSG_ORIGIN_DELETE:	/* only updates delete */
		fprintf(stderr, "%s:%u: kernel refused rule: %s\n",
			file, o->line, detail);
		break;
	}
}

int load_main(int argc, const char *argv[])
{
	struct sgw_load_error why;
	struct policy p;
	struct sgw_nl *nl;
	uint32_t generation = 0;
	int ret;

	if (wants_help(argc, argv))
		return 0;
	if (argc != 2) {
		show_usage(argv[0]);
		return 1;
	}
	if (read_policy(argv[1], &p))
		return 1;
	nl = open_module();
	if (!nl) {
		policy_free(&p);
		return 1;
	}
	ret = sgw_nl_load(nl, &p, &generation, &why);
	if (ret)
		report(policy_path_name(argv[1]), &p, &why);
	else
		printf("loaded generation %u: %zu segments, %zu rules\n",
		       generation, p.nsegments, p.nrules);
	sgw_nl_close(nl);
	policy_free(&p);
	return ret ? 1 : 0;
}
