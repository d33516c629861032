// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <json-c/json.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "record.h"

static void add(struct record *r, const char *key, enum rec_kind kind,
		uint64_t u, const char *s, size_t len)
{
	struct rec_field *f;

	if (r->n == REC_FIELDS_MAX)	/* cannot happen: fields are bounded */
		return;
	f = &r->f[r->n++];
	f->key = key;
	f->kind = kind;
	f->u = u;
	f->s = s;
	f->len = len;
}

void record_reset(struct record *r, int priority)
{
	r->n = 0;
	r->used = 0;
	r->priority = priority;
}

void record_u64(struct record *r, const char *key, uint64_t v)
{
	add(r, key, REC_U64, v, NULL, 0);
}

void record_hex32(struct record *r, const char *key, uint32_t v)
{
	add(r, key, REC_HEX32, v, NULL, 0);
}

void record_bytes(struct record *r, const char *key, const void *s, size_t len)
{
	add(r, key, REC_STR, 0, s, len);
}

void record_str(struct record *r, const char *key, const char *s)
{
	add(r, key, REC_STR, 0, s, strlen(s));
}

void record_list(struct record *r, const char *key, const void *s, size_t len)
{
	add(r, key, REC_LIST, 0, s, len);
}

void record_printf(struct record *r, const char *key, const char *fmt, ...)
{
	size_t room = sizeof(r->scratch) - r->used;
	char *s = r->scratch + r->used;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {	/* cannot happen: bounded */
		s = "?";
		n = 1;
	} else {
		r->used += n + 1;
	}
	add(r, key, REC_STR, 0, s, n);
}

static bool is_string(const struct rec_field *f)
{
	return f->kind == REC_STR || f->kind == REC_LIST;
}

char *record_text(const struct record *r)
{
	size_t i, size = 1;
	char *text, *p;

	for (i = 0; i < r->n; i++) {
		const struct rec_field *f = &r->f[i];

		/* key=value and a space; numbers take at most 20 digits, a
		 * string 4 bytes a byte and two quotes
		 */
		size += strlen(f->key) + 2;
		size += is_string(f) ? escape_len(f->s, f->len) + 2 : 20;
	}
	text = malloc(size);
	if (!text)
		return NULL;
	p = text;
	for (i = 0; i < r->n; i++) {
		const struct rec_field *f = &r->f[i];
		size_t n;

		if (i)
			*p++ = ' ';
		p += sprintf(p, "%s=", f->key);
		switch (f->kind) {
		case REC_U64:
			p += sprintf(p, "%llu", (unsigned long long)f->u);
			break;
		case REC_HEX32:
			p += sprintf(p, "0x%08x", (unsigned int)f->u);
			break;
		case REC_STR:
		case REC_LIST:
			/* Escape first, then quote what needs it: the test
			 * looks at the escaped text, which is what is shown.
			 */
			n = escape(p + 1, f->s, f->len);
			if (escape_needs_quotes(p + 1, n)) {
				*p = '"';
				p[n + 1] = '"';
				p += n + 2;
			} else {
				memmove(p, p + 1, n);
				p += n;
			}
			break;
		}
	}
	*p = '\0';
	return text;
}

static struct json_object *json_escaped(const char *s, size_t len)
{
	struct json_object *o;
	char *esc = malloc(escape_len(s, len) + 1);

	if (!esc)
		return NULL;
	escape(esc, s, len);
	o = json_object_new_string(esc);
	free(esc);
	return o;
}

static struct json_object *field_json(const struct rec_field *f)
{
	switch (f->kind) {
	case REC_U64:
		return json_object_new_uint64(f->u);
	case REC_HEX32:
		return json_object_new_int64(f->u);
	case REC_STR:
	case REC_LIST:
		break;
	}
	return json_escaped(f->s, f->len);
}

/* The elements of a list come together: the field before is one of it. */
static bool list_goes_on(const struct record *r, size_t i)
{
	return i && r->f[i - 1].kind == REC_LIST &&
	       !strcmp(r->f[i - 1].key, r->f[i].key);
}

struct json_object *record_json(const struct record *r)
{
	struct json_object *o = json_object_new_object(), *v, *list;
	size_t i;

	if (!o)
		return NULL;
	for (i = 0; i < r->n; i++) {
		const struct rec_field *f = &r->f[i];

		v = field_json(f);
		if (!v)
			goto fail;
		if (f->kind == REC_LIST && list_goes_on(r, i) &&
		    json_object_object_get_ex(o, f->key, &list)) {
			if (json_object_array_add(list, v))
				goto fail_v;
			continue;
		}
		if (f->kind == REC_LIST) {
			list = json_object_new_array();
			if (!list || json_object_array_add(list, v)) {
				json_object_put(list);
				goto fail_v;
			}
			v = list;
		}
		if (json_object_object_add(o, f->key, v))
			goto fail_v;
	}
	return o;
fail_v:
	json_object_put(v);
fail:
	json_object_put(o);
	return NULL;
}
