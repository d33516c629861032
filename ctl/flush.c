// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl flush: replace the policy with an empty one (deny all on the hooks
 * in force).
 */
#include "output.h"
#include "subcommands.h"

int flush_main(int argc, const char *argv[])
{
	struct sgw_nl *nl;
	int ret;

	if (wants_help(argc, argv))
		return 0;
	if (argc != 1) {
		complain("unexpected argument \"%s\"", argv[1]);
		show_usage(argv[0]);
		return 1;
	}
	nl = open_module();
	if (!nl)
		return 1;
	ret = sgw_nl_flush(nl);
	if (ret)
		complain_nl(nl, ret, "flushing the policy");
	sgw_nl_close(nl);
	return ret ? 1 : 0;
}
