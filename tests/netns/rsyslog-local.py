#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""rsyslog-local.py SNIPPET FLOWS.LOG

Prints the shipped rsyslog snippet (docs/rsyslog-sgw.conf) as a test or
the benchmark runs it: the flow log written to FLOWS.LOG, and no
forwarding to a collector that does not exist. Everything else, the file
action's template and buffering included, is the snippet a user installs.
Comments go first: they hold parentheses that would end the action early.
"""
import re
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    conf = open(sys.argv[1]).read()
    conf = "\n".join(line for line in conf.splitlines()
                     if not line.lstrip().startswith("#"))
    conf, n = re.subn(r'action\(type="omfwd"[^)]*\)', "", conf)
    if n != 1:
        sys.exit(f"rsyslog-local.py: {n} omfwd actions in {sys.argv[1]}, not 1")
    if "/var/log/sgw/flows.log" not in conf:
        sys.exit(f"rsyslog-local.py: no /var/log/sgw/flows.log in {sys.argv[1]}")
    print(conf.replace("/var/log/sgw/flows.log", sys.argv[2]))


if __name__ == "__main__":
    main()
