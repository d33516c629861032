// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl logcheck [--json] FILE...: whether a flow log is complete. Reads
 * the files (as rsyslog writes "sgctl monitor --syslog", or sgctl
 * monitor's own output) and, per stream of sequence numbers, tells the
 * events present, those sgctl counted lost, and those missing: lost after
 * sgctl wrote them. The accounting is in logcheck_acct.c; here files are
 * read and the report printed, with the record machinery of event.c so
 * that values from the file are escaped as the monitor escapes them.
 *
 * The exit status is that of diff(1) and cmp(1), so that a script can
 * tell a log with holes from a log that could not be read: 0 complete,
 * 1 something missing or a summary that does not match, 2 trouble.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "logcheck_acct.h"
#include "output.h"
#include "subcommands.h"

enum {
	EXIT_COMPLETE	= 0,
	EXIT_MISSING	= 1,
	EXIT_TROUBLE	= 2,
	READ_CHUNK	= 64 << 10,
	/* "a-b," per range shown, two 20-digit numbers each, and "..." */
	SEQS_MAX	= LC_SHOWN * 42 + 4,
};

static int read_file(struct logcheck *c, const char *path, char *buf)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t n;
	int err = 0;

	if (!f) {
		complain("cannot open \"%s\": %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, READ_CHUNK, f)) > 0)
		if (logcheck_feed(c, buf, n))
			break;
	if (ferror(f))
		err = errno ?: EIO;
	if (f != stdin)
		fclose(f);
	if (err) {
		complain("cannot read \"%s\": %s", policy_path_name(path),
			 strerror(err));
		return -1;
	}
	if (logcheck_end_file(c)) {
		complain("out of memory reading \"%s\"", policy_path_name(path));
		return -1;
	}
	return 0;
}

/* "7,12-13" with the first ranges, "..." after them when there are more. */
static const char *seqs_str(const struct lc_stream *s, char buf[SEQS_MAX])
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < s->nmissing && i < LC_SHOWN; i++) {
		const struct lc_range *r = &s->shown[i];

		used += snprintf(buf + used, SEQS_MAX - used,
				 r->from == r->to ? "%s%llu" : "%s%llu-%llu",
				 i ? "," : "", (unsigned long long)r->from,
				 (unsigned long long)r->to);
	}
	if (s->nmissing > LC_SHOWN)
		snprintf(buf + used, SEQS_MAX - used, ",...");
	return buf;
}

static void writer_fields(struct record *r, const struct lc_writer *w)
{
	if (w->host[0])
		record_str(r, "host", w->host);
	if (w->tag[0])
		record_str(r, "tag", w->tag);
}

static void u64_if(struct record *r, const char *key, uint64_t v)
{
	if (v)
		record_u64(r, key, v);
}

static void stream_check(struct record *r, const struct logcheck *c,
			  size_t i, char seqs[SEQS_MAX])
{
	const struct lc_stream *s = &c->streams[i];

	record_str(r, "check", "stream");
	record_u64(r, "stream", i + 1);
	writer_fields(r, &c->writers[s->writer]);
	if (s->has_span) {
		record_u64(r, "first_seq", s->first);
		record_u64(r, "last_seq", s->last);
	}
	record_u64(r, "events", s->events);
	record_u64(r, "lost", s->lost);
	record_u64(r, "missing", s->missing);
	if (s->nmissing) {
		record_str(r, "missing_seqs", seqs_str(s, seqs));
		record_u64(r, "missing_ranges", s->nmissing);
	}
	u64_if(r, "duplicates", s->duplicates);
	u64_if(r, "early", s->early);
	u64_if(r, "malformed", s->malformed);
}

static void summary_check(struct record *r, const struct logcheck *c,
			  const struct lc_summary *s, char streams[48])
{
	record_str(r, "check", "summary");
	writer_fields(r, &c->writers[s->writer]);
	if (s->first_stream) {
		snprintf(streams, 48, s->first_stream == s->last_stream ?
			 "%zu" : "%zu-%zu", s->first_stream, s->last_stream);
		record_str(r, "streams", streams);
	}
	record_u64(r, "received", s->received);
	if (s->expected != s->received)
		record_u64(r, "expected", s->expected);
	record_u64(r, "found", s->found);
	if (s->has_syslog_sent) {
		record_u64(r, "syslog_sent", s->syslog_sent);
		record_u64(r, "records", s->records);
	}
	if (s->has_syslog_failed)
		record_u64(r, "syslog_failed", s->syslog_failed);
	record_str(r, "result", s->ok ? "ok" : "mismatch");
}

