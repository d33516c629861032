// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * logcheck's accounting: lines to writers, writers' runs to streams,
 * streams to numbers present, counted lost and missing. See
 * logcheck_acct.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "logcheck_acct.h"
#include "logline.h"

/* Ranges. */

static uint64_t range_size(uint64_t from, uint64_t to)
{
	return to - from == UINT64_MAX ? UINT64_MAX : to - from + 1;
}

/* Numbers from a file can be anything: sums stop at the top. */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* The first range ending at or past @seq - 1: touching @seq, or after it. */
static size_t ranges_lower(const struct lc_ranges *r, uint64_t seq)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (seq && r->v[mid].to < seq - 1)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool ranges_contain(const struct lc_ranges *r, uint64_t seq)
{
	size_t i = ranges_lower(r, seq);

	/* ranges_lower() may stop at the range ending at seq - 1. */
	if (i < r->n && r->v[i].to < seq)
		i++;
	return i < r->n && r->v[i].from <= seq;
}

static int ranges_add(struct lc_ranges *r, uint64_t from, uint64_t to)
{
	size_t i = ranges_lower(r, from), j = i;

	/* Merge every range that overlaps or touches [from, to]. */
	while (j < r->n && (to == UINT64_MAX || r->v[j].from <= to + 1)) {
		if (r->v[j].from < from)
			from = r->v[j].from;
		if (r->v[j].to > to)
			to = r->v[j].to;
		j++;
	}
	if (j > i) {
		r->v[i] = (struct lc_range){ from, to };
		memmove(&r->v[i + 1], &r->v[j], (r->n - j) * sizeof(r->v[0]));
		r->n -= j - i - 1;
		return 0;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct lc_range *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	memmove(&r->v[i + 1], &r->v[i], (r->n - i) * sizeof(r->v[0]));
	r->v[i] = (struct lc_range){ from, to };
	r->n++;
	return 0;
}

static void ranges_free(struct lc_ranges *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* Room in *@v, of *@cap elements of @size, for one more after @n. */
static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t want = *cap ? *cap * 2 : 8;
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*v, want * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = want;
	return 0;
}

/* Writers. */

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

enum { FNV_BASIS = 0xcbf29ce484222325ULL };

static uint64_t writer_hash(const struct logline *l)
{
	uint64_t h = fnv(FNV_BASIS, l->host, l->host_len);

	h = fnv(h, "", 1);
	return fnv(h, l->tag, l->tag_len);
}

static bool writer_is(const struct lc_writer *w, const struct logline *l)
{
	return strlen(w->host) == l->host_len && strlen(w->tag) == l->tag_len &&
	       !memcmp(w->host, l->host, l->host_len) &&
	       !memcmp(w->tag, l->tag, l->tag_len);
}

/* Open addressing, at most half full. */
static int index_grow(struct logcheck *c)
{
	size_t size = c->index_size ? c->index_size * 2 : 64, i;
	size_t *index = calloc(size, sizeof(*index));

	if (!index)
		return -ENOMEM;
	for (i = 0; i < c->nwriters; i++) {
		struct lc_writer *w = &c->writers[i];
		struct logline l = {
			.host = w->host, .host_len = strlen(w->host),
			.tag = w->tag, .tag_len = strlen(w->tag),
		};
		size_t slot = writer_hash(&l) & (size - 1);

		while (index[slot])
			slot = (slot + 1) & (size - 1);
		index[slot] = i + 1;
	}
	free(c->index);
	c->index = index;
	c->index_size = size;
	return 0;
}

static char *dup_bytes(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

/* The writer of @l, added when new; -ENOMEM. */
static int writer_get(struct logcheck *c, const struct logline *l, size_t *w)
{
	size_t slot;
	struct lc_writer *nw;

	if (2 * (c->nwriters + 1) > c->index_size && index_grow(c))
		return -ENOMEM;
	slot = writer_hash(l) & (c->index_size - 1);
	for (; c->index[slot]; slot = (slot + 1) & (c->index_size - 1)) {
		if (writer_is(&c->writers[c->index[slot] - 1], l)) {
			*w = c->index[slot] - 1;
			return 0;
		}
	}
	if (grow((void **)&c->writers, &c->writers_cap, c->nwriters,
		 sizeof(*c->writers)))
		return -ENOMEM;
	nw = &c->writers[c->nwriters];
	memset(nw, 0, sizeof(*nw));
	nw->host = dup_bytes(l->host, l->host_len);
	nw->tag = dup_bytes(l->tag, l->tag_len);
	if (!nw->host || !nw->tag) {
		free(nw->host);
		free(nw->tag);
		return -ENOMEM;
	}
	*w = c->nwriters++;
	c->index[slot] = *w + 1;
	return 0;
}

/*
 * Whether the record was seen a moment ago: a line repeated (by a log
 * shipper's retry, or a file appended twice). Hashes of recent lines in a
 * table indexed by the hash itself; a line repeated after many others may
 * be forgotten, and is then judged by its number.
 */
static bool repeated(struct logcheck *c, size_t w, const struct logline *l)
{
	uint64_t h = fnv(fnv(FNV_BASIS, &w, sizeof(w)), l->msg, l->msg_len) | 1;
	uint64_t *slot = &c->recent[h & ((1u << LC_RECENT_BITS) - 1)];

	if (*slot == h)
		return true;
	*slot = h;
	return false;
}

/* Streams and runs. */

static struct lc_stream *current(struct logcheck *c, size_t w)
{
	size_t s = c->writers[w].stream;

	return s ? &c->streams[s - 1] : NULL;
}

static struct lc_stream *new_stream(struct logcheck *c, size_t w)
{
	struct lc_writer *wr = &c->writers[w];
	struct lc_stream *s;

	if (grow((void **)&c->streams, &c->streams_cap, c->nstreams,
		 sizeof(*c->streams))) {
		c->error = -ENOMEM;
		return NULL;
	}
	s = &c->streams[c->nstreams++];
	memset(s, 0, sizeof(*s));
	s->writer = w;
	wr->stream = c->nstreams;
	if (!wr->run_first)
		wr->run_first = c->nstreams;
	return s;
}

static bool has_numbers(const struct lc_stream *s)
{
	return s->present.n || s->covered.n;
}

static uint64_t lowest(const struct lc_stream *s)
{
	uint64_t lo = UINT64_MAX;

	if (s->present.n)
		lo = s->present.v[0].from;
	if (s->covered.n && s->covered.v[0].from < lo)
		lo = s->covered.v[0].from;
	return lo;
}

static uint64_t highest(const struct lc_stream *s)
{
	uint64_t hi = 0;

	if (s->present.n)
		hi = s->present.v[s->present.n - 1].to;
	if (s->covered.n && s->covered.v[s->covered.n - 1].to > hi)
		hi = s->covered.v[s->covered.n - 1].to;
	return hi;
}

/*
 * Without stream records, numbers starting again show as a number
 * already present, or below the stream's first: sgctl writes each
 * number once, in order, and gaps only past every number written.
 */
static bool restarts(const struct lc_stream *s, uint64_t seq)
{
	return has_numbers(s) && (seq < lowest(s) ||
				  ranges_contain(&s->present, seq));
}

static void duplicate(struct logcheck *c, struct lc_stream *s)
{
	c->duplicates++;
	if (s)
		s->duplicates++;
}

static void on_event(struct logcheck *c, size_t w, uint64_t seq)
{
	struct lc_stream *s = current(c, w);

	if (s && s->marked && s->has_from && seq < s->from) {
		s->early++;	/* before sgctl subscribed: not counted */
		s->lines++;
		c->writers[w].run_events++;
		return;
	}
	if (s && s->marked && ranges_contain(&s->present, seq)) {
		/* A stream record would have come before a restart. */
		duplicate(c, s);
		c->writers[w].run_records--;	/* not a record sent twice */
		return;
	}
	if (!s || (!s->marked && restarts(s, seq)))
		s = new_stream(c, w);
	if (!s)
		return;
	if (ranges_add(&s->present, seq, seq)) {
		c->error = -ENOMEM;
		return;
	}
	s->lines++;
	c->writers[w].run_events++;
}

static void on_gap(struct logcheck *c, size_t w, uint64_t from, uint64_t to)
{
	struct lc_stream *s = current(c, w);

	if (!s || (!s->marked && has_numbers(s) && from <= highest(s)))
		s = new_stream(c, w);
	if (s && ranges_add(&s->covered, from, to))
		c->error = -ENOMEM;
}

static void on_stream(struct logcheck *c, size_t w, const struct logline *l)
{
	struct lc_stream *s = new_stream(c, w);

	if (!s)
		return;
	s->marked = true;
	s->has_from = l->has_from;
	s->from = l->from;
}

/* The run ends: its summary against what was found. */
static void on_summary(struct logcheck *c, size_t w, const struct logline *l)
{
	struct lc_writer *wr = &c->writers[w];
	struct lc_stream *last = current(c, w);
	struct lc_summary *s;

	if (grow((void **)&c->summaries, &c->summaries_cap, c->nsummaries,
		 sizeof(*c->summaries))) {
		c->error = -ENOMEM;
		return;
	}
	if (l->has_last_seq && last) {
		last->has_end = true;
		last->end = l->last_seq;
	}
	s = &c->summaries[c->nsummaries++];
	*s = (struct lc_summary){
		.writer = w,
		.first_stream = wr->run_first,
		.last_stream = wr->run_first ? wr->stream : 0,
		.received = l->received,
		.expected = add_sat(add_sat(l->received, l->early), l->stray),
		.found = wr->run_events,
		.has_syslog_sent = l->has_syslog_sent,
		.syslog_sent = l->syslog_sent,
		.records = wr->run_records,
		.has_syslog_failed = l->has_syslog_failed,
		.syslog_failed = l->syslog_failed,
	};
	s->ok = s->found == s->expected &&
		(!s->has_syslog_sent || s->records == s->syslog_sent);
	wr->stream = 0;
	wr->run_first = 0;
	wr->run_events = 0;
	wr->run_records = 0;
}

/* Lines. */

static void on_malformed(struct logcheck *c, const struct logline *l)
{
	struct lc_stream *s;
	size_t w;

	c->malformed++;
	/* Only a syslog prefix says whose it is. */
	if (!l->tag_len || writer_get(c, l, &w))
		return;
	c->writers[w].run_records++;	/* sgctl sent something */
	s = current(c, w);
	if (s)
		s->malformed++;
}

int logcheck_line(struct logcheck *c, const char *line, size_t len)
{
	struct logline l;
	size_t w;

	c->lines++;
	switch (logline_parse(line, len, &l)) {
	case LL_OTHER:
		c->other++;
		return c->error;
	case LL_MALFORMED:
		on_malformed(c, &l);
		return c->error;
	default:
		break;
	}
	if (writer_get(c, &l, &w))
		return c->error = -ENOMEM;
	if (repeated(c, w, &l)) {
		duplicate(c, current(c, w));
		return c->error;
	}
	c->writers[w].run_records++;
	switch (l.kind) {
	case LL_EVENT:
		on_event(c, w, l.seq);
		break;
	case LL_GAP:
		on_gap(c, w, l.from, l.to);
		break;
	case LL_STREAM:
		on_stream(c, w, &l);
		break;
	case LL_SUMMARY:
		on_summary(c, w, &l);
		break;
	default:	/* late: its event line follows, with its number */
		break;
	}
	return c->error;
}

static void end_line(struct logcheck *c)
{
	if (c->skipping) {
		c->lines++;
		c->malformed++;
		c->overlong++;
		c->skipping = false;
	} else {
		logcheck_line(c, c->line, c->len);
	}
	c->len = 0;
}

int logcheck_feed(struct logcheck *c, const void *data, size_t len)
{
	const char *p = data, *end = p + len;

	while (p < end && !c->error) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = (nl ? nl : end) - p;

		if (nl && !c->len && !c->skipping && n <= LC_LINE_MAX) {
			logcheck_line(c, p, n);	/* whole: no copy */
		} else {
			if (!c->skipping && c->len + n > LC_LINE_MAX)
				c->skipping = true;
			else if (!c->skipping)
				memcpy(c->line + c->len, p, n);
			c->len = c->skipping ? 0 : c->len + n;
			if (!nl)
				break;
			end_line(c);
		}
		p = nl + 1;
	}
	return c->error;
}

int logcheck_end_file(struct logcheck *c)
{
	if (c->len || c->skipping)
		end_line(c);
	return c->error;
}

/* The numbers of a stream, worked out. */

static void add_missing(struct lc_stream *s, uint64_t from, uint64_t to)
{
	if (s->nmissing < LC_SHOWN)
		s->shown[s->nmissing] = (struct lc_range){ from, to };
	s->nmissing++;
	s->missing = add_sat(s->missing, range_size(from, to));
}

static uint64_t ranges_total(const struct lc_ranges *r)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < r->n; i++)
		n = add_sat(n, range_size(r->v[i].from, r->v[i].to));
	return n;
}

