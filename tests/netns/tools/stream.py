#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A long-lived TCP client: sends a numbered line every INTERVAL seconds to
an echo server and reads it back, until STOPFILE exists or the connection
fails. Prints one line: 'ok N', 'reset N', 'timeout N' or 'error N MSG',
N being the number of lines echoed back."""
import os
import socket
import sys
import time

host, port, stopfile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.05
n = 0
try:
    s = socket.create_connection((host, port), timeout=3)
    s.settimeout(3)
    f = s.makefile("rwb")
    while not os.path.exists(stopfile):
        f.write(b"line %d\n" % n)
        f.flush()
        if f.readline() != b"line %d\n" % n:
            print("error", n, "bad echo")
            sys.exit(1)
        n += 1
        time.sleep(interval)
    print("ok", n)
except ConnectionResetError:
    print("reset", n)
except socket.timeout:
    print("timeout", n)
except OSError as e:
    print("error", n, e)
