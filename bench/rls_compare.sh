#!/usr/bin/env bash
# The cost of PostgreSQL row-level security on the holds workload: two server binaries, one
# without it (connecting as the cluster's superuser, as before migration 0013) and one with it
# (connecting as the app role, migrated by the owner role), run in turns on one cluster in the
# same minutes, ROUNDS times each, every run on a fresh database. Prints one JSON line per run.
#
#   bash bench/rls_compare.sh BEFORE_BINARY AFTER_BINARY [SECONDS] [ROUNDS]
#
# Uses ./build/bench/load_holds as the client for both. docs/SECURITY.md has the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=$(realpath "$1")
AFTER=$(realpath "$2")
SECONDS_PER_RUN=${3:-20}
ROUNDS=${4:-2}
CONNECTIONS=${CONNECTIONS:-64}
WORK_PREFIX=sb-rls-bench
source bench/lib.sh

PG_URL=$(bash scripts/pg_test_cluster.sh start "$PG_DIR")
BASE=${PG_URL%/*}

# run LABEL BINARY DATABASE_URL OWNER_URL: one server, one load_holds run, one JSON line.
run() {
  SWITCHBOARD_DATABASE_OWNER_URL="$4" start_server "$2" "$3" "$WORK/$1"
  echo "{\"label\":\"$1\",\"result\":$(./build/bench/load_holds --workload holds --port "$PORT" \
    --key "$KEY" --connections "$CONNECTIONS" --seconds "$SECONDS_PER_RUN")}"
  stop_server
}

for round in $(seq 1 "$ROUNDS"); do
  db="rls_before_$round"
  psql "$PG_URL" -qc "CREATE DATABASE $db" >/dev/null
  run "before_$round" "$BEFORE" "$BASE/$db" ""
  db="rls_after_$round"
  psql "$PG_URL" -qc "CREATE DATABASE $db OWNER switchboard_owner" >/dev/null
  run "after_$round" "$AFTER" "$BASE/$db?user=switchboard_app" "$BASE/$db?user=switchboard_owner"
done
