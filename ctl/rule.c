// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl rule add RULE, sgctl rule delete RULE | ID: change one rule of the
 * loaded policy without loading the policy whole.
 *
 * RULE is an allow statement of the policy language naming segments of the
 * loaded policy. Only the segments' names are read back from the module,
 * not their prefixes, and the change is sent as an update transaction on
 * the generation they were read from: the module rebuilds the allow tables
 * and keeps the prefix tables, so the cost follows the rules, not the
 * prefixes. A policy changed in between is read again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "subcommands.h"

enum { TRIES = 3 };

struct change {
	bool		add;
	const char	*text;		/* the rule, arguments joined */
	uint32_t	id;		/* to delete, or the id added */
	bool		by_id;		/* delete ID */
	bool		need_rules;	/* read the loaded rules too */
};

static char *join(int argc, const char *argv[])
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* "rule:1:COL: message", the rule, and a caret under the column. */
static void parse_error(const char *text, const struct policy_error *err)
{
	size_t len = strlen(text);

	fprintf(stderr, "rule:%u:%u: %s\n", err->line, err->col, err->msg);
	if (err->line == 1 && !strchr(text, '\n'))
		fprintf(stderr, "  %s\n  %*s^\n", text, (int)err->col - 1, "");
	/* What the shell leaves of an unquoted "a -> b". */
	if (len && text[len - 1] == '-' && err->col == len)
		fprintf(stderr, "  (quote the rule: \"->\" is a shell redirection)\n");
}

static int parse_one(const char *text, struct policy *rule)
{
	struct policy_error err;

	if (policy_parse_rules(text, strlen(text), rule, &err)) {
		parse_error(text, &err);
		return -1;
	}
	if (rule->nrules != 1) {
		complain("give one rule (\"allow SEGMENTS -> SEGMENTS ...\"), not %zu",
			 rule->nrules);
		policy_free(rule);
		return -1;
	}
	return 0;
}

static const struct policy_segment *live_segment(const struct policy *live,
						 const char *name)
{
	size_t i;

	for (i = 0; i < live->nsegments; i++)
		if (!strcmp(live->segments[i].name, name))
			return &live->segments[i];
	return NULL;
}

static int map_side(const struct policy *rule, const struct policy *live,
		    uint16_t *side, size_t n)
{
	const struct policy_segment *s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (side[i] == SGW_SEG_WORLD || side[i] == SGW_SEG_ANY)
			continue;
		/* The parser numbers the names used 1 .. n. */
		s = live_segment(live, rule->segments[side[i] - 1].name);
		if (!s) {
			complain("the loaded policy has no segment \"%s\"",
				 rule->segments[side[i] - 1].name);
			return -1;
		}
		side[i] = s->id;
	}
	return 0;
}

/* Give @rule's segments the loaded policy's ids; it then names @live's. */
static int map_segments(struct policy *rule, const struct policy *live)
{
	struct policy_rule *r = &rule->rules[0];

	return map_side(rule, live, r->srcs, r->nsrcs) ?:
	       map_side(rule, live, r->dsts, r->ndsts);
}

/* The loaded rule meaning what @rule means, or NULL; -1 in @err if OOM. */
static const struct policy_rule *find_same(const struct sgw_dump *live,
					   const struct policy *rule, int *err)
{
	const struct policy *lp = &live->policy;
	size_t i;
	int same;

	*err = 0;
	for (i = 0; i < lp->nrules; i++) {
		same = policy_rule_same(lp, &lp->rules[i], lp, &rule->rules[0]);
		if (same < 0) {
			*err = -1;
			return NULL;
		}
		if (same)
			return &lp->rules[i];
	}
	return NULL;
}

static uint32_t free_id(const struct sgw_dump *live, const struct policy *rule)
{
	const struct policy *lp = &live->policy;
	uint32_t *ids = calloc(lp->nrules + 1, sizeof(*ids));
	uint32_t id;
	size_t i;

	if (!ids)
		return 0;
	for (i = 0; i < lp->nrules; i++)
		ids[i] = lp->rules[i].id;
	id = policy_rule_free_id(lp, &rule->rules[0], ids, lp->nrules);
	free(ids);
	return id;
}

/*
 * With the loaded rules at hand: 1 when there is nothing to do (the rule
 * to add is loaded already), 0 to go on, -1 on error.
 */
static int settle_id(struct change *c, const struct sgw_dump *live,
		     struct policy *rule)
{
	const struct policy_rule *same;
	int err;

