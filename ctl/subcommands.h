/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * One subcommand per file, each exporting X_main(argc, argv) with argv[0]
 * the subcommand's name; the table in sgctl.c lists them. A new command is
 * a new file, a line here and a line in that table.
 */
#ifndef SGCTL_SUBCOMMANDS_H
#define SGCTL_SUBCOMMANDS_H

int load_main(int argc, const char *argv[]);
int rule_main(int argc, const char *argv[]);
int check_main(int argc, const char *argv[]);
int export_main(int argc, const char *argv[]);
int replay_main(int argc, const char *argv[]);
int show_main(int argc, const char *argv[]);
int flows_main(int argc, const char *argv[]);
int stats_main(int argc, const char *argv[]);
int audit_main(int argc, const char *argv[]);
int monitor_main(int argc, const char *argv[]);
int logcheck_main(int argc, const char *argv[]);
int flush_main(int argc, const char *argv[]);
int reset_main(int argc, const char *argv[]);
int version_main(int argc, const char *argv[]);
int help_main(int argc, const char *argv[]);

/* "Usage: sgctl CMD ARGS" on stderr, for misuse of @cmd. */
void show_usage(const char *cmd);
/* Handles -h/--help as the only argument: prints @cmd's help, returns 1. */
int wants_help(int argc, const char *argv[]);
/* For a command that takes none: complains of any argument, returns 1. */
int stray_arguments(int argc, const char *argv[]);

#endif /* SGCTL_SUBCOMMANDS_H */
