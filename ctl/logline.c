// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Reading one flow-log line back: the syslog prefix, then the record as
 * sgctl wrote it (event.c), key=value or JSON. See logline.h.
 */
#define _GNU_SOURCE	/* memmem() */
#include <string.h>
#include <json-c/json.h>

#include "logline.h"

/* The keys logcheck needs; every other key is skipped. */
enum key {
	K_EVENT,
	K_SEQ,
	K_FROM,
	K_TO,
	K_LOST,
	K_RECEIVED,
	K_EARLY,
	K_STRAY,
	K_SENT,
	K_FAILED,
	K_LAST,
	NKEYS
};

static const char *const key_names[NKEYS] = {
	[K_EVENT]	= "event",
	[K_SEQ]		= "seq",
	[K_FROM]	= "from_seq",
	[K_TO]		= "to_seq",
	[K_LOST]	= "lost",
	[K_RECEIVED]	= "received",
	[K_EARLY]	= "early",
	[K_STRAY]	= "stray",
	[K_SENT]	= "syslog_sent",
	[K_FAILED]	= "syslog_failed",
	[K_LAST]	= "last_seq",
};

struct values {
	bool		has[NKEYS];
	uint64_t	u[NKEYS];
	const char	*event;
	size_t		event_len;
};

/* JSON records are flat: one object of numbers and strings. */
enum { JSON_DEPTH = 2 };

static bool same(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !memcmp(s, word, len);
}

static bool starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(s, prefix, n);
}

static int find_key(const char *s, size_t len)
{
	int k;

	for (k = 0; k < NKEYS; k++)
		if (same(s, len, key_names[k]))
			return k;
	return -1;
}

/* Decimal digits only, no sign, no overflow. */
static int parse_u64(const char *s, size_t len, uint64_t *v)
{
	uint64_t n = 0;
	size_t i;

	if (!len || len > 20)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || n > (UINT64_MAX - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	*v = n;
	return 0;
}

static int set_value(struct values *v, int k, const char *s, size_t len)
{
	if (k < 0)
		return 0;
	if (v->has[k])		/* a key twice: not something sgctl writes */
		return -1;
	v->has[k] = true;
	if (k == K_EVENT) {
		v->event = s;
		v->event_len = len;
		return 0;
	}
	return parse_u64(s, len, &v->u[k]);
}

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/*
 * logfmt as record_text() writes it: fields "key=value" one space apart,
 * a value bare (no space, '"' or '=') or in double quotes (no '"' inside,
 * since sgctl escapes it).
 */
static int parse_text(const char *s, size_t len, struct values *v)
{
	size_t i = 0;

	while (i < len) {
		size_t key = i, klen, val, vlen;

		while (i < len && key_char(s[i]))
			i++;
		klen = i - key;
		if (!klen || i == len || s[i++] != '=')
			return -1;
		if (i < len && s[i] == '"') {
			const char *q = memchr(s + i + 1, '"', len - i - 1);

			if (!q)
				return -1;
			val = i + 1;
			vlen = q - (s + val);
			i = q - s + 1;
		} else {
			val = i;
			while (i < len && s[i] != ' ' && s[i] != '"' &&
			       s[i] != '=')
				i++;
			vlen = i - val;
			if (!vlen)
				return -1;
		}
		if (i < len && (s[i++] != ' ' || i == len))
			return -1;
		if (set_value(v, find_key(s + key, klen), s + val, vlen))
			return -1;
	}
	return 0;
}

static int json_value(struct values *v, int k, struct json_object *o)
{
	if (v->has[k])
		return -1;
	v->has[k] = true;
	if (k == K_EVENT) {
		if (!json_object_is_type(o, json_type_string))
			return -1;
		v->event = json_object_get_string(o);
		v->event_len = json_object_get_string_len(o);
		return 0;
	}
	if (!json_object_is_type(o, json_type_int) ||
	    json_object_get_int64(o) < 0)
		return -1;
	v->u[k] = json_object_get_uint64(o);
	return 0;
}

/* @v points into @obj: use it before putting @obj. */
static int parse_json(const char *s, size_t len, struct json_object **obj,
		      struct values *v)
{
	struct json_tokener *tok = json_tokener_new_ex(JSON_DEPTH);
	struct json_object *o;

	*obj = NULL;
	if (!tok)
		return -1;
	o = json_tokener_parse_ex(tok, s, len);
	/* One object, all of the line, nothing after it. */
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len ||
	    !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		json_tokener_free(tok);
		return -1;
	}
	json_tokener_free(tok);
	*obj = o;
	json_object_object_foreach(o, key, val) {
		int k = find_key(key, strlen(key));

		if (k >= 0 && json_value(v, k, val))
			return -1;
	}
	return 0;
}

