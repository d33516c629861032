// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Socket side of sgctl's netlink: open, send, receive, retry. Errors come
 * back as -errno; nothing is printed here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "netlink.h"

enum {
	/* One recv() holds one skb of replies; the kernel builds dump skbs
	 * of up to 32 KiB, and errors are capped (NETLINK_CAP_ACK).
	 */
	RECV_BUF	= 128 * 1024,
	/* Errors for a whole batch of refused messages must fit. */
	RCVBUF_WANTED	= 4 * 1024 * 1024,
	DUMP_TRIES	= 5,
};

struct sgw_nl {
	struct mnl_socket	*sock;
	uint32_t		portid;
	uint32_t		seq;
	uint16_t		family;
	char			extack[NLMSG_EXTACK_MAX];
	char			*rbuf;
};

static int send_buf(struct sgw_nl *nl, const void *buf, size_t len)
{
	ssize_t n = mnl_socket_sendto(nl->sock, buf, len);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

static ssize_t recv_buf(struct sgw_nl *nl, int flags)
{
	struct sockaddr_nl addr;
	struct iovec iov = { .iov_base = nl->rbuf, .iov_len = RECV_BUF };
	struct msghdr msg = {
		.msg_name = &addr, .msg_namelen = sizeof(addr),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	do
		n = recvmsg(mnl_socket_get_fd(nl->sock), &msg, flags);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (msg.msg_flags & MSG_TRUNC)
		return -ENOSPC;
	if (addr.nl_pid != 0)	/* only the kernel talks to us */
		return 0;
	return n;
}

/*
 * Receive until the exchange is complete. When replies overflowed the
 * socket (ENOBUFS: many refused messages at once), the ack that ends the
 * exchange may be lost; what was queued still holds the first error, so
 * read that without waiting and stop.
 */
static int run(struct sgw_nl *nl, struct nlmsg_exchange *x)
{
	ssize_t n;
	int ret;

	while (!x->done) {
		n = recv_buf(nl, 0);
		if (n == -ENOBUFS) {
			while ((n = recv_buf(nl, MSG_DONTWAIT)) >= 0)
				nlmsg_exchange_feed(x, nl->rbuf, n);
			if (!x->error.err)
				x->error.err = -ENOBUFS;
			break;
		}
		if (n < 0)
			return n;
		ret = nlmsg_exchange_feed(x, nl->rbuf, n);
		if (ret)
			return ret;
	}
	memcpy(nl->extack, x->error.msg, sizeof(nl->extack));
	return x->error.err ?: x->cb_err;
}

/*
 * One request: a doit with its ack, or a dump, with SGW_A_DUMP_FLAGS when
 * @dump_flags is not 0.
 */
static int request_flags(struct sgw_nl *nl, uint16_t family, uint8_t cmd,
			 bool dump, uint32_t dump_flags,
			 int (*cb)(const struct nlmsghdr *, void *),
			 void *data, bool *intr)
{
	struct nlmsg_exchange x;
	struct nlmsg_buf b = { 0 };
	struct nlmsghdr *nlh;
	uint32_t seq = ++nl->seq;
	int ret;

	nlh = nlmsg_put_request(&b, family, cmd, dump ? NLM_F_DUMP : NLM_F_ACK,
				seq, MNL_ATTR_HDRLEN + sizeof(uint32_t));
	if (!nlh)
		return -ENOMEM;
	if (dump_flags)
		mnl_attr_put_u32(nlh, SGW_A_DUMP_FLAGS, dump_flags);
	ret = send_buf(nl, nlh, nlh->nlmsg_len);
	nlmsg_buf_free(&b);
	if (ret)
		return ret;
	nlmsg_exchange_init(&x, nl->portid, seq, seq, dump, cb, data);
	ret = run(nl, &x);
	if (intr)
		*intr = x.intr;
	return ret;
}

static int request(struct sgw_nl *nl, uint16_t family, uint8_t cmd,
		   bool dump, int (*cb)(const struct nlmsghdr *, void *),
		   void *data, bool *intr)
{
	return request_flags(nl, family, cmd, dump, 0, cb, data, intr);
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return nlmsg_parse_family(nlh, data);
}

static int resolve_family(struct sgw_nl *nl)
{
	struct nlmsg_exchange x;
	struct nlmsg_buf b = { 0 };
	struct nlmsghdr *nlh;
	uint32_t seq = ++nl->seq;
	int ret;

	nlh = nlmsg_put_request(&b, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
				NLM_F_ACK, seq,
				MNL_ATTR_HDRLEN + sizeof(SGW_GENL_NAME));
	if (!nlh)
		return -ENOMEM;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SGW_GENL_NAME);
	ret = send_buf(nl, nlh, nlh->nlmsg_len);
	nlmsg_buf_free(&b);
	if (ret)
		return ret;
	nlmsg_exchange_init(&x, nl->portid, seq, seq, false, family_cb,
			    &nl->family);
	ret = run(nl, &x);
	if (!ret && !nl->family)
		ret = -EBADMSG;
	return ret;
}

int sgw_nl_open(struct sgw_nl **nlp)
{
	struct sgw_nl *nl;
	int one = 1, rcvbuf = RCVBUF_WANTED, ret;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->rbuf = malloc(RECV_BUF);
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->rbuf || !nl->sock) {
		ret = nl->rbuf ? -errno : -ENOMEM;
		goto err;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto err;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);
	/* Best effort: older kernels lack extack, and only CAP_NET_ADMIN
	 * may raise the receive buffer past rmem_max.
	 */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF,
			   &rcvbuf, sizeof(rcvbuf));
	ret = resolve_family(nl);
	if (ret)
		goto err;
	*nlp = nl;
	return 0;
