/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SGW_VERSION_H
#define SGW_VERSION_H

#ifndef SGW_VERSION
#define SGW_VERSION "0.1.0"
#endif

#endif /* SGW_VERSION_H */
