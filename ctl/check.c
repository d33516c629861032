// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl check FILE: parse and validate only; no module, no privileges.
 */
#include <stdio.h>

#include "output.h"
#include "subcommands.h"

int check_main(int argc, const char *argv[])
{
	struct policy p;

	if (wants_help(argc, argv))
		return 0;
	if (argc != 2) {
		show_usage(argv[0]);
		return 1;
	}
	if (read_policy(argv[1], &p))
		return 1;
	printf("%s: ok: %zu segments, %zu rules\n", policy_path_name(argv[1]),
	       p.nsegments, p.nrules);
	policy_free(&p);
	return 0;
}