err:
	sgw_nl_close(nl);
	return ret;
}

void sgw_nl_close(struct sgw_nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->rbuf);
	free(nl);
}

const char *sgw_nl_extack(const struct sgw_nl *nl)
{
	return nl->extack;
}

static int status_cb(const struct nlmsghdr *nlh, void *data)
{
	return nlmsg_parse_status(nlh, data);
}

int sgw_nl_status(struct sgw_nl *nl, struct sgw_status *st)
{
	memset(st, 0, sizeof(*st));
	return request(nl, nl->family, SGW_CMD_GET_STATUS, false, status_cb, st,
		       NULL);
}

static int generation_cb(const struct nlmsghdr *nlh, void *data)
{
	return nlmsg_parse_generation(nlh, data);
}

static void abort_txn(struct sgw_nl *nl)
{
	char extack[NLMSG_EXTACK_MAX];

	/* Keep the message of the error that made us abort. */
	memcpy(extack, nl->extack, sizeof(extack));
	request(nl, nl->family, SGW_CMD_TXN_ABORT, false, NULL, NULL, NULL);
	memcpy(nl->extack, extack, sizeof(extack));
}

/*
 * Staged messages go out in batches of whole messages, many per sendmsg().
 * Only the last of a batch asks for an ack: the kernel answers every
 * message in order and reports every error whatever the flags, so once
 * that ack is in, every error of the batch has been read. The commit goes
 * alone, after every staged message was accepted, so that nothing partial
 * can be committed whatever the kernel does with a refused message.
 */
static int send_txn(struct sgw_nl *nl, struct nlmsg_txn *txn,
		    uint32_t *generation, struct sgw_load_error *why)
{
	struct nlmsg_exchange x;
	const struct nlmsg_origin *o;
	size_t first, end;
	int ret;

	nl->seq += txn->norigins;
	for (first = 0; first < txn->norigins; first = end) {
		const struct nlmsg_origin *last;
		struct nlmsghdr *nlh;
		size_t from, to;

		end = nlmsg_txn_chunk(txn, first, NLMSG_BATCH_MAX);
		last = &txn->origins[end - 1];
		from = txn->origins[first].offset;
		to = end < txn->norigins ? txn->origins[end].offset :
					   txn->buf.len;
		nlh = (struct nlmsghdr *)(txn->buf.data + last->offset);
		nlh->nlmsg_flags |= NLM_F_ACK;

		ret = send_buf(nl, txn->buf.data + from, to - from);
		if (ret) {
			why->err = ret;
			goto abort;
		}
		nlmsg_exchange_init(&x, nl->portid, txn->origins[first].seq,
				    last->seq, false, NULL, NULL);
		ret = run(nl, &x);
		if (ret) {
			why->err = ret;
			memcpy(why->msg, x.error.msg, sizeof(why->msg));
			o = x.error.err ? nlmsg_txn_origin(txn, x.error.seq)
					: NULL;
			if (o) {
				why->at_origin = true;
				why->origin = *o;
			}
			goto abort;
		}
	}

	ret = request(nl, nl->family, SGW_CMD_TXN_COMMIT, false, generation_cb,
		      generation, NULL);
	if (ret) {
		why->err = ret;
		why->commit = true;
		memcpy(why->msg, nl->extack, sizeof(why->msg));
		goto abort;
	}
	return 0;

abort:
	abort_txn(nl);
	return ret;
}

/* A rule too large for one message, found while packing. */
static void too_big(struct sgw_load_error *why, const struct policy *p,
		    size_t bad)
{
	why->at_origin = true;
	why->origin.kind = NLMSG_ORIGIN_RULE;
	why->origin.index = bad;
	why->origin.line = p->rules[bad].line;
}

/* Send what was packed into @txn (@ret: how packing went), then free it. */
static int send_packed(struct sgw_nl *nl, int ret, struct nlmsg_txn *txn,
		       const struct policy *p, size_t bad,
		       uint32_t *generation, struct sgw_load_error *why)
{
	if (ret) {
		why->err = ret;
		if (ret == -E2BIG)
			too_big(why, p, bad);
		return ret;
	}
	ret = send_txn(nl, txn, generation, why);
	nlmsg_txn_free(txn);
	return ret;
}

