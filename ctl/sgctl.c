// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sgctl: the controller of the sgw segmentation gateway. main() finds the
 * subcommand in the table below and hands it the rest of the command line.
 */
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "subcommands.h"

const char *PROG_NAME = "sgctl";

static const struct {
	const char *name;
	int (*function)(int, const char **);
	const char *args;
	const char *summary;
	const char *help;
} subcommands[] = {
	{ "load", load_main, "FILE",
	  "Load a policy file into the module, all or nothing",
	  "Parses FILE (\"-\" for standard input) and loads it as one transaction:\n"
	  "the live policy is replaced only if the module accepts every segment\n"
	  "and rule. Errors are reported against the line of FILE they came from." },
	{ "rule", rule_main, "add RULE | delete RULE | delete ID",
	  "Add or delete one rule of the loaded policy",
	  "RULE is an allow statement of the policy language (quote it: \"->\" is a\n"
	  "shell redirection) naming segments of the loaded policy; ID is a rule id\n"
	  "as \"sgctl show\" prints it. Only this rule changes: the module rebuilds\n"
	  "its allow tables and keeps the segments, so a change costs what the rules\n"
	  "cost, however many prefixes the policy holds. An added rule comes after\n"
	  "every loaded rule; adding a rule already loaded changes nothing. Flows\n"
	  "only a deleted rule allowed are cut at their next packet. The policy file\n"
	  "is not touched: edit it too, or the next \"sgctl load\" undoes the change." },
	{ "check", check_main, "FILE",
	  "Check a policy file without loading it",
	  "Parses and validates FILE (\"-\" for standard input). Needs no module\n"
	  "and no privileges." },
	{ "export", export_main, "--nft [--linear] [--table NAME] FILE", "Print a policy file as an nftables ruleset", "Prints the policy in FILE (\"-\" for standard input) as a ruleset for\n\"nft -f\" on standard output: conntrack first, then segment maps and\ninterval sets (or, with --linear, one nftables rule per policy rule).\nRules with an application clause are left out, with a warning. Needs\nno module and no privileges." },
	{ "replay", replay_main, "FILE [--policy POLICY] [--json]", "Classify the flows of a capture and decide them by a policy, offline", "Reads the capture FILE (pcap or pcapng; \"-\" for standard input) and prints\neach flow with its application and fields (HTTP host, method, path; TLS\nSNI, ALPN; DNS names; SSH software) as key=value fields, or a JSON object\nwith --json. With --policy, each flow is also decided as the module would\ndecide it: its segments, allow or deny, the reason and the deciding rule.\nA last record sums up the packets read, skipped (and why) and the flows.\nNeeds no module and no privileges. See docs/replay.md." },
	{ "show", show_main, "[--json]",
	  "Show the loaded policy, with rule counters",
	  "Prints the live policy as policy text that \"sgctl load\" accepts again,\n"
	  "with each rule's counters in a comment above it; or, with --json, as a\n"
	  "JSON object." },
	{ "flows", flows_main, "[--json]",
	  "List the flows in the flow table",
	  "Prints every tracked flow: protocol, endpoints, segments, state, the\n"
	  "rule and policy generation that allowed it, traffic each way, age and\n"
	  "idle time." },
	{ "stats", stats_main, "[--json]",
	  "Show packet counters and flow table use",
	  "Prints the namespace counters: packets seen, passed, dropped by reason,\n"
	  "flows created, ended and revoked, and flow table use." },
	{ "audit", audit_main, "[--days N] [--json]",
	  "Find rules of the loaded policy worth a second look",
	  "Prints one line per finding, with the rule's id, line and text: rules\n"
	  "never hit since they were loaded, or (with --days N) not hit in N days;\n"
	  "\"any\" as source or destination, or \"world\" to a segment, on every\n"
	  "port or protocol; rules whose flows in the flow table use only a few of\n"
	  "the ports they allow; rules allowing an administrative port (22, 23,\n"
	  "2375, 3389, 5900, 6443, 10250). With --json, an array of objects with\n"
	  "id, line, rule, finding and kind. Findings are not errors: the exit\n"
	  "status is 0. See docs/logging.md." },
	{ "monitor", monitor_main,
	  "[--json] [--syslog [--facility NAME] [--ident NAME]] [--rcvbuf BYTES] [--count N] [--no-wait]",
	  "Follow flow events: the flow log, with every lost event counted",
	  "Prints one line per flow event (allow, deny, end, revoke) as key=value\n"
	  "fields, or a JSON object with --json, or sends it to syslog with --syslog\n"
	  "(default facility daemon, ident sgw). Events lost on the way are reported\n"
	  "as event=gap records; at exit (SIGINT, SIGTERM, --count N events) an\n"
	  "event=summary record gives the events received and lost. Waits for the\n"
	  "module when it is not loaded (unless --no-wait) and follows it across\n"
	  "unloads and loads. See docs/logging.md." },
	{ "logcheck", logcheck_main, "[--json] FILE...",
	  "Check that a flow log is complete: every event logged or counted lost",
	  "Reads flow logs (FILE as rsyslog writes \"sgctl monitor --syslog\", or\n"
	  "the monitor's own text or --json output; \"-\" for standard input) and,\n"
	  "for each stream of sequence numbers (one per syslog host and tag, and\n"
	  "again where the module was loaded again), prints the events present,\n"
	  "those the monitor counted lost, and those missing: lost after the\n"
	  "monitor wrote them (syslog, journald and rsyslog rate limits, an edited\n"
	  "file), as ranges. Summary records are checked against the lines found.\n"
	  "Exit status: 0 complete, 1 something missing or a summary that does\n"
	  "not match, 2 the files could not be read. Needs no module and no\n"
	  "privileges. See docs/logging.md." },
	{ "flush", flush_main, "",
	  "Replace the policy with an empty one: deny all",
	  "Replaces the live policy with an empty one. The hooks stay in force,\n"
	  "so every packet they see is dropped." },
	{ "reset", reset_main, "",
	  "Remove policy, hooks and flows",
	  "Removes the policy, the hooks and every flow: the network namespace\n"
	  "is as if sgw had never been configured in it." },
	{ "version", version_main, "",
	  "Show the versions of sgctl and of the loaded module", NULL },
	{ "help", help_main, "[COMMAND]",
	  "Show this help, or a command's", NULL },
};

