#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A test that simply fails.
set -e
false
