/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Application-layer classification of a flow's first client bytes: which
 * of the known protocols it is, and the fields a rule may ask about.
 *
 * The kernel holds a flow's client->server bytes, up to SGW_L7_PREFIX_MAX
 * for TCP, and calls sgw_l7_classify() on the whole prefix each time more
 * arrive, or once per datagram for UDP. It keeps calling while the answer
 * is NEED_MORE; a buffer of SGW_L7_PREFIX_MAX bytes always gets another
 * answer. Each call reads each byte a bounded number of times, and tries
 * at most two classifiers, chosen by the first byte and the port.
 *
 * The app is the ABI's enum sgw_app (SGW_APP_*). A rule "app X" with no
 * fields needs app == X and status == MATCH; its fields then use the
 * helpers of match.h on the union member of X.
 */
#ifndef SGW_CORE_L7_H
#define SGW_CORE_L7_H

#include "base.h"
#include "../../../include/uapi/linux/sgw.h"
#include "http.h"
#include "tls.h"
#include "dns.h"
#include "ssh.h"

/* Transport of the flow; the values are those of IPPROTO_*. */
enum sgw_l7_l4 {
	SGW_L7_TCP	= 6,
	SGW_L7_UDP	= 17,
};

struct sgw_l7_result {
	u8	app;		/* SGW_APP_*: on MATCH and MALFORMED, else NONE */
	u8	status;		/* enum sgw_l7_status, as returned */
	u8	reason;		/* enum sgw_l7_reason, on MALFORMED */
	union {			/* the member of app, on MATCH */
		struct sgw_l7_http	http;
		struct sgw_l7_tls	tls;
		struct sgw_l7_dns	dns;
		struct sgw_l7_ssh	ssh;
	};
};

/*
 * Classify @len bytes of @l4 traffic to @dport (host order) into @res.
 *
 * TCP: MATCH is the first classifier to match. Otherwise NEED_MORE while
 * one classifier still waits, then MALFORMED (with the app that claimed
 * it), else NOT_THIS. Port 53 tries DNS over TCP first.
 * UDP: DNS on any port; a datagram to a port other than 53 that is not a
 * DNS query is NOT_THIS rather than MALFORMED, for clearer logs.
 */
enum sgw_l7_status sgw_l7_classify(const u8 *data, size_t len, u8 l4,
				   u16 dport, struct sgw_l7_result *res);

/* "http", "tls", ... for logs; "none", "unclassified" or "?" otherwise. */
const char *sgw_l7_app_name(u8 app);

#endif /* SGW_CORE_L7_H */
