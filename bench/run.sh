#!/usr/bin/env bash
# Measures two workloads over HTTP (64 connections, 30 s each) on SQLite and on PostgreSQL:
# "place hold -> lift hold" and "place hold -> payment.received event -> automated
# reconnection", next to the raw limit of the same rows written straight through the
# database library, all on this machine in this run, and writes docs/PERFORMANCE.md.
#
#   bash bench/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-30}
CONNECTIONS=${CONNECTIONS:-64}
bash scripts/install-deps.sh
bash scripts/build.sh
BIN=./build/src/switchboard
WORK=$(mktemp -d /tmp/sb-bench.XXXXXX)
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

# One API key drives all the load: lift its rate limit for the run.
printf 'limits:\n  rate_limit_per_second: 0\n' > "$WORK/bench.yaml"

# start_server DATABASE_URL DATA_DIR -> sets SERVER_PID, PORT, KEY, TENANT, SECRET
start_server() {
  PORT=$(free_port)
  mkdir -p "$2"
  "$BIN" serve --config "$WORK/bench.yaml" --listen "127.0.0.1:$PORT" --database-url "$1" \
    --data-dir "$2" \
    >"$2/stdout.log" 2>"$2/stderr.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  KEY=$(grep -o '"api_key":"[^"]*"' "$2/stdout.log" | head -1 | cut -d'"' -f4)
  TENANT=$(grep -o '"tenant_id":"[^"]*"' "$2/stdout.log" | head -1 | cut -d'"' -f4)
  [ -n "$KEY" ] || { echo "no demo key from the server" >&2; cat "$2/stderr.log" >&2; exit 1; }
  SECRET=$("$BIN" events secret --tenant "$TENANT" --database-url "$1" --data-dir "$2" \
    2>/dev/null)
}

RESULTS="$WORK/results.jsonl"
# http LABEL WORKLOAD: one load_holds run against the running server, appended to RESULTS.
http() {
  echo "== $1 over HTTP: $2" >&2
  local out
  out=$(./build/bench/load_holds --workload "$2" --tenant "$TENANT" --secret "$SECRET" \
    --port "$PORT" --key "$KEY" --connections "$CONNECTIONS" --seconds "$SECONDS_PER_RUN")
  echo "$out" >&2
  echo "{\"backend\":\"$1\",\"kind\":\"http\",\"result\":$out}" >>"$RESULTS"
}
# raw LABEL SHAPE TARGET: one raw_limit run, appended to RESULTS.
raw() {
  echo "== $1 raw: $2" >&2
  local out
  out=$(./build/bench/raw_limit "$1" "$2" "$3" "$SECONDS_PER_RUN")
  echo "$out" >&2
  echo "{\"backend\":\"$1\",\"kind\":\"raw\",\"result\":$out}" >>"$RESULTS"
}

stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""; }

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

# A fresh database for every run, so that no run reads another's history.
start_server "sqlite:$WORK/sqlite-holds/switchboard.db" "$WORK/sqlite-holds"
http sqlite holds
stop_server
start_server "sqlite:$WORK/sqlite-payments/switchboard.db" "$WORK/sqlite-payments"
http sqlite payments
stop_server
# The shapes with the server's values, then the judged ones with the short values earlier
# reports used (see bench/raw_limit.cc), for comparison.
RAW_SHAPES="holds holds+log payments holds+log/short payments/short"
for shape in $RAW_SHAPES; do
  rm -f "$WORK"/raw.db*
  raw sqlite "$shape" "$WORK/raw.db"
done

PG_URL=$(bash scripts/pg_test_cluster.sh start "$PG_DIR")
BASE=${PG_URL%/*}
# fresh_pg NAME [OWNER]
fresh_pg() {
  psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 ${2:+OWNER $2}" >/dev/null
}
# PostgreSQL's raw figure waits on fsync, whose latency on a VM moves a lot from one minute
# to the next (the HTTP figure is bound by CPU and moves much less), so the raw shapes run
# before and after the HTTP runs and are judged by the mean of the two.
pg_raw() {
  for shape in $RAW_SHAPES; do
    fresh_pg bench_raw
    raw postgres "$shape" "$BASE/bench_raw"
  done
}
pg_raw
# The server connects as the app role, under row-level security, and the owner role migrates,
# as in production (docs/SECURITY.md, "PostgreSQL row-level security").
for workload in holds payments; do
  fresh_pg "bench_http_$workload" switchboard_owner
  export SWITCHBOARD_DATABASE_OWNER_URL="$BASE/bench_http_$workload?user=switchboard_owner"
  start_server "$BASE/bench_http_$workload?user=switchboard_app" "$WORK/pg-server-$workload"
  http postgres "$workload"
  stop_server
  unset SWITCHBOARD_DATABASE_OWNER_URL
done
pg_raw

python3 bench/write_report.py "$RESULTS" "$SECONDS_PER_RUN" "$CONNECTIONS" > docs/PERFORMANCE.md
cat docs/PERFORMANCE.md