static bool event_name_ok(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static enum logline_kind interpret_gap(const struct values *v,
				       struct logline *l)
{
	if (!v->has[K_FROM] || !v->has[K_TO] || !v->has[K_LOST])
		return LL_MALFORMED;
	l->has_from = true;
	l->from = v->u[K_FROM];
	l->to = v->u[K_TO];
	/* lost = to - from + 1, which must not wrap. */
	if (l->from > l->to || l->to - l->from == UINT64_MAX ||
	    v->u[K_LOST] != l->to - l->from + 1)
		return LL_MALFORMED;
	return LL_GAP;
}

static enum logline_kind interpret_summary(const struct values *v,
					   struct logline *l)
{
	if (!v->has[K_RECEIVED])
		return LL_MALFORMED;
	l->received = v->u[K_RECEIVED];
	l->early = v->u[K_EARLY];
	l->stray = v->u[K_STRAY];
	l->has_syslog_sent = v->has[K_SENT];
	l->syslog_sent = v->u[K_SENT];
	l->has_syslog_failed = v->has[K_FAILED];
	l->syslog_failed = v->u[K_FAILED];
	l->has_last_seq = v->has[K_LAST];
	l->last_seq = v->u[K_LAST];
	return LL_SUMMARY;
}

static enum logline_kind interpret(const struct values *v, struct logline *l)
{
	const char *e = v->event;
	size_t n = v->event_len;

	if (!v->has[K_EVENT])
		return LL_MALFORMED;
	if (same(e, n, "gap"))
		return interpret_gap(v, l);
	if (same(e, n, "summary"))
		return interpret_summary(v, l);
	if (same(e, n, "stream")) {
		l->has_from = v->has[K_FROM];
		l->from = v->u[K_FROM];
		return LL_STREAM;
	}
	if (!v->has[K_SEQ] || !event_name_ok(e, n))
		return LL_MALFORMED;
	l->seq = v->u[K_SEQ];
	return same(e, n, "late") ? LL_LATE : LL_EVENT;
}

static bool record_start(const char *s, size_t len)
{
	return starts(s, len, "time=") || starts(s, len, "event=") ||
	       starts(s, len, "{");
}

/*
 * "TIMESTAMP HOST TAG: MSG": the tag is the word before the first ": ",
 * the host the word before it. Neither rsyslog's timestamps (RFC 3339 or
 * "Dec  7 10:00:00") nor host names hold ": ", so the first one is the
 * tag's, whatever the record after it holds.
 */
static int split_syslog(const char *s, size_t len, struct logline *l)
{
	const char *colon = memmem(s, len, ": ", 2), *p;

	if (!colon)
		return -1;
	for (p = colon; p > s && p[-1] != ' '; p--)
		;
	l->tag = p;
	l->tag_len = colon - p;
	if (!l->tag_len)
		return -1;
	if (p > s) {
		const char *end = p - 1;

		for (p = end; p > s && p[-1] != ' '; p--)
			;
		l->host = p;
		l->host_len = end - p;
	}
	for (p = colon + 2; p < s + len && *p == ' '; p++)
		;
	l->msg = p;
	l->msg_len = s + len - p;
	return 0;
}

static bool printable(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

enum logline_kind logline_parse(const char *line, size_t len,
				struct logline *l)
{
	struct json_object *obj = NULL;
	struct values v = { 0 };

	memset(l, 0, sizeof(*l));
	l->host = l->tag = l->msg = line;
	l->kind = LL_MALFORMED;
	if (len && line[len - 1] == '\r')
		len--;
	if (!len)	/* a blank line holds nothing to lose */
		return l->kind = LL_OTHER;
	if (!printable(line, len))
		return l->kind;
	if (record_start(line, len)) {
		l->msg_len = len;
	} else if (split_syslog(line, len, l)) {
		return l->kind;
	} else if (!record_start(l->msg, l->msg_len)) {
		return l->kind = LL_OTHER;
	}
	if (l->msg[0] == '{' ? parse_json(l->msg, l->msg_len, &obj, &v)
			     : parse_text(l->msg, l->msg_len, &v))
		l->kind = LL_MALFORMED;
	else
		l->kind = interpret(&v, l);
	json_object_put(obj);
	return l->kind;
}
