// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "output.h"
#include "subcommands.h"

void complain(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", PROG_NAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void complain_nl(const struct sgw_nl *nl, int err, const char *doing)
{
	const char *extack = nl ? sgw_nl_extack(nl) : "";

	switch (err) {
	case -EPERM:
	case -EACCES:
		complain("%s needs CAP_NET_ADMIN in this network namespace (%s)",
			 doing, strerror(-err));
		return;
	case -EAGAIN:
		complain("%s: the policy kept changing while it was read; try again",
			 doing);
		return;
	case -EBADMSG:
		complain("%s: the module sent a reply sgctl cannot read (are the module and sgctl the same version?)",
			 doing);
		return;
	}
	if (extack[0])
		complain("%s: %s (%s)", doing, extack, strerror(-err));
	else
		complain("%s: %s", doing, strerror(-err));
}

struct sgw_nl *open_module(void)
{
	struct sgw_nl *nl;
	int ret = sgw_nl_open(&nl);

	if (!ret)
		return nl;
	if (ret == -ENOENT)
		complain("the sgw module is not loaded (generic netlink family \"%s\" not found)",
			 SGW_GENL_NAME);
	else
		complain_nl(NULL, ret, "opening a generic netlink socket");
	return NULL;
}

const char *policy_path_name(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

static int slurp(FILE *f, char **text, size_t *len)
{
	size_t cap = 0, n = 0, got;
	char *buf = NULL, *grown;

	do {
		if (cap - n < 4096) {
			cap = cap ? 2 * cap : 65536;
			grown = realloc(buf, cap);
			if (!grown) {
				free(buf);
				return -ENOMEM;
			}
			buf = grown;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		free(buf);
		return -EIO;
	}
	*text = buf;
	*len = n;
	return 0;
}

int read_policy(const char *path, struct policy *p)
{
	const char *name = policy_path_name(path);
	struct policy_error perr;
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *text;
	size_t len;
	int ret;

	memset(p, 0, sizeof(*p));
	if (!f) {
		complain("cannot open \"%s\": %s", path, strerror(errno));
		return -1;
	}
	ret = slurp(f, &text, &len);
	if (f != stdin)
		fclose(f);
	if (ret) {
		complain("cannot read \"%s\": %s", name, strerror(-ret));
		return -1;
	}
	memset(&perr, 0, sizeof(perr));
	ret = policy_parse(text, len, p, &perr);
	free(text);
	if (ret) {
		fprintf(stderr, "%s:%u:%u: %s\n", name, perr.line, perr.col,
			perr.msg);
		return -1;
	}
	return 0;
}

int parse_json_flag(int argc, const char *argv[], bool *json)
{
	int i;

	*json = false;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			*json = true;
			continue;
		}
		if (argv[i][0] == '-')
			complain("unknown option \"%s\"", argv[i]);
		else
			complain("unexpected argument \"%s\"", argv[i]);
		show_usage(argv[0]);
		return -1;
	}
	return 0;
}

const char *proto_name(uint8_t proto, char buf[8])
{
	switch (proto) {
	case SGW_PROTO_ANY:	return "any";
	case IPPROTO_TCP:	return "tcp";
	case IPPROTO_UDP:	return "udp";
	case IPPROTO_ICMP:	return "icmp";
	case IPPROTO_ICMPV6:	return "icmpv6";
	}
	snprintf(buf, 8, "%u", proto);
	return buf;
}

const char *flow_state_name(uint8_t state)
{
	static const char *const names[] = {
		[SGW_FLOW_S_OPEN]		= "open",
		[SGW_FLOW_S_ESTABLISHED]	= "established",
		[SGW_FLOW_S_CLOSING]		= "closing",
		[SGW_FLOW_S_REVOKED]		= "revoked",
		[SGW_FLOW_S_PENDING]		= "pending",
		[SGW_FLOW_S_DENIED]		= "denied",
	};

	if (state >= sizeof(names) / sizeof(names[0]) || !names[state])
		return "unknown";
	return names[state];
}

const char *segment_label(const struct policy *p, uint16_t id, char buf[16])
{
	size_t i;

	if (id == SGW_SEG_WORLD || id == SGW_SEG_ANY)
		return policy_segment_name(p, id);
	for (i = 0; i < p->nsegments; i++)
		if (p->segments[i].id == id)
			return p->segments[i].name;
	snprintf(buf, 16, "#%u", id);
	return buf;
}

const char *prefix_str(const struct sgw_prefix *pfx, char buf[64])
{
	char addr[INET6_ADDRSTRLEN];
	int af = pfx->family == AF_INET6 ? AF_INET6 : AF_INET;

	if (!inet_ntop(af, pfx->addr, addr, sizeof(addr)))
		snprintf(addr, sizeof(addr), "?");
	snprintf(buf, 64, "%s/%u", addr, pfx->len);
	return buf;
}

const char *endpoint_str(uint8_t family, const uint8_t *addr, uint16_t port,
			 bool with_port, char buf[64])
{
	char a[INET6_ADDRSTRLEN];
	int af = family == AF_INET6 ? AF_INET6 : AF_INET;

	if (!inet_ntop(af, addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (!with_port)
		snprintf(buf, 64, "%s", a);
	else if (af == AF_INET6)
		snprintf(buf, 64, "[%s]:%u", a, port);
	else
		snprintf(buf, 64, "%s:%u", a, port);
	return buf;
}

const char *duration_str(uint64_t ms, char buf[32])
{
	uint64_t s = ms / 1000;

	if (ms < 1000)
		snprintf(buf, 32, "%ums", (unsigned int)ms);
	else if (s < 60)
		snprintf(buf, 32, "%u.%us", (unsigned int)s,
			 (unsigned int)(ms % 1000) / 100);
	else if (s < 3600)
		snprintf(buf, 32, "%um%02us", (unsigned int)(s / 60),
			 (unsigned int)(s % 60));
	else if (s < 86400)
		snprintf(buf, 32, "%uh%02um", (unsigned int)(s / 3600),
			 (unsigned int)(s % 3600 / 60));
	else
		snprintf(buf, 32, "%llud%02uh", (unsigned long long)(s / 86400),
			 (unsigned int)(s % 86400 / 3600));
	return buf;
}

int table_init(struct table *t, size_t ncols, const char *const *heads,
	       const bool *right)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->right = calloc(ncols, sizeof(*t->right));
	if (!t->right)
		return -ENOMEM;
	if (right)
		memcpy(t->right, right, ncols * sizeof(*right));
	return heads ? table_add(t, heads) : 0;
}

int table_add(struct table *t, const char *const *row)
{
	char **cells;
	size_t i;

	cells = reallocarray(t->cells, (t->nrows + 1) * t->ncols,
			     sizeof(*cells));
	if (!cells)
		return -ENOMEM;
	t->cells = cells;
	cells += t->nrows * t->ncols;
	for (i = 0; i < t->ncols; i++) {
		cells[i] = strdup(row[i] ? row[i] : "");
		if (!cells[i]) {
			while (i--)
				free(cells[i]);
			return -ENOMEM;
		}
	}
	t->nrows++;
	return 0;
}

/* Display width of UTF-8 text: code points, every one a column wide. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

void table_print(const struct table *t, FILE *f)
{
	size_t *widths = calloc(t->ncols, sizeof(*widths));
	size_t r, c;

	if (!widths)
		return;
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			if (width(t->cells[r * t->ncols + c]) > widths[c])
				widths[c] = width(t->cells[r * t->ncols + c]);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *cell = t->cells[r * t->ncols + c];
			int pad = widths[c] - width(cell);
			bool last = c + 1 == t->ncols;

			if (t->right[c])
				fprintf(f, "%*s%s", pad, "", cell);
			else if (last)
				fputs(cell, f);
			else
				fprintf(f, "%s%*s", cell, pad, "");
			fputs(last ? "\n" : "  ", f);
		}
	}
	free(widths);
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->right);
	memset(t, 0, sizeof(*t));
}

int json_print(struct json_object *o)
{
	const char *s = json_object_to_json_string_ext(o,
				JSON_C_TO_STRING_PRETTY |
				JSON_C_TO_STRING_SPACED |
				JSON_C_TO_STRING_NOSLASHESCAPE);
	int ret = s && puts(s) >= 0 ? 0 : -1;

	json_object_put(o);
	return ret;
}

int json_add(struct json_object *o, const char *key, struct json_object *v)
{
	if (!v)
		return -1;
	if (json_object_object_add(o, key, v)) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

int json_push(struct json_object *array, struct json_object *v)
{
	if (!v)
		return -1;
	if (json_object_array_add(array, v)) {
		json_object_put(v);
		return -1;
	}
	return 0;
}