static uint64_t overlap(const struct lc_ranges *a, const struct lc_ranges *b)
{
	uint64_t n = 0;
	size_t i = 0, j = 0;

	while (i < a->n && j < b->n) {
		uint64_t from = a->v[i].from > b->v[j].from ? a->v[i].from
							     : b->v[j].from;
		uint64_t to = a->v[i].to < b->v[j].to ? a->v[i].to : b->v[j].to;

		if (from <= to)
			n = add_sat(n, range_size(from, to));
		if (a->v[i].to < b->v[j].to)
			i++;
		else
			j++;
	}
	return n;
}

/* Holes in the union of present and covered, from @s->first on. */
static void find_missing(struct lc_stream *s)
{
	const struct lc_ranges *p = &s->present, *g = &s->covered;
	uint64_t next = s->first;
	size_t i = 0, j = 0;

	while (i < p->n || j < g->n) {
		const struct lc_range *r;

		if (j == g->n || (i < p->n && p->v[i].from < g->v[j].from))
			r = &p->v[i++];
		else
			r = &g->v[j++];
		if (r->from > next)
			add_missing(s, next, r->from - 1);
		if (r->to == UINT64_MAX)
			return;
		if (r->to + 1 > next)
			next = r->to + 1;
	}
	/* Past the last line, up to what the summary said was written. */
	if (s->last >= next)
		add_missing(s, next, s->last);
}

