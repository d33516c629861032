// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The dispatcher: picks the classifiers a flow's first bytes and port
 * allow, cheapest and likeliest first, and folds their answers into one.
 */
#include "l7.h"

enum {
	PORT_DNS	= 53,
	TLS_HANDSHAKE	= 22,
	TRIES_MAX	= 2,
};

static enum sgw_l7_status attempt(enum sgw_app app, u8 l4, const u8 *data,
			      size_t len, struct sgw_l7_result *res)
{
	enum sgw_l7_status st;
	u8 reason;

	switch (app) {
	case SGW_APP_HTTP:
		st = sgw_l7_http_parse(data, len, &res->http);
		reason = res->http.reason;
		break;
	case SGW_APP_TLS:
		st = sgw_l7_tls_parse(data, len, &res->tls);
		reason = res->tls.reason;
		break;
	case SGW_APP_DNS:
		st = l4 == SGW_L7_UDP ? sgw_l7_dns_parse(data, len, &res->dns) :
		     sgw_l7_dns_parse_tcp(data, len, &res->dns);
		reason = res->dns.reason;
		break;
	case SGW_APP_SSH:
		st = sgw_l7_ssh_parse(data, len, &res->ssh);
		reason = res->ssh.reason;
		break;
	default:
		return SGW_L7_NOT_THIS;
	}
	/* Keep the first MALFORMED: a later try may still wait for bytes. */
	if (st == SGW_L7_MATCH ||
	    (st == SGW_L7_MALFORMED && res->status != SGW_L7_MALFORMED)) {
		res->app = app;
		res->reason = reason;
		res->status = st;
	}
	return st;
}

static enum sgw_l7_status done(struct sgw_l7_result *res,
			       enum sgw_l7_status st)
{
	if (st != SGW_L7_MATCH && st != SGW_L7_MALFORMED) {
		res->app = SGW_APP_NONE;
		res->reason = SGW_L7_R_NONE;
	}
	res->status = st;
	return st;
}

enum sgw_l7_status sgw_l7_classify(const u8 *data, size_t len, u8 l4,
				   u16 dport, struct sgw_l7_result *res)
{
	enum sgw_app order[TRIES_MAX];
	bool waiting = false;
	unsigned int i, n = 0;

	res->app = SGW_APP_NONE;
	res->status = SGW_L7_NOT_THIS;
	res->reason = SGW_L7_R_NONE;

	if (l4 == SGW_L7_UDP) {
		if (attempt(SGW_APP_DNS, l4, data, len, res) == SGW_L7_MATCH ||
		    dport == PORT_DNS)
			return done(res, res->status);
		return done(res, SGW_L7_NOT_THIS);
	}
	if (l4 != SGW_L7_TCP)
		return done(res, SGW_L7_NOT_THIS);
	if (!len)
		return done(res, SGW_L7_NEED_MORE);

	if (dport == PORT_DNS)
		order[n++] = SGW_APP_DNS;
	if (data[0] == TLS_HANDSHAKE) {
		order[n++] = SGW_APP_TLS;
	} else if (data[0] == 'S' && n < TRIES_MAX) {
		order[n++] = SGW_APP_SSH;
		if (n < TRIES_MAX)
			order[n++] = SGW_APP_HTTP;
	} else {
		order[n++] = SGW_APP_HTTP;
	}

	for (i = 0; i < n; i++) {
		switch (attempt(order[i], l4, data, len, res)) {
		case SGW_L7_MATCH:
			return done(res, SGW_L7_MATCH);
		case SGW_L7_NEED_MORE:
			waiting = true;
			break;
		default:
			break;
		}
	}
	if (waiting)
		return done(res, SGW_L7_NEED_MORE);
	return done(res, res->status == SGW_L7_MALFORMED ? SGW_L7_MALFORMED :
		    SGW_L7_NOT_THIS);
}

const char *sgw_l7_app_name(u8 app)
{
	switch (app) {
	case SGW_APP_NONE:
		return "none";
	case SGW_APP_HTTP:
		return "http";
	case SGW_APP_TLS:
		return "tls";
	case SGW_APP_DNS:
		return "dns";
	case SGW_APP_SSH:
		return "ssh";
	case SGW_APP_UNCLASSIFIED:
		return "unclassified";
	default:
		return "?";
	}
}
