/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SGW_NETLINK_H
#define SGW_NETLINK_H

int sgw_netlink_init(void);
void sgw_netlink_uninit(void);

#endif /* SGW_NETLINK_H */