#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static int find(const char *name)
{
	size_t i;

	for (i = 0; i < NSUBCOMMANDS; i++)
		if (!strcmp(name, subcommands[i].name))
			return i;
	return -1;
}

static void show_overview(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s COMMAND [ARGUMENTS]\n\n", PROG_NAME);
	fprintf(f, "Controls the sgw segmentation gateway of this network namespace.\n\n");
	fprintf(f, "Commands:\n");
	for (i = 0; i < NSUBCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", subcommands[i].name,
			subcommands[i].summary);
	fprintf(f, "\n\"%s help COMMAND\" tells more of a command.\n",
		PROG_NAME);
}

void show_usage(const char *cmd)
{
	int i = find(cmd);

	if (i < 0)
		return;
	fprintf(stderr, "Usage: %s %s%s%s\n", PROG_NAME, cmd,
		subcommands[i].args[0] ? " " : "", subcommands[i].args);
}

static void show_help(int i)
{
	printf("Usage: %s %s%s%s\n\n%s.\n", PROG_NAME, subcommands[i].name,
	       subcommands[i].args[0] ? " " : "", subcommands[i].args,
	       subcommands[i].summary);
	if (subcommands[i].help)
		printf("\n%s\n", subcommands[i].help);
}

int wants_help(int argc, const char *argv[])
{
	int i;

	if (argc != 2 || (strcmp(argv[1], "-h") && strcmp(argv[1], "--help")))
		return 0;
	i = find(argv[0]);
	if (i >= 0)
		show_help(i);
	return 1;
}

int stray_arguments(int argc, const char *argv[])
{
	if (argc == 1)
		return 0;
	complain("unexpected argument \"%s\"", argv[1]);
	show_usage(argv[0]);
	return 1;
}

int help_main(int argc, const char *argv[])
{
	int i;

	if (argc > 2) {
		show_usage(argv[0]);
		return 1;
	}
	if (argc == 1) {
		show_overview(stdout);
		return 0;
	}
	i = find(argv[1]);
	if (i < 0) {
		fprintf(stderr, "%s: unknown command \"%s\"\n", PROG_NAME,
			argv[1]);
		show_usage(argv[0]);
		return 1;
	}
	show_help(i);
	return 0;
}

int main(int argc, const char *argv[])
{
	const char *help[] = { "help", NULL };
	const char *version[] = { "version", NULL };
	int i;

	if (argc < 2) {
		show_overview(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return help_main(1, help);
	if (!strcmp(argv[1], "--version"))
		return version_main(1, version);

	i = find(argv[1]);
	if (i < 0) {
		fprintf(stderr, "%s: unknown command \"%s\"\n", PROG_NAME,
			argv[1]);
		fprintf(stderr, "Usage: %s COMMAND [ARGUMENTS] (\"%s help\" lists the commands)\n",
			PROG_NAME, PROG_NAME);
		return 1;
	}
	return subcommands[i].function(argc - 1, argv + 1);
}
