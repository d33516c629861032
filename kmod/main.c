// SPDX-License-Identifier: GPL-2.0
/*
 * sgw: zero-trust segmentation gateway.
 *
 * Init order follows dependencies: caches, then per-namespace state, then
 * generic netlink last so that no request can arrive before the state it
 * touches exists; exit in exact reverse.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include "event.h"
#include "flow.h"
#include "netns.h"
#include "netlink.h"
#include "version.h"
#include "uapi/linux/sgw.h"

static int __init sgw_init(void)
{
	int ret;

	ret = sgw_flow_init();
	if (ret)
		return ret;
	ret = sgw_event_init();
	if (ret)
		goto err_event;
	ret = sgw_netns_init();
	if (ret)
		goto err_netns;
	ret = sgw_netlink_init();
	if (ret)
		goto err_netlink;
	pr_info("sgw %s loaded\n", SGW_VERSION);
	return 0;

err_netlink:
	sgw_netns_uninit();
err_netns:
	sgw_event_uninit();
err_event:
	sgw_flow_uninit();
	return ret;
}

static void __exit sgw_exit(void)
{
	sgw_netlink_uninit();
	sgw_netns_uninit();
	sgw_event_uninit();
	sgw_flow_uninit();
}

module_init(sgw_init);
module_exit(sgw_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Zero-trust segmentation gateway");
MODULE_AUTHOR("sgw developers");
MODULE_VERSION(SGW_VERSION);
MODULE_ALIAS_GENL_FAMILY(SGW_GENL_NAME);