int sgw_nl_load(struct sgw_nl *nl, const struct policy *p,
		uint32_t *generation, struct sgw_load_error *why)
{
	struct nlmsg_txn txn;
	size_t bad = 0;
	int ret;

	memset(why, 0, sizeof(*why));
	ret = nlmsg_pack_policy(&txn, nl->family, nl->seq + 1, p,
				NLMSG_SGW_MAX, &bad);
	return send_packed(nl, ret, &txn, p, bad, generation, why);
}

int sgw_nl_update(struct sgw_nl *nl, uint32_t gen, const uint32_t *dels,
		  size_t ndels, const struct policy *adds,
		  uint32_t *generation, struct sgw_load_error *why)
{
	struct nlmsg_txn txn;
	size_t bad = 0;
	int ret;

	memset(why, 0, sizeof(*why));
	ret = nlmsg_pack_update(&txn, nl->family, nl->seq + 1, gen, dels, ndels,
				adds, &bad);
	return send_packed(nl, ret, &txn, adds, bad, generation, why);
}

static int segment_cb(const struct nlmsghdr *nlh, void *data)
{
	return nlmsg_parse_segment(nlh, data);
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	return nlmsg_parse_rule(nlh, data);
}

/*
 * Status, then the dumps, then the status again: a dump flagged
 * interrupted, or a generation that moved between the first status and the
 * last, means a commit came in between, and the whole set is read again.
 */
static int dump_consistent(struct sgw_nl *nl, struct sgw_dump *d, bool rules,
			   uint32_t seg_flags)
{
	struct sgw_status after;
	bool intr, moved;
	int tries, ret;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		memset(d, 0, sizeof(*d));
		ret = sgw_nl_status(nl, &d->status);
		if (ret)
			return ret;
		ret = request_flags(nl, nl->family, SGW_CMD_GET_SEGMENTS, true,
				    seg_flags, segment_cb, d, &intr);
		if (!ret && !intr && rules)
			ret = request(nl, nl->family, SGW_CMD_GET_RULES, true,
				      rule_cb, d, &intr);
		if (!ret && !intr)
			ret = sgw_nl_status(nl, &after);
		if (ret) {
			nlmsg_dump_free(d);
			return ret;
		}
		moved = !intr && after.generation != d->status.generation;
		if (!intr && !moved)
			return 0;
		nlmsg_dump_free(d);
	}
	return -EAGAIN;
}

int sgw_nl_dump_policy(struct sgw_nl *nl, struct sgw_dump *d)
{
	return dump_consistent(nl, d, true, 0);
}

int sgw_nl_dump_segments(struct sgw_nl *nl, struct sgw_dump *d)
{
	return dump_consistent(nl, d, false, 0);
}

int sgw_nl_dump_names(struct sgw_nl *nl, struct sgw_dump *d, bool rules)
{
	return dump_consistent(nl, d, rules, SGW_DUMP_F_NO_PREFIXES);
}

struct flow_list {
	struct sgw_flow	*flows;
	size_t		n;
	size_t		cap;
};

static int flow_cb(const struct nlmsghdr *nlh, void *data)
{
	struct flow_list *l = data;
	struct sgw_flow *grown;
	int ret;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;

		grown = reallocarray(l->flows, cap, sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		l->flows = grown;
		l->cap = cap;
	}
	ret = nlmsg_parse_flow(nlh, &l->flows[l->n]);
	if (!ret)
		l->n++;
	return ret;
}

int sgw_nl_dump_flows(struct sgw_nl *nl, struct sgw_flow **flows, size_t *n)
{
	struct flow_list l;
	bool intr;
	int tries, ret;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		memset(&l, 0, sizeof(l));
		ret = request(nl, nl->family, SGW_CMD_GET_FLOWS, true, flow_cb,
			      &l, &intr);
		if (!ret && !intr) {
			*flows = l.flows;
			*n = l.n;
			return 0;
		}
		free(l.flows);
		if (ret)
			return ret;
	}
	return -EAGAIN;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	return nlmsg_parse_stats(nlh, data);
}

int sgw_nl_stats(struct sgw_nl *nl, struct sgw_stats *st)
{
	memset(st, 0, sizeof(*st));
	return request(nl, nl->family, SGW_CMD_GET_STATS, false, stats_cb, st,
		       NULL);
}

int sgw_nl_flush(struct sgw_nl *nl)
{
	return request(nl, nl->family, SGW_CMD_FLUSH, false, NULL, NULL, NULL);
}

int sgw_nl_reset(struct sgw_nl *nl)
{
	return request(nl, nl->family, SGW_CMD_RESET, false, NULL, NULL, NULL);
}
