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
WORK=$(mktemp -d /tmp/sb-rls-bench.XXXXXX)
chmod 755 "$WORK"  # the PostgreSQL cluster inside runs as the postgres user
PG_DIR="$WORK/pg"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  bash scripts/pg_test_cluster.sh stop "$PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
printf 'limits:\n  rate_limit_per_second: 0\n' >"$WORK/bench.yaml"

PG_URL=$(bash scripts/pg_test_cluster.sh start "$PG_DIR")
BASE=${PG_URL%/*}

# run LABEL BINARY DATABASE_URL OWNER_URL: one server, one load_holds run, one JSON line.
run() {
  local dir="$WORK/$1" port key
  mkdir -p "$dir"
  port=$(free_port)
  SWITCHBOARD_DATABASE_OWNER_URL="$4" "$2" serve --config "$WORK/bench.yaml" \
    --listen "127.0.0.1:$port" --database-url "$3" --data-dir "$dir" \
    >"$dir/stdout.log" 2>"$dir/stderr.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  key=$(grep -o '"api_key":"[^"]*"' "$dir/stdout.log" | head -1 | cut -d'"' -f4)
  [ -n "$key" ] || { echo "no demo key from the server" >&2; cat "$dir/stderr.log" >&2; exit 1; }
  echo "{\"label\":\"$1\",\"result\":$(./build/bench/load_holds --workload holds --port "$port" \
    --key "$key" --connections "$CONNECTIONS" --seconds "$SECONDS_PER_RUN")}"
  kill "$SERVER_PID"
  wait "$SERVER_PID" || true
  SERVER_PID=""
}

for round in $(seq 1 "$ROUNDS"); do
  db="rls_before_$round"
  psql "$PG_URL" -qc "CREATE DATABASE $db" >/dev/null
  run "before_$round" "$BEFORE" "$BASE/$db" ""
  db="rls_after_$round"
  psql "$PG_URL" -qc "CREATE DATABASE $db OWNER switchboard_owner" >/dev/null
  run "after_$round" "$AFTER" "$BASE/$db?user=switchboard_app" "$BASE/$db?user=switchboard_owner"
done