	same = find_same(live, rule, &err);
	if (err) {
		complain("out of memory");
		return -1;
	}
	if (c->add && same) {
		printf("rule 0x%08x is already loaded\n", same->id);
		return 1;
	}
	if (!c->add && !same) {
		complain("no loaded rule is \"%s\"", c->text);
		return -1;
	}
	if (!c->add) {
		c->id = same->id;
		return 0;
	}
	/* Its id is taken by another rule: the next one free. */
	rule->rules[0].id = free_id(live, rule);
	if (!rule->rules[0].id) {
		complain("out of memory");
		return -1;
	}
	return 0;
}

static void report(const struct sgw_nl *nl, const struct change *c, int err)
{
	char doing[32];

	snprintf(doing, sizeof(doing), "%s rule 0x%08x",
		 c->add ? "adding" : "deleting", c->id);
	complain_nl(nl, err, doing);
}

/*
 * One try: read what the change needs, send it. 0 done, 1 nothing to do,
 * -EAGAIN to try again (the policy moved on, or the id was taken), -1
 * reported.
 */
static int try_change(struct sgw_nl *nl, struct change *c)
{
	struct sgw_load_error why;
	struct policy rule = { 0 };
	struct sgw_dump live = { 0 };
	uint32_t gen = 0;
	int ret;

	if (c->by_id) {
		ret = sgw_nl_status(nl, &live.status);
	} else {
		ret = sgw_nl_dump_names(nl, &live, c->need_rules);
		if (ret == -EAGAIN)
			return ret;
	}
	if (ret) {
		complain_nl(nl, ret, "reading the loaded policy");
		return -1;
	}
	ret = -1;
	if (!c->by_id && (parse_one(c->text, &rule) ||
			  map_segments(&rule, &live.policy)))
		goto out;
	if (c->need_rules) {
		ret = settle_id(c, &live, &rule);
		if (ret)
			goto out;
	}
	if (c->add) {
		c->id = rule.rules[0].id;
		/* Line 0: the rule comes from no file. */
		rule.rules[0].line = 0;
	}
	ret = sgw_nl_update(nl, live.status.generation, c->add ? NULL : &c->id,
			    !c->add, c->add ? &rule : NULL, &gen, &why);
	if (!ret) {
		printf("%s rule 0x%08x, generation %u\n",
		       c->add ? "added" : "deleted", c->id, gen);
	} else if (ret == -ESTALE) {
		ret = -EAGAIN;
	} else if (ret == -EEXIST && c->add && !c->need_rules) {
		/* The same rule, or another whose id collides with it. */
		c->need_rules = true;
		ret = -EAGAIN;
	} else {
		report(nl, c, ret);
		ret = -1;
	}
out:
	policy_free(&rule);
	nlmsg_dump_free(&live);
	return ret;
}

static int parse_id(const char *s, uint32_t *id)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || end == s || !v || v > UINT32_MAX ||
	    s[0] == '-' || s[0] == '+')
		return -1;
	*id = (uint32_t)v;
	return 0;
}

static int run(struct change *c)
{
	struct policy rule;
	struct sgw_nl *nl;
	int i, ret = -EAGAIN;

	/* A rule that does not parse needs no module to say so. */
	if (!c->by_id) {
		if (parse_one(c->text, &rule))
			return 1;
		policy_free(&rule);
	}
	nl = open_module();
	if (!nl)
		return 1;
	for (i = 0; i < TRIES && ret == -EAGAIN; i++)
		ret = try_change(nl, c);
	if (ret == -EAGAIN)
		complain("the policy kept changing while it was read; try again");
	sgw_nl_close(nl);
	return ret < 0 ? 1 : 0;
}

int rule_main(int argc, const char *argv[])
{
	struct change c = { 0 };
	char *text;
	int ret;

	if (wants_help(argc, argv))
		return 0;
	if (argc < 3 || (strcmp(argv[1], "add") && strcmp(argv[1], "delete"))) {
		show_usage(argv[0]);
		return 1;
	}
	c.add = !strcmp(argv[1], "add");
	c.by_id = !c.add && argc == 3 && !parse_id(argv[2], &c.id);
	c.need_rules = !c.add && !c.by_id;
	text = join(argc - 2, argv + 2);
	if (!text) {
		complain("out of memory");
		return 1;
	}
	c.text = text;
	ret = run(&c);
	free(text);
	return ret;
}
