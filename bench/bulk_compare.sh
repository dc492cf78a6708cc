#!/usr/bin/env bash
# A bulk job of N suspension rows on SQLite (bench/bulk_jobs.cc: the use cases the server
# runs, each row a request through the engine) beside the raw limit of the same rows written
# straight through SQLite (bench/raw_limit.cc, shape `holds`: a request, a hold, the status
# updates and their audit entries per row, 100 rows a transaction), in the same run.
# Prints one JSON line each. docs/PERFORMANCE.md ("Bulk jobs") holds the figures.
#
#   bash bench/bulk_compare.sh [ROWS] [RAW_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-100000}
RAW_SECONDS=${2:-20}
WORK=$(mktemp -d /tmp/sb-bulk-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
build/bench/bulk_jobs "$ROWS" "$WORK/bulk"
build/bench/raw_limit sqlite holds "$WORK/raw.db" "$RAW_SECONDS"
