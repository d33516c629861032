/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SGW_HOOKS_H
#define SGW_HOOKS_H

#include <linux/types.h>

struct sgw_net;

/*
 * Register and unregister hook points so that exactly @mask
 * (SGW_HOOK_F_*) is registered. Caller holds sn->lock. Unregistering
 * never fails; on a registration error nothing new stays registered.
 */
int sgw_hooks_set(struct sgw_net *sn, u32 mask);

#endif /* SGW_HOOKS_H */
