// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl flush: replace the policy with an empty one (deny all on the hooks
 * in force).
 * sgctl reset: remove policy, hooks and flows from this network namespace.
 *
 * Both are one request with no argument; only the request differs.
 */
#include "output.h"
#include "subcommands.h"

static int run_bare(int argc, const char *argv[],
		    int (*request)(struct sgw_nl *nl), const char *doing)
{
	struct sgw_nl *nl;
	int ret;

	if (wants_help(argc, argv))
		return 0;
	if (stray_arguments(argc, argv))
		return 1;
	nl = open_module();
	if (!nl)
		return 1;
	ret = request(nl);
	if (ret)
		complain_nl(nl, ret, doing);
	sgw_nl_close(nl);
	return ret ? 1 : 0;
}

int flush_main(int argc, const char *argv[])
{
	return run_bare(argc, argv, sgw_nl_flush, "flushing the policy");
}

int reset_main(int argc, const char *argv[])
{
	return run_bare(argc, argv, sgw_nl_reset, "resetting sgw");
}