static void total_check(struct record *r, const struct logcheck *c,
			 int files)
{
	uint64_t events = 0, lost = 0, missing = 0, bad = 0;
	size_t i;

	for (i = 0; i < c->nstreams; i++) {
		events += c->streams[i].events;
		lost += c->streams[i].lost;
		missing += c->streams[i].missing;
	}
	for (i = 0; i < c->nsummaries; i++)
		bad += !c->summaries[i].ok;
	record_str(r, "check", "total");
	record_u64(r, "files", files);
	record_u64(r, "lines", c->lines);
	record_u64(r, "streams", c->nstreams);
	record_u64(r, "events", events);
	record_u64(r, "lost", lost);
	record_u64(r, "missing", missing);
	record_u64(r, "duplicates", c->duplicates);
	record_u64(r, "malformed", c->malformed);
	u64_if(r, "overlong", c->overlong);
	record_u64(r, "other", c->other);
	record_u64(r, "summaries", c->nsummaries);
	record_u64(r, "mismatched", bad);
	record_str(r, "result", logcheck_complete(c) ? "complete" : "incomplete");
}

static int print_text(const struct record *r)
{
	char *text = record_text(r);

	if (!text)
		return -1;
	puts(text);
	free(text);
	return 0;
}

/* In JSON, the missing ranges as [from, to] pairs rather than text. */
static int json_seqs(struct json_object *o, const struct lc_stream *s)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	if (json_add(o, "missing_seqs", a))
		return -1;
	for (i = 0; i < s->nmissing && i < LC_SHOWN; i++) {
		struct json_object *pair = json_object_new_array();

		if (json_push(a, pair) ||
		    json_push(pair, json_object_new_uint64(s->shown[i].from)) ||
		    json_push(pair, json_object_new_uint64(s->shown[i].to)))
			return -1;
	}
	return 0;
}

static struct json_object *to_json(const struct record *r,
				  const struct lc_stream *s)
{
	struct json_object *o = record_json(r);

	if (o && s && s->nmissing && json_seqs(o, s)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int report_json(const struct logcheck *c, int files)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *streams = json_object_new_array();
	struct json_object *sums = json_object_new_array();
	char seqs[SEQS_MAX], ids[48];
	struct record r;
	size_t i;
	int ret = 0;

	if (!doc || json_add(doc, "streams", streams) ||
	    json_add(doc, "summaries", sums)) {
		json_object_put(doc);
		return -1;
	}
	for (i = 0; !ret && i < c->nstreams; i++) {
		r = (struct record){ 0 };
		stream_check(&r, c, i, seqs);
		ret = json_push(streams, to_json(&r, &c->streams[i]));
	}
	for (i = 0; !ret && i < c->nsummaries; i++) {
		r = (struct record){ 0 };
		summary_check(&r, c, &c->summaries[i], ids);
		ret = json_push(sums, to_json(&r, NULL));
	}
	if (!ret) {
		r = (struct record){ 0 };
		total_check(&r, c, files);
		ret = json_add(doc, "total", to_json(&r, NULL));
	}
	if (ret) {
		json_object_put(doc);
		return -1;
	}
	return json_print(doc);
}

static int report_text(const struct logcheck *c, int files)
{
	char seqs[SEQS_MAX], ids[48];
	struct record r;
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < c->nstreams; i++) {
		r = (struct record){ 0 };
		stream_check(&r, c, i, seqs);
		ret = print_text(&r);
	}
	for (i = 0; !ret && i < c->nsummaries; i++) {
		r = (struct record){ 0 };
		summary_check(&r, c, &c->summaries[i], ids);
		ret = print_text(&r);
	}
	if (!ret) {
		r = (struct record){ 0 };
		total_check(&r, c, files);
		ret = print_text(&r);
	}
	if (fflush(stdout) || ferror(stdout))
		ret = -1;
	return ret;
}

static bool is_option(const char *arg)
{
	return arg[0] == '-' && arg[1];		/* "-" is standard input */
}

/* [--json] anywhere among the files; the number of files in @files. */
static int parse_options(int argc, const char *argv[], bool *json,
			 int *files)
{
	int i;

	*json = false;
	*files = 0;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			*json = true;
		} else if (is_option(argv[i])) {
			complain("unknown option \"%s\"", argv[i]);
			goto usage;
		} else {
			++*files;
		}
	}
	if (!*files) {
		complain("no flow log to check");
		goto usage;
	}
	return 0;
usage:
	show_usage(argv[0]);
	return -1;
}

int logcheck_main(int argc, const char *argv[])
{
	struct logcheck c;
	char *buf;
	bool json;
	int files, i, ret = EXIT_TROUBLE;

	if (wants_help(argc, argv))
		return 0;
	if (parse_options(argc, argv, &json, &files))
		return EXIT_TROUBLE;
	buf = malloc(READ_CHUNK);
	if (!buf || logcheck_init(&c)) {
		complain("out of memory");
		free(buf);
		return EXIT_TROUBLE;
	}
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--json") && read_file(&c, argv[i], buf))
			goto out;
	if (logcheck_finish(&c)) {
		complain("out of memory");
		goto out;
	}
	if (json ? report_json(&c, files) : report_text(&c, files)) {
		complain("cannot write the report: %s", strerror(errno ?: EIO));
		goto out;
	}
	ret = logcheck_complete(&c) ? EXIT_COMPLETE : EXIT_MISSING;
out:
	logcheck_free(&c);
	free(buf);
	return ret;
}
