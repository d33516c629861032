/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Stable rule ids: a hash of what a rule means, not of where it is.
 * Internal to ctl/policy*.c.
 */
#ifndef SGCTL_POLICY_ID_H
#define SGCTL_POLICY_ID_H

#include <stddef.h>
#include <stdint.h>
#include "policy.h"

struct policy_keybuf {
	char	*buf;
	size_t	len;
	size_t	cap;
};

/*
 * Set @kb to the canonical meaning of a rule, the text its id hashes:
 *
 *	SRCS ">" DSTS "|" PROTO [ "|" PORTS ] [ "|" APP ]
 *	APP = NAME { " " FIELD "=" PATTERNS } { " " FLAG }
 *
 * SRCS and DSTS are the names ("any" and "world" included) sorted bytewise
 * and joined by ","; PROTO is the IANA number in decimal (0: any); PORTS
 * are the ranges sorted and merged where they touch, as "lo-hi" joined by
 * ",", and left out when they cover 0-65535, which means every port. So
 * "tcp 80-89, 90-99" and "tcp 90-99, 80-89" and "tcp 80-99" mean the same.
 * APP is there only for a rule with an app clause (@l7): the app's name,
 * then each field given, in the order host, method, path, sni, alpn,
 * qname, with its patterns in normal form (names lowercased, without a
 * trailing dot) sorted bytewise and joined by ","; then the flags given,
 * nosni before ech. No pattern holds a space or a ",", so the text is
 * unambiguous. @srcs and @dsts are sorted in place. Returns 0, or -1 out
 * of memory.
 */
int policy_rule_key(struct policy_keybuf *kb, const char **srcs, size_t nsrcs,
		    const char **dsts, size_t ndsts, uint8_t proto,
		    const struct sgw_port_range *ports, size_t nports,
		    const struct sgw_l7_rule *l7);

struct policy_key {
	char	*s;
	size_t	len;
};

/*
 * Give @rules[i] the id of @keys[i], all different: FNV-1a 32 of the key,
 * 0 read as 1. On a collision between different keys, the rules are taken
 * in bytewise order of their keys and the later one gets FNV-1a 32 of its
 * key followed by "#1", "#2"... (the first that is free), so ids depend on
 * the set of rules, never on their order or lines. The keys must differ.
 * Returns 0, or -1 out of memory.
 */
int policy_assign_ids(struct policy_rule *rules, const struct policy_key *keys,
		      size_t n);

#endif /* SGCTL_POLICY_ID_H */
