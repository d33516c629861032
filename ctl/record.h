/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A record: ordered key=value fields, rendered as a text line or as a
 * JSON object. Every string is escaped (escape.h) in both renderings, so
 * they carry the same values; numbers are JSON numbers. Flow events, the
 * monitor's own records and sgctl replay's records are all records.
 */
#ifndef SGCTL_RECORD_H
#define SGCTL_RECORD_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

enum rec_kind {
	REC_U64,	/* decimal */
	REC_HEX32,	/* 0x%08x in text, a number in JSON: rule ids */
	REC_STR,	/* bytes, escaped */
	REC_LIST,	/* a string, one element of a list: in JSON, the
			 * adjacent elements with one key form one array */
};

struct rec_field {
	const char	*key;
	enum rec_kind	kind;
	uint64_t	u;
	const char	*s;
	size_t		len;
};

enum {
	REC_FIELDS_MAX	= 64,
	REC_SCRATCH	= 1024,	/* for the strings the record formats itself */
};

/* Holds pointers into itself and into what it was built from: never copy. */
struct record {
	int		priority;	/* syslog(3) priority, LOG_*, if sent there */
	size_t		n;
	struct rec_field f[REC_FIELDS_MAX];
	size_t		used;
	char		scratch[REC_SCRATCH];
};

void record_reset(struct record *r, int priority);
void record_u64(struct record *r, const char *key, uint64_t v);
void record_hex32(struct record *r, const char *key, uint32_t v);
/* @s (@len bytes; record_str: a C string) must outlive the record. */
void record_bytes(struct record *r, const char *key, const void *s, size_t len);
void record_str(struct record *r, const char *key, const char *s);
void record_list(struct record *r, const char *key, const void *s, size_t len);
/* A string formatted into the record's own scratch space. */
void record_printf(struct record *r, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "key=value key=value", NUL-terminated; malloc'd, NULL when out of memory. */
char *record_text(const struct record *r);
/* A new JSON object, or NULL when out of memory. */
struct json_object *record_json(const struct record *r);

#endif
