#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print one "--- BEGIN <name> ---" section of a guest data log:
# tools/section.sh <data.log> <name>
[ $# -eq 2 ] || { echo "usage: section.sh <data.log> <name>" >&2; exit 1; }
tr -d "\r" <"$1" | awk -v n="$2" '$0 == "--- END " n " ---" { exit } on { print } $0 == "--- BEGIN " n " ---" { on = 1 }'
