/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the subcommands share: error reports, opening the module's netlink
 * with the right complaint, reading a policy file, formatting values, a
 * column table for human output and JSON for scripts.
 */
#ifndef SGCTL_OUTPUT_H
#define SGCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "netlink.h"
#include "policy.h"

extern const char *PROG_NAME;

/* "sgctl: " and the message, on stderr. */
void complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Report @err from the module for what the user asked (@doing, such as
 * "reading the flows"): CAP_NET_ADMIN for EPERM, the extack message when
 * there is one.
 */
void complain_nl(const struct sgw_nl *nl, int err, const char *doing);

/* Open the module's netlink, or say why not (module not loaded...). */
struct sgw_nl *open_module(void);

/*
 * Read and parse policy file @path ("-" is standard input) into @p. On
 * error print "FILE:LINE:COL: message" (or why the file cannot be read) and
 * return -1.
 */
int read_policy(const char *path, struct policy *p);
/* How @path is named in messages: "<stdin>" for "-". */
const char *policy_path_name(const char *path);

/* Options common to the read-only commands: [--json]. */
int parse_json_flag(int argc, const char *argv[], bool *json);

const char *proto_name(uint8_t proto, char buf[8]);
const char *flow_state_name(uint8_t state);
/* A segment id as a name; ids unknown to @p (a segment since removed)
 * become "#ID".
 */
const char *segment_label(const struct policy *p, uint16_t id, char buf[16]);
/* "10.0.0.0/8", "fd00::/8" */
const char *prefix_str(const struct sgw_prefix *pfx, char buf[64]);
/* "10.0.0.1:80", "[fd00::1]:80"; without port when @proto has none. */
const char *endpoint_str(uint8_t family, const uint8_t *addr, uint16_t port,
			 bool with_port, char buf[64]);
/* "850ms", "12.3s", "4m05s", "2h07m", "3d04h" */
const char *duration_str(uint64_t ms, char buf[32]);

/* A table printed with aligned columns; cells are copied. */
struct table {
	size_t		ncols;
	size_t		nrows;
	char		**cells;	/* nrows * ncols */
	bool		*right;		/* per column: align right */
};

int table_init(struct table *t, size_t ncols, const char *const *heads,
	       const bool *right);
int table_add(struct table *t, const char *const *row);
void table_print(const struct table *t, FILE *f);
void table_free(struct table *t);

/* Print @o (and put it) as pretty JSON on stdout; -1 if that failed. */
int json_print(struct json_object *o);
/* json_object_object_add that fails when out of memory. */
int json_add(struct json_object *o, const char *key, struct json_object *v);
int json_push(struct json_object *array, struct json_object *v);

#endif /* SGCTL_OUTPUT_H */