static void finish_stream(struct lc_stream *s)
{
	uint64_t covered, both;

	/* A stream record and a summary give a span without a number. */
	s->has_span = has_numbers(s) ||
		      (s->has_from && s->has_end && s->end >= s->from);
	if (!s->has_span)
		return;
	s->first = lowest(s);
	if (s->has_from && s->from < s->first)
		s->first = s->from;
	s->last = highest(s);
	if (s->has_end && s->end > s->last)
		s->last = s->end;
	s->events = ranges_total(&s->present);
	covered = ranges_total(&s->covered);
	both = overlap(&s->present, &s->covered);
	s->lost = covered > both ? covered - both : 0;
	find_missing(s);
}

int logcheck_finish(struct logcheck *c)
{
	size_t i;

	for (i = 0; i < c->nstreams; i++)
		finish_stream(&c->streams[i]);
	return c->error;
}

bool logcheck_complete(const struct logcheck *c)
{
	size_t i;

	if (c->error)
		return false;
	for (i = 0; i < c->nstreams; i++)
		if (c->streams[i].missing)
			return false;
	for (i = 0; i < c->nsummaries; i++)
		if (!c->summaries[i].ok)
			return false;
	return true;
}

int logcheck_init(struct logcheck *c)
{
	memset(c, 0, sizeof(*c));
	c->line = malloc(LC_LINE_MAX);
	c->recent = calloc(1u << LC_RECENT_BITS, sizeof(*c->recent));
	if (!c->line || !c->recent) {
		logcheck_free(c);
		return -ENOMEM;
	}
	return 0;
}

void logcheck_free(struct logcheck *c)
{
	size_t i;

	for (i = 0; i < c->nwriters; i++) {
		free(c->writers[i].host);
		free(c->writers[i].tag);
	}
	for (i = 0; i < c->nstreams; i++) {
		ranges_free(&c->streams[i].present);
		ranges_free(&c->streams[i].covered);
	}
	free(c->writers);
	free(c->index);
	free(c->streams);
	free(c->summaries);
	free(c->recent);
	free(c->line);
	memset(c, 0, sizeof(*c));
}
