// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl version: sgctl's own version, and the module's when it is loaded.
 */
#include <errno.h>
#include <stdio.h>

#include "output.h"
#include "subcommands.h"

#ifndef SGCTL_VERSION
#define SGCTL_VERSION "unknown"
#endif

int version_main(int argc, const char *argv[])
{
	struct sgw_status st;
	struct sgw_nl *nl;
	int ret;

	if (wants_help(argc, argv))
		return 0;
	if (stray_arguments(argc, argv))
		return 1;
	printf("sgctl %s\n", SGCTL_VERSION);
	ret = sgw_nl_open(&nl);
	if (ret == -ENOENT) {
		printf("sgw module: not loaded\n");
		return 0;
	}
	if (ret) {
		complain_nl(NULL, ret, "opening a generic netlink socket");
		return 1;
	}
	ret = sgw_nl_status(nl, &st);
	if (ret)
		complain_nl(nl, ret, "reading the module's version");
	else
		printf("sgw module %s\n", st.version[0] ? st.version : "unknown");
	sgw_nl_close(nl);
	return ret ? 1 : 0;
}
