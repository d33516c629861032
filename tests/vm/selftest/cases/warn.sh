#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Exits 0 but makes the kernel warn: guest-suite must fail it.
set -e
modprobe sgw mode=warn
