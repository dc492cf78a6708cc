#!/usr/bin/env bash
# A bulk job of N suspension rows (bench/bulk_jobs.cc: the use cases the server runs, each row
# a request through the engine) beside the raw limit of the same rows written straight through
# the database (bench/raw_limit.cc, shape `holds`: a request, a hold, the status updates and
# their audit entries per row; SQLite 100 rows a transaction, PostgreSQL one a transaction on 8
# clients), in the same run, on SQLite or on a PostgreSQL cluster the script starts (fsync on,
# as in production). Prints one JSON line each. docs/PERFORMANCE.md ("Bulk jobs") holds the
# figures.
#
#   bash bench/bulk_compare.sh [ROWS] [RAW_SECONDS] [sqlite|postgres] [ROWS_PER_TRANSACTION]
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-100000}
RAW_SECONDS=${2:-20}
BACKEND=${3:-sqlite}
PER_TX=${4:-16}
WORK_PREFIX=sb-bulk-bench
. bench/lib.sh
case "$BACKEND" in
  sqlite)
    build/bench/bulk_jobs "$ROWS" "$WORK/bulk" "$PER_TX"
    build/bench/raw_limit sqlite holds "$WORK/raw.db" "$RAW_SECONDS"
    ;;
  postgres)
    PG_URL=$(bash scripts/pg_test_cluster.sh start "$PG_DIR")
    BASE=${PG_URL%/*}
    psql "$PG_URL" -qc "CREATE DATABASE bench_bulk OWNER switchboard_owner" -c "CREATE DATABASE bench_raw" >/dev/null
    # As the server connects: the owner role migrates, the app role runs under row-level security.
    build/bench/bulk_jobs "$ROWS" "$WORK/bulk" "$PER_TX" "$BASE/bench_bulk?user=switchboard_app" \
      "$BASE/bench_bulk?user=switchboard_owner"
    build/bench/raw_limit postgres holds "$BASE/bench_raw" "$RAW_SECONDS"
    ;;
  *) echo "backend: sqlite or postgres" >&2; exit 2 ;;
esac
