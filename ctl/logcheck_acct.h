/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The accounting behind "sgctl logcheck": fed the bytes of flow-log files,
 * it works out, for each stream of sequence numbers, which numbers are
 * present as event lines, which are counted lost by sgctl's gap records,
 * and which are neither: missing, lost after sgctl wrote them (syslog,
 * journald, rsyslog, an edited file). Summary records are checked against
 * the lines found for their run. No I/O; logcheck.c reads and prints.
 *
 * Streams. Lines are grouped by writer: the syslog host and tag
 * ("gw1", "sgw[812]": one run of sgctl), or none for sgctl's own output.
 * A writer's run ends at its summary record. Within a run, numbers start
 * again when the module is loaded again: sgctl says so with a stream
 * record; logs written before sgctl did are split where a number comes
 * again that is not a repeated line, or falls below the stream's first.
 */
#ifndef SGCTL_LOGCHECK_ACCT_H
#define SGCTL_LOGCHECK_ACCT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	/* Longer lines are malformed: a record is under 8 KiB. */
	LC_LINE_MAX	= 64 << 10,
	/* Missing ranges kept for the report, per stream. */
	LC_SHOWN	= 16,
	/* Recent lines remembered to tell a repeated line (log 2). */
	LC_RECENT_BITS	= 16,
};

struct lc_range {
	uint64_t	from;
	uint64_t	to;
};

/* Disjoint, sorted, adjacent ranges merged. */
struct lc_ranges {
	struct lc_range	*v;
	size_t		n;
	size_t		cap;
};

struct lc_stream {
	size_t		writer;		/* index into logcheck.writers */
	bool		marked;		/* began at a stream record */
	bool		has_from;	/* ... saying numbers start at @from */
	uint64_t	from;
	struct lc_ranges present;	/* numbers of event lines */
	struct lc_ranges covered;	/* numbers in gap records */
	uint64_t	lines;		/* event lines, repeats not counted */
	uint64_t	duplicates;
	uint64_t	early;		/* below a stream record's start */
	uint64_t	malformed;
	/* Numbers go up to @end: the run's summary said so (last_seq). */
	bool		has_end;
	uint64_t	end;

	/* Set by logcheck_finish(). */
	bool		has_span;
	uint64_t	first;
	uint64_t	last;
	uint64_t	events;		/* numbers present */
	uint64_t	lost;		/* covered and not present */
	uint64_t	missing;	/* neither */
	size_t		nmissing;	/* ranges of them */
	struct lc_range	shown[LC_SHOWN];	/* the first ones */
};

/* A summary record checked against its run. */
struct lc_summary {
	size_t		writer;
	size_t		first_stream;	/* stream numbers, 1-based; 0: none */
	size_t		last_stream;
	uint64_t	received;
	uint64_t	expected;	/* event lines: received + early + stray */
	uint64_t	found;		/* event lines of the run */
	bool		has_syslog_sent;
	uint64_t	syslog_sent;	/* records sent, this one included */
	uint64_t	records;	/* record lines of the run */
	bool		has_syslog_failed;
	uint64_t	syslog_failed;
	bool		ok;
};

struct lc_writer {
	char		*host;		/* "" when not from syslog */
	char		*tag;
	size_t		stream;		/* current stream + 1; 0: none */
	size_t		run_first;	/* first stream of the run + 1 */
	uint64_t	run_events;
	uint64_t	run_records;
};

struct logcheck {
	struct lc_writer *writers;
	size_t		nwriters;
	size_t		writers_cap;
	size_t		*index;		/* writer + 1 by hash; 0: free */
	size_t		index_size;
	struct lc_stream *streams;
	size_t		nstreams;
	size_t		streams_cap;
	struct lc_summary *summaries;
	size_t		nsummaries;
	size_t		summaries_cap;
	uint64_t	*recent;	/* hashes of recent lines */

	uint64_t	lines;
	uint64_t	malformed;	/* overlong ones included */
	uint64_t	overlong;
	uint64_t	other;		/* syslog lines of other programs */
	uint64_t	duplicates;

	char		*line;		/* the line being read */
	size_t		len;
	bool		skipping;	/* an overlong line, to its end */
	int		error;		/* -ENOMEM, sticky */
};

int logcheck_init(struct logcheck *c);
void logcheck_free(struct logcheck *c);
/*
 * @len bytes of a file, cut anywhere. 0, or -ENOMEM (then the report is
 * incomplete and should not be given).
 */
int logcheck_feed(struct logcheck *c, const void *data, size_t len);
/* The end of a file: a last line without its line end is still a line. */
int logcheck_end_file(struct logcheck *c);
/* One line, without its line end. */
int logcheck_line(struct logcheck *c, const char *line, size_t len);
/* Work out every stream's numbers. Call once, after the last file. */
int logcheck_finish(struct logcheck *c);

/* Whether nothing is missing and every summary matched. */
bool logcheck_complete(const struct logcheck *c);

#endif /* SGCTL_LOGCHECK_ACCT_H */
